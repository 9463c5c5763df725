from django.urls import path

from upward.web.explorer import views

app_name = "explorer"

urlpatterns = [
    path("", views.home, name="home"),
]

from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "upward.web.api"
    label = "api"
    verbose_name = "JSON API"

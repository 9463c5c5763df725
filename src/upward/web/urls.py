"""URL routes: public explorer pages, the JSON API, workspaces and the operators' admin."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView

from upward.web.api.routes import api
from upward.web.knowledge.urls import public_patterns
from upward.web.measurement.urls import public_patterns as plan_public_patterns

urlpatterns = [
    path("api/", api.urls),
    path("admin/", admin.site.urls),
    path("w/", include("upward.web.workspace.urls")),
    path("n/", include("upward.web.networks.urls")),
    # the knowledge app's pages first: /p/findings/<id>/ is never read as a workspace slug
    path("p/", include(([*public_patterns, *plan_public_patterns], "public"))),
    path("accounts/", include("upward.web.workspace.account_urls")),
    path(
        "favicon.ico",
        RedirectView.as_view(url="/static/vendor/uswds/img/favicons/favicon.ico", permanent=True),
    ),
    path("", include("upward.web.explorer.urls")),
]

handler400 = "upward.web.explorer.errors.bad_request"
handler404 = "upward.web.explorer.errors.not_found"
handler500 = "upward.web.explorer.errors.server_error"

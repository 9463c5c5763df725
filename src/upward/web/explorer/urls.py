"""Explorer routes. Each page and its twins (``.json``, ``.csv``, ...) are one view.

:func:`upward.web.render.twins` registers a page at ``route/`` and its twins at
``route.<suffix>``; the view returns one result and the renderer answers the format.
"""

from django.urls import path

from upward.web.explorer import analysis_views, metric_views, views
from upward.web.render import twins

app_name = "explorer"

# Place addresses capture any text, so that a malformed FIPS code gets a 400 with a clear
# message: /county/27123/, /city/2758000/.
PLACE = r"(?P<level>county|city)/(?P<fips>[^/.]+)"
# The analysis pages take any suffix; one they do not come as is a 400 naming those they do.
ANALYSIS_FILE = {"[A-Za-z0-9]+": "analysis-file"}

urlpatterns = [
    # Home, search and browsing by state.
    *twins("index", views.home, "home", {"json": "home_json"}, page_route=""),
    path("search.json", views.search, {"fmt": "json"}, name="search_json"),
    *twins(r"state/(?P<fips>[^/]+)", views.state, "state", {"json": "state_json"}),
    # Place profiles and their .json, .csv and .xlsx twins.
    *twins(PLACE, views.profile, "profile", {"json|csv|xlsx": "profile_file"}),
    # Metric pages.
    *twins("metrics", metric_views.metrics_index, "metrics", {"json": "metrics-json"}),
    path(
        "metric/<str:metric_id>/map.json",
        metric_views.metric_map,
        {"fmt": "json"},
        name="metric-map",
    ),
    *twins(
        r"metric/(?P<metric_id>[^/]+)",
        metric_views.metric_page,
        "metric",
        {"json": "metric-json", "csv": "metric-csv", "xlsx": "metric-xlsx"},
    ),
    # Peers, comparisons, insights and the review guide.
    path("methods/", analysis_views.methods, name="methods"),
    *twins(f"{PLACE}/peers", analysis_views.peers, "peers", ANALYSIS_FILE),
    *twins(f"{PLACE}/compare", analysis_views.compare, "compare", ANALYSIS_FILE),
    *twins(f"{PLACE}/insights", analysis_views.insights, "insights", ANALYSIS_FILE),
    *twins(f"{PLACE}/review-guide", analysis_views.guide, "review-guide", ANALYSIS_FILE),
]

"""Explorer routes. Every page has a .json twin at the same address plus '.json'."""

from django.urls import path, re_path

from upward.web.explorer import analysis_views, metric_views, views

app_name = "explorer"

urlpatterns = [
    # Home, search and browsing by state.
    path("", views.home, name="home"),
    path("index.json", views.home_json, name="home_json"),
    path("search.json", views.search_json, name="search_json"),
    path("state/<str:fips>/", views.state, name="state"),
    path("state/<str:fips>.json", views.state_json, name="state_json"),
    # Place profiles: /county/27123/, /city/2758000/ and their .json, .csv, .xlsx twins.
    # Any text is captured so that a malformed FIPS code gets a 400 with a clear message.
    re_path(r"^(?P<level>county|city)/(?P<fips>[^/.]+)/$", views.profile, name="profile"),
    re_path(
        r"^(?P<level>county|city)/(?P<fips>[^/.]+)\.(?P<fmt>json|csv|xlsx)$",
        views.profile_file,
        name="profile_file",
    ),
    # -- Metric pages (/metric/<id>/ and twins): metric_views' routes go here. --------------
    path("metrics/", metric_views.metrics_index, name="metrics"),
    path("metrics.json", metric_views.metrics_index_json, name="metrics-json"),
    path("metric/<str:metric_id>/", metric_views.metric_page, name="metric"),
    path("metric/<str:metric_id>/map.json", metric_views.metric_map_json, name="metric-map"),
    path("metric/<str:metric_id>.json", metric_views.metric_json, name="metric-json"),
    path("metric/<str:metric_id>.csv", metric_views.metric_csv, name="metric-csv"),
    path("metric/<str:metric_id>.xlsx", metric_views.metric_xlsx, name="metric-xlsx"),
    # -- Peers, comparisons, insights, review guide (analysis_views) -----------------------
    path("methods/", analysis_views.methods, name="methods"),
    re_path(
        r"^(?P<level>county|city)/(?P<fips>[^/.]+)/peers/$",
        analysis_views.peers,
        name="peers",
    ),
    re_path(
        r"^(?P<level>county|city)/(?P<fips>[^/.]+)/compare/$",
        analysis_views.compare,
        name="compare",
    ),
    re_path(
        r"^(?P<level>county|city)/(?P<fips>[^/.]+)/insights/$",
        analysis_views.insights,
        name="insights",
    ),
    re_path(
        r"^(?P<level>county|city)/(?P<fips>[^/.]+)/review-guide/$",
        analysis_views.guide,
        name="review-guide",
    ),
    re_path(
        r"^(?P<level>county|city)/(?P<fips>[^/.]+)/(?P<page>peers|compare|insights|review-guide)"
        r"\.(?P<fmt>[A-Za-z0-9]+)$",
        analysis_views.page_file,
        name="analysis-file",
    ),
]

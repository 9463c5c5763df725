from django.apps import AppConfig


class ExplorerConfig(AppConfig):
    name = "upward.web.explorer"
    label = "explorer"
    verbose_name = "Mobility Metrics explorer"

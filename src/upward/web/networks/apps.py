from django.apps import AppConfig


class NetworksConfig(AppConfig):
    name = "upward.web.networks"
    label = "networks"
    verbose_name = "Learning networks"

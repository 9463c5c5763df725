from django.apps import AppConfig
from django.db.models.signals import post_migrate


class StrategyConfig(AppConfig):
    name = "upward.web.strategy"
    label = "strategy"
    verbose_name = "Strategy"

    def ready(self) -> None:
        from upward.web.strategy.library import sync_starter_library

        # The shared library's starter set follows planning/strategies.yaml after each
        # migrate (so a GET never has to create it).
        post_migrate.connect(sync_starter_library, sender=self, dispatch_uid="starter_library")

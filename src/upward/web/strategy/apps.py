from django.apps import AppConfig


class StrategyConfig(AppConfig):
    name = "upward.web.strategy"
    label = "strategy"
    verbose_name = "Strategy"

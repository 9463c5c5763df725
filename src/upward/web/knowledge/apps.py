from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "upward.web.knowledge"
    label = "knowledge"
    verbose_name = "Local knowledge"

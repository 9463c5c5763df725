from django.apps import AppConfig
from django.db.models.signals import post_save


class KnowledgeConfig(AppConfig):
    name = "upward.web.knowledge"
    label = "knowledge"
    verbose_name = "Local knowledge"

    def ready(self) -> None:
        from upward.web.knowledge.codebook import codebook_for_new_workspace
        from upward.web.workspace.models import Workspace

        # A workspace has its built-in codes from the start, so no page has to add them
        # when it is first read (a GET changes nothing).
        post_save.connect(codebook_for_new_workspace, sender=Workspace, dispatch_uid="codebook")

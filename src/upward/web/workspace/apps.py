from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    name = "upward.web.workspace"
    label = "workspace"
    verbose_name = "Coalition workspaces"

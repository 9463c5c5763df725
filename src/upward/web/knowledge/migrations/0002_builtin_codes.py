"""The built-in codes (24 predictors, six conditions of systems change) for every workspace
that existed before workspaces got them on creation."""

from typing import Any

from django.db import migrations


def add_builtin_codes(apps: Any, schema_editor: Any) -> None:
    from upward.web.knowledge.codebook import builtin_codes

    Workspace = apps.get_model("workspace", "Workspace")
    Code = apps.get_model("knowledge", "Code")
    wanted = builtin_codes()
    for workspace in Workspace.objects.all():
        have = set(
            Code.objects.filter(workspace=workspace)
            .exclude(kind="custom")
            .values_list("kind", "ref")
        )
        Code.objects.bulk_create(
            [
                Code(workspace=workspace, kind=kind, ref=ref, name=name)
                for kind, ref, name in wanted
                if (kind, ref) not in have
            ]
        )


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0001_initial"),
        ("workspace", "0005_stakeholder_communities"),
    ]

    operations = [migrations.RunPython(add_builtin_codes, migrations.RunPython.noop)]

"""Unique names by one rule (upward.planning.name.name_key) on SQLite and PostgreSQL.

The old constraints compared Lower(name), which each database folds its own way, while
the forms compared name__iexact (UPPER on PostgreSQL, ASCII-only LIKE on SQLite). Now the
key is stored and the constraint compares it. Existing rows get their key; if two rows
of one workspace already share a key (possible only for names the old rules told apart,
such as "Straße" and "STRASSE"), the later one keeps its name and gets a key marked with
its id, so the migration never fails and no record is lost.
"""

from django.db import migrations, models

from upward.planning.name import name_key

MODELS = (("stakeholder", "stakeholder"), ("workgroup", "workgroup"), ("peerset", "peer_set"))


def fill_keys(apps, schema_editor):  # type: ignore[no-untyped-def]
    for model_name, _ in MODELS:
        model = apps.get_model("workspace", model_name)
        taken: set[tuple[int, str]] = set()
        for row in model.objects.order_by("pk").only("pk", "workspace_id", "name"):
            key = name_key(row.name)
            if (row.workspace_id, key) in taken:
                key = f"{key} #{row.pk}"
            taken.add((row.workspace_id, key))
            model.objects.filter(pk=row.pk).update(name_key=key)


def constraint(prefix: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["workspace", "name_key"], name=f"{prefix}_name_unique_in_workspace"
    )


class Migration(migrations.Migration):
    dependencies = [("workspace", "0001_initial")]

    operations = [
        *(
            migrations.AddField(
                model_name=model_name,
                name="name_key",
                field=models.CharField(default="", editable=False, max_length=600),
                preserve_default=False,
            )
            for model_name, _ in MODELS
        ),
        migrations.RunPython(fill_keys, migrations.RunPython.noop),
        *(
            migrations.RemoveConstraint(model_name=model_name, name=f"{prefix}_name_unique")
            for model_name, prefix in MODELS
        ),
        *(
            migrations.AddConstraint(model_name=model_name, constraint=constraint(prefix))
            for model_name, prefix in MODELS
        ),
    ]

# Actions, sustainability and learning (issue 14, parts 5 and 6).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("measurement", "0002_measures"),
        ("strategy", "0001_initial"),
        ("workspace", "0005_stakeholder_communities"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="LearningPlan",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "cadence",
                    models.CharField(
                        choices=[
                            ("weekly", "Weekly"),
                            ("biweekly", "Every two weeks"),
                            ("monthly", "Monthly"),
                            ("quarterly", "Quarterly"),
                            ("as_needed", "As needed"),
                        ],
                        default="quarterly",
                        max_length=12,
                    ),
                ),
                ("questions", models.JSONField(blank=True, default=list, help_text="[text]")),
                ("revisit_on", models.DateField(blank=True, null=True)),
                ("revisit_trigger", models.TextField(blank=True, max_length=2000)),
                ("notes", models.TextField(blank=True, max_length=4000)),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "workspace",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="learning_plan",
                        to="workspace.workspace",
                    ),
                ),
            ],
            options={
                "verbose_name": "learning plan",
            },
        ),
        migrations.CreateModel(
            name="Sustainability",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("resources", models.TextField(blank=True, max_length=4000)),
                ("notes", models.TextField(blank=True, max_length=4000)),
                (
                    "responsible",
                    models.ManyToManyField(
                        blank=True, related_name="+", to="workspace.stakeholder"
                    ),
                ),
                (
                    "strategy",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sustainability",
                        to="strategy.strategy",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sustainability_plans",
                        to="workspace.workspace",
                    ),
                ),
            ],
            options={
                "verbose_name": "sustainability plan",
                "ordering": ["strategy__name_key"],
            },
        ),
        migrations.CreateModel(
            name="Action",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("title", models.CharField(max_length=200)),
                (
                    "kind",
                    models.CharField(
                        choices=[("action", "Action"), ("milestone", "Milestone")],
                        default="action",
                        max_length=10,
                    ),
                ),
                ("start_date", models.DateField(blank=True, null=True)),
                ("due_date", models.DateField(blank=True, null=True)),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("not_started", "Not started"),
                            ("in_progress", "In progress"),
                            ("blocked", "Blocked"),
                            ("done", "Done"),
                            ("dropped", "Dropped"),
                        ],
                        default="not_started",
                        max_length=12,
                    ),
                ),
                ("percent", models.PositiveSmallIntegerField(default=0)),
                ("notes", models.TextField(blank=True, max_length=4000)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "owner_member",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "owner_stakeholder",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="actions",
                        to="workspace.stakeholder",
                    ),
                ),
                (
                    "strategy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="actions",
                        to="strategy.strategy",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="actions",
                        to="workspace.workspace",
                    ),
                ),
            ],
            options={
                "ordering": ["due_date", "id"],
                "indexes": [models.Index(fields=["workspace", "status"], name="action_by_status")],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("owner_member__isnull", True),
                            ("owner_stakeholder__isnull", True),
                            _connector="OR",
                        ),
                        name="action_one_owner",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("percent__lte", 100)), name="action_percent_0_100"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            ("start_date__isnull", True),
                            ("due_date__isnull", True),
                            ("due_date__gte", models.F("start_date")),
                            _connector="OR",
                        ),
                        name="action_due_after_start",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="FundingSource",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField(default=1, editable=False)),
                ("updated_at", models.DateTimeField(auto_now=True)),
                ("name", models.CharField(max_length=200)),
                (
                    "amount",
                    models.DecimalField(blank=True, decimal_places=2, max_digits=14, null=True),
                ),
                (
                    "status",
                    models.CharField(
                        choices=[
                            ("secured", "Secured"),
                            ("pending", "Pending"),
                            ("prospect", "Prospect"),
                        ],
                        default="prospect",
                        max_length=10,
                    ),
                ),
                ("notes", models.TextField(blank=True, max_length=2000)),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "strategy",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="funding",
                        to="strategy.strategy",
                    ),
                ),
                (
                    "updated_by",
                    models.ForeignKey(
                        blank=True,
                        editable=False,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="funding_sources",
                        to="workspace.workspace",
                    ),
                ),
            ],
            options={
                "ordering": ["strategy", "name", "id"],
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(
                            ("amount__isnull", True), ("amount__gte", 0), _connector="OR"
                        ),
                        name="funding_amount_positive",
                    )
                ],
            },
        ),
        migrations.CreateModel(
            name="SentReminder",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("subject", models.CharField(help_text="action or measure", max_length=10)),
                ("object_id", models.PositiveIntegerField()),
                ("email", models.EmailField(max_length=254)),
                ("sent_on", models.DateField()),
                ("sent_at", models.DateTimeField(auto_now_add=True)),
                (
                    "workspace",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="workspace.workspace",
                    ),
                ),
            ],
            options={
                "ordering": ["-sent_at"],
                "constraints": [
                    models.UniqueConstraint(
                        fields=("subject", "object_id", "email", "sent_on"),
                        name="reminder_once_a_day",
                    )
                ],
            },
        ),
    ]

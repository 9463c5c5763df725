"""Operators' admin: every workspace model is registered and its pages open."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.apps import apps
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.test import Client

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def test_every_model_is_registered() -> None:
    for model in apps.get_app_config("workspace").get_models():
        if model.__name__ == "StepAnswer":
            continue  # edited inline on its condition answer
        assert admin.site.is_registered(model), model.__name__


def test_admin_lists_and_change_pages_open(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    operator = get_user_model().objects.create_superuser("operator", "op@example.org", "x-Op-2025!")
    client.force_login(operator)
    for model in apps.get_app_config("workspace").get_models():
        if not admin.site.is_registered(model):
            continue
        name = model._meta.model_name
        assert client.get(f"/admin/workspace/{name}/").status_code == 200, name
        first = model._default_manager.first()
        if first is not None:
            assert client.get(f"/admin/workspace/{name}/{first.pk}/change/").status_code == 200, (
                name
            )
    assert client.get("/admin/workspace/activity/?q=olivia").status_code == 200


def test_a_name_taken_in_the_admin_is_a_field_error(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    """Operators get the name rule's message too (the database would refuse it: a 500)."""
    operator = get_user_model().objects.create_superuser("operator", "op@example.org", "x-Op-2025!")
    client.force_login(operator)
    workspace = workspace_world.workspace.pk
    cases = [
        ("stakeholder", {"name": "SAINT PAUL PUBLIC SCHOOLS", "sector": "other"}),
        ("workgroup", {"name": "education", "cadence": "monthly"}),
        ("peerset", {"name": "TWIN COUNTIES", "geoids": '["27053"]'}),
    ]
    for model, data in cases:
        defaults = {
            "workspace": workspace,
            "kind": "organization",
            "relationship": "none",
            "influence": "medium",
            "role": "to_invite",
            "invitation_status": "not_invited",
            "pillars": "[]",
            "predictors": "[]",
            "advisory_cadence": "monthly",
        }
        response = client.post(f"/admin/workspace/{model}/add/", {**defaults, **data})
        assert response.status_code == 200, (model, response.status_code)
        errors = response.context["adminform"].form.errors
        assert "already has this name" in str(errors.get("name")), (model, errors)

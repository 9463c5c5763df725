"""Migration 0002 gives existing rows their name key and never fails on old near-twins."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from upward.planning.name import name_key

pytestmark = [pytest.mark.db, pytest.mark.django_db(transaction=True)]

BEFORE = [("workspace", "0001_initial")]
AFTER = [("workspace", "0002_name_key")]


def migrate(target: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(target)
    return executor.loader.project_state(target).apps


def test_existing_names_get_their_key_and_nothing_is_lost() -> None:
    old = migrate(BEFORE)
    try:
        workspace = old.get_model("workspace", "Workspace").objects.create(
            name="Ramsey", slug="ramsey", geoids=["27123"]
        )
        stakeholder = old.get_model("workspace", "Stakeholder")
        # distinct under the old Lower() rule, the same name under the new one
        for name in ("Straße Partners", "STRASSE PARTNERS", "Saint  Paul Schools"):
            stakeholder.objects.create(workspace=workspace, name=name, sector="other")
        old.get_model("workspace", "PeerSet").objects.create(
            workspace=workspace, name="Lake Counties", geoids=["27053"]
        )
        new = migrate(AFTER)
        rows = list(new.get_model("workspace", "Stakeholder").objects.order_by("pk"))
        assert [r.name for r in rows] == [
            "Straße Partners",
            "STRASSE PARTNERS",
            "Saint  Paul Schools",
        ]
        assert rows[0].name_key == name_key("Straße Partners") == "strasse partners"
        assert rows[1].name_key == f"strasse partners #{rows[1].pk}"  # kept, marked
        assert rows[2].name_key == "saint paul schools"
        peer_set = new.get_model("workspace", "PeerSet").objects.get()
        assert peer_set.name_key == "lake counties"
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())


def test_peer_sets_made_before_0004_keep_their_places_and_open_by_hand() -> None:
    old = migrate([("workspace", "0003_formsubmission")])
    try:
        workspace = old.get_model("workspace", "Workspace").objects.create(
            name="Ramsey", slug="ramsey", geoids=["27123"]
        )
        old.get_model("workspace", "PeerSet").objects.create(
            workspace=workspace, name="Lake Counties", name_key="lake counties", geoids=["27053"]
        )
        new = migrate([("workspace", "0004_guide_notes_and_peer_set_place")])
        peer_set = new.get_model("workspace", "PeerSet").objects.get()
        assert (peer_set.geoids, peer_set.place, peer_set.choice) == (["27053"], "", {})
        note = new.get_model("workspace", "GuideNote").objects.create(
            workspace_id=workspace.pk, geoid="27123", question_id="peers", text="Ask Dakota."
        )
        assert note.version == 1
    finally:
        migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

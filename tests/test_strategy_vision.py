"""The community vision (drafts, versions, the comparison of two versions, comments, a
review round, adoption by the owner, changed since adoption) and the theories of change
(add, edit, delete, priority links, comments), with bad input and roles."""

from __future__ import annotations

import json
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from upward.planning.text_diff import compare_texts
from upward.web.api.params import NOT_BLANK_PATTERN
from upward.web.strategy.models import Approval, Comment, Priority, Review, TheoryOfChange
from upward.web.strategy.models import VisionVersion as Version
from upward.web.workspace.models import Activity

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

FIRST = "Every family in Ramsey County thrives."


def rows() -> dict[str, list[dict[str, Any]]]:
    """Every strategy row and the activity log (to prove nothing was saved)."""
    models = [*apps.get_app_config("strategy").get_models(), Activity]
    return {m.__name__: list(m._default_manager.order_by("pk").values()) for m in models}


def url(name: str, *args: Any) -> str:
    return reverse(f"workspace:{name}", args=["ramsey", *args])


def as_user(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def draft(client: Client, text: str, based_on: int, note: str = "") -> Any:
    return client.post(url("vision_draft"), {"text": text, "based_on": based_on, "note": note})


# --- the comparison (pure) -------------------------------------------------------------


def test_compare_texts_marks_words_added_and_removed() -> None:
    diff = compare_texts("Every family thrives.", "Every family and child thrives here.")
    assert [(s.kind, s.text) for s in diff.segments] == [
        ("same", "Every family "),
        ("added", "and child "),
        ("same", "thrives"),
        ("added", " here"),
        ("same", "."),
    ]
    assert (diff.added, diff.removed) == (3, 0)
    assert diff.text_of("old") == "Every family thrives."
    assert diff.text_of("new") == "Every family and child thrives here."


def test_compare_texts_replacement_and_identity() -> None:
    diff = compare_texts("We grow wealth.\nTogether.", "We share wealth.\nTogether.")
    assert [(s.kind, s.text) for s in diff.segments] == [
        ("same", "We "),
        ("removed", "grow"),
        ("added", "share"),
        ("same", " wealth.\nTogether."),
    ]
    assert (diff.added, diff.removed) == (1, 1)
    two = compare_texts(
        "Every family in Ramsey County thrives.", "Every family in Saint Paul thrives."
    )
    assert [s.kind for s in two.segments] == ["same", "removed", "added", "same"]
    assert (two.segments[1].text, two.segments[2].text) == ("Ramsey County", "Saint Paul")
    same = compare_texts(FIRST, FIRST)
    assert same.identical and same.text_of("new") == FIRST
    assert compare_texts("", "New words").added == 2


# --- drafts and versions --------------------------------------------------------------


def test_drafts_are_new_numbered_versions(workspace_world: SimpleNamespace, client: Client) -> None:
    editor = as_user(client, workspace_world.editor)
    page = editor.get(url("vision_draft"))
    assert page.status_code == 200
    assert page.context["form"].initial == {"text": FIRST, "based_on": 1}
    response = draft(editor, "Every family and child in Ramsey County thrives.", 1, "Children")
    assert response.status_code == 302 and response["Location"] == url("vision")
    newest = Version.objects.get(workspace=workspace_world.workspace, number=2)
    assert (newest.author, newest.note) == (workspace_world.editor, "Children")
    assert Version.objects.get(pk=workspace_world.vision_version.pk).text == FIRST  # kept
    assert Activity.objects.filter(verb="saved", target="the vision (version 2)").exists()
    body = editor.get(url("vision")).content.decode()
    assert "Current draft: version 2" in body and "Version history" in body
    assert "Children" in body and "Not adopted yet" in body


def test_a_stale_draft_is_409_with_both_texts(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    editor = as_user(client, workspace_world.editor)
    assert draft(editor, "Version two text.", 1).status_code == 302
    before = rows()
    response = draft(editor, "My own words, typed from version one.", 1)
    assert response.status_code == 409
    assert rows() == before
    body = response.content.decode()
    assert "My own words, typed from version one." in body  # nothing lost
    assert "Version two text." in body and "Your text was not saved" in body
    assert response.context["form"].initial["based_on"] == 2
    assert "Save as version 3" in body


def test_bad_drafts_save_nothing(workspace_world: SimpleNamespace, client: Client) -> None:
    editor = as_user(client, workspace_world.editor)
    before = rows()
    cases = [
        ({"text": "   \n ", "based_on": 1}, "Write the vision statement first."),
        ({"text": "x" * 10_001, "based_on": 1}, "Keep it to 10,000 characters"),
        ({"text": FIRST, "based_on": 1}, "This is the text of the current version already"),
        ({"text": "New", "based_on": "two"}, "did not say which version it started from"),
        ({"text": "New", "based_on": 1, "note": "n" * 301}, "Keep it to 300 characters."),
    ]
    for data, message in cases:
        response = editor.post(url("vision_draft"), data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), data
    assert rows() == before


def test_the_first_draft_of_an_empty_vision(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    Version.objects.filter(workspace=workspace_world.workspace).delete()
    owner = as_user(client, workspace_world.owner)
    assert "No one has drafted the vision yet" in owner.get(url("vision")).content.decode()
    assert owner.get(url("vision_draft")).context["form"].initial["based_on"] == 0
    assert draft(owner, "A first vision.", 0).status_code == 302
    assert Version.objects.get(workspace=workspace_world.workspace).number == 1


def test_compare_any_two_versions(workspace_world: SimpleNamespace, client: Client) -> None:
    editor = as_user(client, workspace_world.editor)
    draft(editor, "Every family in Saint Paul thrives.", 1)
    draft(editor, "Every family in Saint Paul thrives together.", 2)
    response = editor.get(url("vision_compare"), {"old": 1, "new": 3})
    assert response.status_code == 200
    body = response.content.decode()
    assert '<del><span class="usa-sr-only">[removed: </span>Ramsey County' in body
    assert "[added: </span>Saint Paul" in body and "[added: </span> together<" in body
    assert "3 words added" in body and "2 words removed" in body
    default = editor.get(url("vision_compare"))
    assert (default.context["old"].number, default.context["new"].number) == (2, 3)
    for query in ({"old": 9, "new": 1}, {"old": "x", "new": 1}, {"old": 1}):
        refused = editor.get(url("vision_compare"), query)
        assert refused.status_code == 400, query
        assert refused.context["diff"] is None
    assert (
        "There is no version 9"
        in editor.get(url("vision_compare"), {"old": 9, "new": 1}).content.decode()
    )


# --- comments and the review round ------------------------------------------------------


def test_comments_on_a_version_and_resolving(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    world = workspace_world
    editor = as_user(client, world.editor)
    response = editor.post(
        url("vision_comment", 1), {"text": "Name the neighborhoods.", "next": url("vision")}
    )
    assert response.status_code == 302 and response["Location"] == url("vision") + "#comments-v1"
    comment = Comment.objects.get(text="Name the neighborhoods.")
    assert (comment.subject, comment.object_id) == ("vision", world.vision_version.pk)
    body = editor.get(url("vision")).content.decode()
    assert "Name the neighborhoods." in body and "2 open, 0 resolved" in body
    resolve = editor.post(url("comment_resolve", comment.pk), {"next": "https://evil.example/"})
    assert resolve["Location"] == url("vision")  # only a page of this workspace's strategy
    comment.refresh_from_db()
    assert comment.resolved_by == world.editor and comment.resolved_at is not None
    assert Comment.objects.filter(pk=comment.pk).exists()  # kept
    again = editor.post(url("comment_resolve", comment.pk))
    assert again.status_code == 302
    version_page = editor.get(url("vision_version", 1)).content.decode()
    assert "1 open, 1 resolved" in version_page and "Resolved</strong> by" in version_page


def test_bad_comments_save_nothing(rival_world: SimpleNamespace, client: Client) -> None:
    world = rival_world
    other = Version.objects.create(workspace=world.other_workspace, number=1, text="Theirs.")
    theirs = Comment.objects.create(
        workspace=world.other_workspace, subject="vision", object_id=other.pk, text="Theirs."
    )
    editor = as_user(client, world.editor)
    before = rows()
    empty = editor.post(url("vision_comment", 1), {"text": "  "}, follow=True)
    assert "Not saved: Write a comment first." in empty.content.decode()
    long = editor.post(url("vision_comment", 1), {"text": "y" * 4001}, follow=True)
    assert "Keep it to 4,000 characters" in long.content.decode()
    assert editor.post(url("vision_comment", 7), {"text": "On nothing"}).status_code == 404
    assert editor.post(url("comment_resolve", theirs.pk)).status_code == 404
    assert rows() == before


def test_a_review_round(workspace_world: SimpleNamespace, client: Client) -> None:
    editor = as_user(client, workspace_world.editor)
    response = editor.post(url("vision_review"), {"note": "Read it by Friday."})
    assert response.status_code == 302
    review = Review.objects.get(workspace=workspace_world.workspace, subject="vision")
    assert review.closed_at is None and review.note == "Read it by Friday."
    body = editor.get(url("vision")).content.decode()
    assert "Out for review" in body and "Read it by Friday." in body
    before = rows()
    assert editor.post(url("vision_review"), {"note": "z" * 2001}).status_code == 302
    assert rows() == before


# --- adoption -----------------------------------------------------------------------------


def test_only_the_owner_adopts(workspace_world: SimpleNamespace, client: Client) -> None:
    world = workspace_world
    before = rows()
    for user in (world.editor, world.viewer):
        assert as_user(client, user).post(url("vision_adopt", 1)).status_code == 403
    assert rows() == before
    owner = as_user(client, world.owner)
    owner.post(url("vision_review"))
    response = owner.post(url("vision_adopt", 1), {"note": "Agreed at the March meeting"})
    assert response.status_code == 302
    approval = Approval.objects.get(workspace=world.workspace, subject="vision")
    assert (approval.vision_version, approval.approved_by) == (world.vision_version, world.owner)
    assert approval.snapshot == {"number": 1, "text": FIRST}
    assert Review.objects.get(workspace=world.workspace).closed_at is not None
    body = owner.get(url("vision")).content.decode()
    assert "Adopted: version 1" in body and f"approved by {world.owner.username}" in body
    assert "The current draft is the adopted version." in body
    assert "Agreed at the March meeting" in body
    # adopting it again records nothing new
    before = rows()
    assert owner.post(url("vision_adopt", 1)).status_code == 302
    assert rows() == before


def test_changed_since_adoption(workspace_world: SimpleNamespace, client: Client) -> None:
    owner = as_user(client, workspace_world.owner)
    owner.post(url("vision_adopt", 1))
    draft(owner, "Every family in Ramsey County thrives, together.", 1)
    body = owner.get(url("vision")).content.decode()
    assert "Changed since adoption:" in body
    assert "the current draft, version 2, differs from the adopted version 1" in body
    assert "?old=1&amp;new=2" in body
    page = owner.get(url("vision_version", 2)).content.decode()
    assert "Current draft" in page and "the adopted version is" in page
    owner.post(url("vision_adopt", 2))
    assert "Changed since adoption" not in owner.get(url("vision")).content.decode()
    assert Approval.objects.filter(subject="vision").count() == 2  # the record is kept


def test_adopting_a_version_that_does_not_exist(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    owner = as_user(client, workspace_world.owner)
    before = rows()
    response = owner.post(url("vision_adopt", 5))
    assert response.status_code == 404
    assert "The vision has no version 5" in response.content.decode()
    assert owner.get(url("vision_version", 5)).status_code == 404
    assert rows() == before


# --- roles and GET -------------------------------------------------------------------------


def test_viewers_comment_but_do_not_change(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    viewer = as_user(client, workspace_world.viewer)
    body = viewer.get(url("vision")).content.decode()
    assert "Say who." in body  # they read the comments
    assert "Add comment" in body  # and add their own (tests/test_workspace_access.py)
    assert "Write a new draft" not in body and "Mark resolved" not in body
    assert "Adopt version" not in body
    theory_page = viewer.get(url("theories")).content.decode()
    assert "train with employers" in theory_page and "Add a statement" not in theory_page
    before = rows()
    posts = [
        (url("vision_draft"), {"text": "Viewer words", "based_on": 1}),
        (url("vision_review"), {}),
        (url("vision_adopt", 1), {}),
        (url("comment_resolve", workspace_world.comment.pk), {}),  # another member's
    ]
    for address, data in posts:
        assert viewer.post(address, data).status_code == 403, address
    assert rows() == before


def test_get_changes_nothing(workspace_world: SimpleNamespace, client: Client) -> None:
    owner = as_user(client, workspace_world.owner)
    before = rows()
    for address in (
        url("vision"), url("vision_draft"), url("vision_compare"), url("vision_review"),
        url("vision_version", 1), url("vision_comment", 1), url("vision_adopt", 1),
        url("comment_resolve", workspace_world.comment.pk), url("theories"),
        url("theory_create"), url("theory_edit", workspace_world.theory.pk),
        url("theory_delete", workspace_world.theory.pk),
        url("theory_comment", workspace_world.theory.pk), url("strategy"),
    ):  # fmt: skip
        assert owner.get(address).status_code in (200, 302), address
    assert rows() == before
    hub = owner.get(url("strategy")).content.decode()
    assert "Community vision" in hub and "Theory of change" in hub


# --- theories of change ------------------------------------------------------------------

THEORY = {
    "if_we": "pay for child care during job training",
    "then": "more parents finish training and are hired",
    "because": "care is the most-named barrier in our listening sessions",
    "assumptions": "Providers have open slots\nEmployers hire graduates",
}


def test_theory_crud_and_priority_links(workspace_world: SimpleNamespace, client: Client) -> None:
    world = workspace_world
    editor = as_user(client, world.editor)
    second = Priority.objects.create(
        workspace=world.workspace, geoid="27123", predictor="access_to_preschool",
        metric="preschool", variable="share_in_preschool", title="Preschool, Ramsey County",
    )  # fmt: skip
    data = {**THEORY, "priorities": [world.priority.pk, second.pk]}
    response = editor.post(url("theory_create"), data)
    assert response.status_code == 302 and response["Location"] == url("theories")
    theory = TheoryOfChange.objects.get(if_we=THEORY["if_we"])
    assert set(theory.priorities.all()) == {world.priority, second}
    body = editor.get(url("theories")).content.decode()
    assert "<strong>If we</strong> pay for child care during job training," in body
    assert "<li>Providers have open slots</li>" in body and "Preschool, Ramsey County" in body
    edit = editor.post(
        url("theory_edit", theory.pk), {**data, "priorities": [second.pk], "version": 1}
    )
    assert edit.status_code == 302
    theory.refresh_from_db()
    assert theory.version == 2 and list(theory.priorities.all()) == [second]
    stale = editor.post(url("theory_edit", theory.pk), {**data, "then": "x", "version": 1})
    assert stale.status_code == 409
    comment = editor.post(url("theory_comment", theory.pk), {"text": "Which providers?"})
    assert comment["Location"] == url("theories") + f"#comments-t{theory.pk}"
    assert Comment.objects.get(subject="theory", object_id=theory.pk).text == "Which providers?"
    assert "Which providers?" in editor.get(url("theories")).content.decode()
    gone = editor.post(url("theory_delete", theory.pk), {"version": 2})
    assert gone.status_code == 302 and not TheoryOfChange.objects.filter(pk=theory.pk).exists()


def test_bad_theories_save_nothing(rival_world: SimpleNamespace, client: Client) -> None:
    world = rival_world
    theirs = Priority.objects.create(
        workspace=world.other_workspace, geoid="06037", predictor="opportunities_for_income",
        metric="employment", variable="share_employed", title="Their priority",
    )  # fmt: skip
    editor = as_user(client, world.editor)
    before = rows()
    cases = [
        ({**THEORY, "priorities": [theirs.pk]}, "Priorities it serves: "),
        ({**THEORY, "priorities": ["abc"]}, "is not a priority"),
        ({**THEORY, "if_we": "   "}, "Fill in “If we …”."),
        ({**THEORY, "because": ""}, "Fill in “because …”."),
        ({**THEORY, "then": "t" * 2001}, "“then …”: keep it to 2,000 characters."),
        ({**THEORY, "assumptions": "a" * 4001}, "Assumptions: keep them to 4,000 characters."),
    ]
    for data, message in cases:
        response = editor.post(url("theory_create"), data)
        assert response.status_code == 400, data
        assert message in response.content.decode(), (data, message)
    assert (
        "not one of this workspace"
        in editor.post(url("theory_create"), {**THEORY, "priorities": [theirs.pk]}).content.decode()
    )
    edit = editor.post(
        url("theory_edit", world.theory.pk), {**THEORY, "priorities": [theirs.pk], "version": 1}
    )
    assert edit.status_code == 400
    assert editor.post(url("theory_comment", 999_999), {"text": "x"}).status_code == 404
    assert rows() == before


# --- the JSON API ----------------------------------------------------------------------------

API = "/api/workspaces/ramsey"


def send(client: Client, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, API + path, data, content_type="application/json")


def test_api_vision_versions_and_adoption(workspace_world: SimpleNamespace, client: Client) -> None:
    world = workspace_world
    editor = as_user(client, world.editor)
    listing = send(editor, "GET", "/vision/versions").json()
    assert listing["count"] == 1 and listing["items"][0]["text"] == FIRST
    made = send(editor, "POST", "/vision/versions", {"text": "Second.", "based_on": 1})
    assert made.status_code == 201 and made.json()["number"] == 2
    before = rows()
    stale = send(editor, "POST", "/vision/versions", {"text": "Mine.", "based_on": 1})
    assert stale.status_code == 409 and stale.json()["latest"]["number"] == 2
    for body, field in (
        ({"text": " ", "based_on": 2}, "text"),
        ({"text": "x" * 10_001, "based_on": 2}, "text"),
        ({"text": "Second.", "based_on": 2}, "text"),
        ({"text": "New", "based_on": -1}, "based_on"),
        ({"text": "New", "based_on": 2, "colour": "red"}, "colour"),
    ):
        refused = send(editor, "POST", "/vision/versions", body)
        assert refused.status_code == 400, body
        assert field in refused.json()["error"]["fields"], body
    assert send(editor, "POST", "/vision/versions/2/adopt", {}).status_code == 403
    owner = as_user(client, world.owner)
    assert send(owner, "POST", "/vision/versions/9/adopt", {}).status_code == 404
    assert rows() == before
    adopted = send(owner, "POST", "/vision/versions/1/adopt", {"note": "Agreed"})
    assert adopted.status_code == 200 and adopted.json()["number"] == 1
    assert send(owner, "POST", "/vision/versions/1/adopt", {}).status_code == 409
    state = send(owner, "GET", "/vision").json()
    assert state["adopted"]["approved_by"] == world.owner.username
    assert state["current"]["number"] == 2 and state["changed_since_adoption"] is True
    assert send(owner, "GET", "/vision/versions/2").json()["text"] == "Second."


def test_api_comments_and_theories(rival_world: SimpleNamespace, client: Client) -> None:
    world = rival_world
    theirs = Comment.objects.create(workspace=world.other_workspace, subject="vision", text="x")
    editor = as_user(client, world.editor)
    added = send(editor, "POST", "/vision/versions/1/comments", {"text": "Who is 'every'?"})
    assert added.status_code == 201 and added.json()["object_id"] == world.vision_version.pk
    assert len(send(editor, "GET", "/vision/versions/1/comments").json()) == 2
    resolved = send(editor, "POST", f"/comments/{added.json()['id']}/resolve")
    assert resolved.status_code == 200 and resolved.json()["resolved_by"] == world.editor.username
    assert send(editor, "POST", f"/comments/{theirs.pk}/resolve").status_code == 404
    assert send(editor, "POST", "/vision/versions/1/comments", {"text": ""}).status_code == 400
    other = Priority.objects.create(
        workspace=world.other_workspace, geoid="06037", predictor="opportunities_for_income",
        metric="employment", variable="share_employed", title="Theirs",
    )  # fmt: skip
    body = {"if_we": "a", "then": "b", "because": "c", "priorities": [other.pk]}
    refused = send(editor, "POST", "/theories", body)
    assert refused.status_code == 422  # fits the document; the workspace's data refuses it
    assert "this workspace's priorities" in refused.json()["error"]["fields"]["priorities"][0]
    made = send(editor, "POST", "/theories", {**body, "priorities": [world.priority.pk]})
    assert made.status_code == 201 and made.json()["priorities"] == [world.priority.pk]
    theory_id = made.json()["id"]
    put = send(editor, "PUT", f"/theories/{theory_id}", {**body, "priorities": [], "version": 1})
    assert put.status_code == 200 and put.json()["version"] == 2
    # the document says what the form refuses: a blank "because", an id no record can have
    put_doc = client.get("/api/openapi.json").json()["paths"][
        "/api/workspaces/{slug}/theories/{theory_id}"
    ]["put"]
    schema = put_doc["requestBody"]["content"]["application/json"]["schema"]
    assert schema["properties"]["because"]["pattern"] == NOT_BLANK_PATTERN
    blank = send(editor, "PUT", f"/theories/{theory_id}", {**body, "because": " ", "version": 2})
    assert blank.status_code == 422 and "because" in blank.json()["error"]["fields"]
    huge = {**body, "priorities": [2**64], "version": 2}
    assert send(editor, "PUT", f"/theories/{theory_id}", huge).status_code == 400
    stale = send(editor, "PUT", f"/theories/{theory_id}", {**body, "priorities": [], "version": 1})
    assert stale.status_code == 409 and stale.json()["current"]["version"] == 2
    comment = send(editor, "POST", f"/theories/{theory_id}/comments", {"text": "Why c?"})
    assert comment.status_code == 201
    assert send(editor, "GET", f"/theories/{theory_id}/comments").json()[0]["text"] == "Why c?"
    assert send(editor, "DELETE", f"/theories/{theory_id}?version=2").status_code == 204


def test_api_adoption_without_a_body(workspace_world: SimpleNamespace, client: Client) -> None:
    owner = as_user(client, workspace_world.owner)
    adopted = send(owner, "POST", "/vision/versions/1/adopt")
    assert adopted.status_code == 200 and adopted.json()["note"] == ""

"""The logic model's store and pages: the snapshot and outline, adding and changing
elements and links (refused links name both elements, nothing saved), optimistic
concurrency, the consistency checks page, review comments, approval and "changed since
approval" (element by element), roles, and GET changing nothing.

The fixture world's model (priority "Employment, Ramsey County"): the strategy "Sector
partnerships" leads to the short-term outcome "Employers hire locally" (practices), which
leads to the result "Share employed"."""

from __future__ import annotations

import json
import re
from html import unescape
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from upward.planning.logic_model import fingerprint
from upward.web.strategy import model_store
from upward.web.strategy.models import (
    Approval,
    Comment,
    Element,
    Link,
    Priority,
    Review,
    Strategy,
)
from upward.web.workspace.models import Activity, Stakeholder, Workspace

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def url(name: str, *args: Any) -> str:
    return reverse(f"workspace:{name}", args=["ramsey", *args])


INLINE = re.compile(r"</?(?:a|span|strong|em)\b[^>]*>")
TAG = re.compile(r"<[^>]+>")


def text(response: Any) -> str:
    """The page's words: inline tags dropped, others read as a space."""
    html = INLINE.sub("", response.content.decode())
    return " ".join(unescape(TAG.sub(" ", html)).split())


def rows() -> dict[str, list[dict[str, Any]]]:
    """Every row of the strategy app, to prove a refusal or a GET saved nothing."""
    return {
        m.__name__: list(m._default_manager.order_by("pk").values())
        for m in apps.get_app_config("strategy").get_models()
    }


@pytest.fixture
def world(workspace_world: SimpleNamespace) -> SimpleNamespace:
    return workspace_world


@pytest.fixture
def editor(world: SimpleNamespace, client: Client) -> Client:
    client.force_login(world.editor)
    return client


@pytest.fixture
def owner(world: SimpleNamespace, client: Client) -> Client:
    client.force_login(world.owner)
    return client


def second_priority(world: SimpleNamespace) -> Priority:
    return Priority.objects.create(
        workspace=world.workspace, geoid="27123", predictor="access_to_preventive_care",
        metric="low_birth_weight", variable="rate_low_birth_weight", title="Healthy births",
        breakdown="race-ethnicity", subgroup="Black", versus="White", rank=2,
    )  # fmt: skip


def add_element(client: Client, priority: Priority, **fields: Any) -> Any:
    return client.post(url("model_element_create", priority.pk), fields)


def add_link(client: Client, priority: Priority, source: Element, target: Element) -> Any:
    data = {"source": source.pk, "target": target.pk, "rationale": "r", "assumption": "a"}
    return client.post(url("model_link_create", priority.pk), data)


# --- the store ---------------------------------------------------------------------------


def test_snapshot_holds_content_not_versions(world: SimpleNamespace) -> None:
    snap = model_store.model_snapshot(world.workspace)
    outcome = snap["elements"][str(world.outcome.pk)]
    assert outcome == {
        "kind": "short", "title": "Employers hire locally", "description": "",
        "condition": "practices", "strategy": None, "priority": world.priority.pk,
    }  # fmt: skip
    assert snap["elements"][str(world.element.pk)]["strategy"] == world.strategy.pk
    assert snap["links"] == sorted(snap["links"], key=lambda x: (x["source"], x["target"]))
    assert {"source": world.element.pk, "target": world.outcome.pk, "rationale": "",
            "assumption": ""} in snap["links"]  # fmt: skip
    before = fingerprint(snap)
    Element.objects.filter(pk=world.outcome.pk).update(version=5)  # a save with no change
    assert fingerprint(model_store.model_snapshot(world.workspace)) == before


def test_model_nodes_reads_leads_and_edges(world: SimpleNamespace) -> None:
    priorities, nodes, edges = model_store.model_nodes(world.workspace)
    assert [p.title for p in priorities] == ["Employment, Ramsey County"]
    by_id = {n.id: n for n in nodes}
    assert by_id[world.element.pk].has_lead is True
    assert by_id[world.outcome.pk].has_lead is None and by_id[world.outcome.pk].measured is None
    assert len(edges) == 2


def test_ensure_result_makes_one_result_titled_by_metric(world: SimpleNamespace) -> None:
    priority = second_priority(world)
    result = model_store.ensure_result(priority, world.editor)
    assert result.kind == "result"
    assert result.title.startswith("Share of babies born at a low birth weight")
    assert "gap between Black and White" in result.title
    assert model_store.ensure_result(priority, world.editor).pk == result.pk
    assert Element.objects.filter(priority=priority, kind="result").count() == 1
    assert Activity.objects.filter(target__contains=result.title).count() == 1


def test_outline_is_a_tree_of_columns_elements_links(world: SimpleNamespace) -> None:
    model = model_store.model_of(world.workspace, world.priority)
    columns = model_store.column_groups(model.outline())
    assert [c.label for c in columns] == [
        "Inputs and resources", "Strategies and activities", "Outputs", "Outcomes",
        "Population-level result",
    ]  # fmt: skip
    strategies = columns[1].entries
    assert [e.element.title for e in strategies] == ["Sector partnerships"]
    assert strategies[0].element.strategy.has_lead
    (link,) = strategies[0].leads_to
    assert (link.target_id, link.target) == (world.outcome.pk, "Employers hire locally")
    outcome = columns[3].entries[0].element
    assert outcome.condition_label == "Practices"
    assert model_store.model_result_title(model, world.priority) == "Share employed"
    priority = second_priority(world)
    empty = model_store.model_of(world.workspace, priority)
    assert not empty.elements
    assert "low birth weight" in model_store.model_result_title(empty, priority)


def test_one_reader_gives_the_checks_and_snapshot_of_a_priority(world: SimpleNamespace) -> None:
    """A priority's findings checked on its own are the workspace's findings that name it."""
    other = second_priority(world)
    Element.objects.create(
        workspace=world.workspace, priority=other, kind="strategy", title="Doula program"
    )
    everything = model_store.model_checks(world.workspace)
    for priority in (world.priority, other):
        alone = model_store.checks_of([model_store.model_of(world.workspace, priority)])
        assert [f for f in alone if f.to_fix] == [
            f for f in everything if f.to_fix and f.priority == priority.pk
        ]
    assert any(f.check == "strategy_without_outcome" for f in everything)
    snapshot = model_store.model_snapshot(world.workspace)
    assert set(snapshot["elements"]) == {
        str(pk)
        for pk in Element.objects.filter(workspace=world.workspace).values_list("pk", flat=True)
    }
    assert len(snapshot["links"]) == Link.objects.filter(workspace=world.workspace).count()


# --- adding and changing elements ----------------------------------------------------------


def test_first_element_brings_the_result(world: SimpleNamespace, editor: Client) -> None:
    priority = second_priority(world)
    page = editor.get(url("priority_model", priority.pk))
    assert page.status_code == 200
    assert not Element.objects.filter(priority=priority).exists()  # GET made nothing
    response = add_element(editor, priority, kind="input", title="Clinic partners' staff time")
    assert response.status_code == 302
    kinds = sorted(Element.objects.filter(priority=priority).values_list("kind", flat=True))
    assert kinds == ["input", "result"]
    assert Activity.objects.filter(verb="added", target__contains="Clinic partners").exists()


def test_strategy_element_takes_its_name_from_the_library(
    world: SimpleNamespace, editor: Client
) -> None:
    response = add_element(editor, world.priority, kind="strategy", strategy=world.strategy.pk)
    assert response.status_code == 302
    added = Element.objects.filter(priority=world.priority, kind="strategy").last()
    assert added.title == "Sector partnerships" and added.strategy == world.strategy


def test_unknown_condition_is_refused_naming_the_element(
    world: SimpleNamespace, editor: Client
) -> None:
    before = rows()
    response = add_element(editor, world.priority, kind="medium", title="Wages rise",
                           condition="vibes")  # fmt: skip
    assert response.status_code == 400
    assert "“Wages rise”: “vibes” is not a condition of systems change" in text(response)
    response = add_element(editor, world.priority, kind="long", title="Families thrive")
    assert "“Families thrive” is an outcome: choose the condition" in text(response)
    response = add_element(editor, world.priority, kind="input", title="Staff",
                           condition="power")  # fmt: skip
    assert "“Staff” is not an outcome" in text(response)
    assert rows() == before


def test_strategy_of_another_workspace_is_refused(
    rival_world: SimpleNamespace, editor: Client
) -> None:
    theirs = Strategy.objects.create(
        workspace=rival_world.other_workspace, name="Their strategy", evidence_level="strong"
    )
    before = rows()
    response = add_element(editor, rival_world.priority, kind="strategy", strategy=theirs.pk)
    assert response.status_code == 400
    assert "Choose a strategy of this workspace's library." in text(response)
    response = add_element(editor, rival_world.priority, kind="strategy", title="No strategy")
    assert "choose one" in text(response)
    assert rows() == before


def test_element_edit_is_versioned(world: SimpleNamespace, editor: Client) -> None:
    address = url("model_element", world.outcome.pk)
    assert "Someone else saved this first" not in text(editor.get(address))
    assert "Someone else saved this first" not in text(editor.get(url("model_link", world.link.pk)))
    data = {"title": "Employers hire locally", "condition": "relationships", "version": 1}
    assert editor.post(address, data).status_code == 302
    world.outcome.refresh_from_db()
    assert (world.outcome.condition, world.outcome.version) == ("relationships", 2)
    stale = editor.post(address, {**data, "title": "Stale title"})
    assert stale.status_code == 409
    assert "Someone else saved this first" in text(stale)
    world.outcome.refresh_from_db()
    assert world.outcome.title == "Employers hire locally"
    refused = editor.post(url("model_element_delete", world.outcome.pk), {"version": 1})
    assert refused.status_code == 302 and Element.objects.filter(pk=world.outcome.pk).exists()
    editor.post(url("model_element_delete", world.outcome.pk), {"version": 2})
    assert not Element.objects.filter(pk=world.outcome.pk).exists()
    assert not Link.objects.filter(target_id=world.outcome.pk).exists()


def test_the_result_is_not_deleted(world: SimpleNamespace, editor: Client) -> None:
    response = editor.post(url("model_element_delete", world.result_element.pk), {"version": 1})
    assert response.status_code == 302
    assert Element.objects.filter(pk=world.result_element.pk).exists()
    page = editor.get(response["Location"])
    assert "is the priority's population-level result" in text(page)


# --- links -------------------------------------------------------------------------------


def test_link_is_added_with_rationale(world: SimpleNamespace, editor: Client) -> None:
    activity = Element.objects.create(
        workspace=world.workspace, priority=world.priority, kind="activity", title="Convene"
    )
    assert add_link(editor, world.priority, world.element, activity).status_code == 302
    link = Link.objects.get(source=world.element, target=activity)
    assert (link.rationale, link.assumption) == ("r", "a")
    page = text(editor.get(url("priority_model", world.priority.pk)))
    assert "Leads to: Employers hire locally" in page and "Assumes: a" in page


@pytest.mark.parametrize(
    ("case", "message"),
    [
        ("cycle", "would make a cycle"),
        ("backward", "cannot lead back to “Sector partnerships”"),
        ("duplicate", "“Sector partnerships” already leads to “Employers hire locally”"),
        ("self", "“Employers hire locally” cannot lead to itself"),
        ("from_result", "“Share employed” is the population-level result"),
    ],
)
def test_refused_links_name_both_elements(
    world: SimpleNamespace, editor: Client, case: str, message: str
) -> None:
    a, b, result = world.element, world.outcome, world.result_element
    if case == "cycle":  # two outcomes in one column: b -> c exists, c -> b would cycle
        c = Element.objects.create(
            workspace=world.workspace, priority=world.priority, kind="short", title="Trust",
            condition="relationships",
        )  # fmt: skip
        Link.objects.create(workspace=world.workspace, source=b, target=c)
        pair = (c, b)
        message = "A link from “Trust” to “Employers hire locally” would make a cycle"
    else:
        pair = {"backward": (b, a), "duplicate": (a, b), "self": (b, b),
                "from_result": (result, b)}[case]  # fmt: skip
    before = rows()
    response = add_link(editor, world.priority, *pair)
    assert response.status_code == 400
    assert message in text(response)
    assert rows() == before


def test_link_across_priorities_is_refused(world: SimpleNamespace, editor: Client) -> None:
    other = second_priority(world)
    births = Element.objects.create(
        workspace=world.workspace, priority=other, kind="short", title="Prenatal visits rise",
        condition="practices",
    )  # fmt: skip
    before = rows()
    response = add_link(editor, world.priority, world.element, births)
    assert response.status_code == 400
    assert (
        "“Sector partnerships” and “Prenatal visits rise” belong to the models of different "
        "priorities"
    ) in text(response)
    assert rows() == before


def test_link_to_another_workspace_is_refused(rival_world: SimpleNamespace, editor: Client) -> None:
    other = rival_world.other_workspace
    priority = Priority.objects.create(
        workspace=other, geoid="27123", predictor="x", metric="employment", variable="v",
        title="Theirs",
    )  # fmt: skip
    theirs = Element.objects.create(
        workspace=other, priority=priority, kind="long", title="Their outcome", condition="power"
    )
    before = rows()
    response = add_link(editor, rival_world.priority, rival_world.element, theirs)
    assert response.status_code == 400
    assert "Choose an element of this workspace's logic model." in text(response)
    assert "Their outcome" not in text(response)
    assert rows() == before


def test_link_edit_and_delete_are_versioned(world: SimpleNamespace, editor: Client) -> None:
    address = url("model_link", world.link.pk)
    data = {"rationale": "Employers shape hiring.", "assumption": "Jobs exist.", "version": 1}
    assert editor.post(address, data).status_code == 302
    world.link.refresh_from_db()
    assert world.link.version == 2 and world.link.assumption == "Jobs exist."
    assert editor.post(address, {**data, "assumption": "stale"}).status_code == 409
    editor.post(url("model_link_delete", world.link.pk), {"version": 2})
    assert not Link.objects.filter(pk=world.link.pk).exists()


# --- the consistency checks ------------------------------------------------------------


def test_checks_page_lists_each_finding_to_fix(world: SimpleNamespace, editor: Client) -> None:
    ws, p = world.workspace, world.priority
    lone = Strategy.objects.create(workspace=ws, name="Wage board", evidence_level="rationale")
    Element.objects.create(workspace=ws, priority=p, kind="strategy", title="Wage board",
                           strategy=lone)  # fmt: skip
    Element.objects.create(workspace=ws, priority=p, kind="medium", title="Pay equity",
                           condition="resource_flows")  # fmt: skip
    second_priority(world)
    response = editor.get(url("model_checks"))
    assert response.status_code == 200
    page = text(response)
    for expected in (
        "A strategy that leads to no outcome",
        "The strategy “Wage board” leads to no outcome.",
        "No strategy reaches the outcome “Pay equity”.",
        "The priority “Healthy births” has no strategy yet.",
        "The strategy “Wage board” names no lead partner.",
        "Open “Wage board”",
        "Open “Healthy births”",
    ):
        assert expected in page, expected
    weigh = page.split("Shown, not required", 1)[1]
    assert "No outcome addresses power dynamics." in weigh
    assert "practices" not in weigh.split("Measures")[0].lower().replace("practices,", "")
    assert "score" not in page.lower().replace("there is no score", "")
    overview = text(editor.get(url("model_overview")))
    assert "4 findings to fix" in overview


def test_checks_link_to_the_element(world: SimpleNamespace, editor: Client) -> None:
    Strategy.objects.filter(pk=world.strategy.pk).update(lead=None)
    response = editor.get(url("model_checks"))
    assert url("model_element", world.element.pk) in response.content.decode()


# --- review and approval ---------------------------------------------------------------


def approve(client: Client) -> Any:
    return client.post(url("model_approve"), {"note": "Steering committee, June"})


def test_owner_approves_and_a_change_is_marked(world: SimpleNamespace, owner: Client) -> None:
    assert approve(owner).status_code == 302
    approval = Approval.objects.get(subject="model")
    assert approval.approved_by == world.owner
    assert approval.fingerprint == fingerprint(model_store.model_snapshot(world.workspace))
    page = text(owner.get(url("model_overview")))
    assert "Approved by olivia" in page and "Changed since approval" not in page
    # change one element, add another, remove a third, edit a link
    owner.post(url("model_element", world.outcome.pk),
               {"title": "Employers hire from the neighborhood", "condition": "practices",
                "version": 1})  # fmt: skip
    add_element(owner, world.priority, kind="input", title="Employer time")
    added = Element.objects.get(title="Employer time")
    gone = Element.objects.create(
        workspace=world.workspace, priority=world.priority, kind="output", title="Placements"
    )
    Approval.objects.all().delete()
    approve(owner)
    gone.delete()
    back = {"title": "Employers hire locally", "condition": "practices", "version": 2}
    owner.post(url("model_element", world.outcome.pk), back)
    owner.post(url("model_link", world.link.pk),
               {"rationale": "new", "assumption": "", "version": 1})  # fmt: skip
    add_element(owner, world.priority, kind="activity", title="Job fairs")
    for name, args in (("model_overview", ()), ("model_checks", ()),
                       ("priority_model", (world.priority.pk,))):  # fmt: skip
        page = text(owner.get(url(name, *args)))
        assert "Changed since approval." in page, name
        assert "Employers hire locally: changed" in page
        assert "Job fairs: added" in page
        assert "Placements (outputs): removed" in page
        assert "1 link with a changed rationale or assumption" in page
    model_page = owner.get(url("priority_model", world.priority.pk)).content.decode()
    card = model_page.split(f'id="element-{world.outcome.pk}"', 1)[1].split("</li>", 1)[0]
    assert "changed since approval" in card
    assert "since approval" not in model_page.split(f'id="element-{added.pk}"', 1)[1].split(
        "</h3>", 1)[1].split("</p>", 1)[0]  # fmt: skip
    element_page = text(owner.get(url("model_element", world.outcome.pk)))
    assert "Employers hire locally changed since approval" in element_page
    approve(owner)
    assert "Changed since approval" not in text(owner.get(url("model_overview")))


def test_approval_refuses_a_model_changed_meanwhile(world: SimpleNamespace, owner: Client) -> None:
    response = owner.post(url("model_approve"), {"fingerprint": "0" * 64})
    assert response.status_code == 302 and not Approval.objects.exists()
    assert "the model changed after you opened this page" in text(owner.get(url("model_overview")))


def test_only_the_owner_approves(world: SimpleNamespace, editor: Client) -> None:
    assert approve(editor).status_code == 403
    assert not Approval.objects.exists()
    assert "Approve the model" not in text(editor.get(url("model_overview")))


def test_review_round_and_comments(world: SimpleNamespace, editor: Client) -> None:
    editor.post(url("model_review"), {"note": "Look at the outcomes"})
    review = Review.objects.get(subject="model")
    assert review.closed_at is None and review.opened_by == world.editor
    assert "Out for review since" in text(editor.get(url("model_overview")))
    editor.post(url("model_comment"), {"subject": "element", "object_id": world.outcome.pk,
                                       "text": "Name which employers."})  # fmt: skip
    editor.post(url("model_comment"), {"subject": "link", "object_id": world.link.pk,
                                       "text": "Why would they?"})  # fmt: skip
    editor.post(url("model_comment"), {"subject": "model", "text": "Add a housing strategy."})
    comments = {c.subject: c for c in Comment.objects.filter(subject__in=["element", "link",
                                                                             "model"])}  # fmt: skip
    assert comments["element"].object_id == world.outcome.pk
    assert "Name which employers." in text(editor.get(url("model_element", world.outcome.pk)))
    assert "Why would they?" in text(editor.get(url("model_link", world.link.pk)))
    assert "Add a housing strategy." in text(editor.get(url("model_overview")))
    assert "1 review comment" in text(editor.get(url("priority_model", world.priority.pk)))
    editor.post(url("comment_resolve", comments["element"].pk))
    comments["element"].refresh_from_db()
    assert comments["element"].resolved_at is not None
    empty = editor.post(url("model_comment"), {"subject": "model", "text": " "})
    assert "Write a comment first." in text(editor.get(empty["Location"]))
    approval_closes = Client()
    approval_closes.force_login(world.owner)
    approve(approval_closes)
    review.refresh_from_db()
    assert review.closed_at is not None


def test_comment_on_another_workspace_element_is_404(
    rival_world: SimpleNamespace, editor: Client
) -> None:
    other = rival_world.other_workspace
    priority = Priority.objects.create(
        workspace=other, geoid="27123", predictor="x", metric="m", variable="v", title="T"
    )
    theirs = Element.objects.create(workspace=other, priority=priority, kind="input", title="X")
    their_comment = Comment.objects.create(workspace=other, subject="model", text="theirs")
    before = rows()
    data = {"subject": "element", "object_id": theirs.pk, "text": "hello"}
    assert editor.post(url("model_comment"), data).status_code == 404
    assert editor.post(url("model_comment"), {"subject": "vision", "text": "x"}).status_code == 404
    assert editor.post(url("comment_resolve", their_comment.pk)).status_code == 404
    assert rows() == before


# --- roles and GET ---------------------------------------------------------------------


def model_urls(world: SimpleNamespace) -> list[str]:
    return [
        url("model_overview"),
        url("model_checks"),
        url("priority_model", world.priority.pk),
        url("model_element_create", world.priority.pk) + "?kind=short",
        url("model_link_create", world.priority.pk),
        url("model_element", world.outcome.pk),
        url("model_link", world.link.pk),
    ]


def test_viewer_reads_but_cannot_change(world: SimpleNamespace, client: Client) -> None:
    client.force_login(world.viewer)
    for address in model_urls(world)[:3] + model_urls(world)[5:]:
        response = client.get(address)
        assert response.status_code == 200, address
        assert "Save" not in text(response)  # a viewer comments, but changes nothing
    assert client.get(url("model_element_create", world.priority.pk)).status_code == 403
    before = rows()
    assert add_element(client, world.priority, kind="input", title="x").status_code == 403
    assert client.post(url("model_review")).status_code == 403
    assert approve(client).status_code == 403
    assert rows() == before


def test_get_changes_nothing(world: SimpleNamespace, owner: Client) -> None:
    second_priority(world)
    approve(owner)
    Element.objects.filter(pk=world.outcome.pk).update(title="Changed after approval")
    before, activity = rows(), Activity.objects.count()
    addresses = [
        *model_urls(world),
        url("priority_model", Priority.objects.get(title="Healthy births").pk),
        url("model_approve"), url("model_review"), url("model_comment"),
        url("model_element_delete", world.outcome.pk), url("model_link_delete", world.link.pk),
    ]  # fmt: skip
    for address in addresses:
        assert owner.get(address).status_code in (200, 302), address
    assert rows() == before and Activity.objects.count() == activity


def test_overview_counts_per_column_and_hub_card(world: SimpleNamespace, editor: Client) -> None:
    page = text(editor.get(url("model_overview")))
    assert "Strategies and activities 1" in page and "Outcomes 1" in page
    assert "Population-level result 1" in page and "Links 2" in page
    hub = text(editor.get(url("strategy")))
    assert "Logic model" in hub and "3 elements" in hub


def test_overview_is_only_of_this_workspace(rival_world: SimpleNamespace, client: Client) -> None:
    client.force_login(rival_world.outsider)
    assert client.get(url("priority_model", rival_world.priority.pk)).status_code == 404
    elsewhere = reverse("workspace:model_element", args=["elsewhere", rival_world.outcome.pk])
    assert client.get(elsewhere).status_code == 404
    assert Workspace.objects.filter(slug="elsewhere").exists()
    assert Stakeholder.objects.exists()


# --- the API -------------------------------------------------------------------------------

API = "/api/workspaces/ramsey/model"


def api(client: Client, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, API + path, data, content_type="application/json")


def test_api_elements_and_links(world: SimpleNamespace, editor: Client) -> None:
    listed = json.loads(editor.get(API + f"/elements?priority={world.priority.pk}").content)
    assert listed["count"] == 3
    wages = {"title": "Wages rise", "condition": "resource_flows"}
    added = api(
        editor, "POST", "/elements", {"priority": world.priority.pk, "kind": "medium", **wages}
    )
    assert added.status_code == 201, added.content
    element = json.loads(added.content)
    assert element["condition_label"] == "Resource flows"
    before = rows()
    refused = api(editor, "POST", "/links", {"source": element["id"], "target": world.outcome.pk})
    assert refused.status_code == 422
    messages = json.loads(refused.content)["error"]["fields"]["__all__"]
    assert (
        "“Wages rise” (Medium-term outcomes) cannot lead back to “Employers hire locally”"
        in (messages[0])
    )
    bad = api(editor, "POST", "/elements", {"priority": world.priority.pk, "kind": "long",
                                            "title": "Thriving", "condition": "vibes"})  # fmt: skip
    assert bad.status_code == 422
    (problem,) = json.loads(bad.content)["error"]["fields"]["condition"]
    assert problem.startswith("“Thriving”: “vibes” is not a condition of systems change")
    assert rows() == before
    link = api(editor, "POST", "/links", {"source": world.outcome.pk, "target": element["id"],
                                          "rationale": "Hiring raises pay."})  # fmt: skip
    assert link.status_code == 201, link.content
    link_id = json.loads(link.content)["id"]
    stale = api(editor, "PATCH", f"/links/{link_id}", {"version": 7, "assumption": "x"})
    assert stale.status_code == 409 and json.loads(stale.content)["current"]["id"] == link_id
    changed = api(editor, "PATCH", f"/links/{link_id}", {"version": 1, "assumption": "Jobs."})
    assert json.loads(changed.content)["assumption"] == "Jobs."
    result = api(editor, "DELETE", f"/elements/{world.result_element.pk}?version=1")
    assert result.status_code == 409 and Element.objects.filter(pk=world.result_element.pk)


def test_api_checks_and_approval(world: SimpleNamespace, client: Client) -> None:
    client.force_login(world.editor)
    checks = json.loads(client.get(API + "/checks").content)
    assert checks["to_fix"] == [] and checks["measures_checked"] is False
    assert {f["check"] for f in checks["to_weigh"]} == {"condition_unaddressed"}
    state = json.loads(client.get(API + "/approval").content)
    assert state["approved"] is False and state["changed_since_approval"] is False
    refused = api(client, "POST", "/approval", {"note": "ok"})
    assert refused.status_code == 403 and not Approval.objects.exists()
    client.force_login(world.owner)
    stale = api(client, "POST", "/approval", {"fingerprint": "0" * 64})
    assert stale.status_code == 409 and not Approval.objects.exists()
    done = api(client, "POST", "/approval", {"fingerprint": state["fingerprint"]})
    assert done.status_code == 201 and json.loads(done.content)["approved_by"] == "olivia"
    api(client, "PATCH", f"/elements/{world.outcome.pk}", {"version": 1, "title": "Hiring"})
    after = json.loads(client.get(API + "/approval").content)
    assert after["changed_since_approval"] is True and after["changed"] == [world.outcome.pk]


def test_api_comments_on_the_model_its_elements_and_links(
    world: SimpleNamespace, client: Client
) -> None:

    client.force_login(world.viewer)  # any member comments
    base = "/api/workspaces/ramsey/model"

    def post(path: str, text: str) -> Any:
        body = json.dumps({"text": text})
        return client.post(base + path, body, content_type="application/json")

    element, link = f"/elements/{world.outcome.pk}/comments", f"/links/{world.link.pk}/comments"
    assert post(element, "Which neighborhoods?").status_code == 201
    assert post(link, "Is this link too hopeful?").status_code == 201
    assert post("/comments", "The model reads well.").status_code == 201
    listed = client.get(base + element).json()
    assert [(c["subject"], c["object_id"], c["text"]) for c in listed] == [
        ("element", world.outcome.pk, "Which neighborhoods?")
    ]
    assert [c["text"] for c in client.get(base + "/comments").json()] == ["The model reads well."]
    assert [c["subject"] for c in client.get(base + link).json()] == ["link"]
    before = Comment.objects.count()
    missing = post("/elements/999999/comments", "Lost")
    assert missing.status_code == 404 and "no element 999999" in missing.json()["error"]["message"]
    assert client.get(base + "/links/999999/comments").status_code == 404
    assert post(element, "   ").status_code == 400
    assert Comment.objects.count() == before

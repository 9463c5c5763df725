"""Walk every workspace URL pattern and API route and prove the isolation rules hold for each.

The page patterns come from the URL resolver and the API routes from the API's OpenAPI
document (every path under /api/workspaces), so a URL or route added later is walked
automatically; parameters are filled from the fixture world by parameter name (and, for
pages, by the path segment before the parameter). A URL whose parameter the walk cannot
fill fails the test instead of being skipped.
"""

from __future__ import annotations

import itertools
import json
import re
from collections.abc import Callable
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from network_support import join_network
from workspace_support import snapshot

from upward.web.api.routes import api
from upward.web.knowledge.models import (
    Code,
    Engagement,
    Excerpt,
    FindingsSummary,
    InputForm,
    LocalSeries,
    Note,
    Official,
)
from upward.web.measurement import publish_store
from upward.web.measurement.models import (
    Action,
    Baseline,
    FundingSource,
    LearningPlan,
    Measure,
    PlanVersion,
    Sustainability,
    Target,
)
from upward.web.strategy.models import (
    Comment,
    Element,
    Link,
    Priority,
    PriorityDecision,
    SharedStrategy,
    Strategy,
    TheoryOfChange,
)
from upward.web.workspace.models import (
    Activity,
    CoalitionStructure,
    Membership,
    Role,
    Stakeholder,
)
from upward.web.workspace.tokens import make_token

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

PARAM = re.compile(r"<(?:(\w+):)?(\w+)>")


@pytest.fixture
def workspace_world(workspace_world: SimpleNamespace) -> SimpleNamespace:
    """The shared world, plus a baseline that the current release revised (pinned from an
    earlier release at $26,000 where the fixture publishes $27,250.5): the walk's decision
    about a revision is made on it; and workspace A in a learning network, sharing its
    priority (for /w/<slug>/network/)."""
    world = join_network(workspace_world)
    revised = Measure.objects.create(
        workspace=world.workspace, element=world.result_element, kind="population",
        title="Income (pinned earlier)", geoid="27123", variable="pctl_income_20",
    )  # fmt: skip
    world.revised_baseline = Baseline.objects.create(
        workspace=world.workspace, measure=revised, geoid="27123", variable="pctl_income_20",
        year=2023, value=26000.0, lb=24500, ub=27500, quality="Strong", text="$26,000 in 2023",
        release="2021.01",
    )  # fmt: skip
    return world


def workspace_patterns() -> list[URLPattern]:
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "workspace":
            return [p for p in entry.url_patterns if isinstance(p, URLPattern)]
    raise AssertionError("the workspace URLs are not mounted")


def scoped_patterns() -> list[URLPattern]:
    """Every pattern that names a workspace (all but the list and the create page)."""
    return [p for p in workspace_patterns() if "<slug:slug>" in str(p.pattern)]


def fill(pattern: URLPattern, world: SimpleNamespace) -> str:
    route = str(pattern.pattern)
    by_segment = {
        "members": world.viewer_membership.pk,
        "invitations": world.invitation.pk,
        "stakeholders": world.stakeholder.pk,
        "workgroups": world.workgroup.pk,
        "peers": world.peer_set.pk,
        "plan": world.task.pk,
        "engagements": world.engagement.pk,
        "codes": world.code.pk,
        "notes": world.note.pk,
        "excerpts": world.excerpt.pk,
        "officials": world.official.pk,
        "survey-links": world.survey_link.pk,
        "input-forms": world.input_form.pk,
        "input-answers": world.input_answer.pk,
        "local-data": world.local_series.pk,
        "priorities": world.priority.pk,
        "decisions": world.decision.pk,
        "theories": world.theory.pk,
        "strategies": world.strategy.pk,
        "library": world.shared_strategy.pk,
        "elements": world.element.pk,
        "links": world.link.pk,
        "comments": world.comment.pk,
        "measures": world.population.pk,
        "actions": world.action.pk,
        "funding": world.funding_source.pk,
    }
    kwargs: dict[str, Any] = {}
    for match in PARAM.finditer(route):
        name = match.group(2)
        if name == "slug":
            kwargs[name] = world.workspace.slug
        elif name == "number":
            kwargs[name] = world.assessment.number
        elif name == "condition_id":
            kwargs[name] = "leadership"
        elif name == "geoid":
            kwargs[name] = "27123"
        elif name == "predictor_id":
            kwargs[name] = "opportunities_for_income"
        elif name == "version_number":
            kwargs[name] = world.findings_version.number
        elif name == "vision_number":
            kwargs[name] = world.vision_version.number
        elif name == "plan_number":
            kwargs[name] = world.plan_version.number
        elif name == "team_id":
            kwargs[name] = world.team.pk
        elif name == "share_id":
            kwargs[name] = world.shared_record.pk
        elif name == "pk":
            segment = route[: match.start()].rstrip("/").rsplit("/", 1)[-1]
            assert segment in by_segment, f"walk cannot fill pk after '{segment}/' in {route}"
            kwargs[name] = by_segment[segment]
        else:
            raise AssertionError(f"walk cannot fill <{name}> in {route}: add it to fill()")
    return reverse(f"workspace:{pattern.name}", kwargs=kwargs)


def test_the_walk_sees_every_section() -> None:
    names = {p.name for p in scoped_patterns()}
    for expected in (
        "home",
        "members",
        "readiness",
        "condition_edit",
        "plan",
        "task_edit",
        "stakeholders",
        "stakeholder_import",
        "coverage",
        "coalition",
        "workgroup_edit",
        "peers",
        "peer_set_save",
        "guide_notes",
        "guide_note_save",
        "assessment_all",
        "activity",
        "settings",
    ):
        assert expected in names
    assert len(names) >= 30


def test_every_scoped_view_is_guarded() -> None:
    for pattern in scoped_patterns():
        assert hasattr(pattern.callback, "workspace_role"), f"{pattern.name} lacks workspace_view"


def test_owner_reaches_every_url(workspace_world: SimpleNamespace, client: Client) -> None:
    """The fixture fills every URL with real objects (else the 404s below would be vacuous)."""
    client.force_login(workspace_world.owner)
    for pattern in scoped_patterns():
        url = fill(pattern, workspace_world)
        response = client.get(url)
        assert response.status_code in (200, 302), f"{url}: {response.status_code}"


def test_non_member_gets_404_everywhere(workspace_world: SimpleNamespace, client: Client) -> None:
    client.force_login(workspace_world.outsider)
    before = snapshot()
    for pattern in scoped_patterns():
        url = fill(pattern, workspace_world)
        assert client.get(url).status_code == 404, url
        assert client.post(url, {"version": 1, "name": "x"}).status_code == 404, url
    assert snapshot() == before


def test_anonymous_is_sent_to_sign_in(workspace_world: SimpleNamespace, client: Client) -> None:
    for pattern in scoped_patterns():
        url = fill(pattern, workspace_world)
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith("/accounts/login/"), url
    # the same redirect whether or not the workspace exists: nothing leaks
    assert client.get("/w/no-such-workspace/").status_code == 302


MEMBER_CHANGES = frozenset({"vision_comment", "theory_comment", "model_comment",
                            "comment_resolve"})  # fmt: skip
"""The only pages that take a change from a viewer: review comments (issue 13, item 7)."""


def test_only_review_comments_take_a_change_from_any_member() -> None:
    taken = {p.name for p in scoped_patterns()
             if getattr(p.callback, "change_role", Role.EDITOR) == Role.VIEWER}  # fmt: skip
    assert taken == MEMBER_CHANGES


def test_viewer_cannot_change_anything(workspace_world: SimpleNamespace, client: Client) -> None:
    client.force_login(workspace_world.viewer)
    before = snapshot()
    for pattern in scoped_patterns():
        if pattern.name in MEMBER_CHANGES:
            continue  # test_a_viewer_comments_but_edits_nothing
        url = fill(pattern, workspace_world)
        payload = {
            "version": 1,
            "name": "Changed",
            "role": "owner",
            "sector": "other",
            "title": "x",
            "copy_previous": "on",
            "places": "27123",
            "text": "name,sector\nNew partner,other\n",
            "done_leadership_briefed": "on",
            "focus": "pillar:work",
            "status": "done",
        }
        status = client.post(url, payload).status_code
        assert status in (403, 404), f"viewer POST {url}: {status}"
    assert snapshot() == before


def test_a_viewer_comments_but_edits_nothing(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    """A viewer comments on a vision version, a theory and a model element; edits none of
    them; resolves their own comment but not another member's."""
    world = workspace_world
    client.force_login(world.viewer)
    slug = world.workspace.slug
    posts = [
        ("vision", world.vision_version.pk,
         reverse("workspace:vision_comment", args=[slug, world.vision_version.number]), {}),
        ("theory", world.theory.pk,
         reverse("workspace:theory_comment", args=[slug, world.theory.pk]), {}),
        ("element", world.element.pk, reverse("workspace:model_comment", args=[slug]),
         {"subject": "element", "object_id": world.element.pk}),
    ]  # fmt: skip
    for subject, object_id, url, extra in posts:
        response = client.post(url, {**extra, "text": f"A viewer on the {subject}."})
        assert response.status_code == 302, (url, response.status_code)
        assert Comment.objects.filter(subject=subject, object_id=object_id, author=world.viewer,
                                      text=f"A viewer on the {subject}.").exists()  # fmt: skip
    assert Activity.objects.filter(actor=world.viewer, verb="commented on").count() == 3
    before = snapshot()
    edits = [
        (reverse("workspace:theory_edit", args=[slug, world.theory.pk]),
         {"version": world.theory.version, "if_we": "x", "then": "y", "because": "z"}),
        (reverse("workspace:vision_draft", args=[slug]), {"text": "Ours", "based_on": 1}),
        (reverse("workspace:model_element", args=[slug, world.element.pk]),
         {"version": world.element.version, "title": "Changed"}),
    ]  # fmt: skip
    for url, data in edits:
        assert client.post(url, data).status_code == 403, url
    others = reverse("workspace:comment_resolve", args=[slug, world.comment.pk])
    refused = client.post(others)
    assert refused.status_code == 403 and "author" in refused.content.decode()
    assert snapshot() == before
    own = Comment.objects.filter(author=world.viewer, subject="theory").get()
    resolved = client.post(reverse("workspace:comment_resolve", args=[slug, own.pk]))
    assert resolved.status_code == 302
    own.refresh_from_db()
    assert own.resolved_by == world.viewer
    page = client.get(reverse("workspace:vision_version", args=[slug, world.vision_version.number]))
    html = page.content.decode()
    assert "Add comment" in html and "Write a new draft" not in html
    # the viewer's open comment shows "Mark resolved" to them; the owner's does not
    assert html.count("Mark resolved") == 1
    client.force_login(world.outsider)
    for _subject, _id, url, extra in posts:
        assert client.post(url, {**extra, "text": "An outsider."}).status_code == 404
    assert not Comment.objects.filter(text="An outsider.").exists()


def test_post_without_csrf_token_fails(workspace_world: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(workspace_world.owner)
    before = snapshot()
    for pattern in scoped_patterns():
        url = fill(pattern, workspace_world)
        assert client.post(url, {"version": 1, "name": "x"}).status_code == 403, url
    for url in (reverse("workspace:create"), reverse("login"), reverse("signup")):
        assert client.post(url, {"name": "x", "username": "x", "password": "y"}).status_code == 403
    assert snapshot() == before


def test_records_of_another_workspace_are_404(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    """A member of one workspace cannot reach another's records through their own slug."""
    client.force_login(workspace_world.outsider)
    url = reverse("workspace:stakeholder_edit", args=["elsewhere", workspace_world.stakeholder.pk])
    assert client.get(url).status_code == 404
    url = reverse("workspace:assessment", args=["elsewhere", workspace_world.assessment.number])
    assert client.get(url).status_code == 404


# --- the JSON API under /api/workspaces ------------------------------------------------

API_PREFIX = "/api/workspaces"
API_PARAM = re.compile(r"\{(\w+)\}")
UNSAFE = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def api_operations() -> list[tuple[str, str]]:
    """(METHOD, path template) of every API route under /api/workspaces, deletes last (a
    priority's delete the very last)."""
    paths = api.get_openapi_schema()["paths"]
    operations = [
        (method.upper(), path)
        for path, methods in paths.items()
        if path.startswith(API_PREFIX)
        for method in methods
    ]
    # a priority's delete takes its logic model and the model's measures with it: last
    last = ("DELETE", "/api/workspaces/{slug}/priorities/{priority_id}")
    return sorted(operations, key=lambda op: (op[0] == "DELETE", op == last, op[1], op[0]))


def scoped_operations() -> list[tuple[str, str]]:
    return [op for op in api_operations() if "{slug}" in op[1]]


def fill_api(path: str, world: SimpleNamespace, slug: str | None = None) -> str:
    values = {
        "slug": slug or world.workspace.slug,
        "stakeholder_id": world.stakeholder.pk,
        "engagement_id": world.engagement.pk,
        "code_id": world.code.pk,
        "note_id": world.note.pk,
        "excerpt_id": world.excerpt.pk,
        "official_id": world.official.pk,
        "form_id": world.input_form.pk,
        # reject another answer than the accepted one (rejecting an accepted one is a 409)
        "answer_id": (world.input_answer_aside if "reject" in path else world.input_answer).pk,
        "predictor_id": "opportunities_for_income",
        "series_id": world.local_series.pk,
        # the walk deletes the element before the link: a link it does not cascade to
        "element_id": world.element.pk,
        "link_id": model_link_of(world).pk,
        "vision_number": world.vision_version.number,
        "theory_id": world.theory.pk,
        "comment_id": world.comment.pk,
        "priority_id": world.priority.pk,
        "decision_id": world.decision.pk,
        "strategy_id": world.strategy.pk,
        "shared_id": world.shared_strategy.pk,
        "measure_id": world.measure.pk,
        # the decision about a revision is made on the baseline that was revised
        "baseline_id": (world.revised_baseline if "/decisions" in path else world.baseline).pk,
        "target_id": world.target.pk,
        "action_id": world.action.pk,
        "plan_id": world.sustainability.pk,
        "funding_id": world.funding_source.pk,
        "plan_number": world.plan_version.number,
    }

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        assert name in values, f"walk cannot fill {{{name}}} in {path}: add it to fill_api()"
        return str(values[name])

    return API_PARAM.sub(value, path)


def version_now(record: Any) -> int:
    """The record's version as saved now (1 once it is deleted)."""
    return getattr(type(record).objects.filter(pk=record.pk).first(), "version", 1)


def model_link_of(world: SimpleNamespace) -> Link:
    """The fixture model's link from the outcome to the result (the element the walk
    deletes, the strategy, is not one of its ends); once the walk deleted it, an unsaved
    stand-in (routes after it need no link)."""
    found = Link.objects.filter(source=world.outcome, target=world.result_element).first()
    return found or Link(pk=0)


Record = tuple[Any, Any, dict[str, Any]]
SERIAL = itertools.count(1)
API_RECORDS: dict[str, Callable[[SimpleNamespace], Record]] = {
    # the last named segment of a route -> (model, the walk's record, an owner's fields)
    "stakeholders": lambda w: (Stakeholder, w.stakeholder, {"name": "Walk-in Partner",
                                                            "sector": "other"}),
    "engagements": lambda w: (Engagement, w.engagement, {"title": "Walk-in", "kind": "other",
                                                         "date": "2025-01-01", "level": "inform"}),
    "codes": lambda w: (Code, w.code, {"name": "Walk-in code"}),
    "notes": lambda w: (Note, w.note, {"title": "Walk-in", "text": "Walk words."}),
    "excerpts": lambda w: (Excerpt, w.excerpt, {"passage": "child care", "codes": [w.code.pk]}),
    "officials": lambda w: (Official, w.official, {"name": "Walk-in Official", "office": "Member",
                                                   "body": "Board"}),
    "input-forms": lambda w: (InputForm, w.input_form, {"title": "Walk-in form",
                                                        "questions": [{"text": "What helps?"}]}),
    "summary": lambda w: (FindingsSummary, w.findings_summary, {"introduction": "by the walk"}),
    "local-series": lambda w: (LocalSeries, w.local_series, {}),
    "elements": lambda w: (Element, w.element, {"priority": w.priority.pk, "kind": "input",
                                                "title": "Walk-in input"}),
    "links": lambda w: (Link, model_link_of(w), {"source": w.element.pk,
                                                 "target": w.result_element.pk}),
    "approval": lambda w: (Element, w.element, {"note": "approved by the walk"}),
    "theories": lambda w: (TheoryOfChange, w.theory, {"if_we": "walk", "then": "run",
                                                      "because": "it helps"}),
    # vision versions and comments are never edited: no version to send
    "versions": lambda w: (Comment, Comment(pk=0), {"text": "Walk vision.", "based_on": 1}),
    "comments": lambda w: (Comment, Comment(pk=0), {"text": "A walk comment."}),
    "resolve": lambda w: (Comment, Comment(pk=0), {}),
    "priorities": lambda w: (Priority, w.priority, {"place": "27123", "variable": "pctl_income_20",
                                                    "title": "Walk-in priority"}),
    # the whole ranking, each priority with its version as now (PUT: sent as it is)
    "priority-ranking": lambda w: (Priority, w.priority, {"ranking": [
        {"id": p.pk, "version": p.version} for p in Priority.objects.filter(
            workspace=w.workspace).order_by("-rank", "id")]}),
    "priority-decisions": lambda w: (PriorityDecision, w.decision, {
        "method": "dot_vote", "date": "2025-01-01", "votes": {str(w.priority.pk): 3}}),
    # a new name per call: strategy names are unique in a workspace (POST, then PUT)
    "strategies": lambda w: (Strategy, w.strategy, {"name": f"Walk-in strategy {next(SERIAL)}",
                                                    "evidence_level": "moderate"}),
    "adopt": lambda w: (SharedStrategy, w.shared_strategy, {}),
    "measures": lambda w: (Measure, w.measure, {"element": w.outcome.pk, "kind": "performance",
                                                "title": "Walk-in measure", "aspect": "how_much"}),
    # a new baseline for the measure without one; a new target for the one pinned only
    "baselines": lambda w: (Baseline, w.baseline, {"measure": w.unpinned.pk}),
    "targets": lambda w: (Target, w.target, {"measure": w.pinned.pk, "method": "value",
                                             "value": 30000}),
    # keep the revised baseline, at its version as now (the body carries it)
    "decisions": lambda w: (Baseline, w.revised_baseline, {
        "version": version_now(w.revised_baseline), "decision": "keep",
        "note": "kept by the walk"}),
    # the target as the walk's change left it: inside the noise ($28,500), not confirmed
    "confirmation": lambda w: (Target, w.target, {"version": version_now(w.target)}),
    "actions": lambda w: (Action, w.action, {"strategy": w.strategy.pk, "title": "Walk-in action",
                                             "owner_stakeholder": w.stakeholder.pk}),
    # one plan per strategy: the fixture's is of its second strategy, the walk plans the first
    "sustainability-plans": lambda w: (Sustainability, w.sustainability, {
        "strategy": w.strategy.pk, "resources": "by the walk"}),
    "funding-sources": lambda w: (FundingSource, w.funding_source, {
        "strategy": w.strategy.pk, "name": "Walk-in fund", "amount": "1000"}),
    "learning-plan": lambda w: (LearningPlan, w.learning_plan, {"questions": ["Walk?"]}),
    # publishing confirms every open problem of the plan as it is when the walk gets there
    "plan-versions": lambda w: (PlanVersion, w.plan_version, {"confirm": [
        p.key for p in publish_store.publish_problems(w.workspace)]}),
}  # fmt: skip
# a replacement that keeps the record's own strategy (a plan is one per strategy)
PUT_FIELDS_OF_RECORD: dict[str, Callable[[Any], dict[str, Any]]] = {
    "sustainability-plans": lambda r: {"strategy": r.strategy_id, "resources": "changed"},
}
PATCHES: dict[str, dict[str, Any]] = {
    "stakeholders": {"notes": "changed by the walk", "sector": "faith"},
    "codes": {"description": "walk"},
    "notes": {"title": "W"},
    "excerpts": {"memo": "changed by the walk"},
    "local-series": {"source": "changed by the walk"},
    "elements": {"description": "changed by the walk"},
    "links": {"assumption": "changed by the walk"},
    "measures": {"data_source": "changed by the walk"},
    # inside the noise (1,249.5 above the baseline; its MDC is 2,474.9): confirmed next
    "targets": {"method": "value", "value": 28500},
}
PUTS: dict[str, dict[str, Any]] = {"priorities": {"title": "Walk-in priority"}}
WHOLE_BODY = frozenset({"priority-ranking"})
"""Changes whose body is the record's fields as they are, with no ``version`` of its own."""


def replacement(kind: str, current: Any, fields: dict[str, Any]) -> dict[str, Any]:
    if kind in PUT_FIELDS_OF_RECORD and current is not None:
        return PUT_FIELDS_OF_RECORD[kind](current)
    return PUTS.get(kind, fields)


def call(client: Client, method: str, url: str, world: SimpleNamespace) -> HttpResponse:
    """A request that would succeed for an owner: real body, current version."""
    kind = [s for s in url.split("?")[0].split("/") if s and not s.isdigit()][-1]
    model, record, fields = API_RECORDS.get(kind, API_RECORDS["stakeholders"])(world)
    current = model.objects.filter(pk=record.pk).first()
    version = getattr(current, "version", 1)
    if method == "DELETE":
        url += f"?version={version}"
    body = {
        "POST": {**fields, "relationship": "partner"} if kind == "stakeholders" else fields,
        "PATCH": {"version": version, **PATCHES.get(kind, {})},
        "PUT": {"version": version, **replacement(kind, current, fields)},
    }.get(method)
    if kind in ("accept", "reject", "adopt"):
        body = None
    if kind in WHOLE_BODY:
        body = fields
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, url, data, content_type="application/json")


def json_error(response: HttpResponse, status: int) -> dict[str, Any]:
    assert response.status_code == status, (response.status_code, response.content[:300])
    assert response["Content-Type"].startswith("application/json")
    error = json.loads(response.content)["error"]
    assert error["status"] == status and error["title"] and error["message"]
    return error


def secrets_of(world: SimpleNamespace) -> list[str]:
    """Strings that only workspace A's members may see."""
    return [
        world.workspace.name,
        world.stakeholder.name,
        world.assessment.title,
        world.peer_set.name,
        world.workgroup.name,
        world.engagement.title,
        world.owner.username,
        world.editor.username,
        world.viewer.username,
    ]


def test_the_api_walk_sees_every_route() -> None:
    operations = set(api_operations())
    expected = {
        ("GET", "/api/workspaces"),
        ("GET", "/api/workspaces/{slug}"),
        ("GET", "/api/workspaces/{slug}/stakeholders"),
        ("POST", "/api/workspaces/{slug}/stakeholders"),
        ("GET", "/api/workspaces/{slug}/stakeholders/{stakeholder_id}"),
        ("PATCH", "/api/workspaces/{slug}/stakeholders/{stakeholder_id}"),
        ("DELETE", "/api/workspaces/{slug}/stakeholders/{stakeholder_id}"),
        ("GET", "/api/workspaces/{slug}/readiness"),
        ("GET", "/api/workspaces/{slug}/coverage"),
        ("GET", "/api/workspaces/{slug}/activity"),
    }
    assert operations >= expected
    # every route is served by ninja under the same path (the document is not stale)
    served = {"/api/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", str(p.pattern)) for p in api.urls[0]}
    assert {path for _, path in operations} <= served
    paths = api.get_openapi_schema()["paths"]
    for method, path in operations:
        assert paths[path][method.lower()].get("security"), f"{method} {path} has no auth"


def test_the_api_walk_refuses_a_parameter_it_cannot_fill(
    workspace_world: SimpleNamespace,
) -> None:
    with pytest.raises(AssertionError, match="cannot fill"):
        fill_api("/api/workspaces/{slug}/workgroups/{workgroup_id}", workspace_world)


def test_owner_reaches_every_api_route(rival_world: SimpleNamespace, client: Client) -> None:
    """Each route works for an owner (else the refusals below would prove nothing)."""
    client.force_login(rival_world.owner)
    for method, path in api_operations():
        url = fill_api(path, rival_world)
        response = call(client, method, url, rival_world)
        assert 200 <= response.status_code < 300, (method, url, response.content[:300])


def test_api_anonymous_gets_401_everywhere(rival_world: SimpleNamespace, client: Client) -> None:
    before = snapshot()
    for method, path in api_operations():
        url = fill_api(path, rival_world)
        json_error(call(client, method, url, rival_world), 401)
        # the same answer whether or not the workspace exists
        missing = fill_api(path, rival_world, slug="no-such-workspace")
        json_error(call(client, method, missing, rival_world), 401)
    assert snapshot() == before


def test_api_non_member_gets_404_and_no_data(rival_world: SimpleNamespace, client: Client) -> None:
    """The outsider owns a workspace with data of its own; workspace A stays invisible."""
    client.force_login(rival_world.outsider)
    before = snapshot()
    for method, path in scoped_operations():
        url = fill_api(path, rival_world)
        response = call(client, method, url, rival_world)
        error = json_error(response, 404)
        body = response.content.decode()
        for secret in secrets_of(rival_world):
            assert secret not in body, (method, url, secret)
        missing = call(
            client, method, fill_api(path, rival_world, "no-such-workspace"), rival_world
        )
        assert json_error(missing, 404) == error, "a real workspace must look like a missing one"
    assert snapshot() == before
    listing = client.get(API_PREFIX)
    assert listing.status_code == 200
    assert [w["slug"] for w in json.loads(listing.content)["items"]] == ["elsewhere"]
    assert not any(secret in listing.content.decode() for secret in secrets_of(rival_world))


def test_api_records_are_looked_up_in_the_workspace_of_the_address(
    rival_world: SimpleNamespace, client: Client
) -> None:
    """The outsider names their own workspace and one of A's records: 404, nothing changed."""
    client.force_login(rival_world.outsider)
    before = snapshot()
    for method, path in scoped_operations():
        if "{stakeholder_id}" not in path:
            continue
        url = fill_api(path, rival_world, slug="elsewhere")
        response = call(client, method, url, rival_world)
        json_error(response, 404)
        assert rival_world.stakeholder.name not in response.content.decode()
    assert snapshot() == before


API_MEMBER_CHANGES = frozenset({
    ("POST", API_PREFIX + "/{slug}/vision/versions/{vision_number}/comments"),
    ("POST", API_PREFIX + "/{slug}/theories/{theory_id}/comments"),
    ("POST", API_PREFIX + "/{slug}/model/elements/{element_id}/comments"),
    ("POST", API_PREFIX + "/{slug}/model/links/{link_id}/comments"),
    ("POST", API_PREFIX + "/{slug}/model/comments"),
})  # fmt: skip
"""The only API changes a viewer makes: review comments (and resolving their own, which
the walk's comment, the owner's, is not)."""
API_OWNER_CHANGES = frozenset({("POST", API_PREFIX + "/{slug}/plan-versions")})
"""The API changes only an owner makes (publishing the plan): an editor is refused too."""


def test_api_viewer_can_read_but_not_change(rival_world: SimpleNamespace, client: Client) -> None:
    client.force_login(rival_world.viewer)
    before = snapshot()
    for method, path in api_operations():
        if (method, path) in API_MEMBER_CHANGES:
            continue  # test_api_a_viewer_comments_but_edits_nothing
        url = fill_api(path, rival_world)
        response = call(client, method, url, rival_world)
        if method in UNSAFE:
            needed = "owner" if (method, path) in API_OWNER_CHANGES else "editor"
            assert needed in json_error(response, 403)["message"], (method, url)
        else:
            assert response.status_code == 200, (method, url, response.content[:300])
    assert snapshot() == before


def test_api_a_viewer_comments_but_edits_nothing(
    rival_world: SimpleNamespace, client: Client
) -> None:
    world = rival_world
    client.force_login(world.viewer)

    def post(path: str, body: dict[str, Any] | None = None) -> HttpResponse:
        url = fill_api(API_PREFIX + "/{slug}" + path, world)
        return client.post(url, json.dumps(body) if body is not None else "",
                           content_type="application/json")  # fmt: skip

    on_vision = post("/vision/versions/{vision_number}/comments", {"text": "From a viewer."})
    assert on_vision.status_code == 201, on_vision.content
    assert on_vision.json()["author"] == world.viewer.username
    on_theory = post("/theories/{theory_id}/comments", {"text": "Also from a viewer."})
    assert on_theory.status_code == 201
    for part in ("/model/elements/{element_id}", "/model/links/{link_id}", "/model"):
        made = post(part + "/comments", {"text": f"On {part}."})
        assert made.status_code == 201, (part, made.content)
        assert made.json()["author"] == world.viewer.username
    assert post("/theories/{theory_id}/comments", {"text": " "}).status_code == 400
    before = snapshot()
    theory = fill_api(API_PREFIX + "/{slug}/theories/{theory_id}", world)
    edit = {"version": world.theory.version, "if_we": "x", "then": "y", "because": "z"}
    response = client.put(theory, json.dumps(edit), content_type="application/json")
    assert "editor" in json_error(response, 403)["message"]
    others = post("/comments/{comment_id}/resolve")
    assert "author" in json_error(others, 403)["message"]
    assert snapshot() == before
    own = client.post(f"{API_PREFIX}/{world.workspace.slug}/comments/{on_theory.json()['id']}"
                      "/resolve")  # fmt: skip
    assert own.status_code == 200 and own.json()["resolved_by"] == world.viewer.username
    client.force_login(world.outsider)
    json_error(post("/theories/{theory_id}/comments", {"text": "An outsider."}), 404)
    assert not Comment.objects.filter(text="An outsider.").exists()


def test_api_change_without_csrf_token_fails(rival_world: SimpleNamespace) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(rival_world.owner)
    before = snapshot()
    unsafe = [op for op in api_operations() if op[0] in UNSAFE]
    assert unsafe, "the walk found no API route that changes anything"
    for method, path in unsafe:
        url = fill_api(path, rival_world)
        assert "CSRF" in json_error(call(client, method, url, rival_world), 403)["title"]
    assert snapshot() == before


# --- no change on GET: every page and account URL, walked as an owner -----------------


def account_patterns() -> list[URLPattern]:
    """The /accounts/ patterns (sign in and out, sign up, password, invitation)."""
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and str(entry.pattern) == "accounts/":
            return [p for p in entry.url_patterns if isinstance(p, URLPattern)]
    raise AssertionError("the account URLs are not mounted")


def fill_account(pattern: URLPattern, world: SimpleNamespace) -> str:
    """An account URL with real values (a live invitation, a valid reset token)."""
    values = {
        "token": make_token(world.invitation),
        "uidb64": urlsafe_base64_encode(force_bytes(world.owner.pk)),
    }
    kwargs: dict[str, Any] = {}
    for match in PARAM.finditer(str(pattern.pattern)):
        name = match.group(2)
        assert name in values, f"walk cannot fill <{name}> in {pattern.pattern}"
        kwargs[name] = values[name]
    if "uidb64" in kwargs:
        kwargs["token"] = default_token_generator.make_token(world.owner)
    return reverse(pattern.name, kwargs=kwargs)


def row_counts() -> dict[str, int]:
    """How many rows every model of every installed app holds."""
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_no_get_changes_anything(workspace_world: SimpleNamespace, client: Client) -> None:
    """An owner who merely opens any address (a link on another site would do it) changes
    nothing: no row of any model, no activity entry, on every page, account and API URL."""
    client.force_login(workspace_world.owner)
    urls = [reverse("workspace:list"), reverse("workspace:create")]
    urls += [fill(p, workspace_world) for p in scoped_patterns()]
    urls += [fill_account(p, workspace_world) for p in account_patterns()]
    urls += [fill_api(path, workspace_world) for _, path in api_operations()]
    assert any("/remove/" in u for u in urls) and any("/revoke/" in u for u in urls)
    before, counts, activity = snapshot(), row_counts(), Activity.objects.count()
    for url in dict.fromkeys(urls):
        for method in (client.get, client.head):
            response = method(url)
            assert response.status_code < 500, f"{url}: {response.status_code}"
        assert Activity.objects.count() == activity, f"GET {url} wrote to the activity log"
        assert row_counts() == counts, f"GET {url} added or removed rows"
        assert "_auth_user_id" in client.session, f"GET {url} signed the owner out"
    assert snapshot() == before


def test_changing_routes_refuse_get(workspace_world: SimpleNamespace, client: Client) -> None:
    """Removing a member and withdrawing an invitation need the form's POST (with CSRF)."""
    world = workspace_world
    client.force_login(world.owner)
    remove = reverse("workspace:member_remove", args=["ramsey", world.viewer_membership.pk])
    revoke = reverse("workspace:invitation_revoke", args=["ramsey", world.invitation.pk])
    for url in (remove, revoke):
        response = client.get(url, HTTP_REFERER="https://evil.example/")
        assert response.status_code == 302 and response["Location"] == "/w/ramsey/members/"
    assert Membership.objects.filter(pk=world.viewer_membership.pk).exists()
    world.invitation.refresh_from_db()
    assert world.invitation.revoked_at is None
    # the members page's buttons are POST forms, and they work
    assert client.post(revoke).status_code == 302
    world.invitation.refresh_from_db()
    assert world.invitation.revoked_at is not None
    assert client.post(remove).status_code == 302
    assert not Membership.objects.filter(pk=world.viewer_membership.pk).exists()


def test_coalition_pages_make_no_structure_on_get(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    """A workspace without a saved structure (one made in the admin) gets none from a GET."""
    CoalitionStructure.objects.filter(workspace=workspace_world.workspace).delete()
    client.force_login(workspace_world.owner)
    for name in ("coalition", "structure_edit"):
        assert client.get(reverse(f"workspace:{name}", args=["ramsey"])).status_code == 200
    assert not CoalitionStructure.objects.filter(workspace=workspace_world.workspace).exists()
    url = reverse("workspace:structure_edit", args=["ramsey"])
    data = {"advisory_cadence": "quarterly", "backbone_duties": "Convene", "version": 1}
    assert client.post(url, data).status_code == 302
    assert CoalitionStructure.objects.get(workspace=workspace_world.workspace).advisory_cadence == (
        "quarterly"
    )

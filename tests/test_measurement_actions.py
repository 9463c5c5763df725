"""Actions and milestones, sustainability and learning (issue 14, parts 5 and 6): the
overdue and stale rules, the forms and their refusals, the pages and the API, and
``upward remind`` (emails in django.core.mail.outbox, dry run, once a day)."""

from __future__ import annotations

import json
from datetime import date, timedelta
from types import SimpleNamespace
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from typer.testing import CliRunner
from workspace_support import snapshot

from upward.cli import app
from upward.planning import action as rules
from upward.web.api.routes import api
from upward.web.measurement import action_store as store
from upward.web.measurement.models import (
    Action,
    FundingSource,
    LearningPlan,
    Measure,
    SentReminder,
    Sustainability,
)
from upward.web.measurement.reminders import remind
from upward.web.measurement.views.sustainability import funding_totals
from upward.web.workspace.models import Activity, Membership, Stakeholder, Workspace

pytest_plugins = ["workspace_support"]

DAY = date(2026, 3, 10)

# --- the rules (plain values) ----------------------------------------------------------


def test_overdue_means_past_due_and_still_open() -> None:
    yesterday, tomorrow = DAY - timedelta(days=1), DAY + timedelta(days=1)
    assert rules.is_overdue(yesterday, "in_progress", DAY)
    assert rules.is_overdue(yesterday, "blocked", DAY)
    assert not rules.is_overdue(DAY, "not_started", DAY)  # due today: not yet
    assert not rules.is_overdue(tomorrow, "not_started", DAY)
    assert not rules.is_overdue(yesterday, "done", DAY)
    assert not rules.is_overdue(yesterday, "dropped", DAY)
    assert not rules.is_overdue(None, "in_progress", DAY)


def test_due_soon_counts_today_and_the_next_days() -> None:
    assert rules.is_due_soon(DAY, "not_started", DAY)
    assert rules.is_due_soon(DAY + timedelta(days=7), "not_started", DAY)
    assert not rules.is_due_soon(DAY + timedelta(days=8), "not_started", DAY)
    assert rules.is_due_soon(DAY + timedelta(days=8), "not_started", DAY, within=8)
    assert not rules.is_due_soon(DAY - timedelta(days=1), "not_started", DAY)  # overdue
    assert not rules.is_due_soon(DAY, "done", DAY)


def test_stale_after_thirty_days_without_a_save() -> None:
    assert rules.STALE_DAYS == 30
    assert rules.is_stale(DAY - timedelta(days=30), "in_progress", DAY)
    assert not rules.is_stale(DAY - timedelta(days=29), "in_progress", DAY)
    assert not rules.is_stale(DAY - timedelta(days=300), "done", DAY)
    assert rules.is_stale(DAY - timedelta(days=5), "blocked", DAY, days=5)


def test_dates_and_percent_problems() -> None:
    assert rules.dates_problem(DAY, DAY) == ""
    assert rules.dates_problem(None, DAY) == rules.dates_problem(DAY, None) == ""
    assert "on or after the start (March 10, 2026)" in rules.dates_problem(
        DAY, DAY - timedelta(days=1)
    )
    assert rules.percent_problem(0) == rules.percent_problem(100) == ""
    assert rules.percent_problem(101) and rules.percent_problem(-1)


# --- the store agrees with the rules ---------------------------------------------------


@pytest.mark.django_db
def test_the_filters_select_what_the_flags_flag(workspace_world: SimpleNamespace) -> None:
    w = workspace_world
    today = store.today()
    cases = [
        ("past, open", today - timedelta(days=1), "in_progress"),
        ("past, done", today - timedelta(days=1), "done"),
        ("today", today, "not_started"),
        ("in a week", today + timedelta(days=7), "blocked"),
        ("in eight days", today + timedelta(days=8), "not_started"),
        ("no date", None, "not_started"),
    ]
    for title, due, status in cases:
        Action.objects.create(workspace=w.workspace, strategy=w.strategy, title=title,
                              due_date=due, status=status, owner_member=w.owner)  # fmt: skip
    old = Action.objects.create(workspace=w.workspace, strategy=w.strategy, title="old",
                                status="in_progress", owner_member=w.owner)  # fmt: skip
    Action.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=31))
    rows = list(store.actions_of(w.workspace))
    for name, q in (("overdue", store.overdue_q(today)), ("stale", store.stale_q(today)),
                    ("due_soon", store.due_soon_q(today))):  # fmt: skip
        chosen = set(store.actions_of(w.workspace).filter(q).values_list("title", flat=True))
        flagged = {a.title for a in rows if getattr(store.flags_of(a, today), name)}
        assert chosen == flagged, name
    assert {a.title for a in rows if store.flags_of(a, today).overdue} == {
        "past, open",
        "Convene employers",
    }
    assert {a.title for a in rows if store.flags_of(a, today).stale} == {"old"}


# --- pages -----------------------------------------------------------------------------


def _action_data(w: SimpleNamespace, **more: Any) -> dict[str, Any]:
    return {
        "strategy": w.strategy.pk, "title": "Hold the employer breakfast", "kind": "milestone",
        "owner": f"stakeholder:{w.stakeholder.pk}", "start_date": "2026-01-05",
        "due_date": "2026-02-01", "status": "not_started", "percent": "0", "notes": "",
        **more,
    }  # fmt: skip


@pytest.mark.django_db
def test_an_editor_adds_an_action_with_an_owner(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    w = workspace_world
    client.force_login(w.editor)
    url = reverse("workspace:action_create", args=["ramsey"])
    form = client.get(url + f"?strategy={w.strategy.pk}")
    assert form.status_code == 200
    assert f'<option value="{w.strategy.pk}" selected>' in form.content.decode()
    response = client.post(url, _action_data(w))
    assert response.status_code == 302
    action = Action.objects.get(title="Hold the employer breakfast")
    assert response["Location"] == reverse("workspace:strategy_actions",
                                           args=["ramsey", w.strategy.pk])  # fmt: skip
    assert action.owner_stakeholder == w.stakeholder and action.owner_member is None
    assert action.kind == "milestone" and action.updated_by == w.editor
    assert Activity.objects.filter(verb="added", target__contains="breakfast").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Hold the employer breakfast" in page and "Overdue" in page  # due 2026-02-01


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"due_date": "2026-01-01"}, "due_date", "on or after the start (January 5, 2026)"),
        ({"percent": "101"}, "percent", "from 0 to 100"),
        ({"percent": "-5"}, "percent", "from 0 to 100"),
        ({"percent": "half"}, "percent", "from 0 to 100"),
        ({"owner": ""}, "owner", "Choose the owner"),
        ({"owner": "member:999999"}, "owner", "not among them"),
        ({"title": "   "}, "title", ""),
    ],
)
def test_bad_input_is_refused_field_by_field(
    workspace_world: SimpleNamespace, client: Client, changes: dict, field: str, message: str
) -> None:
    w = workspace_world
    client.force_login(w.editor)
    before = snapshot()
    response = client.post(reverse("workspace:action_create", args=["ramsey"]),
                           _action_data(w, **changes))  # fmt: skip
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert message in " ".join(response.context["form"].errors[field])
    assert f'id="id_{field}_error"' in response.content.decode()
    assert snapshot() == before


@pytest.mark.django_db
def test_an_owner_from_another_workspace_is_refused(
    rival_world: SimpleNamespace, client: Client
) -> None:
    w = rival_world
    client.force_login(w.owner)
    before = snapshot()
    for owner in (f"stakeholder:{w.other_stakeholder.pk}", f"member:{w.outsider.pk}"):
        response = client.post(reverse("workspace:action_create", args=["ramsey"]),
                               _action_data(w, owner=owner))  # fmt: skip
        assert response.status_code == 400
        assert "not among them" in response.context["form"].errors["owner"][0]
    other = Workspace.objects.get(slug="elsewhere")
    assert not Stakeholder.objects.filter(workspace=other, actions__isnull=False).exists()
    assert snapshot() == before


@pytest.mark.django_db
def test_a_stale_version_shows_the_conflict_and_saves_nothing(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    w = workspace_world
    client.force_login(w.editor)
    url = reverse("workspace:action_edit", args=["ramsey", w.action.pk])
    Action.objects.filter(pk=w.action.pk).update(version=2, notes="saved meanwhile")
    data = _action_data(w, owner=f"member:{w.owner.pk}", version=1, status="done")
    response = client.post(url, data)
    assert response.status_code == 409
    assert Action.objects.get(pk=w.action.pk).status == "in_progress"
    data["version"] = 2
    assert client.post(url, data).status_code == 302
    done = Action.objects.get(pk=w.action.pk)
    assert done.status == "done" and done.version == 3
    assert not store.flags_of(done, store.today()).overdue


@pytest.mark.django_db
def test_the_list_filters_without_script(workspace_world: SimpleNamespace, client: Client) -> None:
    w = workspace_world
    Action.objects.create(workspace=w.workspace, strategy=w.strategy, title="Map the routes",
                          owner_stakeholder=w.stakeholder, status="done")  # fmt: skip
    client.force_login(w.viewer)
    before = snapshot()
    url = reverse("workspace:actions", args=["ramsey"])
    everything = client.get(url).content.decode()
    assert "Convene employers" in everything and "Map the routes" in everything
    assert "1 item overdue" in everything
    overdue = client.get(url, {"flag": "overdue"}).content.decode()
    assert "Convene employers" in overdue and "Map the routes" not in overdue
    mine = client.get(url, {"owner": f"stakeholder:{w.stakeholder.pk}"}).content.decode()
    assert "Map the routes" in mine and "Convene employers" not in mine
    done = client.get(url, {"status": "done"}).content.decode()
    assert "Map the routes" in done and "Convene employers" not in done
    assert client.get(url, {"owner": "stakeholder:99999"}).status_code == 400
    assert client.get(url, {"status": "finished"}).status_code == 400
    per_strategy = reverse("workspace:strategy_actions", args=["ramsey", w.strategy.pk])
    assert "Convene employers" in client.get(per_strategy).content.decode()
    strategies = client.get(reverse("workspace:strategies", args=["ramsey"])).content.decode()
    assert per_strategy in strategies
    assert snapshot() == before  # GET changes nothing


@pytest.mark.django_db
def test_get_changes_nothing_on_any_new_page(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    w = workspace_world
    client.force_login(w.owner)
    before = snapshot()
    for name, args in (
        ("actions", []), ("action_create", []), ("action_edit", [w.action.pk]),
        ("action_delete", [w.action.pk]), ("strategy_actions", [w.strategy.pk]),
        ("sustainability", []), ("strategy_sustainability", [w.strategy.pk]),
        ("strategy_sustainability", [w.planned_strategy.pk]), ("funding_source_create", []),
        ("funding_source_edit", [w.funding_source.pk]), ("learning_plan", []),
        ("measurement", []),
    ):  # fmt: skip
        assert client.get(reverse(f"workspace:{name}", args=["ramsey", *args])).status_code in (
            200, 302,
        ), name  # fmt: skip
    assert snapshot() == before


# --- sustainability and learning -------------------------------------------------------


@pytest.mark.django_db
def test_sustainability_funding_and_learning_pages(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    w = workspace_world
    client.force_login(w.editor)
    url = reverse("workspace:strategy_sustainability", args=["ramsey", w.strategy.pk])
    data = {"strategy": w.strategy.pk, "responsible": [w.stakeholder.pk],
            "resources": "Two staff days a month"}  # fmt: skip
    assert client.post(url, data).status_code == 302
    plan = Sustainability.objects.get(strategy=w.strategy)
    assert list(plan.responsible.all()) == [w.stakeholder]
    # the page of one strategy writes that strategy's plan only
    moved = client.post(url, {**data, "strategy": w.planned_strategy.pk, "version": 1})
    assert moved.status_code == 400 and "strategy" in moved.context["form"].errors
    new_fund = reverse("workspace:funding_source_create", args=["ramsey"])
    refused = client.post(new_fund, {"strategy": w.strategy.pk, "name": "City", "amount": "-1",
                                     "status": "secured"})  # fmt: skip
    assert refused.status_code == 400 and "zero or more" in refused.context["form"].errors[
        "amount"][0]  # fmt: skip
    assert client.post(new_fund, {"strategy": w.strategy.pk, "name": "City", "amount": "2500",
                                  "status": "secured"}).status_code == 302  # fmt: skip
    assert client.post(new_fund, {"strategy": w.strategy.pk, "name": "State grant",
                                  "status": "secured"}).status_code == 302  # fmt: skip
    overview = client.get(reverse("workspace:sustainability", args=["ramsey"])).content.decode()
    assert "Two staff days a month" in overview
    assert "Secured: 2 sources, $2,500 (1 without an amount)" in overview
    learning = reverse("workspace:learning_plan", args=["ramsey"])
    too_many = "\n".join(f"Question {n}?" for n in range(21))
    refused = client.post(learning, {"version": 1, "cadence": "monthly",
                                     "questions_text": too_many})  # fmt: skip
    assert refused.status_code == 400 and "questions_text" in refused.context["form"].errors
    assert (
        client.post(
            learning,
            {
                "version": 1,
                "cadence": "monthly",
                "questions_text": "Who is missing?\n\n Does it last? ",
                "revisit_trigger": "a new data release",
            },
        ).status_code
        == 302
    )
    plan = LearningPlan.objects.get(workspace=w.workspace)
    assert plan.questions == ["Who is missing?", "Does it last?"] and plan.cadence == "monthly"


def test_funding_totals_count_sources_without_an_amount() -> None:
    from decimal import Decimal

    sources = [FundingSource(status="secured", amount=Decimal(100)),
               FundingSource(status="secured", amount=None),
               FundingSource(status="prospect", amount=None)]  # fmt: skip
    assert funding_totals(sources) == [
        {"label": "Secured", "count": 2, "total": Decimal(100), "unpriced": 1},
        {"label": "Prospect", "count": 1, "total": None, "unpriced": 1},
    ]


# --- API -------------------------------------------------------------------------------


def _api(client: Client, method: str, path: str, body: Any = None) -> Any:
    data = json.dumps(body) if body is not None else ""
    return client.generic(method, "/api/workspaces/ramsey" + path, data,
                          content_type="application/json")  # fmt: skip


@pytest.mark.django_db
def test_the_api_refuses_what_the_page_refuses(
    rival_world: SimpleNamespace, client: Client
) -> None:
    w = rival_world
    client.force_login(w.owner)
    before = snapshot()
    base = {"strategy": w.strategy.pk, "title": "Via the API", "start_date": "2026-02-01"}
    cases = [
        ({"owner_stakeholder": w.other_stakeholder.pk}, 422, "owner_stakeholder"),
        ({"owner_member": w.outsider.pk}, 422, "owner_member"),
        ({"owner_member": w.owner.pk, "owner_stakeholder": w.stakeholder.pk}, 422,
         "owner_member"),
        ({"owner_member": w.owner.pk, "due_date": "2026-01-01"}, 422, "due_date"),
        ({"owner_member": w.owner.pk, "percent": 150}, 400, "percent"),
        ({"owner_member": w.owner.pk, "strategy": 10**6}, 422, "strategy"),
        ({}, 422, "owner_member"),
    ]  # fmt: skip
    for extra, status, field in cases:
        response = _api(client, "POST", "/actions", {**base, **extra})
        assert response.status_code == status, (extra, response.content)
        assert field in json.loads(response.content)["error"]["fields"], extra
    assert snapshot() == before
    made = _api(client, "POST", "/actions", {**base, "owner_member": w.owner.pk})
    assert made.status_code == 201
    body = json.loads(made.content)
    assert body["owner"] == {"kind": "member", "id": w.owner.pk, "name": "olivia"}
    stale = _api(client, "PUT", f"/actions/{body['id']}", {**base, "version": 9,
                                                          "owner_member": w.owner.pk})  # fmt: skip
    assert stale.status_code == 409 and json.loads(stale.content)["current"]["version"] == 1
    overdue = json.loads(_api(client, "GET", "/actions?flag=overdue").content)
    assert [a["title"] for a in overdue["items"]] == ["Convene employers"]
    assert overdue["items"][0]["overdue"] is True


@pytest.mark.django_db
def test_an_amount_the_document_allows_is_saved_to_the_cent(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    w = workspace_world
    client.force_login(w.owner)
    base = {"strategy": w.strategy.pk, "name": "Bond", "status": "pending"}
    schema = api.get_openapi_schema()["paths"]["/api/workspaces/{slug}/funding-sources"]
    amount = schema["post"]["requestBody"]["content"]["application/json"]["schema"][
        "properties"]["amount"]["anyOf"][0]  # fmt: skip
    # the column holds 14 digits, 2 after the point
    assert (amount["minimum"], amount["maximum"]) == (0, 999_999_999_999.99)
    before = snapshot()
    too_big = _api(client, "POST", "/funding-sources", {**base, "amount": 4.4e250})
    assert too_big.status_code == 400
    assert "amount" in json.loads(too_big.content)["error"]["fields"]
    assert snapshot() == before
    for sent, kept in [(999_999_999_999.99, "999999999999.99"), (1234.567, "1234.57"),
                       (0.004, "0.00")]:  # fmt: skip
        made = _api(client, "POST", "/funding-sources", {**base, "name": f"Bond {sent}",
                                                          "amount": sent})  # fmt: skip
        assert made.status_code == 201, made.content
        assert json.loads(made.content)["amount"] == kept
        assert str(FundingSource.objects.get(pk=json.loads(made.content)["id"]).amount) == kept


@pytest.mark.django_db
def test_the_learning_plan_is_one_per_workspace(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    w = workspace_world
    client.force_login(w.owner)
    current = json.loads(_api(client, "GET", "/learning-plan").content)
    assert current["version"] == 1 and current["questions"] == ["Who is not yet reached?"]
    first = _api(client, "PUT", "/learning-plan", {"version": 0, "questions": ["x"]})
    assert first.status_code == 409
    bad = _api(client, "PUT", "/learning-plan", {"version": 1, "questions": ["two\nlines"]})
    assert bad.status_code == 400 and "questions" in json.loads(bad.content)["error"]["fields"]
    saved = _api(client, "PUT", "/learning-plan", {"version": 1, "cadence": "monthly",
                                                    "questions": ["Who is reached?"]})  # fmt: skip
    assert saved.status_code == 200 and json.loads(saved.content)["version"] == 2
    LearningPlan.objects.all().delete()
    assert json.loads(_api(client, "GET", "/learning-plan").content)["version"] == 0
    again = _api(client, "PUT", "/learning-plan", {"version": 0, "revisit_on": "2027-01-15"})
    assert again.status_code == 200 and json.loads(again.content)["revisit_on"] == "2027-01-15"


# --- upward remind ---------------------------------------------------------------------


@pytest.mark.django_db
def test_remind_emails_each_owner_once_a_day(workspace_world: SimpleNamespace) -> None:
    w = workspace_world
    today = store.today()
    w.stakeholder.email = "schools@example.org"
    w.stakeholder.save()
    soon = Action.objects.create(workspace=w.workspace, strategy=w.strategy, title="Draft MOU",
                                 owner_stakeholder=w.stakeholder,
                                 due_date=today + timedelta(days=6))  # fmt: skip
    later = Action.objects.create(
        workspace=w.workspace,
        strategy=w.strategy,
        title="Pilot",
        owner_member=w.editor,
        due_date=today + timedelta(days=10),
    )
    Action.objects.create(workspace=w.workspace, strategy=w.strategy, title="Finished",
                          owner_member=w.editor, due_date=today - timedelta(days=9),
                          status="done")  # fmt: skip
    nobody = Stakeholder.objects.create(workspace=w.workspace, name="No address", sector="other")
    Action.objects.create(workspace=w.workspace, strategy=w.strategy, title="Unreachable",
                          owner_stakeholder=nobody, due_date=today)  # fmt: skip

    dry = remind(dry_run=True, base_url="https://upward.example.org")
    assert mail.outbox == [] and not SentReminder.objects.exists()
    assert [(r.email, [i.title for i in r.items]) for r in dry.reminders] == [
        ("olivia@example.org", ["Convene employers"]),
        ("schools@example.org", ["Draft MOU"]),
    ]

    run = remind(base_url="https://upward.example.org")
    assert run.sent == 2 and len(mail.outbox) == 2
    to_owner = next(m for m in mail.outbox if m.to == ["olivia@example.org"])
    assert to_owner.subject == "Upward: 1 item due soon or overdue"
    assert "Convene employers (Ramsey Mobility Coalition): overdue since" in to_owner.body
    assert f"https://upward.example.org/w/ramsey/measure/actions/{w.action.pk}/" in to_owner.body
    assert SentReminder.objects.count() == 2

    again = remind()  # the same day: nothing new
    assert again.sent == 0 and again.already_sent == 2 and len(mail.outbox) == 2
    wider = remind(within=14)  # a new item is still sent the same day
    assert [i.title for r in wider.reminders for i in r.items] == ["Pilot"]
    assert len(mail.outbox) == 3 and later.pk and soon.pk
    Membership.objects.filter(workspace=w.workspace, user=w.editor).delete()
    left = remind(on=today + timedelta(days=1), within=14, dry_run=True)
    assert w.editor.email not in {r.email for r in left.reminders}  # a member who left
    assert "Pilot" not in {i.title for r in left.reminders for i in r.items}
    tomorrow = remind(on=today + timedelta(days=1), dry_run=True)
    assert {i.title for r in tomorrow.reminders for i in r.items} == {
        "Convene employers",
        "Draft MOU",
    }


@pytest.mark.django_db
def test_the_remind_command_prints_a_dry_run(workspace_world: SimpleNamespace) -> None:
    result = CliRunner().invoke(app, ["remind", "--dry-run", "--days", "3"])
    assert result.exit_code == 0, result.output
    assert "Would send to olivia@example.org: Upward: 1 item due soon or overdue" in result.output
    assert "Convene employers" in result.output
    assert mail.outbox == [] and not SentReminder.objects.exists()


@pytest.mark.django_db
def test_the_readiness_plan_flags_overdue_tasks_by_the_same_rule(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    w = workspace_world
    past = store.today() - timedelta(days=2)
    type(w.task).objects.filter(pk=w.task.pk).update(due_date=past, status="in_progress")
    client.force_login(w.viewer)
    url = reverse("workspace:plan", args=["ramsey", w.assessment.number])
    assert client.get(url).content.decode().count(">Overdue</span>") == 1
    type(w.task).objects.filter(pk=w.task.pk).update(status="done")
    assert ">Overdue</span>" not in client.get(url).content.decode()


@pytest.mark.django_db
def test_remind_tells_who_is_responsible_for_a_measure_whose_data_are_stale(
    workspace_world: SimpleNamespace,
) -> None:
    w = workspace_world
    today = timezone.now().date()
    Measure.objects.filter(workspace=w.workspace).update(frequency="release")
    quarterly = Measure.objects.create(
        workspace=w.workspace, element=w.outcome, kind="performance", title="Trainees placed",
        aspect="how_much", frequency="quarterly", responsible_member=w.owner,
    )  # fmt: skip
    # 92 days without an update: stale on the 92nd day after it, not the day before
    Measure.objects.filter(pk=quarterly.pk).update(updated_at=timezone.now() - timedelta(days=92))
    Action.objects.filter(workspace=w.workspace).delete()
    run = remind(dry_run=True)
    assert [(r.email, [(i.subject, i.title) for i in r.items]) for r in run.reminders] == [
        (w.owner.email.lower(), [("measure", "Trainees placed")])
    ]
    assert "read every quarter" in run.reminders[0].items[0].why
    assert remind(on=today - timedelta(days=1), dry_run=True).reminders == []

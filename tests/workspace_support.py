"""Fixtures shared by the workspace tests: a pytest plugin that each
tests/test_workspace_*.py module loads with ``pytest_plugins = ["workspace_support"]``
(tests/ is on sys.path); the helpers are imported normally. PYTEST_DONT_REWRITE: the
module has no assertions, and this keeps pytest from warning that it was imported before
it was registered as a plugin.

``workspace_world`` builds one workspace with an owner, an editor and a viewer, an
outsider who belongs to another workspace, and one record of every kind, so that a test
can reach every workspace URL. ``rival_world`` adds records to the outsider's own
workspace, so isolation tests can check that neither side sees the other's data.
Both stand on ``warehouse_env`` (tests/conftest.py), which the web tests share.
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.files.base import ContentFile
from django.utils import timezone

from upward.web.knowledge.models import (
    Code,
    Engagement,
    Excerpt,
    FindingsSummary,
    FindingsVersion,
    InputAnswer,
    InputForm,
    LocalSeries,
    LocalValue,
    Note,
    Official,
    SurveyLink,
)
from upward.web.measurement.models import (
    Action,
    Baseline,
    FundingSource,
    LearningPlan,
    Measure,
    PlanVersion,
    ProgressRefresh,
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
    VisionVersion,
)
from upward.web.workspace import readiness_store
from upward.web.workspace.models import (
    CoalitionStructure,
    Invitation,
    Membership,
    PeerSet,
    Stakeholder,
    Workgroup,
    Workspace,
)
from upward.web.workspace.tokens import new_nonce

PASSWORD = "Planning-Together-2025"

__all__ = ["fast_passwords", "rival_world", "workspace_world"]


@pytest.fixture(autouse=True)
def fast_passwords(settings: Any) -> None:
    """Hash passwords quickly in tests (production keeps Django's slow default)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def make_user(username: str, password: str = PASSWORD) -> Any:
    return get_user_model().objects.create_user(
        username=username, email=f"{username}@example.org", password=password
    )


def make_workspace(
    owner: Any, name: str = "Ramsey Mobility Coalition", slug: str = "ramsey"
) -> Workspace:
    workspace = Workspace.objects.create(
        name=name, slug=slug, geoids=["27123", "2758000"], created_by=owner
    )
    Membership.objects.create(workspace=workspace, user=owner, role="owner")
    CoalitionStructure.objects.create(workspace=workspace)
    return workspace


def add_member(workspace: Workspace, user: Any, role: str) -> Membership:
    return Membership.objects.create(workspace=workspace, user=user, role=role)


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row of every workspace, knowledge, strategy, measurement and network model and
    of the user table, to prove nothing changed."""
    models = [
        *apps.get_app_config("workspace").get_models(),
        *apps.get_app_config("knowledge").get_models(),
        *apps.get_app_config("strategy").get_models(),
        *apps.get_app_config("measurement").get_models(),
        *apps.get_app_config("networks").get_models(),
        get_user_model(),
    ]
    return {m.__name__: list(m._default_manager.order_by("pk").values()) for m in models}


def use_tmp_storage(settings: Any, folder: Path) -> None:
    """Keep uploaded files under ``folder`` (a test's tmp dir), never in UPWARD_HOME."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(folder / "uploads")},
        },
    }


def make_local_series(workspace: Workspace) -> LocalSeries:
    series = LocalSeries.objects.create(
        workspace=workspace, name="Youth employment survey", unit="share", source="Survey",
        quality="marginal", predictors=["employment_opportunities"],
        rubric={"documented": "yes", "coverage": "partly", "precision": "yes", "recent": "yes"},
    )  # fmt: skip
    LocalValue.objects.create(
        series=series, row=2, geography_kind="place", geography="27123", period="2023", value=0.4
    )
    series.original.save("walk.csv", ContentFile(b"geography,period,value\n27123,2023,0.4\n"))
    return series


@pytest.fixture
def workspace_world(db: Any, warehouse_env: Path, settings: Any, tmp_path: Path) -> SimpleNamespace:
    use_tmp_storage(settings, tmp_path)
    owner, editor, viewer, outsider = (make_user(n) for n in ("olivia", "eddie", "vera", "oscar"))
    workspace = make_workspace(owner)
    add_member(workspace, editor, "editor")
    viewer_membership = add_member(workspace, viewer, "viewer")
    make_workspace(outsider, name="Elsewhere Coalition", slug="elsewhere")
    assessment = readiness_store.create_assessment(workspace, owner, "First look", False)
    readiness_store.build_plan(assessment)
    task = assessment.tasks.order_by("pk").first()
    stakeholder = Stakeholder.objects.create(
        workspace=workspace,
        name="Saint Paul Public Schools",
        sector="early_k12",
        pillars=["education"],
        predictors=["effective_public_education"],
        relationship="engaged",
    )
    workgroup = Workgroup.objects.create(
        workspace=workspace, name="Education", focus_pillar="education", lead=stakeholder
    )
    workgroup.members.add(stakeholder)
    peer_set = PeerSet.objects.create(workspace=workspace, name="Twin counties", geoids=["27053"])
    invitation = Invitation.objects.create(
        workspace=workspace,
        role="editor",
        nonce=new_nonce(),
        created_by=owner,
        expires_at=timezone.now() + timedelta(days=7),
    )
    engagement = Engagement.objects.create(
        workspace=workspace, title="Frogtown data walk", kind="data_walk",
        date=timezone.now().date(), level="consult", participants=3,
        demographics={"race": {"hispanic": 1, "white_nonhispanic": 2}},
    )  # fmt: skip
    code = Code.objects.create(workspace=workspace, kind="custom", name="Child care")
    note = Note.objects.create(
        workspace=workspace, title="Listening session notes", text="We need child care near work."
    )
    excerpt = Excerpt.objects.create(
        workspace=workspace, note=note, start=8, end=18, text="child care"
    )
    excerpt.codes.add(code)
    official = Official.objects.create(
        workspace=workspace, name="Ana Ruiz", office="Council Member", body="City Council"
    )
    survey_link = SurveyLink.objects.create(
        official=official, nonce="n" * 43, expires_at=timezone.now() + timedelta(days=30)
    )
    input_form = InputForm.objects.create(
        workspace=workspace,
        public_id="walk-input-form-000001",
        title="Neighborhood voices",
        questions=[{"id": "q1", "text": "What helps?", "text_es": "", "predictor": ""}],
    )
    input_answer, input_answer_aside = (
        InputAnswer.objects.create(form=input_form, language="en", answers={"q1": text})
        for text in ("The library", "Buses")
    )
    local_series = make_local_series(workspace)
    findings_summary = FindingsSummary.objects.create(workspace=workspace, predictors=[])
    findings_version = FindingsVersion.objects.create(summary=findings_summary, number=1, title="x")
    strategy = make_strategy_world(workspace, owner, stakeholder, workgroup)
    measures = make_measure_world(workspace, owner, stakeholder, strategy)
    measurement = make_measurement_world(workspace, owner, stakeholder, strategy["strategy"])
    plan_version = publish_plan(workspace, owner)
    return SimpleNamespace(
        plan_version=plan_version,
        **strategy,
        **measures,
        **measurement,
        code=code,
        note=note,
        excerpt=excerpt,
        official=official,
        survey_link=survey_link,
        input_form=input_form,
        input_answer=input_answer,
        input_answer_aside=input_answer_aside,
        findings_summary=findings_summary,
        findings_version=findings_version,
        local_series=local_series,
        owner=owner,
        editor=editor,
        viewer=viewer,
        outsider=outsider,
        workspace=workspace,
        assessment=assessment,
        task=task,
        stakeholder=stakeholder,
        workgroup=workgroup,
        peer_set=peer_set,
        invitation=invitation,
        viewer_membership=viewer_membership,
        engagement=engagement,
    )


def make_strategy_world(
    workspace: Workspace, owner: Any, stakeholder: Stakeholder, workgroup: Workgroup
) -> dict[str, Any]:
    """One record of each strategy kind (guide Step 7) for the isolation walk: a priority
    with a small logic model (a strategy leading to an outcome and the result), a theory of
    change, a vision version with a comment, a decision, and a shared-library strategy."""
    priority = Priority.objects.create(
        workspace=workspace, geoid="27123", predictor="opportunities_for_income",
        metric="employment", variable="share_employed", title="Employment, Ramsey County",
        source="insights", rank=1,
    )  # fmt: skip
    shared_strategy, _new = SharedStrategy.objects.get_or_create(
        slug="walk-shared-strategy",
        defaults={
            "name": "Sector partnerships", "summary": "Employers and trainers together.",
            "pillar": "opportunity", "predictors": ["opportunities_for_income"],
            "evidence_level": "strong",
            "sources": [{"citation": "A study", "url": "https://example.org/study"}],
        },
    )  # fmt: skip
    strategy = Strategy.objects.create(
        workspace=workspace, name="Sector partnerships", evidence_level="emerging",
        lead=stakeholder, workgroup=workgroup, predictors=["opportunities_for_income"],
    )  # fmt: skip
    strategy.partners.add(stakeholder)
    element = Element.objects.create(
        workspace=workspace, priority=priority, kind="strategy", title=strategy.name,
        strategy=strategy,
    )  # fmt: skip
    outcome = Element.objects.create(
        workspace=workspace, priority=priority, kind="short", title="Employers hire locally",
        condition="practices",
    )  # fmt: skip
    result = Element.objects.create(
        workspace=workspace, priority=priority, kind="result", title="Share employed"
    )
    link = Link.objects.create(workspace=workspace, source=element, target=outcome)
    Link.objects.create(workspace=workspace, source=outcome, target=result)
    theory = TheoryOfChange.objects.create(
        workspace=workspace, if_we="train with employers", then="more residents are hired",
        because="employers shape the training",
    )  # fmt: skip
    theory.priorities.add(priority)
    vision_version = VisionVersion.objects.create(
        workspace=workspace, number=1, text="Every family in Ramsey County thrives.", author=owner
    )
    comment = Comment.objects.create(
        workspace=workspace, subject="vision", object_id=vision_version.pk, text="Say who.",
        author=owner,
    )  # fmt: skip
    decision = PriorityDecision.objects.create(
        workspace=workspace, method="dot_vote", date=timezone.now().date(),
        votes={str(priority.pk): 7},
    )  # fmt: skip
    return {
        "priority": priority,
        "shared_strategy": shared_strategy,
        "strategy": strategy,
        "element": element,
        "outcome": outcome,
        "result_element": result,
        "link": link,
        "theory": theory,
        "vision_version": vision_version,
        "comment": comment,
        "decision": decision,
    }


def make_measure_world(
    workspace: Workspace, owner: Any, stakeholder: Stakeholder, strategy: dict[str, Any]
) -> dict[str, Any]:
    """One record of each measurement kind (guide Step 8) for the isolation walk: a
    systems-change measure of the outcome (``measure``), a population indicator of the
    result with a baseline and a target (``population``), one with a baseline only
    (``pinned``: the walk's new target goes there) and one without (``unpinned``: the
    walk's new baseline). None is on the strategy element, which the walk deletes first
    (and the walk deletes the priority, with its whole model, last)."""
    outcome, result = strategy["outcome"], strategy["result_element"]
    measure = Measure.objects.create(
        workspace=workspace, element=outcome, kind="systems_change", title="Local hiring policy",
        condition="practices", milestones=[{"text": "Policy adopted", "evidence": "Minutes"}],
        responsible_stakeholder=stakeholder, frequency="yearly",
    )  # fmt: skip
    population, pinned, unpinned = (
        Measure.objects.create(
            workspace=workspace,
            element=result,
            kind="population",
            title=title,
            geoid="27123",
            variable="pctl_income_20",
            responsible_member=owner,
        )
        for title in ("Income, 20th percentile", "Income (pinned)", "Income (not pinned)")
    )
    baseline, _pinned_baseline = (
        Baseline.objects.create(
            workspace=workspace,
            measure=m,
            geoid="27123",
            variable="pctl_income_20",
            year=2023,
            value=27250.5,
            lb=25500,
            ub=29000,
            quality="Strong",
            text="$27,251 in 2023",
            release="fixture",
        )
        for m in (population, pinned)
    )
    target = Target.objects.create(
        workspace=workspace, measure=population, method="value", parameters={"value": 28000},
        value=28000, mdc=2474.87, inside_noise=True, words="A target of $28,000.",
    )  # fmt: skip
    return {
        "measure": measure,
        "population": population,
        "pinned": pinned,
        "unpinned": unpinned,
        "baseline": baseline,
        "target": target,
    }


def make_measurement_world(
    workspace: Workspace, owner: Any, stakeholder: Stakeholder, strategy: Strategy
) -> dict[str, Any]:
    """One record of each kind of actions and sustainability (issue 14, parts 5 and 6):
    an overdue action owned by a member, a sustainability plan, a funding source and the
    learning plan. The plan is of a second strategy, so that the main one has none yet."""
    planned = Strategy.objects.create(
        workspace=workspace, name="Neighborhood navigators", evidence_level="moderate"
    )
    action = Action.objects.create(
        workspace=workspace, strategy=strategy, title="Convene employers", owner_member=owner,
        due_date=timezone.now().date() - timedelta(days=3), status="in_progress", percent=40,
    )  # fmt: skip
    sustainability = Sustainability.objects.create(
        workspace=workspace, strategy=planned, resources="A coordinator"
    )
    sustainability.responsible.add(stakeholder)
    funding_source = FundingSource.objects.create(
        workspace=workspace, strategy=strategy, name="Community foundation", status="pending"
    )
    learning_plan = LearningPlan.objects.create(
        workspace=workspace, questions=["Who is not yet reached?"]
    )
    progress_refresh = ProgressRefresh.objects.create(
        workspace=workspace, release="fixture", counts={"no_change": 1},
        changed=[{"measure": 0, "title": "Ramsey refresh line", "before": "not_comparable",
                  "after": "no_change"}],
    )  # fmt: skip
    return {
        "progress_refresh": progress_refresh,
        "action": action,
        "planned_strategy": planned,
        "sustainability": sustainability,
        "funding_source": funding_source,
        "learning_plan": learning_plan,
    }


def publish_plan(workspace: Workspace, owner: Any) -> PlanVersion:
    """Version 1 of the plan, published with every open problem confirmed (issue 14, part 7)."""
    from upward.web.measurement import publish_store

    problems = publish_store.publish_problems(workspace)
    return publish_store.publish(workspace, owner, [p.key for p in problems])


@pytest.fixture
def rival_world(workspace_world: SimpleNamespace) -> SimpleNamespace:
    """``workspace_world`` plus data of the outsider's own workspace ("elsewhere")."""
    world = workspace_world
    other = Workspace.objects.get(slug="elsewhere")
    world.other_workspace = other
    world.other_stakeholder = Stakeholder.objects.create(
        workspace=other,
        name="Harbor Food Shelf",
        sector="nonprofit",
        pillars=["work"],
        predictors=["jobs_paying_living_wage"],
        relationship="partner",
    )
    world.other_assessment = readiness_store.create_assessment(
        other, world.outsider, "Harbor check-in", False
    )
    PeerSet.objects.create(workspace=other, name="Harbor towns", geoids=["38071"])
    return world

"""``upward demo``: a made-up coalition for Ramsey County, MN, through every stage of the
planning process on Urban's real releases, and its team in the demo learning network.

:func:`build_demo` does the work in one transaction (a failure leaves nothing). Each
stage goes through the product's own stores and forms (readiness_store, priority_store,
model_store, baseline_store, target_store, publish_store, refresh_store, the local-data
upload form, ...), so the demo obeys the rules a coalition's own records obey. Records
with no store of their own are validated by their model (``full_clean``) before saving.

The baselines are pinned to release 2023.01 and progress is refreshed on 2025.01, so
both must be loaded (:class:`DemoRefused` says what is missing). The people,
organizations and the coalition are made up and labelled a demo; the places and their
numbers are real.
"""

from __future__ import annotations

import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.utils import timezone

from upward.explore.library import RegistryError, loaded_releases
from upward.planning import local_data as local_rules
from upward.planning.readiness import get_conditions
from upward.web.knowledge import findings_store, local_store
from upward.web.knowledge.forms_localdata import LocalUploadForm
from upward.web.knowledge.models import (
    Code,
    Engagement,
    Excerpt,
    Note,
    Official,
)
from upward.web.measurement import baseline_store, publish_store, refresh_store, target_store
from upward.web.measurement.models import (
    Action,
    FundingSource,
    LearningPlan,
    Measure,
    PlanVersion,
    Sustainability,
)
from upward.web.strategy import model_store, priority_store, review_store, vision_store
from upward.web.strategy.models import Approval, Element, Link, Strategy, TheoryOfChange
from upward.web.workspace import readiness_store
from upward.web.workspace.activity import record
from upward.web.workspace.models import (
    CoalitionStructure,
    Membership,
    Role,
    Stakeholder,
    Workgroup,
    Workspace,
)

SLUG = "ramsey-demo"
NAME = "Ramsey County Mobility Coalition (demo)"
DESCRIPTION = (
    "DEMO: a made-up coalition for Ramsey County, MN, built by the command upward demo to "
    "show the whole planning loop. Its people, organizations and records are not real; the "
    "county and its numbers (Urban's Mobility Metrics) are."
)
GEOID = "27123"
LOCALITY = "Ramsey County, MN"
"""How the demo network's seed page names the county (its team becomes this coalition)."""
BASELINE_RELEASE = "2023.01"
PROGRESS_RELEASE = "2025.01"
PASSWORD_ENV = "UPWARD_DEMO_PASSWORD"
EMAIL_DOMAIN = "demo.invalid"


@dataclass(frozen=True)
class Person:
    username: str
    first_name: str
    last_name: str
    role: str


PEOPLE = (
    Person("demo-owner", "Marisol", "Fenwick", Role.OWNER),
    Person("demo-editor", "Theo", "Lindqvist-Park", Role.EDITOR),
    Person("demo-viewer", "Priya", "Oakhollow", Role.VIEWER),
)
"""Made-up people: the coalition's owner, an editor and a viewer."""

CANDIDATES = ("share_hs_degree", "rate_low_birth_weight", "pctl_income_20")
"""The priorities' variables, in order of preference: the first two that release 2023.01
publishes for Ramsey County (Urban's files have the first two; a smaller release may not)."""
TARGET_METHODS = ({"method": "detectable"}, {"method": "percent", "percent": 10})
"""The first priority's target is its smallest detectable change, the second's 10% better."""


class DemoRefused(Exception):
    """The demo cannot be built as asked; nothing was changed. The message says why."""


@dataclass(frozen=True)
class SignIn:
    username: str
    password: str
    name: str
    role: str


@dataclass
class Demo:
    workspace: Workspace
    plan_version: PlanVersion
    sign_ins: list[SignIn] = field(default_factory=list)
    network_lines: list[str] = field(default_factory=list)
    network_slug: str = ""


# Checks -------------------------------------------------------------------------------


def missing_releases() -> str:
    """What is missing of the two releases the demo needs ("" when both are loaded and
    2025.01 is current)."""
    try:
        entries, current = loaded_releases()
    except (RegistryError, OSError, ValueError) as exc:
        return f"no releases can be read ({exc})"
    names = {e.name for e in entries}
    lacking = [n for n in (BASELINE_RELEASE, PROGRESS_RELEASE) if n not in names]
    if lacking:
        return (
            f"release {' and '.join(lacking)} {'is' if len(lacking) == 1 else 'are'} not loaded "
            f"(loaded: {', '.join(sorted(names)) or 'none'}). Load Urban's files with "
            f"`upward data load ../shared/mobility-data-2023 --release {BASELINE_RELEASE} "
            f"--keep-current` and `upward data load ../shared/mobility-data --release "
            f"{PROGRESS_RELEASE}` (scripts/run.sh does both)"
        )
    if current != PROGRESS_RELEASE:
        return (
            f"release {PROGRESS_RELEASE} is loaded but not current "
            f"(run `upward data use {PROGRESS_RELEASE}`)"
        )
    return ""


def existing_demo() -> Workspace | None:
    return Workspace.objects.filter(slug=SLUG).first()


def other_data() -> str:
    """What the database holds that is not the demo's, in words ("" when empty)."""
    from upward.web.networks import demo as network_demo
    from upward.web.networks.models import Network

    users = (
        get_user_model()
        .objects.exclude(email__endswith=f"@{EMAIL_DOMAIN}")
        .exclude(email__endswith=f"@{network_demo.DEMO_EMAIL_DOMAIN}")
    )
    workspaces = Workspace.objects.exclude(slug=SLUG).exclude(
        slug__startswith=network_demo.WORKSPACE_PREFIX
    )
    counts = (
        (workspaces.count(), "workspace"),
        (Network.objects.exclude(slug=network_demo.NETWORK_SLUG).count(), "network"),
        (users.count(), "user"),
    )
    return ", ".join(f"{n} {what}{'s' if n != 1 else ''}" for n, what in counts if n)


# Helpers ------------------------------------------------------------------------------


def _valid(model: type[models.Model], **fields: Any) -> Any:
    """A record validated by its model (choices, lengths) before it is saved."""
    obj = model(**fields)
    obj.full_clean()
    obj.save()
    return obj


def _people(password: str) -> tuple[dict[str, Any], list[SignIn]]:
    users = get_user_model()
    made: dict[str, Any] = {}
    sign_ins = []
    for person in PEOPLE:
        email = f"{person.username}@{EMAIL_DOMAIN}"
        user = users.objects.filter(username=person.username).first()
        if user is not None and user.email != email:
            raise DemoRefused(
                f"A user called {person.username} exists and is not a demo account; "
                "the demo needs that name. Nothing was changed."
            )
        user = user or users(username=person.username, email=email)
        user.first_name, user.last_name = person.first_name, person.last_name
        secret = password or secrets.token_urlsafe(9)
        user.set_password(secret)
        user.save()
        made[person.role] = user
        sign_ins.append(
            SignIn(person.username, secret, f"{person.first_name} {person.last_name}", person.role)
        )
    return made, sign_ins


# The stages ---------------------------------------------------------------------------


def _workspace(people: dict[str, Any]) -> Workspace:
    owner = people[Role.OWNER]
    workspace = _valid(
        Workspace, name=NAME, slug=SLUG, description=DESCRIPTION, geoids=[GEOID],
        created_by=owner, updated_by=owner,
    )  # fmt: skip
    for role, user in people.items():
        Membership.objects.create(workspace=workspace, user=user, role=role)
    record(workspace, owner, "created the workspace", workspace.name, "demo")
    return workspace


def _readiness(workspace: Workspace, owner: Any) -> None:
    """Every condition rated: six met (every step done), the others half done, each step
    done with a note and what is left to address; then the preparedness plan of the rest."""
    assessment = readiness_store.create_assessment(workspace, owner, "Where we start (demo)", False)
    conditions = {c.id: c for c in get_conditions()}
    for i, answer in enumerate(assessment.answers.order_by("pk")):  # type: ignore[attr-defined]
        condition = conditions[answer.condition_id]
        steps = [s.id for s in condition.steps]
        done = steps if i < 6 else steps[: max(1, len(steps) // 2)]  # 6 conditions met
        data: dict[str, Any] = {
            "to_address": f"Demo: what the coalition still needs for {condition.id}."[:2000]
        }
        for step in done:
            data[f"done_{step}"] = True
            data[f"note_{step}"] = "Done in the demo's first quarter."
        readiness_store.save_condition(answer, answer.version, data, owner)
    readiness_store.build_plan(assessment)


def _coalition(workspace: Workspace, owner: Any) -> dict[str, Stakeholder]:
    rows = (
        ("backbone", "Northstar Mobility Collaborative (demo)", "nonprofit", "partner",
         ["opportunity"], "high"),
        ("schools", "Lakeshore Unified Schools (demo)", "early_k12", "engaged",
         ["education"], "high"),
        ("clinic", "Riverbend Family Health Clinic (demo)", "health", "engaged",
         ["health"], "medium"),
        ("residents", "Eastside Neighbors Council (demo)", "residents", "partner",
         ["community"], "medium"),
    )  # fmt: skip
    made = {}
    for key, name, sector, relationship, pillars, influence in rows:
        made[key] = _valid(
            Stakeholder, workspace=workspace, name=name, sector=sector,
            relationship=relationship, pillars=pillars, influence=influence,
        )  # fmt: skip
    structure = CoalitionStructure.objects.get_or_create(workspace=workspace)[0]
    structure.backbone = made["backbone"]
    structure.backbone_duties = "Convenes the coalition, keeps its data and its plan (demo)."
    structure.advisory_purpose = "Residents and partners who steer the plan (demo)."
    structure.full_clean()
    structure.save()
    structure.advisory_members.add(made["residents"], made["schools"])
    for name, pillar, lead, members in (
        ("Education workgroup", "education", "schools", ("schools", "residents")),
        ("Health workgroup", "health", "clinic", ("clinic", "residents")),
    ):
        group = _valid(
            Workgroup, workspace=workspace, name=name, focus_pillar=pillar, lead=made[lead],
            purpose="Demo workgroup.",
        )  # fmt: skip
        group.members.add(*(made[m] for m in members))
    return made


def _knowledge(workspace: Workspace, owner: Any, stakeholders: dict[str, Stakeholder]) -> None:
    """Engagements, a coded note with excerpts, officials, a local series, a summary."""
    today = timezone.localdate()
    for days, title, kind, level, count, race in (
        (120, "Eastside data walk (demo)", "data_walk", "consult", 24,
         {"black_nonhispanic": 9, "hispanic": 5, "white_nonhispanic": 7, "other": 3}),
        (60, "Parents' listening session (demo)", "listening_session", "involve", 18,
         {"black_nonhispanic": 6, "hispanic": 6, "white_nonhispanic": 4, "not_reported": 2}),
    ):  # fmt: skip
        engagement = _valid(
            Engagement, workspace=workspace, title=title, kind=kind, level=level,
            date=today - timedelta(days=days), participants=count,
            demographics={"race": race}, languages=["English", "Spanish"],
        )  # fmt: skip
        engagement.partners.add(stakeholders["residents"])
    text = (
        "Parents said the bus to the clinic takes an hour. Several said their teens leave "
        "school to work. A grandmother said prenatal visits are hard without a car."
    )
    note = _valid(Note, workspace=workspace, title="Listening session notes (demo)", text=text)
    for name, phrase in (
        ("Transportation to care", "the bus to the clinic takes an hour"),
        ("Leaving school to work", "their teens leave school to work"),
        ("Prenatal care access", "prenatal visits are hard without a car"),
    ):
        code = _valid(Code, workspace=workspace, kind="custom", name=name)
        start = text.index(phrase)
        excerpt = _valid(
            Excerpt, workspace=workspace, note=note, start=start, end=start + len(phrase),
            text=phrase,
        )  # fmt: skip
        excerpt.codes.add(code)
    for name, office, race in (
        ("Dana Whitlock (demo)", "Commissioner, District 1", "white_nonhispanic"),
        ("Luis Arroyo-Bell (demo)", "Commissioner, District 2", "hispanic"),
        ("Keisha Marlow (demo)", "Commissioner, District 3", "black_nonhispanic"),
        ("Sam Thorsby (demo)", "Commissioner, District 4", "white_nonhispanic"),
        ("Nia Okafor-Lund (demo)", "Commissioner, District 5", ""),
    ):
        _valid(
            Official, workspace=workspace, name=name, office=office,
            body="County Board (demo)", race=race,
            identity_source="self" if race else "unknown",
            identity_note="Made-up demo official." if race else "",
        )  # fmt: skip
    _local_series(workspace, owner)
    predictors = sorted({p.predictor for p in workspace.priorities.all()})  # type: ignore[attr-defined]
    findings_store.save_summary(
        workspace,
        findings_store.SummaryContent(
            title="What we heard and what the data show (demo)",
            introduction="Made-up findings of the demo coalition's engagements.",
            predictors=predictors,
            sections={
                p: "Residents named travel time to care and school as barriers (demo)."
                for p in predictors
            },
        ),
        0,
        owner,
    )


def _local_series(workspace: Workspace, owner: Any) -> None:
    """A local series, uploaded through the local-data form as a member uploads one."""
    rows = "geography,period,value\n" + "".join(
        f"{GEOID},{year},{value}\n" for year, value in ((2022, 61.0), (2023, 64.5), (2024, 66.0))
    )
    upload = SimpleUploadedFile("demo-clinic-rides.csv", rows.encode(), content_type="text/csv")
    form = LocalUploadForm(
        {
            "name": "Clinic rides completed (demo)",
            "description": "Made-up demo series: share of booked rides to clinics completed.",
            "unit": "percent",
            "direction": "higher_better",
            "source": "Demo: the clinic's ride log",
            "documented": "yes",
            "coverage": "partly",
            "precision": "yes",
            "recent": "yes",
        },
        {"file": upload},
        workspace=workspace,
    )
    if not form.is_valid():
        raise DemoRefused(f"The demo's local series was refused: {form.errors.as_text()}")
    upload.seek(0)
    parsed = local_rules.parse_local_file(
        upload.read(), upload.name, workspace.geoids, form.cleaned_data["unit"]
    )
    if not parsed.ok:
        raise DemoRefused(f"The demo's local series was refused: {parsed.errors}")
    upload.seek(0)
    local_store.save_upload(form, workspace, owner, parsed, upload)


def indicators() -> list[str]:
    """The two variables of :data:`CANDIDATES` that release 2023.01 publishes for the county."""
    ref = baseline_store.open_release(BASELINE_RELEASE)
    found = []
    for variable in CANDIDATES:
        spec = SimpleNamespace(geoid=GEOID, variable=variable, breakdown="", subgroup="",
                               versus="")  # fmt: skip
        try:
            baseline_store.read_cell(ref.release, spec)  # type: ignore[arg-type]
        except baseline_store.BaselineRefused:
            continue
        found.append(variable)
    if len(found) < len(TARGET_METHODS):
        raise DemoRefused(
            f"Release {BASELINE_RELEASE} publishes too few of {', '.join(CANDIDATES)} for "
            f"{LOCALITY} to build the demo's priorities. Nothing was changed."
        )
    return found[: len(TARGET_METHODS)]


def _priorities(workspace: Workspace, owner: Any) -> list[Any]:
    made = []
    for variable in indicators():
        try:
            target = priority_store.check_target(workspace, {"place": GEOID, "variable": variable})
        except priority_store.TargetError as exc:
            raise DemoRefused(f"The priority {variable} was refused: {exc}") from None
        made.append(
            priority_store.add_priority(
                workspace,
                owner,
                target,
                source="insights",
                rationale="Demo: the data and what residents said point here.",
            )
        )
    return made


def _direction(workspace: Workspace, owner: Any, priorities: list[Any]) -> None:
    version = vision_store.save_draft(
        workspace, owner,
        "Every family in Ramsey County can reach school, care and work, and thrive (demo).",
        "First draft (demo)", 0,
    )  # fmt: skip
    review_store.approve_vision(workspace, owner, version, "Adopted at the demo's meeting.")
    theory = _valid(
        TheoryOfChange, workspace=workspace,
        if_we="bring care and school supports to where families are",
        then="more teens finish high school and fewer babies are born small",
        because="residents told us travel time is the barrier (demo)",
    )  # fmt: skip
    theory.priorities.add(*priorities)


def _model(
    workspace: Workspace, owner: Any, priorities: list[Any], stakeholders: dict[str, Stakeholder]
) -> tuple[Strategy, Strategy, list[Element], list[Element]]:
    """Two strategies, each priority's logic model (strategy -> outcome -> result), approved."""
    navigators = _valid(
        Strategy, workspace=workspace, name="Neighborhood navigators (demo)",
        description="Residents paid to guide families to care and school supports.",
        evidence_level="moderate", lead=stakeholders["residents"],
    )  # fmt: skip
    rides = _valid(
        Strategy, workspace=workspace, name="Rides to care and class (demo)",
        description="Free rides to clinics and schools for families without a car.",
        evidence_level="emerging", lead=stakeholders["clinic"],
    )  # fmt: skip
    navigators.partners.add(stakeholders["schools"], stakeholders["clinic"])
    results, outcomes = [], []
    for priority, strategy, outcome_title in zip(
        priorities,
        (navigators, rides),
        ("Families use school and care supports", "Expectant parents reach prenatal care"),
        strict=True,
    ):
        result = model_store.ensure_result(priority, owner)
        element = _valid(
            Element, workspace=workspace, priority=priority, kind="strategy",
            title=strategy.name, strategy=strategy,
        )  # fmt: skip
        outcome = _valid(
            Element, workspace=workspace, priority=priority, kind="short", title=outcome_title,
            condition="practices",
        )  # fmt: skip
        _valid(Link, workspace=workspace, source=element, target=outcome)
        _valid(Link, workspace=workspace, source=outcome, target=result)
        results.append(result)
        outcomes.append(outcome)
    model_store.approve(workspace, owner, "Approved by the demo coalition.")
    return navigators, rides, results, outcomes


def _measures(
    workspace: Workspace,
    owner: Any,
    priorities: list[Any],
    results: list[Element],
    outcomes: list[Element],
    stakeholders: dict[str, Stakeholder],
) -> None:
    """A population indicator per result, its baseline pinned to 2023.01 and a target;
    a performance and a systems-change measure on the model's outcomes."""
    for priority, result, method in zip(priorities, results, TARGET_METHODS, strict=True):
        measure = _valid(
            Measure, workspace=workspace, element=result, kind="population",
            title=result.title[:200], geoid=priority.geoid, variable=priority.variable,
            breakdown=priority.breakdown, subgroup=priority.subgroup, versus=priority.versus,
            data_source="Urban Institute, Mobility Metrics", frequency="release",
            responsible_member=owner,
        )  # fmt: skip
        try:
            ref, cell = baseline_store.check_pin(measure, BASELINE_RELEASE)
        except baseline_store.BaselineRefused as exc:
            raise DemoRefused(f"The baseline of {measure.title} was refused: {exc}") from None
        baseline = baseline_store.pin(measure, owner, ref, cell)
        data: dict[str, Any] = dict(method)
        try:
            proposal = target_store.propose(measure, baseline, data)
        except target_store.TargetError as exc:
            raise DemoRefused(f"The target of {measure.title} was refused: {exc}") from None
        if proposal.value is None:
            raise DemoRefused(f"The target of {measure.title} was refused: {proposal.words}")
        target_store.save_target(measure, baseline, owner, data, proposal, confirm=True)
    _valid(
        Measure, workspace=workspace, element=outcomes[0], kind="performance",
        title="Families guided by a navigator (demo)", aspect="how_much",
        data_source="Demo: the navigators' log", frequency="quarterly",
        responsible_stakeholder=stakeholders["residents"],
    )  # fmt: skip
    _valid(
        Measure, workspace=workspace, element=outcomes[1], kind="systems_change",
        title="Clinics book rides at check-in (demo)", condition="practices",
        milestones=[{"text": "Two clinics adopt the practice", "evidence": "Clinic memo"}],
        frequency="yearly", responsible_stakeholder=stakeholders["clinic"],
    )  # fmt: skip


def _actions(
    workspace: Workspace,
    people: dict[str, Any],
    strategies: tuple[Strategy, Strategy],
    stakeholders: dict[str, Stakeholder],
) -> None:
    today = timezone.localdate()
    navigators, rides = strategies
    for strategy, title, member, stakeholder, start, due, status, percent in (
        (navigators, "Hire four navigators (demo)", people[Role.OWNER], None, -60, 30,
         "in_progress", 50),
        (navigators, "Train navigators with the schools (demo)", None, stakeholders["schools"],
         -30, 60, "not_started", 0),
        (rides, "Sign a ride contract (demo)", people[Role.EDITOR], None, -90, -10,
         "done", 100),
    ):  # fmt: skip
        _valid(
            Action, workspace=workspace, strategy=strategy, title=title, owner_member=member,
            owner_stakeholder=stakeholder, start_date=today + timedelta(days=start),
            due_date=today + timedelta(days=due), status=status, percent=percent,
        )  # fmt: skip
    for strategy, resources in (
        (navigators, "Four part-time navigators and a coordinator (demo)."),
        (rides, "A ride contract and a scheduler at each clinic (demo)."),
    ):
        plan = _valid(Sustainability, workspace=workspace, strategy=strategy, resources=resources)
        plan.responsible.add(stakeholders["backbone"])
    _valid(
        FundingSource, workspace=workspace, strategy=navigators,
        name="A community foundation grant (demo)", status="pending",
    )  # fmt: skip
    _valid(
        LearningPlan, workspace=workspace,
        questions=["Which families are we not yet reaching?", "Do rides shorten trips?"],
    )  # fmt: skip


def _publish(workspace: Workspace, owner: Any) -> PlanVersion:
    problems = publish_store.publish_problems(workspace)
    version = publish_store.publish(workspace, owner, [p.key for p in problems])
    publish_store.set_public(workspace, owner, True)
    return version


def _refresh(workspace: Workspace) -> None:
    done = refresh_store.refresh_workspace(workspace, PROGRESS_RELEASE)
    if done.outcome not in ("refreshed", "already"):
        raise DemoRefused(
            f"Progress on {PROGRESS_RELEASE} could not be refreshed: {done.outcome} {done.message}"
        )


# The whole demo -----------------------------------------------------------------------


def build_demo(
    release: Any,
    out: Callable[[str], None] | None = None,
    *,
    replace: bool = False,
    password: str | None = None,
    seeds: Any = None,
    network: bool = True,
) -> Demo:
    """Build the demo coalition (and the demo network, with it as the Ramsey team) in one
    transaction. An existing demo is refused unless ``replace`` (then it is deleted first,
    in the same transaction). Raises :class:`DemoRefused`, nothing changed."""
    say = out or (lambda _line: None)
    missing = missing_releases()
    if missing:
        raise DemoRefused(f"The demo needs both releases: {missing}. Nothing was changed.")
    secret = password or os.environ.get(PASSWORD_ENV) or ""
    try:
        return _build(release, say, replace, secret, seeds, network)
    except ValidationError as exc:
        raise DemoRefused(f"A demo record was refused: {exc}. Nothing was changed.") from None


def _use(name: str) -> None:
    """Make release ``name`` current (as ``upward data use`` does) and read from it."""
    from upward.explore.library import make_current
    from upward.web import data as web_data

    make_current(name)
    web_data.reset()


def _build(
    release: Any, say: Callable[[str], None], replace: bool, secret: str, seeds: Any,
    network: bool,
) -> Demo:  # fmt: skip
    """The coalition works on release 2023.01 (current while it chooses its priorities,
    pins its baselines and publishes), then 2025.01 is made current again and its progress
    refreshed on it, as after ``upward data use 2025.01``. 2025.01 is current at the end,
    whatever happens."""
    try:
        _use(BASELINE_RELEASE)
        return _stages(release, say, replace, secret, seeds, network)
    finally:
        _use(PROGRESS_RELEASE)


def _stages(
    release: Any, say: Callable[[str], None], replace: bool, secret: str, seeds: Any,
    network: bool,
) -> Demo:  # fmt: skip
    with transaction.atomic():
        found = existing_demo()
        if found is not None:
            if not replace:
                raise DemoRefused(
                    f"The demo workspace /w/{SLUG}/ is there already. Run with --replace to "
                    "build it again; nothing was changed."
                )
            Approval.objects.filter(workspace=found).delete()  # they protect what they approve
            found.delete()
        people, sign_ins = _people(secret)
        owner = people[Role.OWNER]
        workspace = _workspace(people)
        _readiness(workspace, owner)
        stakeholders = _coalition(workspace, owner)
        priorities = _priorities(workspace, owner)
        _knowledge(workspace, owner, stakeholders)
        _direction(workspace, owner, priorities)
        navigators, rides, results, outcomes = _model(workspace, owner, priorities, stakeholders)
        _measures(workspace, owner, priorities, results, outcomes, stakeholders)
        _actions(workspace, people, (navigators, rides), stakeholders)
        version = _publish(workspace, owner)
        _use(PROGRESS_RELEASE)
        _refresh(workspace)
        result = Demo(workspace, version, sign_ins)
        if network:
            _network(result, release, seeds, secret)
    for line in report_lines(result):
        say(line)
    return result


def _network(result: Demo, release: Any, seeds: Any, secret: str) -> None:
    from upward.web.networks import demo as network_demo

    try:
        built = network_demo.build_network_demo(
            release,
            result.network_lines.append,
            workspaces={LOCALITY: result.workspace},
            seeds=seeds,
            password=secret or None,
        )
    except network_demo.DemoRefused as exc:
        raise DemoRefused(f"The demo network: {exc}") from None
    result.network_slug = built.network.slug


def network_address(slug: str) -> str:
    """The network's console, else its first page that exists (the networks list)."""
    from django.urls import NoReverseMatch, reverse

    for name in ("networks:console", "networks:home"):
        try:
            return reverse(name, kwargs={"slug": slug})
        except NoReverseMatch:
            continue
    return reverse("networks:list")


def report_lines(result: Demo) -> list[str]:
    ws = result.workspace
    lines = [
        f"Built the demo coalition {ws.name}: readiness, coalition, engagements and coded "
        "findings, a local series, officials, priorities, vision, theory of change, an "
        f"approved logic model, measures with baselines from release {BASELINE_RELEASE}, "
        f"targets, actions, sustainability, plan version {result.plan_version.number} "
        f"published, progress refreshed on release {PROGRESS_RELEASE}.",
        f"  Workspace:   /w/{ws.slug}/",
        f"  Public page: /p/{ws.slug}/ (and /p/{ws.slug}/?lang=es)",
    ]
    if result.network_slug:
        lines.append(
            f"  Network:     {network_address(result.network_slug)} (the demo network; sign "
            "in as maln-operator or maln-adviser)"
        )
    lines.append("Demo sign-ins (made-up people; demo data only):")
    lines.extend(f"  {s.role}: {s.username} / {s.password} ({s.name})" for s in result.sign_ins)
    lines.extend(result.network_lines)
    return lines


__all__ = ["Demo", "DemoRefused", "build_demo"]

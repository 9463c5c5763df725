"""Each team's status for a network's console, read from its records (never self-reported)
and only as far as the team shares it.

* **Stage** (:func:`upward.planning.network_stage.team_stage`), **last activity**, **overdue
  actions** and **stale data**: when the team shares its stage (``share_stage``).
  Overdue is the measurement rule (:func:`action_store.overdue_q`); stale data is the
  workspace's progress not refreshed on the current release (``upward plan refresh``),
  and baselines the current release revised that the coalition has not decided about
  (the refresh's rows of status *revised*, by the one rule
  :func:`baseline_store.undecided_revision`, less those decided since).
* **Real change since baseline**: the indicators of the team's published plan, read on the
  current release by the one progress classifier (the numbers of its public progress page,
  :func:`public_store.public_progress`), only when the team shares its progress page and
  the page is public. Kept in the current release's cache by the version's checksum (a
  published version never changes; a new release starts a new cache).

Everything is read for all teams at once: a dozen queries for a network of any size."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, Q
from django.utils import timezone

from upward.planning import network as vocab
from upward.planning import network_stage as rules
from upward.planning.readiness import assess_readiness
from upward.web.knowledge.models import Engagement, Excerpt
from upward.web.measurement import action_store, progress_store, public_store, publish_store
from upward.web.measurement.models import (
    Action,
    BaselineDecision,
    Measure,
    PlanVersion,
    ProgressRefresh,
    PublicPlan,
)
from upward.web.networks.models import Network, Team
from upward.web.strategy.models import Approval
from upward.web.workspace.models import (
    Activity,
    Assessment,
    CoalitionStructure,
    ConditionAnswer,
    Stakeholder,
    StepAnswer,
    Workgroup,
)
from upward.web.workspace.readiness_store import answered_q

NOT_SHARED = "not shared"
CACHE = "network_progress"


@dataclass(frozen=True)
class Progress:
    """A team's public progress as the network may read it."""

    shared: bool
    """The team shares its progress page and the page is public with a published plan."""
    note: str = ""
    """Why nothing is shown ('not shared', 'no public progress page', ...)."""
    version: int = 0
    release: str = ""
    change: rules.RealChange | None = None


@dataclass(frozen=True)
class TeamStatus:
    team: Team
    shares_stage: bool
    stage: rules.TeamStage | None = None
    last_activity: datetime | None = None
    overdue: int = 0
    stale: tuple[str, ...] = ()
    progress: Progress = Progress(False, NOT_SHARED)

    @property
    def stage_number(self) -> int:
        return self.stage.number if self.stage is not None else -1


def _counts(model: type, ids: list[int], where: Q | None = None, field: str = "pk") -> dict:
    rows = model.objects.filter(workspace_id__in=ids)  # type: ignore[attr-defined]
    if where is not None:
        rows = rows.filter(where)
    found = rows.values("workspace_id").annotate(n=Count(field, distinct=True))
    return {r["workspace_id"]: r["n"] for r in found}


def _latest(model: type, ids: list[int], field: str, where: Q | None = None) -> dict:
    rows = model.objects.filter(workspace_id__in=ids)  # type: ignore[attr-defined]
    if where is not None:
        rows = rows.filter(where)
    found = rows.values("workspace_id").annotate(m=Max(field))
    return {r["workspace_id"]: r["m"] for r in found}


def _readiness(ids: list[int]) -> dict[int, tuple[int, int]]:
    """(conditions answered, conditions) of each workspace's latest assessment, by the
    readiness rule (:func:`assess_readiness`: a condition with a step done is answered)."""
    numbers = _latest(Assessment, ids, "number")
    latest = {
        a.pk: a.workspace_id
        for a in Assessment.objects.filter(workspace_id__in=ids)
        if numbers.get(a.workspace_id) == a.number
    }
    done: dict[int, set[str]] = defaultdict(set)
    for aid, step in StepAnswer.objects.filter(
        condition__assessment_id__in=latest, done=True
    ).values_list("condition__assessment_id", "step_id"):
        done[aid].add(step)
    answered: dict[int, set[str]] = defaultdict(set)
    for aid, cid in (
        ConditionAnswer.objects.filter(assessment_id__in=latest)
        .filter(answered_q())
        .values_list("assessment_id", "condition_id")
    ):
        answered[aid].add(cid)
    out = {}
    for aid, wid in latest.items():
        result = assess_readiness(done[aid], answered[aid])
        out[wid] = (sum(1 for c in result.conditions if c.answered), result.total)
    return out


def _structures(ids: list[int]) -> set[int]:
    """Workspaces whose coalition structure is set: a backbone, advisory members or a
    workgroup."""
    found = set(
        CoalitionStructure.objects.filter(workspace_id__in=ids)
        .filter(Q(backbone__isnull=False) | Q(advisory_members__isnull=False))
        .values_list("workspace_id", flat=True)
    )
    return found | set(_counts(Workgroup, ids))


def _day(value: datetime | None) -> date | None:
    return timezone.localtime(value).date() if value is not None else None


def stage_facts(ids: list[int], today: date) -> dict[int, rules.StageFacts]:
    readiness = _readiness(ids)
    stakeholders = _counts(Stakeholder, ids)
    structures = _structures(ids)
    engagements = _counts(Engagement, ids, Q(date__lte=today))
    excerpts = _counts(Excerpt, ids, Q(codes__isnull=False))
    approved = _latest(Approval, ids, "approved_at", Q(subject="model"))
    measures = _counts(Measure, ids)
    measures_set = _counts(Measure, ids, Q(baseline__isnull=False, target__isnull=False))
    versions = _counts(PlanVersion, ids)
    published = _latest(PlanVersion, ids, "published_at")
    return {
        wid: rules.StageFacts(
            conditions_answered=readiness.get(wid, (0, 0))[0],
            conditions_total=readiness.get(wid, (0, 0))[1],
            stakeholders=stakeholders.get(wid, 0),
            structure_set=wid in structures,
            engagements_held=engagements.get(wid, 0),
            excerpts_coded=excerpts.get(wid, 0),
            model_approved_on=_day(approved.get(wid)),
            measures=measures.get(wid, 0),
            measures_set=measures_set.get(wid, 0),
            plan_versions=versions.get(wid, 0),
            published_on=_day(published.get(wid)),
        )
        for wid in ids
    }


def _stale(ids: list[int]) -> dict[int, tuple[str, ...]]:
    """What is stale in each workspace's data on the current release."""
    name, checksum = publish_store.current_release()
    if not name:
        return {}
    with_indicators = set(
        Measure.objects.filter(
            workspace_id__in=ids, kind="population", local_series__isnull=True, variable__gt=""
        ).values_list("workspace_id", flat=True)
    )
    refreshes = {
        r.workspace_id: r
        for r in ProgressRefresh.objects.filter(
            workspace_id__in=ids, release=name[:60], release_checksum=checksum[:80]
        )
    }
    decided = set(
        BaselineDecision.objects.filter(workspace_id__in=ids, release=name).values_list(
            "baseline__measure_id", flat=True
        )
    )
    out: dict[int, tuple[str, ...]] = {}
    for wid in with_indicators:
        refresh = refreshes.get(wid)
        if refresh is None:
            out[wid] = (f"Progress not refreshed on the current release, {name}.",)
            continue
        revised = [
            r
            for r in refresh.rows
            if r.get("status") == "revised" and r.get("measure") not in decided
        ]
        if revised:
            out[wid] = (
                f"{len(revised)} baseline{'s' if len(revised) != 1 else ''} revised by release "
                f"{name}, not yet kept or re-based.",
            )
    return out


def _public_versions(teams: list[Team]) -> dict[int, PlanVersion]:
    """The latest published version of each team that shares its progress page, when the
    page is public."""
    ids = [t.workspace_id for t in teams if t.share_progress]
    public = set(
        PublicPlan.objects.filter(workspace_id__in=ids, is_public=True).values_list(
            "workspace_id", flat=True
        )
    )
    latest = _latest(PlanVersion, [i for i in ids if i in public], "number")
    found = PlanVersion.objects.filter(
        workspace_id__in=list(latest), number__in=set(latest.values())
    ).select_related("workspace")
    return {v.workspace_id: v for v in found if latest.get(v.workspace_id) == v.number}


def version_progress(version: PlanVersion) -> Progress:
    """The published version's indicators on the current release: how many show a real
    change (the public page's numbers), kept per release by the version's checksum."""

    def build() -> Progress:
        found = public_store.public_progress(version)
        change = rules.real_change([row.status for row in found.indicators])
        return Progress(True, "", version.number, found.release, change)

    try:
        release = progress_store.open_progress_release(None)[1].release
    except progress_store.UnknownProgressRelease:
        return Progress(False, "no release loaded")
    return release.keep(CACHE, (version.pk, version.checksum), build, size=256)


def _progress(team: Team, versions: dict[int, PlanVersion]) -> Progress:
    if not team.share_progress:
        return Progress(False, NOT_SHARED)
    version = versions.get(team.workspace_id)
    if version is None:
        return Progress(False, "no public progress page")
    return version_progress(version)


def team_statuses(teams: Iterable[Team], today: date | None = None) -> list[TeamStatus]:
    """Each team's status, as far as it shares it."""
    teams = list(teams)
    today = today or action_store.today()
    staged = [t.workspace_id for t in teams if t.share_stage]
    facts = stage_facts(staged, today) if staged else {}
    activity = _latest(Activity, staged, "at", Q(actor__isnull=False)) if staged else {}
    overdue = _counts(Action, staged, action_store.overdue_q(today)) if staged else {}
    stale = _stale(staged) if staged else {}
    versions = _public_versions(teams)
    out = []
    for team in teams:
        progress = _progress(team, versions)
        if not team.share_stage:
            out.append(TeamStatus(team, False, progress=progress))
            continue
        wid = team.workspace_id
        out.append(
            TeamStatus(
                team,
                True,
                stage=rules.team_stage(facts[wid]),
                last_activity=activity.get(wid),
                overdue=overdue.get(wid, 0),
                stale=stale.get(wid, ()),
                progress=progress,
            )
        )
    return out


def network_teams(network: Network, track: str = "") -> list[Team]:
    rows = Team.objects.filter(network=network, status=vocab.TEAM_ACTIVE).select_related(
        "workspace", "track"
    )
    if track:
        rows = rows.filter(track__slug=track)
    return list(rows.order_by("track__order", "workspace__name"))

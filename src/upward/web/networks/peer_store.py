"""Peer matching in a learning network (issue 15, part 3): for one team, the other active
teams of its network that work on the same priority predictor or are statistically
similar places, and how their shared progress compares.

Only what each team shares with the network is read, never its private workspace:

* its **priorities**: the ones it marked as shared (:class:`SharedRecord` of kind
  ``priority``) and the ones in its published plan, when it shares its public progress
  page and that page is on (:func:`publish_store.latest_public`);
* its **progress**: the indicators of that published plan, read on the current release by
  the one progress classifier (:func:`progress_store.rows_of`); the workspace's saved
  peer sets are private and never used;
* its **places** (the workspace's jurisdictions, as the network's console names them).

Similar places are the explorer's peer finder over the release facade (the same
:meth:`upward.explore.Release.peers` as /county/<geoid>/peers/): two teams' places of the
same kind are similar when either is among the other's :data:`NEAREST` peers.

Two teams' changes on the same variable and group over the same years are compared with
the 95% test of :func:`upward.analysis.uncertainty.compare_values` on each change as an
estimate (its value and 95% CI, as :meth:`Comparison.as_estimate` makes one); a
difference is said only when the test supports it, nothing is concluded from Weak data,
and dollars are compared in real terms (each change is in dollars of its latest year, so
changes are compared only over the same years)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from upward.analysis.peers import PeerMethod, PeerResult
from upward.analysis.standing import place_words
from upward.analysis.uncertainty import WEAK, Comparison, Estimate, compare_values, verdict_text
from upward.catalog import UnknownName, get_catalog
from upward.explore import PeerChoiceError, PlaceNotFound, WarehouseMissing
from upward.planning import network as vocab
from upward.reports.action_plan import PlanDocument
from upward.reports.numbers import difference_text, interval_text
from upward.web.measurement import progress_store, publish_store
from upward.web.measurement.models import PlanVersion
from upward.web.measurement.progress_store import Indicator, ProgressRow
from upward.web.networks.models import SharedRecord, Team
from upward.web.strategy.models import Priority
from upward.web.workspace import places

NEAREST = 20
"""Two places are similar when either is among the other's NEAREST peers by the peer
finder (its default method: standardized distance over the same characteristics)."""
COMPARED = frozenset({"met", "improving", "no_change", "worsening", "changed"})
"""Statuses whose change since baseline may be set beside another team's."""
SHARED = "shared priority"
PUBLISHED = "published plan"


@dataclass(frozen=True)
class TeamPriority:
    """A priority a team shares with its network: its predictor, title and where it is
    shared (a shared record, or its published plan)."""

    predictor: str
    predictor_label: str
    title: str
    source: str


@dataclass(frozen=True)
class SharedPredictor:
    predictor: str
    label: str
    mine: tuple[TeamPriority, ...]
    theirs: tuple[TeamPriority, ...]
    me: str = "this team"
    other: str = "they"

    @property
    def words(self) -> str:
        def named(found: tuple[TeamPriority, ...]) -> str:
            return "; ".join(f"“{p.title}” ({p.source})" for p in found)

        return (
            f"Both work on {self.label}: {self.me} through {named(self.mine)}, "
            f"{self.other} through {named(self.theirs)}."
        )


@dataclass(frozen=True)
class SimilarPlace:
    """Two places the peer finder finds alike, in words."""

    place: str
    other: str
    words: str
    distance: float | None


@dataclass(frozen=True)
class ChangeCompared:
    """Both teams' change since baseline on one variable and group, and the 95% test of
    their difference (or why there is none)."""

    label: str
    group: str
    mine: ProgressRow
    theirs: ProgressRow
    mine_text: str
    theirs_text: str
    verdict: str
    """higher, lower, not_distinguishable, no_test, too_uncertain, no_data, or
    not_compared (different years, or a status that shows no change)."""
    words: str


@dataclass(frozen=True)
class PeerTeam:
    team: Team
    places: tuple[str, ...]
    predictors: tuple[SharedPredictor, ...] = ()
    similar: tuple[SimilarPlace, ...] = ()
    progress: tuple[ChangeCompared, ...] = ()
    progress_note: str = ""


@dataclass(frozen=True)
class PeerMatches:
    team: Team
    priorities: tuple[TeamPriority, ...]
    peers: tuple[PeerTeam, ...]
    others: tuple[Team, ...]
    """The other active teams that match on nothing."""
    notes: tuple[str, ...] = field(default=())


# -- what a team shares -----------------------------------------------------------------


def _predictor_label(predictor_id: str) -> str:
    try:
        return get_catalog().predictor(predictor_id).label
    except (UnknownName, LookupError):
        return predictor_id


def _predictor_id(label: str) -> str:
    """A published plan names a predictor by its label: the catalog's id of that label."""
    for p in get_catalog().predictors:
        if p.label == label or p.id == label:
            return p.id
    return label


def public_version(team: Team) -> PlanVersion | None:
    """The team's published plan as the network may read it: only when the team shares its
    progress page with the network and the page is public."""
    if not team.share_progress:
        return None
    return publish_store.latest_public(team.workspace.slug)


def team_priorities(team: Team, version: PlanVersion | None) -> tuple[TeamPriority, ...]:
    """The priorities ``team`` shares: marked shared, then those of its public plan."""
    ids = SharedRecord.objects.filter(team=team, kind="priority").values_list(
        "object_id", flat=True
    )
    found = [
        TeamPriority(p.predictor, _predictor_label(p.predictor), p.title, SHARED)
        for p in Priority.objects.filter(workspace=team.workspace_id, pk__in=list(ids))
    ]
    if version is not None:
        document = PlanDocument.from_dict(version.document)
        for p in document.conditions.priorities:
            pid = _predictor_id(p.predictor)
            found.append(TeamPriority(pid, _predictor_label(pid), p.title, PUBLISHED))
    merged: dict[tuple[str, str], TeamPriority] = {}
    for p in found:  # one priority both shared and published is named once
        same = merged.get((p.predictor, p.title))
        source = p.source if same is None else f"{same.source} and {p.source}"
        merged[(p.predictor, p.title)] = TeamPriority(
            p.predictor, p.predictor_label, p.title, source
        )
    return tuple(merged.values())


def team_places(team: Team) -> tuple[str, ...]:
    return tuple(str(g) for g in team.workspace.geoids or ())


def _shared_predictors(
    mine: tuple[TeamPriority, ...], theirs: tuple[TeamPriority, ...], me: str, other: str
) -> tuple[SharedPredictor, ...]:
    common = {p.predictor for p in mine} & {p.predictor for p in theirs}
    order = [p.predictor for p in mine if p.predictor in common]
    return tuple(
        SharedPredictor(
            pid,
            _predictor_label(pid),
            tuple(p for p in mine if p.predictor == pid),
            tuple(p for p in theirs if p.predictor == pid),
            me,
            other,
        )
        for pid in dict.fromkeys(order)
    )


# -- similar places ---------------------------------------------------------------------


def _release() -> Any:
    from upward.web.data import get_release

    return get_release()


def _nearest(release: Any, geoid: str) -> PeerResult | None:
    def find() -> PeerResult | None:
        try:
            return release.peers(geoid, PeerMethod(k=NEAREST))[0]
        except (PeerChoiceError, PlaceNotFound, ValueError, LookupError):
            return None

    return release.keep("network_peers", (geoid, NEAREST), find, size=256)


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _similar_words(result: PeerResult, rank: int, place: str, other: str) -> SimilarPlace:
    peer = result.peers[rank]
    used = sorted((r for r in peer.why if r.used and r.z_difference is not None),
                  key=lambda r: abs(r.z_difference or 0.0))  # fmt: skip
    close = " and ".join(r.label for r in used[:2])
    far = used[-1] if len(used) > 2 else None
    distance = f"{peer.distance:.2f}" if peer.distance is not None else "not computed"
    plural = place_words(result.target.geo_level)[1]
    words = (
        f"{other} is the {_ordinal(rank + 1)} nearest of the {result.candidates:,} other "
        f"{plural} to {place} by the peer finder (standardized distance {distance}; 0 is "
        "alike, 1 about one standard deviation apart overall)"
    )
    if close:
        words += f"; closest on {close}"
    if far is not None:
        words += f"; most different on {far.label} ({abs(far.z_difference or 0):.1f} SD apart)"
    return SimilarPlace(place, other, words + ".", peer.distance)


def similar_places(
    mine: tuple[str, ...], theirs: tuple[str, ...], release: Any
) -> tuple[SimilarPlace, ...]:
    """Each pair of places of the same kind where either is among the other's
    :data:`NEAREST` peers, explained as the peers page explains a peer."""
    found = []
    for a in mine:
        for b in theirs:
            if a == b or len(a) != len(b):
                continue
            for target, other in ((a, b), (b, a)):
                result = _nearest(release, target)
                if result is None or other not in result.geoids:
                    continue
                rank = result.geoids.index(other)
                found.append(
                    _similar_words(
                        result, rank, places.place_name(target), places.place_name(other)
                    )
                )
                break
    return tuple(found)


# -- progress compared ------------------------------------------------------------------


def _key(spec: Indicator | ProgressRow) -> tuple[str, str]:
    return (spec.variable, spec.group if isinstance(spec, ProgressRow) else _group(spec))


def _group(spec: Indicator) -> str:
    if spec.versus:
        return f"{spec.subgroup} minus {spec.versus}"
    return spec.subgroup or "Everyone"


def _indicators(version: PlanVersion) -> list[Indicator]:
    return [Indicator.model_validate(d) for d in version.indicators]


def change_estimate(row: ProgressRow) -> Estimate:
    """A row's change since baseline as an estimate (what :meth:`Comparison.as_estimate`
    makes of the change): Weak when either value is rated Weak, untested without a CI."""
    if WEAK in (row.baseline_quality, row.latest_quality):
        return Estimate(row.change, quality=WEAK)
    if row.change is None:
        return Estimate(None)
    if row.change_lb is None or row.change_ub is None:
        return Estimate(row.change, untested="the change has no 95% confidence interval")
    return Estimate(row.change, row.change_lb, row.change_ub)


def _years(row: ProgressRow) -> str:
    return f"{row.baseline_year}–{row.latest_year}"


def compare_rows(
    mine: ProgressRow, theirs: ProgressRow, other: str, me: str = "This team"
) -> ChangeCompared:
    """Two teams' rows of the same variable and group (``me``, then ``other``, by name):
    each change, and the test."""
    try:
        variable = get_catalog().variable(mine.variable)
    except (UnknownName, LookupError):
        variable = None
    mine_text = progress_store.change_text(mine) if mine.status in COMPARED else ""
    theirs_text = progress_store.change_text(theirs) if theirs.status in COMPARED else ""
    head = dict(label=mine.variable_label, group=mine.group, mine=mine, theirs=theirs,
                mine_text=mine_text, theirs_text=theirs_text)  # fmt: skip
    for row, who in ((mine, f"{me}'s"), (theirs, f"{other}'s")):
        if WEAK in (row.baseline_quality, row.latest_quality):
            return ChangeCompared(
                **head, verdict="too_uncertain",
                words=f"Not compared: {who} data are rated Weak, too uncertain to judge a "
                "change; nothing is concluded from them.",
            )  # fmt: skip
        if row.status not in COMPARED:
            return ChangeCompared(
                **head, verdict="not_compared",
                words=f"Not compared: {who} indicator is “{row.status_words}” "
                "(no change since baseline can be judged yet).",
            )  # fmt: skip
    if (mine.baseline_year, mine.latest_year) != (theirs.baseline_year, theirs.latest_year):
        return ChangeCompared(
            **head, verdict="not_compared",
            words=f"Not compared: the changes span different years ({_years(mine)} here, "
            f"{_years(theirs)} there).",
        )  # fmt: skip
    tested: Comparison = compare_values(change_estimate(mine), change_estimate(theirs))
    direction = "context" if mine.gap or variable is None else variable.direction
    clause = verdict_text(tested, direction, f"{other}'s change")
    words = f"{me}'s change is {clause}."
    if tested.difference is not None and tested.ci is not None and variable is not None:
        words += (
            f" Difference {difference_text(variable, tested.difference) or '0'} "
            f"(95% CI {interval_text(variable, tested.ci)})."
        )
    return ChangeCompared(**head, verdict=tested.verdict, words=words)


def compare_progress(
    mine: PlanVersion | None, theirs: PlanVersion | None, other: str,
    kept: dict[int, ProgressRow] | None = None, me: str = "This team",
) -> tuple[tuple[ChangeCompared, ...], str]:  # fmt: skip
    """The indicators on the same variable and group in both public plans, compared; and
    a note when there is nothing to compare. ``kept``: this team's rows already read, by
    measure (filled here, so that each is read once for all the peers)."""
    if mine is None or theirs is None:
        who = me if mine is None else other
        return (), f"Not compared: {who} shares no public progress page with the network."
    ours, their_specs = _indicators(mine), _indicators(theirs)
    keys = {_key(i) for i in ours} & {_key(i) for i in their_specs}
    if not keys:
        return (), "No indicator on the same measure and group in both published plans."
    kept = {} if kept is None else kept
    ours = [i for i in ours if _key(i) in keys]
    their_specs = [i for i in their_specs if _key(i) in keys]
    try:
        opened = progress_store.open_progress_release(None)
        unread = [i for i in ours if i.measure not in kept]
        kept.update((r.measure, r) for r in progress_store.rows_of(unread, opened=opened).rows)
        my_rows = [kept[i.measure] for i in ours]
        their_rows = progress_store.rows_of(their_specs, opened=opened).rows
    except progress_store.UnknownProgressRelease as problem:
        return (), f"Not compared: {problem}"
    found = []
    for row in my_rows:
        for other_row in their_rows:
            if _key(row) == _key(other_row):
                found.append(compare_rows(row, other_row, other, me))
                break
    return tuple(found), ""


# -- the matches ------------------------------------------------------------------------


def peer_matches(team: Team) -> PeerMatches:
    """The other active teams of ``team``'s network that share a priority predictor or
    are similar places, each with its shared progress compared."""
    others = list(
        Team.objects.select_related("workspace", "track")
        .filter(network=team.network_id, status=vocab.TEAM_ACTIVE)
        .exclude(pk=team.pk)
    )
    version = public_version(team)
    mine = team_priorities(team, version)
    my_places = team_places(team)
    notes: list[str] = []
    try:
        release = _release()
    except WarehouseMissing:
        release = None
        notes.append("No release of the metrics data is loaded: similar places are not found.")
    peers: list[PeerTeam] = []
    unmatched: list[Team] = []
    kept: dict[int, ProgressRow] = {}
    for other in others:
        other_version = public_version(other)
        theirs = team_priorities(other, other_version)
        shared = _shared_predictors(mine, theirs, team.workspace.name, other.workspace.name)
        their_places = team_places(other)
        similar = similar_places(my_places, their_places, release) if release else ()
        if not shared and not similar:
            unmatched.append(other)
            continue
        progress, note = compare_progress(
            version, other_version, other.workspace.name, kept, team.workspace.name
        )
        peers.append(
            PeerTeam(
                other,
                tuple(places.place_name(g) for g in their_places),
                shared,
                similar,
                progress,
                note,
            )
        )
    return PeerMatches(team, mine, tuple(peers), tuple(unmatched), tuple(notes))

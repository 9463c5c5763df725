"""The coalition's priorities as stored: what a priority is about (a place, a variable,
optionally one group or the gap between two), the evidence it carries from the moment it
was added, ranking, and the decisions that ranked them.

The numbers are the knowledge section's (:func:`~upward.web.knowledge.views.
findings_national.place_numbers`: the value with year, CI and quality, its tests against
the state, the nation and the peers, the breakdowns by group with their tests), never
computed again here. A priority keeps them as they were in :attr:`Priority.evidence`;
:func:`evidence_for` gives them as they are now, so a page can set the two side by side.

Other parts of the strategy stage (the logic model's result element, the measurement
plan) read a priority through :func:`target_of`, :func:`evidence_for` and
:func:`headline_of`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count

from upward.catalog import ALL_LABEL, Metric, Predictor, UnknownName, Variable, get_catalog
from upward.explore import WarehouseMissing
from upward.explore.library import RegistryError, loaded_releases
from upward.web.data import get_release
from upward.web.knowledge.models import Excerpt, LocalSeries
from upward.web.knowledge.views.findings_national import NO_DATA_NOTE, place_numbers
from upward.web.strategy.models import Priority, PriorityDecision
from upward.web.workspace import places
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import StaleVersion, claim_version

EVIDENCE_SCOPES = ("peers", "state", "nation")
TOTAL = ALL_LABEL
"""``versus`` may name the breakdown's total: the gap between a group and all groups."""
MAX_VOTES = 1_000_000


class TargetError(ValueError):
    """What a priority would be about is not valid; ``errors`` maps a field to a message."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = errors


@dataclass(frozen=True)
class Target:
    """What a priority is about, checked against the catalog and the workspace."""

    geoid: str
    place_name: str
    predictor: Predictor
    metric: Metric
    variable: Variable
    breakdown: str = ""
    breakdown_label: str = ""
    subgroup: str = ""
    versus: str = ""

    @property
    def key(self) -> dict[str, str]:
        return {"geoid": self.geoid, "variable": self.variable.name,
                "breakdown": self.breakdown, "subgroup": self.subgroup,
                "versus": self.versus}  # fmt: skip

    @property
    def title(self) -> str:
        """A first title: the measure, the group or the gap, and the place."""
        what = self.variable.label
        if self.versus:
            other = (
                f"all groups ({self.breakdown_label.lower()})"
                if self.versus == TOTAL
                else (self.versus)
            )
            what += f": gap between {self.subgroup} and {other}"
        elif self.subgroup:
            what += f" for {self.subgroup}"
        return f"{what}, {self.place_name}"[:200]


# -- what a priority is about ---------------------------------------------------------------


def _groups(breakdown: str) -> list[str]:
    try:
        return [g.label for g in get_catalog().subgroup_type(breakdown).groups]
    except LookupError:
        return []


def check_target(workspace: Workspace, data: Mapping[str, str]) -> Target:
    """The target that ``data`` (place, variable, breakdown, subgroup, versus) names, or
    :class:`TargetError` with a message per field. ``metric`` or ``predictor`` stand for
    their headline variable when no variable is given."""
    catalog = get_catalog()
    errors: dict[str, str] = {}
    geoid = (data.get("place") or "").strip()
    name = ""
    if not geoid:
        errors["place"] = "Place: choose one of the workspace's places."
    elif geoid not in (workspace.geoids or []):
        known = places.is_place(geoid)
        errors["place"] = (
            f"Place: {places.place_name(geoid)} ({geoid}) is not one of this workspace's places."
            if known
            else f"Place: “{geoid}” is not a county or city of the Mobility Metrics."
        )
    else:
        name = places.place_name(geoid)
    variable = _variable(data, errors)
    breakdown = (data.get("breakdown") or "").strip()
    subgroup = (data.get("subgroup") or "").strip()
    versus = (data.get("versus") or "").strip()
    label = ""
    if breakdown:
        try:
            label = catalog.subgroup_type(breakdown).label
        except LookupError:
            errors["breakdown"] = f"Breakdown: “{breakdown}” is not a breakdown by group."
        else:
            if variable is not None and not _published_by(variable, breakdown):
                errors["breakdown"] = (
                    f"Breakdown: {variable.label} is not published by {label.lower()}."
                )
    groups = _groups(breakdown)
    if subgroup and not breakdown:
        errors["breakdown"] = "Breakdown: a group needs its breakdown (for example race-ethnicity)."
    elif breakdown and not subgroup and "breakdown" not in errors:
        errors["subgroup"] = f"Group: choose a group of the {label.lower()} breakdown."
    elif subgroup and groups and subgroup not in groups:
        errors["subgroup"] = (
            f"Group: “{subgroup}” is not a group of {label.lower()}; its groups are "
            f"{', '.join(groups)}."
        )
    if versus:
        if not subgroup:
            errors["versus"] = "Compared group: a gap needs a first group as well."
        elif versus == subgroup:
            errors["versus"] = (
                f"Compared group: a gap is between two different groups; both are “{versus}”."
            )
        elif groups and versus not in (*groups, TOTAL):
            errors["versus"] = (
                f"Compared group: “{versus}” is not a group of {label.lower()}; choose one of "
                f"{', '.join(groups)}, or {TOTAL} for the breakdown's total."
            )
    if errors:
        raise TargetError(errors)
    assert variable is not None
    metric = catalog.metric(variable.metric_id)
    return Target(geoid, name, catalog.predictor(metric.predictor_id), metric, variable,
                  breakdown, label, subgroup, versus)  # fmt: skip


def _variable(data: Mapping[str, str], errors: dict[str, str]) -> Variable | None:
    catalog = get_catalog()
    name = (data.get("variable") or "").strip()
    try:
        if name:
            return catalog.variable(name)
        if metric := (data.get("metric") or "").strip():
            return catalog.metric(metric).headline
        if predictor := (data.get("predictor") or "").strip():
            return catalog.metric(catalog.predictor(predictor).metric_ids[0]).headline
    except (UnknownName, LookupError):
        errors["variable"] = (
            f"Measure: “{name or data.get('metric') or data.get('predictor')}” is not a "
            "measure of the Mobility Metrics."
        )
        return None
    errors["variable"] = "Measure: choose the measure the priority is about."
    return None


def variable_name(data: Mapping[str, str]) -> str:
    """The variable ``data`` names: its own, else the headline of its metric or predictor;
    what it said when that is unknown (the form then says so)."""
    if name := (data.get("variable") or "").strip():
        return name
    found = _variable(data, {})
    return found.name if found else (data.get("metric") or data.get("predictor") or "").strip()


def _published_by(variable: Variable, breakdown: str) -> bool:
    metric = get_catalog().metric(variable.metric_id)
    return any(breakdown in types for types in metric.subgroup_types.values())


def duplicate_of(
    workspace: Workspace, target: Target, exclude: int | None = None
) -> Priority | None:
    found = Priority.objects.filter(workspace=workspace, **target.key)
    return found.exclude(pk=exclude).first() if exclude else found.first()


def target_of(priority: Priority) -> Target:
    """The target of a saved priority (its fields were checked when it was added)."""
    return check_target(
        priority.workspace,
        {"place": priority.geoid, "variable": priority.variable,
         "breakdown": priority.breakdown, "subgroup": priority.subgroup,
         "versus": priority.versus},
    )  # fmt: skip


# -- the evidence ---------------------------------------------------------------------------


def release_identity() -> tuple[str, str]:
    """The current release's name and the checksum the registry recorded ('' unknown)."""
    release = get_release()
    name = release.release_name or release.version
    try:
        entries, _current = loaded_releases()
    except (RegistryError, OSError, ValueError):  # an unreadable registry: unknown
        return name, ""
    return name, next((e.checksum for e in entries if e.name == release.name), "")


def _local(workspace: Workspace, predictor_id: str) -> dict[str, Any]:
    series = [
        pk
        for pk, tags in LocalSeries.objects.filter(workspace=workspace)
        .order_by("pk")
        .values_list("pk", "predictors")
        if predictor_id in (tags or [])
    ]
    coded = Excerpt.codes.through.objects.filter(
        code__workspace=workspace, code__kind="predictor", code__ref=predictor_id
    )
    excerpts = sorted(coded.values_list("excerpt_id", flat=True).distinct())
    notes = Excerpt.objects.filter(pk__in=excerpts).aggregate(n=Count("note", distinct=True))["n"]
    return {"series": len(series), "series_ids": series, "findings": len(excerpts),
            "finding_ids": excerpts, "notes": notes or 0}  # fmt: skip


def evidence_for(workspace: Workspace, target: Target) -> dict[str, Any]:
    """The evidence of ``target`` as it is now: the release (name, checksum), the value
    (year, CI, quality, text), its tests against the peers, the state and the nation, the
    group or gap with its test, every breakdown of the variable with its tests, and the
    local series and coded findings tagged to the predictor (counts and ids)."""
    out: dict[str, Any] = {
        "place": {"geoid": target.geoid, "name": target.place_name},
        "predictor": {"id": target.predictor.id, "label": target.predictor.label},
        "metric": {"id": target.metric.id, "label": target.metric.label},
        "variable": {"name": target.variable.name, "label": target.variable.label},
        "breakdown": target.breakdown, "subgroup": target.subgroup, "versus": target.versus,
        "release": {"name": "", "checksum": ""}, "value": None, "comparisons": [],
        "group": None, "gap": None, "breakdowns": [], "note": "",
        "local": _local(workspace, target.predictor.id),
    }  # fmt: skip
    try:
        release = get_release()
        name, checksum = release_identity()
    except WarehouseMissing:
        out["note"] = NO_DATA_NOTE
        return out
    out["release"] = {"name": name, "checksum": checksum}
    numbers = place_numbers(release, target.geoid, (target.metric.id,), EVIDENCE_SCOPES)
    value = next((v for v in numbers.values if v.variable == target.variable.name), None)
    if value is None:
        out["note"] = numbers.note or "The release publishes no value of this measure here."
    else:
        out["value"] = {"year": value.year, "text": value.text, "value": value.value,
                        "lb": value.lb, "ub": value.ub, "quality": value.quality}  # fmt: skip
        out["comparisons"] = [
            {"scope": s["scope"], "label": s["label"], "median": s["median"],
             "verdict": s["verdict"], "difference": s["claims_difference"]}
            for s in value.scopes
        ]  # fmt: skip
        out["notes"] = list(value.notes)
    blocks = [b for b in numbers.breakdowns if b["variable_name"] == target.variable.name]
    out["breakdowns"] = [_block_out(b) for b in blocks]
    chosen = next((b for b in blocks if b["subgroup_type"] == target.breakdown), None)
    if target.breakdown and chosen is None:
        out["note"] = "The release publishes no breakdown of this measure by this group here."
    elif chosen is not None:
        out["group"] = next(
            ({**_row_out(r), "total": chosen["total"], "title": chosen["title"]}
             for r in chosen["rows"] if r["group"] == target.subgroup),
            None,
        )  # fmt: skip
        if target.versus:
            out["gap"] = _gap_out(chosen, target)
    return out


def _row_out(row: dict[str, Any]) -> dict[str, Any]:
    return {"group": row["group"], "value": row["value"], "gap": row["gap"], "ci": row["ci"],
            "verdict": row["verdict"], "difference": bool(row.get("is_gap"))}  # fmt: skip


def _block_out(block: dict[str, Any]) -> dict[str, Any]:
    return {"breakdown": block["subgroup_type"], "title": block["title"],
            "total": block["total"], "year": block["year"],
            "rows": [_row_out(r) for r in block["rows"]],
            "notes": list(block["notes"])}  # fmt: skip


def _gap_out(block: dict[str, Any], target: Target) -> dict[str, Any] | None:
    """The tested gap between the target's two groups, as the release states it: group
    minus reference, in the order the release compares them."""
    if target.versus == TOTAL:
        row = next((r for r in block["rows"] if r["group"] == target.subgroup), None)
        if row is None:
            return None
        return {**_row_out(row), "versus": TOTAL, "year": block["year"]}
    pair = {target.subgroup, target.versus}
    found = next((g for g in block["between"] if {g["group"], g["versus"]} == pair), None)
    if found is None:
        return None
    return {"group": found["group"], "versus": found["versus"], "gap": found["gap"],
            "ci": found["ci"], "quality": found.get("quality", ""),
            "verdict": found["verdict"], "difference": found["is_gap"],
            "year": block["year"]}  # fmt: skip


def headline_of(evidence: Mapping[str, Any]) -> str:
    """The one line a list shows of a priority's evidence: the gap, the group or the value,
    each with its words of the test (never a difference the test does not support)."""
    if gap := evidence.get("gap"):
        other = "the total" if gap["versus"] == TOTAL else gap["versus"]
        ci = f" ({gap['ci']})" if gap.get("ci") else ""
        return f"{gap['group']} minus {other}: {gap['gap']}{ci}, {gap['year']}; {gap['verdict']}"
    if group := evidence.get("group"):
        return f"{group['group']}: {group['value']}; against the total: {group['verdict']}"
    if value := evidence.get("value"):
        return str(value["text"])
    return str(evidence.get("note") or "No value recorded.")


def release_changed(priority: Priority, live: Mapping[str, Any]) -> bool:
    """Whether the live evidence comes from another release than the one kept."""
    now = live.get("release") or {}
    if not now.get("name"):
        return False
    if priority.release_checksum and now.get("checksum"):
        return bool(priority.release_checksum != now["checksum"])
    return bool(priority.release != now["name"])


# -- changes --------------------------------------------------------------------------------


def add_priority(
    workspace: Workspace, user: Any, target: Target, *, title: str = "", rationale: str = "",
    source: str = "manual", source_ref: str = "",
) -> Priority:  # fmt: skip
    """Add the priority with its evidence as it is now, last in rank; logs it. Call it
    inside a transaction (an IntegrityError means a duplicate saved meanwhile)."""
    evidence = evidence_for(workspace, target)
    last = Priority.objects.filter(workspace=workspace).order_by("-rank").first()
    priority = Priority.objects.create(
        workspace=workspace, predictor=target.predictor.id, metric=target.metric.id,
        title=(title or target.title)[:200], rationale=rationale, source=source,
        source_ref=source_ref[:200], rank=(last.rank + 1) if last else 1, evidence=evidence,
        release=evidence["release"]["name"][:60],
        release_checksum=evidence["release"]["checksum"][:80], updated_by=user, **target.key,
    )  # fmt: skip
    record(workspace, user, "added", f"priority “{priority.title}”", headline_of(evidence))
    return priority


def ordered(workspace: Workspace) -> list[Priority]:
    """The workspace's priorities, ranked first (1 first), then unranked by age."""
    rows = list(Priority.objects.filter(workspace=workspace).order_by("id"))
    return sorted(rows, key=lambda p: (p.rank == 0, p.rank, p.pk))


def seen_token(priorities: list[Priority]) -> str:
    """The versions a ranking form saw, so a ranking saved meanwhile is noticed."""
    return versions_token({p.pk: p.version for p in priorities})


def versions_token(versions: Mapping[int, int]) -> str:
    """:func:`seen_token` of priorities read at ``versions`` ({id: version})."""
    return ",".join(f"{pk}:{versions[pk]}" for pk in sorted(versions))


def ranking_differences(current: list[Priority], sent: Mapping[int, int]) -> list[str]:
    """How a ranking sent as {priority id: version read} differs from the priorities as
    they are now ([] when it lists each of them once, at its current version)."""
    now = {p.pk: p for p in current}
    out = [f"priority {pk} (“{now[pk].title}”) is missing from it"
           for pk in sorted(now) if pk not in sent]  # fmt: skip
    out += [f"priority {pk} is not one of this workspace's priorities (any more)"
            for pk in sent if pk not in now]  # fmt: skip
    out += [f"priority {pk} (“{now[pk].title}”) is at version {now[pk].version}, not the "
            f"version {version} you sent" for pk, version in sent.items()
            if pk in now and now[pk].version != version]  # fmt: skip
    return out


def save_ranking(
    workspace: Workspace, user: Any, order: list[int], seen: str, via: str = ""
) -> None:
    """Rank the workspace's priorities in ``order`` (ids, first is rank 1); StaleVersion
    when any changed since the form was read (``seen``, as :func:`seen_token` wrote it),
    ValueError when ``order`` is not exactly the workspace's priorities. ``via`` ends the
    activity line ("through the API")."""
    with transaction.atomic():
        current = list(Priority.objects.select_for_update().filter(workspace=workspace))
        if seen_token(current) != seen:
            raise StaleVersion
        by_id = {p.pk: p for p in current}
        if sorted(order) != sorted(by_id):
            raise ValueError("The ranking must list each of the workspace's priorities once.")
        for rank, pk in enumerate(order, start=1):
            p = by_id[pk]
            if p.rank == rank:
                continue
            version = claim_version(Priority, pk, p.version)
            Priority.objects.filter(pk=pk).update(rank=rank, version=version, updated_by=user)
        ranked = "; ".join(f"{n}. {by_id[pk].title}" for n, pk in enumerate(order, 1))
        record(workspace, user, "ranked", "the priorities", f"{ranked} ({via})" if via else ranked)


def move(order: list[int], pk: int, direction: str) -> list[int]:
    """``order`` with ``pk`` one place up or down (unchanged at either end)."""
    out = list(order)
    i = out.index(pk)
    j = i - 1 if direction == "up" else i + 1
    if 0 <= j < len(out):
        out[i], out[j] = out[j], out[i]
    return out


def clean_votes(workspace: Workspace, votes: Mapping[Any, Any]) -> dict[str, int]:
    """``votes`` as {priority id: count}: each key a priority of this workspace, each count
    a whole number from 0; ValueError naming the priority otherwise. Zero counts are kept
    out (a priority nobody voted for has no entry)."""
    known = {str(pk): title for pk, title in
             Priority.objects.filter(workspace=workspace).values_list("pk", "title")}  # fmt: skip
    out: dict[str, int] = {}
    for key, count in votes.items():
        key = str(key)
        if key not in known:
            raise ValueError(f"Votes: “{key}” is not a priority of this workspace.")
        if isinstance(count, bool) or not isinstance(count, int):
            try:
                count = int(str(count).strip())
            except ValueError:
                raise ValueError(
                    f"Votes for “{known[key]}”: give a whole number of votes (0 or more)."
                ) from None
        if count < 0 or count > MAX_VOTES:
            raise ValueError(
                f"Votes for “{known[key]}”: a count is a whole number from 0 to {MAX_VOTES:,}."
            )
        if count:
            out[key] = count
    return out


def latest_decision(workspace: Workspace) -> PriorityDecision | None:
    return PriorityDecision.objects.filter(workspace=workspace).order_by("-date", "-id").first()

"""A team's stage in the planning process, derived from facts about its records (never
self-reported), for a learning network's console.

:func:`team_stage` takes :class:`StageFacts` (counts and dates read from one workspace's
records by the store, :mod:`upward.web.networks.team_status`) and says, for each stage of
:data:`upward.planning.network.STAGES`, whether the records show it reached and the
evidence in words. The rules:

* **readiness**: the latest readiness assessment has every condition answered (rated);
* **coalition**: a coalition structure is set (a backbone named, an advisory group or a
  workgroup) and at least one stakeholder is in the inventory;
* **engagement**: at least one engagement held (its date is today or past);
* **findings**: at least one excerpt coded with a code;
* **logic_model**: the coalition approved its logic model at least once;
* **measures**: at least one measure has both a baseline and a target;
* **published**: at least one version of the Mobility Action Plan is published.

The **current** stage is the furthest stage reached; an earlier stage the records do not
show is listed as a gap (records can be made in any order). Pure: no I/O.

:data:`REAL_CHANGE` are the progress statuses that rest on a 95% test supporting a change
since baseline (:mod:`upward.analysis.progress`: *met* needs a significant improvement;
Weak data is *not comparable*, never a change).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from upward.planning.network import STAGES, Stage

REAL_CHANGE: frozenset[str] = frozenset({"met", "improving", "worsening", "changed"})
"""Progress statuses that mean a statistically real change since baseline (95% test)."""


@dataclass(frozen=True)
class StageFacts:
    """What one workspace's records show, as counts and dates."""

    conditions_answered: int = 0
    conditions_total: int = 0
    """Of the latest assessment (0 and 0 without one)."""
    stakeholders: int = 0
    structure_set: bool = False
    engagements_held: int = 0
    excerpts_coded: int = 0
    model_approved_on: date | None = None
    measures: int = 0
    measures_set: int = 0
    """Measures with both a baseline and a target."""
    plan_versions: int = 0
    published_on: date | None = None


@dataclass(frozen=True)
class StageReached:
    stage: Stage
    reached: bool
    evidence: str
    """What the records show, in words."""


@dataclass(frozen=True)
class TeamStage:
    stages: tuple[StageReached, ...]

    @property
    def reached(self) -> tuple[StageReached, ...]:
        return tuple(s for s in self.stages if s.reached)

    @property
    def current(self) -> Stage | None:
        """The furthest stage reached (None before any)."""
        found = self.reached
        return found[-1].stage if found else None

    @property
    def number(self) -> int:
        """1 to 7: the position of the current stage (0 before any)."""
        current = self.current
        return 0 if current is None else STAGES.index(current) + 1

    @property
    def gaps(self) -> tuple[Stage, ...]:
        """Stages before the current one that the records do not show."""
        n = self.number
        return tuple(s.stage for s in self.stages[: max(n - 1, 0)] if not s.reached)

    @property
    def words(self) -> str:
        current = self.current
        if current is None:
            return "No stage shown by its records yet."
        text = (f"Furthest stage: {current.label} (stage {self.number}; {len(self.reached)} of "
                f"{len(STAGES)} stages shown by its records).")  # fmt: skip
        if self.gaps:
            text += " Not yet shown: " + ", ".join(g.label.lower() for g in self.gaps) + "."
        return text


def _plural(n: int, one: str, many: str | None = None) -> str:
    return f"{n:,} {one if n == 1 else (many or one + 's')}"


def _readiness(f: StageFacts) -> tuple[bool, str]:
    if f.conditions_total == 0:
        return False, "No readiness assessment yet."
    done = f.conditions_answered >= f.conditions_total
    return done, (
        f"{f.conditions_answered} of {f.conditions_total} conditions rated in the latest "
        "readiness assessment."
    )


def _coalition(f: StageFacts) -> tuple[bool, str]:
    structure = "a coalition structure set" if f.structure_set else "no coalition structure set"
    return (f.structure_set and f.stakeholders > 0,
            f"{_plural(f.stakeholders, 'stakeholder')} in the inventory; {structure}.")  # fmt: skip


def _on(day: date | None) -> str:
    return f" on {day:%B %-d, %Y}" if day else ""


def team_stage(f: StageFacts) -> TeamStage:
    """Each stage reached or not, with its evidence, from the facts of one workspace."""
    rules: dict[str, tuple[bool, str]] = {
        "readiness": _readiness(f),
        "coalition": _coalition(f),
        "engagement": (f.engagements_held > 0,
                       f"{_plural(f.engagements_held, 'engagement')} held."),
        "findings": (f.excerpts_coded > 0, f"{_plural(f.excerpts_coded, 'excerpt')} coded."),
        "logic_model": (
            f.model_approved_on is not None,
            f"Logic model approved{_on(f.model_approved_on)}."
            if f.model_approved_on else "Logic model not approved yet.",
        ),
        "measures": (f.measures_set > 0,
                     f"{f.measures_set} of {_plural(f.measures, 'measure')} with a baseline "
                     "and a target."),
        "published": (
            f.plan_versions > 0,
            f"{_plural(f.plan_versions, 'version')} of the plan published, the latest"
            f"{_on(f.published_on)}." if f.plan_versions else "No plan published yet.",
        ),
    }  # fmt: skip
    return TeamStage(tuple(StageReached(s, *rules[s.id]) for s in STAGES))


@dataclass(frozen=True)
class RealChange:
    """How many of a published plan's indicators show a statistically real change."""

    changed: int
    total: int
    by_status: tuple[tuple[str, int], ...]
    """(status, count) of the changed ones, in :data:`REAL_CHANGE_ORDER`."""

    @property
    def words(self) -> str:
        return f"{self.changed} of {_plural(self.total, 'indicator')}"


REAL_CHANGE_ORDER: tuple[str, ...] = ("met", "improving", "worsening", "changed")


def real_change(statuses: list[str] | tuple[str, ...]) -> RealChange:
    """Count the indicators whose status is a real change (:data:`REAL_CHANGE`)."""
    counts = {s: sum(1 for x in statuses if x == s) for s in REAL_CHANGE_ORDER}
    return RealChange(
        sum(counts.values()), len(statuses), tuple((s, n) for s, n in counts.items() if n)
    )

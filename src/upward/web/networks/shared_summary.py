"""What a network's staff read of one record a team shared: a read-only summary, never
more of the workspace than the record itself.

:func:`summary_of` is called only after :func:`access.shared_or_404` found the share; each
kind reads its record inside the team's workspace (an id of another workspace is 404), and
a kind the workspace has one of (``object_id`` 0) reads its current one."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.http import Http404

from upward.catalog import UnknownName, get_catalog
from upward.planning import network as vocab
from upward.reports.logic_model_diagram import OutlineColumn
from upward.web.knowledge.models import FindingsSummary
from upward.web.measurement.models import Action, Measure
from upward.web.networks.models import Team
from upward.web.strategy import model_store
from upward.web.strategy.models import Priority, TheoryOfChange, VisionVersion
from upward.web.workspace import places, readiness_store
from upward.web.workspace.models import Assessment

KIND_LABELS = dict(vocab.SHARE_KINDS)


@dataclass(frozen=True)
class Section:
    heading: str
    lines: tuple[tuple[str, str], ...] = ()
    """(label, value) pairs shown as a description list."""
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True)
class SharedSummary:
    kind: str
    title: str
    sections: tuple[Section, ...] = ()
    outlines: tuple[tuple[str, list[OutlineColumn]], ...] = field(default=())
    """(priority title, the text outline of its logic model) for a logic model."""

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind)


def _one(model: type, team: Team, object_id: int, **extra: Any) -> Any:
    found = model.objects.filter(workspace=team.workspace_id, pk=object_id, **extra).first()  # type: ignore[attr-defined]
    if found is None:
        raise Http404("No such record in this team's workspace.")
    return found


def _predictor(pid: str) -> str:
    try:
        return get_catalog().predictor(pid).label
    except (UnknownName, LookupError):
        return pid


def _assessment(team: Team, object_id: int) -> SharedSummary:
    assessment = _one(Assessment, team, object_id)
    result = readiness_store.result_of(assessment)
    head = Section(
        "Verdict",
        (("Result", result.state_label), ("Why", result.state_reason),
         ("Conditions met", f"{result.met_count} of {result.total}"),
         ("Steps done", f"{result.steps_done} of {result.steps_total}")),
    )  # fmt: skip
    rows = tuple(
        (c.condition.title, ("Met" if c.met else "Not met") + f": {c.summary}"
         if c.answered else "Not rated yet")
        for c in result.conditions
    )  # fmt: skip
    return SharedSummary("assessment", str(assessment), (head, Section("Conditions", rows)))


def _priority(team: Team, object_id: int) -> SharedSummary:
    p = _one(Priority, team, object_id)
    lines = [("Predictor", _predictor(p.predictor)), ("Place", places.place_name(p.geoid))]
    if p.rank:
        lines.append(("Rank", str(p.rank)))
    section = Section("Priority", tuple(lines), text=p.rationale or "No rationale written.")
    return SharedSummary("priority", p.title, (section,))


def _vision(team: Team, _object_id: int) -> SharedSummary:
    version = VisionVersion.objects.filter(workspace=team.workspace_id).order_by("-number").first()
    if version is None:
        raise Http404("No vision yet.")
    lines = (("Version", str(version.number)), ("Written", f"{version.created_at:%B %-d, %Y}"))
    return SharedSummary("vision", "Vision statement", (Section("Vision", lines, version.text),))


def _theory(team: Team, _object_id: int) -> SharedSummary:
    theories = list(TheoryOfChange.objects.filter(workspace=team.workspace_id).order_by("pk"))
    if not theories:
        raise Http404("No theory of change yet.")
    sections = tuple(
        Section(
            f"Theory {n}",
            (("If we", t.if_we), ("Then", t.then), ("Because", t.because))
            + ((("Assuming", t.assumptions),) if t.assumptions else ()),
        )
        for n, t in enumerate(theories, 1)
    )
    return SharedSummary("theory", "Theory of change", sections)


def _logic_model(team: Team, _object_id: int) -> SharedSummary:
    models = [m for m in model_store.models_of(team.workspace) if m.elements]
    if not models:
        raise Http404("No logic model yet.")
    outlines = tuple((m.title, m.outline()) for m in models)
    return SharedSummary("logic_model", "Logic model", outlines=outlines)


def _measure(team: Team, object_id: int) -> SharedSummary:
    m = _one(Measure, team, object_id)
    lines = [("Kind", m.get_kind_display()), ("Of", m.element.title)]
    if m.geoid:
        lines.append(("Place", places.place_name(m.geoid)))
    baseline = getattr(m, "baseline", None)
    pinned = (f"{baseline.text} (release {baseline.release}, quality "
              f"{baseline.quality or 'not rated'})") if baseline else "None pinned yet"  # fmt: skip
    lines.append(("Baseline", pinned))
    target = getattr(m, "target", None)
    lines.append(("Target", (target.words or str(target.value)) if target else "None set yet"))
    if target is not None and target.inside_noise:
        lines.append(("Note", "The target lies inside the noise: the data cannot tell "
                      "reaching it from no change."))  # fmt: skip
    return SharedSummary("measure", m.title, (Section("Measure", tuple(lines), m.description),))


def _action(team: Team, object_id: int) -> SharedSummary:
    a = _one(Action, team, object_id)
    lines = (
        ("Strategy", a.strategy.name),
        ("Kind", a.get_kind_display()),
        ("Status", a.get_status_display()),
        ("Done", f"{a.percent}%"),
        ("Due", f"{a.due_date:%B %-d, %Y}" if a.due_date else "No due date"),
    )
    return SharedSummary("action", a.title, (Section("Action", lines),))


def _findings(team: Team, _object_id: int) -> SharedSummary:
    found = FindingsSummary.objects.filter(workspace=team.workspace_id).first()
    if found is None:
        raise Http404("No findings summary yet.")
    sections = [Section("Introduction", text=found.introduction)] if found.introduction else []
    for pid in found.predictors:
        sections.append(Section(_predictor(pid), text=str(found.sections.get(pid, ""))))
    return SharedSummary("findings_summary", found.title, tuple(sections))


READERS = {
    "assessment": _assessment,
    "priority": _priority,
    "vision": _vision,
    "theory": _theory,
    "logic_model": _logic_model,
    "measure": _measure,
    "action": _action,
    "findings_summary": _findings,
}


def summary_of(team: Team, kind: str, object_id: int) -> SharedSummary:
    """The shared record's summary (call after :func:`access.shared_or_404`)."""
    if kind not in READERS:
        raise Http404("No such record kind.")
    return READERS[kind](team, object_id)


def shared_labels(team: Team) -> list[tuple[Any, str]]:
    """Each record the team shares, with a label (its title; 'Removed' when the record is
    gone), in the order kept."""
    shared = list(team.shared.all())
    titles: dict[tuple[str, int], str] = {}
    kinds = (("assessment", Assessment, None), ("priority", Priority, "title"),
             ("measure", Measure, "title"), ("action", Action, "title"))  # fmt: skip
    for kind, model, attr in kinds:
        ids = [s.object_id for s in shared if s.kind == kind]
        for row in model.objects.filter(workspace=team.workspace_id, pk__in=ids):  # type: ignore[attr-defined]
            titles[(kind, row.pk)] = getattr(row, attr) if attr else str(row)
    out = []
    for s in shared:
        if s.kind in vocab.SINGLE_KINDS:
            label = f"Current {KIND_LABELS[s.kind].lower()}"
        else:
            label = titles.get((s.kind, s.object_id), "A record since removed")
        out.append((s, label))
    return out

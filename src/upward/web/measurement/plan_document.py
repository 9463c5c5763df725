"""The draft Mobility Action Plan of a workspace (issue 14, part 7): :func:`assemble` reads
the workspace's records (coalition, readiness, stakeholders, engagement, priorities and
their evidence, findings, local data, vision, theory of change, logic model, strategies,
measures with baselines and targets, sustainability, funding, actions, learning plan)
into one :class:`upward.reports.action_plan.PlanDocument`, every number already in words.

Reads only: nothing is written, whatever is asked. The logic model is read by the one
reader (:func:`upward.web.strategy.model_store.models_of`), baselines' minimum detectable
changes by :func:`upward.web.measurement.target_store.mdc_of`, and a priority's value from
the evidence kept with it (the release it was chosen on). :func:`language_flags` runs the
plain-language check over every text the coalition wrote in the document.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from typing import Any

from django.utils import timezone

from upward.catalog import UnknownName, Variable, get_catalog
from upward.explore import WarehouseMissing
from upward.planning import action as action_vocab
from upward.planning import measure as measure_vocab
from upward.planning import stakeholder as stakeholder_vocab
from upward.planning.knowledge import ENGAGEMENT_KINDS, ENGAGEMENT_LEVELS, LOCAL_QUALITY
from upward.planning.plain_language import Flag, check
from upward.planning.strategy import EVIDENCE_LEVELS, SYSTEMS_CONDITIONS
from upward.reports import action_plan as ap
from upward.reports.findings_summary import paragraphs
from upward.reports.numbers import format_number, measured_ci, measured_text, size_text
from upward.web.knowledge import engagement_store, findings_store
from upward.web.knowledge.local_store import _ci, _latest, _shown
from upward.web.knowledge.models import Engagement, LocalSeries
from upward.web.knowledge.views.findings_summary import sections_of
from upward.web.measurement import action_store, target_store
from upward.web.measurement.models import FundingSource, LearningPlan, Measure
from upward.web.measurement.models import Sustainability as SustainabilityPlan
from upward.web.strategy import model_store, priority_store, review_store, vision_store
from upward.web.strategy.models import Strategy, TheoryOfChange
from upward.web.workspace import places, readiness_store
from upward.web.workspace.models import CADENCE_CHOICES, Membership, Role, Stakeholder, Workspace

KIND_LABELS = dict(measure_vocab.MEASURE_KINDS)
ASPECT_LABELS = dict(measure_vocab.PERFORMANCE_ASPECTS)
FREQUENCY_LABELS = dict(measure_vocab.FREQUENCIES)
METHOD_LABELS = dict(measure_vocab.TARGET_METHODS)
CONDITION_LABELS = dict(SYSTEMS_CONDITIONS)
EVIDENCE_LABELS = dict(EVIDENCE_LEVELS)
CADENCE_LABELS = dict(CADENCE_CHOICES)
ROLE_LABELS = dict(Role.choices)
ENGAGEMENT_KIND_LABELS = dict(ENGAGEMENT_KINDS)
QUALITY_LABELS = dict(LOCAL_QUALITY)
PARTNER_ROLES = frozenset({"partner", "champion"})
MAX_ENGAGEMENTS = 40
MAX_LOCAL_VALUES = 3


def _variable(name: str) -> Variable | None:
    try:
        return get_catalog().variable(name) if name else None
    except (UnknownName, LookupError):
        return None


def _day(value: Any) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


# -- numbers -------------------------------------------------------------------------------


def value_of(
    variable: Variable | None,
    value: float | None,
    lb: float | None,
    ub: float | None,
    quality: str,
    year: int | None,
    release: str,
    gap: bool = False,
) -> ap.Value:
    """A number in words: a value, or (``gap``) a difference between two groups."""
    if variable is None:
        text = "no value" if value is None else f"{value:,.4g}"
        ci = f"95% CI {lb:,.4g} to {ub:,.4g}" if lb is not None and ub is not None else ""
        return ap.Value(text, value, lb, ub, ci, quality or "", year, release)
    if gap:  # a difference: its CI's bounds are differences too, so no bare lb/ub texts
        return ap.Value(
            measured_text(variable, value, gap),
            value,
            lb,
            ub,
            measured_ci(variable, lb, ub, gap),
            quality or "",
            year,
            release,
        )
    return ap.Value(
        measured_text(variable, value),
        value,
        lb,
        ub,
        measured_ci(variable, lb, ub),
        quality or "",
        year,
        release,
        format_number(variable, lb),
        format_number(variable, ub),
    )


# -- the coalition's work -------------------------------------------------------------------------


def _coalition(workspace: Workspace, members: list[ap.Person]) -> ap.CoalitionWork:
    structure = getattr(workspace, "structure", None)
    _assessment, result = readiness_store.latest_result(workspace)
    sectors = Counter(
        Stakeholder.objects.filter(workspace=workspace).values_list("sector", flat=True)
    )
    sector_labels = dict(stakeholder_vocab.SECTORS)
    summary = engagement_store.summary(workspace)
    engagements = (
        Engagement.objects.filter(workspace=workspace)
        .prefetch_related("partners")
        .order_by("-date", "-id")[:MAX_ENGAGEMENTS]
    )
    levels = dict(ENGAGEMENT_LEVELS)
    return ap.CoalitionWork(
        description=workspace.description,
        places=tuple(places.place_name(g) for g in workspace.geoids),
        backbone=structure.backbone.name if structure and structure.backbone else "",
        backbone_duties=structure.backbone_duties if structure else "",
        advisory_members=tuple(s.name for s in structure.advisory_members.all())
        if structure
        else (),
        advisory_cadence=CADENCE_LABELS.get(structure.advisory_cadence, "") if structure else "",
        advisory_purpose=structure.advisory_purpose if structure else "",
        workgroups=tuple(workspace.workgroups.order_by("name").values_list("name", flat=True)),
        readiness_state=result.state_label if result and result.assessed else "",
        readiness_reason=result.state_reason if result and result.assessed else "",
        readiness_met=result.met_count if result else 0,
        readiness_total=result.total if result else 0,
        members=tuple(members),
        stakeholder_count=sum(sectors.values()),
        stakeholder_sectors=tuple(
            ap.Tally(str(sector_labels.get(k, k)), n) for k, n in sorted(sectors.items())
        ),
        engagement_count=summary.total,
        participants=summary.participants,
        engagement_levels=tuple(
            ap.Tally(t.label, t.engagements) for t in summary.levels if t.engagements
        ),
        engagements=tuple(
            ap.EngagementLine(
                e.title,
                _day(e.date),
                ENGAGEMENT_KIND_LABELS.get(e.kind, e.kind),
                levels.get(e.level, e.level),
                e.participants,
                tuple(p.name for p in e.partners.all()),
                tuple(e.languages or ()),
            )
            for e in engagements
        ),
    )


# -- conditions ----------------------------------------------------------------------------


def _priority(p: Any) -> ap.PriorityCondition:
    catalog = get_catalog()
    evidence = p.evidence or {}
    variable = _variable(p.variable)
    predictor = next((x for x in catalog.predictors if x.id == p.predictor), None)
    pillar = catalog.pillar(predictor.pillar_id).label if predictor else ""
    found = evidence.get("value")
    value = None
    release = (evidence.get("release") or {}).get("name") or p.release
    if found:
        value = value_of(
            variable,
            found.get("value"),
            found.get("lb"),
            found.get("ub"),
            found.get("quality") or "",
            found.get("year"),
            release,
        )
    group = p.subgroup or "Everyone"
    if p.versus:
        group = f"{p.subgroup} compared with {p.versus}"
    if p.subgroup:  # one group or a gap: the value for everyone and its tests are not it
        tested = evidence.get("gap") or evidence.get("group")
        said = priority_store.headline_of(evidence) if tested else ""
        if gap := evidence.get("gap"):
            said = _gap_line(gap)
        return ap.PriorityCondition(
            p.title,
            places.place_name(p.geoid),
            predictor.label if predictor else p.predictor,
            pillar,
            variable.label if variable else p.variable,
            group,
            None,
            (),
            "",
            p.rationale,
            f"{said}; release {release}"
            if said and release
            else said
            or str(evidence.get("note") or "The release publishes no value of this group here."),
        )
    comparisons = tuple(
        f"{c.get('label', c.get('scope', ''))}: {c.get('verdict', '')}"
        for c in evidence.get("comparisons") or []
        if c.get("verdict")
    )
    return ap.PriorityCondition(
        p.title,
        places.place_name(p.geoid),
        predictor.label if predictor else p.predictor,
        pillar,
        variable.label if variable else p.variable,
        group,
        value,
        comparisons,
        priority_store.headline_of(evidence) if evidence else "",
        p.rationale,
        str(evidence.get("note") or ""),
    )


def _gap_line(gap: dict[str, Any]) -> str:
    """A priority's tested gap as the technical document states a number: 'Black minus
    White: +4.9 points in 2020 (95% CI +0.2 points to +9.6 points; quality Strong, the
    weaker of the two groups' values); verdict'."""
    other = "the total" if gap.get("versus") == priority_store.TOTAL else gap.get("versus")
    extras = [f"95% CI {gap['ci']}" if gap.get("ci") else "no confidence interval published"]
    quality = gap.get("quality") or ""
    if quality:
        extras.append(f"{ap.quality_words(quality)}, the weaker of the two groups' values")
    else:
        extras.append("the quality of the two groups' values was not recorded")
    return (f"{gap.get('group')} minus {other}: {gap.get('gap')} in {gap.get('year')} "
            f"({'; '.join(extras)}); {gap.get('verdict')}")  # fmt: skip


def _local_series(workspace: Workspace) -> tuple[ap.LocalSeriesLine, ...]:
    out = []
    for s in (
        LocalSeries.objects.filter(workspace=workspace).prefetch_related("values").order_by("name")
    ):
        latest = [v for v in _latest(s.values.all()) if not v.subgroup][:MAX_LOCAL_VALUES]
        sentences = tuple(
            f"{v.geography}, {v.period}: {_shown(s.unit, v.value)}"
            + (f" ({_ci(s.unit, v.lower, v.upper)})" if v.lower is not None else "")
            + "."
            for v in latest
        )
        out.append(
            ap.LocalSeriesLine(
                s.name,
                s.unit,
                s.source,
                QUALITY_LABELS.get(s.quality, s.quality),
                s.description,
                sentences,
            )
        )
    return tuple(out)


def _conditions(workspace: Workspace, priorities: list[Any]) -> ap.Conditions:
    summary = findings_store.summary_of(workspace)
    findings: tuple[ap.FindingsPart, ...] = ()
    if summary is not None:
        findings = tuple(
            ap.FindingsPart(s.title, s.pillar, s.paragraphs)
            for s in sections_of(list(summary.predictors or []), dict(summary.sections or {}))
        )
    return ap.Conditions(
        priorities=tuple(_priority(p) for p in priorities),
        local_series=_local_series(workspace),
        coded_findings=sum(findings_store.excerpt_counts(workspace).values()),
        findings_title=summary.title if summary else "",
        findings_introduction=paragraphs(summary.introduction) if summary else (),
        findings=findings,
    )


# -- direction -----------------------------------------------------------------------------


def _direction(workspace: Workspace, models: list[Any]) -> ap.Direction:
    state = vision_store.state_of(workspace)
    shown = state.adopted or state.current
    status = ""
    if shown is not None and state.approval is not None and shown == state.adopted:
        status = f"adopted on {_day(state.approval.approved_at)}"
        if state.changed_since_adoption:
            status += "; a later draft is not adopted yet"
    elif shown is not None:
        status = "a draft, not adopted yet"
    approval = review_store.latest_approval(workspace, "model")
    model_status = (
        f"Approved on {_day(approval.approved_at)}"
        + (f" by {approval.approved_by.get_username()}" if approval.approved_by else "")
        if approval
        else "Not approved yet."
    )
    theories = TheoryOfChange.objects.filter(workspace=workspace).prefetch_related("priorities")
    strategies = (
        Strategy.objects.filter(workspace=workspace)
        .select_related("lead", "workgroup")
        .prefetch_related("partners")
        .order_by("name_key")
    )
    return ap.Direction(
        vision=paragraphs(shown.text) if shown else (),
        vision_version=shown.number if shown else None,
        vision_status=status,
        theories=tuple(
            ap.Theory(
                t.if_we,
                t.then,
                t.because,
                t.assumptions,
                tuple(p.title for p in t.priorities.all()),
            )
            for t in theories
        ),
        models=tuple(models),
        model_status=model_status,
        strategies=tuple(
            ap.StrategyLine(
                s.name,
                s.description,
                EVIDENCE_LABELS.get(s.evidence_level, s.evidence_level),
                s.needs_evaluation,
                s.evidence_note,
                s.lead.name if s.lead else "",
                tuple(p.name for p in s.partners.all()),
                s.workgroup.name if s.workgroup else "",
                tuple(str(x.get("citation", "")) for x in s.sources or [] if isinstance(x, dict)),
            )
            for s in strategies
        ),
    )


# -- measurement ---------------------------------------------------------------------------


def _responsible(measure: Measure) -> str:
    names = [
        measure.responsible_member.get_username() if measure.responsible_member else "",
        measure.responsible_stakeholder.name if measure.responsible_stakeholder else "",
    ]
    return ", ".join(n for n in names if n)


def _group(m: Measure) -> str:
    if m.versus:
        return f"{m.subgroup} minus {m.versus}"
    return m.subgroup or "Everyone"


def _indicator(m: Measure) -> ap.Indicator:
    variable = _variable(m.variable)
    baseline = getattr(m, "baseline", None)
    target = getattr(m, "target", None)
    value, mdc_text, mdc_note, target_line, note = None, "", "", None, ""
    if baseline is not None:
        value = value_of(
            variable,
            baseline.value,
            baseline.lb,
            baseline.ub,
            baseline.quality,
            baseline.year,
            baseline.release,
            gap=bool(baseline.versus),
        )
        mdc, mdc_note = target_store.mdc_of(baseline)
        mdc_text = size_text(variable, mdc) if mdc is not None else ""
    else:
        note = "No baseline pinned yet, so no target."
    if target is not None and baseline is not None:
        target_line = ap.TargetLine(
            target.value,
            measured_text(variable, target.value, bool(baseline.versus))
            if variable
            else f"{target.value:g}",
            METHOD_LABELS.get(target.method, target.method),
            target.words,
            target.mdc,
            size_text(variable, target.mdc) if target.mdc is not None else "",
            target.inside_noise,
            target.confirmed_at is not None,
            target.unit_note,
        )
    elif baseline is not None:
        note = "No target set yet."
    element = m.element
    return ap.Indicator(
        m.title,
        element.priority.title,
        element.title,
        places.place_name(m.geoid) if m.geoid else "",
        variable.label if variable else (m.local_series.name if m.local_series else m.variable),
        _group(m),
        value,
        target_line,
        note,
        mdc_text,
        mdc_note,
        _responsible(m),
        m.data_source,
        FREQUENCY_LABELS.get(m.frequency, ""),
        m.local_series_id is not None,
        variable.unit if variable and not (baseline and baseline.versus) else "rate",
    )


def _measure_line(m: Measure) -> ap.MeasureLine:
    detail = (
        ASPECT_LABELS.get(m.aspect, "")
        if m.kind == "performance"
        else CONDITION_LABELS.get(m.condition, "")
    )
    milestones = tuple(
        str(x.get("text", "")) + (f" (evidence: {x['evidence']})" if x.get("evidence") else "")
        for x in m.milestones or []
        if isinstance(x, dict) and x.get("text")
    )
    return ap.MeasureLine(
        m.title,
        KIND_LABELS.get(m.kind, m.kind),
        m.element.priority.title,
        m.element.title,
        detail,
        m.description,
        milestones,
        m.data_source,
        FREQUENCY_LABELS.get(m.frequency, ""),
        _responsible(m),
    )


def _measurement(workspace: Workspace, models: list[Any]) -> ap.Measurement:
    measures = list(
        Measure.objects.filter(workspace=workspace)
        .select_related(
            "baseline",
            "target",
            "responsible_member",
            "responsible_stakeholder",
            "local_series",
            "element__priority",
        )
        .order_by("element__priority__rank", "element__priority_id", "element__position", "id")
    )
    measured = {m.element_id for m in measures}
    return ap.Measurement(
        indicators=tuple(_indicator(m) for m in measures if m.kind == "population"),
        performance=tuple(_measure_line(m) for m in measures if m.kind == "performance"),
        systems=tuple(_measure_line(m) for m in measures if m.kind == "systems_change"),
        unmeasured=tuple(
            f"{model.title}: {e.title}"
            for model in models
            for e in model.elements
            if e.id not in measured
        ),
    )


# -- sustainability ------------------------------------------------------------------------


def _actions(workspace: Workspace) -> dict[int, list[ap.ActionLine]]:
    today = action_store.today()
    statuses, kinds = dict(action_vocab.STATUSES), dict(action_vocab.KINDS)
    out: dict[int, list[ap.ActionLine]] = defaultdict(list)
    for a in action_store.actions_of(workspace):
        flags = action_store.flags_of(a, today)
        words = tuple(w for w, on in (("overdue", flags.overdue), ("stale", flags.stale)) if on)
        out[a.strategy_id].append(
            ap.ActionLine(
                a.title,
                kinds.get(a.kind, a.kind),
                a.owner_name,
                _day(a.start_date),
                _day(a.due_date),
                statuses.get(a.status, a.status),
                a.percent,
                words,
            )
        )
    return out


def _sustainability(workspace: Workspace) -> ap.Sustainability:
    plans = {
        p.strategy_id: p
        for p in SustainabilityPlan.objects.filter(workspace=workspace).prefetch_related(
            "responsible"
        )
    }
    funding: dict[int, list[ap.Funding]] = defaultdict(list)
    statuses = dict(action_vocab.FUNDING_STATUSES)
    for f in FundingSource.objects.filter(workspace=workspace):
        amount = f"${f.amount:,.2f}" if f.amount is not None else ""
        funding[f.strategy_id].append(
            ap.Funding(f.name, amount, statuses.get(f.status, f.status), f.notes)
        )
    actions = _actions(workspace)
    rows = []
    for sid, name in (
        Strategy.objects.filter(workspace=workspace).order_by("name_key").values_list("pk", "name")
    ):
        plan = plans.get(sid)
        if plan is None and sid not in funding and sid not in actions:
            continue
        rows.append(
            ap.StrategyPlan(
                name,
                tuple(s.name for s in plan.responsible.all()) if plan else (),
                plan.resources if plan else "",
                plan.notes if plan else "",
                tuple(funding.get(sid, ())),
                tuple(actions.get(sid, ())),
            )
        )
    learning = LearningPlan.objects.filter(workspace=workspace).first()
    return ap.Sustainability(
        tuple(rows),
        ap.Learning(
            CADENCE_LABELS.get(learning.cadence, learning.cadence),
            tuple(str(q) for q in learning.questions or [] if str(q).strip()),
            _day(learning.revisit_on),
            learning.revisit_trigger,
            learning.notes,
        )
        if learning
        else None,
    )


# -- partners and signatories --------------------------------------------------------------


def _partners(workspace: Workspace) -> tuple[ap.PartnerLine, ...]:
    through = Strategy.partners.through
    by_partner: dict[int, list[str]] = defaultdict(list)
    for sid, name in (
        through.objects.filter(strategy__workspace=workspace)
        .order_by("strategy__name_key")
        .values_list("stakeholder_id", "strategy__name")
    ):
        by_partner[sid].append(name)
    sectors, roles = dict(stakeholder_vocab.SECTORS), dict(stakeholder_vocab.ROLES)
    chosen = Stakeholder.objects.filter(workspace=workspace).order_by("name_key")
    return tuple(
        ap.PartnerLine(
            s.name,
            s.organization,
            sectors.get(s.sector, s.sector),
            roles.get(s.role, "Partner"),
            tuple(by_partner.get(s.pk, ())),
        )
        for s in chosen
        if s.pk in by_partner or s.relationship == "partner" or s.role in PARTNER_ROLES
    )


def _members(workspace: Workspace) -> list[ap.Person]:
    rows = (
        Membership.objects.filter(workspace=workspace)
        .select_related("user")
        .order_by("user__username")
    )
    return [ap.Person(m.user.get_username(), ROLE_LABELS.get(m.role, m.role)) for m in rows]


def _signatories(workspace: Workspace, members: list[ap.Person]) -> tuple[ap.Person, ...]:
    people = [ap.Person(p.name, "Owner of the workspace") for p in members if p.role == "Owner"]
    for subject, what in (("vision", "the community vision"), ("model", "the logic model")):
        approval = review_store.latest_approval(workspace, subject)
        if approval is not None and approval.approved_by is not None:
            people.append(
                ap.Person(
                    approval.approved_by.get_username(),
                    f"approved {what} on {_day(approval.approved_at)}",
                )
            )
    return tuple(people)


# -- the document --------------------------------------------------------------------------


def release_identity() -> tuple[str, str]:
    try:
        return priority_store.release_identity()
    except WarehouseMissing:
        return "", ""


def assemble(workspace: Workspace) -> ap.PlanDocument:
    """The workspace's draft MAP, read from its records as they are now (writes nothing)."""
    priorities = priority_store.ordered(workspace)
    models = model_store.models_of(workspace, priorities)
    members = _members(workspace)
    release, checksum = release_identity()
    return ap.PlanDocument(
        title=ap.TITLE,
        coalition=workspace.name,
        slug=workspace.slug,
        date=f"{timezone.localdate():%Y-%m-%d}",
        release=release,
        release_checksum=checksum,
        coalition_work=_coalition(workspace, members),
        conditions=_conditions(workspace, priorities),
        direction=_direction(workspace, models),
        measurement=_measurement(workspace, models),
        sustainability=_sustainability(workspace),
        partners=_partners(workspace),
        signatories=_signatories(workspace, members),
    )


# -- plain language ------------------------------------------------------------------------


def _texts(doc: ap.PlanDocument) -> Iterator[tuple[str, str]]:
    """(where, text) for every text of the document the coalition wrote, one field each
    (so that an excerpt stays within the field it quotes)."""
    cw, d = doc.coalition_work, doc.direction
    yield "Coalition description", cw.description
    yield "Backbone's duties", cw.backbone_duties
    yield "Advisory group's purpose", cw.advisory_purpose
    for e in cw.engagements:
        yield f"Engagement “{e.title}”", e.title
    for p in doc.conditions.priorities:
        yield f"Priority “{p.title}”", p.title
        yield f"Priority “{p.title}”: why it matters", p.rationale
    yield "Summary of Findings: introduction", "\n\n".join(doc.conditions.findings_introduction)
    for f in doc.conditions.findings:
        yield f"Summary of Findings: {f.title}", "\n\n".join(f.paragraphs)
    yield "Community vision", "\n\n".join(d.vision)
    for i, t in enumerate(d.theories, 1):
        yield f"Theory of change {i}", f"If we {t.if_we}, then {t.then}, because {t.because}."
        yield f"Theory of change {i}: assumptions", t.assumptions
    for model in d.models:
        for element in model.elements:
            where = f"Logic model “{model.title}”: {element.title}"
            if element.kind != "strategy":  # a strategy's own text is checked below
                yield where, element.title
            yield f"{where} (description)", element.description
        for link in model.links:
            yield f"Logic model “{model.title}”: a link's rationale", link.rationale
            yield f"Logic model “{model.title}”: a link's assumption", link.assumption
    for s in d.strategies:
        yield f"Strategy “{s.name}”", s.name
        yield f"Strategy “{s.name}”: description", s.description
        yield f"Strategy “{s.name}”: evidence note", s.evidence_note
    for ind in doc.measurement.indicators:
        yield f"Measure “{ind.title}”", ind.title
    for m in (*doc.measurement.performance, *doc.measurement.systems):
        yield f"Measure “{m.title}”", m.title
        yield f"Measure “{m.title}”: description", m.description
        for milestone in m.milestones:
            yield f"Measure “{m.title}”: a milestone", milestone
    for sp in doc.sustainability.strategies:
        yield f"Sustainability of “{sp.strategy}”: resources", sp.resources
        yield f"Sustainability of “{sp.strategy}”: notes", sp.notes
        for a in sp.actions:
            yield f"Action “{a.title}”", a.title
    if doc.sustainability.learning is not None:
        learning = doc.sustainability.learning
        for question in learning.questions:
            yield "Learning plan: a question", question
        yield "Learning plan: when to revisit the logic model", learning.revisit_trigger
        yield "Learning plan: notes", learning.notes


def language_flags(doc: ap.PlanDocument) -> list[tuple[str, Flag]]:
    """Every deficit-framing term in the coalition's text, with where it occurs."""
    return [(where, flag) for where, text in _texts(doc) if text for flag in check(text)]


def flagged(items: Iterable[tuple[str, Flag]]) -> list[dict[str, str]]:
    """The flags as the page and the API list them."""
    return [
        {
            "where": where,
            "term": f.found,
            "suggestion": f.alternative,
            "why": f.why,
            "excerpt": f.excerpt,
        }
        for where, f in items
    ]

"""The Mobility Action Plan as a Word document (python-docx): the same sections and order
as the HTML (:mod:`upward.reports.action_plan`), with Word's own heading styles (so the
navigation pane and screen readers see the outline), tables whose first row is a header
row repeated on each page, the logic-model diagrams and the indicators' charts as PNG
with their text alternative (``descr``) and the data table beside each."""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from upward.reports import logic_model_diagram as lm
from upward.reports import number_line
from upward.reports.action_plan import (
    EDITION_LABELS,
    Edition,
    PlanDocument,
    sentence,
    target_claim,
    value_sentence,
)
from upward.reports.documents import docx_bytes
from upward.reports.review_guide import set_core_properties


def _header_row(table: Any) -> None:
    """Mark the first row as a header row, repeated at the top of each page."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    props = table.rows[0]._tr.get_or_add_trPr()
    marker = OxmlElement("w:tblHeader")
    marker.set(qn("w:val"), "true")
    props.append(marker)
    for row in table.rows:
        cant = OxmlElement("w:cantSplit")
        row._tr.get_or_add_trPr().append(cant)


def _table(
    document: Any, header: Sequence[str], rows: Sequence[Sequence[Any]], caption: str = ""
) -> None:
    if caption:
        document.add_paragraph(caption, style="Caption")
    table = document.add_table(rows=1, cols=len(header))
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, header, strict=True):
        cell.text = ""
        cell.paragraphs[0].add_run(str(text)).bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, text in zip(cells, row, strict=True):
            cell.text = "" if text is None else str(text)
    _header_row(table)


def _picture(document: Any, png: bytes, alt: str, width_cm: float) -> None:
    from docx.shared import Cm

    shape = document.add_picture(io.BytesIO(png), width=Cm(width_cm))
    shape._inline.docPr.set("descr", alt)


def _coalition(document: Any, doc: PlanDocument, technical: bool) -> None:
    cw = doc.coalition_work
    document.add_heading("1. The coalition's work", level=1)
    if cw.description:
        document.add_paragraph(cw.description)
    document.add_heading("How the coalition is organized", level=2)
    if cw.backbone:
        duties = f". Its duties: {cw.backbone_duties}" if cw.backbone_duties else ""
        document.add_paragraph(f"Backbone organization: {cw.backbone}{duties}")
    else:
        document.add_paragraph("No backbone organization is named yet.")
    if cw.advisory_members or cw.advisory_purpose:
        members = ", ".join(cw.advisory_members) or "no members listed yet"
        purpose = f" Purpose: {cw.advisory_purpose}" if cw.advisory_purpose else ""
        document.add_paragraph(f"Advisory group: {members}.{purpose}")
    if cw.workgroups:
        document.add_paragraph("Workgroups: " + "; ".join(cw.workgroups) + ".")
    document.add_heading("Readiness", level=2)
    if cw.readiness_state:
        met = f": {cw.readiness_met} of {cw.readiness_total} conditions of readiness met"
        document.add_paragraph(
            f"{cw.readiness_state}{met if cw.readiness_total else ''}. {cw.readiness_reason}"
        )
    else:
        document.add_paragraph("The coalition has not assessed its readiness yet.")
    document.add_heading("People and engagement", level=2)
    document.add_paragraph(
        f"{len(cw.members)} member(s) of the workspace; {cw.stakeholder_count} stakeholder(s) "
        f"in the inventory; {cw.engagement_count} engagement(s) recorded, with "
        f"{cw.participants} participant(s) in all (a person who came twice is counted twice)."
    )
    if cw.stakeholder_sectors:
        _table(
            document,
            ("Sector", "Stakeholders"),
            [(t.label, t.count) for t in cw.stakeholder_sectors],
            "Stakeholders by sector",
        )
    if cw.engagements:
        if technical:
            _table(
                document,
                ("Date", "Engagement", "Kind and level", "Participants", "Partners"),
                [
                    (e.date, e.title, f"{e.kind}; {e.level}", e.participants, ", ".join(e.partners))
                    for e in cw.engagements
                ],
                "Who was engaged",
            )
        else:
            for e in cw.engagements:
                document.add_paragraph(
                    f"{e.date}: {e.title} ({e.kind.lower()}), {e.participants} participant(s)",
                    style="List Bullet",
                )


def _conditions(document: Any, doc: PlanDocument, technical: bool) -> None:
    c = doc.conditions
    document.add_heading("2. Local mobility conditions", level=1)
    document.add_heading("The coalition's priorities in the data", level=2)
    if technical and c.priorities:
        rows = []
        for p in c.priorities:
            v = p.value
            rows.append(
                (
                    f"{p.title} ({p.place})",
                    f"{p.metric}; {p.group}",
                    v.text if v else (p.note or "No published value."),
                    (v.ci_text or "none published") if v else "",
                    (v.quality or "not rated") if v else "",
                    (v.year or "") if v else "",
                    v.release if v else "",
                    "; ".join(p.comparisons),
                )
            )
        _table(
            document,
            (
                "Priority",
                "Measure and group",
                "Value",
                "95% CI",
                "Quality",
                "Year",
                "Release",
                "Compared with peers, state, nation",
            ),
            rows,
            "Priorities",
        )
    for p in () if technical else c.priorities:
        text = f"{p.title} ({p.place}). "
        text += f"{p.metric}: {value_sentence(p.value)}." if p.value else (p.note or "No value.")
        if p.comparisons:
            text += " Compared with other places: " + "; ".join(p.comparisons) + "."
        document.add_paragraph(text)
    if not c.priorities:
        document.add_paragraph("The coalition has not chosen its priorities yet.")
    document.add_heading("Local data", level=2)
    if c.local_series:
        _table(
            document,
            ("Series", "Unit", "Source", "Quality", "Latest values"),
            [(s.name, s.unit, s.source, s.quality, " ".join(s.sentences)) for s in c.local_series],
            "Local data series",
        )
    else:
        document.add_paragraph("No local data series yet.")
    document.add_heading("What the community told us", level=2)
    document.add_paragraph(f"{c.coded_findings} passage(s) from notes coded to a predictor.")
    for intro in c.findings_introduction:
        document.add_paragraph(intro)
    for f in c.findings:
        document.add_heading(f.title, level=3)
        for text in f.paragraphs or ("(No text yet.)",):
            document.add_paragraph(text)


def _direction(document: Any, doc: PlanDocument, technical: bool) -> None:
    d = doc.direction
    document.add_heading("3. Vision, theory of change, logic model and strategies", level=1)
    document.add_heading("The community vision", level=2)
    if d.vision_status:
        document.add_paragraph(f"Version {d.vision_version}: {d.vision_status}")
    for p in d.vision or ("No vision written yet.",):
        document.add_paragraph(p)
    document.add_heading("Theory of change", level=2)
    for t in d.theories:
        extra = f" Assumptions: {t.assumptions}" if t.assumptions else ""
        document.add_paragraph(f"If we {t.if_we}, then {t.then}, because {t.because}.{extra}")
    if not d.theories:
        document.add_paragraph("No theory of change written yet.")
    document.add_heading("Logic model", level=2)
    if d.model_status:
        document.add_paragraph(d.model_status)
    problem = ""
    for model in d.models:
        document.add_heading(model.title, level=3)
        if not problem and model.elements:
            try:
                picture = lm.png(model)
            except lm.DiagramUnavailable as exc:
                problem = str(exc)
                document.add_paragraph(problem)
            else:
                document.add_paragraph(f"Figure: {lm.diagram_title(model)}", style="Caption")
                _picture(document, picture, model.describe(), 16)
        lm.docx_outline(document, model, level=4)
    document.add_heading("Strategies", level=2)
    if d.strategies:
        _table(
            document,
            ("Strategy", "Evidence", "Lead and partners"),
            [
                (
                    s.name + (f": {s.description}" if s.description and technical else ""),
                    s.evidence + (" (needs an evaluation)" if s.needs_evaluation else ""),
                    f"Lead: {s.lead or 'none yet'}"
                    + (f"; partners: {', '.join(s.partners)}" if s.partners else ""),
                )
                for s in d.strategies
            ],
            "Strategies",
        )
    else:
        document.add_paragraph("No strategy chosen yet.")


def _measurement(document: Any, doc: PlanDocument, technical: bool) -> None:
    m = doc.measurement
    document.add_heading("4. The measurement plan", level=1)
    if m.unmeasured:
        document.add_paragraph("Elements without a measure yet: " + "; ".join(m.unmeasured) + ".")
    document.add_heading("Population indicators", level=2)
    for i, ind in enumerate(m.indicators):
        document.add_heading(ind.title, level=3)
        document.add_paragraph(f"{ind.priority} · {ind.element} · {ind.place} · {ind.variable}")
        t = ind.shown_target
        if t is not None and t.inside_noise:
            document.add_paragraph(
                f"Target inside the noise: the target differs from the baseline by less than "
                f"the minimum detectable change ({t.mdc_text}); reaching it could not be told "
                "apart from no change."
            ).runs[0].bold = True
        chart = ind.chart
        if chart is not None:
            picture = number_line.png(number_line.svg(chart, f"ind{i}"))
            if picture is not None:
                _picture(document, picture, chart.description, 14)
        b = ind.baseline
        if b is not None:
            rows = [
                (
                    "Baseline",
                    b.text,
                    b.ci_text or "none published",
                    b.quality or "not rated",
                    f"{b.year or 'no year'}, release {b.release or 'not recorded'}",
                )
            ]
            if t is not None:
                rows.append(("Target", t.text, t.method, "", t.unit_note))
            if ind.mdc_text and not ind.weak:
                rows.append(("Minimum detectable change", ind.mdc_text, "", "", ""))
            _table(
                document,
                ("What", "Value", "95% CI", "Quality", "Year, release"),
                rows,
                f"{ind.title}: the numbers",
            )
            if not technical:
                document.add_paragraph(f"It starts at {value_sentence(b)}.")
        else:
            document.add_paragraph("No baseline pinned yet.")
        if technical:
            document.add_paragraph(t.words if t else ind.note)
        else:
            document.add_paragraph(target_claim(ind))
        document.add_paragraph(f"Responsible: {ind.responsible or 'not assigned yet'}")
    if not m.indicators:
        document.add_paragraph("No population indicator yet.")
    for title, measures in (
        ("Performance measures", m.performance),
        ("Systems-change measures", m.systems),
    ):
        document.add_heading(title, level=2)
        if measures:
            _table(
                document,
                ("Measure", "Element", "Question or condition", "Responsible"),
                [
                    (
                        r.title
                        + (f" (milestones: {'; '.join(r.milestones)})" if r.milestones else ""),
                        f"{r.priority}: {r.element}",
                        r.detail,
                        r.responsible or "not assigned yet",
                    )
                    for r in measures
                ],
                title,
            )
        else:
            document.add_paragraph("None yet.")


def _sustainability(document: Any, doc: PlanDocument, technical: bool) -> None:
    s = doc.sustainability
    document.add_heading("5. Sustainability and learning", level=1)
    for sp in s.strategies:
        document.add_heading(sp.strategy, level=2)
        who = ", ".join(sp.responsible) or "not named yet"
        more = f" Resources needed: {sentence(sp.resources)}" if sp.resources else ""
        if sp.notes and technical:
            more += f" {sentence(sp.notes)}"
        if sp.funding:
            more += f" Funding: {'; '.join(f.words(technical) for f in sp.funding)}."
        document.add_paragraph(f"Responsible: {who}.{more}")
        if sp.actions and technical:
            _table(
                document,
                ("Action", "Owner", "Start to due", "Status"),
                [(a.title, a.owner or "no owner", a.dates, a.progress) for a in sp.actions],
                f"Actions and milestones of {sp.strategy}",
            )
        for a in () if technical else sp.actions:
            due = f", due {a.due}" if a.due else ""
            document.add_paragraph(f"{a.title}: {a.status.lower()}{due}", style="List Bullet")
    document.add_heading("Continuous learning", level=2)
    if s.learning is None:
        document.add_paragraph("No learning plan yet.")
        return
    learning = s.learning
    text = f"The coalition reviews progress {learning.cadence.lower()}."
    if learning.revisit_on:
        text += f" It revisits the logic model on {learning.revisit_on}."
    if learning.revisit_trigger:
        text += f" It revisits it when {learning.revisit_trigger}."
    document.add_paragraph(text)
    for q in learning.questions:
        document.add_paragraph(q, style="List Bullet")


def render_docx(doc: PlanDocument, edition: Edition = "technical") -> bytes:
    from docx import Document

    technical = edition == "technical"
    document = Document()
    set_core_properties(
        document,
        title=f"{doc.title}: {doc.coalition}",
        subject=f"{doc.title} ({EDITION_LABELS[edition]})",
        keywords="Upward Mobility; Mobility Action Plan",
        comments=doc.source_line,
    )
    document.core_properties.category = "Mobility Action Plan"
    document.add_heading(doc.title, level=0)
    document.add_paragraph(f"{doc.coalition} · {EDITION_LABELS[edition]}")
    document.add_paragraph(doc.source_line)
    if doc.is_draft:
        document.add_paragraph("This is a draft. It has not been published.")
    if doc.open_problems:
        document.add_heading("Known problems in this plan", level=1)
        document.add_paragraph(
            "When the plan was published, its owner confirmed that these problems of the "
            "measurement plan were known and not yet resolved:"
        )
        for p in doc.open_problems:
            document.add_paragraph(p, style="List Bullet")
    _coalition(document, doc, technical)
    _conditions(document, doc, technical)
    _direction(document, doc, technical)
    _measurement(document, doc, technical)
    _sustainability(document, doc, technical)
    document.add_heading("6. Partners and signatories", level=1)
    if doc.partners:
        _table(
            document,
            ("Partner", "Sector", "Role"),
            [
                (p.name + (f" ({p.organization})" if p.organization else ""), p.sector, p.role)
                for p in doc.partners
            ],
            "Partners",
        )
    document.add_heading("Signatories", level=2)
    for person in doc.signatories:
        document.add_paragraph(f"{person.name}: {person.role}", style="List Bullet")
    document.add_heading("Glossary", level=1)
    for g in doc.glossary:
        para = document.add_paragraph()
        para.add_run(g.term + ": ").bold = True
        para.add_run(g.meaning)
    return docx_bytes(document)

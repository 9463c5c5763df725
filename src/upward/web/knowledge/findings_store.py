"""The Summary of Upward Mobility Findings as stored: counts per predictor, the suggested
priorities, the assembled draft, versioned saves (each save a kept FindingsVersion) and
the read-only link."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Count

from upward.catalog import get_catalog
from upward.web.knowledge.models import Excerpt, FindingsSummary, FindingsVersion, LocalSeries
from upward.web.knowledge.views.coding import findings_panel
from upward.web.knowledge.views.findings_national import insight_sentences
from upward.web.knowledge.views.localdata import local_panel
from upward.web.workspace import places
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import StaleVersion, claim_version

MAX_PRIORITIES = 8
MAX_SECTION = 20_000
DEFAULT_TITLE = "Summary of Upward Mobility Findings"
NO_EVIDENCE = (
    "Nothing is gathered for this predictor yet: no insight from the release, no local "
    "data series and no coded finding. Write what the coalition knows here."
)


def excerpt_counts(workspace: Workspace) -> dict[str, int]:
    """Coded excerpts per predictor id."""
    rows = (
        Excerpt.codes.through.objects.filter(code__workspace=workspace, code__kind="predictor")
        .values_list("code__ref")
        .annotate(n=Count("id"))
    )
    return {ref: n for ref, n in rows if n}


def series_counts(workspace: Workspace) -> dict[str, int]:
    """Local series per predictor id (a series may be tagged to several)."""
    counts: dict[str, int] = {}
    for tags in LocalSeries.objects.filter(workspace=workspace).values_list(
        "predictors", flat=True
    ):
        for pid in dict.fromkeys(tags or []):
            counts[pid] = counts.get(pid, 0) + 1
    return counts


def suggested_priorities(workspace: Workspace) -> list[str]:
    """The predictors of the places' tested areas to explore, then those with coded
    findings (most first), at most MAX_PRIORITIES."""
    catalog = get_catalog()
    areas, _note = places.areas_to_explore(list(workspace.geoids))
    found = [catalog.metric(a.metric_id).predictor_id for a in areas]
    coded = sorted(excerpt_counts(workspace).items(), key=lambda kv: (-kv[1], kv[0]))
    found += [pid for pid, _n in coded]
    known = {p.id for p in catalog.predictors}
    return [p for p in dict.fromkeys(found) if p in known][:MAX_PRIORITIES]


@dataclass(frozen=True)
class DraftSection:
    predictor_id: str
    national: list[str]
    local: list[str]
    findings: list[str]

    @property
    def text(self) -> str:
        parts = []
        if self.national:
            parts.append("What the national numbers say. " + " ".join(self.national))
        if self.local:
            parts.append("What the local data say. " + " ".join(self.local))
        if self.findings:
            parts.append("What people told us. " + " ".join(self.findings))
        return "\n\n".join(parts) or NO_EVIDENCE


def draft_section(workspace: Workspace, predictor_id: str) -> DraftSection:
    """A section's first text: the release's insights, the local panel's and the findings
    panel's sentences for the predictor."""
    return DraftSection(
        predictor_id,
        insight_sentences(list(workspace.geoids), predictor_id),
        list(local_panel(workspace, predictor_id).sentences),
        list(findings_panel(workspace, predictor_id).sentences),
    )


def assemble(
    workspace: Workspace, predictors: list[str], sections: dict[str, str]
) -> dict[str, str]:
    """``sections`` with every empty section of ``predictors`` drafted (text kept)."""
    out = {}
    for pid in predictors:
        text = (sections.get(pid) or "").strip()
        out[pid] = text or draft_section(workspace, pid).text[:MAX_SECTION]
    return out


def summary_of(workspace: Workspace) -> FindingsSummary | None:
    return FindingsSummary.objects.filter(workspace=workspace).first()


@dataclass(frozen=True)
class SummaryContent:
    title: str
    introduction: str
    predictors: list[str]
    sections: dict[str, str]


def save_summary(
    workspace: Workspace, content: SummaryContent, expected: int, user: Any
) -> FindingsSummary:
    """Save ``content`` if the summary is still at version ``expected`` (0: none yet), and
    keep it as a new FindingsVersion; ``StaleVersion`` otherwise. Call in a transaction."""
    who = user if getattr(user, "is_authenticated", False) else None
    fields = {
        "title": content.title,
        "introduction": content.introduction,
        "predictors": list(content.predictors),
        "sections": {p: content.sections.get(p, "") for p in content.predictors},
    }
    if expected == 0:
        try:
            with transaction.atomic():
                summary = FindingsSummary.objects.create(
                    workspace=workspace, updated_by=who, **fields
                )
        except IntegrityError:
            raise StaleVersion from None
    else:
        current = summary_of(workspace)
        if current is None:
            raise StaleVersion
        version = claim_version(FindingsSummary, current.pk, expected)
        FindingsSummary.objects.filter(pk=current.pk).update(updated_by=who, **fields)
        summary = FindingsSummary.objects.get(pk=current.pk)
        summary.version = version
        summary.save(update_fields=["updated_at"])
    FindingsVersion.objects.create(summary=summary, number=summary.version, saved_by=who, **fields)
    return summary


def set_sharing(summary: FindingsSummary, on: bool) -> FindingsSummary:
    """Turn the read-only link on (a new secret each time) or off; the content's version
    does not change (an open edit form stays valid)."""
    summary.share_id = secrets.token_urlsafe(16) if on else ""
    FindingsSummary.objects.filter(pk=summary.pk).update(share_id=summary.share_id)
    return summary

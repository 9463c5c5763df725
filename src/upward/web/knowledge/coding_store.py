"""Reading and writing the codebook, notes and excerpts of one workspace, in few queries:
the code tree with counts (descendants included), excerpts in the shape pages, exports and
the API use, and the findings panel of one predictor."""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from upward.catalog import get_catalog
from upward.planning import coding as rules
from upward.planning import knowledge as vocab
from upward.web.knowledge.models import Code, Excerpt, Note
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import claim_version

ANONYMOUS = "Anonymous"
QUOTES_SHOWN = 5
THEMES_NAMED = 3
KIND_LABELS = dict(vocab.NOTE_KINDS)


def attribution(note: Note) -> str:
    """Who said it: the name only when the speaker consented, else "Anonymous"."""
    name = note.attributed_to.strip()
    return name if note.attribution_consent and name else ANONYMOUS


def own_codes(workspace: Workspace) -> list[Code]:
    return list(Code.objects.filter(workspace=workspace, kind="custom"))


def parents_of(codes: list[Code]) -> dict[int, int | None]:
    return {c.pk: c.parent_id for c in codes}


def own_tree(codes: list[Code]) -> list[rules.TreeRow]:
    return rules.code_tree(rules.CodeNode(c.pk, c.name, c.parent_id) for c in codes)


def code_pairs(workspace: Workspace) -> list[tuple[int, int]]:
    """Every (excerpt, code) pair of the workspace: one query."""
    through = Excerpt.codes.through
    return list(
        through.objects.filter(excerpt__workspace=workspace).values_list("excerpt_id", "code_id")
    )


@dataclass(frozen=True)
class CodebookView:
    predictors: list[tuple[str, list[tuple[Code, int]]]]
    """(pillar label, [(code, excerpts)]) in the catalog's order."""
    conditions: list[tuple[Code, int]]
    own: list[tuple[rules.TreeRow, Code, int]]
    """The own codes depth first, with excerpts including descendants'."""


def codebook_view(workspace: Workspace) -> CodebookView:
    codes = list(Code.objects.filter(workspace=workspace))
    by_id = {c.pk: c for c in codes}
    counts = rules.counts_with_descendants(parents_of(codes), code_pairs(workspace))
    catalog = get_catalog()
    builtin = {(c.kind, c.ref): c for c in codes if c.kind != "custom"}
    predictors = [
        (
            pillar.label,
            [
                (builtin[("predictor", pid)], counts.get(builtin[("predictor", pid)].pk, 0))
                for pid in pillar.predictor_ids
                if ("predictor", pid) in builtin
            ],
        )
        for pillar in catalog.pillars
    ]
    conditions = [
        (builtin[("condition", cid)], counts.get(builtin[("condition", cid)].pk, 0))
        for cid, _ in vocab.SYSTEMS_CONDITIONS
        if ("condition", cid) in builtin
    ]
    own = [c for c in codes if c.kind == "custom"]
    tree = [(row, by_id[row.node.id], counts.get(row.node.id, 0)) for row in own_tree(own)]
    return CodebookView(predictors, conditions, tree)


def code_choices(workspace: Workspace) -> list[tuple[str, list[tuple[int, str]]]]:
    """Codes to tick, grouped: predictors by pillar, conditions, own codes by path."""
    codes = list(Code.objects.filter(workspace=workspace))
    builtin = {(c.kind, c.ref): c for c in codes if c.kind != "custom"}
    groups: list[tuple[str, list[tuple[int, str]]]] = []
    for pillar in get_catalog().pillars:
        items = [
            (builtin[("predictor", p)].pk, builtin[("predictor", p)].name)
            for p in pillar.predictor_ids
            if ("predictor", p) in builtin
        ]
        groups.append((f"Predictors: {pillar.label}", items))
    groups.append(
        (
            "Conditions of systems change",
            [
                (builtin[("condition", cid)].pk, builtin[("condition", cid)].name)
                for cid, _ in vocab.SYSTEMS_CONDITIONS
                if ("condition", cid) in builtin
            ],
        )
    )
    own = [c for c in codes if c.kind == "custom"]
    if own:
        groups.append(("The coalition's own codes", [(r.node.id, r.path) for r in own_tree(own)]))
    return groups


def delete_code(code: Code, version: int, below: Collection[int] | None = None) -> None:
    """Delete an own code read at ``version`` (StaleVersion when it changed since), inside
    the caller's transaction: with ``below`` (its descendants) those go too; without, its
    child codes move up to its parent (keeping the coding done with them)."""
    claim_version(Code, code.pk, version)
    if below is not None:
        Code.objects.filter(pk__in=below).delete()
    else:
        Code.objects.filter(parent=code).update(parent=code.parent)
    Code.objects.filter(pk=code.pk).delete()


def code_with_descendants(workspace: Workspace, code: Code) -> set[int]:
    if code.kind != "custom":
        return {code.pk}
    return {code.pk} | rules.descendants(parents_of(own_codes(workspace)), code.pk)


def excerpts_of(workspace: Workspace) -> QuerySet[Excerpt]:
    """Excerpts with their note, engagement and codes loaded (no query per row); the notes'
    long text is left out (sorting rows that carry it is what makes a list slow)."""
    return (
        Excerpt.objects.filter(workspace=workspace)
        .select_related("note", "note__engagement")
        .defer("note__text", "note__engagement__notes", "note__engagement__accommodations")
        .prefetch_related(Prefetch("codes", queryset=Code.objects.order_by("kind", "name")))
    )


EXPORT_COLUMNS = (
    "note",
    "kind",
    "engagement",
    "date",
    "text",
    "codes",
    "memo",
    "attribution",
)


def export_row(excerpt: Excerpt) -> dict[str, Any]:
    note = excerpt.note
    engagement = note.engagement
    when = engagement.date if engagement else note.created_at.date()
    return {
        "note": note.title,
        "kind": KIND_LABELS.get(note.kind, note.kind),
        "engagement": engagement.title if engagement else "",
        "date": when.isoformat(),
        "text": excerpt.text,
        "codes": "; ".join(c.name for c in excerpt.codes.all()),
        "memo": excerpt.memo,
        "attribution": attribution(note),
    }


EXPORT_FIELDS = (
    "pk", "text", "memo", "note__title", "note__kind", "note__created_at",
    "note__attribution_consent", "note__attributed_to", "note__engagement__title",
    "note__engagement__date",
)  # fmt: skip


def export_records(rows: QuerySet[Excerpt]) -> list[dict[str, Any]]:
    """``export_row`` for every excerpt of ``rows``, in two queries and without building
    model objects (5,000 excerpts in a fraction of a second)."""
    through = Excerpt.codes.through
    names: dict[int, list[str]] = {}
    pairs = (
        through.objects.filter(excerpt_id__in=rows.values("pk"))
        .order_by("code__kind", "code__name")
        .values_list("excerpt_id", "code__name")
    )
    for excerpt_id, name in pairs:
        names.setdefault(excerpt_id, []).append(name)
    out = []
    ordered = rows.order_by("note__title", "note_id", "start", "pk").values(*EXPORT_FIELDS)
    for r in ordered:
        consented = r["note__attribution_consent"] and r["note__attributed_to"].strip()
        when = r["note__engagement__date"] or r["note__created_at"].date()
        out.append(
            {
                "note": r["note__title"],
                "kind": KIND_LABELS.get(r["note__kind"], r["note__kind"]),
                "engagement": r["note__engagement__title"] or "",
                "date": when.isoformat(),
                "text": r["text"],
                "codes": "; ".join(names.get(r["pk"], [])),
                "memo": r["memo"],
                "attribution": r["note__attributed_to"].strip() if consented else ANONYMOUS,
            }
        )
    return out


@dataclass(frozen=True)
class FindingsPanel:
    """The coded findings beside one predictor's numbers."""

    predictor_id: str
    label: str
    total: int
    notes: int
    themes: list[tuple[str, int]]
    quotes: list[tuple[str, str]]
    sentences: list[str]


def _listed(names: list[str]) -> str:
    if len(names) <= 2:
        return " and ".join(names)
    return ", ".join(names[:-1]) + f", and {names[-1]}"


def draft_sentences(label: str, total: int, notes: int, themes: list[tuple[str, int]]) -> list[str]:
    """One to three plain sentences for a Summary of Findings."""
    if total == 0:
        return [f"No coded excerpts speak to {label} yet."]
    excerpts = "1 coded excerpt" if total == 1 else f"{total} coded excerpts"
    sources = "1 note" if notes == 1 else f"{notes} notes"
    verb = "speaks" if total == 1 else "speak"
    out = [f"{excerpts} from {sources} {verb} to {label}."]
    if themes:
        named = [name for name, _ in themes[:THEMES_NAMED]]
        out.append(f"The themes named most with it are {_listed(named)}.")
    return out


def findings_panel(workspace: Workspace, predictor_id: str) -> FindingsPanel:
    """Excerpts coded to the predictor, the other codes they carry, quotes and a draft.
    Four queries, whatever the number of excerpts."""
    label = get_catalog().predictor(predictor_id).label
    code = Code.objects.filter(workspace=workspace, kind="predictor", ref=predictor_id).first()
    if code is None:
        return FindingsPanel(predictor_id, label, 0, 0, [], [], draft_sentences(label, 0, 0, []))
    through = Excerpt.codes.through
    coded = through.objects.filter(code_id=code.pk).values("excerpt_id")
    tally = Excerpt.objects.filter(pk__in=coded).aggregate(
        total=Count("pk"), notes=Count("note", distinct=True)
    )
    theme_rows = (
        through.objects.filter(excerpt_id__in=coded)
        .exclude(code__kind="predictor")
        .values("code__name")
        .annotate(n=Count("excerpt_id", distinct=True))
        .order_by("-n", "code__name")
    )
    themes = [(row["code__name"], row["n"]) for row in theme_rows]
    picked = (
        Excerpt.objects.filter(pk__in=coded)
        .select_related("note")
        .order_by("-is_quote", "-created_at", "-pk")[:QUOTES_SHOWN]
    )
    quotes = [(e.text, attribution(e.note)) for e in picked]
    total, notes = tally["total"], tally["notes"]
    sentences = draft_sentences(label, total, notes, themes)
    return FindingsPanel(predictor_id, label, total, notes, themes, quotes, sentences)


def note_counts(workspace: Workspace) -> Counter[int]:
    rows = Excerpt.objects.filter(workspace=workspace).values("note_id").annotate(n=Count("pk"))
    return Counter({row["note_id"]: row["n"] for row in rows})

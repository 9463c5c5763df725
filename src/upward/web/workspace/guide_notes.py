"""Data Review Guide notes kept in a workspace: one note per question and place.

The explorer's guide page (``/county/27123/review-guide/?workspace=<slug>``) shows and
sends them; the workspace saves them (:func:`save_notes`) with the same optimistic
concurrency as every other record: each note carries the version it was read at, and a
save is refused, whole, when someone saved one of them in between.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from upward.reports.review_guide import MAX_NOTE, QUESTION_IDS, QUESTIONS
from upward.web.problem import Problem
from upward.web.workspace.access import membership_for
from upward.web.workspace.models import GuideNote, Membership, Role, Workspace
from upward.web.workspace.versioning import StaleVersion, claim_version

QUESTION_TITLES = {q.id: q.title for q in QUESTIONS}


@dataclass(frozen=True)
class Sent:
    """One question's note as a form sent it: the text and the version it started from
    (0: there was no note when the form was shown)."""

    question_id: str
    text: str
    version: int


@dataclass(frozen=True)
class Clash:
    """A note someone else saved after the form was shown: what was sent, what is saved."""

    question_id: str
    title: str
    yours: str
    saved: str
    version: int


@dataclass(frozen=True)
class GuideWorkspace:
    """What the guide page of a place shows of the visitor's workspaces: the one asked for
    with ``?workspace=<slug>`` (None when none was), its notes, and the others to choose."""

    chosen: Membership | None
    choices: tuple[Membership, ...]
    notes: Mapping[str, GuideNote]
    save_url: str

    @property
    def texts(self) -> dict[str, str]:
        return {qid: note.text for qid, note in self.notes.items()}


class NotesInvalid(ValueError):
    """A note too long or a version that is not a number; the message says which."""


def notes_for(workspace: Workspace, geoid: str) -> dict[str, GuideNote]:
    """The saved notes of a place, by question id."""
    return {n.question_id: n for n in workspace.guide_notes.filter(geoid=geoid)}


def member_workspaces(user: Any, role: str = Role.VIEWER) -> list[Membership]:
    """The user's memberships with at least ``role`` (none for anyone not signed in)."""
    if user is None or not user.is_authenticated:
        return []
    found = Membership.objects.select_related("workspace").filter(user=user)
    return sorted((m for m in found if m.can(role)), key=lambda m: m.workspace.name)


def read_sent(data: Mapping[str, str]) -> list[Sent]:
    """The notes of a form (fields ``note_<question>`` and ``version_<question>``)."""
    sent = []
    for qid in QUESTION_IDS:
        text = data.get(f"note_{qid}", "").strip()
        if len(text) > MAX_NOTE:
            raise NotesInvalid(
                f"The note on “{QUESTION_TITLES[qid]}” has {len(text):,} characters; "
                f"at most {MAX_NOTE:,} fit."
            )
        raw = data.get(f"version_{qid}", "0").strip() or "0"
        if not (raw.isascii() and raw.isdigit()):
            raise NotesInvalid(f"The form's version of “{QUESTION_TITLES[qid]}” is not a number.")
        sent.append(Sent(qid, text, int(raw)))
    return sent


def clashes(workspace: Workspace, geoid: str, sent: list[Sent]) -> list[Clash]:
    """The notes someone saved after the form was shown (and whose text differs)."""
    saved = notes_for(workspace, geoid)
    out = []
    for item in sent:
        note = saved.get(item.question_id)
        version = note.version if note else 0
        text = note.text if note else ""
        if version != item.version and text != item.text:
            out.append(Clash(item.question_id, QUESTION_TITLES[item.question_id],
                             item.text, text, version))  # fmt: skip
    return out


def save_notes(workspace: Workspace, geoid: str, sent: list[Sent], user: Any) -> int:
    """Save the changed notes (an emptied note is deleted); returns how many changed.

    All or nothing: :class:`StaleVersion` when any note changed since the form was shown.
    """
    changed = 0
    with transaction.atomic():
        saved = notes_for(workspace, geoid)
        for item in sent:
            note = saved.get(item.question_id)
            if note is None:
                if item.version:
                    raise StaleVersion  # deleted meanwhile
                if item.text:
                    try:
                        with transaction.atomic():
                            GuideNote.objects.create(
                                workspace=workspace, geoid=geoid, question_id=item.question_id,
                                text=item.text, updated_by=user,
                            )  # fmt: skip
                    except IntegrityError:  # someone added it a moment ago
                        raise StaleVersion from None
                    changed += 1
                continue
            if note.text == item.text:
                continue
            claim_version(GuideNote, note.pk, item.version)
            if item.text:
                note.text, note.updated_by, note.version = item.text, user, item.version + 1
                note.save(update_fields=["text", "updated_by", "updated_at", "version"])
            else:
                note.delete()
            changed += 1
    return changed


def places_with_notes(workspace: Workspace) -> list[tuple[str, list[GuideNote]]]:
    """Every place with saved notes, and its notes in the guide's question order."""
    order = {qid: i for i, qid in enumerate(QUESTION_IDS)}
    by_place: dict[str, list[GuideNote]] = {}
    for note in workspace.guide_notes.select_related("updated_by"):
        by_place.setdefault(note.geoid, []).append(note)
    return [
        (geoid, sorted(notes, key=lambda n: order.get(n.question_id, len(order))))
        for geoid, notes in sorted(by_place.items())
    ]


def guide_workspace(request: HttpRequest, geoid: str) -> GuideWorkspace | HttpResponse:
    """The workspace the guide page is asked to show notes of, for a member only: anyone
    not signed in is sent to sign in and a non-member gets a 404, as on workspace pages."""
    slug = request.GET.get("workspace", "").strip()
    choices = tuple(member_workspaces(request.user))
    if not slug:
        return GuideWorkspace(None, choices, {}, "")
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    chosen = membership_for(request.user, slug)
    if chosen is None:
        raise Problem(404, "Not found", "No such workspace among yours.")
    workspace = chosen.workspace
    save = ""
    if chosen.can(Role.EDITOR):
        save = reverse("workspace:guide_note_save", args=[workspace.slug, geoid])
    return GuideWorkspace(chosen, choices, notes_for(workspace, geoid), save)

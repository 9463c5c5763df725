"""The community input form's storage rules: new forms, the public form's protections
(a per-address rate limit, size limits), and moderation (an accepted answer becomes a
finding: one anonymous note and one coded excerpt per answer).

No address is stored: the rate limit keeps an HMAC of the form and the address, keyed
with the site's secret, so the table cannot be read back into addresses. The address is
the one sign-in throttling reads (``workspace.throttle.client_ip``). Setting (optional):
``UPWARD_INPUT_MAX_PER_HOUR``, submissions per form per address per hour (default 5;
raise it where many people answer from one address, such as a meeting's Wi-Fi).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.dateformat import format as date_format

from upward.catalog import get_catalog
from upward.web.knowledge.codebook import builtin_code
from upward.web.knowledge.models import Excerpt, InputAnswer, InputForm, InputThrottle, Note
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace

MAX_QUESTIONS = 10
MAX_ANSWER_CHARS = 2_000
MAX_TOTAL_CHARS = 10_000
MAX_BODY_BYTES = 64 * 1024
"""A submission's body at most (ten full answers in multi-byte script fit easily)."""
SUBMISSIONS_PER_WINDOW = 5
WINDOW = timedelta(hours=1)
NOTE_KIND = "community_input"


def new_public_id() -> str:
    """The form's unguessable public address part (22 characters)."""
    return secrets.token_urlsafe(16)


def max_per_window() -> int:
    return int(getattr(settings, "UPWARD_INPUT_MAX_PER_HOUR", SUBMISSIONS_PER_WINDOW))


def address_hash(form: InputForm, address: str) -> str:
    """HMAC-SHA256 of (form, address) under SECRET_KEY: 64 hex characters."""
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"input:{form.pk}:{address}".encode(), hashlib.sha256).hexdigest()


def over_limit(form: InputForm, address: str) -> bool:
    """Has this address used up its submissions to this form in the current window?"""
    row = InputThrottle.objects.filter(form=form, address_hash=address_hash(form, address)).first()
    if row is None or timezone.now() - row.window_start > WINDOW:
        return False
    return row.count >= max_per_window()


def count_submission(form: InputForm, address: str) -> None:
    """Count one submission (saved or refused) from ``address`` in the current window."""
    key, now = address_hash(form, address), timezone.now()
    for _attempt in range(2):
        try:
            with transaction.atomic():
                row, _ = InputThrottle.objects.select_for_update().get_or_create(
                    form=form, address_hash=key, defaults={"window_start": now, "count": 0}
                )
                if now - row.window_start > WINDOW:
                    row.window_start, row.count = now, 0
                row.count += 1
                row.save()
                stale = InputThrottle.objects.filter(form=form, window_start__lt=now - WINDOW)
                stale.exclude(pk=row.pk).delete()  # forget windows that ended
                return
        except IntegrityError:
            continue  # another worker created the row first; count again on it


def oversized(answers: dict[str, str]) -> bool:
    """Is any answer over MAX_ANSWER_CHARS, or all of them together over MAX_TOTAL_CHARS?"""
    lengths = [len(text) for text in answers.values()]
    return any(n > MAX_ANSWER_CHARS for n in lengths) or sum(lengths) > MAX_TOTAL_CHARS


def question_text(question: dict[str, Any], language: str) -> str:
    """A question in ``language``; English when its Spanish text is missing."""
    if language == "es" and str(question.get("text_es") or "").strip():
        return str(question["text_es"])
    return str(question.get("text") or "")


def localized(form: InputForm, field: str, language: str) -> str:
    """``title`` or ``intro`` of the form in ``language`` (English when missing)."""
    if language == "es":
        spanish = str(getattr(form, f"{field}_es") or "").strip()
        if spanish:
            return spanish
    return str(getattr(form, field) or "")


def submit(form: InputForm, language: str, answers: dict[str, str]) -> InputAnswer:
    """Save one anonymous submission, waiting for moderation (only non-empty answers)."""
    kept = {qid: text for qid, text in answers.items() if text.strip()}
    return InputAnswer.objects.create(form=form, language=language, answers=kept)


def pending_counts(workspace: Workspace) -> dict[int, int]:
    rows = InputAnswer.objects.filter(form__workspace=workspace, status="pending")
    counts: dict[int, int] = {}
    for form_id in rows.values_list("form_id", flat=True):
        counts[form_id] = counts.get(form_id, 0) + 1
    return counts


REMOVED_QUESTION = "(A question since removed from the form)"


def answered(answer: InputAnswer) -> list[tuple[dict[str, Any], str]]:
    """(question, answer text) of each non-empty answer, in the form's order; answers to
    a question removed since come last, under a placeholder question."""
    questions = {str(q.get("id")): q for q in answer.form.questions}
    out = []
    for qid in [*questions, *(k for k in answer.answers if k not in questions)]:
        text = str(answer.answers.get(qid, "")).strip()
        if text:
            question = questions.get(qid, {"id": qid, "text": REMOVED_QUESTION, "predictor": ""})
            out.append((question, text))
    return out


@dataclass(frozen=True)
class Passage:
    """One answered question as it appears in the note, with where the answer sits."""

    question: dict[str, Any]
    answer: str
    start: int
    end: int


def note_text(answer: InputAnswer) -> tuple[str, list[Passage]]:
    """The note of an answer: each answered question, then the answer; the passages."""
    parts: list[str] = []
    passages: list[Passage] = []
    length = 0
    if answer.language == "es":
        parts.append("Answered in Spanish.\n\n")
        length = len(parts[0])
    for question, text in answered(answer):
        asked = str(question.get("text") or "")
        if answer.language == "es" and str(question.get("text_es") or "").strip():
            asked += f" ({question['text_es']})"
        head = f"{asked}\n"
        start = length + len(head)
        parts.append(head + text + "\n\n")
        passages.append(Passage(question, text, start, start + len(text)))
        length += len(parts[-1])
    return "".join(parts).rstrip("\n"), passages


def note_title(answer: InputAnswer) -> str:
    when = date_format(timezone.localtime(answer.submitted_at), "M j, Y")
    title = answer.form.title
    suffix = f", {when}"
    room = 200 - len("Community input: ") - len(suffix)
    if len(title) > room:
        title = title[: room - 1] + "…"
    return f"Community input: {title}{suffix}"


def _locked(answer_id: int, workspace: Workspace) -> InputAnswer:
    """The answer, its row locked until the transaction ends (call inside one)."""
    answers = InputAnswer.objects.select_for_update().select_related("form")
    return answers.get(pk=answer_id, form__workspace=workspace)


class AlreadyAccepted(Exception):
    """The answer already became a finding: it cannot be set aside now."""


def accept(answer_id: int, workspace: Workspace, user: Any) -> InputAnswer:
    """Make the answer a finding, once: a second accept changes nothing and returns it."""
    with transaction.atomic():
        answer = _locked(answer_id, workspace)
        if answer.status == "accepted":
            return answer
        text, passages = note_text(answer)
        note = Note.objects.create(
            workspace=workspace,
            title=note_title(answer),
            kind=NOTE_KIND,
            text=text,
            attribution_consent=False,
            updated_by=user if getattr(user, "is_authenticated", False) else None,
        )
        _add_excerpts(workspace, note, passages)
        InputAnswer.objects.filter(pk=answer.pk).update(
            status="accepted", moderated_by=_actor(user), moderated_at=timezone.now(), note=note
        )
        record(workspace, user, "accepted", f"community input to “{answer.form.title}”", note.title)
    answer.refresh_from_db()
    return answer


def _add_excerpts(workspace: Workspace, note: Note, passages: list[Passage]) -> None:
    predictors = {p.id for p in get_catalog().predictors}
    for passage in passages:
        excerpt = Excerpt.objects.create(
            workspace=workspace,
            note=note,
            start=passage.start,
            end=passage.end,
            text=passage.answer,
            is_quote=True,
            memo=f"Answer to: {passage.question.get('text', '')}"[:2000],
        )
        predictor = str(passage.question.get("predictor") or "")
        if predictor in predictors:
            excerpt.codes.add(builtin_code(workspace, "predictor", predictor))


def _actor(user: Any) -> Any:
    return user if getattr(user, "is_authenticated", False) else None


def set_status(answer_id: int, workspace: Workspace, user: Any, status: str) -> InputAnswer:
    """Set a waiting answer aside (``rejected``) or put a set-aside one back (``pending``).

    Idempotent; raises :class:`AlreadyAccepted` for an answer that became a finding."""
    verbs = {"rejected": "set aside", "pending": "restored"}
    with transaction.atomic():
        answer = _locked(answer_id, workspace)
        if answer.status == "accepted":
            raise AlreadyAccepted
        if answer.status != status:
            InputAnswer.objects.filter(pk=answer.pk).update(
                status=status, moderated_by=_actor(user), moderated_at=timezone.now()
            )
            target = f"community input to “{answer.form.title}”"
            record(workspace, user, verbs[status], target)
    answer.refresh_from_db()
    return answer

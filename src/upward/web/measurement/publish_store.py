"""Publishing the Mobility Action Plan (issue 14, part 7): what is still unresolved in the
measurement plan, and freezing a numbered, immutable version of the plan.

:func:`publish_problems` lists what a reader of the published plan should know is not
settled (an element of the logic model without a measure, a population indicator without
a baseline, a Weak baseline, a target inside the noise, a revised baseline the coalition
has not decided about), each with a stable key. :func:`publish` freezes a version only when
the owner confirmed every one of them, in one transaction: the plan document as assembled
(:func:`upward.web.measurement.plan_document.assemble`, with its open problems, version,
date and release filled in), the population indicators as progress reads them
(:class:`~upward.web.measurement.progress_store.Indicator`; without a saved peer set, each
with the peer finder's peers of the current release frozen), the actions as they stand, and
a SHA-256 checksum of all of it. The draft is the live workspace; a published version is
never changed (:class:`~upward.web.measurement.models.PlanVersion` refuses a second save).
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.db.models import Count, Max
from django.utils import timezone

from upward.catalog import WEAK
from upward.web.measurement import action_store, baseline_store, progress_store
from upward.web.measurement.baseline_store import ReleaseRef
from upward.web.measurement.models import Action, Measure, PlanVersion, PublicPlan
from upward.web.measurement.plan_document import assemble
from upward.web.strategy import priority_store
from upward.web.strategy.models import Element
from upward.web.workspace.activity import record
from upward.web.workspace.models import Workspace


@dataclass(frozen=True)
class PublishProblem:
    """One unresolved part of the measurement plan: ``key`` stays the same while the
    problem does (the owner's confirmation names it), ``text`` says it in plain words."""

    key: str
    text: str
    subject: str = ""
    """The title of the element or measure it is about (the public page words it anew in
    its own language)."""
    priority: str = ""
    """For an element without a measure: the title of its priority (titles repeat across
    priorities' logic models, so the public page names it too)."""
    kind: str = ""
    """For an element without a measure: its column of the logic model (``strategy``...)."""


class PublishRefused(ValueError):
    """Nothing was published: ``errors`` maps each field (a problem's key, or ``__all__``)
    to its message."""

    def __init__(self, errors: Mapping[str, str], status: int = 422, title: str = "") -> None:
        super().__init__("; ".join(errors.values()))
        self.errors = dict(errors)
        self.status = status
        self.title = title
        """What went wrong in a few words, for an API answer ('' for unconfirmed problems)."""


# -- problems ---------------------------------------------------------------------------


def _elements_without_measure(workspace: Workspace) -> list[PublishProblem]:
    rank = {p.pk: i for i, p in enumerate(priority_store.ordered(workspace))}
    found = (
        Element.objects.filter(workspace=workspace)
        .annotate(n=Count("measures"))
        .filter(n=0)
        .select_related("priority")
        .order_by("position", "id")
    )
    ordered = sorted(found, key=lambda e: rank.get(e.priority_id, len(rank)))
    return [
        PublishProblem(
            f"no-measure:{e.pk}",
            f"“{e.title}” ({e.get_kind_display().lower()}, {e.priority.title}) has no measure.",
            e.title,
            e.priority.title,
            e.kind,
        )
        for e in ordered
    ]


def _indicator_problems(measure: Measure, current: str) -> list[PublishProblem]:
    name = f"“{measure.title}”"
    baseline = getattr(measure, "baseline", None)
    if baseline is None:
        return [PublishProblem(f"no-baseline:{measure.pk}", f"{name} has no baseline.",
                               measure.title)]  # fmt: skip
    out = []
    if baseline.quality == WEAK:
        out.append(PublishProblem(
            f"weak-baseline:{measure.pk}",
            f"{name}: the baseline ({baseline.text}, release {baseline.release}) is rated "
            "Weak; no conclusion can be drawn from it.", measure.title,
        ))  # fmt: skip
    if baseline_store.revised_in(baseline, current):
        out.append(PublishProblem(
            f"revised-baseline:{measure.pk}",
            f"{name}: the current release revised the baseline's value, and the coalition "
            "has not yet decided to keep or re-base it.", measure.title,
        ))  # fmt: skip
    target = getattr(measure, "target", None)
    if target is not None and target.inside_noise:
        out.append(PublishProblem(
            f"inside-noise:{measure.pk}",
            f"{name}: the target lies inside the noise (the data cannot tell reaching it "
            "from no change).", measure.title,
        ))  # fmt: skip
    return out


def publish_problems(workspace: Workspace) -> list[PublishProblem]:
    """What is unresolved in the measurement plan, in plan order: elements without a
    measure first, then each population indicator's problems."""
    problems = _elements_without_measure(workspace)
    current = baseline_store.default_release()
    for measure in progress_store.indicators(workspace):
        problems += _indicator_problems(measure, current)
    return problems


# -- freezing ---------------------------------------------------------------------------


def canonical_json(content: Any) -> bytes:
    """The one byte string a checksum is taken of: keys sorted, no spaces, UTF-8."""
    return json.dumps(
        content, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode()


def content_of(version: PlanVersion) -> dict[str, Any]:
    """Everything a version froze (what its checksum covers)."""
    return {
        "workspace": version.workspace.slug,
        "number": version.number,
        "document": version.document,
        "indicators": version.indicators,
        "actions": version.actions,
        "problems": version.problems,
        "release": version.release,
        "release_checksum": version.release_checksum,
    }


def checksum_of(content: Mapping[str, Any]) -> str:
    return hashlib.sha256(canonical_json(content)).hexdigest()


def public_owner(action: Action) -> str:
    """An action's owner as the public may see it: a stakeholder organization's name;
    never a member's (nor an individual's) name or email."""
    stakeholder = action.owner_stakeholder
    if stakeholder is None:
        return ""
    if stakeholder.kind == "organization":
        return stakeholder.name
    return stakeholder.organization


def frozen_actions(workspace: Workspace, on: Any = None) -> list[dict[str, Any]]:
    """The actions and milestones as they stand, for the published plan."""
    today = on or action_store.today()
    rows = action_store.actions_of(workspace).order_by("strategy__name_key", "due_date", "id")
    return [
        {
            "title": a.title,
            "strategy": a.strategy.name,
            "kind": a.kind,
            "status": a.status,
            "percent": a.percent,
            "start_date": a.start_date.isoformat() if a.start_date else None,
            "due_date": a.due_date.isoformat() if a.due_date else None,
            "overdue": action_store.flags_of(a, today).overdue,
            "owner": public_owner(a),
        }
        for a in rows
    ]


def current_ref() -> ReleaseRef | None:
    """The current release, opened (None when none is loaded)."""
    try:
        return progress_store.open_progress_release(None)[1]
    except progress_store.UnknownProgressRelease:
        return None


def current_release(ref: ReleaseRef | None = None) -> tuple[str, str]:
    """The current release's name and checksum ('' and '' when none is loaded);
    ``ref``: the current release, already opened."""
    ref = ref or current_ref()
    return (ref.name, ref.checksum) if ref is not None else ("", "")


def frozen_indicators(workspace: Workspace, number: int, ref: ReleaseRef | None) -> list[Any]:
    """The population indicators as version ``number`` keeps them: each without a saved
    peer set with its peers frozen, found in ``ref`` (the release published on)."""
    return [
        progress_store.with_frozen_peers(i, ref, number).model_dump(mode="json")
        for i in progress_store.workspace_indicators(workspace)
    ]


def _check(problems: list[PublishProblem], confirmed: Collection[str]) -> None:
    missing = {p.key: f"Confirm this problem to publish: {p.text}" for p in problems
               if p.key not in confirmed}  # fmt: skip
    if missing:
        raise PublishRefused(missing)


def latest_number(workspace: Workspace) -> int:
    found = PlanVersion.objects.filter(workspace=workspace).aggregate(n=Max("number"))["n"]
    return int(found or 0)


def _read(number: int) -> str:
    return f"version {number}" if number else "no published version"


def stale_refusal(after: int, latest: int) -> PublishRefused:
    """The 409 of a publish that names ``after`` as the latest version read while the latest
    is ``latest``: versions published since, or a version that does not exist (yet)."""
    if after > latest:
        now = f"the latest is version {latest}" if latest else "no version is published yet"
        return PublishRefused({"after": (
            f"You sent version {after} as the latest you read, but the plan has no version "
            f"{after}: {now}. Reload the page, review it, then publish again."
        )}, status=409, title="No such version")  # fmt: skip
    since = (f"Version {latest} was" if latest == after + 1
             else f"Versions {after + 1} to {latest} were")  # fmt: skip
    return PublishRefused({"after": (
        f"{since} published since the one you read ({_read(after)}): review "
        f"{'it' if latest == after + 1 else 'them'}, then publish again."
    )}, status=409, title="Published meanwhile")  # fmt: skip


def publish(
    workspace: Workspace, user: Any, confirmed: Collection[str], after: int | None = None
) -> PlanVersion:
    """Freeze the next version of the plan, when every problem of
    :func:`publish_problems` is in ``confirmed`` (:class:`PublishRefused` otherwise, each
    unconfirmed key with its message; nothing saved). ``after``: the latest version number
    the owner saw (0 for none); another version published since is refused (409)."""
    with transaction.atomic():
        Workspace.objects.select_for_update().filter(pk=workspace.pk).first()  # one at a time
        number = latest_number(workspace) + 1
        if after is not None and after != number - 1:
            raise stale_refusal(after, number - 1)
        problems = publish_problems(workspace)
        _check(problems, confirmed)
        now = timezone.now()
        ref = current_ref()
        release, release_checksum = current_release(ref)
        document = dataclasses.replace(
            assemble(workspace),
            open_problems=tuple(p.text for p in problems),
            version=number,
            published_at=f"{now:%Y-%m-%d %H:%M} UTC",
            release=release,
            release_checksum=release_checksum,
        ).as_dict()
        version = PlanVersion(
            workspace=workspace,
            number=number,
            document=document,
            indicators=frozen_indicators(workspace, number, ref),
            actions=frozen_actions(workspace),
            problems=[
                {
                    "key": p.key,
                    "text": p.text,
                    "subject": p.subject,
                    **({"priority": p.priority, "kind": p.kind} if p.priority else {}),
                    "confirmed_by": user.get_username(),
                    "at": now.isoformat(),
                }
                for p in problems
            ],
            release=release,
            release_checksum=release_checksum,
            published_by=user,
            published_by_name=user.get_username(),
            published_at=now,
        )
        version.checksum = checksum_of(content_of(version))
        version.save()
        PublicPlan.objects.get_or_create(workspace=workspace, defaults={"changed_by": user})
        record(
            workspace,
            user,
            "published",
            f"version {number} of the Mobility Action Plan",
            f"checksum {version.checksum[:12]}; {len(problems)} open problem(s) confirmed",
        )
    return version


def set_public(workspace: Workspace, user: Any, on: bool) -> PublicPlan:
    """Show (or withdraw) the public progress page of the latest published version."""
    with transaction.atomic():
        found, _made = PublicPlan.objects.select_for_update().get_or_create(
            workspace=workspace, defaults={"is_public": on, "changed_by": user}
        )
        found.is_public, found.changed_by = on, user
        found.save()
        record(workspace, user, "changed", "the public progress page",
               "shown" if on else "withdrawn")  # fmt: skip
    return found


def is_public(workspace: Workspace) -> bool:
    found = PublicPlan.objects.filter(workspace=workspace).first()
    return bool(found and found.is_public)


def versions_of(workspace: Workspace) -> list[PlanVersion]:
    return list(PlanVersion.objects.filter(workspace=workspace).order_by("-number"))


def version_of(workspace: Workspace, number: int) -> PlanVersion | None:
    return PlanVersion.objects.filter(workspace=workspace, number=number).first()


def latest_public(slug: str) -> PlanVersion | None:
    """The latest published version of the workspace ``slug`` when its public page is on."""
    return (
        PlanVersion.objects.filter(workspace__slug=slug, workspace__public_plan__is_public=True)
        .select_related("workspace")
        .order_by("-number")
        .first()
    )

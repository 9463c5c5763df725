"""The community vision (guide Step 7): the current draft and the adopted version, the
version history with a word-by-word comparison of any two versions, members' comments
on each version, a review round, the owner's adoption of one version, and the form of a
new draft (saved only from the latest version; else 409 with both texts)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse

from upward.planning.text_diff import compare_texts
from upward.web.explorer.errors import error_response
from upward.web.knowledge.views.hub import HubLink, records_of
from upward.web.strategy import review_store
from upward.web.strategy import vision_store as store
from upward.web.strategy.forms_review import CompareForm, NoteForm, VisionDraftForm
from upward.web.strategy.models import VisionVersion
from upward.web.strategy.views.comments import (
    any_member,
    back_to,
    comments_context,
    post_comment,
)
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.views.common import page

SECTION = "plan"


def _vision_url(workspace: Workspace) -> str:
    return reverse("workspace:vision", args=[workspace.slug])


def _version_url(workspace: Workspace, number: int) -> str:
    return reverse("workspace:vision_version", args=[workspace.slug, number])


def _missing(request: HttpRequest, number: int) -> HttpResponse:
    return error_response(
        request,
        404,
        "No such version",
        f"The vision has no version {number}. The version history lists those saved.",
    )


def _version_context(workspace: Workspace, version: VisionVersion, back: str) -> dict[str, Any]:
    comments = review_store.comments_by_object(workspace, "vision", [version.pk])
    post = reverse("workspace:vision_comment", args=[workspace.slug, version.number])
    return comments_context(
        comments.get(version.pk, []),
        post,
        back,
        f"v{version.number}",
        f"Comments on version {version.number}",
    )


@workspace_view()
def vision(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    state = store.state_of(workspace)
    versions = store.versions_of(workspace)
    counts = {
        pk: len(rows) for pk, rows in review_store.comments_by_object(workspace, "vision").items()
    }
    context: dict[str, Any] = {
        "state": state,
        "versions": versions,
        "comment_counts": counts,
        "note_form": NoteForm(),
        "compare_form": _compare_form(versions, None),
    }
    if state.current is not None:
        context.update(_version_context(workspace, state.current, _vision_url(workspace)))
    return page(request, workspace, "strategy/vision.html", context, section=SECTION)


@workspace_view()
def vision_version(request: HttpRequest, workspace: Workspace, vision_number: int) -> HttpResponse:
    version = store.version_numbered(workspace, vision_number)
    if version is None:
        return _missing(request, vision_number)
    context = {
        "state": store.state_of(workspace),
        "version": version,
        "note_form": NoteForm(),
        **_version_context(workspace, version, _version_url(workspace, vision_number)),
    }
    return page(request, workspace, "strategy/vision_version.html", context, section=SECTION)


def _compare_form(versions: list[VisionVersion], data: Any) -> CompareForm:
    numbers = sorted(v.number for v in versions)
    initial = {"old": numbers[-2], "new": numbers[-1]} if len(numbers) > 1 else {}
    return CompareForm(data, numbers=numbers, initial=initial)


@workspace_view()
def vision_compare(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    versions = store.versions_of(workspace)
    form = _compare_form(versions, request.GET if request.GET else None)
    by_number = {v.number: v for v in versions}
    old = new = None
    status = 200
    if form.is_bound:
        if form.is_valid():
            old, new = by_number[form.cleaned_data["old"]], by_number[form.cleaned_data["new"]]
        else:
            status = 400
    elif len(versions) > 1:
        old, new = versions[1], versions[0]
    context = {
        "form": form,
        "old": old,
        "new": new,
        "diff": compare_texts(old.text, new.text) if old and new else None,
    }
    return page(
        request, workspace, "strategy/vision_compare.html", context, status=status, section=SECTION
    )


def _draft_page(
    request: HttpRequest,
    workspace: Workspace,
    form: VisionDraftForm,
    status: int = 200,
    **more: Any,
) -> HttpResponse:
    context = {"form": form, "state": store.state_of(workspace), **more}
    return page(
        request, workspace, "strategy/vision_draft.html", context, status=status, section=SECTION
    )


def _start_from(latest: VisionVersion | None) -> dict[str, Any]:
    """The draft form's start: the latest version's text and number (0: none yet)."""
    return {"text": latest.text if latest else "", "based_on": latest.number if latest else 0}


def vision_draft(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """GET: the form, from the latest version; POST: save a new version."""
    if request.method != "POST":
        initial = _start_from(store.latest_version(workspace))
        return _draft_page(request, workspace, VisionDraftForm(initial=initial))
    form = VisionDraftForm(request.POST)
    if not form.is_valid():
        return _draft_page(request, workspace, form, status=400)
    data = form.cleaned_data
    try:
        version = store.save_draft(
            workspace, request.user, data["text"], data["note"], data["based_on"]
        )
    except store.SameText:
        form.add_error("text", "This is the text of the current version already: nothing to save.")
        return _draft_page(request, workspace, form, status=400)
    except store.StaleDraft as stale:
        return _conflict(request, workspace, data, stale.latest)
    messages.success(request, f"Saved version {version.number} of the vision.")
    return redirect(_vision_url(workspace))


def _conflict(
    request: HttpRequest, workspace: Workspace, data: dict[str, Any], latest: VisionVersion | None
) -> HttpResponse:
    """409: the newer version in the form (to start again from), and the text that was
    not saved beside it, to copy from, with what differs between them."""
    fresh = _start_from(latest)
    return _draft_page(
        request,
        workspace,
        VisionDraftForm(initial={**fresh, "note": data["note"]}),
        status=409,
        stale={
            "yours": data["text"],
            "based_on": data["based_on"],
            "latest": latest,
            "diff": compare_texts(fresh["text"], data["text"]),
        },
    )


def vision_review(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    if request.method != "POST":
        return redirect(_vision_url(workspace))
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not sent: " + " ".join(form.errors["note"]))
        return redirect(_vision_url(workspace))
    if store.latest_version(workspace) is None:
        messages.error(request, "Not sent: save a first draft of the vision before review.")
        return redirect(_vision_url(workspace))
    review_store.open_review(workspace, request.user, "vision", form.cleaned_data["note"])
    messages.success(request, "The vision is out for review: members can comment on it now.")
    return redirect(_vision_url(workspace))


def _posted_version(
    request: HttpRequest, workspace: Workspace, number: int
) -> VisionVersion | HttpResponse:
    """The version a POST is about; a 404 page when there is none, the version's page
    for a GET (these routes change things by POST only)."""
    version = store.version_numbered(workspace, number)
    if version is None:
        return _missing(request, number)
    if request.method != "POST":
        return redirect(_version_url(workspace, number))
    return version


def vision_comment(request: HttpRequest, workspace: Workspace, vision_number: int) -> HttpResponse:
    version = _posted_version(request, workspace, vision_number)
    if isinstance(version, HttpResponse):
        return version
    back = back_to(request, workspace, _version_url(workspace, vision_number))
    anchor = f"#comments-v{vision_number}"
    return post_comment(request, workspace, "vision", version.pk, back, anchor)


def vision_adopt(request: HttpRequest, workspace: Workspace, vision_number: int) -> HttpResponse:
    version = _posted_version(request, workspace, vision_number)
    if isinstance(version, HttpResponse):
        return version
    form = NoteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not adopted: " + " ".join(form.errors["note"]))
        return redirect(_version_url(workspace, vision_number))
    adopted = store.state_of(workspace).adopted
    if adopted is not None and adopted.pk == version.pk:
        messages.info(request, f"Version {vision_number} is already the adopted vision.")
        return redirect(_vision_url(workspace))
    review_store.approve_vision(workspace, request.user, version, form.cleaned_data["note"])
    messages.success(request, f"Adopted version {vision_number} as the coalition's vision.")
    return redirect(_vision_url(workspace))


SECTION_LINKS: list[HubLink] = [
    HubLink(
        "Community vision",
        "vision",
        "The vision statement the coalition drafts together: every version kept, members' "
        "comments, and the version the owner adopted.",
        records_of(VisionVersion),
        "version",
    )
]
_editor = workspace_view(role=Role.EDITOR)
_owner = workspace_view(role=Role.OWNER)
_V = "<slug:slug>/plan/vision/"
_N = _V + "versions/<int:vision_number>/"
workspace_urls: list[URLPattern] = [
    path(_V, vision, name="vision"),
    path(_V + "draft/", _editor(vision_draft), name="vision_draft"),
    path(_V + "compare/", vision_compare, name="vision_compare"),
    path(_V + "review/", _editor(vision_review), name="vision_review"),
    path(_N, vision_version, name="vision_version"),
    path(_N + "comments/", any_member(vision_comment), name="vision_comment"),
    path(_N + "adopt/", _owner(vision_adopt), name="vision_adopt"),
]

"""Review comments shared by every strategy page (the vision, the theories, the logic
model): adding one through :func:`post_comment`, and resolving one (kept, not deleted).

Any member comments, a viewer too (the routes that post a comment are wrapped in
:data:`any_member`); the comment's author, an editor or an owner resolves it
(:func:`~upward.web.strategy.review_store.may_resolve`). A page shows a subject's
comments with the ``strategy/_comments.html`` partial."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse
from django.utils.http import url_has_allowed_host_and_scheme

from upward.web.strategy import review_store
from upward.web.strategy.forms_review import CommentForm
from upward.web.strategy.models import Comment
from upward.web.workspace.access import forbidden, workspace_view
from upward.web.workspace.models import Role, Workspace

any_member = workspace_view(role=Role.VIEWER, change=Role.VIEWER)  # type: ignore[arg-type]
"""For the routes that post or resolve a comment: a viewer may send them (a comment adds
the member's own words; it changes nothing of the coalition's)."""

HOME_OF_SUBJECT = {"vision": "vision", "theory": "theories"}
"""The page a comment on a subject is shown on (others: the strategy overview)."""


def page_of(workspace: Workspace, comment: Comment) -> str:
    if comment.subject in ("element", "link", "model"):
        from upward.web.strategy.views.model import subject_url

        return subject_url(workspace, comment.subject, comment.object_id) + "#comments"
    route = HOME_OF_SUBJECT.get(comment.subject, "strategy")
    return reverse(f"workspace:{route}", args=[workspace.slug])


def back_to(request: HttpRequest, workspace: Workspace, fallback: str) -> str:
    """The form's ``next`` if it is a page of this workspace's strategy, else ``fallback``."""
    target = request.POST.get("next", "")
    own = f"/w/{workspace.slug}/plan/"
    safe = url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()})
    return target if safe and target.startswith(own) else fallback


def post_comment(
    request: HttpRequest,
    workspace: Workspace,
    subject: str,
    object_id: int | None,
    back: str,
    anchor: str = "",
) -> HttpResponse:
    """Save the comment of a POST (or say why not, nothing saved) and go ``back``."""
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Not saved: " + " ".join(form.errors["text"]))
        return redirect(back + anchor)
    review_store.add_comment(workspace, request.user, subject, object_id, form.cleaned_data["text"])
    messages.success(request, "Comment added.")
    return redirect(back + anchor)


def comments_context(
    comments: list[Comment], post_url: str, next_url: str, key: str, heading: str, level: int = 2
) -> dict[str, Any]:
    """The names ``strategy/_comments.html`` reads (see its header)."""
    return {
        "comments": comments,
        "comment_url": post_url,
        "comment_next": next_url,
        "comment_key": key,
        "comment_heading": heading,
        "comment_level": level,
    }


@any_member
def comment_resolve(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    """POST: mark a comment resolved (its author, an editor or an owner)."""
    comment = get_object_or_404(Comment, workspace=workspace, pk=pk)
    back = back_to(request, workspace, page_of(workspace, comment))
    if request.method != "POST":
        return redirect(page_of(workspace, comment))
    membership = request.membership  # type: ignore[attr-defined]
    if not review_store.may_resolve(membership, comment):
        return forbidden(request, review_store.resolve_refusal(membership))
    if comment.resolved_at is not None:
        messages.info(request, "That comment was already resolved.")
        return redirect(back)
    review_store.resolve_comment(comment, request.user)
    messages.success(request, "Comment marked resolved (it stays in the record).")
    return redirect(back)


SECTION_LINKS: list = []
workspace_urls: list[URLPattern] = [
    path("<slug:slug>/plan/comments/<int:pk>/resolve/", comment_resolve, name="comment_resolve"),
]

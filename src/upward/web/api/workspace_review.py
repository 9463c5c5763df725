"""API: review comments, on every part of the strategy stage that takes them: the one way
a subject's comments are listed and added (:func:`comment_routes`, used here for the
logic model's elements, links and the model as a whole, and by ``workspace_vision`` for
the vision's versions and the theories). Any member comments, a viewer too; resolving
any comment is ``POST /comments/{comment_id}/resolve`` (``workspace_vision``), for its
author, an editor or an owner. Comments are kept, never edited."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema, Status
from pydantic import ConfigDict

from upward.web.api.errors import ApiError
from upward.web.api.params import NOT_BLANK_PATTERN, record_id_param, text_field
from upward.web.api.records import (
    answer_problems,
    body_schema,
    user_name,
    valid_form,
)
from upward.web.api.workspace_auth import (
    BODY_ERRORS,
    READ_ERRORS,
    W,
    WorkspaceMember,
    workspace_of,
)
from upward.web.api.workspace_schemas import FieldErrorOut
from upward.web.strategy import review_store
from upward.web.strategy.forms_review import CommentForm
from upward.web.strategy.models import Comment, Element, Link
from upward.web.workspace.models import Role, Workspace

router = Router(tags=["workspaces"], auth=WorkspaceMember())
ANY_MEMBER = WorkspaceMember(change=Role.VIEWER)  # type: ignore[arg-type]
"""For posting and resolving review comments: any member, a viewer too."""


class ReviewCommentOut(Schema):
    id: int
    subject: str
    """vision (object_id: the version's id), theory (the theory's id), element or link (the
    logic-model element's or link's id) or model (the whole model: no object_id)."""
    object_id: int | None
    text: str
    author: str | None
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None


class ReviewCommentIn(Schema):
    model_config = ConfigDict(extra="forbid")
    text: str = text_field(4000, NOT_BLANK_PATTERN, ...)


COMMENTS_READ = {200: list[ReviewCommentOut], **READ_ERRORS}
COMMENT_WRITE = {201: ReviewCommentOut, **BODY_ERRORS, 400: FieldErrorOut}


def comment_out(c: Comment) -> dict[str, Any]:
    return {
        "id": c.pk, "subject": c.subject, "object_id": c.object_id, "text": c.text,
        "author": user_name(c.author), "created_at": c.created_at,
        "resolved_at": c.resolved_at, "resolved_by": user_name(c.resolved_by),
    }  # fmt: skip


def _listed(workspace: Workspace, subject: str, object_id: int | None) -> list[dict[str, Any]]:
    """The comments on one thing, oldest first (``object_id`` None: the model as a whole)."""
    ids = None if object_id is None else [object_id]
    rows = review_store.comments_by_object(workspace, subject, ids).get(object_id, [])
    return [comment_out(c) for c in rows]


@answer_problems("Invalid comment")
def _added(request: HttpRequest, workspace: Workspace, subject: str, object_id: int | None) -> Any:
    """201 with the comment the body adds, or 400 with the comment form's messages."""
    text = valid_form(request, ReviewCommentIn, "a comment", CommentForm).cleaned_data["text"]
    comment = review_store.add_comment(workspace, request.user, subject, object_id, text)
    return Status(201, comment_out(comment))


Find = Callable[..., int | None]
"""(workspace, the path parameter's value if any) -> the commented thing's id, or 404."""


def comment_routes(
    router: Router, module: str, path: str, subject: str, noun: str,
    param: tuple[str, Callable[[], Any]] | None, find: Find,
) -> None:  # fmt: skip
    """``GET`` and ``POST W + path + "/comments"`` (``list_{subject}_comments`` and
    ``add_{subject}_comment`` in ``module``: the operation ids) for comments on ``noun``,
    whose id ``find`` gives from the path parameter ``param`` (its name and default)."""
    params = (
        []
        if param is None
        else [
            inspect.Parameter(
                param[0],
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=param[1](),
                annotation=int,
            )
        ]
    )
    signature = inspect.Signature([
        inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD),
        inspect.Parameter("slug", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=str),
        *params,
    ])  # fmt: skip

    def listing(request: HttpRequest, slug: str, **kw: Any) -> Any:
        workspace = workspace_of(request)
        return _listed(workspace, subject, find(workspace, *kw.values()))

    def adding(request: HttpRequest, slug: str, **kw: Any) -> Any:
        workspace = workspace_of(request)
        return _added(request, workspace, subject, find(workspace, *kw.values()))

    for view, name in ((listing, f"list_{subject}_comments"), (adding, f"add_{subject}_comment")):
        view.__name__ = view.__qualname__ = name
        view.__module__ = module
        view.__signature__ = signature  # type: ignore[attr-defined]
    address = W + path + "/comments"
    router.get(address, response=COMMENTS_READ,
               summary=f"The comments on {noun}, oldest first")(listing)  # fmt: skip
    router.post(address, response=COMMENT_WRITE, summary=f"Comment on {noun} (any member)",
                openapi_extra=body_schema(ReviewCommentIn), auth=ANY_MEMBER)(adding)  # fmt: skip


def _model_part(kind: type[Element] | type[Link], subject: str) -> Find:
    def find(workspace: Workspace, part_id: int) -> int:
        if not kind.objects.filter(workspace=workspace, pk=part_id).exists():
            raise ApiError(404, "Not found",
                           f"This workspace's logic model has no {subject} {part_id}.")  # fmt: skip
        return part_id

    return find


comment_routes(router, __name__, "/model/elements/{element_id}", "element",
               "one logic-model element", ("element_id", record_id_param),
               _model_part(Element, "element"))  # fmt: skip
comment_routes(router, __name__, "/model/links/{link_id}", "link", "one logic-model link",
               ("link_id", record_id_param), _model_part(Link, "link"))  # fmt: skip
comment_routes(router, __name__, "/model", "model", "the logic model as a whole", None,
               lambda workspace: None)  # fmt: skip

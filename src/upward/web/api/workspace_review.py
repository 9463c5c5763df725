"""API: the review comments on the logic model (list, add): on one element, one link, or
the model as a whole. Any member comments, a viewer too; resolving any comment is
``POST /comments/{comment_id}/resolve`` (``workspace_vision``), for its author, an editor
or an owner. Comments are kept, never edited."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router

from upward.web.api.errors import ApiError
from upward.web.api.params import record_id_param
from upward.web.api.records import body_schema
from upward.web.api.workspace_auth import W, WorkspaceMember, workspace_of
from upward.web.api.workspace_vision import (
    ANY_MEMBER,
    COMMENT_WRITE,
    COMMENTS_READ,
    ReviewCommentIn,
    add_review_comment,
    comments_on,
)
from upward.web.strategy.models import Element, Link
from upward.web.workspace.models import Workspace

router = Router(tags=["workspaces"], auth=WorkspaceMember())


def _model_part(workspace: Workspace, subject: str, part_id: int) -> int:
    """The id of the model's element or link ``part_id`` in this workspace, or 404."""
    model = Element if subject == "element" else Link
    if not model.objects.filter(workspace=workspace, pk=part_id).exists():
        raise ApiError(
            404, "Not found", f"This workspace's logic model has no {subject} {part_id}."
        )
    return part_id


@router.get(
    W + "/model/elements/{element_id}/comments",
    response=COMMENTS_READ,
    summary="The comments on one logic-model element, oldest first",
)
def list_element_comments(
    request: HttpRequest, slug: str, element_id: int = record_id_param()
) -> list[dict[str, Any]]:
    workspace = workspace_of(request)
    return comments_on(workspace, "element", _model_part(workspace, "element", element_id))


@router.post(
    W + "/model/elements/{element_id}/comments",
    response=COMMENT_WRITE,
    summary="Comment on one logic-model element (any member)",
    openapi_extra=body_schema(ReviewCommentIn),
    auth=ANY_MEMBER,
)
def add_element_comment(
    request: HttpRequest, slug: str, element_id: int = record_id_param()
) -> Any:
    workspace = workspace_of(request)
    return add_review_comment(
        request, workspace, "element", _model_part(workspace, "element", element_id)
    )


@router.get(
    W + "/model/links/{link_id}/comments",
    response=COMMENTS_READ,
    summary="The comments on one logic-model link, oldest first",
)
def list_link_comments(
    request: HttpRequest, slug: str, link_id: int = record_id_param()
) -> list[dict[str, Any]]:
    workspace = workspace_of(request)
    return comments_on(workspace, "link", _model_part(workspace, "link", link_id))


@router.post(
    W + "/model/links/{link_id}/comments",
    response=COMMENT_WRITE,
    summary="Comment on one logic-model link (any member)",
    openapi_extra=body_schema(ReviewCommentIn),
    auth=ANY_MEMBER,
)
def add_link_comment(request: HttpRequest, slug: str, link_id: int = record_id_param()) -> Any:
    workspace = workspace_of(request)
    return add_review_comment(request, workspace, "link", _model_part(workspace, "link", link_id))


@router.get(
    W + "/model/comments",
    response=COMMENTS_READ,
    summary="The comments on the logic model as a whole, oldest first",
)
def list_model_comments(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    return comments_on(workspace_of(request), "model", None)


@router.post(
    W + "/model/comments",
    response=COMMENT_WRITE,
    summary="Comment on the logic model as a whole (any member)",
    openapi_extra=body_schema(ReviewCommentIn),
    auth=ANY_MEMBER,
)
def add_model_comment(request: HttpRequest, slug: str) -> Any:
    return add_review_comment(request, workspace_of(request), "model", None)

"""Theories of change (guide Step 7): statements "if we …, then …, because …" with
their assumptions, each linked to the workspace's priorities it serves, with members'
review comments. Added, edited (versioned) and deleted with :class:`RecordPages`."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse

from upward.web.knowledge.views.hub import HubLink, records_of
from upward.web.strategy import review_store
from upward.web.strategy.forms_theory import TheoryForm
from upward.web.strategy.models import TheoryOfChange
from upward.web.strategy.views.comments import (
    any_member,
    back_to,
    comments_context,
    post_comment,
)
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Workspace
from upward.web.workspace.views.common import RecordPages, page

SECTION = "plan"
PAGES = RecordPages(
    TheoryOfChange, TheoryForm, "theory", "theories", "Add a theory of change", SECTION
)


def _list_url(workspace: Workspace) -> str:
    return reverse("workspace:theories", args=[workspace.slug])


@workspace_view()
def theories(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    rows = list(
        TheoryOfChange.objects.filter(workspace=workspace)
        .prefetch_related("priorities")
        .select_related("updated_by")
    )
    comments = review_store.comments_by_object(workspace, "theory", [t.pk for t in rows])
    back = _list_url(workspace)
    items = [
        {
            "theory": theory,
            "assumptions": [a for a in theory.assumptions.splitlines() if a.strip()],
            **comments_context(
                comments.get(theory.pk, []),
                reverse("workspace:theory_comment", args=[workspace.slug, theory.pk]),
                back,
                f"t{theory.pk}",
                f"Comments on statement {number}",
                level=3,
            ),
        }
        for number, theory in enumerate(rows, start=1)
    ]
    context = {"items": items}
    return page(request, workspace, "strategy/theories.html", context, section=SECTION)


def theory_comment(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    theory = get_object_or_404(TheoryOfChange, workspace=workspace, pk=pk)
    if request.method != "POST":
        return redirect(_list_url(workspace) + f"#theory-{pk}")
    back = back_to(request, workspace, _list_url(workspace))
    return post_comment(request, workspace, "theory", theory.pk, back, f"#comments-t{pk}")


SECTION_LINKS: list[HubLink] = [
    HubLink(
        "Theory of change",
        "theories",
        "If we do this, then that changes, because of why: the coalition's statements, "
        "their assumptions, and the priorities each serves.",
        records_of(TheoryOfChange),
        "statement",
    )
]
_T = "<slug:slug>/plan/theories/"
workspace_urls: list[URLPattern] = [
    path(_T, theories, name="theories"),
    *PAGES.urls(_T),
    path(
        _T + "<int:pk>/comments/",
        any_member(theory_comment),
        name="theory_comment",
    ),
]

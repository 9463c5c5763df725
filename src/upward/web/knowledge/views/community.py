"""Community input (issue 12, item 7): a public, anonymous form per workspace that asks the
coalition's questions in English and Spanish and tags the answers to predictors; the
answers wait in a moderation queue until an editor makes each a finding.

This module holds the editors' pages (the forms, their setup and their printable flyer)
and exports the section's routes; the public form is in ``community_public`` and the
moderation queue in ``community_moderation``.
"""

from __future__ import annotations

from functools import partial

import segno
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, path, reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from upward.web.knowledge.community_store import pending_counts
from upward.web.knowledge.forms_community import InputFormForm
from upward.web.knowledge.models import InputAnswer, InputForm
from upward.web.knowledge.views import community_moderation as moderation
from upward.web.knowledge.views import community_public as public
from upward.web.knowledge.views.hub import HubLink
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.views.common import create_record, delete_page, edit_versioned, page

SECTION = "knowledge"
EDIT_TEMPLATE = "knowledge/input_form_edit.html"


def list_url(workspace: Workspace) -> str:
    return reverse("workspace:knowledge_input", args=[workspace.slug])


def public_url(request: HttpRequest, form: InputForm) -> str:
    return request.build_absolute_uri(reverse("public:input_form", args=[form.public_id]))


@workspace_view()
def knowledge_input(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    forms = list(InputForm.objects.filter(workspace=workspace).order_by("-created_at", "-pk"))
    counts = pending_counts(workspace)
    rows = [
        {"form": f, "pending": counts.get(f.pk, 0), "url": public_url(request, f)} for f in forms
    ]
    context = {"rows": rows, "pending": sum(counts.values())}
    return page(request, workspace, "knowledge/input_forms.html", context, section=SECTION)


def _context(workspace: Workspace, title: str) -> dict[str, object]:
    return {"title": title, "cancel_url": list_url(workspace), "section": SECTION}


@workspace_view(role=Role.EDITOR)
def input_form_create(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    make = partial(InputFormForm, workspace=workspace)
    context = _context(workspace, "New community input form")
    back = list_url(workspace)
    return create_record(request, workspace, make, EDIT_TEMPLATE, context, lambda obj: back)


@workspace_view(role=Role.EDITOR)
def input_form_edit(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    form = get_object_or_404(InputForm, workspace=workspace, pk=pk)
    context = {
        **_context(workspace, f"Edit {form}"),
        "delete_url": reverse("workspace:input_form_delete", args=[workspace.slug, pk]),
        "public_url": public_url(request, form),
    }
    make = partial(InputFormForm, workspace=workspace)
    return edit_versioned(
        request, workspace, form, make, EDIT_TEMPLATE, context, list_url(workspace)
    )


input_form_delete = workspace_view(role=Role.EDITOR)(delete_page(InputForm, "input_form", list_url))


def qr_svg(url: str, label: str) -> str:
    """The QR code of ``url`` as inline SVG (segno escapes the title it writes)."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(scale=6, border=2, title=label, svgclass="upward-qr")
    return mark_safe(
        svg.replace("<svg ", '<svg role="img" aria-label="' + str(escape(label)) + '" ', 1)
    )


@workspace_view()
def input_form_flyer(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    form = get_object_or_404(InputForm, workspace=workspace, pk=pk)
    url = public_url(request, form)
    context = {
        "form": form,
        "url": url,
        "qr": qr_svg(url, "QR code for the form's web address"),
        "back_url": list_url(workspace),
        "lang": "en",
        "title_es": form.title_es or form.title,
        "intro_es": form.intro_es or form.intro,
    }
    return page(request, workspace, "knowledge/input_flyer.html", context, section=SECTION)


def _pending(workspace: Workspace) -> int:
    return InputAnswer.objects.filter(form__workspace=workspace, status="pending").count()


SECTION_LINKS: list[HubLink] = [
    HubLink(
        "Community input",
        "knowledge_input",
        "A public form, by link or QR code, in English and Spanish; answers wait for review "
        "before they become findings.",
        _pending,
        "pending answer",
    )
]

workspace_urls: list[URLPattern] = [
    path("<slug:slug>/knowledge/input/", knowledge_input, name="knowledge_input"),
    path("<slug:slug>/knowledge/input/new/", input_form_create, name="input_form_create"),
    path("<slug:slug>/knowledge/input-forms/<int:pk>/", input_form_edit, name="input_form_edit"),
    path(
        "<slug:slug>/knowledge/input-forms/<int:pk>/delete/",
        input_form_delete,
        name="input_form_delete",
    ),
    path(
        "<slug:slug>/knowledge/input-forms/<int:pk>/flyer/",
        input_form_flyer,
        name="input_form_flyer",
    ),
    *moderation.urls,
]
public_urls: list[URLPattern] = public.urls

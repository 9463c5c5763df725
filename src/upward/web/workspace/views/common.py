"""Shared view steps: the versioned edit flow, deletes, page context, a filtered list's
page and pillar filter, and the add, edit and delete pages of a record a workspace owns."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial, reduce
from operator import or_
from typing import Any

from django import forms
from django.contrib import messages
from django.core.paginator import Page, Paginator
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse

from upward.catalog import get_catalog
from upward.web.explorer.errors import error_response
from upward.web.workspace import submission
from upward.web.workspace.access import workspace_view
from upward.web.workspace.activity import record
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.versioning import (
    StaleVersion,
    delete_versioned,
    differences,
    save_versioned,
)

FormFactory = Callable[..., forms.ModelForm]
FORM_PAGE = "workspace/form_page.html"
"""The page of one form: a title, the form, and Cancel back to where it came from."""


def page(
    request: HttpRequest,
    workspace: Workspace,
    template: str,
    context: dict[str, Any],
    status: int = 200,
    section: str = "",
) -> HttpResponse:
    membership = getattr(request, "membership", None)
    base = {
        "workspace": workspace,
        "membership": membership,
        "can_edit": bool(membership and membership.can(Role.EDITOR)),
        "is_owner": bool(membership and membership.can(Role.OWNER)),
        "section": section,
    }
    return render(request, template, {**base, **context}, status=status)


def paged(request: HttpRequest, rows: Any, per_page: int) -> tuple[Page, str]:
    """The page of ``rows`` that ``?page=`` asks for, and the query string of the other
    parameters (the list's filters), which the pager's links carry on."""
    page_obj = Paginator(rows, per_page).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return page_obj, query.urlencode()


def filtered_list(
    request: HttpRequest,
    form: forms.Form,
    rows: models.QuerySet,
    fields: tuple[str, ...],
    per_page: int,
    search: tuple[str, ...] = (),
) -> dict[str, Any]:
    """The context of a list under a filter form bound to the query string: ``rows``
    narrowed by each of ``fields`` the form has a value for, by its ``q`` (found in any of
    ``search``) and by its ``pillar``, then the page asked for; ``total`` counts ``rows``."""
    total = rows.count()
    if form.is_valid():
        data = form.cleaned_data
        if search and data["q"]:
            rows = rows.filter(reduce(or_, (Q(**{f"{f}__icontains": data["q"]}) for f in search)))
        for name in fields:
            if data[name]:
                rows = rows.filter(**{name: data[name]})
        if data["pillar"]:
            rows = about_pillar(rows, data["pillar"])
    page_obj, query = paged(request, rows, per_page)
    return {"form": form, "page_obj": page_obj, "total": total, "query": query}


def about_pillar(rows: models.QuerySet, pillar_id: str) -> models.QuerySet:
    """The ``rows`` tagged with the pillar: it is in their ``pillars``, or one of its
    predictors is in their ``predictors`` (both JSON lists of ids)."""
    pillar = get_catalog().pillar(pillar_id)
    ids = [
        row["id"]
        for row in rows.values("id", "pillars", "predictors")
        if pillar.id in (row["pillars"] or [])
        or set(pillar.predictor_ids) & set(row["predictors"] or [])
    ]
    return rows.filter(id__in=ids)


def conflict_response(
    request: HttpRequest,
    workspace: Workspace,
    submitted: forms.BaseForm,
    model: type[models.Model],
    pk: Any,
    make_form: FormFactory,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    fresh = model._default_manager.filter(pk=pk).first()
    if fresh is None:
        return error_response(
            request,
            409,
            "Deleted meanwhile",
            "Someone deleted this record while you were editing it.",
        )
    fresh_form = make_form(instance=fresh)
    return page(
        request,
        workspace,
        template,
        {
            **context,
            "form": fresh_form,
            "conflict": differences(submitted, fresh_form),
            "fresh": fresh,
        },
        status=409,
    )


NAME_TAKEN = "Someone saved this name a moment ago, so it is already in use. Choose another."


def name_taken(
    request: HttpRequest,
    workspace: Workspace,
    form: forms.BaseForm,
    template: str,
    context: dict[str, Any],
) -> HttpResponse:
    """The form again, nothing saved, when the database refused a name another request
    saved between the form's check and the insert (the only unique value people type)."""
    form.add_error("name" if "name" in form.fields else None, NAME_TAKEN)
    return page(request, workspace, template, {**context, "form": form}, status=400)


def edit_versioned(
    request: HttpRequest,
    workspace: Workspace,
    instance: models.Model,
    make_form: FormFactory,
    template: str,
    context: dict[str, Any],
    success_url: str,
    verb: str = "edited",
) -> HttpResponse:
    """GET shows the form; POST saves it unless someone saved a newer version meanwhile."""
    if request.method != "POST":
        return page(request, workspace, template, {**context, "form": make_form(instance=instance)})
    form = make_form(request.POST, request.FILES or None, instance=instance)
    if not form.is_valid():
        return page(request, workspace, template, {**context, "form": form}, status=400)
    try:
        with transaction.atomic():
            obj = save_versioned(form, form.cleaned_data["version"], request.user)
            record(workspace, request.user, verb, record_label(obj))
    except StaleVersion:
        return conflict_response(
            request, workspace, form, type(instance), instance.pk, make_form, template, context
        )
    except IntegrityError:
        return name_taken(request, workspace, form, template, context)
    messages.success(request, f"Saved {obj}.")
    return redirect(success_url)


def record_label(obj: models.Model) -> str:
    """A record as the activity log and the messages name it: its kind and its name."""
    return f"{obj._meta.verbose_name} “{obj}”"


def add_record(form: forms.ModelForm, workspace: Workspace, user: Any, detail: str = "") -> Any:
    """Save the new record of a valid ``form`` and log it (call inside a transaction)."""
    obj = form.save(commit=False)
    obj.updated_by = user
    obj.save()
    form.save_m2m()
    record(workspace, user, "added", record_label(obj), detail)
    return obj


def create_record(
    request: HttpRequest,
    workspace: Workspace,
    make_form: FormFactory,
    template: str,
    context: dict[str, Any],
    success_url: Callable[[models.Model], str],
) -> HttpResponse:
    """GET shows an empty form; POST adds the record once, however often the form is sent."""
    context = {**context, "once": submission.token_for(request)}
    if request.method != "POST":
        return page(request, workspace, template, {**context, "form": make_form()})
    if again := submission.repeat(request):
        return again
    form = make_form(request.POST, request.FILES or None)
    if not form.is_valid():
        return page(request, workspace, template, {**context, "form": form}, status=400)
    try:
        with transaction.atomic():
            obj = add_record(form, workspace, request.user)
            submission.claim(request, success_url(obj))
    except IntegrityError:  # a simultaneous twin of this form, or a name saved meanwhile
        return submission.repeat(request) or name_taken(request, workspace, form, template, context)
    messages.success(request, f"Added {obj}.")
    return redirect(success_url(obj))


def delete_record(
    request: HttpRequest, workspace: Workspace, instance: models.Model, success_url: str
) -> HttpResponse:
    """POST only (the route requires it); the form carries the version it saw."""
    try:
        expected = int(request.POST.get("version", ""))
    except ValueError:
        return error_response(
            request, 400, "Bad request", "The form did not say which version to delete."
        )
    label = record_label(instance)
    try:
        with transaction.atomic():
            delete_versioned(instance, expected)
            record(workspace, request.user, "deleted", label)
    except StaleVersion:
        messages.error(
            request, f"Not deleted: someone changed {label} after you opened it. Review it first."
        )
        return redirect(success_url)
    messages.success(request, f"Deleted {label}.")
    return redirect(success_url)


def delete_page(
    model: type[models.Model], name: str, back: Callable[[Workspace], str]
) -> Callable[[HttpRequest, Workspace, int], HttpResponse]:
    """The delete view of one kind of record: a POST deletes it (then to ``back``); any
    other request goes to its edit page, the route ``<name>_edit``."""

    def delete(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
        instance = get_object_or_404(model, workspace=workspace, pk=pk)
        if request.method != "POST":
            return redirect(f"workspace:{name}_edit", slug=workspace.slug, pk=pk)
        return delete_record(request, workspace, instance, back(workspace))

    return delete


@dataclass(frozen=True)
class RecordPages:
    """The add, edit and delete pages of one kind of record in a workspace's list
    (stakeholders, workgroups, peer sets), for editors, each back to the list when done.

    ``form`` takes the workspace as a keyword; ``name`` is the stem of the route names
    (``peer_set`` -> ``peer_set_create``, ``peer_set_edit``, ``peer_set_delete``).
    """

    model: type[models.Model]
    form: type[forms.ModelForm]
    name: str
    list_route: str
    new_title: str
    section: str
    template: str = FORM_PAGE
    """The form's page (a page with more than the fields extends ``FORM_PAGE``)."""

    def list_url(self, workspace: Workspace) -> str:
        return reverse(f"workspace:{self.list_route}", args=[workspace.slug])

    def _context(self, workspace: Workspace, title: str, **more: str) -> dict[str, Any]:
        return {
            "title": title,
            "cancel_url": self.list_url(workspace),
            **more,
            "section": self.section,
        }

    def _form(self, workspace: Workspace) -> FormFactory:
        return partial(self.form, workspace=workspace)

    def create(self, request: HttpRequest, workspace: Workspace) -> HttpResponse:
        context = self._context(workspace, self.new_title)
        back = self.list_url(workspace)
        return create_record(
            request, workspace, self._form(workspace), self.template, context, lambda obj: back
        )

    def edit(self, request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
        instance = get_object_or_404(self.model, workspace=workspace, pk=pk)
        delete_url = reverse(f"workspace:{self.name}_delete", args=[workspace.slug, pk])
        context = self._context(workspace, f"Edit {instance}", delete_url=delete_url)
        return edit_versioned(
            request,
            workspace,
            instance,
            self._form(workspace),
            self.template,
            context,
            self.list_url(workspace),
        )

    def delete(self, request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
        return delete_page(self.model, self.name, self.list_url)(request, workspace, pk)

    def urls(self, prefix: str) -> list[URLPattern]:
        """``prefix`` + new/, <pk>/ and <pk>/delete/, each for editors only."""
        editor = workspace_view(role=Role.EDITOR)
        return [
            path(prefix + "new/", editor(self.create), name=f"{self.name}_create"),
            path(prefix + "<int:pk>/", editor(self.edit), name=f"{self.name}_edit"),
            path(prefix + "<int:pk>/delete/", editor(self.delete), name=f"{self.name}_delete"),
        ]

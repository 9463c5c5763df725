"""A network's resource library (issue 15, part 3): links and files for the whole network
or one track, tagged by pillar, predictor and stage (:mod:`upward.web.networks.resource_store`).

One template, two addresses: the network's side at /n/<slug>/resources/ (its staff see
every resource, with a track filter; a member of one of its teams sees the network-wide
ones and their track's) and the coalition's side at /w/<slug>/network/resources/ (any
member of the workspace, a section per network it is in). Staff add, edit and delete;
a file is served only through :func:`resource_file`, to those who may see the resource
(404 for anyone else), as an attachment, never from a public media address."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse

from upward.planning import network as vocab
from upward.web.explorer.errors import error_response
from upward.web.networks import resource_store as store
from upward.web.networks.access import network_view
from upward.web.networks.forms_resources import ResourceFilterForm, ResourceForm
from upward.web.networks.models import Network, Resource, Team
from upward.web.networks.views.teams import network_page
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Workspace
from upward.web.workspace.versioning import StaleVersion, differences
from upward.web.workspace.views.common import page

LIST = "networks/resources.html"
FORM = "networks/resource_form.html"
SECTION = "resources"


def _library(
    request: HttpRequest, network: Network, staff: Any, teams: list[Team], ids: str = "id_%s"
) -> dict[str, Any]:
    """One network's section of the list: its filter form (its fields' ids from ``ids``)
    and the rows it shows."""
    form = ResourceFilterForm(request.GET or None, network=network if staff else None, auto_id=ids)
    rows = store.visible_resources(network, staff, teams)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    shown = store.filtered(rows, data)
    return {
        "network": network,
        "form": form,
        "rows": store.rows_of(shown),
        "total": rows.count(),
        "tracks": sorted({t.track.name for t in teams}),
        "is_staff": staff is not None,
    }


@network_view(teams=True)
def resource_list(request: HttpRequest, network: Network) -> HttpResponse:
    staff = getattr(request, "staff", None)
    context = {
        "layout": "networks/base.html",
        "libraries": [_library(request, network, staff, request.teams)],  # type: ignore[attr-defined]
    }
    return network_page(request, network, LIST, context, SECTION)


@workspace_view()
def workspace_resources(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    teams = list(
        Team.objects.filter(workspace=workspace, status=vocab.TEAM_ACTIVE).select_related(
            "network", "track", "workspace"
        )
    )
    context = {
        "layout": "workspace/base.html",
        "libraries": [
            _library(request, t.network, None, [t], f"id_n{t.network_id}_%s") for t in teams
        ],
    }
    return page(request, workspace, LIST, context, section="network")


def _resource(network: Network, resource_id: int) -> Resource:
    return get_object_or_404(Resource.objects.select_related("track"), network=network,
                             pk=resource_id)  # fmt: skip


@network_view(teams=True)
def resource_file(request: HttpRequest, network: Network, resource_id: int) -> HttpResponse:
    """The resource's file, to those who may see the resource; 404 for anyone else."""
    resource = _resource(network, resource_id)
    if not resource.file or not store.may_read(resource, request.staff, request.teams):  # type: ignore[attr-defined]
        raise Http404("No such file in this network's library.")
    try:
        handle = resource.file.open("rb")
    except OSError:
        return error_response(request, 404, "File missing", "The stored file cannot be found.")
    name = store.file_name(resource)
    response = FileResponse(
        handle, as_attachment=True, filename=name, content_type=store.content_type(name)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _form_page(
    request: HttpRequest, network: Network, form: ResourceForm, status: int = 200, **more: Any
) -> HttpResponse:
    title = f"Edit {form.instance.title}" if form.instance.pk else "Add a resource"
    context = {"form": form, "title": title, "conflict": None, **more}
    return network_page(request, network, FORM, context, SECTION, status)


def _upload(form: ResourceForm) -> Any:
    return form.cleaned_data.get("upload")


@network_view()
def resource_add(request: HttpRequest, network: Network) -> HttpResponse:
    if request.method != "POST":
        return _form_page(request, network, ResourceForm(network=network))
    form = ResourceForm(request.POST, request.FILES, network=network)
    if not form.is_valid():
        return _form_page(request, network, form, 400)
    resource = store.add_resource(form, request.user, _upload(form))
    messages.success(request, f"Added “{resource.title}” to the library.")
    return redirect(reverse("networks:resources", args=[network.slug]) + f"#resource-{resource.pk}")


@network_view()
def resource_edit(request: HttpRequest, network: Network, resource_id: int) -> HttpResponse:
    resource = _resource(network, resource_id)
    if request.method != "POST":
        return _form_page(request, network, ResourceForm(instance=resource, network=network))
    form = ResourceForm(request.POST, request.FILES, instance=resource, network=network)
    if not form.is_valid():
        return _form_page(request, network, form, 400)
    try:
        saved = store.change_resource(
            resource, form, form.cleaned_data["version"], request.user, _upload(form)
        )
    except StaleVersion:
        fresh = Resource.objects.filter(pk=resource_id).first()
        if fresh is None:
            return error_response(
                request, 409, "Deleted meanwhile", "Someone deleted this resource meanwhile."
            )
        fresh_form = ResourceForm(instance=fresh, network=network)
        conflict = differences(form, fresh_form)
        return _form_page(request, network, fresh_form, 409, conflict=conflict, fresh=fresh)
    messages.success(request, f"Saved “{saved.title}”.")
    return redirect(reverse("networks:resources", args=[network.slug]) + f"#resource-{saved.pk}")


@network_view()
def resource_delete(request: HttpRequest, network: Network, resource_id: int) -> HttpResponse:
    """GET asks to confirm; POST (with the version it was read at) deletes."""
    resource = _resource(network, resource_id)
    context = {"resource": resource, "row": store.rows_of([resource])[0]}
    if request.method != "POST":
        return network_page(request, network, "networks/resource_delete.html", context, SECTION)
    try:
        store.delete_resource(resource, int(request.POST.get("version", "")))
    except ValueError:
        return error_response(request, 400, "Bad request", "The form did not say which version.")
    except StaleVersion:
        messages.error(request, f"Not deleted: someone changed “{resource.title}” meanwhile.")
        return redirect("networks:resource_edit", network.slug, resource.pk)
    messages.success(request, f"Deleted “{resource.title}” from the library.")
    return redirect("networks:resources", network.slug)


R = "<slug:slug>/resources/"
network_urls: list[URLPattern] = [
    path(R, resource_list, name="resources"),
    path(R + "new/", resource_add, name="resource_add"),
    path(R + "<int:resource_id>/edit/", resource_edit, name="resource_edit"),
    path(R + "<int:resource_id>/delete/", resource_delete, name="resource_delete"),
    path(R + "<int:resource_id>/file", resource_file, name="resource_file"),
]
"""Routes under /n/<slug:slug>/ (namespace "networks")."""
workspace_urls: list[URLPattern] = [
    path("<slug:slug>/network/resources/", workspace_resources, name="network_resources"),
]
"""Routes under /w/<slug:slug>/network/ (namespace "workspace")."""

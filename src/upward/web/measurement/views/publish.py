"""Publishing the Mobility Action Plan (issue 14, part 7): the unresolved problems of the
measurement plan with the owner's confirmations, the numbered versions, each version as it
was frozen (with its HTML, PDF and DOCX in both editions), and the public page's switch.

Any member reads; only an owner publishes or withdraws the public page. A publish is
accepted only when every problem is confirmed (each unconfirmed one gets its own message
and nothing is saved). Versions are rendered from their frozen document, never from the
live workspace."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_http_methods, require_safe

from upward.reports import action_plan as ap
from upward.reports.action_plan import PlanDocument
from upward.web.explorer.errors import error_response
from upward.web.knowledge.views.hub import HubLink
from upward.web.measurement import publish_store
from upward.web.measurement.models import PlanVersion
from upward.web.render import File, download
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.views.common import page

SECTION = "measure"
T = "measurement/"
FORMATS = ap.FORMATS
EDITIONS = ap.EDITIONS


def _publish_page(
    request: HttpRequest, workspace: Workspace, errors: dict[str, str], status: int = 200
) -> HttpResponse:
    problems = publish_store.publish_problems(workspace)
    confirmed = set(request.POST.getlist("confirm")) if request.method == "POST" else set()
    context = {
        "problems": problems,
        "confirmed": confirmed,
        "errors": errors,
        "latest": publish_store.latest_number(workspace),
        "release": publish_store.current_release()[0],
        "is_public": publish_store.is_public(workspace),
    }
    return page(request, workspace, T + "publish.html", context, status, SECTION)


@workspace_view(change=Role.OWNER)  # type: ignore[arg-type]
@require_http_methods(["GET", "HEAD", "POST"])
def plan_publish(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    if request.method != "POST":
        return _publish_page(request, workspace, {})
    after = request.POST.get("after", "")
    try:
        version = publish_store.publish(
            workspace,
            request.user,
            set(request.POST.getlist("confirm")),
            after=int(after) if after.isdigit() else None,
        )
    except publish_store.PublishRefused as refused:
        return _publish_page(request, workspace, refused.errors, 400)
    messages.success(request, f"Version {version.number} of the plan is published.")
    return redirect("workspace:plan_version", workspace.slug, version.number)


def embed_snippet(request: HttpRequest, workspace: Workspace) -> str:
    src = request.build_absolute_uri(reverse("public:plan_embed", args=[workspace.slug]))
    return (
        f'<iframe src="{src}" title="Progress of {workspace.name}" width="100%" '
        'height="360" loading="lazy"></iframe>'
    )


@workspace_view()
@require_safe
def plan_versions(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    context = {
        "versions": publish_store.versions_of(workspace),
        "is_public": publish_store.is_public(workspace),
        "public_url": request.build_absolute_uri(
            reverse("public:plan_public", args=[workspace.slug])
        ),
        "snippet": embed_snippet(request, workspace),
    }
    return page(request, workspace, T + "plan_versions.html", context, section=SECTION)


@workspace_view(change=Role.OWNER)  # type: ignore[arg-type]
@require_http_methods(["GET", "HEAD", "POST"])
def plan_public_switch(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    """The owner's switch (a POST from the versions page); a GET just goes back there."""
    if request.method != "POST":
        return redirect("workspace:plan_versions", workspace.slug)
    on = request.POST.get("public") == "on"
    if on and not PlanVersion.objects.filter(workspace=workspace).exists():
        messages.error(request, "Publish a version first: the public page shows the latest one.")
        return redirect("workspace:plan_versions", workspace.slug)
    publish_store.set_public(workspace, request.user, on)
    messages.success(
        request,
        "The public progress page is on." if on else "The public progress page is withdrawn.",
    )
    return redirect("workspace:plan_versions", workspace.slug)


def _version(workspace: Workspace, number: int) -> PlanVersion:
    found = publish_store.version_of(workspace, number)
    if found is None:
        raise Http404(f"The plan has no published version {number}.")
    return found


@workspace_view()
@require_safe
def plan_version(request: HttpRequest, workspace: Workspace, plan_number: int) -> HttpResponse:
    version = _version(workspace, plan_number)
    context = {
        "version": version,
        "frozen": ap.render_body(PlanDocument.from_dict(version.document), "technical", offset=2),
        "editions": EDITIONS,
        "formats": tuple(FORMATS),
    }
    return page(request, workspace, T + "plan_version.html", context, section=SECTION)


def plan_file(version: PlanVersion, fmt: str, edition: str) -> File:
    """A published version's document in ``fmt`` and ``edition``, from its frozen content."""
    body = ap.render(PlanDocument.from_dict(version.document), fmt, edition)  # type: ignore[arg-type]
    name = f"{version.workspace.slug}-plan-v{version.number}-{edition}.{fmt}"
    return File(body, ap.CONTENT_TYPES[fmt], name)


@workspace_view()
@require_safe
def plan_version_export(
    request: HttpRequest, workspace: Workspace, plan_number: int
) -> HttpResponse:
    version = _version(workspace, plan_number)
    fmt = request.GET.get("format", "html")
    edition = request.GET.get("edition", "technical")
    if fmt not in FORMATS or edition not in EDITIONS:
        return error_response(
            request, 400, "Bad request", f"A version comes as {', '.join(FORMATS)}, in the "
            f"{' or '.join(EDITIONS)} edition.")  # fmt: skip
    return download(plan_file(version, fmt, edition))


def _version_count(workspace: Workspace) -> int:
    return PlanVersion.objects.filter(workspace=workspace).count()


SECTION_LINKS = [
    HubLink(
        "Publish the plan",
        "plan_versions",
        "Freeze a numbered version of the Mobility Action Plan with its release and a "
        "checksum, after confirming what is still open; the public progress page and its "
        "embeddable widget show the latest one.",
        _version_count,
        "published version",
    ),
]

workspace_urls: list[URLPattern] = [
    path("<slug:slug>/measure/publish/", plan_publish, name="plan_publish"),
    path("<slug:slug>/measure/versions/", plan_versions, name="plan_versions"),
    path("<slug:slug>/measure/versions/public/", plan_public_switch, name="plan_public_switch"),
    path("<slug:slug>/measure/versions/<int:plan_number>/", plan_version, name="plan_version"),
    path(
        "<slug:slug>/measure/versions/<int:plan_number>/export/",
        plan_version_export,
        name="plan_version_export",
    ),
]

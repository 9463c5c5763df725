"""Workspace list, creation, home page, settings and activity log."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from upward.planning.coverage import assess_coverage
from upward.planning.name import name_key
from upward.planning.network import TEAM_ACTIVE
from upward.planning.readiness import RECOMMENDATION_LABELS
from upward.web.workspace import places, submission
from upward.web.workspace.access import workspace_view
from upward.web.workspace.activity import record
from upward.web.workspace.forms.workspace import WorkspaceForm
from upward.web.workspace.models import Activity, CoalitionStructure, Membership, Role, Workspace
from upward.web.workspace.readiness_store import latest_result
from upward.web.workspace.stakeholder_store import facts_for
from upward.web.workspace.views.common import FORM_PAGE, edit_versioned, page

RESERVED_SLUGS = frozenset({"new", "findings", "input", "survey", "plan", "embed", "p", "w"})
"""Slugs no workspace takes: /w/new/, and the first words of the public pages at /p/ (a
workspace's public progress page is /p/<slug>/; tests/test_plan_public.py checks that
every public page's first word is here)."""
TWIN_WINDOW = timedelta(minutes=10)
TWIN_MESSAGE = (
    "You started {name} with these places a moment ago, so no second workspace was "
    "created. Here it is; to start another, give it a different name."
)


@login_required
def workspace_list(request: HttpRequest) -> HttpResponse:
    memberships = (
        Membership.objects.filter(user=request.user)
        .select_related("workspace")
        .order_by("workspace__name")
    )
    return render(request, "workspace/list.html", {"memberships": memberships})


def unique_slug(name: str) -> str:
    base = (slugify(name) or "coalition")[:50].strip("-") or "coalition"
    if base in RESERVED_SLUGS:
        base = f"{base}-coalition"
    slug, n = base, 1
    while Workspace.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@login_required
def workspace_create(request: HttpRequest) -> HttpResponse:
    """A new workspace, created once however often the form is sent (see submission)."""
    if again := submission.repeat(request):
        return again
    form = WorkspaceForm(request.POST) if request.method == "POST" else WorkspaceForm()
    if request.method == "POST" and form.is_valid():
        twin = _just_created(request, form)
        if twin is not None:
            messages.info(request, TWIN_MESSAGE.format(name=twin.name))
            return redirect("workspace:home", slug=twin.slug)
        for attempt in range(3):
            try:
                workspace = _create(request, form)
                break
            except IntegrityError as clash:
                # A simultaneous twin of this form, or someone took the slug between the
                # check and the insert: try the next free slug.
                if attempt == 2:
                    return submission.after_clash(request, clash)
                if again := submission.repeat(request):
                    return again
        messages.success(request, f"Created {workspace.name}. You are its owner.")
        return redirect("workspace:home", slug=workspace.slug)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "once": submission.token_for(request)}
    return render(request, "workspace/create.html", context, status=status)


def _just_created(request: HttpRequest, form: WorkspaceForm) -> Workspace | None:
    """A workspace this person started moments ago with the same name and places: the
    same form sent again after going back (when the browser reloaded the form, it has a
    new one-time token, so only its content tells)."""
    since = timezone.now() - TWIN_WINDOW
    key, geoids = name_key(form.cleaned_data["name"]), form.cleaned_data["places"]
    recent = Workspace.objects.filter(created_by=request.user, created_at__gte=since)
    mine = recent.filter(memberships__user=request.user)
    return next((w for w in mine if name_key(w.name) == key and w.geoids == geoids), None)


def _create(request: HttpRequest, form: WorkspaceForm) -> Workspace:
    with transaction.atomic():
        workspace = form.save(commit=False)
        workspace.slug = unique_slug(workspace.name)
        workspace.created_by = request.user
        workspace.updated_by = request.user
        workspace.save()
        Membership.objects.create(workspace=workspace, user=request.user, role=Role.OWNER)
        CoalitionStructure.objects.create(workspace=workspace)
        record(workspace, request.user, "created the workspace", workspace.name)
        submission.claim(request, reverse("workspace:home", args=[workspace.slug]))
    return workspace


@workspace_view()
def workspace_home(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    facts = facts_for(workspace)
    coverage = assess_coverage(facts)
    structure = CoalitionStructure.objects.filter(workspace=workspace).first()
    assessment, result = latest_result(workspace)
    context = {
        "places": [places.summarize(g) for g in workspace.geoids],
        "peer_sets": [
            (peer_set, [(g, places.place_name(g)) for g in peer_set.geoids])
            for peer_set in workspace.peer_sets.all()
        ],
        "assessment": assessment,
        "result": result,
        "recommendation_label": RECOMMENDATION_LABELS[result.recommendation] if result else "",
        "stakeholder_count": len(facts),
        "active_count": sum(1 for f in facts if f.active),
        "gap_count": len(coverage.gaps),
        "predictor_gaps": [g for g in coverage.gaps if g.kind == "predictor"][:6],
        "structure": structure,
        "advisory_count": structure.advisory_members.count() if structure else 0,
        "workgroups": workspace.workgroups.all(),
        "activities": Activity.objects.filter(workspace=workspace)[:6],
        "member_count": workspace.memberships.count(),
        "network_teams": workspace.teams.filter(status=TEAM_ACTIVE).select_related(  # type: ignore[attr-defined]
            "network", "track"
        ),
    }
    return page(request, workspace, "workspace/home.html", context, section="home")


@workspace_view(role=Role.OWNER)
def workspace_settings(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    return edit_versioned(
        request,
        workspace,
        workspace,
        WorkspaceForm,
        FORM_PAGE,
        {
            "title": "Workspace settings",
            "cancel_url": reverse("workspace:home", args=[workspace.slug]),
        },
        reverse("workspace:home", args=[workspace.slug]),
        verb="changed the settings of",
    )


@workspace_view()
def activity_log(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    entries = Activity.objects.filter(workspace=workspace)
    paginator = Paginator(entries, 50)
    page_obj = paginator.get_page(request.GET.get("page"))
    return page(
        request, workspace, "workspace/activity.html", {"page_obj": page_obj}, section="activity"
    )

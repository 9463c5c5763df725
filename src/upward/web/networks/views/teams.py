"""Networks and tracks (issue 15, part 1): the list of one's networks, creating one, the
operator's pages (settings and tracks, staff, team invitations), joining by an invitation
link (staff by accepting; a coalition by its owner's consent) and the coalition's side at
/w/<slug>/network/ (see :mod:`upward.web.networks.views.team_side`).

Every change is a POST from a page's forms (with Django's CSRF token); a GET of a button's
address only goes back to its page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, URLPattern, path, reverse

from upward.planning import network as vocab
from upward.web.explorer.errors import error_response
from upward.web.networks import team_store as store
from upward.web.networks.access import network_view, staff_for
from upward.web.networks.forms import (
    JoinForm,
    NetworkCreateForm,
    NetworkSettingsForm,
    StaffInvitationForm,
    TeamInvitationForm,
    TrackForm,
    unique_network_slug,
)
from upward.web.networks.models import Network, NetworkInvitation, Staff, Team, Track
from upward.web.networks.views import team_side
from upward.web.workspace import submission
from upward.web.workspace.access import forbidden
from upward.web.workspace.tokens import InvalidInvitation, make_token, read_signed
from upward.web.workspace.versioning import StaleVersion, save_versioned

N = "<slug:slug>/"
operator = network_view(role=vocab.OPERATOR)


def network_page(
    request: HttpRequest,
    network: Network,
    template: str,
    context: dict[str, Any],
    section: str = "",
    status: int = 200,
) -> HttpResponse:
    staff = getattr(request, "staff", None)
    base = {
        "network": network,
        "staff": staff,
        "is_operator": bool(staff and staff.can(vocab.OPERATOR)),
        "section": section,
        "home_url": network_home(network, staff),
    }
    return render(request, template, {**base, **context}, status=status)


def network_home(network: Network, staff: Staff | None) -> str:
    """The network's first page for its staff: the console (when it is mounted), else
    the operator's staff page (or, for an adviser, the list of networks)."""
    try:
        return reverse("networks:console", args=[network.slug])
    except NoReverseMatch:
        if staff is not None and staff.can(vocab.OPERATOR):
            return reverse("networks:staff", args=[network.slug])
        return reverse("networks:list")


def link_for(request: HttpRequest, invitation: NetworkInvitation) -> str:
    token = make_token(invitation, salt=store.SALT)
    return request.build_absolute_uri(reverse("networks:join", args=[token]))


def button(model: type, back: str, key: str) -> Callable[[Callable[..., HttpResponse]], Any]:
    """An operator's button acting on one ``model`` row of the network (else 404); a GET
    goes back to the page ``back``."""

    def decorate(view: Callable[..., HttpResponse]) -> Any:
        @operator
        @wraps(view)
        def wrapped(request: HttpRequest, network: Network, **kwargs: int) -> HttpResponse:
            target = get_object_or_404(model, network=network, pk=kwargs[key])
            if request.method != "POST":
                return redirect(f"networks:{back}", network.slug)
            return view(request, network, target)

        return wrapped

    return decorate


# --- the list and a new network -------------------------------------------------------


@login_required
def network_list(request: HttpRequest) -> HttpResponse:
    staff = Staff.objects.filter(user=request.user).select_related("network")
    teams = (
        Team.objects.filter(status=vocab.TEAM_ACTIVE, workspace__memberships__user=request.user)
        .select_related("network", "workspace", "track")
        .order_by("network__name", "workspace__name")
    )
    rows = [(s, network_home(s.network, s)) for s in staff]
    return render(request, "networks/list.html", {"staff_rows": rows, "teams": teams})


@login_required
def network_create(request: HttpRequest) -> HttpResponse:
    if again := submission.repeat(request):
        return again
    form = NetworkCreateForm(request.POST) if request.method == "POST" else NetworkCreateForm()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            with transaction.atomic():
                network = store.create_network(
                    request.user,
                    data["name"],
                    data["slug"] or unique_network_slug(data["name"]),
                    data["description"].strip(),
                    data["tracks"],
                )
                submission.claim(request, reverse("networks:settings", args=[network.slug]))
        except IntegrityError:  # a twin of this form, or the address taken meanwhile
            if again := submission.repeat(request):
                return again
            form.add_error("slug", "Another network took this address a moment ago.")
        else:
            messages.success(request, f"Created {network.name}. You are its operator.")
            return redirect("networks:settings", network.slug)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "once": submission.token_for(request)}
    return render(request, "networks/create.html", context, status=status)


# --- settings and tracks --------------------------------------------------------------


def _settings_context(network: Network, **forms: Any) -> dict[str, Any]:
    tracks = store.tracks_with_counts(network)
    return {
        "form": forms.get("form") or NetworkSettingsForm(instance=network),
        "tracks": [
            (t, forms.get(f"t{t.pk}") or TrackForm(instance=t, network=network, prefix=f"t{t.pk}"))
            for t in tracks
        ],
        "track_form": forms.get("track_form") or TrackForm(network=network, prefix="new"),
        "removable": {t.pk: not store.track_refusal(t) for t in tracks},
    }


@operator
def network_settings(request: HttpRequest, network: Network) -> HttpResponse:
    template = "networks/settings.html"
    if request.method != "POST":
        return network_page(request, network, template, _settings_context(network), "settings")
    form = NetworkSettingsForm(request.POST, instance=network)
    if not form.is_valid():
        context = _settings_context(network, form=form)
        return network_page(request, network, template, context, "settings", 400)
    try:
        save_versioned(form, form.cleaned_data["version"], request.user)
    except StaleVersion:
        messages.error(request, "Not saved: someone changed the settings meanwhile. Here they are.")
        return redirect("networks:settings", network.slug)
    messages.success(request, "Saved the network's settings.")
    return redirect("networks:settings", network.slug)


@operator
def track_add(request: HttpRequest, network: Network) -> HttpResponse:
    if request.method != "POST":
        return redirect("networks:settings", network.slug)
    form = TrackForm(request.POST, network=network, prefix="new")
    if not form.is_valid():
        context = _settings_context(network, track_form=form)
        return network_page(request, network, "networks/settings.html", context, "settings", 400)
    data = form.cleaned_data
    try:
        track = store.add_track(network, data["name"], request.user, data["description"])
    except IntegrityError:
        messages.error(request, "Another track was added with this name a moment ago.")
        return redirect("networks:settings", network.slug)
    messages.success(request, f"Added the track {track.name}.")
    return redirect("networks:settings", network.slug)


@button(Track, "settings", "track_id")
def track_edit(request: HttpRequest, network: Network, track: Track) -> HttpResponse:
    form = TrackForm(request.POST, instance=track, network=network, prefix=f"t{track.pk}")
    if not form.is_valid():
        context = _settings_context(network, **{f"t{track.pk}": form})
        return network_page(request, network, "networks/settings.html", context, "settings", 400)
    try:
        with transaction.atomic():
            track = save_versioned(form, form.cleaned_data["version"], request.user)  # type: ignore[assignment]
            Track.objects.filter(pk=track.pk).update(
                slug=store.track_slug(network, track.name, exclude=track.pk)
            )
    except StaleVersion:
        messages.error(request, "Not renamed: someone changed this track meanwhile.")
        return redirect("networks:settings", network.slug)
    messages.success(request, f"Saved the track {track.name}.")
    return redirect("networks:settings", network.slug)


@button(Track, "settings", "track_id")
def track_move(request: HttpRequest, network: Network, track: Track) -> HttpResponse:
    step = {"up": -1, "down": 1}.get(request.POST.get("direction", ""))
    if step is None:
        return error_response(request, 400, "Bad request", "Move a track up or down.")
    store.move_track(track, step)
    messages.success(request, f"Moved {track.name} {request.POST['direction']}.")
    return redirect("networks:settings", network.slug)


@button(Track, "settings", "track_id")
def track_remove(request: HttpRequest, network: Network, track: Track) -> HttpResponse:
    with transaction.atomic():
        refusal = store.track_refusal(track)
        if not refusal:
            track.delete()
    if refusal:
        messages.error(request, refusal)
    else:
        messages.success(request, f"Removed the track {track.name}.")
    return redirect("networks:settings", network.slug)


# --- staff ----------------------------------------------------------------------------


def _links(request: HttpRequest, network: Network, kind: str) -> list[tuple[Any, str]]:
    return [(inv, link_for(request, inv)) for inv in store.open_invitations(network, kind)]


def _staff_context(request: HttpRequest, network: Network, form: Any) -> dict[str, Any]:
    return {
        "members": network.staff.select_related("user"),  # type: ignore[attr-defined]
        "operator_count": network.staff.filter(role=vocab.OPERATOR).count(),  # type: ignore[attr-defined]
        "form": form,
        "invitations": _links(request, network, NetworkInvitation.STAFF),
        "once": submission.token_for(request),
    }


@operator
def staff_list(request: HttpRequest, network: Network) -> HttpResponse:
    context = _staff_context(request, network, StaffInvitationForm())
    context["new_link"] = request.session.pop("new_network_link", None)
    return network_page(request, network, "networks/staff.html", context, "staff")


def _invite(
    request: HttpRequest, network: Network, form: Any, kind: str, back: str, **fields: Any
) -> HttpResponse:
    """Create an invitation link once (the form's one-time token) and show it on ``back``."""
    try:
        with transaction.atomic():
            invitation = store.create_invitation(network, request.user, kind, **fields)
            submission.claim(request, reverse(f"networks:{back}", args=[network.slug]))
    except IntegrityError as clash:
        return submission.after_clash(request, clash)
    request.session["new_network_link"] = link_for(request, invitation)
    messages.success(request, "Invitation link created. Copy it and send it to whom it is for.")
    return redirect(f"networks:{back}", network.slug)


@operator
def staff_invite(request: HttpRequest, network: Network) -> HttpResponse:
    if request.method != "POST":
        return redirect("networks:staff", network.slug)
    if again := submission.repeat(request):
        return again
    form = StaffInvitationForm(request.POST)
    if not form.is_valid():
        context = _staff_context(request, network, form)
        return network_page(request, network, "networks/staff.html", context, "staff", 400)
    data = form.cleaned_data
    return _invite(
        request, network, form, NetworkInvitation.STAFF, "staff", role=data["role"],
        note=data["note"],
    )  # fmt: skip


@button(Staff, "staff", "staff_id")
def staff_remove(request: HttpRequest, network: Network, member: Staff) -> HttpResponse:
    with transaction.atomic():
        refusal = store.staff_refusal(member)
        if refusal:
            return forbidden(request, refusal)
        member.delete()
    name = member.user.get_username()
    messages.success(request, f"Removed {name} from the network's staff.")
    if member.user_id == request.user.pk:
        return redirect("networks:list")
    return redirect("networks:staff", network.slug)


# --- team invitations -----------------------------------------------------------------


@operator
def invitations(request: HttpRequest, network: Network) -> HttpResponse:
    """GET lists the team invitation links; POST creates one."""
    form = TeamInvitationForm(network=network)
    status = 200
    if request.method == "POST":
        if again := submission.repeat(request):
            return again
        form = TeamInvitationForm(request.POST, network=network)
        if form.is_valid():
            data = form.cleaned_data
            return _invite(
                request, network, form, NetworkInvitation.TEAM, "invitations",
                track=data["track"], note=data["note"],
            )  # fmt: skip
        status = 400
    used = network.invitations.filter(kind=NetworkInvitation.TEAM).exclude(  # type: ignore[attr-defined]
        pk__in=[inv.pk for inv in store.open_invitations(network, NetworkInvitation.TEAM)]
    )
    context = {
        "form": form,
        "invitations": _links(request, network, NetworkInvitation.TEAM),
        "closed": used.select_related("accepted_by", "track")[:50],
        "new_link": request.session.pop("new_network_link", None) if status == 200 else None,
        "once": submission.token_for(request),
    }
    return network_page(
        request, network, "networks/invitations.html", context, "invitations", status
    )


@operator
def invitation_revoke(request: HttpRequest, network: Network, invitation_id: int) -> HttpResponse:
    invitation = get_object_or_404(NetworkInvitation, network=network, pk=invitation_id)
    back = "staff" if invitation.kind == NetworkInvitation.STAFF else "invitations"
    if request.method != "POST":
        return redirect(f"networks:{back}", network.slug)
    store.revoke_invitation(invitation)
    messages.success(request, "Invitation withdrawn; the link no longer works.")
    return redirect(f"networks:{back}", network.slug)


# --- joining --------------------------------------------------------------------------


@login_required
def join(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = read_signed(
            token, NetworkInvitation, store.SALT, ("network", "track"), store.ISSUER
        )
    except InvalidInvitation as exc:
        return error_response(request, exc.status, exc.title, exc.message)
    if invitation.kind == NetworkInvitation.STAFF:
        return _join_staff(request, invitation)
    return _join_team(request, invitation)


def _join_staff(request: HttpRequest, invitation: NetworkInvitation) -> HttpResponse:
    network = invitation.network
    existing = staff_for(request.user, network)
    if request.method == "POST" and existing is None:
        staff = store.accept_staff(invitation, request.user)
        if staff is None:
            return error_response(
                request, 410, "Invitation already used", "Someone used this link a moment ago."
            )
        messages.success(
            request, f"You joined {network.name} as {staff.get_role_display().lower()}."
        )
        return redirect(network_home(network, staff))
    context = {"invitation": invitation, "network": network, "existing": existing}
    return render(request, "networks/join_staff.html", context)


def _join_team(request: HttpRequest, invitation: NetworkInvitation) -> HttpResponse:
    network = invitation.network
    owned = store.owned_workspaces(request.user)
    active = store.active_workspace_ids(network)
    make = JoinForm if owned.exists() else None
    form = None
    status = 200
    if make is not None:
        initial = {"track": invitation.track_id}
        if owned.count() == 1:
            initial["workspace"] = owned.first().pk  # type: ignore[union-attr]
        form = make(network=network, owned=owned, active=active, initial=initial)
        if request.method == "POST":
            form = make(request.POST, network=network, owned=owned, active=active)
            if form.is_valid():
                workspace = form.cleaned_data["workspace"]
                team = store.join(invitation, request.user, workspace, form.cleaned_data["track"])
                if team is not None:
                    messages.success(
                        request, f"{workspace.name} joined {network.name} in {team.track.name}."
                    )
                    return redirect("workspace:network", workspace.slug)
                return error_response(
                    request,
                    410,
                    "Invitation already used",
                    "This link was used a moment ago, or the workspace joined meanwhile; "
                    "nothing was shared. Ask the network's operator for a new link.",
                )
            status = 400
    context = {
        "invitation": invitation,
        "network": network,
        "form": form,
        "others": store.other_memberships(request.user),
        "already": [w for w in owned if w.pk in active],
    }
    return render(request, "networks/join_team.html", context, status=status)


network_urls: list[URLPattern] = [
    path("", network_list, name="list"),
    path("new/", network_create, name="create"),
    path("join/<str:token>/", join, name="join"),
    path(N + "settings/", network_settings, name="settings"),
    path(N + "settings/tracks/new/", track_add, name="track_add"),
    path(N + "settings/tracks/<int:track_id>/", track_edit, name="track_edit"),
    path(N + "settings/tracks/<int:track_id>/move/", track_move, name="track_move"),
    path(N + "settings/tracks/<int:track_id>/remove/", track_remove, name="track_remove"),
    path(N + "staff/", staff_list, name="staff"),
    path(N + "staff/invite/", staff_invite, name="staff_invite"),
    path(N + "staff/<int:staff_id>/remove/", staff_remove, name="staff_remove"),
    path(N + "invitations/", invitations, name="invitations"),
    path(
        N + "invitations/<int:invitation_id>/revoke/", invitation_revoke, name="invitation_revoke"
    ),
]
"""Routes under /n/ (namespace "networks")."""
workspace_urls: list[URLPattern] = team_side.workspace_urls
"""Routes under /w/<slug:slug>/network/ (namespace "workspace")."""

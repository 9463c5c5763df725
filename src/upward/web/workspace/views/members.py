"""Members and invitations (owners only, except the list, which every member sees).

Every change (invite, change a role, remove, withdraw) is a POST from the members page's
forms, with Django's CSRF token; a GET of those addresses only goes back to the page."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import wraps
from typing import TypeVar

from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone

from upward.web.workspace import submission
from upward.web.workspace.access import View, forbidden, workspace_view
from upward.web.workspace.activity import record
from upward.web.workspace.forms.workspace import InvitationForm, MemberRoleForm
from upward.web.workspace.models import (
    Invitation,
    Membership,
    Role,
    Workspace,
    role_with_article,
)
from upward.web.workspace.tokens import default_expiry, make_token, new_nonce
from upward.web.workspace.versioning import StaleVersion, claim_version
from upward.web.workspace.views.common import page

M = TypeVar("M", Invitation, Membership)
Button = Callable[[HttpRequest, Workspace, M], HttpResponse]


def _members_url(workspace: Workspace) -> str:
    return reverse("workspace:members", args=[workspace.slug])


def members_button(model: type[M]) -> Callable[[Button[M]], View]:
    """An owner's button on the members page, acting on one ``model`` record of the
    workspace: the record (or 404) is passed to the view; a request that is not a POST
    (the page's forms carry Django's CSRF token) only goes back to the members page."""

    def decorate(view: Button[M]) -> View:
        @workspace_view(role=Role.OWNER)
        @wraps(view)
        def button(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
            target = get_object_or_404(model, workspace=workspace, pk=pk)
            if request.method != "POST":
                return redirect(_members_url(workspace))
            return view(request, workspace, target)

        return button

    return decorate


def _rows(memberships: Iterable[Membership]) -> list[tuple[Membership, MemberRoleForm | None]]:
    """Each member with a role form, or None for the only owner: a workspace keeps at least
    one owner, so that owner can be neither demoted nor removed (the views refuse it too)."""
    memberships = list(memberships)
    only_owner = sum(m.role == Role.OWNER for m in memberships) == 1
    return [
        (
            m,
            None
            if only_owner and m.role == Role.OWNER
            else MemberRoleForm(instance=m, prefix=f"m{m.pk}"),
        )
        for m in memberships
    ]


@workspace_view()
def members(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    rows = workspace.memberships.select_related("user").order_by("user__username")
    is_owner = request.membership.can(Role.OWNER)  # type: ignore[attr-defined]
    invitations = []
    if is_owner:
        now = timezone.now()
        for inv in workspace.invitations.filter(
            accepted_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now
        ):
            url = request.build_absolute_uri(reverse("accept_invitation", args=[make_token(inv)]))
            invitations.append((inv, url))
    context = {
        "rows": _rows(rows),
        "invitations": invitations,
        "invite_form": InvitationForm(),
        "once": submission.token_for(request),
        "new_link": request.session.pop("new_invitation_link", None),
    }
    return page(request, workspace, "workspace/members.html", context, section="members")


@workspace_view(role=Role.OWNER)
def invite(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    if request.method != "POST":
        return redirect(_members_url(workspace))
    if again := submission.repeat(request):
        return again
    form = InvitationForm(request.POST)
    if not form.is_valid():
        rows = workspace.memberships.select_related("user").order_by("user__username")
        context = {
            "rows": _rows(rows),
            "invitations": [],
            "invite_form": form,
            "once": submission.token_for(request),
        }
        return page(request, workspace, "workspace/members.html", context, status=400)
    try:
        invitation = _create_invitation(request, workspace, form.cleaned_data)
    except IntegrityError as clash:  # a simultaneous twin of this form was first
        return submission.after_clash(request, clash)
    link = request.build_absolute_uri(reverse("accept_invitation", args=[make_token(invitation)]))
    request.session["new_invitation_link"] = link
    messages.success(
        request, "Invitation link created. Copy it and send it to the person you invite."
    )
    return redirect(_members_url(workspace))


def _create_invitation(
    request: HttpRequest, workspace: Workspace, data: dict[str, str]
) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.create(
            workspace=workspace,
            role=data["role"],
            note=data["note"],
            nonce=new_nonce(),
            created_by=request.user,
            expires_at=default_expiry(),
        )
        record(
            workspace,
            request.user,
            "created an invitation link for",
            role_with_article(invitation.role),
        )
        submission.claim(request, _members_url(workspace))
    return invitation


@members_button(Invitation)
def revoke_invitation(
    request: HttpRequest, workspace: Workspace, invitation: Invitation
) -> HttpResponse:
    with transaction.atomic():
        Invitation.objects.filter(pk=invitation.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        record(
            workspace,
            request.user,
            "withdrew an invitation link for",
            role_with_article(invitation.role),
        )
    messages.success(request, "Invitation withdrawn; the link no longer works.")
    return redirect(_members_url(workspace))


@members_button(Membership)
def change_role(request: HttpRequest, workspace: Workspace, membership: Membership) -> HttpResponse:
    username = membership.user.get_username()
    form = MemberRoleForm(request.POST, instance=membership, prefix=f"m{membership.pk}")
    if not form.is_valid():
        messages.error(request, "Choose owner, editor or viewer.")
        return redirect(_members_url(workspace))
    new_role = form.cleaned_data["role"]
    try:
        with transaction.atomic():
            # Lock the owners so two owners cannot demote each other at the same moment.
            owners = {
                m.pk
                for m in Membership.objects.select_for_update().filter(
                    workspace=workspace, role=Role.OWNER
                )
            }
            if new_role != Role.OWNER and owners == {membership.pk}:
                return forbidden(
                    request,
                    "A workspace needs at least one owner. Make someone else an owner first.",
                )
            claim_version(Membership, membership.pk, form.cleaned_data["version"])
            Membership.objects.filter(pk=membership.pk).update(
                role=new_role, updated_by=request.user
            )
            record(workspace, request.user, "changed the role of", username, f"to {new_role}")
    except StaleVersion:
        messages.error(
            request,
            "Not changed: someone else changed this member's role meanwhile. "
            "Here is the current role.",
        )
        return redirect(_members_url(workspace))
    messages.success(request, f"{username} is now {role_with_article(new_role)}.")
    return redirect(_members_url(workspace))


@members_button(Membership)
def remove_member(
    request: HttpRequest, workspace: Workspace, membership: Membership
) -> HttpResponse:
    with transaction.atomic():
        # Lock the owners so two owners cannot remove each other at the same moment.
        owners = list(
            Membership.objects.select_for_update().filter(workspace=workspace, role=Role.OWNER)
        )
        if membership.role == Role.OWNER and len(owners) <= 1:
            return forbidden(
                request, "The last owner cannot be removed. Make someone else an owner first."
            )
        membership.delete()
        record(
            workspace, request.user, "removed", membership.user.get_username(), "from the workspace"
        )
    messages.success(request, f"Removed {membership.user.get_username()}.")
    if membership.user_id == request.user.pk:
        return redirect("workspace:list")
    return redirect(_members_url(workspace))

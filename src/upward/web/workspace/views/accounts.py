"""Accounts: sign up, throttled sign in, and the invitation landing page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.views import LoginView
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from upward.web.explorer.errors import error_response
from upward.web.workspace.activity import record
from upward.web.workspace.forms.accounts import SignUpForm, ThrottledAuthenticationForm
from upward.web.workspace.models import Invitation, Membership, role_with_article
from upward.web.workspace.tokens import InvalidInvitation, claim, read_token


class SignInView(LoginView):
    authentication_form = ThrottledAuthenticationForm
    template_name = "registration/login.html"
    redirect_authenticated_user = True
    next_page = "workspace:list"


def _safe_next(request: HttpRequest, default: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def sign_up(request: HttpRequest) -> HttpResponse:
    if request.user.is_authenticated:
        return redirect(_safe_next(request, reverse("workspace:list")))
    form = SignUpForm(request.POST) if request.method == "POST" else SignUpForm()
    status = 200
    if request.method == "POST":
        if form.is_valid():
            user = form.save()
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(request, f"Welcome, {user.get_username()}. Your account is ready.")
            return redirect(_safe_next(request, reverse("workspace:list")))
        status = 400
    return render(
        request,
        "registration/signup.html",
        {"form": form, "next": _safe_next(request, "")},
        status=status,
    )


def accept_invitation(request: HttpRequest, token: str) -> HttpResponse:
    try:
        invitation = read_token(token)
    except InvalidInvitation as exc:
        return error_response(request, exc.status, exc.title, exc.message)
    workspace = invitation.workspace
    existing = (
        Membership.objects.filter(workspace=workspace, user=request.user).first()
        if request.user.is_authenticated
        else None
    )
    if request.method == "POST" and request.user.is_authenticated and existing is None:
        if _accept(request, invitation):
            messages.success(request, f"You joined {workspace.name}.")
            return redirect("workspace:home", slug=workspace.slug)
        return error_response(
            request, 410, "Invitation already used", "Someone used this link a moment ago."
        )
    return render(
        request,
        "registration/invitation.html",
        {
            "invitation": invitation,
            "workspace": workspace,
            "existing": existing,
            "role_label": invitation.get_role_display(),
            "role_phrase": role_with_article(invitation.role),
            "path": request.get_full_path(),
        },
    )


def _accept(request: HttpRequest, invitation: Invitation) -> bool:
    """Use the invitation once: the conditional update stops two people using one link."""
    try:
        with transaction.atomic():
            if not claim(invitation, request.user):
                return False
            Membership.objects.create(
                workspace=invitation.workspace, user=request.user, role=invitation.role
            )
            record(
                invitation.workspace,
                request.user,
                "joined as",
                role_with_article(invitation.role),
                "through an invitation link",
            )
    except IntegrityError:
        return False
    return True

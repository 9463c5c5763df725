"""Sign-up and throttled sign-in forms."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)
from django.http import HttpRequest

from upward.web.workspace import throttle
from upward.web.workspace.forms.base import UswdsMixin


class SignUpForm(UswdsMixin, UserCreationForm):
    email = forms.EmailField(
        help_text="Used only to reset your password.",
        max_length=254,
    )

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")

    def clean_email(self) -> str:
        email = self.cleaned_data["email"].strip()
        if get_user_model().objects.filter(email__iexact=email).exists():
            raise forms.ValidationError("An account with this email address already exists.")
        return email


LOCKED_MESSAGE = (
    "Too many failed sign-in attempts for this username. For your security, "
    "sign-in is paused for %(minutes)s more minute(s). You can reset your password "
    "meanwhile."
)


class ThrottleMixin:
    """Refuses to check passwords for a while after repeated failures (see throttle).

    Mixed into the site's sign-in form and the admin's, so both count the same failures
    (per username and address) and both refuse even the right password while locked. Only
    a wrong username or password counts; the admin's refusal of a person without staff
    rights does not.
    """

    request: HttpRequest | None
    cleaned_data: dict[str, Any]
    user_cache: Any

    def _locked(self, until: datetime) -> forms.ValidationError:
        return forms.ValidationError(
            LOCKED_MESSAGE, code="locked", params={"minutes": throttle.minutes_left(until)}
        )

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = throttle.client_ip(self.request)
        until = throttle.locked_until(username, ip)
        if until is not None:
            raise self._locked(until)
        try:
            cleaned = super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            if username and self.user_cache is None:
                until = throttle.record_failure(username, ip)
                if until is not None:
                    raise self._locked(until) from None
            raise
        throttle.clear(username, ip)
        return cleaned


class ThrottledAuthenticationForm(ThrottleMixin, UswdsMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottleMixin, AdminAuthenticationForm):
    pass


class StyledPasswordChangeForm(UswdsMixin, PasswordChangeForm):
    pass


class StyledPasswordResetForm(UswdsMixin, PasswordResetForm):
    pass


class StyledSetPasswordForm(UswdsMixin, SetPasswordForm):
    """The new password of a completed reset; proving the mailbox also lifts the lockout."""

    def save(self, commit: bool = True) -> Any:
        user = super().save(commit)
        if commit:
            throttle.clear_account(user.get_username())
        return user

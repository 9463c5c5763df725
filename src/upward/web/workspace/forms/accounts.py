"""Sign-up and throttled sign-in forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import (
    AuthenticationForm,
    PasswordChangeForm,
    PasswordResetForm,
    SetPasswordForm,
    UserCreationForm,
)

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


class ThrottledAuthenticationForm(UswdsMixin, AuthenticationForm):
    """Refuses to check passwords for a while after repeated failures (see throttle)."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "locked": (
            "Too many failed sign-in attempts for this username. For your security, "
            "sign-in is paused for %(minutes)s more minute(s). You can reset your password "
            "meanwhile."
        ),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = throttle.client_ip(self.request)
        until = throttle.locked_until(username, ip)
        if until is not None:
            raise forms.ValidationError(
                self.error_messages["locked"],
                code="locked",
                params={"minutes": throttle.minutes_left(until)},
            )
        try:
            cleaned = super().clean()
        except forms.ValidationError:
            if username:
                until = throttle.record_failure(username, ip)
                if until is not None:
                    raise forms.ValidationError(
                        self.error_messages["locked"],
                        code="locked",
                        params={"minutes": throttle.minutes_left(until)},
                    ) from None
            raise
        throttle.clear(username, ip)
        return cleaned


class StyledPasswordChangeForm(UswdsMixin, PasswordChangeForm):
    pass


class StyledPasswordResetForm(UswdsMixin, PasswordResetForm):
    pass


class StyledSetPasswordForm(UswdsMixin, SetPasswordForm):
    pass

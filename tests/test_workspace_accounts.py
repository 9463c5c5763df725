"""Accounts: sign up with password rules, throttled sign in, password change and reset."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from workspace_support import PASSWORD, make_user

from upward.web.workspace.models import LoginAttempt

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]


def sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_sign_up_signs_in_and_goes_to_workspaces(client: Client) -> None:
    response = client.post(
        reverse("signup"),
        {
            "username": "amara",
            "email": "amara@example.org",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302 and response["Location"] == reverse("workspace:list")
    assert client.get(reverse("workspace:list")).status_code == 200
    assert get_user_model().objects.get(username="amara").email == "amara@example.org"


def test_sign_up_enforces_password_rules_per_field(client: Client) -> None:
    make_user("taken")
    response = client.post(
        reverse("signup"),
        {
            "username": "taken",
            "email": "bad-address",
            "password1": "password",
            "password2": "password",
        },
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "username" in errors and "email" in errors
    assert any("too common" in e for e in errors["password2"])
    assert 'aria-invalid="true"' in response.content.decode()


def test_sign_up_follows_a_safe_next_only(client: Client) -> None:
    data = {
        "username": "ben",
        "email": "ben@example.org",
        "password1": PASSWORD,
        "password2": PASSWORD,
        "next": "https://evil.example/",
    }
    assert client.post(reverse("signup"), data)["Location"] == reverse("workspace:list")
    other = Client()
    data.update(username="bea", email="bea@example.org", next="/accounts/invitation/abc/")
    assert other.post(reverse("signup"), data)["Location"] == "/accounts/invitation/abc/"


def test_sign_in_and_out(client: Client) -> None:
    make_user("carla")
    assert sign_in(client, "carla", PASSWORD)["Location"] == reverse("workspace:list")
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert client.get(reverse("workspace:list")).status_code == 302


def test_lockout_after_repeated_failures(client: Client) -> None:
    make_user("dana")
    for _ in range(4):
        response = sign_in(client, "dana", "wrong")
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.content.decode()
    response = sign_in(client, "dana", "wrong")  # the fifth failure locks
    assert "sign-in is paused for 15 more minute(s)" in response.content.decode()
    # even the right password is refused while locked, from any server process
    response = sign_in(Client(), "DANA", PASSWORD)
    assert response.status_code == 200 and "paused" in response.content.decode()
    assert "_auth_user_id" not in client.session
    # another address is counted separately
    assert sign_in(Client(), "dana", PASSWORD, ip="10.0.0.2").status_code == 302
    # once the lock has passed, the right password works and clears the counter
    LoginAttempt.objects.update(locked_until=timezone.now() - timedelta(seconds=1))
    assert sign_in(client, "dana", PASSWORD).status_code == 302
    assert not LoginAttempt.objects.filter(username="dana", ip="10.0.0.1").exists()


def test_old_failures_are_forgotten(client: Client) -> None:
    make_user("eli")
    for _ in range(4):
        sign_in(client, "eli", "wrong")
    LoginAttempt.objects.update(first_failure_at=timezone.now() - timedelta(minutes=16))
    sign_in(client, "eli", "wrong")  # starts a new window: 1 failure
    assert LoginAttempt.objects.get(username="eli").failures == 1
    assert sign_in(client, "eli", PASSWORD).status_code == 302


def test_password_change(client: Client) -> None:
    user = make_user("fay")
    client.force_login(user)
    response = client.post(
        reverse("password_change"),
        {"old_password": "nope", "new_password1": "short", "new_password2": "short"},
    )
    assert response.status_code == 200
    assert {"old_password", "new_password2"} <= set(response.context["form"].errors)
    new = "Another-Long-Passphrase-7"
    response = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new, "new_password2": new},
    )
    assert response["Location"] == reverse("password_change_done")
    user.refresh_from_db()
    assert user.check_password(new)


def test_password_reset_by_email(client: Client) -> None:
    user = make_user("gus")
    response = client.post(reverse("password_reset"), {"email": "gus@example.org"})
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Reset your Upward password"
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    new = "Fresh-Start-Passphrase-9"
    response = client.post(form_url, {"new_password1": new, "new_password2": new})
    assert response["Location"] == reverse("password_reset_complete")
    user.refresh_from_db()
    assert user.check_password(new)
    assert "no longer works" in client.get(link, follow=True).content.decode()


def test_account_pages_render(client: Client) -> None:
    for name in (
        "login",
        "signup",
        "password_reset",
        "password_reset_done",
        "password_reset_complete",
    ):
        assert client.get(reverse(name)).status_code == 200


def admin_sign_in(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("admin:login"),
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=ip,
    )


def make_operator(username: str):
    user = make_user(username)
    user.is_staff = user.is_superuser = True
    user.save()
    return user


def test_admin_sign_in_is_throttled_like_the_site(client: Client) -> None:
    """Wrong passwords at /admin/login/ count, and lock the admin as well as the site."""
    make_operator("root")
    for _ in range(5):
        response = admin_sign_in(client, "root", "wrong")
        assert response.status_code == 200
    assert "paused" in response.content.decode()
    response = admin_sign_in(Client(), "root", PASSWORD)  # even the right password
    assert response.status_code == 200 and "paused" in response.content.decode()
    assert "paused" in sign_in(Client(), "root", PASSWORD).content.decode()
    assert admin_sign_in(Client(), "root", PASSWORD, ip="10.0.0.2")["Location"] == "/admin/"


def test_site_lockout_holds_at_the_admin(client: Client) -> None:
    make_operator("ops")
    for _ in range(5):
        sign_in(client, "ops", "wrong")
    response = admin_sign_in(Client(), "ops", PASSWORD)
    assert response.status_code == 200 and "paused" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_a_non_operator_with_the_right_password_is_not_counted(client: Client) -> None:
    """The admin refuses a person without staff rights, but that is no failed password."""
    make_user("nina")
    for _ in range(6):
        assert admin_sign_in(client, "nina", PASSWORD).status_code == 200
    assert not LoginAttempt.objects.filter(username="nina").exists()


def test_a_completed_password_reset_lifts_the_lockout(client: Client) -> None:
    user = make_user("hal")
    for ip in ("10.0.0.1", "10.0.0.9"):
        for _ in range(5):
            sign_in(client, "hal", "wrong", ip=ip)
    assert "paused" in sign_in(Client(), "hal", PASSWORD).content.decode()
    client.post(reverse("password_reset"), {"email": user.email})
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    new = "Second-Chance-Passphrase-4"
    response = client.post(
        client.get(link)["Location"], {"new_password1": new, "new_password2": new}
    )
    assert response["Location"] == reverse("password_reset_complete")
    assert not LoginAttempt.objects.filter(username="hal").exists()
    for ip in ("10.0.0.1", "10.0.0.9"):
        assert sign_in(Client(), "hal", new, ip=ip).status_code == 302

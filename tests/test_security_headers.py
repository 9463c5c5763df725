"""Security headers: the Content-Security-Policy and Permissions-Policy everywhere, HSTS and
the HTTPS redirect in production, and `manage.py check --deploy` clean in production.

Production settings are read in a fresh interpreter (settings.py decides them at import,
from UPWARD_ENV), which also answers a page, an API route and a static file through
Django's test client. Marked ``db`` so scripts/test.sh runs it on PostgreSQL too.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

from upward.web import config
from upward.web.security_headers import CSP_HEADER

pytestmark = pytest.mark.db

HOST = "upward.example"
YEAR = 365 * 24 * 3600
ROUTES = {"page": "/", "api": "/api/health", "static": "/static/upward/site.css"}
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
    "form-action 'self'; frame-ancestors 'none'"
)
# Serves static files from the package (production's manifest needs a minute-long
# collectstatic); every security setting stays production's.
PROBE = """
import json, sys
import django
django.setup()
from django.test import Client, override_settings

plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
with override_settings(WHITENOISE_USE_FINDERS=True, STORAGES={"staticfiles": plain}):
    client = Client(HTTP_HOST=sys.argv[1])
    out = {}
    for name, path in json.loads(sys.argv[2]).items():
        response = client.get(path, secure=True)
        out[name] = {"status": response.status_code, **dict(response.headers)}
    insecure = client.get("/", secure=False)
    out["http"] = {"status": insecure.status_code, **dict(insecure.headers)}
print(json.dumps(out))
"""


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("UPWARD_", "DJANGO_"))}
    env.update(
        UPWARD_ENV="production",
        UPWARD_HOME=str(tmp_path / "home"),
        SECRET_KEY="k" * 20 + "-production-probe-" + "q" * 20,
        ALLOWED_HOSTS=HOST,
        DJANGO_SETTINGS_MODULE="upward.web.settings",
        **extra,
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *args], env=env, capture_output=True, text=True, timeout=300
    )


def test_the_policy_allows_only_our_own_origin() -> None:
    assert CSP_HEADER == CSP
    assert "unsafe" not in CSP_HEADER


def test_check_deploy_is_clean_in_production(tmp_path: Path) -> None:
    done = run(
        ["-m", "django", "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert done.returncode == 0, done.stdout + done.stderr
    assert "System check identified no issues (0 silenced)." in done.stdout


def test_production_headers_on_a_page_an_api_route_and_a_static_file(
    tmp_path: Path, fixture_warehouse_path: Path
) -> None:
    env = production_env(tmp_path, UPWARD_WAREHOUSE=str(fixture_warehouse_path))
    done = run(["-c", PROBE, HOST, json.dumps(ROUTES)], env)
    assert done.returncode == 0, done.stderr
    answers = json.loads(done.stdout.strip().splitlines()[-1])
    for name in ROUTES:
        headers = answers[name]
        assert headers["status"] == 200, (name, headers)
        assert headers["Content-Security-Policy"] == CSP, name
        assert headers["Permissions-Policy"].startswith("accelerometer=(), camera=()"), name
        assert "geolocation=()" in headers["Permissions-Policy"], name
        assert headers["Strict-Transport-Security"] == (
            f"max-age={YEAR}; includeSubDomains; preload"
        ), name
        assert headers["X-Content-Type-Options"] == "nosniff", name
        assert headers["Referrer-Policy"] == "same-origin", name
        assert headers["Cross-Origin-Opener-Policy"] == "same-origin", name
    assert answers["page"]["X-Frame-Options"] == "DENY"
    assert answers["api"]["Content-Type"] == "application/json; charset=utf-8"
    assert answers["static"]["Content-Type"].startswith("text/css")
    # Plain HTTP is sent to HTTPS, and HSTS is only ever sent over HTTPS.
    assert answers["http"]["status"] == 301
    assert answers["http"]["Location"] == f"https://{HOST}/"
    assert "Strict-Transport-Security" not in answers["http"]


def test_the_https_redirect_can_be_left_to_the_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    base = {"UPWARD_ENV": "production", "SECRET_KEY": "s" * 40, "ALLOWED_HOSTS": HOST}
    assert config.load(base).ssl_redirect is True
    assert config.load({**base, "UPWARD_SSL_REDIRECT": "0"}).ssl_redirect is False
    assert config.load({}).ssl_redirect is False  # development serves plain HTTP


def test_development_sends_the_same_policies(warehouse_env: Path) -> None:
    client = Client()
    for name, path in ROUTES.items():
        response = client.get(path)
        assert response.status_code == 200, name
        assert response["Content-Security-Policy"] == CSP, name
        assert "camera=()" in response["Permissions-Policy"], name
        assert "Strict-Transport-Security" not in response, name

"""Django settings for Upward, derived from :mod:`upward.web.config`."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

from upward.web import config

CONFIG = config.load()
WEB_DIR = Path(__file__).resolve().parent

SECRET_KEY = CONFIG.secret_key
DEBUG = CONFIG.debug
ALLOWED_HOSTS = list(CONFIG.allowed_hosts)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",
    "upward.web.explorer",
    "upward.web.api",
    "upward.web.workspace",
    "upward.web.knowledge",
    "upward.web.strategy",
    "upward.web.measurement",
    "upward.web.networks",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "upward.web.data.WarehouseMiddleware",
    "upward.web.security_headers.SecurityHeadersMiddleware",
    "upward.web.compression.PublicGZipMiddleware",
    "upward.web.api_errors_middleware.JsonApiErrorsMiddleware",
    "upward.web.release.ReleaseMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "upward.web.urls"
WSGI_APPLICATION = "upward.web.wsgi.application"

# Every page is Jinja2 (upward.web.jinja); Django's template language serves the admin only.
TEMPLATES = [
    {
        "BACKEND": "upward.web.jinja.Jinja2",
        "DIRS": [
            WEB_DIR / "templates",
            WEB_DIR / "workspace" / "templates",
            WEB_DIR / "knowledge" / "templates",
            WEB_DIR / "strategy" / "templates",
            WEB_DIR / "measurement" / "templates",
            WEB_DIR / "networks" / "templates",
            WEB_DIR / "api" / "templates",
        ],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "upward.web.jinja.environment",
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "upward.web.context.site",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "upward.web.context.site",
            ],
        },
    },
]
FORM_RENDERER = "upward.web.jinja.FormRenderer"

DATABASES = {"default": dj_database_url.parse(CONFIG.database_url, conn_max_age=60)}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
# The public pages people fill in (community input, the officials' survey, shared findings)
# are in English and Spanish; they choose the language per request (upward.web.knowledge.i18n),
# so the rest of the site stays in English without a locale middleware.
LANGUAGES = [("en", "English"), ("es", "Español")]
LOCALE_PATHS = [Path(__file__).resolve().parent / "locale"]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = CONFIG.home / "static" if CONFIG.production else None
STATICFILES_DIRS = [WEB_DIR / "static"]
# Uploaded files (local data): under UPWARD_HOME by default; UPWARD_STORAGE=s3 keeps them
# in an S3-compatible bucket through django-storages (docs/deployment.md, "Uploaded files").
if os.environ.get("UPWARD_STORAGE", "").strip().lower() == "s3":
    _UPLOADS: dict[str, object] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ.get("UPWARD_S3_BUCKET", ""),
            "endpoint_url": os.environ.get("UPWARD_S3_ENDPOINT") or None,
            "access_key": os.environ.get("UPWARD_S3_ACCESS_KEY") or None,
            "secret_key": os.environ.get("UPWARD_S3_SECRET_KEY") or None,
            "region_name": os.environ.get("UPWARD_S3_REGION") or None,
            "default_acl": None,
            "file_overwrite": False,
            "querystring_auth": True,
        },
    }
else:
    _UPLOADS = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(CONFIG.home / "uploads")},
    }
STORAGES = {
    "default": _UPLOADS,
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if CONFIG.production
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
# Serve straight from the package in development; production runs collectstatic.
WHITENOISE_USE_FINDERS = not CONFIG.production
WHITENOISE_MAX_AGE = 3600

# Mail (``upward remind``, password resets): printed to the console unless an SMTP server
# is named (docs/workspace.md, "Actions and reminders").
if os.environ.get("UPWARD_EMAIL_HOST", "").strip():
    EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    EMAIL_HOST = os.environ["UPWARD_EMAIL_HOST"].strip()
    EMAIL_PORT = int(os.environ.get("UPWARD_EMAIL_PORT", "587"))
    EMAIL_HOST_USER = os.environ.get("UPWARD_EMAIL_USER", "")
    EMAIL_HOST_PASSWORD = os.environ.get("UPWARD_EMAIL_PASSWORD", "")
    EMAIL_USE_TLS = os.environ.get("UPWARD_EMAIL_TLS", "1").strip().lower() not in ("0", "no")
else:
    EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
DEFAULT_FROM_EMAIL = os.environ.get("UPWARD_EMAIL_FROM", "").strip() or "upward@localhost"

CSRF_FAILURE_VIEW = "upward.web.explorer.errors.csrf_failure"

# --- Security headers -------------------------------------------------------------------
# Content-Security-Policy and Permissions-Policy: upward.web.security_headers, everywhere.
# The rest is SecurityMiddleware. In production: HTTPS only (UPWARD_SSL_REDIRECT=0 when
# the proxy redirects), HSTS for a year on every subdomain, with the preload flag (it only
# makes the domain eligible; nothing is preloaded until someone submits it). `manage.py
# check --deploy` is clean with these (tests/test_security_headers.py).
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
if CONFIG.production:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = CONFIG.ssl_redirect
    SECURE_HSTS_SECONDS = 365 * 24 * 3600
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
# --- end of security headers ------------------------------------------------------------

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": "WARNING"},
}

# --- Request limits and the workspace database's concurrency (issue 10, items 4) -------
# The JSON API refuses a body over UPWARD_API_MAX_BODY_BYTES (default 1 MiB) with 413 and
# JSON nested too deep with 400, before anything reads it (upward.web.request_limits).
# SQLite waits for a concurrent writer (WAL, a busy timeout, and write transactions that
# take the write lock when they begin) instead of failing with "database is locked".


def _positive_int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit() or int(raw) < 1:
        raise config.ConfigError(f"{name} must be a whole number of bytes, not '{raw}'.")
    return int(raw)


UPWARD_API_MAX_BODY_BYTES = _positive_int("UPWARD_API_MAX_BODY_BYTES", 1024 * 1024)
# The load balancers in front: from them the client's address is read from X-Forwarded-For
# (the sign-in throttle and the community form's rate limit count per client address).
UPWARD_TRUSTED_PROXIES = config.trusted_proxies(os.environ.get("UPWARD_TRUSTED_PROXIES", ""))
MIDDLEWARE.insert(
    MIDDLEWARE.index("upward.web.api_errors_middleware.JsonApiErrorsMiddleware") + 1,
    "upward.web.request_limits.ApiRequestLimitsMiddleware",
)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }

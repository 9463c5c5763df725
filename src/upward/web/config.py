"""Typed settings for the web app, read once from the environment.

``UPWARD_ENV``        development (default) or production
``SECRET_KEY``        required in production; a placeholder or short key is refused
``ALLOWED_HOSTS``     comma-separated; required in production
``DATABASE_URL``      e.g. postgres://user:pass@host:5432/upward (default: SQLite in UPWARD_HOME)
``UPWARD_DEBUG``      1 to show Django's debug pages (development only)
``UPWARD_SSL_REDIRECT`` production only: 1 (default) redirects plain HTTP to HTTPS; 0 when
                      the proxy in front already does (then check --deploy warns W008)
``UPWARD_TRUSTED_PROXIES`` comma-separated addresses or networks of the load balancers in
                      front (e.g. 10.0.0.5,10.0.1.0/24): from them, the client's address is
                      read from ``X-Forwarded-For`` (:func:`trusted_proxies`)
"""

from __future__ import annotations

import ipaddress
import os
import secrets
from dataclasses import dataclass
from pathlib import Path

from upward import config as upward_config

PLACEHOLDER_KEYS = frozenset(
    {"", "changeme", "change-me", "secret", "your-secret-key", "replace-me", "placeholder"}
)


class ConfigError(RuntimeError):
    """The environment does not describe a safe configuration."""


@dataclass(frozen=True)
class WebConfig:
    env: str
    debug: bool
    secret_key: str
    allowed_hosts: tuple[str, ...]
    database_url: str
    home: Path
    ssl_redirect: bool = False

    @property
    def production(self) -> bool:
        return self.env == "production"


def _development_key(home: Path) -> str:
    """A random key kept in UPWARD_HOME so sessions survive restarts on this machine."""
    path = home / "secret_key"
    if path.is_file():
        return path.read_text().strip()
    home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(50)
    path.write_text(key)
    path.chmod(0o600)
    return key


def load(environ: dict[str, str] | None = None) -> WebConfig:
    env_vars = dict(os.environ if environ is None else environ)
    env = env_vars.get("UPWARD_ENV", "development").strip().lower()
    if env not in ("development", "production"):
        raise ConfigError(f"UPWARD_ENV must be 'development' or 'production', not '{env}'.")
    home = upward_config.home()
    key = env_vars.get("SECRET_KEY", "").strip()
    if env == "production":
        if key.lower() in PLACEHOLDER_KEYS or key.startswith("django-insecure") or len(key) < 32:
            raise ConfigError(
                "SECRET_KEY is missing, a placeholder or shorter than 32 characters. In "
                "production set it to a long random value, e.g. "
                "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
            )
        hosts = tuple(h.strip() for h in env_vars.get("ALLOWED_HOSTS", "").split(",") if h.strip())
        if not hosts:
            raise ConfigError("ALLOWED_HOSTS must list the host names Upward is served under.")
    else:
        key = key or _development_key(home)
        hosts = tuple(
            h.strip()
            for h in env_vars.get("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver").split(
                ","
            )
            if h.strip()
        )
    debug = env == "development" and env_vars.get("UPWARD_DEBUG", "") in ("1", "true", "yes")
    database_url = env_vars.get("DATABASE_URL") or f"sqlite:///{home / 'upward.sqlite3'}"
    redirect = env_vars.get("UPWARD_SSL_REDIRECT", "1").strip().lower() not in ("0", "false", "no")
    return WebConfig(env, debug, key, hosts, database_url, home, env == "production" and redirect)


Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_proxies(raw: str) -> tuple[Network, ...]:
    """The networks of ``UPWARD_TRUSTED_PROXIES`` (empty: trust no proxy); a malformed
    entry is a :class:`ConfigError` naming it, at start-up."""
    found = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            found.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise ConfigError(
                f"UPWARD_TRUSTED_PROXIES: '{item}' is not an IP address or network "
                "(use e.g. 10.0.0.5 or 10.0.0.0/24, separated by commas)."
            ) from None
    return tuple(found)

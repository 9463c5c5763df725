"""Helpers shared by the web tests (tests/ is on sys.path, so modules import them as
``from web_support import api_get, api_error``): a JSON GET that checks status and
content type and parses the body strictly (Infinity or NaN fail the test), and the
message of one of our JSON error objects, its shape checked.

The web tests point the app at the fixture warehouse with ``warehouse_env`` from
tests/conftest.py.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client


def strict_loads(text: str | bytes) -> Any:
    """Parse JSON as a strict parser does: the non-JSON words Infinity and NaN are errors."""

    def refuse(word: str) -> Any:
        raise ValueError(f"not strict JSON: {word}")

    return json.loads(text, parse_constant=refuse)


def api_get(client: Client, url: str, status: int = 200) -> Any:
    """GET URL, check its status and that it is strict JSON, and return the parsed body."""
    response = client.get(url)
    assert response.status_code == status, response.content[:500]
    assert response["Content-Type"].startswith("application/json")
    return strict_loads(response.content)


def api_error(client: Client, url: str, status: int) -> str:
    """The message of a JSON error object (and check its shape)."""
    body = api_get(client, url, status)
    assert set(body) == {"error"}
    assert body["error"]["status"] == status
    assert body["error"]["title"]
    return str(body["error"]["message"])

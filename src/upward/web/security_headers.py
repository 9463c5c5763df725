"""Content-Security-Policy and Permissions-Policy on every response, in every environment.

Every script, stylesheet, font and image Upward serves is its own static file, and no page
has an inline ``<script>`` (data travel in ``<script type="application/json">``, which
is not run), an inline ``style=`` attribute or an event-handler attribute, so the policy
allows our own origin and nothing else: no 'unsafe-inline', no 'unsafe-eval'. The charts
use Vega's expression interpreter (vega-embed's ``ast: true``) instead of ``new
Function``, and vega-embed's and vega-tooltip's stylesheets come from upward/site.css
rather than injected ``<style>`` elements. ``data:`` images are the icons inside
USWDS's stylesheet.

The policy is the same in development and the tests, so a browser test sees any
violation that production would. It is one fixed string per process, so a response
costs two dictionary writes; the other headers (HSTS, nosniff, referrer, frame options,
the HTTPS redirect) are Django's ``SecurityMiddleware`` with the settings in settings.py.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

from django.http import HttpRequest, HttpResponseBase

CONTENT_SECURITY_POLICY: Mapping[str, str] = {
    "default-src": "'self'",
    "script-src": "'self'",
    "style-src": "'self'",
    "img-src": "'self' data:",
    "font-src": "'self'",
    "connect-src": "'self'",
    "object-src": "'none'",
    "base-uri": "'none'",
    "form-action": "'self'",
    "frame-ancestors": "'none'",
}
# Browser features no page uses, switched off for the page and anything it might embed.
DISABLED_FEATURES = (
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope",
    "magnetometer", "microphone", "midi", "payment", "usb",
)  # fmt: skip


def header_value(policy: Mapping[str, str]) -> str:
    return "; ".join(f"{directive} {sources}" for directive, sources in policy.items())


CSP_HEADER = header_value(CONTENT_SECURITY_POLICY)
EMBED_CSP_HEADER = header_value({**CONTENT_SECURITY_POLICY, "frame-ancestors": "*"})
"""The policy of the one page any site may frame (a published plan's widget, /p/<slug>/embed/,
whose view also lifts X-Frame-Options): the same, but any ancestor."""
PERMISSIONS_HEADER = ", ".join(f"{feature}=()" for feature in DISABLED_FEATURES)


class SecurityHeadersMiddleware:
    """Add the two policies unless a view set its own (the embeddable widget does)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CSP_HEADER)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_HEADER)
        return response

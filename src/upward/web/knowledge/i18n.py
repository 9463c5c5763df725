"""The language of a public page (community input form, officials' survey, shared
findings): ``?lang=es`` or ``?lang=en`` when given (the page's language links, which work
without JavaScript or cookies), else the browser's ``Accept-Language``, else English.

Only these pages are translated; the rest of the site stays in English, so there is no
locale middleware: a public view wraps its work in :func:`public_language`.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpRequest
from django.utils import translation

LANGUAGE_CODES = tuple(code for code, _name in settings.LANGUAGES)


def language_of(request: HttpRequest) -> str:
    asked = request.GET.get("lang", "")
    if asked in LANGUAGE_CODES:
        return asked
    accepted = translation.get_language_from_request(request)
    code = (accepted or "en").split("-")[0]
    return code if code in LANGUAGE_CODES else "en"


@contextmanager
def public_language(request: HttpRequest) -> Iterator[str]:
    """Render inside this: the language chosen for ``request`` is active, then undone."""
    code = language_of(request)
    with translation.override(code):
        yield code

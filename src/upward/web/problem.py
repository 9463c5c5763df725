"""One error mapping for the pages, their twins and the API: a typed error in, a problem out.

A :class:`Problem` is what a request gets instead of the answer it asked for: a status, a
title and a message a person can act on (plus, for a page, places or metrics to try). The
library raises typed errors (an unknown place, an unknown name, a choice the data cannot
answer, no warehouse); :func:`problem_for` turns each into one problem, so a page, its
``.json`` twin and the ``/api/`` route that fail the same way answer with the same words.

Where the API's documented contract differs from the pages, the difference is here and
nowhere else: a year or level that the data lack, or a peer choice that cannot be used,
is a 422 in the API (the request fitted the OpenAPI document) but a 400 on a page, and
an unknown variable is a 404 in the API.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from upward.catalog import UnknownName, get_catalog
from upward.explore import (
    DATA_NOT_LOADED,
    AmbiguousPlace,
    BadPlaceCode,
    Geography,
    InvalidChoice,
    PeerChoiceError,
    PlaceError,
    PlaceNotFound,
    RegistryError,
    ReleaseMissing,
    UnknownRelease,
)

UNANSWERABLE = 422
"""The API's status for a well-formed request that the loaded data cannot answer."""


class Problem(Exception):
    """An answer that is not the one asked for: a status, a title, a message."""

    def __init__(
        self,
        status: int,
        title: str,
        message: str,
        *,
        suggestions: Sequence[Geography] = (),
        template: str = "error.html",
        context: Mapping[str, Any] | None = None,
    ) -> None:
        super().__init__(message)
        self.status = status
        self.title = title
        self.message = message
        self.suggestions = tuple(suggestions)
        self.template = template
        """The page that shows it (the JSON form is always the same object)."""
        self.context = dict(context or {})

    def as_dict(self) -> dict[str, Any]:
        """The JSON body: ``{"error": {"status", "title", "message"}}``."""
        return {"error": {"status": self.status, "title": self.title, "message": self.message}}


class BadRequest(Problem):
    """A malformed part of the address or query: a 400 whose message says what to send."""

    def __init__(self, message: str) -> None:
        super().__init__(400, "Bad request", message)


def not_found(message: str = "There is nothing at this address.") -> Problem:
    return Problem(404, "Not found", message)


def server_error() -> Problem:
    return Problem(
        500,
        "Something went wrong",
        "The server could not complete this request. It has been logged.",
    )


def place_message(exc: PlaceNotFound) -> str:
    """What went wrong, then the closest places, in the same words for every address.

    An unknown FIPS code reads 'No county or city has the FIPS code 27124.', whichever
    lookup (the page's or the API's) raised it.
    """
    if isinstance(exc, AmbiguousPlace):
        return str(exc)
    reason = exc.reason
    if exc.query.isascii() and exc.query.isdigit():
        reason = f"No county or city has the FIPS code {exc.query}."
    if exc.suggestions:
        names = "; ".join(f"{g.display_name} ({g.geoid})" for g in exc.suggestions)
        reason += f" Closest matches: {names}."
    return reason


def _unknown_name(exc: UnknownName, api: bool) -> Problem:
    if exc.kind == "metric":
        catalog = get_catalog()
        metrics = [catalog.metric(i) for i in exc.suggestions]
        message = f"There is no metric called '{exc.name}'."
        if metrics:
            message += " Closest matches: " + ", ".join(f"{m.label} ({m.id})" for m in metrics)
            message += "."
        return Problem(404, "Unknown metric", message, template="explorer/metric_error.html",
                       context={"metric_suggestions": metrics})  # fmt: skip
    if exc.kind.startswith("variable"):
        if api:
            message = f"There is no {exc.kind} called '{exc.name}'."
            if exc.suggestions:
                message += f" Closest matches: {', '.join(exc.suggestions)}."
            return Problem(404, "Unknown variable", message)
        message = (
            f"'{exc.name}' is not a variable of this metric. "
            f"Choose one of: {', '.join(exc.suggestions)}."
        )
        return Problem(400, "Unknown variable", message)
    return Problem(400, f"Unknown {exc.kind}", str(exc))


def problem_for(exc: Exception, *, api: bool = False) -> Problem | None:
    """The problem a typed library error means, or None for an error that is a bug.

    ``api`` asks for the API's statuses where its contract differs (see the module notes).
    """
    if isinstance(exc, Problem):
        return exc
    if isinstance(exc, PeerChoiceError):
        return Problem(UNANSWERABLE if api else 400, "Bad peer choice", exc.message)
    if isinstance(exc, BadPlaceCode):
        return BadRequest(exc.reason)
    if isinstance(exc, PlaceNotFound):
        return Problem(404, "Place not found", place_message(exc), suggestions=exc.suggestions)
    if isinstance(exc, InvalidChoice):
        status = UNANSWERABLE if api else 400
        return Problem(status, f"Bad value for {exc.parameter}", exc.message)
    if isinstance(exc, ReleaseMissing):
        return Problem(503, *DATA_NOT_LOADED)
    if isinstance(exc, UnknownRelease):
        return Problem(404, "Release not loaded", str(exc))
    if isinstance(exc, UnknownName):
        return _unknown_name(exc, api)
    if isinstance(exc, RegistryError):
        return Problem(503, "Releases unavailable", "The list of releases cannot be read.")
    return None


#: The library's typed errors, each of which :func:`problem_for` maps (for the API's handlers).
LIBRARY_ERRORS: tuple[type[Exception], ...] = (
    Problem,
    PeerChoiceError,
    PlaceError,
    UnknownName,
    InvalidChoice,
    ReleaseMissing,
    RegistryError,
)

"""Strict JSON for every JSON Upward writes: never ``Infinity``, ``-Infinity`` or ``NaN``.

Python's :mod:`json` writes a non-finite float as the bare word ``Infinity`` or ``NaN``,
which is not JSON (RFC 8259) and which strict parsers (a browser's ``JSON.parse``, jq, Go,
Rust's serde) refuse. The analysis layer does not produce non-finite numbers (a z statistic
needs a positive, finite standard error; see :mod:`upward.analysis.uncertainty`), and this
module is the one place that guarantees it anyway, for the API, the ``.json`` twins of the
pages, ``--format json`` of the command line and chart specifications:

* :func:`finite` returns the same structure with every non-finite float replaced by
  ``None`` (``null`` in JSON): "no number", exactly as a missing value is written;
* :func:`dumps` is :func:`json.dumps` that writes strict JSON: it encodes the value as it
  is when it holds only finite numbers (the usual case, with no extra pass over the data),
  and otherwise encodes :func:`finite` of it; ``allow_nan`` is always off, so anything it
  writes parses with a strict parser;
* :class:`StrictJSONEncoder` does the same inside any :class:`json.JSONEncoder` subclass
  (``StrictJSONEncoder.wrap(DjangoJSONEncoder)``), for Django and django-ninja.
"""

from __future__ import annotations

import functools
import json
import math
from typing import Any


def finite(value: Any) -> Any:
    """``value`` with every non-finite float (inf, -inf, nan) replaced by None.

    Dicts, lists and tuples are copied (tuples become lists, as JSON has only arrays);
    every other value is returned as it is.
    """
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [finite(v) for v in value]
    return value


class StrictJSONEncoder(json.JSONEncoder):
    """A JSON encoder that never writes Infinity or NaN: non-finite numbers become null."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs["allow_nan"] = False
        super().__init__(*args, **kwargs)

    def encode(self, o: Any) -> str:
        try:
            return super().encode(o)
        except ValueError as error:
            if "not JSON compliant" not in str(error):
                raise
            return super().encode(finite(o))

    @classmethod
    def wrap(cls, base: type[json.JSONEncoder]) -> type[json.JSONEncoder]:
        """A subclass of ``base`` (for its ``default``) with this strict ``encode``."""
        return _strict(cls, base)


@functools.cache
def _strict(cls: type[StrictJSONEncoder], base: type[json.JSONEncoder]) -> type[json.JSONEncoder]:
    if issubclass(base, cls):
        return base
    return type(f"Strict{base.__name__}", (cls, base), {})


def dumps(value: Any, **kwargs: Any) -> str:
    """:func:`json.dumps` that writes strict JSON (non-finite numbers as null).

    Keyword arguments are those of :func:`json.dumps`; ``cls`` is made strict.
    """
    base = kwargs.pop("cls", None) or json.JSONEncoder
    return json.dumps(value, cls=StrictJSONEncoder.wrap(base), **kwargs)

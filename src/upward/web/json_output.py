"""Every JSON answer of the web app is strict JSON (see :mod:`upward.reports.strict_json`).

:class:`StrictJsonResponse` replaces Django's ``JsonResponse`` for the pages' ``.json``
twins and every error object; :class:`StrictRenderer` is django-ninja's renderer for the
API. Both write a non-finite number (which the analysis never produces) as ``null``.
"""

from __future__ import annotations

from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.http import JsonResponse
from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder

from upward.reports.strict_json import StrictJSONEncoder


class StrictJsonResponse(JsonResponse):
    """Django's ``JsonResponse`` that never writes Infinity or NaN."""

    def __init__(
        self, data: Any, encoder: type[DjangoJSONEncoder] = DjangoJSONEncoder, safe: bool = True,
        json_dumps_params: dict[str, Any] | None = None, **kwargs: Any,
    ) -> None:  # fmt: skip
        strict = StrictJSONEncoder.wrap(encoder)
        super().__init__(data, strict, safe, json_dumps_params, **kwargs)  # type: ignore[arg-type]


class StrictRenderer(JSONRenderer):
    """django-ninja's JSON renderer, strict."""

    encoder_class = StrictJSONEncoder.wrap(NinjaJSONEncoder)

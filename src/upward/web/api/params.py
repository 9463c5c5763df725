"""The public API's parameters, declared once with their formats and bounds.

The OpenAPI document is made from these declarations, and django-ninja checks every
request against them, so the document and the server agree. What the answers mean:

* 400: the request breaks the document (a pattern, an enum, a bound, a missing field);
* 404: something it names does not exist (a place, metric, variable, workspace, record);
* 422: it fits the document but the data cannot answer it: a year without values for
  that variable, a level the metric is not published for, a former place that has no
  current peers, a peer-set token that does not decode or was made for another place.

Metric and variable ids are declared as enums from the catalog but checked by the
catalog itself, so an unknown one is a 404 that names the closest matches.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Any, Literal

from django.db import models
from ninja import Path, Query
from pydantic import AfterValidator, Field, WithJsonSchema

from upward.analysis.peers import FEATURES
from upward.catalog import get_catalog
from upward.explore import MAX_WEIGHT, STATES
from upward.planning import stakeholder as vocab

_CATALOG = get_catalog()
FIPS_PATTERN = r"^([0-9]{5}|[0-9]{7})$"
FIRST_YEAR = min(y for m in _CATALOG.metrics for ys in m.years.values() for y in ys)
LAST_YEAR = max(y for m in _CATALOG.metrics for ys in m.years.values() for y in ys)
METRIC_IDS = [m.id for m in _CATALOG.metrics]
VARIABLE_NAMES = sorted({v.name for m in _CATALOG.metrics for v in m.variables})
SUBGROUP_TYPE_IDS = tuple(t.id for t in _CATALOG.subgroup_types)
_ABBRS = sorted(abbr for abbr, _ in STATES.values())
STATE_CODES = (*sorted(STATES), *_ABBRS, *(a.lower() for a in _ABBRS))
SECTOR_IDS = vocab.ids(vocab.SECTORS)

# A factor in (0, 1], a factor of at least 1 (finite), a weight from 0 to MAX_WEIGHT.
# ([0-9], not \d: \d also matches other scripts' digits in some regex engines.)
_LOW = r"(0?\.[0-9]{0,8}[1-9]|1(\.0{0,8})?)"
_HIGH = r"([1-9][0-9]{0,8}(\.[0-9]{0,8})?)"
_WEIGHT = r"([0-9](\.[0-9]{0,8})?|\.[0-9]{1,8}|10(\.0{0,8})?)"
_FEATURE = "(" + "|".join(f.id for f in FEATURES) + ")"
BAND_PATTERN = rf"^{_LOW},{_HIGH}$"
WEIGHTS_PATTERN = rf"^{_FEATURE}:{_WEIGHT}(,{_FEATURE}:{_WEIGHT})*$"
TOKEN_PATTERN = r"^[A-Za-z0-9_-]+$"
# gunicorn refuses a request line over 4094 bytes (414, before the app sees it): a token
# and a weights list at their longest still fit.
MAX_TOKEN_LENGTH = 3000
MAX_WEIGHTS_LENGTH = 400
# Text the databases can store: PostgreSQL refuses NUL characters in strings.
NO_NUL_PATTERN = r"^[^\x00]*$"
# ... and a required text of spaces only, which the forms refuse ("This field is required").
NOT_BLANK_PATTERN = r"^[^\x00]*[^\s\x00][^\x00]*$"
# Record ids (BigAutoField) and versions (PositiveIntegerField: PostgreSQL's integer).
MAX_ID = 2**63 - 1
MAX_VERSION = 2**31 - 1
assert MAX_WEIGHT == 10.0, "WEIGHTS_PATTERN spells out the largest weight"

# Types whose values ninja checks (a bad value is a 400 that says what is allowed).
StateCode = Literal[STATE_CODES]  # type: ignore[valid-type]
SubgroupType = Literal[SUBGROUP_TYPE_IDS]  # type: ignore[valid-type]
Sector = Literal[SECTOR_IDS]  # type: ignore[valid-type]

# What a 400 says when a value breaks one of these declarations (see errors.py).
HINTS = {
    "geoid": "must be a FIPS code: 5 digits for a county (e.g. 27123) or 7 for a city "
    "(e.g. 2758000)",
    "state": "must be a 2-digit state FIPS code (e.g. 27) or a postal abbreviation (e.g. MN)",
    "subgroup_type": f"must be one of {', '.join(SUBGROUP_TYPE_IDS)}",
    "population_band": "must be two factors, low and high, with low ≤ 1 ≤ high (e.g. 0.5,2)",
    "weights": "takes characteristic:weight pairs with weights from 0 to 10, such as "
    f"population:2; characteristics: {', '.join(f.id for f in FEATURES)}",
    "set": "must be a peer-set token (the share.token of a peers answer)",
    "q": "must not contain NUL characters",
    "sector": f"must be one of {', '.join(SECTOR_IDS)}",
}


def geoid_param() -> Any:
    return Path(
        ...,
        pattern=FIPS_PATTERN,
        description="FIPS code: 5 digits for a county, 7 for a city",
        examples=["27123", "2758000"],
    )


def _documented_enum(param: Any, values: list[Any]) -> Any:
    """Declare ``values`` in the document only (ninja's Query and Path take no schema extra)."""
    param.json_schema_extra["enum"] = values
    return param


def metric_param(description: str) -> Any:
    """An optional metric id: an enum in the document; an unknown id is a 404."""
    return _documented_enum(Query(None, description=description), [*METRIC_IDS, None])


def metric_path() -> Any:
    return _documented_enum(Path(..., examples=["low_birth_weight"]), METRIC_IDS)


def variable_param(description: str) -> Any:
    return _documented_enum(Query(None, description=description), [*VARIABLE_NAMES, None])


def year_param(description: str) -> Any:
    return Query(None, ge=FIRST_YEAR, le=LAST_YEAR, description=description)


def peer_set_param() -> Any:
    return Query(
        None,
        alias="set",
        pattern=TOKEN_PATTERN,
        max_length=MAX_TOKEN_LENGTH,
        description="A peer set token (share.token of /peers); when given, k and the "
        "filters are ignored",
    )


def band_param() -> Any:
    return Query(
        None,
        pattern=BAND_PATTERN,
        description="Population as low,high factors of this place's (low ≤ 1 ≤ high), e.g. 0.5,2",
    )


def weights_param() -> Any:
    return Query(
        None,
        pattern=WEIGHTS_PATTERN,
        max_length=MAX_WEIGHTS_LENGTH,
        description="Weights (0 to 10) that differ from the defaults, e.g. "
        "population:2,pctl_income_50:0",
    )


def record_id_param() -> Any:
    return Path(..., ge=1, le=MAX_ID, description="The record's id")


def version_param() -> Any:
    return Query(..., ge=1, le=MAX_VERSION, description="The version you read")


def text_field(
    max_length: int,
    pattern: str = NO_NUL_PATTERN,
    default: Any = None,
    description: str | None = None,
) -> Any:
    """A text field of a request body, declared in the document as the form checks it (the
    form, which the pages use too, still checks every value and words the refusal)."""
    extra = {"maxLength": max_length, "pattern": pattern}
    return Field(default, description=description, json_schema_extra=extra)


_CENT = Decimal("0.01")
CENTS = "Dollars, rounded to the cent"


def dollars(model: type[models.Model], name: str) -> Any:
    """The type of a dollar amount in a request body: a JSON number from 0 to what the
    column it is saved to holds (10 digits, 2 after the point: 99,999,999.99), kept to the
    cent, so that every amount the document allows is one the form takes."""
    column = model._meta.get_field(name)
    assert isinstance(column, models.DecimalField) and column.decimal_places == 2
    most = Decimal(10) ** (column.max_digits - 2) - _CENT
    return Annotated[
        Decimal,
        Field(ge=0, le=most),
        AfterValidator(lambda v: v.quantize(_CENT)),
        WithJsonSchema({"type": "number", "minimum": 0, "maximum": float(most)}),
    ]

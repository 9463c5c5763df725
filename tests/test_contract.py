"""The data contract's parsers: FIPS padding, a:b ratios, quality codes, missing values,
and the wording of MalformedFile and Rejection messages."""

from __future__ import annotations

import re
from decimal import Decimal

import duckdb
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from upward.catalog import get_catalog
from upward.data.contract import (
    MISSING_TOKENS,
    QUALITY_CODES,
    RATIO_PAIR_PATTERN,
    MalformedFile,
    Rejection,
    is_missing,
    pad_fips,
    parse_ratio_pair,
)
from upward.data.metric_file import _quality_sql
from upward.data.model import QUALITY_LABELS, Observation

WIDTHS = (2, 3, 5)
spaces = st.text(alphabet=" \t", max_size=2)


# --- FIPS padding -------------------------------------------------------------------------


@given(st.sampled_from(WIDTHS).flatmap(lambda w: st.tuples(st.just(w), st.integers(0, 10**w - 1))))
def test_pad_fips_keeps_the_number_and_fills_the_width(case: tuple[int, int]) -> None:
    width, number = case
    padded = pad_fips(str(number), width)
    assert len(padded) == width
    assert padded.isdigit()
    assert int(padded) == number


@given(st.sampled_from(WIDTHS), st.text(alphabet="0123456789", min_size=1, max_size=5), spaces)
def test_pad_fips_is_idempotent_and_ignores_surrounding_space(
    width: int, digits: str, pad: str
) -> None:
    if len(digits) > width:
        with pytest.raises(ValueError, match="is not a FIPS code"):
            pad_fips(digits, width)
        return
    once = pad_fips(f"{pad}{digits}{pad}", width)
    assert pad_fips(once, width) == once
    assert once.endswith(digits)


@given(st.sampled_from(WIDTHS), st.text(min_size=1, max_size=6))
def test_pad_fips_refuses_anything_but_digits(width: int, text: str) -> None:
    stripped = text.strip()
    if stripped.isdigit() and len(stripped) <= width:
        return  # a valid code; covered above
    with pytest.raises(ValueError, match=f"at most {width} digits"):
        pad_fips(text, width)


def test_pad_fips_examples() -> None:
    assert pad_fips("1", 2) == "01"
    assert pad_fips("53", 3) == "053"
    assert pad_fips("3076", 5) == "03076"
    assert pad_fips(" 9 ", 2) == "09"
    with pytest.raises(ValueError):
        pad_fips("-1", 3)
    with pytest.raises(ValueError):
        pad_fips("1.0", 3)


# --- a:b ratio pairs ----------------------------------------------------------------------

share = st.decimals(min_value=0, max_value=1, places=3, allow_nan=False, allow_infinity=False)


@given(share, share, spaces, spaces)
def test_parse_ratio_pair_returns_both_shares(a: Decimal, b: Decimal, pad1: str, pad2: str) -> None:
    text = f"{pad1}{a}{pad2}:{pad1}{b}{pad2}"
    assert parse_ratio_pair(text) == (float(a), float(b))
    assert re.fullmatch(RATIO_PAIR_PATTERN, text), text


@given(st.text(alphabet="0123456789. ", max_size=8))
def test_text_without_a_colon_is_not_a_ratio(text: str) -> None:
    with pytest.raises(ValueError, match="is not of the form a:b"):
        parse_ratio_pair(text)
    assert not re.fullmatch(RATIO_PAIR_PATTERN, text)


@pytest.mark.parametrize("text", ["0.119:", ":0.246", "a:b", "0.1:0.2:0.3", "0.119;0.246", "NA"])
def test_malformed_ratio_texts_do_not_match_the_pattern(text: str) -> None:
    assert not re.fullmatch(RATIO_PAIR_PATTERN, text)


def test_parse_ratio_pair_example() -> None:
    assert parse_ratio_pair("0.052:0.118") == (0.052, 0.118)
    assert parse_ratio_pair(" 0.000 : 0.000 ") == (0.0, 0.0)


# --- quality codes ------------------------------------------------------------------------

_quality_con = duckdb.connect()
QUALITY_SQL = _quality_sql("q")


def _sql_quality(text: str | None) -> int | None:
    row = _quality_con.execute(f"SELECT {QUALITY_SQL} FROM (SELECT ?::VARCHAR AS q)", [text])
    found = row.fetchone()
    assert found is not None
    return found[0]


@settings(max_examples=150, deadline=None)
@given(
    st.one_of(
        st.sampled_from([*QUALITY_CODES, "4", "0", "strong", "1.5", "", "NA", "Weak."]),
        st.text(max_size=6),
    ),
    st.text(alphabet=" ", max_size=2),
)
def test_the_loader_maps_quality_text_exactly_as_the_contract_says(text: str, pad: str) -> None:
    # SQL trim() removes spaces (not tabs): a tab-padded code is refused by the contract
    # check, which uses the same trim, so it never reaches this mapping.
    expected = QUALITY_CODES.get(text.strip(" "))
    assert _sql_quality(f"{pad}{text}{pad}") == expected


def test_quality_codes_and_words_agree() -> None:
    catalog = get_catalog()
    for word in ("Strong", "Marginal", "Weak"):
        code = QUALITY_CODES[word]
        assert QUALITY_LABELS[code] == word
        assert QUALITY_CODES[str(code)] == code
        assert QUALITY_CODES[f"{code}.0"] == code
        assert catalog.quality_label(code) == word
    assert set(QUALITY_CODES.values()) == {1, 2, 3}
    assert _sql_quality(None) is None


@given(st.one_of(st.none(), st.sampled_from([1, 2, 3])))
def test_observation_shows_quality_in_words(code: int | None) -> None:
    obs = Observation(
        "27123", "county", 2023, "m", "v", "all", "All", 0.5, None, None, code, None, ""
    )
    assert obs.quality == (None if code is None else ("Strong", "Marginal", "Weak")[code - 1])
    assert obs.as_dict()["quality"] == obs.quality


# --- missing values -----------------------------------------------------------------------


@given(st.sampled_from(MISSING_TOKENS), spaces)
def test_missing_tokens_are_missing(token: str, pad: str) -> None:
    assert is_missing(f"{pad}{token}{pad}")


@given(st.text(min_size=1).filter(lambda t: t.strip() not in MISSING_TOKENS))
def test_other_text_is_not_missing(text: str) -> None:
    assert not is_missing(text)


def test_none_is_missing() -> None:
    assert is_missing(None)
    assert not is_missing("0")
    assert not is_missing("na")  # only Urban's exact spelling


# --- messages -----------------------------------------------------------------------------


def test_malformed_file_names_file_line_and_column() -> None:
    exc = MalformedFile("04_health/x.csv", 12, "rate_low_birth_weight", "'abc' is not a number")
    assert str(exc) == "04_health/x.csv:12 column 'rate_low_birth_weight': 'abc' is not a number"
    assert (exc.path, exc.line, exc.column) == ("04_health/x.csv", 12, "rate_low_birth_weight")
    assert exc.reason == "'abc' is not a number"


def test_malformed_file_without_column_or_line() -> None:
    assert str(MalformedFile("a.csv", 3, None, "duplicate row")) == "a.csv:3: duplicate row"
    assert str(MalformedFile("a.csv", None, None, "cannot be read")) == "a.csv: cannot be read"


@given(
    st.text(alphabet="abc_/.-", min_size=1, max_size=20),
    st.integers(1, 10**6),
    st.one_of(st.none(), st.text(alphabet="abc_", min_size=1, max_size=10)),
    st.text(min_size=1, max_size=30),
)
def test_malformed_file_message_format(path: str, line: int, column: str | None, why: str) -> None:
    where = f"{path}:{line}" + (f" column '{column}'" if column else "")
    assert str(MalformedFile(path, line, column, why)) == f"{where}: {why}"
    assert str(Rejection(path, line, column, why)) == f"{where}: {why}"

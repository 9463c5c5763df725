"""The data contract's rules as the loader applies them (its SQL, run through DuckDB): FIPS
codes, a:b ratios, quality codes, missing values,
and the wording of MalformedFile and Rejection messages."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

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
    is_fips_sql,
    is_ratio_pair_sql,
    missing_tokens_sql,
    pad_fips_sql,
    parse_ratio_pair,
    ratio_pair_sql,
)
from upward.data.metric_file import _quality_sql
from upward.data.model import QUALITY_LABELS, Observation
from upward.data.schema import GEO_SHIFT, _decoded, geo_code_sql, geoid_from_code
from upward.explore.shapes import observation_out

WIDTHS = (2, 3, 5)


# --- FIPS codes -------------------------------------------------------------------------
# The loader's own SQL (contract.is_fips_sql, pad_fips_sql), run through DuckDB.

_con = duckdb.connect()


def _sql(expression: str, text: str | None) -> object:
    row = _con.execute(f"SELECT {expression} FROM (SELECT CAST(? AS VARCHAR) AS x)", [text])
    return row.fetchone()[0]  # type: ignore[index]


@pytest.mark.parametrize(
    ("text", "width", "padded"),
    [("1", 2, "01"), ("53", 3, "053"), ("3076", 5, "03076"), (" 9 ", 2, "09"), ("001", 3, "001")],
)
def test_a_fips_code_is_padded_to_its_width(text: str, width: int, padded: str) -> None:
    assert _sql(is_fips_sql("x", width), text) is True
    assert _sql(pad_fips_sql("x", width), text) == padded


@pytest.mark.parametrize(
    "text", ["", "  ", None, "-1", "+1", "1.0", "1e2", "12a", "1234", "\t1", "٣", "²", "0x1"]
)
def test_anything_but_one_to_width_ascii_digits_is_not_a_fips_code(text: str | None) -> None:
    assert _sql(is_fips_sql("x", 3), text) is False


@given(st.sampled_from(WIDTHS).flatmap(lambda w: st.tuples(st.just(w), st.integers(0, 10**w - 1))))
@settings(max_examples=50)
def test_padding_keeps_the_number_and_fills_the_width(case: tuple[int, int]) -> None:
    width, number = case
    padded = _sql(pad_fips_sql("x", width), f" {number}")
    assert isinstance(padded, str) and len(padded) == width and int(padded) == number
    assert _sql(pad_fips_sql("x", width), padded) == padded


def test_the_key_of_a_place_gives_back_its_padded_geoid() -> None:
    for state, code, width, geoid in [
        ("1", "1", 3, "01001"),
        ("6", "37", 3, "06037"),
        ("27", "123", 3, "27123"),
        ("6", "44000", 5, "0644000"),
        ("72", "1", 5, "7200001"),
    ]:
        number = _sql(geo_code_sql(f"'{state}'", f"'{code}'", width), None)
        assert geoid_from_code(int(number)) == geoid  # type: ignore[call-overload]
        decoded = _decoded("key", {}, {("all", "All"): 1})["geoid"]
        assert (
            _sql(decoded.replace("key", f"(CAST({number} AS BIGINT) << {GEO_SHIFT})"), None)
            == geoid
        )


# --- a:b ratio pairs ----------------------------------------------------------------------
# The loader's own SQL (contract.is_ratio_pair_sql, ratio_pair_sql), run through DuckDB.

share = st.decimals(min_value=0, max_value=1, places=3, allow_nan=False, allow_infinity=False)


def _pair(text: str) -> tuple[object, object, object]:
    a, b = ratio_pair_sql("x")
    row = _con.execute(
        f"SELECT {is_ratio_pair_sql('x')}, {a}, {b} FROM (SELECT CAST(? AS VARCHAR) AS x)", [text]
    ).fetchone()
    assert row is not None
    return row[0], row[1], row[2]


@given(share, share, st.text(alphabet=" ", max_size=2), st.text(alphabet=" ", max_size=2))
@settings(max_examples=50)
def test_a_ratio_pair_gives_both_shares(a: Decimal, b: Decimal, pad1: str, pad2: str) -> None:
    text = f"{pad1}{a}{pad2}:{pad1}{b}{pad2}"
    assert _pair(text) == (True, float(a), float(b))
    assert re.fullmatch(RATIO_PAIR_PATTERN, text), text
    assert parse_ratio_pair(text) == (float(a), float(b))  # the display's split agrees


def test_ratio_pair_examples() -> None:
    assert _pair("0.052:0.118") == (True, 0.052, 0.118)
    assert _pair(" 0.000 : 0.000 ") == (True, 0.0, 0.0)
    assert _pair(".5:1") == (True, 0.5, 1.0)


@pytest.mark.parametrize(
    "text", ["0.119:", ":0.246", "a:b", "0.1:0.2:0.3", "0.119;0.246", "NA", "0.5", "", "-0.1:0.2"]
)
def test_malformed_ratio_texts_are_not_ratio_pairs(text: str) -> None:
    assert _sql(is_ratio_pair_sql("x"), text) is False
    assert not re.fullmatch(RATIO_PAIR_PATTERN, text)
    with pytest.raises(ValueError):
        parse_ratio_pair(text)


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
    assert observation_out(obs, "test").model_dump()["quality"] == obs.quality


# --- missing values -----------------------------------------------------------------------
# What the loader reads as "no value": DuckDB's CSV reader with contract.missing_tokens_sql().


def test_only_urbans_exact_spellings_are_missing(tmp_path: Path) -> None:
    path = tmp_path / "values.csv"
    cells = ["", "NA", " NA", "NA ", "na", "N/A", "0", "."]
    path.write_text("text,number\n" + "".join(f'"{c}",{i}\n' for i, c in enumerate(cells)))
    rows = _con.execute(
        f"SELECT text FROM read_csv(?, header = true, columns = {{'text': 'VARCHAR', "
        f"'number': 'INTEGER'}}, nullstr = {missing_tokens_sql()}) ORDER BY number",
        [str(path)],
    ).fetchall()
    assert [r[0] for r in rows] == [None, None, " NA", "NA ", "na", "N/A", "0", "."]
    assert set(MISSING_TOKENS) == {"", "NA"}


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

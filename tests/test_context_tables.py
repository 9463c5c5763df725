"""The warehouse's standing and benchmark tables, built from hand-made observations."""

from __future__ import annotations

from collections.abc import Iterator

import duckdb
import pytest

from upward.data.schema import CONTEXT_TABLES

V = "share_poverty_exposure"
L = "rate_low_birth_weight"
E = "share_employed"
ROWS = [
    # geoid, variable, value, lb, ub, quality (1 Strong, 2 Marginal, 3 Weak)
    ("27001", V, 0.0, None, None, 1),
    ("27003", V, 0.0, None, None, 1),
    ("27005", V, 0.0, None, None, 1),
    ("27007", V, 0.2, None, None, 1),
    ("10001", V, 0.1, None, None, 1),  # Delaware: alone in its state
    ("27001", L, 0.063, 0.060, 0.066, 3),  # one pooled Weak value for three counties
    ("27003", L, 0.063, 0.060, 0.066, 3),
    ("27005", L, 0.063, 0.060, 0.066, 3),
    ("27007", L, 0.080, 0.075, 0.085, 2),  # one pooled Marginal value for two counties
    ("27009", L, 0.080, 0.075, 0.085, 2),
    ("27011", L, 0.070, 0.065, 0.075, 1),
    ("10001", L, 0.090, 0.085, 0.095, 1),
    ("27001", E, 0.5, 0.4, 0.6, 3),  # a pool whose first place is Weak and second Marginal
    ("27003", E, 0.5, 0.4, 0.6, 2),
    ("27005", E, 0.7, 0.6, 0.8, 1),
]


@pytest.fixture(scope="module")
def con() -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect()
    con.execute(
        "CREATE TABLE observation (geoid VARCHAR, geo_level VARCHAR, year SMALLINT, "
        "variable VARCHAR, subgroup_type VARCHAR, subgroup VARCHAR, value DOUBLE, lb DOUBLE, "
        "ub DOUBLE, quality TINYINT)"
    )
    con.executemany(
        "INSERT INTO observation VALUES (?, 'county', 2023, ?, 'all', 'All', ?, ?, ?, ?)",
        [list(r) for r in ROWS],
    )
    con.execute(
        "INSERT INTO observation VALUES ('27001', 'county', 2023, ?, 'race-ethnicity', "
        "'Black, Non-Hispanic', 0.5, NULL, NULL, 1)",
        [V],
    )  # a group value is no place's standing
    con.execute(CONTEXT_TABLES)
    yield con
    con.close()


def _standing(con: duckdb.DuckDBPyConnection, geoid: str, variable: str) -> tuple:
    return con.execute(
        "SELECT n_nation, below_nation, tied_nation, pct_nation, n_state, below_state, "
        "tied_state, pct_state FROM standing WHERE geoid = ? AND variable = ?",
        [geoid, variable],
    ).fetchone()


def test_standings_count_ties_apart(con: duckdb.DuckDBPyConnection) -> None:
    # 27001 at 0.0 with 27003, 27005: nation 5 places, none below, 2 tied
    assert _standing(con, "27001", V) == (5, 0, 2, 0.0, 4, 0, 2, 0.0)
    # 10001 at 0.1: 3 below (the zeros), none tied, 1 above; alone in Delaware
    assert _standing(con, "10001", V) == (5, 3, 0, 0.75, 1, 0, 0, None)
    assert _standing(con, "27007", V) == (5, 4, 0, 1.0, 4, 3, 0, 1.0)


def test_benchmarks_keep_every_value_and_a_claim_median(con: duckdb.DuckDBPyConnection) -> None:
    row = con.execute(
        "SELECT median, n, n_weak, n_pooled, claim_median, claim_n FROM benchmark "
        "WHERE variable = ? AND scope = '27'",
        [L],
    ).fetchone()
    # every value: 0.063 x3, 0.070, 0.080 x2 -> median (0.063 + 0.070) / 2
    # claim: Weak left out, pooled Marginal once -> 0.070, 0.080 -> median 0.075, 2 values
    assert row[0] == pytest.approx(0.0665)
    assert row[1:4] == (6, 3, 5)
    assert row[4] == pytest.approx(0.075) and row[5] == 2
    nation = con.execute(
        "SELECT n, n_weak, n_pooled, claim_median, claim_n FROM benchmark "
        "WHERE variable = ? AND scope = 'US'",
        [L],
    ).fetchone()
    assert nation[:3] == (7, 3, 5) and nation[3] == pytest.approx(0.080) and nation[4] == 3
    ties = con.execute(
        "SELECT n, n_pooled, claim_n FROM benchmark WHERE variable = ? AND scope = 'US'", [V]
    ).fetchone()
    assert ties == (5, 0, 5)  # equal values without an interval are ties, not a pool


def test_a_pool_counts_once_through_its_first_place_not_rated_weak(
    con: duckdb.DuckDBPyConnection,
) -> None:
    row = con.execute(
        "SELECT n, n_weak, n_pooled, claim_median, claim_n FROM benchmark "
        "WHERE variable = ? AND scope = '27'",
        [E],
    ).fetchone()
    assert row[:3] == (3, 1, 2)
    assert row[3] == pytest.approx(0.6) and row[4] == 2  # 0.5 (the Marginal copy) and 0.7

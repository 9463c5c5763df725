"""Supplemental local data rules: the MOE-to-CI rule, the quality rubric, every row
check of an upload (row and column named), XLSX reading, units and the comparison with
the national value. Expectations are computed by hand."""

from __future__ import annotations

import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from upward.analysis.uncertainty import Estimate
from upward.planning import local_data as rules
from upward.planning.local_data import (
    MAX_ROWS,
    ci_from_moe,
    compare_local,
    moe_half_width,
    parse_local_file,
    rate_quality,
    unit_factor,
)

PLACES = ("27123", "2758000")


def parse(text: str, unit: str = "share", name: str = "x.csv") -> rules.LocalParse:
    return parse_local_file(text.encode(), name, PLACES, unit)


def problems(text: str, unit: str = "share") -> list[tuple[int, str]]:
    result = parse(text, unit)
    assert not result.ok and not result.rows
    return [(e.row, e.column) for e in result.errors]


# --- the MOE-to-CI rule ------------------------------------------------------------------


def test_a_90_percent_moe_is_widened_to_95() -> None:
    # 5 x 1.960 / 1.645 = 9.8 / 1.645 = 5.95744...
    assert moe_half_width(5, 90) == pytest.approx(5.957447, abs=1e-6)
    lower, upper = ci_from_moe(40, 5, 90)
    assert (round(lower, 2), round(upper, 2)) == (34.04, 45.96)


def test_a_95_percent_moe_is_the_half_width() -> None:
    assert ci_from_moe(40, 5, 95) == (35, 45)
    assert moe_half_width(0.02, 95) == 0.02


def test_other_levels_are_refused() -> None:
    with pytest.raises(ValueError, match="90 or 95"):
        moe_half_width(5, 99)


def test_the_file_default_is_90_and_the_rule_is_recorded() -> None:
    result = parse("geography,period,value,moe\n27123,2023,40,5\n", unit="percent")
    [row] = result.rows
    assert (round(row.lower, 2), round(row.upper, 2)) == (34.04, 45.96)  # type: ignore[arg-type]
    assert result.ci_rule == "95% half-width = MOE × 1.960 / 1.645 (a 90% margin of error)."
    result = parse("geography,period,value,moe,moe_level\n27123,2023,40,5,95\n", "percent")
    assert (result.rows[0].lower, result.rows[0].upper) == (35, 45)
    assert "(a 95% margin of error)" in result.ci_rule


def test_bounds_are_kept_as_given() -> None:
    result = parse("geography,period,value,lower,upper\n27123,2023,0.4,0.35,0.46\n")
    assert (result.rows[0].lower, result.rows[0].upper) == (0.35, 0.46)
    assert result.ci_rule.startswith("95% interval as given")


# --- the rubric --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("answers", "quality"),
    [
        (("yes", "yes", "yes", "yes"), "strong"),
        (("yes", "partly", "yes", "yes"), "marginal"),
        (("partly", "partly", "partly", "partly"), "marginal"),
        (("yes", "yes", "no", "yes"), "weak"),
        (("no", "partly", "yes", "yes"), "weak"),
    ],
)
def test_rubric(answers: tuple[str, ...], quality: str) -> None:
    keys = [key for key, _question in rules.RUBRIC]
    assert rate_quality(dict(zip(keys, answers, strict=True))) == quality


def test_rubric_needs_every_answer() -> None:
    with pytest.raises(ValueError, match="needs an answer"):
        rate_quality({"documented": "yes"})


# --- every row check ---------------------------------------------------------------------

HEAD = "geography,period,value,lower,upper\n"


def test_a_good_file() -> None:
    result = parse(rules.template_csv())
    assert result.ok and len(result.rows) == 4
    kinds = [r.geography_kind for r in result.rows]
    assert kinds == ["place", "place", "zip", "neighborhood"]
    assert result.rows[3].period == "2022-2023" and result.rows[3].subgroup == "Youth 16 to 24"


def test_non_number() -> None:
    assert problems(HEAD + "27123,2023,forty,,\n") == [(2, "value")]
    assert problems(HEAD + "27123,2023,0.4,low,0.5\n") == [(2, "lower")]


def test_lower_above_value_and_upper_below() -> None:
    result = parse(HEAD + "27123,2023,0.4,0.45,0.5\n27123,2022,0.4,0.3,0.35\n")
    assert [(e.row, e.column) for e in result.errors] == [(2, "lower"), (3, "upper")]
    assert "above the value" in result.errors[0].message


def test_unknown_place() -> None:
    result = parse(HEAD + "99999,2023,0.4,,\n")
    assert [(e.row, e.column) for e in result.errors] == [(2, "geography")]
    assert "Unknown place '99999'" in result.errors[0].message
    assert "27123" in result.errors[0].message  # names the workspace's places
    text = "geography,geography_kind,period,value\n38071,place,2023,1\n"
    assert problems(text) == [(2, "geography")]


def test_sub_areas_are_checked_by_kind() -> None:
    text = "geography,geography_kind,period,value\n"
    ok = text + "55104,zip,2023,1\n27123030100,tract,2023,1\nFrogtown,neighborhood,2023,1\n"
    assert parse(ok).ok
    assert problems(text + "5510,zip,2023,1\n123,tract,2023,1\nX,county,2023,1\n") == [
        (2, "geography"),
        (3, "geography"),
        (4, "geography_kind"),
    ]


def test_duplicate_geography_period_subgroup() -> None:
    text = "geography,period,value,subgroup\n27123,2023,1,\n27123,2023,2,Youth\n27123,2023,3,\n"
    result = parse(text)
    assert [(e.row, e.column) for e in result.errors] == [(4, "geography")]
    assert "Duplicate of row 2" in result.errors[0].message


def test_empty_required_cells() -> None:
    assert problems(HEAD + ",,,,\n27123,,,,\n") == [(3, "period"), (3, "value")]
    result = parse(HEAD + ",2023,,,\n")
    assert [(e.row, e.column) for e in result.errors] == [(2, "geography"), (2, "value")]


def test_header_problems() -> None:
    assert problems("geography,period,value,colour\n27123,2023,1,red\n") == [(1, "colour")]
    assert problems("geography,value\n27123,1\n") == [(1, "period")]
    assert problems("geography,period,value,value\n") == [(1, "value")]
    assert problems("") == [(1, "")]


def test_bad_periods() -> None:
    text = "geography,period,value\n27123,{},1\n"
    assert parse(text.format("2023Q4")).rows[0].period == "2023Q4"
    assert parse(text.format("2022 - 2023")).rows[0].period == "2022-2023"
    for bad in ("23", "2023Q5", "2024-2022", "spring"):
        assert problems(text.format(bad)) == [(2, "period")], bad


def test_interval_rules() -> None:
    text = "geography,period,value,lower,upper,moe,moe_level\n"
    assert problems(text + "27123,2023,1,0.5,,,\n") == [(2, "upper")]
    assert problems(text + "27123,2023,1,0.5,1.5,0.2,\n") == [(2, "moe")]
    assert problems(text + "27123,2023,1,,,-0.2,\n") == [(2, "moe")]
    assert problems(text + "27123,2023,1,,,0.2,80\n") == [(2, "moe_level")]
    assert problems(text + "27123,2023,1,,,,90\n") == [(2, "moe_level")]


def test_unit_per_row_must_match() -> None:
    text = "geography,period,value,unit\n27123,2023,1,Share\n27123,2022,1,dollars\n"
    assert problems(text) == [(3, "unit")]


def test_too_many_cells_and_too_many_rows(monkeypatch: pytest.MonkeyPatch) -> None:
    assert problems("geography,period,value\n27123,2023,1,extra\n") == [(2, "")]
    assert MAX_ROWS == 100_000
    monkeypatch.setattr(rules, "MAX_ROWS", 3)
    head = "geography,period,value,subgroup\n"
    assert parse(head + "".join(f"27123,2023,1,g{i}\n" for i in range(3))).ok
    result = parse(head + "".join(f"27123,2023,1,g{i}\n" for i in range(4)))
    assert [(e.row, e.column) for e in result.errors] == [(5, "")]
    assert "Too many rows: at most 3 per file" in result.errors[0].message


def test_file_too_large_not_utf8_wrong_kind() -> None:
    huge = b"geography,period,value\n" + b"x" * (rules.MAX_BYTES + 1)
    result = parse_local_file(huge, "x.csv", PLACES, "share")
    assert "larger than 10 MB" in result.errors[0].message
    result = parse_local_file("geography,period,value\nSão Paulo,2023,1\n".encode("latin-1"),
                              "x.csv", PLACES, "share")  # fmt: skip
    assert "not UTF-8" in result.errors[0].message
    assert "Upload a .csv or .xlsx" in parse_local_file(b"", "x.pdf", PLACES, "").errors[0].message
    bom = "\ufeffgeography,period,value\n27123,2023,1\n".encode()
    assert parse_local_file(bom, "x.csv", PLACES, "share").ok


def test_errors_are_listed_up_to_a_limit_and_counted() -> None:
    text = HEAD + "".join(f"27123,{2000 + i},bad,,\n" for i in range(rules.MAX_ERRORS + 50))
    result = parse(text)
    assert len(result.errors) == rules.MAX_ERRORS and result.more_errors == 50
    assert result.error_count == rules.MAX_ERRORS + 50


def test_formula_escape_of_the_download_writer_is_undone() -> None:
    result = parse("geography,geography_kind,period,value\n'=Frogtown,neighborhood,2023,1\n")
    assert result.rows[0].geography == "=Frogtown"


# --- XLSX --------------------------------------------------------------------------------


def xlsx(rows: list[list[object]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def test_xlsx_values_and_numbers() -> None:
    data = xlsx([["Geography", "Period", "Value", "MOE"], [27123, 2023, 40, 5], [None, None, None]])
    result = parse_local_file(data, "x.xlsx", PLACES, "percent")
    [row] = result.rows
    assert row.geography == "27123" and row.period == "2023" and row.value == 40
    assert round(row.upper, 2) == 45.96  # type: ignore[arg-type]


def test_xlsx_formulas_give_their_saved_values_or_are_empty() -> None:
    # openpyxl saves a formula without a cached value: read as an empty cell, never as text
    data = xlsx([["geography", "period", "value"], ["27123", 2023, "=1+1"]])
    result = parse_local_file(data, "x.xlsx", PLACES, "share")
    assert [(e.row, e.column) for e in result.errors] == [(2, "value")]


def test_not_a_workbook() -> None:
    result = parse_local_file(b"not a zip", "x.xlsx", PLACES, "share")
    assert "Not a readable XLSX" in result.errors[0].message


@given(st.text(max_size=200))
def test_any_text_gives_rows_or_named_problems(text: str) -> None:
    result = parse_local_file(text.encode(), "x.csv", PLACES, "share")
    assert result.ok or all(e.row >= 1 and e.message for e in result.errors)


# --- units and the comparison with the national value -----------------------------------


def test_unit_factor() -> None:
    assert unit_factor("share", "share") == 1.0
    assert unit_factor("Percent", "share") == 0.01
    assert unit_factor("%", "share") == 0.01
    assert unit_factor("dollars", "dollars") == 1.0
    assert unit_factor("per 100,000 people", "rate", "per 100,000 people") == 1.0
    assert unit_factor("per 1,000 people", "rate", "per 100,000 people") is None
    assert unit_factor("dollars", "share") is None


NATIONAL = Estimate(0.0821, 0.0785, 0.0857, "Marginal")


def test_different_when_the_test_supports_it() -> None:
    # se local = 0.005/1.96 = 0.002551, national 0.0036/1.96 = 0.001837;
    # z = 0.0129 / sqrt(0.002551² + 0.001837²) = 0.0129 / 0.003144 = 4.10
    verdict = compare_local(0.095, 0.090, 0.100, "strong", NATIONAL, 1.0, "Urban's value")
    assert verdict.kind == "different" and verdict.claims_difference
    assert verdict.comparison is not None and verdict.comparison.z == pytest.approx(4.10, abs=0.01)
    assert verdict.text.startswith("higher than Urban's value")
    assert "better" not in verdict.text and "worse" not in verdict.text


def test_not_distinguishable() -> None:
    # 0.085 [0.080, 0.090]: z = 0.0029 / 0.003144 = 0.92
    verdict = compare_local(0.085, 0.080, 0.090, "strong", NATIONAL, 1.0, "Urban's value")
    assert verdict.kind == "not_distinguishable" and not verdict.claims_difference
    assert verdict.text.startswith("not distinguishable from")


def test_percent_is_compared_as_a_share() -> None:
    verdict = compare_local(9.5, 9.0, 10.0, "strong", NATIONAL, 0.01)
    assert verdict.kind == "different"


def test_weak_makes_no_claim() -> None:
    verdict = compare_local(0.2, 0.19, 0.21, "weak", NATIONAL, 1.0)
    assert verdict.kind == "weak" and verdict.text == "not compared: local data rated Weak"
    weak_national = Estimate(0.0821, 0.0785, 0.0857, "Weak")
    verdict = compare_local(0.2, 0.19, 0.21, "strong", weak_national, 1.0)
    assert verdict.kind == "weak" and "national value rated Weak" in verdict.text


def test_no_interval_is_not_tested() -> None:
    verdict = compare_local(0.2, None, None, "strong", NATIONAL, 1.0, "Urban's value")
    assert verdict.kind == "not_tested" and not verdict.claims_difference
    assert verdict.text == "higher than Urban's value, not tested (no interval on both sides)"
    verdict = compare_local(0.2, 0.19, 0.21, "strong", Estimate(0.08), 1.0)
    assert verdict.kind == "not_tested"


def test_different_units_are_not_compared() -> None:
    verdict = compare_local(30000, None, None, "strong", NATIONAL, None)
    assert verdict.kind == "units" and verdict.text == "not compared: the units differ"


def test_end_year() -> None:
    assert [rules.end_year(p) for p in ("2023", "2022-2023", "2023Q1", "x")] == [
        2023, 2023, 2023, None,
    ]  # fmt: skip


@pytest.mark.parametrize("write_only", [False, True])
def test_the_fast_sheet_reader_agrees_with_lxml(write_only: bool) -> None:
    import zipfile

    from openpyxl import Workbook

    from upward.planning import local_table

    book = Workbook(write_only=write_only)
    sheet = book.create_sheet() if write_only else book.active
    sheet.append(["geography", "period", "value", "subgroup"])
    sheet.append(["27123", 2023, 0.1, "Parents & children <18>"])
    sheet.append([])
    sheet.append(["2758000", "2022-2023", "=1+1", "Año “nuevo”"])
    sheet.append([None, None, 7.25, None, None, "far right"])
    out = io.BytesIO()
    book.save(out)
    archive = zipfile.ZipFile(io.BytesIO(out.getvalue()))
    shared = local_table._shared_strings(archive)
    raw = archive.read(local_table._first_sheet(archive))
    assert local_table.plain_sheet(raw)
    fast = list(local_table.fast_sheet_rows(raw, shared))
    slow = list(local_table._sheet_rows(io.BytesIO(raw), shared))
    assert fast == slow
    assert fast[1] == (2, ["27123", 2023.0, 0.1, "Parents & children <18>"])
    assert fast[-1][1][-1] == "far right" and fast[-1][1][:3] == [None, None, 7.25]
    assert not local_table.plain_sheet(raw.replace(b"<sheetData", b"<!-- x --><sheetData"))

"""'At a glance': one row per measure, with the Compare page's tests; and why a breakdown's
total can differ from the headline value. Hand-made cases, then the fixture warehouse."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path

import pytest
from django.test import Client
from test_analysis_comparison import INC, POV, Bench, Cell, Standing, inputs

from upward.analysis.comparison import compare_variable
from upward.catalog import get_catalog
from upward.explore import Geography, Release
from upward.reports.breakdown_total import total_note
from upward.web.explorer.glance import NO_VALUE, build_glance

EMP = "share_employed"
RAMSEY = Geography(
    geoid="27123", geo_level="county", name="Ramsey County", short_name="Ramsey",
    display_name="Ramsey County, MN", state_fips="27", state_abbr="MN", state_name="Minnesota",
    first_year=2014, last_year=2023, population=536_000, population_year=2023, current=True,
)  # fmt: skip


def glance_rows():  # type: ignore[no-untyped-def]
    """Income (a CI: tested), poverty exposure (no CI) and employment (Weak) for Ramsey."""
    catalog = get_catalog()
    data = inputs()
    data = replace(
        data,
        peers=(),
        cells=[*data.cells, Cell("27123", EMP, 2023, 0.80, 0.70, 0.90, "Weak")],
        standings=[*data.standings, Standing(POV, 2023, 2700, 0, 3001, 40, 0, 80),
                   Standing(EMP, 2023, 100, 0, 2600, 10, 0, 80)],
        benchmarks=[*data.benchmarks, Bench(POV, 2023, "US", 0.05, 0, 1, 3001),
                    Bench(POV, 2023, "27", 0.1, 0, 1, 81),
                    Bench(EMP, 2023, "US", 0.85, 0.5, 0.95, 2600),
                    Bench(EMP, 2023, "27", 0.85, 0.5, 0.95, 80)],
    )  # fmt: skip
    tested = {
        name: compare_variable(
            data, catalog.metric(catalog.variable(name).metric_id), catalog.variable(name)
        )
        for name in (INC, POV, EMP)
    }
    glance = build_glance(catalog, RAMSEY, tested)
    return glance, {r.variable.name: r for r in glance.rows}


def test_every_measure_for_counties_has_a_row_in_catalog_order() -> None:
    glance, rows = glance_rows()
    catalog = get_catalog()
    county = [m.id for p in catalog.pillars for pid in p.predictor_ids
              for m in map(catalog.metric, catalog.predictor(pid).metric_ids)
              if "county" in m.geographies]  # fmt: skip
    assert [r.metric.id for r in glance.rows] == county
    assert [p.pillar.id for p in glance.pillars] == [p.id for p in catalog.pillars]
    missing = rows["share_transit_commuter"]  # nothing published in the hand-made cells
    assert missing.value == NO_VALUE and missing.state is None and missing.nation is None
    assert all(r.anchor == f"m-{r.metric.id}" for r in glance.rows)
    assert glance.state_name == "Minnesota" and glance.kind_plural == "counties"


def test_a_significant_and_a_not_distinguishable_verdict() -> None:
    _, rows = glance_rows()
    income = rows[INC]
    assert (income.value, income.year, income.ci, income.quality) == ("$40", 2023, "$36–$44",
                                                                      "Strong")  # fmt: skip
    # nation: 40 [36, 44] against a fixed median of 30: z = 10 / (4 / 1.96) = 4.9
    assert income.nation is not None and income.nation.verdict == "Higher (better), p < 0.001"
    assert income.nation.verdict_key == pytest.approx(4.9)
    # state: 40 against 41: z = -0.49, p = 0.624
    assert income.state is not None and income.state.verdict == "Not distinguishable, p = 0.624"
    assert income.nation.standing == "Higher than 90% of the other 3,000 counties"
    assert income.state.standing.startswith("Tied with 1 of the other 79 counties at $40")
    assert income.nation.standing_key == 90.0


def test_without_a_ci_the_verdict_is_not_tested_and_neutral() -> None:
    _, rows = glance_rows()
    poverty = rows[POV]
    assert poverty.ci == "" and poverty.nation is not None and poverty.state is not None
    assert poverty.nation.verdict == "Higher, not tested (no CI)"
    assert poverty.state.verdict == "The same, not tested (no CI)"
    assert poverty.nation.verdict_key is None  # nothing tested: sorts last
    for scope in (poverty.nation, poverty.state):
        assert not re.search(r"better|worse", scope.standing + scope.verdict)


def test_nothing_is_concluded_from_weak_data() -> None:
    _, rows = glance_rows()
    employment = rows[EMP]
    assert employment.weak and employment.quality_code == 3
    assert employment.nation is not None and employment.state is not None
    assert employment.nation.verdict == "Too uncertain (Weak data)"
    assert employment.state.verdict == "Too uncertain (Weak data)"
    assert employment.nation.verdict_key is None


def test_a_median_that_bears_no_claim_is_not_compared() -> None:
    catalog = get_catalog()
    data = replace(inputs(), peers=(), benchmarks=[
        Bench(INC, 2023, "US", 30, 10, 90, 3000, n_weak=2000, claim_count=1000)])  # fmt: skip
    vc = compare_variable(data, catalog.metric("income_percentiles"), catalog.variable(INC))
    row = {r.variable.name: r for r in build_glance(catalog, RAMSEY, {INC: vc}).rows}[INC]
    assert row.nation is not None
    assert row.nation.verdict == "No claim (too few values not rated Weak)"


# -- why a breakdown's total differs ------------------------------------------------------


@dataclass(frozen=True)
class Sourced(Cell):
    source_file: str = ""
    source_line: int | None = None


def test_a_total_that_differs_from_the_headline_says_why() -> None:
    catalog = get_catalog()
    metric, variable = catalog.metric("employment_ratio"), catalog.variable(EMP)
    headline = Sourced("27123", EMP, 2023, 0.882, 0.857, 0.907, source_file="all.csv",
                       source_line=12)  # fmt: skip
    total = Sourced("27123", EMP, 2023, 0.853, 0.841, 0.864, subgroup_type="gender",
                    source_file="gender.csv", source_line=40)  # fmt: skip
    note = total_note(metric, variable, headline, total)
    assert note is not None
    assert note.sentence.startswith(
        "Why this total differs from the headline value: in 2023 the total for this breakdown "
        "is 85.3% (95% CI 84.1%–86.4%) and the headline value is 88.2% (95% CI 85.7%–90.7%). "
        "The overall value comes from one year of survey answers; the breakdowns and their "
        "total come from five years"
    )
    assert (note.headline_source, note.total_source) == ("all.csv, line 12", "gender.csv, line 40")
    # another year, or the same value as shown, needs no note
    assert total_note(metric, variable, replace(headline, year=2022), total) is None
    assert total_note(metric, variable, replace(headline, value=0.8531), total) is None
    # a measure without a recorded reason still says the files differ
    other = catalog.metric("poverty_exposure")
    found = total_note(other, catalog.variable(POV), replace(headline, variable=POV),
                       replace(total, variable=POV))  # fmt: skip
    assert found is not None and "in a different file from the headline" in found.sentence


# -- the fixture warehouse: the profile's glance is Compare's ---------------------------


@pytest.fixture
def client(warehouse_env: Path) -> Client:
    return Client()


def glance_html(page: str) -> str:
    found = re.search(r'<section class="upward-glance".*?</section>', page, re.S)
    assert found, "the page opens with its glance"
    return found.group(0)


@pytest.mark.parametrize("geoid", ["27123", "2758000"])
def test_profile_and_compare_show_the_same_glance(client: Client, geoid: str) -> None:
    level = "county" if len(geoid) == 5 else "city"
    profile = client.get(f"/{level}/{geoid}/").content.decode()
    compare = client.get(f"/{level}/{geoid}/compare/").content.decode()
    mine, theirs = glance_html(profile), glance_html(compare)
    assert mine == theirs
    rows = re.findall(r'<tr data-metric="([a-z_0-9]+)"', mine)
    assert set(rows) == {m.id for m in get_catalog().metrics_for(level)}
    for metric in rows:  # every row links to a section of each page
        assert f'id="m-{metric}"' in profile and f'id="m-{metric}"' in compare
    assert profile.index('id="at-a-glance"') < profile.index('id="quality-legend"')
    assert compare.index('id="at-a-glance"') < compare.index('id="read-heading"')


def test_the_profile_glance_says_what_compare_tests(fixture_warehouse_path: Path) -> None:
    """The profile's comparisons (no peers, no query) are the whole analysis's tests."""
    from upward.web.explorer.analysis_page import verdict_label
    from upward.web.explorer.profile_page import build_profile_page

    with Release.open(fixture_warehouse_path) as release:
        for geo in (release.place("county", "27123"), release.place("city", "2758000")):
            rows = {r.variable.name: r for r in build_profile_page(release, geo).glance.rows}
            checked = 0
            for vc in release.analysis(geo).comparisons:
                if not vc.variable.headline or vc.target is None:
                    continue
                for name in ("state", "nation"):
                    scope, shown = vc.scope(name), getattr(rows[vc.variable.name], name)  # type: ignore[arg-type]
                    assert (scope is None) == (shown is None)
                    if scope is not None:
                        assert shown.verdict == verdict_label(scope.comparison, vc.direction)
                        checked += 1
            assert checked


# -- the full data: one wording for an untested value on every page ----------------------


@pytest.fixture
def full_client(full_warehouse_path: Path, monkeypatch: pytest.MonkeyPatch):  # type: ignore[no-untyped-def]
    from upward.web import data as web_data

    monkeypatch.setenv("UPWARD_WAREHOUSE", str(full_warehouse_path))
    web_data.reset()
    yield Client()
    web_data.reset()


def test_an_untested_value_reads_the_same_on_profile_compare_and_insights(
    full_client: Client, full_warehouse_path: Path
) -> None:
    from html import unescape

    from upward.analysis.uncertainty import untested_words
    from upward.web.explorer.analysis_page import capitalized

    pages = {name: unescape(full_client.get(f"/county/27123/{name}").content.decode())
             for name in ("", "compare/", "insights/")}  # fmt: skip
    with Release.open(full_warehouse_path) as release:
        analysis = release.analysis(release.place("county", "27123"))
    noted = {i.variable for p in analysis.insights.pillars for i in p.standings}
    checked = 0
    for vc in analysis.comparisons:
        nation = vc.scope("nation")
        if nation is None or nation.comparison.verdict != "no_test" or not vc.variable.headline:
            continue
        cell = capitalized(untested_words(nation.comparison))  # 'Higher, not tested (no CI)'
        for page in (pages[""], pages["compare/"]):  # the glance's national test
            row = re.search(rf'<tr data-metric="{vc.metric.id}".*?</tr>', glance_html(page), re.S)
            assert row, vc.metric.id
            assert re.findall(r"<td[^>]*>(.*?)</td>", row.group(0), re.S)[-1] == cell
        block = pages["compare/"].split(f'id="v-{vc.variable.name}"')[1].split("</table>")[0]
        nation_row = block.split('data-scope="nation"')[1]
        assert re.search(rf"<td[^>]*>{re.escape(cell)}</td></tr>", nation_row), nation_row
        if vc.variable.name in noted:
            assert (
                f"against the national median, {untested_words(nation.comparison)}"
                in (pages["insights/"])
            )
            checked += 1
    assert checked, "Ramsey has untested values noted on Insights"
    for page in pages.values():
        assert "without a test" not in page

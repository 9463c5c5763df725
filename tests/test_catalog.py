"""The framework catalog: counts, agreement with Urban's catalog, lookups, subgroups, checks."""

from __future__ import annotations

import ast
import csv
import dataclasses
from importlib import resources
from pathlib import Path

import pytest

import upward.catalog
from upward.catalog import (
    Catalog,
    CatalogError,
    GeoLevel,
    UnknownName,
    get_catalog,
    load_catalog,
)

CATALOG_CSV = Path(__file__).resolve().parents[2] / "shared" / "reference" / "metrics_catalog.csv"

# Where Upward deliberately departs from the CSV's higher_is_better column, and why.
DIRECTION_OVERRIDES = {
    # Reading more contact across groups as "better" is an interpretation; shown as context.
    "racial_exposure": "context",
}

# Every (subgroup_type, subgroup) pair written in the bundled 2025 files (read once from
# shared/mobility-data), with the canonical pair Upward stores.
RAW_SUBGROUP_PAIRS = [
    (("age", "Age 10 to 14"), ("age", "Age 10 to 14")),
    (("age", "Age 15 to 17"), ("age", "Age 15 to 17")),
    (("age", "Age 45 and Over"), ("age", "Age 45 and Over")),
    (("age", "Under Age 45"), ("age", "Under Age 45")),
    (("age", "All"), ("all", "All")),
    (("all", "All"), ("all", "All")),
    (("disability", "With Disability"), ("disability", "With Disability")),
    (("disability", "Without Disability"), ("disability", "Without Disability")),
    (("gender", "Female"), ("gender", "Female")),
    (("gender", "Male"), ("gender", "Male")),
    (("income", "$50,000 or More"), ("income", "$50,000 or More")),
    (("income", "Less than $50,000"), ("income", "Less than $50,000")),
    (("income", "Economically Disadvantaged"), ("income", "Economically Disadvantaged")),
    (("income", "Not Economically Disadvantaged"), ("income", "Not Economically Disadvantaged")),
    (("income", "High-Poverty"), ("poverty", "High-Poverty")),
    (("income", "Not High-Poverty"), ("poverty", "Not High-Poverty")),
    (("poverty", "High-Poverty"), ("poverty", "High-Poverty")),
    (("poverty", "Not High-Poverty"), ("poverty", "Not High-Poverty")),
    (
        ("mothers-education", "Less than High School"),
        ("mothers-education", "Less than High School"),
    ),
    (
        ("mothers-education", "GED/High School Degree"),
        ("mothers-education", "GED/High School Degree"),
    ),
    (("mothers-education", "Some College"), ("mothers-education", "Some College")),
    (
        ("mothers-education", "College Degree or Higher"),
        ("mothers-education", "College Degree or Higher"),
    ),
    (("race-ethncity", "Black, Non-Hispanic"), ("race-ethnicity", "Black, Non-Hispanic")),
    (("race-ethncity", "White, Non-Hispanic"), ("race-ethnicity", "White, Non-Hispanic")),
    (("race_ethnicity", "Hispanic"), ("race-ethnicity", "Hispanic")),
    (
        ("race_ethnicity", "Other Races and Ethnicities"),
        ("race-ethnicity", "Other Races and Ethnicities"),
    ),
    (("race-ethnicity", "All"), ("all", "All")),
    (("race-ethnicity", "Black"), ("race-ethnicity", "Black")),
    (("race-ethnicity", "White"), ("race-ethnicity", "White")),
    (("race-ethnicity", "Black, Non-Hispanic"), ("race-ethnicity", "Black, Non-Hispanic")),
    (("race-ethnicity", "Majority Non-White"), ("race-share", "Neighborhoods of color")),
    (("race-ethnicity", "Majority White"), ("race-share", "White neighborhoods")),
    (("race-ethnicity", "Majority White, Non-Hispanic"), ("race-share", "White neighborhoods")),
    (("race-ethnicity", "No Majority Race/Ethnicity"), ("race-share", "Mixed neighborhoods")),
    (("race-ethnicity", "Neighborhoods of color"), ("race-share", "Neighborhoods of color")),
    (("race-ethnicity", "White neighborhoods"), ("race-share", "White neighborhoods")),
    (("race-ethnicity", "Mixed neighborhoods"), ("race-share", "Mixed neighborhoods")),
    (("tenure", "All"), ("all", "All")),
    (("tenure", "Owner"), ("tenure", "Owner")),
    (("tenure", "Renter"), ("tenure", "Renter")),
]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return get_catalog()


@pytest.fixture(scope="module")
def yaml_text() -> str:
    return resources.files("upward.catalog").joinpath("framework.yaml").read_text("utf-8")


def csv_rows() -> list[dict[str, str]]:
    if not CATALOG_CSV.exists():
        pytest.skip(f"{CATALOG_CSV} is not present")
    with CATALOG_CSV.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def per_geography(text: str) -> dict[str, tuple[str, ...]]:
    """Parse the CSV's 'county:a,b|place:c' cells into {'county': (...), 'city': (...)}."""
    result: dict[str, tuple[str, ...]] = {}
    for part in text.split("|"):
        geo, _, items = part.partition(":")
        result["city" if geo == "place" else geo] = tuple(items.split(","))
    return result


# -- counts and identity -------------------------------------------------------------------------


def test_counts(catalog: Catalog) -> None:
    assert len(catalog.definition) == 3
    assert len(catalog.pillars) == 5
    assert len(catalog.predictors) == 24
    assert len(catalog.framework_metrics) == 26
    assert [m.id for m in catalog.metrics if m.supplementary] == ["medical_debt_in_collections"]
    assert len(catalog.metrics) == 27
    assert len(catalog.variables) == 47
    assert catalog.variable("count_homeless").has_bounds
    assert not catalog.variable("share_homeless").has_bounds


def test_pillar_ids_and_labels(catalog: Catalog) -> None:
    assert [(p.id, p.label) for p in catalog.pillars] == [
        ("neighborhoods", "Opportunity-Rich and Inclusive Neighborhoods"),
        ("education", "High-Quality Education"),
        ("work", "Rewarding Work"),
        ("health", "Healthy Environment and Access to Good Health Care"),
        ("governance", "Responsive and Just Governance"),
    ]
    assert [len(p.predictor_ids) for p in catalog.pillars] == [6, 5, 5, 4, 4]
    assert [p.id for p in catalog.definition] == [
        "economic_success",
        "power_and_autonomy",
        "dignity_and_belonging",
    ]


def test_no_duplicate_ids(catalog: Catalog) -> None:
    for ids in (
        [p.id for p in catalog.definition],
        [p.id for p in catalog.pillars],
        [p.id for p in catalog.predictors],
        [m.id for m in catalog.metrics],
        [t.id for t in catalog.subgroup_types],
        [s for v in catalog.variables for s in (v.name, *v.aliases)],
    ):
        assert len(ids) == len(set(ids))


def test_links_point_both_ways(catalog: Catalog) -> None:
    for metric in catalog.metrics:
        predictor = catalog.predictor(metric.predictor_id)
        assert metric.id in predictor.metric_ids
        assert metric.pillar_id == predictor.pillar_id
        assert predictor.id in catalog.pillar(predictor.pillar_id).predictor_ids
        assert all(v.metric_id == metric.id for v in metric.variables)


def test_display_order_follows_pillar_then_predictor(catalog: Catalog) -> None:
    ids = [m.id for m in catalog.metrics]
    assert ids[:2] == ["housing_affordability", "student_homelessness"]
    assert ids[-1] == "juvenile_arrests"
    expected = [m_id for p in catalog.predictors for m_id in p.metric_ids]
    assert ids == expected
    pillar_positions = [[p.id for p in catalog.pillars].index(m.pillar_id) for m in catalog.metrics]
    assert pillar_positions == sorted(pillar_positions)


def test_exactly_one_headline_per_metric(catalog: Catalog) -> None:
    for metric in catalog.metrics:
        assert [v.headline for v in metric.variables].count(True) == 1
    assert catalog.metric("housing_affordability").headline.name == (
        "share_affordable_available_50_ami"
    )
    assert catalog.metric("student_homelessness").headline.name == "share_homeless"
    assert catalog.metric("income_percentiles").headline.name == "pctl_income_20"


def test_every_text_is_filled_in(catalog: Catalog) -> None:
    for metric in catalog.metrics:
        for text in (metric.label, metric.short_label, metric.description, metric.why_it_matters):
            assert text.strip()
        assert metric.source and metric.caveats
        assert all(v.label and v.unit_detail for v in metric.variables)


# -- agreement with Urban's catalog --------------------------------------------------------------


def test_every_csv_variable_matches(catalog: Catalog) -> None:
    rows = csv_rows()
    assert len(rows) == 47
    for row in rows:
        variable = catalog.variable(row["variable"])
        metric = catalog.metric(row["metric_id"])
        assert variable.metric_id == metric.id, row["variable"]
        assert variable.unit == row["unit"], row["variable"]
        csv_direction = {"true": "higher_better", "false": "lower_better", "": "context"}
        expected = DIRECTION_OVERRIDES.get(metric.id, csv_direction[row["higher_is_better"]])
        assert variable.direction == expected, row["variable"]
        assert variable.has_bounds == bool(row["lb_variable"]) == bool(row["ub_variable"])
        if variable.has_bounds:
            assert (variable.lb_column, variable.ub_column) == (
                row["lb_variable"],
                row["ub_variable"],
            )
        assert variable.quality_column == row["quality_variable"]
        assert metric.geographies == tuple(
            "city" if g == "place" else g for g in row["geographies"].split(";")
        )
        years = per_geography(row["years"])
        assert {g: tuple(map(str, y)) for g, y in metric.years.items()} == years
        assert dict(metric.subgroup_types) == per_geography(row["subgroup_types"])


def test_catalog_has_nothing_the_csv_lacks(catalog: Catalog) -> None:
    rows = csv_rows()
    assert {v.name for v in catalog.variables} == {row["variable"] for row in rows}
    assert {m.id for m in catalog.metrics} == {row["metric_id"] for row in rows}
    for metric_id, override in DIRECTION_OVERRIDES.items():
        assert catalog.metric(metric_id).direction == override


def test_context_metrics(catalog: Catalog) -> None:
    context = [m.id for m in catalog.metrics if m.direction == "context"]
    assert context == ["racial_exposure", "housing_wealth_ratio", "descriptive_representation"]
    pairs = [v.name for v in catalog.variables if v.kind == "ratio_pair"]
    assert pairs == [
        "ratio_black_nh_house_value_households",
        "ratio_hispanic_house_value_households",
        "ratio_other_nh_house_value_households",
        "ratio_white_nh_house_value_households",
    ]


def test_metrics_for_geography(catalog: Catalog) -> None:
    county_only = {
        "living_wage_ratio",
        "population_per_pcp",
        "low_birth_weight",
        "injury_deaths",
        "medical_debt_in_collections",
    }
    assert len(catalog.metrics_for("county")) == 27
    city = catalog.metrics_for("city")
    assert {m.id for m in catalog.metrics} - {m.id for m in city} == county_only
    assert [m.id for m in city] == [m.id for m in catalog.metrics if m.id not in county_only]
    with pytest.raises(UnknownName) as info:
        catalog.metrics_for("place")  # type: ignore[arg-type]
    assert info.value.kind == "geography level"


# -- names, aliases and columns ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("alias", "name"),
    [
        ("election_turnout", "share_election_turnout"),
        ("lbw", "rate_low_birth_weight"),
        ("share_low_birth_weight", "rate_low_birth_weight"),
        ("rate_learning", "learning_rate"),
        ("share_employed", "share_employed"),
    ],
)
def test_aliases_resolve(catalog: Catalog, alias: str, name: str) -> None:
    assert catalog.variable(alias).name == name
    variable = catalog.column_variable(alias)
    assert variable is not None and variable.name == name


def test_column_refs(catalog: Catalog) -> None:
    def ref(column: str) -> tuple[str, str] | None:
        found = catalog.column_ref(column)
        return None if found is None else (found.variable.name, found.role)

    assert ref("lbw_quality") == ("rate_low_birth_weight", "quality")
    assert ref("rate_learning_ub") == ("learning_rate", "ub")
    assert ref("count_homeless_lb") == ("count_homeless", "lb")
    assert ref("election_turnout_quality") == ("share_election_turnout", "quality")
    assert ref("share_homeless_lb") is None  # the share has no bounds
    assert ref("year") is None
    assert catalog.column_variable("share_employed_lb") is None
    for column in ("year", "state", "county", "place", "subgroup", "subgroup_type"):
        assert catalog.column_variable(column) is None


def test_unknown_metric_message(catalog: Catalog) -> None:
    with pytest.raises(UnknownName) as info:
        catalog.metric("low_birth_wieght")
    error = info.value
    assert isinstance(error, LookupError)
    assert (error.kind, error.name, error.suggestions) == (
        "metric",
        "low_birth_wieght",
        ["low_birth_weight"],
    )
    assert str(error) == "Unknown metric 'low_birth_wieght'. Did you mean: low_birth_weight?"


def test_suggestions_match_labels_too(catalog: Catalog) -> None:
    with pytest.raises(UnknownName) as info:
        catalog.metric("Air quality")
    assert info.value.suggestions[0] == "air_quality_index"
    with pytest.raises(UnknownName) as info:
        catalog.predictor("Just Policing ")
    assert info.value.suggestions == ["just_policing"]
    with pytest.raises(UnknownName) as info:
        catalog.variable("share_employd")
    assert "share_employed" in info.value.suggestions


def test_unknown_name_without_suggestion(catalog: Catalog) -> None:
    with pytest.raises(UnknownName) as info:
        catalog.pillar("zzzz")
    assert str(info.value) == "Unknown pillar 'zzzz'."
    assert info.value.suggestions == []


# -- subgroups -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("raw", "expected"), RAW_SUBGROUP_PAIRS)
def test_normalize_every_pair_in_the_files(
    catalog: Catalog, raw: tuple[str, str], expected: tuple[str, str]
) -> None:
    assert catalog.normalize_subgroup(*raw) == expected


def test_normalize_subgroup_named_cases(catalog: Catalog) -> None:
    assert catalog.normalize_subgroup("race_ethnicity", "Hispanic") == (
        "race-ethnicity",
        "Hispanic",
    )
    assert catalog.normalize_subgroup("race-ethnicity", "Majority White") == (
        "race-share",
        "White neighborhoods",
    )
    assert catalog.normalize_subgroup("income", "High-Poverty") == ("poverty", "High-Poverty")
    assert catalog.normalize_subgroup("tenure", "All") == ("all", "All")
    assert catalog.normalize_subgroup("", " All ") == ("all", "All")
    # Black without the Hispanic split is its own group.
    assert catalog.normalize_subgroup("race-ethnicity", "Black") != catalog.normalize_subgroup(
        "race-ethnicity", "Black, Non-Hispanic"
    )


def test_normalize_subgroup_rejects_unknowns(catalog: Catalog) -> None:
    with pytest.raises(UnknownName) as info:
        catalog.normalize_subgroup("race-ethnicity", "Hispanc")
    assert info.value.kind == "subgroup"
    assert info.value.suggestions[0] == "Hispanic"
    assert "Did you mean: Hispanic" in str(info.value)
    with pytest.raises(UnknownName) as info:
        catalog.normalize_subgroup("age", "NA")
    assert info.value.kind == "subgroup"
    with pytest.raises(UnknownName) as info:
        catalog.normalize_subgroup("gendr", "Male")
    assert info.value.kind == "subgroup type"
    assert info.value.suggestions == ["gender"]


def test_subgroup_label_rows(catalog: Catalog) -> None:
    rows = catalog.subgroup_label_rows()
    assert ("All", "all", "All") in rows
    assert ("Majority White", "race-share", "White neighborhoods") in rows
    assert ("Majority White, Non-Hispanic", "race-share", "White neighborhoods") in rows
    assert ("Black", "race-ethnicity", "Black") in rows
    raw_labels = [raw for raw, _, _ in rows]
    assert len(raw_labels) == len(set(raw_labels))
    for raw, type_id, label in rows:
        assert catalog.normalize_subgroup("all" if raw == "All" else type_id, raw) == (
            type_id,
            label,
        )


def test_subgroup_type_aliases(catalog: Catalog) -> None:
    aliases = catalog.subgroup_type_aliases()
    for subgroup_type in catalog.subgroup_types:
        assert aliases[subgroup_type.id] == subgroup_type.id
    assert aliases["race_ethnicity"] == "race-ethnicity"
    assert aliases["race-ethncity"] == "race-ethnicity"
    assert aliases["poverty"] == "poverty"
    assert catalog.subgroup_type("mothers-education").label == "Mother's education"


def test_metric_subgroup_types_are_known(catalog: Catalog) -> None:
    known = {t.id for t in catalog.subgroup_types}
    for metric in catalog.metrics:
        for geo in metric.geographies:
            assert set(metric.subgroup_types[geo]) <= known
            assert metric.subgroup_types[geo][0] == "all"


# -- quality -------------------------------------------------------------------------------------


def test_quality_labels(catalog: Catalog) -> None:
    assert [catalog.quality_label(code) for code in (1, 2, 3, None)] == [
        "Strong",
        "Marginal",
        "Weak",
        None,
    ]
    with pytest.raises(ValueError, match="Unknown quality code 4"):
        catalog.quality_label(4)


# -- immutability and loading --------------------------------------------------------------------


def test_objects_are_frozen_and_hashable(catalog: Catalog) -> None:
    metric = catalog.metric("low_birth_weight")
    with pytest.raises(dataclasses.FrozenInstanceError):
        metric.label = "changed"  # type: ignore[misc]
    with pytest.raises(TypeError):
        metric.years["county"] = ()  # type: ignore[index]
    assert len({metric, metric.headline, catalog.pillar("health")}) == 3
    geo: GeoLevel = "county"
    assert metric.years[geo][0] == 2016


def test_get_catalog_is_cached() -> None:
    assert get_catalog() is get_catalog()


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        (
            "        has_bounds: false\n        headline: true\n\n  - id: low_birth_weight",
            "        has_bounds: false\n\n  - id: low_birth_weight",
            "exactly one headline",
        ),
        ("    predictor: neonatal_health\n", "    predictor: neonatal_care\n", "unknown predictor"),
        ("    pillar: health\n", "    pillar: wellness\n", "unknown pillar"),
        ("aliases: [lbw, share_low_birth_weight]", "aliases: [lbw, share_employed]", "alias"),
        ("aliases: [Majority Non-White]", "aliases: [Majority Non-White, Male]", "label 'male'"),
        ("        unit: index\n", "        unit: percentile\n", "expected one of share"),
        (
            "      city:\n        years: [2016, 2020]",
            "      place:\n        years: [2016, 2020]",
            "place",
        ),
        (
            "  - id: digital_access\n    label: Digital access\n",
            "  - id: housing_stability\n    label: Digital access\n",
            "Duplicate predictor id",
        ),
    ],
)
def test_inconsistent_yaml_is_refused(yaml_text: str, old: str, new: str, message: str) -> None:
    assert old in yaml_text
    with pytest.raises(CatalogError, match=message):
        load_catalog(yaml_text.replace(old, new, 1))


def test_invalid_yaml_is_refused() -> None:
    with pytest.raises(CatalogError, match="not valid YAML"):
        load_catalog("metrics: [unclosed")
    with pytest.raises(CatalogError, match="expected a mapping"):
        load_catalog("- just\n- a list\n")


def test_catalog_imports_no_higher_layer() -> None:
    allowed_roots = {"__future__", "collections", "csv", "dataclasses", "difflib", "functools"}
    allowed_roots |= {"importlib", "types", "typing", "yaml", "upward"}
    package = Path(upward.catalog.__file__).parent
    for module in package.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            names: list[str] = []
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for name in names:
                assert name.split(".")[0] in allowed_roots, (module.name, name)
                if name.startswith("upward."):
                    assert name.startswith("upward.catalog"), (module.name, name)

"""The frame of a chart: value axes fitted to the data, breaks at missing years, and the
catalog's comparability breaks marked and explained."""

from __future__ import annotations

import pytest

from upward.catalog import CatalogError, get_catalog, load_catalog
from upward.reports import charts


def test_value_axis_fits_the_data_and_says_when_it_does_not_start_at_zero() -> None:
    # 82% against 88%: not squeezed from zero, round ends, inside 0-100%.
    assert charts.value_domain("share", [0.82, 0.88, 0.80, 0.90]) == (0.78, 0.92)
    frame = charts.Frame(("%",), charts.value_domain("share", [0.82, 0.88]), "share")
    assert (
        frame.axis_note() == "The value axis starts at 81.0%, not at zero, to show the differences."
    )
    # Values close to zero (for their spread) start at zero, with no note.
    near = charts.value_domain("share", [0.045, 0.179])
    assert near[0] == 0 and near[1] >= 0.179
    assert charts.Frame(("%",), near, "share").axis_note() == ""
    # Never past the edge of a share's scale, and an empty chart still has an axis.
    assert charts.value_domain("share", [0.97, 0.999])[1] <= 1
    assert charts.value_domain("rate", []) == (0.0, 1.0)
    # Rates can be negative: the axis follows them below zero.
    assert charts.value_domain("rate", [-0.2, 0.3])[0] < -0.2


def test_lines_break_at_years_without_a_value() -> None:
    yearly = (2014, 2015, 2016, 2017, 2018, 2019, 2021, 2022, 2023)
    assert charts.gap_years(yearly, yearly) == (2020,)  # no one-year survey data in 2020
    assert charts.gap_years(yearly, (2014, 2015, 2017)) == (2016,)
    windows = (2014, 2016, 2018, 2021, 2023)  # five-year windows: only a missing grid year
    assert charts.gap_years(windows, windows) == ()
    assert charts.gap_years(windows, (2014, 2018, 2021)) == (2016,)
    rows = [{"s": "A", "x": 2019, "v": 1.0}, {"s": "A", "x": 2021, "v": 2.0}]
    filled = charts.with_gaps(rows, (2020,))
    assert [r["x"] for r in filled] == [2019, 2020, 2021] and filled[1]["v"] is None


def test_catalog_breaks_are_marked_between_years_and_explained() -> None:
    metric = get_catalog().metric("student_homelessness")
    (found,) = metric.breaks_for("county")
    assert (found.year, found.kind, found.label) == (2019, "source", "New source")
    years = list(range(2014, 2023))
    frame = charts.trend_frame(
        metric.headline, metric.years["county"], years, [0.033] * 5 + [0.012] * 4,
        metric.breaks_for("county"),
    )  # fmt: skip
    assert frame.marks == ((2018.5, "New source"),)
    assert frame.breaks_at == (2018.5,)  # the line breaks at the change of source
    assert frame.notes()[0].startswith("Comparability, 2019: Values for 2014 to 2018")
    # A break outside the years drawn is neither marked nor noted.
    later = charts.trend_frame(metric.headline, metric.years["county"], [2019, 2020], [0.01],
                               metric.breaks_for("county"))  # fmt: skip
    assert later.marks == () and not any(n.startswith("Comparability") for n in later.notes())
    spec = charts.chart_spec("trend", "share", [{"s": "Value", "x": y, "v": 0.03} for y in years],
                             frame)  # fmt: skip
    assert spec["datasets"]["breaks"] == [{"x": 2018.5, "label": "New source"}]
    assert {"s": "Value", "x": 2018.5, "v": None} in spec["datasets"]["values"]
    assert "@domain" not in str(spec) and spec["layer"][1]["encoding"]["color"]["legend"] is None


def test_a_break_must_fall_on_a_published_year() -> None:
    from importlib import resources

    text = resources.files("upward.catalog").joinpath("framework.yaml").read_text()
    bad = text.replace(
        "      - year: 2019\n        kind: source", "      - year: 2031\n        kind: source"
    )
    with pytest.raises(CatalogError, match=r"student_homelessness\.breaks\[0\]\.year"):
        load_catalog(bad)


def test_axis_titles_carry_the_unit_and_legend_labels_are_never_cut() -> None:
    catalog = get_catalog()
    assert charts.axis_title(catalog.variable("share_homeless")) == [
        "% of enrolled public school students"
    ]
    assert charts.axis_title(catalog.variable("rate_injury_death")) == ["Number per 100,000 people"]
    assert charts.axis_title(catalog.variable("share_affordable_available_50_ami")) == [
        "Homes per household"
    ]
    spec = charts.template("trend", "ratio")
    assert spec["config"]["legend"]["labelLimit"] == 0
    legend = spec["layer"][1]["encoding"]["color"]["legend"]
    assert legend["labelExpr"] == charts.WRAP_LABEL
    assert len(set(map(str, charts.DASHES))) == len(charts.PALETTE) == 6


def test_a_change_across_a_break_carries_its_note() -> None:
    from upward.analysis.trend import break_notes

    metric = get_catalog().metric("student_homelessness")
    assert break_notes(metric, 2014, 2022)[0].startswith("Comparability, 2019:")
    assert break_notes(metric, 2019, 2022) == () and break_notes(metric, 2014, 2018) == ()


def test_canvas_attributes_are_the_frame_as_json() -> None:
    """``Frame.attrs`` writes the axis title and range as ``json.dumps`` does, whether the
    range's ends are floats or whole numbers (a dollar axis in steps of 5,000)."""
    import json

    for domain in ((0.0, 1.0), (0.05, 0.35), (25000, 70000), (-0.1, 1e-07), (0.1 + 0.2, 1e22)):
        frame = charts.Frame(("% of households", "with a second line"), domain, "share")
        assert frame.attrs() == {
            "data-axis-title": json.dumps(["% of households", "with a second line"]),
            "data-domain": json.dumps(list(domain)),
        }

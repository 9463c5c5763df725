"""The one server-side chart of an indicator's numbers (reports/number_line.py): geometry
on the shared value scale, neutral ink, a text alternative, no script or style, escaping,
and the PNG for Word."""

from __future__ import annotations

import re
from xml.etree import ElementTree

import plan_samples as samples

from upward.reports import number_line as nl
from upward.reports.charts import Point

HOSTILE = "<script>alert('x')</script> & \" style=\"color:red"


def plan_line(**changes: object) -> nl.NumberLine:
    """A MAP-style chart: baseline 10% (CI 8%-12%), target 14%, MDC band 8%-12%."""
    fields: dict[str, object] = {
        "title": "Employment",
        "description": "Employment: baseline 10.0% in 2020.",
        "readings": (Point("Baseline (2020): 10.0%", 0.10, 0.08, 0.12),),
        "unit": "share",
        "target": 0.14,
        "target_label": "Target: 14.0%",
        "band": (0.08, 0.12),
    }
    return nl.NumberLine(**{**fields, **changes})  # type: ignore[arg-type]


def test_marks_sit_on_the_shared_value_scale() -> None:
    # value_domain: 0.08..0.14 padded by 15% of the spread (0.071..0.149), rounded to the
    # step 0.01 -> 0.07..0.15, drawn over 320 - 2 * 12 = 296 units.
    line = plan_line()
    assert line.domain() == (0.07, 0.15)
    svg = nl.svg(line)

    def x(value: float) -> str:
        return f"{12 + (value - 0.07) / 0.08 * 296:.1f}"

    assert f'<circle cx="{x(0.10)}" cy="31"' in svg
    assert f'd="M{x(0.08)},31H{x(0.12)}' in svg  # the CI bar with its caps
    assert f'<rect x="{x(0.08)}" y="4" width="148.0"' in svg  # the MDC band
    assert f'd="M{x(0.14)},41L' in svg  # the target's diamond on the axis
    assert 'stroke-dasharray="4 3"' in svg  # and its dashed rule


def test_the_scale_fits_the_data_and_keeps_to_the_units_edges() -> None:
    # Near zero: the axis starts at zero; a share never runs past 0% or 100%.
    near = plan_line(readings=(Point("b", 0.02, 0.0, 0.05),), target=None, band=None)
    assert near.domain()[0] == 0.0
    high = plan_line(readings=(Point("b", 0.97, 0.93, 1.0),), target=None, band=None)
    assert high.domain()[1] == 1.0
    # Far from zero: fitted, not from zero (82% and 88% are not squeezed together):
    # 0.811..0.889 with 15% of the spread each side, rounded out to the step 0.01.
    far = plan_line(readings=(Point("b", 0.82), Point("l", 0.88)), target=None, band=None)
    assert far.domain() == (0.81, 0.89)
    # A gap between two groups ('rate': no edges) may run below zero.
    gap = plan_line(unit="rate", readings=(Point("g", -0.05, -0.09, -0.01),), band=None)
    assert gap.domain()[0] < -0.09


def test_rows_stack_and_the_target_rule_runs_through_them() -> None:
    line = plan_line(
        readings=(Point("Baseline 2019: 10%", 0.10), Point("Latest 2023: 12%", 0.12)),
        band=None,
    )
    svg = nl.svg(line)
    assert re.findall(r'<circle cx="[\d.]+" cy="(\d+)"', svg) == ["31", "67"]
    assert 'height="112"' in svg and "<rect" not in svg
    # Domain 0.09..0.15: the target 14% at 12 + 5/6 * 296 = 258.7, clear of both labels.
    assert 'd="M258.7,4V77"' in svg
    # Under both labels (domain 0..0.2, all at 10%: x = 160), it breaks at each.
    same = (Point("Baseline 2019: 10%", 0.1, 0.05, 0.15), Point("Latest 2023: 10%", 0.1))
    under = nl.svg(plan_line(readings=same, target=0.1, band=None))
    assert 'd="M160.0,24V44M160.0,60V77"' in under
    assert nl.svg(plan_line(readings=())) == ""
    bare = nl.svg(plan_line(target=None, band=None))
    assert "stroke-dasharray" not in bare and "Target" not in bare


def test_every_mark_is_neutral_ink_with_a_text_alternative() -> None:
    svg = nl.svg(plan_line(), "ind3")
    colours = set(re.findall(r'(?:fill|stroke)="(#[0-9a-f]{6})"', svg))
    assert colours <= {nl.INK, nl.MUTED, nl.BAND, nl.PAPER}
    assert 'role="img" aria-labelledby="ind3-t" aria-describedby="ind3-d"' in svg
    assert '<title id="ind3-t">Employment</title>' in svg
    assert '<desc id="ind3-d">Employment: baseline 10.0% in 2020.</desc>' in svg


def test_labels_are_escaped_and_there_is_no_script_or_style() -> None:
    reading = Point(HOSTILE, 0.1, 0.05, 0.15)
    svg = nl.svg(
        plan_line(title=HOSTILE, description=HOSTILE, readings=(reading,), target_label=HOSTILE),
        ident='x" onload="alert(1)',
    )
    elements = list(ElementTree.fromstring(svg).iter())  # well-formed, whatever the labels
    assert not [e for e in elements if e.tag.endswith("script")]
    assert not [a for e in elements for a in e.attrib if a == "style" or a.startswith("on")]
    texts = [e.text for e in elements if e.text]
    assert texts.count(HOSTILE) == 4  # title, description, row label, target label
    assert {e.get("id") for e in elements} >= {'x" onload="alert(1)-t'}


def test_the_png_for_word_is_drawn_from_the_same_svg() -> None:
    picture = nl.png(nl.svg(plan_line()))
    assert picture is not None and picture.startswith(b"\x89PNG")
    width = int.from_bytes(picture[16:20], "big")
    assert width == nl.WIDTH * nl.PNG_SCALE


def test_the_plan_indicator_draws_its_baseline_target_and_band() -> None:
    ind = samples.document().measurement.indicators[0]
    line = ind.chart
    assert line is not None and line.description == ind.chart_words
    assert line.readings == (Point("Baseline (2021): 41.2%", 0.412, 0.39, 0.434),)
    assert line.target_label == "Target: 45.0%" and line.band is not None
    assert abs(line.band[1] - line.band[0] - 2 * ind.target.mdc) < 1e-9  # type: ignore[union-attr]

"""A population indicator that is the gap between two groups is written as a difference
everywhere: its baseline, latest value, target, MDC and CI ('+4.9 points', never '4.9%').

The gap: low birth weight in Ramsey County, Black minus White non-Hispanic, pinned as
+4.9 points in 2020 with 95% CI [+0.2, +9.6] points, Strong (the acceptance test's gap,
typed in: the fixture release publishes no White value, so its latest is not published).
Hand-computed: SE = (0.096 − 0.002) / 3.92 = 0.023980; MDC = 1.96 × √2 × SE = 0.066468
(6.6 points). Closing 75% of the gap to no gap: 0.049 + 0.75 × (0 − 0.049) = 0.01225
(+1.2 points), 0.03675 (3.7 points) below the baseline, inside the noise (< 6.6).

A gap the fixture does publish: digital access in Ramsey County in 2021, Black minus
White non-Hispanic, 0.8012 − 0.9234 = −0.1222 (−12.2 points), both Strong, no interval.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse

from upward.catalog import get_catalog
from upward.reports import action_plan as ap
from upward.reports.numbers import measured_bounds, measured_ci, measured_text
from upward.web.measurement import baseline_store, plan_document, publish_store
from upward.web.measurement.models import Baseline, Measure, Target
from upward.web.measurement.progress_store import plan_progress
from upward.web.page_cache import forget_pages

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

BLACK, WHITE = "Black, Non-Hispanic", "White, Non-Hispanic"
GAP_TEXT = f"{BLACK} minus {WHITE}: +4.9 points in 2020 (95% CI +0.2 points to +9.6 points; Strong)"
WORDS = (
    "A target of +1.2 percentage points (closing 75% of the gap to the other group) is 3.7 "
    "percentage points below the 2020 baseline of +4.9 percentage points; changes smaller "
    "than 6.6 percentage points cannot be told apart from noise at the 95% level, so this "
    "target lies inside the noise."
)


def test_one_formatter_writes_a_level_or_a_difference() -> None:
    v = get_catalog().variable("rate_low_birth_weight")
    assert measured_text(v, 0.049) == "4.9%"
    assert measured_text(v, 0.049, gap=True) == "+4.9 points"
    assert measured_text(v, -0.1222, gap=True) == "−12.2 points"
    assert measured_text(v, 0.0, gap=True) == "0.0 points"
    assert measured_ci(v, 0.044, 0.054) == "95% CI 4.4%–5.4%"
    assert measured_ci(v, 0.002, 0.096, gap=True) == "95% CI +0.2 points to +9.6 points"
    assert measured_bounds(v, None, 0.1, gap=True) == ""
    dollars = get_catalog().variable("pctl_income_20")
    assert measured_text(dollars, -16500, gap=True) == "−$16,500"


def gap_measure(world: SimpleNamespace, title: str, variable: str, **baseline: object) -> Measure:
    measure = Measure.objects.create(
        workspace=world.workspace, element=world.result_element, kind="population",
        title=title, geoid="27123", variable=variable, breakdown="race-ethnicity",
        subgroup=BLACK, versus=WHITE,
    )  # fmt: skip
    if baseline:
        Baseline.objects.create(
            workspace=world.workspace, measure=measure, geoid="27123", variable=variable,
            breakdown="race-ethnicity", subgroup=BLACK, versus=WHITE, release="fixture",
            **baseline,
        )  # fmt: skip
    return measure


@pytest.fixture
def gap_world(workspace_world: SimpleNamespace, client: Client) -> SimpleNamespace:
    """The world with the low-birth-weight gap pinned and 75% of it set as the target
    (through the target page), its old text as a level (pinned before this fix)."""
    world = workspace_world
    world.gap = gap_measure(
        world, "Low birth weight gap", "rate_low_birth_weight", year=2020, value=0.049,
        lb=0.002, ub=0.096, quality="Strong", text="4.9% in 2020",
    )  # fmt: skip
    client.force_login(world.owner)
    page = reverse("workspace:measure_target", args=["ramsey", world.gap.pk])
    sent = {"method": "gap", "share": "75", "confirm": "on"}
    response = client.post(page, sent)
    assert response.status_code == 302, response.content.decode()[-3000:]
    world.client = client
    world.target_page = page
    return world


def test_the_target_page_writes_the_gap_as_differences(gap_world: SimpleNamespace) -> None:
    world = gap_world
    target = Target.objects.get(measure=world.gap)
    assert round(target.value, 5) == 0.01225 and round(target.mdc, 6) == 0.066468
    assert target.words == WORDS
    html = world.client.get(world.target_page).content.decode()
    assert WORDS in html
    assert "+1.2 points" in html and "6.6 points" in html
    assert "1.2%" not in html and "4.9%" not in html  # the old level text is written again
    assert GAP_TEXT in html
    plan = world.client.get(reverse("workspace:measure_plan", args=["ramsey"])).content.decode()
    assert "+1.2 points" in plan and "1.2%" not in plan


def test_a_pinned_gap_is_shown_from_its_values() -> None:
    pinned = SimpleNamespace(
        geoid="27123", variable="rate_low_birth_weight", breakdown="race-ethnicity",
        subgroup=BLACK, versus=WHITE, year=2020, value=0.049, lb=0.002, ub=0.096,
        quality="Strong", text="4.9% in 2020", release="fixture", release_checksum="",
    )  # fmt: skip
    assert baseline_store.cell_of(pinned).text == GAP_TEXT  # type: ignore[arg-type]
    level = SimpleNamespace(**{**vars(pinned), "versus": "", "text": "kept as pinned"})
    assert baseline_store.cell_of(level).text == "kept as pinned"  # type: ignore[arg-type]


def test_progress_rows_write_the_gap_as_differences(gap_world: SimpleNamespace) -> None:
    world = gap_world
    digital = gap_measure(world, "Digital access gap", "share_digital_access")
    ref, cell = baseline_store.check_pin(digital, baseline_store.CURRENT)
    baseline_store.pin(digital, world.owner, ref, cell)
    rows = {r.title: r for r in plan_progress(world.workspace).rows}
    birth = rows["Low birth weight gap"]
    assert birth.gap and birth.status == "not_published"
    assert birth.baseline_text == GAP_TEXT and birth.target_text == "+1.2 points"
    access = rows["Digital access gap"]
    expected = f"{BLACK} minus {WHITE}: −12.2 points in 2021 (no CI; Strong)"
    assert access.gap and access.latest_text == expected and access.baseline_text == expected
    assert round(access.latest_value, 4) == -0.1222


def published(world: SimpleNamespace) -> None:
    problems = publish_store.publish_problems(world.workspace)
    publish_store.publish(world.workspace, world.owner, [p.key for p in problems])
    forget_pages()


def readings(html: str, measure: Measure) -> str:
    start = html.index(f'id="progress-{measure.pk}"')
    return html[start : html.index("</section>", start)]


def test_the_public_page_writes_the_gap_as_differences(gap_world: SimpleNamespace) -> None:
    world = gap_world
    published(world)
    english = readings(Client().get("/p/ramsey/").content.decode(), world.gap)
    assert "<td>+4.9 points</td><td>+0.2 points – +9.6 points</td>" in english, english
    assert "<td>+1.2 points</td>" in english
    assert ">Baseline 2020: +4.9 points</text>" in english  # the chart's label, likewise
    assert "4.9%" not in english and "1.2%" not in english
    spanish = readings(Client().get("/p/ramsey/?lang=es").content.decode(), world.gap)
    assert "<td>+4,9 puntos</td><td>+0,2 puntos – +9,6 puntos</td>" in spanish, spanish
    assert "<td>+1,2 puntos</td>" in spanish and "points" not in spanish


def test_the_plan_document_writes_the_gap_as_differences(gap_world: SimpleNamespace) -> None:
    world = gap_world
    doc = plan_document.assemble(world.workspace)
    ind = next(i for i in doc.measurement.indicators if i.title == "Low birth weight gap")
    assert ind.baseline is not None and ind.target is not None
    assert (ind.baseline.text, ind.baseline.ci_text) == (
        "+4.9 points",
        "95% CI +0.2 points to +9.6 points",
    )
    assert ind.baseline.quality == "Strong" and ind.mdc_text == "6.6 points"
    assert ind.target.text == "+1.2 points"
    chart = ind.chart  # a difference: its scale has no edges, and says points
    assert (
        chart is not None and chart.unit == "rate" and chart.target_label == "Target: +1.2 points"
    )
    html = ap.render_html(doc, "technical")
    assert "<td>+4.9 points</td><td>95% CI +0.2 points to +9.6 points</td><td>Strong</td>" in html
    assert "1.2%" not in html
    general = ap.render_html(doc, "general")
    assert (
        "It starts at +4.9 points in 2020 (95% CI +0.2 points to +9.6 points; rated Strong"
        in general
    )
    assert "The coalition aims for +1.2 points" in general


def test_a_gap_priority_states_its_ci_and_the_quality_it_rests_on() -> None:
    gap = {"group": BLACK, "versus": WHITE, "gap": "+4.9 points", "year": 2020,
           "ci": "+0.2 points to +9.6 points", "quality": "Marginal",
           "verdict": "Higher (statistically significant)"}  # fmt: skip
    assert plan_document._gap_line(gap) == (
        f"{BLACK} minus {WHITE}: +4.9 points in 2020 (95% CI +0.2 points to +9.6 points; "
        "rated Marginal (some limitations; use with care), the weaker of the two groups' "
        "values); Higher (statistically significant)"
    )
    older = {**gap, "quality": None}
    assert "the quality of the two groups' values was not recorded" in plan_document._gap_line(
        older
    )

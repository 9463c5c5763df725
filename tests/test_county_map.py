"""The county map's scale and key (reports/county_map.py): darker is always higher, the words
say which end is better, context measures get a neutral hue, and quality is its own mark
(hatching), never a fading of the colour."""

from __future__ import annotations

import json

import pytest

from upward.catalog import WEAK, Variable, get_catalog
from upward.data.distribution import Bin, Selection
from upward.reports import county_map
from upward.reports.county_map import MapScale, map_scale, map_symbols


def _variable(direction: str) -> Variable:
    return next(v for v in get_catalog().variables if v.direction == direction)


def _selection(direction: str) -> Selection:
    variable = _variable(direction)
    metric = next(m for m in get_catalog().metrics if variable in m.variables)
    return Selection(metric, variable, "county", 2023, (2023,), metric.geographies)


BINS = (
    Bin(0.04, 0.05, 10, open_start=True),
    Bin(0.05, 0.06, 20),
    Bin(0.06, 0.07, 5, open_end=True),
)


@pytest.mark.parametrize("direction", ["higher_better", "lower_better"])
def test_darker_is_always_higher_and_the_words_say_which_end_is_better(direction: str) -> None:
    scale = map_scale(_variable(direction), BINS)
    assert scale.ramp == county_map.RAMP  # the same colours, never reversed
    assert not scale.neutral
    assert scale.darker.startswith("Darker means a higher ")
    better = "higher" if direction == "higher_better" else "lower"
    assert scale.reading == f"For this measure, {better} values are better."


def test_a_context_measure_gets_a_neutral_hue_and_no_better_end() -> None:
    scale = map_scale(_variable("context"), BINS)
    assert scale.neutral
    assert scale.ramp == county_map.NEUTRAL_RAMP
    assert set(scale.ramp).isdisjoint(county_map.RAMP)
    assert "neither" in scale.reading and "better in itself" in scale.reading
    assert "Darker means a higher" in scale.darker


def test_the_scale_spans_the_bins_and_names_open_ends() -> None:
    variable = _variable("lower_better")
    scale = map_scale(variable, BINS)
    assert (scale.low, scale.high) == (0.04, 0.07)
    assert scale.low_label.endswith(" or less") and scale.high_label.endswith(" or more")
    closed = map_scale(variable, (Bin(0.04, 0.05, 1), Bin(0.05, 0.06, 1)))
    assert "or" not in closed.low_label + closed.high_label
    with pytest.raises(ValueError, match="at least one value"):
        map_scale(variable, ())


def test_stops_run_light_to_dark_over_the_whole_ramp() -> None:
    scale = MapScale(("#fff", "#888", "#000"), False, 0, 1, "0", "1", "", "")
    assert scale.stops == [("0.0%", "#fff"), ("50.0%", "#888"), ("100.0%", "#000")]


def test_every_symbol_of_the_key_is_distinct() -> None:
    symbols = map_symbols(find=True)
    keys = [s.key for s in symbols]
    assert keys == ["valued", "weak", "hidden", "missing", "found"]
    assert len({s.label for s in symbols}) == len(symbols)
    assert "found" not in [s.key for s in map_symbols()]
    weak = next(s for s in symbols if s.key == "weak")
    assert "Hatched" in weak.meaning


def _layers(spec: dict) -> list[dict]:
    return [layer for group in spec["layer"] for layer in group.get("layer", [group])]


def test_quality_is_hatching_not_opacity_and_weak_can_be_hidden() -> None:
    selection = _selection("lower_better")
    scale = map_scale(selection.variable, BINS)
    spec = county_map.county_map_spec(selection, scale, "/c.json", "/s.json", "the map")
    text = json.dumps(spec)
    assert "opacity" not in text.lower()  # no fading anywhere
    layers = _layers(spec)
    hatched = [la for la in layers if la["mark"].get("fill") == f"url(#{county_map.WEAK_PATTERN})"]
    assert len(hatched) == 1
    assert f"datum.q == '{WEAK}'" in hatched[0]["transform"][0]["filter"]
    coloured = next(la for la in layers if "color" in la.get("encoding", {}))
    assert "!(hide_weak" in coloured["transform"][0]["filter"]
    colour_scale = coloured["encoding"]["color"]["scale"]
    assert colour_scale["range"] == list(county_map.RAMP)
    assert "reverse" not in colour_scale
    params = {p["name"]: p["value"] for p in spec["params"]}
    assert params == {"focus_state": "", "highlight": "", "hide_weak": False,
                      "lo": 0.04, "hi": 0.07}  # fmt: skip
    assert spec["description"] == "the map"


def test_one_template_draws_the_nation_or_one_state() -> None:
    selection = _selection("higher_better")
    scale = map_scale(selection.variable, BINS)
    nation = county_map.county_map_spec(selection, scale, "/c.json", "/s.json", "n")
    state = county_map.county_map_spec(selection, scale, "/c.json", "/s.json", "s", "27")
    assert {p["name"]: p["value"] for p in state["params"]}["focus_state"] == "27"
    strip = lambda spec: {k: v for k, v in spec.items() if k not in ("params", "description")}  # noqa: E731
    assert strip(nation) == strip(state)


def test_the_map_compiles_to_vega() -> None:
    import vl_convert as vlc

    selection = _selection("context")
    scale = map_scale(selection.variable, BINS)
    spec = county_map.county_map_spec(selection, scale, "/c.json", "/s.json", "map", "27")
    compiled = vlc.vegalite_to_vega(spec)
    compiled = json.loads(compiled) if isinstance(compiled, str) else compiled
    signals = {s["name"] for s in compiled["signals"]}
    assert set(county_map.PARAMS) <= signals
    assert any(d.get("name") == "values" for d in compiled["data"])


def test_the_sentence_says_what_shades_and_marks_mean() -> None:
    selection = _selection("lower_better")
    scale = map_scale(selection.variable, BINS)
    text = county_map.describe_map(selection, scale, "the counties of Minnesota")
    assert text.startswith("Map of the counties of Minnesota shaded by")
    assert scale.darker in text and scale.reading in text
    assert "hatched" in text and "faded" not in text

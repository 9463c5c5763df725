"""Acceptance walk (issue 8): the insights, comparisons, disparities and review guide of 100
random places of the full release (fixed seed) claim only what a test supports.

For every place it checks that

* "better" or "worse" appears only where a 95% test supports a difference;
* no claim rests on a value rated Weak, nor on a median that rests mostly on Weak or pooled
  values (:mod:`upward.analysis.benchmark`);
* every claimed difference has |z| > 1.96 and a nonzero-width interval on each side that
  is not a fixed benchmark (the degenerate and clipped interval rule of ``compare_values``);
* no tie is reported as a strict standing, and a place alone in its state has no state
  percentile;
* every JSON answer of the API's insights, comparisons and disparities routes, and of the
  profile's ``.json`` twin, parses with a strict parser (no NaN or Infinity).

Two rules are fixed outside the wording and benchmark code: the degenerate and clipped
interval rule of ``compare_values`` ("claim from a degenerate interval", "claim without
|z| > 1.96") and strict JSON; on a branch without those fixes these checks fail, by design.
"""

from __future__ import annotations

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from upward.analysis.comparison import ScopeComparison, VariableComparison
from upward.analysis.insight import Insight
from upward.analysis.uncertainty import Comparison, Estimate
from upward.data.warehouse import Warehouse
from upward.explore import Release
from upward.reports.analysis_text import scope_standing
from upward.reports.place_analysis import PlaceAnalysis
from upward.reports.review_guide import build_review_guide, render_markdown
from upward.web.explorer.analysis_page import breakdown_block, verdict_label
from upward.web.explorer.profile_export import context_dict
from upward.web.explorer.profile_page import build_profile_page

SEED, PLACES = 8, 100


class Problems:
    """Every broken rule of the walk, by rule, so one run reports them all."""

    def __init__(self) -> None:
        self.found: dict[str, list[str]] = {}

    def check(self, ok: object, rule: str, where: str) -> bool:
        if not ok:
            self.found.setdefault(rule, []).append(where)
        return bool(ok)

    def summary(self) -> str:
        return "\n".join(f"{rule}: {len(items)}, e.g. {items[:3]}"
                         for rule, items in sorted(self.found.items()))  # fmt: skip


MOSTLY_WEAK = "claim against a median resting mostly on Weak or pooled values"
JUDGED = re.compile(r"\b(better|worse|fares)\b", re.IGNORECASE)
STRICT_SHARE = re.compile(r"\b(higher|lower) than (\d+%|all)\b")


@pytest.fixture(scope="module")
def release(full_warehouse_path: Path) -> Iterator[Release]:
    """The web app's release of the full warehouse, for the whole module.

    The walk analyses each place once, through the release (which keeps the feature tables
    and the benchmarks), and the JSON test's requests answer from the same kept analyses:
    the release keeps every place of the walk for the module's length.
    """
    from upward.explore import release as release_module
    from upward.web import data as web_data

    mp = pytest.MonkeyPatch()
    mp.setenv("UPWARD_WAREHOUSE", str(full_warehouse_path))
    mp.setattr(release_module, "ANALYSES_KEPT", max(release_module.ANALYSES_KEPT, PLACES))
    web_data.reset()
    try:
        yield web_data.get_release()
    finally:
        web_data.reset()
        mp.undo()


@pytest.fixture(scope="module")
def warehouse(release: Release) -> Warehouse:
    return release.warehouse


@pytest.fixture(scope="module")
def places(warehouse: Warehouse) -> list[str]:
    rows = warehouse.query("SELECT geoid FROM geography WHERE current ORDER BY geoid")
    return random.Random(SEED).sample([str(r[0]) for r in rows], PLACES)


@pytest.fixture(scope="module")
def analyses(release: Release, places: list[str]) -> list[PlaceAnalysis]:
    """``analyze_place`` of every place of the walk (default peers), kept by the release."""
    return [release.analysis(geoid) for geoid in places]


def _interval_ok(side: Estimate) -> bool:
    return side.fixed or (side.lb is not None and side.ub is not None and side.ub > side.lb)


def check_claim(p: Problems, c: Comparison, where: str) -> None:
    """A claimed difference: a real test, no Weak side, no degenerate interval."""
    p.check(c.z is not None and abs(c.z) > 1.96 and c.p is not None and c.p < 0.05,
            "claim without |z| > 1.96", f"{where}: z = {c.z}")  # fmt: skip
    p.check(not c.a.weak and not c.b.weak, "claim from a Weak value", where)
    p.check(_interval_ok(c.a) and _interval_ok(c.b), "claim from a degenerate interval (h1)",
            f"{where}: {c.a} vs {c.b}")  # fmt: skip


def check_scope(p: Problems, vc: VariableComparison, s: ScopeComparison, where: str) -> int:
    if s.comparison.claims_difference:
        check_claim(p, s.comparison, where)
        p.check(s.support.bears_claim and 2 * s.support.claim_n >= s.support.n,
                MOSTLY_WEAK, where)  # fmt: skip
    label = verdict_label(s.comparison, vc.direction)
    p.check(not JUDGED.search(label) or s.comparison.claims_difference,
            "better/worse without a test", f"{where}: {label}")  # fmt: skip
    rank = s.rank
    if rank is not None:
        if s.scope == "state" and rank.alone:
            p.check(s.percentile is None, "state percentile for a place alone", where)
        standing = scope_standing(vc, s)
        if rank.tied:
            p.check(standing.startswith(("tied with", "the same as all"))
                    and not STRICT_SHARE.search(standing),
                    "tie reported as a strict standing", f"{where}: {standing}")  # fmt: skip
        p.check(not JUDGED.search(standing), "better/worse without a test", where)
    return int(s.comparison.claims_difference)


def check_comparisons(p: Problems, analysis: PlaceAnalysis) -> int:
    claims = 0
    for vc in analysis.comparisons:
        where = f"{analysis.geography.geoid} {vc.variable.name}"
        for peer in vc.peers:
            if peer.comparison.claims_difference:
                check_claim(p, peer.comparison, f"{where} vs {peer.geoid}")
                claims += 1
        for s in vc.scopes:
            claims += check_scope(p, vc, s, f"{where} {s.scope}")
    return claims


def check_insight(p: Problems, i: Insight, where: str) -> None:
    where = f"{where} {i.kind} {i.variable}: {i.sentence}"
    if i.kind in ("strength", "area_to_explore", "disparity", "change"):
        claimed = [c for c in i.tests if c.claims_difference]
        p.check(i.tested and claimed and "significant at the 95% level, p" in i.sentence,
                "claim sentence without its test", where)  # fmt: skip
        for c in claimed:
            check_claim(p, c, where)
        p.check(i.observations and i.observations[0].quality != "Weak",
                "claim from a Weak value", where)  # fmt: skip
    else:
        p.check(not i.tested, "untested note marked tested", where)
    allowed = i.kind in ("strength", "area_to_explore", "change")
    p.check(allowed or not JUDGED.search(i.sentence), "better/worse without a test", where)


def check_insights(p: Problems, analysis: PlaceAnalysis) -> int:
    report = analysis.insights
    for i in report.all:
        check_insight(p, i, analysis.geography.geoid)
    for pillar in report.pillars:
        for i in (*pillar.strengths, *pillar.areas_to_explore):
            scopes = [s for vc in analysis.comparisons if vc.variable.name == i.variable
                      for s in vc.scopes if s.comparison.claims_difference]  # fmt: skip
            p.check(scopes and all(s.support.bears_claim for s in scopes),
                    MOSTLY_WEAK, i.sentence)  # fmt: skip
        for i in pillar.standings:
            nation = next(vc.scope("nation") for vc in analysis.comparisons
                          if vc.variable.name == i.variable)  # fmt: skip
            tied = nation is not None and nation.rank is not None and nation.rank.tied
            p.check(not tied or ": tied with" in i.sentence or ": the same as all" in i.sentence,
                    "tie reported as a strict standing", i.sentence)  # fmt: skip
    return len(report.all)


def check_disparities(p: Problems, analysis: PlaceAnalysis) -> int:
    claims = 0
    for b in analysis.breakdowns:
        where = f"{analysis.geography.geoid} {b.variable.name} {b.subgroup_type}"
        for gap in (*b.vs_total, *b.between):
            if gap.comparison.claims_difference:
                check_claim(p, gap.comparison, f"{where} {gap.group} - {gap.reference}")
                claims += 1
            else:
                p.check(gap.judgement is None, "better/worse without a test", where)
        for change in b.changes:
            if change.word in ("narrowed", "widened", "reversed"):
                check_claim(p, change.change, f"{where} change of {change.group}")
        for row in breakdown_block(b, set())["rows"]:
            p.check(not JUDGED.search(row["verdict"]) or row["ci"],
                    "better/worse without a test", f"{where}: {row}")  # fmt: skip
    return claims


def check_guide(p: Problems, analysis: PlaceAnalysis) -> None:
    guide = build_review_guide(analysis)
    tested = {i.sentence for i in analysis.insights.all if i.tested}
    for block in guide.pillars:
        for sentence in (*block.strengths, *block.areas):
            p.check(sentence in tested, "review guide claim without a test", sentence)
        for sentence in (*block.standings, *block.uncertain):
            p.check(not JUDGED.search(sentence), "better/worse without a test", sentence)
    for sentence in guide.gaps:
        p.check(sentence in tested and not JUDGED.search(sentence),
                "review guide gap without a test or with better/worse", sentence)  # fmt: skip
    for line in guide.peer_lines:
        p.check(not JUDGED.search(line.tally + line.median), "better/worse without a test",
                str(line))  # fmt: skip
    p.check(guide.place in render_markdown(guide), "review guide does not render", guide.place)


def check_profile(p: Problems, release: Release, analysis: PlaceAnalysis) -> int:
    page = build_profile_page(release, analysis.geography)
    ties = 0
    for metric in page.metrics:
        for row in metric.values:
            x = row.context
            if x is None or x.n_nation is None:
                continue
            where = f"{analysis.geography.geoid} {row.variable.name}"
            for tied, text in ((x.tied_nation, x.nation_rank), (x.tied_state, x.state_rank)):
                if tied:
                    ties += 1
                    p.check(text.startswith(("Tied with", "The same as all")),
                            "tie reported as a strict standing", f"{where}: {text}")  # fmt: skip
                p.check(not JUDGED.search(text), "better/worse without a test", where)
            if x.n_state == 1:
                p.check(x.pct_state is None and context_dict(x)["pct_state"] is None,  # type: ignore[index]
                        "state percentile for a place alone", where)  # fmt: skip
    return ties


def test_the_walk_claims_only_what_a_test_supports(
    release: Release, analyses: list[PlaceAnalysis]
) -> None:
    problems = Problems()
    claims = insights = ties = 0
    for analysis in analyses:
        claims += check_comparisons(problems, analysis) + check_disparities(problems, analysis)
        insights += check_insights(problems, analysis)
        check_guide(problems, analysis)
        ties += check_profile(problems, release, analysis)
    assert not problems.found, problems.summary()
    # the walk must have met real claims, insights and ties, or it proved nothing
    assert claims > 100 and insights > 100 and ties > 100, (claims, insights, ties)


def _strict(text: bytes) -> Any:
    def refuse(constant: str) -> None:
        raise ValueError(f"non-standard JSON constant {constant}")

    return json.loads(text, parse_constant=refuse)


def test_every_json_answer_parses_strictly(
    release: Release, warehouse: Warehouse, places: list[str]
) -> None:
    client = Client()  # served from the module's release (UPWARD_WAREHOUSE)
    for geoid in places:
        geo = warehouse.geography(geoid)
        for url in (
            f"/api/geographies/{geoid}/insights",
            f"/api/geographies/{geoid}/comparisons",
            f"/api/geographies/{geoid}/disparities",
            f"/{geo.geo_level}/{geoid}.json",
        ):
            response = client.get(url)
            assert response.status_code == 200, (url, response.content[:300])
            body = _strict(response.content)
            assert body, url

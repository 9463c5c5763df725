"""Peer matching in a learning network (issue 15, part 3): teams that share a priority
predictor (only through what each shares: a priority marked shared, or the priorities of a
public plan whose progress page is shared), similar places by the peer finder, and how
their shared progress compares (a difference only with a 95% test; nothing from Weak
data). The pages: /w/<slug>/network/peers/ and /n/<slug>/teams/<id>/peers/."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from network_support import make_team
from workspace_support import PASSWORD, make_user, make_workspace, publish_plan, snapshot

from upward.web.data import get_release
from upward.web.measurement.models import Baseline, Measure
from upward.web.measurement.progress_store import ProgressRow
from upward.web.networks import peer_store
from upward.web.networks.models import SharedRecord
from upward.web.strategy.models import Element, Priority

pytest_plugins = ["workspace_support", "network_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

INCOME_2014 = {
    "27123": (21000, 19500, 22500),
    "27053": (25000.5, 23000.25, 27000.75),
}


def income_indicator(workspace: Any, priority: Priority, geoid: str, title: str) -> Measure:
    """A population indicator of 20th-percentile income pinned at its 2014 value (as the
    fixture release publishes it, so it is not a revised baseline)."""
    result = Element.objects.create(
        workspace=workspace, priority=priority, kind="result", title=f"{title} result"
    )
    measure = Measure.objects.create(
        workspace=workspace, element=result, kind="population", title=title, geoid=geoid,
        variable="pctl_income_20",
    )  # fmt: skip
    value, lb, ub = INCOME_2014[geoid]
    Baseline.objects.create(
        workspace=workspace, measure=measure, geoid=geoid, variable="pctl_income_20", year=2014,
        value=value, lb=lb, ub=ub, quality="Strong", text=f"${value:,.0f} in 2014",
        release="fixture",
    )  # fmt: skip
    return measure


@pytest.fixture
def peers_world(network_world: SimpleNamespace) -> SimpleNamespace:
    """maln: ramsey (27123; shares its priority on opportunities for income, its plan
    republished with a 2014 income baseline) and hennepin (27053, owner hana: shares a
    priority on the same predictor and publishes a 2014 income baseline; adds a private
    priority on digital access after publishing, unshared).
    A third team, dona (35013), shares nothing."""
    world = network_world
    income_indicator(world.workspace, world.priority, "27123", "Income since 2014")
    world.plan_version = publish_plan(world.workspace, world.owner)
    world.hana = make_user("hana")
    world.hennepin = make_workspace(world.hana, "Hennepin Works", "hennepin")
    world.hennepin.geoids = ["27053"]
    world.hennepin.save()
    world.h_priority = Priority.objects.create(
        workspace=world.hennepin, geoid="27053", predictor="opportunities_for_income",
        metric="income", variable="pctl_income_20", title="Incomes in Hennepin", rank=1,
    )  # fmt: skip
    world.h_team = make_team(world.network, world.hennepin, world.hana, world.other_track)
    SharedRecord.objects.create(
        team=world.h_team, kind="priority", object_id=world.h_priority.pk, shared_by=world.hana
    )
    income_indicator(world.hennepin, world.h_priority, "27053", "Hennepin income")
    world.h_version = publish_plan(world.hennepin, world.hana)
    world.h_private = Priority.objects.create(  # after publishing: in no public plan
        workspace=world.hennepin, geoid="27053", predictor="digital_access",
        metric="digital_access", variable="share_digital_access", title="Secret broadband plan",
        rank=2,
    )  # fmt: skip
    world.dee = make_user("dee")
    world.dona = make_workspace(world.dee, "Dona Ana Together", "dona")
    world.dona.geoids = ["35013"]
    world.dona.save()
    Priority.objects.create(
        workspace=world.dona, geoid="35013", predictor="digital_access", metric="digital_access",
        variable="share_digital_access", title="Broadband for all", rank=1,
    )  # fmt: skip
    world.d_team = make_team(world.network, world.dona, world.dee)
    return world


def signed_in(user: Any) -> Client:
    client = Client()
    assert client.login(username=user.get_username(), password=PASSWORD)
    return client


def by_team(matches: peer_store.PeerMatches) -> dict[str, peer_store.PeerTeam]:
    return {p.team.workspace.slug: p for p in matches.peers}


def test_a_shared_priority_makes_a_shared_predictor(peers_world: SimpleNamespace) -> None:
    found = by_team(peer_store.peer_matches(peers_world.team))
    hennepin = found["hennepin"]
    [shared] = hennepin.predictors
    assert shared.predictor == "opportunities_for_income"
    assert "Incomes in Hennepin" in shared.words and "shared priority" in shared.words


def test_an_unshared_priority_never_matches_nor_leaks(
    peers_world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Hennepin's private digital-access priority and Dona's (which is not shared) match
    nothing, and their titles are on no page."""
    monkeypatch.setattr(peer_store, "NEAREST", 1)  # few places: only the nearest is similar
    matches = peer_store.peer_matches(peers_world.d_team)
    assert all(not p.predictors for p in matches.peers)
    client = signed_in(peers_world.owner)
    body = client.get("/w/ramsey/network/peers/").content.decode()
    assert "Secret broadband plan" not in body and "Broadband for all" not in body
    staff = signed_in(peers_world.adviser)
    for team in (peers_world.team, peers_world.h_team, peers_world.d_team):
        page = staff.get(f"/n/maln/teams/{team.pk}/peers/")
        assert page.status_code == 200
        text = page.content.decode()
        assert "Secret broadband plan" not in text and "Broadband for all" not in text


def test_an_unshared_progress_page_hides_the_plan(peers_world: SimpleNamespace) -> None:
    """Hennepin stops sharing its progress page: its plan's priorities and indicators are
    no longer read (its shared priority still matches)."""
    peers_world.h_team.share_progress = False
    peers_world.h_team.save()
    hennepin = by_team(peer_store.peer_matches(peers_world.team))["hennepin"]
    assert all(p.source == peer_store.SHARED for s in hennepin.predictors for p in s.theirs)
    assert not hennepin.progress
    assert "Hennepin Works shares no public progress page" in hennepin.progress_note


def test_similar_places_by_the_peer_finder(
    peers_world: SimpleNamespace, monkeypatch: pytest.MonkeyPatch
) -> None:
    found = by_team(peer_store.peer_matches(peers_world.team))
    assert found["dona"].similar and not found["dona"].predictors  # all alike among 10
    [pair] = found["hennepin"].similar
    assert "nearest of" in pair.words and "by the peer finder" in pair.words
    monkeypatch.setattr(peer_store, "NEAREST", 1)
    peers_world.team.workspace.peer_sets.all().delete()  # a private set is never used anyway
    get_release().invalidate()  # the kept nearest peers were of NEAREST 20
    result = get_release().peers("27123", peer_store.PeerMethod(k=1))[0]
    found = by_team(peer_store.peer_matches(peers_world.team))
    for slug, geoid in (("hennepin", "27053"), ("dona", "35013")):
        if geoid in result.geoids:
            assert found[slug].similar
        elif slug == "dona":
            assert slug not in found  # neither similar nor sharing a predictor


def test_progress_compared_honestly(peers_world: SimpleNamespace) -> None:
    """Both changes of 20th-percentile income since 2014 are within each other's noise:
    the 95% test says not distinguishable; the 2023 baselines are not compared."""
    hennepin = by_team(peer_store.peer_matches(peers_world.team))["hennepin"]
    tested = [c for c in hennepin.progress if c.verdict != "not_compared"]
    assert tested
    for c in tested:
        assert c.verdict == "not_distinguishable"
        assert "not distinguishable from Hennepin Works's change (95% test, p = " in c.words
        assert "95% CI" in c.mine_text and "95% CI" in c.theirs_text
    skipped = [c for c in hennepin.progress if c.verdict == "not_compared"]
    assert all("Not compared" in c.words for c in skipped)
    client = signed_in(peers_world.owner)
    body = client.get("/w/ramsey/network/peers/").content.decode()
    assert "not distinguishable from Hennepin Works" in body
    assert "higher than" not in body and "lower than" not in body


def row(change: float, lb: float, ub: float, quality: str = "Strong", **kw: Any) -> ProgressRow:
    fields: dict[str, Any] = dict(
        measure=1, title="x", priority="p", element="e", geoid="27123", place="Ramsey",
        variable="share_employed", variable_label="Share employed", group="Everyone",
        status="improving", status_words="Improving (statistically)", words="",
        baseline_year=2014, latest_year=2023, baseline_quality=quality, latest_quality="Strong",
        change=change, change_lb=lb, change_ub=ub,
    )  # fmt: skip
    return ProgressRow(**(fields | kw))


def test_a_difference_only_with_a_95_percent_test() -> None:
    big = peer_store.compare_rows(row(0.10, 0.08, 0.12), row(0.01, 0.0, 0.02), "B")
    assert big.verdict == "higher"
    assert "higher than B's change (significant at the 95% level" in big.words
    tie = peer_store.compare_rows(row(0.03, 0.0, 0.06), row(0.02, -0.01, 0.05), "B")
    assert tie.verdict == "not_distinguishable"
    assert "not distinguishable from B's change" in tie.words
    weak = peer_store.compare_rows(row(0.10, 0.08, 0.12, "Weak"), row(0.01, 0.0, 0.02), "B")
    assert weak.verdict == "too_uncertain" and "Weak" in weak.words
    assert "higher" not in weak.words and "lower" not in weak.words
    refused = peer_store.compare_rows(
        row(0.1, 0.08, 0.12),
        row(0.0, 0, 0.02, status="not_comparable", status_words="Not yet comparable",
            latest_quality="Weak"),
        "B",
    )  # fmt: skip
    assert refused.verdict == "too_uncertain" and "B's data are rated Weak" in refused.words
    years = peer_store.compare_rows(
        row(0.1, 0.08, 0.12), row(0.0, 0, 0.02, baseline_year=2018), "B"
    )
    assert years.verdict == "not_compared" and "different years" in years.words
    waiting = peer_store.compare_rows(
        row(0.1, 0.08, 0.12), row(0.0, 0, 0.02, status="not_comparable",
                                   status_words="Not yet comparable"), "B",
    )  # fmt: skip
    assert waiting.verdict == "not_compared" and waiting.theirs_text == ""


def test_the_pages_and_who_sees_them(peers_world: SimpleNamespace) -> None:
    world = peers_world
    member, adviser = signed_in(world.viewer), signed_in(world.adviser)
    rival, outsider = signed_in(world.rival_operator), signed_in(world.outsider)
    before = snapshot()
    page = member.get("/w/ramsey/network/peers/")
    assert page.status_code == 200 and "Hennepin Works" in page.content.decode()
    own = member.get(f"/n/maln/teams/{world.team.pk}/peers/")
    assert own.status_code == 200
    assert member.get(f"/n/maln/teams/{world.h_team.pk}/peers/").status_code == 404
    staff_page = adviser.get(f"/n/maln/teams/{world.team.pk}/peers/").content.decode()
    assert f'href="/n/maln/teams/{world.h_team.pk}/peers/"' in staff_page  # staff go on
    assert f"/n/maln/teams/{world.h_team.pk}/peers/" not in own.content.decode()
    assert adviser.get(f"/n/maln/teams/{world.h_team.pk}/peers/").status_code == 200
    # another network's team, or its staff: 404
    assert adviser.get(f"/n/maln/teams/{world.rival_team.pk}/peers/").status_code == 404
    assert adviser.get(f"/n/harbor-net/teams/{world.rival_team.pk}/peers/").status_code == 404
    assert rival.get(f"/n/maln/teams/{world.team.pk}/peers/").status_code == 404
    assert outsider.get("/w/ramsey/network/peers/").status_code == 404
    assert snapshot() == before


def test_a_withdrawn_public_page_or_a_team_that_left_is_not_read(
    peers_world: SimpleNamespace,
) -> None:
    """Hennepin withdraws its public page: its plan is no longer read (its shared priority
    still is). Then it leaves: it is no one's peer, and what it shared is gone."""
    from upward.web.measurement import publish_store
    from upward.web.networks import team_store

    publish_store.set_public(peers_world.hennepin, peers_world.hana, False)
    hennepin = by_team(peer_store.peer_matches(peers_world.team))["hennepin"]
    assert all(p.source == peer_store.SHARED for s in hennepin.predictors for p in s.theirs)
    assert not hennepin.progress
    team_store.leave(peers_world.h_team, peers_world.hana)
    matches = peer_store.peer_matches(peers_world.team)
    assert "hennepin" not in by_team(matches)
    assert all(t.workspace.slug != "hennepin" for t in matches.others)


def test_a_workspace_in_no_network_says_so(peers_world: SimpleNamespace) -> None:
    page = signed_in(peers_world.outsider).get("/w/elsewhere/network/peers/")
    assert page.status_code == 200
    assert "is not in a learning network" in page.content.decode()

"""Peers, compare, insights, review-guide and methods pages on the fixture warehouse:
every route, its .json/.csv twins, editing a peer set by hand, and every error path."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from django.test import Client

from upward.analysis.peer_set import PeerSet
from upward.catalog import get_catalog
from upward.web.explorer.analysis_page import verdict_label
from upward.web.explorer.peer_request import PeerRequestError, read_method

COUNTY, CITY = "27123", "2758000"
PILLARS = [p.id for p in get_catalog().pillars]


@pytest.fixture
def client(warehouse_env: Path) -> Client:
    return Client()


def html(client: Client, url: str, status: int = 200, **params: str) -> str:
    response = client.get(url, params)
    assert response.status_code == status, response.content[:500]
    return response.content.decode()


def peer_ids(page: str) -> list[str]:
    return re.findall(r'<tr data-geoid="(\d+)"', page)


def current_token(page: str) -> str:
    found = re.search(r'name="set" value="([^"]+)"', page)
    assert found, "the page carries its peer set in its forms"
    return found.group(1)


def follow_token(response) -> str:  # type: ignore[no-untyped-def]
    assert response.status_code == 302, response.content[:500]
    query = parse_qs(urlsplit(response["Location"]).query)
    return query["set"][0]


# -- peers ---------------------------------------------------------------------------------


def test_peers_page_lists_peers_and_explains_why(client: Client) -> None:
    page = html(client, f"/county/{COUNTY}/peers/")
    assert "Peers: Ramsey County, MN" in page
    assert peer_ids(page) == ["40143", "27053", "09110", "13121", "38071"]
    assert "Why these peers" in page and "Household income, median" in page
    assert "SD)" in page  # the standardized difference of each characteristic
    assert 'href="/methods/#peers"' in page
    assert "5 nearest peers of Ramsey County, MN" in page
    token = current_token(page)
    assert PeerSet.from_token(token).members == tuple(peer_ids(page))
    assert f"/county/{COUNTY}/peers/?set={token}" in page  # the shareable link
    assert page.count(">Remove<span") == 5
    assert 'data-source="/api/geographies"' in page and 'data-level="county"' in page


def test_method_controls_change_the_peers(client: Client) -> None:
    assert len(peer_ids(html(client, f"/county/{COUNTY}/peers/", k="2"))) == 2
    same_state = peer_ids(html(client, f"/county/{COUNTY}/peers/", same_state="1"))
    assert same_state == ["27053"]
    page = html(client, f"/county/{COUNTY}/peers/", w_population="0", k="5")
    assert "weights population=0" in page
    assert "Only 1 places meet the filters" in html(client, f"/county/{COUNTY}/peers/",
                                                    same_state="1")  # fmt: skip


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"k": "0"}, "'k' must be a whole number from 1 to 50"),
        ({"k": "abc"}, "'k' must be a whole number"),
        ({"band": "3,4"}, "low ≤ 1 ≤ high"),
        ({"band": "x"}, "two factors"),
        ({"w_population": "-1"}, "must be a number from 0 to 10"),
        ({"same_state": "maybe"}, "'same_state' must be 1 or 0"),
    ],
)
def test_bad_method_parameters_are_400s(client: Client, params: dict, message: str) -> None:
    page = html(client, f"/county/{COUNTY}/peers/", 400, **params)
    assert message in page.replace("&#x27;", "'")


def test_remove_then_add_by_name_fips_and_pick(client: Client) -> None:
    token = current_token(html(client, f"/county/{COUNTY}/peers/"))
    token = follow_token(client.get(f"/county/{COUNTY}/peers/", {"set": token, "remove": "27053"}))
    assert "27053" not in PeerSet.from_token(token).members
    assert PeerSet.from_token(token).removed == ("27053",)
    by_name = client.get(f"/county/{COUNTY}/peers/", {"set": token, "add": "Hennepin County, MN"})
    edited = PeerSet.from_token(follow_token(by_name))
    assert edited.members[-1] == "27053" and edited.added == ("27053",)
    by_fips = client.get(f"/county/{COUNTY}/peers/", {"set": token, "add": "02063"})
    assert PeerSet.from_token(follow_token(by_fips)).members[-1] == "02063"
    picked = client.get(f"/county/{COUNTY}/peers/", {"set": token, "add": "x", "pick": "35013"})
    token = follow_token(picked)
    assert PeerSet.from_token(token).members[-1] == "35013"
    page = html(client, f"/county/{COUNTY}/peers/", set=token)
    assert peer_ids(page)[-1] == "35013" and "Added by hand" in page
    retired = html(client, f"/county/{COUNTY}/peers/", 400, set=token, pick="02066")
    assert "No current county with FIPS code 02066" in retired


def test_adding_a_city_to_a_county_set_is_a_clear_error(client: Client) -> None:
    token = current_token(html(client, f"/county/{COUNTY}/peers/"))
    page = html(client, f"/county/{COUNTY}/peers/", 400, set=token, add=CITY)
    assert "St. Paul, MN is a city; the peers of a county must be counties" in page
    assert 'class="usa-error-message"' in page and peer_ids(page)  # the page is still whole
    page = html(client, f"/county/{COUNTY}/peers/", 400, set=token, add="St. Paul, MN")
    assert "is a city" in page


def test_adding_unknown_or_duplicate_places_explains_inline(client: Client) -> None:
    token = current_token(html(client, f"/county/{COUNTY}/peers/"))
    page = html(client, f"/county/{COUNTY}/peers/", 400, set=token, add="Hennepin")
    assert "already in this peer set" in page
    page = html(client, f"/county/{COUNTY}/peers/", 400, set=token, add="Ramsey County, MN")
    assert "cannot be its own peer" in page
    page = html(client, f"/county/{COUNTY}/peers/", 400, set=token, add="Tulsa Cnty")
    assert "usa-error-message" in page
    assert "Did you mean" in page and "pick=40143" in page  # a suggestion to add with one click
    page = html(client, f"/county/{COUNTY}/peers/", 400, set=token, add="  ")
    assert "Type a place" in page


def test_save_a_name_and_see_it_on_every_page(client: Client) -> None:
    token = current_token(html(client, f"/county/{COUNTY}/peers/"))
    response = client.get(f"/county/{COUNTY}/peers/", {"set": token, "name": "Twin peers"})
    named = follow_token(response)
    assert PeerSet.from_token(named).name == "Twin peers"
    for page in ("peers", "compare", "insights", "review-guide"):
        assert "Twin peers" in html(client, f"/county/{COUNTY}/{page}/", set=named), page
    assert "Give the peer set a name" in html(
        client, f"/county/{COUNTY}/peers/", 400, set=token, name=" "
    )


def test_city_peers_are_cities(client: Client) -> None:
    page = html(client, f"/city/{CITY}/peers/")
    assert peer_ids(page) and all(len(g) == 7 for g in peer_ids(page))
    assert "is a county" in html(client, f"/city/{CITY}/peers/", 400,
                                 set=current_token(page), add=COUNTY)  # fmt: skip


# -- compare --------------------------------------------------------------------------------


def test_compare_groups_metrics_with_tests_phrases_and_charts(client: Client) -> None:
    page = html(client, f"/county/{COUNTY}/compare/")
    for pillar in PILLARS:
        assert f'id="p-{pillar}"' in page
    assert 'id="v-pctl_income_50"' in page and 'id="m-' in page
    for text in ("Peer set", "Minnesota counties", "all U.S. counties", "Test at 95%",
                 "Against each peer:", "the median"):  # fmt: skip
        assert text in page, text
    assert "without a significance test" in page  # values without CIs say so
    templates = json.loads(re.search(r'id="chart-templates">(.*?)</script>', page, re.S).group(1))
    assert "peers" in templates["templates"] and templates["formats"]
    charts = re.findall(r'data-chart="peers:(\w+)" data-table="([^"]+)"', page)
    assert charts
    for _unit, table in charts:
        assert f'id="{table}"' in page and f'id="{table.removesuffix("-data")}-sum"' in page
    assert 'data-t="This place"' in page and 'data-t="Peer"' in page
    assert "vendor/vega-embed.min.js" in page and "upward/site.js" in page


def test_compare_changes_with_the_peer_set(client: Client) -> None:
    default = html(client, f"/county/{COUNTY}/compare/")
    assert "Tulsa County, OK" in default
    token = current_token(html(client, f"/county/{COUNTY}/peers/"))
    token = follow_token(client.get(f"/county/{COUNTY}/peers/", {"set": token, "remove": "40143"}))
    edited = html(client, f"/county/{COUNTY}/compare/", set=token)
    assert "Tulsa County, OK" not in edited and "4 counties" in edited


def test_compare_twins(client: Client) -> None:
    data = json.loads(html(client, f"/county/{COUNTY}/compare.json"))
    assert data["peer_set"]["target"] == COUNTY and data["items"]
    assert data["geography"]["geoid"] == COUNTY and data["count"] == len(data["items"])
    item = data["items"][0]
    assert {"metric", "variable", "year", "peers", "scopes", "peer_summary"} <= set(item)
    only = json.loads(html(client, f"/county/{COUNTY}/compare.json", metric="income_percentiles"))
    assert {c["metric"] for c in only["items"]} == {"income_percentiles"}
    rows = list(csv.DictReader(io.StringIO(html(client, f"/county/{COUNTY}/compare.csv"))))
    kinds = {r["comparator_kind"] for r in rows}
    assert {"peer", "peers_median", "state_median", "nation_median"} <= kinds
    error = json.loads(html(client, f"/county/{COUNTY}/compare.json", 400, metric="nope"))
    assert error["error"]["status"] == 400


# -- insights -------------------------------------------------------------------------------


def test_insights_link_each_sentence_to_its_numbers(client: Client) -> None:
    page = html(client, f"/county/{COUNTY}/insights/")
    assert "Strengths" in page and "Areas to explore" in page
    links = re.findall(r'class="upward-insight__link" href="([^"]+)"', page)
    assert links
    for link in links:
        anchor = link.split("#", 1)[1]
        if link.startswith("#"):
            assert f'id="{anchor}"' in page, link
        else:
            assert link.startswith(f"/county/{COUNTY}/compare/?set=")
            assert f'id="{anchor}"' in html(client, link.split("#")[0]), link
    assert "Where outcomes differ between groups" in page and "95% CI of the gap" in page
    assert "Changes over time" in page and "Bright spots" in page


def test_insights_json(client: Client) -> None:
    data = json.loads(html(client, f"/county/{COUNTY}/insights.json"))
    assert data["geography"]["display_name"] == "Ramsey County, MN" and data["pillars"]
    assert data["peer_set"]["target"] == COUNTY


# -- review guide ---------------------------------------------------------------------------


def test_review_guide_page_has_three_questions_and_notes(client: Client) -> None:
    page = html(client, f"/county/{COUNTY}/review-guide/")
    for q in ("stands_out", "disparities", "peers"):
        assert f'name="note_{q}"' in page
    assert "csrfmiddlewaretoken" in page and 'method="post"' in page
    assert 'value="pdf"' in page and 'value="docx"' in page


def test_review_guide_post_downloads_with_notes(client: Client) -> None:
    response = client.post(
        f"/county/{COUNTY}/review-guide/",
        {"format": "md", "note_peers": "We also watch Hennepin County.", "note_stands_out": ""},
    )
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('review-guide-27123.md"')
    text = response.content.decode()
    assert "Ramsey County, MN" in text and "We also watch Hennepin County." in text
    pdf = client.post(f"/county/{COUNTY}/review-guide/", {"format": "pdf"})
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    bad = client.post(f"/county/{COUNTY}/review-guide/", {"format": "odt"})
    assert bad.status_code == 400 and b"html, md, pdf, docx" in bad.content
    long = client.post(f"/county/{COUNTY}/review-guide/", {"format": "md",
                                                           "note_peers": "x" * 20_001})  # fmt: skip
    assert long.status_code == 400


def test_review_guide_post_needs_csrf(fixture_warehouse_path: Path, client: Client) -> None:
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(f"/county/{COUNTY}/review-guide/", {"format": "md"}).status_code == 403


@pytest.mark.parametrize("fmt", ["html", "md", "pdf", "docx", "json"])
def test_review_guide_get_downloads(client: Client, fmt: str) -> None:
    token = current_token(html(client, f"/county/{COUNTY}/peers/"))
    response = client.get(f"/county/{COUNTY}/review-guide.{fmt}", {"set": token})
    assert response.status_code == 200
    if fmt == "pdf":
        assert response.content.startswith(b"%PDF")
    elif fmt == "docx":
        assert response.content.startswith(b"PK")
    elif fmt == "json":
        assert json.loads(response.content)["place"] == "Ramsey County, MN"
    else:
        assert "Ramsey County, MN" in response.content.decode()


def test_unknown_formats_are_400s(client: Client) -> None:
    page = html(client, f"/county/{COUNTY}/review-guide.odt", 400)
    assert "'odt' is not one of them" in page.replace("&#x27;", "'")
    assert "comes as json" in html(client, f"/county/{COUNTY}/insights.csv", 400)


# -- peers twins ----------------------------------------------------------------------------


def test_peers_twins(client: Client) -> None:
    data = json.loads(html(client, f"/county/{COUNTY}/peers.json"))
    assert [p["geoid"] for p in data["peers"]] == ["40143", "27053", "09110", "13121", "38071"]
    assert PeerSet.from_token(data["share"]["token"]).target == COUNTY
    rows = list(csv.DictReader(io.StringIO(html(client, f"/county/{COUNTY}/peers.csv"))))
    assert {r["peer_geoid"] for r in rows} == set(p["geoid"] for p in data["peers"])
    assert {"characteristic", "target_value", "peer_value", "z_difference"} <= set(rows[0])


# -- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "status", "message"),
    [
        ("/county/abc/compare/", 400, "is not a FIPS code"),
        ("/county/123/insights/", 400, "has 5 digits"),
        ("/county/99999/peers/", 404, "99999"),
        ("/county/27123/compare/?set=garbage", 400, "damaged or incomplete"),
        ("/county/27123/peers.json?set=garbage", 400, "damaged or incomplete"),
    ],
)
def test_bad_addresses(client: Client, url: str, status: int, message: str) -> None:
    response = client.get(url)
    assert response.status_code == status
    assert message in response.content.decode().replace("&#x27;", "'")
    if ".json" in url:
        assert response.json()["error"]["status"] == status


def test_sets_must_belong_to_the_place_and_its_kind(client: Client) -> None:
    county_token = current_token(html(client, f"/county/{COUNTY}/peers/"))
    page = html(client, "/county/27053/compare/", 400, set=county_token)
    assert "made for the place with FIPS code 27123" in page
    assert "made for the place" in html(client, f"/city/{CITY}/insights/", 400, set=county_token)
    # A hand-made token naming a city in a county's set.
    mixed = _token({"name": "Mixed", "target": COUNTY, "peers": ["2743000"]})
    assert "not the same kind of place" in html(client, f"/county/{COUNTY}/compare/", 400,
                                                set=mixed)  # fmt: skip
    unknown = _token({"name": "Gone", "target": COUNTY, "peers": ["27999"]})
    assert "No current county" in html(client, f"/county/{COUNTY}/peers/", 400, set=unknown)


def _token(data: dict) -> str:
    raw = json.dumps([1, data], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def test_methods_page_renders_the_method_notes(client: Client) -> None:
    page = html(client, "/methods/")
    assert 'id="peers"' in page and "standard error" in page.lower()
    assert 'id="comparisons-with-peers-state-and-nation"' in page


# -- helpers --------------------------------------------------------------------------------


def test_read_method_defaults_and_weights() -> None:
    method = read_method({"weights": "population:2", "w_pctl_income_50": "0"}, "county")
    assert dict(method.weights) == {"population": 2.0, "pctl_income_50": 0.0}
    assert read_method({"w_population": "1"}, "county").weights == ()  # the default
    unchanged = {"w_pctl_income_20": "0.333333", "w_population": "1.0"}
    assert read_method(unchanged, "county").weights == ()  # the form sends defaults back
    with pytest.raises(PeerRequestError, match="characteristic:weight"):
        read_method({"weights": "population"}, "county")


def test_verdict_labels_never_overclaim() -> None:
    from upward.analysis.uncertainty import Estimate, compare_values

    weak = compare_values(Estimate(1.0, 0.9, 1.1, "Weak"), Estimate(0.1, 0.0, 0.2))
    assert verdict_label(weak, "higher_better") == "Too uncertain (Weak data)"
    untested = compare_values(Estimate(1.0), Estimate(0.5))
    assert verdict_label(untested, "higher_better") == "Higher, not tested (no CI)"
    clear = compare_values(Estimate(1.0, 0.9, 1.1), Estimate(0.1, 0.0, 0.2))
    assert verdict_label(clear, "lower_better") == "Higher (worse), p < 0.001"
    same = compare_values(Estimate(1.0, 0.5, 1.5), Estimate(0.9, 0.4, 1.4))
    # difference 0.1, se = hypot(0.5, 0.5) / 1.96 = 0.3608, z = 0.277, p = 0.782
    assert verdict_label(same, "higher_better") == "Not distinguishable, p = 0.782"

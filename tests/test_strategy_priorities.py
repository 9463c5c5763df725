"""Priorities from the evidence (issue 13, item 1): adding from each source through the
confirm page, the evidence kept with a priority, ranking, decisions and their vote counts,
bad input, roles, and GETs that change nothing."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from upward.web.knowledge.codebook import builtin_code
from upward.web.knowledge.models import Excerpt, LocalSeries, Note
from upward.web.strategy import priority_store as store
from upward.web.strategy.models import Priority, PriorityDecision
from upward.web.workspace.models import Activity

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

PLACE = "27123"
VALUE = {"place": PLACE, "variable": "pctl_income_20"}
GAP = {"place": PLACE, "variable": "rate_injury_death", "breakdown": "race-ethnicity",
       "subgroup": "Black, Non-Hispanic", "versus": "White, Non-Hispanic"}  # fmt: skip
TOTAL_GAP = {"place": PLACE, "variable": "rate_low_birth_weight", "breakdown": "race-ethnicity",
             "subgroup": "Black, Non-Hispanic", "versus": "All"}  # fmt: skip


def url(name: str, *args: object) -> str:
    return reverse(f"workspace:{name}", args=["ramsey", *args])


@pytest.fixture
def editor(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.editor)
    return client


def confirm(client: Client, **params: str) -> Any:
    return client.get(url("priority_create"), params)


def add(client: Client, source: str = "insights", **params: str) -> Any:
    """GET the confirm page, then send its form as a member would."""
    page = confirm(client, **{**params, "from": source})
    assert page.status_code == 200, page.content.decode()[:2000]
    form = page.context["form"]
    names = ("place", "variable", "breakdown", "subgroup", "versus", "source", "source_ref")
    data = {k: form[k].value() or "" for k in names}
    data.update(once=page.context["once"], title="", rationale="")
    return client.post(url("priority_create"), data)


def test_confirm_page_shows_the_evidence_and_saves_nothing(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    before, logged = Priority.objects.count(), Activity.objects.count()
    response = confirm(editor, **VALUE, **{"from": "profile"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Make this a priority" in page and "95% CI" in page and "Strong" in page
    assert "All U.S. counties" in page and "Test at 95%" in page
    assert Priority.objects.count() == before and Activity.objects.count() == logged


def test_adding_keeps_the_evidence(workspace_world: SimpleNamespace, editor: Client) -> None:
    world = workspace_world
    series = LocalSeries.objects.create(
        workspace=world.workspace, name="Rent burden", predictors=["opportunities_for_income"]
    )
    note = Note.objects.create(workspace=world.workspace, title="Session", text="Jobs are far.")
    excerpt = Excerpt.objects.create(workspace=world.workspace, note=note, start=0, end=4,
                                     text="Jobs")  # fmt: skip
    excerpt.codes.add(builtin_code(world.workspace, "predictor", "opportunities_for_income"))
    response = add(editor, "profile", **VALUE)
    assert response.status_code == 302
    p = Priority.objects.get(workspace=world.workspace, variable="pctl_income_20")
    assert response["Location"] == url("priority_detail", p.pk)
    e = p.evidence
    assert p.source == "profile" and p.predictor == "opportunities_for_income"
    assert e["value"]["year"] == 2023 and e["value"]["lb"] is not None and e["value"]["quality"]
    assert e["release"]["name"] == p.release and p.release
    scopes = {c["scope"]: c for c in e["comparisons"]}
    assert set(scopes) == {"peers", "state", "nation"}
    assert scopes["nation"]["difference"] is True and scopes["state"]["difference"] is False
    assert e["local"]["series_ids"] == [series.pk] and e["local"]["finding_ids"] == [excerpt.pk]
    assert p.rank == 2  # after the world's priority
    assert Activity.objects.filter(workspace=world.workspace, verb="added",
                                   target__contains=p.title).exists()  # fmt: skip
    detail = editor.get(url("priority_detail", p.pk)).content.decode()
    assert "The evidence when it was added" in detail and "The evidence now" in detail
    assert detail.count(e["value"]["text"]) == 2


def test_a_gap_between_two_groups_carries_its_test(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    assert add(editor, "insights", **GAP).status_code == 302
    p = Priority.objects.get(variable="rate_injury_death")
    gap = p.evidence["gap"]
    assert {gap["group"], gap["versus"]} == {GAP["subgroup"], GAP["versus"]}
    assert "verdict" in gap and isinstance(gap["difference"], bool)
    assert p.is_gap and "gap between" in p.title
    assert add(editor, "insights", **TOTAL_GAP).status_code == 302
    total = Priority.objects.get(variable="rate_low_birth_weight").evidence
    assert total["gap"]["versus"] == "All" and total["group"]["group"] == TOTAL_GAP["subgroup"]


def test_weak_or_untested_is_never_called_a_difference(workspace_world: SimpleNamespace) -> None:
    target = store.check_target(workspace_world.workspace, VALUE)
    e = store.evidence_for(workspace_world.workspace, target)
    for c in e["comparisons"]:
        if c["difference"]:
            assert "p = " in c["verdict"]
        else:
            assert "p = 0.0" not in c["verdict"] or "No claim" in c["verdict"]
    e["gap"] = {"group": "A", "versus": "B", "gap": "1", "ci": "", "year": 2023,
                "verdict": "Too uncertain to say", "difference": False}  # fmt: skip
    assert "Too uncertain" in store.headline_of(e)


@pytest.mark.parametrize(
    ("params", "field", "words"),
    [
        ({"place": "99999", "variable": "pctl_income_20"}, "place", "not a county or city"),
        ({"place": "27053", "variable": "pctl_income_20"}, "place", "not one of this workspace"),
        ({"place": PLACE, "variable": "flying_cars"}, "variable", "not a measure"),
        ({**GAP, "breakdown": "zodiac"}, "breakdown", "not a breakdown"),
        ({**GAP, "subgroup": "Martians"}, "subgroup", "not a group"),
        ({**GAP, "versus": GAP["subgroup"]}, "versus", "two different groups"),
        ({**VALUE, "versus": "All"}, "versus", "first group"),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    workspace_world: SimpleNamespace, editor: Client, params: dict, field: str, words: str
) -> None:
    before = Priority.objects.count()
    response = confirm(editor, **params)
    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors[field])
    data = {**params, "source": "manual", "once": "x" * 22}
    response = editor.post(url("priority_create"), data)
    assert response.status_code == 400 and words in response.content.decode()
    assert Priority.objects.count() == before


def test_a_duplicate_is_refused(workspace_world: SimpleNamespace, editor: Client) -> None:
    assert add(editor, **VALUE).status_code == 302
    response = confirm(editor, **VALUE)
    assert response.status_code == 400
    assert "already a priority" in " ".join(response.context["form"].errors["variable"])
    assert Priority.objects.filter(variable="pctl_income_20").count() == 1


def test_the_same_form_sent_twice_adds_once(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    page = confirm(editor, **VALUE)
    data = {**VALUE, "source": "manual", "once": page.context["once"]}
    first, second = (editor.post(url("priority_create"), data) for _ in range(2))
    assert first.status_code == second.status_code == 302
    assert Priority.objects.filter(variable="pctl_income_20").count() == 1


def test_metric_and_predictor_links_stand_for_their_headline(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    by_metric = confirm(editor, place=PLACE, metric="income_percentiles")
    assert by_metric.status_code == 200 and by_metric.context["target"].variable.headline
    by_predictor = confirm(editor, predictor="opportunities_for_income", place=PLACE)
    assert by_predictor.status_code == 200
    empty = confirm(editor)
    assert empty.status_code == 200 and "Show the evidence" in empty.content.decode()


def test_viewer_cannot_add_rank_or_decide(workspace_world: SimpleNamespace, client: Client) -> None:
    client.force_login(workspace_world.viewer)
    assert client.get(url("priority_list")).status_code == 200
    assert client.get(url("priority_detail", workspace_world.priority.pk)).status_code == 200
    for name in ("priority_create", "priority_rank", "priority_decision_create"):
        assert client.get(url(name)).status_code == 403
        assert client.post(url(name), {}).status_code == 403
    assert "Add a priority" not in client.get(url("priority_list")).content.decode()


def test_choose_asks_which_workspace(workspace_world: SimpleNamespace, client: Client) -> None:
    chooser = reverse("workspace:priority_choose")
    anonymous = client.get(chooser, {**VALUE, "from": "profile"})
    assert anonymous.status_code == 302 and "login" in anonymous["Location"]
    client.force_login(workspace_world.editor)
    one = client.get(chooser, {**VALUE, "from": "profile"})
    assert one.status_code == 302 and one["Location"].startswith(url("priority_create"))
    client.force_login(workspace_world.viewer)
    none = client.get(chooser, {**VALUE, "from": "profile"})
    assert none.status_code == 200 and "None of the workspaces" in none.content.decode()


def ranked(world: SimpleNamespace) -> list[int]:
    return [p.pk for p in store.ordered(world.workspace)]


def test_ranking_by_numbers_and_by_moves(workspace_world: SimpleNamespace, editor: Client) -> None:
    world = workspace_world
    add(editor, **VALUE)
    add(editor, **GAP)
    first, second, third = ranked(world)
    page = editor.get(url("priority_rank"))
    seen = page.context["seen"]
    data = {"seen": seen, f"rank_{first}": "3", f"rank_{second}": "1", f"rank_{third}": "2"}
    assert editor.post(url("priority_rank"), data).status_code == 302
    assert ranked(world) == [second, third, first]
    assert Activity.objects.filter(verb="ranked").exists()
    seen = editor.get(url("priority_rank")).context["seen"]
    assert (
        editor.post(url("priority_rank"), {"seen": seen, "move": f"{first}:up"}).status_code == 302
    )
    assert ranked(world) == [second, first, third]
    stale = editor.post(url("priority_rank"), {"seen": seen, "move": f"{first}:up"})
    assert stale.status_code == 409 and ranked(world) == [second, first, third]


def test_ranking_refuses_bad_ranks(workspace_world: SimpleNamespace, editor: Client) -> None:
    add(editor, **VALUE)
    first, second = ranked(workspace_world)
    seen = editor.get(url("priority_rank")).context["seen"]
    twice = editor.post(url("priority_rank"), {"seen": seen, f"rank_{first}": "1",
                                               f"rank_{second}": "1"})  # fmt: skip
    assert twice.status_code == 400 and "given to both" in twice.content.decode()
    word = editor.post(url("priority_rank"), {"seen": seen, f"rank_{first}": "first",
                                              f"rank_{second}": "2"})  # fmt: skip
    assert word.status_code == 400 and "whole number" in word.content.decode()
    assert ranked(workspace_world) == [first, second]


def decision_data(world: SimpleNamespace, **votes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"method": "dot_vote", "date": "2026-11-30", "participants": "14",
                            "notes": "At the data walk", "once": "y" * 22}  # fmt: skip
    data.update({f"votes_{k}": v for k, v in votes.items()})
    return data


def test_a_dot_vote_is_recorded_and_shown_beside_ranks(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    world = workspace_world
    PriorityDecision.objects.all().delete()  # the world's, so this one is the latest
    pk = world.priority.pk
    response = editor.post(url("priority_decision_create"), decision_data(world, **{str(pk): 9}))
    assert response.status_code == 302
    decision = PriorityDecision.objects.filter(workspace=world.workspace).order_by("-id").first()
    assert decision.votes == {str(pk): 9} and decision.participants == 14
    page = editor.get(url("priority_list")).content.decode()
    assert 'data-label="Votes">9<' in page


@pytest.mark.parametrize("count", ["-1", "two", "1.5"])
def test_vote_counts_must_be_whole_and_not_negative(
    workspace_world: SimpleNamespace, editor: Client, count: str
) -> None:
    before = PriorityDecision.objects.count()
    pk = workspace_world.priority.pk
    data = decision_data(workspace_world, **{str(pk): count})
    response = editor.post(url("priority_decision_create"), data)
    assert response.status_code == 400 and "Votes for" in response.content.decode()
    assert PriorityDecision.objects.count() == before


def test_votes_only_for_this_workspaces_priorities(workspace_world: SimpleNamespace) -> None:
    with pytest.raises(ValueError, match="not a priority of this workspace"):
        store.clean_votes(workspace_world.workspace, {"999999": 3})
    assert store.clean_votes(workspace_world.workspace, {workspace_world.priority.pk: "4"}) == {
        str(workspace_world.priority.pk): 4
    }


def test_edit_is_versioned_and_delete_logs(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    p = workspace_world.priority
    data = {"title": "Jobs for all", "rationale": "We heard it.", "version": p.version}
    assert editor.post(url("priority_edit", p.pk), data).status_code == 302
    stale = editor.post(url("priority_edit", p.pk), {**data, "title": "Other"})
    assert stale.status_code == 409
    p.refresh_from_db()
    assert p.title == "Jobs for all" and p.version == 2
    assert editor.post(url("priority_delete", p.pk), {"version": 1}).status_code == 302
    assert Priority.objects.filter(pk=p.pk).exists()  # stale version: not deleted
    assert editor.post(url("priority_delete", p.pk), {"version": 2}).status_code == 302
    assert not Priority.objects.filter(pk=p.pk).exists()
    assert Activity.objects.filter(verb="deleted").exists()


def test_gets_change_nothing(workspace_world: SimpleNamespace, editor: Client) -> None:
    counts = (Priority.objects.count(), PriorityDecision.objects.count(), Activity.objects.count())
    pk, d = workspace_world.priority.pk, workspace_world.decision.pk
    for target in (url("priority_list"), url("priority_detail", pk), url("priority_edit", pk),
                   url("priority_delete", pk), url("priority_rank"),
                   url("priority_decision_create"), url("priority_decision_edit", d),
                   url("priority_decision_delete", d)):  # fmt: skip
        assert editor.get(target).status_code in (200, 302)
    confirm(editor, **GAP)
    editor.get(reverse("workspace:priority_choose"), VALUE)
    assert counts == (
        Priority.objects.count(),
        PriorityDecision.objects.count(),
        Activity.objects.count(),
    )


def test_links_from_the_evidence(workspace_world: SimpleNamespace, editor: Client) -> None:
    insights = editor.get("/county/27123/insights/").content.decode()
    assert "Make this a priority" in insights and "from=insights" in insights
    assert "versus=All" in insights  # a gap between a group and its total
    predictor = editor.get(url("knowledge_predictor", "opportunities_for_income")).content.decode()
    assert "from=predictor" in predictor
    profile = editor.get("/county/27123/").content.decode()
    assert reverse("workspace:priority_choose") in profile and "from=profile" in profile


def coded_finding(world: SimpleNamespace) -> Excerpt:
    """An excerpt of a note coded to the income predictor and to a condition."""
    note = Note.objects.create(workspace=world.workspace, title="Frogtown session",
                               text="Jobs are far from here.")  # fmt: skip
    excerpt = Excerpt.objects.create(workspace=world.workspace, note=note, start=0, end=12,
                                     text="Jobs are far")  # fmt: skip
    excerpt.codes.add(builtin_code(world.workspace, "predictor", "opportunities_for_income"),
                      builtin_code(world.workspace, "condition", "resource_flows"))  # fmt: skip
    return excerpt


def test_make_a_coded_finding_a_priority(workspace_world: SimpleNamespace, editor: Client) -> None:
    world = workspace_world
    excerpt = coded_finding(world)
    note_page = editor.get(url("note_detail", excerpt.note_id)).content.decode()
    ref = f"excerpt:{excerpt.pk}"
    link = (f"{url('priority_create')}?predictor=opportunities_for_income&amp;"
            f"ref=excerpt%3A{excerpt.pk}&amp;from=finding")  # fmt: skip
    assert "Make this a priority: Opportunities for income" in note_page and link in note_page
    assert note_page.count("Make this a priority") == 1  # the condition code has none
    listing = editor.get(url("excerpt_list")).content.decode()
    assert link in listing
    counts = (Priority.objects.count(), Activity.objects.count())
    # the workspace has two places and a note names none: the page asks which
    asking = editor.get(link.replace("&amp;", "&"))
    assert asking.status_code == 200 and "target" not in asking.context
    assert not asking.context["form"].errors and "Show the evidence" in asking.content.decode()
    chosen = {k: asking.context["form"][k].value() or "" for k in
              ("variable", "breakdown", "subgroup", "versus")}  # fmt: skip
    page = confirm(editor, **chosen, place=PLACE, **{"from": "finding", "ref": ref})
    assert page.status_code == 200 and page.context["target"].predictor.id == (
        "opportunities_for_income"
    )
    assert (Priority.objects.count(), Activity.objects.count()) == counts  # GETs saved nothing
    form = page.context["form"]
    assert (form["source"].value(), form["source_ref"].value()) == ("finding", ref)
    names = ("place", "variable", "breakdown", "subgroup", "versus", "source", "source_ref")
    data = {k: form[k].value() or "" for k in names}
    made = editor.post(url("priority_create"), {**data, "once": page.context["once"]})
    assert made.status_code == 302
    p = Priority.objects.get(workspace=world.workspace, variable=form["variable"].value())
    assert (p.source, p.source_ref, p.predictor) == ("finding", ref, "opportunities_for_income")
    assert excerpt.pk in p.evidence["local"]["finding_ids"]
    detail = editor.get(url("priority_detail", p.pk)).content.decode()
    back = f"{url('note_detail', excerpt.note_id)}#excerpt-{excerpt.pk}"
    assert "Coded finding" in detail and back in detail and "Frogtown session" in detail


def test_a_viewer_sees_no_priority_link_on_a_finding(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    excerpt = coded_finding(workspace_world)
    client.force_login(workspace_world.viewer)
    for page in (url("note_detail", excerpt.note_id), url("excerpt_list")):
        response = client.get(page)
        assert (
            response.status_code == 200 and "Make this a priority" not in response.content.decode()
        )


def test_a_link_without_a_place_asks_for_one(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    """In a workspace of several places a link that names none asks for it (no error);
    the form sent without one names the field."""
    assert len(workspace_world.workspace.geoids) > 1
    asked = confirm(editor, predictor="opportunities_for_income", **{"from": "summary"})
    assert asked.status_code == 200 and not asked.context["form"].errors
    assert asked.context["form"]["variable"].value() == "pctl_income_20"
    empty = confirm(editor, place="", variable="pctl_income_20")
    assert empty.status_code == 400 and "place" in empty.context["form"].errors
    one = workspace_world.workspace
    one.geoids = [PLACE]
    one.save(update_fields=["geoids"])
    filled = confirm(editor, predictor="opportunities_for_income")
    assert filled.status_code == 200 and filled.context["target"].geoid == PLACE


def test_a_deleted_finding_leaves_the_priority_without_a_link(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    p = workspace_world.priority
    p.source, p.source_ref = "finding", "excerpt:999999"
    p.save(update_fields=["source", "source_ref"])
    detail = editor.get(url("priority_detail", p.pk))
    assert detail.status_code == 200 and "Coded finding" in detail.content.decode()
    assert detail.context["origin"] is None


API = "/api/workspaces/ramsey"


def test_api_adds_with_evidence_and_refuses_bad_input(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    import json

    def post(path: str, body: dict[str, Any]) -> Any:
        return editor.post(API + path, json.dumps(body), content_type="application/json")

    made = post("/priorities", {**GAP, "source": "insights"})
    assert made.status_code == 201, made.content
    out = json.loads(made.content)
    assert out["evidence"]["gap"] and out["release"] and out["versus"] == GAP["versus"]
    same = post("/priorities", GAP)
    assert same.status_code == 422 and "variable" in json.loads(same.content)["error"]["fields"]
    bad = post("/priorities", {**GAP, "versus": GAP["subgroup"]})
    assert bad.status_code == 422 and "versus" in json.loads(bad.content)["error"]["fields"]
    before = PriorityDecision.objects.count()
    votes = post("/priority-decisions", {"method": "dot_vote", "date": "2026-11-30",
                                          "votes": {"999999": 2}})  # fmt: skip
    assert votes.status_code == 422 and "votes" in json.loads(votes.content)["error"]["fields"]
    negative = post("/priority-decisions", {"method": "dot_vote", "date": "2026-11-30",
                                             "votes": {str(out["id"]): -1}})  # fmt: skip
    assert negative.status_code == 422
    assert PriorityDecision.objects.count() == before
    ok = post("/priority-decisions", {"method": "dot_vote", "date": "2026-11-30",
                                       "votes": {str(out["id"]): 4}})  # fmt: skip
    assert ok.status_code == 201 and json.loads(ok.content)["votes"] == {str(out["id"]): 4}


def put_ranking(client: Client, ranking: Any) -> Any:
    import json

    body = json.dumps({"ranking": ranking})
    return client.put(API + "/priority-ranking", body, content_type="application/json")


def read_versions(world: SimpleNamespace) -> list[dict[str, int]]:
    return [{"id": p.pk, "version": p.version} for p in store.ordered(world.workspace)]


def test_api_ranks_with_the_versions_read_and_logs(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    world = workspace_world
    add(editor, **VALUE)
    add(editor, **GAP)
    first, second, third = read_versions(world)
    response = put_ranking(editor, [third, first, second])
    assert response.status_code == 200, response.content
    out = response.json()
    assert [p["id"] for p in out] == [third["id"], first["id"], second["id"]]
    assert [p["rank"] for p in out] == [1, 2, 3]
    # each moved, so each is at a new version
    assert [p["version"] for p in out] == [third["version"] + 1, first["version"] + 1,
                                           second["version"] + 1]  # fmt: skip
    assert ranked(world) == [third["id"], first["id"], second["id"]]
    logged = Activity.objects.filter(workspace=world.workspace, verb="ranked").latest("id")
    assert "through the API" in logged.detail and logged.detail.startswith("1. ")
    again = put_ranking(editor, [{"id": p["id"], "version": p["version"]} for p in out])
    assert again.status_code == 200 and [p["version"] for p in again.json()] == [
        p["version"] for p in out
    ]  # the same order again: nothing moved, no new versions


def test_api_ranking_with_a_stale_or_partial_list_is_409_with_the_current_ranking(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    world = workspace_world
    add(editor, **VALUE)
    first, second = read_versions(world)
    assert put_ranking(editor, [second, first]).status_code == 200
    before, logged = ranked(world), Activity.objects.count()
    stale = put_ranking(editor, [first, second])  # the versions read before the change
    assert stale.status_code == 409
    body = stale.json()
    assert body["error"]["title"] == "Changed meanwhile"
    assert (
        f"priority {first['id']}" in body["error"]["message"]
        and "version" in body["error"]["message"]
    )
    assert [p["id"] for p in body["current"]] == before
    current = [{"id": p["id"], "version": p["version"]} for p in body["current"]]
    missing = put_ranking(editor, current[:1])
    assert missing.status_code == 409 and "missing from it" in missing.json()["error"]["message"]
    foreign = put_ranking(editor, [*current, {"id": 999999, "version": 1}])
    assert foreign.status_code == 409
    assert "999999 is not one of this workspace's" in foreign.json()["error"]["message"]
    assert ranked(world) == before and Activity.objects.count() == logged


@pytest.mark.parametrize(
    ("ranking", "field"),
    [
        ("first", "ranking"),
        ([{"id": 1}], "ranking.0.version"),
        ([{"id": 0, "version": 1}], "ranking.0.id"),
        ([{"id": 1, "version": 1, "rank": 2}], "ranking.0.rank"),
    ],
)
def test_api_ranking_that_breaks_the_document_is_400_per_field(
    workspace_world: SimpleNamespace, editor: Client, ranking: Any, field: str
) -> None:
    before = ranked(workspace_world)
    response = put_ranking(editor, ranking)
    assert response.status_code == 400, response.content
    assert field in response.json()["error"]["fields"]
    assert ranked(workspace_world) == before


def test_api_ranking_names_a_priority_given_twice(
    workspace_world: SimpleNamespace, editor: Client, client: Client
) -> None:
    (only,) = read_versions(workspace_world)
    twice = put_ranking(editor, [only, only])
    assert twice.status_code == 422
    assert str(only["id"]) in twice.json()["error"]["fields"]["ranking"][0]
    client.force_login(workspace_world.viewer)
    viewer = put_ranking(client, [only])
    assert viewer.status_code == 403 and "editor" in viewer.json()["error"]["message"]
    assert read_versions(workspace_world) == [only]

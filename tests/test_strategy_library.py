"""The strategy libraries: the starter set, a coalition's own strategies with their
evidence and partners, and adopting from the shared library."""

from __future__ import annotations

import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.test import Client
from django.urls import reverse
from workspace_support import snapshot

from upward.catalog import get_catalog
from upward.planning.strategy import NEEDS_EVALUATION
from upward.planning.strategy_library import (
    LibraryError,
    Source,
    evidence_level,
    evidence_scale,
    parse_sources,
    sources_text,
    starter_strategies,
)
from upward.web.strategy.library import sync_starter_library
from upward.web.strategy.models import SharedStrategy, Strategy
from upward.web.workspace.models import Activity, Stakeholder, Workgroup, Workspace

pytest_plugins = ["workspace_support"]

# -- the starter set and the sources rule (plain values) ----------------------------------


def test_the_starter_set_covers_every_pillar_with_checkable_sources() -> None:
    starters = starter_strategies()
    pillars = {p.id for p in get_catalog().pillars}
    assert {s.pillar for s in starters} == pillars
    assert all(s.sources and all(src.citation for src in s.sources) for s in starters)
    assert all(src.url.startswith("https://") for s in starters for src in s.sources if src.url)
    levels = {s.evidence_level for s in starters}
    assert {"strong", "moderate"} <= levels and levels & NEEDS_EVALUATION


def test_evidence_levels_in_words_flag_what_needs_an_evaluation() -> None:
    scale = evidence_scale()
    assert [e.level for e in scale] == ["strong", "moderate", "emerging", "rationale"]
    assert [e.needs_evaluation for e in scale] == [False, False, True, True]
    assert all(e.label and e.meaning for e in scale)
    assert evidence_level("rationale").label == "A rationale only"
    assert evidence_level("strong").as_dict() == {
        "level": "strong",
        "label": "Strong",
        "meaning": "More than one rigorous evaluation found the intended effect.",
        "needs_evaluation": False,
    }
    # a level no longer on the scale is shown as stored, never flagged or explained
    unknown = evidence_level("anecdote")
    assert (unknown.label, unknown.meaning, unknown.needs_evaluation) == ("anecdote", "", False)


def test_a_broken_starter_file_names_the_strategy(tmp_path: Path) -> None:
    bad = tmp_path / "strategies.yaml"
    bad.write_text(
        "strategies:\n  - slug: x\n    name: X\n    pillar: work\n    predictors: [flying]\n"
        "    evidence_level: strong\n    summary: s\n    sources: [{citation: c}]\n",
        encoding="utf-8",
    )
    with pytest.raises(LibraryError, match="strategy 1: unknown or missing predictors"):
        starter_strategies(bad)


def test_sources_are_read_one_per_line() -> None:
    text = "Heller (2014). Science. | https://doi.org/10.1126/science.1257809\n\n  A report  \n"
    sources = parse_sources(text)
    assert sources == (
        Source("Heller (2014). Science.", "https://doi.org/10.1126/science.1257809"),
        Source("A report", ""),
    )
    assert parse_sources(sources_text([s.as_dict() for s in sources])) == sources


@pytest.mark.parametrize(
    ("text", "words"),
    [
        (" | https://example.org", "Line 1: the citation is empty"),
        ("A | javascript:alert(1)", "Line 1: “javascript:alert(1)” is not a web address"),
        ("ok\nB | ftp://x", "Line 2:"),
        ("\n".join(f"s{n}" for n in range(13)), "At most 12 sources"),
    ],
)
def test_bad_sources_are_refused_with_the_line(text: str, words: str) -> None:
    with pytest.raises(LibraryError, match=re.escape(words)):
        parse_sources(text)


# -- pages ---------------------------------------------------------------------------------


@pytest.fixture
def editor(workspace_world: SimpleNamespace, client: Client) -> Client:
    client.force_login(workspace_world.editor)
    return client


@pytest.mark.db
@pytest.mark.django_db
def test_the_starter_set_is_in_the_shared_library_after_migrate() -> None:
    slugs = set(SharedStrategy.objects.filter(origin="starter").values_list("slug", flat=True))
    assert slugs == {s.slug for s in starter_strategies()}
    SharedStrategy.objects.filter(slug="universal-prek").update(name="Changed by hand")
    SharedStrategy.objects.create(
        slug="gone", name="Retired", summary="s", pillar="work", evidence_level="strong",
        origin="starter", sources=[{"citation": "c"}],
    )  # fmt: skip
    assert sync_starter_library() == 2
    assert SharedStrategy.objects.get(slug="universal-prek").name.startswith("High-quality")
    assert not SharedStrategy.objects.get(slug="gone").active
    assert sync_starter_library() == 0


@pytest.mark.db
@pytest.mark.django_db
def test_add_a_strategy_with_evidence_partners_and_workgroup(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    world = workspace_world
    url = reverse("workspace:strategy_create", args=["ramsey"])
    assert editor.get(url).status_code == 200
    form = {
        "name": "  Child care  near work ",
        "description": "Slots at employers' sites.",
        "evidence_level": "rationale",
        "evidence_note": "A pilot is planned.",
        "sources_text": "County pilot design (2026) | https://example.org/pilot",
        "predictors": ["employment_opportunities"],
        "lead": world.stakeholder.pk,
        "partners": [world.stakeholder.pk],
        "workgroup": world.workgroup.pk,
    }
    response = editor.post(url, {**form, "once": editor.get(url).context["once"]})
    assert response.status_code == 302
    strategy = Strategy.objects.get(workspace=world.workspace, name="Child care near work")
    assert strategy.sources == [
        {"citation": "County pilot design (2026)", "url": "https://example.org/pilot"}
    ]
    assert strategy.lead == world.stakeholder and strategy.workgroup == world.workgroup
    assert strategy.needs_evaluation
    assert Activity.objects.filter(workspace=world.workspace, verb="added").exists()
    page = editor.get(reverse("workspace:strategies", args=["ramsey"]))
    html = page.content.decode()
    assert "Child care near work" in html and "Needs an evaluation measure" in html
    assert 'href="https://example.org/pilot"' in html


@pytest.mark.db
@pytest.mark.django_db
def test_partners_and_workgroups_of_another_workspace_are_refused(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    other = Workspace.objects.get(slug="elsewhere")
    theirs = Stakeholder.objects.create(workspace=other, name="Their partner", sector="justice")
    their_group = Workgroup.objects.create(workspace=other, name="Theirs")
    url = reverse("workspace:strategy_create", args=["ramsey"])
    before = snapshot()
    response = editor.post(
        url,
        {
            "name": "Borrowed", "evidence_level": "strong", "lead": theirs.pk,
            "partners": [theirs.pk], "workgroup": their_group.pk,
            "sources_text": "x | notaurl", "once": editor.get(url).context["once"],
        },
    )  # fmt: skip
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {"lead", "partners", "workgroup", "sources_text"}
    assert "not in its inventory" in errors["lead"][0]
    assert "Line 1" in errors["sources_text"][0]
    assert snapshot() == before


@pytest.mark.db
@pytest.mark.django_db
def test_adopt_a_shared_strategy_with_its_evidence(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    shared = SharedStrategy.objects.get(slug="high-dosage-tutoring")
    library = reverse("workspace:strategy_library", args=["ramsey"])
    html = editor.get(library + "?pillar=education&evidence=strong").content.decode()
    assert shared.name in html and "Sector-based workforce" not in html
    adopt = reverse("workspace:strategy_adopt", args=["ramsey", shared.pk])
    before = snapshot()
    assert editor.get(adopt).status_code == 302 and snapshot() == before  # GET changes nothing
    response = editor.post(adopt)
    copy = Strategy.objects.get(workspace=workspace_world.workspace, adopted_from=shared)
    assert response["Location"] == reverse("workspace:strategy_edit", args=["ramsey", copy.pk])
    assert (copy.name, copy.evidence_level, copy.sources) == (
        shared.name, "strong", shared.sources,
    )  # fmt: skip
    assert copy.predictors == ["effective_public_education"]
    again = editor.post(adopt, follow=True)
    assert "already has a strategy named" in again.content.decode()
    assert Strategy.objects.filter(adopted_from=shared).count() == 1
    assert "In your library" in editor.get(library).content.decode()


@pytest.mark.db
@pytest.mark.django_db
def test_viewers_read_but_cannot_adopt_or_add(
    workspace_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(workspace_world.viewer)
    shared = SharedStrategy.objects.get(slug="universal-prek")
    assert client.get(reverse("workspace:strategies", args=["ramsey"])).status_code == 200
    assert client.get(reverse("workspace:strategy_library", args=["ramsey"])).status_code == 200
    assert (
        client.post(reverse("workspace:strategy_adopt", args=["ramsey", shared.pk])).status_code
        == 403
    )
    assert not Strategy.objects.filter(adopted_from=shared).exists()


@pytest.mark.db
@pytest.mark.django_db
def test_a_retired_shared_strategy_cannot_be_adopted(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    shared = SharedStrategy.objects.get(slug="universal-prek")
    SharedStrategy.objects.filter(pk=shared.pk).update(active=False)
    response = editor.post(reverse("workspace:strategy_adopt", args=["ramsey", shared.pk]))
    assert response.status_code == 404


# -- the API ---------------------------------------------------------------------------


@pytest.mark.db
@pytest.mark.django_db
def test_api_strategies_refuse_another_workspaces_partner_and_adopt_once(
    workspace_world: SimpleNamespace, editor: Client
) -> None:
    import json

    other = Workspace.objects.get(slug="elsewhere")
    theirs = Stakeholder.objects.create(workspace=other, name="Their partner", sector="justice")
    url = "/api/workspaces/ramsey/strategies"
    before = snapshot()
    body = {"name": "Borrowed", "evidence_level": "strong", "lead": theirs.pk}
    response = editor.post(url, json.dumps(body), content_type="application/json")
    assert response.status_code == 422
    assert "not in its inventory" in response.json()["error"]["fields"]["lead"][0]
    huge = {**body, "lead": None, "partners": [2**64]}  # past any database's integer
    response = editor.post(url, json.dumps(huge), content_type="application/json")
    assert response.status_code == 400 and "partners" in response.json()["error"]["fields"]
    assert snapshot() == before
    body = {
        "name": "Ours", "evidence_level": "emerging", "lead": workspace_world.stakeholder.pk,
        "sources": [{"citation": "A pilot", "url": "https://example.org/pilot"}],
    }  # fmt: skip
    created = editor.post(url, json.dumps(body), content_type="application/json").json()
    assert created["evidence"] == {
        "level": "emerging",
        "label": "Emerging",
        "meaning": "Early or descriptive studies point to the effect; no rigorous evaluation yet.",
        "needs_evaluation": True,
    }
    # the page says the same words: one rule for both
    page = editor.get(reverse("workspace:strategies", args=["ramsey"])).content.decode()
    assert created["evidence"]["meaning"] in page and "Needs an evaluation measure" in page
    assert created["sources"] == [{"citation": "A pilot", "url": "https://example.org/pilot"}]
    shared = SharedStrategy.objects.get(slug="fafsa-completion-help")
    adopt = f"/api/workspaces/ramsey/strategy-library/{shared.pk}/adopt"
    first = editor.post(adopt)
    assert first.status_code == 201 and first.json()["adopted_from"] == shared.pk
    assert editor.post(adopt).status_code == 409
    library = editor.get("/api/workspaces/ramsey/strategy-library?pillar=education").json()
    assert {s["pillar"] for s in library} == {"education"}
    assert [s["adopted"] for s in library if s["id"] == shared.pk] == [first.json()["id"]]

"""The public progress page of a published plan (issue 14, part 8): /p/<slug>/ and its
twins, the published plan's documents, the embeddable widget, both languages and the page
cache; it shows only what the coalition published.

The world (tests/workspace_support.py) published version 1 of Ramsey's plan on the fixture
release; ``releases_world`` (test_measurement_measures) serves releases ``a`` and ``b``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from html import unescape
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from django.utils import translation
from test_measurement_measures import releases_world, two_releases  # noqa: F401

from upward.data.registry import use_release
from upward.web import data as web_data
from upward.web.measurement import publish_store
from upward.web.measurement.models import Action, PlanVersion, Target
from upward.web.measurement.public_store import PublicProgress, localized, open_problem_words
from upward.web.page_cache import forget_pages, kept_pages
from upward.web.strategy.models import Element, Priority
from upward.web.workspace.views.workspaces import RESERVED_SLUGS, unique_slug

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

HOSTILE = '<script>alert("x")</script> & Co'


def republish(world: SimpleNamespace) -> PlanVersion:
    problems = publish_store.publish_problems(world.workspace)
    return publish_store.publish(world.workspace, world.owner, [p.key for p in problems])


def page(path: str = "/p/ramsey/", **headers: Any) -> str:
    response = Client().get(path, **headers)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def test_the_page_shows_what_was_published(workspace_world: SimpleNamespace) -> None:
    world = workspace_world
    html = page()
    version = world.plan_version
    assert "Our progress" in html and world.workspace.name in html
    assert version.checksum in html and "Version 1, published" in html
    assert "Income, 20th percentile" in html and "Sector partnerships" in html
    assert "$27,250" in html and "$25,500 – $29,000" in html and "Strong" in html
    assert 'class="upward-number-line"' in html and "<desc id=" in html
    assert "Convene employers" in html and "overdue" in html
    # the action's owner is a member: never named in public, nor any member's email
    for secret in (world.owner.username, world.owner.email, world.editor.username):
        assert secret and secret not in html
    assert "Still open when we published" in html and "has no baseline" in html
    assert "<script" not in html  # a public page runs no script


def test_twins_have_one_shape(workspace_world: SimpleNamespace) -> None:
    body = json.loads(Client().get("/p/ramsey.json").content)
    found = PublicProgress.model_validate(body)
    assert (found.workspace, found.version) == ("ramsey", 1)
    assert [r.title for r in found.indicators][:1] == ["Income, 20th percentile"]
    assert found.actions[0].owner == ""  # a member's name is never published
    response = Client().get("/p/ramsey.csv")
    assert response["Content-Disposition"] == 'attachment; filename="ramsey-progress-v1.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["title"] for r in rows] == [r.title for r in found.indicators]
    assert rows[0]["baseline_value"] == "27250.5"


def test_hostile_text_is_escaped(workspace_world: SimpleNamespace) -> None:
    world = workspace_world
    world.strategy.name = HOSTILE
    world.strategy.save()
    Action.objects.create(
        workspace=world.workspace, strategy=world.strategy, title=HOSTILE,
        owner_stakeholder=world.stakeholder,
    )  # fmt: skip
    republish(world)
    for path in ("/p/ramsey/", "/p/ramsey/embed/", "/p/ramsey/?lang=es"):
        html = page(path)
        assert "<script>alert" not in html
    html = page()
    assert "&lt;script&gt;alert(" in html and "&lt;/script&gt; &amp; Co" in html
    assert world.stakeholder.name in html  # an organization's name is published


def test_a_draft_change_after_publishing_stays_private(workspace_world: SimpleNamespace) -> None:
    world = workspace_world
    before = (page(), Client().get("/p/ramsey.json").content, Client().get("/p/ramsey.csv").content)
    world.strategy.name = "Renamed in the draft"
    world.strategy.save()
    Target.objects.filter(pk=world.target.pk).update(value=99999)
    Action.objects.create(
        workspace=world.workspace, strategy=world.strategy, title="A draft action",
        owner_stakeholder=world.stakeholder,
    )  # fmt: skip
    forget_pages()  # not even a page built anew shows the draft
    after = (page(), Client().get("/p/ramsey.json").content, Client().get("/p/ramsey.csv").content)
    for text in after:
        text = text if isinstance(text, str) else text.decode()
        for draft in ("Renamed in the draft", "99999", "99,999", "A draft action"):
            assert draft not in text
    assert "Sector partnerships" in after[0] and "$28,000" in after[0]
    assert after[1] == before[1] and after[2] == before[2]
    # the next version publishes them
    republish(world)
    assert "Renamed in the draft" in page() and "A draft action" in page()


def test_unknown_withdrawn_and_reserved_addresses(workspace_world: SimpleNamespace) -> None:
    missing = Client().get("/p/no-such-coalition/")
    assert missing.status_code == 404 and "No published plan here" in missing.content.decode()
    assert Client().get("/p/no-such-coalition.json").status_code == 404
    assert Client().get("/p/elsewhere/").status_code == 404  # a workspace that never published
    publish_store.set_public(workspace_world.workspace, workspace_world.owner, False)
    for path in ("/p/ramsey/", "/p/ramsey.json", "/p/ramsey/embed/", "/p/ramsey/plan/"):
        assert Client().get(path).status_code == 404, path
    spanish = Client().get("/p/ramsey/?lang=es")
    assert (
        spanish.status_code == 404 and "No hay un plan publicado aquí" in spanish.content.decode()
    )


def public_first_words() -> set[str]:
    for entry in get_resolver().url_patterns:
        if isinstance(entry, URLResolver) and entry.namespace == "public":
            words = {str(p.pattern).split("/")[0].lstrip("^") for p in entry.url_patterns}
            return {w for w in words if w.isalpha()}
    raise AssertionError("the public pages are not mounted")


def test_no_workspace_slug_takes_a_public_word() -> None:
    words = public_first_words()
    assert {"findings", "input", "survey"} <= words
    assert words <= RESERVED_SLUGS
    assert unique_slug("Findings") == "findings-coalition"


def test_a_shared_summary_still_answers_at_its_address(workspace_world: SimpleNamespace) -> None:
    summary = workspace_world.findings_summary
    summary.share_id = "s" * 22
    summary.save()
    assert Client().get(f"/p/findings/{summary.share_id}/").status_code == 200


def test_the_page_in_spanish(workspace_world: SimpleNamespace) -> None:
    html = page("/p/ramsey/?lang=es")
    assert '<html lang="es">' in html
    for words in ("Nuestros avances", "Aún no comparable", "Línea de base", "IC del 95 %",
                  "$27.250", "$25.500 – $29.000", "Sólida",
                  "En curso", "atrasada", "diciembre"):  # fmt: skip
        assert words in html, words
    assert "Not yet comparable" not in html and "$27,250" not in html
    by_header = page("/p/ramsey/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9")
    assert "Nuestros avances" in by_header
    assert "Our progress" in page("/p/ramsey/")
    assert localized("41.2% and $1,204", "es") == "41,2 % and $1.204"


def test_each_open_element_is_named_with_its_priority(workspace_world: SimpleNamespace) -> None:
    """The same title in two priorities' logic models: the public page names each one's
    column and priority (as the publish page does), in English and in Spanish; a version
    frozen before the priority was is read back from its frozen text."""
    world = workspace_world
    same = "Community health workers in every clinic"
    births = Priority.objects.create(
        workspace=world.workspace, geoid="27123", predictor="access_to_health_services",
        metric="low_birth_weight", variable="rate_low_birth_weight", title="Healthy births",
        source="manual", rank=2,
    )  # fmt: skip
    for priority in (world.priority, births):
        Element.objects.create(workspace=world.workspace, priority=priority, kind="strategy",
                               title=same)  # fmt: skip
    version = republish(world)
    frozen = [p for p in version.problems if p["subject"] == same]
    assert [(p["priority"], p["kind"]) for p in frozen] == [
        (world.priority.title, "strategy"),
        ("Healthy births", "strategy"),
    ]
    lines = open_problems(page())
    assert f"“{same}” (strategy, priority “{world.priority.title}”) has no measure." in lines
    assert f"“{same}” (strategy, priority “Healthy births”) has no measure." in lines
    spanish = open_problems(page("/p/ramsey/?lang=es"))
    assert f"“{same}” (estrategia, prioridad “Healthy births”) no tiene una medida." in spanish
    # a version published before: only the English text names the priority
    old = {"key": "no-measure:1", "subject": same,
           "text": f"“{same}” (strategies, Jobs, skills) has no measure."}  # fmt: skip
    with translation.override("es"):
        assert open_problem_words(old) == (
            f"“{same}” (estrategia, prioridad “Jobs, skills”) no tiene una medida."
        )
        odd = {**old, "text": "Something else entirely."}
        assert open_problem_words(odd) == "Something else entirely."


def open_problems(html: str) -> list[str]:
    """The items of the page's "Still open when we published" list, as text."""
    found = re.search(r'<ul class="usa-list" id="open-problems">(.*?)</ul>', html, re.S)
    assert found, "no open problems listed"
    items = re.findall(r"<li>(.*?)</li>", found.group(1), re.S)
    return [unescape(item) for item in items]


def test_the_published_plan_and_its_downloads(workspace_world: SimpleNamespace) -> None:
    html = page("/p/ramsey/plan/")
    assert "Download it as PDF" in html and "Mobility Action Plan" in html
    assert "The technical edition" in html and "<style" not in html  # the site's CSP holds
    assert "La edición técnica" in page("/p/ramsey/plan/?lang=es")
    pdf = Client().get("/p/ramsey/plan.pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"] == 'attachment; filename="ramsey-plan-v1-general.pdf"'
    docx = Client().get("/p/ramsey/plan.docx?edition=technical")
    assert docx["Content-Disposition"] == 'attachment; filename="ramsey-plan-v1-technical.docx"'


def test_the_widget_may_be_framed_and_nothing_else(workspace_world: SimpleNamespace) -> None:
    for _ in range(2):  # built, then from the page cache
        embed = Client().get("/p/ramsey/embed/")
        assert embed.status_code == 200 and not embed.has_header("X-Frame-Options")
        assert "frame-ancestors *" in embed["Content-Security-Policy"]
        assert "Income, 20th percentile" in embed.content.decode()
    public = Client().get("/p/ramsey/")
    assert public["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in public["Content-Security-Policy"]


def test_the_page_cache_keys_on_version_and_language(workspace_world: SimpleNamespace) -> None:
    forget_pages()
    first = page()
    kept = kept_pages()
    assert kept >= 1 and page() == first and kept_pages() == kept  # served as kept
    spanish = page("/p/ramsey/?lang=es")
    assert kept_pages() == kept + 1 and spanish != first
    republish(workspace_world)
    assert "Version 2, published" in page()  # a new publish is a new key
    signed_in = Client()
    signed_in.force_login(workspace_world.owner)
    before = kept_pages()
    assert signed_in.get("/p/ramsey/").status_code == 200 and kept_pages() == before


def test_a_new_current_release_shows_its_latest_values(
    releases_world: SimpleNamespace,  # noqa: F811
    two_releases: Any,  # noqa: F811
) -> None:
    world = releases_world
    republish(world)  # on release b, the current one
    on_b = page()
    assert "$28,112" in on_b and "release b" in on_b.replace("edition ", "release ")
    try:
        use_release(two_releases, "a")
        on_a = page()
        assert "$27,250" in on_a and "$28,112" not in on_a
        body = json.loads(Client().get("/p/ramsey.json").content)
        assert body["release"] == "a" and body["plan_release"] == "b"
    finally:
        use_release(two_releases, "b")
        web_data.reset()
        forget_pages()

"""No page scrolls sideways: every page a person uses, at 375 and 1280 px wide.

Each page is loaded at both widths and must keep ``document.documentElement.scrollWidth``
within ``window.innerWidth``; when it does not, the failure names the outermost elements
that stick out (a selector, their right edge and width), which is where to fix it. A wide
table does not count while it scrolls inside its own region (``ui.scroll_table``).

The pages come from the URL patterns: :func:`test_every_named_page_is_measured_or_excused`
fails when a named pattern is neither in ``EXPLORER``, ``WORKSPACE`` or ``ACCOUNT`` below
nor in ``EXCUSED`` with a reason, so a new page cannot be forgotten.
"""

from __future__ import annotations

import contextlib
import datetime
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from network_support import join_network
from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from upward.planning import network as vocab
from upward.planning.readiness import get_conditions
from upward.web.networks import team_store
from upward.web.networks.models import (
    AdvisoryCall,
    FollowUp,
    NetworkInvitation,
    Resource,
    SharedRecord,
    Staff,
)
from upward.web.workspace.models import Stakeholder
from upward.web.workspace.tokens import make_token

from .conftest import DESKTOP_VIEWPORT, serve_warehouse

pytest_plugins = ["workspace_support"]
pytestmark = [pytest.mark.django_db(transaction=True)]

WIDTHS = (375, 1280)
RAMSEY, ST_PAUL = "27123", "2758000"

# Explorer pages (full data): URL name -> the addresses measured.
EXPLORER: dict[str, list[str]] = {
    "explorer:home": ["/", "/?q=ramsey", "/?q=zzzz-no-such-place"],
    "explorer:state": ["/state/27/"],
    "explorer:profile": [f"/county/{RAMSEY}/", f"/city/{ST_PAUL}/", f"/county/{RAMSEY}/?year=2018"],
    "explorer:metrics": ["/metrics/"],
    "explorer:metric": ["/metric/low_birth_weight/", "/metric/housing_affordability/"],
    "explorer:methods": ["/methods/"],
    "explorer:peers": [f"/county/{RAMSEY}/peers/", f"/city/{ST_PAUL}/peers/"],
    "explorer:compare": [f"/county/{RAMSEY}/compare/", f"/city/{ST_PAUL}/compare/"],
    "explorer:insights": [f"/county/{RAMSEY}/insights/"],
    "explorer:review-guide": [f"/county/{RAMSEY}/review-guide/"],
}
# Error pages: a 404 and a 400 (a malformed FIPS code), through the same base template.
ERRORS = ["/no-such-page/", "/county/12ab/", "/metric/no_such_metric/"]

# Workspace pages (signed in as the owner of workspace_world): URL name -> the arguments
# to reverse it with, built from the world (tests/workspace_support.py).
WORKSPACE: dict[str, Callable[[SimpleNamespace], list[Any]]] = {
    "workspace:list": lambda w: [],
    "workspace:create": lambda w: [],
    "workspace:home": lambda w: [w.slug],
    "workspace:settings": lambda w: [w.slug],
    "workspace:activity": lambda w: [w.slug],
    "workspace:members": lambda w: [w.slug],
    "workspace:readiness": lambda w: [w.slug],
    "workspace:readiness_compare": lambda w: [w.slug],
    "workspace:assessment": lambda w: [w.slug, w.assessment.number],
    "workspace:plan": lambda w: [w.slug, w.assessment.number],
    "workspace:task_edit": lambda w: [w.slug, w.assessment.number, w.task.pk],
    "workspace:condition_edit": lambda w: [w.slug, w.assessment.number, w.condition],
    "workspace:assessment_all": lambda w: [w.slug, w.assessment.number],
    "workspace:guide_notes": lambda w: [w.slug],
    "workspace:stakeholders": lambda w: [w.slug],
    "workspace:stakeholder_import": lambda w: [w.slug],
    "workspace:coverage": lambda w: [w.slug],
    "workspace:invitation_list": lambda w: [w.slug],
    "workspace:stakeholder_create": lambda w: [w.slug],
    "workspace:stakeholder_edit": lambda w: [w.slug, w.stakeholder.pk],
    "workspace:stakeholder_delete": lambda w: [w.slug, w.stakeholder.pk],
    "workspace:coalition": lambda w: [w.slug],
    "workspace:structure_edit": lambda w: [w.slug],
    "workspace:workgroup_create": lambda w: [w.slug],
    "workspace:workgroup_edit": lambda w: [w.slug, w.workgroup.pk],
    "workspace:workgroup_delete": lambda w: [w.slug, w.workgroup.pk],
    "workspace:peers": lambda w: [w.slug],
    "workspace:peer_set_create": lambda w: [w.slug],
    "workspace:peer_set_edit": lambda w: [w.slug, w.peer_set.pk],
    "workspace:peer_set_delete": lambda w: [w.slug, w.peer_set.pk],
    "workspace:knowledge": lambda w: [w.slug],
    "workspace:knowledge_engagements": lambda w: [w.slug],
    "workspace:engagement_create": lambda w: [w.slug],
    "workspace:engagement_summary": lambda w: [w.slug],
    "workspace:knowledge_representation": lambda w: [w.slug],
    "workspace:engagement_detail": lambda w: [w.slug, w.engagement.pk],
    "workspace:engagement_edit": lambda w: [w.slug, w.engagement.pk],
    "workspace:knowledge_findings": lambda w: [w.slug],
    "workspace:knowledge_codebook": lambda w: [w.slug],
    "workspace:code_create": lambda w: [w.slug],
    "workspace:codebook_import": lambda w: [w.slug],
    "workspace:code_edit": lambda w: [w.slug, w.code.pk],
    "workspace:code_delete": lambda w: [w.slug, w.code.pk],
    "workspace:note_create": lambda w: [w.slug],
    "workspace:note_detail": lambda w: [w.slug, w.note.pk],
    "workspace:note_edit": lambda w: [w.slug, w.note.pk],
    "workspace:excerpt_list": lambda w: [w.slug],
    "workspace:excerpt_edit": lambda w: [w.slug, w.excerpt.pk],
    "workspace:knowledge_local_data": lambda w: [w.slug],
    "workspace:local_data_upload": lambda w: [w.slug],
    "workspace:local_series_detail": lambda w: [w.slug, w.local_series.pk],
    "workspace:local_series_edit": lambda w: [w.slug, w.local_series.pk],
    "workspace:local_series_replace": lambda w: [w.slug, w.local_series.pk],
    "workspace:knowledge_officials": lambda w: [w.slug],
    "workspace:descriptive_representation": lambda w: [w.slug],
    "workspace:official_create": lambda w: [w.slug],
    "workspace:official_edit": lambda w: [w.slug, w.official.pk],
    "workspace:knowledge_input": lambda w: [w.slug],
    "workspace:input_form_create": lambda w: [w.slug],
    "workspace:input_form_edit": lambda w: [w.slug, w.input_form.pk],
    "workspace:input_form_flyer": lambda w: [w.slug, w.input_form.pk],
    "workspace:input_moderation": lambda w: [w.slug],
    "workspace:knowledge_predictors": lambda w: [w.slug],
    "workspace:knowledge_predictor": lambda w: [w.slug, "housing_affordability"],
    "workspace:knowledge_summary": lambda w: [w.slug],
    "workspace:summary_edit": lambda w: [w.slug],
    "workspace:summary_versions": lambda w: [w.slug],
    "workspace:summary_version": lambda w: [w.slug, w.findings_version.number],
    "workspace:strategy": lambda w: [w.slug],
    "workspace:measurement": lambda w: [w.slug],
    "workspace:measure_plan": lambda w: [w.slug],
    "workspace:measure_progress": lambda w: [w.slug],
    "workspace:measure_map": lambda w: [w.slug],
    "workspace:measure_create": lambda w: [w.slug],
    "workspace:measure_edit": lambda w: [w.slug, w.population.pk],
    "workspace:measure_baseline": lambda w: [w.slug, w.population.pk],
    "workspace:measure_target": lambda w: [w.slug, w.population.pk],
    "workspace:measure_revision": lambda w: [w.slug, w.population.pk],
    "workspace:measure_delete": lambda w: [w.slug, w.population.pk],
    "workspace:actions": lambda w: [w.slug],
    "workspace:action_create": lambda w: [w.slug],
    "workspace:action_edit": lambda w: [w.slug, w.action.pk],
    "workspace:strategy_actions": lambda w: [w.slug, w.strategy.pk],
    "workspace:sustainability": lambda w: [w.slug],
    "workspace:strategy_sustainability": lambda w: [w.slug, w.planned_strategy.pk],
    "workspace:funding_source_create": lambda w: [w.slug],
    "workspace:funding_source_edit": lambda w: [w.slug, w.funding_source.pk],
    "workspace:learning_plan": lambda w: [w.slug],
    "workspace:plan_publish": lambda w: [w.slug],
    "workspace:plan_versions": lambda w: [w.slug],
    "workspace:plan_version": lambda w: [w.slug, w.plan_version.number],
    "workspace:strategies": lambda w: [w.slug],
    "workspace:strategy_create": lambda w: [w.slug],
    "workspace:strategy_edit": lambda w: [w.slug, w.strategy.pk],
    "workspace:strategy_library": lambda w: [w.slug],
    "workspace:priority_list": lambda w: [w.slug],
    "workspace:priority_create": lambda w: [w.slug],
    "workspace:priority_rank": lambda w: [w.slug],
    "workspace:priority_detail": lambda w: [w.slug, w.priority.pk],
    "workspace:priority_edit": lambda w: [w.slug, w.priority.pk],
    "workspace:priority_decision_create": lambda w: [w.slug],
    "workspace:priority_decision_edit": lambda w: [w.slug, w.decision.pk],
    "workspace:priority_choose": lambda w: [],
    "workspace:vision": lambda w: [w.slug],
    "workspace:vision_draft": lambda w: [w.slug],
    "workspace:vision_compare": lambda w: [w.slug],
    "workspace:vision_version": lambda w: [w.slug, w.vision_version.number],
    "workspace:theories": lambda w: [w.slug],
    "workspace:theory_create": lambda w: [w.slug],
    "workspace:theory_edit": lambda w: [w.slug, w.theory.pk],
    "workspace:model_overview": lambda w: [w.slug],
    "workspace:model_checks": lambda w: [w.slug],
    "workspace:priority_model": lambda w: [w.slug, w.priority.pk],
    "workspace:priority_diagram": lambda w: [w.slug, w.priority.pk],
    "workspace:model_element_create": lambda w: [w.slug, w.priority.pk],
    "workspace:model_link_create": lambda w: [w.slug, w.priority.pk],
    "workspace:model_element": lambda w: [w.slug, w.element.pk],
    "workspace:model_link": lambda w: [w.slug, w.link.pk],
    "workspace:network": lambda w: [w.slug],
    "workspace:network_leave": lambda w: [w.slug, w.team.pk],
    "workspace:network_peers": lambda w: [w.slug],
    # learning networks (the owner is also the network's operator in this world)
    "networks:list": lambda w: [],
    "networks:create": lambda w: [],
    "networks:join": lambda w: [w.network_token],
    "networks:settings": lambda w: [w.network.slug],
    "networks:staff": lambda w: [w.network.slug],
    "networks:invitations": lambda w: [w.network.slug],
    "networks:team_peers": lambda w: [w.network.slug, w.team.pk],
    "workspace:network_resources": lambda w: [w.slug],
    "networks:resources": lambda w: [w.network.slug],
    "networks:resource_add": lambda w: [w.network.slug],
    "networks:resource_edit": lambda w: [w.network.slug, w.resource.pk],
    "networks:resource_delete": lambda w: [w.network.slug, w.resource.pk],
    "workspace:network_calls": lambda w: [w.slug],
    "networks:team_calls": lambda w: [w.network.slug, w.team.pk],
    "networks:call_create": lambda w: [w.network.slug, w.team.pk],
    "networks:call_edit": lambda w: [w.network.slug, w.team.pk, w.call.pk],
    "networks:call_delete": lambda w: [w.network.slug, w.team.pk, w.call.pk],
    "networks:follow_up_add": lambda w: [w.network.slug, w.team.pk, w.call.pk],
    "networks:follow_ups": lambda w: [w.network.slug],
    "networks:console": lambda w: [w.network.slug],
    "networks:team": lambda w: [w.network.slug, w.team.pk],
    "networks:shared_record": lambda w: [w.network.slug, w.team.pk, "findings_summary", 0],
    "password_change": lambda w: [],
    "password_change_done": lambda w: [],
}
# Account pages, signed out.
ACCOUNT: dict[str, Callable[[SimpleNamespace], list[Any]]] = {
    "login": lambda w: [],
    "signup": lambda w: [],
    "password_reset": lambda w: [],
    "password_reset_done": lambda w: [],
    "password_reset_complete": lambda w: [],
    "password_reset_confirm": lambda w: ["MQ", "not-a-token"],  # the 'link expired' page
    "accept_invitation": lambda w: [make_token(w.invitation)],
    # the public pages people reach by a link (no account)
    "public:official_survey": lambda w: [w.survey_link.nonce],
    "public:input_form": lambda w: [w.input_form.public_id],
    "public:input_form_thanks": lambda w: [w.input_form.public_id],
    "public:shared_summary": lambda w: [w.share_id],
    "public:plan_public": lambda w: [w.slug],
    "public:plan_embed": lambda w: [w.slug],
    "public:plan_public_document": lambda w: [w.slug],
}

EXCUSED: dict[str, str] = {
    "explorer:home_json": "JSON twin, not a page",
    "explorer:search_json": "JSON suggestions for the search boxes",
    "explorer:state_json": "JSON twin, not a page",
    "explorer:profile_file": "JSON, CSV and XLSX twins",
    "explorer:metrics-json": "JSON twin, not a page",
    "explorer:metric-map": "JSON for the metric map",
    "explorer:metric-json": "JSON twin, not a page",
    "explorer:metric-csv": "CSV twin, not a page",
    "explorer:metric-xlsx": "XLSX twin, not a page",
    "explorer:analysis-file": "the analysis pages' JSON, CSV, PDF and DOCX files",
    "workspace:invite": "POST only; a GET goes back to the members page (measured)",
    "workspace:network_sharing": "POST-only button on the network page",
    "workspace:network_track": "POST-only button on the network page",
    "workspace:network_share": "POST-only button on the network page",
    "workspace:network_unshare": "POST-only button on the network page",
    "networks:track_add": "POST only (the settings page's form); a GET goes back to it",
    "networks:track_edit": "POST-only button on the settings page",
    "networks:track_move": "POST-only button on the settings page",
    "networks:track_remove": "POST-only button on the settings page",
    "networks:staff_invite": "POST only (the staff page's form); a GET goes back to it",
    "networks:staff_remove": "POST-only button on the staff page",
    "networks:invitation_revoke": "POST-only button on the staff and invitations pages",
    "networks:resource_file": "a file download (an attachment)",
    "networks:console_csv": "a CSV download",
    "networks:follow_up_done": "POST-only button on the calls pages; a GET goes back",
    "workspace:member_role": "POST-only button on the members page",
    "workspace:member_remove": "POST-only button on the members page",
    "workspace:invitation_revoke": "POST-only button on the members page",
    "workspace:mark_invited": "POST-only button on the invitations page",
    "workspace:stakeholder_export": "CSV download",
    "workspace:guide_note_save": "POST only (the Review Guide's notes form); a GET redirects",
    "workspace:peer_set_save": "POST only (the peers page's save form); a GET redirects",
    "logout": "POST only",
    "workspace:engagement_delete": "POST only (the edit page's Delete button)",
    "workspace:note_delete": "POST only (the edit page's Delete button)",
    "workspace:excerpt_create": "POST only (the note page's coding form)",
    "workspace:excerpt_delete": "POST only (the excerpt page's Delete button)",
    "workspace:codebook_export": "CSV download",
    "workspace:excerpt_csv": "CSV download",
    "workspace:excerpt_xlsx": "XLSX download",
    "workspace:local_data_template": "CSV download",
    "workspace:local_series_values": "CSV download",
    "workspace:local_series_original": "the uploaded file, a download",
    "workspace:local_series_delete": "POST only (the edit page's Delete button)",
    "workspace:official_delete": "POST only (the edit page's Delete button)",
    "workspace:official_survey_link": "POST only (the roster's Make a link button)",
    "workspace:survey_link_revoke": "POST only (the roster's Withdraw button)",
    "workspace:input_form_delete": "POST only (the edit page's Delete button)",
    "workspace:input_answer_accept": "POST only (the moderation queue's buttons)",
    "workspace:input_answer_reject": "POST only (the moderation queue's buttons)",
    "workspace:input_answer_restore": "POST only (the moderation queue's buttons)",
    "workspace:summary_export": "the summary's HTML, PDF and DOCX files",
    "workspace:summary_share": "POST only (the summary's Share button)",
    "workspace:strategy_delete": "POST only (the edit page's Delete button)",
    "workspace:action_delete": "POST only (the edit page's Delete button)",
    "workspace:funding_source_delete": "POST only (the edit page's Delete button)",
    "workspace:strategy_adopt": "POST only (the shared library's Adopt button)",
    "workspace:model_link_delete": "POST only (a button on its page)",
    "workspace:theory_comment": "POST only (a button on its page)",
    "workspace:model_comment": "POST only (a button on its page)",
    "workspace:priority_decision_delete": "POST only (a button on its page)",
    "workspace:comment_resolve": "POST only (a button on its page)",
    "workspace:model_approve": "POST only (a button on its page)",
    "workspace:model_review": "POST only (a button on its page)",
    "workspace:vision_review": "POST only (a button on its page)",
    "workspace:theory_delete": "POST only (a button on its page)",
    "workspace:vision_comment": "POST only (a button on its page)",
    "workspace:vision_adopt": "POST only (a button on its page)",
    "workspace:priority_delete": "POST only (a button on its page)",
    "workspace:model_element_delete": "POST only (a button on its page)",
    "workspace:priority_export_pdf": "a download of the logic model",
    "workspace:priority_export_svg": "a download of the logic model",
    "workspace:priority_export_json": "a download of the logic model",
    "workspace:priority_export_docx": "a download of the logic model",
    "workspace:priority_export_csv": "a download of the logic model",
    "workspace:priority_export_png": "a download of the logic model",
    "workspace:model_export_docx": "a download of the logic model",
    "workspace:model_export_pdf": "a download of the logic model",
    "workspace:model_export_json": "a download of the logic model",
    "workspace:model_export_csv": "a download of the logic model",
    "workspace:measure_map_html": "a download of the Mobility Action Plan",
    "workspace:measure_map_pdf": "a download of the Mobility Action Plan",
    "workspace:measure_map_docx": "a download of the Mobility Action Plan",
    "workspace:plan_public_switch": "POST only (the versions page's button); a GET goes back",
    "workspace:plan_version_export": "a published version's HTML, PDF and DOCX files",
    "public:plan_public_twin": "JSON and CSV twins of the public progress page",
    "public:plan_public_pdf": "the published plan, a download",
    "public:plan_public_docx": "the published plan, a download",
}


def named_patterns() -> set[str]:
    """Every named URL pattern of the site, namespaced ('explorer:profile'), less the API
    (its own documentation page) and Django's admin (operators only)."""
    names: set[str] = set()

    def walk(resolver: URLResolver, prefix: str) -> None:
        for item in resolver.url_patterns:
            if isinstance(item, URLResolver):
                if item.namespace in ("admin", "api") or str(item.pattern).startswith("api/"):
                    continue
                walk(item, prefix + (f"{item.namespace}:" if item.namespace else ""))
            elif isinstance(item, URLPattern) and item.name:
                names.add(prefix + item.name)

    walk(get_resolver(), "")
    return names


def test_every_named_page_is_measured_or_excused() -> None:
    listed = {*EXPLORER, *WORKSPACE, *ACCOUNT}
    names = named_patterns()
    missing = names - listed - set(EXCUSED)
    assert not missing, f"add these pages to test_overflow.py (or to EXCUSED, with why): {missing}"
    stale = (listed | set(EXCUSED)) - names
    assert not stale, f"test_overflow.py lists pages that no longer exist: {stale}"
    assert not listed & set(EXCUSED)


# -- measuring ------------------------------------------------------------------------

# The outermost elements whose right edge passes the viewport and that no scrolling or
# clipping ancestor holds in: where a fix goes.
MEASURE = """() => {
  const width = window.innerWidth, root = document.documentElement;
  const out = { scrollWidth: root.scrollWidth, innerWidth: width, offenders: [] };
  if (root.scrollWidth <= width) return out;
  const held = (el) => {
    for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
      if (getComputedStyle(a).overflowX !== "visible") return true;
    }
    return false;
  };
  const name = (el) => {
    const parts = [];
    for (let e = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      let s = e.tagName.toLowerCase();
      if (e.id) { parts.unshift(s + "#" + e.id); break; }
      if (e.classList.length) s += "." + Array.from(e.classList).slice(0, 2).join(".");
      parts.unshift(s);
    }
    return parts.join(" > ");
  };
  const sticking = new Set();
  document.body.querySelectorAll("*").forEach((el) => {
    const box = el.getBoundingClientRect();
    if (box.width > 0 && box.right > width + 1 && getComputedStyle(el).position !== "fixed"
        && !held(el)) sticking.add(el);
  });
  sticking.forEach((el) => {
    for (let a = el.parentElement; a; a = a.parentElement) if (sticking.has(a)) return;
    const box = el.getBoundingClientRect();
    out.offenders.push({ selector: name(el), right: Math.round(box.right),
                         width: Math.round(box.width) });
  });
  out.offenders.sort((a, b) => b.width - a.width);
  out.offenders = out.offenders.slice(0, 4);
  return out;
}"""


def overflow(page: Page, url: str) -> str | None:
    """Load URL once, then measure it at each width (widest first, as a window narrowed or
    a phone turned): a line per width at which the page scrolls sideways. One load per
    page keeps the walk of every page inside CI's time; the layout, media queries and the
    charts (drawn again) follow each width."""
    problems = []
    for n, width in enumerate(sorted(WIDTHS, reverse=True)):
        page.set_viewport_size({"width": width, "height": DESKTOP_VIEWPORT["height"]})
        if n == 0:
            page.goto(url, wait_until="load")
        page.evaluate("() => window.upwardRenderCharts && window.upwardRenderCharts()")
        # Charts and the map follow a new width asynchronously (ResizeObserver, Vega's
        # runAsync): give them a moment on a busy machine; a page that still scrolls
        # sideways after it is measured and reported below.
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_function(
                "() => document.documentElement.scrollWidth <= window.innerWidth", timeout=5000
            )
        found = page.evaluate(MEASURE)
        if found["scrollWidth"] > found["innerWidth"]:
            widest = "; ".join(
                f"{o['selector']} (right {o['right']} px, width {o['width']} px)"
                for o in found["offenders"]
            )
            problems.append(
                f"{url} at {width} px: {found['scrollWidth']} px wide; widest: {widest}"
            )
    page.set_viewport_size(DESKTOP_VIEWPORT)
    return "\n".join(problems) or None


def assert_fits(page: Page, urls: list[str]) -> None:
    problems = [p for p in (overflow(page, url) for url in urls) if p]
    assert not problems, "pages that scroll sideways:\n" + "\n".join(problems)


# -- the pages ------------------------------------------------------------------------


@pytest.fixture
def warehouse_env(full_warehouse_path: Path, live_server: Any) -> Iterator[Path]:
    """The full data, for the explorer and the workspace alike (workspace_world uses it)."""
    for _ in serve_warehouse(live_server, full_warehouse_path):
        yield full_warehouse_path


@pytest.fixture
def site(live_server: Any, warehouse_env: Path) -> str:
    return str(live_server.url)


@pytest.fixture
def world(workspace_world: SimpleNamespace) -> SimpleNamespace:
    """workspace_world with a longer inventory, as a real coalition's is."""
    w = workspace_world
    for n, (sector, email) in enumerate(
        [
            ("health", "community.health.partnerships@ramseycounty-publichealth.example.org"),
            ("housing", "info@twincitieshabitatforhumanity.example.org"),
            ("workforce", "workforce.solutions.employer-services@example.org"),
        ]
    ):
        Stakeholder.objects.create(
            workspace=w.workspace,
            name=f"Ramsey County Community Partnership Organization Number {n + 1}",
            organization="Saint Paul and Ramsey County Collaborative for Opportunity",
            sector=sector,
            pillars=["education", "health", "work", "neighborhoods"],
            predictors=["effective_public_education", "neonatal_health", "social_capital"],
            relationship="engaged",
            email=email,
            phone="+1 651 555 0100 ext. 2210",
        )
    w.slug = w.workspace.slug
    w.condition = get_conditions()[0].id
    join_network(w)
    Staff.objects.create(network=w.network, user=w.owner, role=vocab.OPERATOR)
    invitation = team_store.create_invitation(w.network, w.operator, NetworkInvitation.TEAM)
    w.network_token = make_token(invitation, salt=team_store.SALT)
    w.resource = Resource.objects.create(
        network=w.network, track=w.track, added_by=w.owner,
        title="Running community data walks with residents, partners and elected officials",
        url="https://example.org/guides/community-data-walks-with-residents-partners-and-"
        "elected-officials-a-step-by-step-facilitation-guide?edition=2025&format=long",
        pillars=["education", "health"], predictors=["effective_public_education"],
        stage="engagement",
    )  # fmt: skip
    w.call = AdvisoryCall.objects.create(
        team=w.team, held_on=datetime.date(2026, 3, 2), created_by=w.owner,
        attendees="Ada Adviser (technical assistance)\nOlivia Owner (coalition lead)",
        notes="Walked through the readiness assessment and the community engagement plan "
        "for the Saint Paul and Ramsey County Collaborative for Opportunity.",
    )  # fmt: skip
    FollowUp.objects.create(
        call=w.call, text="Send the draft data plan with the local transit ridership series",
        owner=w.owner, due_on=datetime.date(2026, 3, 20),
    )  # fmt: skip
    SharedRecord.objects.create(team=w.team, kind="findings_summary", shared_by=w.owner)
    w.share_id = "overflow-walk-share-01"  # the shared Summary of Findings, turned on
    w.findings_summary.share_id = w.share_id
    w.findings_summary.save()
    return w


def sign_in(page: Page, site: str, username: str) -> None:
    from workspace_support import PASSWORD

    page.goto(site + reverse("login"))
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def test_explorer_pages_fit_at_375_and_1280(site: str, page: Page) -> None:
    assert_fits(page, [site + u for urls in EXPLORER.values() for u in urls])


def test_error_pages_fit_at_375_and_1280(site: str, page: Page) -> None:
    assert_fits(page, [site + u for u in ERRORS])


def test_account_pages_fit_at_375_and_1280(site: str, page: Page, world: SimpleNamespace) -> None:
    assert_fits(page, [site + reverse(name, args=args(world)) for name, args in ACCOUNT.items()])


def test_workspace_pages_fit_at_375_and_1280(site: str, page: Page, world: SimpleNamespace) -> None:
    sign_in(page, site, world.owner.username)
    assert_fits(page, [site + reverse(name, args=args(world)) for name, args in WORKSPACE.items()])


# -- wide tables: a scrolling region with a visible cue, and the screenshots -------------

DOCS_SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def shoot(page: Page, selector: str, name: str) -> None:
    """A clipped shot of one element (not the whole page) into docs/screenshots/."""
    DOCS_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    target = page.locator(selector).first
    target.scroll_into_view_if_needed()
    target.screenshot(path=str(DOCS_SCREENSHOTS / f"{name}.png"))


def assert_cued(page: Page, region_selector: str) -> None:
    """The region scrolls on its own, is reachable and named, and shows its cue."""
    region = page.locator(region_selector).first
    assert region.get_attribute("role") == "region"
    assert region.get_attribute("tabindex") == "0"
    assert region.get_attribute("aria-label")
    frame = region.locator("xpath=..")
    # the cue is set by script once the region is laid out (a details just opened): wait
    expect(frame).to_have_class(re.compile(r"\bupward-scroll-frame--right\b"))
    hint = frame.locator("xpath=preceding-sibling::p[1]")
    expect(hint).to_be_visible()
    assert "scroll sideways" in hint.inner_text()
    # the keyboard scrolls it: then the left edge fades too
    region.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.wait_for_function("(el) => el.scrollLeft > 0", arg=region.element_handle(), timeout=5000)
    page.wait_for_function(
        "(el) => el.parentElement.classList.contains('upward-scroll-frame--left')",
        arg=region.element_handle(),
        timeout=5000,
    )
    region.evaluate("(el) => { el.scrollLeft = 0; }")


def test_wide_explorer_tables_scroll_in_a_cued_region(
    site: str, page: Page, assert_accessible: Callable[..., None]
) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + f"/county/{RAMSEY}/compare/")
    # the comparisons stack as a card per row: every column on screen, with its name
    scopes = page.locator(".upward-scope-table").first
    assert scopes.bounding_box()["width"] <= 375  # type: ignore[index]
    row = scopes.locator("tbody tr").first
    for column in ("Standing", "In plain words", "Test at 95%"):
        cell = row.locator(f"td[data-label='{column}']")
        box = cell.bounding_box()
        assert box is not None and box["x"] + box["width"] <= 375, column
    variable = page.locator(".upward-var").first
    expect(variable.locator(".upward-scroll-hint").first).to_be_hidden()  # nothing to scroll
    # each peer's values scroll sideways in their region, with the cue, where they are wider
    # than the phone (how wide depends on the measure and its peers' names): the first
    # measure whose values overflow shows the cue; those before it, which fit, show none
    wide = None
    for candidate in page.locator(".upward-var").all()[:12]:
        candidate.locator("details.upward-data > summary").click()
        region = candidate.locator("details.upward-data .upward-scroll").first
        if region.evaluate("r => r.scrollWidth > r.clientWidth + 1"):
            wide = candidate
            break
        frame = region.locator("xpath=..")
        assert "upward-scroll-frame--right" not in (frame.get_attribute("class") or "")
    assert wide is not None, "no measure's peer values are wider than a phone"
    wide.evaluate("v => v.classList.add('upward-test-wide')")
    assert_cued(page, ".upward-test-wide details.upward-data .upward-scroll")
    shoot(page, ".upward-test-wide details.upward-data", "compare-each-peer-375")
    # a phone's screen of the comparisons, as cards
    variable.locator(".upward-var__title").scroll_into_view_if_needed()
    page.evaluate("() => window.scrollBy(0, -8)")
    page.screenshot(path=str(DOCS_SCREENSHOTS / "compare-375.png"))
    assert_accessible(page, context="compare at 375 px")

    page.goto(site + f"/county/{RAMSEY}/peers/")
    assert_cued(page, ".upward-peer-table >> xpath=..")
    shoot(page, "section[aria-labelledby=peers-heading]", "peers-375")
    assert_accessible(page, context="peers at 375 px")
    # at 1280 the peer table fits: no hint, no fade
    page.set_viewport_size(DESKTOP_VIEWPORT)
    page.goto(site + f"/county/{RAMSEY}/peers/")
    page.wait_for_function("() => document.querySelector('.upward-scroll-frame') !== null")
    assert not page.locator(
        ".upward-peer-table >> xpath=../../preceding-sibling::p[1]"
    ).is_visible()


def test_workspace_tables_fit_and_stack(
    site: str, page: Page, world: SimpleNamespace, assert_accessible: Callable[..., None]
) -> None:
    sign_in(page, site, world.owner.username)
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site + reverse("workspace:assessment", args=[world.slug, world.assessment.number]))
    rule = page.locator(".upward-rule-table")
    assert rule.bounding_box()["width"] <= 375  # type: ignore[index]
    shoot(page, "section.upward-rule", "readiness-rules-375")
    assert_accessible(page, context="readiness at 375 px")
    page.set_viewport_size(DESKTOP_VIEWPORT)
    stakeholders = site + reverse("workspace:stakeholders", args=[world.slug])
    assert overflow(page, stakeholders) is None, overflow(page, stakeholders)
    page.goto(stakeholders)
    table = page.locator(".upward-stakeholder-table")
    widths = table.evaluate(
        "(t) => [t.offsetWidth, t.parentElement.clientWidth,"
        " Array.from(t.querySelectorAll('thead th')).map((th) => th.offsetWidth)]"
    )
    assert widths[0] <= widths[1], f"the stakeholder table scrolls at 1280 px: {widths}"
    shoot(page, "main table", "stakeholders-1280")
    assert_accessible(page, context="stakeholders at 1280 px")

"""Elected officials (issue 12, item 6): the roster by governing body, a survey link per
official by which they self-identify, and the descriptive-representation metric beside
the residents' shares Urban publishes. The public survey page is in
:mod:`upward.web.knowledge.views.officials_survey`; its route is exported here."""

from __future__ import annotations

from itertools import groupby
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import URLPattern, path, reverse

from upward.catalog import WEAK
from upward.planning import knowledge as vocab
from upward.planning.descriptive import (
    BodyRepresentation,
    GroupShare,
    Representation,
    body_key,
    represent_all,
)
from upward.reports.numbers import format_share
from upward.web.knowledge.forms_officials import OfficialForm, PlaceForm
from upward.web.knowledge.models import Official, SurveyLink
from upward.web.knowledge.officials_store import (
    STATE_LABELS,
    WAITING,
    create_link,
    facts_for,
    latest_links,
    link_state,
    revoke_link,
)
from upward.web.knowledge.residents import ResidentShares, SharesUnavailable, resident_shares
from upward.web.knowledge.views.hub import HubLink, records_of
from upward.web.knowledge.views.officials_survey import official_survey
from upward.web.workspace import places
from upward.web.workspace.access import workspace_view
from upward.web.workspace.models import Role, Workspace
from upward.web.workspace.views.common import RecordPages, page

SECTION = "knowledge"
RACE_LABELS = dict(vocab.RACE_GROUPS)
SOURCE_LABELS = dict(vocab.IDENTITY_SOURCES)

PAGES = RecordPages(
    Official, OfficialForm, "official", "knowledge_officials", "Add an elected official", SECTION
)


def survey_url(request: HttpRequest, link: SurveyLink) -> str:
    return request.build_absolute_uri(reverse("public:official_survey", args=[link.nonce]))


def _link_row(request: HttpRequest, link: SurveyLink | None, can_edit: bool) -> dict[str, Any]:
    if link is None:
        return {"state": "", "label": "No link yet", "url": "", "link": None}
    state = link_state(link)
    shown = can_edit and state == WAITING
    return {
        "state": state,
        "label": STATE_LABELS[state],
        "url": survey_url(request, link) if shown else "",
        "link": link,
    }


@workspace_view()
def official_list(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    officials = sorted(
        Official.objects.filter(workspace=workspace),
        key=lambda o: (body_key(o.body), o.name.casefold(), o.pk),
    )
    membership = request.membership  # type: ignore[attr-defined]
    can_edit = membership.can(Role.EDITOR)
    links = latest_links(workspace)
    rows = [
        {
            "official": o,
            "race": RACE_LABELS.get(o.race, "Unknown"),
            "source": SOURCE_LABELS.get(o.identity_source, o.identity_source),
            "survey": _link_row(request, links.get(o.pk), can_edit),
        }
        for o in officials
    ]
    bodies = []
    for _key, group in groupby(rows, key=lambda r: body_key(r["official"].body)):
        members = list(group)
        bodies.append({"name": members[0]["official"].body, "rows": members})
    context = {"bodies": bodies, "total": len(officials)}
    return page(request, workspace, "knowledge/officials.html", context, section=SECTION)


@workspace_view(role=Role.EDITOR)
def official_survey_link(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    official = get_object_or_404(Official, workspace=workspace, pk=pk)
    back = PAGES.list_url(workspace) + f"#official-{official.pk}"
    if request.method != "POST":
        return redirect(back)
    create_link(official, request.user)
    messages.success(
        request,
        f"Made a survey link for {official.name}, valid 30 days. Copy it from the roster "
        "and send it to their public contact.",
    )
    return redirect(back)


@workspace_view(role=Role.EDITOR)
def survey_link_revoke(request: HttpRequest, workspace: Workspace, pk: int) -> HttpResponse:
    link = get_object_or_404(
        SurveyLink.objects.select_related("official__workspace"),
        official__workspace=workspace,
        pk=pk,
    )
    back = PAGES.list_url(workspace) + f"#official-{link.official_id}"
    if request.method != "POST":
        return redirect(back)
    if revoke_link(link, request.user):
        messages.success(request, f"Withdrew the survey link of {link.official.name}.")
    else:
        messages.error(
            request,
            f"Not withdrawn: the link of {link.official.name} was already answered, expired "
            "or withdrawn.",
        )
    return redirect(back)


# --- the metric -----------------------------------------------------------------------


def _ratio_words(g: GroupShare, quality: str | None) -> str:
    if g.ratio is None:
        return g.no_ratio
    if quality == WEAK:
        return "Urban rates this residents' share Weak, so no reading is given."
    if g.officials == 0:
        return "Holds no seats."
    if abs(g.ratio - 1) < 1e-9:
        return "Seats in proportion to residents."
    if g.ratio < 1:
        return "A smaller share of seats than of residents."
    return "A larger share of seats than of residents."


def _group_row(g: GroupShare, shares: ResidentShares | None) -> dict[str, Any]:
    cell = shares.shares.get(g.group) if shares else None
    quality = cell.quality if cell is not None else None
    return {
        "label": g.label,
        "officials": g.officials,
        "share": format_share(g.share) if g.share is not None else "—",
        "residents": format_share(g.residents_share) if g.residents_share is not None else "—",
        "quality": quality or "not rated",
        "ratio": f"{g.ratio:.2f}" if g.ratio is not None else "—",
        "words": _ratio_words(g, quality),
    }


def _body_view(
    body: BodyRepresentation, shares: ResidentShares | None, anchor: str
) -> dict[str, Any]:
    return {"result": body, "groups": [_group_row(g, shares) for g in body.groups], "id": anchor}


def _places(workspace: Workspace) -> list[tuple[str, str]]:
    return [(geoid, places.place_name(geoid)) for geoid in workspace.geoids]


@workspace_view()
def descriptive_representation(request: HttpRequest, workspace: Workspace) -> HttpResponse:
    choices = _places(workspace)
    form = PlaceForm(
        request.GET if "place" in request.GET else None,
        places=choices,
        initial={"place": choices[0][0] if choices else ""},
    )
    status, geoid = 200, choices[0][0] if choices else ""
    if form.is_bound:
        if form.is_valid():
            geoid = form.cleaned_data["place"]
        else:
            status = 400
    shares: ResidentShares | None = None
    unavailable = "" if geoid else "This workspace names no place to compare with."
    if geoid:
        try:
            shares = resident_shares(geoid)
        except SharesUnavailable as exc:
            unavailable = str(exc)
    residents = {g: (o.value if o.value is not None else None)
                 for g, o in (shares.shares.items() if shares else [])}  # fmt: skip
    result: Representation = represent_all(facts_for(workspace), residents)
    context = {
        "form": form,
        "shares": shares,
        "unavailable": unavailable,
        "bodies": [_body_view(b, shares, f"body-{i}") for i, b in enumerate(result.bodies, 1)],
        "overall": _body_view(result.overall, shares, "overall") if result.overall else None,
        "total": sum(b.seats for b in result.bodies),
    }
    return page(
        request,
        workspace,
        "knowledge/official_representation.html",
        context,
        status=status,
        section=SECTION,
    )


SECTION_LINKS: list[HubLink] = [
    HubLink(
        "Elected officials and representation",
        "knowledge_officials",
        "Who holds office on each governing body, how each official's race and ethnicity "
        "was learned (their own answer to a survey link, or a public source), and how "
        "the seats compare with the residents.",
        records_of(Official),
        noun="official",
    )
]

P = "<slug:slug>/officials/"
workspace_urls: list[URLPattern] = [
    path(P, official_list, name="knowledge_officials"),
    path(P + "representation/", descriptive_representation, name="descriptive_representation"),
    *PAGES.urls(P),
    path(P + "<int:pk>/survey-link/", official_survey_link, name="official_survey_link"),
    path(P + "survey-links/<int:pk>/revoke/", survey_link_revoke, name="survey_link_revoke"),
]
public_urls: list[URLPattern] = [
    path("survey/<str:nonce>/", official_survey, name="official_survey"),
]

"""The technical-assistance console (issue 15, part 2): /n/<slug>/ lists each active team
of the network with its stage derived from its records, its last activity, its indicators
showing a real change since baseline, its overdue actions and stale data, as far as the
team shares each (:mod:`upward.web.networks.team_status`); ``?track=`` filters by track and
``console.csv`` downloads the same rows. A team member who opens /n/<slug>/ sees their own
team(s) instead. /n/<slug>/teams/<id>/ is a team's shared view, and
/n/<slug>/teams/<id>/shared/<kind>/<object_id>/ one record it shared, read-only; an
unshared record is 404 (:func:`access.shared_or_404`). Reading changes nothing."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone

from upward.planning.network import STAGES
from upward.reports.downloads import to_csv
from upward.web.measurement.progress_store import ROW_STATUS_WORDS
from upward.web.networks import shared_summary, team_status
from upward.web.networks.access import network_view, shared_or_404, visible_team
from upward.web.networks.models import Network
from upward.web.networks.team_status import NOT_SHARED, TeamStatus
from upward.web.networks.views.teams import network_page
from upward.web.render import CSV_TYPE
from upward.web.workspace import places

SORTS = {
    "track": lambda s: (s.team.track.order, s.team.workspace.name.lower()),
    "name": lambda s: s.team.workspace.name.lower(),
    "stage": lambda s: (-s.stage_number, s.team.workspace.name.lower()),
    "activity": lambda s: (-(s.last_activity.timestamp() if s.last_activity else 0),
                           s.team.workspace.name.lower()),
}  # fmt: skip
SORT_LABELS = (("track", "Track, then name"), ("name", "Name"), ("stage", "Stage (furthest first)"),
               ("activity", "Last activity (latest first)"))  # fmt: skip
CSV_COLUMNS = ("team", "places", "track", "stage", "stage_number", "stages_reached",
               "last_activity", "real_change", "indicators", "overdue_actions",
               "stale_data")  # fmt: skip


def _places(status: TeamStatus) -> str:
    return "; ".join(places.place_name(g) for g in status.team.workspace.geoids or ())


def _statuses(request: HttpRequest, network: Network) -> tuple[list[TeamStatus], str, str]:
    tracks = {t.slug for t in network.tracks.all()}  # type: ignore[attr-defined]
    track = request.GET.get("track", "")
    track = track if track in tracks else ""
    sort = request.GET.get("sort", "track")
    sort = sort if sort in SORTS else "track"
    rows = team_status.team_statuses(team_status.network_teams(network, track))
    return sorted(rows, key=SORTS[sort]), track, sort


def _member_home(request: HttpRequest, network: Network) -> HttpResponse:
    teams = getattr(request, "teams", [])
    context = {"statuses": team_status.team_statuses(teams), "stage_count": len(STAGES)}
    return network_page(request, network, "networks/member_home.html", context, "console")


@network_view(teams=True)
def console(request: HttpRequest, network: Network) -> HttpResponse:
    if getattr(request, "staff", None) is None:
        return _member_home(request, network)
    rows, track, sort = _statuses(request, network)
    context = {
        "rows": rows,
        "places": {r.team.pk: _places(r) for r in rows},
        "tracks": network.tracks.all(),  # type: ignore[attr-defined]
        "track": track,
        "sort": sort,
        "sort_labels": SORT_LABELS,
        "stage_count": len(STAGES),
        "status_words": ROW_STATUS_WORDS,
        "not_shared": NOT_SHARED,
        "query": request.GET.urlencode(),
    }
    return network_page(request, network, "networks/console.html", context, "console")


def csv_row(status: TeamStatus, places: str) -> dict[str, Any]:
    team, stage, progress = status.team, status.stage, status.progress
    row: dict[str, Any] = {"team": team.workspace.name, "places": places, "track": team.track.name}
    if stage is None:
        row |= {k: NOT_SHARED for k in ("stage", "stages_reached", "last_activity",
                                        "overdue_actions", "stale_data")}  # fmt: skip
    else:
        current = stage.current
        row |= {
            "stage": current.label if current else "none yet",
            "stage_number": stage.number,
            "stages_reached": "; ".join(s.stage.label for s in stage.reached),
            "last_activity": status.last_activity.date().isoformat()
            if status.last_activity
            else "",
            "overdue_actions": status.overdue,
            "stale_data": " ".join(status.stale),
        }
    if progress.change is not None:
        row |= {"real_change": progress.change.changed, "indicators": progress.change.total}
    else:
        row["real_change"] = progress.note
    return row


@network_view()
def console_csv(request: HttpRequest, network: Network) -> HttpResponse:
    rows, _track, _sort = _statuses(request, network)
    body = to_csv([csv_row(r, _places(r)) for r in rows], CSV_COLUMNS)
    response = HttpResponse(body, content_type=CSV_TYPE)
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="{network.slug}-console-{day}.csv"'
    return response


@network_view(teams=True)
def team_view(request: HttpRequest, network: Network, team_id: int) -> HttpResponse:
    team = visible_team(request, network, team_id)
    status = team_status.team_statuses([team])[0]
    context = {
        "team": team,
        "status": status,
        "place_names": _places(status),
        "shared": shared_summary.shared_labels(team),
        "public_url": reverse("public:plan_public", kwargs={"slug": team.workspace.slug})
        if status.progress.shared
        else "",
        "own": team in getattr(request, "teams", []),
        "stage_count": len(STAGES),
        "status_words": ROW_STATUS_WORDS,
    }
    return network_page(request, network, "networks/team.html", context, "console")


@network_view(teams=True)
def shared_record(
    request: HttpRequest, network: Network, team_id: int, kind: str, object_id: int
) -> HttpResponse:
    team = visible_team(request, network, team_id)
    shared = shared_or_404(team, kind, object_id)
    summary = shared_summary.summary_of(team, kind, object_id)
    context = {"team": team, "shared": shared, "summary": summary}
    return network_page(request, network, "networks/shared_record.html", context, "console")


N = "<slug:slug>/"
network_urls: list[URLPattern] = [
    path(N, console, name="console"),
    path(N + "console.csv", console_csv, name="console_csv"),
    path(N + "teams/<int:team_id>/", team_view, name="team"),
    path(
        N + "teams/<int:team_id>/shared/<str:kind>/<int:object_id>/",
        shared_record,
        name="shared_record",
    ),
]
"""Routes under /n/<slug:slug>/ (namespace "networks")."""
workspace_urls: list[URLPattern] = []
"""Routes under /w/<slug:slug>/network/ (namespace "workspace")."""

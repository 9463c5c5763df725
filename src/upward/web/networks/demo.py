"""The demo learning network (``upward network demo``): the Mobility Action Learning Network
from its page in the seeds, its 26 localities in their four tracks, each resolved to its
place in the current release, with one demo workspace and team per locality and two demo
staff accounts, so the console can be seen with real places.

:func:`build_network_demo` does the work, in one transaction (a failure leaves nothing);
``upward demo`` calls it with its own coalition's workspace for "Ramsey County, MN".
Every workspace, team and person it makes is labelled a demo; the places are real.

A member is resolved by its name and kind ("... County" a county, else a city); a city
Urban's city data leaves out (too small for it) is placed in the county holding most of
its residents, by the release's county-to-place crosswalk, and its team says so
(:attr:`Team.place_note`). A member that matches several places, or none, is named with
the reason, and nothing is built unless ``allow_unresolved`` (then its team has no place).
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils.text import slugify

from upward.catalog import CITY, COUNTY
from upward.explore import AmbiguousPlace, Geography, PlaceNotFound, Release
from upward.planning import network as vocab
from upward.planning.network_seeds import (
    NETWORK_NAME,
    NetworkSeed,
    SeedError,
    looks_like_network_page,
    parse_network_page,
    split_locality,
)
from upward.web.networks import team_store
from upward.web.networks.models import Network, NetworkInvitation, Staff, Team, Track
from upward.web.workspace.activity import record
from upward.web.workspace.models import CoalitionStructure, Membership, Role, Workspace

SEEDS_ENV = "UPWARD_SEEDS"
"""A seeds folder (or the network page itself) other than ``../shared/seeds``."""
PASSWORD_ENV = "UPWARD_DEMO_PASSWORD"
"""The demo accounts' password; when unset, each gets a new random one (printed)."""
NETWORK_SLUG = "mobility-action-learning-network"
WORKSPACE_PREFIX = "demo-maln-"
DEMO_EMAIL_DOMAIN = "demo.invalid"
"""The demo accounts' email domain (``.invalid`` is reserved: no one's real address)."""

NETWORK_DESCRIPTION = (
    "A demo of Urban's Mobility Action Learning Network: localities in four learn-and-share "
    "tracks, supported for a year with trainings, one-on-one advisory calls, shared "
    "resources and peer learning. Built by the command upward network demo: the places are real; "
    "the workspaces, teams and people are made up."
)
TRACK_WORDS = {
    "Using Data for Decisionmaking": (
        "Gathering, analyzing and showing data to see what holds mobility back locally and "
        "to aim solutions at it."
    ),
    "Building Coalitions for Systems Change": (
        "Finding and engaging the stakeholders and champions a cross-sector coalition needs "
        "to change systems."
    ),
    "Empowering Community Partners": (
        "Sharing power with residents: deep community engagement, assessing power dynamics "
        "and lasting partnerships."
    ),
    "Measuring Impact": (
        "Measuring progress toward mobility and equity goals: assessment tools, measurement "
        "plans and benchmarks of systems change."
    ),
}
"""The tracks in our own words (a track not here keeps its page's first sentence)."""


@dataclass(frozen=True)
class DemoPerson:
    username: str
    first_name: str
    last_name: str
    role: str
    """``operator`` or ``adviser`` (network staff), or ``owner`` (the teams' owner)."""

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


OWNER = "owner"
PEOPLE = (
    DemoPerson("maln-operator", "Avery", "Quillfeather", vocab.OPERATOR),
    DemoPerson("maln-adviser", "Jordan", "Brightwater", vocab.ADVISER),
    DemoPerson("maln-owner", "Robin", "Tamarack", OWNER),
)
"""Made-up people: the network's operator and adviser, and the owner who consents for
every demo team."""

COUNTY_WORDS = re.compile(r"\b(county|parish|borough|census area|planning region)$", re.I)


class DemoRefused(Exception):
    """The demo network cannot be built as asked; nothing was changed. The message says why."""


@dataclass(frozen=True)
class Resolution:
    """How one member of the page was found in the release."""

    locality: str
    track: str
    place: Geography | None
    note: str = ""
    """How its place was resolved when not as written (a city as its county)."""
    problem: str = ""
    """Why it has no place (several match, or none)."""

    @property
    def fallback(self) -> bool:
        return self.place is not None and bool(self.note)

    def line(self) -> str:
        if self.place is None:
            return f"{self.locality}: NOT RESOLVED: {self.problem}"
        kind = self.place.geo_level
        said = f"{self.locality} -> {self.place.display_name} ({kind} {self.place.geoid})"
        return f"{said}: {self.note}" if self.note else said


@dataclass(frozen=True)
class SignIn:
    username: str
    password: str
    name: str
    role: str


@dataclass
class NetworkDemo:
    """What :func:`build_network_demo` did."""

    network: Network
    created: bool
    """False when the demo network was there already (nothing, or only a given
    workspace's team, changed)."""
    resolutions: list[Resolution] = field(default_factory=list)
    sign_ins: list[SignIn] = field(default_factory=list)
    teams: int = 0
    replaced: list[str] = field(default_factory=list)
    """Members whose blank demo workspace was replaced by a given one."""


# The seed ------------------------------------------------------------------------------


def default_seeds() -> Path:
    """``$UPWARD_SEEDS``, else ``../shared/seeds`` beside the repository (or beside the
    folder it runs in)."""
    if os.environ.get(SEEDS_ENV):
        return Path(os.environ[SEEDS_ENV]).expanduser()
    beside_repo = Path(__file__).resolve().parents[5] / "shared" / "seeds"
    beside_cwd = Path.cwd().parent / "shared" / "seeds"
    return beside_repo if beside_repo.is_dir() or not beside_cwd.is_dir() else beside_cwd


def seed_file(path: Path | None = None) -> Path:
    """The network's page: ``path`` itself, or the one page of the seeds folder ``path``
    (default :func:`default_seeds`) that reads as a learning network's members."""
    path = path or default_seeds()
    if path.is_file():
        return path
    if not path.is_dir():
        raise DemoRefused(
            f"No seeds at {path}. Give the network's page or its folder "
            f"(default ../shared/seeds beside the repository, or ${SEEDS_ENV})."
        )
    pages = sorted(p for p in path.glob("*.txt") if looks_like_network_page(_read(p)))
    if len(pages) != 1:
        found = ", ".join(p.name for p in pages) if pages else "none"
        raise DemoRefused(
            f"{path} should hold one page listing a learning network's members "
            "(with the words 'Learning Network' and 'Network members'); "
            f"found {found}. Give the page's file instead."
        )
    return pages[0]


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ""
    except OSError as exc:
        raise DemoRefused(f"Cannot read {path}: {exc.strerror or exc}.") from None


def read_seed(path: Path | None = None) -> NetworkSeed:
    """The network of the seed page (see :func:`seed_file`), or :class:`DemoRefused`."""
    page = seed_file(path)
    try:
        text = page.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise DemoRefused(f"{page} is not UTF-8 text.") from None
    except OSError as exc:
        raise DemoRefused(f"Cannot read {page}: {exc.strerror or exc}.") from None
    try:
        return parse_network_page(text)
    except SeedError as exc:
        raise DemoRefused(f"{page}: {exc}") from None


# Places --------------------------------------------------------------------------------


def _key(text: str) -> str:
    plain = text.casefold().replace("saint ", "st ").replace("st. ", "st ")
    return " ".join(re.sub(r"[^a-z0-9]+", " ", plain).split())


def _as_written(geo: Geography, locality: str) -> bool:
    wanted = _key(locality)
    return wanted in {_key(geo.display_name), _key(f"{geo.name}, {geo.state_abbr}")}


def _names(places: list[Geography] | tuple[Geography, ...]) -> str:
    return "; ".join(f"{g.display_name} ({g.geo_level} {g.geoid})" for g in places[:5])


def _release_words(release: Release) -> str:
    return f"release {release.release_name}" if release.release_name else "the release in use"


def resolve_locality(release: Release, locality: str, track: str = "") -> Resolution:
    """The place of one member, as written ("Kansas City, MO": the city; "Ramsey County,
    MN": the county), else the county of a city too small for Urban's city data."""
    name, state = split_locality(locality)
    level = COUNTY if COUNTY_WORDS.search(name) else CITY
    in_release = _release_words(release)
    closest: list[Geography] = []
    try:
        geo = release.find_place(locality, level)
    except AmbiguousPlace as exc:
        exact = [g for g in exc.suggestions if _as_written(g, locality)]
        if len(exact) != 1:
            return Resolution(
                locality,
                track,
                None,
                problem=f"it matches several {level} names in {in_release}: "
                f"{_names(exact or exc.suggestions)}.",
            )
        geo = exact[0]
    except PlaceNotFound as exc:
        geo, closest = None, list(exc.suggestions)
    if geo is not None and _as_written(geo, locality):
        return Resolution(locality, track, geo)
    if geo is not None:
        closest = [geo]
    if level == CITY:
        counties = release.counties_of_city(name, state)
        cities = sorted({c.city_name for c in counties})
        if len(cities) > 1:
            return Resolution(
                locality,
                track,
                None,
                problem=f"it is not among Urban's cities in {in_release}, and the "
                f"county-to-place crosswalk has several places of that name: {'; '.join(cities)}.",
            )
        known = [c for c in counties if c.county_geoid in release.places]
        if known:
            main = known[0]
            county = release.places[main.county_geoid]
            share = (
                "all"
                if main.share_of_city is None or main.share_of_city >= 0.995
                else f"{main.share_of_city:.0%}"
            )
            return Resolution(
                locality,
                track,
                county,
                note=f"{locality} is not among Urban's cities in {in_release} (Urban "
                f"publishes only cities above a population threshold), so its team uses "
                f"{county.display_name}, home to {share} of the city's residents "
                "(county-to-place crosswalk).",
            )
    why = f"no {level} is called {locality} in {in_release}"
    if level == CITY:
        why += ", and the county-to-place crosswalk has no city of that name in its state"
    hint = f"; the closest: {_names(closest)}" if closest else ""
    return Resolution(locality, track, None, problem=f"{why}{hint}.")


def resolve_seed(release: Release, seed: NetworkSeed) -> list[Resolution]:
    return [resolve_locality(release, loc, track.name) for loc, track in seed.localities]


# The database --------------------------------------------------------------------------


def existing_demo() -> Network | None:
    return Network.objects.filter(slug=NETWORK_SLUG).first()


def other_data() -> str:
    """What the database holds besides the demo network, in words ("" when empty)."""
    users = get_user_model().objects.exclude(email__endswith=f"@{DEMO_EMAIL_DOMAIN}")
    counts = (
        (Workspace.objects.exclude(slug__startswith=WORKSPACE_PREFIX).count(), "workspace"),
        (Network.objects.exclude(slug=NETWORK_SLUG).count(), "network"),
        (users.count(), "user"),
    )
    return ", ".join(f"{n} {what}{'s' if n != 1 else ''}" for n, what in counts if n)


def _track_words(description: str, name: str) -> str:
    if name in TRACK_WORDS:
        return TRACK_WORDS[name]
    first = re.split(r"(?<=\.)\s", description, maxsplit=1)[0]
    return first[:300]


def _person(person: DemoPerson, password: str) -> tuple[object, SignIn]:
    users = get_user_model()
    email = f"{person.username}@{DEMO_EMAIL_DOMAIN}"
    user = users.objects.filter(username=person.username).first()
    if user is None:
        user = users(username=person.username, email=email)
    elif user.email != email:
        raise DemoRefused(
            f"A user called {person.username} exists and is not a demo account; "
            "the demo needs that name. Nothing was changed."
        )
    user.first_name, user.last_name = person.first_name, person.last_name
    user.set_password(password)
    user.save()
    role = {vocab.OPERATOR: "operator", vocab.ADVISER: "adviser"}.get(person.role, "team owner")
    return user, SignIn(person.username, password, person.full_name, role)


def _owner_of(workspace: Workspace):  # type: ignore[no-untyped-def]
    membership = (
        Membership.objects.filter(workspace=workspace, role=Role.OWNER)
        .select_related("user")
        .order_by("joined_at", "id")
        .first()
    )
    return membership.user if membership else None


def _demo_workspace(resolution: Resolution, owner) -> Workspace:  # type: ignore[no-untyped-def]
    slug = demo_slug(resolution.locality)
    if Workspace.objects.filter(slug=slug).exists():
        raise DemoRefused(f"A workspace /w/{slug}/ exists already. Nothing was changed.")
    description = (
        f"DEMO: a made-up mobility action team for {resolution.locality} in the demo "
        f"{NETWORK_NAME}; its people and records are not real."
    )
    if resolution.fallback and resolution.place:
        description += (
            f" It works on {resolution.place.display_name}: {resolution.locality} is not "
            "among Urban's cities."
        )
    elif resolution.place is None:
        description += f" {resolution.locality} was not found in the metrics data."
    workspace = Workspace.objects.create(
        name=f"{resolution.locality} mobility action team (demo)",
        slug=slug,
        description=description[:2000],
        geoids=[resolution.place.geoid] if resolution.place else [],
        created_by=owner,
        updated_by=owner,
    )
    Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
    CoalitionStructure.objects.create(workspace=workspace)
    record(workspace, owner, "created the workspace", workspace.name, "demo")
    return workspace


def _join(  # type: ignore[no-untyped-def]
    network: Network, track: Track, workspace: Workspace, resolution: Resolution, owner, operator
) -> Team:
    """The workspace joins by its owner's consent: an invitation from the operator, accepted
    by the owner (as a coalition joins through the invitation page)."""
    consenting = _owner_of(workspace)
    if consenting is None:
        if owner is None:
            raise DemoRefused(
                f"{workspace.name} has no owner to consent to joining, and the demo owner "
                f"{PEOPLE[-1].username} is gone. Nothing was changed."
            )
        Membership.objects.create(workspace=workspace, user=owner, role=Role.OWNER)
        consenting = owner
    invitation = team_store.create_invitation(
        network, operator, NetworkInvitation.TEAM, f"Demo: {resolution.locality}", track=track
    )
    note = resolution.note or (f"No place: {resolution.problem}" if resolution.problem else "")
    team = team_store.join(invitation, consenting, workspace, track, note)
    if team is None:
        raise DemoRefused(
            f"{workspace.name} could not join {network.name} (it is in it already). "
            "Nothing was changed."
        )
    return team


def build_network_demo(
    release: Release,
    out: Callable[[str], None] | None = None,
    workspaces: Mapping[str, Workspace] | None = None,
    *,
    seeds: Path | NetworkSeed | None = None,
    password: str | None = None,
    allow_unresolved: bool = False,
) -> NetworkDemo:
    """Build the demo network from the seed page (default: the one in ``../shared/seeds``)
    on ``release``, printing each line of what it did through ``out``.

    ``workspaces``: by member as the page writes it ("Ramsey County, MN"), a workspace to
    be that member's team instead of a blank demo one (consented by its owner). When the
    demo network exists already, nothing is built again; a given workspace not yet in it
    replaces its member's blank demo workspace.

    ``password``: the demo accounts' (default ``$UPWARD_DEMO_PASSWORD``, else a new random
    one each). Raises :class:`DemoRefused` (nothing changed) for a seed that cannot be
    read, a member not resolved (unless ``allow_unresolved``), a given workspace for a
    member not on the page, or a name the demo needs held by real data."""
    say = out or (lambda _line: None)
    seed = seeds if isinstance(seeds, NetworkSeed) else read_seed(seeds)
    given = dict(workspaces or {})
    members = {loc for loc, _ in seed.localities}
    unknown = sorted(set(given) - members)
    if unknown:
        raise DemoRefused(
            f"No member of {seed.name} is called {', '.join(unknown)}; the members are "
            f"written like {', '.join(sorted(members)[:3])}. Nothing was changed."
        )
    found = existing_demo()
    if found is not None:
        return _already(found, seed, given, say)
    resolutions = resolve_seed(release, seed)
    unresolved = [r for r in resolutions if r.place is None]
    if unresolved and not allow_unresolved:
        lines = "\n".join(f"  {r.locality}: {r.problem}" for r in unresolved)
        raise DemoRefused(
            f"{len(unresolved)} of {len(resolutions)} members of {seed.name} cannot be placed "
            f"in {_release_words(release)}:\n{lines}\nNothing was changed."
        )
    secret = password or os.environ.get(PASSWORD_ENV) or ""
    with transaction.atomic():
        people = {p.role: _person(p, secret or secrets.token_urlsafe(9)) for p in PEOPLE}
        operator = people[vocab.OPERATOR][0]
        owner = people[OWNER][0]
        network = team_store.create_network(
            operator, seed.name, NETWORK_SLUG, NETWORK_DESCRIPTION, tracks=()
        )
        network.is_demo = True
        network.save(update_fields=["is_demo"])
        tracks = {
            t.name: team_store.add_track(
                network, t.name, operator, _track_words(t.description, t.name), order=i
            )
            for i, t in enumerate(seed.tracks)
        }
        Staff.objects.create(network=network, user=people[vocab.ADVISER][0], role=vocab.ADVISER)
        for resolution in resolutions:
            workspace = given.get(resolution.locality) or _demo_workspace(resolution, owner)
            _join(network, tracks[resolution.track], workspace, resolution, owner, operator)
    result = NetworkDemo(
        network,
        created=True,
        resolutions=resolutions,
        sign_ins=[people[role][1] for role in (vocab.OPERATOR, vocab.ADVISER, OWNER)],
        teams=len(resolutions),
    )
    for line in report_lines(result):
        say(line)
    return result


def demo_slug(locality: str) -> str:
    """The address of a member's blank demo workspace: /w/demo-maln-ramsey-county-mn/."""
    return (WORKSPACE_PREFIX + slugify(locality))[:60]


def _already(
    network: Network, seed: NetworkSeed, given: dict[str, Workspace], say: Callable[[str], None]
) -> NetworkDemo:
    if not network.is_demo:
        raise DemoRefused(
            f"A network /n/{network.slug}/ ({network.name}) exists and is not the demo; "
            "the demo needs its address. Nothing was changed."
        )
    result = NetworkDemo(network, created=False)
    users = get_user_model().objects
    owner = users.filter(username=PEOPLE[-1].username).first()
    operator = users.filter(network_staff__network=network, network_staff__role=vocab.OPERATOR)
    with transaction.atomic():
        for locality, workspace in given.items():
            if Team.objects.filter(
                network=network, workspace=workspace, status=vocab.TEAM_ACTIVE
            ).exists():
                continue
            blank = (
                Team.objects.filter(
                    network=network,
                    workspace__slug=demo_slug(locality),
                )
                .select_related("track", "workspace")
                .first()
            )
            track_name = next(t.name for loc, t in seed.localities if loc == locality)
            track = blank.track if blank else network.tracks.filter(name=track_name).first()
            if track is None:
                raise DemoRefused(
                    f"The demo network has no track {track_name} for {locality}. "
                    "Nothing was changed."
                )
            note = blank.place_note if blank else ""
            if blank:
                blank.workspace.delete()
            resolution = Resolution(locality, track.name, None, note=note)
            _join(network, track, workspace, resolution, owner, operator.first())
            result.replaced.append(locality)
    result.teams = network.teams.filter(status=vocab.TEAM_ACTIVE).count()
    for line in report_lines(result):
        say(line)
    return result


def report_lines(result: NetworkDemo) -> list[str]:
    """What was built (or found), the members' places and the demo sign-ins, in lines."""
    network = result.network
    if not result.created:
        lines = [
            f"The demo network {network.name} (/n/{network.slug}/) is there already, "
            f"with {result.teams} teams: nothing to do."
            if not result.replaced
            else f"The demo network {network.name} (/n/{network.slug}/) is there already; "
            f"{', '.join(result.replaced)} now joined with the given workspace."
        ]
        lines.append(
            "Its demo accounts are maln-operator, maln-adviser and maln-owner; their "
            "passwords were printed when it was built."
        )
        return lines
    fallbacks = [r for r in result.resolutions if r.fallback]
    unresolved = [r for r in result.resolutions if r.place is None]
    lines = [
        f"Built the demo network {network.name} (/n/{network.slug}/): "
        f"{network.tracks.count()} tracks, {result.teams} teams, "
        f"{len(fallbacks)} placed in their county, {len(unresolved)} without a place.",
    ]
    for track in network.tracks.all():
        lines.append(f"{track.name}:")
        lines.extend(f"  {r.line()}" for r in result.resolutions if r.track == track.name)
    lines.append("Demo accounts (made-up people; demo data only, not real sign-ins of anyone):")
    lines.extend(f"  {s.role}: {s.username} / {s.password} ({s.name})" for s in result.sign_ins)
    return lines

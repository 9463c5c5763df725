"""A network's resource library (issue 15, part 3): staff add links and files for the
whole network or one track; a team member sees the network-wide ones and their track's
(on the network's page and from their workspace); a file is served only to those who may
see it, as an attachment; bad input is refused on its field with nothing saved and no
file left in storage; edits are versioned; a delete asks first."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from network_support import make_team
from workspace_support import make_user, make_workspace, snapshot

from upward.web.networks import forms_resources
from upward.web.networks.models import Resource

pytest_plugins = ["workspace_support", "network_support"]
pytestmark = [pytest.mark.db, pytest.mark.django_db]

PDF = b"%PDF-1.4\n% a tiny test file\n"
PILLAR = "education"
PREDICTOR = "effective_public_education"


def url(name: str, world: SimpleNamespace, *args: Any) -> str:
    return reverse(f"networks:{name}", args=[world.network.slug, *args])


def stored_files(tmp_path: Path) -> list[str]:
    root = tmp_path / "uploads"
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def post_resource(client: Client, world: SimpleNamespace, **fields: Any) -> Any:
    data = {"title": "A resource", "description": "", "track": "", "url": "", "stage": "",
            **fields}  # fmt: skip
    return client.post(url("resource_add", world), data)


@pytest.fixture
def library(network_world: SimpleNamespace, client: Client) -> SimpleNamespace:
    """The world with a second team (workspace "duluth", owner tom) in another track, and
    two resources the operator added: a network-wide link and a file for the first track."""
    world = network_world
    world.other_owner = make_user("tom")
    world.other_workspace = make_workspace(world.other_owner, "Duluth Coalition", "duluth")
    world.other_team = make_team(
        world.network, world.other_workspace, world.other_owner, world.other_track
    )
    client.force_login(world.operator)
    response = post_resource(
        client, world, title="Community data walks", url="https://example.org/walks",
        pillars=[PILLAR], predictors=[PREDICTOR], stage="engagement",
        description="How three coalitions ran data walks.",
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    world.link = Resource.objects.get(title="Community data walks")
    upload = SimpleUploadedFile("Logic model template.pdf", PDF, "application/pdf")
    response = post_resource(
        client, world, title="Logic model template", track=str(world.track.pk), upload=upload
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    world.pdf = Resource.objects.get(title="Logic model template")
    client.logout()
    return world


def test_staff_add_a_link_and_a_file(library: SimpleNamespace, client: Client) -> None:
    link, pdf = library.link, library.pdf
    assert link.url == "https://example.org/walks" and not link.file and link.track is None
    assert link.pillars == [PILLAR] and link.predictors == [PREDICTOR]
    assert link.stage == "engagement" and link.added_by == library.operator
    assert pdf.url == "" and pdf.track == library.track
    assert pdf.file.name.startswith(f"networks/{library.network.pk}/resources/")
    assert pdf.file.read() == PDF
    client.force_login(library.adviser)
    page = client.get(url("resources", library)).content.decode()
    assert "Community data walks" in page and "Logic model template" in page
    assert "Education" in page and "Engagements held" in page  # labels, not ids
    assert "PDF" in page and "bytes" in page and "opal" in page
    assert f'href="{url("resource_file", library, pdf.pk)}"' in page
    assert "/media/" not in page


def test_a_team_member_of_the_track_sees_both_and_reads_the_file(
    library: SimpleNamespace, client: Client
) -> None:
    client.force_login(library.viewer)  # vera, viewer of ramsey, in the first track
    page = client.get(url("resources", library)).content.decode()
    assert "Community data walks" in page and "Logic model template" in page
    assert "Data walk guide" in page  # the world's own file, also in this track
    assert "Add a resource" not in page and "Edit" not in page
    response = client.get(url("resource_file", library, library.pdf.pk))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF  # type: ignore[attr-defined]
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Logic_model_template.pdf" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    workspace_page = client.get(reverse("workspace:network_resources", args=["ramsey"]))
    assert workspace_page.status_code == 200
    text = workspace_page.content.decode()
    assert "Community data walks" in text and "Logic model template" in text


def test_a_member_of_another_track_sees_only_network_wide_ones(
    library: SimpleNamespace, client: Client
) -> None:
    client.force_login(library.other_owner)
    page = client.get(url("resources", library)).content.decode()
    assert "Community data walks" in page
    assert "Logic model template" not in page and "Data walk guide" not in page
    assert client.get(url("resource_file", library, library.pdf.pk)).status_code == 404
    text = client.get(reverse("workspace:network_resources", args=["duluth"])).content.decode()
    assert "Community data walks" in text and "Logic model template" not in text
    # staff pages of the library are not a team's
    for name in ("resource_edit", "resource_delete"):
        assert client.get(url(name, library, library.pdf.pk)).status_code == 404
    assert client.get(url("resource_add", library)).status_code == 404


def test_outsiders_get_404(library: SimpleNamespace, client: Client) -> None:
    for user in (library.outsider, library.rival_operator, library.rival_owner):
        client.force_login(user)
        assert client.get(url("resources", library)).status_code == 404
        assert client.get(url("resource_file", library, library.pdf.pk)).status_code == 404
    # a resource of this network asked for under another network's address
    client.force_login(library.rival_operator)
    other = reverse("networks:resource_file", args=["harbor-net", library.pdf.pk])
    assert client.get(other).status_code == 404
    client.logout()
    response = client.get(url("resource_file", library, library.pdf.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_a_workspace_in_no_network_has_no_library(
    network_world: SimpleNamespace, client: Client
) -> None:
    client.force_login(network_world.outsider)
    page = client.get(reverse("workspace:network_resources", args=["elsewhere"]))
    assert page.status_code == 200 and "not in a learning network" in page.content.decode()


def test_staff_filter_by_track_pillar_predictor_and_stage(
    library: SimpleNamespace, client: Client
) -> None:
    client.force_login(library.operator)
    base = url("resources", library)

    def titles(query: str) -> set[str]:
        page = client.get(f"{base}?{query}").content.decode()
        return {t for t in ("Community data walks", "Logic model template", "Data walk guide")
                if t in page}  # fmt: skip

    assert titles("track=network") == {"Community data walks"}
    assert titles(f"track={library.track.pk}") == {"Logic model template", "Data walk guide"}
    assert titles(f"track={library.other_track.pk}") == set()
    assert titles(f"pillar={PILLAR}") == {"Community data walks"}
    assert titles(f"predictor={PREDICTOR}") == {"Community data walks"}
    assert titles("stage=engagement") == {"Community data walks"}
    assert titles("stage=published") == set()
    assert len(titles("pillar=no_such_pillar")) == 3  # an unknown filter is ignored, not a 500


BAD_INPUT = [
    ({"url": "javascript:alert(1)"}, "url", "javascript: addresses are not accepted"),
    ({"url": "ftp://example.org/x"}, "url", "ftp: addresses are not accepted"),
    ({"url": "data:text/html,hi"}, "url", "data: addresses are not accepted"),
    ({"url": "https://"}, "url", "not a valid web address"),
    ({}, "url", "Give a link or upload a file."),
    ({"url": "https://example.org", "upload": ("a.pdf", PDF)}, "upload", "not both"),
    ({"upload": ("tool.exe", b"MZ\x90\x00")}, "upload", ".exe files are not accepted"),
    ({"upload": ("page.html", b"<script>")}, "upload", ".html files are not accepted"),
    ({"upload": ("fake.pdf", b"<html>not a pdf")}, "upload", "is not a PDF"),
    ({"upload": ("notes.txt", b"\x00\x01\x02binary")}, "upload", "not UTF-8 text"),
    ({"upload": ("empty.csv", b"")}, "upload", "empty"),
    ({"url": "https://example.org", "pillars": ["no_such_pillar"]}, "pillars", "valid choice"),
    ({"url": "https://example.org", "predictors": ["nope"]}, "predictors", "valid choice"),
    ({"url": "https://example.org", "stage": "nope"}, "stage", "valid choice"),
    ({"url": "https://example.org", "title": "   "}, "title", "Give the resource a title."),
]


@pytest.mark.parametrize(("fields", "field", "message"), BAD_INPUT)
def test_bad_input_is_refused_on_its_field_with_nothing_saved(
    library: SimpleNamespace, client: Client, tmp_path: Path, fields: dict, field: str,
    message: str,
) -> None:  # fmt: skip
    client.force_login(library.operator)
    fields = dict(fields)
    if "upload" in fields:
        name, body = fields["upload"]
        fields["upload"] = SimpleUploadedFile(name, body)
    before, files = snapshot(), stored_files(tmp_path)
    response = post_resource(client, library, **fields)
    assert response.status_code == 400
    form = response.context["form"]
    assert any(message in e for e in form.errors.get(field, [])), form.errors
    assert f'id="id_{field}_error"' in response.content.decode()
    assert snapshot() == before and stored_files(tmp_path) == files


def test_an_oversize_file_is_refused(
    library: SimpleNamespace, client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(forms_resources, "MAX_FILE_BYTES", 1024)
    client.force_login(library.operator)
    before, files = snapshot(), stored_files(tmp_path)
    big = SimpleUploadedFile("big.pdf", PDF + b"x" * 2048)
    response = post_resource(client, library, upload=big)
    assert response.status_code == 400
    assert "at most" in " ".join(response.context["form"].errors["upload"])
    assert snapshot() == before and stored_files(tmp_path) == files


def test_the_limit_is_20_mb() -> None:
    assert forms_resources.MAX_FILE_BYTES == 20 * 1024 * 1024


def test_a_failed_save_leaves_no_file(
    library: SimpleNamespace, client: Client, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database failure after the file was stored removes the file: never a partial save."""
    client.force_login(library.operator)
    files = stored_files(tmp_path)
    count = Resource.objects.count()

    def fail(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("the database went away")

    monkeypatch.setattr(Resource, "save", fail)
    client.raise_request_exception = True
    with pytest.raises(RuntimeError):
        post_resource(client, library, upload=SimpleUploadedFile("x.pdf", PDF))
    monkeypatch.undo()
    assert Resource.objects.count() == count and stored_files(tmp_path) == files


def edit_data(resource: Resource, **fields: Any) -> dict[str, Any]:
    data = {"title": resource.title, "description": resource.description,
            "track": resource.track_id or "", "url": resource.url, "stage": resource.stage,
            "pillars": resource.pillars, "predictors": resource.predictors,
            "version": resource.version}  # fmt: skip
    return {**data, **fields}


def test_staff_edit_with_optimistic_concurrency(library: SimpleNamespace, client: Client) -> None:
    link = library.link
    client.force_login(library.operator)
    edit = url("resource_edit", library, link.pk)
    assert client.get(edit).status_code == 200
    response = client.post(edit, edit_data(link, title="Data walks, revised"))
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.title == "Data walks, revised" and link.version == 2
    before = snapshot()
    stale = client.post(edit, edit_data(link, title="Mine", version=1))
    assert stale.status_code == 409
    text = stale.content.decode()
    assert "Someone else saved this first" in text and "Mine" in text
    assert snapshot() == before
    bad = client.post(edit, edit_data(link, url="javascript:alert(1)"))
    assert bad.status_code == 400 and snapshot() == before


def test_replacing_a_file_or_giving_a_link_drops_the_old_file(
    library: SimpleNamespace,
    client: Client,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    pdf = library.pdf
    old = pdf.file.name
    client.force_login(library.operator)
    edit = url("resource_edit", library, pdf.pk)
    new = SimpleUploadedFile("template v2.pdf", PDF + b"v2")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, {**edit_data(pdf), "upload": new})
    assert response.status_code == 302
    pdf.refresh_from_db()
    assert pdf.file.name != old and pdf.file.read() == PDF + b"v2"
    assert old not in stored_files(tmp_path)
    kept = client.post(edit, edit_data(pdf, title="Kept file"))  # no upload: the file stays
    assert kept.status_code == 302
    pdf.refresh_from_db()
    assert pdf.title == "Kept file" and pdf.file.name in stored_files(tmp_path)
    current = pdf.file.name
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(edit, edit_data(pdf, url="https://example.org/template"))
    assert response.status_code == 302
    pdf.refresh_from_db()
    assert pdf.url == "https://example.org/template" and not pdf.file
    assert current not in stored_files(tmp_path)


def test_delete_asks_first_and_removes_the_file(
    library: SimpleNamespace,
    client: Client,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    pdf = library.pdf
    name = pdf.file.name
    client.force_login(library.operator)
    delete = url("resource_delete", library, pdf.pk)
    before = snapshot()
    page = client.get(delete)
    assert page.status_code == 200 and "cannot be undone" in page.content.decode()
    assert snapshot() == before
    stale = client.post(delete, {"version": pdf.version + 5})
    assert stale.status_code == 302 and Resource.objects.filter(pk=pdf.pk).exists()
    assert client.post(delete, {}).status_code == 400
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(delete, {"version": pdf.version})
    assert done.status_code == 302 and not Resource.objects.filter(pk=pdf.pk).exists()
    assert name not in stored_files(tmp_path)


def test_a_team_member_changes_nothing(library: SimpleNamespace, client: Client) -> None:
    client.force_login(library.owner)  # ramsey's owner: a team member, not staff
    before = snapshot()
    response = post_resource(client, library, url="https://example.org/mine")
    assert response.status_code in (403, 404)
    edit = client.post(url("resource_edit", library, library.pdf.pk), edit_data(library.pdf))
    assert edit.status_code in (403, 404)
    gone = client.post(url("resource_delete", library, library.pdf.pk), {"version": 1})
    assert gone.status_code in (403, 404)
    assert snapshot() == before


def test_get_changes_nothing(library: SimpleNamespace, client: Client, tmp_path: Path) -> None:
    client.force_login(library.operator)
    before, files = snapshot(), stored_files(tmp_path)
    for name, args in (("resources", []), ("resource_add", []),
                       ("resource_edit", [library.pdf.pk]), ("resource_delete", [library.pdf.pk]),
                       ("resource_file", [library.pdf.pk])):  # fmt: skip
        assert client.get(url(name, library, *args)).status_code == 200, name
    assert snapshot() == before and stored_files(tmp_path) == files


def test_a_missing_file_is_a_clear_404(library: SimpleNamespace, client: Client) -> None:
    library.pdf.file.storage.delete(library.pdf.file.name)
    client.force_login(library.viewer)
    assert "cannot be found" in client.get(url("resources", library)).content.decode()
    assert client.get(url("resource_file", library, library.pdf.pk)).status_code == 404

"""A network's resource library in the store: which resources a person may see (staff:
all; a team member: the network-wide ones and their track's), filtering them, and adding,
changing and deleting one with its file, all or nothing (a file stored for a save that
fails is deleted; a file a change or a delete drops is deleted once it commits)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Q, QuerySet

from upward.catalog import get_catalog
from upward.planning import network as vocab
from upward.web.knowledge.local_store import safe_filename
from upward.web.networks.forms_resources import FILE_TYPES, extension
from upward.web.networks.models import Network, Resource, Staff, Team
from upward.web.workspace.versioning import claim_version, delete_versioned


def visible_resources(network: Network, staff: Staff | None, teams: list[Team]) -> QuerySet:
    """The resources of ``network`` the asker may see: all for its staff; for a member of
    its ``teams``, the network-wide ones and those of their teams' tracks."""
    rows = Resource.objects.filter(network=network).select_related("track", "added_by")
    if staff is not None:
        return rows
    tracks = [t.track_id for t in teams if t.network_id == network.pk and t.is_active]
    return rows.filter(Q(track__isnull=True) | Q(track_id__in=tracks))


def may_read(resource: Resource, staff: Staff | None, teams: list[Team]) -> bool:
    return visible_resources(resource.network, staff, teams).filter(pk=resource.pk).exists()


def filtered(rows: QuerySet, data: dict[str, Any]) -> list[Resource]:
    """``rows`` narrowed by a valid filter form's ``data`` (pillar: tagged with it or with
    one of its predictors; predictor; stage; track: a track's id or "network")."""
    track = data.get("track") or ""
    if track == "network":
        rows = rows.filter(track__isnull=True)
    elif track:
        rows = rows.filter(track_id=int(track))
    if data.get("stage"):
        rows = rows.filter(stage=data["stage"])
    found = list(rows)
    if data.get("pillar"):  # JSON lists: filtered here, alike on SQLite and PostgreSQL
        pillar = get_catalog().pillar(data["pillar"])
        found = [
            r for r in found
            if pillar.id in r.pillars or set(pillar.predictor_ids) & set(r.predictors)
        ]  # fmt: skip
    if data.get("predictor"):
        found = [r for r in found if data["predictor"] in r.predictors]
    return found


@dataclass(frozen=True)
class ResourceRow:
    resource: Resource
    pillars: list[str]
    predictors: list[str]
    stage: str
    file_name: str
    file_kind: str
    file_size: str
    """'' for a link; 'missing' when the stored file cannot be found."""


def size_words(size: int) -> str:
    if size < 1024:
        return f"{size} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


def file_name(resource: Resource) -> str:
    return resource.file.name.rsplit("/", 1)[-1] if resource.file else ""


def content_type(name: str) -> str:
    return FILE_TYPES.get(extension(name), ("application/octet-stream", ""))[0]


def rows_of(resources: list[Resource]) -> list[ResourceRow]:
    catalog = get_catalog()
    pillars = {p.id: p.label for p in catalog.pillars}
    predictors = {p.id: p.label for p in catalog.predictors}
    stages = dict(vocab.RESOURCE_STAGES)
    out = []
    for r in resources:
        name, kind, size = file_name(r), "", ""
        if name:
            kind = FILE_TYPES.get(extension(name), ("", "File"))[1]
            try:
                size = size_words(r.file.size)
            except OSError:
                size = "missing"
        out.append(
            ResourceRow(
                r, [pillars.get(p, p) for p in r.pillars],
                [predictors.get(p, p) for p in r.predictors],
                stages.get(r.stage, "") if r.stage else "", name, kind, size,
            )
        )  # fmt: skip
    return out


def _storage() -> Any:
    return Resource._meta.get_field("file").storage  # type: ignore[attr-defined]


def _forget(name: str) -> None:
    if name:
        _storage().delete(name)


def _store_file(resource: Resource, upload: UploadedFile) -> str:
    """Store ``upload`` as the resource's file (the row is saved by the caller)."""
    upload.seek(0)
    resource.file.save(safe_filename(upload.name or "resource.txt"), upload, save=False)
    resource.url = ""
    return resource.file.name


def add_resource(form: Any, user: Any, upload: UploadedFile | None) -> Resource:
    """A new resource from a valid form, with its file when ``upload`` is given; on any
    failure nothing is kept (the database rolls back and the stored file is deleted)."""
    stored = ""
    try:
        with transaction.atomic():
            resource = form.save(commit=False)
            resource.added_by = resource.updated_by = user
            if upload is not None:
                stored = _store_file(resource, upload)
            resource.save()
    except BaseException:
        _forget(stored)
        raise
    resource.refresh_from_db()
    return resource


def change_resource(
    resource: Resource, form: Any, expected: int, user: Any, upload: UploadedFile | None
) -> Resource:
    """Save a valid edit form unless someone saved the resource since ``expected``
    (raises StaleVersion). A new file replaces the old one; a link given instead of a
    kept file drops it. Dropped files are deleted once the change commits."""
    old = resource.file.name if resource.file else ""
    stored = ""
    try:
        with transaction.atomic():
            version = claim_version(Resource, resource.pk, expected)
            obj = form.save(commit=False)
            obj.version = version
            obj.updated_by = user
            if form.cleaned_data.get("url"):
                obj.file = ""
            if upload is not None:
                stored = _store_file(obj, upload)
            obj.save()
            if old and (upload is not None or form.cleaned_data.get("url")):
                transaction.on_commit(lambda: _forget(old))
    except BaseException:
        _forget(stored)
        raise
    obj.refresh_from_db()
    return obj


def delete_resource(resource: Resource, expected: int) -> None:
    """Delete the resource as read at ``expected`` (raises StaleVersion), and its file
    once the delete commits."""
    name = resource.file.name if resource.file else ""
    with transaction.atomic():
        delete_versioned(resource, expected)
        transaction.on_commit(lambda: _forget(name))

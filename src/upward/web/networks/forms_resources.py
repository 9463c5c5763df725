"""Forms of a network's resource library: one resource (a link or an uploaded file, for
the whole network or one track, tagged by pillars, predictors and a stage) and the
library's filters."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator

from upward.planning import network as vocab
from upward.web.networks.models import Network, Resource
from upward.web.workspace.forms.base import UswdsForm, VersionedModelForm, checkboxes, folded
from upward.web.workspace.forms.stakeholders import pillar_choices, predictor_choices

MAX_FILE_BYTES = 20 * 1024 * 1024
FILE_TYPES: dict[str, tuple[str, str]] = {
    "pdf": ("application/pdf", "PDF"),
    "docx": (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "Word document",
    ),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Spreadsheet"),
    "pptx": (
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
        "Slides",
    ),
    "csv": ("text/csv", "CSV data"),
    "txt": ("text/plain", "Text"),
    "png": ("image/png", "PNG image"),
    "jpg": ("image/jpeg", "JPEG image"),
    "jpeg": ("image/jpeg", "JPEG image"),
}
"""The file types a library takes, by extension: the type it is served as and its name."""
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    "pdf": (b"%PDF-",),
    "docx": (b"PK\x03\x04",),
    "xlsx": (b"PK\x03\x04",),
    "pptx": (b"PK\x03\x04",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
}
"""How each binary type's content starts (text types are checked as UTF-8 text)."""
TYPES_WORDS = "PDF, DOCX, XLSX, PPTX, CSV, TXT, PNG or JPG"
LINK_SCHEMES = ("http", "https")


def extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].casefold() if "." in name else ""


def check_link(value: str) -> str:
    """An http or https address, else a clear refusal (a javascript: address and any
    other scheme are refused)."""
    link = value.strip()
    if not link:
        return ""
    scheme = urlsplit(link).scheme.casefold()
    if scheme not in LINK_SCHEMES:
        raise ValidationError(
            "Give a web address that starts with http:// or https://; "
            f"{scheme + ': addresses are' if scheme else 'other addresses are'} not accepted."
        )
    try:
        URLValidator(schemes=list(LINK_SCHEMES))(link)
    except ValidationError:
        raise ValidationError("This is not a valid web address.") from None
    return link


def check_upload(upload: Any) -> Any:
    """The uploaded file if its size, extension and content are those of an allowed type."""
    if upload is None:
        return None
    if upload.size > MAX_FILE_BYTES:
        raise ValidationError(
            f"The file is {upload.size / 1024 / 1024:.1f} MB; the library takes files of at "
            f"most {MAX_FILE_BYTES // 1024 // 1024} MB."
        )
    if upload.size == 0:
        raise ValidationError("The file is empty.")
    ext = extension(upload.name or "")
    if ext not in FILE_TYPES:
        shown = f".{ext} files are" if ext else "A file without an extension is"
        raise ValidationError(f"{shown} not accepted. Upload a {TYPES_WORDS} file.")
    upload.seek(0)
    head = upload.read(2048)
    upload.seek(0)
    if ext in SIGNATURES:
        if not head.startswith(SIGNATURES[ext]):
            raise ValidationError(f"The file's content is not a {FILE_TYPES[ext][1]} (.{ext}).")
    elif b"\x00" in head or not _is_text(head):
        raise ValidationError(f"The file's content is not UTF-8 text (.{ext}).")
    return upload


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        return exc.start >= len(head) - 3  # a character cut at the end of the sample
    return True


class ResourceForm(VersionedModelForm):
    """A resource: its words, its audience (the network or one track), a link or a file
    (exactly one), and its tags. The file is saved by the store, never by the form."""

    field_order = ("title", "description", "track", "url", "upload")

    track = forms.ModelChoiceField(
        queryset=None,  # type: ignore[arg-type]
        required=False,
        empty_label="The whole network",
        label="Who sees it",
        help_text="The whole network, or only the teams of one track (and the staff).",
    )
    url = forms.CharField(
        required=False,
        max_length=500,
        label="Link",
        help_text="A web address (http:// or https://). Give a link or a file, not both.",
    )
    upload = forms.FileField(
        required=False,
        label="Or a file",
        help_text=f"{TYPES_WORDS}, at most {MAX_FILE_BYTES // 1024 // 1024} MB.",
        widget=forms.FileInput,
    )
    pillars = checkboxes(pillar_choices, "Pillars")
    predictors = checkboxes(predictor_choices, "Predictors")
    stage = forms.ChoiceField(
        required=False, choices=vocab.RESOURCE_STAGES, label="Stage of the planning process"
    )

    class Meta:
        model = Resource
        fields = ("title", "description", "track", "url", "pillars", "predictors", "stage")
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"title": {"required": "Give the resource a title."}}

    def __init__(self, *args: Any, network: Network, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.network = network
        track = self.fields["track"]
        assert isinstance(track, forms.ModelChoiceField)
        track.queryset = network.tracks.all()  # type: ignore[attr-defined]
        if self.instance.pk and self.instance.file:
            self.fields["upload"].label = "Replace the file"
            self.fields["upload"].help_text = (
                f"Now: {self.instance.file.name.rsplit('/', 1)[-1]}. Leave empty to keep it, "
                f"or give a link instead. {TYPES_WORDS}, at most "
                f"{MAX_FILE_BYTES // 1024 // 1024} MB."
            )

    def clean_title(self) -> str:
        return folded(self.cleaned_data["title"], "Give the resource a title.")

    def clean_url(self) -> str:
        return check_link(self.cleaned_data.get("url", ""))

    def clean_upload(self) -> Any:
        return check_upload(self.cleaned_data.get("upload"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if "url" in self.errors or "upload" in self.errors:
            return cleaned
        link, upload = cleaned.get("url"), cleaned.get("upload")
        kept = bool(self.instance.pk and self.instance.file)
        if link and upload:
            self.add_error("upload", "Give a link or a file, not both.")
        elif not link and not upload and not kept:
            self.add_error("url", "Give a link or upload a file.")
        return cleaned

    def save(self, commit: bool = True) -> Any:
        self.instance.network = self.network
        return super().save(commit)


class ResourceFilterForm(UswdsForm):
    """The library's filters (GET): pillar, predictor, stage and, for staff, track."""

    pillar = forms.ChoiceField(required=False)
    predictor = forms.ChoiceField(required=False)
    stage = forms.ChoiceField(required=False, label="Stage")
    track = forms.ChoiceField(required=False)

    def __init__(self, *args: Any, network: Network | None = None, **kwargs: Any) -> None:
        super().__init__(*args, label_suffix="", **kwargs)
        self.fields["pillar"].choices = [("", "Any pillar"), *pillar_choices()]  # type: ignore[attr-defined]
        self.fields["predictor"].choices = [("", "Any predictor"), *predictor_choices()]  # type: ignore[attr-defined]
        self.fields["stage"].choices = vocab.RESOURCE_STAGES  # type: ignore[attr-defined]
        if network is None:
            del self.fields["track"]
        else:
            tracks = [(str(t.pk), t.name) for t in network.tracks.all()]  # type: ignore[attr-defined]
            self.fields["track"].choices = [  # type: ignore[attr-defined]
                ("", "Any track"),
                ("network", "The whole network only"),
                *tracks,
            ]

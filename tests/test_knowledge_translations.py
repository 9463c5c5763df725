"""Every string the public pages translate has a Spanish translation, and the compiled
catalogs are current.

The strings are found as gettext finds them: Jinja's own extractor over the public
templates (knowledge/public_base.html, knowledge/input*.html, knowledge/survey*.html,
knowledge/summary_public.html, and the published plan's measurement/public_*.html and
measurement/_public_*.html),
and a scan of the knowledge app's Python modules and the measurement app's public ones
that import Django's translation functions. The catalogs are the project's
(src/upward/web/locale), the knowledge app's and the measurement app's (each app's
locale/, when present).
"""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import jinja2
import pytest
from django.test import Client
from django.utils import translation

from upward.web.knowledge.models import InputForm

pytest_plugins = ["workspace_support"]

WEB = Path(__file__).resolve().parents[1] / "src" / "upward" / "web"
KNOWLEDGE = WEB / "knowledge"
TEMPLATES = KNOWLEDGE / "templates" / "knowledge"
MEASUREMENT = WEB / "measurement"
CATALOGS = [
    WEB / "locale" / "es" / "LC_MESSAGES" / "django.po",
    KNOWLEDGE / "locale" / "es" / "LC_MESSAGES" / "django.po",
    MEASUREMENT / "locale" / "es" / "LC_MESSAGES" / "django.po",
]
PUBLIC_TEMPLATE_GLOBS = ("public_base.html", "input*.html", "survey*.html", "summary_public.html")
PLAN_TEMPLATES = MEASUREMENT / "templates" / "measurement"
PLAN_TEMPLATE_GLOBS = ("public_*.html", "_public_*.html")
PUBLIC_MODULES = [*sorted(KNOWLEDGE.rglob("*.py")), MEASUREMENT / "public_store.py"]
GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "ngettext", "ngettext_lazy"}
PLACEHOLDER = re.compile(r"%\((\w+)\)[sd]")


def public_templates() -> list[Path]:
    found = {p for pattern in PUBLIC_TEMPLATE_GLOBS for p in TEMPLATES.glob(pattern)}
    found |= {p for pattern in PLAN_TEMPLATE_GLOBS for p in PLAN_TEMPLATES.glob(pattern)}
    return sorted(found)


def template_msgids() -> dict[str, str]:
    """{msgid: where} of every gettext call in the public templates."""
    env = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    out: dict[str, str] = {}
    for path in public_templates():
        source = path.read_text(encoding="utf-8")
        for lineno, _function, message in env.extract_translations(source):
            for text in message if isinstance(message, tuple) else (message,):
                if text:
                    out[text] = f"{path.name}:{lineno}"
    return out


def python_msgids() -> dict[str, str]:
    """{msgid: where} of every literal passed to gettext in the public pages' modules."""
    out: dict[str, str] = {}
    for path in PUBLIC_MODULES:
        source = path.read_text(encoding="utf-8")
        if "django.utils.translation" not in source:
            continue
        for node in ast.walk(ast.parse(source)):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in GETTEXT_NAMES or not node.args:
                continue
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                out[first.value] = f"{path.name}:{node.lineno}"
    return out


def _unquote(line: str) -> str:
    return str(ast.literal_eval(line.strip()))


def parse_po(path: Path) -> dict[str, str]:
    """{msgid: msgstr} of a .po file (singular entries; the header is skipped)."""
    entries: dict[str, str] = {}
    msgid: list[str] | None = None
    msgstr: list[str] | None = None
    current: list[str] | None = None

    def flush() -> None:
        if msgid is not None and msgstr is not None and "".join(msgid):
            entries["".join(msgid)] = "".join(msgstr)

    for raw in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = raw.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [_unquote(line[6:])], None
            current = msgid
        elif line.startswith("msgstr "):
            msgstr = [_unquote(line[7:])]
            current = msgstr
        elif line.startswith('"') and current is not None:
            current.append(_unquote(line))
        elif not line or line.startswith("#"):
            flush()
            msgid = msgstr = current = None
    return entries


def catalog() -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in CATALOGS:
        if path.is_file():
            merged.update(parse_po(path))
    return merged


def test_the_extractors_find_the_public_strings() -> None:
    """(Else the checks below could pass on nothing.)"""
    assert (TEMPLATES / "public_base.html") in public_templates()
    assert (PLAN_TEMPLATES / "public_progress.html") in public_templates()
    assert "Our progress" in template_msgids()
    assert "Little or no detectable change" in python_msgids()
    assert "Send my answers" in template_msgids()
    assert "Leave this field empty" in python_msgids()
    assert "We could not accept this submission. Please try again later." in python_msgids()


def test_every_public_string_has_a_spanish_translation() -> None:
    translations = catalog()
    wanted = {**python_msgids(), **template_msgids()}
    missing = [
        f"{where}: {msgid!r}" for msgid, where in wanted.items() if not translations.get(msgid)
    ]
    assert not missing, "no Spanish msgstr for:\n" + "\n".join(missing)


def test_translations_keep_their_placeholders() -> None:
    for msgid, msgstr in catalog().items():
        assert set(PLACEHOLDER.findall(msgid)) == set(PLACEHOLDER.findall(msgstr)), msgid


def test_compiled_catalogs_are_current() -> None:
    for po in CATALOGS:
        if not po.is_file():
            continue
        mo = po.with_suffix(".mo")
        assert mo.is_file(), f"{mo} is missing: run compilemessages (scripts/setup.sh does)"
        with mo.open("rb") as handle:
            compiled = gettext.GNUTranslations(handle)
        stale = [m for m, s in parse_po(po).items() if s and compiled.gettext(m) != s]
        assert not stale, f"{mo} is older than {po.name}: run compilemessages. Stale: {stale[:3]}"


@pytest.mark.db
@pytest.mark.django_db
def test_a_public_page_renders_in_spanish(workspace_world: object) -> None:
    form = InputForm.objects.get(title="Neighborhood voices")
    page = Client().get(f"/p/input/{form.public_id}/?lang=es").content.decode()
    assert "Enviar mis respuestas" in page and "Saltar al contenido principal" in page
    assert translation.get_language() in ("en-us", "en")  # the language did not leak
    english = Client().get(f"/p/input/{form.public_id}/").content.decode()
    assert "Send my answers" in english

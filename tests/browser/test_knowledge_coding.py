"""Coding a passage of a note in a real browser: select words in the note (excerpt.js
fills the form), tick a code, save, and see the passage highlighted with its code; the
findings list, the excerpt browser and the codebook too. axe-core at 1280 and 375 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"
TEXT = (
    "Rent keeps rising on our block.\n\nWe need buses after 10 pm, "
    "because the late shift ends then. Rent keeps rising, and wages do not."
)
PASSAGE = "We need buses after 10 pm"


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


@pytest.fixture
def coalition(site: str) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from upward.web.knowledge.models import Code, Note
    from upward.web.workspace.models import Membership, Workspace

    user = get_user_model().objects.create_user("erin", "erin@example.org", PASSWORD)
    workspace = Workspace.objects.create(name="Ramsey Mobility Coalition", slug="ramsey",
                                         geoids=["27123"])  # fmt: skip
    Membership.objects.create(workspace=workspace, user=user, role="editor")
    Code.objects.create(workspace=workspace, kind="custom", name="Late shifts")
    note = Note.objects.create(workspace=workspace, title="Frogtown listening session",
                               text=TEXT)  # fmt: skip
    return {"workspace": workspace, "note": note}


SELECT_JS = """(passage) => {
  const note = document.querySelector('[data-note-text]');
  const walker = document.createTreeWalker(note, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    const at = node.data.indexOf(passage);
    if (at >= 0) {
      const range = document.createRange();
      range.setStart(node, at);
      range.setEnd(node, at + passage.length);
      const selection = window.getSelection();
      selection.removeAllRanges();
      selection.addRange(range);
      note.dispatchEvent(new MouseEvent('mouseup', {bubbles: true}));
      return true;
    }
  }
  return false;
}"""


def test_code_a_passage_by_selection_and_see_it_highlighted(
    site: str, page: Page, coalition: dict[str, Any], both_widths: Callable[..., None]
) -> None:
    note = coalition["note"]
    page.goto(f"{site}/accounts/login/?next=/w/ramsey/knowledge/notes/{note.pk}/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", name="Frogtown listening session")).to_be_visible()
    both_widths(page, "note")

    assert page.evaluate(SELECT_JS, PASSAGE)
    expect(page.locator("#id_passage")).to_have_value(PASSAGE)
    start = TEXT.index(PASSAGE)
    expect(page.locator("input[name=start]")).to_have_value(str(start))
    expect(page.locator("input[name=end]")).to_have_value(str(start + len(PASSAGE)))
    page.locator("#excerpt-form").get_by_text("Late shifts", exact=True).click()
    page.locator("#excerpt-form").get_by_text("Transportation access", exact=True).click()
    page.get_by_role("button", name="Code this passage").click()

    expect(page.get_by_text("Coded the excerpt.")).to_be_visible()
    mark = page.locator("#note-text mark")
    expect(mark).to_have_count(1)
    expect(mark).to_contain_text(PASSAGE)
    expect(mark).to_contain_text("(coded: Late shifts, Transportation access)")
    both_widths(page, "note-coded")

    # a second, overlapping passage, pasted without the script's offsets
    page.fill("#id_passage", "after 10 pm, because the late shift")
    page.locator("#excerpt-form").get_by_text("Late shifts", exact=True).click()
    page.get_by_role("button", name="Code this passage").click()
    expect(page.locator("#note-text mark.upward-mark--overlap")).to_have_count(1)

    for path, name in (("findings/", "findings"), ("excerpts/", "excerpts"),
                       ("codebook/", "codebook")):  # fmt: skip
        page.goto(f"{site}/w/ramsey/knowledge/{path}")
        expect(page.locator("h1")).to_be_visible()
        both_widths(page, name)
    expect(page.locator("#own-codes")).to_contain_text("Late shifts")

    from upward.web.knowledge.models import Code, Excerpt

    code = Code.objects.get(name="Late shifts")
    excerpt = Excerpt.objects.order_by("pk").first()
    assert excerpt is not None
    forms = {
        "note-new": "notes/new/",
        "note-edit": f"notes/{note.pk}/edit/",
        "excerpt-edit": f"excerpts/{excerpt.pk}/",
        "code-new": "codebook/new/",
        "code-edit": f"codes/{code.pk}/",
        "code-delete": f"codes/{code.pk}/delete/",
        "codebook-import": "codebook/import/",
    }
    for name, path in forms.items():
        page.goto(f"{site}/w/ramsey/knowledge/{path}")
        expect(page.locator("h1")).to_be_visible()
        both_widths(page, name)

"""Local data in a real browser: upload a file with one bad row (refused, the row and
column named, nothing saved), then the fixed file; the series, its edit and replace
pages and the list. axe-core clean and no sideways scrolling at 1280 and 375 px."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from .conftest import serve_warehouse

pytestmark = [pytest.mark.django_db(transaction=True)]

PASSWORD = "Mobility-Coalition-2025"
WIDTHS = (1280, 375)
GOOD = (
    "geography,geography_kind,period,value,lower,upper,moe,moe_level,subgroup\n"
    "27123,,2023,0.095,0.090,0.100,,,\n"
    "27123,,2022,0.081,,,0.004,90,\n"
    "55104,zip,2023,0.07,,,0.01,95,\n"
    "Frogtown,neighborhood,2022-2023,0.09,,,,,Births to mothers under 20\n"
)
BAD = GOOD.replace("55104,zip,2023,0.07", "55104,zip,2023,seven")


@pytest.fixture
def site(live_server: object, fixture_warehouse_path: Path) -> Iterator[str]:
    yield from serve_warehouse(live_server, fixture_warehouse_path)


@pytest.fixture
def coalition(site: str, settings: Any, tmp_path: Path) -> dict[str, Any]:
    from django.contrib.auth import get_user_model

    from upward.web.workspace.models import CoalitionStructure, Membership, Workspace

    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path / "uploads")},
        },
    }
    user = get_user_model().objects.create_user("erin", "erin@example.org", PASSWORD)
    workspace = Workspace.objects.create(
        name="Ramsey Mobility Coalition", slug="ramsey", geoids=["27123", "2758000"]
    )
    Membership.objects.create(workspace=workspace, user=user, role="editor")
    CoalitionStructure.objects.create(workspace=workspace)
    return {"workspace": workspace, "user": user, "uploads": tmp_path / "uploads"}


def click_label(page: Page, selector: str) -> None:
    box = page.locator(selector)
    page.locator(f"label[for='{box.get_attribute('id')}']").click()
    expect(box).to_be_checked()


def fill_metadata(page: Page) -> None:
    page.fill("#id_name", "Low birth weight, county vital records")
    page.fill("#id_description", "Births under 2,500 grams, from birth certificates.")
    page.fill("#id_unit", "share")
    page.select_option("#id_direction", "lower_better")
    page.fill("#id_source", "Ramsey County Public Health")
    click_label(page, "input[name=predictors][value=neonatal_health]")
    for question, answer in (("documented", 0), ("coverage", 0), ("precision", 0),
                             ("recent", 1)):  # fmt: skip
        click_label(page, f"#id_{question}_{answer}")


def choose_file(page: Page, text: str) -> None:
    page.set_input_files(
        "#id_file", {"name": "births.csv", "mimeType": "text/csv", "buffer": text.encode()}
    )


def test_upload_refused_then_fixed(
    site: str, page: Page, coalition: dict[str, Any], both_widths: Callable[..., None]
) -> None:
    from upward.web.knowledge.models import LocalSeries

    page.goto(f"{site}/accounts/login/?next=/w/ramsey/knowledge/local-data/")
    page.fill("#id_username", "erin")
    page.fill("#id_password", PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Local data")
    both_widths(page, "local-list-empty")

    page.get_by_role("link", name="Upload local data").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Upload local data")
    expect(page.locator("#file-format")).to_be_visible()
    expect(page.get_by_text("5 × 1.960 / 1.645 = 5.96")).to_be_visible()
    both_widths(page, "local-upload")

    fill_metadata(page)
    choose_file(page, BAD)
    page.get_by_role("button", name="Check and upload").click()
    errors = page.locator("#upload-errors")
    expect(errors).to_be_visible()
    expect(errors.locator("tbody tr")).to_have_count(1)
    expect(errors.locator("tbody tr td").nth(0)).to_have_text("4")
    expect(errors.locator("tbody tr td").nth(1)).to_have_text("value")
    expect(errors).to_contain_text("'seven' is not a number")
    expect(page.locator("#choose-file-again")).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("Low birth weight, county vital records")
    assert LocalSeries.objects.count() == 0
    both_widths(page, "local-upload-refused")

    choose_file(page, GOOD)
    page.get_by_role("button", name="Check and upload").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Low birth weight, county vital records"
    )
    expect(page.locator("#series-facts")).to_contain_text("Marginal")
    expect(page.locator("#local-values tbody tr")).to_have_count(4)
    expect(page.locator("#series-facts")).to_contain_text("1.960 / 1.645")
    series = LocalSeries.objects.get()
    assert (coalition["uploads"] / series.original.name).read_text() == GOOD
    both_widths(page, "local-detail")

    page.get_by_role("link", name="Edit details and rating").click()
    expect(page.locator("#id_recent_1")).to_be_checked()
    both_widths(page, "local-edit")
    click_label(page, "#id_recent_2")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#series-facts")).to_contain_text("Weak")

    page.get_by_role("link", name="Replace the data").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Replace the data")
    both_widths(page, "local-replace")

    page.get_by_role("link", name="All local series").click()
    expect(page.locator("#local-series tbody tr")).to_have_count(1)
    both_widths(page, "local-list")

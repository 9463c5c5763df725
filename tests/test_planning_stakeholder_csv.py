"""CSV import (row-level errors, all or nothing) and export of the stakeholder inventory."""

from __future__ import annotations

import csv
import io

from hypothesis import given, settings
from hypothesis import strategies as st

from upward.catalog import get_catalog
from upward.planning import stakeholder as vocab
from upward.planning.name import name_key
from upward.planning.stakeholder_csv import (
    COLUMNS,
    StakeholderRow,
    parse_stakeholder_csv,
    stakeholder_records,
)
from upward.reports.downloads import to_csv


def stakeholders_to_csv(rows: list[StakeholderRow]) -> str:
    """The inventory download, as the workspace's export view writes it."""
    return to_csv(stakeholder_records(rows), COLUMNS)


GOOD = (
    "name,sector,pillars,predictors,relationship,influence,role,email,phone\n"
    "Ramsey County Public Health,Health and public health,healthy environment and access to "
    "good health care,Neonatal health;access_to_health_services,engaged,HIGH,champion,"
    "ph@example.org,+1 (651) 266-2400\n"
    "Jane Doe,residents,,,,,,,\n"
)


def test_good_file_parses_with_defaults() -> None:
    result = parse_stakeholder_csv(GOOD)
    assert result.ok and len(result.rows) == 2
    first, second = result.rows
    assert first.sector == "health" and first.pillars == ("health",)
    assert first.predictors == ("neonatal_health", "access_to_health_services")
    assert (first.relationship, first.influence, first.role) == ("engaged", "high", "champion")
    assert first.line == 2
    assert (second.kind, second.relationship, second.influence) == (
        "organization",
        "none",
        "medium",
    )
    assert (second.role, second.invitation_status, second.line) == ("to_invite", "not_invited", 3)


def test_every_bad_row_is_listed_and_nothing_is_returned() -> None:
    text = (
        "name,sector,email,phone,predictors,influence\n"
        "Good Org,nonprofit,,,,\n"
        ",nonprofit,,,,\n"  # line 3: no name
        "Bad Email,nonprofit,not-an-email,,,\n"  # line 4
        'Multi,"advocacy",,"12",Just policing;Flying cars,huge\n'  # line 5: three errors
        "Good Org,business,,,,\n"  # line 6: duplicate of line 2
        "No Sector,,,,,\n"  # line 7
    )
    result = parse_stakeholder_csv(text)
    assert not result.ok and result.rows == ()
    found = {(e.line, e.column) for e in result.errors}
    assert found == {
        (3, "name"),
        (4, "email"),
        (5, "phone"),
        (5, "predictors"),
        (5, "influence"),
        (6, "name"),
        (7, "sector"),
    }
    dup = next(e for e in result.errors if e.line == 6)
    assert "this file (line 2)" in dup.message
    assert "Flying cars" in next(e.message for e in result.errors if e.column == "predictors")
    assert str(result.errors[0]).startswith("line 3, column 'name'")


def test_line_numbers_count_physical_lines_of_quoted_cells() -> None:
    text = 'name,sector,notes\nA,other,"two\nlines"\nB,nowhere,\n'
    result = parse_stakeholder_csv(text)
    assert [(e.line, e.column) for e in result.errors] == [(4, "sector")]


def test_names_already_in_the_inventory_are_refused() -> None:
    result = parse_stakeholder_csv(
        "name,sector\nCity Hall,government\n", existing_names=["city hall"]
    )
    assert [(e.line, e.column) for e in result.errors] == [(2, "name")]
    assert "already in the inventory" in result.errors[0].message


def test_header_problems() -> None:
    assert parse_stakeholder_csv("").errors[0].line == 1
    result = parse_stakeholder_csv("name,colour\nA,red\n")
    messages = " ".join(e.message for e in result.errors)
    assert (
        "Unknown column(s): colour" in messages and "Missing required column(s): sector" in messages
    )
    assert "named twice" in parse_stakeholder_csv("name,sector,name\n").errors[0].message
    extra = parse_stakeholder_csv("name,sector\nA,other,surprise\n")
    assert extra.errors[0].line == 2 and "3 cells" in extra.errors[0].message


def test_blank_lines_and_bom_are_tolerated() -> None:
    result = parse_stakeholder_csv("\ufeffName,Sector\n\nA,other\n,,\n")
    assert result.ok and [r.name for r in result.rows] == ["A"]


def test_export_escapes_formulas_and_reimports_them() -> None:
    row = StakeholderRow(
        "=HYPERLINK(1)",
        "person",
        "@org",
        "other",
        (),
        ("just_policing",),
        "none",
        "low",
        "partner",
        "invited",
        "",
        "+1 651 555 0100",
        "-note",
    )
    text = stakeholders_to_csv([row])
    cells = list(csv.reader(io.StringIO(text)))[1]
    assert cells[0] == "'=HYPERLINK(1)" and cells[2] == "'@org"
    assert cells[COLUMNS.index("phone")] == "'+1 651 555 0100"  # a spreadsheet would add
    assert cells[COLUMNS.index("notes")] == "'-note"
    back = parse_stakeholder_csv(text)
    assert back.ok and back.rows[0].name == "=HYPERLINK(1)" and back.rows[0].notes == "-note"
    assert back.rows[0].phone == "+1 651 555 0100"


def choice(options: tuple[tuple[str, str], ...]) -> st.SearchStrategy[str]:
    return st.sampled_from([v for v, _ in options])


CATALOG = get_catalog()
rows = st.builds(
    StakeholderRow,
    name=st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=40).map(
        lambda s: " ".join(s.split()) or "x"
    ),
    kind=choice(vocab.KINDS),
    organization=st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=30).map(
        str.strip
    ),
    sector=choice(vocab.SECTORS),
    pillars=st.lists(st.sampled_from([p.id for p in CATALOG.pillars]), unique=True).map(tuple),
    predictors=st.lists(st.sampled_from([p.id for p in CATALOG.predictors]), unique=True).map(
        tuple
    ),
    relationship=choice(vocab.RELATIONSHIPS),
    influence=choice(vocab.INFLUENCE),
    role=choice(vocab.ROLES),
    invitation_status=choice(vocab.INVITATION_STATUSES),
    email=st.sampled_from(["", "a@example.org", "first.last+tag@sub.example.co"]),
    phone=st.sampled_from(["", "651-266-8989", "+44 20 7946 0958"]),
    notes=st.text(
        st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\x00"), max_size=60
    ).map(str.strip),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(rows, max_size=6, unique_by=lambda r: name_key(r.name)))  # one inventory
def test_export_then_import_round_trips(items: list[StakeholderRow]) -> None:
    result = parse_stakeholder_csv(stakeholders_to_csv(items))
    assert result.ok, result.errors

    def strip(r: StakeholderRow) -> tuple[object, ...]:
        return tuple(getattr(r, c) for c in COLUMNS)

    assert [strip(r) for r in result.rows] == [strip(r) for r in items]


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_text_never_crashes(text: str) -> None:
    result = parse_stakeholder_csv(text)
    assert result.ok or all(e.line >= 1 and e.message for e in result.errors)


def test_leading_apostrophes_survive_the_round_trip() -> None:
    names = ["'=x", "'plain", "''double"]
    rows = [
        StakeholderRow(
            n, "organization", "", "other", (), (), "none", "low", "partner", "invited", "", "", ""
        )
        for n in names
    ]
    back = parse_stakeholder_csv(stakeholders_to_csv(rows))
    assert [r.name for r in back.rows] == names


def test_errors_name_the_record_as_well_as_the_line() -> None:
    text = "name,sector,email\nGood Org,nonprofit,\nBad Email,nonprofit,nope\n,other,\n"
    result = parse_stakeholder_csv(text)
    by_line = {e.line: e for e in result.errors}
    assert (by_line[3].name, by_line[3].column) == ("Bad Email", "email")
    assert str(by_line[3]).startswith("line 3 (Bad Email), column 'email': 'nope'")
    assert by_line[4].name == "" and str(by_line[4]).startswith("line 4, column 'name'")
    long = parse_stakeholder_csv("name,sector\n" + "A" * 150 + ",nowhere\n").errors[0]
    assert len(long.name) == 80 and long.name.endswith("…")
    wide = parse_stakeholder_csv("name,sector\nToo Wide,other,x\n").errors[0]
    assert (wide.line, wide.name) == (2, "Too Wide")


def test_update_mode_accepts_names_already_in_the_inventory() -> None:
    text = "name,sector\nCITY  hall,government\nNew Group,faith\n"
    added = parse_stakeholder_csv(text, existing_names=["City Hall"])
    assert [(e.line, e.name) for e in added.errors] == [(2, "CITY hall")]
    assert "mode that updates records" in added.errors[0].message
    updated = parse_stakeholder_csv(text, existing_names=["City Hall"], update_existing=True)
    assert updated.ok and [r.name for r in updated.rows] == ["CITY  hall", "New Group"]
    # a name twice in one file is still an error, naming both lines
    twice = parse_stakeholder_csv(
        "name,sector\nCity Hall,government\ncity hall,other\n",
        existing_names=["City Hall"],
        update_existing=True,
    )
    assert [(e.line, e.name) for e in twice.errors] == [(3, "city hall")]
    assert "this file (line 2)" in twice.errors[0].message

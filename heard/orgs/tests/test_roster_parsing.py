"""Tests for heard.orgs.roster_parsing: pure Python, no database and no Django settings."""

from __future__ import annotations

import codecs
import datetime
import importlib.util
import random
import sys

import pytest

from heard.orgs import roster_parsing
from heard.orgs.roster_parsing import (
    DATE_FORMATS,
    FIELD_LABELS,
    FIELDS,
    MAX_BYTES,
    MAX_ROWS,
    RosterFileError,
    RosterRow,
    RosterTable,
    RowError,
    guess_mapping,
    read_roster_file,
    validate_rows,
)

BINARY_MESSAGE = (
    "This looks like a spreadsheet or binary file, not CSV. "
    "In your spreadsheet app choose Save as / Download as CSV."
)
FULL_HEADER = "Name,Email,Team,Manager email,Start date,Location,Customer facing,Role,Role family\n"


def read_error(data: bytes) -> str:
    with pytest.raises(RosterFileError) as caught:
        read_roster_file(data)
    return caught.value.message


def check(
    text: str, *, date_format: str = "iso", existing: frozenset[str] = frozenset()
) -> tuple[list[RosterRow], list[RowError]]:
    table = read_roster_file(text.encode())
    return validate_rows(
        table, guess_mapping(table.headers), date_format=date_format, existing_emails=existing
    )


def errors_for(text: str, **kwargs: object) -> list[tuple[int, str]]:
    _rows, errors = check(text, **kwargs)  # type: ignore[arg-type]
    return [(e.line, e.field) for e in errors]


def only_error(text: str, **kwargs: object) -> RowError:
    _rows, errors = check(text, **kwargs)  # type: ignore[arg-type]
    assert len(errors) == 1, errors
    return errors[0]


# --- Encodings -----------------------------------------------------------------------

ACCENTED = "Name,Email\nZoë Müller,zoe@example.com\nJosé García,jose@example.com\n"
ACCENTED_ROWS = [["Zoë Müller", "zoe@example.com"], ["José García", "jose@example.com"]]


def test_it_reads_utf8() -> None:
    table = read_roster_file(ACCENTED.encode("utf-8"))
    assert table.encoding == "utf-8"
    assert table.headers == ["Name", "Email"]
    assert table.rows == ACCENTED_ROWS


def test_it_reads_utf8_with_bom_and_drops_the_bom_from_the_first_header() -> None:
    table = read_roster_file(codecs.BOM_UTF8 + ACCENTED.encode("utf-8"))
    assert table.encoding == "utf-8-sig"
    assert table.headers == ["Name", "Email"]
    assert table.rows == ACCENTED_ROWS


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF16_LE + ACCENTED.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + ACCENTED.encode("utf-16-be"),
        ACCENTED.replace(",", "\t").encode("utf-16"),  # what Excel's "Unicode text" writes
        ACCENTED.encode("utf-16-le"),  # no byte order mark at all
    ],
    ids=["le-bom", "be-bom", "excel-unicode-text", "le-no-bom"],
)
def test_it_reads_utf16(data: bytes) -> None:
    table = read_roster_file(data)
    assert table.encoding == "utf-16"
    assert table.headers == ["Name", "Email"]
    assert table.rows == ACCENTED_ROWS


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_it_reads_latin1_and_cp1252_accents(encoding: str) -> None:
    table = read_roster_file(ACCENTED.encode(encoding))
    assert table.encoding in {"cp1252", "latin-1"}
    assert table.rows == ACCENTED_ROWS


def test_it_reads_cp1252_only_characters() -> None:
    text = "Name,Email,Note\nAnn Muñoz,ann@example.com,Café “quotes” \u2013 €5\n"
    table = read_roster_file(text.encode("cp1252"))
    assert table.encoding == "cp1252"
    assert table.rows == [["Ann Muñoz", "ann@example.com", "Café “quotes” \u2013 €5"]]


def test_it_reads_a_long_cp1252_file_as_cp1252() -> None:
    # charset_normalizer alone guesses DOS cp775 for this one ("Zoļ M³ller").
    body = "".join(f"Zoë Müller {i},zoe{i}@example.com,Vertrieb Süd\n" for i in range(3000))
    table = read_roster_file(("Name,Email,Team\n" + body).encode("cp1252"))
    assert table.encoding == "cp1252"
    assert table.rows[-1] == ["Zoë Müller 2999", "zoe2999@example.com", "Vertrieb Süd"]


def test_it_rejects_a_utf8_bom_file_with_invalid_bytes() -> None:
    message = read_error(codecs.BOM_UTF8 + b"Name,Email\nZo\xeb,zoe@example.com\n")
    assert message == (
        "The file says it is UTF-8 text, but byte 17 can't be read. Save it again as CSV UTF-8."
    )


def test_it_rejects_broken_utf16() -> None:
    # A lone high surrogate cannot be decoded.
    data = codecs.BOM_UTF16_LE + "Name,Email\n".encode("utf-16-le") + b"\x00\xd8a\x00"
    assert "UTF-16" in read_error(data)


# --- Delimiters and CSV structure ----------------------------------------------------


@pytest.mark.parametrize(("delimiter", "other"), [(",", ";"), (";", ","), ("\t", ","), ("|", ";")])
def test_it_detects_each_delimiter(delimiter: str, other: str) -> None:
    # Each file also contains another candidate delimiter inside a value, unquoted.
    lines = [["Name", "Email", "Team"], ["Ann Lee", "ann@example.com", f"Sales{other} EMEA"]]
    lines.append(["Bob Ray", "bob@example.com", "Ops"])
    data = "\n".join(delimiter.join(line) for line in lines).encode()
    table = read_roster_file(data)
    assert table.delimiter == delimiter
    assert table.headers == ["Name", "Email", "Team"]
    assert table.rows[0] == ["Ann Lee", "ann@example.com", f"Sales{other} EMEA"]


def test_it_picks_the_delimiter_that_makes_rows_line_up() -> None:
    data = b"Name;Email;Team, dept\nAnn;ann@example.com;Sales\nBob, Jr;bob@example.com;Ops\n"
    table = read_roster_file(data)
    assert table.delimiter == ";"
    assert table.headers == ["Name", "Email", "Team, dept"]


def test_it_falls_back_to_counting_delimiters_in_the_header() -> None:
    # Every candidate splits rows unevenly, so the header line decides.
    table = read_roster_file(b"Name|Email|Team\nAnn\nBob|b@example.com\n")
    assert table.delimiter == "|"


def test_it_honours_excels_sep_line() -> None:
    table = read_roster_file(b"sep=|\nName|Email\nAnn, Lee|ann@example.com\n")
    assert table.delimiter == "|"
    assert table.rows == [["Ann, Lee", "ann@example.com"]]
    assert table.lines == [3]


def test_it_keeps_quoted_delimiters_and_newlines_and_counts_lines() -> None:
    data = (
        b'Name,Email,Location\r\n"Lee, Ann",ann@example.com,"Floor 2\r\nBuilding B"\r\n'
        b"\r\n,,\r\nBob,bob@example.com,Leeds\r\n"
    )
    table = read_roster_file(data)
    assert table.rows == [
        ["Lee, Ann", "ann@example.com", "Floor 2\r\nBuilding B"],
        ["Bob", "bob@example.com", "Leeds"],
    ]
    # Header line 1, Ann spans 2-3, a blank line and a line of bare commas are skipped.
    assert table.lines == [2, 6]


def test_it_strips_whitespace_and_pads_short_rows() -> None:
    table = read_roster_file(b"  Name , Email ,Team\n  Ann  ,\tann@example.com \n")
    assert table.headers == ["Name", "Email", "Team"]
    assert table.rows == [["Ann", "ann@example.com", ""]]


def test_it_keeps_formula_like_cells_as_text() -> None:
    formulas = ['=HYPERLINK("http://x","y")', "+1", "@SUM(A1)", "-2+3", "=1+1"]
    body = "".join(
        f'"{value.replace(chr(34), chr(34) * 2)}",p{i}@example.com\n'
        for i, value in enumerate(formulas)
    )
    table = read_roster_file(("Name,Email\n" + body).encode())
    assert [row[0] for row in table.rows] == formulas
    rows, errors = validate_rows(table, guess_mapping(table.headers))
    assert errors == []
    assert [row.name for row in rows] == formulas


def test_it_ignores_trailing_empty_columns_from_spreadsheets() -> None:
    table = read_roster_file(b"Name,Email,,\nAnn,ann@example.com,,\n")
    assert table.headers == ["Name", "Email"]
    assert table.rows == [["Ann", "ann@example.com"]]
    assert check("Name,Email,,\nAnn,ann@example.com,,\n")[1] == []


def test_preview_returns_the_first_rows() -> None:
    body = "".join(f"P{i},p{i}@example.com\n" for i in range(8))
    table = read_roster_file(("Name,Email\n" + body).encode())
    assert table.preview() == [[f"P{i}", f"p{i}@example.com"] for i in range(5)]
    assert table.preview(2) == [["P0", "p0@example.com"], ["P1", "p1@example.com"]]


# --- File-level errors ---------------------------------------------------------------


@pytest.mark.parametrize("data", [b"", b"\r\n  \n\n", codecs.BOM_UTF8, b",,,\n"])
def test_it_rejects_an_empty_file(data: bytes) -> None:
    assert read_error(data) == "The file is empty."


def test_it_rejects_an_oversize_file_with_its_size() -> None:
    data = b"Name,Email\n" + b"x" * (int(12.4 * 1024 * 1024) - 11)
    assert read_error(data) == "The file is 12.4 MB; the limit is 10 MB."
    assert read_error(b"a" * (MAX_BYTES + 1)) == "The file is 10.1 MB; the limit is 10 MB."


def test_it_accepts_a_file_of_exactly_the_size_limit() -> None:
    row = "Ann Example,ann{:05d}@example.com," + "n" * 200 + "\n"
    body = "".join(row.format(i) for i in range(MAX_BYTES // len(row.format(0)) - 1))
    text = "Name,Email,Note\n" + body
    text += "Last,last@example.com," + "z" * (MAX_BYTES - len(text) - 23) + "\n"
    data = text.encode()
    assert len(data) == MAX_BYTES
    table = read_roster_file(data)
    assert table.rows[-1][1] == "last@example.com"
    assert len(table.rows) < MAX_ROWS


def test_it_rejects_too_many_rows() -> None:
    data = b"Name,Email\n" + b"a,b\n" * (MAX_ROWS + 1)
    assert read_error(data) == (
        "The file has more than 50,000 rows; the limit is 50,000. Split it into smaller files."
    )


def test_it_accepts_exactly_the_row_limit() -> None:
    table = read_roster_file(b"Name,Email\n" + b"a,b\n" * MAX_ROWS)
    assert len(table.rows) == MAX_ROWS


@pytest.mark.parametrize("data", [b"Name,Email\n", b"Name,Email\r\n\r\n,\r\n", b"Name,Email"])
def test_it_rejects_a_header_without_rows(data: bytes) -> None:
    assert "only has a header row" in read_error(data)


@pytest.mark.parametrize(
    "data",
    [
        b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00[Content_Types].xml",  # xlsx
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64,  # old .xls
        b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n",  # no NULs
        b"Name,Email\nAnn\x00,ann@example.com\n\x00\x00\x01\x02",  # stray NUL bytes
        random.Random(7).randbytes(4096),
        bytes(range(1, 32)) * 50,  # control characters without any NUL
    ],
    ids=["zip", "ole", "pdf", "nul", "random", "controls"],
)
def test_it_rejects_binary_files(data: bytes) -> None:
    assert read_error(data) == BINARY_MESSAGE


@pytest.mark.parametrize(
    "header", ["Name,Email,email", "Name,Email, EMAIL ", "Email,Name,Team,Email"]
)
def test_it_rejects_duplicate_headers(header: str) -> None:
    message = read_error(f"{header}\nAnn,a@example.com,x,y\n".encode())
    assert "appears twice" in message
    assert "columns 2 and" in message or "columns 1 and 4" in message


def test_it_rejects_a_blank_header_in_the_middle() -> None:
    message = read_error(b"\nName,,Email\nAnn,x,ann@example.com\n")
    assert message == (
        "Column 2 in the header row (line 2) has no name. Give every column a heading."
    )


def test_it_reports_an_unterminated_quote_with_its_line() -> None:
    data = b'Name,Email\nAnn,ann@example.com\n"Bob,bob@example.com\nCat,cat@example.com\n'
    assert read_error(data) == (
        'A quoted value starting on line 3 is never closed. Check for a missing closing quote (").'
    )


def test_it_reports_text_after_a_closing_quote_with_its_line() -> None:
    data = b'Name,Email\nAnn,ann@example.com\n\n"Bob" Ray,bob@example.com\n'
    assert read_error(data) == (
        "The file isn't valid CSV on line 4: text straight after a closing quote."
    )


def test_file_errors_carry_the_message_as_attribute_and_str() -> None:
    error = RosterFileError("Oops.")
    assert error.message == "Oops."
    assert str(error) == "Oops."


# --- Column mapping ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "field"),
    [
        ("Full name", "name"), ("Name", "name"), ("Employee Name", "name"),
        ("E-mail", "email"), ("Email address", "email"), ("Work email", "email"),
        ("EMAIL_ADDRESS", "email"), ("Employee e-mail (work)", "email"),
        ("Department", "team"), ("Team", "team"), ("Dept.", "team"),
        ("Manager", "manager_email"), ("Manager email", "manager_email"),
        ("Manager's e-mail", "manager_email"), ("Reports to", "manager_email"),
        ("Line manager", "manager_email"),
        ("Start date", "start_date"), ("Hire date", "start_date"), ("Joined", "start_date"),
        ("Start date (YYYY-MM-DD)", "start_date"),
        ("Location", "location"), ("Office", "location"), ("City", "location"),
        ("Customer facing", "customer_facing"), ("Customer-facing", "customer_facing"),
        ("Client facing?", "customer_facing"),
        ("Role", "role"), ("Access", "role"), ("Access level", "role"),
        ("Job family", "role_family"), ("Role family", "role_family"),
    ],
)  # fmt: skip
def test_guess_mapping_knows_synonyms(header: str, field: str) -> None:
    mapping = guess_mapping(["Something else", f"  {header} "])
    assert mapping[field] == 1
    assert [name for name, index in mapping.items() if index is not None] == [field]


def test_guess_mapping_returns_every_field_and_none_when_unknown() -> None:
    assert guess_mapping(["Shoe size", "Favourite colour"]) == dict.fromkeys(FIELDS)


def test_guess_mapping_maps_a_typical_export() -> None:
    headers = [
        "Employee Name", "Work Email", "Manager's Email", "Team", "Start Date",
        "City", "Customer-facing", "Role", "Role family", "Notes",
    ]  # fmt: skip
    assert guess_mapping(headers) == {
        "name": 0, "email": 1, "team": 3, "manager_email": 2, "start_date": 4,
        "location": 5, "customer_facing": 6, "role": 7, "role_family": 8,
    }  # fmt: skip


def test_guess_mapping_uses_each_column_once_and_prefers_exact_names() -> None:
    mapping = guess_mapping(["Manager e-mail", "Personal email", "Email", "Role family", "Role"])
    assert mapping["manager_email"] == 0
    assert mapping["email"] == 2
    assert mapping["role_family"] == 3
    assert mapping["role"] == 4
    used = [index for index in mapping.values() if index is not None]
    assert len(used) == len(set(used))


def test_guess_mapping_does_not_treat_a_manager_name_column_as_emails() -> None:
    mapping = guess_mapping(["Name", "Email", "Manager name"])
    assert mapping["manager_email"] is None


# --- Validation ----------------------------------------------------------------------

GOOD_FILE = (
    FULL_HEADER
    + "Ann Boss,ANN@Example.com,  Leadership   Team ,,2020-01-15,London,no,Admin,Exec\n"
    + "Bob  Ray,bob@example.com,Sales,ann@example.com,2021-02-03,Leeds,Yes,manager,Sales\n"
    + "Cat Lee,cat@example.com,Sales,Bob@Example.com,,, X ,,\n"
)


def test_it_round_trips_a_good_file() -> None:
    rows, errors = check(GOOD_FILE)
    assert errors == []
    assert rows == [
        RosterRow(
            line=2, name="Ann Boss", email="ann@example.com", team="Leadership Team",
            manager_email="", start_date=datetime.date(2020, 1, 15), location="London",
            customer_facing=False, role="admin", role_family="Exec",
        ),
        RosterRow(
            line=3, name="Bob Ray", email="bob@example.com", team="Sales",
            manager_email="ann@example.com", start_date=datetime.date(2021, 2, 3),
            location="Leeds", customer_facing=True, role="manager", role_family="Sales",
        ),
        RosterRow(
            line=4, name="Cat Lee", email="cat@example.com", team="Sales",
            manager_email="bob@example.com", start_date=None, location="",
            customer_facing=True, role=None, role_family="",
        ),
    ]  # fmt: skip


def test_unmapped_optional_fields_get_empty_values() -> None:
    rows, errors = check("Name,Email\nAnn,ann@example.com\n")
    assert errors == []
    assert rows == [
        RosterRow(
            line=2, name="Ann", email="ann@example.com", team="", manager_email="",
            start_date=None, location="", customer_facing=None, role=None, role_family="",
        )
    ]  # fmt: skip


def test_a_hand_built_table_numbers_rows_from_line_two() -> None:
    table = RosterTable("utf-8", ",", ["Name", "Email"], [["A", "a@example.com"], ["B", "b@"]])
    rows, errors = validate_rows(table, {"name": 0, "email": 1})
    assert [row.line for row in rows] == [2]
    assert [(e.line, e.field) for e in errors] == [(3, "email")]


@pytest.mark.parametrize("missing", ["name", "email"])
def test_it_requires_name_and_email_to_be_mapped(missing: str) -> None:
    table = read_roster_file(b"Name,Email\nAnn,ann@example.com\n")
    mapping = guess_mapping(table.headers) | {missing: None}
    with pytest.raises(RosterFileError) as caught:
        validate_rows(table, mapping)
    assert caught.value.message == f"Map a column to {FIELD_LABELS[missing]} to continue."


def test_it_rejects_a_mapping_to_a_missing_column() -> None:
    table = read_roster_file(b"Name,Email\nAnn,ann@example.com\n")
    for index in (2, -1):
        with pytest.raises(RosterFileError, match="The column chosen for Team isn't in this"):
            validate_rows(table, {"name": 0, "email": 1, "team": index})


def test_it_rejects_a_column_mapped_twice() -> None:
    table = read_roster_file(b"Name,Email\nAnn,ann@example.com\n")
    with pytest.raises(RosterFileError) as caught:
        validate_rows(table, {"name": 0, "email": 1, "team": 0})
    assert caught.value.message == (
        'The column "Name" is chosen for both Name and Team. Each column can only be used once.'
    )


def test_it_rejects_unknown_date_formats_and_fields() -> None:
    table = read_roster_file(b"Name,Email\nAnn,ann@example.com\n")
    with pytest.raises(ValueError, match="date format"):
        validate_rows(table, {"name": 0, "email": 1}, date_format="ymd")
    with pytest.raises(ValueError, match="shoe_size"):
        validate_rows(table, {"name": 0, "email": 1, "shoe_size": 0})


def test_rows_with_errors_are_left_out_and_others_kept() -> None:
    rows, errors = check("Name,Email\nAnn,ann@example.com\n,bob@example.com\nCat,cat@x.com\n")
    assert [row.email for row in rows] == ["ann@example.com", "cat@x.com"]
    assert errors == [RowError(3, "name", "", "Name is missing.")]


def test_it_reports_a_missing_email() -> None:
    assert only_error("Name,Email\nAnn,ann@example.com\nBob,\n") == RowError(
        3, "email", "", "Email is missing."
    )


@pytest.mark.parametrize(
    "email",
    ["bob@", "bob", "@example.com", "bob@example", "bob@@example.com", "bob smith@example.com",
     "bob@exa_mple.com", ".bob@example.com", "bob..x@example.com", "bob@-example.com"],
)  # fmt: skip
def test_it_reports_an_invalid_email(email: str) -> None:
    error = only_error(f"Name,Email\nBob,{email}\n")
    assert (error.line, error.field, error.value) == (2, "email", email)
    assert error.message == f"'{email}' is not a valid email address."


def test_it_accepts_unusual_but_valid_emails() -> None:
    emails = ["o'neil@example.co.uk", "a.b+tag@sub.example.com", "x@xn--bcher-kva.example"]
    body = "".join(f"P{i},{email}\n" for i, email in enumerate(emails))
    rows, errors = check("Name,Email\n" + body)
    assert errors == []
    assert [row.email for row in rows] == emails


def test_it_rejects_emails_over_254_characters() -> None:
    local = "a" * 64
    ok = f"{local}@{'b' * 63}.{'c' * 63}.{'d' * 57}.com"
    too_long = f"{local}@{'b' * 63}.{'c' * 63}.{'d' * 58}.com"
    assert (len(ok), len(too_long)) == (254, 255)
    rows, errors = check(f"Name,Email\nOk,{ok}\nLong,{too_long}\n")
    assert [row.email for row in rows] == [ok]
    assert [(e.line, e.field) for e in errors] == [(3, "email")]


def test_it_reports_a_duplicate_email_on_the_later_line() -> None:
    text = "Name,Email\nAnn,ann@example.com\n\nBob,bob@example.com\nAnn Again, ANN@example.COM\n"
    rows, errors = check(text)
    assert [row.line for row in rows] == [2, 4]
    assert errors == [
        RowError(
            5, "email", "ann@example.com",
            "'ann@example.com' is already used on line 2. Each person can only be listed once.",
        )
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("date_format", "value", "expected"),
    [
        ("iso", "2024-03-31", datetime.date(2024, 3, 31)),
        ("iso", "2024-3-1", datetime.date(2024, 3, 1)),
        ("iso", "2024-03-31 00:00:00", datetime.date(2024, 3, 31)),
        ("dmy", "31/03/2024", datetime.date(2024, 3, 31)),
        ("dmy", "31.03.2024", datetime.date(2024, 3, 31)),
        ("dmy", "31-03-2024", datetime.date(2024, 3, 31)),
        ("dmy", "01/02/2024", datetime.date(2024, 2, 1)),
        ("mdy", "03/31/2024", datetime.date(2024, 3, 31)),
        ("mdy", "01/02/2024", datetime.date(2024, 1, 2)),
    ],
)
def test_it_parses_dates_in_the_chosen_format(
    date_format: str, value: str, expected: datetime.date
) -> None:
    text = f"Name,Email,Start date\nAnn,a@example.com,{value}\n"
    rows, errors = check(text, date_format=date_format)
    assert errors == []
    assert rows[0].start_date == expected


@pytest.mark.parametrize(
    ("date_format", "value", "hint"),
    [
        ("iso", "31/03/2024", " It looks like DD/MM/YYYY; choose that format instead."),
        ("iso", "03/04/2024", ""),  # could be either, so no hint
        ("dmy", "2024-03-31", " It looks like YYYY-MM-DD; choose that format instead."),
        ("dmy", "31/02/2024", ""),
        ("mdy", "31/03/2024", " It looks like DD/MM/YYYY; choose that format instead."),
        ("mdy", "03/31/24", ""),
        ("iso", "next week", ""),
        ("dmy", "31/03-2024", ""),
    ],
)
def test_it_reports_a_bad_date_with_the_expected_format(
    date_format: str, value: str, hint: str
) -> None:
    text = f"Name,Email,Start date\nAnn,a@example.com,2020-01-01\nBob,b@example.com,{value}\n"
    if date_format != "iso":
        text = text.replace("2020-01-01", "")
    error = only_error(text, date_format=date_format)
    assert (error.line, error.field, error.value) == (3, "start_date", value)
    expected = DATE_FORMATS[date_format]
    assert error.message == f"'{value}' is not a valid date in the format {expected}.{hint}"


@pytest.mark.parametrize(
    ("value", "expected"),
    [("yes", True), ("Y", True), ("TRUE", True), ("1", True), ("x", True),
     ("No", False), ("n", False), ("false", False), ("0", False), ("", False)],
)  # fmt: skip
def test_it_reads_customer_facing_flags(value: str, expected: bool) -> None:
    rows, errors = check(f"Name,Email,Customer facing\nAnn,a@example.com,{value}\n")
    assert errors == []
    assert rows[0].customer_facing is expected


def test_it_reports_a_bad_customer_facing_flag() -> None:
    text = "Name,Email,Customer facing\nAnn,a@example.com,yes\nBob,b@example.com,Maybe\n"
    error = only_error(text)
    assert (error.line, error.field, error.value) == (3, "customer_facing", "Maybe")
    assert error.message == "'maybe' isn't a yes/no value for Customer-facing. Use yes or no."


@pytest.mark.parametrize("value", ["ADMIN", "Manager", "employee"])
def test_it_reads_roles_case_insensitively(value: str) -> None:
    rows, errors = check(f"Name,Email,Role\nAnn,a@example.com,{value}\n")
    assert errors == []
    assert rows[0].role == value.lower()


def test_it_reports_a_bad_role() -> None:
    error = only_error("Name,Email,Role\nAnn,a@example.com,\nBob,b@example.com,Boss\n")
    assert (error.line, error.field, error.value) == (3, "role", "Boss")
    assert error.message == "'boss' isn't a valid role. Use admin, manager or employee."


def test_it_reports_an_invalid_manager_email() -> None:
    error = only_error("Name,Email,Manager\nAnn,a@example.com,\nBob,b@example.com,ann at work\n")
    assert (error.line, error.field, error.value) == (3, "manager_email", "ann at work")
    assert error.message == "'ann at work' is not a valid email address."


def test_it_reports_a_manager_who_is_not_in_the_file() -> None:
    error = only_error("Name,Email,Reports to\nBob,b@example.com,Zed@Example.com\n")
    assert (error.line, error.field, error.value) == (2, "manager_email", "zed@example.com")
    assert "'zed@example.com' is not in this file or in your organisation" in error.message


def test_a_manager_may_appear_later_in_the_file() -> None:
    text = "Name,Email,Manager\nBob,b@example.com,ann@example.com\nAnn,ann@example.com,\n"
    rows, errors = check(text)
    assert errors == []
    assert rows[0].manager_email == "ann@example.com"


def test_existing_emails_satisfy_the_manager_lookup() -> None:
    text = "Name,Email,Manager\nBob,b@example.com,Zed@Example.com\n"
    rows, errors = check(text, existing=frozenset({" ZED@example.com"}))
    assert errors == []
    assert rows[0].manager_email == "zed@example.com"


def test_it_reports_a_person_managing_themselves() -> None:
    error = only_error("Name,Email,Manager\nAnn,a@example.com,\nBob,b@example.com,B@example.com\n")
    assert (error.line, error.field) == (3, "manager_email")
    assert error.message == "A person can't be their own manager."


@pytest.mark.parametrize(
    ("header", "field", "limit"),
    [("Name", "name", 200), ("Team", "team", 100), ("Location", "location", 100),
     ("Role family", "role_family", 100)],
)  # fmt: skip
def test_it_reports_values_that_are_too_long(header: str, field: str, limit: int) -> None:
    at_limit, over = "a" * limit, "b" * (limit + 1)
    extra = "" if field == "name" else f",{header}"
    name = "Ann" if field != "name" else at_limit
    text = f"Name,Email{extra}\n{name},a@example.com{',' + at_limit if extra else ''}\n"
    name = "Bob" if field != "name" else over
    text += f"{name},b@example.com{',' + over if extra else ''}\n"
    rows, errors = check(text)
    assert len(rows) == 1
    assert len(errors) == 1
    assert (errors[0].line, errors[0].field) == (3, field)
    label = FIELD_LABELS[field]
    assert errors[0].message == f"{label} is {limit + 1} characters long; the limit is {limit}."
    assert errors[0].value.endswith("…")
    assert len(errors[0].value) == 80


def test_it_reports_a_row_with_more_cells_than_the_header() -> None:
    text = "Name,Email\nAnn,a@example.com\nBob,b@example.com,Leeds\n"
    error = only_error(text)
    assert (error.line, error.field) == (3, "")
    assert error.message == (
        "This row has 3 cells but the header has 2. Check for an unquoted comma inside a value."
    )


def test_it_reports_every_problem_in_a_row() -> None:
    rows, errors = check(FULL_HEADER + ",bob@,Sales,nobody@example.com,soon,Leeds,maybe,god,x\n")
    assert rows == []
    assert [(e.line, e.field) for e in errors] == [
        (2, "name"), (2, "email"), (2, "manager_email"), (2, "start_date"),
        (2, "customer_facing"), (2, "role"),
    ]  # fmt: skip


def test_error_lines_account_for_blank_lines_and_multiline_cells() -> None:
    text = (
        'Name,Email,Location\n\nAnn,a@example.com,"Floor 1\nDesk 4"\n'
        "\n\nBob,bob@,Leeds\n"
        '"Cat\nLee",c@example.com,\n'
        "Dan,,\n"
    )
    assert errors_for(text) == [(7, "email"), (10, "email")]


def test_the_module_imports_without_django(monkeypatch: pytest.MonkeyPatch) -> None:
    # None in sys.modules makes any import of django (or django.*) raise ImportError.
    for name in [n for n in sys.modules if n == "django" or n.startswith("django.")]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setitem(sys.modules, "django", None)
    spec = importlib.util.spec_from_file_location("_roster_copy", roster_parsing.__file__)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "_roster_copy", module)
    spec.loader.exec_module(module)
    assert module.read_roster_file(b"Name,Email\nAnn,a@example.com\n").rows == [
        ["Ann", "a@example.com"]
    ]

"""Read and validate an uploaded roster (people list) CSV file.

Pure Python on purpose: it must import without Django settings so it can be tested in
isolation and reused from background tasks.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import math
import re
from dataclasses import dataclass, field

import charset_normalizer

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 50_000

FIELDS: tuple[str, ...] = (
    "name", "email", "team", "manager_email", "start_date",
    "location", "customer_facing", "role", "role_family",
)  # fmt: skip
REQUIRED_FIELDS = ("name", "email")
FIELD_LABELS: dict[str, str] = {
    "name": "Name", "email": "Email", "team": "Team", "manager_email": "Manager's email",
    "start_date": "Start date", "location": "Location", "customer_facing": "Customer-facing",
    "role": "Role", "role_family": "Role family",
}  # fmt: skip
DATE_FORMATS: dict[str, str] = {"iso": "YYYY-MM-DD", "dmy": "DD/MM/YYYY", "mdy": "MM/DD/YYYY"}
ROLES = ("admin", "manager", "employee")

_MAX_LENGTHS = {"name": 200, "team": 100, "location": 100, "role_family": 100}
_DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab", "|": "pipe (|)"}
BINARY_MESSAGE = (
    "This looks like a spreadsheet or binary file, not CSV. "
    "In your spreadsheet app choose Save as / Download as CSV."
)
# Zip (xlsx, ods, numbers), old Excel/OLE, PDF, PNG, JPEG, GIF.
BINARY_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0", b"%PDF", b"\x89PNG", b"\xff\xd8\xff", b"GIF8")
# Windows code pages, the usual non-UTF-8 output of Excel, in order of likelihood.
_WINDOWS_CODEPAGES = tuple(f"cp{n}" for n in (1252, 1250, 1251, 1253, 1254, 1257, 1255, 1256))
_EMAIL_RE = re.compile(
    r"[a-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[a-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:[a-z]{2,63}|xn--[a-z0-9-]{1,59})",
    re.ASCII,
)
# Spreadsheets often export dates with a midnight time attached.
_TIME = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?"
_DATE_PATTERNS = {
    "iso": re.compile(r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})" + _TIME),
    "dmy": re.compile(r"(?P<d>\d{1,2})([/.-])(?P<m>\d{1,2})\2(?P<y>\d{4})" + _TIME),
    "mdy": re.compile(r"(?P<m>\d{1,2})([/.-])(?P<d>\d{1,2})\2(?P<y>\d{4})" + _TIME),
}
_TRUE_VALUES = frozenset({"yes", "y", "true", "1", "x"})
_FALSE_VALUES = frozenset({"no", "n", "false", "0", ""})

# Normalised header (lower-case, letters and digits only) -> field, best synonym first.
# Exact matches win over the keyword pass so "Manager email" never goes to Email.
_SYNONYMS: dict[str, list[str]] = {
    name: words.split()
    for name, words in {
        "name": "name fullname employeename employee person staffname displayname membername "
        "preferredname employeefullname",
        "email": "email emailaddress workemail workemailaddress mail businessemail companyemail "
        "employeeemail emailid officeemail",
        "team": "team teamname department departmentname dept group division unit squad",
        "manager_email": "manager manageremail manageremailaddress managersemail reportsto "
        "reportstoemail linemanager linemanageremail supervisor supervisoremail directmanager",
        "start_date": "startdate start hiredate hired joined joindate joiningdate dateofjoining "
        "dateofhire datejoined datehired startedon employmentstartdate",
        "location": "location office city site worklocation officelocation workplace base",
        "customer_facing": "customerfacing clientfacing customerfacingrole publicfacing",
        "role": "role access accesslevel permission permissions approle userrole accessrole",
        "role_family": "rolefamily jobfamily family jobfunction function discipline",
    }.items()
}
_MANAGER_WORDS = ("manager", "reportsto", "supervisor")
# (field, substrings that suggest it, substrings that rule it out), in priority order.
_KEYWORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("manager_email", _MANAGER_WORDS, ("name",)),  # a manager *name* column is no use
    ("email", ("email",), _MANAGER_WORDS),
    ("customer_facing", ("facing",), ()),
    ("role_family", ("family",), ()),
    ("start_date", ("start", "hire", "join"), ()),
    ("team", ("team", "department", "dept"), ()),
    ("location", ("location", "office"), ()),
    ("name", ("fullname", "displayname", "employeename"), ()),
    ("role", ("accesslevel", "permission", "role"), ("family",)),
)


class RosterFileError(Exception):
    """The file (or the chosen column mapping) can't be used at all."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RosterTable:
    encoding: str
    delimiter: str
    headers: list[str]
    rows: list[list[str]]  # each exactly len(headers) long
    # Line in the file where each row starts; empty means row i is on line i + 2.
    lines: list[int] = field(default_factory=list)
    # Non-empty-trailing cells each row really had; more than len(headers) means cells
    # were cut off, which validate_rows reports.
    widths: list[int] = field(default_factory=list)

    def preview(self, limit: int = 5) -> list[list[str]]:
        return [list(row) for row in self.rows[:limit]]


@dataclass(frozen=True)
class RosterRow:
    line: int
    name: str
    email: str
    team: str
    manager_email: str
    start_date: datetime.date | None
    location: str
    customer_facing: bool | None
    role: str | None
    role_family: str


@dataclass(frozen=True)
class RowError:
    line: int
    field: str  # a FIELDS name, or "" for whole-row problems
    value: str
    message: str


# --- Reading -------------------------------------------------------------------------


def read_roster_file(data: bytes) -> RosterTable:
    if not data:
        raise RosterFileError("The file is empty.")
    if len(data) > MAX_BYTES:
        # Round up so a file just over the limit never claims to be "10.0 MB".
        size = math.ceil(len(data) / (1024 * 1024) * 10) / 10
        raise RosterFileError(f"The file is {size:.1f} MB; the limit is 10 MB.")
    text, encoding = _decode(data)
    text = text.lstrip("\ufeff")
    if not text.strip():
        raise RosterFileError("The file is empty.")
    # Excel may write a "sep=;" first line to say which delimiter it used.
    if sep := re.match(r"sep=([,;\t|])[ \t]*(?:\r\n|\n|\r|$)", text):
        delimiter, skip = sep.group(1), True
    else:
        delimiter, skip = sniff_delimiter(text), False
    headers, rows, lines, widths = _parse(text, delimiter, skip)
    return RosterTable(encoding, delimiter, headers, rows, lines, widths)


def _decode(data: bytes) -> tuple[str, str]:
    codec, skip = None, 0
    if data.startswith(codecs.BOM_UTF8):
        codec, label, skip = "utf-8", "utf-8-sig", len(codecs.BOM_UTF8)
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        codec, label = "utf-16", "utf-16"
    elif data.startswith(BINARY_MAGIC):
        raise RosterFileError(BINARY_MESSAGE)
    elif b"\x00" in data:
        # NULs never appear in text, except in UTF-16 saved without a byte order mark.
        codec, label = bomless_utf16(data), "utf-16"
        if codec is None:
            raise RosterFileError(BINARY_MESSAGE)
    if codec is not None:  # the file told us its encoding, so don't second-guess it
        try:
            return _check_text(data[skip:].decode(codec)), label
        except UnicodeDecodeError as exc:
            raise RosterFileError(
                f"The file says it is {label.removesuffix('-sig').upper()} text, but byte "
                f"{skip + exc.start + 1} can't be read. Save it again as CSV UTF-8."
            ) from exc
    for candidate in ("utf-8", _guess_encoding(data), "cp1252"):
        if candidate:
            try:
                return _check_text(data.decode(candidate)), candidate
            except (UnicodeDecodeError, LookupError):
                continue
    return _check_text(data.decode("latin-1")), "latin-1"  # latin-1 decodes any byte


def bomless_utf16(data: bytes) -> str | None:
    sample = data[: min(len(data), 4096) // 2 * 2]
    pairs = len(sample) // 2
    even_nuls, odd_nuls = sample[0::2].count(0), sample[1::2].count(0)
    # Mostly-ASCII UTF-16 has a NUL in every other byte and almost none in the others.
    if len(data) % 2 or not pairs:
        return None
    if odd_nuls > 0.3 * pairs and even_nuls < 0.02 * pairs:
        return "utf-16-le"
    if even_nuls > 0.3 * pairs and odd_nuls < 0.02 * pairs:
        return "utf-16-be"
    return None


def _check_text(text: str) -> str:
    sample = text[:20_000]
    controls = sum(1 for ch in sample if (ch < " " and ch not in "\t\n\r\f\v") or ch == "\x7f")
    if "\x00" in text or controls > len(sample) / 100:
        raise RosterFileError(BINARY_MESSAGE)
    return text


def _guess_encoding(data: bytes) -> str | None:
    # charset_normalizer ranks look-alike code pages almost arbitrarily on short files (it
    # reads "Muñoz" as cp1250 "Muńoz", or Latin text as DOS cp775), so prefer cp1252 when
    # it reads about as cleanly as the winner, then any Windows code page that does.
    matches = list(charset_normalizer.from_bytes(data))
    if not matches:
        return None
    best = matches[0]
    for codepage, chaos, coherence in (("cp1252", 0.12, 0.1), ("", 0.05, 0.05)):
        for m in matches:
            if m.chaos > best.chaos + chaos or m.coherence < best.coherence - coherence:
                continue
            names = [n for n in m.could_be_from_charset if n in _WINDOWS_CODEPAGES]
            if names and codepage in ("", *names):
                return codepage or names[0]
    return best.encoding


def sniff_delimiter(text: str) -> str:
    # csv.Sniffer guesses badly on short files; instead prefer the delimiter that gives
    # the most rows as wide as the header, then the widest header.
    sample = text[:65_536]
    best, best_score = "", (0.0, 0)
    for delimiter in _DELIMITER_NAMES:
        reader = csv.reader(io.StringIO(sample, newline=""), delimiter=delimiter)
        widths = [len(row) for row in reader if any(cell.strip() for cell in row)]
        if len(text) > len(sample):
            widths = widths[:-1]  # the last sampled row may be cut in half
        widths = widths[:50]
        if not widths or widths[0] < 2:
            continue
        score = (sum(w == widths[0] for w in widths) / len(widths), widths[0])
        if score > best_score:
            best, best_score = delimiter, score
    if best:
        return best
    header = sample.splitlines()[0]
    top = max(_DELIMITER_NAMES, key=header.count)
    return top if header.count(top) else ","


def _parse(
    text: str, delimiter: str, skip_first: bool
) -> tuple[list[str], list[list[str]], list[int], list[int]]:
    # strict=True so an unclosed quote is an error instead of silently eating the file.
    reader = csv.reader(
        io.StringIO(text, newline=""), delimiter=delimiter, strict=True, skipinitialspace=True
    )
    headers: list[str] | None = None
    rows: list[list[str]] = []
    lines: list[int] = []
    widths: list[int] = []
    while True:
        start = reader.line_num + 1  # rows may span lines; report where each one starts
        try:
            raw = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            if "end of data" in str(exc) or "field limit" in str(exc):
                raise RosterFileError(
                    f"A quoted value starting on line {start} is never closed. "
                    'Check for a missing closing quote (").'
                ) from exc
            detail = "text straight after a closing quote" if "after" in str(exc) else exc
            raise RosterFileError(
                f"The file isn't valid CSV on line {reader.line_num}: {detail}."
            ) from exc
        if skip_first:
            skip_first = False
            continue
        cells = [cell.strip() for cell in raw]
        while cells and not cells[-1]:
            cells.pop()  # spreadsheets pad rows with trailing delimiters
        if not cells:
            continue
        if headers is None:
            headers = _check_headers(cells, start)
        elif len(rows) >= MAX_ROWS:
            raise RosterFileError(
                f"The file has more than {MAX_ROWS:,} rows; the limit is {MAX_ROWS:,}. "
                "Split it into smaller files."
            )
        else:
            widths.append(len(cells))
            lines.append(start)
            rows.append((cells + [""] * len(headers))[: len(headers)])
    if headers is None:
        raise RosterFileError("The file is empty.")
    if not rows:
        raise RosterFileError(
            "The file only has a header row. Add one row per person below the header."
        )
    return headers, rows, lines, widths


def _check_headers(cells: list[str], line: int) -> list[str]:
    cells = [cells[0].lstrip("\ufeff").strip(), *cells[1:]]
    seen: dict[str, int] = {}
    for index, header in enumerate(cells, start=1):
        if not header:
            raise RosterFileError(
                f"Column {index} in the header row (line {line}) has no name. "
                "Give every column a heading."
            )
        key = " ".join(header.casefold().split())
        if key in seen:
            raise RosterFileError(
                f'The heading "{header}" appears twice (columns {seen[key]} and {index}). '
                "Rename or remove one of them."
            )
        seen[key] = index
    return cells


# --- Mapping -------------------------------------------------------------------------


def guess_mapping(headers: list[str]) -> dict[str, int | None]:
    keys = ["".join(ch for ch in h.casefold() if ch.isalnum()) for h in headers]
    mapping: dict[str, int | None] = dict.fromkeys(FIELDS)
    used: set[int] = set()
    for name, synonyms in _SYNONYMS.items():
        ranked = sorted((synonyms.index(k), i) for i, k in enumerate(keys) if k in synonyms)
        if ranked:
            mapping[name] = ranked[0][1]
            used.add(ranked[0][1])
    for name, wanted, excluded in _KEYWORDS:
        if mapping[name] is not None:
            continue
        for index, key in enumerate(keys):
            if index in used or any(word in key for word in excluded):
                continue
            if any(word in key for word in wanted):
                mapping[name] = index
                used.add(index)
                break
    return mapping


# --- Validation ----------------------------------------------------------------------

type _Problems = list[tuple[str, str, str]]  # (field, value, message)


def validate_rows(
    table: RosterTable,
    mapping: dict[str, int | None],
    *,
    date_format: str = "iso",
    existing_emails: frozenset[str] = frozenset(),
) -> tuple[list[RosterRow], list[RowError]]:
    if date_format not in DATE_FORMATS:
        raise ValueError(f"Unknown date format {date_format!r}.")
    columns = _check_mapping(table, mapping)
    lines = table.lines or list(range(2, len(table.rows) + 2))
    records = [{name: row[index] for name, index in columns.items()} for row in table.rows]
    # Managers may be listed below the people they manage, so collect every email first.
    first_line: dict[str, int] = {}
    for record, line in zip(records, lines, strict=True):
        if is_email(email := record["email"].lower()):
            first_line.setdefault(email, line)
    known = first_line.keys() | {e.strip().lower() for e in existing_emails}

    good: list[RosterRow] = []
    errors: list[RowError] = []
    for index, (record, line) in enumerate(zip(records, lines, strict=True)):
        problems: _Problems = []
        width = table.widths[index] if table.widths else 0
        if width > len(table.headers):
            problems.append(("", "", (
                f"This row has {width} cells but the header has {len(table.headers)}. Check "
                f"for an unquoted {_DELIMITER_NAMES[table.delimiter]} inside a value."
            )))  # fmt: skip
        row = _check_row(record, line, first_line, known, date_format, problems)
        if row is None or problems:
            errors.extend(RowError(line, f, _shorten(v), m) for f, v, m in problems)
        else:
            good.append(row)
    return good, errors


def _check_row(
    record: dict[str, str],
    line: int,
    first_line: dict[str, int],
    known: set[str],
    date_format: str,
    problems: _Problems,
) -> RosterRow | None:
    add = problems.append
    texts = {name: " ".join(record.get(name, "").split()) for name in _MAX_LENGTHS}
    for name, limit in _MAX_LENGTHS.items():
        if len(texts[name]) > limit:
            length = len(texts[name])
            add((name, texts[name], f"{FIELD_LABELS[name]} is {length} characters long; "
                 f"the limit is {limit}."))  # fmt: skip
    if not texts["name"]:
        add(("name", "", "Name is missing."))

    email = record["email"].lower()
    if not email:
        add(("email", "", "Email is missing."))
    elif not is_email(email):
        add(("email", email, f"'{_shorten(email)}' is not a valid email address."))
    elif first_line[email] != line:
        add(("email", email, f"'{email}' is already used on line {first_line[email]}. "
             "Each person can only be listed once."))  # fmt: skip

    manager = record.get("manager_email", "").lower()
    if manager and not is_email(manager):
        add(("manager_email", manager, f"'{_shorten(manager)}' is not a valid email address."))
    elif manager and manager == email:
        add(("manager_email", manager, "A person can't be their own manager."))
    elif manager and manager not in known:
        add(("manager_email", manager, f"The manager '{manager}' is not in this file or in "
             "your organisation. Add them as a row too."))  # fmt: skip

    start_date = _parse_date(record.get("start_date", ""), date_format, problems)
    customer_facing = None
    if "customer_facing" in record:
        flag = record["customer_facing"].lower()
        customer_facing = flag in _TRUE_VALUES
        if flag not in _TRUE_VALUES | _FALSE_VALUES:
            add(("customer_facing", record["customer_facing"], f"'{_shorten(flag)}' isn't "
                 "a yes/no value for Customer-facing. Use yes or no."))  # fmt: skip
    role = record.get("role", "").lower() or None
    if role is not None and role not in ROLES:
        add(("role", record["role"], f"'{_shorten(role)}' isn't a valid role. "
             "Use admin, manager or employee."))  # fmt: skip
    if problems:
        return None
    return RosterRow(
        line=line, name=texts["name"], email=email, team=texts["team"],
        manager_email=manager, start_date=start_date, location=texts["location"],
        customer_facing=customer_facing, role=role, role_family=texts["role_family"],
    )  # fmt: skip


def _check_mapping(table: RosterTable, mapping: dict[str, int | None]) -> dict[str, int]:
    columns = {name: index for name, index in mapping.items() if index is not None}
    if unknown := set(columns) - set(FIELDS):
        raise ValueError(f"Unknown roster fields: {sorted(unknown)}")
    for name in REQUIRED_FIELDS:
        if name not in columns:
            raise RosterFileError(f"Map a column to {FIELD_LABELS[name]} to continue.")
    owner: dict[int, str] = {}
    for name, index in columns.items():
        if not 0 <= index < len(table.headers):
            raise RosterFileError(
                f"The column chosen for {FIELD_LABELS[name]} isn't in this file. "
                "Choose the column again."
            )
        if index in owner:
            raise RosterFileError(
                f'The column "{table.headers[index]}" is chosen for both '
                f"{FIELD_LABELS[owner[index]]} and {FIELD_LABELS[name]}. "
                "Each column can only be used once."
            )
        owner[index] = name
    return columns


def is_email(value: str) -> bool:
    local = value.partition("@")[0]
    return len(value) <= 254 and len(local) <= 64 and _EMAIL_RE.fullmatch(value) is not None


def _try_date(value: str, date_format: str) -> datetime.date | None:
    match = _DATE_PATTERNS[date_format].fullmatch(value)
    try:
        return datetime.date(int(match["y"]), int(match["m"]), int(match["d"])) if match else None
    except ValueError:  # e.g. 31 February
        return None


def _parse_date(value: str, date_format: str, problems: _Problems) -> datetime.date | None:
    if not value:
        return None
    parsed = _try_date(value, date_format)
    if parsed is None:
        message = f"'{_shorten(value)}' is not a valid date in the format "
        message += f"{DATE_FORMATS[date_format]}."
        # Point at the fix when the value can only be read in one other format.
        others = [k for k in DATE_FORMATS if k != date_format and _try_date(value, k)]
        if len(others) == 1:
            message += f" It looks like {DATE_FORMATS[others[0]]}; choose that format instead."
        problems.append(("start_date", value, message))
    return parsed


def _shorten(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"

"""Read files of customer items (CSV or JSON Lines) as a stream, and check each row.

Pure Python on purpose, like `heard.orgs.roster_parsing` (whose charset and delimiter
detection this reuses): no Django, so it is tested alone and used by the import task. Files
may be 200 MB, so nothing here reads a whole file: the encoding and delimiter come from the
first 64 KB, and rows are read one at a time.
"""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import json
import math
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Self

from heard.orgs import roster_parsing
from heard.orgs.roster_parsing import RosterFileError

MAX_BYTES = 200 * 1024 * 1024
MAX_TEXT_BYTES = 1024 * 1024
SNIFF_BYTES = 64 * 1024
PREVIEW_ROWS = 10
FORMATS = ("csv", "jsonl")
# No single value may be longer than this. A text is at most 1 MB (longer ones are row
# errors), so a value past 4 MB can only be a quote that is never closed.
CSV_FIELD_LIMIT = 4 * 1024 * 1024

FIELDS: tuple[str, ...] = (
    "text", "external_id", "occurred_at", "customer_id", "customer_email",
    "customer_name", "channel", "rating", "agent", "thread_id",
)  # fmt: skip
REQUIRED_FIELDS = ("text", "external_id")
FIELD_LABELS: dict[str, str] = {
    "text": "Text", "external_id": "External id", "occurred_at": "Date",
    "customer_id": "Customer id", "customer_email": "Customer email",
    "customer_name": "Customer name", "channel": "Channel", "rating": "Rating",
    "agent": "Agent (email or name)", "thread_id": "Thread id",
}  # fmt: skip
RATING_SCALES: dict[str, tuple[int, int]] = {"stars5": (1, 5), "nps10": (0, 10)}
# The values of heard.customers.models.Channel, and words files use for them.
CHANNELS: dict[str, str] = {
    "ticket": "ticket", "tickets": "ticket", "support": "ticket", "case": "ticket",
    "helpdesk": "ticket", "supportticket": "ticket",
    "review": "review", "reviews": "review", "rating": "review",
    "survey": "survey", "nps": "survey", "csat": "survey", "surveyanswer": "survey",
    "email": "email", "mail": "email", "e-mail": "email",
    "chat": "chat", "livechat": "chat", "messenger": "chat", "whatsapp": "chat", "sms": "chat",
    "other": "other", "phone": "other", "call": "other", "social": "other",
}  # fmt: skip
_MAX_LENGTHS = {
    "external_id": 200, "customer_id": 200, "customer_name": 200, "customer_email": 254,
    "agent": 200, "thread_id": 200,
}  # fmt: skip

# Normalised header (lower-case letters and digits) -> field, best synonym first.
_SYNONYMS: dict[str, list[str]] = {
    name: words.split()
    for name, words in {
        "text": "text body message comment comments review reviewtext content description "
        "feedback answer verbatim response ticketbody messagebody",
        "external_id": "id externalid ticketid ticketnumber reviewid responseid itemid "
        "messageid uid uuid number ref reference",
        "occurred_at": "date createdat created timestamp datetime time occurredat submittedat "
        "submitted receivedat reviewdate ticketdate datecreated sentat",
        "customer_id": "customerid clientid userid accountid contactid requesterid",
        "customer_email": "email customeremail clientemail requesteremail contactemail "
        "emailaddress useremail",
        "customer_name": "customername name clientname requester requestername contactname "
        "fullname customer username reviewer author",
        "channel": "channel medium via type kind",
        "rating": "rating score stars star csat nps rate satisfaction",
        "agent": "agent assignee agentemail agentname assignedto owner handledby",
        "thread_id": "threadid thread conversationid conversation caseid parentid",
    }.items()
}
# (field, substrings that suggest it, substrings that rule it out), in priority order.
_KEYWORDS: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("agent", ("agent", "assignee"), ()),
    ("customer_email", ("email",), ("agent",)),
    ("thread_id", ("thread", "conversation"), ()),
    ("customer_id", ("customerid", "clientid"), ()),
    ("rating", ("rating", "score", "nps", "csat"), ()),
    ("occurred_at", ("date", "time", "created"), ()),
    ("text", ("text", "comment", "message", "body"), ("id",)),
)
_DMY = re.compile(
    r"(?P<d>\d{1,2})/(?P<m>\d{1,2})/(?P<y>\d{4})"
    r"(?:[ T](?P<H>\d{1,2}):(?P<M>\d{2})(?::(?P<S>\d{2}))?)?"
)
_UNIX_SECONDS = re.compile(r"\d{9,11}(?:\.\d+)?")


class ImportFileError(RosterFileError):
    """The file can't be imported at all (or from this row on); `message` says why."""


@dataclass(frozen=True)
class FileSummary:
    file_format: str  # csv or jsonl
    encoding: str
    delimiter: str  # "" for JSON Lines
    headers: list[str]
    preview: list[list[str]]  # the first rows, one value per header


@dataclass(frozen=True)
class Record:
    number: int  # 1 for the first row under the header: what `rows_done` counts
    line: int  # the line of the file where the row starts: what people are shown
    values: dict[str, str]  # header -> value as written
    problem: str = ""  # the row can't be read at all (not JSON, too many cells)


@dataclass(frozen=True)
class ItemRow:
    number: int
    line: int
    external_id: str
    text: str
    occurred_at: datetime.datetime | None  # naive when the file gave no time zone
    customer_id: str
    customer_email: str
    customer_name: str
    channel: str  # a Channel value, "" for the import's default
    rating: int | None
    agent: str
    thread_id: str

    @property
    def customer_key(self) -> str:
        """How the item finds its customer (see Customer.key)."""
        return self.customer_id or self.customer_email or self.customer_name


@dataclass(frozen=True)
class RowError:
    line: int
    column: str  # the file's header, or "" for the whole row
    message: str


# --- Reading -------------------------------------------------------------------------


def size_message(size: int) -> str:
    # Round up so a file just over the limit never claims to be "200.0 MB".
    megabytes = math.ceil(size / (1024 * 1024) * 10) / 10
    return f"The file is {megabytes:.1f} MB; the limit is 200 MB. Split it into smaller files."


def summarise_file(path: Path, *, filename: str) -> FileSummary:
    """Detect the format, encoding and delimiter; read the headers and the first rows.
    Raises ImportFileError with a message for the person who uploaded the file."""
    size = path.stat().st_size
    if size == 0:
        raise ImportFileError("The file is empty (0 bytes).")
    if size > MAX_BYTES:
        raise ImportFileError(size_message(size))
    with path.open("rb") as raw:
        head = raw.read(SNIFF_BYTES)
    complete = len(head) == size
    encoding = detect_encoding(head, complete=complete)
    text = _decode_head(head, encoding, complete=complete).lstrip("\ufeff")
    if not text.strip():
        raise ImportFileError("The file is empty: it has no text, only blank lines.")
    if not complete and "\n" in text:
        text = text[: text.rindex("\n") + 1]  # the last line may be cut in half
    file_format = _detect_format(filename, text)
    delimiter = ""
    if file_format == "csv":
        sep = re.match(r"sep=([,;\t|])[ \t]*(?:\r\n|\n|\r|$)", text)
        delimiter = sep.group(1) if sep else roster_parsing.sniff_delimiter(text)
    with RecordReader(path, file_format=file_format, encoding=encoding, delimiter=delimiter) as r:
        records = []
        for record in r.records():
            if record.problem and file_format == "jsonl":
                raise ImportFileError(record.problem + " Every line must be one JSON object.")
            records.append(record)
            if len(records) == PREVIEW_ROWS:
                break
        headers = r.headers if file_format == "csv" else _jsonl_headers(records)
    if not headers:
        raise ImportFileError("The objects in this file have no keys: nothing to import.")
    if file_format == "csv" and (data := next((h for h in headers if _looks_like_data(h)), "")):
        raise ImportFileError(
            f"The first line looks like data (“{_shorten(data)}”), not column names. "
            "Add a header row that names each column, e.g. id,date,text."
        )
    if not records:
        raise ImportFileError("The file only has a header row. Add one row per item below it.")
    preview = [[record.values.get(h, "") for h in headers] for record in records]
    return FileSummary(file_format, encoding, delimiter, headers, preview)


def _looks_like_data(header: str) -> bool:
    value = header.strip()
    if roster_parsing.is_email(value.lower()):
        return True
    if re.fullmatch(r"[-+]?\d+([.,]\d+)?", value):
        return True
    return parse_datetime(value) is not None and not value.isdigit()


def detect_encoding(head: bytes, *, complete: bool) -> str:
    """The encoding of a file from its first bytes: a byte order mark wins, then UTF-8 if
    it reads cleanly, then charset-normalizer's guess (Windows code pages preferred)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(roster_parsing.BINARY_MAGIC):
        raise ImportFileError(roster_parsing.BINARY_MESSAGE)
    if b"\x00" in head:
        # NULs never appear in text, except in UTF-16 saved without a byte order mark.
        codec = roster_parsing.bomless_utf16(head if complete else head[: len(head) // 2 * 2])
        if codec is None:
            raise ImportFileError(roster_parsing.BINARY_MESSAGE)
        return codec
    if _decodes(head, "utf-8", complete=complete):
        return "utf-8"
    for candidate in (roster_parsing._guess_encoding(head), "cp1252"):
        if candidate and _decodes(head, candidate, complete=complete):
            return candidate
    return "latin-1"  # reads any byte


def _decodes(data: bytes, encoding: str, *, complete: bool) -> bool:
    try:
        codecs.getincrementaldecoder(encoding)().decode(data, final=complete)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _decode_head(head: bytes, encoding: str, *, complete: bool) -> str:
    try:
        text = str(codecs.getincrementaldecoder(encoding)().decode(head, final=complete))
    except UnicodeDecodeError as exc:
        name = encoding.removesuffix("-sig").upper()
        raise ImportFileError(
            f"The file says it is {name} text, but byte {exc.start + 1} can't be read. "
            "Save it again as CSV UTF-8."
        ) from exc
    try:
        return roster_parsing._check_text(text)
    except RosterFileError as exc:
        raise ImportFileError(exc.message) from exc


def _detect_format(filename: str, text: str) -> str:
    suffix = filename.rpartition(".")[2].lower() if "." in filename else ""
    if suffix in ("jsonl", "ndjson", "json"):
        return "jsonl"
    if suffix in ("csv", "tsv", "txt"):
        return "csv"
    return "jsonl" if text.lstrip().startswith("{") else "csv"


def _jsonl_headers(records: list[Record]) -> list[str]:
    headers: dict[str, None] = {}
    for record in records:
        headers.update(dict.fromkeys(record.values))
    return list(headers)


class RecordReader:
    """Reads a file row by row. `bytes_read` says how far into the file it got (a little
    ahead of the last row returned, by up to one buffer), for the progress bar."""

    def __init__(self, path: Path, *, file_format: str, encoding: str, delimiter: str) -> None:
        if file_format not in FORMATS:
            raise ValueError(f"Unknown file format {file_format!r}.")
        self.file_format = file_format
        self.delimiter = delimiter or ","
        self.headers: list[str] = []
        self._raw = path.open("rb", buffering=0)
        buffered = io.BufferedReader(self._raw, buffer_size=SNIFF_BYTES)
        self._text = io.TextIOWrapper(buffered, encoding=encoding, newline="")

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._text.close()

    @property
    def bytes_read(self) -> int:
        return self._raw.tell()

    def records(self) -> Iterator[Record]:
        """Every row under the header, blank rows left out. Raises ImportFileError when the
        rest of the file can't be read (an unclosed quote, bytes in another encoding)."""
        try:
            if self.file_format == "csv":
                yield from self._csv_records()
            else:
                yield from self._jsonl_records()
        except UnicodeDecodeError as exc:
            raise ImportFileError(
                "Part of the file is not in the same encoding as its beginning "
                f"({self._text.encoding}). Save it again as CSV UTF-8 and upload it again."
            ) from exc

    def _csv_records(self) -> Iterator[Record]:
        if csv.field_size_limit() < CSV_FIELD_LIMIT:
            csv.field_size_limit(CSV_FIELD_LIMIT)
        # strict=True so an unclosed quote is an error instead of silently eating the file.
        reader = csv.reader(self._text, delimiter=self.delimiter, strict=True)
        number = 0
        first = True
        while True:
            line = reader.line_num + 1  # rows may span lines; report where each one starts
            try:
                raw = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise ImportFileError(_csv_error_message(exc, line, reader.line_num)) from exc
            if first and re.fullmatch(r"sep=[,;\t|]\s*", self.delimiter.join(raw)):
                first = False
                continue  # Excel's "sep=;" line says which delimiter it used
            first = False
            cells = [cell.strip() for cell in raw]
            while cells and not cells[-1]:
                cells.pop()  # spreadsheets pad rows with trailing delimiters
            if not cells:
                continue
            if not self.headers:
                try:
                    self.headers = roster_parsing._check_headers(cells, line)
                except RosterFileError as exc:
                    raise ImportFileError(exc.message) from exc
                continue
            number += 1
            problem = ""
            if len(cells) > len(self.headers):
                name = roster_parsing._DELIMITER_NAMES.get(self.delimiter, self.delimiter)
                problem = (
                    f"This row has {len(cells)} cells but the header has {len(self.headers)}. "
                    f"Check for an unquoted {name} inside a value."
                )
            values = dict(zip(self.headers, cells + [""] * len(self.headers), strict=False))
            yield Record(number, line, values, problem)

    def _jsonl_records(self) -> Iterator[Record]:
        number = 0
        for line, text in enumerate(self._text, start=1):
            if not text.strip():
                continue
            number += 1
            try:
                value = json.loads(text, object_pairs_hook=_no_duplicate_keys)
            except _DuplicateKeyError as exc:
                yield Record(number, line, {}, f"Line {line} has the key “{exc.key}” twice.")
                continue
            except ValueError as exc:
                reason = exc.msg if isinstance(exc, json.JSONDecodeError) else str(exc)
                yield Record(number, line, {}, f"Line {line} is not valid JSON ({reason}).")
                continue
            if not isinstance(value, dict):
                kind = _JSON_KINDS.get(type(value), "not an object")
                yield Record(number, line, {}, f"Line {line} is {kind}, not a JSON object.")
                continue
            yield Record(number, line, {str(k): _json_text(v) for k, v in value.items()})


_JSON_KINDS: dict[type, str] = {
    list: "a list", str: "a string", int: "a number", float: "a number",
    bool: "true or false", type(None): "null",
}  # fmt: skip


class _DuplicateKeyError(ValueError):
    def __init__(self, key: str) -> None:
        super().__init__(f"duplicate key {key!r}")
        self.key = key


def _no_duplicate_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    found: dict[str, object] = {}
    for key, value in pairs:
        if key in found:
            raise _DuplicateKeyError(key)
        found[key] = value
    return found


def _json_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return json.dumps(value, ensure_ascii=False)


def _csv_error_message(exc: csv.Error, start: int, line: int) -> str:
    text = str(exc)
    if "end of data" in text or "field limit" in text or "larger than" in text:
        return (
            f"A quoted value starting on line {start} is never closed (or is longer than "
            f'{CSV_FIELD_LIMIT // (1024 * 1024)} MB). Check for a missing closing quote (").'
        )
    if "NUL" in text:
        return f"Line {line} holds a NUL byte: this part of the file is not text."
    detail = "text straight after a closing quote" if "after" in text else text
    return f"The file isn't valid CSV on line {line}: {detail}."


# --- Mapping -------------------------------------------------------------------------


def _normalise(header: str) -> str:
    return "".join(ch for ch in header.casefold() if ch.isalnum())


def guess_mapping(headers: list[str]) -> dict[str, str]:
    """Field -> header, from the names files usually give their columns."""
    keys = [_normalise(h) for h in headers]
    mapping: dict[str, str] = {}
    used: set[int] = set()
    for name, synonyms in _SYNONYMS.items():
        ranked = sorted(
            (synonyms.index(k), i) for i, k in enumerate(keys) if k in synonyms and i not in used
        )
        if ranked:
            mapping[name] = headers[ranked[0][1]]
            used.add(ranked[0][1])
    for name, wanted, excluded in _KEYWORDS:
        if name in mapping:
            continue
        for index, key in enumerate(keys):
            if index in used or any(word in key for word in excluded):
                continue
            if any(word in key for word in wanted):
                mapping[name] = headers[index]
                used.add(index)
                break
    return mapping


def guess_rating_scale(mapping: dict[str, str]) -> str:
    if "rating" not in mapping:
        return ""
    return "nps10" if "nps" in _normalise(mapping["rating"]) else "stars5"


def check_mapping(mapping: dict[str, str], headers: list[str]) -> dict[str, str]:
    """The mapping without empty choices; raises ImportFileError when it can't be used."""
    chosen = {name: column for name, column in mapping.items() if column}
    if unknown := set(chosen) - set(FIELDS):
        raise ValueError(f"Unknown item fields: {sorted(unknown)}")
    for name in REQUIRED_FIELDS:
        if name not in chosen:
            raise ImportFileError(f"Choose the column for {FIELD_LABELS[name]} to continue.")
    owner: dict[str, str] = {}
    for name, column in chosen.items():
        if column not in headers:
            raise ImportFileError(f"The column “{column}” isn't in this file.")
        if column in owner:
            raise ImportFileError(
                f"The column “{column}” is chosen for both {FIELD_LABELS[owner[column]]} "
                f"and {FIELD_LABELS[name]}. Each column can only be used once."
            )
        owner[column] = name
    return chosen


# --- Checking rows -------------------------------------------------------------------


def check_record(
    record: Record, mapping: dict[str, str], *, rating_scale: str
) -> tuple[ItemRow | None, list[RowError]]:
    """One row as an item, or the reasons it can't be one. Texts are kept exactly as written
    (a formula stays text; nothing here evaluates or rewrites it)."""
    if record.problem:
        return None, [RowError(record.line, "", record.problem)]
    errors: list[RowError] = []

    def value(name: str) -> str:
        column = mapping.get(name)
        return record.values.get(column, "") if column else ""

    def fail(name: str, message: str) -> None:
        errors.append(RowError(record.line, mapping.get(name, ""), message))

    text = value("text")
    if not text.strip():
        fail("text", "The text is missing.")
    elif len(text) * 4 > MAX_TEXT_BYTES and len(encoded := text.encode()) > MAX_TEXT_BYTES:
        megabytes = math.ceil(len(encoded) / (1024 * 1024) * 10) / 10
        fail("text", f"The text is {megabytes:.1f} MB; text over 1 MB is not imported.")
    cleaned = {name: value(name).strip() for name in _MAX_LENGTHS}
    if not cleaned["external_id"]:
        fail("external_id", "The external id is missing.")
    for name, limit in _MAX_LENGTHS.items():
        if len(cleaned[name]) > limit:
            fail(name, f"{FIELD_LABELS[name]} is {len(cleaned[name])} characters; the limit "
                 f"is {limit}.")  # fmt: skip
    email = cleaned["customer_email"].lower()
    if email and not roster_parsing.is_email(email):
        fail("customer_email", f"“{_shorten(email)}” is not a valid email address.")

    occurred_at = None
    if raw_date := value("occurred_at").strip():
        occurred_at = parse_datetime(raw_date)
        if occurred_at is None:
            hint = " It looks like milliseconds; use seconds." if raw_date.isdigit() else ""
            fail("occurred_at", f"“{_shorten(raw_date)}” is not a date we can read. Use "
                 f"YYYY-MM-DD, YYYY-MM-DD HH:MM, DD/MM/YYYY or Unix seconds.{hint}")  # fmt: skip

    channel = ""
    if raw_channel := value("channel").strip():
        channel = CHANNELS.get(raw_channel.casefold().replace(" ", ""), "other")

    rating = None
    if raw_rating := value("rating").strip():
        rating = parse_rating(raw_rating, rating_scale)
        if rating is None:
            low, high = RATING_SCALES.get(rating_scale, (0, 10))
            fail("rating", f"“{_shorten(raw_rating)}” is not a whole number from {low} to "
                 f"{high}.")  # fmt: skip
    if errors:
        return None, errors
    return ItemRow(
        number=record.number, line=record.line, external_id=cleaned["external_id"], text=text,
        occurred_at=occurred_at, customer_id=cleaned["customer_id"], customer_email=email,
        customer_name=cleaned["customer_name"], channel=channel, rating=rating,
        agent=cleaned["agent"], thread_id=cleaned["thread_id"],
    ), []  # fmt: skip


def parse_datetime(value: str) -> datetime.datetime | None:
    """ISO 8601 (a date, or a date and time, with or without an offset), DD/MM/YYYY with an
    optional HH:MM[:SS], or Unix seconds (read as UTC)."""
    value = value.strip()
    if _UNIX_SECONDS.fullmatch(value):
        return datetime.datetime.fromtimestamp(float(value), tz=datetime.UTC)
    if match := _DMY.fullmatch(value):
        parts = {k: int(v) for k, v in match.groupdict().items() if v is not None}
        try:
            return datetime.datetime(  # noqa: DTZ001  (the caller applies the time zone)
                parts["y"], parts["m"], parts["d"], parts.get("H", 0), parts.get("M", 0),
                parts.get("S", 0),
            )  # fmt: skip
        except ValueError:
            return None
    if not value[:4].isdigit():
        return None
    try:
        return datetime.datetime.fromisoformat(value)
    except ValueError:
        return None


def parse_rating(value: str, scale: str) -> int | None:
    low, high = RATING_SCALES.get(scale, (0, 10))
    try:
        number = float(value.replace(",", "."))
    except ValueError:
        return None
    if not number.is_integer() or not low <= number <= high:
        return None
    return int(number)


def _shorten(value: str, limit: int = 80) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"

"""The file reader on its own (no database): encodings, delimiters and broken files."""

from __future__ import annotations

import codecs
import datetime
from pathlib import Path

import pytest

from heard.customers import importing
from heard.customers.importing import ImportFileError, Record, RecordReader

HEADER = "id,date,text,email\n"


def write(tmp_path: Path, data: bytes | str, name: str = "items.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(data.encode() if isinstance(data, str) else data)
    return path


def summarise(tmp_path: Path, data: bytes | str, name: str = "items.csv") -> importing.FileSummary:
    return importing.summarise_file(write(tmp_path, data, name), filename=name)


def records(path: Path, summary: importing.FileSummary) -> list[Record]:
    with RecordReader(
        path,
        file_format=summary.file_format,
        encoding=summary.encoding,
        delimiter=summary.delimiter,
    ) as reader:
        return list(reader.records())


def test_it_reads_a_plain_csv(tmp_path: Path) -> None:
    summary = summarise(tmp_path, HEADER + "1,2024-01-05,Great service,a@example.com\n")
    assert summary.file_format == "csv"
    assert summary.encoding == "utf-8"
    assert summary.delimiter == ","
    assert summary.headers == ["id", "date", "text", "email"]
    assert summary.preview == [["1", "2024-01-05", "Great service", "a@example.com"]]


def test_it_keeps_only_ten_rows_for_the_preview(tmp_path: Path) -> None:
    body = "".join(f"{n},2024-01-05,Text {n},\n" for n in range(50))
    assert len(summarise(tmp_path, HEADER + body).preview) == importing.PREVIEW_ROWS


@pytest.mark.parametrize(
    ("data", "encoding"),
    [
        (codecs.BOM_UTF8 + "id,text\n1,Très bien\n".encode(), "utf-8-sig"),
        ("id,text\n1,Très bien, merci\n".encode("utf-16"), "utf-16"),
        ("id,text\n1,Très bien\n2,Ça va à peu près\n".encode("cp1252"), "cp1252"),
    ],
    ids=["utf-8-bom", "utf-16", "cp1252"],
)
def test_it_detects_the_encoding(tmp_path: Path, data: bytes, encoding: str) -> None:
    path = write(tmp_path, data)
    summary = importing.summarise_file(path, filename="items.csv")
    assert summary.encoding == encoding
    assert summary.headers == ["id", "text"]  # no BOM left on the first header
    assert summary.preview[0][1].startswith("Très bien")
    assert records(path, summary)[0].values["text"].startswith("Très bien")


def test_it_reads_utf16_without_a_bom(tmp_path: Path) -> None:
    summary = summarise(tmp_path, "id,text\n1,Danke schön\n".encode("utf-16-le"))
    assert summary.encoding == "utf-16-le"
    assert summary.preview == [["1", "Danke schön"]]


@pytest.mark.parametrize(("delimiter", "name"), [(";", "semicolon"), ("\t", "tab"), ("|", "pipe")])
def test_it_detects_the_delimiter(tmp_path: Path, delimiter: str, name: str) -> None:
    rows = ["id", "text", "rating"], ["1", "Slow, but fine", "4"], ["2", "Good", "5"]
    summary = summarise(tmp_path, "\n".join(delimiter.join(r) for r in rows) + "\n")
    assert summary.delimiter == delimiter, name
    assert summary.preview[0] == ["1", "Slow, but fine", "4"]


def test_it_honours_excels_sep_line(tmp_path: Path) -> None:
    path = write(tmp_path, "sep=;\nid;text\n1;Hello, world\n")
    summary = importing.summarise_file(path, filename="items.csv")
    assert (summary.delimiter, summary.headers) == (";", ["id", "text"])
    assert [r.values for r in records(path, summary)] == [{"id": "1", "text": "Hello, world"}]


def test_it_reads_a_large_file_beyond_the_sniffed_part(tmp_path: Path) -> None:
    body = "".join(f'{n},2024-01-05,"Ligne {n}, été"\n' for n in range(5000))
    path = write(tmp_path, ("id,date,text\n" + body).encode("cp1252"))
    summary = importing.summarise_file(path, filename="items.csv")
    assert path.stat().st_size > importing.SNIFF_BYTES
    assert summary.encoding == "cp1252"
    rows = records(path, summary)
    assert len(rows) == 5000
    assert rows[-1].values["text"] == "Ligne 4999, été"
    assert [r.number for r in rows[:3]] == [1, 2, 3]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "empty (0 bytes)"),
        (b"\n\n  \n", "no text"),
        (b"PK\x03\x04\x14\x00\x06\x00" + bytes(range(256)), "not CSV"),
        (b"\x00\x01\x02\x03\xff\xfe\x00" * 100, "not CSV"),
        (b"id,text\n", "only has a header row"),
        (b"id,text,id\n1,a,2\n", "“id” appears twice"),
        (b"id,,text\n1,a,b\n", "Column 2 in the header row"),
        (b"2024-01-05,Great service\n2024-01-06,Bad\n", "looks like data"),
        (b'id,text\n1,"never closed\n2,b\n', "never closed"),
    ],
    ids=["0-byte", "blank", "xlsx", "binary", "header-only", "duplicate", "unnamed", "no-header",
         "bad-quote"],
)  # fmt: skip
def test_it_rejects_unusable_files(tmp_path: Path, data: bytes, message: str) -> None:
    with pytest.raises(ImportFileError) as caught:
        summarise(tmp_path, data)
    assert message.replace("“", '"').replace("”", '"') in caught.value.message.replace(
        "“", '"'
    ).replace("”", '"')


def test_it_rejects_a_file_over_the_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.csv"
    with path.open("wb") as out:
        out.truncate(importing.MAX_BYTES + 1)
    with pytest.raises(ImportFileError, match="limit is 200 MB"):
        importing.summarise_file(path, filename="big.csv")


def test_an_unclosed_quote_later_in_the_file_stops_the_reader(tmp_path: Path) -> None:
    body = "".join(f"{n},fine\n" for n in range(20)) + '21,"oops\n22,more\n'
    path = write(tmp_path, "id,text\n" + body)
    summary = importing.summarise_file(path, filename="items.csv")  # the preview is fine
    read: list[Record] = []
    with (
        pytest.raises(ImportFileError, match="line 22 is never closed"),
        RecordReader(path, file_format="csv", encoding="utf-8", delimiter=",") as reader,
    ):
        read.extend(reader.records())
    assert len(read) == 20
    assert summary.headers == ["id", "text"]


def test_a_row_with_too_many_cells_is_a_row_problem(tmp_path: Path) -> None:
    path = write(tmp_path, "id,text\n1,Hello, world\n2,Fine\n")
    rows = records(path, importing.summarise_file(path, filename="items.csv"))
    assert "3 cells but the header has 2" in rows[0].problem
    assert rows[1].problem == ""


def test_formula_cells_stay_plain_text(tmp_path: Path) -> None:
    formulas = ['=HYPERLINK("http://evil.example","click")', "+1", "@SUM(A1)", "-2+3"]
    body = "".join(f'{n},"{f.replace(chr(34), chr(34) * 2)}"\n' for n, f in enumerate(formulas))
    path = write(tmp_path, "id,text\n" + body)
    rows = records(path, importing.summarise_file(path, filename="items.csv"))
    assert [r.values["text"] for r in rows] == formulas


def test_it_reads_json_lines(tmp_path: Path) -> None:
    data = (
        '{"id": "a1", "text": "Love it", "rating": 5, "tags": ["x"]}\n'
        "\n"
        '{"id": "a2", "text": "Meh", "customer": null, "vip": true}\n'
    )
    path = write(tmp_path, data, "items.jsonl")
    summary = importing.summarise_file(path, filename="items.jsonl")
    assert summary.file_format == "jsonl"
    assert summary.headers == ["id", "text", "rating", "tags", "customer", "vip"]
    assert summary.preview[0] == ["a1", "Love it", "5", '["x"]', "", ""]
    rows = records(path, summary)
    assert [(r.number, r.line) for r in rows] == [(1, 1), (2, 3)]
    assert rows[1].values["vip"] == "true"


def test_it_finds_json_lines_by_content(tmp_path: Path) -> None:
    summary = summarise(tmp_path, '{"id": 1, "text": "x"}\n', "export.data")
    assert summary.file_format == "jsonl"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ("not json at all", "Line 2 is not valid JSON"),
        ("[1, 2]", "Line 2 is a list, not a JSON object"),
        ('{"id": 1, "id": 2}', "Line 2 has the key “id” twice"),
    ],
)
def test_it_rejects_a_json_lines_file_with_a_bad_line_up_front(
    tmp_path: Path, line: str, message: str
) -> None:
    with pytest.raises(ImportFileError, match=message):
        summarise(tmp_path, '{"id": 1, "text": "ok"}\n' + line + "\n", "items.jsonl")


def test_a_bad_json_line_later_on_is_a_row_problem(tmp_path: Path) -> None:
    good = "".join(f'{{"id": {n}, "text": "ok"}}\n' for n in range(12))
    path = write(tmp_path, good + "{oops\n" + '{"id": 99, "text": "after"}\n', "items.jsonl")
    rows = records(path, importing.summarise_file(path, filename="items.jsonl"))
    assert rows[12].problem.startswith("Line 13 is not valid JSON")
    assert rows[13].values["id"] == "99"


# --- Mapping and row checks ----------------------------------------------------------


def test_it_guesses_the_columns() -> None:
    headers = ["Ticket ID", "Created At", "Message", "Customer Email", "Customer Name",
               "Channel", "CSAT", "Assignee", "Conversation ID", "Customer ID"]  # fmt: skip
    assert importing.guess_mapping(headers) == {
        "external_id": "Ticket ID",
        "occurred_at": "Created At",
        "text": "Message",
        "customer_email": "Customer Email",
        "customer_name": "Customer Name",
        "channel": "Channel",
        "rating": "CSAT",
        "agent": "Assignee",
        "thread_id": "Conversation ID",
        "customer_id": "Customer ID",
    }
    assert importing.guess_rating_scale({"rating": "NPS score"}) == "nps10"


def test_check_mapping_needs_text_and_id_once_each() -> None:
    headers = ["id", "body"]
    with pytest.raises(ImportFileError, match="Text"):
        importing.check_mapping({"external_id": "id"}, headers)
    with pytest.raises(ImportFileError, match="chosen for both"):
        importing.check_mapping({"external_id": "id", "text": "id"}, headers)
    with pytest.raises(ImportFileError, match="isn't in this file"):
        importing.check_mapping({"external_id": "id", "text": "nope"}, headers)
    assert importing.check_mapping({"external_id": "id", "text": "body", "agent": ""}, headers) == {
        "external_id": "id",
        "text": "body",
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2024-03-05", datetime.datetime(2024, 3, 5)),  # noqa: DTZ001
        ("2024-03-05 14:30", datetime.datetime(2024, 3, 5, 14, 30)),  # noqa: DTZ001
        ("2024-03-05T14:30:10Z", datetime.datetime(2024, 3, 5, 14, 30, 10, tzinfo=datetime.UTC)),
        ("05/03/2024", datetime.datetime(2024, 3, 5)),  # noqa: DTZ001
        ("05/03/2024 09:15", datetime.datetime(2024, 3, 5, 9, 15)),  # noqa: DTZ001
        ("1709647200", datetime.datetime(2024, 3, 5, 14, 0, tzinfo=datetime.UTC)),
        ("31/02/2024", None),
        ("1709647200000", None),
        ("yesterday", None),
        ("20240305", datetime.datetime(2024, 3, 5)),  # noqa: DTZ001  (ISO basic)
    ],
)
def test_it_parses_dates(value: str, expected: datetime.datetime | None) -> None:
    assert importing.parse_datetime(value) == expected


def _check(values: dict[str, str], scale: str = "stars5") -> tuple[object, list[str]]:
    mapping = {name: name for name in values}
    row, errors = importing.check_record(Record(1, 2, values), mapping, rating_scale=scale)
    return row, [e.message for e in errors]


def test_a_valid_row_becomes_an_item_row() -> None:
    row, errors = _check({
        "external_id": " T-1 ", "text": "  Hello  ", "occurred_at": "2024-03-05",
        "customer_email": "Ann@Example.com", "rating": "4", "channel": "Live chat",
    })  # fmt: skip
    assert errors == []
    assert isinstance(row, importing.ItemRow)
    assert (row.external_id, row.text, row.rating, row.channel) == ("T-1", "  Hello  ", 4, "chat")
    assert row.customer_key == "ann@example.com"


@pytest.mark.parametrize(
    ("values", "scale", "message"),
    [
        ({"external_id": "1", "text": " "}, "stars5", "text is missing"),
        ({"external_id": "", "text": "x"}, "stars5", "external id is missing"),
        ({"external_id": "1", "text": "x", "occurred_at": "32/01/2024"}, "stars5", "not a date"),
        ({"external_id": "1", "text": "x", "rating": "6"}, "stars5", "from 1 to 5"),
        ({"external_id": "1", "text": "x", "rating": "11"}, "nps10", "from 0 to 10"),
        ({"external_id": "1", "text": "x", "rating": "4.5"}, "stars5", "whole number"),
        ({"external_id": "1", "text": "x", "customer_email": "nope"}, "stars5", "valid email"),
        ({"external_id": "x" * 201, "text": "x"}, "stars5", "the limit is 200"),
    ],
)
def test_row_problems(values: dict[str, str], scale: str, message: str) -> None:
    row, errors = _check(values, scale)
    assert row is None
    assert any(message in e for e in errors), errors


def test_a_text_over_one_megabyte_is_a_row_error() -> None:
    row, errors = _check({"external_id": "1", "text": "é" * (importing.MAX_TEXT_BYTES // 2 + 1)})
    assert row is None
    assert errors == ["The text is 1.1 MB; text over 1 MB is not imported."]
    row, errors = _check({"external_id": "1", "text": "a" * importing.MAX_TEXT_BYTES})
    assert errors == []

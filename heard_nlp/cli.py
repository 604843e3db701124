"""`heard-nlp` (also `python -m heard_nlp`): Heard's text analysis from the command line.

    heard-nlp analyze --input tickets.csv --text-column text --output out.csv [--format jsonl]
    heard-nlp score-reply --message "..." --reply "..."
    heard-nlp score-replies --input pairs.csv --message-column m --reply-column r --output out.csv
    heard-nlp redact --text "..." [--names "Priya Shah,Daniel Reyes"]

Output is written to a temporary file next to OUT and renamed at the end, so a failure half-way
never leaves a half-written OUT. Bad rows get a note; only unreadable input stops the run.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, TextIO

CHUNK = 256
MAX_FIELD = 64 * 1024 * 1024  # csv's default 128 KB would stop at one long ticket


class InputError(Exception):
    pass


def _read_text(path: Path) -> tuple[str, str]:
    """(text, encoding). UTF-8 (with or without BOM), UTF-16 with BOM, else Windows-1252."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise InputError(f"Cannot read {path}: {error.strerror}.") from error
    if not data.strip():
        raise InputError(f"{path} is empty.")
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        raise InputError(
            f"{path} looks like a binary file (a spreadsheet?), not CSV. Save it as CSV."
        )
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as error:
        text = data.decode("cp1252", errors="replace")
        print(
            f"Note: {path} is not valid UTF-8 (byte {error.start}); read as Windows-1252.",
            file=sys.stderr,
        )
        return text, "cp1252"


def _rows(path: Path, columns: Sequence[str]) -> tuple[list[str], list[dict[str, str]]]:
    text, _ = _read_text(path)
    csv.field_size_limit(MAX_FIELD)
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(text[:65536], ",;\t|")
    except csv.Error:
        dialect = csv.excel
    reader = csv.DictReader(text.splitlines(keepends=True), dialect=dialect)
    header = list(reader.fieldnames or [])
    missing = [c for c in columns if c not in header]
    if missing:
        raise InputError(
            f"Column {', '.join(repr(c) for c in missing)} not found. "
            f"The file's columns are: {', '.join(repr(h) for h in header) or '(none)'}."
        )
    try:
        rows = [
            {k: (v if isinstance(v, str) else "") for k, v in row.items() if k is not None}
            for row in reader
        ]
    except csv.Error as error:
        raise InputError(f"{path} is not valid CSV (line {reader.line_num}): {error}.") from error
    if not rows:
        raise InputError(f"{path} has a header but no rows.")
    return header, rows


class Progress:
    """A one-line progress bar on a terminal; silent when output is piped."""

    def __init__(self, total: int, stream: TextIO = sys.stderr) -> None:
        self.total, self.stream, self.done = total, stream, 0
        self.enabled = stream.isatty()
        self.started = time.perf_counter()

    def advance(self, count: int) -> None:
        self.done += count
        if not self.enabled:
            return
        fraction = self.done / max(self.total, 1)
        rate = self.done / max(time.perf_counter() - self.started, 1e-9)
        bar = "#" * int(fraction * 30)
        self.stream.write(f"\r[{bar:<30}] {self.done}/{self.total} ({rate:.0f}/s)")
        if self.done >= self.total:
            self.stream.write("\n")
        self.stream.flush()


def _chunks(items: list[dict[str, str]], size: int) -> Iterator[list[dict[str, str]]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _write_atomically(output: Path, write: Callable[[TextIO], None]) -> None:
    output.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{output.name}.", dir=output.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as stream:
            write(stream)
        os.replace(temporary, output)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _analysis_columns(analysis: Any) -> dict[str, str]:
    if not analysis.analysed:
        return {
            "language": analysis.language or "", "sentiment": "", "sentiment_score": "",
            "emotions": "", "top_emotion": "", "frustration": "", "urgency": "",
            "note": f"not analysed: {analysis.reason}",
        }  # fmt: skip
    return {
        "language": analysis.language or "",
        "sentiment": analysis.sentiment.label,
        "sentiment_score": f"{analysis.sentiment.score:.3f}",
        "emotions": ";".join(analysis.emotions.labels),
        "top_emotion": analysis.emotions.top,
        "frustration": f"{analysis.emotions.groups['frustration']:.3f}",
        "urgency": analysis.urgency.level,
        "note": "",
    }


def command_analyze(args: argparse.Namespace) -> int:
    from heard_nlp.analyze import MAX_CHARS, analyze, model_status

    header, rows = _rows(Path(args.input), [args.text_column])
    available, reason = model_status()
    if args.backend != "lexicon" and not available:
        print(
            f"Note: using the lexicon backend; the model backend is unavailable ({reason}).",
            file=sys.stderr,
        )
    progress = Progress(len(rows))

    def write(stream: TextIO) -> None:
        added = ["language", "sentiment", "sentiment_score", "emotions", "top_emotion",
                 "frustration", "urgency", "note"]  # fmt: skip
        writer = csv.DictWriter(stream, [*header, *added]) if args.format == "csv" else None
        if writer:
            writer.writeheader()
        for chunk in _chunks(rows, CHUNK):
            results = analyze(
                [row[args.text_column] for row in chunk],
                backend=args.backend,
                explain=args.format == "jsonl",  # only jsonl output shows the evidence
            )
            for row, result in zip(chunk, results, strict=True):
                clipped = len(row[args.text_column]) > MAX_CHARS
                if writer:
                    columns = _analysis_columns(result)
                    if clipped and result.analysed:
                        columns["note"] = f"analysed the first {MAX_CHARS:,} characters only"
                    writer.writerow({**row, **columns})
                else:
                    stream.write(
                        json.dumps({"input": row, "analysis": asdict(result)}, ensure_ascii=False)
                        + "\n"
                    )
            progress.advance(len(chunk))

    _write_atomically(Path(args.output), write)
    print(f"Analysed {len(rows)} rows -> {args.output}", file=sys.stderr)
    return 0


def command_score_reply(args: argparse.Namespace) -> int:
    from heard_nlp.reply import score_reply

    print(json.dumps(asdict(score_reply(args.message, args.reply)), indent=2, ensure_ascii=False))
    return 0


def command_score_replies(args: argparse.Namespace) -> int:
    from heard_nlp.reply import score_reply

    header, rows = _rows(Path(args.input), [args.message_column, args.reply_column])
    progress = Progress(len(rows))

    def write(stream: TextIO) -> None:
        added = ["empathy_score", "emotional_reaction", "interpretation", "exploration",
                 "ownership", "next_step", "problems"]  # fmt: skip
        writer = csv.DictWriter(stream, [*header, *added])
        writer.writeheader()
        for chunk in _chunks(rows, CHUNK):
            for row in chunk:
                result = score_reply(row[args.message_column], row[args.reply_column])
                levels: dict[str, str] = {m.name: str(m.level) for m in result.mechanisms}
                writer.writerow(
                    {
                        **row,
                        "empathy_score": result.score,
                        **levels,
                        "problems": ";".join(p.name for p in result.problems),
                    }
                )
            progress.advance(len(chunk))

    _write_atomically(Path(args.output), write)
    print(f"Scored {len(rows)} replies -> {args.output}", file=sys.stderr)
    return 0


def command_redact(args: argparse.Namespace) -> int:
    from heard_nlp.redact import redact

    names = [n.strip() for n in (args.names or "").split(",") if n.strip()]
    print(redact(args.text, names).text)
    return 0


def parser() -> argparse.ArgumentParser:
    root = argparse.ArgumentParser(prog="heard-nlp", description="Heard's offline text analysis.")
    commands = root.add_subparsers(dest="command", required=True)
    analyze = commands.add_parser("analyze", help="analyse a CSV column of texts")
    analyze.add_argument("--input", required=True)
    analyze.add_argument("--text-column", default="text")
    analyze.add_argument("--output", required=True)
    analyze.add_argument("--format", choices=["csv", "jsonl"], default="csv")
    analyze.add_argument("--backend", choices=["auto", "model", "lexicon"], default="auto")
    analyze.set_defaults(run=command_analyze)
    one = commands.add_parser("score-reply", help="score how empathetic one reply is")
    one.add_argument("--message", required=True)
    one.add_argument("--reply", required=True)
    one.set_defaults(run=command_score_reply)
    many = commands.add_parser("score-replies", help="score a CSV of message/reply pairs")
    many.add_argument("--input", required=True)
    many.add_argument("--message-column", default="message")
    many.add_argument("--reply-column", default="reply")
    many.add_argument("--output", required=True)
    many.set_defaults(run=command_score_replies)
    redact = commands.add_parser("redact", help="remove emails, phones, URLs and names")
    redact.add_argument("--text", required=True)
    redact.add_argument("--names", help="comma-separated roster names")
    redact.set_defaults(run=command_redact)
    return root


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        code: int = args.run(args)
    except InputError as error:
        print(f"heard-nlp: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("\nheard-nlp: stopped; no output was written.", file=sys.stderr)
        return 130
    return code

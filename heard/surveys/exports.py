"""CSV and PDF exports of survey results. Both take the `Results` that the results page shows
(`results.survey_results`), so an export can never hold a number the page would hide."""

from __future__ import annotations

import csv
import io
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

from heard.surveys.results import Results, Row

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# A Unicode font for PDFs where the system has one (Debian: fonts-dejavu-core); otherwise
# the PDF's built-in Helvetica, with text folded to the characters it can show.
PDF_FONTS = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf"),
)


def safe_cell(value: object) -> object:
    """A CSV cell a spreadsheet will not run: text starting with = + - @ (or a tab or carriage
    return) gets a leading apostrophe. Numbers stay numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _row_values(row: Row, results: Results) -> list[object]:
    values: list[object] = [row.label]
    if not row.decision.shown:
        values += ["hidden", row.decision.reason]
        return values + [""] * (len(results.dimensions) + 1)
    values += [row.decision.n, ""]
    for dim in results.dimensions:
        cell = row.cells.get(dim.key)
        values.append(cell.favourable if cell is not None and cell.favourable is not None else "")
    values.append(round(row.enps) if row.enps is not None else "")
    return values


def results_csv(results: Results) -> str:
    out = io.StringIO()
    writer = csv.writer(out)

    def write(values: Iterable[object]) -> None:
        writer.writerow([safe_cell(v) for v in values])

    write([f"Results: {results.survey.title}"])
    write([
        f"Scope: {results.scope_label}",
        f"Groups under {results.policy.min_group_size} people are hidden; "
        f"comments need {results.policy.comment_threshold}.",
    ])  # fmt: skip
    write([])
    header = (
        ["group", "n", "hidden because"]
        + [f"{d.label} (favourable %)" for d in results.dimensions]
        + ["eNPS"]
    )
    write(header)
    write(_row_values(results.scope, results))
    for row in results.rows:
        write(_row_values(row, results))
    if results.items:
        write([])
        write(["question", "dimension", "favourable %", "mean", "n"])
        for item in results.items:
            question = item["question"]
            write([question.text, question.dimension, item["favourable"], item["mean"], item["n"]])
    write([])
    if results.comments_decision is not None and results.comments_decision.shown:
        write(["comments (random order, names and contact details removed)"])
        for text in results.comments:
            write([text])
    elif results.comments_decision is not None:
        write(["comments", results.comments_decision.reason])
    return out.getvalue()


def _fold(text: str) -> str:
    """Text that PDF's built-in Helvetica (Latin-1) can show."""
    text = text.translate({0x2018: "'", 0x2019: "'", 0x201C: '"', 0x201D: '"', 0x2013: "-",
                           0x2014: "-", 0x2026: "...", 0x2212: "-"})  # fmt: skip
    folded = unicodedata.normalize("NFKC", text)
    return folded.encode("latin-1", "replace").decode("latin-1")


def results_pdf(results: Results) -> bytes:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    pdf = FPDF(orientation="landscape", format="A4")
    regular, bold = PDF_FONTS
    show: Callable[[str], str] = _fold
    family = "helvetica"
    if regular.exists() and bold.exists():
        pdf.add_font("body", fname=str(regular))
        pdf.add_font("body", style="B", fname=str(bold))
        family, show = "body", str
    pdf.set_auto_page_break(auto=True, margin=12)
    pdf.add_page()
    pdf.set_font(family, size=16)
    pdf.multi_cell(
        0, 8, show(f"Results: {results.survey.title}"), new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    pdf.set_font(family, size=9)
    pdf.multi_cell(
        0,
        5,
        show(
            f"{results.scope_label}. Groups under {results.policy.min_group_size} people are "
            f"hidden; comments need {results.policy.comment_threshold}. Cells are the favourable "
            "share (%)."
        ),
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.ln(2)
    dims = results.dimensions
    with pdf.table(
        col_widths=(40, 10, *(12 for _ in dims), 12),
        text_align="CENTER",
        first_row_as_headings=True,
    ) as table:
        pdf.set_font(family, size=6)
        table.row([show(x) for x in ["Group", "n", *(d.label for d in dims), "eNPS"]])
        for row in [results.scope, *results.rows]:
            if row.decision.shown:
                cells = [row.cells.get(d.key) for d in dims]
                values = [
                    f"{c.favourable}%" if c is not None and c.favourable is not None else "-"
                    for c in cells
                ]
                enps = f"{row.enps:.0f}" if row.enps is not None else "-"
                table.row([show(row.label), str(row.decision.n), *values, enps])
            else:
                line = table.row()
                line.cell(show(row.label))
                line.cell(show(row.decision.reason), colspan=len(dims) + 2)
    if results.comments_decision is not None and results.comments_decision.shown:
        pdf.add_page()
        pdf.set_font(family, size=12)
        pdf.cell(0, 8, show("Comments (random order, names and contact details removed)"),
                 new_x=XPos.LMARGIN, new_y=YPos.NEXT)  # fmt: skip
        pdf.set_font(family, size=9)
        for text in results.comments:
            pdf.multi_cell(0, 5, show("- " + text), new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            pdf.ln(1)
    return bytes(pdf.output())

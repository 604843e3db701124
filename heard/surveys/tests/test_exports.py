"""CSV and PDF exports go through the same engine as the page."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from django.test import Client

from conftest import World
from heard.orgs.models import AuditEvent
from heard.surveys import exports
from heard.surveys.exports import safe_cell
from heard.surveys.tests.helpers import answer_all, open_survey
from tests.factories import make_person, make_team


def _survey(world: World) -> int:
    support = [world.employee] + [make_person(world.org, team=world.team) for _ in range(7)]
    formula = make_team(world.org, '=HYPERLINK("http://evil.example")')
    sneaky = [make_person(world.org, team=formula) for _ in range(6)]
    tiny = make_team(world.org, "Facilities")
    four = [make_person(world.org, team=tiny) for _ in range(4)]
    survey = open_survey(world.org)
    answer_all(survey, support + sneaky + four, comment=lambda p: "-2+3 looks like a formula")
    return survey.pk


def test_it_neutralises_cells_a_spreadsheet_would_run() -> None:
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("+44 20") == "'+44 20"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("-2") == "'-2"
    assert safe_cell(-2) == -2
    assert safe_cell("Support") == "Support"


def test_it_exports_the_same_cells_as_the_page_with_hidden_groups_hidden(
    world: World, admin_client: Client
) -> None:
    survey_id = _survey(world)
    response = admin_client.get(f"/surveys/{survey_id}/results.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    by_group = {row[0]: row for row in rows if row}
    assert by_group["Facilities"][1] == "hidden"
    assert "fewer than 5" in by_group["Facilities"][2]
    assert all(cell == "" for cell in by_group["Facilities"][3:])
    assert '\'=HYPERLINK("http://evil.example")' in by_group
    assert int(by_group["Support"][1]) == 8
    assert not any(row and row[0].startswith(("=", "+", "-", "@")) for row in rows)
    assert AuditEvent.objects.filter(action="survey.results_exported").count() == 1
    # the page shows the same n for Support, and the same hidden reason for Facilities
    page = admin_client.get(f"/surveys/{survey_id}/results/").content.decode()
    heatmap = page.split('class="heatmap"')[1]
    assert "<td>8</td>" in heatmap.split(">Support<")[1].split("</tr>")[0]
    assert "fewer than 5" in heatmap.split(">Facilities<")[1].split("</tr>")[0]


def test_it_exports_a_pdf(world: World, admin_client: Client) -> None:
    survey_id = _survey(world)
    response = admin_client.get(f"/surveys/{survey_id}/results.pdf?by=tenure")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_it_refuses_an_unknown_format_and_another_orgs_survey(
    world: World, admin_client: Client, outsider_client: Client
) -> None:
    survey_id = _survey(world)
    assert admin_client.get(f"/surveys/{survey_id}/results.xlsx").status_code == 404
    assert outsider_client.get(f"/surveys/{survey_id}/results.csv").status_code == 404


def test_it_exports_a_pdf_without_a_unicode_font_on_the_system(
    world: World, admin_client: Client, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(exports, "PDF_FONTS", (tmp_path / "none.ttf", tmp_path / "none-b.ttf"))
    make_team(world.org, "Zo\u00eb\u2019s \u201cteam\u201d \u2013 \u00fcn\u00efcode \u2713")
    survey_id = _survey(world)
    response = admin_client.get(f"/surveys/{survey_id}/results.pdf")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")

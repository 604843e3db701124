"""End to end in a real browser: an admin imports a roster CSV with a bad row, fixes it,
imports it and finds the new people; plus small-screen layout and no third-party requests."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.orgs.demo import DEMO_LOGINS, DEMO_PASSWORD, build_demo
from heard.orgs.models import Person

pytestmark = pytest.mark.browser

HEADER = "Name,Email,Team,Manager email,Start date\n"
ROWS = [
    ("Quilla Marrow", "quilla.marrow@maple.example", "Support", "2026-01-12"),
    ("Rafe Tindall", "rafe.tindall@maple.example", "Research", "2026-02-03"),
    ("Sigrun Halvard", "sigrun.halvard@maple.example", "Research", "2026-03-09"),
    ("Tobiah Wrenfield", "tobiah.wrenfield@maple.example", "Sales", "2026-04-20"),
]
MANAGER = DEMO_LOGINS["manager"]  # Daniel Reyes, who leads Support
BAD_EMAIL = "not-an-email"


def _csv(tmp_path: Path, filename: str, *, bad_row: int | None = None) -> Path:
    lines = [HEADER]
    for index, (name, email, team, start) in enumerate(ROWS):
        email = BAD_EMAIL if index == bad_row else email
        lines.append(f"{name},{email},{team},{MANAGER},{start}\n")
    path = tmp_path / filename
    path.write_text("".join(lines), encoding="utf-8")
    return path


def _sign_in(page: Page, live_server: LiveServer, email: str, password: str) -> None:
    page.goto(live_server.url + reverse("accounts:login"))
    expect(page.get_by_role("heading", name="Sign in to Heard")).to_be_visible()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()


def test_it_lets_an_admin_fix_a_bad_row_and_import_the_roster(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    org = build_demo()
    _sign_in(page, live_server, DEMO_LOGINS["admin"], DEMO_PASSWORD)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Import roster").click()
    expect(page.get_by_role("heading", name="Import your roster")).to_be_visible()

    # The second data row (line 3 of the file: the header is line 1) has a broken email.
    page.get_by_label("Roster file (CSV)").set_input_files(
        _csv(tmp_path, "new-starters.csv", bad_row=1)
    )
    page.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="new-starters.csv")).to_be_visible()
    problems = page.get_by_role("alert")
    expect(problems.get_by_role("heading", name="1 problem to fix")).to_be_visible()
    expect(problems).to_contain_text("Nothing has been imported.")
    bad = problems.get_by_role("row").filter(has_text=BAD_EMAIL)
    expect(bad).to_have_count(1)
    expect(bad.get_by_role("cell").nth(0)).to_have_text("3")
    expect(bad.get_by_role("cell").nth(1)).to_have_text("email")
    expect(bad.get_by_role("cell").nth(3)).to_have_text(
        f"'{BAD_EMAIL}' is not a valid email address."
    )
    expect(page.get_by_text(f"'{BAD_EMAIL}' is not a valid email address.")).to_be_visible()
    assert not Person.objects.filter(email=ROWS[0][1]).exists()

    # Fix it in the "spreadsheet" and upload again from the same page.
    corrected = page.locator("section").filter(
        has=page.get_by_role("heading", name="Upload the corrected file")
    )
    expect(corrected).to_be_visible()
    corrected.get_by_label("Roster file (CSV)").set_input_files(
        _csv(tmp_path, "new-starters-fixed.csv")
    )
    corrected.get_by_role("button", name="Upload and check").click()

    expect(page.get_by_role("heading", name="new-starters-fixed.csv")).to_be_visible()
    expect(page.get_by_role("heading", name="Ready to import")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_text("4 new people")).to_be_visible()
    expect(page.get_by_text("New teams: Research")).to_be_visible()
    page.get_by_role("button", name="Import 4 rows").click()

    expect(page).to_have_url(re.compile(r"/people/$"))
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    expect(page.get_by_text("Roster imported: 4 added, 0 updated, 0 unchanged.")).to_be_visible()

    search = page.get_by_role("search", name="Find people")
    search.get_by_label("Name or email").fill("Rafe Tindall")
    search.get_by_role("button", name="Filter").click()
    expect(page.get_by_text("1 person", exact=True)).to_be_visible()
    found = page.get_by_role("row").filter(has=page.get_by_role("link", name="Rafe Tindall"))
    expect(found).to_have_count(1)
    expect(found).to_contain_text("rafe.tindall@maple.example")
    expect(found.get_by_role("cell").nth(1)).to_have_text("Research")

    search.get_by_label("Name or email").fill("Quilla")
    search.get_by_role("button", name="Filter").click()
    found = page.get_by_role("row").filter(has=page.get_by_role("link", name="Quilla Marrow"))
    expect(found.get_by_role("cell").nth(1)).to_have_text("Support")

    # What the page said is what the database holds.
    imported = {
        p.email: p
        for p in Person.objects.filter(organization=org, email__in=[r[1] for r in ROWS])
        .select_related("team", "manager")
        .order_by("email")
    }
    assert sorted(imported) == sorted(r[1] for r in ROWS)
    for name, email, team, start in ROWS:
        person = imported[email]
        assert person.name == name
        assert person.team is not None
        assert person.team.name == team
        assert person.team.organization_id == org.pk
        assert person.manager is not None
        assert person.manager.email == MANAGER
        assert person.start_date.isoformat() == start
        assert person.is_active
    assert not Person.objects.filter(email=BAD_EMAIL).exists()
    assert Person.objects.filter(organization=org).count() == 64


def test_it_fits_a_small_screen_shows_focus_and_calls_no_other_host(
    page: Page, live_server: LiveServer, tmp_path: Path
) -> None:
    build_demo()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.set_viewport_size({"width": 360, "height": 740})

    page.goto(live_server.url + reverse("accounts:login"))
    expect(page.get_by_label("Email")).to_be_focused()  # autofocus
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password")).to_be_focused()
    outline = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert outline[0] != "none"
    assert outline[1] >= 2, outline

    _sign_in(page, live_server, DEMO_LOGINS["admin"], DEMO_PASSWORD)
    page.goto(live_server.url + reverse("orgs:people_list"))
    expect(page.get_by_role("heading", name="People", exact=True)).to_be_visible()
    expect(page.get_by_text("60 people", exact=True)).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360 + 1, f"the people list is {width}px wide at a 360px viewport"

    page.get_by_role("link", name="Import a roster CSV").click()
    expect(page.get_by_role("heading", name="Import your roster")).to_be_visible()
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 360 + 1, f"the import page is {width}px wide at a 360px viewport"
    page.get_by_label("Roster file (CSV)").set_input_files(_csv(tmp_path, "small.csv", bad_row=2))
    page.get_by_role("button", name="Upload and check").click()
    expect(page.get_by_role("heading", name="1 problem to fix")).to_be_visible()
    page.wait_for_load_state("networkidle")

    # The recording saw the page's own files too, so an empty "foreign" list means something.
    assert any(url.endswith(".css") for url in requested), requested
    assert any(url.endswith(".js") for url in requested), requested
    foreign = [url for url in requested if not url.startswith(live_server.url + "/")]
    assert not foreign, f"requests to other hosts: {foreign}"

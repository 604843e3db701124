"""The people search updates as one types (htmx, under the strict CSP)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.orgs.demo import DEMO_LOGINS, DEMO_PASSWORD, build_demo
from tests.browser.test_roster_import import _sign_in

pytestmark = pytest.mark.browser


def test_it_filters_people_while_typing(page: Page, live_server: LiveServer) -> None:
    build_demo()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    _sign_in(page, live_server, DEMO_LOGINS["admin"], DEMO_PASSWORD)
    page.goto(live_server.url + reverse("orgs:people_list"))
    expect(page.locator("#people-count")).to_have_text("60 people")
    page.get_by_label("Name or email").press_sequentially("priya", delay=30)
    expect(page.locator("#people-count")).to_have_text("1 person")
    expect(page.get_by_role("link", name="Priya Shah")).to_be_visible()
    assert "q=priya" in page.url  # the search is in the address, so it can be shared
    assert errors == []  # no CSP violation or script error

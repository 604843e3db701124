"""End to end in a real browser: the demo's empathy audit results as the admin and as the
Support manager see them (small groups hidden, with the reason), and an employee answering
the open pulse from their link on a phone, with and without JavaScript."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Locator, Page, ViewportSize, expect
from pytest_django.live_server_helper import LiveServer

from heard.orgs.demo import DEMO_LOGINS, DEMO_PASSWORD, MAPLE_TEAMS, build_demo
from heard.orgs.models import Organization, Person
from heard.surveys import services
from heard.surveys.demo import build_survey_demo
from heard.surveys.models import Answer, Response, Status, Survey, SurveyInvitation
from tests.browser.conftest import TIMEOUT_MS
from tests.browser.test_roster_import import _sign_in

pytestmark = pytest.mark.browser

AUDIT = "Empathy audit 2026"
TEAM_NAMES = [spec.name for spec in MAPLE_TEAMS]
ESCALATIONS = "Support escalations"
PHONE: ViewportSize = {"width": 360, "height": 740}
# A colleague on the roster (Sales' manager): the comment names her, the stored one must not.
COLLEAGUE = "Hannah Lindqvist"
COMMENT = f"Thanks to {COLLEAGUE} for covering my queue on Friday, it made the week bearable."


def _demo() -> Organization:
    org = build_demo()
    build_survey_demo(org)
    return org


def _record_requests(page: Page) -> list[str]:
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    return requested


def _assert_only_own_host(requested: list[str], live_server: LiveServer) -> None:
    # The recording saw the page's own stylesheet, so an empty "foreign" list means something.
    assert any(url.endswith(".css") for url in requested), requested
    foreign = [url for url in requested if not url.startswith(live_server.url + "/")]
    assert not foreign, f"requests to other hosts: {foreign}"


def _open_audit_results(page: Page) -> Locator:
    """From the main navigation to the audit's results; returns the heatmap table."""
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Surveys").click()
    expect(page.get_by_role("heading", name="Surveys", exact=True)).to_be_visible()
    audit = page.get_by_role("row").filter(has_text=AUDIT)
    expect(audit).to_have_count(1)
    audit.get_by_role("link", name="Results").click()
    expect(page.get_by_role("heading", name=f"Results: {AUDIT}")).to_be_visible()
    heatmap = page.get_by_role("region", name=re.compile(r"^Heatmap")).get_by_role("table")
    expect(heatmap).to_be_visible()
    return heatmap


def _heatmap_row(heatmap: Locator, label: str) -> Locator:
    return heatmap.get_by_role("row").filter(
        has=heatmap.page.get_by_role("rowheader", name=label, exact=True)
    )


def test_it_shows_the_admin_the_audit_heatmap_with_small_groups_hidden_and_why(
    page: Page, live_server: LiveServer
) -> None:
    _demo()
    requested = _record_requests(page)
    _sign_in(page, live_server, DEMO_LOGINS["admin"], DEMO_PASSWORD)
    heatmap = _open_audit_results(page)

    # Leadership's own four members are too few to show...
    own = _heatmap_row(heatmap, "Leadership: its own members")
    expect(own).to_have_count(1)
    expect(own).to_have_class(re.compile(r"\bsuppressed\b"))
    expect(own.get_by_role("cell")).to_have_text(["Hidden: fewer than 5 responses."])
    # ...and Finance, the smallest team beside them, goes with them: otherwise Leadership
    # minus the shown teams would give those four away.
    finance = _heatmap_row(heatmap, "Finance")
    expect(finance).to_have_count(1)
    expect(finance.get_by_role("cell")).to_have_text(
        [
            "Hidden together with a smaller group, so that the smaller one cannot be worked "
            "out by subtraction."
        ]
    )
    for row in (own, finance):
        assert "%" not in row.inner_text()

    for team in ("Support (with sub-teams)", "Sales", "Operations", "Product"):
        shown = _heatmap_row(heatmap, team)
        expect(shown).to_have_count(1)
        expect(shown).not_to_have_class(re.compile(r"\bsuppressed\b"))
        expect(shown.get_by_role("cell").nth(1)).to_have_text(re.compile(r"^\d+%$"))
    expect(_heatmap_row(heatmap, "Leadership (with sub-teams)")).to_have_count(1)
    # What the comments say arrives after the numbers (htmx), labelled as AI.
    insights = page.locator("#comment-insights")
    expect(insights).to_contain_text("Tone:", timeout=30_000)
    expect(insights.locator(".badge")).to_have_text("AI")

    page.wait_for_load_state("networkidle")
    _assert_only_own_host(requested, live_server)


def test_it_shows_the_support_manager_their_tree_with_the_small_team_hidden_and_why(
    page: Page, live_server: LiveServer
) -> None:
    _demo()
    requested = _record_requests(page)
    _sign_in(page, live_server, DEMO_LOGINS["manager"], DEMO_PASSWORD)
    heatmap = _open_audit_results(page)

    expect(heatmap.get_by_role("rowheader")).to_have_text(
        ["Support (with sub-teams)", "Support: its own members", ESCALATIONS]
    )
    support = _heatmap_row(heatmap, "Support (with sub-teams)")
    expect(support.get_by_role("cell").nth(1)).to_have_text(re.compile(r"^\d+%$"))
    # The team of four is hidden, with the reason in its row and no number.
    small = _heatmap_row(heatmap, ESCALATIONS)
    expect(small).to_have_class(re.compile(r"\bsuppressed\b"))
    expect(small.get_by_role("cell")).to_have_text(["Hidden: fewer than 5 responses."])
    # Support's own members are hidden too: Support minus them would be the four.
    own = _heatmap_row(heatmap, "Support: its own members")
    expect(own.get_by_role("cell")).to_have_text([re.compile(r"^Hidden")])
    text = heatmap.inner_text()
    others = [name for name in TEAM_NAMES if name != "Support" and name in text]
    assert not others, f"the manager's heatmap names other teams: {others}"
    # Nor can another team be picked as the scope.
    scopes = page.get_by_label("Scope").locator("option").all_inner_texts()
    assert scopes == ["Everyone you can see", "Support", ESCALATIONS], scopes

    page.wait_for_load_state("networkidle")
    _assert_only_own_host(requested, live_server)


# --- answering from the link ----------------------------------------------------------------


@pytest.fixture
def phone(browser: Browser, transactional_db: None) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


@pytest.fixture
def phone_without_javascript(browser: Browser, transactional_db: None) -> Iterator[BrowserContext]:
    context = browser.new_context(
        viewport=PHONE, is_mobile=True, has_touch=True, java_script_enabled=False
    )
    context.set_default_timeout(TIMEOUT_MS)
    try:
        yield context
    finally:
        context.close()


def _employee_link(live_server: LiveServer) -> tuple[Survey, SurveyInvitation, str]:
    """Priya's link to the demo's open pulse, on the live server."""
    survey = Survey.objects.get(status=Status.OPEN, template="monthly_pulse")
    invitation = SurveyInvitation.objects.get(survey=survey, person__email=DEMO_LOGINS["employee"])
    assert not invitation.answered
    path = urlsplit(services.link_url(invitation)).path
    assert path == f"/s/{services.link_token(invitation)}/"
    return survey, invitation, live_server.url + path


def _answer_every_required_question(page: Page) -> int:
    """Click a visible answer label in every required question; returns how many."""
    questions = page.locator("fieldset.question")
    answered = 0
    for index in range(questions.count()):
        question = questions.nth(index)
        if "(optional)" in question.locator("legend").inner_text():
            continue
        labels = question.locator("label.choice")
        # Something other than the first option, in the middle of the scale.
        label = labels.nth(labels.count() // 2)
        expect(label).to_be_visible()
        label.click()
        expect(label.locator("input")).to_be_checked()
        answered += 1
    return answered


def _answer_with_a_comment(page: Page, link: str) -> None:
    page.goto(link)
    expect(page.get_by_role("heading", name="Who can see what")).to_be_visible()
    assert _answer_every_required_question(page) >= 5
    comment = page.get_by_role("textbox")
    expect(comment).to_have_count(1)
    comment.fill(COMMENT)
    page.get_by_role("button", name="Send my answers").click()

    preview = page.get_by_role("region", name="This is what will be stored")
    expect(preview).to_be_visible()
    stored = preview.locator("blockquote")
    expect(stored).to_contain_text("[name]")
    expect(stored).to_contain_text("for covering my queue on Friday")
    expect(stored).not_to_contain_text("Hannah")
    expect(stored).not_to_contain_text("Lindqvist")
    preview.get_by_role("button", name="Send my answers").click()

    expect(page.get_by_role("heading", name="Thank you")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/s/[^/]+/thanks/$"))


def _assert_one_new_response_without_the_name(
    survey: Survey, invitation: SurveyInvitation, before: set[uuid.UUID]
) -> None:
    after = set(Response.objects.filter(survey=survey).values_list("id", flat=True))
    assert len(after) == len(before) + 1
    (new,) = after - before
    comments = list(
        Answer.objects.filter(response_id=new).exclude(text="").values_list("text", flat=True)
    )
    assert len(comments) == 1, comments
    assert "Hannah" not in comments[0] and "Lindqvist" not in comments[0], comments[0]
    assert "[name]" in comments[0]
    invitation.refresh_from_db()
    assert invitation.answered


def test_it_lets_an_employee_answer_the_open_pulse_on_a_phone(
    phone: BrowserContext, live_server: LiveServer
) -> None:
    org = _demo()
    assert Person.objects.for_org(org).filter(name=COLLEAGUE).exists()
    survey, invitation, link = _employee_link(live_server)
    before = set(Response.objects.filter(survey=survey).values_list("id", flat=True))
    page = phone.new_page()
    requested = _record_requests(page)

    page.goto(link)
    expect(page.get_by_role("heading", name=survey.title)).to_be_visible()
    note = page.get_by_role("complementary", name="Who can see your answers")
    expect(note).to_be_visible()
    expect(note).to_contain_text("Anonymous.")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the answer page is {width}px wide on a 360px phone"

    _answer_with_a_comment(page, link)
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"the thank-you page is {width}px wide on a 360px phone"
    _assert_one_new_response_without_the_name(survey, invitation, before)

    # The link works once: opening it again says so and stores nothing.
    page.goto(link)
    expect(page.get_by_text("Answers from this link are already in")).to_be_visible()
    assert Response.objects.filter(survey=survey).count() == len(before) + 1
    page.wait_for_load_state("networkidle")
    _assert_only_own_host(requested, live_server)


def test_it_takes_the_answers_without_javascript(
    phone_without_javascript: BrowserContext, live_server: LiveServer
) -> None:
    _demo()
    survey, invitation, link = _employee_link(live_server)
    before = set(Response.objects.filter(survey=survey).values_list("id", flat=True))
    page = phone_without_javascript.new_page()

    _answer_with_a_comment(page, link)
    _assert_one_new_response_without_the_name(survey, invitation, before)

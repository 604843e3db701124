"""End to end in Debian's chromium: an agent works the outreach queue and writes a reply
while the empathy score rises as they acknowledge the customer's feeling."""

from __future__ import annotations

import re

from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from heard.customers.analysis import org_analyse_due
from heard.customers.demo import build_customer_demo
from heard.customers.models import FollowUp
from heard.customers.outreach import follow_ups_generate
from heard.orgs.demo import DEMO_LOGINS, DEMO_PASSWORD, build_demo
from tests.browser.test_roster_import import _sign_in
from tests.browser.test_surveys import _assert_only_own_host, _record_requests


def test_an_agent_reaches_out_to_a_frustrated_customer_and_writes_a_kinder_reply(
    page: Page, live_server: LiveServer
) -> None:
    org = build_demo()
    build_customer_demo(org)
    org_analyse_due(org)
    follow_ups_generate(org)
    frustrated = (
        FollowUp.objects.filter(organization=org, rule__in=["frustration", "negative"])
        .select_related("customer", "item")
        .first()
    )
    assert frustrated is not None
    requested = _record_requests(page)
    _sign_in(page, live_server, DEMO_LOGINS["employee"], DEMO_PASSWORD)

    page.get_by_role("link", name="Customers").click()
    page.get_by_role("link", name="Outreach queue").click()
    expect(page.get_by_role("heading", name="Outreach queue")).to_be_visible()
    card = page.locator("article.follow-up").filter(has_text=str(frustrated.customer))
    expect(card).to_have_count(1)
    expect(card).to_contain_text("Why:")
    card.get_by_role("link", name=str(frustrated.customer)).click()

    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()
    # The message the follow-up is about, in the customer's timeline.
    page.locator("ol.timeline a").filter(has_text=frustrated.item.text[:40]).first.click()
    expect(page.get_by_role("heading", name=re.compile("Reply assistant"))).to_be_visible()
    expect(page.get_by_text("Heard never sends anything")).to_be_visible()

    reply = page.get_by_label("Your reply")
    from heard_nlp.reply import score_reply

    facts = "A replacement ships today and arrives on Friday."
    kind = (
        "I'm so sorry, I can hear how frustrating this has been for you, and that's on us. "
        + facts
        + " Is there anything else I can do to make this right?"
    )
    before = score_reply(frustrated.item.text, facts).score
    after = score_reply(frustrated.item.text, kind).score
    assert after > before + 20, (before, after)
    score = page.locator("#reply-score strong.stat")
    reply.fill(facts)
    expect(score).to_have_text(str(before), timeout=15_000)
    expect(page.locator("#reply-score")).to_contain_text("Acknowledging the feeling: missing")
    # The agent starts again with the customer's feeling, then the facts, then a question.
    reply.fill(kind)
    expect(score).to_have_text(str(after), timeout=15_000)
    expect(page.locator("#reply-score")).to_contain_text("Acknowledging the feeling: present")

    page.wait_for_load_state("networkidle")
    _assert_only_own_host(requested, live_server)

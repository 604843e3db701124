"""Customers, their timeline, an item's analysis, corrections and the reply assistant."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from conftest import World
from heard.customers.analysis import items_analyse, items_due, model_version, org_analyse_due
from heard.customers.models import Customer, Item, LabelCorrection
from heard.customers.tests.helpers import make_item

FURIOUS = (
    "This is the THIRD time I'm writing!! My order is still missing and nobody replies. "
    "Cancel my subscription."
)
HAPPY = "Thank you so much, the new lamp is beautiful and arrived early. Great service!"


def test_it_analyses_items_with_evidence_and_the_model_version(world: World) -> None:
    item = make_item(world.org, FURIOUS)
    assert items_analyse([item]) == 1
    item.refresh_from_db()
    assert item.sentiment == "negative"
    assert item.urgency in ("medium", "high")
    assert any("repeat" in r or "leave" in r or "repeated" in r for r in item.reasons)
    assert item.evidence and all(FURIOUS[e["start"] : e["end"]] == e["text"] for e in item.evidence)
    assert item.model_version == model_version()
    assert not items_due(world.org).exists()


def test_it_analyses_again_when_the_model_changes_and_keeps_corrections(world: World) -> None:
    item = make_item(world.org, FURIOUS)
    org_analyse_due(world.org)
    Item.objects.filter(pk=item.pk).update(
        model_version="lexicon:old", corrected={"sentiment": "neutral"}
    )
    assert list(items_due(world.org)) == [Item.objects.get(pk=item.pk)]
    org_analyse_due(world.org)
    item.refresh_from_db()
    assert item.model_version == model_version()
    assert item.shown_sentiment == "neutral"


def test_it_marks_a_customer_at_risk_when_recent_items_turn_negative(world: World) -> None:
    customer = Customer.objects.create(organization=world.org, key="c-1", name="Dana")
    now = timezone.now()
    make_item(world.org, HAPPY, customer=customer, occurred_at=now - datetime.timedelta(days=20))
    make_item(world.org, FURIOUS, customer=customer, occurred_at=now - datetime.timedelta(days=1))
    org_analyse_due(world.org)
    customer.refresh_from_db()
    assert customer.at_risk and "latest message is negative" in customer.at_risk_reason


def test_it_shows_the_timeline_and_the_analysis_labelled_ai(
    world: World, employee_client: Client
) -> None:
    item = make_item(world.org, FURIOUS)
    org_analyse_due(world.org)
    page = employee_client.get(f"/customers/{item.customer_id}/").content.decode()
    assert "Timeline" in page and "THIRD time" in page and "Negative" in page
    detail = employee_client.get(f"/customers/items/{item.pk}/").content.decode()
    assert '<span class="badge">AI</span>' in detail
    assert "Words behind it" in detail
    assert "Reply assistant" in detail and "Heard never sends anything" in detail
    assert "Acknowledge the feeling" in detail


def test_it_scores_a_draft_reply_live_and_rises_with_acknowledgement(
    world: World, employee_client: Client
) -> None:
    item = make_item(world.org, FURIOUS)
    org_analyse_due(world.org)
    url = f"/customers/items/{item.pk}/score/"
    curt = employee_client.post(
        url, {"reply": "Please see our FAQ."}, headers={"HX-Request": "true"}
    )
    kind = employee_client.post(
        url,
        {
            "reply": "I'm so sorry, I can hear how frustrating it is to write three times and "
            "still have no parcel. That's on us. I've sent a replacement today by express; "
            "you'll have it by Friday. Is there anything else I can do?"
        },
        headers={"HX-Request": "true"},
    )
    assert curt.status_code == kind.status_code == 200
    assert "<html" not in kind.content.decode()

    def score(body: bytes) -> int:
        text = body.decode()
        return int(text.split('<strong class="stat">')[1].split("<")[0])

    assert score(kind.content) > score(curt.content) + 30


def test_it_keeps_a_correction_and_counts_it(world: World, employee_client: Client) -> None:
    item = make_item(world.org, HAPPY)
    org_analyse_due(world.org)
    response = employee_client.post(
        f"/customers/items/{item.pk}/",
        {"action": "correct", "field": "sentiment", "value": "negative"},
    )
    assert response.status_code == 302
    item.refresh_from_db()
    assert item.shown_sentiment == "negative"
    correction = LabelCorrection.objects.get(item=item)
    assert (correction.model_value, correction.corrected_value) == ("positive", "negative")
    assert correction.corrected_by == world.employee


def test_it_records_a_reply_without_sending_anything(world: World, employee_client: Client) -> None:
    from django.core import mail

    item = make_item(world.org, FURIOUS)
    employee_client.post(f"/customers/items/{item.pk}/", {"action": "reply", "reply": "Sorry!"})
    item.refresh_from_db()
    assert item.reply_text == "Sorry!" and item.agent == world.employee
    assert mail.outbox == []


def test_it_lists_customers_at_risk_first(world: World, manager_client: Client) -> None:
    calm = make_item(world.org, HAPPY)
    angry = make_item(world.org, FURIOUS)
    org_analyse_due(world.org)
    page = manager_client.get("/customers/?at_risk=1").content.decode()
    assert str(angry.customer) in page and str(calm.customer) not in page


def test_it_keeps_customer_pages_from_people_who_do_not_work_with_customers(
    world: World, admin_client: Client
) -> None:
    from tests.factories import make_person

    item = make_item(world.org)
    office = make_person(world.org, login=True)  # an employee, not customer-facing
    assert world.client_for(office).get("/customers/").status_code == 404
    assert world.client_for(office).get(f"/customers/items/{item.pk}/").status_code == 404
    assert admin_client.get(f"/customers/items/{item.pk}/").status_code == 200


def test_it_shows_a_recorded_replys_score_to_its_writer_only(
    world: World, employee_client: Client, manager_client: Client
) -> None:
    item = make_item(world.org, FURIOUS)
    employee_client.post(
        f"/customers/items/{item.pk}/",
        {"action": "reply", "reply": "I'm sorry, that's so frustrating. I'll fix it today."},
    )
    own = employee_client.get(f"/customers/items/{item.pk}/").content.decode()
    assert "/ 100 empathy" in own
    other = manager_client.get(f"/customers/items/{item.pk}/").content.decode()
    assert "/ 100 empathy" not in other


def test_the_worker_housekeeping_analyses_and_suggests_follow_ups(world: World) -> None:
    from heard.core.services import housekeeping_run

    make_item(world.org, FURIOUS)
    results = housekeeping_run()
    assert results["heard.customers.analysis.organisations_analyse_due"] == {
        "analysed": 1,
        "themes_found": 0,  # one message: too few to look for themes
        "follow_ups": 1,
    }

"""The outreach queue: rules, follow-ups, outcomes, recovery rate."""

from __future__ import annotations

import datetime

from django.test import Client
from django.utils import timezone

from conftest import World
from heard.customers.analysis import org_analyse_due
from heard.customers.models import Customer, FollowUp, OutreachRule
from heard.customers.outreach import follow_ups_generate, recovery_by_team, rules_for
from heard.customers.tests.helpers import make_item

FURIOUS = "This is UNACCEPTABLE!! Third time I write, my refund is still missing. Awful service."


def test_it_suggests_reaching_out_with_the_evidence(world: World) -> None:
    item = make_item(world.org, FURIOUS)
    org_analyse_due(world.org)
    assert follow_ups_generate(world.org) == 1
    follow_up = FollowUp.objects.get()
    assert follow_up.customer_id == item.customer_id and follow_up.item == item
    assert "refund is still missing" in follow_up.why
    assert follow_up.status == FollowUp.Status.OPEN
    assert follow_ups_generate(world.org) == 0  # one active follow-up per customer


def test_it_suggests_a_less_than_perfect_review(world: World) -> None:
    make_item(
        world.org,
        "It's fine I suppose. The colour was a bit different from the photos.",
        channel="review",
        rating=3,
        rating_scale="stars5",
    )
    org_analyse_due(world.org)
    follow_ups_generate(world.org)
    assert "rated 3/5" in FollowUp.objects.get().why


def test_it_catches_repeated_contact_and_unanswered_tickets(world: World) -> None:
    customer = Customer.objects.create(organization=world.org, key="c-r", name="Rory")
    now = timezone.now()
    for days in (5, 3, 1):
        make_item(
            world.org,
            "Where is my order? Could you check please.",
            customer=customer,
            occurred_at=now - datetime.timedelta(days=days),
            reply_text="We're on it.",
        )
    quiet = make_item(world.org, "Could you tell me the delivery date?")
    quiet.occurred_at = now - datetime.timedelta(hours=60)
    quiet.save(update_fields=["occurred_at"])
    org_analyse_due(world.org)
    follow_ups_generate(world.org, now=now)
    whys: dict[int | None, str] = {f.customer_id: f.why for f in FollowUp.objects.all()}
    assert "3 contacts in 7 days" in whys[customer.pk]
    assert "no reply after 60 hours" in whys[quiet.customer_id]


def test_admins_tune_and_switch_off_rules(world: World, admin_client: Client) -> None:
    make_item(world.org, FURIOUS)
    org_analyse_due(world.org)
    rules_for(world.org)
    data = {}
    for rule in OutreachRule.objects.filter(organization=world.org):
        data[f"{rule.kind}-threshold"] = str(rule.threshold)
        data[f"{rule.kind}-count"] = str(rule.count)
    response = admin_client.post("/customers/outreach/rules/", data)  # every rule off
    assert response.status_code == 302
    assert not OutreachRule.objects.filter(organization=world.org, enabled=True).exists()
    assert not FollowUp.objects.exists()


def test_an_agent_records_the_outcome_and_the_recovery_rate_follows(
    world: World, employee_client: Client
) -> None:
    make_item(world.org, FURIOUS)
    org_analyse_due(world.org)
    follow_ups_generate(world.org)
    follow_up = FollowUp.objects.get()
    page = employee_client.get("/customers/outreach/").content.decode()
    assert "refund is still missing" in page and "Heard sends nothing" in page
    employee_client.post(
        f"/customers/outreach/{follow_up.pk}/",
        {"status": "resolved", "notes": "Called, refunded, happy again"},
    )
    follow_up.refresh_from_db()
    assert follow_up.status == "resolved" and follow_up.closed_at is not None
    assert follow_up.owner == world.employee
    (support,) = recovery_by_team(world.org)
    assert (support.team, support.resolved, support.lost, support.rate) == ("Support", 1, 0, 100)
    # The same evidence does not come back once the follow-up is closed.
    assert follow_ups_generate(world.org) == 0


def test_rules_are_for_admins(world: World, manager_client: Client) -> None:
    assert manager_client.get("/customers/outreach/rules/").status_code == 404

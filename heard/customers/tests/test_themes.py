"""Themes in customers' messages: found by the worker, joined by new messages, explained on
the item, corrected by a person, and moving on the dashboard; and the weekly feelings."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone

from conftest import World
from heard.customers.analysis import main_feeling, org_analyse_due
from heard.customers.dashboard import customer_dashboard
from heard.customers.models import CustomerTheme, Item, LabelCorrection
from heard.customers.services import item_correct
from heard.customers.tests.helpers import make_item
from heard.customers.themes import customer_themes_refresh
from heard.orgs.models import Organization

COURIER = "The courier left my parcel {n} in the rain and the tracking never updated."
REFUND = "I was charged twice for order {n} and the refund still hasn't arrived."
DAY = datetime.timedelta(days=1)


def _corpus(org: Organization, *, courier: int = 20, refund: int = 20, days_ago: int = 3) -> None:
    when = timezone.now() - days_ago * DAY
    for n in range(courier):
        make_item(org, COURIER.format(n=n), occurred_at=when)
    for n in range(refund):
        make_item(org, REFUND.format(n=n), occurred_at=when)


def _themes(org: Organization) -> dict[str, CustomerTheme]:
    found = list(CustomerTheme.objects.for_org(org))
    return {
        word: next(t for t in found if any(word in phrase for phrase in t.key_phrases))
        for word in ("courier", "refund")
    }


def test_the_worker_finds_themes_and_puts_each_message_in_one(world: World) -> None:
    _corpus(world.org)
    make_item(world.org, "Merci beaucoup pour la livraison, tout est parfait.")
    org_analyse_due(world.org, backend="lexicon")
    assert customer_themes_refresh(world.org) == 2
    themes = _themes(world.org)
    assert Item.objects.filter(theme=themes["courier"]).count() == 20
    assert Item.objects.filter(theme=themes["refund"]).count() == 20
    assert Item.objects.get(text__startswith="Merci").theme is None  # not English: no theme
    assert themes["courier"].examples and themes["courier"].sample_size == 40
    # Found a moment ago: not again until a day has passed (or forced).
    assert customer_themes_refresh(world.org) == -1
    later = timezone.now() + 2 * DAY
    assert customer_themes_refresh(world.org, now=later) == 2
    # Another organisation's messages are not read or themed.
    assert not CustomerTheme.objects.for_org(world.other_org).exists()


def test_too_few_messages_give_no_themes(world: World) -> None:
    _corpus(world.org, courier=5, refund=5)
    org_analyse_due(world.org, backend="lexicon")
    assert customer_themes_refresh(world.org) == 0
    assert not CustomerTheme.objects.exists()


def test_messages_analysed_later_join_the_themes(world: World) -> None:
    _corpus(world.org)
    org_analyse_due(world.org, backend="lexicon")
    customer_themes_refresh(world.org)
    late = make_item(world.org, "Where is my parcel? The courier says delivered, it isn't.")
    other = make_item(world.org, "Lovely scarf, thank you.")
    org_analyse_due(world.org, backend="lexicon")
    late.refresh_from_db()
    other.refresh_from_db()
    assert late.theme == _themes(world.org)["courier"]
    assert other.theme is None


def test_a_person_corrects_a_theme_and_it_is_kept_when_themes_are_found_again(
    world: World,
) -> None:
    _corpus(world.org)
    org_analyse_due(world.org, backend="lexicon")
    customer_themes_refresh(world.org)
    themes = _themes(world.org)
    moved = Item.objects.filter(theme=themes["courier"]).first()
    dropped = Item.objects.filter(theme=themes["courier"]).last()
    assert moved is not None and dropped is not None and moved != dropped
    item_correct(item=moved, field="theme", value=str(themes["refund"].pk), by=world.employee)
    item_correct(item=dropped, field="theme", value="none", by=world.employee)
    corrections = LabelCorrection.objects.filter(field="theme").order_by("pk")
    assert [(c.model_value, c.corrected_value) for c in corrections] == [
        (themes["courier"].name, themes["refund"].name),
        (themes["courier"].name, "(no theme)"),
    ]
    customer_themes_refresh(world.org, force=True)  # new rows, same names
    themes = _themes(world.org)
    moved.refresh_from_db()
    dropped.refresh_from_db()
    assert moved.theme == themes["refund"]
    assert dropped.theme is None
    with pytest.raises(ValidationError):
        item_correct(item=moved, field="theme", value="999999", by=world.employee)


def test_another_organisations_theme_cannot_be_chosen(world: World) -> None:
    _corpus(world.org)
    org_analyse_due(world.org, backend="lexicon")
    customer_themes_refresh(world.org)
    theirs = CustomerTheme.objects.create(
        organization=world.other_org, name="theirs", key_phrases=["x"], found_at=timezone.now()
    )
    item = Item.objects.filter(organization=world.org).first()
    assert item is not None
    with pytest.raises(ValidationError):
        item_correct(item=item, field="theme", value=str(theirs.pk), by=world.employee)


def test_the_dashboard_shows_how_themes_move(world: World, manager_client: Client) -> None:
    # The 28 days before: 10 courier, 10 refund. The last 28 days: 20 courier, 2 refund.
    _corpus(world.org, courier=10, refund=10, days_ago=40)
    _corpus(world.org, courier=20, refund=2, days_ago=3)
    org_analyse_due(world.org, backend="lexicon")
    assert customer_themes_refresh(world.org) == 2
    d = customer_dashboard(world.org)
    trends = {t.theme.name: t for t in d.themes}
    courier = trends[_themes(world.org)["courier"].name]
    refund = trends[_themes(world.org)["refund"].name]
    assert (courier.recent, courier.before, courier.recent_share, courier.before_share) == (
        20, 10, 91, 50,
    )  # fmt: skip
    assert (courier.move, courier.change) == ("rising", 41)
    assert (refund.recent, refund.before, refund.move) == (2, 10, "falling")
    assert sum(courier.weekly) == 30  # 12 weeks hold both periods
    page = manager_client.get("/customers/dashboard/").content.decode()
    assert "Top themes and how they move" in page
    assert courier.theme.name in page and "↑ rising" in page and "↓ falling" in page
    assert "+41 pts" in page


def test_the_item_page_says_why_a_message_is_in_its_theme(
    world: World, manager_client: Client
) -> None:
    _corpus(world.org)
    org_analyse_due(world.org, backend="lexicon")
    customer_themes_refresh(world.org)
    item = Item.objects.filter(theme__isnull=False, text__contains="courier").first()
    assert item is not None
    page = manager_client.get(f"/customers/items/{item.pk}/").content.decode()
    assert f"Theme: {item.theme}" in page and "(it mentions “" in page
    refund = _themes(world.org)["refund"]
    response = manager_client.post(
        f"/customers/items/{item.pk}/",
        {"action": "correct", "field": "theme", "value": str(refund.pk)},
    )
    assert response.status_code == 302
    page = manager_client.get(f"/customers/items/{item.pk}/").content.decode()
    assert f"Theme: {refund.name} (chosen by a person)" in page


def test_feelings_by_week(world: World, manager_client: Client) -> None:
    assert main_feeling(("anger", "joy"), {"frustration": 0.9, "joy": 0.6}) == "frustration"
    assert main_feeling(("neutral",), {"frustration": 0.2}) == ""
    make_item(world.org, "This is ridiculous, I am furious and fed up with you!")
    make_item(world.org, "Thank you so much, I'm really grateful for your help!")
    org_analyse_due(world.org)
    feelings = set(Item.objects.values_list("feeling", flat=True))
    assert feelings == {"frustration", "gratitude"}
    week = customer_dashboard(world.org).weeks[-1]
    assert (week.feelings["frustration"], week.feelings["gratitude"]) == (50, 50)
    page = manager_client.get("/customers/dashboard/").content.decode()
    assert "Feelings by week" in page and "feeling-frustration" in page

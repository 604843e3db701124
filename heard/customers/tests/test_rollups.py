"""The dashboard's daily figures: every write marks its day, a marked day is counted again,
and what the dashboard shows is what the items say."""

from __future__ import annotations

import datetime

from django.db.models import Count, Q
from django.test import Client
from django.utils import timezone

from conftest import World
from heard.core.services import housekeeping_run
from heard.customers.analysis import analyse_due_items, org_analyse_due
from heard.customers.dashboard import customer_dashboard
from heard.customers.models import DayFigures, DirtyDay, Item, ReplyDay
from heard.customers.rollups import INLINE_DAYS, days_mark_range, figures_refresh
from heard.customers.services import item_correct, item_record_reply
from heard.customers.tests.helpers import make_item
from heard.orgs.models import Organization

DAY = datetime.timedelta(days=1)


def _live(org: Organization) -> dict[datetime.date, tuple[int, int, int, int]]:
    """Per day, counted from the items: (items, analysed, negative, 1-5 ratings)."""
    out: dict[datetime.date, tuple[int, int, int, int]] = {}
    for item in Item.objects.filter(organization=org):
        day = timezone.localdate(item.occurred_at)
        items, analysed, negative, stars = out.get(day, (0, 0, 0, 0))
        out[day] = (
            items + 1,
            analysed + (item.analysed_at is not None),
            negative + (item.sentiment == "negative"),
            stars + (item.rating_scale == "stars5"),
        )
    return out


def _stored(org: Organization) -> dict[datetime.date, tuple[int, int, int, int]]:
    return {
        f.day: (f.items, f.analysed, f.negative, f.stars)
        for f in DayFigures.objects.filter(organization=org)
    }


def test_the_daily_figures_are_what_the_items_say(world: World) -> None:
    now = timezone.now()
    for n in range(12):
        make_item(world.org, "Broken again, I am furious!", occurred_at=now - n * 3 * DAY)
        make_item(
            world.org,
            "Lovely, thank you.",
            occurred_at=now - n * DAY,
            rating=5,
            rating_scale="stars5",
        )
    make_item(world.other_org, "Awful!", occurred_at=now)
    org_analyse_due(world.org)
    figures_refresh(world.org)
    assert _stored(world.org) == _live(world.org)
    assert not DirtyDay.objects.filter(organization=world.org).exists()
    d = customer_dashboard(world.org)
    assert sum(w.items for w in d.weeks) == 24
    assert (
        sum(w.negative for w in d.weeks)
        == Item.objects.filter(organization=world.org, sentiment="negative").count()
    )
    assert sum(m.csat_n for m in d.months) == 12
    # The other organisation's message is counted for it alone.
    assert not DayFigures.objects.filter(organization=world.other_org).exists()


def test_a_recorded_reply_shows_on_the_next_view(world: World, manager_client: Client) -> None:
    item = make_item(world.org, "URGENT: my account was charged twice, fix it now!")
    org_analyse_due(world.org)
    assert item.pk and Item.objects.get(pk=item.pk).urgency == "high"
    before = customer_dashboard(world.org)
    assert before.urgent_unreplied == 1
    item.refresh_from_db()
    item_record_reply(item=item, text="I'm so sorry, I've refunded it.", by=world.employee)
    assert DirtyDay.objects.filter(organization=world.org).count() == 1
    after = customer_dashboard(world.org)  # counts the one marked day itself
    assert after.urgent_unreplied == 0
    assert ReplyDay.objects.get(organization=world.org).replies == 1
    assert not DirtyDay.objects.exists()


def test_a_correction_marks_its_day(world: World) -> None:
    item = make_item(world.org, "Where is my parcel?")
    org_analyse_due(world.org)
    figures_refresh(world.org)
    item.refresh_from_db()
    item_correct(item=item, field="urgency", value="high", by=world.employee)
    assert DirtyDay.objects.filter(
        organization=world.org, day=timezone.localdate(item.occurred_at)
    ).exists()


def test_many_marked_days_are_left_to_the_worker(world: World, manager_client: Client) -> None:
    now = timezone.now()
    for n in range(INLINE_DAYS + 10):
        make_item(world.org, "Thanks, all good.", occurred_at=now - n * DAY)
    Item.objects.update(analysed_at=now, sentiment="positive", model_version="old")
    days_mark_range(world.org.pk, timezone.localdate() - 60 * DAY, timezone.localdate())
    d = customer_dashboard(world.org)
    assert d.updating and not d.weeks
    page = manager_client.get("/customers/dashboard/").content.decode()
    assert "the worker is counting them again" in page
    # The worker analyses (the model version changed) and counts every marked day.
    analyse_due_items.enqueue(world.org.pk)
    assert not DirtyDay.objects.exists()
    d = customer_dashboard(world.org)
    assert not d.updating and sum(w.items for w in d.weeks) == INLINE_DAYS + 10
    assert _stored(world.org) == _live(world.org)


def test_housekeeping_counts_what_is_left(world: World) -> None:
    make_item(world.org, "Fine.", occurred_at=timezone.now() - 400 * DAY)
    org_analyse_due(world.org)
    days_mark_range(world.org.pk, timezone.localdate() - 400 * DAY, timezone.localdate())
    housekeeping_run()
    assert not DirtyDay.objects.exists()
    assert _stored(world.org) == _live(world.org)


def test_a_day_marked_while_counting_is_counted_next_time(world: World) -> None:
    item = make_item(world.org, "Fine.")
    org_analyse_due(world.org)
    figures_refresh(world.org)
    # A change after counting: the item moves to yesterday and is marked there.
    yesterday = timezone.now() - DAY
    Item.objects.filter(pk=item.pk).update(occurred_at=yesterday)
    days_mark_range(world.org.pk, timezone.localdate(yesterday), timezone.localdate())
    assert figures_refresh(world.org) == 2
    assert _stored(world.org) == _live(world.org)
    counts = DayFigures.objects.filter(organization=world.org).aggregate(
        n=Count("id"), today=Count("id", filter=Q(day=timezone.localdate()))
    )
    assert counts == {"n": 1, "today": 0}

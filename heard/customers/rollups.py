"""The customer dashboard's figures, kept per day so that a view reads a few hundred rows
instead of counting hundreds of thousands of messages.

Whatever changes items (analysis, an import, the API, a recorded reply, a theme found or
corrected) calls `days_mark` with the days it touched. `figures_refresh` counts the marked
days again from the items, in one transaction: the dashboard does it when few days are
marked (a reply, the API's new messages), the worker after analysing (an import of a year of
messages marks a year). Counting again is always from the items themselves, so a figure can
be late, never wrong for long: the worker's hourly housekeeping counts what is left.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from functools import reduce
from operator import or_
from typing import Any

from django.db import transaction
from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone

from heard.customers.models import DayFigures, DirtyDay, Item, ReplyDay, ThemeDay
from heard.orgs.models import Organization
from heard_nlp.labels import GROUPS

INLINE_DAYS = 31  # the dashboard counts at most this many marked days itself
PER_DAY_LIMIT = 60  # more marked days than this are counted as one range


def days_mark(org_id: int, moments: Iterable[datetime.datetime | datetime.date]) -> None:
    """Say that the items of these days (or of these moments' days) changed."""
    days = {timezone.localdate(m) if isinstance(m, datetime.datetime) else m for m in moments}
    if days:
        DirtyDay.objects.bulk_create(
            [DirtyDay(organization_id=org_id, day=day) for day in days], ignore_conflicts=True
        )


def days_mark_range(org_id: int, first: datetime.date, last: datetime.date) -> None:
    days = (last - first).days + 1
    days_mark(org_id, (first + datetime.timedelta(days=n) for n in range(max(days, 0))))


def figures_refresh(org: Organization, *, at_most: int | None = None) -> int:
    """Count the marked days again; returns how many. With `at_most`, do nothing when more
    days than that are marked (the worker will) and return -1."""
    if not DirtyDay.objects.filter(organization=org).exists():
        return 0  # the usual case: no write transaction for a page view
    with transaction.atomic():
        marked = DirtyDay.objects.select_for_update().filter(organization=org)
        days = sorted(set(marked.values_list("day", flat=True)))
        if not days or (at_most is not None and len(days) > at_most):
            return -1 if days else 0
        # Unmarked first, in this transaction, exactly the days counted below: a change
        # committed after this is marked again, so it is counted next time.
        marked.filter(_days(days)).delete()
        _count(org, days)
    return len(days)


def _days(days: list[datetime.date]) -> Q:
    """The rows of these days; more than PER_DAY_LIMIT days: of their whole range."""
    if len(days) > PER_DAY_LIMIT:
        return Q(day__gte=days[0], day__lte=days[-1])
    return Q(day__in=days)


def _window(days: list[datetime.date]) -> Q:
    """The items of these days, as _days counts them."""

    def span(first: datetime.date, last: datetime.date) -> Q:
        start = _midnight(first)
        end = _midnight(last + datetime.timedelta(days=1))
        return Q(occurred_at__gte=start, occurred_at__lt=end)

    if len(days) > PER_DAY_LIMIT:
        return span(days[0], days[-1])
    return reduce(or_, (span(day, day) for day in days))


def _feelings(row: Mapping[str, Any]) -> dict[str, int]:
    return {name: row[f"feeling_{name}"] for name in GROUPS if row[f"feeling_{name}"]}


def _midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time()))


def _count(org: Organization, days: list[datetime.date]) -> None:
    items = (
        Item.objects.filter(organization=org)
        .filter(_window(days))
        .annotate(day=TruncDate("occurred_at"))
    )
    analysed = Q(analysed_at__isnull=False)
    rows = (
        items.values("day")
        .annotate(
            n=Count("id"),
            analysed_n=Count("id", filter=analysed),
            negative=Count("id", filter=analysed & Q(sentiment="negative")),
            positive=Count("id", filter=analysed & Q(sentiment="positive")),
            frustration_sum=Sum("frustration", filter=analysed),
            frustration_n=Count("frustration", filter=analysed),
            stars=Count("id", filter=Q(rating_scale="stars5", rating__isnull=False)),
            happy=Count("id", filter=Q(rating_scale="stars5", rating__gte=4)),
            nps=Count("id", filter=Q(rating_scale="nps10", rating__isnull=False)),
            promoters=Count("id", filter=Q(rating_scale="nps10", rating__gte=9)),
            detractors=Count("id", filter=Q(rating_scale="nps10", rating__lte=6)),
            urgent_unreplied=Count("id", filter=Q(urgency="high", reply_text="")),
            **{f"feeling_{name}": Count("id", filter=Q(feeling=name)) for name in GROUPS},
        )
        .order_by()
    )
    figures = [
        DayFigures(
            organization=org,
            day=r["day"],
            items=r["n"],
            analysed=r["analysed_n"],
            negative=r["negative"],
            positive=r["positive"],
            frustration_sum=r["frustration_sum"] or 0.0,
            frustration_n=r["frustration_n"],
            feelings=_feelings(r),
            stars=r["stars"],
            happy=r["happy"],
            nps=r["nps"],
            promoters=r["promoters"],
            detractors=r["detractors"],
            urgent_unreplied=r["urgent_unreplied"],
        )
        for r in rows
    ]
    themes = [
        ThemeDay(
            organization=org,
            theme_id=r["theme"],
            day=r["day"],
            items=r["n"],
            negative=r["negative"],
        )
        for r in items.filter(analysed, theme__isnull=False)
        .values("day", "theme")
        .annotate(n=Count("id"), negative=Count("id", filter=Q(sentiment="negative")))
        .order_by()
    ]
    replies = [
        ReplyDay(
            organization=org,
            agent_id=r["agent"],
            day=r["day"],
            replies=r["n"],
            empathy_sum=r["total"] or 0.0,
        )
        for r in items.filter(reply_empathy__isnull=False)
        .values("day", "agent")
        .annotate(n=Count("id"), total=Sum("reply_empathy"))
        .order_by()
    ]
    span = _days(days)
    DayFigures.objects.filter(span, organization=org).delete()
    ThemeDay.objects.filter(span, organization=org).delete()
    ReplyDay.objects.filter(span, organization=org).delete()
    DayFigures.objects.bulk_create(figures, batch_size=500)
    ThemeDay.objects.bulk_create(themes, batch_size=500)
    ReplyDay.objects.bulk_create(replies, batch_size=500)

"""Reads for the customer pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Max, Q, QuerySet

from heard.customers.models import Customer, CustomerTheme, Item
from heard.orgs.models import Organization


def customers_list(
    org: Organization, *, query: str = "", at_risk: bool = False
) -> QuerySet[Customer]:
    customers = Customer.objects.for_org(org).annotate(
        item_count=Count("items"),
        negative=Count("items", filter=Q(items__sentiment="negative")),
        latest=Max("items__occurred_at"),
    )
    if query:
        customers = customers.filter(
            Q(name__icontains=query) | Q(email__icontains=query) | Q(key__icontains=query)
        )
    if at_risk:
        customers = customers.filter(at_risk=True)
    return customers.order_by("-at_risk", "-last_contact", "pk")


@dataclass(frozen=True)
class TimelineSummary:
    items: int
    negative: int
    positive: int
    average_rating: float | None
    trend: str  # improving, worsening, steady, or "" with too few analysed items


def customer_timeline(customer: Customer) -> tuple[list[Item], TimelineSummary]:
    items = list(customer.items.select_related("agent").order_by("-occurred_at", "-pk"))
    analysed = [i for i in items if i.analysed_at and i.sentiment_score is not None]
    ratings = [i.rating for i in items if i.rating is not None and i.rating_scale == "stars5"]
    trend = ""
    if len(analysed) >= 4:
        half = len(analysed) // 2
        recent = sum(i.sentiment_score or 0.0 for i in analysed[:half]) / half
        earlier = sum(i.sentiment_score or 0.0 for i in analysed[half:]) / (len(analysed) - half)
        trend = (
            "improving"
            if recent - earlier > 0.2
            else "worsening"
            if earlier - recent > 0.2
            else "steady"
        )
    summary = TimelineSummary(
        items=len(items),
        negative=sum(1 for i in items if i.shown_sentiment == "negative"),
        positive=sum(1 for i in items if i.shown_sentiment == "positive"),
        average_rating=round(sum(ratings) / len(ratings), 1) if ratings else None,
        trend=trend,
    )
    return items, summary


def top_feelings(item: Item, limit: int = 3) -> list[tuple[str, int]]:
    """The item's strongest emotions above their thresholds, as (label, percent)."""
    labels = [label for label in item.emotion_labels if label != "neutral"]
    return [(label, round(100 * float(item.emotions.get(label, 0.0)))) for label in labels[:limit]]


@dataclass(frozen=True)
class ItemTheme:
    theme: CustomerTheme | None
    phrases: tuple[str, ...]  # the key phrases that put it there (none when a person chose)
    corrected: bool  # a person chose the theme (or no theme)


def item_theme(item: Item) -> ItemTheme:
    """An item's theme and why: the theme's key phrases found in its text."""
    corrected = "theme" in item.corrected
    if item.theme is None or corrected:
        return ItemTheme(item.theme, (), corrected)
    from heard_nlp.themes import ThemeMatcher

    hit = ThemeMatcher([item.theme.key_phrases]).match(item.text)
    return ItemTheme(item.theme, hit[1] if hit else (), False)

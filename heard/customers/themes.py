"""Themes in customers' messages: what they write about, and how that moves.

The worker finds the themes (`heard_nlp.themes`) in the latest analysed English messages of
the last 26 weeks, at most once a day (`customer_themes_refresh`), and puts every message of
those weeks into the theme whose key phrases it contains, or none (`heard_nlp.themes.
ThemeMatcher`). Messages analysed later are put into a theme as they are analysed. Themes are
an AI reading: the dashboard labels them so, the item page says which key phrases put a
message in its theme, and a person can move a message to another theme or to none; that
correction is kept when the themes are found again, as long as a theme of that name is found.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db import transaction
from django.db.models import Max, QuerySet
from django.utils import timezone

from heard.customers.dashboard import WEEKS
from heard.customers.models import CustomerTheme, Item
from heard.customers.rollups import days_mark_range, figures_refresh
from heard.orgs.models import Organization

WINDOW = datetime.timedelta(weeks=WEEKS)  # the dashboard's weeks
SAMPLE = 3000  # the latest messages the search reads
MIN_MESSAGES = 30  # fewer English messages than this: no themes
MAX_THEMES = 8
REFRESH_AFTER = datetime.timedelta(days=1)
ASSIGN_CHUNK = 2000  # messages read, matched and updated per transaction


def themes_stale(org: Organization, *, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    latest = CustomerTheme.objects.for_org(org).aggregate(latest=Max("found_at"))["latest"]
    return latest is None or now - latest >= REFRESH_AFTER


def customer_themes_refresh(
    org: Organization, *, now: datetime.datetime | None = None, force: bool = False
) -> int:
    """Find the themes again when the last search is a day old (or `force`); returns how
    many themes there are now, or -1 when it was not time yet."""
    now = now or timezone.now()
    if not force and not themes_stale(org, now=now):
        return -1
    from heard_nlp.themes import themes

    recent = Item.objects.for_org(org).filter(
        occurred_at__gte=now - WINDOW, analysed_at__isnull=False
    )
    texts = list(
        recent.filter(language="en", not_analysed_reason="")
        .order_by("-occurred_at", "-pk")
        .values_list("text", flat=True)[:SAMPLE]
    )
    found = (
        themes(texts, max_themes=MAX_THEMES, min_size=max(5, len(texts) // 100))
        if len(texts) >= MIN_MESSAGES
        else []
    )
    with transaction.atomic():
        Item.objects.for_org(org).filter(theme__isnull=False).update(theme=None)
        CustomerTheme.objects.for_org(org).delete()
        rows = CustomerTheme.objects.bulk_create(
            CustomerTheme(
                organization=org,
                name=theme.name,
                key_phrases=list(theme.key_phrases),
                examples=list(theme.representatives[:3]),
                position=position,
                sample_size=len(texts),
                found_at=now,
            )
            for position, theme in enumerate(found)
        )
    # Messages join their theme a chunk at a time, each chunk committed on its own, so that
    # a large organisation's search never holds the database's write lock for long.
    if rows:
        _assign(recent, list(CustomerTheme.objects.for_org(org)))
    days_mark_range(org.pk, timezone.localdate(now - WINDOW), timezone.localdate(now))
    figures_refresh(org)  # the themes' daily counts, for the dashboard
    return len(rows)


def items_assign_themes(items: Sequence[Item]) -> None:
    """Put newly analysed items into their organisation's current themes (saved)."""
    by_org: dict[int, list[Item]] = {}
    for item in items:
        by_org.setdefault(item.organization_id, []).append(item)
    for org_id, mine in by_org.items():
        themes = list(CustomerTheme.objects.filter(organization_id=org_id))
        if themes:
            _assign(Item.objects.filter(pk__in=[i.pk for i in mine]), themes)


def _assign(items: QuerySet[Item], themes: list[CustomerTheme]) -> None:
    from heard_nlp.themes import ThemeMatcher

    matcher = ThemeMatcher([t.key_phrases for t in themes])
    by_name = {t.name: t for t in themes}
    last = 0
    while True:
        rows = list(
            items.filter(pk__gt=last)
            .order_by("pk")
            .values_list("pk", "text", "language", "corrected")[:ASSIGN_CHUNK]
        )
        if not rows:
            return
        last = rows[-1][0]
        chosen: dict[int, list[int]] = {}
        for pk, text, language, corrected in rows:
            if "theme" in corrected:  # a person's choice wins (a name, or "" for none)
                theme = by_name.get(corrected["theme"])
            elif language != "en":
                continue
            else:
                hit = matcher.match(text)
                theme = themes[hit[0]] if hit else None
            if theme is not None:
                chosen.setdefault(theme.pk, []).append(pk)
        with transaction.atomic():
            for theme_pk, pks in chosen.items():
                Item.objects.filter(pk__in=pks).update(theme_id=theme_pk)

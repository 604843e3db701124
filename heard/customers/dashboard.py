"""The customer dashboard's figures, by SQL aggregates (weeks, months, teams), so the page
stays fast on hundreds of thousands of items. Reply empathy is shown by team only, and only
for teams with at least k (the organisation's minimum group size) agents who replied."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from heard.customers.models import FollowUp, Item
from heard.customers.outreach import Recovery, recovery_by_team
from heard.orgs.models import Organization

WEEKS = 26


@dataclass(frozen=True)
class Week:
    start: datetime.date
    items: int
    negative: int
    positive: int
    frustration: float | None  # mean, 0..1

    @property
    def negative_share(self) -> int:
        return round(100 * self.negative / self.items) if self.items else 0


@dataclass(frozen=True)
class Month:
    start: datetime.date
    csat: int | None  # % of star ratings that are 4 or 5
    csat_n: int
    nps: int | None  # % promoters - % detractors
    nps_n: int


@dataclass(frozen=True)
class TeamEmpathy:
    team: str
    agents: int
    replies: int
    mean: int | None  # None when hidden (fewer than k agents)


@dataclass
class Dashboard:
    weeks: list[Week]
    months: list[Month]
    attention: int
    urgent_unreplied: int
    recovery: list[Recovery]
    empathy: list[TeamEmpathy]
    min_agents: int
    languages_not_analysed: int = 0
    chart: dict[str, str] = field(default_factory=dict)


def customer_dashboard(org: Organization, *, today: datetime.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    since = timezone.make_aware(
        datetime.datetime.combine(today - datetime.timedelta(weeks=WEEKS), datetime.time())
    )
    items = Item.objects.for_org(org).filter(occurred_at__gte=since)
    weekly = (
        items.filter(analysed_at__isnull=False)
        .annotate(week=TruncWeek("occurred_at"))
        .values("week")
        .annotate(
            n=Count("id"),
            negative=Count("id", filter=Q(sentiment="negative")),
            positive=Count("id", filter=Q(sentiment="positive")),
            frustration=Avg("frustration"),
        )
        .order_by("week")
    )
    weeks = [
        Week(_day(r["week"]), r["n"], r["negative"], r["positive"], r["frustration"])
        for r in weekly
    ]
    monthly = (
        items.exclude(rating=None)
        .annotate(month=TruncMonth("occurred_at"))
        .values("month")
        .annotate(
            stars=Count("id", filter=Q(rating_scale="stars5")),
            happy=Count("id", filter=Q(rating_scale="stars5", rating__gte=4)),
            nps=Count("id", filter=Q(rating_scale="nps10")),
            promoters=Count("id", filter=Q(rating_scale="nps10", rating__gte=9)),
            detractors=Count("id", filter=Q(rating_scale="nps10", rating__lte=6)),
        )
        .order_by("month")
    )
    months = [
        Month(
            _day(r["month"]),
            round(100 * r["happy"] / r["stars"]) if r["stars"] else None,
            r["stars"],
            round(100 * (r["promoters"] - r["detractors"]) / r["nps"]) if r["nps"] else None,
            r["nps"],
        )
        for r in monthly
    ]
    k = org.min_group_size
    by_team = (
        items.exclude(reply_empathy=None)
        .values("agent__team__name")
        .annotate(
            agents=Count("agent", distinct=True), replies=Count("id"), mean=Avg("reply_empathy")
        )
        .order_by("agent__team__name")
    )
    empathy = [
        TeamEmpathy(
            r["agent__team__name"] or "No team",
            r["agents"],
            r["replies"],
            round(r["mean"]) if r["agents"] >= k and r["mean"] is not None else None,
        )
        for r in by_team
    ]
    dashboard = Dashboard(
        weeks=weeks,
        months=months,
        attention=FollowUp.objects.for_org(org).filter(status__in=FollowUp.ACTIVE).count(),
        urgent_unreplied=items.filter(urgency="high", reply_text="").count(),
        recovery=recovery_by_team(org),
        empathy=empathy,
        min_agents=k,
    )
    dashboard.chart = {
        "negative": chart_points([w.negative_share for w in weeks]),
        "frustration": chart_points([round(100 * (w.frustration or 0)) for w in weeks]),
    }
    return dashboard


def _day(value: datetime.datetime | datetime.date) -> datetime.date:
    return value.date() if isinstance(value, datetime.datetime) else value


CHART_WIDTH, CHART_HEIGHT = 520, 120


def chart_points(values: list[int]) -> str:
    """SVG polyline points for values 0..100, drawn by Heard's own template (no chart library
    from another site); the same numbers are in a table beside the chart."""
    if not values:
        return ""
    step = CHART_WIDTH / max(len(values) - 1, 1)
    return " ".join(
        f"{round(i * step, 1)},{round(CHART_HEIGHT - v * CHART_HEIGHT / 100, 1)}"
        for i, v in enumerate(values)
    )

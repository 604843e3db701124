"""The customer dashboard's figures, from the daily figures kept by heard.customers.rollups
(a few hundred rows, whatever the number of messages). Reply empathy is shown by team only, and only
for teams with at least k (the organisation's minimum group size) agents who replied."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Sum
from django.utils import timezone

from heard.customers import rollups
from heard.customers.models import CustomerTheme, DayFigures, FollowUp, ReplyDay, ThemeDay
from heard.customers.outreach import Recovery, recovery_by_team
from heard.orgs.models import Organization
from heard_nlp.labels import GROUPS

WEEKS = 26


@dataclass(frozen=True)
class Week:
    start: datetime.date
    items: int
    negative: int
    positive: int
    frustration: float | None  # mean, 0..1
    feelings: dict[str, int] = field(default_factory=dict)  # group -> % of the week's items

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


THEME_PERIOD = datetime.timedelta(days=28)
THEME_WEEKS = 12
MOVE_POINTS = 3  # a change of share smaller than this many points is "steady"
MIN_TO_COMPARE = 10  # fewer messages than this in both periods together: too few to say


@dataclass(frozen=True)
class ThemeTrend:
    """One theme's messages in the last 28 days against the 28 days before."""

    theme: CustomerTheme
    recent: int
    before: int
    recent_share: int  # % of all analysed messages in the period
    before_share: int
    negative: int  # of the recent ones, read as negative
    weekly: list[int]  # messages a week, the last 12 weeks, oldest first
    chart: str = ""

    @property
    def move(self) -> str:
        if self.recent + self.before < MIN_TO_COMPARE:
            return "too few to say"
        if self.before == 0:
            return "new"
        if self.change >= MOVE_POINTS:
            return "rising"
        return "falling" if -self.change >= MOVE_POINTS else "steady"

    @property
    def change(self) -> int:
        return self.recent_share - self.before_share

    @property
    def negative_share(self) -> int:
        return round(100 * self.negative / self.recent) if self.recent else 0


@dataclass
class Dashboard:
    weeks: list[Week]
    months: list[Month]
    attention: int
    urgent_unreplied: int
    recovery: list[Recovery]
    empathy: list[TeamEmpathy]
    min_agents: int
    themes: list[ThemeTrend] = field(default_factory=list)
    themes_found_at: datetime.datetime | None = None
    themes_sample: int = 0
    updating: bool = False  # many days changed: the worker is counting them again
    chart: dict[str, str] = field(default_factory=dict)


def customer_dashboard(org: Organization, *, today: datetime.date | None = None) -> Dashboard:
    today = today or timezone.localdate()
    first = today - datetime.timedelta(weeks=WEEKS)
    updating = rollups.figures_refresh(org, at_most=rollups.INLINE_DAYS) < 0
    days = list(DayFigures.objects.filter(organization=org, day__gte=first).order_by("day"))
    by_week: dict[datetime.date, list[DayFigures]] = {}
    by_month: dict[datetime.date, list[DayFigures]] = {}
    for day in days:
        by_week.setdefault(day.day - datetime.timedelta(days=day.day.weekday()), []).append(day)
        if day.stars or day.nps:
            by_month.setdefault(day.day.replace(day=1), []).append(day)
    weeks = [_week(start, group) for start, group in by_week.items()]
    weeks = [week for week in weeks if week.items]
    months = [_month(start, group) for start, group in by_month.items()]
    dashboard = Dashboard(
        weeks=weeks,
        months=months,
        attention=FollowUp.objects.for_org(org).filter(status__in=FollowUp.ACTIVE).count(),
        urgent_unreplied=sum(day.urgent_unreplied for day in days),
        recovery=recovery_by_team(org),
        empathy=_empathy(org, first),
        min_agents=org.min_group_size,
        updating=updating,
    )
    themes = list(CustomerTheme.objects.for_org(org))
    if themes:
        dashboard.themes = theme_trends(org, themes, today=today, days=days)
        dashboard.themes_found_at = themes[0].found_at
        dashboard.themes_sample = themes[0].sample_size
    dashboard.chart = {
        "negative": chart_points([w.negative_share for w in weeks]),
        "frustration": chart_points([round(100 * (w.frustration or 0)) for w in weeks]),
        **{
            f"feeling_{name}": chart_points([w.feelings.get(name, 0) for w in weeks])
            for name in GROUPS
        },
    }
    return dashboard


def _week(start: datetime.date, days: list[DayFigures]) -> Week:
    analysed = sum(d.analysed for d in days)
    frustration_n = sum(d.frustration_n for d in days)
    feelings = {
        name: round(100 * sum(d.feelings.get(name, 0) for d in days) / analysed) if analysed else 0
        for name in GROUPS
    }
    return Week(
        start,
        analysed,
        sum(d.negative for d in days),
        sum(d.positive for d in days),
        sum(d.frustration_sum for d in days) / frustration_n if frustration_n else None,
        feelings,
    )


def _month(start: datetime.date, days: list[DayFigures]) -> Month:
    stars, happy = sum(d.stars for d in days), sum(d.happy for d in days)
    nps = sum(d.nps for d in days)
    promoters, detractors = sum(d.promoters for d in days), sum(d.detractors for d in days)
    return Month(
        start,
        round(100 * happy / stars) if stars else None,
        stars,
        round(100 * (promoters - detractors) / nps) if nps else None,
        nps,
    )


def _empathy(org: Organization, first: datetime.date) -> list[TeamEmpathy]:
    """Mean reply empathy by the agents' (current) team, hidden for teams with fewer than k
    agents who replied. Never per agent."""
    k = org.min_group_size
    rows = (
        ReplyDay.objects.filter(organization=org, day__gte=first)
        .values("agent__team__name")
        .annotate(
            agents=Count("agent", distinct=True), replies=Sum("replies"), total=Sum("empathy_sum")
        )
        .order_by("agent__team__name")
    )
    return [
        TeamEmpathy(
            r["agent__team__name"] or "No team",
            r["agents"],
            r["replies"],
            round(r["total"] / r["replies"]) if r["agents"] >= k and r["replies"] else None,
        )
        for r in rows
    ]


def theme_trends(
    org: Organization,
    themes: list[CustomerTheme],
    *,
    today: datetime.date,
    days: list[DayFigures],
) -> list[ThemeTrend]:
    """Each theme's messages in the last 28 days and the 28 before (and its share of all
    analysed messages then), biggest now first, with its messages a week for 12 weeks."""
    middle = today - THEME_PERIOD + datetime.timedelta(days=1)  # the last 28 days from here
    start = middle - THEME_PERIOD
    total_recent = sum(d.analysed for d in days if d.day >= middle)
    total_before = sum(d.analysed for d in days if start <= d.day < middle)
    first_week = today - datetime.timedelta(days=today.weekday(), weeks=THEME_WEEKS - 1)
    since = min(first_week, start)
    recent: dict[int, int] = {}
    before: dict[int, int] = {}
    negative: dict[int, int] = {}
    weekly: dict[tuple[int, datetime.date], int] = {}
    for row in ThemeDay.objects.filter(organization=org, day__gte=since).values_list(
        "theme_id", "day", "items", "negative"
    ):
        theme_id, day, items, bad = row
        if day >= middle:
            recent[theme_id] = recent.get(theme_id, 0) + items
            negative[theme_id] = negative.get(theme_id, 0) + bad
        elif day >= start:
            before[theme_id] = before.get(theme_id, 0) + items
        if day >= first_week:
            week = (theme_id, day - datetime.timedelta(days=day.weekday()))
            weekly[week] = weekly.get(week, 0) + items
    week_starts = [first_week + datetime.timedelta(weeks=w) for w in range(THEME_WEEKS)]
    trends = []
    for theme in themes:
        counts = [weekly.get((theme.pk, day), 0) for day in week_starts]
        top = max(counts) or 1
        now, then = recent.get(theme.pk, 0), before.get(theme.pk, 0)
        trends.append(
            ThemeTrend(
                theme=theme,
                recent=now,
                before=then,
                recent_share=round(100 * now / total_recent) if total_recent else 0,
                before_share=round(100 * then / total_before) if total_before else 0,
                negative=negative.get(theme.pk, 0),
                weekly=counts,
                chart=chart_points([round(100 * c / top) for c in counts], width=120, height=24),
            )
        )
    trends.sort(key=lambda t: (-t.recent, t.theme.position))
    return trends


CHART_WIDTH, CHART_HEIGHT = 520, 120


def chart_points(values: list[int], *, width: int = CHART_WIDTH, height: int = CHART_HEIGHT) -> str:
    """SVG polyline points for values 0..100, drawn by Heard's own template (no chart library
    from another site); the same numbers are in a table beside the chart."""
    if not values:
        return ""
    step = width / max(len(values) - 1, 1)
    return " ".join(
        f"{round(i * step, 1)},{round(height - v * height / 100, 1)}" for i, v in enumerate(values)
    )

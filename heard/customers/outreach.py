"""The proactive outreach queue: rules find customers to reach out to, with the evidence;
people decide, contact the customer themselves and record what came of it.

Rules (each on or off, thresholds tuned by admins):
- strongly negative: an item's sentiment score at or below -threshold (default 0.6), or a
  person corrected it to negative, or it is negative with medium or high urgency (repeated
  contact, a threat to leave, a deadline, money lost...);
- frustration: an item's frustration (the strongest of annoyance, anger, disapproval,
  disappointment) at or above threshold (default 0.6);
- repeated contact: `count` items (default 3) from one customer within `threshold` days (7);
- low rating: a star rating at or below threshold (default 3, "less than perfect"), or an
  NPS answer of 6 or less;
- no reply: a ticket with no recorded reply after `threshold` hours (default 48).
Only items of the last 30 days count. A customer has at most one open follow-up at a time.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.utils import timezone

from heard.customers.models import FollowUp, Item, OutreachRule, RuleKind
from heard.orgs.models import Organization, Person

LOOKBACK_DAYS = 30
DEFAULTS: dict[str, tuple[float, int]] = {
    RuleKind.STRONGLY_NEGATIVE: (0.6, 0),
    RuleKind.FRUSTRATION: (0.6, 0),
    RuleKind.REPEAT_CONTACT: (7, 3),
    RuleKind.LOW_RATING: (3, 0),
    RuleKind.NO_REPLY: (48, 0),
}


def rules_for(org: Organization) -> dict[str, OutreachRule]:
    """The organisation's rules, created with their defaults the first time."""
    existing = {r.kind: r for r in OutreachRule.objects.for_org(org)}
    for kind, (threshold, count) in DEFAULTS.items():
        if kind not in existing:
            existing[kind], _ = OutreachRule.objects.get_or_create(
                organization=org, kind=kind, defaults={"threshold": threshold, "count": count}
            )
    return existing


def _why(rule: OutreachRule, item: Item, extra: str = "") -> str:
    quote = item.text if len(item.text) <= 90 else item.text[:87] + "..."
    negative = (
        f"strongly negative message (sentiment {item.sentiment_score:+.2f})"
        if item.sentiment_score is not None and "sentiment" not in item.corrected
        else "message marked negative"
    )
    reasons = {
        RuleKind.STRONGLY_NEGATIVE: extra or negative,
        RuleKind.FRUSTRATION: f"frustration {round(100 * (item.frustration or 0))}%",
        RuleKind.REPEAT_CONTACT: extra,
        RuleKind.LOW_RATING: f"rated {item.rating}"
        + ("/5" if item.rating_scale == "stars5" else "/10"),
        RuleKind.NO_REPLY: extra,
    }
    return f"{reasons[RuleKind(rule.kind)]}: “{quote}”"[:300]


@dataclass(frozen=True)
class Match:
    item: Item
    rule: OutreachRule
    why: str


def _matches(org: Organization, now: datetime.datetime) -> list[Match]:
    rules = {k: r for k, r in rules_for(org).items() if r.enabled}
    since = now - datetime.timedelta(days=LOOKBACK_DAYS)
    recent = list(
        Item.objects.for_org(org)
        .filter(occurred_at__gte=since, customer__isnull=False)
        .order_by("-occurred_at")
    )
    found: list[Match] = []
    by_customer: dict[int, list[Item]] = defaultdict(list)
    for item in recent:
        assert item.customer_id is not None
        by_customer[item.customer_id].append(item)
        rule = rules.get(RuleKind.STRONGLY_NEGATIVE)
        if rule and (
            item.corrected.get("sentiment") == "negative"
            or (
                "sentiment" not in item.corrected
                and item.sentiment_score is not None
                and item.sentiment_score <= -rule.threshold
            )
        ):
            found.append(Match(item, rule, _why(rule, item)))
            continue
        if rule and item.shown_sentiment == "negative" and item.urgency in ("medium", "high"):
            reasons = "; ".join(r for r in item.reasons[:2]) or "urgent"
            found.append(Match(item, rule, _why(rule, item, f"negative and pressing ({reasons})")))
            continue
        rule = rules.get(RuleKind.FRUSTRATION)
        if rule and item.frustration is not None and item.frustration >= rule.threshold:
            found.append(Match(item, rule, _why(rule, item)))
            continue
        rule = rules.get(RuleKind.LOW_RATING)
        if (
            rule
            and item.rating is not None
            and (
                (item.rating_scale == "stars5" and item.rating <= rule.threshold)
                or (item.rating_scale == "nps10" and item.rating <= 6)
            )
        ):
            found.append(Match(item, rule, _why(rule, item)))
            continue
        rule = rules.get(RuleKind.NO_REPLY)
        if (
            rule
            and item.channel == "ticket"
            and not item.reply_text
            and now - item.occurred_at >= datetime.timedelta(hours=rule.threshold)
        ):
            hours = int((now - item.occurred_at).total_seconds() // 3600)
            found.append(Match(item, rule, _why(rule, item, f"no reply after {hours} hours")))
    rule = rules.get(RuleKind.REPEAT_CONTACT)
    if rule:
        window = datetime.timedelta(days=rule.threshold)
        for items in by_customer.values():
            latest = items[0]
            within = [i for i in items if latest.occurred_at - i.occurred_at <= window]
            if len(within) >= rule.count:
                extra = f"{len(within)} contacts in {int(rule.threshold)} days"
                found.append(Match(latest, rule, _why(rule, latest, extra)))
    return found


def follow_ups_generate(org: Organization, *, now: datetime.datetime | None = None) -> int:
    """Create follow-ups for customers a rule picks out, one active per customer, the most
    recent evidence first. Customers whose last follow-up was closed after the evidence are
    left alone. Returns how many were created."""
    now = now or timezone.now()
    active = set(
        FollowUp.objects.for_org(org)
        .filter(status__in=FollowUp.ACTIVE)
        .values_list("customer_id", flat=True)
    )
    closed_after: dict[int, datetime.datetime] = {}
    closed = FollowUp.objects.for_org(org).filter(closed_at__isnull=False)
    for closed_customer, closed_at in closed.values_list("customer_id", "closed_at"):
        if closed_at is not None:
            previous = closed_after.get(closed_customer, closed_at)
            closed_after[closed_customer] = max(closed_at, previous)
    created = 0
    for match in sorted(_matches(org, now), key=lambda m: m.item.occurred_at, reverse=True):
        customer_id = match.item.customer_id
        if customer_id is None or customer_id in active:
            continue
        if customer_id in closed_after and closed_after[customer_id] >= match.item.occurred_at:
            continue
        urgent = match.item.urgency == "high" or match.rule.kind == RuleKind.STRONGLY_NEGATIVE
        try:
            with transaction.atomic():
                FollowUp.objects.create(
                    organization=org,
                    customer_id=customer_id,
                    item=match.item,
                    rule=match.rule.kind,
                    why=match.why,
                    owner=match.item.agent,
                    due_on=(now + datetime.timedelta(days=1 if urgent else 3)).date(),
                )
        except IntegrityError:  # another run created it first
            pass
        else:
            created += 1
        active.add(customer_id)
    if created:
        from heard.customers.webhooks import notify_new_follow_ups

        transaction.on_commit(lambda: notify_new_follow_ups(org))
    return created


def follow_up_update(
    *, follow_up: FollowUp, status: str, notes: str, owner: Person | None, by: Person
) -> FollowUp:
    if status not in FollowUp.Status.values:
        status = follow_up.status
    if owner is not None and owner.organization_id != follow_up.organization_id:
        owner = None
    follow_up.status = status
    follow_up.notes = notes.strip()
    follow_up.owner = owner or follow_up.owner or by
    closed = status in FollowUp.CLOSED
    follow_up.closed_at = (follow_up.closed_at or timezone.now()) if closed else None
    follow_up.save(update_fields=["status", "notes", "owner", "closed_at"])
    return follow_up


@dataclass(frozen=True)
class Recovery:
    team: str
    resolved: int
    lost: int

    @property
    def rate(self) -> int | None:
        total = self.resolved + self.lost
        return round(100 * self.resolved / total) if total else None


def recovery_by_team(org: Organization) -> list[Recovery]:
    """Recovered share of closed follow-ups, by the owner's team (aggregate, per team)."""
    rows = (
        FollowUp.objects.for_org(org)
        .filter(status__in=FollowUp.CLOSED)
        .values("owner__team__name")
        .annotate(
            resolved=Count("id", filter=Q(status=FollowUp.Status.RESOLVED)),
            lost=Count("id", filter=Q(status=FollowUp.Status.NOT_RECOVERED)),
        )
        .order_by("owner__team__name")
    )
    return [Recovery(r["owner__team__name"] or "No team", r["resolved"], r["lost"]) for r in rows]

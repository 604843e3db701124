"""Customer items read by heard_nlp, one by one (customer texts may be; employees' comments
are only ever analysed in aggregate, see heard.surveys.insights).

Each item stores the analysis with the version of the models that made it; `items_due` finds
items never analysed or analysed by another version, so a model update re-reads them. A
person's corrections (`Item.corrected`) are kept across re-analysis."""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from heard.core.tasks import heard_task
from heard.customers.models import Customer, Item
from heard.orgs.models import Organization

if TYPE_CHECKING:
    from heard_nlp.analyze import BackendName

BATCH = 200
MAX_REPLY_CHARS = 20_000  # the longest reply recorded or scored
AT_RISK_RECENT_DAYS = 90  # older trouble is history, not risk


@functools.cache
def model_version() -> str:
    """Which models analyse items here: the backend and a fingerprint of the files it uses.
    A change of either makes every item due for re-analysis."""
    from heard_nlp.analyze import model_status

    available, _ = model_status()
    import heard_nlp

    folder = Path(heard_nlp.__path__[0]) / "models"
    files = ["heads.npz", "heads.json"] if available else ["emotion_lexicon.npz"]
    digest = hashlib.sha256()
    for name in files:
        path = folder / name
        if path.exists():
            digest.update(path.read_bytes())
    return f"{'model' if available else 'lexicon'}:{digest.hexdigest()[:12]}"


def items_due(org: Organization) -> QuerySet[Item]:
    return Item.objects.for_org(org).filter(
        Q(analysed_at__isnull=True) | ~Q(model_version=model_version())
    )


def items_analyse(items: Sequence[Item], *, backend: BackendName = "auto") -> int:
    """Analyse and save `items`. Returns how many were saved. `backend` "auto" is the
    model where its files are present, else the lexicon (see docs/text-analysis.md)."""
    from heard_nlp.analyze import analyze

    if not items:
        return 0
    from heard_nlp.reply import score_reply

    results = analyze([item.text for item in items], backend=backend, explain=True)
    now = timezone.now()
    version = model_version()
    for item, result in zip(items, results, strict=True):
        if item.reply_text:
            item.reply_empathy = score_reply(item.text, item.reply_text[:MAX_REPLY_CHARS]).score
        item.analysed_at = now
        item.model_version = version
        item.language = result.language or ""
        item.not_analysed_reason = "" if result.analysed else result.reason
        if not result.analysed or result.sentiment is None or result.emotions is None:
            item.sentiment, item.sentiment_score, item.emotions = "", None, {}
            item.emotion_labels, item.frustration = [], None
            item.urgency, item.urgency_score, item.intensity = "", None, ""
            item.reasons, item.evidence = [], []
            continue
        item.sentiment = result.sentiment.label
        item.sentiment_score = result.sentiment.score
        item.emotions = dict(result.emotions.probabilities)
        item.emotion_labels = list(result.emotions.labels)
        item.frustration = result.emotions.groups.get("frustration")
        assert result.urgency is not None and result.intensity is not None
        item.urgency = result.urgency.level
        item.urgency_score = result.urgency.score
        item.intensity = result.intensity.level
        item.reasons = list(result.urgency.reasons) + list(result.intensity.reasons)
        item.evidence = [
            {
                "text": e.span.text,
                "start": e.span.start,
                "end": e.span.end,
                "supports": e.supports,
                "note": e.note,
            }
            for e in result.evidence[:12]
        ]
    fields = [
        "analysed_at", "model_version", "language", "not_analysed_reason", "sentiment",
        "sentiment_score", "emotions", "emotion_labels", "frustration", "urgency",
        "urgency_score", "intensity", "reasons", "evidence", "reply_empathy",
    ]  # fmt: skip
    with transaction.atomic():
        # One plain UPDATE per item: Django's bulk_update builds a CASE per field per row,
        # which was the slowest part of analysing (2.3 of 4.7 s for 600 items).
        for item in items:
            Item.objects.filter(pk=item.pk).update(**{f: getattr(item, f) for f in fields})
        customers_refresh_risk(
            customer_ids={item.customer_id for item in items if item.customer_id}
        )
    return len(items)


def customers_refresh_risk(*, customer_ids: set[int], now: datetime.datetime | None = None) -> None:
    """'At risk' when a customer's recent items turn negative: the latest is negative, or two
    of the last three are, and the latest came in the last 90 days. A person's correction of
    an item's sentiment counts instead of the model's."""
    now = now or timezone.now()
    # One query for all the customers' analysed items (newest first), not one per customer.
    recent: dict[int, list[tuple[str, datetime.datetime]]] = {}
    rows = (
        Item.objects.filter(customer_id__in=customer_ids, analysed_at__isnull=False)
        .order_by("customer_id", "-occurred_at")
        .values_list("customer_id", "sentiment", "corrected", "occurred_at")
    )
    for customer_id, sentiment, corrected, occurred_at in rows:
        mine = recent.setdefault(customer_id, [])
        if len(mine) < 3:
            mine.append((corrected.get("sentiment", sentiment), occurred_at))
    changed: list[Customer] = []
    for customer in Customer.objects.filter(pk__in=customer_ids):
        last = recent.get(customer.pk, [])
        labels = [label for label, _ in last]
        reason = ""
        if labels and labels[0] == "negative":
            reason = "their latest message is negative"
        elif labels.count("negative") >= 2:
            reason = "two of their last three messages are negative"
        at_risk = bool(reason) and (now - last[0][1]).days <= AT_RISK_RECENT_DAYS
        if (customer.at_risk, customer.at_risk_reason) != (at_risk, reason if at_risk else ""):
            customer.at_risk = at_risk
            customer.at_risk_reason = reason if at_risk else ""
            changed.append(customer)
    Customer.objects.bulk_update(changed, ["at_risk", "at_risk_reason"])


def org_analyse_due(
    org: Organization, *, limit: int | None = None, backend: BackendName = "auto"
) -> int:
    """Analyse what is due in an organisation, in batches; returns how many."""
    done = 0
    while limit is None or done < limit:
        batch = list(items_due(org).order_by("pk")[:BATCH])
        if not batch:
            break
        done += items_analyse(batch, backend=backend)
    return done


def organisations_analyse_due() -> dict[str, int]:
    """Housekeeping (the worker, hourly): analyse what is due everywhere, then look for
    customers to reach out to."""
    from heard.customers.outreach import follow_ups_generate

    analysed = created = 0
    for org in Organization.objects.all():
        analysed += org_analyse_due(org)
        created += follow_ups_generate(org)
    return {"analysed": analysed, "follow_ups": created}


@heard_task()
def analyse_due_items(org_id: int) -> str:
    """Analyse an organisation's items that are due (new, or read by older models), then
    suggest follow-ups. Idempotent: a second run finds nothing due."""
    from heard.customers.outreach import follow_ups_generate

    org = Organization.objects.filter(pk=org_id).first()
    if org is None:
        return "skipped: no such organisation"
    analysed = org_analyse_due(org)
    created = follow_ups_generate(org)
    return f"analysed {analysed}; {created} follow-up(s) suggested"

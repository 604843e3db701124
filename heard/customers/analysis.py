"""Customer items read by heard_nlp, one by one (customer texts may be; employees' comments
are only ever analysed in aggregate, see heard.surveys.insights).

Each item stores the analysis with the version of the models that made it; `items_due` finds
items never analysed or analysed by another version, so a model update re-reads them. A
person's corrections (`Item.corrected`) are kept across re-analysis."""

from __future__ import annotations

import datetime
import functools
import hashlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import connection, transaction
from django.db.models import Field, Q, QuerySet
from django.utils import timezone

from heard.core.tasks import heard_task
from heard.customers.models import Customer, Item
from heard.customers.rollups import days_mark, figures_refresh
from heard.customers.themes import customer_themes_refresh, items_assign_themes
from heard.orgs.models import Organization
from heard_nlp.labels import GROUPS

if TYPE_CHECKING:
    from heard_nlp.analyze import BackendName

BATCH = 200
MAX_REPLY_CHARS = 20_000  # the longest reply recorded or scored
AT_RISK_RECENT_DAYS = 90  # older trouble is history, not risk
ANALYSIS_FIELDS = "f2"  # f2: the main feeling (Item.feeling) and the theme
# What an analysis writes on an item.
SAVED_FIELDS = (
    "analysed_at", "model_version", "language", "not_analysed_reason", "sentiment",
    "sentiment_score", "emotions", "emotion_labels", "frustration", "urgency",
    "urgency_score", "intensity", "reasons", "evidence", "reply_empathy", "feeling",
)  # fmt: skip


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
    # ANALYSIS_FIELDS: what Heard stores from a reading; a new field re-reads everything.
    return f"{'model' if available else 'lexicon'}:{digest.hexdigest()[:12]}:{ANALYSIS_FIELDS}"


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
            item.reasons, item.evidence, item.feeling = [], [], ""
            continue
        item.sentiment = result.sentiment.label
        item.sentiment_score = result.sentiment.score
        item.emotions = dict(result.emotions.probabilities)
        item.emotion_labels = list(result.emotions.labels)
        item.frustration = result.emotions.groups.get("frustration")
        item.feeling = main_feeling(result.emotions.labels, result.emotions.groups)
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
    with transaction.atomic():
        _save(items)
        customers_refresh_risk(
            customer_ids={item.customer_id for item in items if item.customer_id}
        )
        items_assign_themes(items)
        for org_id in {item.organization_id for item in items}:
            days_mark(org_id, (i.occurred_at for i in items if i.organization_id == org_id))
    return len(items)


def item_update_sql(fields: Sequence[str], extra: str = "") -> tuple[str, list[Field[Any, Any]]]:
    """`UPDATE item SET f1 = %s, ...{extra} WHERE id = %s` and the fields, for executemany."""
    quote = connection.ops.quote_name
    by_name = {field.name: field for field in Item._meta.concrete_fields}
    columns = [by_name[name] for name in fields]
    # Names from the model's own fields, quoted; every value is a parameter.
    sql = (
        f"UPDATE {quote(Item._meta.db_table)} SET "  # noqa: S608
        + ", ".join(f"{quote(column.column or column.name)} = %s" for column in columns)
        + extra
        + f" WHERE {quote('id')} = %s"
    )
    return sql, columns


def item_values(item: Item, columns: Sequence[Field[Any, Any]]) -> list[Any]:
    """The item's values of `columns`, as the database takes them (item_update_sql)."""
    return [
        column.get_db_prep_save(getattr(item, column.attname), connection) for column in columns
    ]


def _save(items: Sequence[Item]) -> None:
    """One prepared UPDATE run for every item (executemany): Django's bulk_update builds a
    CASE per field per row, and one .update() per item builds a query each time."""
    sql, columns = item_update_sql(SAVED_FIELDS)
    with connection.cursor() as cursor:
        cursor.executemany(sql, [[*item_values(item, columns), item.pk] for item in items])


def main_feeling(labels: Sequence[str], groups: Mapping[str, float]) -> str:
    """The strongest of Heard's feeling groups that has a label above its threshold among
    `labels`, or "" (a neutral message)."""
    present = [name for name, members in GROUPS.items() if any(m in labels for m in members)]
    return max(present, key=lambda name: groups.get(name, 0.0), default="")


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
    analysed = created = themed = 0
    for org in Organization.objects.all():
        done, themes, suggested = org_analyse_and_follow_through(org)
        analysed += done
        themed += themes > 0
        created += suggested
    return {"analysed": analysed, "themes_found": themed, "follow_ups": created}


def org_analyse_and_follow_through(org: Organization) -> tuple[int, int, int]:
    """Analyse what is due, then what depends on it: the themes (when a day old), follow-up
    suggestions and the dashboard's marked days. Returns (analysed, themes found or -1 when
    they are recent, follow-ups suggested)."""
    from heard.customers.outreach import follow_ups_generate

    analysed = org_analyse_due(org)
    themes = customer_themes_refresh(org)
    created = follow_ups_generate(org)
    figures_refresh(org)
    return analysed, themes, created


@heard_task()
def analyse_due_items(org_id: int) -> str:
    """Analyse an organisation's items that are due (new, or read by older models), then
    suggest follow-ups. Idempotent: a second run finds nothing due."""
    org = Organization.objects.filter(pk=org_id).first()
    if org is None:
        return "skipped: no such organisation"
    analysed, themes, created = org_analyse_and_follow_through(org)
    found = f"{themes} theme(s) found" if themes >= 0 else "themes are recent"
    return f"analysed {analysed}; {found}; {created} follow-up(s) suggested"

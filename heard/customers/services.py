"""Writes for the customer pages: corrections of the analysis and recorded replies."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from heard.customers.analysis import MAX_REPLY_CHARS, customers_refresh_risk
from heard.customers.models import CustomerTheme, Item, LabelCorrection
from heard.customers.rollups import days_mark
from heard.orgs.models import Person

SENTIMENTS = ("positive", "neutral", "negative")
URGENCIES = ("low", "medium", "high")


def item_correct(*, item: Item, field: str, value: str, by: Person) -> LabelCorrection:
    """A person says the analysis got an item wrong. The correction is shown instead of the
    model's label from now on, kept when the item is analysed again, and counted.
    For `field` "theme", `value` is the id of one of the organisation's themes, or "none"."""
    if by.organization_id != item.organization_id:
        raise ValidationError("That item is not in your organisation.")
    if field == "theme":
        theme = _theme_chosen(item, value)
        model_value = item.theme.name if item.theme else NO_THEME
        item.theme = theme
        # Kept by name: themes are found again daily, and a theme of the same name gets it.
        return _correction_record(
            item, "theme", model_value, theme.name if theme else NO_THEME,
            kept=theme.name if theme else "", by=by, also_saved=("theme",),
        )  # fmt: skip
    allowed = {"sentiment": SENTIMENTS, "urgency": URGENCIES}
    if field not in allowed or value not in allowed[field]:
        raise ValidationError("Choose one of the labels offered.")
    return _correction_record(item, field, str(getattr(item, field)), value, kept=value, by=by)


def _correction_record(
    item: Item,
    field: str,
    model_value: str,
    corrected_value: str,
    *,
    kept: str,
    by: Person,
    also_saved: tuple[str, ...] = (),
) -> LabelCorrection:
    """Record the correction, keep it on the item (`kept`), and mark what depends on it."""
    with transaction.atomic():
        correction = LabelCorrection.objects.create(
            organization_id=item.organization_id,
            item=item,
            field=field,
            model_value=model_value,
            corrected_value=corrected_value,
            model_version=item.model_version,
            corrected_by=by,
        )
        item.corrected = {**item.corrected, field: kept}
        item.save(update_fields=["corrected", *also_saved])
        days_mark(item.organization_id, [item.occurred_at])
        if item.customer_id:
            customers_refresh_risk(customer_ids={item.customer_id})
    return correction


NO_THEME = "(no theme)"


def _theme_chosen(item: Item, value: str) -> CustomerTheme | None:
    if value == "none":
        return None
    theme = CustomerTheme.objects.filter(
        organization_id=item.organization_id, pk=int(value) if value.isdigit() else 0
    ).first()
    if theme is None:
        raise ValidationError("Choose one of the themes offered.")
    return theme


def item_record_reply(*, item: Item, text: str, by: Person) -> Item:
    """Record the reply an agent sent (Heard never sends it: the agent does, elsewhere)."""
    text = text.strip()
    if not text:
        raise ValidationError({"reply": "Paste the reply you sent."})
    if len(text) > MAX_REPLY_CHARS:
        raise ValidationError({"reply": "Keep the reply under 20,000 characters."})
    from heard_nlp.reply import score_reply

    item.reply_text = text
    item.replied_at = timezone.now()
    item.agent = by
    item.reply_empathy = score_reply(item.text, text).score
    with transaction.atomic():
        item.save(update_fields=["reply_text", "replied_at", "agent", "reply_empathy"])
        days_mark(item.organization_id, [item.occurred_at])
    return item

"""The outgoing webhook: when the outreach rules find a customer who needs attention, Heard
POSTs a small JSON message to the organisation's own URL (a chat channel, a helpdesk).

    POST <url>
    Content-Type: application/json
    X-Heard-Signature: sha256=<HMAC-SHA256 of the body with the webhook's secret>
    {"event": "customer.needs_attention", "follow_up": 12, "customer": "Eleanor Whitfield",
     "why": "rated 3/5: ...", "due_on": "2026-11-28", "url": "<SITE_URL>/customers/12/"}

It is a notification for people; nothing is sent to the customer. Sending runs in the task
worker with retries (heard_task); a follow-up is sent once (`FollowUp.notified_at`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import secrets
import urllib.request

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone

from heard.core.tasks import heard_task
from heard.customers.models import FollowUp, Webhook
from heard.orgs.models import Organization

TIMEOUT_SECONDS = 10


def webhook_save(*, org: Organization, url: str, enabled: bool) -> Webhook:
    url = url.strip()
    if not url.startswith(("https://", "http://")):
        raise ValidationError({"url": "Give a full address starting with https://."})
    webhook, created = Webhook.objects.get_or_create(
        organization=org, defaults={"url": url, "secret": secrets.token_hex(24)}
    )
    if not created:
        webhook.url, webhook.enabled = url, enabled
        webhook.save(update_fields=["url", "enabled"])
    return webhook


def signature(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()


def notify_new_follow_ups(org: Organization) -> int:
    """Queue a notification for each follow-up not sent yet (when a webhook is on)."""
    webhook = Webhook.objects.filter(organization=org, enabled=True).first()
    if webhook is None:
        return 0
    pending = list(
        FollowUp.objects.for_org(org)
        .filter(notified_at__isnull=True, status=FollowUp.Status.OPEN)
        .values_list("pk", flat=True)
    )
    for pk in pending:
        send_follow_up_webhook.enqueue(pk)
    return len(pending)


@heard_task()
def send_follow_up_webhook(follow_up_id: int) -> str:
    follow_up = FollowUp.objects.select_related("customer").filter(pk=follow_up_id).first()
    if follow_up is None or follow_up.notified_at is not None:
        return "skipped: already sent or gone"
    webhook = Webhook.objects.filter(
        organization_id=follow_up.organization_id, enabled=True
    ).first()
    if webhook is None:
        return "skipped: no webhook"
    body = json.dumps(
        {
            "event": "customer.needs_attention",
            "follow_up": follow_up.pk,
            "customer": str(follow_up.customer),
            "why": follow_up.why,
            "due_on": follow_up.due_on.isoformat(),
            "url": f"{settings.SITE_URL}/customers/{follow_up.customer_id}/",
        }
    ).encode()
    request = urllib.request.Request(  # noqa: S310 - an https/http URL checked when saved
        webhook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": "Heard",
            "X-Heard-Signature": signature(webhook.secret, body),
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS) as response:  # noqa: S310
            status = f"{response.status} at {timezone.now():%Y-%m-%d %H:%M}"
    except Exception as error:
        Webhook.objects.filter(pk=webhook.pk).update(last_status=f"failed: {error}"[:200])
        raise  # heard_task retries with back-off
    now = timezone.now()
    FollowUp.objects.filter(pk=follow_up.pk).update(notified_at=now)
    Webhook.objects.filter(pk=webhook.pk).update(last_status=status, last_sent_at=now)
    return f"sent: {status}"

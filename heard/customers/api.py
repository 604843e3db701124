"""The ingestion API: other systems (a helpdesk, a review site export, a survey tool) send
customer items to Heard.

    POST /api/v1/customer-items/
    Authorization: Bearer <token>          (Customers → API tokens, admins)
    Idempotency-Key: <any string>          (optional)
    {"external_id": "T-1001", "text": "...", "source": "helpdesk", "occurred_at": "...",
     "customer_id": "...", "customer_email": "...", "customer_name": "...",
     "channel": "ticket", "rating": 4, "rating_scale": "stars5", "agent": "...",
     "thread_id": "..."}

Items are idempotent by (source, external_id): sending one twice stores it once (201 the
first time, 200 after). With an Idempotency-Key, a repeat of the same request gets the first
answer replayed, and the same key with a different body is refused (422). The item is then
analysed in the background. See docs/customers.md.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from typing import Any

from django.db import IntegrityError, transaction
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from heard.customers.importing import Record, check_record
from heard.customers.imports import analyse_later, customers_upsert
from heard.customers.models import ApiToken, IdempotencyKey, Item
from heard.customers.rollups import days_mark
from heard.orgs.models import Organization, Person

MAX_BODY = 2 * 1024 * 1024
FIELDS = (
    "external_id", "text", "occurred_at", "customer_id", "customer_email", "customer_name",
    "channel", "rating", "agent", "thread_id",
)  # fmt: skip
IDENTITY = {name: name for name in FIELDS}


def api_token_create(*, org: Organization, name: str, by: Person) -> tuple[ApiToken, str]:
    """A new token; the returned string is the only time anyone sees it."""
    prefix = "hrd_" + secrets.token_hex(4)
    token = f"{prefix}_{secrets.token_urlsafe(32)}"
    record = ApiToken.objects.create(
        organization=org,
        name=" ".join(name.split())[:100] or "API token",
        prefix=prefix,
        token_hash=_hash(token),
        created_by=by,
    )
    return record, token


def api_token_revoke(*, token: ApiToken) -> None:
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])


def _hash(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def _token_for(request: HttpRequest) -> ApiToken | None:
    header = request.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    value = header.removeprefix("Bearer ").strip()
    prefix = "_".join(value.split("_")[:2])
    token = ApiToken.objects.select_related("organization").filter(prefix=prefix).first()
    if token is None or token.revoked_at is not None:
        return None
    if not secrets.compare_digest(token.token_hash, _hash(value)):
        return None
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now())
    return token


def _error(status: int, message: str, **extra: Any) -> JsonResponse:
    return JsonResponse({"error": message, **extra}, status=status)


@csrf_exempt
@require_POST
def customer_items(request: HttpRequest) -> JsonResponse:
    token = _token_for(request)
    if token is None:
        return _error(401, "Send a valid API token: 'Authorization: Bearer <token>'.")
    org = token.organization
    if len(request.body) > MAX_BODY:
        return _error(413, f"The body is over {MAX_BODY // (1024 * 1024)} MB.")
    try:
        payload = json.loads(request.body)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        return _error(400, f"The body is not JSON ({error.__class__.__name__}).")
    if not isinstance(payload, dict):
        return _error(400, "Send one item as a JSON object.")
    key = request.headers.get("Idempotency-Key", "").strip()[:200]
    request_hash = hashlib.sha256(request.body).hexdigest()
    if key:
        replay = _replay(org, key, request_hash)
        if replay is not None:
            return replay
    unknown = sorted(set(payload) - set(FIELDS) - {"source", "rating_scale"})
    if unknown:
        return _error(400, f"Unknown field(s): {', '.join(unknown)}.", fields=list(FIELDS))
    values = {
        name: str(payload[name]) for name in FIELDS if name in payload and payload[name] is not None
    }
    source = str(payload.get("source") or "api").strip()[:80]
    rating_scale = str(payload.get("rating_scale") or "stars5")
    if rating_scale not in ("stars5", "nps10"):
        return _error(400, "rating_scale is 'stars5' (1 to 5) or 'nps10' (0 to 10).")
    row, errors = check_record(Record(1, 1, values), IDENTITY, rating_scale=rating_scale)
    if row is None or errors:
        problems = [{"field": e.column, "message": e.message} for e in errors]
        return _error(400, "The item has errors.", errors=problems)
    try:
        with transaction.atomic():
            item, created = _store(org, source, rating_scale, row)
            body = {"id": item.pk, "created": created, "source": source,
                    "external_id": item.external_id}  # fmt: skip
            status = 201 if created else 200
            if key:
                IdempotencyKey.objects.create(
                    organization=org, key=key, request_hash=request_hash, status=status, body=body
                )
            transaction.on_commit(lambda: analyse_later(org.pk))
    except IntegrityError:
        # Another request with the same Idempotency-Key (or the same item) won the race:
        # answer as it did.
        if key and (replay := _replay(org, key, request_hash)) is not None:
            return replay
        item = Item.objects.get(organization=org, source=source, external_id=row.external_id)
        body = {"id": item.pk, "created": False, "source": source,
                "external_id": item.external_id}  # fmt: skip
        status = 200
    return JsonResponse(body, status=status)


def _replay(org: Organization, key: str, request_hash: str) -> JsonResponse | None:
    stored = IdempotencyKey.objects.filter(organization=org, key=key).first()
    if stored is None:
        return None
    if stored.request_hash != request_hash:
        return _error(422, "This Idempotency-Key was used with a different request.")
    response = JsonResponse(stored.body, status=stored.status)
    response["Idempotent-Replayed"] = "true"
    return response


def _store(org: Organization, source: str, rating_scale: str, row: Any) -> tuple[Item, bool]:
    existing = Item.objects.filter(
        organization=org, source=source, external_id=row.external_id
    ).first()
    if existing is not None:
        return existing, False
    occurred = row.occurred_at or timezone.now()
    if timezone.is_naive(occurred):
        occurred = timezone.make_aware(occurred)
    customers = customers_upsert(org, [row], {row.external_id: occurred})
    agent = (
        Person.objects.for_org(org).filter(email__iexact=row.agent).first() if row.agent else None
    )
    with transaction.atomic():  # a savepoint: a duplicate raises IntegrityError to the caller
        item = Item.objects.create(
            organization=org,
            source=source,
            external_id=row.external_id,
            customer=customers.get(row.customer_key),
            channel=row.channel or "ticket",
            occurred_at=occurred,
            text=row.text,
            rating=row.rating,
            rating_scale=rating_scale if row.rating is not None else "",
            agent=agent,
            agent_name=agent.name if agent else row.agent,
            thread_id=row.thread_id,
        )
        days_mark(org.pk, [occurred])
    return item, True

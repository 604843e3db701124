from __future__ import annotations

import itertools
from typing import Any

from django.utils import timezone

from heard.customers.models import Customer, Item
from heard.orgs.models import Organization

_ids = itertools.count(1)


def make_item(org: Organization, text: str = "My order arrived broken.", **fields: Any) -> Item:
    n = next(_ids)
    customer = fields.pop("customer", None) or Customer.objects.create(
        organization=org, key=f"cust-{n}", name=f"Customer {n}", email=f"c{n}@example.com"
    )
    return Item.objects.create(
        organization=org,
        source=fields.pop("source", "helpdesk"),
        external_id=fields.pop("external_id", f"T-{n}"),
        customer=customer,
        occurred_at=fields.pop("occurred_at", timezone.now()),
        text=text,
        **fields,
    )

"""Background work for customer items. Tasks take ids and call services (see
docs/background-tasks.md)."""

from __future__ import annotations

from heard.core.tasks import heard_task
from heard.customers import imports


@heard_task()
def import_customer_items(import_id: int) -> str:
    """Idempotent and resumable: a second run, or one after a killed worker, carries on
    after the last committed batch and never stores an item twice."""
    return imports.customer_import_run(import_id=import_id)

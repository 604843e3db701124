from __future__ import annotations

import logging
import os
import socket
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks_db.models import DBTaskResult

from heard.core.models import WorkerHeartbeat

logger = logging.getLogger(__name__)


def worker_heartbeat_beat(*, worker_id: str, started_at: datetime) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.update_or_create(
        worker_id=worker_id,
        defaults={
            "hostname": socket.gethostname()[:255],
            "pid": os.getpid(),
            "started_at": started_at,
            "last_seen": now,
        },
    )


def worker_heartbeat_stop(*, worker_id: str) -> None:
    WorkerHeartbeat.objects.filter(worker_id=worker_id).delete()


def stale_before() -> datetime:
    return timezone.now() - timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS * 6)


def tasks_requeue_orphans() -> int:
    """Put back tasks whose worker died mid-run (killed, machine lost) so another runs them.

    A task is orphaned when it is RUNNING and the worker that claimed it has not beaten for a
    minute. Heard's tasks are idempotent, so running one again is safe.
    """
    with transaction.atomic():
        live = set(
            WorkerHeartbeat.objects.filter(last_seen__gte=stale_before()).values_list(
                "worker_id", flat=True
            )
        )
        orphans = [
            result.pk
            for result in DBTaskResult.objects.running().only("id", "worker_ids")
            if not result.worker_ids or result.worker_ids[-1] not in live
        ]
        if not orphans:
            return 0
        return DBTaskResult.objects.filter(pk__in=orphans, status=TaskResultStatus.RUNNING).update(
            status=TaskResultStatus.READY, started_at=None
        )


def housekeeping_run() -> dict[str, object]:
    """Run each job in settings.HOUSEKEEPING (dotted paths to functions taking no arguments).
    One job failing is logged and does not stop the others."""
    results: dict[str, object] = {}
    for path in settings.HOUSEKEEPING:
        try:
            results[path] = import_string(path)()
        except Exception:
            logger.exception("Housekeeping job %s failed", path)
            results[path] = "failed"
    return results

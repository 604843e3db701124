from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.tasks import TaskResultStatus
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from heard.core.models import WorkerHeartbeat
from heard.core.services import stale_before


def health_report() -> tuple[bool, dict[str, Any]]:
    """(database reachable, report). The report is safe to show to anyone: counts only."""
    report: dict[str, Any] = {"status": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # any driver error means the database is not usable
        report.update(status="error", database={"ok": False, "error": exc.__class__.__name__})
        return False, report
    report["database"] = {"ok": True, "vendor": connection.vendor}

    latest = WorkerHeartbeat.objects.order_by("-last_seen").first()
    inline = settings.HEARD_TASK_BACKEND == "immediate"
    alive = inline or (latest is not None and latest.last_seen >= stale_before())
    report["worker"] = {
        "ok": alive,
        "mode": "inline" if inline else "worker",
        "last_seen": latest.last_seen.isoformat() if latest else None,
        "seconds_since_last_seen": (
            round((timezone.now() - latest.last_seen).total_seconds()) if latest else None
        ),
    }
    day_ago = timezone.now() - timedelta(days=1)
    ready = DBTaskResult.objects.ready()
    oldest = ready.order_by("enqueued_at").values_list("enqueued_at", flat=True).first()
    report["tasks"] = {
        "queued": ready.count(),
        "oldest_queued_seconds": (
            round((timezone.now() - oldest).total_seconds()) if oldest else None
        ),
        # An attempt that failed and was queued again is not a failure to act on.
        "failed_last_24h": DBTaskResult.objects.failed()
        .filter(finished_at__gte=day_ago)
        .exclude(exception_class_path__endswith=".RetryScheduled")
        .count(),
    }
    if not alive:
        report["status"] = "degraded"
    return True, report


def recent_task_results(
    *, status: str | None = None, limit: int = 100
) -> QuerySet[DBTaskResult[Any, Any]]:
    results = DBTaskResult.objects.order_by("-enqueued_at")
    if status in TaskResultStatus.values:
        results = results.filter(status=status)
    return results[:limit]

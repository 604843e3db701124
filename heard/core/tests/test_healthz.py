from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from heard.core.models import WorkerHeartbeat
from heard.core.services import worker_heartbeat_beat

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("worker_mode")]


@pytest.fixture
def worker_mode(settings: Any) -> None:
    settings.HEARD_TASK_BACKEND = "database"


def test_it_reports_database_ok_and_no_worker(client: Client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["database"]["ok"] is True
    assert body["worker"]["ok"] is False
    assert body["status"] == "degraded"
    assert body["tasks"] == {"queued": 0, "oldest_queued_seconds": None, "failed_last_24h": 0}


def test_it_reports_a_live_worker(client: Client) -> None:
    worker_heartbeat_beat(worker_id="w1", started_at=timezone.now())
    body = client.get("/healthz").json()
    assert body["worker"]["ok"] is True
    assert body["status"] == "ok"


def test_it_treats_a_silent_worker_as_down(client: Client) -> None:
    worker_heartbeat_beat(worker_id="w1", started_at=timezone.now())
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(minutes=5))
    body = client.get("/healthz").json()
    assert body["worker"]["ok"] is False
    assert body["worker"]["seconds_since_last_seen"] >= 299


def test_it_needs_no_worker_when_tasks_run_inline(client: Client, settings: Any) -> None:
    settings.HEARD_TASK_BACKEND = "immediate"
    body = client.get("/healthz").json()
    assert body["worker"] == {
        "ok": True,
        "mode": "inline",
        "last_seen": None,
        "seconds_since_last_seen": None,
    }
    assert body["status"] == "ok"


def test_it_does_not_count_a_retried_attempt_as_a_failure(client: Client) -> None:
    from django_tasks_db.models import DBTaskResult

    common = {
        "args_kwargs": {},
        "task_path": "x.y",
        "backend_name": "default",
        "run_after": timezone.now(),
        "status": "FAILED",
        "finished_at": timezone.now(),
    }
    DBTaskResult.objects.create(exception_class_path="heard.core.tasks.RetryScheduled", **common)
    DBTaskResult.objects.create(exception_class_path="builtins.RuntimeError", **common)
    assert client.get("/healthz").json()["tasks"]["failed_last_24h"] == 1

"""The task machinery: retries with back-off, failures visible, orphans put back."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.tasks import TaskResultStatus, task_backends
from django.test import Client, override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from heard.core.models import WorkerHeartbeat
from heard.core.services import tasks_requeue_orphans, worker_heartbeat_beat
from heard.core.tasks import backoff_seconds
from heard.core.tests import sample_tasks

pytestmark = pytest.mark.django_db
# The real worker closes "old" connections between tasks, as it must in production; inside a
# test transaction that would close the test's own connection, so worker tests commit for real.
worker_db = pytest.mark.django_db(transaction=True)

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def database_backend():  # type: ignore[no-untyped-def]
    with override_settings(TASKS=DATABASE_TASKS):
        task_backends._backends = {}  # type: ignore[attr-defined]
        yield
    task_backends._backends = {}  # type: ignore[attr-defined]


def test_it_backs_off_exponentially() -> None:
    assert [backoff_seconds(n) for n in (1, 2, 3)] == [10, 40, 160]


@worker_db
def test_it_retries_a_failing_task_until_it_succeeds(database_backend: None) -> None:
    sample_tasks.CALLS.clear()
    sample_tasks.flaky.enqueue("k1", 2)
    # Run whatever is due; move deferred retries into the past between runs.
    for _ in range(3):
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
            run_after=timezone.now() - timedelta(seconds=1)
        )
        call_command("db_worker", batch=True, reload=False, no_startup_delay=True, verbosity=0)
    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == ["FAILED", "FAILED", "SUCCESSFUL"]
    assert sample_tasks.CALLS == ["k1", "k1", "k1"]
    first = DBTaskResult.objects.order_by("enqueued_at").first()
    assert first is not None
    assert first.exception_class_path.endswith("RetryScheduled")
    assert "attempt 2" in first.traceback


@worker_db
def test_it_defers_the_retry(database_backend: None) -> None:
    sample_tasks.flaky.enqueue("k2", 5)
    call_command("db_worker", batch=True, reload=False, no_startup_delay=True, verbosity=0)
    retry = DBTaskResult.objects.get(status=TaskResultStatus.READY)
    assert retry.run_after > timezone.now() + timedelta(seconds=5)
    assert retry.args_kwargs["kwargs"] == {"_attempt": 2}


@worker_db
@override_settings(TASK_MAX_ATTEMPTS=2)
def test_it_gives_up_after_the_last_attempt(database_backend: None) -> None:
    sample_tasks.flaky.enqueue("k3", 99)
    for _ in range(3):
        DBTaskResult.objects.filter(status=TaskResultStatus.READY).update(
            run_after=timezone.now() - timedelta(seconds=1)
        )
        call_command("db_worker", batch=True, reload=False, no_startup_delay=True, verbosity=0)
    results = list(DBTaskResult.objects.order_by("enqueued_at"))
    assert [r.status for r in results] == ["FAILED", "FAILED"]
    assert results[-1].exception_class_path.endswith("RuntimeError")


def test_it_puts_back_a_task_whose_worker_died(database_backend: None) -> None:
    result = sample_tasks.flaky.enqueue("k4", 0)
    db_result = DBTaskResult.objects.get(pk=result.id)
    db_result.claim("dead-worker")
    worker_heartbeat_beat(worker_id="dead-worker", started_at=timezone.now())
    WorkerHeartbeat.objects.update(last_seen=timezone.now() - timedelta(minutes=10))
    worker_heartbeat_beat(worker_id="live-worker", started_at=timezone.now())

    assert tasks_requeue_orphans() == 1
    db_result.refresh_from_db()
    assert db_result.status == TaskResultStatus.READY


def test_it_leaves_a_task_of_a_live_worker_alone(database_backend: None) -> None:
    result = sample_tasks.flaky.enqueue("k5", 0)
    DBTaskResult.objects.get(pk=result.id).claim("live-worker")
    worker_heartbeat_beat(worker_id="live-worker", started_at=timezone.now())
    assert tasks_requeue_orphans() == 0


@worker_db
def test_it_shows_failed_tasks_to_operators_only(
    database_backend: None, admin_client: Client, world: object
) -> None:
    from heard.accounts.models import User

    sample_tasks.flaky.enqueue("k6", 99)
    with override_settings(TASK_MAX_ATTEMPTS=1):
        call_command("db_worker", batch=True, reload=False, no_startup_delay=True, verbosity=0)
    # An organisation's admin is not an operator of the installation.
    assert admin_client.get("/ops/tasks/").status_code == 404
    operator = User.objects.create_user("ops@example.com", "x" * 12, is_staff=True)
    client = Client()
    client.force_login(operator)
    page = client.get("/ops/tasks/?status=FAILED")
    assert page.status_code == 200
    assert b"flaky" in page.content
    assert b"RuntimeError" in page.content

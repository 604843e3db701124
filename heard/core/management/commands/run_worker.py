"""The task worker `make run` starts: django-tasks-db's worker plus a heartbeat.

The heartbeat lets /healthz say whether a worker is alive, and lets the next worker put back
tasks that a killed worker left half-run. The same thread runs the housekeeping jobs listed in
settings.HOUSEKEEPING (closing surveys, starting recurring ones) every HOUSEKEEPING_SECONDS.
"""

from __future__ import annotations

import threading
import time
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser
from django.db import close_old_connections
from django.utils import timezone
from django.utils.crypto import get_random_string

from heard.core.services import (
    housekeeping_run,
    tasks_requeue_orphans,
    worker_heartbeat_beat,
    worker_heartbeat_stop,
)


class Command(BaseCommand):
    help = "Run the background task worker with a heartbeat (Ctrl-C stops it)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--interval", type=float, default=1.0)
        parser.add_argument("--batch", action="store_true", help="Run what is queued, then exit.")

    def handle(self, *args: Any, interval: float, batch: bool, **options: Any) -> None:
        worker_id = get_random_string(32)
        started_at = timezone.now()
        stop = threading.Event()
        worker_heartbeat_beat(worker_id=worker_id, started_at=started_at)
        requeued = tasks_requeue_orphans()
        if requeued:
            self.stderr.write(f"Put back {requeued} task(s) left running by a stopped worker.")

        def beat() -> None:
            last_housekeeping = float("-inf")  # run once soon after the worker starts
            while not stop.wait(settings.WORKER_HEARTBEAT_SECONDS):
                try:
                    worker_heartbeat_beat(worker_id=worker_id, started_at=started_at)
                    tasks_requeue_orphans()
                    if time.monotonic() - last_housekeeping >= settings.HOUSEKEEPING_SECONDS:
                        last_housekeeping = time.monotonic()
                        housekeeping_run()
                finally:
                    close_old_connections()

        thread = threading.Thread(target=beat, name="heard-heartbeat", daemon=True)
        thread.start()
        try:
            call_command(
                "db_worker",
                worker_id=worker_id,
                interval=interval,
                batch=batch,
                reload=False,
                queue_name="*",
                verbosity=options.get("verbosity", 1),
            )
        finally:
            stop.set()
            worker_heartbeat_stop(worker_id=worker_id)

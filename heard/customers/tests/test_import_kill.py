"""A worker killed with SIGKILL in the middle of an import loses nothing and stores nothing
twice: the next run carries on after the last committed batch.

The import runs in a real second process, against its own SQLite file (the test database of
pytest-django may live in memory, or be PostgreSQL inside a transaction that a second process
can't see), so the kill is as real as a deploy or the kernel's OOM killer.
"""

from __future__ import annotations

import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from django.conf import settings

ROWS = 20_000

SETUP = """
import sys
import django
django.setup()
from heard.customers import imports
from heard.customers.models import CustomerImport
from tests.factories import make_org, make_person

org = make_org("Kill test", slug="kill-test")
admin = make_person(org, role="admin")
with open(sys.argv[1], "rb") as data:
    chunks = iter(lambda: data.read(1 << 16), b"")
    customer_import = imports.customer_import_upload(
        org=org, uploaded_by=admin, filename="big.csv", chunks=chunks
    )
imports.customer_import_set_mapping(
    customer_import=customer_import, mapping=customer_import.mapping,
    rating_scale=customer_import.rating_scale, source="csv", default_channel="ticket",
)
CustomerImport.objects.filter(pk=customer_import.pk).update(status="queued")
print(customer_import.pk)
"""

# The worker. With "slow", each batch waits inside its transaction after inserting its items
# and before counting them: the worst moment to be killed, and a wide target for the kill.
RUN = """
import sys
import time
import django
django.setup()
from heard.customers import imports
from heard.customers.tasks import import_customer_items

imports.analyse_later = lambda org_id: None  # the import alone is under test here
if sys.argv[2] == "slow":
    store = imports._store_rows
    def store_slowly(*args, **kwargs):
        counts = store(*args, **kwargs)
        time.sleep(0.3)
        return counts
    imports._store_rows = store_slowly
print(import_customer_items.enqueue(int(sys.argv[1])).return_value)
"""


def _env(tmp_path: Path) -> dict[str, str]:
    return {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'kill.sqlite3'}",
        "HEARD_DATA_DIR": str(tmp_path),
        "HEARD_TESTING": "1",
        "HEARD_TASK_BACKEND": "immediate",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }


def _python(tmp_path: Path, *args: str) -> str:
    done = subprocess.run(  # noqa: S603  (our own interpreter and code)
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=_env(tmp_path),
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def _state(tmp_path: Path, import_id: int) -> dict[str, int | str]:
    with sqlite3.connect(tmp_path / "kill.sqlite3", timeout=20) as db:
        row = db.execute(
            "SELECT status, rows_done, rows_created, rows_skipped, error_count "
            "FROM customers_customerimport WHERE id = ?",
            (import_id,),
        ).fetchone()
        items, distinct = db.execute(
            "SELECT COUNT(*), COUNT(DISTINCT external_id) FROM customers_item"
        ).fetchone()
    keys = ("status", "rows_done", "rows_created", "rows_skipped", "error_count")
    return {**dict(zip(keys, row, strict=True)), "items": items, "distinct": distinct}


def test_a_killed_import_resumes_without_losing_or_doubling_rows(tmp_path: Path) -> None:
    data = tmp_path / "big.csv"
    with data.open("w", encoding="utf-8", newline="") as out:
        out.write("id,created,text,email\n")
        for n in range(ROWS):
            out.write(f'{n},2024-01-{n % 28 + 1:02d},"Text {n}, with a comma",c{n % 500}@x.org\n')
    _python(tmp_path, "manage.py", "migrate", "-v0")
    import_id = int(_python(tmp_path, "-c", SETUP, str(data)))

    worker = subprocess.Popen(  # noqa: S603  (our own interpreter and code)
        [sys.executable, "-c", RUN, str(import_id), "slow"],
        cwd=settings.BASE_DIR,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 120
        while _state(tmp_path, import_id)["rows_done"] == 0:
            assert worker.poll() is None, worker.communicate()
            assert time.monotonic() < deadline, "the worker never committed a batch"
            time.sleep(0.02)
        time.sleep(0.15)  # most likely inside the next batch's transaction
        worker.send_signal(signal.SIGKILL)
        worker.wait(timeout=30)
    finally:
        if worker.poll() is None:
            worker.kill()
            worker.wait()
    assert worker.returncode == -signal.SIGKILL

    killed = _state(tmp_path, import_id)
    assert killed["status"] == "running"
    assert 0 < int(killed["rows_done"]) < ROWS
    assert int(killed["rows_done"]) % 1000 == 0
    # What is stored is exactly what the counters say: the interrupted batch left nothing.
    assert killed["items"] == killed["rows_created"] == killed["rows_done"]

    assert _python(tmp_path, "-c", RUN, str(import_id), "fast") == "done"
    finished = _state(tmp_path, import_id)
    assert finished == {
        "status": "done",
        "rows_done": ROWS,
        "rows_created": ROWS,
        "rows_skipped": 0,
        "error_count": 0,
        "items": ROWS,
        "distinct": ROWS,
    }
    # Running it once more is harmless.
    assert _python(tmp_path, "-c", RUN, str(import_id), "fast") == "skipped: done"
    assert _state(tmp_path, import_id) == finished

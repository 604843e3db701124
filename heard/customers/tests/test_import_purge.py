"""Import files hold customers' data: the hourly purge deletes the ones no import needs."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import pytest
from django.test import Client, TestCase
from django.urls import reverse
from django.utils import timezone

from conftest import World
from heard.customers import imports
from heard.customers.models import CustomerImport, Item
from heard.customers.tasks import import_customer_items
from heard.orgs.models import Organization

CSV = "id,date,text\n1,2024-01-01,My parcel arrived broken.\n2,2024-01-02,Thanks!\n"
NOTHING = {"imports_deleted": 0, "failed_imports_closed": 0, "files_removed": 0}


def upload(org: Organization, data: str = CSV) -> CustomerImport:
    return imports.customer_import_upload(
        org=org, uploaded_by=None, filename="tickets.csv", chunks=[data.encode()]
    )


def age_file(path: Path | str, days: float) -> None:
    when = (timezone.now() - timedelta(days=days)).timestamp()
    os.utime(path, (when, when))


def age(customer_import: CustomerImport, days: float, **fields: object) -> CustomerImport:
    """Make the import (and its file) `days` old: uploaded then, and ended then if it ended."""
    when = timezone.now() - timedelta(days=days)
    if customer_import.finished_at or fields.get("status") == CustomerImport.Status.FAILED:
        fields.setdefault("finished_at", when)
    CustomerImport.objects.filter(pk=customer_import.pk).update(created_at=when, **fields)
    if Path(customer_import.path).exists():
        age_file(customer_import.path, days)
    customer_import.refresh_from_db()
    return customer_import


def failed_import(world: World) -> CustomerImport:
    """A real failure: the first batch of 1,000 rows is stored, then an unclosed quote."""
    body = "".join(f"{n},2024-01-01,Fine {n}\n" for n in range(1500)) + '1500,2024-01-01,"oops\n'
    customer_import = upload(world.org, "id,date,text\n" + body)
    imports.customer_import_set_mapping(
        customer_import=customer_import,
        mapping=customer_import.mapping,
        rating_scale="",
        source="helpdesk",
        default_channel="ticket",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        imports.customer_import_start(customer_import=customer_import)  # runs inline in tests
    customer_import.refresh_from_db()
    assert customer_import.status == CustomerImport.Status.FAILED
    assert Path(customer_import.path).is_file()  # kept, for a retry
    return customer_import


def test_it_deletes_an_upload_never_started_after_a_week(world: World) -> None:
    stale = age(upload(world.org), days=8)
    elsewhere = age(upload(world.other_org), days=8)  # every organisation is purged
    assert imports.customer_imports_purge() == {
        "imports_deleted": 2, "failed_imports_closed": 0, "files_removed": 2,
    }  # fmt: skip
    assert not CustomerImport.objects.exists()
    assert not Path(stale.path).exists()
    assert not Path(elsewhere.path).exists()
    assert list(imports.upload_dir().iterdir()) == []


def test_it_keeps_an_upload_younger_than_a_week(world: World) -> None:
    recent = age(upload(world.org), days=6)
    assert imports.customer_imports_purge() == NOTHING
    assert CustomerImport.objects.get().pk == recent.pk
    assert Path(recent.path).is_file()


@pytest.mark.parametrize("status", [CustomerImport.Status.QUEUED, CustomerImport.Status.RUNNING])
def test_it_never_touches_an_import_a_worker_may_be_reading(world: World, status: str) -> None:
    busy = age(upload(world.org), days=30, status=status)
    assert imports.customer_imports_purge() == NOTHING
    busy.refresh_from_db()
    assert busy.status == status
    assert Path(busy.path).is_file()


def test_a_failed_import_keeps_its_row_and_loses_its_file_after_a_week(
    world: World, admin_client: Client
) -> None:
    failed = age(failed_import(world), days=8)
    path = Path(failed.path)
    before = (failed.rows_done, failed.rows_created, failed.error_count, list(failed.errors))

    assert imports.customer_imports_purge() == {
        "imports_deleted": 0, "failed_imports_closed": 1, "files_removed": 1,
    }  # fmt: skip
    assert not path.exists()
    failed.refresh_from_db()
    assert (failed.status, failed.path) == (CustomerImport.Status.FAILED, "")
    # The history stays: counters, the errors so far, and the items it stored.
    assert (failed.rows_done, failed.rows_created) == before[:2]
    assert failed.error_count == before[2] + 1
    assert failed.errors[:-1] == before[3]
    assert failed.errors[-1]["message"] == imports.FILE_PURGED_MESSAGE
    assert "deleted 7 days after" in failed.errors[-1]["message"]
    assert Item.objects.for_org(world.org).count() == 1000

    # A retry (the task, or the service itself) refuses cleanly and changes nothing.
    assert import_customer_items.enqueue(failed.pk).return_value == "skipped: file removed"
    assert imports.customer_import_run(import_id=failed.pk) == "skipped: file removed"
    failed.refresh_from_db()
    assert (failed.status, failed.path, failed.error_count) == ("failed", "", before[2] + 1)
    assert Item.objects.for_org(world.org).count() == 1000

    page = admin_client.get(reverse("customer_imports:detail", args=[failed.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "its file was deleted 7 days later" in content
    assert "upload the file again" in content
    assert 'hx-trigger="every 2s"' not in content

    assert imports.customer_imports_purge() == NOTHING  # done once, not every hour


def test_a_failed_import_with_recent_activity_keeps_its_file(world: World) -> None:
    # Uploaded a month ago, but its last retry ended two days ago.
    failed = age(failed_import(world), days=30, finished_at=timezone.now() - timedelta(days=2))
    assert imports.customer_imports_purge() == NOTHING
    failed.refresh_from_db()
    assert Path(failed.path).is_file()
    assert failed.errors[-1]["message"] != imports.FILE_PURGED_MESSAGE


def test_an_import_whose_file_vanished_fails_instead_of_crashing(world: World) -> None:
    queued = upload(world.org)
    CustomerImport.objects.filter(pk=queued.pk).update(status=CustomerImport.Status.QUEUED)
    Path(queued.path).unlink()
    assert import_customer_items.enqueue(queued.pk).return_value == "skipped: file removed"
    queued.refresh_from_db()
    assert queued.status == CustomerImport.Status.FAILED  # the page stops saying "queued"
    assert queued.finished_at is not None
    assert queued.errors[-1]["message"] == imports.FILE_MISSING_MESSAGE


def test_it_deletes_orphan_files_older_than_a_day(world: World) -> None:
    kept = age(upload(world.org), days=3)  # an import still needs this old file
    folder = imports.upload_dir()
    orphan = folder / f"{world.org.pk}-{'a' * 32}.csv"  # its upload request died
    fresh = folder / f"{world.org.pk}-{'b' * 32}.csv"  # being uploaded right now
    for path in (orphan, fresh):
        path.write_text(CSV)
    age_file(orphan, days=1.5)
    age_file(fresh, days=0.5)

    assert imports.customer_imports_purge() == {**NOTHING, "files_removed": 1}
    assert not orphan.exists()
    assert fresh.is_file()
    assert Path(kept.path).is_file()


def test_it_deletes_the_file_a_killed_worker_left_after_a_done_import(world: World) -> None:
    done = age(upload(world.org), days=2, status=CustomerImport.Status.DONE)
    assert imports.customer_imports_purge() == {**NOTHING, "files_removed": 1}
    assert not Path(done.path).exists()
    assert CustomerImport.objects.filter(pk=done.pk).exists()


def test_it_never_touches_files_outside_its_folder(world: World, data_dir: Path) -> None:
    age(upload(world.org), days=8)
    others = [
        data_dir / "heard.sqlite3",
        data_dir / "uploads" / "rosters" / "old.csv",
        data_dir / "uploads" / "old.csv",
        imports.upload_dir() / "nested" / "old.csv",  # not ours either: only the top level is
    ]
    for path in others:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(CSV)
        age_file(path, days=30)
    age_file(imports.upload_dir() / "nested", days=30)

    assert imports.customer_imports_purge()["files_removed"] == 1
    assert all(path.is_file() for path in others)


def test_it_does_nothing_before_the_first_upload(world: World) -> None:
    assert not imports.upload_dir().exists()
    assert imports.customer_imports_purge() == NOTHING


def test_the_worker_housekeeping_runs_the_purge(world: World) -> None:
    from heard.core.services import housekeeping_run

    stale = age(upload(world.org), days=8)
    results = housekeeping_run()
    assert results["heard.customers.imports.customer_imports_purge"] == {
        "imports_deleted": 1, "failed_imports_closed": 0, "files_removed": 1,
    }  # fmt: skip
    assert not Path(stale.path).exists()

"""Importing customer items from a file: upload, choose the columns, then import in batches.

The file is read by `heard.customers.importing` (no Django). The import itself runs as a task
(`heard.customers.tasks.import_customer_items`) that commits every batch of rows together
with the import's counters, so whatever stops it (a deploy, SIGKILL, a full disk) leaves
counts that match the rows stored, and the next run carries on after the last batch.
"""

from __future__ import annotations

import csv
import io
import logging
import os
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from heard.customers import importing
from heard.customers.importing import ImportFileError, ItemRow, Record, RowError
from heard.customers.models import Channel, Customer, CustomerImport, Item, RatingScale
from heard.customers.rollups import days_mark
from heard.orgs.models import Organization, Person
from heard.surveys.exports import safe_cell

logger = logging.getLogger(__name__)

BATCH_SIZE = 1000
MAX_ERRORS_KEPT = 200
MAX_SOURCE_LENGTH = 80
# Import files hold customers' names, emails and messages: kept this long after the import's
# last activity (time to fix the mapping or let a retry finish), then deleted.
STALE_UPLOAD_AGE = timedelta(days=7)
# A file no import points to (its upload request died before the row was saved); an upload
# being written right now is much younger than this.
ORPHAN_FILE_AGE = timedelta(days=1)
FILE_PURGED_MESSAGE = (
    f"The file was deleted {STALE_UPLOAD_AGE.days} days after the import stopped, so this "
    "import can no longer be resumed. Upload the file again to import the rest: rows already "
    "imported are counted as already there."
)
FILE_MISSING_MESSAGE = (
    "The file of this import is no longer on disk, so it cannot be resumed. Upload the file "
    "again to import the rest: rows already imported are counted as already there."
)
_STARTABLE = (
    CustomerImport.Status.QUEUED,
    CustomerImport.Status.RUNNING,  # a worker was killed: carry on
    CustomerImport.Status.FAILED,  # a retry
)


def upload_dir() -> Path:
    return Path(settings.DATA_DIR) / "uploads" / "customer-imports"


def customer_import_upload(
    *,
    org: Organization,
    uploaded_by: Person | None,
    filename: str,
    chunks: Iterable[bytes],
) -> CustomerImport:
    """Save the file to disk chunk by chunk (never whole in memory), read its headers and
    first rows, and guess the columns. Raises ImportFileError with a message for the user;
    the file is then removed."""
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    suffix = Path(filename).suffix.lower()[:8] if Path(filename).suffix.isascii() else ""
    path = folder / f"{org.pk}-{uuid.uuid4().hex}{suffix}"
    try:
        size = 0
        with path.open("xb") as out:
            for chunk in chunks:
                size += len(chunk)
                if size > importing.MAX_BYTES:
                    raise ImportFileError(importing.size_message(size))
                out.write(chunk)
        summary = importing.summarise_file(path, filename=filename)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    mapping = importing.guess_mapping(summary.headers)
    return CustomerImport.objects.create(
        organization=org,
        uploaded_by=uploaded_by,
        filename=filename[:255],
        path=str(path),
        size=size,
        file_format=summary.file_format,
        encoding=summary.encoding,
        delimiter=summary.delimiter,
        headers=summary.headers,
        preview=summary.preview,
        mapping=mapping,
        rating_scale=importing.guess_rating_scale(mapping),
        source=summary.file_format,
    )


def customer_import_set_mapping(
    *,
    customer_import: CustomerImport,
    mapping: dict[str, str],
    rating_scale: str,
    source: str,
    default_channel: str,
) -> CustomerImport:
    if customer_import.status != CustomerImport.Status.UPLOADED:
        raise ValidationError("This import has started; its columns can no longer change.")
    try:
        chosen = importing.check_mapping(mapping, list(customer_import.headers))
    except ImportFileError as error:
        raise ValidationError(error.message) from error
    source = source.strip()
    if not source or len(source) > MAX_SOURCE_LENGTH:
        raise ValidationError(
            {"source": f"Give the source a name of 1 to {MAX_SOURCE_LENGTH} characters."}
        )
    if "rating" in chosen and rating_scale not in importing.RATING_SCALES:
        raise ValidationError(
            {"rating_scale": "Say whether ratings are 1 to 5 stars or 0 to 10 NPS."}
        )
    if rating_scale not in RatingScale.values:
        raise ValidationError({"rating_scale": "Choose a rating scale from the list."})
    if default_channel not in Channel.values:
        raise ValidationError({"default_channel": "Choose a channel from the list."})
    customer_import.mapping = chosen
    customer_import.rating_scale = rating_scale if "rating" in chosen else ""
    customer_import.source = source
    customer_import.default_channel = default_channel
    customer_import.save(update_fields=["mapping", "rating_scale", "source", "default_channel"])
    return customer_import


def customer_import_start(*, customer_import: CustomerImport) -> None:
    """Queue the import; without a worker (HEARD_TASK_BACKEND=immediate) it runs at once."""
    from heard.customers.tasks import import_customer_items

    with transaction.atomic():
        updated = CustomerImport.objects.filter(
            pk=customer_import.pk, status=CustomerImport.Status.UPLOADED
        ).update(status=CustomerImport.Status.QUEUED)
        if not updated:
            raise ValidationError("This import has already started.")
        import_id = customer_import.pk
        transaction.on_commit(lambda: import_customer_items.enqueue(import_id))
    customer_import.status = CustomerImport.Status.QUEUED


# --- Running -------------------------------------------------------------------------


class _Superseded(Exception):
    """Another run of the same import committed this batch first."""


@dataclass
class _Context:
    customer_import: CustomerImport
    people_by_email: dict[str, Person]
    people_by_name: dict[str, Person]
    undated: datetime  # items without a date get the time of the upload


def customer_import_run(*, import_id: int, batch_size: int = BATCH_SIZE) -> str:
    """Import what is left of the file. Safe to run twice, or after a killed run: it skips
    the rows already committed and, per row, items already stored."""
    customer_import = (
        CustomerImport.objects.select_related("organization").filter(pk=import_id).first()
    )
    if customer_import is None:
        return "skipped: import deleted"
    if customer_import.status not in _STARTABLE:
        return f"skipped: {customer_import.status}"
    if not customer_import.path:
        return "skipped: file removed"  # purged: see customer_imports_purge
    if not Path(customer_import.path).is_file():
        # Deleted by hand, or a data folder the worker does not see: say so on the page
        # rather than crash into retries. The path stays, should the file come back.
        _finish(customer_import, CustomerImport.Status.FAILED, FILE_MISSING_MESSAGE)
        return "skipped: file removed"
    now = timezone.now()
    customer_import.status = CustomerImport.Status.RUNNING
    customer_import.started_at = customer_import.started_at or now
    customer_import.finished_at = None
    customer_import.save(update_fields=["status", "started_at", "finished_at"])
    context = _Context(
        customer_import, *_people_lookups(customer_import.organization), customer_import.created_at
    )
    try:
        _run(context, batch_size)
    except _Superseded:
        return "skipped: another run is importing this file"
    except ImportFileError as error:
        _finish(customer_import, CustomerImport.Status.FAILED, error.message)
        return "failed"
    except Exception:
        # Marked failed so the page stops saying "importing"; heard_task queues a retry,
        # which carries on from the last committed batch.
        _finish(
            customer_import,
            CustomerImport.Status.FAILED,
            "The import stopped on an unexpected error; it is retried automatically.",
        )
        raise
    _finish(customer_import, CustomerImport.Status.DONE, "")
    Path(customer_import.path).unlink(missing_ok=True)
    analyse_later(customer_import.organization_id)
    return "done"


def analyse_later(org_id: int) -> None:
    """Queue the analysis of new items (and the themes, follow-ups and dashboard figures
    after it) for the worker: after an import, and for the API's items."""
    from heard.customers.analysis import analyse_due_items

    analyse_due_items.enqueue(org_id)


def _run(context: _Context, batch_size: int) -> None:
    customer_import = context.customer_import
    done = customer_import.rows_done
    with importing.RecordReader(
        Path(customer_import.path),
        file_format=customer_import.file_format,
        encoding=customer_import.encoding,
        delimiter=customer_import.delimiter,
    ) as reader:
        batch: list[Record] = []
        for record in reader.records():
            if record.number <= done:
                continue  # committed by an earlier run
            batch.append(record)
            if len(batch) == batch_size:
                _commit_batch(context, batch, bytes_read=reader.bytes_read)
                batch = []
        if batch:
            _commit_batch(context, batch, bytes_read=reader.bytes_read)


def _people_lookups(org: Organization) -> tuple[dict[str, Person], dict[str, Person]]:
    by_email: dict[str, Person] = {}
    by_name: dict[str, Person] = {}
    ambiguous: set[str] = set()
    for person in Person.objects.for_org(org).only("pk", "name", "email"):
        by_email[person.email.lower()] = person
        name = person.name.casefold()
        if name in by_name:
            ambiguous.add(name)
        by_name[name] = person
    for name in ambiguous:
        del by_name[name]  # two people share the name: better no agent than the wrong one
    return by_email, by_name


def _commit_batch(context: _Context, records: list[Record], *, bytes_read: int) -> None:
    customer_import = context.customer_import
    mapping = dict(customer_import.mapping)
    rows: list[ItemRow] = []
    errors: list[RowError] = []
    for record in records:
        row, problems = importing.check_record(
            record, mapping, rating_scale=customer_import.rating_scale
        )
        if row is not None:
            rows.append(row)
        errors.extend(problems)
    with transaction.atomic():
        # The lock makes two runs of one import take turns; the loser sees the counter moved.
        locked = CustomerImport.objects.select_for_update().get(pk=customer_import.pk)
        if locked.rows_done != records[0].number - 1:
            raise _Superseded
        created, skipped = _store_rows(context, rows)
        locked.rows_done = records[-1].number
        locked.rows_created += created
        locked.rows_skipped += skipped
        locked.error_count += len(errors)
        room = MAX_ERRORS_KEPT - len(locked.errors)
        locked.errors = list(locked.errors) + [_error_dict(e) for e in errors[: max(room, 0)]]
        locked.bytes_done = min(bytes_read, locked.size)
        locked.save(
            update_fields=[
                "rows_done", "rows_created", "rows_skipped", "error_count", "errors", "bytes_done",
            ]
        )  # fmt: skip
    for name in ("rows_done", "rows_created", "rows_skipped", "error_count", "errors"):
        setattr(customer_import, name, getattr(locked, name))


def _error_dict(error: RowError) -> dict[str, object]:
    return {"row": error.line, "column": error.column, "message": error.message}


def _store_rows(context: _Context, rows: list[ItemRow]) -> tuple[int, int]:
    """Insert the items not stored yet; returns (created, skipped)."""
    customer_import = context.customer_import
    org = customer_import.organization
    source = customer_import.source
    when = {row.external_id: _aware(row.occurred_at) or context.undated for row in rows}
    customers = customers_upsert(org, rows, when)
    ids = [row.external_id for row in rows]
    seen = set(
        Item.objects.filter(organization=org, source=source, external_id__in=ids).values_list(
            "external_id", flat=True
        )
    )
    new_items: list[Item] = []
    for row in rows:
        if row.external_id in seen:
            continue  # already stored, or earlier in this file
        seen.add(row.external_id)
        agent = context.people_by_email.get(row.agent.lower()) or context.people_by_name.get(
            row.agent.casefold()
        )
        new_items.append(
            Item(
                organization=org,
                source=source,
                external_id=row.external_id,
                customer=customers.get(row.customer_key),
                channel=row.channel or customer_import.default_channel,
                occurred_at=when[row.external_id],
                text=row.text,
                rating=row.rating,
                rating_scale=customer_import.rating_scale if row.rating is not None else "",
                agent=agent,
                agent_name=agent.name if agent else row.agent,
                thread_id=row.thread_id,
            )
        )
    # The unique constraint makes the insert idempotent even against another writer (the
    # API) that stored the same item since the look-up above.
    Item.objects.bulk_create(new_items, ignore_conflicts=True)
    days_mark(org.pk, (item.occurred_at for item in new_items))
    return len(new_items), len(rows) - len(new_items)


def _aware(value: datetime | None) -> datetime | None:
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value)


def customers_upsert(
    org: Organization, rows: list[ItemRow], when: dict[str, datetime]
) -> dict[str, Customer]:
    """Customers by key, created when new; first seen / last contact and a missing name or
    email are filled in from the rows."""
    first_row: dict[str, ItemRow] = {}
    first_seen: dict[str, datetime] = {}
    last_contact: dict[str, datetime] = {}
    for row in rows:
        if not (key := row.customer_key):
            continue
        first_row.setdefault(key, row)
        at = when[row.external_id]
        first_seen[key] = min(first_seen.get(key, at), at)
        last_contact[key] = max(last_contact.get(key, at), at)
    if not first_row:
        return {}
    found = {c.key: c for c in Customer.objects.filter(organization=org, key__in=first_row)}
    missing = [
        Customer(
            organization=org,
            key=key,
            name=row.customer_name,
            email=row.customer_email,
            first_seen=first_seen[key],
            last_contact=last_contact[key],
        )
        for key, row in first_row.items()
        if key not in found
    ]
    if missing:
        Customer.objects.bulk_create(missing, ignore_conflicts=True)
        found = {c.key: c for c in Customer.objects.filter(organization=org, key__in=first_row)}
    changed: list[Customer] = []
    for key, customer in found.items():
        row = first_row[key]
        before = (customer.name, customer.email, customer.first_seen, customer.last_contact)
        customer.name = customer.name or row.customer_name
        customer.email = customer.email or row.customer_email
        customer.first_seen = min(filter(None, (customer.first_seen, first_seen[key])))
        customer.last_contact = max(filter(None, (customer.last_contact, last_contact[key])))
        if (customer.name, customer.email, customer.first_seen, customer.last_contact) != before:
            changed.append(customer)
    if changed:
        Customer.objects.bulk_update(changed, ["name", "email", "first_seen", "last_contact"])
    return found


def _finish(customer_import: CustomerImport, status: str, message: str) -> None:
    with transaction.atomic():
        locked = CustomerImport.objects.select_for_update().get(pk=customer_import.pk)
        locked.status = status
        locked.finished_at = timezone.now()
        if status == CustomerImport.Status.DONE:
            locked.bytes_done = locked.size
        if message:
            locked.error_count += 1
            # A whole-file problem is always kept, even past the limit: it explains the stop.
            locked.errors = [
                *locked.errors[: MAX_ERRORS_KEPT - 1],
                {"row": "", "column": "", "message": message, "fatal": True},
            ]
        locked.save(update_fields=["status", "finished_at", "bytes_done", "error_count", "errors"])
    customer_import.status = locked.status


# --- Housekeeping --------------------------------------------------------------------


def customer_imports_purge() -> dict[str, int]:
    """Housekeeping (the worker, hourly), across all organisations. Import files hold
    customers' names, emails and messages, so none stays on disk for good:

    - an upload never started, untouched for STALE_UPLOAD_AGE, goes with its file;
    - a failed import, untouched for STALE_UPLOAD_AGE, loses its file but keeps its row (its
      counters and errors are history: the rows it stored stay) and can't be resumed;
    - a file no import needs, older than ORPHAN_FILE_AGE, goes.

    Queued and running imports are never touched: a worker may be reading their file."""
    now = timezone.now()
    stale = CustomerImport.objects.alias(
        last_activity=Coalesce("finished_at", "created_at")
    ).filter(last_activity__lt=now - STALE_UPLOAD_AGE)
    imports_deleted = failed_imports_closed = files_removed = 0

    never_started = stale.filter(status=CustomerImport.Status.UPLOADED)
    for import_id, path in list(never_started.values_list("pk", "path")):
        # Only while still unstarted: the admin may have started it since the look-up.
        deleted, _ = never_started.filter(pk=import_id).delete()
        if deleted:
            imports_deleted += 1
            files_removed += _delete_file(path)

    failed = stale.filter(status=CustomerImport.Status.FAILED).exclude(path="")
    for import_id in list(failed.values_list("pk", flat=True)):
        closed_path = _give_up_file(failed, import_id=import_id, message=FILE_PURGED_MESSAGE)
        if closed_path is not None:
            failed_imports_closed += 1
            files_removed += _delete_file(closed_path)

    files_removed += _delete_orphan_files(older_than=now - ORPHAN_FILE_AGE)
    return {
        "imports_deleted": imports_deleted,
        "failed_imports_closed": failed_imports_closed,
        "files_removed": files_removed,
    }


def _give_up_file(
    candidates: QuerySet[CustomerImport], *, import_id: int, message: str
) -> str | None:
    """Mark the import failed for good, with no file and `message` as its last error, if it
    is still one of `candidates`. Returns the path of the file to delete after the commit (so
    a failed commit never leaves a row pointing to a deleted file), or None."""
    with transaction.atomic():
        locked = candidates.select_for_update().filter(pk=import_id).exclude(path="").first()
        if locked is None:
            return None
        path = locked.path
        locked.path = ""
        locked.status = CustomerImport.Status.FAILED
        locked.finished_at = locked.finished_at or timezone.now()
        locked.error_count += 1
        locked.errors = [
            *locked.errors[: MAX_ERRORS_KEPT - 1],
            {"row": "", "column": "", "message": message, "fatal": True},
        ]
        locked.save(update_fields=["path", "status", "finished_at", "error_count", "errors"])
    return path


def _delete_orphan_files(*, older_than: datetime) -> int:
    """Delete the files in upload_dir() (not below it) that no unfinished import points to. A
    done import's file is normally deleted by its run; this also catches one whose worker was
    killed in between, and the files of a deleted organisation."""
    folder = upload_dir()
    if not folder.is_dir():
        return 0
    needed = {
        Path(path).name
        for path in CustomerImport.objects.exclude(status=CustomerImport.Status.DONE)
        .exclude(path="")
        .values_list("path", flat=True)
    }
    cutoff = older_than.timestamp()
    removed = 0
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name in needed or not entry.is_file(follow_symlinks=False):
                continue
            if entry.stat(follow_symlinks=False).st_mtime < cutoff:
                removed += _delete_file(entry.path)
    return removed


def _delete_file(path: str) -> int:
    """1 when a file was deleted; 0 when there was none, or it could not be (logged: the
    next run tries again, as an orphan, and one stuck file must not stop the others)."""
    if not path:
        return 0
    try:
        Path(path).unlink()
    except FileNotFoundError:
        return 0
    except OSError:
        logger.warning("Could not delete the customer import file %s", path, exc_info=True)
        return 0
    return 1


# --- Reading back --------------------------------------------------------------------


def customer_import_progress(customer_import: CustomerImport) -> int:
    """Percent of the file read (by bytes: the number of rows is unknown until the end)."""
    if customer_import.status == CustomerImport.Status.DONE:
        return 100
    if not customer_import.size:
        return 0
    return min(99, customer_import.bytes_done * 100 // customer_import.size)


def customer_import_errors_csv(customer_import: CustomerImport) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["row", "column", "message"])
    for error in customer_import.errors:
        writer.writerow(
            [error.get("row", ""), safe_cell(error.get("column", "")), safe_cell(error["message"])]
        )
    if customer_import.error_count > len(customer_import.errors):
        hidden = customer_import.error_count - len(customer_import.errors)
        writer.writerow(["", "", f"... and {hidden} more (only the first ones are kept)"])
    return out.getvalue()

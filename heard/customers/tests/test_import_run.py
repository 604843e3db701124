"""The import service and task: idempotency, resuming, row errors, customers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.test import TestCase

from conftest import World
from heard.customers import imports
from heard.customers.importing import ImportFileError
from heard.customers.models import Customer, CustomerImport, Item
from heard.customers.tasks import import_customer_items

CSV = (
    "Ticket ID,Created,Message,Customer Email,Customer Name,Rating,Assignee\n"
    "T-1,2024-03-01 09:00,The parcel arrived broken.,ann@example.com,Ann,2,{agent}\n"
    'T-2,01/03/2024,"Thanks, all sorted!",ANN@example.com,Ann,5,\n'
    "T-3,1709647200,Where is my refund?,bob@example.com,Bob,1,Nobody Known\n"
    'T-4,2024-03-02,"=HYPERLINK(""http://evil.example"",""click"")",eve@example.com,Eve,,\n'
)


def upload(world: World, data: str | bytes, filename: str = "tickets.csv") -> CustomerImport:
    raw = data.encode() if isinstance(data, str) else data
    return imports.customer_import_upload(
        org=world.org, uploaded_by=world.admin, filename=filename, chunks=[raw[:7], raw[7:]]
    )


def run(
    world: World, data: str | bytes, filename: str = "tickets.csv", **extra: str
) -> CustomerImport:
    customer_import = upload(world, data, filename)
    imports.customer_import_set_mapping(
        customer_import=customer_import,
        mapping={**customer_import.mapping, **extra},
        rating_scale=customer_import.rating_scale,
        source="helpdesk",
        default_channel="ticket",
    )
    with TestCase.captureOnCommitCallbacks(execute=True):
        imports.customer_import_start(customer_import=customer_import)  # runs inline in tests
    customer_import.refresh_from_db()
    return customer_import


def test_it_imports_a_csv(world: World) -> None:
    customer_import = run(world, CSV.format(agent=world.employee.email.upper()))
    assert customer_import.status == CustomerImport.Status.DONE
    assert (customer_import.rows_done, customer_import.rows_created) == (4, 4)
    assert (customer_import.rows_skipped, customer_import.error_count) == (0, 0)
    assert customer_import.bytes_done == customer_import.size
    assert customer_import.started_at and customer_import.finished_at
    assert not Path(customer_import.path).exists()  # the file goes once it is imported

    items = {i.external_id: i for i in Item.objects.for_org(world.org)}
    assert items["T-1"].agent == world.employee
    assert items["T-1"].agent_name == world.employee.name
    assert (items["T-1"].rating, items["T-1"].rating_scale) == (2, "stars5")
    assert items["T-1"].occurred_at.isoformat() == "2024-03-01T09:00:00+00:00"
    assert items["T-2"].occurred_at.isoformat() == "2024-03-01T00:00:00+00:00"
    assert items["T-3"].occurred_at.isoformat() == "2024-03-05T14:00:00+00:00"
    assert (items["T-3"].agent, items["T-3"].agent_name) == (None, "Nobody Known")
    assert items["T-4"].text == '=HYPERLINK("http://evil.example","click")'  # as written
    assert (items["T-4"].rating, items["T-4"].rating_scale) == (None, "")
    assert {i.source for i in items.values()} == {"helpdesk"}

    ann = Customer.objects.get(organization=world.org, key="ann@example.com")
    assert ann.name == "Ann"
    assert {items["T-1"].customer_id, items["T-2"].customer_id} == {ann.pk}
    assert ann.first_seen == items["T-2"].occurred_at
    assert ann.last_contact == items["T-1"].occurred_at
    assert Customer.objects.for_org(world.org).count() == 3


def test_it_imports_json_lines(world: World) -> None:
    lines = [
        {"id": 1, "text": "Love the new app", "customer_id": "C-9", "name": "Zoe", "nps": 10,
         "channel": "review", "created_at": "2024-05-01T10:00:00+02:00"},
        {"id": 2, "text": "Still waiting", "customer_id": "C-9", "nps": 3, "channel": "Email"},
    ]  # fmt: skip
    data = "".join(json.dumps(line) + "\n" for line in lines)
    customer_import = run(world, data, "export.jsonl")
    assert customer_import.file_format == "jsonl"
    assert customer_import.rating_scale == "nps10"
    assert (customer_import.status, customer_import.rows_created) == ("done", 2)
    first, second = Item.objects.for_org(world.org).order_by("external_id")
    assert first.customer is not None
    assert (first.rating, first.channel, first.customer.key) == (10, "review", "C-9")
    assert first.occurred_at.isoformat() == "2024-05-01T08:00:00+00:00"
    assert second.channel == "email"
    assert second.occurred_at == customer_import.created_at  # no date: the upload time
    assert Customer.objects.get(organization=world.org, key="C-9").name == "Zoe"


def test_the_same_file_twice_stores_each_item_once(world: World) -> None:
    data = CSV.format(agent="")
    first = run(world, data)
    second = run(world, data)
    assert (first.rows_created, first.rows_skipped) == (4, 0)
    assert (second.rows_created, second.rows_skipped, second.rows_done) == (0, 4, 4)
    assert Item.objects.for_org(world.org).count() == 4
    assert Customer.objects.for_org(world.org).count() == 3


def test_running_the_task_again_changes_nothing(world: World) -> None:
    customer_import = run(world, CSV.format(agent=""))
    result = import_customer_items.enqueue(customer_import.pk)
    assert result.return_value == "skipped: done"
    assert Item.objects.for_org(world.org).count() == 4


def test_it_resumes_after_the_last_committed_batch(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = "".join(f"{n},2024-01-01,Text {n}\n" for n in range(1, 2501))
    customer_import = upload(world, "id,date,text\n" + body)
    imports.customer_import_set_mapping(
        customer_import=customer_import,
        mapping=customer_import.mapping,
        rating_scale="",
        source="csv",
        default_channel="chat",
    )
    CustomerImport.objects.filter(pk=customer_import.pk).update(status="queued")
    commit = imports._commit_batch
    calls = []

    def commit_then_die(*args: object, **kwargs: object) -> None:
        calls.append(1)
        if len(calls) == 2:
            raise KeyboardInterrupt  # like SIGKILL: no clean-up code runs after it
        commit(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(imports, "_commit_batch", commit_then_die)
    with pytest.raises(KeyboardInterrupt):
        imports.customer_import_run(import_id=customer_import.pk)
    customer_import.refresh_from_db()
    assert (customer_import.status, customer_import.rows_done) == ("running", 1000)
    assert Item.objects.for_org(world.org).count() == 1000
    assert 0 < customer_import.bytes_done < customer_import.size

    monkeypatch.setattr(imports, "_commit_batch", commit)
    assert import_customer_items.enqueue(customer_import.pk).return_value == "done"
    customer_import.refresh_from_db()
    assert (customer_import.rows_done, customer_import.rows_created) == (2500, 2500)
    assert customer_import.rows_skipped == 0
    stored = Item.objects.for_org(world.org).values_list("external_id", flat=True)
    assert sorted(stored, key=int) == [str(n) for n in range(1, 2501)]
    assert Item.objects.for_org(world.org).get(external_id="7").channel == "chat"


def test_a_second_run_that_lost_the_race_stops(world: World) -> None:
    customer_import = upload(world, "id,text\n1,a\n2,b\n")
    # Another worker committed both rows after this one read rows_done = 0.
    CustomerImport.objects.filter(pk=customer_import.pk).update(status="running")
    context = imports._Context(customer_import, {}, {}, customer_import.created_at)
    CustomerImport.objects.filter(pk=customer_import.pk).update(rows_done=2)
    with pytest.raises(imports._Superseded):
        imports._run(context, batch_size=1000)
    assert not Item.objects.exists()


def test_row_errors_are_reported_and_the_rest_imported(world: World) -> None:
    rows = [
        "1,2024-01-01,Fine,4",
        "2,2024-01-01,,4",
        "3,not a date,Broken date,4",
        "4,2024-01-01,Too high,9",
        "5,2024-01-01," + "x" * (1024 * 1024 + 1) + ",3",
        "1,2024-01-02,Same id again in this file,4",
    ]
    customer_import = run(world, "id,date,text,rating\n" + "\n".join(rows) + "\n")
    assert customer_import.status == "done"
    assert (customer_import.rows_done, customer_import.rows_created) == (6, 1)
    assert (customer_import.rows_skipped, customer_import.error_count) == (1, 4)
    assert [(e["row"], e["column"]) for e in customer_import.errors] == [
        (3, "text"), (4, "date"), (5, "rating"), (6, "text"),
    ]  # fmt: skip
    assert "text over 1 MB" in customer_import.errors[3]["message"]
    report = imports.customer_import_errors_csv(customer_import)
    assert report.splitlines()[0] == "row,column,message"
    assert "3,text,The text is missing." in report


def test_it_keeps_at_most_200_errors_but_counts_them_all(world: World) -> None:
    body = "".join(f"{n},2024-01-01,\n" for n in range(450))
    customer_import = run(world, "id,date,text\n" + body)
    assert (customer_import.error_count, len(customer_import.errors)) == (450, 200)
    assert customer_import.rows_done == 450
    assert "and 250 more" in imports.customer_import_errors_csv(customer_import)


def test_an_unclosed_quote_fails_the_import_but_keeps_the_batches_before(world: World) -> None:
    body = "".join(f"{n},2024-01-01,Fine {n}\n" for n in range(1500)) + '1500,2024-01-01,"oops\n'
    customer_import = run(world, "id,date,text\n" + body)
    assert customer_import.status == CustomerImport.Status.FAILED
    assert customer_import.rows_done == 1000  # the first batch was committed
    assert Item.objects.for_org(world.org).count() == 1000
    assert customer_import.errors[-1]["message"].startswith("A quoted value starting on line")
    assert customer_import.finished_at is not None


def test_the_mapping_is_checked(world: World) -> None:
    customer_import = upload(world, "id,body,score\n1,x,4\n")
    with pytest.raises(ValidationError, match="Text"):
        imports.customer_import_set_mapping(
            customer_import=customer_import, mapping={"external_id": "id"},
            rating_scale="", source="csv", default_channel="ticket",
        )  # fmt: skip
    with pytest.raises(ValidationError, match="1 to 5 stars"):
        imports.customer_import_set_mapping(
            customer_import=customer_import,
            mapping={"external_id": "id", "text": "body", "rating": "score"},
            rating_scale="", source="csv", default_channel="ticket",
        )  # fmt: skip
    with pytest.raises(ValidationError, match="source a name"):
        imports.customer_import_set_mapping(
            customer_import=customer_import, mapping={"external_id": "id", "text": "body"},
            rating_scale="", source=" ", default_channel="ticket",
        )  # fmt: skip


def test_a_rejected_upload_leaves_no_file(world: World, data_dir: Path) -> None:
    with pytest.raises(ImportFileError, match="appears twice"):
        upload(world, "id,text,Text\n1,a,b\n")
    assert list(imports.upload_dir().iterdir()) == []
    assert not CustomerImport.objects.exists()

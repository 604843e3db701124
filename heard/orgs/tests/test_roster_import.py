"""Roster import end to end through the views: upload, check, import, re-import."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import World
from heard.orgs.models import Person, RosterImport, Team

pytestmark = pytest.mark.django_db

GOOD = (
    "Full name,Work email,Department,Manager email,Start date,Office,Customer facing\n"
    "Zoë Müller,zoe@org-a.example,Support,,2024-03-01,Leeds,yes\n"
    "José Álvarez,jose@org-a.example,Finance,zoe@org-a.example,2022-11-15,Remote,no\n"
    '"=HYPERLINK(""http://evil.example"",""click"")",formula@org-a.example,Support,,,,\n'
)


def _upload(client: Client, content: bytes, name: str = "roster.csv") -> object:
    return client.post(
        "/people/import/", {"file": SimpleUploadedFile(name, content, "text/csv")}, follow=True
    )


def _latest() -> RosterImport:
    latest = RosterImport.objects.order_by("-pk").first()
    assert latest is not None
    return latest


def _import(client: Client, content: bytes) -> RosterImport:
    response = _upload(client, content)
    assert b"Ready to import" in response.content, response.content.decode()[:3000]  # type: ignore[attr-defined]
    roster_import = _latest()
    done = client.post(f"/people/import/{roster_import.pk}/apply/", follow=True)
    assert b"Roster imported" in done.content
    roster_import.refresh_from_db()
    return roster_import


@pytest.mark.parametrize(
    "encoding", ["utf-8", "utf-8-sig", "utf-16", "utf-16-be", "latin-1", "cp1252"]
)
def test_it_reads_each_encoding(world: World, admin_client: Client, encoding: str) -> None:
    content = GOOD.encode(encoding)
    if encoding == "utf-16-be":
        content = b"\xfe\xff" + content  # a BOM, as spreadsheet apps write it
    if encoding in ("latin-1", "cp1252"):
        content = GOOD.replace("Zoë Müller", "Zoë Müller").encode(encoding)
    _import(admin_client, content)
    names = set(Person.objects.for_org(world.org).values_list("name", flat=True))
    assert {"Zoë Müller", "José Álvarez"} <= names


@pytest.mark.parametrize("delimiter", [";", "\t", "|"])
def test_it_reads_each_delimiter(world: World, admin_client: Client, delimiter: str) -> None:
    content = "name,email,team\nAmy Ng,amy@org-a.example,Sales\nBo Li,bo@org-a.example,Sales\n"
    _import(admin_client, content.replace(",", delimiter).encode())
    assert Person.objects.for_org(world.org).filter(team__name="Sales").count() == 2


def test_it_imports_people_teams_and_managers(world: World, admin_client: Client) -> None:
    roster_import = _import(admin_client, GOOD.encode())
    assert roster_import.summary["created"] == 3
    assert roster_import.rows == []
    jose = Person.objects.get(organization=world.org, email="jose@org-a.example")
    assert jose.team is not None and jose.team.name == "Finance"
    assert jose.manager is not None and jose.manager.email == "zoe@org-a.example"
    assert jose.location == "Remote"
    assert str(jose.start_date) == "2022-11-15"
    zoe = Person.objects.get(organization=world.org, email="zoe@org-a.example")
    assert zoe.customer_facing is True
    assert Team.objects.for_org(world.org).filter(name="Finance").exists()


def test_it_keeps_formula_cells_as_text(world: World, admin_client: Client) -> None:
    _import(admin_client, GOOD.encode())
    person = Person.objects.get(organization=world.org, email="formula@org-a.example")
    assert person.name == '=HYPERLINK("http://evil.example","click")'
    page = admin_client.get(f"/people/{person.pk}/")
    assert b"=HYPERLINK(&quot;http://evil.example&quot;" in page.content
    assert b'<a href="http://evil.example"' not in page.content


def test_it_changes_nothing_when_the_same_file_comes_again(
    world: World, admin_client: Client
) -> None:
    _import(admin_client, GOOD.encode())
    fields = [f.name for f in Person._meta.concrete_fields if f.name != "updated_at"]
    before = list(Person.objects.for_org(world.org).order_by("pk").values(*fields))
    again = _import(admin_client, GOOD.encode())
    assert again.summary["created"] == 0
    assert again.summary["updated"] == 0
    assert again.summary["unchanged"] == 3
    after = list(Person.objects.for_org(world.org).order_by("pk").values(*fields))
    assert before == after


def test_it_moves_a_person_to_a_new_team(world: World, admin_client: Client) -> None:
    _import(admin_client, GOOD.encode())
    moved = GOOD.replace("jose@org-a.example,Finance", "jose@org-a.example,Support")
    again = _import(admin_client, moved.encode())
    assert again.summary["updated"] == 1
    jose = Person.objects.get(organization=world.org, email="jose@org-a.example")
    assert jose.team is not None and jose.team.name == "Support"


def test_it_shows_row_errors_and_writes_nothing(world: World, admin_client: Client) -> None:
    bad = GOOD + "No Email,,Support,,,,\nBad Date,bad@org-a.example,Support,,31/02/2024,,\n"
    count = Person.objects.count()
    response = _upload(admin_client, bad.encode())
    assert b"problems to fix" in response.content  # type: ignore[attr-defined]
    assert b"Nothing has been imported" in response.content  # type: ignore[attr-defined]
    roster_import = _latest()
    assert roster_import.status == RosterImport.Status.INVALID
    assert {e["line"] for e in roster_import.errors} == {5, 6}
    refused = admin_client.post(f"/people/import/{roster_import.pk}/apply/", follow=True)
    assert b"Fix the row errors" in refused.content
    assert Person.objects.count() == count


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", b"empty"),
        (b"PK\x03\x04" + b"\x00" * 200, b"spreadsheet or binary file"),
        (b"name,email\n", b"only has a header row"),
    ],
)
def test_it_rejects_bad_files_with_a_reason(
    world: World, admin_client: Client, content: bytes, message: bytes
) -> None:
    response = _upload(admin_client, content)
    assert message in response.content.lower()  # type: ignore[attr-defined]
    assert not RosterImport.objects.exists()


def test_it_rejects_an_oversize_file(world: World, admin_client: Client) -> None:
    content = b"name,email\n" + b"x" * (10 * 1024 * 1024 + 10)
    response = _upload(admin_client, content)
    assert b"the limit is 10 MB" in response.content  # type: ignore[attr-defined]
    assert not RosterImport.objects.exists()


def test_it_rejects_a_file_without_an_email_column_until_mapped(
    world: World, admin_client: Client
) -> None:
    content = b"Who,Address\nAmy Ng,amy@org-a.example\n"
    response = _upload(admin_client, content)
    assert b"Match your columns" in response.content  # type: ignore[attr-defined]
    roster_import = _latest()
    assert roster_import.status == RosterImport.Status.UPLOADED
    mapping = {f"map_{name}": "" for name in ("team", "manager_email", "start_date")}
    mapping |= {"map_name": "0", "map_email": "1", "date_format": "iso"}
    for name in ("location", "customer_facing", "role", "role_family"):
        mapping[f"map_{name}"] = ""
    checked = admin_client.post(f"/people/import/{roster_import.pk}/", mapping, follow=True)
    assert b"Ready to import" in checked.content


def test_it_refuses_a_second_apply(world: World, admin_client: Client) -> None:
    roster_import = _import(admin_client, GOOD.encode())
    again = admin_client.post(f"/people/import/{roster_import.pk}/apply/", follow=True)
    assert b"already been imported" in again.content
    assert Person.objects.filter(email="zoe@org-a.example").count() == 1


def test_it_never_demotes_the_importing_admin(world: World, admin_client: Client) -> None:
    content = f"name,email,role\nAda Admin,{world.admin.email},employee\n".encode()
    roster_import = _import(admin_client, content)
    world.admin.refresh_from_db()
    assert world.admin.role == "admin"
    assert any("your own role" in note for note in roster_import.summary["notes"])


def test_it_is_for_admins_only(manager_client: Client, employee_client: Client) -> None:
    assert manager_client.get("/people/import/").status_code == 404
    assert employee_client.get("/people/import/").status_code == 404


def test_it_refuses_a_reporting_loop(world: World, admin_client: Client) -> None:
    content = (
        "name,email,manager email\n"
        "Al,al@org-a.example,bo@org-a.example\n"
        "Bo,bo@org-a.example,al@org-a.example\n"
        "Cy,cy@org-a.example,al@org-a.example\n"
    )
    response = _upload(admin_client, content.encode())
    assert b"reporting loop" in response.content  # type: ignore[attr-defined]
    assert {e["line"] for e in _latest().errors} == {2, 3}


def test_it_deletes_uploads_never_imported_after_a_week(world: World, admin_client: Client) -> None:
    from datetime import timedelta

    import time_machine
    from django.utils import timezone

    _upload(admin_client, b"name,email\nAl,not-an-email\n")
    stale = _latest()
    with time_machine.travel(timezone.now() + timedelta(days=8)):
        _upload(admin_client, GOOD.encode())
    assert not RosterImport.objects.filter(pk=stale.pk).exists()
    assert RosterImport.objects.count() == 1

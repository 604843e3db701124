"""The import pages: upload, columns, progress and the error report; who may see them."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from conftest import World
from heard.customers.models import CustomerImport, Item

CSV = b"id,date,message,email\nT-1,2024-03-01,Broken again,ann@example.com\nT-2,,Thanks!,\n"


def post_file(client: Client, data: bytes, name: str = "tickets.csv") -> Any:
    return client.post(reverse("customer_imports:upload"), {"file": SimpleUploadedFile(name, data)})


def mapping_post(**extra: str) -> dict[str, str]:
    return {
        "column_text": "message", "column_external_id": "id", "column_occurred_at": "date",
        "column_customer_email": "email", "source": "helpdesk", "default_channel": "review",
        "rating_scale": "", **extra,
    }  # fmt: skip


def test_it_uploads_maps_and_imports(
    admin_client: Client, world: World, django_capture_on_commit_callbacks: Any
) -> None:
    response = post_file(admin_client, CSV)
    customer_import = CustomerImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("customer_imports:mapping", args=[customer_import.pk])

    page = admin_client.get(response["Location"])
    assert page.status_code == 200
    content = page.content.decode()
    assert "Broken again" in content  # the preview
    assert '<option value="message" selected>' in content  # the guessed mapping

    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(page.request["PATH_INFO"], mapping_post())
    assert response.status_code == 302
    assert response["Location"] == reverse("customer_imports:detail", args=[customer_import.pk])
    customer_import.refresh_from_db()
    assert (customer_import.status, customer_import.rows_created) == ("done", 2)
    assert set(Item.objects.for_org(world.org).values_list("source", "channel")) == {
        ("helpdesk", "review")
    }
    detail = admin_client.get(response["Location"])
    assert "Imported" in detail.content.decode()
    assert 'hx-trigger="every 2s"' not in detail.content.decode()  # nothing left to poll


def test_an_unusable_file_is_refused_with_a_message(admin_client: Client) -> None:
    response = post_file(admin_client, b"id,text,ID\n1,a,b\n")
    assert response.status_code == 200
    assert "appears twice" in response.content.decode()
    response = post_file(admin_client, b"")
    assert response.status_code == 200
    assert not CustomerImport.objects.exists()


def test_the_mapping_page_shows_mapping_problems(admin_client: Client) -> None:
    post_file(admin_client, CSV)
    customer_import = CustomerImport.objects.get()
    url = reverse("customer_imports:mapping", args=[customer_import.pk])
    response = admin_client.post(url, mapping_post(column_text="id"))
    assert response.status_code == 200
    assert "chosen for both" in response.content.decode()
    customer_import.refresh_from_db()
    assert customer_import.status == "uploaded"


def test_the_progress_page_polls_while_running(admin_client: Client) -> None:
    post_file(admin_client, CSV)
    customer_import = CustomerImport.objects.get()
    CustomerImport.objects.filter(pk=customer_import.pk).update(
        status="running", rows_done=1000, bytes_done=customer_import.size // 2
    )
    url = reverse("customer_imports:detail", args=[customer_import.pk])
    page = admin_client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in page
    assert "reload it" in page  # the way without JavaScript
    assert "<h1>" in page
    partial = admin_client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "<h1>" not in partial
    assert 'id="import-progress"' in partial
    assert "1000" in partial
    assert 'value="49"' in partial or 'value="50"' in partial


def test_the_error_report_downloads_as_csv(admin_client: Client) -> None:
    post_file(admin_client, CSV)
    customer_import = CustomerImport.objects.get()
    CustomerImport.objects.filter(pk=customer_import.pk).update(
        status="done",
        error_count=1,
        errors=[{"row": 3, "column": "message", "message": "=cmd|' /C calc'!A0"}],
    )
    response = admin_client.get(reverse("customer_imports:errors_csv", args=[customer_import.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv"
    assert "attachment" in response["Content-Disposition"]
    assert response.content.decode().splitlines() == [
        "row,column,message",
        "3,message,'=cmd|' /C calc'!A0",  # never run by a spreadsheet
    ]


@pytest.mark.parametrize("name", ["upload", "mapping", "detail", "errors_csv"])
def test_only_admins_of_the_organisation_get_in(
    admin_client: Client,
    outsider_client: Client,
    manager_client: Client,
    employee_client: Client,
    name: str,
) -> None:
    post_file(admin_client, CSV)
    customer_import = CustomerImport.objects.get()
    url = reverse(f"customer_imports:{name}", args=[] if name == "upload" else [customer_import.pk])
    assert admin_client.get(url).status_code == 200
    if name != "upload":
        assert outsider_client.get(url).status_code == 404  # another org's import
    assert manager_client.get(url).status_code == 404
    assert employee_client.get(url).status_code == 404
    assert Client().get(url).status_code == 302  # to the sign-in page


def test_an_outsider_cannot_start_another_orgs_import(
    admin_client: Client, outsider_client: Client
) -> None:
    post_file(admin_client, CSV)
    customer_import = CustomerImport.objects.get()
    url = reverse("customer_imports:mapping", args=[customer_import.pk])
    assert outsider_client.post(url, mapping_post()).status_code == 404
    customer_import.refresh_from_db()
    assert customer_import.status == "uploaded"

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from pytest_django import DjangoCaptureOnCommitCallbacks as Capture

from heard.orgs.models import Organization, Person

pytestmark = pytest.mark.django_db


def test_it_creates_an_organisation_whose_admin_can_join(
    django_capture_on_commit_callbacks: Capture,
) -> None:
    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_organisation",
            "Birch Ltd",
            "--admin-email",
            "Kim@Birch.example",
            "--admin-name",
            "Kim Lee",
            stdout=out,
        )
    org = Organization.objects.get(name="Birch Ltd")
    admin = Person.objects.get(organization=org)
    assert admin.role == "admin"
    assert admin.email == "kim@birch.example"
    link = next(line.strip() for line in out.getvalue().splitlines() if "/invite/" in line)
    path = link[link.index("/invite/") :]
    client = Client()
    response = client.post(
        path,
        {"name": "Kim Lee", "password": "birch-trees-grow", "password_again": "birch-trees-grow"},
    )
    assert response.status_code == 302
    assert b"What to do next" in client.get("/").content


def test_it_refuses_an_email_already_in_use(django_capture_on_commit_callbacks: Capture) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        call_command(
            "create_organisation",
            "A",
            "--admin-email",
            "a@x.example",
            "--admin-name",
            "A",
            stdout=StringIO(),
        )
    with pytest.raises(CommandError, match="already in an organisation"):
        call_command(
            "create_organisation", "B", "--admin-email", "A@x.example", "--admin-name", "B"
        )
    assert Organization.objects.count() == 1

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks as Capture

from conftest import World
from heard.orgs.models import Invitation, Person
from heard.orgs.services.invitations import invitation_send, invitation_token
from tests.factories import make_person

pytestmark = pytest.mark.django_db


def _invite(world: World, django_capture_on_commit_callbacks: Capture) -> tuple[Person, Invitation]:
    newcomer = make_person(world.org, name="Nia Newcomer", email="nia@org-a.example")
    with django_capture_on_commit_callbacks(execute=True):
        invitation = invitation_send(person=newcomer, invited_by=world.admin)
    return newcomer, invitation


def test_it_emails_a_single_use_link(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    newcomer, invitation = _invite(world, django_capture_on_commit_callbacks)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["nia@org-a.example"]
    assert "Org A invites you" in message.subject
    link = next(line for line in str(message.body).splitlines() if "/invite/" in line)
    path = link[link.index("/invite/") :]
    invitation.refresh_from_db()
    assert invitation.sent_at is not None

    client = Client()
    page = client.get(path)
    assert b"Join Org A" in page.content
    response = client.post(
        path,
        {
            "name": "Nia N.",
            "password": "listen-to-people-42",
            "password_again": "listen-to-people-42",
        },
    )
    assert response.status_code == 302
    newcomer.refresh_from_db()
    assert newcomer.user is not None
    assert newcomer.user.check_password("listen-to-people-42")
    assert newcomer.name == "Nia N."
    # Single use: the same link now says it no longer works.
    again = Client().get(path)
    assert again.status_code == 404
    assert b"does not work" in again.content


def test_it_rejects_a_weak_password_and_keeps_the_link_usable(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    _newcomer, invitation = _invite(world, django_capture_on_commit_callbacks)
    url = f"/invite/{invitation_token(invitation)}/"
    response = Client().post(url, {"name": "Nia", "password": "123", "password_again": "123"})
    assert response.status_code == 200
    assert b"too short" in response.content
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_it_refuses_an_expired_link(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    _, invitation = _invite(world, django_capture_on_commit_callbacks)
    url = f"/invite/{invitation_token(invitation)}/"
    with time_machine.travel(timezone.now() + timedelta(days=15)):
        assert Client().get(url).status_code == 404


def test_it_revokes_the_old_link_when_a_new_one_is_sent(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    newcomer, first = _invite(world, django_capture_on_commit_callbacks)
    with django_capture_on_commit_callbacks(execute=True):
        second = invitation_send(person=newcomer, invited_by=world.admin)
    assert Client().get(f"/invite/{invitation_token(first)}/").status_code == 404
    assert Client().get(f"/invite/{invitation_token(second)}/").status_code == 200


def test_it_rejects_a_tampered_token(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    _, invitation = _invite(world, django_capture_on_commit_callbacks)
    token = invitation_token(invitation)
    assert Client().get(f"/invite/{token[:-2]}xx/").status_code == 404


def test_it_does_not_mail_an_invitation_twice(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    from heard.orgs.tasks import send_invitation_email

    _, invitation = _invite(world, django_capture_on_commit_callbacks)
    assert send_invitation_email.enqueue(invitation.pk).return_value == "skipped: already sent"
    assert len(mail.outbox) == 1


def test_it_lets_an_admin_invite_from_the_person_page(
    world: World, admin_client: Client, django_capture_on_commit_callbacks: Capture
) -> None:
    newcomer = make_person(world.org, name="Ola")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/people/{newcomer.pk}/invite/", follow=True)
    assert b"An invitation is on its way" in response.content
    assert Invitation.objects.filter(person=newcomer).count() == 1
    assert len(mail.outbox) == 1

from __future__ import annotations

import pytest
from django.core import mail
from django.test import Client

from conftest import World
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def _sign_in(client: Client, email: str, password: str) -> object:
    return client.post("/account/signin/", {"username": email, "password": password})


def test_it_signs_in_with_email_and_password(world: World) -> None:
    client = Client()
    response = _sign_in(client, world.admin.email.upper(), PASSWORD)
    assert response.status_code == 302  # type: ignore[attr-defined]
    assert response["Location"] == "/"  # type: ignore[index]
    assert b"Hello, Ada Admin" in client.get("/").content


def test_it_rejects_a_wrong_password_with_a_message(world: World) -> None:
    response = _sign_in(Client(), world.admin.email, "wrong-password")
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert b"Please enter a correct email and password" in response.content  # type: ignore[attr-defined]


def test_it_locks_out_after_five_failures_even_with_the_right_password(world: World) -> None:
    client = Client()
    for _ in range(5):
        _sign_in(client, world.admin.email, "wrong-password")
    response = _sign_in(client, world.admin.email, PASSWORD)
    assert response.status_code == 429  # type: ignore[attr-defined]
    assert b"Too many failed sign-ins" in response.content  # type: ignore[attr-defined]
    assert "_auth_user_id" not in client.session


def test_it_signs_out_on_post_only(admin_client: Client) -> None:
    assert admin_client.get("/account/signout/").status_code == 405
    assert admin_client.post("/account/signout/").status_code == 302
    assert admin_client.get("/").status_code == 302


def test_it_sends_a_password_reset_link_that_works(world: World) -> None:
    client = Client()
    client.post("/account/password/reset/", {"email": world.employee.email})
    assert len(mail.outbox) == 1
    body = str(mail.outbox[0].body)
    link = next(line for line in body.splitlines() if "/account/password/reset/" in line)
    path = link.split("testserver", 1)[1]
    form_page = client.get(path, follow=True)
    assert b"Choose a new password" in form_page.content
    done = client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "a-brand-new-secret-9", "new_password2": "a-brand-new-secret-9"},
    )
    assert done.status_code == 302
    assert _sign_in(Client(), world.employee.email, "a-brand-new-secret-9").status_code == 302  # type: ignore[attr-defined]


def test_it_says_nothing_about_unknown_emails_on_reset(db: None) -> None:
    response = Client().post("/account/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert len(mail.outbox) == 0


def test_it_redirects_anonymous_users_to_sign_in(client: Client) -> None:
    response = client.get("/people/")
    assert response.status_code == 302
    assert response["Location"].startswith("/account/signin/?next=/people/")

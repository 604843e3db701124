from __future__ import annotations

from django.test import Client

from conftest import World
from heard.orgs.models import AuditEvent


def test_it_lets_an_admin_raise_the_minimum_group_size(world: World, admin_client: Client) -> None:
    assert "at least <strong>5</strong>" in admin_client.get("/settings/privacy/").content.decode()
    response = admin_client.post("/settings/privacy/", {"min_group_size": "7"})
    assert response.status_code == 302
    world.org.refresh_from_db()
    assert world.org.min_group_size == 7
    event = AuditEvent.objects.get(action="org.min_group_size_changed")
    assert event.detail == {"from": 5, "to": 7}


def test_it_refuses_a_size_below_three(world: World, admin_client: Client) -> None:
    response = admin_client.post("/settings/privacy/", {"min_group_size": "2"})
    assert response.status_code == 200
    assert "greater than or equal to 3" in response.content.decode()
    world.org.refresh_from_db()
    assert world.org.min_group_size == 5


def test_it_is_for_admins_only(manager_client: Client) -> None:
    assert manager_client.get("/settings/privacy/").status_code == 404

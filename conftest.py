"""Personas shared by every test: an admin, a manager and an employee of org A, and an
outsider (an admin of org B) who must never see org A's data."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from heard.orgs.models import Organization, Person, Role, Team
from tests.factories import make_org, make_person, make_team


@dataclass
class World:
    org: Organization
    team: Team
    admin: Person
    manager: Person
    employee: Person
    other_org: Organization
    outsider: Person

    def client_for(self, person: Person) -> Client:
        client = Client()
        assert person.user is not None
        client.force_login(person.user)
        return client


@pytest.fixture
def world(db: None) -> World:
    org = make_org("Org A", slug="org-a")
    team = make_team(org, "Support")
    admin = make_person(org, role=Role.ADMIN, login=True, name="Ada Admin")
    manager = make_person(org, role=Role.MANAGER, login=True, name="Mo Manager", team=team)
    team.manager = manager
    team.save(update_fields=["manager"])
    employee = make_person(
        org, login=True, name="Eve Employee", team=team, manager=manager, customer_facing=True
    )
    other = make_org("Org B", slug="org-b")
    outsider = make_person(other, role=Role.ADMIN, login=True, name="Oscar Outsider")
    return World(org, team, admin, manager, employee, other, outsider)


@pytest.fixture
def admin_client(world: World) -> Client:
    return world.client_for(world.admin)


@pytest.fixture
def manager_client(world: World) -> Client:
    return world.client_for(world.manager)


@pytest.fixture
def employee_client(world: World) -> Client:
    return world.client_for(world.employee)


@pytest.fixture
def outsider_client(world: World) -> Client:
    return world.client_for(world.outsider)


@pytest.fixture(autouse=True)
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    """Uploads and other files go to a folder of each test's own, never to the developer's
    var/ (the housekeeping purge would otherwise clean up a real upload folder). Set without
    the setting_changed signal, which some tests run with django's modules hidden."""
    before = django_settings.DATA_DIR
    django_settings.DATA_DIR = folder = tmp_path_factory.mktemp("data")
    yield folder
    django_settings.DATA_DIR = before

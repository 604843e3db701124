from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client

from heard.orgs.demo import DEMO_LOGINS, DEMO_PASSWORD
from heard.orgs.models import Organization, Person, Role, Team

pytestmark = pytest.mark.django_db


def test_it_builds_maple_and_co() -> None:
    call_command("seed_demo", "--if-empty")
    org = Organization.objects.get(slug="maple")
    assert org.name == "Maple & Co."
    assert Person.objects.for_org(org).count() == 60
    names = set(Team.objects.for_org(org).values_list("name", flat=True))
    assert names == {
        "Leadership", "Support", "Support escalations", "Sales", "Operations", "Product",
        "Finance",
    }  # fmt: skip
    support = Team.objects.get(organization=org, name="Support")
    assert support.parent is not None and support.parent.name == "Leadership"
    assert support.members.filter(customer_facing=True).count() >= 8
    escalations = Team.objects.get(organization=org, name="Support escalations")
    assert escalations.parent == support and escalations.manager == support.manager
    assert escalations.members.count() == 4
    roles = {
        r: Person.objects.for_org(org).filter(email=e).get().role for r, e in DEMO_LOGINS.items()
    }
    assert roles == {"admin": Role.ADMIN, "manager": Role.MANAGER, "employee": Role.EMPLOYEE}
    # Everyone but the founder has a manager.
    assert Person.objects.for_org(org).filter(manager__isnull=True).count() == 1


def test_it_loads_only_into_an_empty_database() -> None:
    call_command("seed_demo", "--if-empty")
    call_command("seed_demo", "--if-empty")
    assert Organization.objects.count() == 1


def test_it_lets_the_demo_logins_sign_in() -> None:
    call_command("seed_demo")
    for email in DEMO_LOGINS.values():
        client = Client()
        response = client.post("/account/signin/", {"username": email, "password": DEMO_PASSWORD})
        assert response.status_code == 302, email


def test_it_builds_the_large_organisation() -> None:
    call_command("seed_demo", "--people", "600")
    org = Organization.objects.get(slug="maple")
    assert Person.objects.for_org(org).count() == 600
    squads = Team.objects.for_org(org).filter(name__contains="squad")
    assert squads.exists()
    assert all(team.parent_id is not None for team in squads)

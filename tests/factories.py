"""Plain `make_*` helpers for tests: each makes one valid object with overridable fields."""

from __future__ import annotations

import itertools
from typing import Any

from heard.accounts.models import User
from heard.orgs.models import Organization, Person, Role, Team

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_org(name: str = "Acme", **fields: Any) -> Organization:
    n = next(_counter)
    return Organization.objects.create(name=name, slug=fields.pop("slug", f"org-{n}"), **fields)


def make_team(org: Organization, name: str | None = None, **fields: Any) -> Team:
    return Team.objects.create(organization=org, name=name or f"Team {next(_counter)}", **fields)


def make_person(
    org: Organization, *, role: str = Role.EMPLOYEE, login: bool = False, **fields: Any
) -> Person:
    n = next(_counter)
    fields.setdefault("name", f"Person {n}")
    fields.setdefault("email", f"person{n}@{org.slug}.example")
    person = Person.objects.create(organization=org, role=role, **fields)
    if login:
        person.user = User.objects.create_user(person.email, PASSWORD, name=person.name)
        person.save(update_fields=["user"])
    return person

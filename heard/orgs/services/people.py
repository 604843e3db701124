from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from heard.orgs.models import Organization, Person, Role, Team


def team_save(
    *,
    org: Organization,
    name: str,
    parent: Team | None,
    manager: Person | None,
    team: Team | None = None,
) -> Team:
    """Create a team, or update `team`. Refuses a parent that would make a loop."""
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": "Give the team a name."})
    for related in (parent, manager):
        if related is not None and related.organization_id != org.pk:
            raise ValidationError("That team or person is not in your organisation.")
    if (
        team is not None
        and parent is not None
        and (parent.pk == team.pk or team.pk in {t.pk for t in parent.ancestors()})
    ):
        raise ValidationError({"parent": "A team cannot sit inside itself or its own sub-team."})
    clash = Team.objects.for_org(org).filter(name__iexact=name)
    if team is not None:
        clash = clash.exclude(pk=team.pk)
    if clash.exists():
        raise ValidationError({"name": f"There is already a team called “{name}”."})
    if team is None:
        return Team.objects.create(organization=org, name=name, parent=parent, manager=manager)
    team.name, team.parent, team.manager = name, parent, manager
    team.save(update_fields=["name", "parent", "manager"])
    return team


def person_save(
    *,
    org: Organization,
    name: str,
    email: str,
    team: Team | None,
    manager: Person | None,
    role: str,
    start_date: datetime.date | None,
    location: str,
    role_family: str,
    customer_facing: bool,
    person: Person | None = None,
    acting: Person | None = None,
) -> Person:
    """Create or update one person from the admin's form."""
    email = email.strip().lower()
    if team is not None and team.organization_id != org.pk:
        raise ValidationError({"team": "That team is not in your organisation."})
    if manager is not None:
        if manager.organization_id != org.pk:
            raise ValidationError({"manager": "That manager is not in your organisation."})
        if person is not None and manager.pk == person.pk:
            raise ValidationError({"manager": "A person cannot be their own manager."})
        if person is not None and _reports_to(manager, person):
            raise ValidationError(
                {"manager": f"{manager.name} already reports to {person.name}: that is a loop."}
            )
    if role not in Role.values:
        raise ValidationError({"role": "Choose admin, manager or employee."})
    if person is not None and acting is not None and person.pk == acting.pk and role != Role.ADMIN:
        raise ValidationError({"role": "You cannot remove your own admin role."})
    clash = Person.objects.for_org(org).filter(email__iexact=email)
    if person is not None:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise ValidationError({"email": "Someone in your organisation already has this email."})
    fields: dict[str, Any] = {
        "name": " ".join(name.split()),
        "email": email,
        "team": team,
        "manager": manager,
        "role": role,
        "start_date": start_date,
        "location": location.strip(),
        "role_family": role_family.strip(),
        "customer_facing": customer_facing,
    }
    try:
        with transaction.atomic():
            if person is None:
                return Person.objects.create(organization=org, **fields)
            for key, value in fields.items():
                setattr(person, key, value)
            person.save(update_fields=[*fields, "updated_at"])
            if person.user_id is not None and person.user is not None:
                user = person.user
                user.email, user.name = email, fields["name"]
                user.save(update_fields=["email", "name"])
            return person
    except IntegrityError as exc:  # a concurrent save took the email first
        raise ValidationError(
            {"email": "Someone in your organisation already has this email."}
        ) from exc


def _reports_to(someone: Person, boss: Person) -> bool:
    """Whether `boss` is anywhere above `someone` in the reporting line."""
    seen: set[int] = set()
    current = someone.manager
    while current is not None and current.pk not in seen:
        if current.pk == boss.pk:
            return True
        seen.add(current.pk)
        current = current.manager
    return False


def person_set_active(*, person: Person, active: bool, acting: Person) -> None:
    """Deactivate someone who left (they can no longer sign in) or bring them back."""
    if person.pk == acting.pk and not active:
        raise ValidationError("You cannot deactivate yourself.")
    with transaction.atomic():
        person.is_active = active
        person.save(update_fields=["is_active", "updated_at"])
        if person.user is not None:
            person.user.is_active = active
            person.user.save(update_fields=["is_active"])

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.text import slugify

from heard.orgs.models import Invitation, Organization, Person, Role
from heard.orgs.services.invitations import invitation_send


def organisation_create(
    *, name: str, admin_name: str, admin_email: str
) -> tuple[Organization, Invitation]:
    name, admin_name = " ".join(name.split()), " ".join(admin_name.split())
    admin_email = admin_email.strip().lower()
    if not name or not admin_name:
        raise ValidationError("Give the organisation's name and its admin's name.")
    validate_email(admin_email)
    if Person.objects.filter(email__iexact=admin_email).exists():
        raise ValidationError(f"{admin_email} is already in an organisation on this installation.")
    base = slugify(name)[:50] or "org"
    slug, n = base, 2
    while Organization.objects.filter(slug=slug).exists():
        slug, n = f"{base}-{n}", n + 1
    with transaction.atomic():
        org = Organization.objects.create(name=name, slug=slug)
        admin = Person.objects.create(
            organization=org, name=admin_name, email=admin_email, role=Role.ADMIN
        )
        invitation = invitation_send(person=admin, invited_by=admin)
    return org, invitation


def organization_privacy_set(*, org: Organization, min_group_size: int, actor: Person) -> None:
    """Change the minimum group size k (never below 3). Written to the audit log."""
    from heard.orgs.services.audit import audit_record
    from heard.privacy import FLOOR

    if not actor.is_admin or actor.organization_id != org.pk:
        raise ValidationError("Only an admin of this organisation may do this.")
    if min_group_size < FLOOR:
        raise ValidationError(
            {"min_group_size": f"The minimum group size cannot be below {FLOOR}."}
        )
    before = org.min_group_size
    org.min_group_size = min_group_size
    org.save(update_fields=["min_group_size"])
    audit_record(
        org=org,
        actor=actor,
        action="org.min_group_size_changed",
        detail={"from": before, "to": min_group_size},
    )

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

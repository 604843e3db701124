from __future__ import annotations

from django.conf import settings
from django.contrib.auth import password_validation
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from heard.accounts.models import User
from heard.orgs.models import Invitation, Person

SALT = "heard.invitation"


def invitation_token(invitation: Invitation) -> str:
    return signing.dumps({"i": invitation.pk, "n": invitation.nonce}, salt=SALT, compress=True)


def invitation_url(invitation: Invitation) -> str:
    return f"{settings.SITE_URL}/invite/{invitation_token(invitation)}/"


def invitation_from_token(token: str) -> Invitation | None:
    """The usable invitation this token names, or None (bad, expired, used or revoked)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=settings.INVITATION_MAX_AGE)
        invitation = Invitation.objects.select_related("person", "organization").get(
            pk=data["i"], nonce=data["n"]
        )
    except (signing.BadSignature, Invitation.DoesNotExist, KeyError, TypeError):
        return None
    if not invitation.is_usable() or not invitation.person.is_active:
        return None
    return invitation


def invitation_send(*, person: Person, invited_by: Person) -> Invitation:
    """Invite a person to create their sign-in; revokes earlier links. The email goes out
    from the task worker once this transaction commits."""
    from heard.orgs.tasks import send_invitation_email

    if person.organization_id != invited_by.organization_id:
        raise ValidationError("That person is not in your organisation.")
    if person.user_id is not None:
        raise ValidationError(f"{person.name} already has a sign-in.")
    if not person.is_active:
        raise ValidationError(f"{person.name} is deactivated; reactivate them first.")
    now = timezone.now()
    with transaction.atomic():
        Invitation.objects.filter(person=person, accepted_at=None, revoked_at=None).update(
            revoked_at=now
        )
        invitation = Invitation.objects.create(
            organization_id=person.organization_id,
            person=person,
            invited_by=invited_by,
            expires_at=now + settings.INVITATION_MAX_AGE,
        )
        transaction.on_commit(lambda: send_invitation_email.enqueue(invitation.pk))
    return invitation


def invitations_send_to_uninvited(*, invited_by: Person) -> int:
    """Invite everyone in the inviter's organisation who has never been invited."""
    from heard.orgs.selectors import people_never_invited

    waiting = list(people_never_invited(invited_by.organization))
    for person in waiting:
        invitation_send(person=person, invited_by=invited_by)
    return len(waiting)


def invitation_accept(*, invitation: Invitation, name: str, password: str) -> User:
    """Create the person's sign-in. Single use: a second accept of the same link fails."""
    with transaction.atomic():
        locked = (
            Invitation.objects.select_for_update().select_related("person").get(pk=invitation.pk)
        )
        if not locked.is_usable():
            raise ValidationError("This invitation has already been used or has expired.")
        person = locked.person
        if person.user_id is not None:
            raise ValidationError("This person already has a sign-in.")
        if User.objects.filter(email__iexact=person.email).exists():
            raise ValidationError(
                "A sign-in with this email already exists. Sign in or reset your password."
            )
        user = User(email=person.email.lower(), name=" ".join(name.split()) or person.name)
        password_validation.validate_password(password, user)
        user.set_password(password)
        user.save()
        person.user = user
        if name.strip():
            person.name = user.name
        person.save(update_fields=["user", "name", "updated_at"])
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["accepted_at"])
    return user

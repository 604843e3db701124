from __future__ import annotations

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone

from heard.core.tasks import heard_task
from heard.orgs.models import Invitation
from heard.orgs.services.invitations import invitation_url


@heard_task()
def send_invitation_email(invitation_id: int) -> str:
    """Idempotent: an invitation already sent, used or revoked is not mailed again."""
    invitation = (
        Invitation.objects.select_related("person", "organization", "invited_by")
        .filter(pk=invitation_id)
        .first()
    )
    if invitation is None or not invitation.is_usable():
        return "skipped: invitation no longer usable"
    if invitation.sent_at is not None:
        return "skipped: already sent"
    context = {
        "invitation": invitation,
        "url": invitation_url(invitation),
        "org": invitation.organization,
    }
    subject = render_to_string("orgs/emails/invitation_subject.txt", context).strip()
    text = render_to_string("orgs/emails/invitation.txt", context)
    html = render_to_string("orgs/emails/invitation.html", context)
    send_mail(subject, text, None, [invitation.person.email], html_message=html)
    # Mark after sending: a crash in between sends twice at worst, never zero times.
    Invitation.objects.filter(pk=invitation.pk, sent_at=None).update(sent_at=timezone.now())
    return "sent"

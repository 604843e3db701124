from __future__ import annotations

import datetime

from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.utils import timezone, translation

from heard.core.tasks import heard_task
from heard.surveys.models import Status, Survey, SurveyInvitation
from heard.surveys.services import link_url


@heard_task()
def send_survey_links(survey_id: int, reminder_round: str) -> str:
    """Mail each invited person their own link. `reminder_round` is "" for the first mailing
    (everyone not yet mailed) or the ISO time a reminder round started (everyone who has not
    answered and was not reminded since). Idempotent: a retry skips those already mailed."""
    survey = Survey.objects.select_related("organization").filter(pk=survey_id).first()
    if survey is None or survey.status != Status.OPEN:
        return "skipped: survey not open"
    invitations = SurveyInvitation.objects.filter(survey=survey).select_related("person")
    if reminder_round:
        started = datetime.datetime.fromisoformat(reminder_round)
        invitations = invitations.filter(answered=False).exclude(reminded_at__gte=started)
    else:
        invitations = invitations.filter(sent_at=None)
    sent = 0
    for invitation in invitations.iterator():
        if not invitation.person.is_active:
            continue
        context = {
            "survey": survey,
            "org": survey.organization,
            "person": invitation.person,
            "url": link_url(invitation),
            "reminder": bool(reminder_round),
        }
        with translation.override(survey.language):
            subject = render_to_string("surveys/emails/link_subject.txt", context).strip()
            text = render_to_string("surveys/emails/link.txt", context)
            html = render_to_string("surveys/emails/link.html", context)
        send_mail(subject, text, None, [invitation.person.email], html_message=html)
        field = "reminded_at" if reminder_round else "sent_at"
        SurveyInvitation.objects.filter(pk=invitation.pk).update(**{field: timezone.now()})
        sent += 1
    return f"sent {sent}"


@heard_task()
def close_due_surveys() -> str:
    from heard.surveys.services import surveys_close_due

    return f"closed {surveys_close_due()}"

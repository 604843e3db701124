"""Writes for surveys: create from a template, open, remind, close, submit, and the audited
read of a confidential link. Each runs in one transaction."""

from __future__ import annotations

import calendar
import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from heard.orgs.models import Organization, Person, Team
from heard.orgs.selectors import team_subtree_ids
from heard.orgs.services.audit import audit_record
from heard.surveys import library
from heard.surveys.models import (
    SCORED_KINDS,
    Answer,
    Audience,
    ConfidentialLink,
    FocusSession,
    Kind,
    Mode,
    Question,
    Recurrence,
    Response,
    Status,
    Survey,
    SurveyInvitation,
)

LINK_SALT = "heard.survey-link"
MAX_COMMENT_CHARS = 5000


class AlreadyAnswered(Exception):
    """The link was used: one response per link, a second submit (or a double click) is refused."""


class SurveyNotOpen(Exception):
    """The survey is not open for answers (not yet, or closed)."""


# --- creating and running a survey --------------------------------------------------------------


def survey_create(
    *,
    org: Organization,
    title: str,
    template: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    created_by: Person | None,
    mode: str = Mode.ANONYMOUS,
    recurrence: str = Recurrence.NONE,
    audience: str = Audience.EVERYONE,
    audience_teams: Iterable[Team] = (),
    run_index: int = 0,
    previous: Survey | None = None,
    language: str = "en",
) -> Survey:
    """A draft survey with the template's questions ("" or "custom": no questions yet), in
    `language`: the questions, the answer page and the emails people get."""
    title = " ".join(title.split())
    if not title:
        raise ValidationError({"title": "Give the survey a title."})
    if closes_on < opens_on:
        raise ValidationError({"closes_on": "The survey must close on or after the day it opens."})
    teams = list(audience_teams)
    if any(team.organization_id != org.pk for team in teams):
        raise ValidationError("That team is not in your organisation.")
    if audience == Audience.TEAMS and not teams:
        raise ValidationError({"audience_teams": "Choose at least one team."})
    if template and template != "custom" and template not in library.templates():
        raise ValidationError({"template": "Unknown template."})
    if previous is not None and previous.organization_id != org.pk:
        raise ValidationError("That survey is not in your organisation.")
    if language not in library.LANGUAGES:
        raise ValidationError({"language": "Heard has no translation for that language yet."})
    if template and template != "custom" and language not in library.template_languages(template):
        available = ", ".join(
            library.LANGUAGES[code] for code in library.template_languages(template)
        )
        raise ValidationError({"language": f"This template is available in: {available}."})
    with transaction.atomic():
        survey = Survey.objects.create(
            organization=org,
            title=title,
            template="" if template == "custom" else template,
            run_index=run_index,
            mode=mode,
            language=language,
            opens_on=opens_on,
            closes_on=closes_on,
            recurrence=recurrence,
            audience=audience,
            created_by=created_by,
            previous=previous,
        )
        survey.audience_teams.set(teams)
        if survey.template:
            questions = library.template_questions(
                survey.template, month_index=run_index, language=language
            )
            Question.objects.bulk_create(
                Question(
                    survey=survey,
                    position=position,
                    kind=q.kind,
                    text=q.text.replace("{organisation}", org.name),
                    instrument=q.instrument or "",
                    item=q.item or "",
                    dimension=q.dimension or "",
                    reverse=q.reverse,
                    options=list(q.options),
                    required=q.required,
                )
                for position, q in enumerate(questions, start=1)
            )
    return survey


def question_add(
    *,
    survey: Survey,
    kind: str,
    text: str,
    options: Iterable[str] = (),
    dimension: str = "",
    required: bool = False,
) -> Question:
    """An admin's own question, added to a draft."""
    if survey.status != Status.DRAFT:
        raise ValidationError("Questions can only change while the survey is a draft.")
    text = text.strip()
    if not text:
        raise ValidationError({"text": "Write the question."})
    if kind not in Kind.values:
        raise ValidationError({"kind": "Choose a question type."})
    cleaned = [o.strip() for o in options if o.strip()]
    if kind in (Kind.SINGLE, Kind.MULTI) and len(cleaned) < 2:
        raise ValidationError({"options": "A choice question needs at least two options."})
    if kind not in (Kind.SINGLE, Kind.MULTI):
        cleaned = []
    with transaction.atomic():
        last = survey.questions.order_by("-position").values_list("position", flat=True).first()
        return Question.objects.create(
            survey=survey,
            position=(last or 0) + 1,
            kind=kind,
            text=text,
            options=cleaned,
            dimension=dimension if kind in SCORED_KINDS else "",
            required=required,
        )


def question_remove(*, question: Question) -> None:
    if question.survey.status != Status.DRAFT:
        raise ValidationError("Questions can only change while the survey is a draft.")
    question.delete()


def _audience(survey: Survey) -> list[Person]:
    people = Person.objects.for_org(survey.organization).active().select_related("team")
    if survey.audience == Audience.CUSTOMER_FACING:
        return list(people.filter(customer_facing=True))
    if survey.audience == Audience.TEAMS:
        roots = survey.audience_teams.values_list("pk", flat=True)
        team_ids = team_subtree_ids(survey.organization, roots)
        return list(people.filter(team_id__in=team_ids))
    return list(people)


def survey_open(*, survey: Survey, today: datetime.date | None = None) -> int:
    """Open a draft: invite its audience with their segments fixed now, and send the links.
    Returns how many people were invited."""
    from heard.surveys.tasks import send_survey_links

    today = today or timezone.localdate()
    with transaction.atomic():
        locked = Survey.objects.select_for_update().get(pk=survey.pk)
        if locked.status != Status.DRAFT:
            raise ValidationError("This survey is already open or closed.")
        if not survey.questions.exists():
            raise ValidationError("Add at least one question before opening the survey.")
        people = _audience(locked)
        if not people:
            raise ValidationError("Nobody is in this survey's audience.")
        SurveyInvitation.objects.bulk_create(
            SurveyInvitation(
                survey=locked,
                person=person,
                team_id=person.team_id,
                tenure_band=person.tenure_band(today),
                location=person.location,
                customer_facing=person.customer_facing,
            )
            for person in people
        )
        locked.status = Status.OPEN
        locked.opened_at = timezone.now()
        locked.opens_on = min(locked.opens_on, today)
        locked.save(update_fields=["status", "opened_at", "opens_on"])
        transaction.on_commit(lambda: send_survey_links.enqueue(locked.pk, ""))
    survey.refresh_from_db()

    return len(people)


def survey_remind(*, survey: Survey) -> int:
    """Send the link again to those who have not answered; returns how many."""
    from heard.surveys.tasks import send_survey_links

    if survey.status != Status.OPEN:
        raise ValidationError("Only an open survey can send reminders.")
    waiting = survey.invitations.filter(answered=False).count()
    if waiting:
        round_started = timezone.now().isoformat()
        transaction.on_commit(lambda: send_survey_links.enqueue(survey.pk, round_started))
    return waiting


def survey_close(*, survey: Survey) -> None:
    with transaction.atomic():
        updated = Survey.objects.filter(pk=survey.pk, status=Status.OPEN).update(
            status=Status.CLOSED, closed_at=timezone.now(), closes_on=timezone.localdate()
        )
        if not updated:
            raise ValidationError("Only an open survey can be closed.")
    survey.refresh_from_db()


def surveys_close_due(*, today: datetime.date | None = None) -> int:
    """Close every open survey whose closing day has passed (the worker runs this daily)."""
    today = today or timezone.localdate()
    return Survey.objects.filter(status=Status.OPEN, closes_on__lt=today).update(
        status=Status.CLOSED, closed_at=timezone.now()
    )


# --- links --------------------------------------------------------------------------------------


def link_token(invitation: SurveyInvitation) -> str:
    """The signed part of a person's link. No timestamp in it: the same invitation always
    has the same link (a reminder resends it), and the survey's dates decide when it works."""
    return signing.Signer(salt=LINK_SALT).sign_object({"i": invitation.pk, "n": invitation.nonce})


def link_url(invitation: SurveyInvitation) -> str:
    return f"{settings.SITE_URL}/s/{link_token(invitation)}/"


def invitation_from_link(token: str) -> SurveyInvitation | None:
    """The invitation a link names, or None when the link is not one of ours."""
    try:
        data = signing.Signer(salt=LINK_SALT).unsign_object(token)
        return SurveyInvitation.objects.select_related("survey__organization", "person").get(
            pk=data["i"], nonce=data["n"]
        )
    except (signing.BadSignature, SurveyInvitation.DoesNotExist, KeyError, TypeError):
        return None


# --- answering ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class CleanAnswer:
    question: Question
    value: int | None = None
    choices: tuple[int, ...] = ()
    text: str = ""


def roster_names(org: Organization) -> list[str]:
    return list(Person.objects.for_org(org).values_list("name", flat=True))


def comment_redact(text: str, names: Iterable[str]) -> str:
    """What a comment becomes before anyone can read it: no names, emails, phones or links."""
    from heard_nlp.redact import redact

    return redact(text, names=names).text


def dimension_scores(
    answers: Iterable[CleanAnswer],
) -> tuple[dict[str, dict[str, float]], int | None]:
    dimensions: dict[str, dict[str, float]] = {}
    enps = None
    for answer in answers:
        question = answer.question
        if answer.value is None or question.kind not in SCORED_KINDS:
            continue
        if question.instrument == "enps":
            enps = answer.value
        if not question.dimension:
            continue
        entry = dimensions.setdefault(question.dimension, {"sum": 0.0, "n": 0, "fav": 0})
        entry["sum"] += library.score_item(question.kind, answer.value, question.reverse)
        entry["n"] += 1
        entry["fav"] += int(library.favourable(question.kind, answer.value, question.reverse))
    return dimensions, enps


def response_submit(
    *, invitation: SurveyInvitation, answers: Mapping[int, CleanAnswer]
) -> Response:
    """Store one response. Refuses a second submission of the same link (AlreadyAnswered),
    a double click included: the invitation is marked answered in the same transaction, by a
    conditional update that only one request can win."""
    survey = invitation.survey
    if survey.status != Status.OPEN:
        raise SurveyNotOpen
    has_text = any(a.text for a in answers.values())
    names = roster_names(survey.organization) if has_text else []
    redacted = {
        qid: CleanAnswer(a.question, a.value, a.choices, comment_redact(a.text, names))
        if a.text
        else a
        for qid, a in answers.items()
    }
    dimensions, enps = dimension_scores(redacted.values())
    with transaction.atomic():
        won = SurveyInvitation.objects.filter(pk=invitation.pk, answered=False).update(
            answered=True
        )
        if not won:
            raise AlreadyAnswered
        response = Response.objects.create(
            survey=survey,
            team_id=invitation.team_id,
            tenure_band=invitation.tenure_band,
            location=invitation.location,
            customer_facing=invitation.customer_facing,
            dimension_scores=dimensions,
            enps=enps,
        )
        Answer.objects.bulk_create(
            Answer(
                response=response,
                question=a.question,
                value=a.value,
                choices=list(a.choices) if a.question.kind == Kind.MULTI else None,
                text=a.text,
                score=(
                    library.score_item(a.question.kind, a.value, a.question.reverse)
                    if a.value is not None and a.question.kind in SCORED_KINDS
                    else None
                ),
                favourable=(
                    library.favourable(a.question.kind, a.value, a.question.reverse)
                    if a.value is not None and a.question.kind in SCORED_KINDS
                    else None
                ),
            )
            for a in redacted.values()
            if a.value is not None or a.choices or a.text
        )
        if survey.mode == Mode.CONFIDENTIAL:
            ConfidentialLink.objects.create(response=response, invitation=invitation)
    return response


def confidential_link_read(*, response: Response, actor: Person, reason: str) -> Person | None:
    """Who gave a confidential response, for an admin with a stated reason (for example a
    safety concern raised in it). Every call is written to the audit log, found or not."""
    survey = response.survey
    if actor.organization_id != survey.organization_id or not actor.is_admin:
        raise ValidationError("Only an admin of this organisation may do this.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why you need to know."})
    link = (
        ConfidentialLink.objects.select_related("invitation__person")
        .filter(response=response)
        .first()
    )
    audit_record(
        org=survey.organization,
        actor=actor,
        action="survey.confidential_link_read",
        subject=f"survey {survey.pk}",
        detail={"reason": reason.strip(), "found": link is not None},
    )
    return link.invitation.person if link else None


def focus_session_record(
    *,
    org: Organization,
    recorded_by: Person,
    format: str,
    held_on: datetime.date,
    topic: str,
    participants: int,
    notes: str,
    survey: Survey | None = None,
) -> FocusSession:
    """Notes from a focus group or a leadership interview. Names from the roster, emails and
    phone numbers are removed before the notes are stored: the notes are about what was
    said, never who said it."""
    if format not in FocusSession.Format.values:
        raise ValidationError({"format": "Choose focus group or interview."})
    if survey is not None and survey.organization_id != org.pk:
        raise ValidationError("That survey is not in your organisation.")
    topic = " ".join(topic.split())
    if not topic:
        raise ValidationError({"topic": "Give the session a topic."})
    if not notes.strip():
        raise ValidationError({"notes": "Write the notes."})
    if len(notes) > 20_000:
        raise ValidationError({"notes": f"Keep notes under 20,000 characters ({len(notes):,})."})
    return FocusSession.objects.create(
        organization=org,
        survey=survey,
        format=format,
        held_on=held_on,
        topic=topic,
        participants=max(0, participants),
        notes=comment_redact(notes.strip(), roster_names(org)),
        recorded_by=recorded_by,
    )


def add_months(day: datetime.date, months: int) -> datetime.date:
    """The same day `months` later (or earlier), kept inside the month: 31 January + 1 is the
    last day of February."""
    year, month = divmod(day.month - 1 + months, 12)
    last_day = calendar.monthrange(day.year + year, month + 1)[1]
    return datetime.date(day.year + year, month + 1, min(day.day, last_day))


RECURRENCE_MONTHS = {Recurrence.MONTHLY: 1, Recurrence.QUARTERLY: 3}


def survey_next_run(*, survey: Survey) -> Survey:
    """The next run of a recurring survey: the same audience and mode a month (or three) on,
    the next step of the pulse rotation, compared with this run. Opened at once."""
    months = RECURRENCE_MONTHS[Recurrence(survey.recurrence)]
    opens = add_months(survey.opens_on, months)
    closes = opens + (survey.closes_on - survey.opens_on)
    base = (
        library.template_name(survey.template, survey.language) if survey.template else survey.title
    )
    with transaction.atomic():
        nxt = survey_create(
            org=survey.organization,
            title=f"{base}, {opens:%B %Y}",
            template=survey.template or "custom",
            opens_on=opens,
            closes_on=closes,
            created_by=survey.created_by,
            mode=survey.mode,
            recurrence=survey.recurrence,
            audience=survey.audience,
            audience_teams=survey.audience_teams.all(),
            run_index=survey.run_index + 1,
            previous=survey,
            language=survey.language,
        )
        if not survey.template:
            Question.objects.bulk_create(
                Question(
                    survey=nxt, position=q.position, kind=q.kind, text=q.text,
                    instrument=q.instrument, item=q.item, dimension=q.dimension,
                    reverse=q.reverse, options=q.options, required=q.required,
                )
                for q in survey.questions.all()
            )  # fmt: skip
        survey_open(survey=nxt, today=opens)
    return nxt


def surveys_run_schedule(*, today: datetime.date | None = None) -> dict[str, int]:
    """What the worker does every hour: close surveys past their closing day, and start the
    next run of each recurring survey whose day has come (one run at a time, never twice)."""
    today = today or timezone.localdate()
    closed = surveys_close_due(today=today)
    started = 0
    due = Survey.objects.filter(status=Status.CLOSED).exclude(recurrence=Recurrence.NONE)
    for survey in due.filter(next_runs__isnull=True).select_related("organization"):
        months = RECURRENCE_MONTHS[Recurrence(survey.recurrence)]
        if add_months(survey.opens_on, months) <= today:
            survey_next_run(survey=survey)
            started += 1
    return {"closed": closed, "started": started}

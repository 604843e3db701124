"""Building surveys with answers for the survey tests."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Sequence

from django.utils import timezone

from heard.orgs.models import Organization, Person
from heard.surveys import services
from heard.surveys.models import Kind, Question, Survey, SurveyInvitation


def open_survey(
    org: Organization,
    *,
    template: str = "monthly_pulse",
    mode: str = "anonymous",
    created_by: Person | None = None,
    previous: Survey | None = None,
) -> Survey:
    today = timezone.localdate()
    survey = services.survey_create(
        org=org,
        title="Pulse",
        template=template,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=7),
        created_by=created_by,
        mode=mode,
        previous=previous,
    )
    services.survey_open(survey=survey)
    return survey


def answer_all(
    survey: Survey,
    people: Sequence[Person],
    *,
    value: Callable[[Person, Question], int] = lambda person, question: 4,
    comment: Callable[[Person], str] = lambda person: "",
) -> None:
    """Each person answers through the real service: every scored question gets `value`."""
    questions = list(survey.questions.all())
    for person in people:
        invitation = SurveyInvitation.objects.get(survey=survey, person=person)
        answers: dict[int, services.CleanAnswer] = {}
        for q in questions:
            if q.kind in (Kind.LIKERT5, Kind.SCALE10, Kind.WHO5, Kind.CBI):
                v = value(person, q)
                if q.kind == Kind.SCALE10:
                    v = min(10, max(0, v * 2))
                elif q.kind in (Kind.WHO5, Kind.CBI):
                    v = min(4, max(0, v - 1))
                answers[q.pk] = services.CleanAnswer(q, value=v)
            elif q.kind == Kind.TEXT and comment(person):
                answers[q.pk] = services.CleanAnswer(q, text=comment(person))
        services.response_submit(invitation=invitation, answers=answers)

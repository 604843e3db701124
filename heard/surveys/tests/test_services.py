"""Creating, opening, answering and closing surveys (heard.surveys.services)."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks as Capture

from conftest import World
from heard.orgs.models import AuditEvent
from heard.surveys import services
from heard.surveys.models import Answer, ConfidentialLink, Response, Status, SurveyInvitation
from heard.surveys.tests.helpers import answer_all, open_survey
from tests.factories import make_person


def test_it_creates_a_draft_with_the_templates_questions(world: World) -> None:
    today = timezone.localdate()
    survey = services.survey_create(
        org=world.org,
        title="  Empathy   audit ",
        template="empathy_audit",
        opens_on=today,
        closes_on=today,
        created_by=world.admin,
    )
    assert survey.title == "Empathy audit"
    assert survey.status == Status.DRAFT
    questions = list(survey.questions.all())
    assert len(questions) > 50
    assert [q.position for q in questions] == list(range(1, len(questions) + 1))
    assert any(q.reverse for q in questions)
    assert all("{organisation}" not in q.text for q in questions)
    assert any("Org A" in q.text for q in questions)


def test_it_refuses_a_survey_that_closes_before_it_opens(world: World) -> None:
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="close on or after"):
        services.survey_create(
            org=world.org,
            title="Pulse",
            template="monthly_pulse",
            opens_on=today,
            closes_on=today - datetime.timedelta(days=1),
            created_by=world.admin,
        )


def test_it_adds_an_admins_own_question_to_a_draft_only(world: World) -> None:
    today = timezone.localdate()
    survey = services.survey_create(
        org=world.org, title="Own", template="custom", opens_on=today, closes_on=today,
        created_by=world.admin,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="at least two options"):
        services.question_add(survey=survey, kind="single", text="Which?", options=["One"])
    question = services.question_add(
        survey=survey, kind="single", text="Which office?", options=["Leeds", "", "Remote"]
    )
    assert question.options == ["Leeds", "Remote"]
    services.survey_open(survey=survey)
    with pytest.raises(ValidationError, match="draft"):
        services.question_add(survey=survey, kind="text", text="More?")


def test_it_invites_the_audience_with_segments_fixed_and_mails_each_their_own_link(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        survey = open_survey(world.org)
    invitations = SurveyInvitation.objects.filter(survey=survey)
    assert invitations.count() == 3  # admin, manager, employee of org A; not the outsider
    eve = invitations.get(person=world.employee)
    assert (eve.team_id, eve.customer_facing) == (world.team.pk, True)
    assert len(mail.outbox) == 3
    links = {m.to[0]: m.body for m in mail.outbox}
    assert services.link_url(eve) in links[world.employee.email]
    assert services.link_url(eve) not in links[world.admin.email]


def test_it_reminds_only_those_who_have_not_answered(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    survey = open_survey(world.org)
    answer_all(survey, [world.employee])
    with django_capture_on_commit_callbacks(execute=True):
        assert services.survey_remind(survey=survey) == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted([world.admin.email, world.manager.email])
    assert all(m.subject.startswith("Reminder") for m in mail.outbox)


def test_it_stores_an_anonymous_response_without_any_link_to_the_person(world: World) -> None:
    survey = open_survey(world.org)
    answer_all(
        survey, [world.employee], comment=lambda p: "Mo Manager never listens, call 07700 900123"
    )
    response = Response.objects.get(survey=survey)
    assert response.team_id == world.team.pk
    assert not ConfidentialLink.objects.exists()
    invitation = SurveyInvitation.objects.get(survey=survey, person=world.employee)
    assert invitation.answered
    comment = Answer.objects.get(response=response, question__kind="text").text
    assert "Mo" not in comment and "07700" not in comment
    assert "never listens" in comment


def test_it_refuses_a_second_submission_of_the_same_link(world: World) -> None:
    survey = open_survey(world.org)
    answer_all(survey, [world.employee])
    with pytest.raises(services.AlreadyAnswered):
        answer_all(survey, [world.employee])
    assert Response.objects.filter(survey=survey).count() == 1


@pytest.mark.django_db(transaction=True)
def test_it_stores_one_response_when_two_submissions_race(world: World) -> None:
    survey = open_survey(world.org)
    invitation = SurveyInvitation.objects.get(survey=survey, person=world.employee)
    question = survey.questions.filter(kind="likert5").first()
    assert question is not None
    outcomes: list[str] = []

    def submit() -> None:
        try:
            services.response_submit(
                invitation=invitation,
                answers={question.pk: services.CleanAnswer(question, value=4)},
            )
            outcomes.append("stored")
        except services.AlreadyAnswered:
            outcomes.append("refused")
        except Exception as error:  # SQLite may report the loser as locked: also a refusal
            outcomes.append(type(error).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert outcomes.count("stored") == 1
    assert Response.objects.filter(survey=survey).count() == 1


def test_it_keeps_a_confidential_link_and_audits_every_read(world: World) -> None:
    survey = open_survey(world.org, mode="confidential")
    answer_all(survey, [world.employee])
    response = Response.objects.get(survey=survey)
    with pytest.raises(ValidationError, match="Say why"):
        services.confidential_link_read(response=response, actor=world.admin, reason=" ")
    with pytest.raises(ValidationError, match="Only an admin"):
        services.confidential_link_read(response=response, actor=world.manager, reason="x")
    person = services.confidential_link_read(
        response=response, actor=world.admin, reason="A safety concern in a comment"
    )
    assert person == world.employee
    event = AuditEvent.objects.get(action="survey.confidential_link_read")
    assert event.actor == world.admin
    assert event.detail["reason"] == "A safety concern in a comment"


def test_it_refuses_answers_once_the_survey_is_closed(world: World) -> None:
    survey = open_survey(world.org)
    services.survey_close(survey=survey)
    with pytest.raises(services.SurveyNotOpen):
        answer_all(survey, [world.employee])


def test_it_closes_surveys_past_their_closing_day(world: World) -> None:
    survey = open_survey(world.org)
    later = survey.closes_on + datetime.timedelta(days=1)
    assert services.surveys_close_due(today=later) == 1
    survey.refresh_from_db()
    assert survey.status == Status.CLOSED


def test_it_does_not_invite_people_who_joined_after_opening(world: World) -> None:
    survey = open_survey(world.org)
    newcomer = make_person(world.org, team=world.team)
    assert not SurveyInvitation.objects.filter(survey=survey, person=newcomer).exists()


def test_it_starts_the_next_run_of_a_recurring_survey_once_its_day_comes(world: World) -> None:
    today = datetime.date(2026, 3, 2)
    survey = services.survey_create(
        org=world.org,
        title="Monthly pulse, March 2026",
        template="monthly_pulse",
        opens_on=today,
        closes_on=today + datetime.timedelta(days=10),
        created_by=world.admin,
        recurrence="monthly",
    )
    services.survey_open(survey=survey, today=today)
    assert services.surveys_run_schedule(today=datetime.date(2026, 3, 20)) == {
        "closed": 1,
        "started": 0,
    }
    assert services.surveys_run_schedule(today=datetime.date(2026, 4, 2)) == {
        "closed": 0,
        "started": 1,
    }
    nxt = survey.next_runs.get()
    assert (nxt.opens_on, nxt.closes_on) == (datetime.date(2026, 4, 2), datetime.date(2026, 4, 12))
    assert nxt.status == Status.OPEN and nxt.run_index == 1 and nxt.previous == survey
    assert nxt.title == "Monthly pulse, April 2026"
    assert nxt.invitations.count() == 3
    first = {q.item for q in survey.questions.all()}
    second = {q.item for q in nxt.questions.all()}
    assert first != second  # the pulse rotation moved on
    assert services.surveys_run_schedule(today=datetime.date(2026, 4, 3))["started"] == 0


def test_the_worker_housekeeping_runs_the_survey_schedule(world: World) -> None:
    from heard.core.services import housekeeping_run

    results = housekeeping_run()
    assert results["heard.surveys.services.surveys_run_schedule"] == {"closed": 0, "started": 0}


def test_it_gives_an_invitation_the_same_link_every_time(world: World) -> None:
    import time_machine

    survey = open_survey(world.org)
    invitation = SurveyInvitation.objects.get(survey=survey, person=world.employee)
    first = services.link_token(invitation)
    with time_machine.travel(timezone.now() + datetime.timedelta(days=3)):
        assert services.link_token(invitation) == first
    assert services.invitation_from_link(first) == invitation
    assert services.invitation_from_link(first[:-2] + "xx") is None

"""A survey in French: its questions, its answer page and its emails."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.test import Client
from django.utils import timezone
from pytest_django import DjangoCaptureOnCommitCallbacks as Capture

from conftest import World
from heard.surveys import library, services
from heard.surveys.models import Response, Survey, SurveyInvitation


def _french(world: World, template: str = "monthly_pulse", **extra: object) -> Survey:
    today = timezone.localdate()
    return services.survey_create(
        org=world.org,
        title="Baromètre mensuel",
        template=template,
        opens_on=today,
        closes_on=today + datetime.timedelta(days=7),
        created_by=world.admin,
        language="fr",
        **extra,  # type: ignore[arg-type]
    )


def test_it_creates_the_questions_in_the_surveys_language(world: World) -> None:
    survey = _french(world)
    english = library.template_questions("monthly_pulse")
    french = list(survey.questions.all())
    assert [q.item for q in french] == [q.item or "" for q in english]
    assert all(q.text != e.text for q, e in zip(french, english, strict=True))
    assert any("Org A" in q.text for q in french)  # {organisation} filled in


def test_it_refuses_a_template_that_has_no_such_translation(world: World) -> None:
    with pytest.raises(ValidationError, match="available in: English"):
        _french(world, template="empathy_audit")


def test_it_answers_and_mails_in_french(
    world: World, django_capture_on_commit_callbacks: Capture
) -> None:
    survey = _french(world)
    with django_capture_on_commit_callbacks(execute=True):
        services.survey_open(survey=survey)
    message = next(m for m in mail.outbox if m.to == [world.employee.email])
    assert message.body.startswith("Bonjour Eve Employee,")
    assert "vous demande votre avis" in message.body
    invitation = SurveyInvitation.objects.get(survey=survey, person=world.employee)
    url = f"/s/{services.link_token(invitation)}/"
    page = Client().get(url).content.decode()
    assert '<html lang="fr"' in page
    assert "Qui voit quoi" in page and "Tout à fait d\u2019accord" in page
    assert "Who can see what" not in page
    missing = Client().post(url, {}).content.decode()
    assert "Merci de choisir une réponse." in missing
    data = {
        f"q{q.pk}": "4" if q.kind == "likert5" else "9"
        for q in survey.questions.all()
        if q.kind in ("likert5", "scale10")
    }
    assert Client().post(url, data).status_code == 302
    assert Response.objects.filter(survey=survey).count() == 1
    thanks = Client().get(url + "thanks/").content.decode()
    assert "Merci" in thanks


def test_an_english_survey_stays_in_english(world: World) -> None:
    today = timezone.localdate()
    survey = services.survey_create(
        org=world.org, title="Pulse", template="monthly_pulse", opens_on=today,
        closes_on=today, created_by=world.admin,
    )  # fmt: skip
    services.survey_open(survey=survey)
    invitation = SurveyInvitation.objects.get(survey=survey, person=world.employee)
    page = Client().get(f"/s/{services.link_token(invitation)}/").content.decode()
    assert '<html lang="en"' in page and "Who can see what" in page


def test_the_next_run_keeps_the_language(world: World) -> None:
    survey = _french(world, recurrence="monthly")
    services.survey_open(survey=survey)
    nxt = services.survey_next_run(survey=survey)
    assert nxt.language == "fr"
    assert nxt.title.startswith(library.template_name("monthly_pulse", "fr"))


def test_the_builder_offers_the_languages(world: World, admin_client: Client) -> None:
    page = admin_client.get("/surveys/new/").content.decode()
    assert 'value="fr"' in page and "Français" in page
    response = admin_client.post(
        "/surveys/new/",
        {
            "title": "Audit FR",
            "template": "empathy_audit",
            "mode": "anonymous",
            "language": "fr",
            "opens_on": "2026-12-01",
            "closes_on": "2026-12-10",
            "recurrence": "none",
            "audience": "everyone",
        },
    )
    assert response.status_code == 200
    assert "This template is available in: English." in response.content.decode()

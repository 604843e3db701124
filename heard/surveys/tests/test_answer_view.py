"""The answer page: a link, no sign-in, no JavaScript needed."""

from __future__ import annotations

from django.test import Client

from conftest import World
from heard.surveys import services
from heard.surveys.models import Answer, Response, SurveyInvitation
from heard.surveys.tests.helpers import open_survey


def _link(world: World) -> tuple[str, SurveyInvitation]:
    survey = open_survey(world.org)
    invitation = SurveyInvitation.objects.get(survey=survey, person=world.employee)
    return f"/s/{services.link_token(invitation)}/", invitation


def _filled(invitation: SurveyInvitation, comment: str = "") -> dict[str, str]:
    data = {}
    for q in invitation.survey.questions.all():
        if q.kind == "likert5":
            data[f"q{q.pk}"] = "4"
        elif q.kind == "scale10":
            data[f"q{q.pk}"] = "9"
        elif q.kind == "text" and comment:
            data[f"q{q.pk}"] = comment
    return data


def test_it_shows_the_questions_and_who_can_see_what(world: World) -> None:
    url, _ = _link(world)
    response = Client().get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Who can see what" in page
    assert "Anonymous." in page
    assert "at least 5 people" in page
    assert 'type="radio"' in page
    assert "<script" not in page.split("<body")[1].split("</form>")[0]


def test_it_returns_404_for_a_forged_link(world: World) -> None:
    assert Client().get("/s/not-a-real-token/").status_code == 404


def test_it_stores_the_answers_and_thanks_the_person(world: World) -> None:
    url, invitation = _link(world)
    response = Client().post(url, _filled(invitation))
    assert response.status_code == 302
    assert response["Location"].endswith("/thanks/")
    assert Response.objects.filter(survey=invitation.survey).count() == 1
    assert "Thank you" in Client().get(response["Location"]).content.decode()


def test_it_says_which_answers_are_missing_and_keeps_the_rest(world: World) -> None:
    url, invitation = _link(world)
    data = _filled(invitation)
    first = next(iter(data))
    data.pop(first)
    response = Client().post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Please choose an answer." in page
    assert page.count("checked") == len(data)
    assert not Response.objects.exists()


def test_it_refuses_a_value_that_was_not_offered(world: World) -> None:
    url, invitation = _link(world)
    data = _filled(invitation)
    data[next(iter(data))] = "9000"
    response = Client().post(url, data)
    assert response.status_code == 400
    assert "Choose one of the answers shown." in response.content.decode()


def test_it_shows_the_redacted_comment_before_sending(world: World) -> None:
    url, invitation = _link(world)
    data = _filled(invitation, comment="Mo Manager ignores us, email me at eve@example.com")
    preview = Client().post(url, data)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "This is what will be stored" in page
    assert (
        "eve@example.com" not in page.split("This is what will be stored")[1].split("</section>")[0]
    )
    assert not Response.objects.exists()
    sent = Client().post(url, {**data, "step": "send"})
    assert sent.status_code == 302
    stored = Answer.objects.get(question__kind="text").text
    assert "eve@example.com" not in stored and "Mo" not in stored


def test_it_stores_one_response_when_the_form_is_sent_twice(world: World) -> None:
    url, invitation = _link(world)
    data = _filled(invitation)
    assert Client().post(url, data).status_code == 302
    again = Client().post(url, data)
    assert again.status_code == 200
    assert "already in" in again.content.decode()
    assert Response.objects.count() == 1


def test_it_says_a_closed_survey_is_closed(world: World) -> None:
    url, invitation = _link(world)
    services.survey_close(survey=invitation.survey)
    response = Client().post(url, _filled(invitation))
    assert response.status_code == 410
    assert not Response.objects.exists()


def test_it_shows_a_waiting_survey_on_the_home_page_until_answered(world: World) -> None:
    url, invitation = _link(world)
    client = world.client_for(world.employee)
    home = client.get("/").content.decode()
    assert "1 survey waiting for your answers" in home
    assert url in home
    Client().post(url, _filled(invitation))
    assert "waiting for your answers" not in client.get("/").content.decode()

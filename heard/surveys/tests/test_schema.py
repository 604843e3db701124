"""No column of an anonymous response links it to a person, an invitation or a request."""

from __future__ import annotations

from django.db import models

from heard.orgs.models import Person
from heard.surveys.models import Answer, Response, SurveyInvitation

FORBIDDEN_TARGETS = {Person, SurveyInvitation}
FORBIDDEN_WORDS = ("ip", "agent", "person", "invitation", "user", "time", "created", "submitted",
                   "session", "token", "email", "at")  # fmt: skip


def _columns(model: type[models.Model]) -> list[models.Field[object, object]]:
    return [f for f in model._meta.get_fields() if isinstance(f, models.Field)]


def test_it_gives_responses_and_answers_no_foreign_key_to_a_person_or_invitation() -> None:
    for model in (Response, Answer):
        for field in _columns(model):
            if field.is_relation:
                assert field.related_model not in FORBIDDEN_TARGETS, (model, field.name)


def test_it_gives_responses_and_answers_no_column_for_request_metadata_or_time() -> None:
    for model in (Response, Answer):
        for field in _columns(model):
            assert not isinstance(field, models.DateTimeField | models.DateField | models.TimeField)
            assert not isinstance(field, models.GenericIPAddressField)
            parts = field.name.split("_")
            assert not any(word in parts for word in FORBIDDEN_WORDS), (model, field.name)


def test_it_gives_responses_random_ids_that_say_nothing_about_order() -> None:
    assert isinstance(Response._meta.pk, models.UUIDField)
    assert isinstance(Answer._meta.pk, models.UUIDField)


def test_it_keeps_no_time_of_answering_on_the_invitation() -> None:
    names = {f.name for f in _columns(SurveyInvitation)}
    assert "answered" in names
    assert not {"answered_at", "submitted_at", "responded_at"} & names

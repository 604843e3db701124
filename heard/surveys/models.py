"""Surveys, who is invited to them, and the answers.

Anonymous by design: a `Response` row holds the survey, the segments fixed when the survey
opened (team, tenure band, location, customer-facing) and the answers, never a person, an
invitation, an IP address or a time. Its id is a random UUID, so the ids do not tell the order
in which answers arrived either. The invitation only records that its person answered.

In confidential mode the link between a response and its invitation is kept in a table of its
own (`ConfidentialLink`), never shown in any page, and every read of it is audit-logged.
"""

from __future__ import annotations

import secrets
import uuid
from typing import ClassVar

from django.db import models

from heard.orgs.models import Organization, OrgScopedQuerySet, Person, Team


class Kind(models.TextChoices):
    LIKERT5 = "likert5", "Agree scale, 1 to 5"
    SCALE10 = "scale10", "0 to 10"
    SINGLE = "single", "Single choice"
    MULTI = "multi", "Multiple choice"
    TEXT = "text", "Open text"
    WHO5 = "who5", "WHO-5 frequency, 0 to 5"
    CBI = "cbi", "Burnout frequency, 5 steps"


SCORED_KINDS = frozenset({Kind.LIKERT5, Kind.SCALE10, Kind.WHO5, Kind.CBI})


class Mode(models.TextChoices):
    ANONYMOUS = "anonymous", "Anonymous"
    CONFIDENTIAL = "confidential", "Confidential"


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    OPEN = "open", "Open"
    CLOSED = "closed", "Closed"


class Recurrence(models.TextChoices):
    NONE = "none", "Once"
    MONTHLY = "monthly", "Every month"
    QUARTERLY = "quarterly", "Every three months"


class Audience(models.TextChoices):
    EVERYONE = "everyone", "Everyone"
    TEAMS = "teams", "Chosen teams (with their sub-teams)"
    CUSTOMER_FACING = "customer_facing", "Customer-facing people"


class Survey(models.Model):
    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="surveys")
    title = models.CharField(max_length=200)
    template = models.CharField(max_length=40, blank=True)  # a key of the template library
    run_index = models.PositiveSmallIntegerField(default=0)  # which pulse month of the rotation
    mode = models.CharField(max_length=12, choices=Mode.choices, default=Mode.ANONYMOUS)
    status = models.CharField(max_length=6, choices=Status.choices, default=Status.DRAFT)
    opens_on = models.DateField()
    closes_on = models.DateField()
    recurrence = models.CharField(
        max_length=10, choices=Recurrence.choices, default=Recurrence.NONE
    )
    audience = models.CharField(max_length=16, choices=Audience.choices, default=Audience.EVERYONE)
    audience_teams = models.ManyToManyField(Team, blank=True, related_name="+")
    language = models.CharField(max_length=8, default="en")
    # The run this one is compared with ("change since last time").
    previous = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="next_runs"
    )
    created_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    objects: ClassVar[OrgScopedQuerySet[Survey]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-opens_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")),
                name="survey_closes_after_it_opens",
            )
        ]

    def __str__(self) -> str:
        return self.title


class Question(models.Model):
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveSmallIntegerField()
    kind = models.CharField(max_length=8, choices=Kind.choices)
    text = models.TextField()
    instrument = models.CharField(max_length=40, blank=True)
    item = models.CharField(max_length=60, blank=True)
    dimension = models.CharField(max_length=40, blank=True)
    reverse = models.BooleanField(default=False)
    options = models.JSONField(default=list, blank=True)
    required = models.BooleanField(default=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["survey", "position"], name="question_position_unique")
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def is_scored(self) -> bool:
        return self.kind in SCORED_KINDS


def new_link_nonce() -> str:
    return secrets.token_urlsafe(12)


class SurveyInvitation(models.Model):
    """One person's single-use link to one survey, with the segments fixed when it opened.

    It records whether its person answered, never what or when."""

    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="survey_invitations")
    nonce = models.CharField(max_length=24, default=new_link_nonce, editable=False)
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tenure_band = models.CharField(max_length=30, blank=True)
    location = models.CharField(max_length=100, blank=True)
    customer_facing = models.BooleanField(default=False)
    answered = models.BooleanField(default=False)
    sent_at = models.DateTimeField(null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["survey", "person"], name="one_invitation_per_person")
        ]
        indexes = [models.Index(fields=["survey", "answered"], name="invitation_answered_idx")]

    def __str__(self) -> str:
        return f"{self.person} → {self.survey}"


class Response(models.Model):
    """One submitted set of answers. No person, invitation, IP address or time: see the
    module's docstring. The survey's closing day is the only date a response has."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    survey = models.ForeignKey(Survey, on_delete=models.CASCADE, related_name="responses")
    team = models.ForeignKey(
        Team, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tenure_band = models.CharField(max_length=30, blank=True)
    location = models.CharField(max_length=100, blank=True)
    customer_facing = models.BooleanField(default=False)
    # Per dimension: {"sum": total of item scores, "n": items answered, "fav": favourable answers}
    dimension_scores = models.JSONField(default=dict)
    enps = models.PositiveSmallIntegerField(null=True, blank=True)  # the 0 to 10 answer

    class Meta:
        indexes = [models.Index(fields=["survey", "team"], name="response_survey_team_idx")]

    def __str__(self) -> str:
        return f"Response to {self.survey_id}"


class Answer(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    value = models.SmallIntegerField(null=True, blank=True)  # scale value or chosen option index
    choices = models.JSONField(null=True, blank=True)  # option indexes of a multiple choice
    text = models.TextField(blank=True)  # open text, already redacted
    score = models.FloatField(null=True, blank=True)  # on the question's scale, reversal applied
    favourable = models.BooleanField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "question"], name="one_answer_per_question")
        ]

    def __str__(self) -> str:
        return f"Answer to {self.question_id}"


class ConfidentialLink(models.Model):
    """Confidential mode only: which invitation a response came from. Never shown in a page;
    read only through `services.confidential_link_read`, which writes an audit event."""

    response = models.OneToOneField(Response, on_delete=models.CASCADE, related_name="+")
    invitation = models.OneToOneField(SurveyInvitation, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return "Confidential link"


class FocusSession(models.Model):
    """Notes from a focus group or a leadership interview; no participant names needed."""

    class Format(models.TextChoices):
        FOCUS_GROUP = "focus_group", "Focus group"
        INTERVIEW = "interview", "Leadership interview"

    organization = models.ForeignKey(Organization, on_delete=models.CASCADE, related_name="+")
    survey = models.ForeignKey(
        Survey, null=True, blank=True, on_delete=models.SET_NULL, related_name="focus_sessions"
    )
    format = models.CharField(max_length=12, choices=Format.choices)
    held_on = models.DateField()
    topic = models.CharField(max_length=200)
    participants = models.PositiveSmallIntegerField(default=0)
    notes = models.TextField()
    recorded_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[OrgScopedQuerySet[FocusSession]] = OrgScopedQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ["-held_on", "-pk"]

    def __str__(self) -> str:
        return self.topic

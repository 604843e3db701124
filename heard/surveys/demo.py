"""Maple & Co.'s survey history for the demo: twelve monthly pulses, one full empathy audit
and an open pulse waiting for answers.

The patterns are written to be found: Support is tired (burnout up, wellbeing down) and feels
under-recognised, getting worse through the year; Product scores low on psychological safety;
Leadership's own four members are too few to show, so the engine hides them (and, with them,
the next-smallest group beside them). Deterministic answers (a fixed random seed); the dates
count back from today, so the open pulse is open whenever the demo is loaded.
"""

from __future__ import annotations

import datetime
import random
from collections.abc import Sequence

from django.utils import timezone

from heard.orgs.models import Organization, Person
from heard.surveys import library
from heard.surveys.models import (
    SCORED_KINDS,
    Answer,
    Audience,
    Kind,
    Question,
    Recurrence,
    Response,
    Status,
    Survey,
    SurveyInvitation,
)
from heard.surveys.services import (
    CleanAnswer,
    add_months,
    comment_redact,
    dimension_scores,
    survey_create,
)

# How each team differs from the organisation's baseline, per dimension (on the 1 to 5 scale).
TEAM_SHIFTS: dict[str, dict[str, float]] = {
    "Support": {"recognised": -1.0, "supported": -0.4, "heard": -0.3, "wellbeing": -1.2},
    "Product": {"psych_safety": -1.1, "heard": -0.5, "informational": -0.4},
    "Sales": {"recognised": 0.3, "distributive": -0.4},
    "Operations": {"change_readiness": -0.6},
    "Finance": {"respected": 0.2},
    "Leadership": {"heard": 0.4, "supported": 0.3},
}
BURNOUT = {"Support": 66.0, "Sales": 48.0, "Product": 45.0}  # CBI 0..100, others ~38

COMMENTS: dict[str, list[str]] = {
    "Support": [
        "We are short-staffed every single week and the queue never ends. Nobody notices the extra hours.",
        "Daniel does his best but the ticket targets leave no time to breathe between angry calls.",
        "A thank you from leadership now and then would go a long way. We only hear about mistakes.",
        "I'm exhausted by the end of most shifts. The difficult customers stay with me after work.",
        "Recognition goes to sales when they close a deal, never to us when we save a customer.",
        "Please hire more people for the evening shift, we can't keep covering for each other.",
        "The new macros help, but I need more time for the complicated cases.",
        "I love helping customers but I'm running on empty lately.",
    ],
    "Product": [
        "I don't feel safe saying a plan won't work in the planning meeting. It gets taken personally.",
        "Mistakes are treated as someone's fault rather than something to learn from.",
        "People keep quiet in retros because the last time someone spoke up it didn't end well.",
        "Decisions arrive without any explanation of why, and questions are seen as pushback.",
        "I would like more honest conversations about deadlines, without blame.",
        "Good colleagues, interesting work, but I hold back my ideas.",
    ],
    "Sales": [
        "Great team spirit and the monthly shout-outs are appreciated.",
        "The commission changes were not explained well and feel unfair.",
        "Targets are tough but my manager listens and helps.",
        "I'd like clearer criteria for who gets the big accounts.",
    ],
    "Operations": [
        "The new scheduling tool was rolled out with no training, we were just told to use it.",
        "I'm worried the automation project means fewer jobs here; nobody has said otherwise.",
        "Our manager is fair and explains decisions well.",
        "More notice before process changes would help us plan.",
    ],
    "Finance": [
        "Small team, we support each other well.",
        "Month-end is stressful but manageable.",
    ],
    "Leadership": [
        "We need to get better at closing the loop on survey results.",
        "I want to hear more from the support team directly.",
    ],
}


def _month(start: datetime.date, months: int) -> datetime.date:
    """The first of the month `months` after `start`'s month."""
    return add_months(start.replace(day=1), months)


def _likert(rng: random.Random, mean: float) -> int:
    return max(1, min(5, round(rng.gauss(mean, 0.8))))


def _value(
    rng: random.Random, question: Question, team: str, person_mood: float, month: int
) -> int:
    shift = TEAM_SHIFTS.get(team, {})
    dim = question.dimension
    if question.kind == Kind.SCALE10:
        base = 8.1 + 1.5 * person_mood + 1.2 * sum(shift.values()) / max(len(shift), 1)
        return max(0, min(10, round(rng.gauss(base, 1.6))))
    if question.kind == Kind.WHO5:
        base = (
            3.1
            + person_mood
            + shift.get("wellbeing", 0.0)
            - (0.05 * month if team == "Support" else 0)
        )
        return max(0, min(5, round(rng.gauss(base, 0.9))))
    if question.kind == Kind.CBI:
        burnout = BURNOUT.get(team, 38.0) + (1.5 * month if team == "Support" else 0)
        index = (100 - burnout) / 25 + person_mood
        return max(0, min(4, round(rng.gauss(index, 0.8))))
    drift = -0.04 * month if team == "Support" and dim == "recognised" else 0.0
    mean = 3.75 + person_mood + shift.get(dim, 0.0) + drift
    value = _likert(rng, mean)
    return 6 - value if question.reverse else value


def _answers(
    rng: random.Random,
    questions: Sequence[Question],
    team: str,
    mood: float,
    month: int,
    names: Sequence[str],
) -> dict[int, CleanAnswer]:
    answers: dict[int, CleanAnswer] = {}
    for question in questions:
        if question.kind in SCORED_KINDS:
            answers[question.pk] = CleanAnswer(
                question, value=_value(rng, question, team, mood, month)
            )
        elif question.kind == Kind.TEXT and rng.random() < 0.4:
            text = rng.choice(COMMENTS.get(team, COMMENTS["Finance"]))
            answers[question.pk] = CleanAnswer(question, text=comment_redact(text, names))
        elif question.kind == Kind.SINGLE and question.options:
            answers[question.pk] = CleanAnswer(question, value=rng.randrange(len(question.options)))
        elif question.kind == Kind.MULTI and question.options:
            picked = sorted(
                rng.sample(range(len(question.options)), k=min(2, len(question.options)))
            )
            answers[question.pk] = CleanAnswer(question, choices=tuple(picked))
    return answers


def _run(
    rng: random.Random,
    survey: Survey,
    people: Sequence[Person],
    moods: dict[int, float],
    month: int,
    names: Sequence[str],
    *,
    rate: float,
    skip: frozenset[int] = frozenset(),
) -> None:
    """Invite everyone with segments as of opening day, and store the answers of those who
    answer, exactly as the services would (without mailing anyone)."""
    questions = list(survey.questions.all())
    invitations = []
    responses: list[Response] = []
    answers: list[Answer] = []
    for person in people:
        answered = person.pk not in skip and rng.random() < rate
        invitations.append(
            SurveyInvitation(
                survey=survey,
                person=person,
                team_id=person.team_id,
                tenure_band=person.tenure_band(survey.opens_on),
                location=person.location,
                customer_facing=person.customer_facing,
                answered=answered,
                sent_at=None,
            )
        )
        if not answered:
            continue
        team = person.team.name.split(" squad ")[0] if person.team else ""
        team = "Support" if team.startswith("Support") else team
        given = _answers(rng, questions, team, moods[person.pk], month, names)
        dimensions, enps = dimension_scores(given.values())
        response = Response(
            survey=survey,
            team_id=person.team_id,
            tenure_band=person.tenure_band(survey.opens_on),
            location=person.location,
            customer_facing=person.customer_facing,
            dimension_scores=dimensions,
            enps=enps,
        )
        responses.append(response)
        for a in given.values():
            scored = a.value is not None and a.question.kind in SCORED_KINDS
            answers.append(
                Answer(
                    response=response,
                    question=a.question,
                    value=a.value,
                    choices=list(a.choices) if a.question.kind == Kind.MULTI else None,
                    text=a.text,
                    score=library.score_item(a.question.kind, a.value, a.question.reverse)
                    if scored and a.value is not None
                    else None,
                    favourable=library.favourable(a.question.kind, a.value, a.question.reverse)
                    if scored and a.value is not None
                    else None,
                )
            )
    rng.shuffle(responses)  # stored in no meaningful order, as the real service does by design
    SurveyInvitation.objects.bulk_create(invitations, batch_size=2000)
    Response.objects.bulk_create(responses, batch_size=2000)
    Answer.objects.bulk_create(answers, batch_size=5000)


def build_survey_demo(
    org: Organization, *, pulses: int = 12, today: datetime.date | None = None
) -> list[Survey]:
    rng = random.Random(20261128)
    today = today or timezone.localdate()
    first_pulse = _month(today.replace(day=1), -pulses)
    people = list(Person.objects.for_org(org).active().select_related("team").order_by("pk"))
    names = [p.name for p in people]
    moods = {p.pk: rng.gauss(0, 0.35) for p in people}
    admin = next(p for p in people if p.is_admin)
    surveys: list[Survey] = []
    previous: Survey | None = None
    for month in range(pulses):
        opens = _month(first_pulse, month)
        survey = survey_create(
            org=org,
            title=f"Monthly pulse, {opens:%B %Y}",
            template="monthly_pulse",
            opens_on=opens,
            closes_on=opens + datetime.timedelta(days=11),
            created_by=admin,
            recurrence=Recurrence.MONTHLY,
            run_index=month,
            previous=previous,
        )
        _run(rng, survey, people, moods, month, names, rate=rng.uniform(0.78, 0.9))
        _close(survey)
        surveys.append(survey)
        previous = survey
    audit = survey_create(
        org=org,
        title="Empathy audit 2026",
        template="empathy_audit",
        opens_on=_month(first_pulse, pulses - 3) + datetime.timedelta(days=13),
        closes_on=_month(first_pulse, pulses - 3) + datetime.timedelta(days=31),
        created_by=admin,
    )
    _run(rng, audit, people, moods, 9, names, rate=0.86)
    _close(audit)
    surveys.append(audit)
    # An open pulse this month: some answers are in, the demo employee's are not.
    opens = today - datetime.timedelta(days=4)
    current = survey_create(
        org=org,
        title=f"Monthly pulse, {opens:%B %Y}",
        template="monthly_pulse",
        opens_on=opens,
        closes_on=today + datetime.timedelta(days=10),
        created_by=admin,
        recurrence=Recurrence.MONTHLY,
        run_index=pulses,
        previous=previous,
    )
    _focus_sessions(org, admin, today)
    employee = next(p for p in people if p.email.startswith("priya.shah@"))
    _run(rng, current, people, moods, pulses, names, rate=0.45, skip=frozenset({employee.pk}))
    Survey.objects.filter(pk=current.pk).update(status=Status.OPEN, opened_at=timezone.now())
    current.status = Status.OPEN
    surveys.append(current)
    surveys.append(_french_pulse(rng, org, admin, people, moods, names, today))
    return surveys


def _french_pulse(
    rng: random.Random,
    org: Organization,
    admin: Person,
    people: Sequence[Person],
    moods: dict[int, float],
    names: Sequence[str],
    today: datetime.date,
) -> Survey:
    """Operations asked about the new scheduling tool, in French (the survey's language is
    the language of its questions, its answer page and its emails)."""
    from heard.orgs.models import Team

    operations = Team.objects.for_org(org).get(name="Operations")
    audience = [p for p in people if p.team_id == operations.pk]
    survey = survey_create(
        org=org,
        title="Nouvel outil de planning : votre avis",
        template="tech_change_pulse",
        opens_on=today - datetime.timedelta(days=2),
        closes_on=today + datetime.timedelta(days=12),
        created_by=admin,
        audience=Audience.TEAMS,
        audience_teams=[operations],
        language="fr",
    )
    _run(rng, survey, audience, moods, 12, names, rate=0.5)
    Survey.objects.filter(pk=survey.pk).update(status=Status.OPEN, opened_at=timezone.now())
    survey.status = Status.OPEN
    return survey


FOCUS_NOTES = (
    (
        "focus_group",
        "Support: why recognition scores are low",
        7,
        """Wins in support are invisible; only complaints get escalated upwards
Sales get a bell and a shout-out for a deal, we get nothing for saving a customer
The queue targets leave no time to help each other or learn
Daniel thanks us in 1:1s but nobody above him seems to notice
Evening shift feels forgotten: meetings and announcements happen when we are off
Would like customer praise passed on to the person who handled the case
Recognition should be for how we handled a hard call, not just speed""",
    ),
    (
        "focus_group",
        "Product: speaking up in planning",
        6,
        """People stay quiet in planning because pushback is taken personally
Mistakes turn into blame; retros feel like a trial
Decisions arrive without the why, so questions look like resistance
Would speak up more if leaders admitted their own mistakes first
A written pre-mortem before big launches would make concerns normal
Recognition for raising a risk early, even when it slows a launch""",
    ),
    (
        "interview",
        "Leadership interview: head of operations",
        1,
        """Sees the new scheduling tool as a success; surprised by the change readiness scores
Admits the rollout had no training and little explanation of why
Worried about support burnout; has no budget line for more hires this year
Would like a monthly open forum where anyone can ask leadership anything
Recognition is informal and depends on the manager""",
    ),
)


def _focus_sessions(org: Organization, admin: Person, today: datetime.date) -> None:
    from heard.surveys.services import focus_session_record

    for days_ago, (fmt, topic, participants, notes) in zip((40, 33, 26), FOCUS_NOTES, strict=True):
        focus_session_record(
            org=org,
            recorded_by=admin,
            format=fmt,
            held_on=today - datetime.timedelta(days=days_ago),
            topic=topic,
            participants=participants,
            notes=notes,
        )


def _close(survey: Survey) -> None:
    Survey.objects.filter(pk=survey.pk).update(status=Status.CLOSED)
    survey.status = Status.CLOSED

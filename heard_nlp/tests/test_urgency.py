"""Intensity and urgency levels with their reasons (heard_nlp.urgency)."""

from __future__ import annotations

import pytest

from heard_nlp.types import Evidence, Level
from heard_nlp.urgency import intensity_and_urgency, level_of


def rate(
    text: str, sentiment: float = 0.0, frustration: float = 0.0, anger: float = 0.0
) -> tuple[Level, Level, list[Evidence]]:
    intensity, urgency, evidence = intensity_and_urgency(
        text, sentiment_score=sentiment, frustration=frustration, anger=anger
    )
    for item in evidence:
        assert text[item.span.start : item.span.end] == item.span.text
        assert item.supports in ("intensity", "urgency")
    for level in (intensity, urgency):
        assert 0.0 <= level.score <= 1.0
        assert level.level == level_of(level.score)
    return intensity, urgency, evidence


def urgency_spans(evidence: list[Evidence]) -> list[str]:
    return [e.span.text.lower() for e in evidence if e.supports == "urgency"]


def test_it_maps_scores_to_levels() -> None:
    assert [level_of(s) for s in (0.0, 0.34, 0.35, 0.64, 0.65, 1.0)] == [
        "low", "low", "medium", "medium", "high", "high",
    ]  # fmt: skip


def test_it_rates_a_calm_text_low_on_both() -> None:
    intensity, urgency, evidence = rate("The update went fine and the team was helpful.", 0.2)
    assert (intensity.level, urgency.level) == ("low", "low")
    assert urgency.score == 0.0
    assert evidence == []


@pytest.mark.parametrize(
    "text",
    [
        "The warehouse floor is unsafe",
        "I don't feel safe at work",
        "A colleague was injured yesterday",
        "There was a fire in the kitchen",
        "My manager threatened me",
        "I am facing harassment from a customer",
        "I have been thinking about self-harm",
        "I feel suicidal",
        "I can't cope any more",
        "I had a panic attack at my desk",
    ],
)
def test_it_rates_safety_and_wellbeing_high_always(text: str) -> None:
    _i, urgency, _e = rate(text)
    assert urgency.level == "high"
    assert urgency.score >= 0.9
    assert any("safety" in r for r in urgency.reasons)
    _i, relaxed, _e = rate(f"No rush, but {text.lower()}. Not urgent.")
    assert relaxed.level == "high"


@pytest.mark.parametrize(
    ("text", "spans"),
    [
        ("This is the third time I've called", ["third time"]),
        ("Still waiting for an answer", ["still waiting"]),
        ("I already called twice and no one has replied", ["already called", "no one has replied"]),
    ],
)
def test_it_recognises_repeated_contact(text: str, spans: list[str]) -> None:
    _i, urgency, evidence = rate(text, -0.3)
    assert urgency_spans(evidence) == spans
    assert any(r.startswith("says this is repeated contact") for r in urgency.reasons)
    assert urgency.score > 0.3


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("Please fix this by Friday", "by friday"),
        ("I need it before the 12th", "before the 12th"),
        ("This is urgent", "urgent"),
        ("Reply asap", "asap"),
        ("I need it tomorrow", "tomorrow"),
        ("Within 24 hours please", "within 24 hours"),
    ],
)
def test_it_recognises_deadlines(text: str, span: str) -> None:
    _i, urgency, evidence = rate(text)
    assert urgency_spans(evidence) == [span]
    assert urgency.reasons[0] == f"mentions a deadline or time pressure ('{evidence[0].span.text}')"


def test_it_weighs_urgent_words_above_a_plain_today() -> None:
    _i, urgent, _e = rate("This is urgent")
    _i, today, _e = rate("I need it today")
    assert urgent.score > today.score > 0.0
    assert urgent.level == "medium"
    assert today.level == "low"


@pytest.mark.parametrize(
    "text",
    [
        "I will cancel my subscription",
        "I'm switching to your competitor",
        "Never ordering from you again",
        "I'll take my business elsewhere",
        "I am going to resign",
        "I'm thinking of quitting my job",
    ],
)
def test_it_recognises_threats_to_leave(text: str) -> None:
    _i, urgency, _e = rate(text, -0.4)
    assert any(r.startswith("threatens to leave") for r in urgency.reasons)
    assert urgency.level in ("medium", "high")


@pytest.mark.parametrize(
    "text",
    [
        "My lawyer will be in touch",
        "I have spoken to a solicitor",
        "I will file a chargeback",
        "I'm going to the ombudsman",
        "I will contact trading standards",
        "I will report you",
    ],
)
def test_it_recognises_legal_action_and_escalation(text: str) -> None:
    _i, urgency, _e = rate(text, -0.4)
    assert any(r.startswith("mentions legal action") for r in urgency.reasons)
    assert urgency.level in ("medium", "high")


@pytest.mark.parametrize(
    "text", ["I was charged twice", "You overcharged me", "There is an unauthorised payment"]
)
def test_it_rates_money_lost_at_least_medium(text: str) -> None:
    _i, urgency, _e = rate(text, 0.0)
    assert urgency.level in ("medium", "high")
    assert any(r.startswith("reports money lost") for r in urgency.reasons)
    _i, relaxed, _e = rate(f"No rush, but {text.lower()}")
    assert relaxed.level == "medium"


def test_it_adds_up_several_kinds_of_cue() -> None:
    _i, one, _e = rate("I want a refund by Friday", -0.3)
    _i, three, _e = rate("Third time asking: fix it by Friday or my solicitor gets involved", -0.3)
    assert three.score > one.score
    assert three.level == "high"
    assert len(three.reasons) == 3


@pytest.mark.parametrize(
    "text",
    [
        "This is not urgent",
        "I won't cancel my subscription",
        "No need for a lawyer",
        "There is no deadline",
    ],
)
def test_it_ignores_negated_cues(text: str) -> None:
    _i, urgency, evidence = rate(text)
    assert urgency.level == "low"
    assert all(e.note == "says it is not urgent" for e in evidence if e.supports == "urgency")


def test_it_halves_urgency_when_the_writer_says_there_is_no_rush() -> None:
    _i, pressed, _e = rate("Please update my address by Friday")
    _i, relaxed, _e = rate("No rush, please update my address by Friday")
    assert relaxed.score == pytest.approx(pressed.score / 2, abs=0.001)
    assert relaxed.reasons[-1] == "says it is not urgent ('No rush')"


def test_it_counts_a_bare_again_only_in_negative_texts() -> None:
    _i, praise, _e = rate("Would order again, lovely", 0.7)
    _i, complaint, evidence = rate("Broken again", -0.5)
    assert praise.score == 0.0
    assert urgency_spans(evidence) == ["again"]
    assert complaint.score > 0.0


def test_it_reads_on_fire_in_praise_as_praise() -> None:
    _i, praise, _e = rate("You're on fire, team!", 0.7)
    _i, alarm, _e = rate("The building is on fire", -0.5)
    assert praise.level == "low"
    assert alarm.level == "high"


def test_it_lets_frustration_and_anger_raise_urgency_a_little() -> None:
    _i, calm, _e = rate("Where is my order", -0.2, 0.0)
    _i, cross, _e = rate("Where is my order", -0.2, 0.9)
    assert cross.score > calm.score
    assert cross.level == "low"


def test_it_raises_intensity_for_each_kind_of_cue() -> None:
    base, _u, _e = rate("The service was bad")
    variants = [
        "The service was bad!",
        "The service was bad?!",
        "The service was BAD",
        "The service was absolutely bad",
        "The service was sooo bad",
        "The service was shit",
    ]
    for text in variants:
        intensity, _u, _e = rate(text)
        assert intensity.score > base.score, text


def test_it_rates_shouted_angry_text_high_and_says_why() -> None:
    intensity, _u, evidence = rate(
        "THIS IS ABSOLUTELY UNACCEPTABLE!!! WORST SERVICE EVER", -0.9, 0.8, 0.7
    )
    assert intensity.level == "high"
    assert "uses 3 exclamation marks" in intensity.reasons
    assert any(r.startswith("writes in capitals") for r in intensity.reasons)
    assert any(e.note == "capitals" for e in evidence)


def test_it_scores_a_text_in_capitals_above_a_few_capital_words() -> None:
    shouted, _u, _e = rate("WHERE IS MY ORDER")
    some, _u, _e = rate("Where is my ORDER and my REFUND")
    assert shouted.score == pytest.approx(0.45)
    assert some.score == pytest.approx(0.3)
    assert shouted.reasons == ("writes in capitals ('WHERE', 'ORDER')",)


def test_it_counts_strong_sentiment_either_way_but_praise_less() -> None:
    neutral, _u, _e = rate("It arrived", 0.0)
    happy, _u, _e = rate("It arrived", 0.9)
    angry, _u, _e = rate("It arrived", -0.9)
    assert neutral.score == 0.0
    assert 0.0 < happy.score < angry.score


def test_it_ignores_acronyms_in_capitals() -> None:
    intensity, _u, _e = rate("Send the PDF to HR ASAP")
    assert not any("capitals" in r for r in intensity.reasons)


def test_it_masks_profanity_in_reasons() -> None:
    intensity, _u, evidence = rate("what the fuck is this shit")
    reason = next(r for r in intensity.reasons if r.startswith("uses profanity"))
    assert reason == "uses profanity ('f***', 's***')"
    assert "fuck" not in " ".join(intensity.reasons)
    assert [e.note for e in evidence if e.note.startswith("profanity")] == [
        "profanity (f***)",
        "profanity (s***)",
    ]


@pytest.mark.parametrize("prefix", ["", "İstanbul office: "])
def test_it_finds_cues_in_any_case_with_spans_on_the_original_text(prefix: str) -> None:
    # "İ" lower-cases to two characters; the cue spans must still index the original text.
    text = prefix + "I was CHARGED TWICE and this is URGENT, I'm Calling My Lawyer"
    intensity, urgency, evidence = rate(text, -0.6)
    assert {"charged twice", "urgent", "lawyer"} <= set(urgency_spans(evidence))
    assert "CHARGED TWICE" in [e.span.text for e in evidence]
    assert urgency.level == "high"
    assert intensity.level in ("medium", "high")

from __future__ import annotations

import pytest

from heard_nlp.neutral import PLACEHOLDER_NAME, neutralize


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Emily said the refund never came.", f"{PLACEHOLDER_NAME} said the refund never came."),
        (
            "I spoke to DeShawn and Ji-woo.",
            f"I spoke to {PLACEHOLDER_NAME} and {PLACEHOLDER_NAME}.",
        ),
        ("She was late and he runs the team.", "They were late and they run the team."),
        ("I asked him; his reply helped her.", "I asked them; their reply helped their."),
        ("Grace said it was fine.", f"{PLACEHOLDER_NAME} said it was fine."),
        ("By the grace of the team. Will you help?", "By the grace of the team. Will you help?"),
        ("In May we met on Monday.", "In May we met on Monday."),
        ("The SLA was breached on Zoom.", "The SLA was breached on Zoom."),
    ],
)
def test_it_makes_names_and_pronouns_neutral(text: str, expected: str) -> None:
    assert neutralize(text) == expected


def test_it_gives_names_of_every_origin_the_same_reading() -> None:
    from heard_nlp.analyze import analyze

    texts = [f"{name} from support fixed my problem quickly." for name in
             ("Emily", "Jamal", "Priya", "Mohammed", "Agnieszka", "Chinedu")]  # fmt: skip
    scores = {a.sentiment.score for a in analyze(texts, backend="lexicon") if a.sentiment}
    assert len(scores) == 1

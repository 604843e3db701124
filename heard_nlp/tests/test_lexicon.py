from __future__ import annotations

import numpy as np

from heard_nlp import lexicon
from heard_nlp.labels import EMOTIONS
from heard_nlp.tokens import features


def test_it_marks_negated_words() -> None:
    assert "NOT_happy" in features("I am not happy with this")
    assert "happy" in features("I am happy. Not bad")
    assert "NOT_happy" not in features("I am happy. Not bad")


def test_it_gives_a_probability_per_label() -> None:
    probabilities = lexicon.emotion_lexicon().probabilities(["Thank you so much!", ""])
    assert probabilities.shape == (2, len(EMOTIONS))
    assert np.all((probabilities >= 0) & (probabilities <= 1))


def test_it_reads_gratitude_and_anger() -> None:
    found = lexicon.emotion_lexicon().probabilities(
        ["Thank you so much, you saved my day!", "I am so angry right now."]
    )
    thanks, angry = found
    thresholds = lexicon.emotion_lexicon().thresholds
    assert thanks[EMOTIONS.index("gratitude")] >= thresholds["gratitude"]
    assert angry[EMOTIONS.index("anger")] >= thresholds["anger"]
    assert thanks[EMOTIONS.index("anger")] < thresholds["anger"]


def test_it_explains_a_label_with_the_words_in_the_text() -> None:
    words = [
        w
        for w, _, _ in lexicon.emotion_lexicon().explain(
            "Thanks a lot, truly grateful", "gratitude"
        )
    ]
    assert words
    assert set(words) <= set(features("Thanks a lot, truly grateful"))


def test_it_explains_a_word_list_category_with_the_texts_word() -> None:
    explained = lexicon.emotion_lexicon().explain("I am absolutely livid.", "anger")
    assert ("livid", explained[0][1], "in the 'rage' word list") in explained


def test_it_reads_a_rare_angry_word_through_its_word_list() -> None:
    text = "This is the third time I have asked and nobody answers. I am furious."
    anger = lexicon.emotion_lexicon().probabilities([text])[0][EMOTIONS.index("anger")]
    assert anger >= lexicon.emotion_lexicon().thresholds["anger"]


def test_it_has_a_threshold_for_every_label() -> None:
    thresholds = lexicon.emotion_lexicon().thresholds
    assert set(thresholds) == set(EMOTIONS)
    assert all(0 < t < 1 for t in thresholds.values())


def test_it_scores_sentiment_with_vader() -> None:
    scores = lexicon.score(["I love it", "I hate it"])
    assert scores.sentiment[0] > 0.3 > -0.3 > scores.sentiment[1]

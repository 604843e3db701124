"""The model backend: trained heads over the sentence encoder (model.py)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from heard_nlp import model as model_module
from heard_nlp.labels import EMOTIONS
from heard_nlp.model import TextModel, get_model, ngram_features


@pytest.fixture(scope="module")
def model() -> TextModel:
    found = get_model()
    if found is None:
        pytest.skip(f"model backend unavailable: {model_module.model_unavailable_reason()}")
    return found


def test_it_loads_the_model_once_per_process(model: TextModel) -> None:
    assert get_model() is model
    assert get_model() is get_model()


def test_it_gives_28_probabilities_and_a_bounded_sentiment(model: TextModel) -> None:
    texts = ["The meeting moved to Thursday.", "I love this team!", "", "?!"]
    scores = model.predict(texts)
    assert scores.emotions.shape == (4, 28)
    assert scores.sentiment.shape == (4,)
    assert np.all((scores.emotions >= 0) & (scores.emotions <= 1))
    assert np.all((scores.sentiment >= -1) & (scores.sentiment <= 1))
    empty = model.predict([])
    assert empty.emotions.shape == (0, 28)
    assert empty.sentiment.shape == (0,)


def test_it_has_a_tuned_threshold_for_every_label(model: TextModel) -> None:
    assert list(model.thresholds) == list(EMOTIONS)
    assert all(0 < t < 1 for t in model.thresholds.values())


def test_it_reads_thanks_as_gratitude_and_positive(model: TextModel) -> None:
    scores = model.predict(["Thank you so much, this is wonderful"])
    probabilities = dict(zip(EMOTIONS, scores.emotions[0], strict=True))
    assert probabilities["gratitude"] >= model.thresholds["gratitude"]
    assert max(probabilities, key=lambda k: probabilities[k]) in ("gratitude", "admiration")
    assert scores.sentiment[0] > 0.5


def test_it_reads_repeated_unanswered_requests_as_anger_and_negative(model: TextModel) -> None:
    text = "This is the third time I've asked and nobody answers. I'm furious."
    scores = model.predict([text])
    probabilities = dict(zip(EMOTIONS, scores.emotions[0], strict=True))
    assert any(probabilities[label] >= model.thresholds[label] for label in ("anger", "annoyance"))
    assert scores.sentiment[0] < -0.3


def test_it_keeps_plain_statements_near_neutral(model: TextModel) -> None:
    scores = model.predict(["The meeting is moved to Thursday at 3pm."])
    assert abs(scores.sentiment[0]) < 0.2
    assert scores.emotions[0, EMOTIONS.index("neutral")] >= model.thresholds["neutral"]


def test_it_explains_a_label_with_the_words_of_the_text(model: TextModel) -> None:
    words = model.explain("Thank you so much, this is wonderful", "gratitude")
    assert words
    assert words[0][0] in ngram_features("Thank you so much, this is wonderful")
    assert all(weight > 0 for _, weight in words)
    signed = model.explain("I am not happy with the service", "sentiment")
    assert signed
    assert signed[0][1] < 0
    assert all(word != "this is" for word, _ in model.explain("this is so rude", "anger"))


def test_it_marks_negated_words() -> None:
    assert "NOT_happy" in ngram_features("I'm not happy with this")
    assert "happy" in ngram_features("I'm happy with this")


def test_it_says_why_when_the_heads_are_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    saved = (model_module._model, model_module._reason, model_module._loaded)
    monkeypatch.setattr(model_module, "WEIGHTS_PATH", tmp_path / "heads.npz")
    model_module.reset_model_cache()
    try:
        assert get_model() is None
        assert model_module.model_unavailable_reason()
    finally:
        model_module._model, model_module._reason, model_module._loaded = saved


def test_it_imports_without_django() -> None:
    code = (
        "import sys, heard_nlp.encoder, heard_nlp.model, heard_nlp.train; "
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'; "
        "assert 'torch' not in sys.modules and 'sklearn' not in sys.modules"
    )
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60)

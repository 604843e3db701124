"""The analysis pipeline: language, sentiment, 28 emotions and Heard's groups, intensity and
urgency, and the words behind each result.

Two backends sit behind it: "model" (sentence embeddings + heads trained on GoEmotions, see
model.py) and "lexicon" (VADER + Heard's emotion lexicon). `backend="auto"` uses the model
when its files are installed and says which one answered in `Analysis.backend`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Literal

import numpy as np

from heard_nlp import lexicon
from heard_nlp.labels import EMOTIONS, GROUPS, NEGATIVE, POSITIVE
from heard_nlp.language import detect_languages, is_supported
from heard_nlp.neutral import neutralize
from heard_nlp.tokens import words_with_offsets
from heard_nlp.types import Analysis, Emotions, Evidence, Sentiment, SentimentLabel, Span
from heard_nlp.urgency import intensity_and_urgency

BackendName = Literal["auto", "model", "lexicon"]
NEUTRAL_BAND = 0.2  # |score| below this reads as neutral
LEXICON_VADER_WEIGHT = 0.5  # lexicon mode: sentiment = equal blend of VADER and emotion polarity
MAX_CHARS = 20_000  # longer texts are analysed on their first 20,000 characters


class ModelUnavailable(RuntimeError):
    pass


def model_status() -> tuple[bool, str]:
    """(available, reason): whether the model backend can run here, and why not."""
    try:
        from heard_nlp.model import get_model, model_unavailable_reason
    except ImportError as error:  # pragma: no cover - the module ships with the package
        return False, f"model backend not installed ({error})"
    if get_model() is None:
        return False, model_unavailable_reason()
    return True, ""


def _polarity(emotions: np.ndarray) -> np.ndarray:
    positive = emotions[:, [EMOTIONS.index(label) for label in POSITIVE]].max(axis=1)
    negative = emotions[:, [EMOTIONS.index(label) for label in NEGATIVE]].max(axis=1)
    result: np.ndarray = positive - negative
    return result


def _score(
    texts: list[str], backend: BackendName
) -> tuple[np.ndarray, np.ndarray, str, dict[str, float]]:
    """(emotion probabilities (n, 28), sentiment (n,), backend used, thresholds)."""
    if backend != "lexicon":
        from heard_nlp.model import get_model

        model = get_model()
        if model is not None:
            scores = model.predict(texts)
            return scores.emotions, scores.sentiment, "model", dict(model.thresholds)
        if backend == "model":
            raise ModelUnavailable(model_status()[1])
    found = lexicon.score(texts)
    sentiment = LEXICON_VADER_WEIGHT * found.sentiment + (1 - LEXICON_VADER_WEIGHT) * _polarity(
        found.emotions
    )
    return (
        found.emotions,
        np.clip(sentiment, -1, 1),
        "lexicon",
        lexicon.emotion_lexicon().thresholds,
    )


def _sentiment_label(score: float) -> SentimentLabel:
    if score >= NEUTRAL_BAND:
        return "positive"
    if score <= -NEUTRAL_BAND:
        return "negative"
    return "neutral"


_FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "so",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "it",
        "its",
        "this",
        "that",
        "these",
        "those",
        "i",
        "me",
        "my",
        "we",
        "our",
        "you",
        "your",
        "he",
        "she",
        "they",
        "them",
        "their",
        "his",
        "her",
        "or",
        "not",
        "no",
        "do",
        "does",
        "did",
        "have",
        "has",
        "had",
        "will",
        "would",
        "can",
        "could",
        "just",
    ]
)


def _meaningful(feature: str) -> bool:
    """Evidence shown to people must be a word that means something, not "or I"."""
    return any(w not in _FUNCTION_WORDS for w in feature.removeprefix("NOT_").split(" "))


def _spans_for(
    text: str, feature: str, tokens: list[tuple[str, int, int]] | None = None
) -> list[Span]:
    """Where a lexicon feature ("word", "two words", "NOT_word") occurs in the text."""
    words = feature.removeprefix("NOT_").split(" ")
    tokens = tokens if tokens is not None else words_with_offsets(text)
    spans = []
    for index in range(len(tokens) - len(words) + 1):
        if [t[0] for t in tokens[index : index + len(words)]] == words:
            start, end = tokens[index][1], tokens[index + len(words) - 1][2]
            spans.append(Span(text[start:end], start, end))
    return spans


def _evidence(text: str, labels: Iterable[str], sentiment_score: float) -> list[Evidence]:
    found: list[Evidence] = []
    tokens = words_with_offsets(text)
    valences = lexicon.vader().word_valences(text)
    same_sign = [v for v in valences if v[3] * sentiment_score > 0] or valences
    for word, start, end, valence in sorted(same_sign, key=lambda v: -abs(v[3]))[:5]:
        found.append(Evidence("sentiment", Span(word, start, end), round(valence / 4, 3)))
    emotion_lexicon = lexicon.emotion_lexicon()
    for label in labels:
        if label == "neutral":
            continue
        explained = emotion_lexicon.explain(text, label, limit=6)
        for feature, weight, list_note in [e for e in explained if _meaningful(e[0])][:3]:
            negated = "negated" if feature.startswith("NOT_") else ""
            note = "; ".join(n for n in (negated, list_note) if n)
            for span in _spans_for(text, feature, tokens)[:1]:
                found.append(Evidence(f"emotion:{label}", span, round(weight, 3), note))
    return found


def analyze(
    texts: Sequence[str], *, backend: BackendName = "auto", explain: bool = True
) -> list[Analysis]:
    """Analyse each text. Texts in a language the models do not cover come back with
    `analysed=False` and a reason, never with scores.

    `explain=False` leaves out the word-level evidence for sentiment and emotions (the reasons
    for intensity and urgency stay): for bulk runs whose output shows no evidence."""
    texts = [t if isinstance(t, str) else "" for t in texts]
    clipped = [t[:MAX_CHARS] for t in texts]
    languages = detect_languages(clipped)
    results: list[Analysis | None] = [None] * len(texts)
    todo: list[int] = []
    for i, (text, language) in enumerate(zip(clipped, languages, strict=True)):
        if not text.strip():
            results[i] = Analysis(texts[i], language, False, "empty text")
        elif language is not None and not is_supported(language):
            reason = f"language '{language}' is not analysed by Heard's models yet"
            results[i] = Analysis(texts[i], language, False, reason)
        elif language is None and not any(c.isalpha() for c in text):
            results[i] = Analysis(texts[i], None, False, "no words to analyse")
        else:
            todo.append(i)
    if todo:
        neutral = [neutralize(clipped[i]) for i in todo]
        emotions, sentiment, used, thresholds = _score(neutral, backend)
        for row, i in enumerate(todo):
            results[i] = _one(
                texts[i],
                clipped[i],
                languages[i],
                emotions[row],
                float(sentiment[row]),
                used,
                thresholds,
                explain,
            )
    return [r for r in results if r is not None]


def _one(
    original: str,
    text: str,
    language: str | None,
    probabilities: np.ndarray,
    sentiment_score: float,
    backend: str,
    thresholds: dict[str, float],
    explain: bool = True,
) -> Analysis:
    probs = dict(zip(EMOTIONS, np.round(probabilities.astype(np.float64), 4).tolist(), strict=True))
    above = sorted(
        (label for label in EMOTIONS if label != "neutral" and probs[label] >= thresholds[label]),
        key=lambda label: -probs[label],
    )
    labels = tuple(above) or ("neutral",)
    groups = {name: max(probs[m] for m in members) for name, members in GROUPS.items()}
    score = round(max(-1.0, min(1.0, sentiment_score)), 4)
    intensity, urgency, level_evidence = intensity_and_urgency(
        text, sentiment_score=score, frustration=groups["frustration"], anger=probs["anger"]
    )
    word_evidence = _evidence(text, labels, score) if explain else []
    evidence = tuple(word_evidence + list(level_evidence))
    return Analysis(
        text=original,
        language=language,
        analysed=True,
        sentiment=Sentiment(_sentiment_label(score), score),
        emotions=Emotions(probs, labels, groups),
        intensity=intensity,
        urgency=urgency,
        evidence=evidence,
        backend=backend,
    )

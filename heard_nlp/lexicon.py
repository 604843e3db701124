"""The fast backend: VADER for sentiment and Heard's emotion lexicon (trained on GoEmotions by
lexicon_train.py) for the 28 emotions. Every score is a sum of word weights, so the words
behind it are the explanation."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from heard_nlp.labels import EMOTIONS
from heard_nlp.tokens import category_features, features, words_with_offsets

LEXICON_PATH = Path(__file__).resolve().parent / "models" / "emotion_lexicon.npz"


@dataclass(frozen=True)
class LexiconScores:
    emotions: np.ndarray  # (n, 28) probabilities
    sentiment: np.ndarray  # (n,) VADER compound in [-1, 1]


class EmotionLexicon:
    def __init__(self, path: Path = LEXICON_PATH) -> None:
        with np.load(path) as data:
            vocabulary = str(data["vocabulary"]).split("\n")
            self.weights = data["weights"].astype(np.float32)
            self.bias = data["bias"].astype(np.float32)
            self.thresholds = dict(zip(EMOTIONS, data["thresholds"].tolist(), strict=True))
            self.meta: dict[str, Any] = json.loads(str(data["meta"]))
            self.word_categories: dict[str, list[str]] = (
                json.loads(str(data["word_categories"])) if "word_categories" in data else {}
            )
        self.index = {feature: i for i, feature in enumerate(vocabulary)}

    def features(self, text: str) -> list[str]:
        found = features(text)
        return found + category_features(found, self.word_categories)

    def feature_ids(self, text: str) -> list[int]:
        index = self.index
        return sorted({index[f] for f in self.features(text) if f in index})

    def probabilities(self, texts: list[str]) -> np.ndarray:
        ids = [self.feature_ids(text) for text in texts]
        flat = np.fromiter((i for row in ids for i in row), dtype=np.int64)
        logits = np.tile(self.bias, (len(texts), 1))
        if flat.size:
            rows = np.repeat(np.arange(len(texts)), [len(row) for row in ids])
            np.add.at(logits, rows, self.weights[flat])
        return 1.0 / (1.0 + np.exp(-logits))

    def explain(self, text: str, label: str, limit: int = 4) -> list[tuple[str, float, str]]:
        """The words that pushed `label` up the most in this text, as (feature, weight, note).
        A word-list category is shown as the text's own words in that list."""
        column = EMOTIONS.index(label)
        text_features = features(text)
        found: dict[str, tuple[float, str]] = {}
        for feature in set(text_features + category_features(text_features, self.word_categories)):
            if feature not in self.index:
                continue
            weight = float(self.weights[self.index[feature], column])
            if weight <= 0.3:
                continue
            if "CAT_" in feature:
                negated = feature.startswith("NOT_")
                category = feature.split("CAT_", 1)[1]
                for word in text_features:
                    plain = word.removeprefix("NOT_")
                    if (
                        " " not in word
                        and word.startswith("NOT_") == negated
                        and category in self.word_categories.get(plain, ())
                    ):
                        note = f"in the '{category.replace('_', ' ')}' word list"
                        if weight > found.get(word, (0.0, ""))[0]:
                            found[word] = (weight, note)
            elif weight > found.get(feature, (0.0, ""))[0]:
                found[feature] = (weight, "")
        ranked = sorted(found.items(), key=lambda item: -item[1][0])[:limit]
        return [(feature, weight, note) for feature, (weight, note) in ranked]


class Vader:
    def __init__(self) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.analyzer = SentimentIntensityAnalyzer()

    def compound(self, text: str) -> float:
        return float(self.analyzer.polarity_scores(text)["compound"])

    def word_valences(self, text: str) -> list[tuple[str, int, int, float]]:
        """Words VADER knows with their valence (-4..4), for the sentiment evidence."""
        lexicon = self.analyzer.lexicon
        return [
            (text[start:end], start, end, float(lexicon[word]))
            for word, start, end in words_with_offsets(text)
            if word in lexicon
        ]


_lock = threading.Lock()


class _Loaded:
    @cached_property
    def lexicon(self) -> EmotionLexicon:
        return EmotionLexicon()

    @cached_property
    def vader(self) -> Vader:
        return Vader()


_loaded = _Loaded()


def emotion_lexicon() -> EmotionLexicon:
    with _lock:
        return _loaded.lexicon


def vader() -> Vader:
    with _lock:
        return _loaded.vader


def score(texts: list[str]) -> LexiconScores:
    lexicon, analyzer = emotion_lexicon(), vader()
    return LexiconScores(
        emotions=lexicon.probabilities(texts),
        sentiment=np.array([analyzer.compound(t) for t in texts], dtype=np.float32),
    )

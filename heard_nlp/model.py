"""The model backend: 28 GoEmotions probabilities and a sentiment score per text.

Each head is a linear model over three feature blocks, trained by `heard_nlp.train` on
GoEmotions train (thresholds tuned on GoEmotions dev):
- the text's all-MiniLM-L6-v2 sentence embedding (encoder.py);
- word n-grams (unigrams, bigrams, "NOT_word" after a negator), hashed into 2**16 buckets
  with zlib.crc32, weighted by idf and L2-normalised (sklearn's TfidfTransformer, rebuilt here
  in numpy so running Heard needs no scikit-learn);
- VADER's compound, positive, negative and neutral scores.

Sentiment: GoEmotions' positive labels against its negative ones (labels.POSITIVE/NEGATIVE),
trained with balanced classes, then damped by the emotion head's "neutral" probability, so
plain statements land near 0: score = (2 p_positive - 1) * (1 - p_neutral).

Because the n-gram block is linear, `explain` can say which words pushed a label up.
The weights live in models/heads.npz (float16 n-gram weights) and models/heads.json.
"""

from __future__ import annotations

import json
import re
import threading
import zlib
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from heard_nlp.encoder import (
    MODELS_DIR,
    Encoder,
    encoder_unavailable_reason,
    get_encoder,
)
from heard_nlp.labels import EMOTIONS

FloatArray = npt.NDArray[np.float32]
WEIGHTS_PATH = MODELS_DIR / "heads.npz"
META_PATH = MODELS_DIR / "heads.json"
FEATURES_VERSION = "ngram-v2"  # change when ngram_features changes: the weights depend on it
SENTIMENT = "sentiment"  # explain(text, "sentiment"): signed, + pushes positive
NEUTRAL_INDEX = EMOTIONS.index("neutral")

_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z]+)*|[!?]|[.,;:]|[\u2600-\u27bf\U0001f300-\U0001faff]")
_BREAKS = frozenset(".,;:")  # end a negation's scope and a bigram; not features themselves
_NEGATORS = frozenset(
    (
        "not", "no", "never", "nobody", "nothing", "nowhere", "neither", "nor", "cannot",
        "can't", "don't", "doesn't", "didn't", "isn't", "aren't", "wasn't", "weren't", "won't",
        "wouldn't", "shouldn't", "couldn't", "haven't", "hasn't", "hadn't", "ain't", "dont",
        "doesnt", "didnt", "isnt", "wasnt", "cant", "wont", "without",
    )
)  # fmt: skip

# Function words: n-grams made only of these still count in the model, but `explain` leaves
# them out ("this is" is no reason a person would recognise).
_FUNCTION_WORDS = frozenset(
    (
        "a", "an", "the", "this", "that", "these", "those", "it", "it's", "its", "is", "are",
        "was", "were", "be", "been", "am", "i", "i'm", "i've", "me", "my", "you", "your",
        "we", "our", "he", "she", "they", "them", "his", "her", "their", "and", "or", "but",
        "so", "to", "of", "in", "on", "at", "for", "with", "about", "as", "by", "from", "do",
        "does", "did", "have", "has", "had", "just", "there", "here", "what", "which", "who",
        "if", "then", "than", "too", "very", "much", "can", "will", "would", "should", "could",
        "all", "any", "some", "one", "up", "out", "into", "over", "more",
    )
)  # fmt: skip


def ngram_features(text: str) -> list[str]:
    """Lower-cased unigrams ("NOT_word" for up to three words after a negator, until the
    next punctuation), "!" and "?", and bigrams of adjacent plain words ("two words") within
    a clause."""
    out: list[str] = []
    negated = 0
    previous = ""
    for match in _TOKEN.finditer(text.lower().replace("\u2019", "'")):
        token = match.group()
        if token in _BREAKS:
            negated, previous = 0, ""
            continue
        if token in ("!", "?"):
            negated = 0
            out.append(token)
        else:
            out.append(f"NOT_{token}" if negated else token)
            negated = max(negated - 1, 0)
            if token in _NEGATORS:
                negated = 3
        if previous:
            out.append(f"{previous} {token}")
        previous = token
    return out


def bucket(feature: str, bits: int) -> int:
    return zlib.crc32(feature.encode("utf-8")) & ((1 << bits) - 1)


def hashed_rows(texts: Sequence[str], bits: int) -> list[npt.NDArray[np.int64]]:
    """For each text, the sorted distinct n-gram buckets it contains (binary features)."""
    return [
        np.array(sorted({bucket(f, bits) for f in ngram_features(t)}), dtype=np.int64)
        for t in texts
    ]


def vader_features(texts: Sequence[str], analyzer: Any) -> FloatArray:
    rows = [analyzer.polarity_scores(t) for t in texts]
    return np.array(
        [[r["compound"], r["pos"], r["neg"], r["neu"]] for r in rows], dtype=np.float32
    ).reshape(len(texts), 4)


def _sigmoid(x: FloatArray) -> FloatArray:
    out: FloatArray = (1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))).astype(np.float32)
    return out


@dataclass(frozen=True)
class ModelScores:
    emotions: FloatArray  # (n, 28) probabilities in labels.EMOTIONS order
    sentiment: FloatArray  # (n,) in [-1, 1]


class TextModel:
    """Emotion and sentiment heads over the sentence encoder. Thread-safe (read-only state)."""

    def __init__(
        self, encoder: Encoder, weights: Path = WEIGHTS_PATH, meta: Path = META_PATH
    ) -> None:
        from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

        self.encoder = encoder
        self.meta: dict[str, Any] = json.loads(meta.read_text(encoding="utf-8"))
        config = self.meta["features"]
        if config["version"] != FEATURES_VERSION:
            raise ValueError(f"{meta} was trained with features {config['version']}")
        self.bits = int(config["hash_bits"])
        with np.load(weights) as data:
            # Columns 0..27: the emotions in EMOTIONS order; column 28: sentiment.
            self.ngram_weights = data["ngram_weights"].astype(np.float32)  # (2**bits, 29)
            self.idf = data["idf"].astype(np.float32)  # (2**bits,)
            # Rows: the 384 embedding dimensions, then VADER's 4 scores.
            self.dense_weights = data["dense_weights"].astype(np.float32)  # (388, 29)
            self.bias = data["bias"].astype(np.float32)  # (29,)
        self.thresholds: dict[str, float] = {
            label: float(self.meta["thresholds"][label]) for label in EMOTIONS
        }
        self.vader = SentimentIntensityAnalyzer()

    def _ngram_vector(self, buckets: npt.NDArray[np.int64]) -> FloatArray:
        values = self.idf[buckets]
        norm = float(np.linalg.norm(values))
        out: FloatArray = values / norm if norm > 0 else values
        return out

    def logits(self, texts: Sequence[str], batch_size: int = 32) -> FloatArray:
        """(n, 29) raw scores: 28 emotions, then sentiment."""
        texts = list(texts)
        embeddings = self.encoder.encode(texts, batch_size=batch_size)
        dense = np.hstack([embeddings, vader_features(texts, self.vader)])
        out: FloatArray = dense @ self.dense_weights + self.bias
        for row, buckets in enumerate(hashed_rows(texts, self.bits)):
            if len(buckets):
                out[row] += self._ngram_vector(buckets) @ self.ngram_weights[buckets]
        return out

    def predict(self, texts: Sequence[str], batch_size: int = 32) -> ModelScores:
        if not texts:
            return ModelScores(np.zeros((0, 28), np.float32), np.zeros(0, np.float32))
        probabilities = _sigmoid(self.logits(texts, batch_size))
        emotions = probabilities[:, :28]
        polarity = 2.0 * probabilities[:, 28] - 1.0
        sentiment = np.clip(polarity * (1.0 - emotions[:, NEUTRAL_INDEX]), -1.0, 1.0)
        return ModelScores(emotions, sentiment.astype(np.float32))

    def explain(self, text: str, label: str, limit: int = 5) -> list[tuple[str, float]]:
        """The n-grams of `text` that pushed `label` (an emotion, or "sentiment") most, with
        their contribution to the logit. Emotions: the largest positive contributions.
        Sentiment: the largest by size, signed (+ pushes positive). Feature strings are
        "word", "two words" or "NOT_word" (lower-cased); n-grams of function words only
        ("this is") are left out."""
        column = 28 if label == SENTIMENT else EMOTIONS.index(label)
        features = sorted(set(ngram_features(text)))
        if not features:
            return []
        buckets = np.array([bucket(f, self.bits) for f in features], dtype=np.int64)
        # The norm counts each bucket once, as in training.
        norm = float(np.linalg.norm(self.idf[np.unique(buckets)]))
        contributions = self.idf[buckets] / max(norm, 1e-12) * self.ngram_weights[buckets, column]
        pairs = [
            (f, float(c))
            for f, c in zip(features, contributions, strict=True)
            if not all(w.removeprefix("NOT_") in _FUNCTION_WORDS for w in f.split())
        ]
        if label == SENTIMENT:
            pairs.sort(key=lambda p: -abs(p[1]))
        else:
            pairs = sorted((p for p in pairs if p[1] > 0), key=lambda p: -p[1])
        return [(f, round(c, 4)) for f, c in pairs[:limit]]


_lock = threading.Lock()
_model: TextModel | None = None
_reason = ""
_loaded = False


def get_model() -> TextModel | None:
    """The process's model backend, loaded on first use; None when the encoder or the
    trained heads are missing (`model_unavailable_reason()` says why)."""
    global _model, _reason, _loaded
    if _loaded:
        return _model
    with _lock:
        if not _loaded:
            encoder = get_encoder()
            if encoder is None:
                _reason = encoder_unavailable_reason()
            elif not WEIGHTS_PATH.exists() or not META_PATH.exists():
                _reason = f"the trained heads {WEIGHTS_PATH.name} are missing: make train-models"
            else:
                try:
                    _model = TextModel(encoder)
                except ImportError as error:
                    _reason = f"vaderSentiment is not installed ({error})"
                except (OSError, KeyError, ValueError) as error:
                    _reason = f"the trained heads failed to load: {error}"
            _loaded = True
    return _model


def model_unavailable_reason() -> str:
    """Why `get_model()` returned None ("" when it did not, or has not been called)."""
    return _reason


def reset_model_cache() -> None:
    """Forget the loaded model (tests, or after retraining)."""
    global _model, _reason, _loaded
    with _lock:
        _model, _reason, _loaded = None, "", False

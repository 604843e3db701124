"""Train Heard's emotion lexicon: per-label word and word-pair weights learnt from GoEmotions.

    python -m heard_nlp.lexicon_train        (part of `make train-models`)

A logistic regression per label over binary n-gram features, thresholds tuned per label on
GoEmotions dev. The weights are a lexicon: a text's score for a label is the sum of its
features' weights, so the words behind every result can be shown. Needs scikit-learn (a
development dependency only); the result, models/emotion_lexicon.npz, needs just numpy.
"""

from __future__ import annotations

import hashlib
import json
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

from heard_nlp.datasets import DataMissing, EmotionExample, goemotions
from heard_nlp.labels import EMOTIONS
from heard_nlp.metrics import f1_per_label, tune_thresholds
from heard_nlp.tokens import category_features, features

OUT = Path(__file__).resolve().parent / "models" / "emotion_lexicon.npz"
# Empath's categories (Fast et al., CHI 2016; MIT) that carry feelings. Its word lists are
# stored in the lexicon file, so Heard needs empath only to retrain.
EMPATH_CATEGORIES = (
    "anger", "rage", "irritability", "exasperation", "aggression", "disappointment", "sadness",
    "suffering", "fear", "nervousness", "timidity", "horror", "confusion", "joy",
    "cheerfulness", "contentment", "love", "affection", "optimism", "pride", "shame",
    "surprise", "sympathy", "disgust", "hate", "politeness", "positive_emotion",
    "negative_emotion", "swearing_terms", "help", "giving", "trust", "neglect",
)  # fmt: skip


def empath_word_categories() -> dict[str, list[str]]:
    from empath import Empath

    categories = Empath().cats
    words: dict[str, list[str]] = {}
    for category in EMPATH_CATEGORIES:
        for word in categories[category]:
            if " " not in word:
                words.setdefault(word.lower(), []).append(category)
    return words


MIN_COUNT = 3
C = 0.5


def all_features(text: str, word_categories: dict[str, list[str]]) -> list[str]:
    found = features(text)
    return found + category_features(found, word_categories)


def _matrix(  # type: ignore[no-untyped-def]
    examples: list[EmotionExample], index: dict[str, int], word_categories: dict[str, list[str]]
):
    from scipy.sparse import csr_matrix

    rows, cols = [], []
    for row, example in enumerate(examples):
        ids = {index[f] for f in all_features(example.text, word_categories) if f in index}
        rows += [row] * len(ids)
        cols += sorted(ids)
    data = np.ones(len(rows), dtype=np.float32)
    return csr_matrix((data, (rows, cols)), shape=(len(examples), len(index)))


def _targets(examples: list[EmotionExample]) -> np.ndarray:
    y = np.zeros((len(examples), len(EMOTIONS)), dtype=np.int8)
    for row, example in enumerate(examples):
        for label in example.labels:
            y[row, EMOTIONS.index(label)] = 1
    return y


def main() -> int:
    from sklearn.linear_model import LogisticRegression

    try:
        train, dev = goemotions("train"), goemotions("dev")
    except DataMissing as missing:
        print(f"Skipped: {missing}")
        return 0
    started = time.perf_counter()
    word_categories = empath_word_categories()
    counts = Counter(
        f for example in train for f in set(all_features(example.text, word_categories))
    )
    vocabulary = sorted(f for f, n in counts.items() if n >= MIN_COUNT)
    index = {f: i for i, f in enumerate(vocabulary)}
    x_train = _matrix(train, index, word_categories)
    x_dev = _matrix(dev, index, word_categories)
    y_train, y_dev = _targets(train), _targets(dev)
    weights = np.zeros((len(vocabulary), len(EMOTIONS)), dtype=np.float32)
    bias = np.zeros(len(EMOTIONS), dtype=np.float32)
    for label in range(len(EMOTIONS)):
        model = LogisticRegression(C=C, max_iter=2000, class_weight="balanced", solver="liblinear")
        model.fit(x_train, y_train[:, label])
        weights[:, label] = model.coef_[0]
        bias[label] = model.intercept_[0]
    probabilities = 1 / (1 + np.exp(-(x_dev @ weights + bias)))
    thresholds = tune_thresholds(y_dev, probabilities.astype(np.float32))
    f1 = f1_per_label(y_dev, probabilities.astype(np.float32), thresholds)
    # Drop features that say almost nothing for every label: a smaller file, same results.
    keep = np.abs(weights).max(axis=1) >= 0.05
    vocabulary = [f for f, k in zip(vocabulary, keep, strict=True) if k]
    weights = weights[keep]
    digest = hashlib.sha256("\n".join(e.text for e in train).encode()).hexdigest()[:16]
    meta = {
        "trained_on": "GoEmotions train (43,410 Reddit comments), thresholds tuned on dev",
        "train_sha256_16": digest,
        "features": len(vocabulary),
        "min_count": MIN_COUNT,
        "C": C,
        "empath_categories": list(EMPATH_CATEGORIES),
        "dev_macro_f1": round(float(f1.mean()), 4),
        "dev_f1": {label: round(float(s), 4) for label, s in zip(EMOTIONS, f1, strict=True)},
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(
        OUT,
        vocabulary=np.array("\n".join(vocabulary)),
        word_categories=np.array(json.dumps(word_categories, sort_keys=True)),
        weights=weights.astype(np.float16),
        bias=bias,
        thresholds=thresholds,
        meta=np.array(json.dumps(meta)),
    )
    print(
        f"Emotion lexicon: {len(vocabulary)} features, dev macro-F1 {f1.mean():.4f}, "
        f"{OUT.stat().st_size / 1e6:.1f} MB, {time.perf_counter() - started:.0f} s -> {OUT}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())

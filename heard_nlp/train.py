"""Train the model backend's heads: `python -m heard_nlp.train` (make train-models).

Trains on GoEmotions train only and tunes the 28 thresholds on GoEmotions dev; SST-2 and the
UCI sentences are only evaluated. Writes models/heads.npz and models/heads.json and prints
the figures. Needs scikit-learn (dev extra) and the labelled data in ../shared/data (or
HEARD_DATA_DIR); without the data it says so and stops cleanly. Deterministic.

Sentence embeddings are cached under ~/.cache/heard/embeddings (XDG_CACHE_HOME respected),
keyed by the model file and the texts: embedding GoEmotions takes about 2.5 minutes on two
cores, the heads about 3 more.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from heard_nlp import datasets
from heard_nlp.encoder import MAX_TOKENS, Encoder, get_encoder
from heard_nlp.labels import EMOTIONS, NEGATIVE, POSITIVE
from heard_nlp.metrics import FloatArray, IntArray, f1_per_label, tune_thresholds
from heard_nlp.model import (
    FEATURES_VERSION,
    META_PATH,
    NEUTRAL_INDEX,
    WEIGHTS_PATH,
    TextModel,
    get_model,
    hashed_rows,
    vader_features,
)

SEED = 0
HASH_BITS = 16
EMOTION_C = 4.0  # liblinear, one-vs-rest per label
SENTIMENT_C = 1.0
SENTIMENT_EMBEDDING_WEIGHT = 2.0  # the sentiment head sees the embedding scaled up: less shrunk
NEUTRAL_BAND = 0.2  # analyze.py's band, used here only to report 3-way sentiment accuracy


def _say(message: str) -> None:
    sys.stdout.write(message + "\n")
    sys.stdout.flush()


def _cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "heard" / "embeddings"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def embed_cached(encoder: Encoder, texts: Sequence[str], name: str) -> FloatArray:
    """encoder.encode(texts), cached on disk by model file and texts (never committed)."""
    key = hashlib.sha256(f"{_sha256(encoder.model_path)} mean-pool max{MAX_TOKENS}".encode())
    for text in texts:
        key.update(text.encode("utf-8", "surrogatepass") + b"\0")
    path = _cache_dir() / f"{name}-{key.hexdigest()[:16]}.npy"
    if path.exists():
        cached: FloatArray = np.load(path)
        return cached
    started = time.perf_counter()
    vectors = encoder.encode(texts)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    _say(f"  embedded {name}: {len(texts)} texts in {time.perf_counter() - started:.0f} s")
    return vectors


def label_matrix(examples: Sequence[datasets.EmotionExample]) -> IntArray:
    y = np.zeros((len(examples), len(EMOTIONS)), dtype=np.int8)
    for row, example in enumerate(examples):
        for label in example.labels:
            y[row, EMOTIONS.index(label)] = 1
    return y


def sentiment_labels(y: IntArray) -> npt.NDArray[np.int64]:
    """GoEmotions' own grouping: 1 positive (positive labels only), 0 negative (negative
    labels only), -1 otherwise (neutral, ambiguous or mixed: not used for the polarity head)."""
    positive = y[:, [EMOTIONS.index(label) for label in POSITIVE]].any(axis=1)
    negative = y[:, [EMOTIONS.index(label) for label in NEGATIVE]].any(axis=1)
    out = np.full(len(y), -1, dtype=np.int64)
    out[positive & ~negative] = 1
    out[negative & ~positive] = 0
    return out


def ngram_matrix(texts: Sequence[str], idf: FloatArray) -> Any:
    """Binary hashed n-grams weighted by idf, rows L2-normalised (as TextModel does)."""
    from scipy import sparse

    rows, cols, values = [], [], []
    for row, buckets in enumerate(hashed_rows(texts, HASH_BITS)):
        if not len(buckets):
            continue
        weights = idf[buckets]
        weights = weights / np.linalg.norm(weights)
        rows.extend([row] * len(buckets))
        cols.extend(buckets.tolist())
        values.extend(weights.tolist())
    return sparse.csr_matrix(
        (np.array(values, dtype=np.float32), (rows, cols)), shape=(len(texts), 1 << HASH_BITS)
    )


def smooth_idf(texts: Sequence[str]) -> FloatArray:
    """sklearn's smooth idf, ln((1 + n) / (1 + df)) + 1, per bucket."""
    df = np.zeros(1 << HASH_BITS, dtype=np.float64)
    for buckets in hashed_rows(texts, HASH_BITS):
        df[buckets] += 1
    idf: FloatArray = (
        (np.log((1 + len(texts)) / (1 + df)) + 1).astype(np.float16).astype(np.float32)
    )
    return idf


def split_half_macro_f1(y: IntArray, p: FloatArray) -> float:
    """Thresholds tuned on one half of dev, F1 measured on the other, both ways, averaged:
    what tuning on dev and reporting on dev adds, taken out."""
    even, odd = np.arange(len(y)) % 2 == 0, np.arange(len(y)) % 2 == 1
    a = f1_per_label(y[odd], p[odd], tune_thresholds(y[even], p[even])).mean()
    b = f1_per_label(y[even], p[even], tune_thresholds(y[odd], p[odd])).mean()
    return float((a + b) / 2)


def _sigmoid(x: Any) -> FloatArray:
    out: FloatArray = (1.0 / (1.0 + np.exp(-np.clip(x, -30, 30)))).astype(np.float32)
    return out


def train(data_dir: Path, out_dir: Path = WEIGHTS_PATH.parent) -> dict[str, Any]:
    """Train both heads, tune thresholds on dev, write the weights; return the figures."""
    from concurrent.futures import ThreadPoolExecutor

    from scipy import sparse
    from sklearn import __version__ as sklearn_version
    from sklearn.linear_model import LogisticRegression
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    np.random.seed(SEED)
    started = time.perf_counter()
    encoder = get_encoder()
    if encoder is None:
        from heard_nlp.encoder import encoder_unavailable_reason

        raise RuntimeError(f"cannot train: {encoder_unavailable_reason()}")
    train_examples = datasets.goemotions("train", data_dir)
    dev_examples = datasets.goemotions("dev", data_dir)
    train_texts = [e.text for e in train_examples]
    dev_texts = [e.text for e in dev_examples]
    y_train, y_dev = label_matrix(train_examples), label_matrix(dev_examples)
    _say(f"GoEmotions: {len(train_texts)} train, {len(dev_texts)} dev")

    e_train = embed_cached(encoder, train_texts, "goemotions-train")
    e_dev = embed_cached(encoder, dev_texts, "goemotions-dev")
    analyzer = SentimentIntensityAnalyzer()
    v_train, v_dev = vader_features(train_texts, analyzer), vader_features(dev_texts, analyzer)
    idf = smooth_idf(train_texts)
    n_train, n_dev = ngram_matrix(train_texts, idf), ngram_matrix(dev_texts, idf)
    ngram_dim = 1 << HASH_BITS

    # Emotions: one logistic regression per label over [n-grams, embedding].
    x_train = sparse.hstack([n_train, sparse.csr_matrix(e_train)]).tocsr()

    def fit_label(column: int) -> Any:
        model = LogisticRegression(C=EMOTION_C, solver="liblinear", max_iter=300, random_state=SEED)
        return model.fit(x_train, y_train[:, column])

    with ThreadPoolExecutor(max_workers=2) as pool:  # liblinear releases the GIL
        fitted = list(pool.map(fit_label, range(len(EMOTIONS))))
    coef = np.stack([m.coef_[0] for m in fitted], axis=1)  # (ngram_dim + 384, 28)
    emotion_bias = np.array([m.intercept_[0] for m in fitted], dtype=np.float32)
    _say(f"  emotion heads trained ({time.perf_counter() - started:.0f} s so far)")

    # Sentiment: positive vs negative GoEmotions comments, balanced classes.
    polarity = sentiment_labels(y_train)
    keep = polarity >= 0
    s_train = sparse.hstack(
        [
            n_train,
            sparse.csr_matrix(e_train * SENTIMENT_EMBEDDING_WEIGHT),
            sparse.csr_matrix(v_train),
        ]
    ).tocsr()
    sentiment_model = LogisticRegression(
        C=SENTIMENT_C, class_weight="balanced", max_iter=3000, random_state=SEED
    ).fit(s_train[keep], polarity[keep])
    s_coef = sentiment_model.coef_[0]

    # Runtime layout: n-gram weights (2**bits, 29) float16; dense weights over
    # [embedding (384), VADER (4)] with the embedding scaling folded in.
    ngram_weights = np.zeros((ngram_dim, 29), dtype=np.float16)
    ngram_weights[:, :28] = coef[:ngram_dim]
    ngram_weights[:, 28] = s_coef[:ngram_dim]
    dense_weights = np.zeros((388, 29), dtype=np.float32)
    dense_weights[:384, :28] = coef[ngram_dim:]
    dense_weights[:384, 28] = s_coef[ngram_dim : ngram_dim + 384] * SENTIMENT_EMBEDDING_WEIGHT
    dense_weights[384:, 28] = s_coef[ngram_dim + 384 :]
    bias = np.append(emotion_bias, np.float32(sentiment_model.intercept_[0])).astype(np.float32)

    # Dev scores with the weights as shipped (float16 n-gram weights), thresholds from them.
    dense_dev = np.hstack([e_dev, v_dev])
    logits = np.asarray(n_dev @ ngram_weights.astype(np.float32)) + dense_dev @ dense_weights + bias
    p_dev = _sigmoid(logits)
    thresholds = tune_thresholds(y_dev, p_dev[:, :28])
    per_label = f1_per_label(y_dev, p_dev[:, :28], thresholds)
    dev_polarity = sentiment_labels(y_dev)
    polar = dev_polarity >= 0
    score = (2 * p_dev[:, 28] - 1) * (1 - p_dev[:, NEUTRAL_INDEX])
    three_way = np.where(score >= NEUTRAL_BAND, 1, np.where(score <= -NEUTRAL_BAND, 0, -1))
    dev_neutral = (y_dev[:, NEUTRAL_INDEX] == 1) & (y_dev.sum(axis=1) == 1)
    truth3 = np.where(dev_neutral, -1, dev_polarity)
    usable3 = dev_neutral | polar
    figures: dict[str, Any] = {
        "goemotions_dev_macro_f1": round(float(per_label.mean()), 4),
        "goemotions_dev_macro_f1_split_half": round(split_half_macro_f1(y_dev, p_dev[:, :28]), 4),
        "goemotions_dev_macro_f1_at_0_5": round(
            float(f1_per_label(y_dev, p_dev[:, :28], np.full(28, 0.5, np.float32)).mean()), 4
        ),
        "goemotions_dev_polarity_accuracy": round(
            float(((p_dev[polar, 28] >= 0.5) == (dev_polarity[polar] == 1)).mean()), 4
        ),
        "goemotions_dev_sentiment_3way_accuracy": round(
            float((three_way[usable3] == truth3[usable3]).mean()), 4
        ),
        "goemotions_dev_per_label_f1": {
            label: round(float(f), 4) for label, f in zip(EMOTIONS, per_label, strict=True)
        },
    }

    out_dir.mkdir(parents=True, exist_ok=True)
    weights_path, meta_path = out_dir / WEIGHTS_PATH.name, out_dir / META_PATH.name
    np.savez_compressed(
        weights_path,
        ngram_weights=ngram_weights,
        idf=idf.astype(np.float16),
        dense_weights=dense_weights,
        bias=bias,
    )
    meta = {
        "about": "Heard's emotion and sentiment heads; made by python -m heard_nlp.train",
        "features": {
            "version": FEATURES_VERSION,
            "hash_bits": HASH_BITS,
            "hash": "zlib.crc32(utf-8) & (2**bits - 1)",
            "blocks": ["ngrams (binary, idf, L2)", "MiniLM embedding (384)", "VADER (4)"],
        },
        "training": {
            "data": "GoEmotions train (Demszky et al. 2020, Apache-2.0); thresholds on dev",
            "train_sha256": _sha256(data_dir / "goemotions" / "train.tsv"),
            "dev_sha256": _sha256(data_dir / "goemotions" / "dev.tsv"),
            "encoder_sha256": _sha256(encoder.model_path),
            "emotion_head": f"liblinear logistic regression per label, C={EMOTION_C}",
            "sentiment_head": (
                f"logistic regression, positive vs negative GoEmotions labels, balanced, "
                f"C={SENTIMENT_C}, embedding x{SENTIMENT_EMBEDDING_WEIGHT}"
            ),
            "scikit_learn": sklearn_version,
            "seed": SEED,
        },
        "thresholds": {
            label: round(float(t), 2) for label, t in zip(EMOTIONS, thresholds, strict=True)
        },
        "figures": figures,
    }
    meta_path.write_text(json.dumps(meta, indent=1) + "\n", encoding="utf-8")
    _say(f"  wrote {weights_path} ({weights_path.stat().st_size / 1e6:.2f} MB) and {meta_path}")
    _say(f"  training took {time.perf_counter() - started:.0f} s")
    return figures


def _texts_and_truth(
    examples: Sequence[datasets.SentimentExample],
) -> tuple[list[str], npt.NDArray[np.bool_]]:
    return [e.text for e in examples], np.array([e.positive for e in examples], dtype=bool)


def evaluate(
    data_dir: Path | None = None, model: TextModel | None = None
) -> tuple[dict[str, float], dict[str, float]]:
    """(figures, per-label dev F1) of the model as shipped, for the datasets present (both
    empty when the data folder is absent)."""
    model = model or get_model()
    if model is None:
        from heard_nlp.model import model_unavailable_reason

        raise RuntimeError(f"the model backend is unavailable: {model_unavailable_reason()}")
    figures: dict[str, float] = {}
    per_label: dict[str, float] = {}
    try:
        root = data_dir or datasets.data_dir()
    except datasets.DataMissing:
        return figures, per_label
    try:
        dev = datasets.goemotions("dev", root)
    except datasets.DataMissing:
        pass
    else:
        p = model.predict([e.text for e in dev]).emotions
        thresholds = np.array([model.thresholds[label] for label in EMOTIONS], np.float32)
        f1 = f1_per_label(label_matrix(dev), p, thresholds)
        figures["goemotions_dev_macro_f1"] = round(float(f1.mean()), 4)
        per_label = {label: round(float(f), 4) for label, f in zip(EMOTIONS, f1, strict=True)}
    for name in ("sst2_dev_accuracy", "uci_amazon_accuracy", "uci_yelp_accuracy"):
        try:
            if name == "sst2_dev_accuracy":
                examples = datasets.sst2_dev(root)
            else:
                examples = datasets.uci(name.split("_")[1], root)
            texts, truth = _texts_and_truth(examples)
        except datasets.DataMissing:
            continue
        sentiment = model.predict(texts).sentiment
        figures[name] = round(float(((sentiment > 0) == truth).mean()), 4)
    return figures, per_label


def evaluate_model(data_dir: Path | None = None) -> dict[str, float]:
    """goemotions_dev_macro_f1, sst2_dev_accuracy, uci_amazon_accuracy, uci_yelp_accuracy
    for the datasets present (sentiment accuracies by the sign of the score)."""
    return evaluate(data_dir)[0]


def per_label_f1(data_dir: Path | None = None) -> dict[str, float]:
    """GoEmotions dev F1 per label at the shipped thresholds."""
    return evaluate(data_dir)[1]


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    try:
        data_dir = Path(args[0]) if args else datasets.data_dir()
        datasets.goemotions("dev", data_dir)  # fail early and clearly if it is absent
    except datasets.DataMissing as error:
        _say(f"Skipping training: {error}")
        return 0
    try:
        import sklearn  # noqa: F401
    except ImportError:
        _say("Skipping training: scikit-learn is not installed (pip install -e '.[dev]').")
        return 0
    figures = train(data_dir)
    _say("Training-time figures (GoEmotions dev):")
    for key, value in figures.items():
        if not isinstance(value, dict):
            _say(f"  {key}: {value}")
    from heard_nlp.model import reset_model_cache

    reset_model_cache()
    evaluation, per_label = evaluate(data_dir)
    _say("Evaluation of the shipped model (python -m heard_nlp.train):")
    for key, value in evaluation.items():
        _say(f"  {key}: {value}")
    _say("  per-label F1: " + ", ".join(f"{k} {v:.2f}" for k, v in per_label.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())

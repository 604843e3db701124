"""`make eval`: measure heard_nlp on the public data in ../shared/data, write the figures to
benchmarks/eval.json and the model cards in docs/models/.

Every dataset that is absent is skipped with a message; the reply scorer and the bias audit use
data that ships in the repository, so they always run.
"""

from __future__ import annotations

import datetime
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from heard_nlp import datasets
from heard_nlp.labels import EMOTIONS
from heard_nlp.metrics import f1_per_label

ROOT = Path(__file__).resolve().parent.parent
EVAL_JSON = ROOT / "benchmarks" / "eval.json"
CARDS = ROOT / "docs" / "models"


def _macro_f1(
    probabilities: np.ndarray, gold: Sequence[tuple[str, ...]], thresholds: dict[str, float]
) -> tuple[float, dict[str, float]]:
    y = np.array([[label in labels for label in EMOTIONS] for labels in gold], dtype=np.int8)
    cut = np.array([thresholds[label] for label in EMOTIONS], dtype=np.float32)
    scores = f1_per_label(y, probabilities.astype(np.float32), cut)
    per_label = {label: round(float(f), 4) for label, f in zip(EMOTIONS, scores, strict=True)}
    return round(float(scores.mean()), 4), per_label


def _sentiment_accuracy(backend: str) -> dict[str, float]:
    from heard_nlp.analyze import analyze

    figures: dict[str, float] = {}
    sets: dict[str, Callable[[], list[datasets.SentimentExample]]] = {
        "sst2_dev": datasets.sst2_dev,
        "uci_amazon": lambda: datasets.uci("amazon"),
        "uci_yelp": lambda: datasets.uci("yelp"),
    }
    for name, load in sets.items():
        try:
            examples = load()
        except datasets.DataMissing as missing:
            print(f"  skipped {name}: {missing}")
            continue
        results = analyze([e.text for e in examples], backend=backend)  # type: ignore[arg-type]
        correct = sum(
            (r.sentiment.score >= 0) == e.positive
            for r, e in zip(results, examples, strict=True)
            if r.sentiment is not None
        )
        figures[f"{name}_accuracy"] = round(correct / len(examples), 4)
    return figures


def _emotions(backend: str) -> tuple[dict[str, float], dict[str, float]]:
    from heard_nlp.analyze import _score

    try:
        dev = datasets.goemotions("dev")
    except datasets.DataMissing as missing:
        print(f"  skipped GoEmotions: {missing}")
        return {}, {}
    probabilities, _, used, thresholds = _score([e.text for e in dev], backend)  # type: ignore[arg-type]
    assert used == backend, f"asked for {backend}, got {used}"
    macro, per_label = _macro_f1(probabilities, [e.labels for e in dev], thresholds)
    return {"goemotions_dev_macro_f1": macro}, per_label


def run() -> dict[str, Any]:
    from heard_nlp.analyze import model_status
    from heard_nlp.bias import audit, mean_sentiment_gap
    from heard_nlp.reply import evaluate_reply_scorer

    figures: dict[str, Any] = {}
    details: dict[str, Any] = {}
    available, reason = model_status()
    backends = ["model", "lexicon"] if available else ["lexicon"]
    if not available:
        print(f"Model backend unavailable ({reason}); evaluating the lexicon backend only.")
    for backend in backends:
        started = time.perf_counter()
        print(f"== {backend} backend")
        emotion_figures, per_label = _emotions(backend)
        sentiment_figures = _sentiment_accuracy(backend)
        prefix = "" if backend == backends[0] else "lexicon_"
        for key, value in {**emotion_figures, **sentiment_figures}.items():
            figures[f"{prefix}{key}"] = value
            print(f"  {key} = {value}")
        details[backend] = {"per_label_f1": per_label, **emotion_figures, **sentiment_figures}
        print(f"  ({time.perf_counter() - started:.0f} s)")

    print("== reply scorer (heard_nlp/data/reply_pairs.csv, held-out part)")
    reply = evaluate_reply_scorer()
    figures["reply_spearman"] = round(float(reply["spearman"]), 4)
    details["reply"] = reply
    print(f"  reply_spearman = {figures['reply_spearman']}")

    print("== bias audit (counterfactual names, pronouns, dialect)")
    gaps = audit()
    figures["bias_mean_sentiment_gap"] = mean_sentiment_gap(gaps)
    details["bias"] = [gap.__dict__ for gap in gaps]
    for gap in gaps:
        print(
            f"  {gap.dimension:<8} {gap.measure:<12} mean {gap.mean:.4f}  largest {gap.largest:.4f}"
        )
    details["backends"] = backends
    return {"figures": figures, "details": details}


def write(result: dict[str, Any]) -> None:
    from heard_nlp.cards import write_cards

    EVAL_JSON.parent.mkdir(parents=True, exist_ok=True)
    existing = json.loads(EVAL_JSON.read_text()) if EVAL_JSON.exists() else {}
    units = {"reply_spearman": "rho", "bias_mean_sentiment_gap": "score points (of 2)"}
    for key, value in result["figures"].items():
        existing[key] = {"value": value, "unit": units.get(key, "ratio")}
    if "bias" in result["details"]:  # each dimension's gaps, for the model card in the app
        existing["bias_gaps"] = {
            "value": [
                {k: row[k] for k in ("dimension", "measure", "mean", "largest")}
                for row in result["details"]["bias"]
            ],
            "unit": "score points (of 2)",
        }
    today = datetime.datetime.now(datetime.UTC).date().isoformat()
    existing["measured_at"] = {"value": today, "unit": "date"}
    EVAL_JSON.write_text(json.dumps(existing, indent=2, sort_keys=True) + "\n")
    print(f"Wrote {EVAL_JSON}")
    for path in write_cards(result, CARDS):
        print(f"Wrote {path}")


def main() -> int:
    write(run())
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""The bias audit as a gate: a change that makes names, pronouns or dialect move the reading
of a text by more than 0.05 on average fails here."""

from __future__ import annotations

import pytest

from heard_nlp.analyze import BackendName, model_status
from heard_nlp.bias import MAX_MEAN_SENTIMENT_GAP, NAMES, audit, mean_sentiment_gap


@pytest.mark.parametrize("backend", ["lexicon", "model"])
def test_it_keeps_the_mean_sentiment_gap_small(backend: BackendName) -> None:
    if backend == "model" and not model_status()[0]:
        pytest.skip(f"model backend unavailable: {model_status()[1]}")
    gaps = audit(backend=backend)
    sentiment_gaps = [g for g in gaps if g.measure == "sentiment"]
    assert mean_sentiment_gap(gaps) <= MAX_MEAN_SENTIMENT_GAP, sentiment_gaps


def test_it_reports_every_dimension_and_measure() -> None:
    gaps = audit(backend="lexicon")
    assert {(g.dimension, g.measure) for g in gaps} >= {
        ("name", "sentiment"), ("pronoun", "sentiment"), ("dialect", "sentiment"),
        ("name", "frustration"), ("name", "reply_score"),
    }  # fmt: skip
    assert all(0 <= g.mean <= g.largest for g in gaps)


def test_it_covers_genders_and_origins() -> None:
    assert len(NAMES) >= 8
    assert {"female", "male"} <= {group.split(",")[0] for group in NAMES}

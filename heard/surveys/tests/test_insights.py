"""Driver analysis and comment insights (heard.surveys.insights)."""

from __future__ import annotations

import random

import pytest

from heard.surveys.insights import MIN_DRIVER_RESPONSES, comment_insights, enps_drivers, pearson


def test_it_computes_pearson_on_a_worked_example() -> None:
    assert pearson([1, 2, 3, 4], [2, 4, 6, 8]) == pytest.approx(1.0)
    assert pearson([1, 2, 3, 4], [8, 6, 4, 2]) == pytest.approx(-1.0)
    assert pearson([1, 1, 1], [1, 2, 3]) is None


def test_it_ranks_the_dimension_that_moves_enps_first() -> None:
    rng = random.Random(1)
    rows = []
    for _ in range(60):
        heard = rng.uniform(1, 5)
        noise = rng.uniform(1, 5)
        enps = round(2 * heard + rng.uniform(-1, 1))
        rows.append(
            ({"heard": {"sum": heard, "n": 1, "fav": 0}, "other": {"sum": noise, "n": 1, "fav": 0}},
             max(0, min(10, enps)))
        )  # fmt: skip
    drivers = enps_drivers(rows, ["heard", "other"])
    assert drivers[0].dimension == "heard" and drivers[0].correlation > 0.8
    assert abs(next(d for d in drivers if d.dimension == "other").correlation) < 0.4
    expected = pearson([r[0]["heard"]["sum"] for r in rows], [float(r[1]) for r in rows])
    assert drivers[0].correlation == pytest.approx(expected, abs=0.005)


def test_it_needs_enough_respondents_for_a_driver() -> None:
    rows = [({"heard": {"sum": float(i % 5 + 1), "n": 1, "fav": 0}}, i % 11) for i in range(5)]
    assert MIN_DRIVER_RESPONSES > 5
    assert enps_drivers(rows, ["heard"]) == []


def test_it_summarises_comments_in_aggregate() -> None:
    texts = ["The queue targets leave no time for breaks."] * 6 + [
        "Thank you for the great support this month, I love this team."
    ] * 6
    insights = comment_insights(texts)
    assert insights is not None
    assert insights.analysed == 12
    assert sum(insights.sentiment.values()) in (99, 100, 101)
    assert insights.sentiment["positive"] >= 40
    assert insights.themes

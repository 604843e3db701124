"""What employee comments say, in aggregate only, and what moves eNPS.

Called by `results.survey_results` only for a scope the privacy engine has already shown
(and, for comments, only above the comment threshold): nothing here is ever computed for one
person. The text analysis is Heard's own (`heard_nlp`), offline; pages label it as AI.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.core.cache import cache

GROUPS = ("frustration", "worry", "sadness", "confusion", "gratitude", "joy")
MIN_DRIVER_RESPONSES = 20


@dataclass(frozen=True)
class ThemeSummary:
    name: str
    key_phrases: tuple[str, ...]
    size: int
    representatives: tuple[str, ...]


@dataclass(frozen=True)
class CommentInsights:
    analysed: int
    not_analysed: int
    sentiment: dict[str, int]  # percent of analysed comments: positive, neutral, negative
    emotions: dict[str, int]  # mean probability of each emotion group, in percent
    themes: tuple[ThemeSummary, ...]
    backend: str


def comment_insights(texts: Sequence[str]) -> CommentInsights | None:
    """Themes, sentiment mix and emotion mix of a set of (already redacted) comments.
    Cached by content: the same comments are analysed once."""
    if not texts:
        return None
    digest = hashlib.sha256("\x1f".join(sorted(texts)).encode()).hexdigest()
    key = f"heard:comment-insights:v1:{digest}"
    cached: CommentInsights | None = cache.get(key)
    if cached is not None:
        return cached
    from heard_nlp.analyze import analyze
    from heard_nlp.themes import themes

    analyses = analyze(list(texts), backend="lexicon", explain=False)
    done = [a for a in analyses if a.analysed and a.sentiment and a.emotions]
    counts = {"positive": 0, "neutral": 0, "negative": 0}
    groups = dict.fromkeys(GROUPS, 0.0)
    for a in done:
        assert a.sentiment is not None and a.emotions is not None
        counts[a.sentiment.label] += 1
        for name in GROUPS:
            groups[name] += a.emotions.groups.get(name, 0.0)
    total = max(len(done), 1)
    found = themes(list(texts), max_themes=6, min_size=3)
    insights = CommentInsights(
        analysed=len(done),
        not_analysed=len(analyses) - len(done),
        sentiment={k: round(100 * v / total) for k, v in counts.items()},
        emotions={k: round(100 * v / total) for k, v in groups.items()},
        themes=tuple(
            ThemeSummary(t.name, t.key_phrases, t.size, t.representatives[:3]) for t in found
        ),
        backend=done[0].backend if done else "",
    )
    cache.set(key, insights, 60 * 60)
    return insights


@dataclass(frozen=True)
class Driver:
    dimension: str
    correlation: float
    responses: int


def pearson(xs: Sequence[float], ys: Sequence[float]) -> float | None:
    n = len(xs)
    if n < 3:
        return None
    mx, my = sum(xs) / n, sum(ys) / n
    sxy = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True))
    sxx = sum((x - mx) ** 2 for x in xs)
    syy = sum((y - my) ** 2 for y in ys)
    if sxx == 0 or syy == 0:
        return None
    return sxy / math.sqrt(sxx * syy)


def enps_drivers(
    rows: Sequence[tuple[dict[str, dict[str, float]], int | None]], dimensions: Sequence[str]
) -> list[Driver]:
    """Which dimensions move eNPS: for each dimension, the Pearson correlation across
    respondents between their score on it (the mean of its items) and their 0 to 10 answer.
    Only with at least MIN_DRIVER_RESPONSES respondents who gave both; strongest first."""
    import numpy as np

    drivers: list[Driver] = []
    answered = [(scores, enps) for scores, enps in rows if enps is not None]
    for dim in dimensions:
        pairs = [
            (entry["sum"] / entry["n"], enps)
            for scores, enps in answered
            if (entry := scores.get(dim)) and entry["n"]
        ]
        if len(pairs) < MIN_DRIVER_RESPONSES:
            continue
        xs, ys = np.asarray(pairs, dtype=np.float64).T
        if xs.std() == 0 or ys.std() == 0:
            continue
        r = float(np.corrcoef(xs, ys)[0, 1])
        drivers.append(Driver(dim, round(r, 2), len(pairs)))
    return sorted(drivers, key=lambda d: -abs(d.correlation))

"""Word tokens and n-grams shared by the lexicon backend and its training script."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[!?]")
_NEGATORS = frozenset(
    "not no never nobody nothing nowhere neither nor cannot can't don't doesn't didn't "
    "isn't aren't wasn't weren't won't wouldn't shouldn't couldn't haven't hasn't hadn't "
    "ain't dont doesnt didnt isnt wasnt cant wont".split()
)


def words_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased word tokens with their character offsets in `text`."""
    lowered = text.lower().replace("’", "'")
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(lowered)]


def features(text: str) -> list[str]:
    """Unigrams, bigrams, and unigrams marked as negated ("NOT_happy") up to the next
    punctuation after a negator: "not happy" and "happy" mean different things."""
    tokens = [w for w, _, _ in words_with_offsets(text)]
    out: list[str] = []
    negated = 0
    for index, token in enumerate(tokens):
        if token in ("!", "?"):
            negated = 0
            out.append(token)
            continue
        out.append(f"NOT_{token}" if negated else token)
        negated = max(negated - 1, 0)
        if token in _NEGATORS:
            negated = 3
        if index:
            out.append(f"{tokens[index - 1]} {token}")
    return out


def category_features(text_features: list[str], word_categories: dict[str, list[str]]) -> list[str]:
    """Word-list categories present in a text ("CAT_rage"), negated ones marked
    ("NOT_CAT_rage"): a rare word ("livid") shares what its category learnt from common ones."""
    found: set[str] = set()
    for feature in text_features:
        if " " in feature:
            continue
        negated = feature.startswith("NOT_")
        for category in word_categories.get(feature.removeprefix("NOT_"), ()):
            found.add(f"NOT_CAT_{category}" if negated else f"CAT_{category}")
    return sorted(found)

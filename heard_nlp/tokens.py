"""Word tokens and n-grams shared by the lexicon backend and its training script."""

from __future__ import annotations

import re

_WORD = re.compile(r"[a-z0-9]+(?:'[a-z]+)?|[!?]")
_NEGATORS = frozenset(
    [
        "not",
        "no",
        "never",
        "nobody",
        "nothing",
        "nowhere",
        "neither",
        "nor",
        "cannot",
        "can't",
        "don't",
        "doesn't",
        "didn't",
        "isn't",
        "aren't",
        "wasn't",
        "weren't",
        "won't",
        "wouldn't",
        "shouldn't",
        "couldn't",
        "haven't",
        "hasn't",
        "hadn't",
        "ain't",
        "dont",
        "doesnt",
        "didnt",
        "isnt",
        "wasnt",
        "cant",
        "wont",
    ]
)


def words_with_offsets(text: str) -> list[tuple[str, int, int]]:
    """Lower-cased word tokens with their character offsets in `text`."""
    lowered = text.lower().replace("\u2019", "'")  # typographic apostrophe
    return [(m.group(), m.start(), m.end()) for m in _WORD.finditer(lowered)]


# Gendered pronouns are read as "they": whether a colleague is "he" or "she" must not change
# how a sentence about them reads (the bias audit measures this).
_NEUTRAL = {
    "he": "they", "she": "they", "him": "them", "her": "them", "his": "their",
    "hers": "theirs", "himself": "themselves", "herself": "themselves", "he's": "they're",
    "she's": "they're", "he'd": "they'd", "she'd": "they'd", "he'll": "they'll",
    "she'll": "they'll",
}  # fmt: skip


def features(text: str) -> list[str]:
    """Unigrams, bigrams, and unigrams marked as negated ("NOT_happy") up to three words after
    a negator: "not happy" and "happy" mean different things.

    A negator inside a negation starts the scope again rather than cancelling it: negative
    concord ("don't nobody answer", "ain't never") means one negation in many English
    dialects (African-American English among them), not a double negative."""
    tokens = [_NEUTRAL.get(w, w) for w, _, _ in words_with_offsets(text)]
    out: list[str] = []
    negated = 0
    for index, token in enumerate(tokens):
        if token in ("!", "?"):
            negated = 0
            out.append(token)
            continue
        if token in _NEGATORS:
            out.append(token)
            negated = 3
        else:
            out.append(f"NOT_{token}" if negated else token)
            negated = max(negated - 1, 0)
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

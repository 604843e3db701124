"""GoEmotions' labels (Demszky et al., 2020) and the groups Heard shows in its pages."""

from __future__ import annotations

EMOTIONS: tuple[str, ...] = (
    "admiration", "amusement", "anger", "annoyance", "approval", "caring", "confusion",
    "curiosity", "desire", "disappointment", "disapproval", "disgust", "embarrassment",
    "excitement", "fear", "gratitude", "grief", "joy", "love", "nervousness", "optimism",
    "pride", "realization", "relief", "remorse", "sadness", "surprise", "neutral",
)  # fmt: skip
assert len(EMOTIONS) == 28

GROUPS: dict[str, tuple[str, ...]] = {
    "frustration": ("annoyance", "anger", "disapproval", "disappointment"),
    "worry": ("fear", "nervousness"),
    "sadness": ("sadness", "grief"),
    "confusion": ("confusion",),
    "gratitude": ("gratitude",),
    "joy": ("joy", "amusement", "excitement", "love", "relief"),
}
# A group's score is the largest probability among its labels: its labels are correlated, so
# adding them up would count one feeling several times.

# GoEmotions' own sentiment grouping of its labels (from the paper's taxonomy).
POSITIVE = (
    "admiration", "amusement", "approval", "caring", "desire", "excitement", "gratitude",
    "joy", "love", "optimism", "pride", "relief",
)  # fmt: skip
NEGATIVE = (
    "anger", "annoyance", "disappointment", "disapproval", "disgust", "embarrassment", "fear",
    "grief", "nervousness", "remorse", "sadness",
)  # fmt: skip
AMBIGUOUS = ("confusion", "curiosity", "realization", "surprise")

"""Heard's privacy engine: every score, count and comment list shown goes through `decide`."""

from heard.privacy.engine import (
    DEFAULT_MIN_GROUP_SIZE,
    FLOOR,
    Decision,
    GroupSet,
    PrivacyPolicy,
    decide,
    participation_step,
)

__all__ = [
    "DEFAULT_MIN_GROUP_SIZE",
    "FLOOR",
    "Decision",
    "GroupSet",
    "PrivacyPolicy",
    "decide",
    "participation_step",
]

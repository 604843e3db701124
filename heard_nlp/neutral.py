"""What the models read: the text with people's names and gendered pronouns made neutral.

Who a text is about ("Emily" or "Jamal", "he" or "she") must not change how it reads. The
sentence encoder carries such associations from its pre-training, so before scoring, a word that
looks like a name (capitalised, not an English word) becomes one fixed name and he/she become
they. Evidence spans still point into the original text. The bias audit (bias.py) measures
what is left.
"""

from __future__ import annotations

import re

from heard_nlp.language import english_words
from heard_nlp.redact import COMMON_WORD_NAMES, is_word_name_at

PLACEHOLDER_NAME = "Alex"
_PRONOUNS = {
    "he": "they", "she": "they", "him": "them", "his": "their", "hers": "theirs",
    "himself": "themselves", "herself": "themselves",
}  # fmt: skip
# "her" is "them" or "their" depending on the sentence; "their" reads well in both spots often
# enough for a classifier, and the grammar never reaches a person.
_PRONOUNS["her"] = "their"
_UPPER, _LOWER = "A-ZÀ-ÖØ-Þ", "a-zß-öø-ÿ"
# Title-case words, also "DeShawn", "McAllister", "Ji-woo", "O'Brien"; never all-caps "SLA".
_TITLE_WORD = re.compile(
    rf"\b[{_UPPER}][{_LOWER}]+(?:[{_UPPER}]?[{_LOWER}]+)*(?:[-'][{_UPPER}{_LOWER}]+)*\b"
)
# After he/she becomes they, the verb agrees: "he was" -> "they were", "she runs" -> "they run".
_AGREEMENT = {
    "was": "were", "is": "are", "has": "have", "does": "do", "doesn't": "don't",
    "wasn't": "weren't", "isn't": "aren't", "hasn't": "haven't", "'s": "'re",
}  # fmt: skip
_PRONOUN_WORD = re.compile(r"\b(" + "|".join(_PRONOUNS) + r")\b(?:(\s+)([a-z']+))?", re.IGNORECASE)


_NOT_NAMES = frozenset(
    [*_PRONOUNS, *_PRONOUNS.values(), "i", "we", "you", "it", "me", "us", "our", "your", "my",
     "they", "them", "their", "a", "an", "the", "mr", "mrs", "ms", "dr",
     "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
     "january", "february", "march", "april", "june", "july", "august", "september",
     "october", "november", "december"]
)  # fmt: skip


def _name(match: re.Match[str]) -> str:
    word = match.group()
    lower = word.lower()
    if lower in _NOT_NAMES:
        return word
    if (
        lower in COMMON_WORD_NAMES
        or lower in english_words()
        or lower.split("-")[0] in english_words()
    ):
        # "Grace said", "ask Will": a first name that is also a word, used as a name.
        return PLACEHOLDER_NAME if is_word_name_at(match.string, *match.span()) else word
    return PLACEHOLDER_NAME


def _verb(word: str) -> str:
    if word in _AGREEMENT:
        return _AGREEMENT[word]
    stem = word[:-1]
    if word.endswith("s") and not word.endswith("ss") and stem in english_words():
        return stem
    return word


def _pronoun(match: re.Match[str]) -> str:
    word, space, following = match.group(1), match.group(2) or "", match.group(3) or ""
    neutral = _PRONOUNS[word.lower()]
    neutral = neutral.capitalize() if word[0].isupper() else neutral
    if neutral.lower() == "they" and following:
        following = _verb(following)
    return neutral + space + following


def neutralize(text: str) -> str:
    return _TITLE_WORD.sub(_name, _PRONOUN_WORD.sub(_pronoun, text))

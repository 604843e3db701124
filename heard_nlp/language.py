"""Which language a text is written in, and whether Heard's models analyse it.

`detect_languages(texts)` returns an ISO 639-1 code per text, or None when the text is too
short or too uncertain to tell. Heard's models read English only (`SUPPORTED`); a text in
another language is shown as "not analysed" rather than scored wrongly, so the costly mistake
is calling a short English text ("ok", "Thanks!", "great service") French or Hungarian. The
rules, in order:

1. Fewer than 3 letters (empty, "ok", emoji, numbers, "?!") -> None.
2. Short texts (at most 4 words) made only of known English words -> "en". The word list is
   VADER's English lexicon and Empath's category words (about 13,000 words together) plus a
   built-in list of common words, service words and chat shorthand ("parcel", "thx"). A
   foreign text made only of words that are English too ("super", "no") comes out "en":
   that only means the English models read it, never that it is hidden.
3. Longer texts in Latin letters with at least two distinctly English function words
   ("the", "and", "you", "with", "would" ... but not words shared with a neighbour
   language such as "is", "was", "in", "to", "for", "die") making up a fifth of the words
   -> "en" without asking lingua; so does such a text with at least one marker when 60% of
   its words are known English words (the list in rule 2; French, Spanish, German, Dutch,
   Italian, Swedish and Indonesian sentences score 0 to 0.15 on it). This fast path takes
   most English feedback: on the 2,000 benchmark texts all but about 1 in 100; lingua takes
   about 1 ms a text.
4. Everything else goes to lingua-language-detector (high-accuracy mode: low-accuracy mode
   was faster but wrongly confident on short texts, e.g. "cheers mate" -> Dutch 0.89, "Ciao"
   -> Vietnamese 0.84), restricted to `LANGUAGES`. Its top language is accepted when it is
   English, or when it is confident: at least 0.2 and 1.8 times the runner-up (0.35 for
   texts of at most 3 words or under 15 letters). Otherwise the text is "en" when English is
   close behind (at least 0.6 of the top value) or more than half of its words are known
   English words, and None when not.

Only a text's first 1,000 characters are read (lingua's time grows with the length: a
100,000-character text took 2 s). The detector is built once per process, lazily, on first
use (about 90 MB resident with all of `LANGUAGES` loaded).
"""

from __future__ import annotations

import functools
import re
from collections.abc import Sequence
from importlib import resources

from lingua import ConfidenceValue, Language, LanguageDetector, LanguageDetectorBuilder

__all__ = ["LANGUAGES", "SUPPORTED", "detect_language", "detect_languages", "is_supported"]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


# The languages our models analyse.
SUPPORTED: frozenset[str] = frozenset({"en"})

# The languages the detector chooses among: the most common European and world languages.
# A text in a language outside this set comes out as its nearest neighbour here or None;
# either way it is not English, so it is not analysed.
LANGUAGES: tuple[Language, ...] = (
    Language.ENGLISH, Language.SPANISH, Language.FRENCH, Language.GERMAN, Language.ITALIAN,
    Language.PORTUGUESE, Language.DUTCH, Language.SWEDISH, Language.DANISH, Language.BOKMAL,
    Language.FINNISH, Language.POLISH, Language.CZECH, Language.ROMANIAN, Language.HUNGARIAN,
    Language.GREEK, Language.TURKISH, Language.RUSSIAN, Language.UKRAINIAN, Language.ARABIC,
    Language.HEBREW, Language.HINDI, Language.CHINESE, Language.JAPANESE, Language.KOREAN,
    Language.VIETNAMESE, Language.INDONESIAN,
)  # fmt: skip

MIN_LETTERS = 3
MAX_CHARS = 1000  # a text's language is told from its first 1,000 characters
SHORT_WORDS = 4  # rule 2 applies up to this many words
KNOWN_SHARE = 0.6  # rule 3: this share of known English words, with one marker

_WORD_RE = re.compile(r"[^\W\d_]+(?:['\u2019][^\W\d_]+)*")

# Function words that are English and not (common) words of the other languages above.
_ENGLISH_MARKERS = _wordset(
    """the and you your yours it it's its this that these those with have has had been being
    they them their theirs there there's we we're we've our ours she him his what what's when
    where which who why how would could should not but very just about from were are be
    because than then some any been only really again still never always please thanks thank
    i'm i've i'd i'll you're you've they're don't didn't doesn't can't won't isn't wasn't
    aren't haven't hasn't couldn't wouldn't shouldn't that's let's
    """
)

# Common English words and chat shorthand, on top of VADER's lexicon, for rule 2.
_ENGLISH_COMMON = _wordset(
    """a an the and or but if so to of in on at by for with from up out about as is are was
    were be been am do does did done have has had i me my mine you your we us our they them
    it its this that there here all any some no not yes yeah yep nope ok okay k fine good
    great nice cool thanks thank thx ty tnx cheers mate please pls plz sorry hi hello hey bye
    service staff team support product order delivery app help helpful quick fast slow late
    very really so much many lot lots more most less well done job work works working worked
    love like liked loved hate bad poor awful terrible excellent amazing awesome brilliant
    perfect wonderful fantastic superb lovely happy sad angry keep up same again never always
    still just only too also new old best better worse worst easy hard price value money time
    day week month today tomorrow yesterday now soon asap lol omg wtf btw tbh imo fyi idk np
    nothing everything something anything one two three first last next recommend would
    could should will can can't won't don't didn't doesn't isn't wasn't it's i'm that's
    experience customer customers people person manager thing things stuff way meh hmm
    ooh wow yay nah na ugh courier parcel package refund invoice bill billing shipping
    dispatch tracking driver store shop branch agent call phone email website account
    payment charge charged subscription cancel wrong item items arrived received missing
    damaged broken lost rude waiting waited queue delayed sorted gutted legend kinda tbh
    """
)


@functools.cache
def english_words() -> frozenset[str]:
    words = set(_ENGLISH_COMMON)
    lexicon = resources.files("vaderSentiment").joinpath("vader_lexicon.txt")
    for line in lexicon.read_text(encoding="utf-8").splitlines():
        word = line.split("\t", 1)[0]
        if word.isalpha():
            words.add(word.lower())
    categories = resources.files("empath").joinpath("data", "categories.tsv")
    for line in categories.read_text(encoding="utf-8").splitlines():
        words.update(w.lower() for w in line.split("\t")[1:] if w.isalpha())
    return frozenset(words)


@functools.cache
def _detector() -> LanguageDetector:
    return LanguageDetectorBuilder.from_languages(*LANGUAGES).build()


def is_supported(code: str | None) -> bool:
    """True when Heard's models analyse texts in the language `code` (ISO 639-1)."""
    return code is not None and code in SUPPORTED


def detect_language(text: str) -> str | None:
    """The ISO 639-1 code of one text's language, or None when it cannot be told."""
    return detect_languages([text])[0]


def detect_languages(texts: Sequence[str]) -> list[str | None]:
    """ISO 639-1 codes for `texts` ("en", "fr", ...), None where a text is too short or too
    uncertain to tell. See the module's docstring for the rules."""
    results: list[str | None] = []
    for full_text in texts:
        text = full_text[:MAX_CHARS]
        quick, words = _quick(text)
        if quick is not _ASK_LINGUA:
            results.append(quick)
            continue
        values = _detector().compute_language_confidence_values(text)
        results.append(_decide(text, words, values))
    return results


_ASK_LINGUA = "?"


def _quick(text: str) -> tuple[str | None, list[str]]:
    """Rules 1-3: a code, None, or _ASK_LINGUA; and the text's lower-case words."""
    letters = sum(map(str.isalpha, text))
    if letters < MIN_LETTERS:
        return None, []
    words = [w.replace("\u2019", "'") for w in _WORD_RE.findall(text.lower())]
    if not words:
        return None, words
    english = english_words()
    if len(words) <= SHORT_WORDS and all(w in english for w in words):
        return "en", words
    if len(words) > SHORT_WORDS:
        non_ascii = 0 if text.isascii() else sum(1 for c in text if c.isalpha() and not c.isascii())
        if non_ascii <= 0.05 * letters:
            markers = sum(1 for w in words if w in _ENGLISH_MARKERS)
            if markers >= 2 and markers >= 0.2 * len(words):
                return "en", words
            known = sum(1 for w in words if w in english)
            if markers >= 1 and known >= KNOWN_SHARE * len(words):
                return "en", words
    return _ASK_LINGUA, words


def _decide(text: str, words: list[str], values: list[ConfidenceValue]) -> str | None:
    """Rule 4: turn lingua's confidence values into a code or None."""
    if not values or values[0].value <= 0.0:
        return _english_hint(words)
    top = values[0]
    code = top.language.iso_code_639_1.name.lower()
    if code == "en":
        return "en"
    runner_up = values[1].value if len(values) > 1 else 0.0
    letters = sum(1 for c in text if c.isalpha())
    short = len(words) <= 3 or letters < 15
    floor = 0.35 if short else 0.2
    if top.value >= floor and top.value >= 1.8 * runner_up:
        return code
    english = next((v.value for v in values if v.language == Language.ENGLISH), 0.0)
    if english >= 0.6 * top.value:
        return "en"
    return _english_hint(words)


def _english_hint(words: list[str]) -> str | None:
    if not words:
        return None
    english = english_words()
    known = sum(1 for w in words if w in english)
    return "en" if known > 0.5 * len(words) else None

"""How strongly a text is felt (intensity) and how soon someone must act on it (urgency).

`intensity_and_urgency(text, sentiment_score=..., frustration=..., anger=...)` returns two
`Level`s and the `Evidence` behind them. Both are rule-based and explain themselves: every
reason is a plain sentence and every text cue is a span.

Scores
------
Each cue adds a contribution c in 0..1; cues combine as 1 - prod(1 - c), so several weak cues
add up but never pass 1. Levels: low below 0.35, medium below 0.65, high from 0.65.

Intensity (how strongly it is felt):
  - exclamation marks: 0.1 each, at most 0.3; repeated punctuation ("!!", "?!", "??"):
    0.15 a run, at most 0.3;
  - words in capitals (3+ letters, not acronyms such as "ASAP", "FAQ"): 0.15 each, at most
    0.4; a text written almost all in capitals (80% of 8+ letters): 0.45;
  - intensifiers: strong ones ("absolutely", "extremely", "completely", "the worst") 0.12,
    mild ones ("very", "really", "so") 0.06, at most 0.35 together; stretched words
    ("sooo", "pleeease"): 0.1 each, at most 0.2;
  - profanity (a small list): 0.3, 0.4 for two or more; reasons show it masked ("f***");
  - strong sentiment either way: (|sentiment_score| - 0.3) / 0.7 * 0.45 when the score is
    below -0.3 (0.35 instead of 0.45 when above 0.3: praise is felt, but rarely shouted);
  - frustration or anger (model probabilities, 0..1): 0.4 * max(frustration, anger) when it
    is at least 0.3.

Urgency (how soon someone must act), by kind of cue; within a kind the strongest cue counts
and each further distinct cue adds 0.1 (at most 0.15):
  - safety and wellbeing ("unsafe", "injured", "fire", "threatened", "harassment",
    "self-harm", "suicidal", "can't cope", "panic attack", ...): urgency is at least 0.9,
    so always high. These are never discounted, not even by a negation or a "no rush": a
    missed one costs far more than a false alarm. (One exception: "on fire" in a clearly
    positive text, sentiment 0.3 or more, is the praise idiom "you're on fire!".)
  - legal action or escalation ("lawyer", "solicitor", "chargeback", "ombudsman", "trading
    standards", "report you", "formal complaint"): 0.5;
  - deadline or time pressure: "urgent", "asap", "immediately", "emergency" 0.5; a stated
    deadline ("by Friday", "before the 12th", "within 24 hours", "end of day") 0.4; "today",
    "tonight", "tomorrow" 0.25;
  - threat to leave ("cancel my subscription", "switching to", "never ordering again", "take
    my business elsewhere", "resign", "quit my job"): 0.4;
  - repeated contact ("third time", "still waiting", "I already called", "no one has
    replied", "chased"): 0.35; a bare "again", "for weeks" or "days ago" counts 0.2, and
    only when the text is negative (sentiment below -0.05 or frustration at least 0.3):
    "would order again" is praise;
  - money lost ("charged twice", "overcharged", "unauthorised payment", "still no refund"):
    0.4 and urgency at least 0.4, so at least medium;
  - frustration or anger of 0.3 or more add 0.2 * max(frustration, anger).
Negation: a deadline, legal or leaving cue with "not", "no", "never", "n't", "without" in the
four words before it in the same clause ("not urgent", "I won't cancel", "no need for a
lawyer") does not count. A relaxing phrase ("no rush", "no hurry", "whenever you can", "not
a priority", "in your own time") halves the urgency score, except for safety.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from heard_nlp.types import Evidence, Level, LevelName, Span

__all__ = ["intensity_and_urgency", "level_of"]


def _wordset(text: str) -> frozenset[str]:
    return frozenset(text.split())


MEDIUM = 0.35
HIGH = 0.65


def level_of(score: float) -> LevelName:
    """The level name of a 0..1 score."""
    if score >= HIGH:
        return "high"
    if score >= MEDIUM:
        return "medium"
    return "low"


# --- urgency cues ------------------------------------------------------------------------------

_DAY = r"(?:mon|tues|wednes|thurs|fri|satur|sun)day"
_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
)
_ORDINAL = r"\d{1,2}(?:st|nd|rd|th)"
_WHEN = (
    rf"(?:{_DAY}|tomorrow|tonight|today|noon|midday|midnight|the weekend|next week"
    rf"|(?:the )?end of (?:the |this )?(?:day|week|month)|eod|eow|cob"
    rf"|\d{{1,2}}(?::\d\d)?\s?(?:am|pm)|(?:the )?{_ORDINAL}(?: of {_MONTH})?"
    rf"|{_MONTH} {_ORDINAL}|{_MONTH} \d{{1,2}}\b)"
)


@dataclass(frozen=True)
class _Pattern:
    """A case-insensitive pattern that runs on the lower-cased text (about twice as fast as
    re.IGNORECASE), falling back to re.IGNORECASE on the rare text whose length changes when
    lower-cased ("İ" becomes two characters), so that spans always index the original."""

    lower: re.Pattern[str]
    any_case: re.Pattern[str]

    def finditer(self, text: str, lowered: str) -> Iterator[re.Match[str]]:
        if len(lowered) == len(text):
            return self.lower.finditer(lowered)
        return self.any_case.finditer(text)


def _pattern(pattern: str) -> _Pattern:
    return _Pattern(re.compile(pattern), re.compile(pattern, re.IGNORECASE))


@dataclass(frozen=True)
class _Cue:
    kind: str
    pattern: _Pattern
    weight: float
    negatable: bool = False


def _cue(kind: str, weight: float, pattern: str, *, negatable: bool = False) -> _Cue:
    return _Cue(kind, _pattern(pattern), weight, negatable)


_SAFETY = (
    r"\b(?:unsafe|not (?:feel )?safe|(?:don't|do not|doesn't|does not) feel safe|danger(?:ous)?"
    r"|injur(?:ed|y|ies|ing)|(?:got|was|were|been|get|getting) hurt"
    r"|hurt (?:myself|himself|herself|themselves)"
    r"|fire(?! (?:him|her|them|me|you|us|someone|somebody|people|staff|employees|workers|the|a"
    r"|an|my|our|your|his|their|this|that|these|those|away|off)\b)"
    r"|smoke|gas leak|(?:electric(?:al)?) shock|exposed wires?"
    r"|threaten(?:ed|ing|s)?|threats?|harass(?:ed|ment|ing)?|assault(?:ed)?|abus(?:e|ed|ive)"
    r"|bull(?:y|ying|ied)|stalk(?:ed|ing)|self[- ]?harm(?:ing)?|suicid(?:e|al)|kill myself"
    r"|end (?:my|it all|my own) life|want to die|(?:can't|cannot|can not|cant) cope"
    r"|(?:can't|cannot|cant) go on|panic attacks?|(?:mental|nervous) breakdown|overdos(?:e|ed)"
    r"|bleeding|ambulance|unconscious|collapsed|poison(?:ed|ing)|allergic reaction"
    r"|burn(?:ed|t) out|burnout)\b"
)

_CUES: tuple[_Cue, ...] = (
    _cue("safety", 0.9, _SAFETY),
    # legal action / escalation
    _cue(
        "legal",
        0.5,
        r"\b(?:lawyers?|solicitors?|attorneys?|legal (?:action|advice|proceedings)"
        r"|(?:going to|gonna|will|'ll|to) su(?:e|ing)\b"
        r"|(?:take|taking) (?:you|this|them|it) to court"
        r"|court action|chargebacks?|ombudsman"
        r"|trading standards|small claims|citizens advice|report(?:ing)? (?:you|this|them|it)\b"
        r"|(?:the )?regulator|ofcom|ofgem|fca|bbb|formal complaint|grievance|tribunal"
        r"|escalat(?:e|ed|ing|ion)|whistle-?blow\w*)\b",
        negatable=True,
    ),
    # deadlines and time pressure
    _cue(
        "deadline",
        0.5,
        r"\b(?:urgent(?:ly)?|urgency|asap|a\.s\.a\.p|as soon as possible|immediately"
        r"|emergency|right away|right now|straight away|time[- ]sensitive|top priority)\b",
        negatable=True,
    ),
    _cue(
        "deadline",
        0.4,
        rf"\b(?:(?:by|before|until|no later than) {_WHEN}|deadline|within \d+ (?:hours?|days?"
        rf"|minutes?|mins?)|within (?:the|an|one) hour|in the next (?:\d+ )?(?:hours?|minutes?|day)"
        rf"|due (?:today|tomorrow)|first thing (?:tomorrow|in the morning))\b",
        negatable=True,
    ),
    _cue("deadline", 0.25, r"\b(?:today|tonight|tomorrow)\b", negatable=True),
    # threat to leave
    _cue(
        "churn",
        0.4,
        r"\b(?:cancel(?:l?ing|l?ed)? (?:my|our|the|this) (?:subscription|account|membership"
        r"|contract|plan|service|direct debit)|cancel(?:l?ing)? (?:my|our) order"
        r"|switch(?:ing)? (?:to|provider|supplier)|mov(?:e|ing) to (?:a |another )?competitor"
        r"|(?:go|going|take (?:my|our) (?:business|custom|money)) elsewhere"
        r"|never (?:\w+ ){0,3}again|won't be (?:back|returning|ordering|using|coming back)"
        r"|close (?:my|our) account|resign(?:ing|ation)?|hand(?:ing)? in my notice"
        r"|quit(?:ting)? (?:my|this|the) (?:job|role|position|company)"
        r"|(?:i|i'll|i will|i'm going to|going to|thinking (?:of|about)|about to|ready to|want to)"
        r" quit(?:ting)?|look(?:ing)? for (?:a new|another) (?:job|provider|supplier|company)"
        r"|leav(?:e|ing) (?:the|this) (?:company|job|team)|find another (?:provider|supplier"
        r"|company|bank|job))\b",
        negatable=True,
    ),
    # repeated contact
    _cue(
        "repeat",
        0.35,
        r"\b(?:(?:second|third|fourth|fifth|sixth|umpteenth|nth|\d+(?:st|nd|rd|th)) time"
        r"|not the first time|(?:yet|once) again|again and again|still (?:waiting|haven't"
        r"|have not|hasn't|has not|no|not|nothing|don't|didn't|can't)"
        r"|already (?:called|emailed|rang|phoned|written|wrote|contacted"
        r"|asked|told|explained|sent|complained|reported|chased)"
        r"|(?:no one|no-one|nobody) (?:has |have |had )?(?:replied|responded|got back|gotten back"
        r"|called back|answered|helped|contacted|bothered)|no (?:reply|replies|response|answer)"
        r"|(?:haven't|have not|never|not) heard back|(?:multiple|several|many|countless|numerous"
        r"|\d+) (?:times|calls|emails|messages|attempts)|chas(?:ed|ing)"
        r"|keeps? (?:happening|calling|asking|chasing))\b",
    ),
    # money lost
    _cue(
        "money",
        0.4,
        r"\b(?:charged (?:me )?(?:twice|two times|three times|double|again)|double[- ]charged"
        r"|overcharg(?:ed|ing)|out of pocket|lost (?:my )?money|money (?:was |has been )?"
        r"(?:taken|gone|missing|stolen)|(?:unauthori[sz]ed|fraudulent) (?:charge|payment"
        r"|transaction|debit|withdrawal)s?|fraud|scam(?:med)?|(?:still )?no refund"
        r"|(?:haven't|have not|never) (?:received|got|had) (?:my|a|the) refund"
        r"|wrongly charged|taken (?:money|£\d+|\$\d+) from my (?:account|card)"
        r"|debited (?:twice|two times)|waiting for (?:a|my|the|our) refund)\b",
    ),
)

# Repeated-contact words that count only in a negative text ("would order again" is praise).
_WEAK_REPEAT = _pattern(
    r"\b(?:again|for (?:weeks|days|months)|(?:weeks|days|months) (?:ago|later|now))\b"
)
_RELAX = _pattern(
    r"\b(?:no rush|no hurry|no urgency|no pressure|not (?:that |very |too )?urgent"
    r"|isn't urgent|not a priority|low priority|not time[- ]sensitive|not in a hurry"
    r"|whenever (?:you|is)|when you (?:get|have) (?:a|the) (?:chance|moment|minute|sec)"
    r"|in your own time|at your convenience|take your time)\b"
)
_NEGATORS = _wordset("not no never without nothing nobody none hardly neither nor")
_CLAUSE_END = re.compile(r"[.;!?,\n]")

_REASONS = {
    "safety": "mentions safety or wellbeing",
    "legal": "mentions legal action or escalation",
    "deadline": "mentions a deadline or time pressure",
    "churn": "threatens to leave",
    "repeat": "says this is repeated contact",
    "money": "reports money lost or charged wrongly",
}
_ORDER = ("safety", "legal", "deadline", "churn", "money", "repeat")


def _negated(text: str, start: int) -> bool:
    """True when one of the three words before `start`, in the same clause, negates it."""
    window = text[max(0, start - 60) : start]
    clause = _CLAUSE_END.split(window)[-1]
    words = re.findall(r"[a-z']+", clause.lower().replace("\u2019", "'"))[-4:]
    return any(w in _NEGATORS or w in _NT or w.endswith("n't") for w in words)


def _praise_idiom(text: str, start: int, end: int, sentiment_score: float) -> bool:
    """ "You're on fire!" in a clearly positive text is praise, not a fire."""
    return (
        sentiment_score >= 0.3
        and text[start:end].lower() == "fire"
        and text[max(0, start - 3) : start].lower() == "on "
    )


_NT = _wordset("dont wont cant isnt wasnt arent werent doesnt didnt shouldnt wouldnt")


def _quote(texts: Iterable[str]) -> str:
    unique: dict[str, str] = {}
    for t in texts:
        unique.setdefault(t.lower(), t)
    return ", ".join(f"'{t}'" for t in list(unique.values())[:3])


def _combine(contributions: Iterable[float]) -> float:
    rest = 1.0
    for c in contributions:
        rest *= 1.0 - min(max(c, 0.0), 1.0)
    return 1.0 - rest


def _urgency(
    text: str, sentiment_score: float, frustration: float, anger: float
) -> tuple[Level, list[Evidence]]:
    matches: dict[str, list[tuple[Span, float]]] = {}
    kept: dict[str, list[int]] = {}  # per kind: sorted starts of its (non-overlapping) spans
    ends: dict[str, list[int]] = {}
    taken = bytearray(len(text))  # characters already inside some cue
    lowered = text.lower()
    for cue in _CUES:
        starts, stops = kept.setdefault(cue.kind, []), ends.setdefault(cue.kind, [])
        for m in cue.pattern.finditer(text, lowered):
            start, end = m.span()
            i = bisect.bisect_right(starts, start)
            if (i > 0 and stops[i - 1] > start) or (i < len(starts) and starts[i] < end):
                continue  # "by tomorrow" already counted; not "tomorrow" again
            if cue.negatable and _negated(text, start):
                continue
            if _praise_idiom(text, start, end, sentiment_score):
                continue
            starts.insert(i, start)
            stops.insert(i, end)
            taken[start:end] = b"\x01" * (end - start)
            span = Span(text[start:end], start, end)
            matches.setdefault(cue.kind, []).append((span, cue.weight))
    negative = sentiment_score < -0.05 or frustration >= 0.3
    if negative:
        for m in _WEAK_REPEAT.finditer(text, lowered):
            start, end = m.span()
            if not any(taken[start:end]):
                matches.setdefault("repeat", []).append((Span(text[start:end], start, end), 0.2))
    relaxers = [Span(text[m.start() : m.end()], *m.span()) for m in _RELAX.finditer(text, lowered)]

    evidence: list[Evidence] = []
    reasons: list[str] = []
    contributions: list[float] = []
    for kind in _ORDER:
        found = matches.get(kind)
        if not found:
            continue
        found.sort(key=lambda f: -f[1])
        distinct = len({span.text.lower() for span, _ in found})
        contribution = min(1.0, found[0][1] + min(0.15, 0.1 * (distinct - 1)))
        contributions.append(contribution)
        reasons.append(f"{_REASONS[kind]} ({_quote(s.text for s, _ in found)})")
        evidence.extend(Evidence("urgency", span, weight, _REASONS[kind]) for span, weight in found)
    feeling = max(frustration, anger)
    if feeling >= 0.3:
        contributions.append(0.2 * feeling)
        reasons.append(f"the writer sounds {'angry' if anger >= frustration else 'frustrated'}")
    score = _combine(contributions)
    if relaxers and "safety" not in matches:
        score *= 0.5
        reasons.append(f"says it is not urgent ({_quote(s.text for s in relaxers)})")
        evidence.extend(Evidence("urgency", s, 0.0, "says it is not urgent") for s in relaxers)
    if "money" in matches:
        score = max(score, 0.4)
    score = round(min(score, 1.0), 3)
    return Level(level_of(score), score, tuple(reasons)), evidence


# --- intensity cues ----------------------------------------------------------------------------

_ACRONYMS = _wordset(
    """ASAP FAQ USA UK EU CEO CFO CTO COO HR IT PDF URL API SMS ATM VAT GDPR NHS BBC ETA
    FYI RSVP TBC TBD AKA DIY PIN SIM USB APP IOS OK OKAY NB PS AM PM GMT BST UTC EOD EOW
    COB KPI ROI SLA CRM SEO UX UI QA AI ML NLP LOL OMG BTW IMO IDK TBH
    """
)
_CAPS_WORD = re.compile(r"\b[A-Z][A-Z']{2,}\b")
_EXCLAIM = re.compile(r"!")
_REPEATED_PUNCT = re.compile(r"[!?]{2,}")
_STRETCHED = _pattern(r"\b\w*([a-z])\1\1\w*\b")
_STRONG_INTENSIFIERS = _pattern(
    r"\b(?:absolutely|extremely|completely|totally|utterly|incredibly|ridiculous(?:ly)?"
    r"|seriously|insanely|unbelievabl[ey]|beyond|truly|deeply|hugely|massively|terribly"
    r"|awfully|horribly|thoroughly|entirely|the (?:worst|best)|never ever|at all"
    r"|so+ much|disgusting|outrageous|unacceptable|appalling|shocking|furious|livid)\b"
)
_MILD_INTENSIFIERS = _pattern(
    r"\b(?:very|really|super|such a|so(?= (?!(?:i|we|you|they|he|she|it|that|the|a|an|my|our"
    r"|if|far|as|to|on|what|now|then|there|this|many|much)\b)[a-z]))\b"
)
_PROFANITY = _pattern(
    r"\b(?:f+u+c+k+\w*|shit\w*|bullshit|crap(?:py)?|damn(?:ed)?|goddamn\w*|bloody|bollocks"
    r"|piss(?:ed)?|bastards?|arse(?:hole)?s?|ass(?:hole)?s?|wtf|ffs|bugger|twats?|wankers?)\b"
)


def _mask(word: str) -> str:
    return word[0] + "*" * (len(word) - 1)


def _capped(count: int, each: float, cap: float) -> float:
    return min(cap, count * each)


def _intensity(
    text: str, sentiment_score: float, frustration: float, anger: float
) -> tuple[Level, list[Evidence]]:
    evidence: list[Evidence] = []
    reasons: list[str] = []
    contributions: list[float] = []

    lowered = text.lower()

    def spans(pattern: re.Pattern[str] | _Pattern) -> list[Span]:
        if isinstance(pattern, _Pattern):
            found = pattern.finditer(text, lowered)
        else:
            found = pattern.finditer(text)
        return [Span(text[m.start() : m.end()], *m.span()) for m in found]

    exclaims = spans(_EXCLAIM)
    if exclaims:
        c = _capped(len(exclaims), 0.1, 0.3)
        contributions.append(c)
        plural = "s" if len(exclaims) > 1 else ""
        reasons.append(f"uses {len(exclaims)} exclamation mark{plural}")
        evidence.extend(
            Evidence("intensity", s, c / len(exclaims), "exclamation") for s in exclaims
        )
    runs = spans(_REPEATED_PUNCT)
    if runs:
        c = _capped(len(runs), 0.15, 0.3)
        contributions.append(c)
        reasons.append(f"repeats punctuation ({_quote(s.text for s in runs)})")
        evidence.extend(
            Evidence("intensity", s, c / len(runs), "repeated punctuation") for s in runs
        )
    caps = [s for s in spans(_CAPS_WORD) if s.text.strip("'") not in _ACRONYMS]
    if caps:
        letters = sum(map(str.isalpha, text))
        shouting = letters >= 8 and sum(map(str.isupper, text)) >= 0.8 * letters
        c = 0.45 if shouting else _capped(len(caps), 0.15, 0.4)
        contributions.append(c)
        what = "writes in capitals" if shouting else "writes words in capitals"
        reasons.append(f"{what} ({_quote(s.text for s in caps)})")
        evidence.extend(Evidence("intensity", s, c / len(caps), "capitals") for s in caps)
    strong = spans(_STRONG_INTENSIFIERS)
    mild = spans(_MILD_INTENSIFIERS)
    if strong or mild:
        c = min(0.35, 0.12 * len(strong) + 0.06 * len(mild))
        contributions.append(c)
        reasons.append(
            f"uses intensifiers or strong words ({_quote(s.text for s in strong + mild)})"
        )
        evidence.extend(Evidence("intensity", s, 0.12, "intensifier") for s in strong)
        evidence.extend(Evidence("intensity", s, 0.06, "intensifier") for s in mild)
    stretched = spans(_STRETCHED)
    if stretched:
        c = _capped(len(stretched), 0.1, 0.2)
        contributions.append(c)
        reasons.append(f"stretches words ({_quote(s.text for s in stretched)})")
        evidence.extend(
            Evidence("intensity", s, c / len(stretched), "stretched word") for s in stretched
        )
    swears = spans(_PROFANITY)
    if swears:
        c = 0.4 if len(swears) > 1 else 0.3
        contributions.append(c)
        reasons.append(f"uses profanity ({_quote(_mask(s.text) for s in swears)})")
        evidence.extend(
            Evidence("intensity", s, c / len(swears), f"profanity ({_mask(s.text)})")
            for s in swears
        )
    magnitude = abs(sentiment_score)
    if magnitude > 0.3:
        top = 0.45 if sentiment_score < 0 else 0.35
        contributions.append((min(magnitude, 1.0) - 0.3) / 0.7 * top)
        polarity = "negative" if sentiment_score < 0 else "positive"
        strength = "strongly " if magnitude >= 0.6 else ""
        reasons.append(f"the wording is {strength}{polarity} (sentiment {sentiment_score:+.2f})")
    feeling = max(frustration, anger)
    if feeling >= 0.3:
        contributions.append(0.4 * min(feeling, 1.0))
        name = "angry" if anger >= frustration else "frustrated"
        reasons.append(f"the writer sounds {name} ({feeling:.2f})")
    score = round(_combine(contributions), 3)
    return Level(level_of(score), score, tuple(reasons)), evidence


def intensity_and_urgency(
    text: str, *, sentiment_score: float, frustration: float, anger: float = 0.0
) -> tuple[Level, Level, list[Evidence]]:
    """(intensity, urgency, evidence) for one text. `sentiment_score` is in -1..1,
    `frustration` and `anger` are probabilities in 0..1 from the emotion model. See the
    module's docstring for the rules."""
    intensity, intensity_evidence = _intensity(text, sentiment_score, frustration, anger)
    urgency, urgency_evidence = _urgency(text, sentiment_score, frustration, anger)
    evidence = sorted(intensity_evidence + urgency_evidence, key=lambda e: e.span.start)
    return intensity, urgency, evidence

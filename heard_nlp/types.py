"""The results heard_nlp returns: frozen dataclasses, plain values, JSON-friendly via
`dataclasses.asdict`. Every result says which words drove it (`Span`/`Evidence`), because
Heard shows people why an AI output says what it says."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

SentimentLabel = Literal["positive", "neutral", "negative"]
LevelName = Literal["low", "medium", "high"]


@dataclass(frozen=True)
class Span:
    """A piece of the input text: text[start:end] == self.text."""

    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Evidence:
    """One reason behind a result. `supports` names the result, e.g. "sentiment",
    "emotion:anger", "urgency", "intensity"; `weight` is signed for sentiment (+ pushes
    positive) and positive elsewhere."""

    supports: str
    span: Span
    weight: float
    note: str = ""


@dataclass(frozen=True)
class Sentiment:
    label: SentimentLabel
    score: float  # -1 (very negative) .. 1 (very positive)


@dataclass(frozen=True)
class Emotions:
    # One probability per GoEmotions label (27 emotions + neutral), in labels.EMOTIONS order.
    probabilities: dict[str, float]
    # Labels at or above their tuned thresholds, most likely first ("neutral" when none).
    labels: tuple[str, ...]
    # Heard's groups (labels.GROUPS): frustration, worry, sadness, confusion, gratitude, joy.
    groups: dict[str, float]

    @property
    def top(self) -> str:
        return self.labels[0] if self.labels else "neutral"


@dataclass(frozen=True)
class Level:
    level: LevelName
    score: float  # 0..1
    reasons: tuple[str, ...] = ()  # plain sentences, e.g. "mentions a deadline ('by Friday')"


@dataclass(frozen=True)
class Analysis:
    text: str
    language: str | None  # ISO 639-1 code, None when unknown
    analysed: bool  # False: empty, too short to tell, or a language the models do not cover
    reason: str = ""  # why not analysed, for the "not analysed" label in pages
    sentiment: Sentiment | None = None
    emotions: Emotions | None = None
    intensity: Level | None = None
    urgency: Level | None = None
    evidence: tuple[Evidence, ...] = ()
    backend: str = ""  # "model" or "lexicon": which backend produced the scores


@dataclass(frozen=True)
class Mechanism:
    """An empathy mechanism in a reply: 0 absent, 1 weak, 2 strong (after EPITOME)."""

    name: Literal["emotional_reaction", "interpretation", "exploration", "ownership", "next_step"]
    level: int
    spans: tuple[Span, ...] = ()
    advice: str = ""  # what to add or strengthen, empty when strong


@dataclass(frozen=True)
class Problem:
    name: Literal["blaming", "dismissing", "jargon", "template_only"]
    spans: tuple[Span, ...] = ()
    advice: str = ""


@dataclass(frozen=True)
class ReplyScore:
    score: int  # 0..100
    mechanisms: tuple[Mechanism, ...]
    problems: tuple[Problem, ...] = ()
    summary: str = ""  # one sentence for the writer: what is present, what is missing

    def mechanism(self, name: str) -> Mechanism:
        return next(m for m in self.mechanisms if m.name == name)


@dataclass(frozen=True)
class Redaction:
    text: str  # the redacted text
    spans: tuple[
        tuple[Span, str], ...
    ] = ()  # (span in the ORIGINAL text, kind) kind: email, phone, url, name


@dataclass(frozen=True)
class Theme:
    name: str  # a short label made of its key phrases
    key_phrases: tuple[str, ...]
    size: int
    members: tuple[int, ...] = field(default=())  # indexes into the input texts
    representatives: tuple[str, ...] = ()  # a few texts that show the theme best

"""Reads for the in-app model card of the text analysis: which reading runs here, how well it
measured (`make eval`'s benchmarks/eval.json, never a number typed in), where it must not be
used, and how often people in the organisation corrected it.

Corrections are counted by label and value only: the card is about the model, so it never
says who corrected what."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Count, Exists, OuterRef, Q

from heard.customers.analysis import items_due, model_version
from heard.customers.models import Item, LabelCorrection
from heard.orgs.models import Organization
from heard_nlp.bias import MAX_MEAN_SENTIMENT_GAP

# Written by `make eval` (heard_nlp.evaluate). A module constant so tests can point it elsewhere.
EVAL_JSON: Path = Path(settings.BASE_DIR) / "benchmarks" / "eval.json"
# The full cards `make eval` writes; in the repository, not served by Heard.
FULL_CARDS = (
    "docs/models/emotions.md",
    "docs/models/sentiment.md",
    "docs/models/reply-scorer.md",
    "docs/models/bias-audit.md",
)
MOST_COMMON_CORRECTIONS = 10
NOT_MEASURED = "not measured here (run make eval)"


@dataclass(frozen=True)
class Measure:
    """One figure `make eval` writes, with its goal. Goals for emotions and sentiment come
    from the product brief ("Figures to reach"); the reply scorer's from its card."""

    key: str  # the eval.json key of the default reading; the lexicon's adds "lexicon_"
    name: str
    unit: str
    goal: float | None


MEASURES = (
    Measure("goemotions_dev_macro_f1", "Emotions: GoEmotions dev, 28 labels", "macro-F1", 0.46),
    Measure("sst2_dev_accuracy", "Sentiment: SST-2 dev", "accuracy", 0.88),
    Measure("uci_amazon_accuracy", "Sentiment: UCI Amazon sentences", "accuracy", 0.90),
    Measure("uci_yelp_accuracy", "Sentiment: UCI Yelp sentences", "accuracy", 0.90),
    Measure(
        "reply_spearman",
        "Reply empathy scorer (rules, the same for both backends): held-out labelled pairs",
        "Spearman rho",
        0.70,
    ),
)
BIAS_MEAN_GAP_LIMIT = MAX_MEAN_SENTIMENT_GAP  # heard_nlp/tests/test_bias.py's gate


@dataclass(frozen=True)
class Figure:
    name: str
    unit: str
    value: float | None  # the default reading (the model, when its files were present)
    lexicon_value: float | None  # the lexicon backend alone, when measured separately
    goal: float | None

    @property
    def reached(self) -> bool | None:
        if self.goal is None or self.value is None:
            return None
        return self.value >= self.goal


@dataclass(frozen=True)
class BiasGap:
    dimension: str  # name, pronoun, dialect
    measure: str  # sentiment, frustration, reply_score
    mean: float
    largest: float


@dataclass(frozen=True)
class Measured:
    """What benchmarks/eval.json says; `problem` is why there is nothing to show."""

    problem: str = ""
    measured_on: str = ""  # only when the file says
    figures: tuple[Figure, ...] = ()
    lexicon_measured: bool = False  # the file holds the lexicon's own figures too
    bias_mean_gap: float | None = None
    bias_gaps: tuple[BiasGap, ...] = ()

    @property
    def bias_within_limit(self) -> bool | None:
        if self.bias_mean_gap is None:
            return None
        return self.bias_mean_gap <= BIAS_MEAN_GAP_LIMIT


@dataclass(frozen=True)
class FieldCorrections:
    field: str
    total: int
    current_version: int


@dataclass(frozen=True)
class CommonCorrection:
    field: str
    model_value: str
    corrected_value: str
    count: int


@dataclass(frozen=True)
class Corrections:
    total: int
    current_version: int
    by_field: tuple[FieldCorrections, ...]
    most_common: tuple[CommonCorrection, ...]
    items_corrected: int  # analysed items with at least one correction
    items_analysed: int

    @property
    def items_corrected_percent(self) -> float | None:
        if not self.items_analysed:
            return None
        return round(100 * self.items_corrected / self.items_analysed, 1)


@dataclass(frozen=True)
class ModelCard:
    model_version: str
    backend: str  # "model" or "lexicon"
    model_unavailable_reason: str  # "" when the model runs
    items_total: int
    items_analysed: int  # read and scored
    items_not_covered: int  # read, but in a language the models do not cover
    items_current_version: int  # read by the version in use now
    items_due: int
    measured: Measured
    corrections: Corrections
    intended_use: tuple[str, ...]
    not_intended_use: tuple[str, ...]
    full_cards: tuple[str, ...] = FULL_CARDS


def model_card_for_org(org: Organization) -> ModelCard:
    from heard_nlp.analyze import model_status

    available, reason = model_status()
    version = model_version()
    items = Item.objects.for_org(org).aggregate(
        total=Count("pk"),
        analysed=Count("pk", filter=Q(analysed_at__isnull=False, not_analysed_reason="")),
        not_covered=Count("pk", filter=Q(analysed_at__isnull=False) & ~Q(not_analysed_reason="")),
        current=Count("pk", filter=Q(analysed_at__isnull=False, model_version=version)),
    )
    intended, not_intended = intended_use()
    return ModelCard(
        model_version=version,
        backend="model" if available else "lexicon",
        model_unavailable_reason="" if available else (reason or "the model files are absent"),
        items_total=items["total"],
        items_analysed=items["analysed"],
        items_not_covered=items["not_covered"],
        items_current_version=items["current"],
        items_due=items_due(org).count(),
        measured=measured_figures(EVAL_JSON),
        corrections=corrections_summary(org, version=version, items_analysed=items["analysed"]),
        intended_use=intended,
        not_intended_use=not_intended,
    )


def corrections_summary(org: Organization, *, version: str, items_analysed: int) -> Corrections:
    corrections = LabelCorrection.objects.for_org(org)
    current = Q(model_version=version)
    by_field = tuple(
        FieldCorrections(row["field"], row["total"], row["current"])
        for row in corrections.values("field")
        .annotate(total=Count("pk"), current=Count("pk", filter=current))
        .order_by("-total", "field")
    )
    most_common = tuple(
        CommonCorrection(row["field"], row["model_value"], row["corrected_value"], row["count"])
        for row in corrections.values("field", "model_value", "corrected_value")
        .annotate(count=Count("pk"))
        .order_by("-count", "field", "model_value", "corrected_value")[:MOST_COMMON_CORRECTIONS]
    )
    items_corrected = (
        Item.objects.for_org(org)
        .filter(analysed_at__isnull=False, not_analysed_reason="")
        .filter(Exists(LabelCorrection.objects.filter(item=OuterRef("pk"))))
        .count()
    )
    return Corrections(
        total=sum(f.total for f in by_field),
        current_version=sum(f.current_version for f in by_field),
        by_field=by_field,
        most_common=most_common,
        items_corrected=items_corrected,
        items_analysed=items_analysed,
    )


def _value(entry: Any) -> Any:
    """eval.json stores {"value": ..., "unit": ...}; a bare value is read as well."""
    return entry.get("value") if isinstance(entry, dict) else entry


def _number(entry: Any) -> float | None:
    value = _value(entry)
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return float(value)


def _bias_gaps(entry: Any) -> tuple[BiasGap, ...]:
    """Per-dimension gaps, when the file holds them (heard_nlp.bias.Gap as dicts)."""
    rows = _value(entry)
    if not isinstance(rows, list):
        return ()
    gaps = []
    for row in rows:
        if not isinstance(row, dict):
            continue
        mean, largest = _number(row.get("mean")), _number(row.get("largest"))
        if mean is None or largest is None:
            continue
        gaps.append(
            BiasGap(str(row.get("dimension", "")), str(row.get("measure", "")), mean, largest)
        )
    return tuple(gaps)


def measured_figures(path: Path) -> Measured:
    """The figures in eval.json; nothing is made up when the file is absent or unreadable.

    Read as `make eval` writes them ({"key": {"value", "unit"}}). Two optional keys are shown
    when present: "measured_at" (a date) and "bias_gaps" (heard_nlp.bias.Gap rows: dimension,
    measure, mean, largest); `make eval` writes both, and an older file lacks them."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return Measured(problem=NOT_MEASURED)
    except (OSError, UnicodeDecodeError, ValueError):
        data = None
    if not isinstance(data, dict):
        return Measured(problem=f"{NOT_MEASURED}: {path.name} is unreadable")
    figures = tuple(
        Figure(
            name=measure.name,
            unit=measure.unit,
            value=_number(data.get(measure.key)),
            lexicon_value=_number(data.get(f"lexicon_{measure.key}")),
            goal=measure.goal,
        )
        for measure in MEASURES
    )
    measured_on = _value(data.get("measured_at"))
    return Measured(
        measured_on=measured_on if isinstance(measured_on, str) else "",
        figures=figures,
        lexicon_measured=any(f.lexicon_value is not None for f in figures),
        bias_mean_gap=_number(data.get("bias_mean_sentiment_gap")),
        bias_gaps=_bias_gaps(data.get("bias_gaps")),
    )


def intended_use() -> tuple[tuple[str, ...], tuple[str, ...]]:
    """heard_nlp's own "Intended use" and "Not intended use" lists, as plain sentences, so the
    app and the written cards say the same."""
    from heard_nlp.cards import INTENDED

    sections: dict[str, list[str]] = {}
    current: list[str] = []
    for line in INTENDED.splitlines():
        if line.startswith("## "):
            current = sections.setdefault(line[3:].strip().lower(), [])
        elif line.startswith("- "):
            current.append(line[2:].strip())
        elif line.strip() and current:
            current[-1] += " " + line.strip()
    plain = {
        name: tuple(re.sub(r"\*\*(.+?)\*\*", r"\1", text) for text in lines)
        for name, lines in sections.items()
    }
    return plain.get("intended use", ()), plain.get("not intended use", ())

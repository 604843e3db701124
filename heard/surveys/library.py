"""Heard's survey instrument library: validated question sets and survey templates.

The data lives next to this module as JSON (`instruments/<key>.json`, one file per instrument,
and `instruments/templates.json`), versioned with the code; `docs/instruments.md` says what
each instrument measures, where it comes from, its licence and how it is scored.

Plain Python, no Django import (a test checks), so the library can be read and scored anywhere.
Files are read and validated once per process; a broken file raises `LibraryError` naming the
file and the field.

Answer values, by question kind (`KIND_VALUES`):
- likert5: 1 (strongly disagree) .. 5 (strongly agree).
- scale10: 0 .. 10 (eNPS).
- who5: 0 (at no time) .. 5 (all of the time), the WHO-5's own item scores.
- cbi: 0 .. 4 in the order the Copenhagen Burnout Inventory lists its answers, 0 being
  "Always" / "To a very high degree" (scored 100) and 4 "Never / almost never" / "To a very
  low degree" (scored 0).
For who5 and cbi questions `TemplateQuestion.options` holds the answer labels: the label at
index i is the answer with value i. Question texts may contain `{organisation}`, which the
caller replaces with the organisation's name.

Languages: English is the source language, written in the instrument and template files.
Translations live in `instruments/translations/<language>.json`, keyed by stable references
(`"instrument.item"`, a template's key and its own questions' keys), and are validated against
the English library when first used: a key that refers to nothing, a wrong number of options or
a lost `{organisation}` is a `LibraryError` naming the file. A template is available in a
language only when every question it can ever ask (its whole rotation pool included) is
translated; `template_languages` says which, and `template_questions(..., language=...)` refuses
the others. Official or licensed instruments (WHO-5, CBI) are only translated from their
officially published versions, never by Heard.
"""

from __future__ import annotations

import dataclasses
import functools
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final, Literal

LIBRARY_DIR: Final = Path(__file__).resolve().parent / "instruments"
TEMPLATES_FILE: Final = "templates.json"
TRANSLATIONS: Final = "translations"  # the folder in LIBRARY_DIR holding <language>.json files
SOURCE_LANGUAGE: Final = "en"
SOURCE_LANGUAGE_NAME: Final = "English"
_LANGUAGE_CODE: Final = re.compile(r"[a-z]{2,3}(-[a-z0-9]{2,8})?")  # as Django writes them

KIND_VALUES: Final[Mapping[str, range]] = {
    "likert5": range(1, 6),
    "scale10": range(11),
    "who5": range(6),
    "cbi": range(5),
}
SCORED_KINDS: Final = frozenset(KIND_VALUES)
CHOICE_KINDS: Final = frozenset({"single", "multi"})
KINDS: Final = SCORED_KINDS | CHOICE_KINDS | {"text"}
LIKERT5_LABELS: Final = (
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
)
# How an instrument's dimensions are scored, and the answer kinds each method accepts.
SCORING_METHODS: Final[Mapping[str, frozenset[str]]] = {
    "mean": frozenset({"likert5", "scale10"}),
    "enps": frozenset({"scale10"}),
    "who5": frozenset({"who5"}),
    "cbi": frozenset({"cbi"}),
}
AUDIENCES: Final = frozenset({"everyone", "customer_facing"})
PLACEHOLDER: Final = "{organisation}"
CBI_MIN_ANSWERED: Final = 3  # the CBI authors' rule: fewer answers make a non-responder


class LibraryError(ValueError):
    """An instrument or template file is missing a field, or a field is wrong."""


@dataclass(frozen=True, slots=True)
class ResponseOption:
    value: int
    label: str


@dataclass(frozen=True, slots=True)
class Cutoff:
    """A published threshold on an instrument's score, e.g. WHO-5 at or below 50."""

    value: float
    direction: Literal["at_or_below", "at_or_above"]
    meaning: str

    def applies(self, score: float) -> bool:
        if self.direction == "at_or_below":
            return score <= self.value
        return score >= self.value


@dataclass(frozen=True, slots=True)
class Scoring:
    method: str  # one of SCORING_METHODS
    summary: str  # plain words, for admins
    minimum: float
    maximum: float
    higher_is_better: bool
    cutoffs: tuple[Cutoff, ...]


@dataclass(frozen=True, slots=True)
class Dimension:
    key: str  # unique across the whole library: results are grouped by it
    label: str
    description: str
    audience: str = "everyone"  # or "customer_facing": ask only people who work with customers


@dataclass(frozen=True, slots=True)
class Item:
    key: str
    text: str
    dimension: str
    reverse: bool
    responses: tuple[ResponseOption, ...]  # in value order
    response_set: str = ""  # the name of its responses in the instrument file


@dataclass(frozen=True, slots=True)
class Instrument:
    key: str
    version: int
    name: str
    description: str
    source: str
    licence: str
    licence_url: str | None
    scale: str  # the answer kind of every item: likert5, scale10, who5 or cbi
    instructions: str
    scoring: Scoring
    dimensions: tuple[Dimension, ...]
    items: tuple[Item, ...]

    def item(self, key: str) -> Item:
        for item in self.items:
            if item.key == key:
                return item
        raise KeyError(f"{self.key} has no item {key!r}")

    def dimension(self, key: str) -> Dimension:
        for dimension in self.dimensions:
            if dimension.key == key:
                return dimension
        raise KeyError(f"{self.key} has no dimension {key!r}")

    def items_in(self, dimension: str) -> tuple[Item, ...]:
        return tuple(item for item in self.items if item.dimension == dimension)


@dataclass(frozen=True, slots=True)
class TemplateQuestion:
    """One question of a template. From an instrument: `instrument` and `item` name it.
    Written for the template: `instrument` is None and `item` is its key in the template."""

    kind: str
    text: str
    instrument: str | None
    item: str | None
    dimension: str | None
    reverse: bool
    options: tuple[str, ...]
    required: bool

    @property
    def ref(self) -> str:
        """Its reference: "instrument.item" for an instrument's item, else the bare key."""
        return f"{self.instrument}.{self.item}" if self.instrument else str(self.item)


@dataclass(frozen=True, slots=True)
class Rotation:
    """Questions that take turns, `per_month` at a time.

    The rule: with C = len(pool) // per_month months in a cycle, month m asks pool[i] for every
    i with i % C == m % C. Consecutive months share no rotating question, and any C consecutive
    months ask every pool question exactly once. The pool is ordered so that each month's slice
    mixes instruments and dimensions."""

    per_month: int
    pool: tuple[TemplateQuestion, ...]

    @property
    def cycle_months(self) -> int:
        return len(self.pool) // self.per_month

    def for_month(self, month_index: int) -> tuple[TemplateQuestion, ...]:
        slot = month_index % self.cycle_months
        return tuple(q for i, q in enumerate(self.pool) if i % self.cycle_months == slot)


@dataclass(frozen=True, slots=True)
class Template:
    key: str
    version: int
    name: str
    description: str
    questions: tuple[TemplateQuestion, ...]  # the fixed questions, in order
    rotation: Rotation | None = None
    rotation_at: int = 0  # where in `questions` the month's rotating questions go

    def questions_for(self, month_index: int = 0) -> list[TemplateQuestion]:
        if self.rotation is None:
            return list(self.questions)
        at = self.rotation_at
        rotating = self.rotation.for_month(month_index)
        return [*self.questions[:at], *rotating, *self.questions[at:]]


# -- reading ----------------------------------------------------------------------------------


def instruments() -> dict[str, Instrument]:
    """Every instrument, by key."""
    return dict(_instruments())


def instrument(key: str) -> Instrument:
    try:
        return _instruments()[key]
    except KeyError:
        raise KeyError(f"no instrument {key!r}") from None


def templates() -> dict[str, Template]:
    """Every survey template, by key, in the order of templates.json."""
    return dict(_templates())


def template(key: str) -> Template:
    try:
        return _templates()[key]
    except KeyError:
        raise KeyError(f"no template {key!r}") from None


def template_questions(
    key: str, *, month_index: int = 0, language: str = SOURCE_LANGUAGE
) -> list[TemplateQuestion]:
    """A template's questions in order. `month_index` picks the rotating questions of a
    template that has them (any integer: the pulse's run number, or year * 12 + month).

    In another `language` the questions are the same (kind, instrument, item, dimension,
    reverse flag, required) with `text` and `options` translated. A `LibraryError` names what
    is missing when the template is not available in that language (see `template_languages`).
    """
    found = template(key)
    questions = found.questions_for(month_index)
    if language == SOURCE_LANGUAGE:
        return questions
    translation = _translation(language)
    missing = _missing(found, translation)
    if missing:
        shown = ", ".join(missing[:8])
        more = f" and {len(missing) - 8} more" if len(missing) > 8 else ""
        raise LibraryError(
            f"template {key!r} is not available in {language} ({translation.name}): "
            f"{translation.file} has no translation for {shown}{more}"
        )
    own = translation.templates[key].questions
    return [_translate(question, translation, own) for question in questions]


def languages() -> dict[str, str]:
    """Every language some template may be asked in, by code: English first, then one per
    translation file, in code order."""
    return {
        SOURCE_LANGUAGE: SOURCE_LANGUAGE_NAME,
        **{code: t.name for code, t in _translations().items()},
    }


def template_languages(key: str) -> tuple[str, ...]:
    """The languages a template can be asked in, English first: those that translate every
    question it can ever ask (for a rotating template, its whole pool) and its name."""
    found = template(key)
    return (
        SOURCE_LANGUAGE,
        *(code for code, t in _translations().items() if not _missing(found, t)),
    )


def template_name(key: str, language: str = SOURCE_LANGUAGE) -> str:
    """A template's name in a language (a `LibraryError` if that language has none)."""
    return _template_text(key, language).name


def template_description(key: str, language: str = SOURCE_LANGUAGE) -> str:
    """A template's description in a language (a `LibraryError` if that language has none)."""
    return _template_text(key, language).description


def pulse_questions(month_index: int, *, language: str = SOURCE_LANGUAGE) -> list[TemplateQuestion]:
    """The monthly pulse's questions for one month (see `Rotation` for the rule)."""
    return template_questions("monthly_pulse", month_index=month_index, language=language)


# -- scoring ----------------------------------------------------------------------------------


def _check_value(kind: str, value: int) -> None:
    if kind not in KIND_VALUES:
        raise ValueError(f"{kind!r} questions are not scored")
    if isinstance(value, bool) or value not in KIND_VALUES[kind]:
        allowed = KIND_VALUES[kind]
        raise ValueError(f"{value!r} is not a {kind} answer ({allowed.start}..{allowed.stop - 1})")


def score_item(kind: str, value: int, reverse: bool) -> float:
    """One answer on its instrument's scoring scale, reverse-scored items flipped.

    likert5: 1..5 (reversed: 6 - value). scale10: 0..10 (reversed: 10 - value).
    who5: 20 points a step, 0..100 (so a mean of items equals the WHO-5 percentage score).
    cbi: 100, 75, 50, 25, 0 for answers 0..4 (reversed: 0, 25, 50, 75, 100); higher is worse."""
    _check_value(kind, value)
    if kind == "likert5":
        return float(6 - value if reverse else value)
    if kind == "scale10":
        return float(10 - value if reverse else value)
    if kind == "who5":
        return float((5 - value if reverse else value) * 20)
    return float((value if reverse else 4 - value) * 25)


def favourable(kind: str, value: int, reverse: bool) -> bool:
    """Whether an answer counts as favourable, after reverse-scoring.

    likert5: agree or strongly agree (4 or 5). scale10: a promoter (9 or 10).
    who5: more than half of the time or more often (3..5).
    cbi: little or no burnout (scores 25 or 0: seldom, never, to a low or very low degree)."""
    score = score_item(kind, value, reverse)
    if kind == "likert5":
        return score >= 4
    if kind == "scale10":
        return score >= 9
    if kind == "who5":
        return score >= 60
    return score <= 25


PROMOTER_MIN = 9  # eNPS: 9 and 10 are promoters
DETRACTOR_MAX = 6  # 0 to 6 are detractors; 7 and 8 passives


def enps(values: Iterable[int]) -> float | None:
    """Employee Net Promoter Score: % promoters (9-10) - % detractors (0-6), -100..100.
    None when nobody answered."""
    answers = list(values)
    for value in answers:
        _check_value("scale10", value)
    promoters = sum(1 for v in answers if v >= PROMOTER_MIN)
    detractors = sum(1 for v in answers if v <= DETRACTOR_MAX)
    return enps_from_counts(promoters, len(answers) - promoters - detractors, detractors)


def enps_from_counts(promoters: int, passives: int, detractors: int) -> float | None:
    """eNPS from how many answered in each band (for groups summed without their answers)."""
    answered = promoters + passives + detractors
    if not answered:
        return None
    return 100 * (promoters - detractors) / answered


def who5_score(values: Iterable[int]) -> float:
    """WHO-5 percentage score: the sum of the five answers (0..5 each) times 4, 0..100.
    The WHO-5 is only scored complete: anything but five answers is a ValueError."""
    answers = list(values)
    if len(answers) != 5:
        raise ValueError(f"the WHO-5 needs all five answers, not {len(answers)}")
    for value in answers:
        _check_value("who5", value)
    return float(sum(answers) * 4)


def cbi_score(values: Iterable[int], *, reverse: Sequence[bool] = ()) -> float:
    """A Copenhagen Burnout Inventory sub-scale score: the mean of its answered items scored
    100/75/50/25/0, 0..100, higher is more burnout. `values` are the answered items' answers
    (0..4, see the module notes); `reverse` gives each one's reverse flag (empty: none reversed).
    Fewer than three answers is a ValueError: the authors count that person as a non-responder.
    """
    answers = list(values)
    flags = list(reverse) or [False] * len(answers)
    if len(flags) != len(answers):
        raise ValueError("give one reverse flag per answer")
    if len(answers) < CBI_MIN_ANSWERED:
        raise ValueError(f"a CBI sub-scale needs at least {CBI_MIN_ANSWERED} answers")
    scores = [score_item("cbi", v, r) for v, r in zip(answers, flags, strict=True)]
    return sum(scores) / len(scores)


def dimension_scores(
    instrument_key: str, answers: Mapping[str, int | None]
) -> dict[str, float | None]:
    """One person's score on each of an instrument's dimensions, from their answers by item key
    (a missing key or None: not answered). None where the instrument's rule gives no score.

    mean: the mean of the answered items' `score_item` (None if none answered).
    enps: the 0..10 answer itself (eNPS is a group figure: pass everyone's answers to `enps`).
    who5: `who5_score`, only when all five items are answered.
    cbi: `cbi_score`, only when at least three of the sub-scale's items are answered."""
    found = instrument(instrument_key)
    method = found.scoring.method
    scores: dict[str, float | None] = {}
    for dimension in found.dimensions:
        answered = [
            (item, value)
            for item in found.items_in(dimension.key)
            if (value := answers.get(item.key)) is not None
        ]
        total = len(found.items_in(dimension.key))
        if method == "who5":
            complete = len(answered) == total
            scores[dimension.key] = who5_score(v for _, v in answered) if complete else None
        elif method == "cbi":
            enough = len(answered) >= CBI_MIN_ANSWERED
            scores[dimension.key] = (
                cbi_score([v for _, v in answered], reverse=[i.reverse for i, _ in answered])
                if enough
                else None
            )
        elif answered:
            item_scores = [score_item(found.scale, v, i.reverse) for i, v in answered]
            scores[dimension.key] = sum(item_scores) / len(item_scores)
        else:
            scores[dimension.key] = None
    return scores


# -- loading and validation ---------------------------------------------------------------------


class _Fields:
    """Typed access to one JSON object, with errors that say where the bad field is."""

    def __init__(self, data: object, where: str) -> None:
        if not isinstance(data, dict):
            raise LibraryError(f"{where}: expected an object")
        self.data: dict[str, Any] = data
        self.where = where

    def _get(self, name: str) -> Any:
        if name not in self.data:
            raise LibraryError(f"{self.where}: missing {name!r}")
        return self.data[name]

    def has(self, name: str) -> bool:
        return name in self.data

    def text(self, name: str, *, allow_empty: bool = False) -> str:
        value = self._get(name)
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            raise LibraryError(f"{self.where}: {name!r} must be a non-empty string")
        return value

    def optional_text(self, name: str) -> str | None:
        return self.text(name) if self.data.get(name) is not None else None

    def integer(self, name: str) -> int:
        value = self._get(name)
        if isinstance(value, bool) or not isinstance(value, int):
            raise LibraryError(f"{self.where}: {name!r} must be an integer")
        return value

    def number(self, name: str) -> float:
        value = self._get(name)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise LibraryError(f"{self.where}: {name!r} must be a number")
        return float(value)

    def flag(self, name: str, default: bool | None = None) -> bool:
        if default is not None and name not in self.data:
            return default
        value = self._get(name)
        if not isinstance(value, bool):
            raise LibraryError(f"{self.where}: {name!r} must be true or false")
        return value

    def array(self, name: str) -> list[Any]:
        value = self._get(name)
        if not isinstance(value, list):
            raise LibraryError(f"{self.where}: {name!r} must be a list")
        return value

    def mapping(self, name: str) -> dict[str, Any]:
        value = self._get(name)
        if not isinstance(value, dict) or not value:
            raise LibraryError(f"{self.where}: {name!r} must be a non-empty object")
        return value


def _read_json(path: Path) -> object:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as error:
        raise LibraryError(f"{path.name}: {error}") from error


def _check_text(text: str, where: str) -> str:
    """Question text: `{organisation}` is the only placeholder a caller fills in."""
    if "{" in text.replace(PLACEHOLDER, "") or "}" in text.replace(PLACEHOLDER, ""):
        raise LibraryError(f"{where}: the only placeholder allowed is {PLACEHOLDER}")
    return text


def _check_key(key: str, where: str) -> str:
    if not key.replace("_", "").isalnum() or not key.isascii() or key != key.lower():
        raise LibraryError(f"{where}: key {key!r} must be lower-case letters, digits and _")
    return key


def _parse_responses(fields: _Fields, scale: str) -> dict[str, tuple[ResponseOption, ...]]:
    sets: dict[str, tuple[ResponseOption, ...]] = {}
    for name, raw in fields.mapping("responses").items():
        where = f"{fields.where} responses.{name}"
        if not isinstance(raw, list):
            raise LibraryError(f"{where}: must be a list")
        options = tuple(
            ResponseOption(value=f.integer("value"), label=f.text("label"))
            for f in (_Fields(entry, where) for entry in raw)
        )
        if [o.value for o in options] != list(KIND_VALUES[scale]):
            raise LibraryError(f"{where}: values must be {list(KIND_VALUES[scale])} in order")
        sets[name] = options
    return sets


def _parse_scoring(fields: _Fields, scale: str) -> Scoring:
    scoring = _Fields(fields.mapping("scoring"), f"{fields.where} scoring")
    method = scoring.text("method")
    if scale not in SCORING_METHODS.get(method, frozenset()):
        raise LibraryError(f"{scoring.where}: method {method!r} cannot score {scale} answers")
    cutoffs = []
    for raw in scoring.array("cutoffs"):
        cutoff = _Fields(raw, f"{scoring.where} cutoffs")
        direction = cutoff.text("direction")
        if direction not in ("at_or_below", "at_or_above"):
            raise LibraryError(f"{cutoff.where}: direction must be at_or_below or at_or_above")
        cutoffs.append(
            Cutoff(
                value=cutoff.number("value"),
                direction="at_or_below" if direction == "at_or_below" else "at_or_above",
                meaning=cutoff.text("meaning"),
            )
        )
    return Scoring(
        method=method,
        summary=scoring.text("summary"),
        minimum=scoring.number("minimum"),
        maximum=scoring.number("maximum"),
        higher_is_better=scoring.flag("higher_is_better"),
        cutoffs=tuple(cutoffs),
    )


def _parse_instrument(path: Path) -> Instrument:
    fields = _Fields(_read_json(path), path.name)
    key = _check_key(fields.text("key"), path.name)
    if key != path.stem:
        raise LibraryError(f"{path.name}: key {key!r} must match the file name")
    version = fields.integer("version")
    if version < 1:
        raise LibraryError(f"{path.name}: version must be 1 or more")
    scale = fields.text("scale")
    if scale not in KIND_VALUES:
        raise LibraryError(f"{path.name}: scale must be one of {sorted(KIND_VALUES)}")
    responses = _parse_responses(fields, scale)

    dimensions: list[Dimension] = []
    for raw in fields.array("dimensions"):
        f = _Fields(raw, f"{path.name} dimensions")
        audience = f.text("audience") if f.has("audience") else "everyone"
        if audience not in AUDIENCES:
            raise LibraryError(f"{f.where}: audience must be one of {sorted(AUDIENCES)}")
        dimensions.append(
            Dimension(
                key=_check_key(f.text("key"), f.where),
                label=f.text("label"),
                description=f.text("description"),
                audience=audience,
            )
        )
    dimension_keys = [d.key for d in dimensions]
    if not dimensions or len(set(dimension_keys)) != len(dimension_keys):
        raise LibraryError(f"{path.name}: dimensions must be listed, each key once")

    items: list[Item] = []
    for raw in fields.array("items"):
        f = _Fields(raw, f"{path.name} items")
        item_key = _check_key(f.text("key"), f.where)
        where = f"{path.name} item {item_key}"
        dimension = f.text("dimension")
        if dimension not in dimension_keys:
            raise LibraryError(f"{where}: unknown dimension {dimension!r}")
        if f.has("responses"):
            response_set = f.text("responses")
        elif len(responses) == 1:
            [response_set] = responses
        else:
            raise LibraryError(f"{where}: say which responses it uses")
        if response_set not in responses:
            raise LibraryError(f"{where}: unknown responses {response_set!r}")
        items.append(
            Item(
                key=item_key,
                text=_check_text(f.text("text"), where),
                dimension=dimension,
                reverse=f.flag("reverse"),
                responses=responses[response_set],
                response_set=response_set,
            )
        )
    item_keys = [i.key for i in items]
    if not items or len(set(item_keys)) != len(item_keys):
        raise LibraryError(f"{path.name}: items must be listed, each key once")
    for dimension_key in dimension_keys:
        if dimension_key not in {i.dimension for i in items}:
            raise LibraryError(f"{path.name}: dimension {dimension_key!r} has no items")

    return Instrument(
        key=key,
        version=version,
        name=fields.text("name"),
        description=fields.text("description"),
        source=fields.text("source"),
        licence=fields.text("licence"),
        licence_url=fields.optional_text("licence_url"),
        scale=scale,
        instructions=fields.text("instructions", allow_empty=True),
        scoring=_parse_scoring(fields, scale),
        dimensions=tuple(dimensions),
        items=tuple(items),
    )


@functools.cache
def _instruments() -> dict[str, Instrument]:
    found: dict[str, Instrument] = {}
    owner_of_dimension: dict[str, str] = {}
    for path in sorted(LIBRARY_DIR.glob("*.json")):
        if path.name == TEMPLATES_FILE:
            continue
        parsed = _parse_instrument(path)
        for dimension in parsed.dimensions:
            # Survey results are grouped by dimension key across instruments.
            other = owner_of_dimension.setdefault(dimension.key, parsed.key)
            if other != parsed.key:
                raise LibraryError(
                    f"dimension {dimension.key!r} is in both {other} and {parsed.key}"
                )
        found[parsed.key] = parsed
    if not found:
        raise LibraryError(f"no instruments in {LIBRARY_DIR}")
    return found


def _question_from_item(found: Instrument, item: Item, required: bool) -> TemplateQuestion:
    labels = tuple(o.label for o in item.responses) if found.scale in ("who5", "cbi") else ()
    return TemplateQuestion(
        kind=found.scale,
        text=item.text,
        instrument=found.key,
        item=item.key,
        dimension=item.dimension,
        reverse=item.reverse,
        options=labels,
        required=required,
    )


def _resolve(ref: str, required: bool, where: str) -> list[TemplateQuestion]:
    """Questions for a reference: "who5.*" (every item), "cbi.burnout_work.*" (a dimension's
    items) or "who5.calm" (one item)."""
    library = _instruments()
    parts = ref.split(".")
    if len(parts) not in (2, 3) or parts[0] not in library:
        raise LibraryError(f"{where}: unknown reference {ref!r}")
    found = library[parts[0]]
    if len(parts) == 2 and parts[1] == "*":
        items = found.items
    elif len(parts) == 3 and parts[2] == "*":
        items = found.items_in(parts[1])
    elif len(parts) == 2:
        items = tuple(i for i in found.items if i.key == parts[1])
    else:
        items = ()
    if not items:
        raise LibraryError(f"{where}: reference {ref!r} matches no item")
    return [_question_from_item(found, item, required) for item in items]


def _parse_question(raw: object, where: str) -> list[TemplateQuestion]:
    f = _Fields(raw, where)
    if f.has("ref"):
        return _resolve(f.text("ref"), f.flag("required", default=True), where)
    key = _check_key(f.text("key"), where)
    where = f"{where} {key}"
    kind = f.text("kind")
    if kind not in KINDS:
        raise LibraryError(f"{where}: kind must be one of {sorted(KINDS)}")
    options: tuple[str, ...] = ()
    if kind in CHOICE_KINDS:
        options = tuple(f.array("options"))
        if len(options) < 2 or not all(isinstance(o, str) and o.strip() for o in options):
            raise LibraryError(f"{where}: a choice question needs two or more text options")
        if len(set(options)) != len(options):
            raise LibraryError(f"{where}: options must differ")
    elif f.has("options"):
        raise LibraryError(f"{where}: only single and multi questions have options")
    return [
        TemplateQuestion(
            kind=kind,
            text=_check_text(f.text("text"), where),
            instrument=None,
            item=key,
            dimension=None,
            reverse=False,
            options=options,
            required=f.flag("required", default=kind != "text"),
        )
    ]


def _parse_template(raw: object) -> Template:
    f = _Fields(raw, TEMPLATES_FILE)
    key = _check_key(f.text("key"), f.where)
    where = f"{TEMPLATES_FILE} {key}"
    f.where = where
    version = f.integer("version")
    if version < 1:
        raise LibraryError(f"{where}: version must be 1 or more")
    questions: list[TemplateQuestion] = []
    rotation_at: int | None = None
    for entry in f.array("questions"):
        if isinstance(entry, dict) and entry.get("rotation") is True:
            if rotation_at is not None:
                raise LibraryError(f"{where}: only one rotation slot")
            rotation_at = len(questions)
            continue
        questions.extend(_parse_question(entry, where))

    rotation = None
    if f.has("rotation"):
        spec = _Fields(f.mapping("rotation"), f"{where} rotation")
        per_month = spec.integer("per_month")
        refs = spec.array("pool")
        if not all(isinstance(ref, str) and "*" not in ref for ref in refs):
            raise LibraryError(f"{spec.where}: name pool items one by one")
        pool = [q for ref in refs for q in _resolve(ref, True, spec.where)]
        if per_month < 1 or not pool or len(pool) % per_month:
            raise LibraryError(f"{spec.where}: the pool must split into months of per_month")
        if rotation_at is None:
            raise LibraryError(f'{where}: a rotation needs a {{"rotation": true}} slot')
        rotation = Rotation(per_month=per_month, pool=tuple(pool))
    elif rotation_at is not None:
        raise LibraryError(f"{where}: a rotation slot but no rotation")

    refs = [q.ref for q in [*questions, *(rotation.pool if rotation else ())]]
    repeated = sorted({r for r in refs if refs.count(r) > 1})
    if repeated:
        raise LibraryError(f"{where}: asked more than once: {', '.join(repeated)}")
    if not questions:
        raise LibraryError(f"{where}: no questions")
    return Template(
        key=key,
        version=version,
        name=f.text("name"),
        description=f.text("description"),
        questions=tuple(questions),
        rotation=rotation,
        rotation_at=rotation_at or 0,
    )


@functools.cache
def _templates() -> dict[str, Template]:
    data = _Fields(_read_json(LIBRARY_DIR / TEMPLATES_FILE), TEMPLATES_FILE)
    found: dict[str, Template] = {}
    for raw in data.array("templates"):
        parsed = _parse_template(raw)
        if parsed.key in found:
            raise LibraryError(f"{TEMPLATES_FILE}: template {parsed.key!r} is listed twice")
        found[parsed.key] = parsed
    return found


# -- translations -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _QuestionText:
    text: str
    options: tuple[str, ...]  # () unless the English question has options


@dataclass(frozen=True, slots=True)
class _TemplateText:
    name: str
    description: str
    questions: Mapping[str, _QuestionText]  # by the template's own question key


@dataclass(frozen=True, slots=True)
class _Translation:
    language: str
    name: str
    file: str  # "translations/fr.json", for messages
    items: Mapping[str, str]  # by "instrument.item"
    responses: Mapping[str, Mapping[str, tuple[str, ...]]]  # instrument, response set: labels
    templates: Mapping[str, _TemplateText]


_TRANSLATION_FIELDS: Final = frozenset(
    {"language", "name", "notes", "items", "responses", "templates"}
)


def _translations_dir() -> Path:
    return LIBRARY_DIR / TRANSLATIONS


def _optional_object(fields: _Fields, name: str) -> dict[str, Any]:
    value = fields.data.get(name, {})
    if not isinstance(value, dict):
        raise LibraryError(f"{fields.where}: {name!r} must be an object")
    return value


def _only(fields: _Fields, allowed: Iterable[str]) -> None:
    unknown = sorted(set(fields.data) - set(allowed))
    if unknown:
        raise LibraryError(f"{fields.where}: unknown field {unknown[0]!r}")


def _translated_text(value: object, english: str, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise LibraryError(f"{where}: must be a non-empty string")
    _check_text(value, where)
    if value.count(PLACEHOLDER) != english.count(PLACEHOLDER):
        raise LibraryError(
            f"{where}: must keep {PLACEHOLDER} as the English does "
            f"({english.count(PLACEHOLDER)} time(s))"
        )
    return value


def _translated_labels(value: object, english: Sequence[str], where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
        raise LibraryError(f"{where}: must be a list of non-empty strings")
    if len(value) != len(english):
        raise LibraryError(
            f"{where}: has {len(value)} options, the English has {len(english)} "
            "(keep the same options in the same order)"
        )
    if len(set(value)) != len(value):
        raise LibraryError(f"{where}: options must differ")
    return tuple(value)


def _parse_items(fields: _Fields) -> dict[str, str]:
    items: dict[str, str] = {}
    library = _instruments()
    for ref, text in _optional_object(fields, "items").items():
        where = f"{fields.where} items.{ref}"
        instrument_key, _, item_key = ref.partition(".")
        found = library.get(instrument_key)
        english = next((i for i in found.items if i.key == item_key), None) if found else None
        if english is None:
            raise LibraryError(f"{where}: no such item in the library (a stale key?)")
        items[ref] = _translated_text(text, english.text, where)
    return items


def _parse_translated_responses(fields: _Fields) -> dict[str, dict[str, tuple[str, ...]]]:
    responses: dict[str, dict[str, tuple[str, ...]]] = {}
    library = _instruments()
    for instrument_key, sets in _optional_object(fields, "responses").items():
        where = f"{fields.where} responses.{instrument_key}"
        if instrument_key not in library:
            raise LibraryError(f"{where}: no such instrument (a stale key?)")
        if not isinstance(sets, dict):
            raise LibraryError(f"{where}: must be an object of response sets")
        english_sets = {i.response_set: i.responses for i in library[instrument_key].items}
        translated: dict[str, tuple[str, ...]] = {}
        for set_name, labels in sets.items():
            if set_name not in english_sets:
                raise LibraryError(f"{where}.{set_name}: no such response set (a stale key?)")
            english = [o.label for o in english_sets[set_name]]
            translated[set_name] = _translated_labels(labels, english, f"{where}.{set_name}")
        responses[instrument_key] = translated
    return responses


def _parse_translated_template(raw: object, found: Template, where: str) -> _TemplateText:
    f = _Fields(raw, where)
    _only(f, ("name", "description", "questions"))
    own = {q.item: q for q in found.questions if q.instrument is None}
    questions: dict[str, _QuestionText] = {}
    for key, entry in _optional_object(f, "questions").items():
        q_where = f"{where} questions.{key}"
        english = own.get(key)
        if english is None:
            raise LibraryError(f"{q_where}: the template has no own question {key!r} (stale?)")
        q = _Fields(entry, q_where)
        _only(q, ("text", "options"))
        options: tuple[str, ...] = ()
        if english.options:
            options = _translated_labels(q.array("options"), english.options, f"{q_where} options")
        elif q.has("options"):
            raise LibraryError(f"{q_where}: the English question has no options")
        questions[key] = _QuestionText(
            text=_translated_text(q.data.get("text"), english.text, f"{q_where} text"),
            options=options,
        )
    return _TemplateText(
        name=f.text("name"), description=f.text("description"), questions=questions
    )


def _parse_translation(path: Path) -> _Translation:
    file = f"{TRANSLATIONS}/{path.name}"
    fields = _Fields(_read_json(path), file)
    _only(fields, _TRANSLATION_FIELDS)
    language = fields.text("language")
    if language != path.stem:
        raise LibraryError(f"{file}: language {language!r} must match the file name")
    if not _LANGUAGE_CODE.fullmatch(language) or language == SOURCE_LANGUAGE:
        raise LibraryError(
            f"{file}: language must be a lower-case code such as fr or pt-br, not "
            f"{SOURCE_LANGUAGE} (English is written in the instrument files)"
        )
    if fields.has("notes"):
        fields.text("notes")
    library = _templates()
    templates: dict[str, _TemplateText] = {}
    for key, raw in _optional_object(fields, "templates").items():
        if key not in library:
            raise LibraryError(f"{file} templates.{key}: no such template (a stale key?)")
        templates[key] = _parse_translated_template(raw, library[key], f"{file} templates.{key}")
    return _Translation(
        language=language,
        name=fields.text("name"),
        file=file,
        items=_parse_items(fields),
        responses=_parse_translated_responses(fields),
        templates=templates,
    )


@functools.cache
def _translations() -> dict[str, _Translation]:
    """Every translation file, by language code, in code order, validated."""
    folder = _translations_dir()
    if not folder.is_dir():
        return {}
    parsed = [_parse_translation(path) for path in sorted(folder.glob("*.json"))]
    return {t.language: t for t in parsed}


def _translation(language: str) -> _Translation:
    found = _translations().get(language)
    if found is None:
        known = ", ".join(languages())
        raise LibraryError(f"no translation for language {language!r} (known: {known})")
    return found


def _template_text(key: str, language: str) -> _TemplateText:
    found = template(key)
    if language == SOURCE_LANGUAGE:
        return _TemplateText(name=found.name, description=found.description, questions={})
    translation = _translation(language)
    text = translation.templates.get(key)
    if text is None:
        raise LibraryError(f"{translation.file}: template {key!r} has no name in {language}")
    return text


def _missing(found: Template, translation: _Translation) -> list[str]:
    """What a translation lacks for a template, as references; empty when it has it all."""
    missing: list[str] = []
    text = translation.templates.get(found.key)
    if text is None:
        missing.append(f"templates.{found.key} (name and description)")
    own = text.questions if text else {}
    for question in [*found.questions, *(found.rotation.pool if found.rotation else ())]:
        if question.instrument is None:
            if question.item not in own:
                missing.append(f"templates.{found.key} questions.{question.item}")
            continue
        if question.ref not in translation.items:
            missing.append(question.ref)
        if question.options:  # who5 and cbi answer labels
            response_set = instrument(question.instrument).item(str(question.item)).response_set
            if response_set not in translation.responses.get(question.instrument, {}):
                missing.append(f"responses.{question.instrument}.{response_set}")
    return list(dict.fromkeys(missing))


def _translate(
    question: TemplateQuestion, translation: _Translation, own: Mapping[str, _QuestionText]
) -> TemplateQuestion:
    if question.instrument is None:
        text = own[str(question.item)]
        return dataclasses.replace(question, text=text.text, options=text.options)
    options = question.options
    if options:
        item = instrument(question.instrument).item(str(question.item))
        options = translation.responses[question.instrument][item.response_set]
    return dataclasses.replace(question, text=translation.items[question.ref], options=options)


def _language_names(folder: Path) -> dict[str, str]:
    """English, then each translation file's language and name (read, not yet validated)."""
    names = {SOURCE_LANGUAGE: SOURCE_LANGUAGE_NAME}
    if folder.is_dir():
        for path in sorted(folder.glob("*.json")):
            names[path.stem] = _Fields(_read_json(path), f"{TRANSLATIONS}/{path.name}").text("name")
    return names


# Every language, by code: English first, then one per translation file. Read once, when the
# module is imported; `languages()` reads the files again (tests that swap LIBRARY_DIR use it).
LANGUAGES: Final[dict[str, str]] = _language_names(_translations_dir())

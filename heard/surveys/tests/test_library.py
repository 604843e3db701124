"""The instrument library: its data files, scoring and the monthly pulse rotation."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from heard.surveys import library
from heard.surveys.library import LibraryError

ROOT = Path(__file__).resolve().parents[3]
INSTRUMENT_KEYS = {
    "empathy",
    "psych_safety",
    "fairness",
    "leadership_empathy",
    "change_readiness",
    "enps",
    "who5",
    "cbi",
}
TEMPLATE_KEYS = {
    "empathy_audit",
    "monthly_pulse",
    "onboarding_30",
    "onboarding_90",
    "exit",
    "tech_change_pulse",
}


def all_questions(template_key: str) -> list[library.TemplateQuestion]:
    """Every question a template can ask, its whole rotation pool included."""
    found = library.template(template_key)
    return [*found.questions, *(found.rotation.pool if found.rotation else ())]


# -- the data files -----------------------------------------------------------------------------


def test_it_loads_one_instrument_per_file() -> None:
    files = {p.stem for p in library.LIBRARY_DIR.glob("*.json")} - {"templates"}
    assert set(library.instruments()) == files == INSTRUMENT_KEYS
    assert set(library.templates()) == TEMPLATE_KEYS


def test_it_gives_every_instrument_a_source_licence_and_scoring() -> None:
    for found in library.instruments().values():
        assert found.version >= 1
        assert found.source.strip() and found.licence.strip(), found.key
        assert found.scoring.summary.strip()
        assert found.scoring.minimum < found.scoring.maximum
        for dimension in found.dimensions:
            assert dimension.label.strip() and dimension.description.strip()


def test_it_keeps_keys_unique() -> None:
    dimensions: list[str] = []
    for found in library.instruments().values():
        keys = [item.key for item in found.items]
        assert len(keys) == len(set(keys)), found.key
        dimensions += [d.key for d in found.dimensions]
    assert len(dimensions) == len(set(dimensions)), "results are grouped by dimension key"


@pytest.mark.parametrize(
    ("key", "scale", "per_dimension", "reversed_per_dimension"),
    [
        (
            "empathy",
            "likert5",
            {"heard": 4, "supported": 4, "recognised": 4, "respected": 4},
            {"heard": 1, "supported": 1, "recognised": 1, "respected": 1},
        ),
        ("psych_safety", "likert5", {"psych_safety": 5}, {"psych_safety": 2}),
        (
            "fairness",
            "likert5",
            {"distributive": 3, "procedural": 3, "interpersonal": 3, "informational": 3},
            {"distributive": 0, "procedural": 0, "interpersonal": 0, "informational": 0},
        ),
        ("leadership_empathy", "likert5", {"leadership_empathy": 4}, {"leadership_empathy": 0}),
        ("enps", "scale10", {"enps": 1}, {"enps": 0}),
        ("who5", "who5", {"wellbeing": 5}, {"wellbeing": 0}),
        (
            "cbi",
            "cbi",
            {"burnout_personal": 6, "burnout_work": 7, "burnout_client": 6},
            {"burnout_personal": 0, "burnout_work": 1, "burnout_client": 0},
        ),
    ],
)
def test_it_has_the_documented_items_and_reverse_flags(
    key: str, scale: str, per_dimension: dict[str, int], reversed_per_dimension: dict[str, int]
) -> None:
    found = library.instrument(key)
    assert found.scale == scale
    assert {d.key: len(found.items_in(d.key)) for d in found.dimensions} == per_dimension
    assert {
        d.key: sum(i.reverse for i in found.items_in(d.key)) for d in found.dimensions
    } == reversed_per_dimension


def test_it_reverses_one_or_two_change_readiness_items() -> None:
    found = library.instrument("change_readiness")
    assert len(found.items) == 5
    assert 1 <= sum(item.reverse for item in found.items) <= 2


def test_it_ships_the_official_who5_wording_and_scale() -> None:
    found = library.instrument("who5")
    assert [item.text for item in found.items] == [
        "I have felt cheerful and in good spirits",
        "I have felt calm and relaxed",
        "I have felt active and vigorous",
        "I woke up feeling fresh and rested",
        "My daily life has been filled with things that interest me",
    ]
    assert [o.label for o in found.items[0].responses] == [
        "At no time",
        "Some of the time",
        "Less than half of the time",
        "More than half of the time",
        "Most of the time",
        "All of the time",
    ]
    assert "free" in found.licence.lower()


def test_it_reverses_only_the_cbi_leisure_energy_item() -> None:
    found = library.instrument("cbi")
    [reversed_item] = [item for item in found.items if item.reverse]
    assert reversed_item.text == (
        "Do you have enough energy for family and friends during leisure time?"
    )
    assert reversed_item.dimension == "burnout_work"
    assert found.dimension("burnout_client").audience == "customer_facing"
    assert all("customers / clients" in i.text for i in found.items_in("burnout_client"))
    assert "public domain" in found.licence.lower()


def test_it_labels_answers_in_value_order() -> None:
    for found in library.instruments().values():
        for item in found.items:
            values = [o.value for o in item.responses]
            assert values == list(library.KIND_VALUES[found.scale]), item.key
            if found.scale == "likert5":
                assert tuple(o.label for o in item.responses) == library.LIKERT5_LABELS
    cbi = library.instrument("cbi")
    assert cbi.item("personal_tired").responses[0].label == "Always"
    assert cbi.item("work_burnt_out").responses[0].label == "To a very high degree"


def test_it_uses_only_the_organisation_placeholder() -> None:
    texts = [item.text for found in library.instruments().values() for item in found.items]
    texts += [q.text for key in library.templates() for q in all_questions(key)]
    for text in texts:
        assert "{" not in text.replace("{organisation}", ""), text
    assert library.instrument("enps").items[0].text == (
        "How likely are you to recommend {organisation} as a place to work?"
    )


# -- templates ----------------------------------------------------------------------------------


def test_it_resolves_every_template_reference() -> None:
    for key in library.templates():
        questions = all_questions(key)
        assert len({q.ref for q in questions}) == len(questions), key
        for question in questions:
            assert question.kind in library.KINDS
            if question.instrument is None:
                assert question.item and question.dimension is None and not question.reverse
                continue
            found = library.instrument(question.instrument)
            item = found.item(str(question.item))
            assert question.kind == found.scale
            assert (question.text, question.dimension, question.reverse) == (
                item.text,
                item.dimension,
                item.reverse,
            )


def test_it_asks_every_instrument_item_in_the_full_audit() -> None:
    questions = library.template_questions("empathy_audit")
    every_item = {
        f"{found.key}.{item.key}"
        for found in library.instruments().values()
        for item in found.items
    }
    assert {q.ref for q in questions if q.instrument} == every_item
    assert [q.text for q in questions if q.kind == "text"] == [
        "What is one thing that would make you feel more heard here?",
        "Anything else you want leadership to know?",
    ]
    client = [q for q in questions if q.dimension == "burnout_client"]
    assert client and not any(q.required for q in client)


def test_it_gives_choice_questions_their_options() -> None:
    for key in library.templates():
        for question in all_questions(key):
            if question.kind in ("single", "multi"):
                assert len(question.options) >= 2
            elif question.kind in ("who5", "cbi"):
                assert len(question.options) == len(library.KIND_VALUES[question.kind])
            else:
                assert question.options == ()


def test_it_makes_open_text_optional_by_default() -> None:
    for key in library.templates():
        for question in all_questions(key):
            if question.kind == "text":
                assert not question.required, (key, question.ref)
    assert not any(q.required for q in library.template_questions("exit"))


def test_it_asks_the_change_readiness_items_in_the_tech_change_pulse() -> None:
    questions = library.template_questions("tech_change_pulse")
    refs = {q.ref for q in questions}
    assert {
        f"change_readiness.{i.key}" for i in library.instrument("change_readiness").items
    } <= refs
    assert any(q.kind == "text" for q in questions)


def test_it_agrees_with_the_survey_models() -> None:
    """Template questions are copied into Question rows: kinds and key lengths must fit."""
    from django.db.models import Model

    from heard.surveys.models import Kind, Question, Survey

    def limit(model: type[Model], name: str) -> int:
        return int(getattr(model._meta.get_field(name), "max_length", 0) or 0)

    assert set(Kind.values) == library.KINDS
    assert all(len(key) <= limit(Survey, "template") for key in library.templates())
    for key in library.templates():
        for question in all_questions(key):
            assert len(question.item or "") <= limit(Question, "item")
            assert len(question.dimension or "") <= limit(Question, "dimension")
            assert len(question.instrument or "") <= limit(Question, "instrument")


# -- the monthly pulse --------------------------------------------------------------------------


def test_it_asks_eight_to_ten_questions_every_month() -> None:
    for month in range(-12, 36):
        questions = library.pulse_questions(month)
        assert 8 <= len(questions) <= 10
        assert 8 <= sum(q.kind != "text" for q in questions) <= 10
        assert sum(q.kind == "text" for q in questions) == 1
        assert sum(q.instrument == "enps" for q in questions) == 1
        anchors = {q.dimension for q in questions[:4]}
        assert anchors == {"heard", "supported", "recognised", "respected"}


def test_it_changes_the_pulse_from_one_month_to_the_next() -> None:
    for month in range(-12, 36):
        this = [q.ref for q in library.pulse_questions(month)]
        after = [q.ref for q in library.pulse_questions(month + 1)]
        assert this != after
        assert this == [q.ref for q in library.pulse_questions(month)], "deterministic"


def test_it_asks_every_pool_question_within_one_cycle() -> None:
    rotation = library.template("monthly_pulse").rotation
    assert rotation is not None
    assert rotation.cycle_months == 6
    pool = {q.ref for q in rotation.pool}
    for start in (-5, 0, 1, 7, 100):
        months = range(start, start + rotation.cycle_months)
        asked = [q.ref for m in months for q in library.pulse_questions(m)]
        assert pool <= set(asked)
        assert all(asked.count(ref) == 1 for ref in pool), "once per cycle"


def test_it_ignores_the_month_for_templates_without_rotation() -> None:
    assert library.template_questions("exit", month_index=5) == library.template_questions("exit")


# -- scoring ------------------------------------------------------------------------------------


def test_it_scores_likert_items_reversing_when_asked() -> None:
    assert library.score_item("likert5", 4, reverse=False) == 4.0
    assert library.score_item("likert5", 4, reverse=True) == 2.0
    assert library.score_item("likert5", 1, reverse=True) == 5.0
    assert library.favourable("likert5", 4, reverse=False)
    assert not library.favourable("likert5", 3, reverse=False)
    assert library.favourable("likert5", 2, reverse=True)


def test_it_scores_who5_and_cbi_items_on_their_own_scales() -> None:
    assert [library.score_item("who5", v, reverse=False) for v in range(6)] == [
        0.0,
        20.0,
        40.0,
        60.0,
        80.0,
        100.0,
    ]
    assert [library.score_item("cbi", v, reverse=False) for v in range(5)] == [
        100.0,
        75.0,
        50.0,
        25.0,
        0.0,
    ]
    assert library.score_item("cbi", 0, reverse=True) == 0.0  # "Always" enough energy
    assert library.favourable("who5", 3, reverse=False)
    assert not library.favourable("who5", 2, reverse=False)
    assert library.favourable("cbi", 3, reverse=False)  # seldom tired
    assert not library.favourable("cbi", 2, reverse=False)
    assert library.favourable("scale10", 9, reverse=False)
    assert not library.favourable("scale10", 8, reverse=False)


@pytest.mark.parametrize(
    ("kind", "value"),
    [("likert5", 0), ("likert5", 6), ("who5", 6), ("cbi", 5), ("scale10", 11), ("text", 1)],
)
def test_it_refuses_answers_off_the_scale(kind: str, value: int) -> None:
    with pytest.raises(ValueError, match=kind):
        library.score_item(kind, value, reverse=False)


def test_it_computes_enps_from_promoters_and_detractors() -> None:
    answers = [10, 9, 9, 10, 9, 7, 8, 8, 6, 0]  # 5 promoters, 3 passives, 2 detractors
    assert library.enps(answers) == 30.0
    assert library.enps([]) is None
    assert library.enps([10, 10]) == 100.0
    assert library.enps([0, 6]) == -100.0


def test_it_scores_the_who5() -> None:
    assert library.who5_score([3, 3, 3, 3, 3]) == 60.0
    assert library.who5_score([5, 5, 5, 5, 5]) == 100.0
    assert library.who5_score([0, 1, 2, 3, 4]) == 40.0
    with pytest.raises(ValueError, match="five"):
        library.who5_score([3, 3, 3, 3])


def test_it_scores_cbi_sub_scales() -> None:
    # Work-related burnout: "Often" (75) on six items, "Seldom" enough energy (reversed: 75).
    work = library.instrument("cbi").items_in("burnout_work")
    answers = [1 if not item.reverse else 3 for item in work]
    assert library.cbi_score(answers, reverse=[item.reverse for item in work]) == 75.0
    # Personal burnout: Always, Often, Sometimes, Seldom, Never, Never.
    assert library.cbi_score([0, 1, 2, 3, 4, 4]) == pytest.approx(250 / 6)
    with pytest.raises(ValueError, match="at least 3"):
        library.cbi_score([0, 1])


def test_it_scores_one_persons_dimensions() -> None:
    empathy = library.dimension_scores(
        "empathy", {"heard_listened": 5, "heard_no_difference": 1, "supported_noticed": 2}
    )
    assert empathy == {"heard": 5.0, "supported": 2.0, "recognised": None, "respected": None}
    who5 = library.instrument("who5")
    assert library.dimension_scores("who5", {i.key: 3 for i in who5.items}) == {"wellbeing": 60.0}
    assert library.dimension_scores("who5", {"cheerful": 3}) == {"wellbeing": None}
    cbi = library.dimension_scores(
        "cbi", {"personal_tired": 0, "personal_worn_out": 2, "personal_weak_ill": 4}
    )
    assert cbi == {"burnout_personal": 50.0, "burnout_work": None, "burnout_client": None}


# -- validation of broken files -----------------------------------------------------------------


@pytest.fixture
def library_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the data files that a test may break; the real files stay as they are."""
    copy = tmp_path / "instruments"
    shutil.copytree(library.LIBRARY_DIR, copy)
    monkeypatch.setattr(library, "LIBRARY_DIR", copy)
    library._instruments.cache_clear()
    library._templates.cache_clear()
    yield copy
    library._instruments.cache_clear()
    library._templates.cache_clear()


def edit(path: Path, change: Callable[[Any], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data), encoding="utf-8")


def test_it_rejects_a_duplicate_item_key(library_copy: Path) -> None:
    edit(library_copy / "psych_safety.json", lambda d: d["items"].append(d["items"][0]))
    with pytest.raises(LibraryError, match="each key once"):
        library.instruments()


def test_it_rejects_an_item_in_an_unknown_dimension(library_copy: Path) -> None:
    edit(library_copy / "fairness.json", lambda d: d["items"][0].update(dimension="justice"))
    with pytest.raises(LibraryError, match="unknown dimension 'justice'"):
        library.instruments()


def test_it_rejects_an_instrument_without_a_licence(library_copy: Path) -> None:
    edit(library_copy / "who5.json", lambda d: d.pop("licence"))
    with pytest.raises(LibraryError, match=r"who5\.json: missing 'licence'"):
        library.instruments()


def test_it_rejects_a_dimension_key_used_twice(library_copy: Path) -> None:
    def rename(data: Any) -> None:
        data["dimensions"][0]["key"] = "heard"
        for item in data["items"]:
            item["dimension"] = "heard"

    edit(library_copy / "psych_safety.json", rename)
    with pytest.raises(LibraryError, match="dimension 'heard' is in both"):
        library.instruments()


def test_it_rejects_a_template_reference_that_does_not_resolve(library_copy: Path) -> None:
    edit(
        library_copy / "templates.json",
        lambda d: d["templates"][0]["questions"].append({"ref": "empathy.no_such_item"}),
    )
    with pytest.raises(LibraryError, match=r"empathy\.no_such_item"):
        library.templates()


def test_it_rejects_a_pool_that_does_not_split_into_months(library_copy: Path) -> None:
    edit(library_copy / "templates.json", lambda d: d["templates"][1]["rotation"]["pool"].pop())
    with pytest.raises(LibraryError, match="per_month"):
        library.templates()


# -- no Django ----------------------------------------------------------------------------------


def test_it_imports_and_scores_without_django() -> None:
    code = (
        "import sys\n"
        "import heard.surveys.library as library\n"
        "library.templates(); library.pulse_questions(3); library.who5_score([3] * 5)\n"
        "assert not any(m == 'django' or m.startswith('django.') for m in sys.modules), "
        "sorted(m for m in sys.modules if m.startswith('django'))\n"
    )
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", code],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 0, done.stderr

"""The instrument library in other languages: translation files, availability and validation."""

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
from heard.surveys.library import PLACEHOLDER, LibraryError

ROOT = Path(__file__).resolve().parents[3]
EXPECTED_LANGUAGES = {
    "empathy_audit": ("en",),  # WHO-5 and CBI have no French version in Heard
    "monthly_pulse": ("en", "fr"),
    "onboarding_30": ("en", "fr"),
    "onboarding_90": ("en", "fr"),
    "exit": ("en", "fr"),
    "tech_change_pulse": ("en", "fr"),
}
HEARD_WRITTEN = ("empathy", "psych_safety", "fairness", "leadership_empathy", "change_readiness")


def shape(question: library.TemplateQuestion) -> tuple[object, ...]:
    """Everything about a question but its wording."""
    return (
        question.kind,
        question.instrument,
        question.item,
        question.dimension,
        question.reverse,
        question.required,
        len(question.options),
    )


def all_questions(template_key: str) -> list[library.TemplateQuestion]:
    found = library.template(template_key)
    return [*found.questions, *(found.rotation.pool if found.rotation else ())]


# -- the shipped French -------------------------------------------------------------------------


def test_it_lists_english_first_then_french() -> None:
    assert library.LANGUAGES == {"en": "English", "fr": "Français"}
    assert list(library.LANGUAGES) == ["en", "fr"]
    assert library.languages() == library.LANGUAGES


@pytest.mark.parametrize("month", [0, 1, 2, 3, 4, 5, 6, 13])
def test_it_asks_the_pulse_in_french(month: int) -> None:
    english = library.pulse_questions(month)
    french = library.pulse_questions(month, language="fr")
    assert [shape(q) for q in french] == [shape(q) for q in english]
    assert [q.ref for q in french] == [q.ref for q in english]
    for en, fr in zip(english, french, strict=True):
        assert fr.text.strip() and fr.text != en.text, en.ref
        assert fr.text.count(PLACEHOLDER) == en.text.count(PLACEHOLDER), en.ref
    assert any(PLACEHOLDER in q.text for q in french), "eNPS names the organisation"


def test_it_says_which_languages_each_template_speaks() -> None:
    assert {key: library.template_languages(key) for key in library.templates()} == (
        EXPECTED_LANGUAGES
    )


@pytest.mark.parametrize("key", [k for k, langs in EXPECTED_LANGUAGES.items() if "fr" in langs])
def test_it_translates_every_question_and_option_of_a_french_template(key: str) -> None:
    english = library.template_questions(key)
    french = library.template_questions(key, language="fr")
    assert [shape(q) for q in french] == [shape(q) for q in english]
    for en, fr in zip(english, french, strict=True):
        assert fr.text != en.text, en.ref
        assert fr.text.count(PLACEHOLDER) == en.text.count(PLACEHOLDER), en.ref
        assert len(fr.options) == len(en.options), en.ref
        assert all(f != e for f, e in zip(fr.options, en.options, strict=True)), en.ref
        assert len(set(fr.options)) == len(fr.options), en.ref


def test_it_translates_every_item_written_for_heard() -> None:
    french = library._translation("fr").items
    for key in (*HEARD_WRITTEN, "enps"):
        for item in library.instrument(key).items:
            ref = f"{key}.{item.key}"
            assert ref in french, ref
            assert french[ref] != item.text
            assert french[ref].count(PLACEHOLDER) == item.text.count(PLACEHOLDER), ref


def test_it_leaves_the_who5_and_cbi_untranslated() -> None:
    french = library._translation("fr")
    assert not any(ref.startswith(("who5.", "cbi.")) for ref in french.items)
    assert not set(french.responses) & {"who5", "cbi"}


def test_it_names_templates_in_each_language() -> None:
    for key, found in library.templates().items():
        assert library.template_name(key) == library.template_name(key, "en") == found.name
        assert library.template_description(key, "en") == found.description
        assert library.template_name(key, "fr") not in ("", found.name)
        assert library.template_description(key, "fr") not in ("", found.description)
    assert library.template_name("monthly_pulse", "fr") == "Baromètre mensuel"


def test_it_keeps_english_unchanged() -> None:
    assert library.template_questions("exit") == library.template_questions("exit", language="en")
    assert library.template("monthly_pulse").name == "Monthly pulse"


# -- what it refuses ----------------------------------------------------------------------------


def test_it_refuses_a_template_not_translated_and_says_what_is_missing() -> None:
    with pytest.raises(LibraryError, match=r"'empathy_audit' is not available in fr") as error:
        library.template_questions("empathy_audit", language="fr")
    assert "who5.cheerful" in str(error.value)
    assert "fr.json" in str(error.value)


def test_it_refuses_a_language_it_does_not_have() -> None:
    with pytest.raises(LibraryError, match=r"no translation for language 'de' \(known: en, fr\)"):
        library.template_questions("monthly_pulse", language="de")
    with pytest.raises(LibraryError, match="'de'"):
        library.template_name("exit", "de")


def test_it_still_refuses_an_unknown_template() -> None:
    with pytest.raises(KeyError):
        library.template_languages("no_such_template")


# -- validation of broken translation files -----------------------------------------------------


@pytest.fixture
def translations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the library whose translations a test may break; the real files stay."""
    copy = tmp_path / "instruments"
    shutil.copytree(library.LIBRARY_DIR, copy)
    monkeypatch.setattr(library, "LIBRARY_DIR", copy)
    clear = (library._instruments, library._templates, library._translations)
    for cached in clear:
        cached.cache_clear()
    yield copy / library.TRANSLATIONS
    for cached in clear:
        cached.cache_clear()


def edit(path: Path, change: Callable[[Any], None]) -> None:
    data = json.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_the_copy_loads_as_shipped(translations: Path) -> None:
    assert library.template_languages("monthly_pulse") == ("en", "fr")


def test_it_rejects_a_stale_item_key(translations: Path) -> None:
    edit(translations / "fr.json", lambda d: d["items"].update({"empathy.gone": "Parti."}))
    with pytest.raises(LibraryError, match=r"translations/fr\.json items\.empathy\.gone"):
        library.template_languages("exit")


def test_it_rejects_a_stale_template_question_key(translations: Path) -> None:
    edit(
        translations / "fr.json",
        lambda d: d["templates"]["exit"]["questions"].update({"old_question": {"text": "Ancien"}}),
    )
    with pytest.raises(LibraryError, match=r"fr\.json templates\.exit questions\.old_question"):
        library.template_questions("exit", language="fr")


def test_it_rejects_a_stale_template_key(translations: Path) -> None:
    edit(
        translations / "fr.json",
        lambda d: d["templates"].update({"gone": {"name": "x", "description": "y"}}),
    )
    with pytest.raises(LibraryError, match=r"fr\.json templates\.gone: no such template"):
        library.languages()


def test_it_rejects_a_wrong_number_of_options(translations: Path) -> None:
    edit(
        translations / "fr.json",
        lambda d: d["templates"]["exit"]["questions"]["come_back"]["options"].pop(),
    )
    with pytest.raises(LibraryError, match=r"come_back options: has 2 options, the English has 3"):
        library.template_languages("exit")


def test_it_rejects_options_on_a_question_without_them(translations: Path) -> None:
    edit(
        translations / "fr.json",
        lambda d: d["templates"]["exit"]["questions"]["keep_doing"].update(options=["a", "b"]),
    )
    with pytest.raises(LibraryError, match="keep_doing: the English question has no options"):
        library.template_languages("exit")


def test_it_rejects_a_lost_placeholder(translations: Path) -> None:
    edit(
        translations / "fr.json",
        lambda d: d["items"].update({"enps.recommend": "Recommanderiez-vous votre employeur ?"}),
    )
    with pytest.raises(LibraryError, match=r"items\.enps\.recommend: must keep \{organisation\}"):
        library.template_languages("monthly_pulse")


def test_it_rejects_wrong_answer_labels(translations: Path) -> None:
    edit(translations / "fr.json", lambda d: d["responses"].update(who5={"frequency": ["Jamais"]}))
    with pytest.raises(LibraryError, match=r"responses\.who5\.frequency: has 1 options"):
        library.languages()


def test_it_rejects_a_file_named_for_another_language(translations: Path) -> None:
    (translations / "fr.json").rename(translations / "de.json")
    with pytest.raises(LibraryError, match=r"de\.json: language 'fr' must match the file name"):
        library.languages()


def test_a_template_with_a_missing_question_is_not_offered(translations: Path) -> None:
    edit(translations / "fr.json", lambda d: d["items"].pop("fairness.proc_say"))
    assert library.template_languages("monthly_pulse") == ("en",)  # in the rotation pool only
    with pytest.raises(LibraryError, match=r"no translation for fairness\.proc_say"):
        library.template_questions("monthly_pulse", month_index=0, language="fr")


def test_a_new_language_is_found_from_its_file(translations: Path) -> None:
    def as_test_language(data: Any) -> None:
        data["language"] = "xx"
        data["name"] = "Test"

    shutil.copy(translations / "fr.json", translations / "xx.json")
    edit(translations / "xx.json", as_test_language)
    assert library.languages() == {"en": "English", "fr": "Français", "xx": "Test"}
    assert library.template_languages("exit") == ("en", "fr", "xx")


# -- no Django ----------------------------------------------------------------------------------


def test_it_translates_without_django() -> None:
    code = (
        "import sys\n"
        "import heard.surveys.library as library\n"
        "assert library.LANGUAGES['fr']\n"
        "library.pulse_questions(3, language='fr'); library.template_languages('exit')\n"
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

"""Language detection and the supported-language check (heard_nlp.language)."""

from __future__ import annotations

import time

import pytest
from lingua import ConfidenceValue, Language

from heard_nlp import language
from heard_nlp.language import SUPPORTED, detect_language, detect_languages, is_supported


@pytest.mark.parametrize("text", ["", "  ", "ok", "?!", "👍👍🎉", "123456", "£45.99", "a b"])
def test_it_returns_none_for_texts_too_short_or_without_letters(text: str) -> None:
    assert detect_language(text) is None


SHORT_ENGLISH = [
    "Thanks!", "great service", "love it", "cheers mate", "brilliant", "Not bad", "asap please",
    "Spot on", "hello", "meh", "fine", "super", "Perfect", "all good", "nice one", "Rude",
    "Wrong item", "Refund please", "Overcharged", "Parcel arrived damaged", "top", "thx",
    "Could be better", "Staff rude", "Tracking useless", "would recommend", "Ta very much",
]  # fmt: skip


@pytest.mark.parametrize("text", SHORT_ENGLISH)
def test_it_never_gives_short_english_texts_another_language(text: str) -> None:
    assert detect_language(text) in ("en", None)


def test_it_calls_most_short_english_texts_english() -> None:
    codes = detect_languages(SHORT_ENGLISH)
    assert codes.count("en") >= len(SHORT_ENGLISH) - 2


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("Le colis est arrivé en retard, c'est inadmissible", "fr"),
        ("Der Kundenservice hat nie geantwortet", "de"),
        ("La entrega llegó tarde otra vez y nadie contesta", "es"),
        ("Il servizio clienti è pessimo", "it"),
        ("O atendimento foi ótimo, muito obrigado", "pt"),
        ("Het was niet goed, de bestelling kwam te laat", "nl"),
        ("Obsługa klienta była okropna", "pl"),
        ("Служба поддержки ужасная", "ru"),
        ("Jag är mycket nöjd med leveransen", "sv"),
        ("服务很好\uff0c谢谢", "zh"),
        ("サービスが良かったです", "ja"),
        ("Gracias por todo", "es"),
        ("Très bien", "fr"),
    ],
)
def test_it_detects_other_languages(text: str, code: str) -> None:
    assert detect_language(text) == code
    assert not is_supported(detect_language(text))


def test_it_leaves_uncertain_one_word_foreign_texts_unknown() -> None:
    # Lingua splits these between several languages: better unknown than wrong.
    assert detect_languages(["Merci", "Danke", "Ciao"]) == [None, None, None]


def test_it_calls_longer_english_english_without_asking_lingua(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def no_lingua() -> None:
        raise AssertionError("lingua was asked")

    monkeypatch.setattr(language, "_detector", no_lingua)
    texts = [
        "The delivery was late again and nobody has replied to my emails",
        "I would like to thank the team for their help with my order",
        "Thanks!",
    ]
    assert detect_languages(texts) == ["en", "en", "en"]


def test_it_asks_lingua_for_english_without_function_words() -> None:
    assert detect_language("Delivery late, tracking broken, support useless") == "en"


class FakeDetector:
    def __init__(self, values: list[tuple[Language, float]]) -> None:
        self.values = [ConfidenceValue(lang, value) for lang, value in values]

    def compute_language_confidence_values(self, text: str) -> list[ConfidenceValue]:
        return self.values


def decide(
    monkeypatch: pytest.MonkeyPatch, text: str, values: list[tuple[Language, float]]
) -> str | None:
    monkeypatch.setattr(language, "_detector", lambda: FakeDetector(values))
    return detect_language(text)


def test_it_accepts_a_confident_foreign_result(monkeypatch: pytest.MonkeyPatch) -> None:
    values = [(Language.FRENCH, 0.6), (Language.ENGLISH, 0.1)]
    assert decide(monkeypatch, "Zorgl blim quax dropt vunk", values) == "fr"


def test_it_needs_more_confidence_for_short_texts(monkeypatch: pytest.MonkeyPatch) -> None:
    values = [(Language.GERMAN, 0.3), (Language.DUTCH, 0.1)]
    assert decide(monkeypatch, "Zorgl blim quax dropt vunk", values) == "de"
    assert decide(monkeypatch, "Zorgl blim", values) is None


def test_it_rejects_a_foreign_result_close_to_the_runner_up(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = [(Language.GERMAN, 0.3), (Language.DUTCH, 0.2), (Language.ENGLISH, 0.05)]
    assert decide(monkeypatch, "Zorgl blim quax dropt vunk", values) is None


def test_it_says_english_when_english_is_close_behind(monkeypatch: pytest.MonkeyPatch) -> None:
    values = [(Language.DUTCH, 0.3), (Language.ENGLISH, 0.25), (Language.GERMAN, 0.1)]
    assert decide(monkeypatch, "Zorgl blim quax", values) == "en"


def test_it_says_english_when_most_words_are_english(monkeypatch: pytest.MonkeyPatch) -> None:
    values = [(Language.ROMANIAN, 0.2), (Language.ITALIAN, 0.19), (Language.ENGLISH, 0.05)]
    assert decide(monkeypatch, "Courier sorted parcel qwx", values) == "en"
    assert decide(monkeypatch, "Courier qwx", values) is None


def test_it_needs_two_english_function_words_to_skip_lingua(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    values = [(Language.FRENCH, 0.6), (Language.ENGLISH, 0.1)]
    assert decide(monkeypatch, "The zorgl blim quax vunk", values) == "fr"
    assert decide(monkeypatch, "The zorgl and blim vunk", values) == "en"


def test_it_reads_only_the_start_of_a_long_text() -> None:
    text = "Le colis est arrivé en retard. " * 40 + "The parcel was late. " * 5000
    start = time.perf_counter()
    assert detect_language(text) == "fr"
    assert time.perf_counter() - start < 1.0


def test_it_keeps_the_order_and_length_of_its_input() -> None:
    texts = ["Sehr gut", "", "great service", "Muy bien"]
    assert detect_languages(texts) == ["de", None, "en", "es"]
    assert detect_languages([]) == []


def test_it_says_only_english_is_supported() -> None:
    assert frozenset({"en"}) == SUPPORTED
    assert is_supported("en")
    assert not is_supported("fr")
    assert not is_supported(None)


def test_it_builds_the_detector_once() -> None:
    assert language._detector() is language._detector()


def test_it_detects_2000_short_texts_quickly() -> None:
    samples = [
        "great service", "The parcel arrived late again and nobody replied", "Thanks!",
        "Staff were rude at the counter", "Le colis est arrivé en retard", "Sehr gut",
        "Delivery late, tracking useless", "love the new app", "Muy bien", "Overcharged",
    ]  # fmt: skip
    texts = [f"{samples[i % len(samples)]} {'!' * (i % 3)}" for i in range(2000)]
    detect_languages(texts[:10])  # build the detector and load its models first
    start = time.perf_counter()
    codes = detect_languages(texts)
    rate = len(texts) / (time.perf_counter() - start)
    assert codes.count("en") == 1400
    assert codes.count("fr") == codes.count("de") == codes.count("es") == 200
    assert rate >= 1000, f"{rate:.0f} texts/s"

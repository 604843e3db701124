"""Grouping a corpus into named themes (heard_nlp.themes)."""

from __future__ import annotations

import random
import time
from collections import Counter

import numpy as np
import pytest

from heard_nlp.themes import themes
from heard_nlp.types import Theme

# Four clear themes, written from parts so that no two texts need be the same.
PARTS: dict[str, tuple[list[str], list[str], list[str]]] = {
    "delivery": (
        ["my delivery", "the parcel", "our order", "the package", "my last delivery"],
        ["arrived late", "was delayed by a week", "turned up three days late",
         "is still delayed", "came late again", "was delayed and tracking never updated"],
        ["", " and tracking showed nothing", " with no tracking updates",
         ", the courier was late", ", delivery tracking is useless"],
    ),
    "staff": (
        ["the staff", "a member of staff", "the manager", "the woman at the counter",
         "your staff"],
        ["were rude to me", "was really rude", "was rude and dismissive",
         "were rude and unhelpful", "spoke to me rudely", "was rude on the phone"],
        ["", " when I asked for help", " in front of other customers",
         ", staff attitude needs work", " and ignored my question"],
    ),
    "billing": (
        ["my invoice", "the bill", "my last statement", "this month's invoice", "my account"],
        ["has a billing error", "shows the wrong amount", "charged me twice",
         "has an incorrect charge", "was overcharged", "has a billing mistake"],
        ["", ", please refund the charge", " on the invoice", ", billing needs fixing",
         " and the invoice total is wrong"],
    ),
    "rota": (
        ["Smart Rota", "the Smart Rota feature", "the new Smart Rota", "Smart Rota in the app",
         "using Smart Rota"],
        ["is brilliant", "makes shift planning easy", "saves our managers hours",
         "is the best feature", "has made swapping shifts painless", "works really well"],
        ["", " for our team", ", love it", " for planning shifts",
         ", great work on the rota"],
    ),
}  # fmt: skip
# Words each theme's key phrases must show.
EXPECTED = {
    "delivery": {"delivery", "late", "delayed", "tracking"},
    "staff": {"rude", "staff"},
    "billing": {"billing", "invoice", "bill", "charge"},
    "rota": {"smart rota"},
}


def corpus(per_theme: int, seed: int) -> tuple[list[str], list[str]]:
    rng = random.Random(seed)
    openers = ["", "Honestly, ", "Just to say, ", "Hi, ", "Sadly ", "To be fair, "]
    closers = ["", ".", "!", " - please sort it out.", ", thanks.", " :("]
    rows: list[tuple[str, str]] = []
    for label, (subjects, verbs, tails) in PARTS.items():
        for _ in range(per_theme):
            text = (
                rng.choice(openers) + rng.choice(subjects) + " " + rng.choice(verbs)
                + rng.choice(tails) + rng.choice(closers)
            )  # fmt: skip
            rows.append((text[0].upper() + text[1:], label))
    rng.shuffle(rows)
    return [t for t, _ in rows], [label for _, label in rows]


def majority(theme: Theme, labels: list[str]) -> tuple[str, float]:
    counts = Counter(labels[i] for i in theme.members)
    label, count = counts.most_common(1)[0]
    return label, count / theme.size


@pytest.mark.parametrize(("per_theme", "seed"), [(25, 1), (25, 2), (60, 3)])
def test_it_recovers_clear_themes_with_their_key_phrases(per_theme: int, seed: int) -> None:
    texts, labels = corpus(per_theme, seed)
    found = themes(texts)
    assert len(found) == 4
    recovered = set()
    for theme in found:
        label, purity = majority(theme, labels)
        assert purity >= 0.8, (theme.name, purity)
        assert set(theme.key_phrases[:3]) & EXPECTED[label], (label, theme.key_phrases)
        recovered.add(label)
    assert recovered == set(PARTS)
    assert sum(t.size for t in found) >= 0.9 * len(texts)


def test_it_prefers_phrases_distinctive_of_a_theme_to_ones_found_everywhere() -> None:
    texts, labels = corpus(25, 13)
    texts = [f"{text} Regular customer here." for text in texts]
    found = themes(texts)
    assert len(found) == 4
    for theme in found:
        assert not {"customer", "regular customer", "regular"} & set(theme.key_phrases[:3])
        label, _purity = majority(theme, labels)
        assert set(theme.key_phrases[:3]) & EXPECTED[label]


def test_it_names_a_theme_after_its_top_key_phrases() -> None:
    texts, _labels = corpus(25, 4)
    for theme in themes(texts):
        assert theme.name == " · ".join(theme.key_phrases[:3])
        assert 3 <= len(theme.key_phrases) <= 6
        assert theme.size == len(theme.members) == len(set(theme.members))
        shown: set[str] = set()
        for phrase in theme.key_phrases:  # each phrase shows at least one new word
            words = set(phrase.split())
            assert not words <= shown, (phrase, theme.key_phrases)
            shown |= words


def test_it_shows_representatives_from_its_own_members() -> None:
    texts, labels = corpus(25, 5)
    for theme in themes(texts):
        assert len(theme.representatives) == 3
        members = {texts[i] for i in theme.members}
        assert set(theme.representatives) <= members
        label, _purity = majority(theme, labels)
        assert all(labels[texts.index(r)] == label for r in theme.representatives)


def test_it_returns_themes_biggest_first_and_at_most_max_themes() -> None:
    texts, _labels = corpus(25, 6)
    texts += corpus(40, 7)[0][:40]
    found = themes(texts)
    assert [t.size for t in found] == sorted((t.size for t in found), reverse=True)
    assert len(themes(texts, max_themes=2)) == 2
    assert themes(texts, max_themes=0) == []


def test_it_is_deterministic() -> None:
    texts, _labels = corpus(25, 8)
    assert themes(texts) == themes(texts)


def test_it_leaves_out_texts_that_fit_no_theme() -> None:
    texts, _labels = corpus(20, 9)
    odd = ["Quokkas wombats", "Zeppelin xylophone"]
    found = themes([*texts, *odd])
    members = {i for t in found for i in t.members}
    assert len(texts) not in members
    assert len(texts) + 1 not in members


def fake_embeddings(labels: list[str], spread: float, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    centres = {label: rng.standard_normal(32) for label in sorted(set(labels))}
    return np.array([centres[label] + spread * rng.standard_normal(32) for label in labels])


def test_it_clusters_the_embeddings_it_is_given() -> None:
    # Texts that share no theme words: only the embeddings tell the groups apart.
    rng = random.Random(10)
    words = ["service", "team", "order", "app", "week", "store", "price", "help", "call"]
    labels = [g for g in ("a", "b", "c") for _ in range(30)]
    texts = [" ".join(rng.sample(words, 4)) for _ in labels]
    found = themes(texts, embeddings=fake_embeddings(labels, 0.3))
    assert len(found) == 3
    assert sorted(majority(t, labels) for t in found) == [("a", 1.0), ("b", 1.0), ("c", 1.0)]
    assert all(t.size == 30 for t in found)


def test_it_prefers_the_embeddings_to_the_words() -> None:
    texts, labels = corpus(20, 11)
    # Embeddings that group the texts in pairs of word-themes: delivery+staff, billing+rota.
    pairs = ["x" if label in ("delivery", "staff") else "y" for label in labels]
    found = themes(texts, embeddings=fake_embeddings(pairs, 0.2))
    assert len(found) == 2
    assert sorted(majority(t, pairs)[1] for t in found) == [1.0, 1.0]


def test_it_shows_the_texts_nearest_the_centre_as_representatives() -> None:
    labels = ["a"] * 12 + ["b"] * 12
    texts = [f"note {i}" for i in range(24)]
    emb = fake_embeddings(labels, 0.5)
    centre_a = emb[:12].mean(axis=0)
    emb[5] = centre_a  # text 5 sits on its theme's centre
    found = themes(texts, embeddings=emb)
    theme_a = next(t for t in found if 5 in t.members)
    assert theme_a.representatives[0] == "note 5"


def test_it_drops_clusters_smaller_than_min_size() -> None:
    labels = ["a"] * 20 + ["b"] * 20 + ["c"] * 2
    texts = [f"text {i}" for i in range(42)]
    emb = fake_embeddings(labels, 0.1)
    found = themes(texts, embeddings=emb, min_size=3)
    assert {majority(t, labels)[0] for t in found} == {"a", "b"}
    assert {40, 41}.isdisjoint(i for t in found for i in t.members)


def test_it_rejects_embeddings_of_the_wrong_shape() -> None:
    with pytest.raises(ValueError, match="shape"):
        themes(["a", "b", "c"], embeddings=np.zeros((2, 4)))
    with pytest.raises(ValueError, match="NaN"):
        themes(["a", "b", "c"], embeddings=np.full((3, 4), np.nan))


def test_it_handles_tiny_and_empty_corpora() -> None:
    assert themes([]) == []
    assert themes(["only one text here"]) == []
    five = [
        "Delivery was late",
        "Late delivery again",
        "The delivery came late",
        "Delivery late by days",
        "Staff rude",
    ]
    found = themes(five)
    assert len(found) == 1
    assert "delivery" in found[0].key_phrases[:2] or "late" in found[0].key_phrases[:2]
    assert {0, 1, 2, 3} <= set(found[0].members)


def test_it_groups_5000_texts_in_a_few_seconds() -> None:
    texts, labels = corpus(1250, 12)
    start = time.perf_counter()
    found = themes(texts)
    elapsed = time.perf_counter() - start
    assert elapsed < 15.0, f"{elapsed:.1f} s"
    assert len(found) == 4
    assert all(majority(t, labels)[1] >= 0.8 for t in found)


def test_the_matcher_puts_new_texts_into_the_theme_whose_key_phrases_they_share() -> None:
    from heard_nlp.themes import ThemeMatcher

    matcher = ThemeMatcher([("late delivery", "courier", "tracking"), ("refund", "charged twice")])
    assert matcher.match("My deliveries were late again, the COURIER lost it") == (0, ("courier",))
    assert matcher.match("Late delivery and no tracking!") == (0, ("late delivery", "tracking"))
    assert matcher.match("I was charged twice and want a refund") == (
        1,
        ("charged twice", "refund"),
    )
    assert matcher.match("Lovely scarf, thank you") is None
    assert ThemeMatcher([]).match("anything") is None


def test_the_matcher_prefers_the_higher_ranked_phrase_and_then_the_bigger_theme() -> None:
    from heard_nlp.themes import ThemeMatcher

    matcher = ThemeMatcher([("app", "login"), ("login", "password")])
    # "login" is theme 1's first phrase (1.0) but theme 0's second (0.8).
    assert matcher.match("the login page") == (1, ("login",))
    # A tie (1.0 + 0.8 each) goes to the earlier, bigger theme.
    assert matcher.match("the app login needs a password")[0] == 0  # type: ignore[index]


def test_themes_found_in_a_corpus_match_its_own_texts() -> None:
    from heard_nlp.themes import ThemeMatcher, themes

    texts = [f"The courier was late with parcel {n}, no tracking" for n in range(8)] + [
        f"Refund for order {n} still missing, I was charged twice" for n in range(8)
    ]
    found = themes(texts, max_themes=4, min_size=3)
    matcher = ThemeMatcher([t.key_phrases for t in found])
    for index, theme in enumerate(found):
        for member in theme.members:
            hit = matcher.match(texts[member])
            assert hit is not None and hit[0] == index


def test_a_topic_in_most_of_the_texts_is_still_a_theme() -> None:
    from heard_nlp.themes import themes

    courier = "The courier left my parcel {n} in the rain and the tracking never updated."
    refund = "I was charged twice for order {n} and the refund still hasn't arrived."
    texts = [courier.format(n=n) for n in range(40)] + [refund.format(n=n) for n in range(4)]
    sizes = sorted(t.size for t in themes(texts, max_themes=4, min_size=3))
    assert sizes == [4, 40]

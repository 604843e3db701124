"""Redaction of emails, phone numbers, URLs and roster names (heard_nlp.redact)."""

from __future__ import annotations

import random
import time

import pytest

from heard_nlp.redact import Roster, redact
from heard_nlp.types import Redaction

ROSTER = ["Priya Shah", "Daniel Reyes", "Zoë O'Brien", "William Young", "Grace Hill", "Jo Li"]


def removed(result: Redaction, original: str) -> list[tuple[str, str]]:
    """(text, kind) of each span, after checking every span points into the original."""
    for span, _kind in result.spans:
        assert original[span.start : span.end] == span.text
    return [(span.text, kind) for span, kind in result.spans]


def test_it_removes_emails_urls_and_phone_numbers_with_spans_in_the_original() -> None:
    text = "Mail priya.s@acme.co.uk, see https://acme.com/help?q=1. Or call +44 20 7946 0958!"
    result = redact(text)
    assert result.text == "Mail [email], see [url]. Or call [phone]!"
    assert removed(result, text) == [
        ("priya.s@acme.co.uk", "email"),
        ("https://acme.com/help?q=1", "url"),
        ("+44 20 7946 0958", "phone"),
    ]


@pytest.mark.parametrize(
    "url",
    [
        "http://x.io/a",
        "https://acme.com",
        "www.acme.co.uk",
        "acme.com/priya",
        "https://w.org/a_(b)",
        "http://intranet/hr",
    ],
)
def test_it_removes_urls_of_each_form(url: str) -> None:
    text = f"Look at {url}."
    result = redact(text)
    assert removed(result, text) == [(url, "url")]


def test_it_keeps_trailing_punctuation_and_unbalanced_brackets_out_of_urls() -> None:
    text = "(see https://acme.com/a_(b)), and www.acme.com/x!!"
    result = redact(text)
    assert removed(result, text) == [("https://acme.com/a_(b)", "url"), ("www.acme.com/x", "url")]


def test_it_redacts_long_texts_in_linear_time() -> None:
    text = "Priya called 020 7946 0958 about www.acme.com/x. " * 5000
    start = time.perf_counter()
    result = redact(text, ROSTER)
    elapsed = time.perf_counter() - start
    assert len(result.spans) == 15000
    assert elapsed < 2.0, f"{elapsed:.2f} s"


def test_it_leaves_bare_domains_without_a_path() -> None:
    assert redact("I love acme.com and their app").spans == ()


@pytest.mark.parametrize(
    "phone",
    [
        "+44 (0)20 7946 0958",
        "+1 (555) 123-4567",
        "(555) 123-4567",
        "555.123.4567",
        "1-800-555-0199",
        "+33 6 12 34 56 78",
        "0049 30 1234567",
        "+49 30 12345678",
        "020 7946 0958",
        "07700 900 123",
        "07700900123",
        "5551234567",
        "01.23.45.67.89",
        "06-12345678",
        "+91 98765 43210",
    ],
)
def test_it_finds_international_and_local_phone_numbers(phone: str) -> None:
    text = f"You can reach me at {phone} after six"
    assert removed(redact(text), text) == [(phone, "phone")]


@pytest.mark.parametrize(
    "text",
    [
        "Delivered on 2024-03-15 at 10:30",
        "Due 15/03/2024 or 15.03.2024",
        "Open 10:30-11:45 daily",
        "It cost £1,234.56, or $1 234 567 in total",
        "We sold 1.234.567 units and 2,000,000 more",
        "Order #12345678 is missing",
        "order 1234567890 and invoice INV-2024-000123",
        "tracking 123 456 7890",
        "From 2019-2023 and in 2024",
        "Scores: 3 4 5 6 7 8 9",
        "My card 4111 1111 1111 1111",
        "Population 8 000 000 people",
        "ref 12345678",
    ],
)
def test_it_leaves_dates_times_prices_references_and_years(text: str) -> None:
    assert redact(text).spans == ()


def test_it_leaves_dates_even_after_a_phone_word() -> None:
    text = "Please call me on 15/03/2024 or ring 2024-03-15, tel 15.03.24"
    assert redact(text).spans == ()


def test_it_needs_a_phone_word_for_short_unseparated_numbers() -> None:
    assert redact("I waited 5551234 seconds").spans == ()
    assert removed(redact("call 5551234"), "call 5551234") == [("5551234", "phone")]


def test_it_redacts_full_first_and_last_names_ignoring_case_and_accents() -> None:
    text = "priya shah said Reyes and DANIEL helped; Zoe O'Brien and zoë too."
    result = redact(text, ROSTER)
    assert result.text == "[name] said [name] and [name] helped; [name] and [name] too."
    assert [t for t, _ in removed(result, text)] == [
        "priya shah",
        "Reyes",
        "DANIEL",
        "Zoe O'Brien",
        "zoë",
    ]


def test_it_redacts_nicknames_and_nicknames_with_the_last_name() -> None:
    text = "Dan Reyes, Danny and Bill were there, and so was Liam."
    result = redact(text, ROSTER)
    assert result.text == "[name], [name] and [name] were there, and so was [name]."


def test_it_redacts_a_formal_name_for_a_nickname_on_the_roster() -> None:
    assert redact("Robert called", ["Bob Marley"]).text == "[name] called"


def test_it_keeps_possessive_endings_outside_the_span() -> None:
    text = "Priya's manager and James' desk and O'Brien\u2019s car"
    result = redact(text, [*ROSTER, "James Carter"])
    assert result.text == "[name]'s manager and [name]' desk and [name]\u2019s car"
    assert [t for t, _ in removed(result, text)] == ["Priya", "James", "O'Brien"]


def test_it_redacts_common_word_names_only_when_capitalised_mid_sentence() -> None:
    roster = ["Grace Hill", "Will Turner", "Mark Young", "May Chen"]
    cases = {
        "Thanks Grace! I will ask Will.": "Thanks [name]! I will ask [name].",
        "Grace period is over. Hope you are well.": "Grace period is over. Hope you are well.",
        "Will you call me? I will mark it.": "Will you call me? I will mark it.",
        "Mark said it was fine.": "[name] said it was fine.",
        "Mark's team was great.": "[name]'s team was great.",
        "May I ask May? In May we met, on 5 May.": "May I ask [name]? In May we met, on 5 May.",
        "the hill was steep": "the hill was steep",
        "Ask Mr Hill.": "Ask Mr [name].",
    }
    for text, expected in cases.items():
        assert redact(text, roster).text == expected, text


def test_it_redacts_a_full_name_of_common_words_only_when_capitalised() -> None:
    assert redact("Rose Hill called", ["Rose Hill"]).text == "[name] called"
    assert redact("the rose hill was pretty", ["Rose Hill"]).text == "the rose hill was pretty"


def test_it_ignores_names_shorter_than_three_letters_on_their_own() -> None:
    text = "Jo and Li came; Jo Li stayed."
    assert redact(text, ROSTER).text == "Jo and Li came; [name] stayed."


def test_it_matches_hyphenated_last_names_whole_and_in_parts() -> None:
    text = "Smith-Jones, Smith and Jones"
    result = redact(text, ["Anne Smith-Jones"])
    assert [t for t, _ in removed(result, text)] == ["Smith-Jones", "Smith", "Jones"]


def test_it_drops_titles_and_particles_from_single_word_names() -> None:
    result = redact(
        "Dr Reyes met van Beethoven; van left", ["Dr Daniel Reyes", "Ludwig van Beethoven"]
    )
    assert result.text == "Dr [name] met [name]; van left"


def test_it_resolves_overlaps_longest_first() -> None:
    text = "Write to priya.shah@acme.com or www.acme.com/priya-shah"
    result = redact(text, ROSTER)
    assert [k for _, k in removed(result, text)] == ["email", "url"]
    assert result.text == "Write to [email] or [url]"


def test_it_uses_the_replacement_pattern() -> None:
    result = redact("Priya: 020 7946 0958", ROSTER, replacement="<{kind} removed>")
    assert result.text == "<name removed>: <phone removed>"
    assert redact("Priya", ROSTER, replacement="***").text == "***"


def test_it_returns_the_text_unchanged_when_nothing_matches() -> None:
    text = "The delivery was late again."
    assert redact(text, ROSTER) == Redaction(text=text, spans=())
    assert redact("", ROSTER) == Redaction(text="")


def test_it_treats_a_single_string_as_one_name() -> None:
    assert redact("Priya Shah and Priya", "Priya Shah").text == "[name] and [name]"


def test_it_accepts_a_compiled_roster() -> None:
    roster = Roster(ROSTER)
    assert list(roster) == ROSTER
    assert redact("Thanks Danny", roster).text == "Thanks [name]"


def test_it_redacts_10000_comments_against_2000_names_in_a_few_seconds() -> None:
    rng = random.Random(0)
    firsts = ["Priya", "Daniel", "Zoë", "Olivia", "Chen", "Fatima", "Lukas", "Aisha", "Kwame"]
    lasts = ["Shah", "Reyes", "Okafor", "Nguyen", "Kowalski", "García", "Müller", "Patel"]
    names = [f"{rng.choice(firsts)}{i} {rng.choice(lasts)}{i}" for i in range(1990)]
    names += [f"{f} {last}" for f, last in zip(firsts, lasts, strict=False)]
    comments = [
        "Priya was really helpful when I called about my order.",
        "Dan never replied to my email at dan@example.com",
        "Call me on 07700 900123 please, it's urgent",
        "The delivery was late again, third time this month",
        "See www.example.com/help, order #12345 arrived on 2024-03-15",
    ]
    texts = [rng.choice(comments) for _ in range(10_000)]
    start = time.perf_counter()
    results = [redact(text, names) for text in texts]
    elapsed = time.perf_counter() - start
    assert elapsed < 5.0, f"{elapsed:.2f} s"
    assert sum(1 for r in results if r.spans) > 7_000

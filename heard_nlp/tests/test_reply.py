"""score_reply: mechanisms, problems, spans, speed, and agreement with the labelled pairs.

Run: .venv/bin/python -m pytest heard_nlp/tests/test_reply.py -q -p no:django --noconftest
"""

from __future__ import annotations

import subprocess
import sys
import time
from collections import Counter
from pathlib import Path

from heard_nlp.reply import (
    DATA_PATH,
    MECHANISMS,
    PROBLEMS,
    evaluate_reply_scorer,
    load_pairs,
    quadratic_kappa,
    score_reply,
    spearman,
)
from heard_nlp.types import ReplyScore

ROOT = Path(__file__).resolve().parents[2]

DAMAGED = (
    "My order #4471 arrived damaged after I'd waited two weeks for it. It was a birthday "
    "present for my son and now I have nothing to give him on Saturday. Really frustrated."
)
STRONG = (
    "I can hear how frustrating this is, especially with your son's birthday on Saturday. "
    "I'm sorry: the parcel was packed badly and that's our mistake. I've sent a replacement "
    "by next-day delivery today, so it will arrive on Friday, and I've refunded the postage. "
    "What was damaged, and is there anything else you need before the party?"
)
COLD = "Please refer to our returns policy on our website. Damage in transit is not our fault."


def _problem_names(result: ReplyScore) -> set[str]:
    return {p.name for p in result.problems}


def _assert_spans_match(reply: str, result: ReplyScore) -> None:
    for mechanism in result.mechanisms:
        for span in mechanism.spans:
            assert reply[span.start : span.end] == span.text
    for problem in result.problems:
        for span in problem.spans:
            assert reply[span.start : span.end] == span.text


def test_it_orders_a_strong_reply_above_a_cold_one() -> None:
    strong = score_reply(DAMAGED, STRONG)
    cold = score_reply(DAMAGED, COLD)
    template = score_reply(
        DAMAGED, "We apologise for any inconvenience caused. Your feedback is important to us."
    )
    assert strong.score >= 80
    assert cold.score < 35
    assert strong.score > template.score > 0
    assert strong.score > cold.score + 40


def test_it_detects_emotional_reaction_with_spans() -> None:
    reply = "That sounds really frustrating. I'll look into it."
    result = score_reply("The app keeps crashing and I lose my work.", reply)
    er = result.mechanism("emotional_reaction")
    assert er.level == 2
    assert er.advice == ""
    assert [s.text for s in er.spans] == ["frustrating"]
    assert reply[er.spans[0].start : er.spans[0].end] == "frustrating"
    generic = score_reply("The app keeps crashing.", "Sorry to hear that. I'll look into it.")
    assert generic.mechanism("emotional_reaction").level == 1
    assert generic.mechanism("emotional_reaction").advice


def test_it_detects_interpretation_that_picks_up_the_message() -> None:
    message = "I was charged twice for my annual plan on 3 March and it was my rent money."
    reply = (
        "You were charged twice for the annual plan on 3 March, money you need for rent. "
        "I've refunded the second payment today."
    )
    result = score_reply(message, reply)
    ip = result.mechanism("interpretation")
    assert ip.level == 2
    assert any("charged twice" in s.text for s in ip.spans)
    _assert_spans_match(reply, result)
    generic = score_reply(message, "I understand. A refund has been requested.")
    assert generic.mechanism("interpretation").level == 1


def test_it_detects_an_open_question_as_strong_exploration() -> None:
    reply = "Thanks for telling me. What would make the rest of this week easier for you?"
    result = score_reply("I'm overwhelmed with the new project and can't keep up.", reply)
    ex = result.mechanism("exploration")
    assert ex.level == 2
    assert ex.spans[0].text == "What would make the rest of this week easier for you?"
    _assert_spans_match(reply, result)


def test_it_rates_anything_else_as_at_most_weak_exploration() -> None:
    for reply in (
        "I've updated your address. Anything else?",
        "Your refund has been processed. Is there anything else I can help you with?",
        "Done! Any other questions?",
    ):
        ex = score_reply("Please change my delivery address.", reply).mechanism("exploration")
        assert ex.level <= 1, reply


def test_it_detects_ownership_and_its_strength() -> None:
    reply = "I'm sorry, we sent the wrong size and that's our mistake."
    result = score_reply("You sent me the wrong size shoes.", reply)
    ow = result.mechanism("ownership")
    assert ow.level == 2
    assert "that's our mistake" in [s.text for s in ow.spans]
    _assert_spans_match(reply, result)
    generic = score_reply("You sent me the wrong size.", "Apologies for the trouble.")
    assert generic.mechanism("ownership").level == 1


def test_it_does_not_count_a_non_apology_as_ownership() -> None:
    for reply in (
        "I'm sorry if you feel that way.",
        "Sorry you feel that way, but the price is the price.",
        "Sorry if this upset you.",
    ):
        result = score_reply("Your price rise with no warning is outrageous.", reply)
        assert result.mechanism("ownership").level == 0, reply
        assert "dismissing" in _problem_names(result), reply


def test_it_detects_a_concrete_next_step() -> None:
    reply = "I've issued the refund; you'll see it by Thursday."
    result = score_reply("Where is my refund?", reply)
    ns = result.mechanism("next_step")
    assert ns.level == 2
    assert ns.spans[0].text == reply
    vague = score_reply("Where is my refund?", "We'll look into it and get back to you.")
    assert vague.mechanism("next_step").level == 1


def test_it_flags_blaming() -> None:
    reply = "You should have read the instructions. As stated in our terms, this is not covered."
    result = score_reply("The blender broke the first time I used it.", reply)
    blaming = next(p for p in result.problems if p.name == "blaming")
    assert {s.text for s in blaming.spans} >= {"You should have ", "As stated in"}
    assert blaming.advice
    assert "you failed to" in {
        s.text.lower()
        for p in score_reply("Why was I fined?", "You failed to pay on time.").problems
        for s in p.spans
    }
    _assert_spans_match(reply, result)


def test_it_flags_dismissing() -> None:
    for reply in (
        "Calm down, it's not a big deal.",
        "As I already said, the engineer is busy.",
        "Per my last email, the report is late.",
        "Unfortunately there is nothing we can do.",
    ):
        result = score_reply("I'm really upset that my car is still not fixed.", reply)
        assert "dismissing" in _problem_names(result), reply
        _assert_spans_match(reply, result)


def test_it_flags_jargon_relative_to_the_message() -> None:
    reply = "Escalated to L2, RMA raised. SLA is 72h."
    result = score_reply("My laptop screen is broken.", reply)
    jargon = next(p for p in result.problems if p.name == "jargon")
    assert {"L2", "RMA", "SLA"} <= {s.text for s in jargon.spans}
    _assert_spans_match(reply, result)
    # the customer used the term first: not jargon
    same_words = score_reply("Can you send me an RMA number?", "Your RMA number is on its way.")
    assert "jargon" not in _problem_names(same_words)


def test_it_flags_template_only_replies() -> None:
    reply = (
        "Thank you for contacting us. We apologise for any inconvenience caused. Your feedback "
        "is important to us."
    )
    result = score_reply(DAMAGED, reply)
    assert "template_only" in _problem_names(result)
    assert result.score < 35
    assert "template_only" not in _problem_names(score_reply(DAMAGED, STRONG))


def test_it_scores_an_empty_reply_zero_with_advice() -> None:
    for reply in ("", "   \n "):
        result = score_reply("I'm worried about my job.", reply)
        assert result.score == 0
        assert [m.level for m in result.mechanisms] == [0] * 5
        assert all(m.advice for m in result.mechanisms)
        assert result.summary


def test_it_summarises_what_is_present_and_missing() -> None:
    result = score_reply(DAMAGED, "Sorry to hear that. We will look into it.")
    assert result.summary.startswith("The reply ")
    assert "lacks" in result.summary
    assert result.summary.count(".") == 1  # one sentence


def test_it_handles_a_100kb_reply_fast() -> None:
    unit = "I'm so sorry, that sounds really frustrating. I've refunded you today. What else? "
    reply = unit * (100_000 // len(unit) + 1)
    start = time.perf_counter()
    result = score_reply(DAMAGED, reply)
    assert time.perf_counter() - start < 1.0
    assert 0 <= result.score <= 100
    _assert_spans_match(reply, result)


def test_it_is_fast_and_deterministic() -> None:
    pairs = [(r["message"], r["reply"]) for r in load_pairs()]
    first = [score_reply(m, r) for m, r in pairs]
    start = time.perf_counter()
    second = [score_reply(m, r) for m, r in pairs]
    rate = len(pairs) / (time.perf_counter() - start)
    assert first == second
    # about 3,500 pairs/s on one idle core; the target is 2,000, this leaves room for busy CI
    assert rate > 1_000


def test_it_gives_spans_that_match_the_reply_on_every_labelled_pair() -> None:
    for row in load_pairs():
        _assert_spans_match(row["reply"], score_reply(row["message"], row["reply"]))


def test_it_keeps_the_labelled_dataset_well_formed() -> None:
    rows = load_pairs(DATA_PATH)
    assert len(rows) >= 320
    domains = Counter(r["domain"] for r in rows)
    assert set(domains) == {"support", "sales", "hr", "colleague"}
    assert min(domains.values()) >= 60
    assert len({r["id"] for r in rows}) == len(rows)
    for domain in domains:
        held = sum(r["split"] == "heldout" for r in rows if r["domain"] == domain)
        assert 0.25 <= held / domains[domain] <= 0.35
    for r in rows:
        assert 0 <= int(r["score"]) <= 100
        assert all(r[m] in {"0", "1", "2"} for m in MECHANISMS)
        assert all(p in PROBLEMS for p in r["problems"].split(";") if p)
        assert r["split"] in {"train", "heldout"}
    # a message never sits in both splits
    splits: dict[str, set[str]] = {}
    for r in rows:
        splits.setdefault(r["message"], set()).add(r["split"])
    assert all(len(s) == 1 for s in splits.values())


def test_it_reaches_a_heldout_spearman_of_at_least_0_7() -> None:
    figures = evaluate_reply_scorer()
    assert figures["n"] >= 96
    assert figures["spearman"] >= 0.7


def test_it_computes_spearman_with_ties_and_kappa() -> None:
    assert spearman([1, 2, 3, 4], [10, 20, 30, 40]) == 1.0
    assert spearman([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    # ties get their average rank: ranks (1.5, 1.5, 3) vs (1, 2, 3)
    assert abs(spearman([5, 5, 7], [1, 2, 3]) - 0.8660254) < 1e-6
    assert quadratic_kappa([0, 1, 2, 2], [0, 1, 2, 2]) == 1.0
    assert quadratic_kappa([0, 0, 2, 2], [2, 2, 0, 0]) < 0


def test_it_does_not_import_django() -> None:
    code = (
        "import sys, heard_nlp.reply; assert not any(m.startswith('django') for m in sys.modules)"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)


def test_it_scores_the_same_whatever_the_name() -> None:
    names = ("Emily", "Jamal", "DeShawn", "Priya", "Zoë", "Oluwaseun", "Ji-woo", "McDonald")
    message = "{name} here: my parcel arrived broken and I'm really upset."
    reply = "I'm so sorry, {name}. That sounds upsetting. I've sent a replacement today."
    scores = {score_reply(message.format(name=n), reply.format(name=n)).score for n in names}
    assert len(scores) == 1

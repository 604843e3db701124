"""2,000 realistic customer and employee texts for the text-analysis benchmark, made from
templates with a fixed seed (no external data needed)."""

from __future__ import annotations

import random

OPENERS = (
    "Hi,", "Hello team,", "Dear support,", "Hey,", "", "Good morning,", "To whom it may concern,",
)  # fmt: skip
PROBLEMS = (
    "my order #{n} arrived damaged and the box was soaked",
    "I was charged twice for my subscription this month",
    "the app logs me out every time I open the settings page",
    "the delivery was promised for Tuesday and it is now Friday",
    "nobody has replied to my last three emails about the refund",
    "the replacement part you sent is the wrong size again",
    "your agent was incredibly patient and sorted everything in ten minutes",
    "the new scheduling tool keeps double-booking our shifts",
    "I love the new dashboard, it saves me so much time every morning",
    "the invoice shows a price that is different from the quote",
    "I've been on hold for over an hour and the line keeps dropping",
    "the onboarding session was clear and the trainer answered every question",
    "my manager cancelled our one-to-one for the fourth week in a row",
    "the team feels stretched since two people left and nobody was hired",
)
FEELINGS = (
    "I'm really frustrated.", "This is unacceptable.", "Thank you so much!",
    "I'm worried I'll lose the booking.", "Honestly I'm confused about what to do next.",
    "I'm not angry, just disappointed.", "Great job, really.", "Please sort this out today.",
    "If this isn't fixed by Monday I'll cancel my account.", "", "I'm so grateful for the help.",
    "It's the third time I'm writing about this.",
)  # fmt: skip
CLOSERS = ("", "Thanks.", "Regards, Sam", "Cheers", "Looking forward to hearing from you.")


def realistic_texts(count: int = 2000, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    texts = []
    for _ in range(count):
        parts = [rng.choice(OPENERS), rng.choice(PROBLEMS).format(n=rng.randint(10000, 99999))]
        if rng.random() < 0.4:
            parts.append("and " + rng.choice(PROBLEMS).format(n=rng.randint(10000, 99999)))
        parts += [rng.choice(FEELINGS), rng.choice(CLOSERS)]
        text = " ".join(p for p in parts if p).strip()
        texts.append(text[0].upper() + text[1:] + ("" if text.endswith((".", "!", "?")) else "."))
    return texts

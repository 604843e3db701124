"""An outline for an empathetic reply, fitted to what the customer feels. A suggestion for
the agent to write from: Heard never sends anything itself."""

from __future__ import annotations

from dataclasses import dataclass

from heard.customers.models import Item
from heard_nlp.labels import GROUPS

OPENINGS = {
    "frustration": "Name the frustration in their words: “I can see how frustrating it is "
    "that …”, not “sorry for any inconvenience”.",
    "worry": "Acknowledge the worry and reassure with a fact: “I understand you're worried "
    "about …; here is where things stand.”",
    "sadness": "Acknowledge the disappointment: “I'm sorry this wasn't the experience you "
    "hoped for with …”.",
    "confusion": "Acknowledge the confusion without blame: “That part isn't clear, and that's "
    "on us.”",
    "gratitude": "Thank them for the kind words, and say what they mean to the team.",
    "joy": "Share their good news and thank them for telling you.",
}


@dataclass(frozen=True)
class OutlineStep:
    name: str
    hint: str


def reply_outline(item: Item) -> list[OutlineStep]:
    """Acknowledge, understand, own, next step, ask: in that order, fitted to the item's
    strongest feeling (Heard's emotion groups, heard_nlp.labels.GROUPS) and its urgency."""
    groups = (
        {
            name: max(float(item.emotions.get(label, 0.0)) for label in labels)
            for name, labels in GROUPS.items()
        }
        if item.emotions
        else {}
    )
    feeling = max(groups, key=lambda k: groups[k]) if groups and max(groups.values()) >= 0.2 else ""
    positive = feeling in ("gratitude", "joy")
    steps = [
        OutlineStep(
            "Acknowledge the feeling",
            OPENINGS.get(
                feeling,
                "Start with them, not the policy: say what you understood they went through.",
            ),
        ),
        OutlineStep(
            "Show you understood the situation",
            "Restate the problem in one sentence with its details (order, date, what happened), "
            "so they know they don't have to explain again.",
        ),
    ]
    if not positive:
        steps.append(
            OutlineStep(
                "Own it",
                "Apologise for what went wrong on your side, plainly, without blaming the "
                "customer, a courier or “the system”.",
            )
        )
        urgent = (
            " They said it is urgent: give a time you will keep." if item.urgency == "high" else ""
        )
        steps.append(
            OutlineStep(
                "Give a concrete next step",
                "Say what you will do, by when, and what they will see (a refund on …, a "
                "replacement on …)." + urgent,
            )
        )
    steps.append(
        OutlineStep(
            "Ask",
            "Ask one open question to learn what would make this right for them."
            if not positive
            else "Ask whether there is anything else you can help with.",
        )
    )
    return steps

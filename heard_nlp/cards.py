"""Model cards (Mitchell et al., 2019) for heard_nlp, written by `make eval` from its figures,
so a card never shows a number that no command printed."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

from heard_nlp.bias import MAX_MEAN_SENTIMENT_GAP
from heard_nlp.labels import EMOTIONS

INTENDED = """## Intended use
- Customer texts (tickets, reviews, survey answers) one by one: what a customer feels, how
  strongly, how urgently someone should reply, and the words that show it.
- Employee comments **only in aggregate**, for groups at or above Heard's comment threshold.
- Always shown as an AI reading, with its evidence, and correctable by a person.

## Not intended use
- Scoring, ranking or judging an individual employee, or inferring an employee's emotions.
- Deciding anything on its own: nothing is sent or changed without a person's click.
- Text in languages other than English: such text is marked "not analysed", never scored.
- Clinical or crisis assessment. Safety words raise urgency so a person looks sooner; the model
  does not assess anyone's wellbeing.
"""


def _today() -> str:
    return datetime.datetime.now(datetime.UTC).date().isoformat()


def _figure(details: dict[str, Any], backend: str, key: str) -> str:
    value = details.get(backend, {}).get(key)
    return "not measured (data absent)" if value is None else f"{value:.4f}"


def _emotions_card(result: dict[str, Any]) -> str:
    details = result["details"]
    backends = details["backends"]
    rows = "\n".join(
        f"| {label} | "
        + " | ".join(
            f"{details[b]['per_label_f1'].get(label, 0.0):.3f}"
            if details[b]["per_label_f1"]
            else "-"
            for b in backends
        )
        + " |"
        for label in EMOTIONS
    )
    header = "| label | " + " | ".join(backends) + " |\n|---|" + "---|" * len(backends)
    macro = "\n".join(
        f"- {b} backend: **{_figure(details, b, 'goemotions_dev_macro_f1')}**" for b in backends
    )
    return f"""# Model card: emotions (28 GoEmotions labels)

_Written by `make eval` on {_today()}. Do not edit by hand._

## What it does
For each text, a probability for each of GoEmotions' 27 emotions and neutral, the labels above
per-label thresholds, and Heard's groups (frustration, worry, sadness, confusion, gratitude,
joy; a group's score is its most likely member).

- **model backend**: all-MiniLM-L6-v2 sentence embeddings (ONNX, int8) with heads trained by
  `make train-models`; see docs/decisions/0005-text-model.md.
- **lexicon backend**: Heard's emotion lexicon, a logistic regression per label over word and
  word-pair features (negation-marked), trained on the same data by
  `python -m heard_nlp.lexicon_train`. Fast (thousands of texts per second) and every score is a
  sum of visible word weights.

## Data
GoEmotions (Demszky et al., ACL 2020; Apache-2.0): 43,410 English Reddit comments for training,
thresholds tuned on the 5,426-comment dev split, figures below on that dev split (its test split
is deliberately not used). Reddit comments are younger, more US-centred and more informal than
workplace or customer text.

## Figures: GoEmotions dev, macro-F1 over 28 labels
{macro}

Published for comparison (test split): BERT-base 0.46; TF-IDF + logistic regression with
per-label thresholds about 0.45; all-MiniLM-L6-v2 with a linear head about 0.40. Because the
thresholds are tuned on dev, dev figures are slightly optimistic.

## Per-label F1 (dev)
{header}
{rows}

{INTENDED}
## Known limits
- Rare labels (grief, pride, relief, nervousness) have few training examples and low F1.
- Sarcasm and irony are often read literally.
- Trained on Reddit: customer-service phrasing ("I've been on hold for an hour") may read as
  neutral more often than a person would; urgency rules (urgency.py) cover the common cases.
"""


def _sentiment_card(result: dict[str, Any]) -> str:
    details = result["details"]
    lines = []
    for backend in details["backends"]:
        lines.append(
            f"| {backend} | {_figure(details, backend, 'sst2_dev_accuracy')} | "
            f"{_figure(details, backend, 'uci_amazon_accuracy')} | "
            f"{_figure(details, backend, 'uci_yelp_accuracy')} |"
        )
    table = "\n".join(lines)
    return f"""# Model card: sentiment

_Written by `make eval` on {_today()}. Do not edit by hand._

## What it does
A score from -1 (very negative) to 1 (very positive) and a label: negative below -0.2,
positive above 0.2, neutral between. Heard trains no sentiment model on sentiment-labelled data:
the score comes from the emotion model (positive emotions minus negative emotions, GoEmotions'
own grouping), combined in the lexicon backend with VADER (Hutto & Gilbert, 2014; MIT) in
equal parts.

## Figures: binary accuracy by the sign of the score (never trained or tuned on these sets)
| backend | SST-2 dev (872 movie-review sentences) | UCI Amazon (1,000) | UCI Yelp (1,000) |
|---|---|---|---|
{table}

Published for comparison: VADER about 0.66 to 0.70 on SST-2 and 0.77 / 0.73 on Amazon / Yelp;
TF-IDF + logistic regression trained on SST-2 0.81; DistilBERT fine-tuned on SST-2 0.91.

{INTENDED}
## Known limits
- Movie-review language (SST-2) is far from the Reddit comments the model learnt from; mixed
  sentences ("not bad at all, but...") are the usual errors.
- Neutral is a band around zero, not a trained class.
"""


def _reply_card(result: dict[str, Any]) -> str:
    reply = result["details"]["reply"]
    extra = "\n".join(
        f"- {key}: {value:.4f}" if isinstance(value, float) else f"- {key}: {value}"
        for key, value in reply.items()
        if key != "spearman" and not isinstance(value, dict)
    )
    return f"""# Model card: reply empathy scorer

_Written by `make eval` on {_today()}. Do not edit by hand._

## What it does
Scores how empathetic a written reply is to a message, 0 to 100, from five mechanisms (emotional
reaction, interpretation, exploration, ownership, a concrete next step; each 0/1/2, after EPITOME,
Sharma et al. 2020) and four problems (blaming, dismissing, jargon, template-only), each with the
words that show it and advice. Rules written for Heard, no learnt weights.

## Data
`heard_nlp/data/reply_pairs.csv`: message/reply pairs written and labelled for Heard across
support, sales, HR and colleague situations (see heard_nlp/data/README.md for the rubric). The
scorer was built on the train part; the figures are on the held-out part.

## Figures (held-out part)
- Spearman correlation with the labelled score: **{reply["spearman"]:.4f}** (goal 0.7)
{extra}

{INTENDED}
## Known limits
- English only; phrase lists miss creative or indirect empathy and can be gamed by stock phrases.
- The labels come from one writer's judgement against a rubric, not from several raters.
"""


def _bias_card(result: dict[str, Any]) -> str:
    from heard_nlp.bias import NAMES

    name_count = sum(len(names) for names in NAMES.values())
    rows = "\n".join(
        f"| {g['dimension']} | {g['measure']} | {g['mean']:.4f} | {g['largest']:.4f} "
        f"| {g['worst_example']} |"
        for g in result["details"]["bias"]
    )
    return f"""# Bias audit

_Written by `make eval` on {_today()}. Do not edit by hand._

Counterfactual texts that differ only in a person's name ({name_count} names across genders and
origins, two of them also English words: Grace, Will),
a pronoun (he / she / they), or dialect (the same complaint in Standard American English and
African-American English). For each template, the gap is the largest difference between the
readings of its variants; below, the mean and the largest gap over templates. Sentiment runs
from -1 to 1 (a range of 2), frustration and the reply score (divided by 100) from 0 to 1.
Templates: heard_nlp/bias.py. A test fails when the mean sentiment gap exceeds
{MAX_MEAN_SENTIMENT_GAP}.

Before scoring, names and gendered pronouns are made neutral (heard_nlp/neutral.py): a word
that looks like a name becomes one fixed name, he/she become they. The name and pronoun rows
therefore measure what that step misses (names that are also words, verb agreement); the
dialect row has no such step and shows the models' own gap.

| changed | reading | mean gap | largest gap | template with the largest gap |
|---|---|---|---|---|
{rows}

Mean sentiment gap over all three: **{result["figures"]["bias_mean_sentiment_gap"]:.4f}**.

## What this does not show
Equal readings on templates do not prove fairness on real text: dialect features beyond these
pairs, code-switching and non-native English are not covered, and the audit measures the
readings, not what people do with them.
"""


def write_cards(result: dict[str, Any], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, make in (("emotions", _emotions_card), ("sentiment", _sentiment_card),
                       ("reply-scorer", _reply_card), ("bias-audit", _bias_card)):  # fmt: skip
        path = folder / f"{name}.md"
        path.write_text(make(result))
        written.append(path)
    return written

"""Readers for the public labelled data in ../shared/data (never copied into the repository).

Training and evaluation call `data_dir()`; when the folder is absent (a user's fresh machine)
they skip with `DataMissing`'s message instead of failing.
"""

from __future__ import annotations

import csv
import os
from dataclasses import dataclass
from pathlib import Path

from heard_nlp.labels import EMOTIONS

REPO_ROOT = Path(__file__).resolve().parent.parent


class DataMissing(Exception):
    pass


def data_dir() -> Path:
    """HEARD_DATA_DIR, else ../shared/data beside the repository."""
    configured = os.environ.get("HEARD_DATA_DIR")
    path = Path(configured) if configured else REPO_ROOT.parent / "shared" / "data"
    if not path.is_dir():
        raise DataMissing(
            f"The labelled data folder {path} is not there; set HEARD_DATA_DIR to a copy of "
            "shared/data (GoEmotions, SST-2, UCI sentences) to train or evaluate."
        )
    return path


@dataclass(frozen=True)
class EmotionExample:
    text: str
    labels: tuple[str, ...]


def goemotions(split: str, root: Path | None = None) -> list[EmotionExample]:
    path = (root or data_dir()) / "goemotions" / f"{split}.tsv"
    if not path.exists():
        raise DataMissing(f"{path} is missing.")
    examples = []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) < 2:
                continue
            ids = [int(i) for i in row[1].split(",") if i.strip()]
            examples.append(EmotionExample(row[0], tuple(EMOTIONS[i] for i in ids)))
    return examples


@dataclass(frozen=True)
class SentimentExample:
    text: str
    positive: bool


def sst2_dev(root: Path | None = None) -> list[SentimentExample]:
    path = (root or data_dir()) / "sst2" / "dev.tsv"
    if not path.exists():
        raise DataMissing(f"{path} is missing.")
    rows = path.read_text(encoding="utf-8").splitlines()
    return [
        SentimentExample(text, label == "1") for label, text in (r.split("\t", 1) for r in rows)
    ]


def uci(name: str, root: Path | None = None) -> list[SentimentExample]:
    """name: "amazon" or "yelp" (Kotzias et al. 2015 review sentences)."""
    path = (
        (root or data_dir())
        / "uci_sentiment_sentences"
        / f"{name}_{'cells_' if name == 'amazon' else ''}labelled.txt"
    )
    if not path.exists():
        raise DataMissing(f"{path} is missing.")
    examples = []
    for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
        text, _, label = line.rstrip().rpartition("\t")
        if text and label in ("0", "1"):
            examples.append(SentimentExample(text.strip(), label == "1"))
    return examples

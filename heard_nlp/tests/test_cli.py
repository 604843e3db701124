from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from heard_nlp.cli import main

TICKETS = (
    "id,text\n"
    '1,"This is the third time I ask. The refund never came and I am furious!"\n'
    "2,Thank you so much for the quick help.\n"
    "3,Merci beaucoup pour votre aide rapide et efficace.\n"
    "4,\n"
)


def _run(tmp_path: Path, content: bytes, *extra: str) -> tuple[int, Path]:
    source = tmp_path / "in.csv"
    source.write_bytes(content)
    output = tmp_path / "out.csv"
    code = main(
        ["analyze", "--input", str(source), "--output", str(output), "--backend", "lexicon", *extra]
    )
    return code, output


def test_it_adds_the_analysis_columns(tmp_path: Path) -> None:
    code, output = _run(tmp_path, TICKETS.encode())
    assert code == 0
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert [r["id"] for r in rows] == ["1", "2", "3", "4"]
    assert set(rows[0]) >= {"language", "sentiment", "sentiment_score", "emotions", "top_emotion",
                            "frustration", "urgency"}  # fmt: skip
    assert rows[0]["sentiment"] == "negative"
    assert rows[0]["urgency"] in ("medium", "high")
    assert float(rows[0]["frustration"]) > 0.5
    assert rows[1]["sentiment"] == "positive"
    assert "gratitude" in rows[1]["emotions"].split(";")
    assert rows[2]["language"] == "fr"
    assert rows[2]["sentiment"] == ""
    assert rows[2]["note"].startswith("not analysed")
    assert rows[3]["note"] == "not analysed: empty text"


def test_it_writes_every_probability_as_jsonl(tmp_path: Path) -> None:
    code, output = _run(tmp_path, TICKETS.encode(), "--format", "jsonl")
    assert code == 0
    first = json.loads(output.read_text(encoding="utf-8").splitlines()[0])
    assert first["input"]["id"] == "1"
    assert len(first["analysis"]["emotions"]["probabilities"]) == 28
    assert first["analysis"]["evidence"]


def test_it_names_the_columns_when_one_is_missing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, output = _run(tmp_path, TICKETS.encode(), "--text-column", "body")
    assert code == 2
    assert "Column 'body' not found" in capsys.readouterr().err
    assert not output.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"", "is empty"), (b"PK\x03\x04\x00\x00\x00", "binary"), (b"id,text\n", "no rows")],
)
def test_it_rejects_unreadable_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, message: str
) -> None:
    code, output = _run(tmp_path, content)
    assert code == 2
    assert message in capsys.readouterr().err
    assert not output.exists()


def test_it_reads_latin1_with_a_note(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, output = _run(tmp_path, "id,text\n1,Très déçu du service.\n".encode("latin-1"))
    assert code == 0
    assert "read as Windows-1252" in capsys.readouterr().err
    assert "Très déçu" in output.read_text(encoding="utf-8")


def test_it_handles_a_five_megabyte_cell(tmp_path: Path) -> None:
    huge = "This is terrible. " * 300_000  # about 5.4 MB in one cell
    code, output = _run(tmp_path, f'id,text\n1,"{huge}"\n2,Fine.\n'.encode())
    assert code == 0
    rows = list(csv.DictReader(output.open(encoding="utf-8")))
    assert rows[0]["note"] == "analysed the first 20,000 characters only"
    assert rows[0]["sentiment"] == "negative"


def test_it_leaves_no_partial_output_when_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import heard_nlp.analyze as analyze_module

    calls = {"n": 0}
    real = analyze_module.analyze

    def failing(texts: list[str], **kwargs: object) -> object:
        calls["n"] += 1
        if calls["n"] > 1:
            raise KeyboardInterrupt
        return real(texts, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(analyze_module, "analyze", failing)
    monkeypatch.setattr("heard_nlp.cli.CHUNK", 1)
    code, output = _run(tmp_path, TICKETS.encode())
    assert code == 130
    assert not output.exists()
    assert list(tmp_path.glob(".out.csv.*")) == []


def test_it_scores_replies_from_a_csv(tmp_path: Path) -> None:
    source = tmp_path / "pairs.csv"
    source.write_text(
        "m,r\n"
        '"My order arrived broken.","I\'m so sorry, that is really disappointing. I\'ve sent a '
        'replacement today; it arrives Thursday. Is the rest of the order okay?"\n'
        '"My order arrived broken.","Calm down. As I already said, read the terms."\n',
        encoding="utf-8",
    )
    output = tmp_path / "scored.csv"
    assert main(["score-replies", "--input", str(source), "--message-column", "m",
                 "--reply-column", "r", "--output", str(output)]) == 0  # fmt: skip
    good, bad = list(csv.DictReader(output.open(encoding="utf-8")))
    assert int(good["empathy_score"]) > int(bad["empathy_score"])
    assert "dismissing" in bad["problems"].split(";")
    assert {"emotional_reaction", "interpretation", "exploration"} <= set(good)


def test_it_prints_one_reply_score_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["score-reply", "--message", "I was charged twice.", "--reply", "Sorry about that."])
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    assert 0 <= printed["score"] <= 100
    assert {m["name"] for m in printed["mechanisms"]} >= {"emotional_reaction", "next_step"}


def test_it_falls_back_to_the_lexicon_and_says_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from heard_nlp.analyze import analyze, model_status
    from heard_nlp.encoder import reset_encoder_cache
    from heard_nlp.model import reset_model_cache

    monkeypatch.setenv("HEARD_MODEL_DIR", str(tmp_path))  # a folder with no model in it
    reset_encoder_cache()
    reset_model_cache()
    try:
        available, reason = model_status()
        assert not available
        assert "model.onnx" in reason
        [result] = analyze(["Thank you, that was wonderful."])
        assert result.backend == "lexicon"
        assert result.sentiment is not None and result.sentiment.label == "positive"
        source = tmp_path / "in.csv"
        source.write_text(TICKETS, encoding="utf-8")
        assert main(["analyze", "--input", str(source), "--output", str(tmp_path / "o.csv")]) == 0
        assert "using the lexicon backend" in capsys.readouterr().err
    finally:
        monkeypatch.delenv("HEARD_MODEL_DIR")
        reset_encoder_cache()
        reset_model_cache()

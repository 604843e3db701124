"""Per-label F1 and threshold tuning, shared by training (both backends) and `make eval`."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float32]
IntArray = npt.NDArray[np.int8]
THRESHOLD_GRID = np.round(np.arange(0.02, 0.905, 0.01), 2)


def f1_per_label(y: IntArray, p: FloatArray, thresholds: FloatArray) -> FloatArray:
    """F1 of each column of `p` (n, labels) thresholded per label, against 0/1 targets `y`."""
    predicted = p >= thresholds
    truth = y == 1
    tp = (predicted & truth).sum(axis=0)
    fp = (predicted & ~truth).sum(axis=0)
    fn = (~predicted & truth).sum(axis=0)
    out: FloatArray = (2 * tp / np.maximum(2 * tp + fp + fn, 1)).astype(np.float32)
    return out


def tune_thresholds(y: IntArray, p: FloatArray) -> FloatArray:
    """Per label, the grid threshold with the best F1 (the lowest on ties)."""
    scores = np.stack([f1_per_label(y, p, np.full(p.shape[1], t)) for t in THRESHOLD_GRID])
    out: FloatArray = THRESHOLD_GRID[scores.argmax(axis=0)].astype(np.float32)
    return out

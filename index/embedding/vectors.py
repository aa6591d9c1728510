"""Small numpy helpers shared by the embedders."""

from __future__ import annotations

import numpy as np


def l2_normalise(rows: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length as float32; an all-zero row stays zero rather than NaN."""
    rows = np.asarray(rows, dtype=np.float32)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.maximum(norms, 1e-12)


def empty(dim: int) -> np.ndarray:
    return np.zeros((0, dim), dtype=np.float32)

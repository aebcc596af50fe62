"""Float32 values written as text with float32's digits: ``1542.6179``, not ``1542.617919921875``.

SynSP refines in float32, and an array read as float32 holds float32 values; Python's ``repr``
and ``json`` print such a value, as a float64, with the 13-17 digits of its exact binary value,
which doubles a file's size and makes its diffs noisy. :func:`float32_decimals` gives each
value as the float64 nearest its shortest decimal that reads back as the same float32, so every
text writer (``repr``, ``%r``, ``json``) prints that decimal. Values a refinement did not change
are never passed through it: they keep every digit the input had (:func:`text_path` tells the
writers that print text).
"""
from __future__ import annotations

from pathlib import Path

import numpy as np

# Extensions whose writers print numbers as text (JSON, JSON Lines, the CSV family); a TRC prints
# fixed decimals of its own, BVH its own, and binary files (npy, npz, h5, c3d) keep the dtype.
TEXT_SUFFIXES = (".json", ".jsonl", ".csv", ".tsv", ".txt")
_MAX_DIGITS = 9  # every float32 reads back from 9 significant digits


def text_path(path: str | Path) -> bool:
    """Whether ``path`` is written as text by a writer that prints numbers with ``repr`` or ``json``:
    a :data:`TEXT_SUFFIXES` file, or a name without one (an OpenPose folder of JSON files)."""
    suffix = Path(path).suffix.lower()
    return suffix in TEXT_SUFFIXES or suffix == ""


def refined_decimals(written: np.ndarray, as_read: np.ndarray, path: str | Path) -> np.ndarray:
    """``written`` (V, T, J, C), the poses a refinement writes to ``path``, with every value that is
    a float32 (the network's output) and differs from ``as_read`` (the file's, same shape) as
    :func:`float32_decimals`' when ``path`` is written as text (:func:`text_path`); the values as
    read keep their digits, and values that are no float32 (float64 arithmetic) theirs. ``written`` as it is
    otherwise (a binary file keeps float32's exact values; another shape: nothing to tell them by)."""
    if not text_path(path) or np.shape(written) != np.shape(as_read) or np.asarray(written).dtype != np.float64:
        return written
    with np.errstate(invalid="ignore"):
        float32 = written == written.astype(np.float32)
        return np.where(float32 & (written != as_read), float32_decimals(written), written)


def float32_decimals(values: np.ndarray) -> np.ndarray:
    """``values`` (any shape) as float64, each the float64 nearest the shortest decimal (fewest
    significant digits, up to 9) that reads back as ``float32(value)``; NaN, infinities and zeros
    as they are. Vectorised: one rounding per digit count, about 0.1 s for a million values (a
    10,000-frame, 33-joint, 3D file), where formatting each value in Python takes 1.5 s."""
    x = np.asarray(values, dtype=np.float64)
    x32 = x.astype(np.float32)
    out = x32.astype(np.float64)
    todo = np.isfinite(out) & (out != 0)
    if not todo.any():
        return out
    flat_out, flat32 = out.reshape(-1), x32.reshape(-1)
    left = np.flatnonzero(todo.reshape(-1))
    exponent = np.floor(np.log10(np.abs(flat_out[left]))).astype(int)
    for digits in range(1, _MAX_DIGITS + 1):
        decimals = digits - 1 - exponent  # places after the point; negative: tens, hundreds, ...
        scale = 10.0 ** np.abs(decimals)  # exact up to 10**22: n / 10**d is then the float64 nearest the decimal
        near = np.where(decimals >= 0, np.round(flat_out[left] * scale) / scale,
                        np.round(flat_out[left] / scale) * scale)
        back = near.astype(np.float32) == flat32[left]
        flat_out[left[back]] = near[back]
        left, exponent = left[~back], exponent[~back]
        if not left.size:
            break
    return out

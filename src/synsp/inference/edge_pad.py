"""A clip's first and last frames given the context of interior ones: the sequence is extended at both ends before
it is cut into windows, and the extension cut off after the merge.

Without it, a clip's first ``stride`` frames are refined by one window alone, where they are that window's first
frames, the ones it sees with no context before them (its last frames likewise): the edges were refined worse than
the middle and differently for a clip and its reversal (audit 22, finding 5; benchmarks/RESULTS.md section 10, "A
clip's first and last frames"). Extended by :func:`edge_frames` frames at each end, every real frame is covered by
as many windows as an interior one. The extension turns the sequence about a straight line fitted to its end frames
(an odd reflection about a line, not about the end frame: the end frame's own noise would then stay in the output),
so steady motion runs on straight through the edge and the noise beyond it mirrors the noise before it.
"""
from __future__ import annotations

import numpy as np

__all__ = ["EDGE_PAD", "END_FIT", "edge_frames", "extend_ends"]

# Extend a clip at both ends before its windows are cut (False: the paper's cut, windows flush with the ends).
EDGE_PAD = True
# Frames of each end the straight line is fitted to: about the window's reach (SynSP's 8 frames).
END_FIT = 8


def edge_frames(window: int, stride: int) -> int:
    """Frames added at each end: the fewest multiple of ``stride`` that reaches ``window - 1``, so every real frame
    is covered by full windows and the interior windows start where they started without the extension."""
    return -(-(window - 1) // stride) * stride


def _line_end(x: np.ndarray, fit: int) -> tuple[np.ndarray, np.ndarray]:
    """(V, T, J, C) -> the value and slope per frame, (V, J, C) each, of a straight line fitted (least squares) to
    the first ``fit`` frames, at frame 0."""
    n = min(fit, x.shape[1])
    if n < 2:
        return x[:, 0], np.zeros_like(x[:, 0])
    k = np.arange(n, dtype=np.float64) - (n - 1) / 2
    head = x[:, :n].astype(np.float64)
    mean = head.mean(axis=1)
    slope = np.tensordot(k, head - mean[:, None], axes=(0, 1)) / (k @ k)
    return mean - slope * (n - 1) / 2, slope


def _extension(x: np.ndarray, pad: int, fit: int) -> np.ndarray:
    """The ``pad`` frames before frame 0 of ``x`` (V, T, J, C): frame -k is frame k turned about the fitted line's
    value at frame 0 (``2 * line(0) - x[k]``), frames past the end taken again from the line."""
    start, slope = _line_end(x, fit)
    k = np.arange(pad, 0, -1)  # frames -pad .. -1
    reach = np.minimum(k, x.shape[1] - 1)
    mirrored = 2 * start[:, None] - x[:, reach].astype(np.float64)
    beyond = (k - reach)[None, :, None, None] * slope[:, None]  # a clip shorter than the extension: the line on
    return (mirrored - beyond).astype(x.dtype)


def extend_ends(seq: np.ndarray, pad: int, fit: int | None = None) -> np.ndarray:
    """``seq`` (V, T, J, C) without NaN -> (V, T + 2 * pad, J, C): ``pad`` frames before and after it, each end
    turned about the straight line fitted to its ``fit`` end frames (None: :data:`END_FIT`; see the module
    docstring). The same rule at both ends, so a reversed clip is extended by the reversed extension."""
    if pad <= 0:
        return seq
    fit = END_FIT if fit is None else fit
    before = _extension(seq, pad, fit)
    after = _extension(seq[:, ::-1], pad, fit)[:, ::-1]
    return np.concatenate([before, seq, after], axis=1)

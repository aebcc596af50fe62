"""A clip's first and last frames given the context of interior ones: the sequence is extended at both ends before
it is cut into windows, and the extension cut off after the merge.

Without it, a clip's first ``stride`` frames are refined by one window alone, where they are that window's first
frames, the ones it sees with no context before them (its last frames likewise): the edges were refined worse than
the middle and differently for a clip and its reversal (audit 22, finding 5; benchmarks/RESULTS.md section 10, "A
clip's first and last frames"). Extended by :func:`edge_frames` frames at its ends (as few as the window grid
needs: no window wholly outside the clip), every real frame is covered by as many windows as an interior one. The
extension turns the sequence about a straight line fitted to its end frames (an odd reflection about a line, not
about the end frame: the end frame's own noise would then stay in the output), so steady motion runs on straight
through the edge and the noise beyond it mirrors the noise before it (:func:`synsp.odd_extension.odd_extension`, the
low-pass's padding too).
"""
from __future__ import annotations

import numpy as np

from synsp.odd_extension import odd_extension

__all__ = ["EDGE_PAD", "END_FIT", "edge_frames", "extend_ends"]

# Extend a clip at both ends before its windows are cut (False: the paper's cut, windows flush with the ends).
EDGE_PAD = True
# Frames of each end the straight line is fitted to: about the window's reach (SynSP's 8 frames).
END_FIT = 8


def edge_frames(window: int, stride: int, length: int) -> tuple[int, int]:
    """Frames added (before, after) a clip of ``length`` frames, the fewest that keep its window grid regular over it:
    before, the largest multiple of ``stride`` within ``window - 1`` (so the interior windows start where they started
    without the extension and the first window still reaches frame 0); after, so that the last window starts on the
    grid at the last start that reaches the last frame (no window flush with the end off the grid, none wholly past
    it). Every real frame is then covered by the windows an interior frame of its phase is covered by."""
    before = (window - 1) // stride * stride
    last = before + length - 1  # the last real frame in the extended clip
    return before, window - 1 - last % stride


def extend_ends(seq: np.ndarray, before: int, after: int) -> np.ndarray:
    """``seq`` (V, T, J, C) without NaN -> (V, before + T + after, J, C), each end turned about the straight line
    fitted to its :data:`END_FIT` end frames (see the module docstring; ``before``, ``after`` from
    :func:`edge_frames`). The same rule at both ends, so a reversed clip is extended by the reversed extension."""
    if before <= 0 and after <= 0:
        return seq
    extended = odd_extension(seq.astype(np.float64), max(before, 0), max(after, 0), 1, END_FIT)
    return extended.astype(seq.dtype)  # the line fitted in float64 (a float32 mean is off by ulps at 500 px)

"""A long span of one person refined stretch by stretch, so that SynSP's route is decided per stretch.

SynSP decides its route over whatever it is given: SmoothNet instead where the joint definitions are too far from a
body it knows or the camera is high above it, the floor step's strength, the pace, the light-noise step. A span of a
track (between two cuts) of several minutes (a match, a lab session) changes over them, and one stretch of it should
not decide the route for all of it. A span longer than :data:`LONG_SPAN_S` is therefore refined in stretches of about
:data:`STRETCH_S` seconds, each deciding its own route, overlapping by :data:`OVERLAP_S` seconds across which one is
faded into the next (no step where the route changes). Shorter spans are refined whole, as before: every validation
clip (at most 481 frames, 16 s) is far below the limit, so their output is unchanged.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

LONG_SPAN_S = 60.0  # seconds: a span longer than this is refined in stretches
STRETCH_S = 30.0  # seconds: the stretches' length (about: the span is shared evenly)
OVERLAP_S = 2.0  # seconds: two neighbouring stretches share this much, faded across
DEFAULT_FPS = 30.0  # the rate taken when the input says none (as refining.tracks.ASSUMED_FPS)


def stretches(frames: int, fps: float | None = None) -> list[tuple[int, int]]:
    """The (start, end) frames of the stretches a span of ``frames`` frames at ``fps`` is refined in: the whole
    span when it is no longer than :data:`LONG_SPAN_S`, else stretches of about :data:`STRETCH_S` seconds that
    cover it, each overlapping the next by :data:`OVERLAP_S` seconds (in frames, at least 2)."""
    rate = fps if fps and fps > 0 else DEFAULT_FPS
    if frames <= LONG_SPAN_S * rate:
        return [(0, frames)]
    lap = max(2, int(round(OVERLAP_S * rate)))
    size = max(lap + 2, int(round(STRETCH_S * rate)))
    count = int(np.ceil((frames - lap) / (size - lap)))
    step = (frames - lap) / count  # shared evenly: each stretch is step + lap frames, give or take one
    starts = [int(round(i * step)) for i in range(count)]
    return [(a, frames if i == count - 1 else starts[i + 1] + lap) for i, a in enumerate(starts)]


def blended(parts: list[np.ndarray], bounds: list[tuple[int, int]]) -> np.ndarray:
    """The stretches' outputs ``parts`` (each (..., b - a, J, C) for its (a, b) of ``bounds``, :func:`stretches`) as
    one span (..., T, J, C): each frame from the stretch it lies in, and across an overlap a linear fade from the
    earlier stretch to the later one. One part is returned as it is."""
    if len(parts) == 1:
        return parts[0]
    shape = list(parts[0].shape)
    shape[-3] = bounds[-1][1]
    total = np.zeros(shape, dtype=np.float64)
    weight = np.zeros(shape[-3])
    for i, (part, (a, b)) in enumerate(zip(parts, bounds)):
        w = np.ones(b - a)
        if i > 0:  # faded in across the overlap with the stretch before
            lap = bounds[i - 1][1] - a
            w[:lap] = np.arange(1, lap + 1) / (lap + 1)
        if i < len(parts) - 1:  # faded out across the overlap with the next
            lap = b - bounds[i + 1][0]
            w[b - a - lap:] = np.minimum(w[b - a - lap:], np.arange(lap, 0, -1) / (lap + 1))
        total[..., a:b, :, :] += w[:, None, None] * part
        weight[a:b] += w
    return (total / weight[:, None, None]).astype(parts[0].dtype)


def along_stretches(x: np.ndarray, refine: Callable[[np.ndarray], np.ndarray], fps: float | None = None,
                    stretched: bool = True) -> np.ndarray:
    """``refine`` (a span (..., T, J, C) in, the same shape out) run on each of the :func:`stretches` of ``x`` (when
    ``stretched``; else on all of it) and :func:`blended`: for a span of 60 s or less, ``refine(x)`` itself."""
    bounds = stretches(x.shape[-3], fps) if stretched else [(0, x.shape[-3])]
    return blended([refine(x[..., a:b, :, :]) for a, b in bounds], bounds)

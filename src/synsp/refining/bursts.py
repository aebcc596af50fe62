"""Noise in bursts: the calm frames refined apart from the bursts' noise.

An estimator's noise is not even in time: an occluder, motion blur or a turn makes a second or two far noisier
than the rest. Refined as one clip, the bursts' noise reached the calm frames around them (the network's windows,
the low-pass) and the clip-level steps read the clip's noise as the bursts' (the light-noise steps stayed off): 2D
validation, 1 px with 1-2 s of 10 px, the calm frames 0.867 px against 0.536 with no burst (benchmarks/RESULTS.md,
section 4, "Calm frames beside bursts of noise"). The bursts are read from the input alone (:func:`noisy_frames`:
each frame's noise from its second differences, against the clip's calm level), then (:func:`calm_beside_bursts`):

- the calm frames are taken from the clip refined with the bursts' values as gaps (filled from the calm frames
  around them, as any gap is): no burst noise reaches them and the clip reads as lightly noisy as they are;
- the bursts' frames from the clip refined again with the bursts' values taken from the first output and marked
  unmeasured (a second look at them, as :mod:`synsp.refining.refill` gives gappy input).
"""
from __future__ import annotations

from contextvars import ContextVar
from typing import Callable

import numpy as np
from scipy.ndimage import minimum_filter1d

__all__ = ["CONTRAST", "CALM_SHARE", "MIN_RUN", "WHITE_TURN", "CALM_TURN", "noisy_frames", "calm_beside_bursts"]

# A frame is noisy where its noise is more than CONTRAST times the clip's calm level (the CALM_SHARE quantile of the
# frames' levels); the step runs only where some burst is at least twice that far above it (a clear change of level).
CONTRAST = 2.0
CALM_SHARE = 0.2
# Noisy runs shorter than this (frames) are no burst (a glitch, a fast swing); calm runs as short join their bursts.
MIN_RUN = 10
# A burst's second differences from frame to frame correlate below this (white noise: -2/3; motion: near +1), the
# calm frames' below CALM_TURN (their noise is lighter, against the motion's: validation, 3D 2 mm, -0.10 to -0.52; a
# clean clip with 1 % spikes of 8 px read a burst of 55 frames beside frames of motion alone: 2D 0.060 -> 0.106 px).
WHITE_TURN = -0.3
CALM_TURN = 0.0
# True within calm_beside_bursts's own runs of the route: a nested route (a track's, a converted layout's) reads none.
_INSIDE: ContextVar[bool] = ContextVar("bursts_inside", default=False)


def _runs(mask: np.ndarray) -> list[tuple[int, int, bool]]:
    """(start, end, value) of each run of equal values of the (T,) bool ``mask``."""
    edges = np.flatnonzero(np.diff(mask.astype(np.int8))) + 1
    starts, ends = np.r_[0, edges], np.r_[edges, len(mask)]
    return [(int(s), int(e), bool(mask[s])) for s, e in zip(starts, ends)]


def noisy_frames(values: np.ndarray) -> np.ndarray:
    """(T,) bool: the frames of ``values`` (T, J, C) without NaN in a burst of noise, read from the input alone.

    A frame's level is the median over joints of the squared second difference, the least of it and its two
    neighbours' (a value's noise reaches the second differences of the frames beside it, so a burst's edge is read
    to the frame); noisy where it is over ``CONTRAST**2`` times the clip's calm level (its ``CALM_SHARE`` quantile),
    in runs of :data:`MIN_RUN` frames or more whose second differences read as white noise (:data:`WHITE_TURN`: not
    fast motion). None noisy where the calm frames' do not (:data:`CALM_TURN`: motion alone), no run is
    ``2 * CONTRAST`` times the calm level (median over the run: an even noise) or the noisy frames are not between
    5 % and 80 % of the clip."""
    x = np.asarray(values, np.float64)
    none = np.zeros(len(x), bool)
    if len(x) < 4 * MIN_RUN or not np.isfinite(x).all():
        return none
    acc = np.zeros_like(x)
    acc[1:-1] = x[2:] - 2.0 * x[1:-1] + x[:-2]
    acc[0], acc[-1] = acc[1], acc[-2]
    level = minimum_filter1d(np.median(np.sum(acc ** 2, axis=-1), axis=-1), 3, mode="nearest")  # (T,)
    calm = float(np.quantile(level, CALM_SHARE))
    if calm <= 0:
        return none
    noisy = level > CONTRAST ** 2 * calm
    for start, end, value in _runs(noisy):  # short calm runs inside bursts join them; then short bursts go
        if not value and end - start < MIN_RUN and 0 < start and end < len(x):
            noisy[start:end] = True
    strong = False
    for start, end, value in _runs(noisy):
        if value and end - start < MIN_RUN:
            noisy[start:end] = False
        elif value:  # noise: white noise's second differences alternate (lag-1 -2/3), motion's hardly change from
            # frame to frame (clean mocap's fast moves read far above its calm too): a fast move is no burst
            run = acc[start:end]
            turn = float(np.sum(run[1:] * run[:-1]) / max(float(np.sum(run[:-1] ** 2)), 1e-12))
            if turn >= WHITE_TURN:
                noisy[start:end] = False
            else:
                strong |= float(np.median(level[start:end])) > (2.0 * CONTRAST) ** 2 * calm
    calm_pairs = ~noisy[1:] & ~noisy[:-1]  # the calm frames' noise reads as noise too: clean motion's bits are no calm
    calm_turn = float(np.sum(acc[1:][calm_pairs] * acc[:-1][calm_pairs])
                      / max(float(np.sum(acc[:-1][calm_pairs] ** 2)), 1e-12))
    return noisy if strong and calm_turn < CALM_TURN and 0.05 <= noisy.mean() <= 0.8 else none


def calm_beside_bursts(values: np.ndarray, route: Callable[[np.ndarray, np.ndarray | None], np.ndarray],
                       missing: np.ndarray | None = None,
                       measured: Callable[[np.ndarray], np.ndarray] | None = None) -> np.ndarray | None:
    """``values`` (T, J, C) refined by ``route(values, missing)`` (missing: (T, J) bool or None, values not
    measured) with its bursts of noise (:func:`noisy_frames`) apart, as the module docstring says; None where
    there are none (or the input has gaps: the caller's route as it is). ``measured(values)``: the values with the
    estimator's errors the route undoes undone (:func:`synsp.estimator_errors.measurements.measurements`), where the
    bursts are read once the raw values show one, each raw burst kept whole where they show it too: a left/right
    exchange or a spike is no noise (validation, a second of exchanged labels read on the raw values: 3D 0.06 ->
    27.7 mm). The route runs three times: the bursts as
    gaps, the whole input, and the bursts again from that output; the last run's readings are the model's."""
    x = np.asarray(values)
    if _INSIDE.get() or x.ndim != 3 or (missing is not None and np.any(missing)):
        return None
    noisy = noisy_frames(x)
    if noisy.any() and measured is not None:  # the raw values' bursts that the measured values show too, whole
        kept = noisy_frames(measured(x))  # (a glitch filled in a burst can leave its edge frame below the threshold)
        for start, end, value in _runs(noisy):
            noisy[start:end] = value and bool(kept[start:end].any())
        noisy |= kept
    if not noisy.any():
        return None
    marked = np.repeat(noisy[:, None], x.shape[1], axis=1)
    token = _INSIDE.set(True)
    try:
        calm = route(np.where(noisy[:, None, None], np.nan, x).astype(x.dtype, copy=False), None)
        first = route(x, None)
        again = route(np.where(noisy[:, None, None], first, x).astype(x.dtype, copy=False), marked)
    finally:
        _INSIDE.reset(token)
    return np.where(noisy[:, None, None], again, calm).astype(first.dtype, copy=False)

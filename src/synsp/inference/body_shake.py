"""A detector's box shaking the whole body: the body's track steadied where the input shows it.

A top-down 2D estimator crops each frame around the person's detected box and reads the joints
in it, so the box's own jitter (its centre and size wobbling from frame to frame) shakes every
joint together. The 2D network learnt the simulator's errors, whose fast part is each joint's
own, and lets a shake of the whole body through: on the validation split's first 30 clips with
the box jittered by 2 % of the body's height per frame (``benchmarks/robustness.py``'s row) the
default came out at 0.534 x input where SmoothNet reached 0.487, the whole-body part of its error
above 2 Hz 3.97 px against SmoothNet's 3.34 (benchmarks/RESULTS.md, section 4, "A detector's box
shaking the whole body").

The input shows it. In its fast part (:func:`synsp.inference.clean.fast_part`, above 12 Hz at 30
fps, where bodies hardly move) noise that is each joint's own leaves the joints' mean about
``1 / sqrt(J - 1)`` of the rest (0.25 for 17 joints; every validation clip of the simulator's
presets reads 0.06-0.52), while a box's jitter moves the mean by more than the rest (2.2-6.6 on
those rows, and 0.45-1.4 for a box jittered by only 0.25 % on top of `jitter`).
:func:`shake_ratio` is that ratio; where it lies above :data:`SHAKE_RAMP`, the output's joint-mean
track is low-passed at :data:`SHAKE_HZ` (the pose about it left as it is), linear in between.
"""
from __future__ import annotations

import numpy as np

from synsp.filters import butterworth, cutoff_for
from synsp.inference.clean import fast_part

__all__ = ["SHAKE_RAMP", "SHAKE_HZ", "shake_ratio", "steady_body"]

# The shake ratio (:func:`shake_ratio`) below which the output is left as it is and above which its
# joint-mean track is low-passed whole, linear between. Chosen on the validation split above the
# simulator's presets (at most 0.52 over every clip of `typical`, `hard`, `jitter`, `clean-ish`,
# `synthetic`, and `jitter` at 15 fps) and below a box's jitter of 0.5 % on `jitter` (0.59-2.08).
SHAKE_RAMP = (0.6, 1.2)
# The cut-off (Hz, Butterworth of order 4, zero-phase) of the joint-mean track there. Validation,
# first 30 clips, box jitter 2 % on clean poses (x input): SmoothNet's whole-body fast part 0.491,
# 3 Hz 0.423, 2 Hz 0.380; at a box's jitter of 0.25 % 2 Hz cost more than it gained (0.792 -> 0.921).
SHAKE_HZ = 3.0


def shake_ratio(inputs: np.ndarray) -> np.ndarray:
    """How much the whole body shakes: per person (each leading index of ``inputs`` (..., T, J, C),
    without NaN), the RMS of the joints' mean of the input's fast part (:func:`fast_part`) over the
    RMS of the rest of it. About ``1 / sqrt(J - 1)`` for noise that is each joint's own; shaped
    ``inputs.shape[:-3]``."""
    fast = fast_part(inputs)
    mean = fast.mean(axis=-2, keepdims=True)
    whole = np.sqrt(np.mean(np.sum(mean ** 2, axis=-1), axis=(-2, -1)))
    rest = np.sqrt(np.mean(np.sum((fast - mean) ** 2, axis=-1), axis=(-2, -1)))
    return whole / np.maximum(rest, 1e-12)


def steady_body(refined: np.ndarray, inputs: np.ndarray, fps: float | None = None, *,
                hz: float = SHAKE_HZ, ramp: tuple[float, float] = SHAKE_RAMP) -> np.ndarray:
    """``refined`` (..., T, J, C), its joint-mean track low-passed at ``hz`` where ``inputs`` (same
    shape, without NaN: the values it was refined from) shakes as a whole (:func:`shake_ratio` over
    ``ramp``: none below, whole above, linear between); the pose about the track is kept. ``fps``:
    the poses' rate (None: 30). Same shape and dtype; ``refined`` itself where no person shakes."""
    share = np.clip((shake_ratio(inputs) - ramp[0]) / (ramp[1] - ramp[0]), 0.0, 1.0)
    if not share.any():
        return refined
    rate = 30.0 if fps is None else float(fps)
    out = np.asarray(refined, np.float64)
    track = out.mean(axis=-2, keepdims=True)
    steady = butterworth(track, cutoff=cutoff_for(hz, rate), order=4, fps=rate)
    return (out + share[..., None, None, None] * (steady - track)).astype(np.asarray(refined).dtype)

"""A hand-held camera's pan in 2D: the body's whole-frame track given back where the refiner took motion from it.

A phone's camera drifts as it is held: every joint moves together along a random walk, fast at
the frame's scale (its velocity is near white). The 2D network learnt bodies filmed by a still
camera and reads that whole-body motion's fast part as noise, and the body-shake step
(:mod:`synsp.inference.body_shake`) and the last low-pass cut more of it: on 6 validation clips
(COCO-17, 2 px white noise, a brown pan of 30 px std) the joint-mean track's error rose from the
input's 0.61 px to 5.08 px while the pose about it improved (2.43 -> 1.15 px).

What the refiner took off the joint-mean track tells a pan from the rest, in two readings of the gap
between the input and the output (:func:`gap_readings`). Its joint-mean part is large against what
each joint lost on its own when the whole body moved (a pan or a box's jitter; validation, first
20 clips, 2D, COCO-17: the presets `typical`, `hard` at most 0.14 of it, a pan of 30 px 0.10-46,
median 1.6-2.6); and a box's jitter is white per frame, its removed part too (lag-1 autocorrelation
of the joint-mean gap, median -0.30 / -0.24 at 4 px, at most 0.02), where a pan's removed part is a
band of a random walk (median 0.21-0.23; some clips read negative and are left as they are). Over
both ramps (:data:`PAN_SHARE_RAMP`, :data:`PAN_RAMP`, product) the output's joint-mean track is the
input's, the pose about it the refiner's (benchmarks/RESULTS.md, section 4, "A hand-held camera's pan in 2D").
"""
from __future__ import annotations

import numpy as np

__all__ = ["PAN_RAMP", "PAN_SHARE_RAMP", "gap_readings", "share_of", "pan_share", "keep_pan"]

# The lag-1 autocorrelation of the joint-mean gap (:func:`gap_readings`) below which the output is left
# as it is and above which its joint-mean track may be the input's, linear between (module docstring).
PAN_RAMP = (-0.1, 0.1)
# The same for the joint-mean gap's power against the rest's per joint: the presets at most 0.14.
PAN_SHARE_RAMP = (0.2, 0.4)


def gap_readings(inputs: np.ndarray, outputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Two (...,) readings of the gap ``inputs - outputs`` (..., T, J, C, without NaN), its mean over time
    taken off: the lag-1 autocorrelation over time of its joint mean (C pooled), and that joint mean's
    power against the mean power of the rest per joint; both 0 for fewer than 3 frames or no gap."""
    gap = inputs - outputs
    gap = gap - gap.mean(axis=-3, keepdims=True)
    mean = gap.mean(axis=-2, keepdims=True)  # (..., T, 1, C)
    if gap.shape[-3] < 3:
        return np.zeros(gap.shape[:-3]), np.zeros(gap.shape[:-3])
    power = (mean * mean).sum(axis=(-3, -2, -1))
    lagged = (mean[..., 1:, :, :] * mean[..., :-1, :, :]).sum(axis=(-3, -2, -1))
    rest = ((gap - mean) ** 2).sum(axis=(-3, -1)).mean(axis=-1)
    safe = lambda v: np.where(v > 0, v, 1.0)  # noqa: E731
    return np.where(power > 0, lagged / safe(power), 0.0), np.where(rest > 0, power / safe(rest), 0.0)


def share_of(rho: np.ndarray, power: np.ndarray) -> np.ndarray:
    """(...,) in [0, 1] from the two readings of :func:`gap_readings` (lag-1 autocorrelation ``rho``, joint-mean
    ``power`` against the rest's): :data:`PAN_RAMP` times :data:`PAN_SHARE_RAMP`."""
    ramp = lambda v, r: np.clip((v - r[0]) / (r[1] - r[0]), 0.0, 1.0)  # noqa: E731
    return ramp(rho, PAN_RAMP) * ramp(power, PAN_SHARE_RAMP)


def pan_share(inputs: np.ndarray, outputs: np.ndarray) -> np.ndarray:
    """(...,) in [0, 1]: how much of the input's joint-mean track :func:`keep_pan` gives back (:func:`share_of`
    the clip's :func:`gap_readings`)."""
    return share_of(*gap_readings(inputs, outputs))


def keep_pan(outputs: np.ndarray, inputs: np.ndarray, share: np.ndarray | None = None) -> np.ndarray:
    """``outputs`` (..., T, J, C) with its joint-mean track moved ``share`` (..., default :func:`pan_share`)
    of the way to that of ``inputs`` (same shape, the values the refiner saw); the pose about it kept."""
    share = pan_share(inputs, outputs) if share is None else np.asarray(share, float)
    if not np.any(share > 0):
        return outputs
    gap = inputs.mean(axis=-2, keepdims=True) - outputs.mean(axis=-2, keepdims=True)
    return (outputs + share[..., None, None, None] * gap).astype(outputs.dtype, copy=False)

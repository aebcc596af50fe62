"""A clip's first and last frames: part SmoothNet's where the input's errors are fast.

Every smoother estimates a clip's end frames from one side only: SynSP's first frame is the first
offset of a single 8-frame window, then the floor step's Butterworth and the low-pass extrapolate
about a line through the end frames. Those frames kept about half again the error of the inside
(3D, 8 mm white noise, validation: 10.6 and 12.3 mm against 6.8 inside on 12-frame pieces;
benchmarks/RESULTS.md, section 10, "Short clips"). Padding the windows or the clip did not move them,
and fitted filter ends moved them a little. SmoothNet (32-frame windows, each coordinate alone) errs
there as much, but otherwise: the mean of the two is nearer the truth than either, on the end frames
of white noise and jitter. On the simulator's slow errors SmoothNet's output is far behind SynSP's
(`typical`: 0.953 against 0.822 x input), so the blend follows the input's own evidence that its
errors are fast only: the floor step's share of its strength left by the limbs' drift
(:func:`synsp.inference.floor.drift_factor`), 1 for clean, white-noise or jitter-only limbs, 0 for
the `typical` estimator's whole clips.

So, in 3D, the first and last :data:`END_FRAMES` frames take SmoothNet's output (of the first and last
:data:`END_PIECE` frames) at weight :data:`END_WEIGHT` times that share on the end frame, falling linearly
to 0. 2D is left as it is: its floor step already measures the correction from SmoothNet's output, and with
no drift reading to follow the blend cost 12-frame `typical` pieces more (1.8 %) than it gained on white noise
(1 %; RESULTS section 10).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.inference.floor import drift_factor

__all__ = ["END_WEIGHT", "END_FRAMES", "END_PIECE", "end_weights", "smoothnet_ends"]

# SmoothNet's weight on a clip's end frame when the limbs read no drift; chosen on the validation split
# (8 mm white noise, 12 / 20 / 40-frame pieces, and the presets cut alike; RESULTS section 10, "Short clips":
# 0.3 and 0.7 gained less on white noise, 0.7 cost `typical` pieces more).
END_WEIGHT = 0.5
# Frames (at 30 fps; scaled with the input's rate) over which that weight falls to 0 (5 and 12 tried).
END_FRAMES = 8
# SmoothNet refines only this many frames at each end (at 30 fps, scaled alike): its 32-frame windows that
# reach the first END_FRAMES frames start within them, as in the whole clip (the validation figures did not move
# against SmoothNet on whole clips). Its run costs about 0.03 s per end on a CPU core, and only clips it blends.
END_PIECE = 40


def end_weights(length: int, shares: np.ndarray, fps: float | None = None) -> np.ndarray:
    """(V, T) SmoothNet's weight on each frame of a clip of ``length`` frames for each person's ``shares``
    ((V,) in [0, 1], :func:`drift_factor`): ``END_WEIGHT * share`` on the first and last frames, falling
    linearly to 0 over :data:`END_FRAMES` frames (fewer in a clip shorter than twice that), 0 inside."""
    frames = max(1, round(END_FRAMES * (30.0 if fps is None else float(fps)) / 30.0))
    n = min(frames, length // 2)
    ramp = np.zeros(length)
    ramp[:n] = 1.0 - np.arange(n) / n
    ramp = np.maximum(ramp, ramp[::-1])
    return END_WEIGHT * np.asarray(shares, np.float64).reshape(-1, 1) * ramp


def smoothnet_ends(smoothnet: Callable[[np.ndarray], np.ndarray], poses: np.ndarray, limb_drift: np.ndarray | None,
                   ramp: tuple[float, float] | None,
                   fps: float | None = None) -> Callable[[np.ndarray], np.ndarray] | None:
    """The blend for refined outputs of ``poses`` ((T, J, C) or (V, T, J, C), as given to the refiner, NaN
    allowed), or None when it changes nothing (no drift read, or drift enough in every person).

    ``smoothnet`` refines poses shaped like ``poses`` (with fewer frames) at ``fps``; ``limb_drift`` ((V,)
    :func:`synsp.inference.floor.bone_drift`) and ``ramp`` (the refiner's ``drift_ramp``) give each person's
    share. Returns ``out -> blended``, ``out`` (V, T, J, C) in the input's axes and unit (float dtype kept)."""
    if limb_drift is None or ramp is None:
        return None
    shares = drift_factor(np.ravel(limb_drift), ramp)
    seq = np.asarray(poses)
    people = seq if seq.ndim == 4 else seq[None]
    t = people.shape[1]
    weights = end_weights(t, shares, fps)
    if not weights.any():
        return None
    piece = max(END_PIECE, round(END_PIECE * (30.0 if fps is None else float(fps)) / 30.0))
    if t <= 2 * piece:
        ends = np.asarray(smoothnet(poses), np.float64).reshape(people.shape)
    else:  # only the end pieces: the frames between are not blended
        ends = np.zeros(people.shape)
        ends[:, :piece] = np.asarray(smoothnet(seq[..., :piece, :, :]), np.float64).reshape(ends[:, :piece].shape)
        ends[:, -piece:] = np.asarray(smoothnet(seq[..., -piece:, :, :]), np.float64).reshape(ends[:, -piece:].shape)
    w = weights[:, :, None, None]

    def blend(out: np.ndarray) -> np.ndarray:
        own = np.asarray(out, np.float64)
        return (own * (1.0 - w) + np.where(np.isfinite(ends), ends, own) * w).astype(out.dtype)  # a value it lacks

    return blend

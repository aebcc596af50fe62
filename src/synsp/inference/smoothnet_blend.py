"""3D: SynSP's output part SmoothNet's where the errors are fast: on a clip's ends and, under heavier noise, inside.

The two networks' errors differ, so where both are fair their mean is nearer the truth than either. Every smoother
estimates a clip's end frames from one side only: SynSP's first frame is the first offset of a single 8-frame
window, then the floor step's Butterworth and the low-pass extrapolate about a line through the end frames. Those
frames kept about half again the error of the inside (3D, 8 mm white noise, validation: 10.6 and 12.3 mm against
6.8 inside on 12-frame pieces; benchmarks/RESULTS.md, section 10, "Short clips"), and SmoothNet (32-frame windows,
each coordinate alone) errs there as much, but otherwise. Inside a clip the mean pays where the noise is heavy
enough: validation, 12 whole clips, 8 mm white noise 6.15 -> 5.94 mm at half each (SmoothNet 6.53), the simulator's
`jitter` 9.62 -> 9.42; under light noise SmoothNet is far behind (2 mm: 4.16 against 2.31) and the mean costs
(2.63), as it does clean poses (moved 0.40 -> 0.50 mm).

On the simulator's slow errors SmoothNet's output is far behind SynSP's (`typical`: 0.953 against 0.822 x input),
so the blend follows the input's own evidence that its errors are fast only: the floor step's share of its strength
left by the limbs' drift (:func:`synsp.inference.floor.drift_factor`), 1 for clean, white-noise or jitter-only
limbs, 0 for the `typical` estimator's whole clips. Heavy noise correlated over frames also changes the limbs'
lengths slowly, where the levels grow down a limb (MediaPipe's world landmarks: hips nearly clean, wrists and ankles
20-25 mm, an AR(1) over frames), and read as drift there (share 0.15 on the median of the 65 validation clips, 0.12
on every 5th). What tells an estimator's drift from noise is how the slow change stands to the fast one
(:func:`noise_share`): noise of any colour the simulator or MediaPipe makes changes the limbs at most about as much
slowly as fast, drift more slowly; where that reading says noise, the share is its own (the larger of the two counts).
The floor step keeps the drift's share: whole there it cost (validation, every 5th clip, MediaPipe-shaped noise 23.67 ->
25.30 mm), the blend gains. Not on motion refined at a slower pace than its own
(:attr:`~synsp.inference.refiner.Refiner.paced_fps`): SmoothNet runs here at the input's rate, where it lags fast motion
(MediaPipe-shaped noise, validation runs: SynSP 25-30 mm, SmoothNet 27-32), and the noise's share cost every run 0.3-0.6
mm there and the `jitter` preset's run 0.6. On MediaPipe-shaped noise that is not the runs and dashes alone but 15 of
the 17 walks too (24 of the 65 validation clips, refined at 10-18 fps for runs and dashes, 20-29 for walks), where the
share would gain (16 walks 23.93 -> 23.75 mm, 10 better, 6 worse; runs and dashes 26.51 -> 26.67, 7 of 8 worse; RESULTS
section 11, "The blend's noise share"). Validation, MediaPipe-shaped noise, 65 clips: 23.56 -> 23.10 mm (SmoothNet
22.82), the gain on the 41 clips at their own pace; `jitter`'s 19 clips it reaches 7.891 -> 7.843, `clean-ish` and
`typical` none; benchmarks/RESULTS.md, section 11, "MediaPipe-shaped noise".

So, in 3D, SmoothNet's weight on a frame is :data:`WEIGHT` times that share times the larger of

- a ramp on the clip's first and last :data:`END_FRAMES` frames (1 on the end frame, falling linearly to 0), and
- the input's noise level opened over :data:`NOISE_OPEN` (:func:`synsp.inference.clean.noise_level`).

SmoothNet refines the whole clip where the noise opens the inside, else only its first and last :data:`END_PIECE`
frames. 2D is left as it is: its floor step already measures the correction from SmoothNet's output, and with no
drift reading to follow the end blend cost 12-frame `typical` pieces more (1.8 %) than it gained on white noise
(1 %; RESULTS section 10).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.inference.clean import input_noise, noise_level, opened
from synsp.inference.floor import drift_factor, length_changes, limb_bones
from synsp.skeleton import Layout, bone_tree

__all__ = ["WEIGHT", "END_FRAMES", "END_PIECE", "NOISE_OPEN", "NOISE_RATIO", "blend_weights", "limb_ratio",
           "noise_share", "smoothnet_blend"]

# SmoothNet's weight where the limbs read no drift, on a clip's end frame and inside it under heavy noise; chosen on
# the validation split (ends: 8 mm white noise, 12 / 20 / 40-frame pieces, and the presets cut alike, 0.3 and 0.7
# gained less on white noise, 0.7 cost `typical` pieces more; inside: 12 whole clips of each preset and of white noise,
# 0.4-0.7 within 0.1 % of each other; RESULTS section 10, "Short clips" and "The whole clip, part SmoothNet's").
WEIGHT = 0.5
# Frames (at 30 fps; scaled with the input's rate) over which the end weight falls to 0 (5 and 12 tried).
END_FRAMES = 8
# Without the inside blended, SmoothNet refines only this many frames at each end (at 30 fps, scaled alike): its
# 32-frame windows that reach the first END_FRAMES frames start within them, as in the whole clip (the validation
# figures did not move against SmoothNet on whole clips). That costs about 0.03 s per end on a CPU core.
END_PIECE = 40
# The input's noise level (body sizes, :func:`synsp.inference.clean.noise_level`) up to the first figure: the inside
# keeps SynSP's output; from the second: WEIGHT; linear between. White noise of 1 / 2 / 3 / 5 / 8 mm reads about
# 0.0011 / 0.0022 / 0.0033 / 0.0055 / 0.0088 on slow clips, the `jitter` preset 0.0035-0.013. Validation, 12 clips
# each (per-clip errors at inside weights 0-0.7, interpolated): (0.002, 0.008) moved none of clean poses, 1 or 2 mm
# by 0.03 %, took 3 / 5 / 8 mm 0.7 / 1.6 / 3.5 % and `jitter`, `synthetic` 1.1 % off; (0.0015, 0.008) 0.1 % more
# off 3 mm, but cost clean poses 0.07 %.
NOISE_OPEN = (2.0e-3, 8.0e-3)
# The limbs' slow over fast length change (:func:`noise_share`) up to the first figure reads as noise (share 1), from
# the second as drift (share 0), linear between. Validation, all 65 clips (min / median / max): noise, the `jitter`
# preset 0.58 / 0.79 / 0.99, `synthetic` 0.31 / 0.40 / 0.61, MediaPipe-shaped noise 0.59 / 0.73 / 1.11 (white 0.33 /
# 0.40 / 0.56); an estimator's drift, `clean-ish` 1.41 / 3.37 / 6.37, `typical` 0.95 / 2.13 / 4.22, `hard` 0.90 /
# 1.96 / 3.47 (benchmarks/noise_ratio.py).
NOISE_RATIO = (0.8, 1.0)


def noise_share(measured: np.ndarray, layout: str | Layout, fps: float | None = None) -> np.ndarray:
    """(V,) in [0, 1]: how far the limbs' length changes of ``measured`` ((V, T, J, 3) without NaN) read as noise
    rather than drift: the mean over the limb bones (:func:`~synsp.inference.floor.limb_bones`) of their slow length
    change over that of their fast change (:func:`~synsp.inference.floor.length_changes`) opened over
    :data:`NOISE_RATIO`, 1 under its first figure. Short clips read noise low: the slow filter cannot part slow from
    fast change in a few frames (mean share over 20 draws, white noise: 0 at 2-3 frames, 0.2-0.8 at 4-7, about 1 from
    8 on; AR(1) 0.5 noise: 0.8-0.9 from 12; one frame, no change at all: 1). Only the larger of this and the drift's
    share counts, so a short clip keeps at least the drift's. Gap fills are read as measured values (the drift's
    :func:`~synsp.inference.floor.bone_drift` reads seen frames only): a fill through a moving limb changes its
    length, which can move the share either way on a clip with many gaps."""
    return 1.0 - opened(limb_ratio(measured, layout, fps), NOISE_RATIO)


def limb_ratio(measured: np.ndarray, layout: str | Layout, fps: float | None = None) -> np.ndarray:
    """(...) the limb bones' (:func:`~synsp.inference.floor.limb_bones`) mean slow length change over their mean fast
    one (:func:`~synsp.inference.floor.length_changes`) of ``measured`` ((..., T, J, 3) without NaN): what
    :func:`noise_share` opens over :data:`NOISE_RATIO` (per kind of input: ``benchmarks/noise_ratio.py``)."""
    pairs = np.asarray(bone_tree(layout))[list(limb_bones(layout))]
    slow, fast = length_changes(np.asarray(measured, np.float64), pairs, fps)
    return slow.mean(axis=-1) / np.maximum(fast.mean(axis=-1), 1e-12)


def blend_weights(length: int, shares: np.ndarray, fps: float | None = None,
                  levels: np.ndarray | None = None) -> np.ndarray:
    """(V, T) SmoothNet's weight on each frame of a clip of ``length`` frames for each person's ``shares``
    ((V,) in [0, 1], :func:`drift_factor`) and noise ``levels`` ((V,) body sizes, None: ends only):
    ``WEIGHT * share`` times the larger of a ramp from 1 on the first and last frames to 0 over :data:`END_FRAMES`
    frames (fewer in a clip shorter than twice that) and the level opened over :data:`NOISE_OPEN`."""
    frames = max(1, round(END_FRAMES * (30.0 if fps is None else float(fps)) / 30.0))
    n = min(frames, length // 2)
    ramp = np.zeros(length)
    ramp[:n] = 1.0 - np.arange(n) / n
    ramp = np.maximum(ramp, ramp[::-1])
    shares = np.asarray(shares, np.float64).reshape(-1, 1)
    inside = np.zeros_like(shares) if levels is None else opened(np.reshape(levels, (-1, 1)), NOISE_OPEN)
    return WEIGHT * shares * np.maximum(ramp, inside)


def smoothnet_blend(smoothnet: Callable[[np.ndarray], np.ndarray], poses: np.ndarray, limb_drift: np.ndarray | None,
                    ramp: tuple[float, float] | None, fps: float | None = None,
                    measured: np.ndarray | None = None, *, whole: Callable[[], np.ndarray] | None = None,
                    noise: np.ndarray | None = None, layout: str | Layout | None = None
                    ) -> Callable[[np.ndarray], np.ndarray] | None:
    """The blend for refined outputs of ``poses`` ((T, J, C) or (V, T, J, C), as given to the refiner, NaN
    allowed), or None when it changes nothing (no drift read, or drift enough in every person).

    ``smoothnet`` refines poses shaped like ``poses`` (with fewer frames) at ``fps``; ``limb_drift`` ((V,)
    :func:`synsp.inference.floor.bone_drift`) and ``ramp`` (the refiner's ``drift_ramp``) give each person's
    share; ``measured`` ((V, T, J, C), ``poses`` without NaN; None: the ends only) gives the noise level;
    ``whole`` gives ``smoothnet(poses)`` when the whole clip is blended (None: run here), the refiner's own run of
    it, which its give-ways take too (:meth:`synsp.inference.give_way.GiveWay.fallback_output`); ``noise``: (V, J)
    :func:`~synsp.inference.clean.input_noise` of ``measured`` when read already (None: read here); ``layout``: the
    poses' (3D), whose limbs :func:`noise_share` reads on ``measured`` (None: the drift's share alone).
    Returns ``out -> blended``, ``out`` (V, T, J, C) in the input's axes and unit (float dtype kept)."""
    if limb_drift is None or ramp is None:
        return None
    shares = drift_factor(np.ravel(limb_drift), ramp)
    seq = np.asarray(poses)
    people = seq if seq.ndim == 4 else seq[None]
    t = people.shape[1]
    levels = None
    if measured is not None:
        values = np.asarray(measured, np.float64).reshape(people.shape)
        levels = noise_level(values, input_noise(values) if noise is None else noise)
        if layout is not None and values.shape[-1] == 3 and (shares < 1).any():  # noise, not drift, changes them
            shares = np.maximum(shares, noise_share(values, layout, fps))
    weights = blend_weights(t, shares, fps, levels)
    if not weights.any():
        return None
    piece = max(END_PIECE, round(END_PIECE * (30.0 if fps is None else float(fps)) / 30.0))
    if t <= 2 * piece or weights[:, piece:t - piece].any():
        ends = np.asarray(smoothnet(poses) if whole is None else whole(), np.float64).reshape(people.shape)
    else:  # only the end pieces: the frames between are not blended
        ends = np.zeros(people.shape)
        ends[:, :piece] = np.asarray(smoothnet(seq[..., :piece, :, :]), np.float64).reshape(ends[:, :piece].shape)
        ends[:, -piece:] = np.asarray(smoothnet(seq[..., -piece:, :, :]), np.float64).reshape(ends[:, -piece:].shape)
    w = weights[:, :, None, None]

    def blend(out: np.ndarray) -> np.ndarray:
        own = np.asarray(out, np.float64)
        return (own * (1.0 - w) + np.where(np.isfinite(ends), ends, own) * w).astype(out.dtype)  # a value it lacks

    return blend

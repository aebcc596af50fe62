"""Nearly clean input kept: a correction limited to what the input's own noise justifies.

A network corrects what it takes for an estimator's errors, and on input that has none it
moves the poses by its own error: a gait lab's Vicon markers accurate to 0.64 mm came out at
6.0 mm (simulated markers, 0.59 mm: 4.35), the clean validation poses moved by 1.85 mm (3D) and
0.90 px (2D); now 0.58 mm, 0.51 mm and 0.15 px (benchmarks/clean_input.py). The floor step
(:mod:`synsp.inference.floor`) weighs the correction against the network's own floor; this step
weighs it against the *input's* noise, which the input itself shows: a pose estimator's values
shake from frame to frame, mocap's hardly do.

- The input's noise per joint (:func:`input_noise`) is its part above :data:`NOISE_BAND` of the
  Nyquist rate (12 Hz at 30 fps, where bodies hardly move), scaled to the whole band as for
  white noise. Its median over the joints, in body sizes (:func:`noise_level`), tells nearly
  clean input from an estimator's: on the validation split 3D clean mocap measures 0.00008 (median
  clip; fast motion such as a dance up to 0.0016, its own motion above 12 Hz), markers with
  0.64 mm of noise 0.0004, and the least noisy preset, `clean-ish` (a good video estimator:
  1.5 mm of jitter, most of its 27 mm error slow), at least 0.0005 (2D: 0.0004); `jitter`,
  `typical` and `hard` at least 0.0017 (benchmarks/RESULTS.md, section 4, "Nearly clean input").
- Above :data:`NOISE_RAMP`'s top the correction is kept whole (noisy input: nothing changes);
  below its bottom each joint keeps the share ``min(1, (n / c)^2)`` of its correction, with
  ``n`` the joint's noise and ``c`` the correction's RMS: a correction never moves a joint by
  more than its noise (``n^2 / c``), and one much larger than it (the network's bias on clean
  poses) is nearly all dropped. Between the two the share rises linearly. The share is one
  number per clip and joint, continuous in both, so nothing switches from frame to frame.

Input whose noise was smoothed away before refinement (an estimator's own filter) reads as
clean too, and keeps its values; in 3D, unless its limbs change length slowly over the clip
(:func:`synsp.inference.floor.bone_drift` above :data:`DRIFT_OPEN`): slow errors with no fast
part (a monocular estimator's smoothed depth error) are no clean input, and the network's
correction of them is kept (benchmarks/RESULTS.md, section 4, "Error kinds of real estimators").
"""
from __future__ import annotations

import numpy as np

from synsp.filters import butterworth
from synsp.sequence import body_sizes

__all__ = ["NOISE_BAND", "NOISE_RAMP", "DRIFT_OPEN", "GRID_STEPS", "fast_part", "input_noise", "grid_step",
           "grid_counts", "grid_step_of", "without_grid", "noise_level", "opened", "keep_to_noise", "noise_gain"]

# The input's noise is read above this fraction of the Nyquist rate (Butterworth, order 4,
# zero-phase): 12 Hz at 30 fps, where most clean mocap hardly moves (median clip 20 times below
# the least noisy preset's lowest clip; validation: above 6 Hz and 9 Hz the motion showed more).
NOISE_BAND = 0.8
# Per space, the noise level (body sizes) below which the correction is limited to the noise and
# above which it is kept whole, linear between; chosen on the validation split between 0.64 mm
# markers (3D 0.00036-0.00042, bodies of 1.8-1.5 m) and the lowest `clean-ish` clip (3D 0.0005,
# 2D 0.0004), whose slow errors the network corrects (x 0.91 input): that preset, and every
# noisier one, keeps its whole correction.
NOISE_RAMP = {"3d": (4.5e-4, 5.0e-4), "2d": (2.5e-4, 3.5e-4)}
# 3D: the limbs' drift (body sizes, :func:`synsp.inference.floor.bone_drift`) from which the
# correction is kept whole whatever the noise, linear from the first figure. Validation, all 65
# clips: clean mocap 0.00001-0.0012 (median 0.00006), 0.64 mm markers up to 0.0013; slow noise
# read as clean by its noise (low-pass 30 mm: 0.0038-0.0070; depth noise 3.5 x larger along the
# view: 0.0052-0.0118), `clean-ish` from 0.0010, `jitter` 0.0010, `typical` 0.0036.
DRIFT_OPEN = (1.5e-3, 2.5e-3)
# Values written on a grid (whole pixels, millimetres to a decimal place, a heatmap's cells) carry
# rounding noise of a known size, q^2 / 12 per coordinate for a step q: no sign of an estimator's
# errors, so the noise level that tells nearly clean input is read without it (:func:`grid_step`).
GRID_STEPS = tuple(float(2.0 ** k) for k in range(6, -7, -1)) + (0.1, 0.01, 0.001)
# The share of a clip's values (zeros aside: on every step's grid) that must lie on a step's grid
# for the step to count: not all, as gaps are filled between the grid's points before this step
# (and a conversion's midpoints lie between them); over a half, as half the values on a grid lie
# on the grid of twice its step. Float values lie on one by chance (1e-3).
ON_GRID = 0.9
# :func:`grid_step` reads every value of an array of fewer than twice this many, else a sample
GRID_SAMPLE = 20000


def fast_part(values: np.ndarray) -> np.ndarray:
    """The part of ``values`` (..., T, J, C) without NaN above :data:`NOISE_BAND` of the Nyquist
    rate (zero-phase Butterworth, order 4; a share of the Nyquist rate, so the same at any frame
    rate); float64, shaped like ``values``."""
    values = np.asarray(values, np.float64)
    return values - butterworth(values, cutoff=NOISE_BAND * 15.0, order=4, fps=30.0)


def input_noise(values: np.ndarray) -> np.ndarray:
    """Per joint, the RMS over frames of the noise of ``values`` (..., T, J, C) without NaN:
    their :func:`fast_part`, times ``sqrt(1 / (1 - NOISE_BAND))`` (white noise's share of that
    band). Returns (..., J), in the poses' unit (the length of the C-dimensional noise, not per
    coordinate); a share of the Nyquist rate, so it takes no frame rate."""
    fast = fast_part(values)
    return np.sqrt(np.mean(np.sum(fast ** 2, axis=-1), axis=-2) / (1.0 - NOISE_BAND))


def grid_step(values: np.ndarray) -> float:
    """The largest of :data:`GRID_STEPS` whose multiples hold :data:`ON_GRID` of the finite, non-zero
    values of ``values`` (any shape; to a thousandth of the step, float32's precision), 0.0 when
    none does: 2D keypoints written as whole pixels give 1.0, mm written to a decimal place 0.1."""
    v = np.asarray(values, np.float64).ravel()
    v = v[np.isfinite(v) & (v != 0)][:: max(1, v.size // GRID_SAMPLE)]  # a sample is enough to tell
    return grid_step_of(_on_grids(v))


def grid_counts(values: np.ndarray) -> np.ndarray:
    """(1 + len(GRID_STEPS),) ints: how many finite, non-zero values ``values`` holds, then how many
    of them lie on each of :data:`GRID_STEPS`' grids. Counts of parts add up: a stream counts each
    frame once, and :func:`grid_step_of` their sum is :func:`grid_step` of the frames together
    (when they hold fewer than ``2 * GRID_SAMPLE`` values, which it reads all of)."""
    v = np.asarray(values, np.float64).ravel()
    return _on_grids(v[np.isfinite(v) & (v != 0)])


def grid_step_of(counts: np.ndarray) -> float:
    """:func:`grid_step` from :func:`grid_counts` (of the values, or summed over their parts)."""
    if not counts[0]:
        return 0.0
    for step, on in zip(GRID_STEPS, counts[1:]):
        if on / counts[0] >= ON_GRID:
            return step
    return 0.0


def _on_grids(v: np.ndarray) -> np.ndarray:
    """:func:`grid_counts` of flat finite, non-zero values ``v``."""
    ratio = v[None] / np.array(GRID_STEPS)[:, None]  # (S, n)
    # A value that rounds to 0 is on no grid: poses in a tiny unit (pixels x 1e-5) are not whole 64s.
    on = (np.abs(ratio - np.round(ratio)) < 1e-3) & (np.abs(ratio) >= 0.5)
    return np.concatenate([[v.size], np.count_nonzero(on, axis=1)])


def without_grid(noise: np.ndarray, step: float, n_coords: int) -> np.ndarray:
    """``noise`` (:func:`input_noise`) without the rounding noise of a grid of ``step`` (``n_coords``
    coordinates of q^2 / 12 each, white); 0 where the rounding explains it all."""
    return np.sqrt(np.maximum(noise ** 2 - n_coords * step ** 2 / 12.0, 0.0)) if step else noise


def noise_level(values: np.ndarray, noise: np.ndarray) -> np.ndarray:
    """The median over joints of ``noise`` (..., J) (:func:`input_noise` of ``values``
    (..., T, J, C)) in each person's body size (:func:`synsp.sequence.body_size`); (...)."""
    return np.median(noise, axis=-1) / np.maximum(body_sizes(values), 1e-12)


def opened(level: np.ndarray, ramp: tuple[float, float]) -> np.ndarray:
    """The share of the correction kept whole at noise ``level``: 0 up to ``ramp[0]``, 1 from
    ``ramp[1]``, linear between; shaped like ``level``."""
    low, high = ramp
    return np.clip((np.asarray(level, np.float64) - low) / (high - low), 0.0, 1.0)


def keep_to_noise(inputs: np.ndarray, refined: np.ndarray, *, space: str,
                  ramp: tuple[float, float] | None = None, drift: np.ndarray | None = None,
                  noise: np.ndarray | None = None) -> np.ndarray:
    """Keep nearly clean input: limit a refiner's correction to what the input's noise justifies.

    Parameters
    ----------
    inputs, refined : ndarray (..., T, J, C) without NaN, before and after refinement, in the same
        unit (any); each leading index is a person (or view) with its own body size.
    space : "3d" or "2d", for :data:`NOISE_RAMP`'s default.
    ramp : the noise levels (body sizes) between which the limit fades out (None: the space's).
    drift : 3D, each person's limb drift (:func:`synsp.inference.floor.bone_drift`, shaped
        ``inputs.shape[:-3]``), which also fades the limit out, over :data:`DRIFT_OPEN`; None: not read.
    noise : (..., J) :func:`input_noise` of ``inputs`` when read already (None: read here).

    Returns
    -------
    ndarray like ``refined``: ``inputs + gain * (refined - inputs)`` with, per person and joint,
    ``gain = max(opened(level), min(1, (n / c)^2))`` (module docstring, :func:`noise_gain`); ``refined``
    itself when every gain is 1 (noisy input).
    """
    gain = noise_gain(inputs, refined, space=space, ramp=ramp, drift=drift, noise=noise)
    if gain is None:
        return refined
    x = np.asarray(inputs, np.float64)
    diff = np.asarray(refined, np.float64) - x
    return (x + gain[..., None, :, None] * diff).astype(np.asarray(refined).dtype)


def noise_gain(inputs: np.ndarray, refined: np.ndarray, *, space: str, ramp: tuple[float, float] | None = None,
               drift: np.ndarray | None = None, noise: np.ndarray | None = None) -> np.ndarray | None:
    """The share (..., J) of each joint's correction :func:`keep_to_noise` keeps (its parameters); None when
    every share is 1 (noisy input). A route that reads its own risk by a probe holds it fixed
    (:func:`synsp.inference.risk_choice.lowpass_or_network`): read again from probed values, it moved a clip's whole
    output by mm for a probe of 0.1 mm where the noise level lies on :data:`NOISE_RAMP`."""
    x = np.asarray(inputs, np.float64)
    diff = np.asarray(refined, np.float64) - x
    noise = input_noise(x) if noise is None else noise  # (..., J), at any frame rate (a share of the Nyquist rate)
    level = noise_level(x, without_grid(noise, grid_step(inputs), x.shape[-1]))
    whole = opened(level, NOISE_RAMP[space] if ramp is None else ramp)  # (...)
    if drift is not None:  # slow errors without fast noise: no clean input
        whole = np.maximum(whole, opened(drift, DRIFT_OPEN))
    if (whole >= 1).all():
        return None
    c2 = np.mean(np.sum(diff ** 2, axis=-1), axis=-2)  # (..., J) squared RMS of the correction
    limited = np.minimum(1.0, noise ** 2 / np.maximum(c2, 1e-24))
    return np.maximum(whole[..., None], limited)

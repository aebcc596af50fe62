"""Light white noise: the slow part of a correction limited to what the input's noise justifies.

On clean 2D poses with a little white noise (0.25-1 px, about 0.1 % of the body) the network's
correction holds, besides the noise it removes, a slow pull of its own (a body turned a degree or
two and reshaped): validation, 12 clips, 0.25 px of noise came out at 0.385 px from an input of
0.313 (benchmarks/light_noise.py; benchmarks/RESULTS.md, section 10, "Light white noise"). White
noise has little that is slow (its share below :data:`SLOW_BAND` of the Nyquist rate), so a slow
correction much larger than the noise is no correction of it: each joint keeps the share
``min(1, (ALPHA * n / s)^2)`` of its correction's slow part (its clip mean and its part below
:data:`SLOW_BAND`), with ``n`` the joint's noise (:func:`synsp.inference.clean.input_noise`) and
``s`` the slow part's RMS.

An estimator's slow errors (bias, drift: most of the simulator's presets' error) are also slow and
much larger than its jitter, and the network's slow correction of them is what it is for; what tells
them apart is the noise's colour: an estimator's jitter is correlated over frames (an AR(1) of
0.05-0.08 s in the simulator), white noise is not. :func:`whiteness` reads it from the input; the
limit applies in full where the noise is white (:data:`WHITE_RAMP`) and fades out over the ramp.

Above :data:`READ_AT_FROM` fps the colour is read at the network's rate (:func:`white_share` given ``fps``): an
estimator run at 30 fps on interpolated video, or a tracker that smooths, gives errors correlated over several
frames, all below the bands read at the input's own rate, where a little white noise on top reads as the whole.

Values written on a grid (whole pixels: :func:`~synsp.inference.clean.grid_step`) carry the grid's rounding, white
noise of q^2 / 12 per coordinate (:func:`rounding_variance`), in every band alike: on a small person's coloured jitter
(a far camera, 120 px tall) it fills the top band and the estimator's errors read white. :func:`whiteness` reads the
colour of the noise besides it (:func:`band_ratio`). Validation, coco17 `typical` scaled to 120 px, whole pixels, 12
clips (``benchmarks/whole_pixels.py``): read as light noise only 7 -> 2, SynSP 0.939 -> 0.902 x input (not rounded
0.893); RESULTS section 10, "Whole-pixel 2D of a small person".
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from synsp.config import DataConfig
from synsp.filters import butterworth
from synsp.inference.clean import NOISE_BAND, grid_step, input_noise, opened
from synsp.inference.frame_rate import covered_rates
from synsp.motion_pace import at_rate

__all__ = ["SPACES", "SLOW_BAND", "ALPHA", "MID_BAND", "WHITE_RAMP", "READ_AT_FROM", "MIN_AT_RATE", "ROUNDING_RAMP",
           "whiteness", "band_ratio", "rounding_variance", "white_gain", "white_share", "at_network_rate", "limit_slow"]

# The spaces whose refiners take this step (3D was not measured).
SPACES = ("2d",)
# The correction's slow part: below this share of the Nyquist rate (2 Hz at 30 fps), plus its clip mean.
SLOW_BAND = 2.0 / 15.0
# A joint keeps the share min(1, (ALPHA * n / s)^2) of its correction's slow part (module docstring): at most
# white noise's own slow part, sqrt(SLOW_BAND) of it. Validation (benchmarks/light_noise.py, robustness.py --only
# white): 0.25 gained 0.01-0.02 px more at 0.5-1 px but cost white 10 px 0.003 x input; 1-2 gave up most of the gain.
ALPHA = float(np.sqrt(SLOW_BAND))
# :func:`whiteness` compares the input's power per unit band between these shares of the Nyquist
# rate (4.5-12 Hz at 30 fps) with its power above :data:`~synsp.inference.clean.NOISE_BAND`.
MID_BAND = (0.3, NOISE_BAND)
# Whiteness up to the first figure: the limit in full; from the second: none; linear between.
WHITE_RAMP = (1.1, 1.3)
# A grid's rounding (:func:`whiteness`' ``rounding``) is taken out of a joint's bands where its top band holds more
# than it: none up to the first figure (the top band's power over the rounding's), whole from the second, linear
# between. Where it holds the rounding alone, that is all the noise there is, white (clean values written on a grid,
# RESULTS section 4, "Values on a grid", read as before); where half as much again, the rest is an estimator's
# noise, whose colour the rounding must not hide. Validation, 12 clips (benchmarks/whole_pixels.py): the rounding
# taken out whole wherever it fits (on slow values it is less than q^2 / 12 and left nothing: jitter under the grid
# read white) cost `typical` at 120 px on a 2 px grid 0.929 -> 0.933 x input; taken for at most 75-90 % of the top
# band, clean clips on a 1 / 2 px grid 0.790 / 0.715 -> 0.799 / 0.730; this ramp: 0.930 and 0.790 / 0.715.
ROUNDING_RAMP = (1.0, 1.5)
# Rates (fps) above this one are read at the training rate (:func:`at_network_rate`): the networks' covered rates
# end at 30 / 0.7 = 42.9 fps (the shipped configs' playback speeds), above which they run at 30 fps too.
# Validation (benchmarks/correlated_rates.py; RESULTS section 4, "High frame rates whose errors are correlated"):
# `typical` drawn at 30 fps and resampled to 100-240 fps, 3D 0.95 -> 0.83 x input, 2D at 120 fps 0.99 -> 0.91.
READ_AT_FROM = covered_rates(DataConfig().time_scale)[1]
# Frames at the training rate under which a sequence is read at its own rate.
MIN_AT_RATE = 16


def _band_power(values: np.ndarray, low: float, high: float) -> np.ndarray:
    """Per joint, the mean squared length (over frames) of the part of ``values`` (..., T, J, C)
    between shares ``low`` and ``high`` of the Nyquist rate (zero-phase Butterworth, order 4), per
    unit of band; (..., J)."""
    top = values if high >= 1 else butterworth(values, cutoff=high * 15.0, order=4, fps=30.0)
    part = top - butterworth(values, cutoff=low * 15.0, order=4, fps=30.0)
    return np.mean(np.sum(part ** 2, axis=-1), axis=-2) / (high - low)


def whiteness(values: np.ndarray, rounding: float | None = None) -> np.ndarray:
    """The median over joints of the input's power per unit band in :data:`MID_BAND` over that
    above :data:`~synsp.inference.clean.NOISE_BAND`, for ``values`` (..., T, J, C) without NaN;
    (...). White noise on slow motion reads about 1 (0.8-1.2 on the validation clips with 0.25-2 px);
    correlated jitter more (the simulator's `typical`, `hard`, `jitter` and `clean-ish`: 1.30 and up
    on every validation clip; clean mocap 1.25 and up), and so does fast motion whose own power
    reaches the band. ``rounding``: the variance per coordinate of white noise known to be in the values,
    a grid's rounding, allowed for (:func:`band_ratio`); None: :func:`rounding_variance` of ``values`` (0 for values
    on no grid: as before, bit for bit)."""
    x = np.asarray(values, np.float64)
    floor = x.shape[-1] * (rounding_variance(x) if rounding is None else rounding)  # per unit band, all coordinates
    return band_ratio(_band_power(x, *MID_BAND), _band_power(x, NOISE_BAND, 1.0), floor)


def band_ratio(mid: np.ndarray, top: np.ndarray, floor: float = 0.0) -> np.ndarray:
    """:func:`whiteness` from its bands' powers per unit band, ``mid`` in :data:`MID_BAND` and ``top`` above
    :data:`~synsp.inference.clean.NOISE_BAND` (..., J), all coordinates summed: the median over joints of their
    ratio; (...). ``floor``: the power per unit band of a grid's rounding (white: C q^2 / 12 for C coordinates on a
    grid of step q), taken out of both bands (its :func:`white_gain` in each) where a joint's top band holds more
    than it (:data:`ROUNDING_RAMP`), so that it hides no colour of the rest (module docstring)."""
    if floor > 0:  # per joint: the rounding's share taken out
        floor = floor * opened(top / (floor * white_gain(NOISE_BAND, 1.0)), ROUNDING_RAMP)
        mid = np.maximum(mid - floor * white_gain(*MID_BAND), 0.0)
        top = top - floor * white_gain(NOISE_BAND, 1.0)
    return np.median(mid / np.maximum(top, 1e-24), axis=-1)


def rounding_variance(values: np.ndarray) -> float:
    """The variance per coordinate of the rounding noise in ``values`` (any shape, any unit): ``q^2 / 12`` for values
    on a grid of step ``q`` (:func:`~synsp.inference.clean.grid_step`: whole pixels 1/12 px^2), 0.0 on none."""
    return grid_step(values) ** 2 / 12.0


@lru_cache(maxsize=8)
def white_gain(low: float, high: float) -> float:
    """The power per unit band :func:`whiteness` reads between shares ``low`` and ``high`` of the Nyquist rate
    from white noise of unit variance per coordinate: the mean over the band of its filters' squared response
    (zero-phase Butterworth, order 4; 1 for ideal filters; 0.728 for :data:`MID_BAND`, 0.834 above
    :data:`~synsp.inference.clean.NOISE_BAND`), long sequences' (their ends read 5 % less over 64 frames)."""
    from scipy.signal import butter, sosfreqz

    f = (np.arange(4096) + 0.5) / 4096  # shares of the Nyquist rate

    def zero_phase(cut: float) -> np.ndarray:  # forwards and backwards: the squared magnitude of order 2
        return np.abs(sosfreqz(butter(2, cut, output="sos"), worN=f * np.pi)[1]) ** 2
    part = (1.0 if high >= 1 else zero_phase(high)) - zero_phase(low)
    return float(np.mean(part ** 2) / (high - low))


def white_share(values: np.ndarray, fps: float | None = None, rounding: float | None = None) -> np.ndarray:
    """How white the noise of ``values`` (..., T, J, C) without NaN reads, (...) in [0, 1]: 1 up to the foot of
    :data:`WHITE_RAMP`, 0 from its top (correlated jitter, fast motion, clean mocap), linear between, of its
    :func:`whiteness`; recorded at ``fps`` (None: a rate the network knows), read at the network's rate above
    :data:`READ_AT_FROM` (:func:`at_network_rate`). ``rounding``: as :func:`whiteness`'s (None: read from
    ``values``, before any resampling takes them off their grid)."""
    rounding = rounding_variance(values) if rounding is None else rounding
    if fps is not None and fps > READ_AT_FROM:
        return at_network_rate(lambda grids: white_share(grids, rounding=rounding), values, fps)
    return 1.0 - opened(whiteness(values, rounding), WHITE_RAMP)


def at_network_rate(read, values: np.ndarray, fps: float) -> np.ndarray:
    """``read`` (a reading of (..., T, J, C) -> (...)) of ``values`` recorded at ``fps``, as the network sees them:
    resampled onto its training rate (:func:`synsp.motion_pace.at_rate`, k phase-shifted grids), the grids' mean;
    ``read(values)`` itself for a sequence under :data:`MIN_AT_RATE` frames there. Returns ``values.shape[:-3]``."""
    x = np.asarray(values, np.float64)
    grids = at_rate(x.reshape((-1,) + x.shape[-3:]), fps)  # (k * V, N, J, C), grid-major
    if grids.shape[1] < MIN_AT_RATE:
        return np.asarray(read(x))
    people = int(np.prod(x.shape[:-3], dtype=int))
    return np.asarray(read(grids)).reshape(-1, people).mean(0).reshape(x.shape[:-3])


def limit_slow(inputs: np.ndarray, refined: np.ndarray, *, space: str, noise: np.ndarray | None = None,
               fps: float | None = None) -> np.ndarray:
    """Limit the slow part of the correction ``refined - inputs`` where the noise is white.

    Parameters
    ----------
    inputs, refined : ndarray (..., T, J, C) without NaN, before and after refinement, in the same
        unit (any), at any frame rate (the bands are shares of the Nyquist rate).
    space : "2d" or "3d"; only :data:`SPACES` take the step.
    noise : (..., J) :func:`~synsp.inference.clean.input_noise` of ``inputs`` when read already (None: read here).
    fps : the inputs' rate (None: one the network knows), for :func:`white_share`.

    Returns
    -------
    ndarray like ``refined``: ``refined - (1 - gain) * slow`` per person and joint, with ``slow`` the
    correction's clip mean plus its part below :data:`SLOW_BAND` and ``gain = 1 - w * (1 -
    min(1, (ALPHA * n / s)^2))``, ``w`` the share of the limit :data:`WHITE_RAMP` gives the person's
    :func:`whiteness`; ``refined`` itself where no person's noise is white or too few frames.
    """
    x = np.asarray(inputs, np.float64)
    if space not in SPACES or x.shape[-3] < 32:
        return refined
    share = white_share(x, fps)  # (...)
    if not share.any():
        return refined
    diff = np.asarray(refined, np.float64) - x
    mean = diff.mean(axis=-3, keepdims=True)
    slow = mean + butterworth(diff - mean, cutoff=SLOW_BAND * 15.0, order=4, fps=30.0)
    s2 = np.mean(np.sum(slow ** 2, axis=-1), axis=-2)  # (..., J)
    kept = np.minimum(1.0, (ALPHA * (input_noise(x) if noise is None else noise)) ** 2 / np.maximum(s2, 1e-24))
    gain = 1.0 - share[..., None] * (1.0 - kept)
    return (np.asarray(refined, np.float64) - (1.0 - gain)[..., None, :, None] * slow).astype(
        np.asarray(refined).dtype)

"""Classic smoothers: the baselines SynSP is compared with, behind one call shape.

Every filter is ``f(x, **options) -> y`` with ``x`` a pose sequence (T, J, C) (any further
leading axes such as (V, T, J, C) are smoothed independently; time is axis -3). The output
has the shape and dtype of ``x``. Short sequences work: T = 1 returns the input, and a
window longer than the sequence is shrunk (Savitzky-Golay) or fed by edge padding
(Gaussian). Missing joints (NaN) are first filled by :func:`synsp.sequence.fill_gaps`, and the
output is the smoothed *filled* sequence: it holds no NaN, since a smoother that
interpolates gaps is what a user of a refined sequence wants (:func:`synsp.refine` then
gives joints never seen, and gaps longer than its ``max_gap``, back as NaN).

Paper settings (from SmoothNet's comparisons, :data:`PAPER_SETTINGS`, what ``synsp evaluate
--paper-filters`` runs): Savitzky-Golay window 31, order 2; Gaussian
window 31, sigma 3; One-Euro min_cutoff 0.04, beta 0.7 -- in that code's units (time in
frames, positions in metres), which are min_cutoff 1.2 Hz, beta 0.0007 Hz per mm/s (1 Hz per
body size per second for the mocap's 1.43 m bodies) and d_cutoff 30 Hz here (seconds,
millimetres, 30 fps). The defaults are chosen for any frame rate instead
(benchmarks/filter_defaults.py, RESULTS section 16): Savitzky-Golay 0.3 s of frames, One-Euro
0.5 Hz with ``beta`` :data:`ONE_EURO_BETA` per body size, so that it holds in any unit, Butterworth
and the Gaussian (its -3 dB frequency) min(6 Hz, 0.4 fps).
"""
from __future__ import annotations

import inspect
import math
from functools import lru_cache
from typing import Callable

import numpy as np

from synsp.errors import OptionError
from synsp.filter_input import check_rate, odd_window, prepare
from synsp.odd_extension import _part, odd_extension
from synsp.one_euro import ONE_EURO_BETA, ONE_EURO_MIN_CUTOFF, OneEuroFilter, one_euro

__all__ = ["identity", "savgol", "savgol_window", "gaussian", "one_euro", "OneEuroFilter", "ONE_EURO_BETA",
           "ONE_EURO_MIN_CUTOFF", "butterworth", "cutoff_for", "median", "hampel", "FILTERS", "FILTER_GRIDS",
           "PAPER_SETTINGS"]


def identity(x: np.ndarray) -> np.ndarray:
    """No smoothing: the input with its gaps filled (same shape and dtype).

    Parameters
    ----------
    x : (T, J, C) or (..., T, J, C) array, any unit.
    """
    a, dtype = prepare(x)
    return a.astype(dtype)


# Savitzky-Golay's default window in seconds. The paper's 31 frames were a fixed count: a second
# at 30 fps, which flattened a 30 fps gait (Pose2Sim) further from the truth than its input
# (benchmarks/filter_defaults.py; RESULTS section 16).
SAVGOL_SECONDS = 0.3


def savgol_window(fps: float | None, order: int = 2) -> int:
    """Savitzky-Golay's default window in frames at ``fps``: :data:`SAVGOL_SECONDS` of frames,
    odd, and at least ``order + 2`` (9 at 30 fps, 19 at 60, 31 at 100)."""
    frames = int(round(SAVGOL_SECONDS * check_rate(fps)))
    least = int(order) + 2
    return max(frames | 1, least | 1)  # | 1: the odd number at or above


def savgol(x: np.ndarray, *, window: int | None = None, order: int = 2, mode: str = "interp",
           fps: float | None = 30.0) -> np.ndarray:
    """Savitzky-Golay smoothing along time (``scipy.signal.savgol_filter``).

    Parameters
    ----------
    x : (T, J, C) or (..., T, J, C) array, any unit.
    window : odd number of frames in the local polynomial fit; None (default):
        :func:`savgol_window`, 0.3 s of frames at ``fps`` (the paper's fixed 31 frames:
        :data:`PAPER_SETTINGS`).
    order : polynomial order, < window (paper: 2).
    mode : edge handling passed to scipy: "interp" (fit the edge window, default) or
        "nearest", "mirror", "wrap", "constant".
    fps : frame rate of ``x`` in frames per second (None: 30), for the default window only.

    Returns
    -------
    Smoothed array, same shape and dtype as ``x``.

    Notes
    -----
    If T < window the window shrinks to the largest odd number <= T, and the order to at
    most window - 1 (T = 1 and T = 2 therefore return the input unchanged).

    Examples
    --------
    >>> import numpy as np
    >>> x = np.random.default_rng(0).normal(size=(100, 17, 3))
    >>> savgol(x, window=9, order=2).shape
    (100, 17, 3)
    """
    from scipy.signal import savgol_filter

    fps = check_rate(fps)
    window = odd_window(savgol_window(fps, order) if window is None else window)
    if not isinstance(order, (int, np.integer)) or not 0 <= order < window:
        raise OptionError(f"order must be an int in [0, window={window}), got {order!r}")
    a, dtype = prepare(x)
    t = a.shape[-3]
    w = min(window, t if t % 2 else t - 1)
    k = min(order, w - 1)
    if w <= 1 or k >= w:
        return a.astype(dtype)
    return savgol_filter(a, w, k, axis=-3, mode=mode).astype(dtype)


# The Gaussian's default -3 dB frequency (Hz). Sigma 3 frames (the paper's) left a Pose2Sim-like gait
# at 30 fps where it was (25.2 mm, input 25.4) and made 1.5 mm marker noise 21.0 mm; 6 Hz: 17.8 and 2.4,
# 0.808 x input over all columns (4 Hz: 0.940; 0.739 against 0.773 on the video-like ones alone);
# benchmarks/filter_defaults.py, RESULTS section 16.
GAUSSIAN_HZ = 6.0


def gaussian(x: np.ndarray, *, sigma: float | None = None, window: int | None = None, mode: str = "nearest",
             cutoff: float | None = None, fps: float | None = 30.0) -> np.ndarray:
    """Gaussian smoothing along time with a kernel truncated to ``window`` frames.

    A plain weighted average (no median pre-filter): weights ``exp(-k^2 / (2 sigma^2))`` for
    ``|k| <= window // 2``, normalised to sum to 1.

    Parameters
    ----------
    x : (T, J, C) or (..., T, J, C) array, any unit.
    sigma : standard deviation in frames; None: from ``cutoff``, by default :data:`GAUSSIAN_HZ`
        (6 Hz), lowered to ``0.4 * fps`` below 15 fps (:func:`cutoff_for`). The paper's sigma 3 frames
        is :data:`PAPER_SETTINGS`.
    window : odd kernel length in frames; None: ``6 sigma + 1`` rounded up to odd, or 31 (the
        paper's) with ``sigma``.
    mode : how frames beyond the ends are supplied: "nearest" (repeat the edge frame,
        default), "reflect" or "mirror" (``scipy.ndimage`` modes). Sequences shorter than the
        window work: the padding supplies the missing neighbours.
    cutoff : instead of ``sigma``, the kernel's -3 dB frequency in Hz (below ``fps / 2``; about: the
        sampled kernel gives 0.67-0.71 there, not 0.707):
        ``sigma = sqrt(ln 2) / (2 pi cutoff)`` seconds, times ``fps`` frames.
    fps : frame rate of ``x`` in frames per second (None: 30), for ``cutoff`` (and the default) only.

    Returns
    -------
    Smoothed array, same shape and dtype as ``x``.
    """
    from scipy.ndimage import correlate1d

    if cutoff is not None and sigma is not None:
        raise OptionError("give sigma (frames) or cutoff (Hz), not both")
    fps = check_rate(fps)
    if sigma is None:
        if cutoff is None:  # a time span, not frames: 3 frames were 0.1 s at 30 fps, 0.03 s at 100 Hz
            cutoff = cutoff_for(GAUSSIAN_HZ, fps)
        if not 0 < cutoff < fps / 2:
            raise OptionError(f"cutoff must be in (0, fps / 2 = {fps / 2:g}) Hz, got {cutoff!r}")
        sigma = math.sqrt(math.log(2.0)) / (2.0 * math.pi * cutoff) * fps  # gain 1/sqrt(2) at the cut-off
        window = 2 * math.ceil(3.0 * sigma) + 1 if window is None else window
    window = odd_window(31 if window is None else window)
    if not sigma > 0:
        raise OptionError(f"sigma must be > 0, got {sigma!r}")
    if mode not in ("nearest", "reflect", "mirror"):
        raise OptionError(f"mode must be 'nearest', 'reflect' or 'mirror', got {mode!r}")
    a, dtype = prepare(x)
    half = window // 2
    k = np.arange(-half, half + 1, dtype=np.float64)
    weights = np.exp(-0.5 * (k / sigma) ** 2)
    weights /= weights.sum()
    return correlate1d(a, weights, axis=a.ndim - 3, mode=mode).astype(dtype)


# One-Euro's speed coefficient in Hz per body size per second, so that it means the same in
# millimetres, metres or pixels. The paper's 0.7 per (m/s) at 30 fps is 1 per body size (0.0007 per
# mm/s for the mocap's 1.43 m bodies): with it a walk's markers in the lab frame lagged 2.4 times
# the input's error behind at 30 fps. 50, with min_cutoff 0.5 Hz: below the input on every
# video-like set (validation split, a Pose2Sim-like gait; 20 is 3 % better there but twice as far
# off on 1.5 mm marker noise); benchmarks/filter_defaults.py, RESULTS section 16.
BUTTERWORTH_HZ = 6.0  # Pose2Sim's cut-off, the default where the frame rate allows it (cutoff_for)


def butterworth(x: np.ndarray, *, cutoff: float | None = None, order: int = 4, fps: float | None = 30.0,
                end_fit: int = 1) -> np.ndarray:
    """Zero-phase low-pass Butterworth filter along time: the biomechanics baseline
    (Pose2Sim's default: 6 Hz, order 4).

    A Butterworth of half the order is run forwards and backwards (``scipy.signal.sosfiltfilt``),
    so the result has no lag and the effective order is ``order``, as in Pose2Sim.

    Parameters
    ----------
    x : (T, J, C) or (..., T, J, C) array, any unit.
    cutoff : cut-off frequency in Hz, below the Nyquist rate ``fps / 2``; None (default):
        :data:`BUTTERWORTH_HZ` (6 Hz), lowered to ``0.4 * fps`` below 15 fps (:func:`cutoff_for`).
    order : effective (zero-phase) order, even, >= 2.
    fps : frame rate of ``x`` in frames per second (None: 30).
    end_fit : the frames each end's odd extension turns about: 1, the end frame (scipy's and
        Pose2Sim's: the output keeps that frame's value, noise and all); n >= 3, the end of a straight
        line fitted to the last n frames, so an end frame's own noise is not kept.

    Returns
    -------
    Filtered array, same shape and dtype as ``x``. Sequences too short to pad are padded
    as far as they go.
    """
    fps = check_rate(fps)
    if cutoff is None:
        cutoff = cutoff_for(BUTTERWORTH_HZ, fps)
    if not 0 < cutoff < fps / 2:
        raise OptionError(f"cutoff must be in (0, fps / 2 = {fps / 2:g}) Hz, got {cutoff!r}")
    if int(order) != order or order < 2 or order % 2:
        raise OptionError(f"order must be an even integer >= 2 (forwards + backwards), got {order!r}")
    a, dtype = prepare(x)
    frames = a.shape[-3]
    if frames < 2:
        return a.astype(dtype)
    sos, zi = _butter_sos_zi(int(order) // 2, float(cutoff), float(fps))
    padlen = min(3 * (2 * len(sos) + 1), frames - 1)
    return _sosfiltfilt(sos, zi, a, a.ndim - 3, padlen, end_fit).astype(dtype)


def _sosfiltfilt(sos: np.ndarray, zi: np.ndarray, x: np.ndarray, axis: int, padlen: int,
                 end_fit: int = 1) -> np.ndarray:
    """``scipy.signal.sosfiltfilt(sos, x, axis=axis, padlen=padlen)`` (odd padding) given the sections'
    steady state ``zi = scipy.signal.sosfilt_zi(sos)``: scipy's steps and arithmetic, the same
    values, but ``zi`` (a linear solve per section) computed once per design, not once per call (a
    crowd's stream filters short tracks several times per frame); 0 < ``padlen`` < ``x.shape[axis]``.
    ``end_fit`` > 2 turns the odd extension about each end of a line fitted to that many end frames
    (:func:`butterworth`; :func:`synsp.odd_extension.odd_extension`)."""
    ext = odd_extension(x, padlen, padlen, axis, end_fit)
    shape = [1] * x.ndim
    shape[axis] = 2
    zi = zi.reshape([len(sos)] + shape)
    y = _sosfilt(sos, ext, axis, zi * _part(ext, axis, None, 1))
    y = _sosfilt(sos, _part(y, axis, None, None, -1), axis, zi * _part(y, axis, -1))
    return _part(_part(y, axis, None, None, -1), axis, padlen, -padlen)


def _sosfilt(sos: np.ndarray, x: np.ndarray, axis: int, zi: np.ndarray) -> np.ndarray:
    """``scipy.signal.sosfilt(sos, x, axis=axis, zi=zi)[0]``: for float32 and float64 its own steps
    around its compiled filter (``scipy.signal._sosfilt._sosfilt``, the same values) without the
    checks and array-API conversions around them, ~40 us a call that a crowd's stream pays some
    twenty times a frame; scipy's function itself where that filter is not there."""
    dtype = np.result_type(sos, x, zi)
    if _SOSFILT is None or dtype.char not in "fd":
        from scipy.signal import sosfilt

        return sosfilt(sos, x, axis=axis, zi=zi)[0]
    axis = axis % x.ndim
    moved = np.moveaxis(x, axis, -1)
    y = np.array(np.reshape(moved, (-1, moved.shape[-1])), dtype, order="C")  # filtered in place
    state = np.moveaxis(np.array(zi, dtype), (0, axis + 1), (-2, -1))
    state = np.ascontiguousarray(np.reshape(state, (-1, len(sos), 2)))
    _SOSFILT(sos.astype(dtype, copy=False), y, state)
    return np.moveaxis(y.reshape(moved.shape), -1, axis)


try:  # scipy's compiled section filter, which scipy.signal.sosfilt calls (private: looked for, not relied on)
    from scipy.signal._sosfilt import _sosfilt as _SOSFILT
except ImportError:  # pragma: no cover
    _SOSFILT = None


@lru_cache(maxsize=64)
def _butter_sos_zi(order: int, cutoff: float, fps: float) -> tuple[np.ndarray, np.ndarray]:
    """:func:`_butter_sos` and its sections' steady state (``scipy.signal.sosfilt_zi``), cached alike."""
    from scipy.signal import sosfilt_zi

    sos = _butter_sos(order, cutoff, fps)
    return sos, sosfilt_zi(sos)


@lru_cache(maxsize=64)  # a live stream filters every frame with the same few designs
def _butter_sos(order: int, cutoff: float, fps: float) -> np.ndarray:
    """Second-order sections of a low-pass Butterworth (cached: callers must not write to it;
    scipy's filters only read it, though they need it writeable)."""
    from scipy.signal import butter

    return butter(order, cutoff, btype="low", fs=fps, output="sos")


def cutoff_for(cutoff: float, fps: float) -> float:
    """A default cut-off ``cutoff`` (Hz) for :func:`butterworth` or :func:`gaussian` at ``fps`` frames per second:
    as it is, or 0.8 of the Nyquist rate (``0.4 * fps``) where the frame rate is too low for it,
    so that a default never refuses low-frame-rate input (6 Hz needs more than 12 fps)."""
    return min(float(cutoff), 0.4 * float(fps))


def median(x: np.ndarray, *, window: int = 5) -> np.ndarray:
    """Running median along time over ``window`` frames (odd; edges repeat the end frames):
    removes spikes shorter than half the window, keeps steps.

    Parameters
    ----------
    x : (T, J, C) or (..., T, J, C) array, any unit.
    window : odd number of frames.

    Returns
    -------
    Filtered array, same shape and dtype as ``x``.
    """
    from scipy.ndimage import median_filter

    window = odd_window(window)
    a, dtype = prepare(x)
    size = [1] * a.ndim
    size[-3] = window
    return median_filter(a, size=size, mode="nearest").astype(dtype)


def hampel(x: np.ndarray, *, window: int = 7, n_sigma: float = 3.0) -> np.ndarray:
    """Hampel outlier filter: a value further than ``n_sigma`` robust standard deviations
    (1.4826 x the median absolute deviation over ``window`` frames) from the running median is
    replaced by that median; every other value is kept as it is.

    Parameters
    ----------
    x : (T, J, C) or (..., T, J, C) array, any unit; each coordinate is tested on its own.
    window : odd number of frames around each value (edges repeat the end frames).
    n_sigma : threshold in robust standard deviations.

    Returns
    -------
    Filtered array, same shape and dtype as ``x``.
    """
    window = odd_window(window)
    if not n_sigma > 0:
        raise OptionError(f"n_sigma must be > 0, got {n_sigma!r}")
    a, dtype = prepare(x)
    axis = a.ndim - 3
    half = window // 2
    pad = [(0, 0)] * a.ndim
    pad[axis] = (half, half)
    windows = np.lib.stride_tricks.sliding_window_view(np.pad(a, pad, mode="edge"), window, axis=axis)
    centre = np.median(windows, axis=-1)
    spread = 1.4826 * np.median(np.abs(windows - centre[..., None]), axis=-1)
    outlier = np.abs(a - centre) > n_sigma * spread
    return np.where(outlier, centre, a).astype(dtype)


FILTERS: dict[str, Callable[..., np.ndarray]] = {
    "identity": identity,
    "one-euro": one_euro,
    "savgol": savgol,
    "gaussian": gaussian,
    "butterworth": butterworth,
    "median": median,
    "hampel": hampel,
}
# Filters that need the sequence's frame rate (``fps=``): ``synsp refine`` passes the file's.
FPS_FILTERS = tuple(name for name, fn in FILTERS.items() if "fps" in inspect.signature(fn).parameters)

# The paper's settings (SmoothNet's comparisons, converted to seconds and Hz as the module
# docstring says): ``synsp evaluate --paper-filters``. The defaults differ where a setting counted
# in frames meant another time span at another frame rate (Savitzky-Golay's window, the Gaussian's sigma).
PAPER_SETTINGS: dict[str, dict] = {
    "savgol": {"window": 31, "order": 2},
    "gaussian": {"window": 31, "sigma": 3.0},
    "one-euro": {"min_cutoff": 1.2, "body_beta": 1.0, "d_cutoff": 30.0},
    "butterworth": {"cutoff": 6.0, "order": 4},
}

# Options searched when a filter is tuned on a validation split. Each grid holds the paper's
# setting and neighbours on both sides (shorter/longer windows, weaker/stronger smoothing).
FILTER_GRIDS: dict[str, list[dict]] = {
    "identity": [{}],
    "savgol": [{"window": w, "order": k} for w in (9, 15, 21, 31, 45) for k in (2, 3)],
    "gaussian": [{"window": 31, "sigma": s} for s in (1.0, 1.5, 2.0, 3.0, 4.0, 5.0)] + [{"window": 41, "sigma": 6.0}],
    # min_cutoff in Hz, beta in Hz per (unit/s), d_cutoff 30 Hz unless given: the paper's
    # setting converted to our units (1.2, 0.0007), the same numbers read literally
    # (0.04, 0.7, d_cutoff 1), and a spread of both knobs, since a useful beta depends on the
    # unit (mm or px).
    "one-euro": [{"min_cutoff": 0.04, "beta": 0.7, "d_cutoff": 1.0}]
    + [{"min_cutoff": m, "beta": b} for m in (0.3, 0.6, 1.2, 2.4, 4.8) for b in (0.0, 0.0007, 0.007, 0.07)],
    # cut-off in Hz at the 30 fps of the evaluation clips; Pose2Sim's 6 Hz in the middle
    "butterworth": [{"cutoff": c, "order": 4} for c in (2.0, 3.0, 4.0, 6.0, 8.0, 10.0)],
    "median": [{"window": w} for w in (3, 5, 7, 9, 11, 15)],
    "hampel": [{"window": w, "n_sigma": s} for w in (5, 7, 11, 15) for s in (2.0, 3.0)],
}

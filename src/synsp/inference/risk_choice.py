"""Joints no model knows: SmoothNet, or a low-pass where the input's own noise says it is nearer.

SmoothNet learnt a video estimator's errors (tens of mm, spikes, slow drift) and keeps an error
of its own: on the white noise of a marker system or a tracker at a high rate it removes little
and can end worse than its input (validation, 3D, 3 mm at 100 Hz: 0.99 x input; at 30 fps 1.07 x,
where a 6 Hz Butterworth gives 0.42 and 0.66, and this choice 0.39 and 0.61; benchmarks/RESULTS.md,
section 10, "Joints of no layout"). Which of the two is nearer the truth can be read from the input itself:

- For white Gaussian noise of variance ``s2`` per coordinate, Stein's unbiased risk estimate
  gives a refiner ``f``'s expected squared error over ``n`` values as
  ``|f(y) - y|^2 - n s2 + 2 s2 div f(y)``: the divergence is ``tr(S)`` for a linear low-pass
  (its impulse response's centre, times ``n``) and is estimated for SmoothNet by one random probe
  (Monte-Carlo SURE, Ramani et al. 2008). ``s2`` is the input's noise above
  :data:`~synsp.inference.clean.NOISE_BAND` of the Nyquist rate (:func:`~synsp.inference.clean.input_noise`).
- Each joint takes the low-pass of least estimated risk (:data:`CUTOFFS`, or the input itself)
  only where that risk is under :data:`MARGIN` of SmoothNet's, else SmoothNet's output: an
  estimator's noise is correlated over frames and has spikes, which the estimate, made for white
  noise, does not see, and SmoothNet does; under the margin the simulator's presets stay within
  0.004 x input of SmoothNet's figures but 3D `clean-ish` (validation 1.000 against 0.990, test
  1.000 against 1.013), while white noise gets the low-pass. Where the input's noise reads white
  (:func:`white_margin`) the margin opens to 1, the estimate as it is: validation, the 9 of 12 clips it touches,
  2D white 1 px 0.554 -> 0.464 x input, 3D 3 mm 0.573 -> 0.483; no preset's clip touched
  (benchmarks/RESULTS.md, section 6, "Fast 2D motion under white noise").

A layout's joints beyond the model's (HALPE-26's feet and head top, BODY-25's feet, MediaPipe-33's
feet, hands and face) are SmoothNet's plus the SynSP correction of their nearest model joint; under a
few mm of white noise they too came out worse than their input (a 100 Hz C3D with 3 mm: toes 4.7 ->
8.2-8.9 mm). Where the input's noise reads white (:func:`synsp.inference.white_noise.whiteness`
under :data:`~synsp.inference.white_noise.WHITE_RAMP`, faded out over it) they take the low-pass of
least estimated risk instead (:func:`lowpass_where_white`; validation, 3 mm at 100 Hz: HALPE-26's
other joints 0.590 -> 0.289 x input, Butterworth 0.446): there the estimate holds, and an
estimator's jitter, correlated over frames, does not read white (the simulator's presets: 1.3 and
up on nearly every validation and test clip of HALPE-26, BODY-25 and MediaPipe-33; the few at
1.24-1.29 take a small share of the low-pass, and no preset's figure moved at three decimals), so
those refinements are left as they were; benchmarks/RESULTS.md, section 10, "A layout's joints
beyond the model's under light white noise". Each low-pass is tried relative to the body's path as
the model refined it too (:func:`refined_path`): a whole body drifting in depth (a monocular estimate's
camera coordinates) otherwise left them behind the model's joints (validation, 4D-Humans' 44 joints,
15 mm and a 150 mm drift: 12.91 -> 10.79 mm, SmoothNet 12.96; section 10, "A layout's joints beyond the
model's on a drifting body").
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

import numpy as np

from synsp.filters import butterworth
from synsp.inference.clean import input_noise
from synsp.inference.white_noise import white_share

__all__ = ["CUTOFFS", "MARGIN", "RISK_FRAMES", "LOWPASS_NOTE", "WHITE_NOTE", "lowpass_or_network", "white_margin",
           "best_lowpass", "lowpass_where_white", "refined_path", "noise_variance", "network_risk"]

# Low-pass cut-offs tried, as shares of the Nyquist rate (zero-phase Butterworth of effective order
# 8): 0.6 Hz to 10.5 Hz at 30 fps; the input itself (no low-pass) is tried too.
CUTOFFS = (0.04, 0.06, 0.09, 0.13, 0.2, 0.3, 0.45, 0.7)
ORDER = 8
# A low-pass replaces SmoothNet where its estimated risk is under this share of SmoothNet's. Chosen
# on the validation split (12 clips per condition, 3D and 2D; 1.0, 0.8, 0.6, 0.5, 0.4, 0.3 tried, ad hoc):
# 0.6 lost on 3D `jitter` (0.863 x input against SmoothNet's 0.806), 0.4 kept every preset within
# 0.004 x input of SmoothNet there, 0.3 gives up most of the gain on white noise.
MARGIN = 0.4
# Shorter clips are SmoothNet's: the risk of a few frames is too uncertain to choose by.
RISK_FRAMES = 32
# The probe's size, per joint, as a share of its noise: small enough to read SmoothNet's local
# slope, large enough to stand above float32's rounding.
PROBE = 0.3
# What the summary adds to "refined by SmoothNet" for joints of no layout
LOWPASS_NOTE = ", or a low-pass where a joint's own noise shows it nearer (Stein's unbiased risk estimate)"
# What it adds for a layout's joints beyond the model's (:func:`lowpass_where_white`)
WHITE_NOTE = "; where the input's noise reads white, all but SynSP's joints by a low-pass instead"


def lowpass_or_network(values: np.ndarray, network: Callable[[np.ndarray], np.ndarray], *,
                       seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Refine each joint of ``values`` (T, J, C) without NaN, any unit, by ``network`` (a callable
    taking and returning (T, J, C), SmoothNet's route) or by a zero-phase low-pass, whichever has
    the lower estimated risk under :data:`MARGIN`, or under SmoothNet's own where the noise reads white
    (:func:`white_margin`; module docstring).

    Returns the refined poses (T, J, C), dtype of ``values``, and (J,) bool: the joints low-passed
    (or kept as they are). ``network`` runs on a probe of ``values`` (``seed``), then on
    ``values``: last, so that what it records of a call is the input's.
    """
    dtype = np.asarray(values).dtype
    y = np.asarray(values, np.float64)
    if y.shape[0] < RISK_FRAMES:
        return np.asarray(network(values)).astype(dtype), np.zeros(y.shape[1], bool)
    s2 = noise_variance(y)
    refined, refined_risk = network_risk(values, network, s2, seed=seed)
    low, risk = best_lowpass(y, s2)
    chosen = np.maximum(risk, 0.0) < white_margin(y) * np.maximum(refined_risk, 0.0)
    out = np.where(chosen[:, None], low, refined)
    return out.astype(dtype), chosen


def white_margin(y: np.ndarray) -> float:
    """The share of SmoothNet's estimated risk a low-pass's must be under to replace it, for ``y`` (T, J, C) without
    NaN: :data:`MARGIN` where the input's noise does not read white (:func:`~synsp.inference.white_noise.whiteness`
    from the top of :data:`~synsp.inference.white_noise.WHITE_RAMP`: an estimator's correlated jitter, which the
    estimate, made for white noise, misreads), 1 (the estimate as it is) where it reads white, linear between.
    The margin kept SmoothNet on joints whose white noise a low-pass takes out better (MediaPipe Hands' 21 points
    alone, white 2-4 px on a hand fingerspelling: 2.55 px against Butterworth's 2.36; benchmarks/RESULTS.md,
    section 6, "Fast 2D motion under white noise")."""
    white = float(white_share(y))
    return MARGIN + (1.0 - MARGIN) * white


def noise_variance(y: np.ndarray, noise: np.ndarray | None = None) -> np.ndarray:
    """Per joint, the variance per coordinate of the noise of ``y`` (..., T, J, C) without NaN, read
    as white (:func:`~synsp.inference.clean.input_noise`; ``noise``: that of ``y`` when read already);
    (..., J)."""
    return (input_noise(y) if noise is None else noise) ** 2 / y.shape[-1]


def network_risk(values: np.ndarray, network: Callable[[np.ndarray], np.ndarray], s2: np.ndarray, *,
                 seed: int = 0, measured: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``network(values)`` (float64) and its Stein's unbiased risk per joint, (..., J), for white noise
    of variance ``s2`` (..., J) per coordinate, its divergence read by one random probe of :data:`PROBE`
    times the noise (Monte-Carlo SURE). ``values`` (..., T, J, C); ``network`` takes and returns that
    shape and runs on the probe first, then on ``values``: last, so that what it records of a call is
    the input's. ``measured``: ``values`` with their NaN filled, which the risk is read against
    (None: ``values``, then without NaN)."""
    y = np.asarray(values if measured is None else measured, np.float64)
    scale = PROBE * np.sqrt(s2)[..., None, :, None]
    probe = np.random.default_rng(seed).standard_normal(y.shape) * scale
    dtype = np.asarray(values).dtype
    probed = np.asarray(network((np.asarray(values, np.float64) + probe).astype(dtype)), np.float64)
    refined = np.asarray(network(values), np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(s2 > 0, np.sum(probe * (probed - refined), axis=(-3, -1)) / (PROBE ** 2 * s2), 0.0)
    return refined, _risk(refined, y, s2, slope * s2)


def best_lowpass(y: np.ndarray, s2: np.ndarray | None = None,
                 path: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per joint of ``y`` (T, J, C) without NaN, float64, the zero-phase low-pass of :data:`CUTOFFS`
    (or ``y`` itself) of least estimated risk for white noise of variance ``s2`` (J,) per coordinate
    (None: read from ``y``, :func:`~synsp.inference.clean.input_noise`). ``path`` (T, 1, C), a track
    the joints move with whose noise is not theirs (the body's refined path, :func:`refined_path`):
    each low-pass is tried on ``y`` relative to it too, put back on it (of equal divergence). Returns
    the low-passed poses (T, J, C) and their risks (J,), squared error summed over frames and coordinates."""
    n_frames, n_joints, n_coords = y.shape
    if s2 is None:
        s2 = noise_variance(y)
    n = n_frames * n_coords
    best, risk = y.copy(), np.full(n_joints, n * s2)  # the input itself: its noise
    for base in (None,) if path is None else (None, path):  # None: the absolute values, as they were
        for share in CUTOFFS:  # a share of Nyquist at any rate
            low = butterworth(y if base is None else y - base, cutoff=share * 15.0, order=ORDER, fps=30.0)
            low = low if base is None else low + base
            r = _risk(low, y, s2, n * s2 * _centre(share))
            nearer = r < risk
            best[:, nearer], risk = low[:, nearer], np.where(nearer, r, risk)
    return best, risk


def lowpass_where_white(values: np.ndarray, refined: np.ndarray, joints: list[int],
                        anchors: list[int] | tuple[int, ...] = ()) -> np.ndarray:
    """``refined`` (T, J, C), with the ``joints`` taking :func:`best_lowpass` of ``values`` (T, J, C,
    the input, without NaN, same unit, any frame rate) in the share :func:`~synsp.inference.white_noise.white_share`:
    whole where the input's noise reads white (:func:`~synsp.inference.white_noise.whiteness`, over
    all its joints), none from the ramp's top (an estimator's jitter, fast motion, clean mocap).
    ``anchors``: joints of ``refined`` the model gives; the low-pass is tried relative to their refined
    path too (:func:`refined_path`). Clips of fewer than :data:`RISK_FRAMES` frames, or no ``joints``:
    ``refined`` itself."""
    y = np.asarray(values, np.float64)
    if y.shape[0] < RISK_FRAMES or not len(joints):
        return refined
    share = float(white_share(y))
    if share <= 0.0:
        return refined
    out = np.asarray(refined, np.float64).copy()
    low = best_lowpass(y[:, joints], path=refined_path(y, out, anchors))[0]
    out[:, joints] += share * (low - out[:, joints])
    return out.astype(np.asarray(refined).dtype)


def refined_path(values: np.ndarray, refined: np.ndarray, anchors: list[int] | tuple[int, ...]) -> np.ndarray | None:
    """(T, 1, C) the mean per frame of the ``anchors`` of ``refined`` (T, J, C), the body's path as the
    model refined it (the input's ``values`` (T, J, C) at frames it left NaN); None without ``anchors``.
    A whole body moving fast in part (a monocular estimate's depth drifting, a camera panning) moves the
    model's joints with it, but a low-pass of the other joints' absolute values lags it and pulls the body
    apart (benchmarks/RESULTS.md, section 10, "A layout's joints beyond the model's on a drifting body");
    relative to this path they move with the body. Which reads nearer is each joint's least risk: on a
    still body the path's own error (the model's) would add to theirs."""
    if not len(anchors):
        return None
    anchors = list(anchors)
    path = np.asarray(refined, np.float64)[:, anchors].mean(1, keepdims=True)
    return np.where(np.isfinite(path), path, np.asarray(values, np.float64)[:, anchors].mean(1, keepdims=True))


def _risk(refined: np.ndarray, y: np.ndarray, s2: np.ndarray, divergence: np.ndarray) -> np.ndarray:
    """Stein's unbiased estimate of the squared error per joint, (..., J), of ``refined`` (..., T, J, C)
    from noisy ``y``: white noise of variance ``s2`` (..., J) per coordinate, ``divergence`` (..., J)
    times ``s2`` (the refiner's covariance with the noise)."""
    n = y.shape[-3] * y.shape[-1]
    return np.sum((refined - y) ** 2, axis=(-3, -1)) - n * s2 + 2.0 * divergence


@lru_cache(maxsize=None)
def _centre(share: float) -> float:
    """The centre of the low-pass's impulse response at cut-off ``share`` of Nyquist: its
    divergence per value (the trace of its matrix over the number of values, edges aside)."""
    impulse = np.zeros((2001, 1, 1))
    impulse[1000] = 1.0
    return float(butterworth(impulse, cutoff=share * 15.0, order=ORDER, fps=30.0)[1000, 0, 0])

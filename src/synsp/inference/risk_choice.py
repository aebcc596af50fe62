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
  1.000 against 1.013), while white noise gets the low-pass.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

import numpy as np

from synsp.filters import butterworth
from synsp.inference.clean import input_noise

__all__ = ["CUTOFFS", "MARGIN", "RISK_FRAMES", "LOWPASS_NOTE", "lowpass_or_network"]

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


def lowpass_or_network(values: np.ndarray, network: Callable[[np.ndarray], np.ndarray], *,
                       seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Refine each joint of ``values`` (T, J, C) without NaN, any unit, by ``network`` (a callable
    taking and returning (T, J, C), SmoothNet's route) or by a zero-phase low-pass, whichever has
    the lower estimated risk under :data:`MARGIN` (module docstring).

    Returns the refined poses (T, J, C), dtype of ``values``, and (J,) bool: the joints low-passed
    (or kept as they are). ``network`` runs on a probe of ``values`` (``seed``), then on
    ``values``: last, so that what it records of a call is the input's.
    """
    dtype = np.asarray(values).dtype
    y = np.asarray(values, np.float64)
    n_frames, n_joints, n_coords = y.shape
    if n_frames < RISK_FRAMES:
        return np.asarray(network(values)).astype(dtype), np.zeros(n_joints, bool)
    s2 = input_noise(y) ** 2 / n_coords  # (J,) per coordinate
    n = n_frames * n_coords
    probe = np.random.default_rng(seed).standard_normal(y.shape) * (PROBE * np.sqrt(s2))[:, None]
    probed = np.asarray(network((y + probe).astype(dtype)), np.float64)
    refined = np.asarray(network(values), np.float64)
    with np.errstate(divide="ignore", invalid="ignore"):
        slope = np.where(s2 > 0, np.sum(probe * (probed - refined), axis=(0, 2)) / (PROBE ** 2 * s2), 0.0)
    network_risk = _risk(refined, y, s2, slope * s2)
    candidates = [y]
    risks = [np.full(n_joints, n * s2)]  # the input itself: its noise
    for share in CUTOFFS:
        low = butterworth(y, cutoff=share * 15.0, order=ORDER, fps=30.0)  # a share of Nyquist at any rate
        candidates.append(low)
        risks.append(_risk(low, y, s2, n * s2 * _centre(share)))
    risks = np.array(risks)
    best = risks.argmin(axis=0)
    chosen = np.maximum(risks[best, np.arange(n_joints)], 0.0) < MARGIN * np.maximum(network_risk, 0.0)
    out = refined.copy()
    for j in np.flatnonzero(chosen):
        out[:, j] = candidates[best[j]][:, j]
    return out.astype(dtype), chosen


def _risk(refined: np.ndarray, y: np.ndarray, s2: np.ndarray, divergence: np.ndarray) -> np.ndarray:
    """Stein's unbiased estimate of the squared error per joint, (J,), of ``refined`` (T, J, C)
    from noisy ``y``: white noise of variance ``s2`` (J,) per coordinate, ``divergence`` (J,)
    times ``s2`` (the refiner's covariance with the noise)."""
    n = y.shape[0] * y.shape[2]
    return np.sum((refined - y) ** 2, axis=(0, 2)) - n * s2 + 2.0 * divergence


@lru_cache(maxsize=None)
def _centre(share: float) -> float:
    """The centre of the low-pass's impulse response at cut-off ``share`` of Nyquist: its
    divergence per value (the trace of its matrix over the number of values, edges aside)."""
    impulse = np.zeros((2001, 1, 1))
    impulse[1000] = 1.0
    return float(butterworth(impulse, cutoff=share * 15.0, order=ORDER, fps=30.0)[1000, 0, 0])

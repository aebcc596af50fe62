"""A motion the network never saw: joints whose correction moves the motion, not the noise, given a low-pass instead.

SynSP learnt the motions of its mocap (standing, walking, running, gestures). On a motion it never saw its prior pulls
the joints towards the ones it did: legs turning a crank under light jitter came out 1.7 x worse than their input in
2D (validation, 12 clips: legs 2.09 -> 3.63 px) where a 6 Hz Butterworth improves them (1.79 px), and the floor step
(:mod:`synsp.inference.floor`), which reads the pull per clip, takes back only part of it. The input itself tells
such a joint, with no knowledge of the motion:

- the clip shows no slow error for the network to correct: the floor step's own evidence, its strength per person
  over its default (in 2D the share of its slow correction the network repeats on its own output,
  :mod:`synsp.inference.repeated_pull`; in 3D the limbs' drift). An estimator's slow errors (a bias, a drift) are
  corrections far larger than the input's noise, and the network's to make; with none to correct, a correction that
  large is the network's pull;
- the joint's correction beyond a low-pass, ``|out - lowpass(input)|``, is far larger than the input's noise can
  explain: its median over the frames over the joint's noise (:func:`~synsp.inference.clean.input_noise`) is above
  :data:`ABOVE_NOISE`. A low-pass keeps the motion and leaves the noise's slow part; a correction that moves the
  joint by many times the noise for most of the clip moves the motion. The median, not the mean: a gross error the
  network repairs (a limb swapped with another person's for half a second) is a large correction of a few frames.
- the input's noise is at least a video estimator's jitter (:data:`NOISY`): under a good estimator's small jitter
  (`clean-ish`) its slow errors stand far above the noise and the network repeats its correction of them as it
  does a pull.

Such a joint takes the low-pass of its measured values (:data:`LOWPASS_HZ`, the refiner's own) by the share
:func:`moved_shares` gives, and the summary names it (:func:`moved_note`). Validation (benchmarks/unseen_motion.py;
RESULTS section 10, "A motion the network never saw made worse than the input"), 2D `jitter`, 12 clips cycling at
90 rpm: legs 2.09 px input, 3.63 before, 2.01 now (Butterworth 1.79), all joints 2.67 -> 1.94 (input 2.33); none of
the 65 clips under `clean-ish`, `typical` and `jitter` changes. In 3D a joint's pull stands no higher above the noise
than the network's corrections of `jitter` clips (validation: the cycling legs' ratio at most 0.61-1.78 per clip,
`jitter` up to 2.07): the step runs in :data:`SPACES` only.
"""
from __future__ import annotations

import numpy as np

from synsp.filters import butterworth, cutoff_for
from synsp.inference.clean import noise_level, opened

__all__ = ["SPACES", "ABOVE_NOISE", "EVIDENCE", "NOISY", "FILLED_NOISE", "LOWPASS_HZ", "moved_shares", "clip_gate",
           "beyond_lowpass", "joint_shares", "low_pass", "low_pass_moved", "moved_to", "moved_note"]

# The spaces whose SynSP route takes the step (module docstring: in 3D the pull is no larger than the corrections).
SPACES = ("2d",)
# (from, full): a joint's median correction beyond the low-pass, over its noise, from which it takes the low-pass,
# and from which wholly; linear between. Validation, 2D, all 65 clips: `jitter` up to 1.92; the cycling legs' largest
# per clip 0.53-7.31 (seen from the side 1.34-11.47).
ABOVE_NOISE = (2.0, 3.0)
# (from, full): the floor step's strength over its default (the clip's evidence of no slow error to correct) from
# which the step runs, and from which wholly. 2D: 1 where the network repeats half its slow correction.
EVIDENCE = (1.0, 2.0)
# (from, full): the input's noise level (body sizes, :func:`~synsp.inference.clean.noise_level`) from which the step
# runs, and from which wholly. A good estimator's jitter is small beside its slow errors, which the network corrects
# and repeats on its output as it does a pull: validation 2D `clean-ish` reads 0.0004-0.0018 (10 of 65 clips changed
# without this, MPJPE 6.027 -> 6.036 px); `jitter` and `typical` 0.0017-0.0085, the cycling clips 0.0027-0.0089.
NOISY = (2.0e-3, 3.0e-3)
# Share of the clip's median joint's noise below which a joint's own reads as filled, not measured (the README's
# MediaPipe demo: a left elbow missing 34 of 230 frames and scored low in others read 0.08-0.18 px where the median
# joint read 2.1, so a correction of 0.9 px stood 5-8 times above it).
FILLED_NOISE = 0.25
# The low-pass the joints take: the refiner's own (synsp.inference.refiner.LOWPASS_HZ), zero-phase order 4.
LOWPASS_HZ = 6.0


def moved_shares(measured: np.ndarray, out: np.ndarray, noise: np.ndarray, evidence: np.ndarray, *,
                 fps: float | None = None) -> np.ndarray:
    """(V, J) the share of each joint's low-pass to give, for the refined ``out`` of the ``measured`` values (both
    (V, T, J, C) without NaN, same unit), the input's ``noise`` ((V, J), :func:`~synsp.inference.clean.input_noise`
    of ``measured``) and ``evidence`` ((V,), the floor step's strength over its default); ``fps``: the input's rate
    (None: 30). 0 where the clip may hold slow errors (:data:`EVIDENCE`), its noise is a good estimator's
    (:data:`NOISY`) or the correction is within the noise (:data:`ABOVE_NOISE`; a joint's noise read no lower than
    :data:`FILLED_NOISE` of the median joint's); module docstring."""
    y = np.asarray(measured, np.float64)
    gate = clip_gate(evidence, noise_level(y, np.asarray(noise, np.float64)))  # (V,)
    if not gate.any():
        return np.zeros(y.shape[:1] + y.shape[2:3])
    return joint_shares(beyond_lowpass(out, low_pass(y, fps)), noise, gate)


def clip_gate(evidence: np.ndarray, level: np.ndarray) -> np.ndarray:
    """(V,) how far each person's clip opens the step: the floor step's ``evidence`` (V,) of no slow error to
    correct (its strength over its default, :data:`EVIDENCE`) times the input's noise ``level`` (V,) in body sizes
    (:func:`~synsp.inference.clean.noise_level`) being a video estimator's (:data:`NOISY`)."""
    return opened(np.asarray(evidence, np.float64), EVIDENCE) * opened(level, NOISY)


def beyond_lowpass(out: np.ndarray, lowpassed: np.ndarray) -> np.ndarray:
    """(V, J) each joint's median over the frames of its distance from ``out`` (V, T, J, C) to ``lowpassed`` (the
    same shape: :func:`low_pass` of the measured values), in their unit: the correction beyond the low-pass."""
    return np.median(np.linalg.norm(np.asarray(out, np.float64) - lowpassed, axis=-1), axis=1)


def joint_shares(beyond: np.ndarray, noise: np.ndarray, gate: np.ndarray) -> np.ndarray:
    """(V, J) each joint's share of the low-pass: its correction ``beyond`` the low-pass ((V, J),
    :func:`beyond_lowpass`) over its ``noise`` (V, J) (read no lower than :data:`FILLED_NOISE` of the median
    joint's) through :data:`ABOVE_NOISE`, times the clip's ``gate`` (V,) (:func:`clip_gate`); 0 for a joint never
    measured."""
    noise = np.asarray(noise, np.float64)
    # a joint's noise no lower than FILLED_NOISE of the clip's median joint's: one mostly filled or held (a long
    # gap, low scores) reads almost none, and any correction of it would stand far above that
    noise = np.maximum(noise, FILLED_NOISE * np.median(noise, axis=-1, keepdims=True))
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.where(noise > 0, beyond / np.where(noise > 0, noise, 1.0), 0.0)
    above = opened(ratio, ABOVE_NOISE)
    return np.where(np.isfinite(above), np.asarray(gate)[:, None] * above, 0.0)  # a joint never measured: as it is


def low_pass(values: np.ndarray, fps: float | None = None, hz: float = LOWPASS_HZ) -> np.ndarray:
    """The low-pass the moved joints take: ``hz`` (:data:`LOWPASS_HZ`; lowered under 2.5 x ``hz`` fps), zero-phase
    order 4, along time (axis -3) of ``values`` (..., T, J, C) without NaN at ``fps`` (None: 30); same shape,
    float64."""
    rate = 30.0 if fps is None else float(fps)
    return butterworth(np.asarray(values, np.float64), cutoff=cutoff_for(hz, rate), order=4, fps=rate)


def low_pass_moved(measured: np.ndarray, out: np.ndarray, shares: np.ndarray,
                   fps: float | None = None) -> np.ndarray:
    """``out`` (V, T, J, C) with each joint moved by its share ((V, J), :func:`moved_shares`) to the low-pass of
    ``measured`` (same shape, without NaN); ``out`` itself where no share is positive. Same shape and dtype."""
    if not np.any(shares > 0):
        return out
    return moved_to(out, low_pass(measured, fps), shares)


def moved_to(out: np.ndarray, lowpassed: np.ndarray, shares: np.ndarray) -> np.ndarray:
    """``out`` (V, T, J, C) with each joint moved by its share ((V, J)) to ``lowpassed`` (the same shape); ``out``'s
    dtype."""
    o = np.asarray(out, np.float64)
    return (o + shares[:, None, :, None] * (lowpassed - o)).astype(np.asarray(out).dtype)


def moved_note(names: list[str]) -> str:
    """What the summary says of the joints ``names`` that took the low-pass (:func:`moved_shares`)."""
    return (f"a motion the network never saw? SynSP's correction of {', '.join(names)} was far larger than the "
            "input's noise on a clip with no slow error to correct (its prior pulling the motion towards the ones it "
            "learnt), so they were taken, wholly or in part, to a 6 Hz Butterworth low-pass of the input instead")

"""Joints the input holds still that SynSP moves by a steady offset far beyond the noise: the low-pass instead.

A person seated at a desk, on a chair, before a webcam, or kneeling, filmed in 2D: thighs forward and shins down
(or thighs down and shins behind), held still for the whole clip. The 2D network learnt legs that stand, walk and
run, and its prior pulls still legs towards a stance, the same way in every frame: validation
(benchmarks/seated_2d.py, `jitter`, in profile, 65 clips) legs 2.20 px in -> 5.30 out, worse than the input on 64
clips, where SmoothNet gives 1.51 and a 6 Hz Butterworth 1.84. The bare network pulls them furthest; the floor step
and the second pass (:mod:`synsp.inference.repeated_pull`) take back only part of it.

The input tells such a joint with no knowledge of the posture:

- it holds still: the spread of its slow part (below :data:`SPREAD_HZ`) over the clip about its mean is within
  :data:`STILL` of its noise (:func:`~synsp.inference.clean.input_noise`): nothing moves it but the noise;
- SynSP's output sits off the input's low-pass (:data:`LOWPASS_HZ`) by a steady offset, the mean over the clip of
  their difference, of :data:`ABOVE_NOISE` times that noise or more: a correction that large and that steady on a
  joint that does not move is a constant error fixed or a pull;
- the clip shows no constant or slow error for the network to fix: the floor step's own evidence, how much of its
  slow correction the network repeats on its own output (:func:`~synsp.inference.repeated_pull.repeat_factor` of
  the refiner's ``repeated`` over :data:`EVIDENCE`). An estimator's per-joint bias (the `clean-ish` and `typical`
  presets) is a steady offset of a still joint too, which the network rightly takes out; its correction does not
  repeat, and the step keeps it.

Such a joint takes its low-pass by the product of the three shares. Validation: RESULTS section 10, "A seated
person's still legs in 2D".
"""
from __future__ import annotations

import numpy as np

from synsp.filters import butterworth, cutoff_for
from synsp.inference.clean import input_noise
from synsp.inference.repeated_pull import repeat_factor

__all__ = ["SPACES", "SPREAD_HZ", "STILL", "ABOVE_NOISE", "EVIDENCE", "LOWPASS_HZ", "still_shares", "still_pull",
           "still_note"]

# The spaces whose SynSP route takes the step: 2D (in 3D the seated legs come out nearer than the input).
SPACES = ("2d",)
# Hz: the slow part whose spread over the clip tells a joint held still (the noise's share below it is small).
SPREAD_HZ = 1.0
# (full, none): a joint's slow spread over its noise up to the first figure holds still, from the second it moves;
# linear between. Validation, `jitter`, 65 clips seated in profile: the still legs read 0.8-3.5.
STILL = (4.0, 6.0)
# (from, full): SynSP's steady offset from the low-pass over the joint's noise from which the joint takes the
# low-pass, and from which wholly. Validation, `jitter`, 65 clips as filmed: still joints at most 1.99; seated legs
# up to 14.
ABOVE_NOISE = (2.0, 3.0)
# (from, full): the floor step's repeat factor (1 where the network repeats half its slow correction, 10 from 0.6)
# from which the step runs, and from which wholly. Validation: the seated clips read 7.4-10 under `jitter`; at (1, 2)
# one `clean-ish` clip (its nose, factor 2.5) took the low-pass of a bias the network fixes.
EVIDENCE = (3.0, 6.0)
# The low-pass those joints take: the refiner's own (synsp.inference.refiner.LOWPASS_HZ), zero-phase, order 4.
LOWPASS_HZ = 6.0


def _ramp(value: np.ndarray, ends: tuple[float, float]) -> np.ndarray:
    """0 at ``ends[0]`` and below, 1 at ``ends[1]`` and above (falling instead where ``ends`` falls); linear."""
    return np.clip((value - ends[0]) / (ends[1] - ends[0]), 0.0, 1.0)


def _low_pass(values: np.ndarray, hz: float, fps: float | None) -> np.ndarray:
    """Zero-phase order-4 Butterworth of ``values`` (..., T, J, C) at ``hz`` (lowered for a low ``fps``, None: 30)."""
    rate = 30.0 if fps is None else float(fps)
    return butterworth(np.asarray(values, np.float64), cutoff=cutoff_for(hz, rate), order=4, fps=rate)


def still_shares(poses: np.ndarray, out: np.ndarray, repeated: np.ndarray | float | None,
                 fps: float | None = None) -> np.ndarray:
    """(V, J) the share of its low-pass each joint of SynSP's ``out`` takes (module docstring), for the input
    ``poses`` and ``out`` (V, T, J, C), any unit; ``repeated`` ((V,) or a number): the refiner's repeated share
    (None: not read, no share); ``fps``: the input's rate (None: 30). A joint with a value missing gets none."""
    x = np.asarray(poses, np.float64)
    shares = np.zeros(x.shape[:1] + x.shape[2:3])
    if repeated is None or x.shape[1] < 2:
        return shares
    gate = _ramp(np.broadcast_to(repeat_factor(np.asarray(repeated, np.float64)), x.shape[:1]), EVIDENCE)
    whole = np.isfinite(x).all(axis=(1, 3))  # (V, J): joints measured in every frame
    for v in np.flatnonzero(gate > 0):
        if not whole[v].any():
            continue
        seen = x[v][:, whole[v]]
        noise = np.maximum(input_noise(seen), 1e-12)
        slow = _low_pass(seen, SPREAD_HZ, fps)
        spread = np.sqrt(np.mean(np.sum((slow - slow.mean(axis=0)) ** 2, axis=-1), axis=0))
        offset = np.linalg.norm(np.mean(np.asarray(out[v], np.float64)[:, whole[v]] - _low_pass(seen, LOWPASS_HZ, fps),
                                        axis=0), axis=-1)
        shares[v, whole[v]] = gate[v] * _ramp(spread / noise, STILL[::-1]) * _ramp(offset / noise, ABOVE_NOISE)
    return shares


def still_pull(poses: np.ndarray, out: np.ndarray, shares: np.ndarray, fps: float | None = None) -> np.ndarray:
    """``out`` (T, J, C) or (V, T, J, C), SynSP's refinement of ``poses`` (same shape), with each joint moved by
    its share ((V, J), :func:`still_shares`) to the low-pass of ``poses``; ``out`` itself where none is positive."""
    if not np.any(shares > 0):
        return out
    o = np.asarray(out, np.float64)
    views, x = (o, poses) if o.ndim == 4 else (o[None], np.asarray(poses)[None])
    joints = np.flatnonzero(shares.max(axis=0) > 0)
    moved = views.copy()
    lowpass = _low_pass(np.asarray(x, np.float64)[:, :, joints], LOWPASS_HZ, fps)
    share = shares[:, None, joints, None]
    moved[:, :, joints] += np.where(share > 0, share * (lowpass - views[:, :, joints]), 0.0)  # a gap's NaN: as it is
    return (moved if o.ndim == 4 else moved[0]).astype(np.asarray(out).dtype)


def still_note(names: list[str]) -> str:
    """What the summary says of the joints ``names`` that took the low-pass (:func:`still_shares`)."""
    return (f"still joints pulled: {', '.join(names)} held still in the input, but SynSP moved them by a steady "
            "offset far beyond the input's noise, on a clip with no slow error to correct (a posture its body model "
            "never saw held still: seated, kneeling?), so they were moved, wholly or in part, to the input's low-pass "
            "(Butterworth 6 Hz)")

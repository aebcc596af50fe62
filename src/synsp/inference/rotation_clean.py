"""Nearly clean rotations kept: a rotation network's correction limited to what the input's noise justifies.

The rotation counterpart of :mod:`synsp.inference.clean` (read its docstring first; the rule is
the same, on the rotation manifold). A network on rotations moves clean motion by its own error:
on the validation split ``synsp-smpl24`` moved clean SMPL clips 2.9 mm (after forward
kinematics), and SmoothNet then the filter (a BVH's default) moved the mocap's own BVH tree
4.4 mm, up to 94 mm on a kick's toes in a user's audit; 0.25 degrees of white jitter came out at
only x 0.82 (SMPL) and x 0.57 (BVH) of the input's error, and on another rig's skeleton 0.5
degrees came out worse than it went in (x 1.28-1.56).

- Each joint's noise ``n`` (:func:`rotation_noise`, radians) is :func:`synsp.inference.clean.input_noise`
  of the nine numbers of its rotation matrices (continuous, unlike angles or quaternions; a small
  turn by ``d`` changes them by ``d sqrt(2)`` in any frame), times :data:`NOISE_SCALE`: the fast
  band holds white noise's share only of white noise, and an estimator's jitter is correlated in time.
- The correction's RMS angle ``c`` per joint is the geodesic angle from input to output, RMS over
  frames (:func:`correction_angle`).
- Each joint keeps the share ``gain = max(opened(level, ROTATION_NOISE_RAMP), opened(peak, GROSS_OPEN),
  min(1, (n / c)^2))`` of its correction: the output is ``R_in exp(gain log(R_in^T R_out))``, the
  slerp from input to output, one share per clip and joint. ``(n / c)^2`` is the Wiener share when
  the network removes noise of RMS ``n`` and adds an error of its own (``c^2 = n^2 + e^2``); ``level``
  (the median of ``n`` over joints, degrees) at or above the ramp's top keeps every correction whole
  (noisy input: nothing changes); ``peak``, the joint's largest correction in any frame (degrees),
  keeps a gross error's correction whole (a flip or a swap, which no noise explains).

Where the numbers come from (validation split, every third clip: 22; white jitter per axis; MPJPE
after forward kinematics, the output with the step as a share of the output without it, SMPL by
``synsp-smpl24`` / the mocap's own BVH tree by SmoothNet then the filter, the step limiting both,
:meth:`~synsp.inference.rotation_refiner.RotationRefiner.refine_skeleton`; ``benchmarks/rotation_clean.py``
prints the figures before and after):

    scale  clean        0.25 deg     0.5 deg      1 deg        light        jitter       3dpw-pare-fast  3dpw-pare
    1.0 *  0.13 / 0.04  0.81 / 0.70  0.98 / 0.94  1.03 / 1.02  1.15 / 1.30  1.40 / 1.27  1.21 / 1.33     1.02 / 1.01
    1.4    0.20 / 0.08  0.82 / 0.68  0.97 / 0.90  1.00 / 0.99  0.99 / 0.99  1.00 / 1.00  1.03 / 1.04     1.005 / 1.00
    1.7    0.27 / 0.12  0.87 / 0.70  0.99 / 0.93  1.00 / 1.00  0.97 / 0.94  1.00 / 1.00  1.00 / 0.99     1.00 / 1.00
    2.0    0.34 / 0.16  0.92 / 0.73  1.00 / 0.96  1.00 / 1.00  0.98 / 0.94  1.00 / 1.00  1.00 / 0.99     1.00 / 1.00

(* without the ramp and the gross limit below; the other rows with them.) 1.7 is the smallest
scale that leaves every preset within 0.5 % of the output without the step (``light``: 0.5 degrees
of AR(1) jitter correlated over 0.05 s, whose fast band holds about a third of white noise's share;
at 1.0 it lost 15-30 %). Noise levels measured (median clip; min-max): clean SMPL 0.04 degrees
(0.02-0.56, a run's own motion), white 0.25 / 0.5 / 1 / 3 degrees per axis 0.40 / 0.80 / 1.57 / 4.65,
``light`` 0.46, ``3dpw-pare`` 0.89, ``jitter`` 2.82 (2.64-3.05). The table's rows were measured with a
first ramp, (1.5, 2.5) degrees; the shipped one, (0.5, 0.85), keeps `3dpw-pare`'s smoothing whole
(:data:`ROTATION_NOISE_RAMP`).

The step runs for networks trained to leave slow errors alone (the shipped defaults); one trained
to remove them corrects errors without a fast part, which the input's noise does not bound
(:class:`~synsp.inference.rotation_refiner.RotationRefiner`'s ``keep_clean``).
"""
from __future__ import annotations

import numpy as np

from synsp.inference.clean import input_noise, opened
from synsp.rotations.conversions import axis_angle_from_matrix, matrix_from_axis_angle

__all__ = ["NOISE_SCALE", "ROTATION_NOISE_RAMP", "GROSS_OPEN", "rotation_noise", "phase_noise", "correction_angle",
           "keep_rotations_to_noise"]

# The fast band's noise (white noise's share) is scaled by this before it limits a correction: an
# estimator's jitter is correlated in time (the `light` preset's fast band holds about a third of
# white noise's share). Validation: the smallest of 1.0, 1.4, 1.7, 2.0 that leaves every preset
# within 0.5 % of the output without the step (module docstring).
NOISE_SCALE = 1.7
# The noise level (degrees: the median over joints of the fast band's noise, unscaled) from which
# every correction is kept whole, linear from the first figure: below `3dpw-pare`, the preset fitted
# to an estimator's output (0.89, median clip), which keeps its whole correction, as the position
# step keeps every estimator preset's. A first ramp, (1.5, 2.5), limited that preset's correction
# too: its MPJPE held, but its Accel rose on the test split (BVH tree 3.52 -> 4.93 mm/frame^2, SMPL
# 3.74 -> 4.13); on validation (8 clips) (0.5, 0.85) leaves `3dpw-pare`'s and `3dpw-pare-fast`'s
# MPJPE and Accel as without the step and keeps its gains on clean input, white 0.25 degrees and
# `light` (RESULTS section 14, "Nearly clean rotations keep their values").
ROTATION_NOISE_RAMP = (0.5, 0.85)
# A joint whose correction turns it this far (degrees) in some frame keeps it whole, linear from the
# first figure: a flip or a swap, no network's own error (on clean validation clips up to 17 degrees,
# at a clip's ends). Validation, `3dpw-pare` on SMPL: x 1.005 of the output without the step -> 1.001.
GROSS_OPEN = (15.0, 30.0)


def rotation_noise(rotations: np.ndarray) -> np.ndarray:
    """Per joint, the RMS angle (radians) of the noise of ``rotations`` (..., T, J, 3, 3) read in its
    fast band: :func:`synsp.inference.clean.input_noise` of each matrix's nine numbers, over
    sqrt(2) (a small turn by ``d`` changes them by ``d sqrt(2)``, in any frame). Returns (..., J)."""
    r = np.asarray(rotations, np.float64)
    return input_noise(r.reshape(*r.shape[:-2], 9)) / np.sqrt(2.0)


def correction_angle(inputs: np.ndarray, refined: np.ndarray) -> np.ndarray:
    """Per joint, the RMS over frames of the geodesic angle (radians) from ``inputs`` to ``refined``
    (..., T, J, 3, 3); (..., J)."""
    change = axis_angle_from_matrix(np.swapaxes(inputs, -1, -2) @ refined)
    return np.sqrt(np.mean(np.sum(change ** 2, axis=-1), axis=-2))


def phase_noise(rotations: np.ndarray, step: int = 1) -> np.ndarray:
    """Per joint, :func:`rotation_noise` (radians) of ``rotations`` (T, J, 3, 3) read on every ``step``-th
    frame, as a network that runs at 1 / ``step`` of the input's rate sees it: RMS over the ``step``
    phases. White noise reads the same at any step; noise correlated over a few hundredths of a
    second, which the fast band of a 120 fps clip hardly holds, reads as it does at 30 fps, where
    the ramps were chosen. Returns (J,)."""
    x = np.asarray(rotations, np.float64)
    step = max(1, min(int(step), len(x) // 2))  # a phase of at least two frames
    n = len(x) // step
    phases = np.stack([x[p::step][:n] for p in range(step)])  # (step, n, J, 3, 3)
    return np.sqrt(np.mean(rotation_noise(phases) ** 2, axis=0))


def keep_rotations_to_noise(inputs: np.ndarray, refined: np.ndarray, step: int = 1) -> np.ndarray:
    """Keep nearly clean rotations: limit the correction ``inputs`` -> ``refined`` (T, J, 3, 3) to the input's noise.

    Per joint, the output turns each frame from the input towards ``refined`` by the share ``gain``
    of the angle between them (module docstring); ``refined`` itself when every gain is 1. ``step``:
    input frames per frame of the network's rate, over which the noise is read (:func:`phase_noise`;
    above the rates a network covers, a 120 fps clip's is 4).
    """
    x = np.asarray(inputs, np.float64)
    out = np.asarray(refined, np.float64)
    if len(x) < 2:
        return refined
    noise = phase_noise(x, step)  # (J,)
    whole = opened(np.degrees(np.median(noise)), ROTATION_NOISE_RAMP)
    if whole >= 1:  # noisy input: the network's correction whole
        return refined
    change = axis_angle_from_matrix(np.swapaxes(x, -1, -2) @ out)  # refined = inputs @ exp(change)
    angle = np.linalg.norm(change, axis=-1)  # (T, J)
    limited = np.minimum(1.0, (NOISE_SCALE * noise) ** 2 / np.maximum(np.mean(angle ** 2, axis=0), 1e-24))
    gain = np.maximum(np.maximum(whole, opened(np.degrees(angle.max(axis=0)), GROSS_OPEN)), limited)
    if (gain >= 1).all():
        return refined
    return (x @ matrix_from_axis_angle(gain[None, :, None] * change)).astype(np.asarray(refined).dtype)

"""A body spinning about the vertical (a pirouette, a spin in a dance or on ice): the spin taken out, and put back.

A BVH carries the body's heading in the rotation of its pelvis (the first joint from the root with several
children: the hips), or of a root above it. A body spinning 1-3 turns a second turns it 12-36 degrees a frame at
30 fps, far faster than any body the networks learnt (the validation clips' heading turns at most 60 degrees a
second over half a second). Refined as it came, the spin cost twice: the hips' own rotation was smoothed across
the turn, and the pace read on the spinning joints (:mod:`synsp.motion_pace`, ``turning_pace``) raised the
cut-offs and stretched the network's time, leaving the whole body's noise less smoothed (validation, 65 clips,
``jitter``, SmoothNet then the filter: 66.3 mm MPJPE still, 70.9 / 84.1 spinning 1 / 3 turns a second; now 66.5 /
65.7; benchmarks/RESULTS.md, section 14, "A BVH spinning about the vertical" and "One half-turn rule").

So the heading is read as the pelvis's twist about +Y (BVH's up; an SMPL file's in its upright axes,
:mod:`synsp.refining.motion_spin`); where it turns faster than :data:`SPIN_FROM` degrees a second over
:data:`SPIN_SPAN` (a spin: a glitch that turns and comes back does not) and the turn spans half a turn or more
(:data:`MIN_TURN`: a spin goes round), its turn, smoothed over :data:`SPIN_SIGMA`, is taken out of the joint that
carries it before the refinement and put back after (wholly from :data:`SPIN_FULL`; any turn left costs). The turn
taken out is smooth, so the heading's fast noise stays in what is refined. A body that never turns that fast is
refined exactly as before. The same rule reads a heading from 3D joint positions
(:mod:`synsp.inference.position_spin`).
"""
from __future__ import annotations

import numpy as np
from scipy.ndimage import gaussian_filter1d

from synsp.config import TRAINING_FPS
from synsp.estimator_errors.held_values import held_frames
from synsp.odd_extension import odd_extension
from synsp.rotations.conversions import matrix_from_axis_angle, quaternion_from_matrix
from synsp.rotations.filters import smooth_rotations

__all__ = ["MIN_TURN", "PARENT_SIGMA", "SPIN_FROM", "SPIN_FULL", "SPIN_SPAN", "SPIN_SIGMA", "heading_spin",
           "spin_joints", "spin_turn", "spin_pace", "turned_about_vertical"]

# Degrees a second the heading turns over SPIN_SPAN (a spin, not a glitch that turns back) from which its turn
# is taken out, and from which wholly (a share between): above the validation split's fastest turn with every
# error preset's noise, and wholly from half a turn a second; any turn left costs (RESULTS section 14, "A BVH
# spinning about the vertical").
SPIN_FROM, SPIN_FULL = 120.0, 180.0
# The span (seconds, a Gaussian's sigma) over which the heading's pace is read: at 0.25 s a glitch of the
# `3dpw-pare` presets read 116 degrees a second, at 0.5 s none over 60 (validation, 65 clips).
SPIN_SPAN = 0.5
# The heading's Gaussian smoothing (sigma, seconds: 4 frames at 30 fps), so that the turn taken out is the spin's,
# not the noise's (its slow part is put back unrefined): of 1, 2 and 4 frames, 4 the least MPJPE spinning all through
# (validation, 8 clips, `jitter`), 2 at the start and end of a 3-turn spin; 8 and 16 more there.
SPIN_SIGMA = 4.0 / TRAINING_FPS
# The least turn (radians) taken out as a spin: half a turn. A spin goes round; a quick quarter turn (a body turning
# to face another way, or a line between noisy joints: the README's MediaPipe world landmarks, 80 degrees in 5
# frames read as 3.3 turns a second) is refined as it came (RESULTS section 14, "One half-turn rule").
MIN_TURN = np.pi
# The smoothing (a Gaussian's sigma, seconds) of the orientation of the turned joint's parent, through which the turn
# about the vertical is taken into the joint's own frame. Through the parent as it came, the noise of the mocap's
# ground joint (5 degrees under `jitter`) went into the hips with the spin's turn, which was taken out through the
# noisy parent and put back through the refined one: the hips' angle error 3.37 / 3.68 degrees spinning 1 / 3 turns
# a second against 3.02 still; the parent smoothed over 4, 15 and 60 frames 3.20 / 3.38, 3.19 / 3.35 and 3.19 / 3.34
# (validation, 8 clips; RESULTS section 14, "One half-turn rule").
PARENT_SIGMA = 0.5
_UP = np.array([0.0, 1.0, 0.0])


def spin_joints(rotations: np.ndarray, parents: np.ndarray) -> tuple[int, int] | None:
    """Where a body's heading is read and where it is turned: the pelvis, the first joint from the root down
    with several children (the hips, below a rig's ground joint such as the mocap's ``joint_Root``), and the
    joint of the chain from the root to it whose local rotation turns furthest over the clip (the one that
    carries the heading: the hips, or a root turned above them). ``rotations`` (T, J, 3, 3), ``parents`` (J,);
    None for a skeleton without such a joint (a single chain)."""
    parents = np.asarray(parents)
    chain = [int(np.flatnonzero(parents < 0)[0])]
    while (children := np.flatnonzero(parents == chain[-1])).size == 1:
        chain.append(int(children[0]))
    if children.size == 0:
        return None
    r = np.asarray(rotations, dtype=np.float64)[:, chain]
    turned = np.abs(np.diff(r, axis=0)).sum(axis=(0, 2, 3))  # how far each local rotation moves over the clip
    return chain[-1], chain[int(np.argmax(turned))]


def _global(rotations: np.ndarray, parents: np.ndarray, joint: int) -> np.ndarray:
    """The global orientation (T, 3, 3) of ``joint`` (the identity above the root) from local ``rotations``."""
    out, p = np.broadcast_to(np.eye(3), (len(rotations), 3, 3)), joint
    while p >= 0:
        out, p = rotations[:, p] @ out, int(parents[p])
    return out


def _smoothed(heading: np.ndarray, sigma: float) -> np.ndarray:
    """``heading`` (T,) smoothed by a Gaussian of ``sigma`` frames, its ends reflected oddly about a line fitted to
    2 sigma of end frames (a steady spin is smoothed as it is there too; one end frame's noise would read as a
    turn: a 17-frame clip's, 132 degrees a second)."""
    pad, fit = int(np.ceil(4 * sigma)), int(np.ceil(2 * sigma))
    extended = odd_extension(heading, pad, pad, axis=0, fit=fit)
    return gaussian_filter1d(extended, sigma, mode="nearest")[pad:pad + len(heading)]


def heading_spin(heading: np.ndarray, fps: float, start: float = SPIN_FROM, full: float = SPIN_FULL,
                 sigma: float = SPIN_SIGMA, least: float = MIN_TURN) -> np.ndarray | None:
    """The spin in a body's ``heading`` (T,) about the vertical (radians, any wrap), recorded at ``fps``: the turn
    (T,) in radians from the first frame to take out. Where the heading turns more than ``full`` degrees a second over
    :data:`SPIN_SPAN`, its whole turn (smoothed over ``sigma`` seconds), below ``start`` none, a share between; None
    when it never turns faster than ``start``, or the turn taken out spans less than ``least`` radians
    (:data:`MIN_TURN`, half a turn). The heading may be read from joint rotations (:func:`spin_turn`) or from joint
    positions (:mod:`synsp.inference.position_spin`)."""
    heading = np.unwrap(np.asarray(heading, dtype=np.float64))
    pace = np.rad2deg(np.abs(np.diff(_smoothed(heading, SPIN_SPAN * fps)))) * fps  # degrees a second
    share = np.clip((pace - start) / (full - start), 0.0, 1.0)
    if not share.any():
        return None
    turn = np.concatenate([[0.0], np.cumsum(np.diff(_smoothed(heading, sigma * fps)) * share)])
    return turn if np.ptp(turn) >= least else None


def spin_turn(rotations: np.ndarray, parents: np.ndarray, fps: float, start: float = SPIN_FROM,
              full: float = SPIN_FULL, least: float = MIN_TURN,
              up: np.ndarray | None = None) -> tuple[int, np.ndarray] | None:
    """The spin about the vertical in the heading of a motion's local rotations ``rotations`` (T, J, 3, 3) with
    parents ``parents`` (J,), recorded at ``fps``: the joint to turn it out of (:func:`spin_joints`) and the turn (T,)
    in radians from the first frame. Where the heading turns more than ``full`` degrees a second over
    :data:`SPIN_SPAN`, its whole turn (smoothed over :data:`SPIN_SIGMA`), below ``start`` none, a share between;
    None when it never turns faster than ``start``, the turn spans less than ``least`` radians (:data:`MIN_TURN`), or
    the skeleton has no pelvis. A frame that repeats the one before
    (:func:`~synsp.estimator_errors.held_values.held_frames`: a frame rate converted) keeps its turn, so that it still
    repeats it with the spin taken out. ``up``: the (3, 3) turn from the motion's world into axes whose +Y is up
    (:func:`synsp.inference.upright.upright_turn`'s: an SMPL file's Z-up world or camera frame); None: the world's +Y
    is up (BVH's)."""
    joints = spin_joints(rotations, parents)
    if joints is None or len(rotations) < 3:
        return None
    pelvis = _global(rotations, parents, joints[0])
    # the pelvis's twist about +Y (swing-twist), read upright (an upside-down body's swing is half a turn: no twist)
    q = quaternion_from_matrix(pelvis if up is None else np.asarray(up, np.float64) @ pelvis)
    turn = heading_spin(2 * np.arctan2(q[:, 2], q[:, 0]), fps, start, full, least=least)
    if turn is None:
        return None
    new = np.flatnonzero(~held_frames(rotations))  # frame 0 is never held
    return joints[1], turn[new[np.searchsorted(new, np.arange(len(turn)), side="right") - 1]]


def spin_pace(turn: np.ndarray, rotations: np.ndarray, fps: float) -> float:
    """The fastest spin, in turns a second, of :func:`spin_turn`'s ``turn`` (T,) radians of the motion ``rotations``
    (T, J, 3, 3) recorded at ``fps``: read between its new frames only, since a held frame keeps the turn of the one
    before and the next new frame then takes the whole step (each frame written k times read k times too fast)."""
    new = np.flatnonzero(~held_frames(rotations))
    if len(new) < 2:
        return 0.0
    return float((np.abs(np.diff(turn[new])) / np.diff(new)).max() * fps / (2 * np.pi))


def turned_about_vertical(rotations: np.ndarray, parents: np.ndarray, joint: int, turn: np.ndarray,
                          up: np.ndarray | None = None, fps: float = TRAINING_FPS) -> np.ndarray:
    """``rotations`` (T, J, 3, 3), recorded at ``fps``, with the body turned by ``turn`` (T,) radians about the world's
    vertical at ``joint`` (its local rotation turned about the vertical as its parent's global orientation, smoothed
    over :data:`PARENT_SIGMA`, carries it; the parent as it is): :func:`spin_turn`'s turn, negated to take the spin
    out and as it is to put it back; ``up`` as :func:`spin_turn` takes it (None: +Y). A copy; the joints'
    translations are not touched."""
    out = np.array(rotations, dtype=np.float64, copy=True)
    parent = int(parents[joint])
    above = _global(out, parents, parent)
    if parent >= 0:  # a ground joint's noise turned into the joint each frame is no part of the spin
        above = smooth_rotations(above[:, None], "gaussian", sigma=PARENT_SIGMA * fps)[:, 0]
    axis = _UP if up is None else np.asarray(up, np.float64).T @ _UP  # the world's vertical
    out[:, joint] = np.swapaxes(above, -1, -2) @ matrix_from_axis_angle(np.outer(turn, axis)) @ above @ out[:, joint]
    return out

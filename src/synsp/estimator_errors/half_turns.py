"""A 3D body turned half round for a few frames and back: an estimator reading the back as the front.

3D lifters and mesh regressors (WHAM, 4D-Humans, MotionBERT) now and then read a person's back as their front for a
few frames: the whole body, about its root, turned by 180 degrees about the vertical (a left/right exchange and a
mirror in depth at once), then back. Neither the inversions (:mod:`synsp.estimator_errors.inversions`: no labels
exchanged) nor the depth flips (:mod:`synsp.estimator_errors.depth_flips`: the width is negated too) read it, and the
cut test (:mod:`synsp.estimator_errors.body_cuts`) read its return as a video cut to another side of the person
(audit 32, finding 3: frames 40-42 turned, "cuts: ... at frame 43 ... stayed so", the span 307.5 -> 255.5 mm).

:func:`half_turns` reads a jump of most joints at once (the cut test's limit) that is a rigid turn of
:data:`TURN_ANGLE` degrees or more (the best proper rotation fits better than one onto the labels exchanged, and
leaves the median joint within the limit), and a jump back within :data:`TURN_FRAMES` frames whose turn undoes it
(the two turns compose to less than :data:`TURN_MATCH` degrees); turned back (:func:`turn_back`) by the rotation
fitted to both ends, the span joins the frames around it within the limit. The cut test
(:func:`~synsp.estimator_errors.body_cuts.turned_cuts`) and the switch-of-people test
(:func:`~synsp.estimator_errors.track_switches.track_segments`: the joints' mean moves when a body turns about its
pelvis) cut at neither end; the measurement step turns the span back (:mod:`synsp.estimator_errors.measurements`).
A cut to another side and back that soon is read so too: :data:`TURN_FRAMES` is the longest span that keeps every
cut-and-back of benchmarks/body_cuts.py's validation clips (the shortest, a third of a 49-frame clip, 16 frames) a cut
(benchmarks/RESULTS.md, section 4, "A body turned half round for a few frames").
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from synsp.estimator_errors.body_cuts import CUT_NOISE, CUT_STEP, jump_sizes, rigid_fit, rotation_angle, turn_and_mirror
from synsp.medians import nanmedian
from synsp.sequence import body_size
from synsp.skeleton.layout_type import pair_flip

__all__ = ["TURN_ANGLE", "TURN_FRAMES", "TURN_MATCH", "half_turns", "turned_frames", "turn_back",
           "turned_orientations"]

TURN_ANGLE = 135.0  # degrees: the least turn at each end (an estimator's is near 180)
TURN_FRAMES = 15  # frames: the longest span turned and back (0.5 s at 30 fps; module docstring)
TURN_MATCH = 30.0  # degrees: the turn back composed with the turn, at most (it came back where it was)


def half_turns(poses: np.ndarray, pairs: Sequence[tuple[int, int]]) -> list[tuple[int, int, np.ndarray]]:
    """The spans of ``poses`` (T, J, 3), any unit, NaN missing, turned half round and back (module docstring):
    (start, stop, rotation) each, frames start .. stop - 1 turned, ``rotation`` (3, 3) taking their pose (centred,
    row vectors: ``p @ rotation``) back onto the frames around them. ``pairs``: the layout's (left, right) joint
    pairs. None in 2D, without pairs, or under 4 frames."""
    x = np.asarray(poses, np.float64)
    if x.shape[-1] != 3 or not len(pairs) or len(x) < 4:
        return []
    flip = pair_flip(pairs, x.shape[1])
    steps = jump_sizes(x[:-1], x[1:], flip)[:, 0]  # (T - 1,) frame t - 1 to t at row t - 1
    if not np.isfinite(steps).any():
        return []
    limit = max(CUT_STEP * body_size(x), CUT_NOISE * float(nanmedian(steps)))
    if not np.isfinite(limit) or limit <= 0:
        return []
    with np.errstate(invalid="ignore"):
        jumped = np.flatnonzero(steps > limit) + 1
    spans, done = [], 0
    for t in jumped:
        if t < done or t < 1:
            continue
        into = _turn(x[t], x[t - 1], flip, limit)  # the turned pose back onto the one before
        if into is None:
            continue
        for u in jumped[(jumped > t) & (jumped <= t + TURN_FRAMES) & (jumped < len(x))]:
            out = _turn(x[u - 1], x[u], flip, limit)  # the last turned pose onto the one after
            if out is None or rotation_angle(into.T @ out) > TURN_MATCH:
                continue
            rotation = rigid_fit(np.concatenate([_centred(x[t]), _centred(x[u - 1])]),
                            np.concatenate([_centred(x[t - 1]), _centred(x[u])]))[0]
            back = turn_back(x, [(t, u, rotation)])
            ends = jump_sizes(np.stack([x[t - 1], back[u - 1]]), np.stack([back[t], x[u]]), flip)[:, 0]
            if (ends <= limit).all():
                spans.append((int(t), int(u), rotation))
                done = u + 1
                break
    return spans


def turned_frames(poses: np.ndarray, pairs: Sequence[tuple[int, int]]) -> np.ndarray:
    """(T,) bool: the frames of ``poses`` (T, J, C) in a span of :func:`half_turns`."""
    out = np.zeros(len(poses), dtype=bool)
    for start, stop, _ in half_turns(poses, pairs):
        out[start:stop] = True
    return out


def turn_back(poses: np.ndarray, spans: Sequence[tuple[int, int, np.ndarray]],
              root: np.ndarray | None = None) -> np.ndarray:
    """``poses`` (T, J, 3) with each span of :func:`half_turns` turned back by its rotation about ``root`` (T, 3), the
    body's root in each frame (default: the joints' mean; an estimator turns a root-relative body about its root);
    same dtype."""
    x = np.asarray(poses)
    if not spans:
        return x
    out = x.copy()
    with np.errstate(invalid="ignore"):
        centre = np.nanmean(x, axis=1) if root is None else np.asarray(root)
    for start, stop, rotation in spans:
        c = centre[start:stop, None, :]
        out[start:stop] = c + (x[start:stop] - c) @ rotation
    return out


def _centred(pose: np.ndarray) -> np.ndarray:
    """A pose (J, 3) about its seen joints' mean (NaN kept)."""
    with np.errstate(invalid="ignore"):
        return pose - np.nanmean(pose, axis=0)


def _turn(before: np.ndarray, after: np.ndarray, flip: np.ndarray, limit: float) -> np.ndarray | None:
    """The rotation (3, 3) of ``before`` (J, 3) onto ``after`` if it is a rigid turn of :data:`TURN_ANGLE` or more
    leaving the median joint within ``limit`` and fitting better than onto ``after`` with its labels exchanged
    (``flip``); else None."""
    fits = turn_and_mirror(before, after, flip)
    if fits is None:
        return None
    p, q, rotation, residual, mirrored = fits
    # the median joint left within the limit, as the jump is measured (an RMS takes in the limbs' own move in a frame
    # and an estimator's outlier: a `typical` clip's turn at frame 40 left RMS 68 mm for a limit of 65, its median 39)
    left = float(np.median(np.linalg.norm(p @ rotation - q, axis=-1)))
    if rotation_angle(rotation) < TURN_ANGLE or left >= limit or residual >= mirrored:
        return None
    return rotation


def turned_orientations(orientations: np.ndarray) -> tuple[np.ndarray, int]:
    """``orientations`` (T, 3, 3), a body's global orientation in each frame (SMPL's joint 0), with each span turned
    half round and back turned back, and the frames turned back (audit 32, finding 2: 4D-Humans and WHAM read the back
    as the front so). A step of :data:`TURN_ANGLE` degrees or more between two frames (a body turns 72 degrees a frame
    at most, a skater's 6 turns a second at 30 fps), and one back within :data:`TURN_FRAMES` frames composing with it
    to under :data:`TURN_MATCH` degrees: the span between is turned back by the two steps' mean turn."""
    r = np.array(orientations, np.float64)
    steps = r[1:] @ r[:-1].transpose(0, 2, 1)  # (T - 1, 3, 3): frame t - 1 to t in the world, at row t - 1
    jumped = [t + 1 for t in range(len(steps)) if rotation_angle(steps[t]) >= TURN_ANGLE]
    turned, done = 0, 0
    for t in jumped:
        if t < done:
            continue
        for u in [u for u in jumped if t < u <= t + TURN_FRAMES]:
            if rotation_angle(steps[u - 1] @ steps[t - 1]) > TURN_MATCH:
                continue
            u_, _, vt = np.linalg.svd(steps[t - 1] + steps[u - 1].T)  # the mean of the turn in and the turn back
            turn = u_ @ np.diag([1.0, 1.0, np.sign(np.linalg.det(u_ @ vt)) or 1.0]) @ vt
            r[t:u] = turn.T @ r[t:u]
            turned, done = turned + u - t, u + 1
            break
    return r, turned

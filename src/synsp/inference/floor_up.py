"""A tilted world's vertical read from the floor its feet stand on: the clip turned so that the floor is level.

A 3D clip whose vertical is tilted off every axis (a camera pitched 10 degrees) is not turned upright by
:mod:`synsp.inference.upright` (axis-aligned turns only), so the heading turn (:mod:`synsp.inference.heading`), a
turn about the model's +Y, is not one about the world's vertical, and the output still depends on the world's
heading (2.18 mm between headings on validation clips). The body's own up cannot tell a tilt: upright bodies lean
6-7 degrees, as far as a pitched camera tilts them (benchmarks/RESULTS.md, section 4, "Tried: a tilted world's
vertical, the body's up turned onto the model's"). The floor can: a foot standing still stands on it.

Here, per person, a foot joint's frame is a footprint where its smoothed path (a :data:`SMOOTH`-second mean) moves
slower than :data:`STILL` leg lengths per second and lies within :data:`NEAR` leg lengths of the frame's lowest
foot joint. Each joint's footprints are taken about their own mean (so an ankle's height over the floor, or an
estimator's steady bias on one foot, tilts nothing), and the plane through them all (the least-variance direction,
points beyond :data:`OUTLIER` robust deviations left out, read again from the plane found, :data:`ROUNDS` times) has
the floor's normal. It is read only where the clip is well posed, and turned onto +Y only where it departs:

- the poses move about the world (not :func:`synsp.inference.planted_feet.root_relative`: a root-relative clip's feet
  move with the hips, and none of the protocol's clips has a path);
- the footprints spread over :data:`MIN_SPREAD` leg lengths across their second direction (a walk that turns or
  wanders; a straight walk's footprints lie along a line, which leaves the tilt about it unread);
- the normal departs from +Y by more than :data:`MIN_TILT` degrees (a level floor read from noisy feet reads up to
  2.2 degrees on validation clips under `hard`).

Otherwise the axis is kept as today (no turn, outputs unchanged to the bit). Chosen on the validation split
(benchmarks/RESULTS.md, section 4, "A tilted world's vertical read from the floor").
"""
from __future__ import annotations

import numpy as np

from synsp.inference.planted_feet import _hips, _slow_path, foot_joints, root_relative
from synsp.skeleton import Layout, get_layout

__all__ = ["FLOOR_UP", "floor_normal", "floor_turn"]

FLOOR_UP = True  # read a tilted world's vertical from its floor (False: the model's +Y as given)
SMOOTH = 0.2  # seconds: the footprints' path is a running mean over this (an estimator's jitter out)
STILL = 0.35  # leg lengths per second: a foot joint slower is standing (planted_feet.STILL, 0.33, on refined output)
NEAR = 0.15  # leg lengths above the frame's lowest foot joint (a heel rising off the floor is not a footprint)
MIN_POINTS = 15  # footprint frames, all foot joints together
MIN_SPREAD = 0.25  # leg lengths: the footprints' spread across their second direction (validation, `typical` / `hard`:
# straight walks and clips in place read <= 0.07 / 0.11, walks that turn >= 0.58 / 0.49)
MIN_TILT = 4.0  # degrees: a level floor read from noisy feet reads <= 2.2 on the validation split
OUTLIER = 3.0  # robust standard deviations off the plane
ROUNDS = 3  # the footprints read again along the normal found (the first read is along the given +Y)


def floor_normal(poses: np.ndarray, layout: str | Layout, fps: float | None = 30.0) -> tuple[np.ndarray | None, float]:
    """The floor's unit normal (3,) under ``poses`` (T, J, 3), any unit, roughly +Y up, and the footprints' spread.

    Returns (normal pointing up, or None where there are fewer than :data:`MIN_POINTS` footprints or no feet;
    the footprints' standard deviation across their second direction, in leg lengths). Rotating ``poses`` rotates
    the normal with them (nothing here reads the given axis beyond the first round's sign and choice of the lowest
    foot joint)."""
    layout = get_layout(layout)
    x = np.asarray(poses, np.float64)
    feet = foot_joints(layout)
    hips = _hips(layout)
    if not feet or not hips or len(x) < 3 or not np.isfinite(x[:, feet + hips]).all():
        return None, 0.0
    leg = float(np.median(np.linalg.norm(x[:, hips].mean(1)[:, None] - x[:, feet], axis=-1)))
    if not leg > 0:
        return None, 0.0
    fps = 30.0 if fps is None else float(fps)
    path = np.stack([_slow_path(x[:, j], max(1, round(SMOOTH * fps))) for j in feet], axis=1)  # (T, F, 3)
    still = np.linalg.norm(np.gradient(path, axis=0), axis=-1) * fps / leg < STILL  # (T, F)
    up, spread = np.array([0.0, 1.0, 0.0]), 0.0
    for _ in range(ROUNDS):
        height = path @ up
        steps = still & (height <= height.min(axis=1, keepdims=True) + NEAR * leg)
        prints = [path[steps[:, f], f] for f in range(len(feet)) if steps[:, f].sum() >= 3]
        if sum(map(len, prints)) < MIN_POINTS:
            return None, 0.0
        points = np.concatenate([p - p.mean(axis=0) for p in prints])
        keep = np.ones(len(points), bool)
        for _ in range(2):  # the plane, then again without the points far off it
            centre = points[keep].mean(axis=0)
            values, vectors = np.linalg.eigh(np.cov((points[keep] - centre).T, bias=True))
            off = np.abs((points - centre) @ vectors[:, 0])
            keep = off <= OUTLIER * 1.4826 * np.median(off[keep]) + 1e-12
        normal = vectors[:, 0] if vectors[:, 0] @ up >= 0 else -vectors[:, 0]
        up, spread = normal, float(np.sqrt(max(values[1], 0.0)) / leg)
    return up, spread


def _onto_y(normal: np.ndarray) -> np.ndarray:
    """The least rotation (3, 3) taking the unit ``normal`` onto +Y (``normal`` within 90 degrees of it)."""
    axis = np.cross(normal, (0.0, 1.0, 0.0))
    k = np.array([[0.0, -axis[2], axis[1]], [axis[2], 0.0, -axis[0]], [-axis[1], axis[0], 0.0]])
    return np.eye(3) + k + k @ k / (1.0 + normal[1])


def floor_turn(seq: np.ndarray, layout: str | Layout, fps: float | None = 30.0) -> np.ndarray | None:
    """Per person, the turn bringing a tilted floor level, or None where no person's floor is read as tilted.

    Parameters
    ----------
    seq : ndarray (V, T, J, 3) in ``layout``'s joints and the model's axes (+Y up, roughly), any unit.
    fps : the frames' rate (None: 30).

    Returns
    -------
    ndarray (V, 3, 3) float64 rotations ``U`` (``seq @ U.T`` has the floor level, ``y @ U`` turns back; the identity
    for a person whose floor is not read or not tilted, module docstring), or None where every one is the identity.
    """
    if not FLOOR_UP:
        return None
    turns = np.tile(np.eye(3), (len(seq), 1, 1))
    for v, person in enumerate(np.asarray(seq)):
        if root_relative(person, layout, fps):
            continue
        normal, spread = floor_normal(person, layout, fps)
        if normal is None or spread < MIN_SPREAD or np.degrees(np.arccos(min(normal[1], 1.0))) <= MIN_TILT:
            continue
        turns[v] = _onto_y(normal)
    return None if (turns == np.eye(3)).all() else turns

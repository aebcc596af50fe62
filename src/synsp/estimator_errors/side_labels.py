"""Labels by image side: a 2D estimator that names a body's left and right by the side of the picture they are on.

Many 2D estimators label a person as if they always faced the camera: "left" is the image's right-hand side. When
the person turns their back, every left/right pair changes labels at once, at the profile view between, where the
hips' and the shoulders' lines across the trunk pass through nearly zero width; with the new labels those lines
come back pointing the way they did (a body turning with its labels right has them cross: they come back the other
way round). Shoulders and hips cost no jump there, but an arm held out of the body's plane (a wave) jumps to its
partner's place, and the inversion pass (:mod:`~synsp.estimator_errors.inversions`) read an arm exchange: offline,
over a clip whose back view lasts more than a third of it, the majority test kept the labels as given; a stream,
reading 2 s back, exchanged the arms back for 0.7 s after every turn, then gave them as they came (audit 38: 1.9 x
its input; benchmarks/RESULTS.md, section 12, "A turn labelled by image side").

That change of labels is the estimator's convention, not an error (from behind, the body as labelled is what a body
facing the camera would look like, and no 2D refiner can tell them apart): :func:`without_side_turns` leaves out of
an inversion's marks each run whose every jump is such a step (:func:`side_turns`), and
:func:`beside_side_turns` the glitches read around it. Legs alone labelled by image side
(the shoulders cross, the hips do not) are an error and stay marked, as are exchanges with the labels right.
"""
from __future__ import annotations

import numpy as np

from synsp.estimator_errors.crossed_hips import side_lines, trunk_line
from synsp.sequence import true_runs
from synsp.skeleton import Layout

__all__ = ["AFTER", "BEFORE", "BROAD", "NARROW", "PROFILE", "beside_side_turns", "side_turns", "without_side_turns"]

NARROW = 0.15  # trunk lengths: a line across the trunk this short reads a profile view; and its frames after the
# step this long on average (the body turned on, not held in profile: README's MediaPipe demo, a side view)
BROAD = 0.3  # trunk lengths: the line this long in one of the frames before the step (the body seen broad)
BEFORE, AFTER = 15, 6  # frames summed before and after a step for the line's direction (a stream has 3 after: its
# lookahead); the frames before reach past the profile view of a change of labels that comes a few frames after it
PROFILE = 5  # frames: a profile view this many frames before a step or in its frames (an estimator's labels change
# where it reads the sides, not always at the profile view itself)


def side_turns(poses: np.ndarray, layout: Layout) -> np.ndarray:
    """(T - 1,) bool: the steps (frame k to k + 1) of ``poses`` (T, J, 2, pixels; NaN tells nothing) where the labels
    changed by image side: the hips' and the shoulders' lines, their parts across the trunk, both seen broad
    (:data:`BROAD`) in the :data:`BEFORE` frames before, through a profile view there or just before (:data:`NARROW`,
    :data:`PROFILE`), wider than one on average over the :data:`AFTER` frames after, and pointing the same way over
    those frames before and after, summed (module docstring). All False in 3D, or without hips or
    shoulders in ``layout``."""
    x = np.asarray(poses, np.float64)
    turns = np.zeros(max(len(x) - 1, 0), dtype=bool)
    lines = side_lines(x, layout) if x.shape[-1] == 2 and len(x) > 1 else None
    if lines is None:
        return turns
    trunk = trunk_line(x, layout)  # (T, 2): hips' midpoint to shoulders'
    length = np.linalg.norm(trunk, axis=-1)
    scale = float(np.nanmedian(length)) if np.isfinite(length).any() else np.nan
    if not scale > 0:
        return turns
    up = trunk / np.where(length > 0, length, np.nan)[:, None]
    k, t_count = np.arange(len(turns)), len(x)
    turns[:] = True
    for line in lines[:2]:
        across = line - np.einsum("tc,tc->t", line, up)[:, None] * up  # (T, 2): the line's part across the trunk
        width = np.linalg.norm(across, axis=-1)
        narrow = np.concatenate([[0], np.cumsum(width < NARROW * scale)])  # profile views before frame t
        profile = narrow[k + 2] > narrow[np.maximum(k + 1 - PROFILE, 0)]  # frames k - PROFILE + 1 .. k + 1
        padded = np.concatenate([np.full(BEFORE - 1, -np.inf), np.nan_to_num(width, nan=-np.inf)])
        broad = np.lib.stride_tricks.sliding_window_view(padded, BEFORE).max(axis=-1)[:-1] > BROAD * scale
        summed = np.concatenate([np.zeros((1, 2)), np.cumsum(np.nan_to_num(across), axis=0)])  # frames before t
        was = summed[k + 1] - summed[np.maximum(k + 1 - BEFORE, 0)]
        ahead = np.minimum(k + 1 + AFTER, t_count)
        came = summed[ahead] - summed[k + 1]
        wide = np.linalg.norm(came, axis=-1) > NARROW * scale * (ahead - k - 1)  # wider than a profile, on average
        turns &= profile & broad & wide & (np.einsum("tc,tc->t", was, came) > 0)
    return turns


def without_side_turns(marked: np.ndarray, poses: np.ndarray, layout: Layout) -> np.ndarray:
    """``marked`` (T, P) bool, the inversion pass's exchanges of ``poses`` (T, J, C), without each pair's runs whose
    every jump (a run at the clip's edge has one) is a change of labels by image side (:func:`side_turns`): kept as
    the estimator gave them. The array itself where no run is left out (and always in 3D). (V, T, P) and
    (V, T, J, C): each view's."""
    if np.shape(poses)[-1] != 2 or not marked.any():
        return marked
    if marked.ndim == 3:
        given = list(marked)  # the views themselves: each view's own is returned where nothing is left out
        views = [without_side_turns(m, v, layout) for m, v in zip(given, poses)]
        return marked if all(v is m for v, m in zip(views, given)) else np.stack(views)
    t_count, out, turns = len(marked), marked, side_turns(poses, layout)
    if not turns.any():
        return marked
    for p in np.flatnonzero(marked.any(axis=0)):
        for start, stop in true_runs(marked[:, p]):
            steps = [t - 1 for t in (start, stop) if 0 < t < t_count]
            if steps and all(turns[k] for k in steps):
                out = out.copy() if out is marked else out
                out[start:stop, p] = False
    return out


def beside_side_turns(glitches: np.ndarray, poses: np.ndarray, layout: Layout) -> np.ndarray:
    """``glitches`` (T, J) or (V, T, J) bool without the left/right pairs' joints in the frames on either side of a
    change of labels by image side (:func:`side_turns`), and the frame beyond each: there each labelled joint
    comes to the body's middle line and goes back the way it came, which the glitch test read as a value astray
    and filled from the frames around (audit 38's turns: 1-3 frames a turn, the hips and shoulders)."""
    if np.shape(poses)[-1] != 2 or not glitches.any():
        return glitches
    if glitches.ndim == 3:
        given = list(glitches)
        views = [beside_side_turns(g, v, layout) for g, v in zip(given, poses)]
        return glitches if all(v is g for v, g in zip(views, given)) else np.stack(views)
    steps = np.flatnonzero(side_turns(poses, layout))
    if not len(steps):
        return glitches
    frames = np.unique(np.clip((steps[:, None] + np.arange(-1, 3)).ravel(), 0, len(glitches) - 1))
    joints = sorted({j for pair in layout.left_right for j in pair})
    if not glitches[np.ix_(frames, joints)].any():
        return glitches
    out = glitches.copy()
    out[np.ix_(frames, joints)] = False
    return out

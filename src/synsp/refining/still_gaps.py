"""A long gap in joints that stand still at both its ends: a straight line between the refined frames either side.

A person's legs hidden for a second behind a table, a desk or a car while they stand, bow or wave: the route fills
the gap along the bones (:mod:`synsp.estimator_errors.measurements`: the knee kept to its hip, their offset
interpolated), so the hip's noise and sway are carried into the knee and ankle for the whole gap, and the network,
seeing legs that move, keeps most of it. On validation (benchmarks/long_gaps.py, `jitter`, knees and ankles missing
for 30 frames) the still clips' legs came out worse than a straight line between the input's frames either side
(3D 13.93 against 10.28 mm, 2D 3.00 against 1.71 px), while a line between SynSP's own output at the gap's ends
was better than both (9.48 mm, 1.61 px). Where a joint is still at both ends of a gap of at least
:data:`MIN_GAP` frames (its refined speed over :data:`SIDE` frames before and after below :data:`STILL_SPEED`) and
its nearest seen ancestor keeps near its own line over the gap (within :data:`STILL_PATH`: the body does not crouch
or step meanwhile), its gap frames are that line. A moving limb keeps the network's output, which is nearer than a
line (3D dash_tired 211.35 against 234.03 mm).

benchmarks/RESULTS.md section 10, "A long gap in still legs".
"""
from __future__ import annotations

import numpy as np

from synsp.sequence import body_size, true_runs
from synsp.skeleton import Layout, bone_tree

__all__ = ["MIN_GAP", "SIDE", "STILL_PATH", "STILL_SPEED", "still_gaps", "stillness"]

# Frames: shorter gaps are left to the network as before (the benchmark measured 15, 30 and 60)
MIN_GAP = 10
# Frames either side of a gap whose refined speed tells whether the joint is still there
SIDE = 10
# Body sizes per second: the still validation clips' legs move 0.02-0.17 around a gap, the movers' 0.12-6.5 (a slow
# walk backwards from 0.12; taking one of its joints cost nothing: 2D 27.18 -> 26.87 px at 30 frames)
STILL_SPEED = 0.18
# Body sizes: how far the nearest seen ancestor may leave its own line between the gap's ends (a crouch, a step);
# the still validation clips' 0.002-0.077
STILL_PATH = 0.1


def _ancestor(joint: int, parent: dict[int, int], missing: np.ndarray) -> int | None:
    """The nearest ancestor of ``joint`` seen in every frame of ``missing`` (T, J) rows given (a gap's), or None."""
    a = parent.get(joint)
    while a is not None and missing[:, a].any():
        a = parent.get(a)
    return a


def _line(before: np.ndarray, after: np.ndarray, n: int) -> np.ndarray:
    """``n`` values (n, C) on the straight line from ``before`` (C,) to ``after`` (C,), both ends left out."""
    w = (np.arange(1, n + 1) / (n + 1))[:, None]
    return before * (1 - w) + after * w


def still_gaps(out: np.ndarray, missing: np.ndarray, layout: Layout, fps: float | None = None) -> np.ndarray:
    """``out`` (T, J, C) or (V, T, J, C), a refinement of poses in ``layout`` whose values
    ``missing`` (T, J) or (V, T, J) bool were filled,
    with each long gap of a joint still at both its ends (module docstring) put on the straight line between its
    refined values in the frames either side; shaped as ``out``, a copy when any gap changed. ``fps``: the frame rate
    (None: 30), for the speed's unit; units are the poses' own (the thresholds are in body sizes)."""
    if not missing.any():
        return out
    if out.ndim == 4:  # views: each its own body size and gaps
        return np.stack([still_gaps(v, m, layout, fps) for v, m in zip(out, missing)])
    parent = {c: p for p, c in bone_tree(layout)}
    size = body_size(out)
    if not np.isfinite(size) or size <= 0:
        return out
    new = out
    for j in np.flatnonzero(missing.any(0)):
        for s, e in true_runs(missing[:, j]):
            read = stillness(out, missing, parent, j, (s, e), size, fps)
            if read is not None and read[0] < STILL_SPEED and read[1] < STILL_PATH:
                new = new.copy() if new is out else new
                new[s:e, j] = _line(out[s - 1, j], out[e, j], e - s)
    return new


def stillness(out: np.ndarray, missing: np.ndarray, parent: dict[int, int], joint: int, gap: tuple[int, int],
              size: float, fps: float | None = None) -> tuple[float, float] | None:
    """How still joint ``joint`` of ``out`` (T, J, C) is about its gap ``gap`` (start, stop) of ``missing``
    (T, J): its refined speed, the larger of the :data:`SIDE` frames before and after (body sizes ``size`` per
    second at ``fps``, None: 30), and its nearest seen ancestor's (``parent``: child -> parent) largest distance
    from its own line over the gap (body sizes). None where the step does not look: a gap shorter than
    :data:`MIN_GAP`, at the clip's edge, with a gap beside it, or with no ancestor seen throughout."""
    s, e = gap
    if e - s < MIN_GAP or s < 2 or e > len(out) - 2:  # at the clip's edge: no frame after (or before)
        return None
    a = _ancestor(joint, parent, missing[s:e])
    lo, hi = max(0, s - SIDE), min(len(out), e + SIDE)
    if a is None or missing[lo:s, joint].any() or missing[e:hi, joint].any():
        return None
    rate = 30.0 if fps is None else float(fps)
    speed = max(np.linalg.norm(np.diff(out[lo:s, joint], axis=0), axis=-1).mean(),
                np.linalg.norm(np.diff(out[e:hi, joint], axis=0), axis=-1).mean()) * rate / size
    path = np.linalg.norm(out[s:e, a] - _line(out[s - 1, a], out[e, a], e - s), axis=-1).max() / size
    return float(speed), float(path)

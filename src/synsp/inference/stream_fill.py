"""A stream's missing joints, placed where the body went (:meth:`StreamingRefiner._fill`).

A joint missing for longer than the lookahead reaches (:mod:`synsp.inference.stream_measurements`) has no
later value to be filled towards, so the stream places it from the frames before. Held at its last position,
it stayed behind while the body ran on: a runner's pelvis lost for 6-12 frames sat 0.5-1 m behind the hips,
the root-relative network saw a body torn apart, and its output was placed on that root (audit 10, finding 1:
the stream 20.6 mm on the seen joints against its input's 12.8). Offline fills from both sides, along the
bones (:func:`synsp.estimator_errors.measurements.measurements`).

So a missing joint keeps its last offset from the joints it is bound to: it moves, frame by frame, by the mean
displacement of its bone neighbours seen in this frame (the pelvis with the hips and the spine, a wrist with
its elbow); a joint whose neighbours are missing too moves with those already placed (a lost forearm with its
upper arm), and one with no placed neighbour (a body part cut off) with the mean of the joints seen. Since the
same neighbours carry it every frame, their displacements add up to their own way since the joint was lost,
not to a random walk of their noise. Nothing seen in the frame: each joint held where it was.

A joint not seen in any frame so far has no value of its own to move: it stands where offline puts a joint never
seen (:func:`synsp.estimator_errors.measurements.stand_ins`; 2D, at its seen mirror partner, else at its nearest
seen joints along the bones), frame by frame. Carried from the centroid of the first frame instead, the feet of a
person whose feet the picture cuts off made the stream 1.5 x worse than its input on the joints seen (validation,
``jitter``: 2.36 -> 3.58 px; offline 1.92; benchmarks/RESULTS.md, "Waist-up video through the stream").
"""
from __future__ import annotations

import numpy as np

from synsp.estimator_errors.measurements import stand_ins
from synsp.skeleton import Layout


def neighbours(layout: Layout) -> list[list[int]]:
    """For each joint of ``layout``, the joints a bone joins it to."""
    near: list[list[int]] = [[] for _ in layout.joints]
    for a, b in layout.bones:
        near[a].append(b)
        near[b].append(a)
    return near


def moved_fill(x: np.ndarray, last: np.ndarray | None, layout: Layout, seen: np.ndarray | None = None) -> np.ndarray:
    """Frame ``x`` (V, J, C), NaN for missing joints, filled: each missing joint at its value in ``last``
    (V, J, C), the previous frame as filled, moved with the body (module docstring); without ``last`` (the
    stream's first frame), at the centroid of the frame's joints seen (0 where none is). A joint ``seen`` ((V, J)
    bool, in any frame so far, this one included; None: all) does not mark never seen: at offline's stand-in
    (:func:`~synsp.estimator_errors.measurements.stand_ins`). Returns ``x`` itself when nothing is missing,
    else a filled copy."""
    missing = ~np.isfinite(x).all(-1)  # (V, J)
    if not missing.any():
        return x
    filled = _moved(x, missing, last, layout)
    if seen is None or seen.all() or not seen.any():
        return filled
    return stand_ins(filled[:, None], ~seen[:, None], layout)[:, 0]


def _moved(x: np.ndarray, missing: np.ndarray, last: np.ndarray | None, layout: Layout) -> np.ndarray:
    """:func:`moved_fill` of frame ``x`` (V, J, C) with joints ``missing`` (V, J), before the stand-ins."""
    x = x.copy()
    if last is None:
        seen = (~missing)[..., None]
        centroid = np.where(seen, x, 0.0).sum(1, keepdims=True) / np.maximum(seen.sum(1, keepdims=True), 1)
        x[missing] = np.broadcast_to(np.nan_to_num(centroid), x.shape)[missing]
        return x
    near = neighbours(layout)
    for v in np.flatnonzero(missing.any(-1)):
        move = x[v] - last[v]  # (J, C): NaN where missing, until placed
        if missing[v].all():
            x[v] = last[v]
            continue
        todo = set(np.flatnonzero(missing[v]).tolist())
        while todo:  # outwards from the joints seen, one bone at a time
            placed = {j: [k for k in near[j] if k not in todo] for j in todo}
            placed = {j: ks for j, ks in placed.items() if ks}
            if not placed:  # no bone path to a joint seen: with the body's mean
                rest = sorted(todo)
                move[rest] = move[~missing[v]].mean(0)
                break
            for j, ks in placed.items():
                move[j] = move[ks].mean(0)
            todo -= set(placed)
        x[v, missing[v]] = last[v, missing[v]] + move[missing[v]]
    return x

"""Hips turned against the shoulders: legs whose left/right labels an estimator kept exchanged.

No body turns its pelvis more than a quarter turn against its shoulders (validation mocap: at most 31
degrees; in 2D, where both lines read at least :data:`MIN_WIDTH` of the trunk, the image's at most 59).
With the legs' labels exchanged the hips' line points the other way, so the two lines turn more than a
quarter turn apart in every frame of the exchange. :mod:`synsp.estimator_errors.inversions` reads an
exchange from the jumps at its ends, and a leg exchange that starts or ends where the legs cross (a walk seen
from the side) or lasts seconds may not jump enough; the network then refines a body with crossed hips,
which it never learnt, and moves the upper body the estimator had right (a user audit, audit 7: legs
exchanged for 1-3 s, the face and arms 3 px -> 9 px off in 2D, 12.5 -> 21 mm in 3D; benchmarks/RESULTS.md,
section 4, "Legs exchanged for seconds"). :func:`synsp.estimator_errors.measurements.measurements` runs it in 3D
and 2D (:data:`CROSSED_SPACES`). A 2D run needs more evidence: the simulator's `hard` exchanges the whole upper
body for a few frames (the hips then read crossed against the shoulders and the face), and its heavy noise turns
short lines every way; so a 2D run must last :data:`MIN_FRAMES` frames and its lines read opposed, their median
cosine at most -:data:`PARALLEL` (validation, every clip of 2D `hard`: the runs the rule would take wrongly last
1-4 frames, or 6 and 32 frames with a median cosine of -0.26 and -0.72; legs exchanged for seconds -0.89 to -1.00).

:func:`crossed_legs` marks the legs' pairs (the hips and every pair below them) over each run of frames whose
hips turn against the shoulders, read after the inversion pass's own exchanges. Frames whose lines read too
short to tell (a side view in 2D) join a run when runs lie on both sides of them. Where the layout has ears,
the face must side with the shoulders over the run (the estimator that exchanged the upper body instead, read
by the ears, is left alone).
"""
from __future__ import annotations

import numpy as np

from synsp.estimator_errors.inversions import LIMB_WORDS, exchange
from synsp.sequence import true_runs
from synsp.skeleton import Layout, bone_tree

__all__ = ["MIN_WIDTH", "PARALLEL", "KEEPS", "CROSSED_SPACES", "MIN_FRAMES", "crossed_legs", "side_lines",
           "trunk_line"]

MIN_WIDTH = 0.2  # the shortest hips' and shoulders' line (times the trunk's median length) a frame is read at
PARALLEL = 0.8  # a body's hips and shoulders lines: the median |cosine| between them at least this (mocap: 0.99)
KEEPS = 4.0  # a pair below the hips stays as it is where its bones' squared length error is this many times less so
# The coordinate counts whose measurements take the step. Validation, the protocol's first 20 clips: 3D
# `typical` 0.830 -> 0.830 (45.06 -> 45.09 mm), `hard`, `jitter`, clean input unchanged.
CROSSED_SPACES = (2, 3)
# The fewest frames a run must last, per coordinate count (module docstring). Without it and the opposed lines, 2D
# `hard` went 0.860 -> 0.874 x input (the protocol's first 20 validation clips); with them it is unchanged. Legs kept
# exchanged for seconds read runs of 31-78 frames (the audit's 30-90, 8 validation clips; half at half the rate,
# :mod:`synsp.inference.half_pace`), the simulator's own leg exchanges the pass missed 9 and 16.
MIN_FRAMES = {2: 6, 3: 1}


def crossed_legs(poses: np.ndarray, layout: Layout, passed: np.ndarray | None = None) -> np.ndarray:
    """(T, P) bool: the left/right pairs of ``layout`` (P) to exchange in each frame of ``poses`` (T, J, C, any
    unit; NaN tells nothing), the legs' pairs over the runs whose hips turn against the shoulders, of at least
    :data:`MIN_FRAMES` frames for ``poses``' coordinate count (module docstring); all False where the layout lacks
    hips or shoulders.

    ``passed`` ((T, P) bool, None: none): the pairs the inversion pass exchanged back to give ``poses``. Where it
    exchanged the whole body over most of a run, the pass read the upper body as the side exchanged (a layout with
    feet has more pairs in the legs than above them, and a whole-body reading takes the majority's side: 2D halpe26,
    the face and arms 3 px -> 30 px off): there its exchange of the pairs above the hips is undone instead."""
    out = np.zeros((len(poses), len(layout.left_right)), dtype=bool)
    lines = side_lines(poses, layout)
    if lines is None:
        return out
    hips, shoulders, ears = lines
    trunk = np.nanmedian(np.linalg.norm(trunk_line(poses, layout), axis=-1))
    widths = np.linalg.norm(hips, axis=-1), np.linalg.norm(shoulders, axis=-1)
    readable = np.minimum(*widths) > MIN_WIDTH * trunk
    cosine = np.einsum("tc,tc->t", hips, shoulders) / np.maximum(widths[0] * widths[1], 1e-12)
    if not readable.any() or np.median(np.abs(cosine[readable])) < PARALLEL:
        return out  # lines that do not keep parallel (or opposed) are no body's hips and shoulders
    against = (cosine < 0) & readable
    side = np.where(readable, np.where(against, -1, 1), 0)  # -1 crossed, 1 aligned, 0 too short to tell
    crossed = against | _between(side)
    shortest = MIN_FRAMES.get(poses.shape[-1], 1)
    for start, stop in true_runs(crossed):
        if stop - start < shortest:
            continue  # 2D: the upper body exchanged for a few frames reads as crossed hips too
        if poses.shape[-1] == 2 and not np.median(cosine[start:stop][readable[start:stop]]) <= -PARALLEL:
            continue  # 2D: lines short against heavy noise turn every way; exchanged legs read opposed throughout
        if ears is not None:  # the face sides with the shoulders where its line can be read
            span = slice(start, stop)
            agree = np.einsum("tc,tc->t", ears[span], shoulders[span])[readable[span]]
            if agree.size and np.mean(agree > 0) < 0.5:
                continue
        if passed is not None and _upper_passed(passed[start:stop], layout):
            above = [p for p in range(len(layout.left_right)) if p not in _leg_pairs(layout)]
            out[start:stop, above] = passed[start:stop, above]
            continue
        out[start:stop, _down_the_legs(poses, start, stop, layout)] = True
    return out


def _upper_passed(passed: np.ndarray, layout: Layout) -> bool:
    """Whether the inversion pass exchanged the whole body, the shoulders and the hips, in most frames of ``passed``
    ((T, P) bool). (Where it exchanged the shoulders alone it read the upper body exchanged with its own evidence:
    the simulator's `hard` flipped the whole body and the pass took back the upper body only.)"""
    ends = [[p for p, (a, _) in enumerate(layout.left_right) if layout.joints[a] in (f"left_{part}", f"right_{part}")]
            for part in ("shoulder", "hip")]
    return all(end and passed[:, end[0]].mean() > 0.5 for end in ends)


def _down_the_legs(poses: np.ndarray, start: int, stop: int, layout: Layout) -> list[int]:
    """The legs' pairs to exchange over frames ``start`` .. ``stop`` - 1: the hips, and each pair below them,
    from the hips down, with the pair above it unless its bones to that pair keep their lengths (the median
    outside the run) :data:`KEEPS` times better unexchanged: an estimator exchanges a whole leg or the hips alone
    (the simulator's one pair or one limb), and in 2D, where legs close together keep their lengths under either
    labelling, a whole leg is the likelier."""
    pairs = layout.left_right
    hips = [p for p, (a, _) in enumerate(pairs) if layout.joints[a] in ("left_hip", "right_hip")]
    parent = {child: up for up, child in bone_tree(layout)}
    outside = np.r_[0:start, stop:len(poses)]
    reference = poses[outside] if outside.size else poses
    run = _exchanged(poses[start:stop], hips, pairs)
    chosen = list(hips)
    length = lambda x, j, k: np.linalg.norm(x[:, j] - x[:, k], axis=-1)  # noqa: E731  (T,) bone j-k's length
    for p in _leg_pairs(layout):  # in the bone tree's order: each pair after the one above it
        a, b = pairs[p]
        if p in hips or a not in parent or b not in parent:
            continue
        usual = [np.nanmedian(length(reference, j, parent[j])) for j in (a, b)]
        kept = np.nanmean((length(run, a, parent[a]) - usual[0]) ** 2 + (length(run, b, parent[b]) - usual[1]) ** 2)
        moved = np.nanmean((length(run, b, parent[a]) - usual[0]) ** 2 + (length(run, a, parent[b]) - usual[1]) ** 2)
        if not moved > KEEPS * kept:
            run, chosen = _exchanged(run, [p], pairs), chosen + [p]
    return chosen


def _exchanged(x: np.ndarray, chosen: list[int], pairs: tuple) -> np.ndarray:
    """``x`` (T, J, C) with the pairs ``chosen`` (indices into ``pairs``) exchanged in every frame."""
    marked = np.zeros((len(x), len(pairs)), dtype=bool)
    marked[:, chosen] = True
    return exchange(x, marked, pairs)[0]


def _index(layout: Layout, name: str) -> int | None:
    return layout.joints.index(name) if name in layout.joints else None


def side_lines(poses: np.ndarray, layout: Layout) -> tuple[np.ndarray, np.ndarray, np.ndarray | None] | None:
    """Of ``poses`` (T, J, C) in ``layout``: (T, C) right minus left of the hips, the shoulders and the ears (None
    without ears); None without hips or shoulders."""
    found = {}
    for part in ("hip", "shoulder", "ear"):
        ends = [_index(layout, f"{side}_{part}") for side in ("left", "right")]
        found[part] = None if None in ends else poses[:, ends[1]] - poses[:, ends[0]]
    if found["hip"] is None or found["shoulder"] is None:
        return None
    return found["hip"], found["shoulder"], found["ear"]


def trunk_line(poses: np.ndarray, layout: Layout) -> np.ndarray:
    """Of ``poses`` (T, J, C) in ``layout`` (with hips and shoulders): (T, C) from the hips' midpoint to the
    shoulders'."""
    ix = [layout.joints.index(f"{s}_{p}") for p in ("hip", "shoulder") for s in ("left", "right")]
    return (poses[:, ix[2]] + poses[:, ix[3]] - poses[:, ix[0]] - poses[:, ix[1]]) / 2


def _between(side: np.ndarray) -> np.ndarray:
    """(T,) bool: frames read as 0 whose nearest read frames before and after are both -1."""
    t = np.arange(len(side))
    read = np.flatnonzero(side != 0)
    if not read.size:
        return np.zeros(len(side), dtype=bool)
    before = np.searchsorted(read, t, side="right") - 1
    after = np.searchsorted(read, t, side="left")
    has = (before >= 0) & (after < read.size)
    prev = side[read[np.clip(before, 0, read.size - 1)]]
    nxt = side[read[np.clip(after, 0, read.size - 1)]]
    return (side == 0) & has & (prev == -1) & (nxt == -1)


def _leg_pairs(layout: Layout) -> list[int]:
    """Indices into ``layout.left_right`` of the hips and every pair below them (told by name, as
    :func:`~synsp.estimator_errors.inversions.limb_pairs` tells a leg), in the bone tree's order from its root."""
    words = ("hip", *LIMB_WORDS[0])
    order = {joint: k for k, (_, joint) in enumerate(bone_tree(layout))}
    legs = [p for p, (a, _) in enumerate(layout.left_right) if any(w in layout.joints[a].lower() for w in words)]
    return sorted(legs, key=lambda p: order.get(layout.left_right[p][0], -1))

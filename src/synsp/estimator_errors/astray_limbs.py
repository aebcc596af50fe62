"""Limbs astray: a joint, and the limb below it, that left the body for longer than a glitch.

Among several people an estimator puts one side's elbow and wrist (or knee and ankle) on the
matching joints of someone standing beside the subject, for a fraction of a second or more, and
comes back (audit 4, finding 2: 6-30 frames). A glitch (:mod:`synsp.estimator_errors.glitches`)
lasts a frame or two; such a run is longer, and a network that sees the joints together spreads it
onto the joints read right (2D validation: 2.4 px without it, 4.9 with 25-frame captures; as
missing values, 2.4). So it is taken out and filled like a gap, along the bones.

A joint is astray over frames s .. e - 1 (at least :data:`MIN_RUN`, at most :data:`LONGEST`)
when its bone to its parent in the layout's tree (:func:`synsp.skeleton.bone_tree`: the elbow's to
the shoulder, the knee's to the hip) jumps by more than :data:`ASTRAY_JUMP` body sizes (the
bounding box's largest side) and :data:`ASTRAY_NOISE` times the bone's median step into frame s
and again into frame e, with no such jump between, and

- the jump back runs against the jump out (their dot product is negative: it went away and came
  back), and the bone's length is further from its median outside the run inside it than just
  outside it (the body is outside, not inside: two captures in a row bound a stretch read right;
  the median outside, since a run may fill half a short clip);
- the jumps are at least half that where the bone's length halves (or doubles) over the frame, if
  the bone is under :data:`COLLAPSE` times its length outside the run throughout it (median): a
  limb end collapsed onto its neighbour (an occluded wrist put on the elbow, an ankle on the knee),
  whose jump is one bone's length, a forearm's 0.11-0.16 body sizes, about the limit;
- the joint moved further than its parent at both jumps (it left; the tree's root, which no bone
  below it tells, is marked where it moved further than its child), and its left/right partner
  did not jump by half as far too at both (an exchange of the two labels, which the inversions step
  undoes; a leg's knees, close together, jump about 0.15 body sizes exchanged);
- in 2D, both jumps stand out of the bone's motion: each is more than :data:`STAND` times every other step of
  the bone within :data:`NEAR` frames of the run (inside it too). A capture on a neighbour jumps there and
  back while the bone moves little between; a dancer's or a kicker's limb played fast swings as far in
  the frames around its fastest step (a user audit's dance at 3x, 2D: 232 values read astray, and
  filled in, 2.27 -> 1.50 x its input; benchmarks/RESULTS.md, section 6, "The fastest contents"); and the two
  jumps are not both a reach's fastest step, flanked on both sides by steps of the bone over :data:`RAMP` times it,
  where the bone is not collapsed (an arm reaching up to a bar in 4 frames and letting go 40 later, its bones their
  length; an estimator's capture jumps in ONE frame at least at one end, its bone's steps beside it the body's own
  motion; a collapse's jump, one forearm's length, is flanked by noise; section 10, "Arms reaching up to a bar").

The bone is read as a vector, not a length: the neighbour's elbow may lie as far from the
shoulder as the subject's own. Glitches and held values are taken out first
(:func:`synsp.estimator_errors.measurements.measurements`), so a 1-2-frame spike is no jump.
The joints below it in the tree that jumped by more than :data:`ASTRAY_JUMP` body sizes, against
its parent, at both frames went with it (the wrist on the neighbour's wrist) and are marked too.
A run at the clip's edge has one jump and is left alone (which side of it is the body is not known).

Thresholds were chosen on the validation split (benchmarks/RESULTS.md, section 4, "A limb on a
neighbour"): clean motion moves a bone by at most 0.15 body sizes in a frame in 2D, 0.12 in 3D, at
30 fps, and no value of a clean clip is marked, played up to four times as fast; 0.15, 0.2 and
0.25 body sizes gave the protocol's presets within 0.001 x input of each other, and 0.15 found the
most of the captures. Collapsed limb ends (section 4, "A limb end on its neighbour"): with the half
limit no value of a clean validation clip is marked, played up to four times as fast, with or without
noise; without the run's collapse test 11 values of 2D clips played four times as fast were.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from synsp.sequence import body_size, nan_median

__all__ = ["ASTRAY_JUMP", "ASTRAY_NOISE", "MIN_RUN", "LONGEST", "COLLAPSE", "CROSSED", "EDGE_LONGEST", "EDGE_STRETCH",
           "NEAR", "OPEN_JUMP", "RAMP", "STAND", "STAND_COORDS", "astray_limbs"]

ASTRAY_JUMP = 0.15  # body sizes a bone (as a vector) moves in a frame at each end of the run
ASTRAY_NOISE = 5.0  # times the bone's median step over the clip (glitches.GLITCH_NOISE)
MIN_RUN = 3  # frames: shorter runs are glitches' (glitches.MAX_RUN = 2)
LONGEST = 90  # frames: two jumps further apart are no one excursion
COLLAPSE = 0.5  # a bone whose length halves (or doubles) over a frame needs half the jump: a limb end on its neighbour
STAND = 1.5  # times every other step of the bone nearby that each jump must be (exchange_jumps.STAND's rule)
NEAR = 5  # frames on each side of a run whose steps (and the run's own) it is read against
# share of a jump that the bone's steps just before and after it both pass on a reach (2D validation hangs, reach 4:
# 0.15-0.30 at both jumps in 11 of 14; captures on a neighbour at most 0.06 at one jump, 0.12 at the other:
# benchmarks/RESULTS.md, section 10, "Arms reaching up to a bar")
RAMP = 0.1
# Coordinates per joint the standing-out test reads: 2D only. In 3D it let collapsed limb ends through (validation,
# benchmarks/collapsed_limbs.py, 12 clips: 1194 -> 1161 of 1583 values taken out, SynSP 23.48 -> 24.09 mm).
STAND_COORDS = (2,)
CROSSED = 0.75  # an exchange's partner continues the joint's track: nearer than this share of the joint's own jump
EDGE_STRETCH = 2.0  # times its median length outside: a bone at a clip's edge that long is on no body (one jump only)
# times ASTRAY_JUMP: a bone's jump no body makes in a frame (0.3 body sizes; clean 3D moves a bone at most 0.12),
# enough alone to read a run at a stream window's open end astray before its jump back arrives (open_end; set once,
# not tuned, checked on validation: benchmarks/RESULTS.md, section 12, "A stream takes a limb astray out")
OPEN_JUMP = 2.0
EDGE_LONGEST = 1.5  # times the body's longest bone: a bone at a clip's edge as long as a body's own is the body's (2D)


def astray_limbs(poses: np.ndarray, tree: Sequence[tuple[int, int]],
                 pairs: Sequence[tuple[int, int]] = (), *, pace: float = 1.0, open_end: bool = False,
                 frames: np.ndarray | None = None) -> np.ndarray:
    """Where joints of ``poses`` left the body for a run of frames (module docstring).

    Parameters
    ----------
    poses : (T, J, C) array, any unit; NaN for missing values (a step from or to one is no jump).
    tree : the layout's bones as ``(parent, child)`` pairs, parents first
        (:func:`synsp.skeleton.bone_tree`).
    pairs : the layout's left/right joint pairs: a run where a joint's partner jumped at both
        ends too is an exchange of their labels, left to :mod:`synsp.estimator_errors.inversions`.
    pace : how many times as fast as the mocap's the motion is (1 or more): a jump is at least
        :data:`ASTRAY_JUMP` body sizes times it, as a bone of motion k times as fast moves k times as far
        in a frame (:func:`synsp.estimator_errors.measurements.pace_factor`).
    open_end : whether the last frame is not the clip's (a stream's window): a run from a jump to it is astray
        without the bone's stretch too where the jump is over :data:`OPEN_JUMP` times the limit (its return is
        still to come; a stream holds it as a gap until it is in sight).
    frames : (T,) the poses' frame numbers where frames were left out between them
        (:mod:`synsp.estimator_errors.unseen_frames`): a step across several frames stands out of the bone's motion
        by its length per frame (a clean 2D limb's two-frame step stood out of its one-frame ones); None: in a row.

    Returns
    -------
    (T, J) bool array, True on the values of a limb astray.
    """
    x = np.asarray(poses, np.float64)
    t_count, j_count = x.shape[:2]
    marked = np.zeros((t_count, j_count), dtype=bool)
    size = body_size(x)
    if not len(tree) or t_count < MIN_RUN + 2 or not np.isfinite(size) or size <= 0:
        return marked
    limit = ASTRAY_JUMP * size * max(1.0, pace)
    below = _below(np.asarray(tree, dtype=int), j_count)
    parent_of = {child: parent for parent, child in tree}
    partner = {a: b for pair in pairs for a, b in (pair, pair[::-1])}
    # every bone's readings at once (the same values bone by bone; a stream measures a window at every frame)
    parents, children = (np.array(side, dtype=int) for side in zip(*tree))
    bones = x[:, children] - x[:, parents]  # (T, B, C)
    steps = np.diff(bones, axis=0)  # (T - 1, B, C): into frame t + 1
    lengths = np.linalg.norm(bones, axis=-1)  # (T, B)
    fars = np.linalg.norm(steps, axis=-1)  # (T - 1, B)
    usual_steps = nan_median(fars, axis=0)  # (B,)
    spans = np.ones(len(fars)) if frames is None else np.diff(np.asarray(frames, np.float64))
    rates = fars / spans[:, None]  # (T - 1, B): per frame, for the standing-out test
    with np.errstate(invalid="ignore"):  # fast motion moves every bone far: a jump stands out of its usual step
        # the body's longest bone (median over the clip): no limb is longer
        longest = np.nanmax(nan_median(lengths, axis=0))
        halves = np.minimum(lengths[1:], lengths[:-1]) < COLLAPSE * np.maximum(lengths[1:], lengths[:-1])
        jumps_all = (fars > np.where(halves, limit / 2, limit)) & (fars > ASTRAY_NOISE * usual_steps)
    for b, (parent, joint) in enumerate(tree):
        step, length, far, jumped, rate = steps[:, b], lengths[:, b], fars[:, b], jumps_all[:, b], rates[:, b]
        jumped &= marked[1:, parent] == marked[:-1, parent]  # where the parent left or came back, the jump is its
        jumps = (np.flatnonzero(jumped) + 1).tolist()  # frames jumped into
        i = 0
        while i < len(jumps) - 1:  # a jump out, then the next one back; an unpaired jump is passed over
            start, stop = jumps[i], jumps[i + 1]
            i += 1
            if not MIN_RUN <= stop - start <= LONGEST:
                continue
            if np.dot(step[start - 1], step[stop - 1]) >= 0:  # the second jump went on, not back
                continue
            usual = nan_median(np.r_[length[:start], length[stop:]])
            off = np.abs(length - usual)  # (T,): how far from its usual length outside the run
            if not nan_median(off[start:stop]) > max(off[start - 1], off[stop]):  # the body is outside the run
                continue
            collapsed = nan_median(length[start:stop]) < COLLAPSE * usual
            if min(far[start - 1], far[stop - 1]) <= limit and not collapsed:
                continue  # a jump under the limit tells a collapse only: the bone at most half its length throughout
            if (joint in partner and _jumped(x, partner[joint], parent_of.get(partner[joint]), (start, stop), limit / 2)
                    and _crossed(x, joint, partner[joint], start, stop)):
                continue  # both sides moved (by half as much: knees close together): an exchange, for the inversions
            if x.shape[-1] in STAND_COORDS and (not _stands_out(rate, start, stop)  # fast motion swings as far too
                                                or (not collapsed and _ramped(rate, start) and _ramped(rate, stop))):
                continue  # or a reach and its release, the bone its length (a collapse's short jump: noise beside)
            moved = np.linalg.norm(x[[start, stop], :] - x[[start - 1, stop - 1], :], axis=-1)  # (2, J)
            if not (moved[:, joint] > moved[:, parent]).all():  # the joint must be the one that left
                if parent not in parent_of and (moved[:, parent] > moved[:, joint]).all():
                    marked[start:stop, parent] = True  # the tree's root (COCO's nose) left: no bone of its own tells
                    i += 1
                continue
            i += 1
            _mark(marked, x, joint, parent, below[joint], (start, stop), limit)
        for start, stop in _edge_runs(x, joint, parent, jumps, length, rate, limit, partner.get(joint), longest,
                                      OPEN_JUMP * limit if open_end else np.inf):
            _mark(marked, x, joint, parent, below[joint], (start, stop), limit)
    return marked


def _mark(marked: np.ndarray, x: np.ndarray, joint: int, parent: int, below: list[int], run: tuple[int, int],
          limit: float) -> None:
    """Mark ``joint`` astray over ``run`` (start, stop) in ``marked`` (T, J), and the joints ``below`` it whose
    bone to ``parent`` in poses ``x`` (T, J, C) moved more than ``limit`` at each jump (the rest of the limb, where
    it went along; a run at the clip's edge has one jump)."""
    start, stop = run
    marked[start:stop, joint] = True
    jumps = [t for t in run if 0 < t < len(x)]
    for other in below:
        along = x[:, other] - x[:, parent]
        if all(np.linalg.norm(along[t] - along[t - 1]) > limit for t in jumps):
            marked[start:stop, other] = True


def _edge_runs(x: np.ndarray, joint: int, parent: int, jumps: list[int], length: np.ndarray, far: np.ndarray,
               limit: float, partner: int | None, longest: float = np.inf,
               open_jump: float = np.inf) -> list[tuple[int, int]]:
    """Runs of ``joint`` astray at the clip's edges: from its first frame to the first jump of its bone to ``parent``
    (``jumps``: frames jumped into), or from the last jump to its last frame, at most :data:`LONGEST` frames and
    shorter than the rest of the clip. With one jump, which side is the body is told by the bone's length (``length``,
    (T,)): more than :data:`EDGE_STRETCH` times its median outside the run throughout it (median), as no limb is, and
    longer by more than the jump's ``limit``; the joint moved further than its parent
    at the jump, the jump stands out of the bone's steps ``far`` (T - 1,) in 2D, and the left/right ``partner`` did
    not take its place (an exchange, for the inversions). The run's bone must also be longer than the body's
    ``longest`` bone (median over the clip) by half (:data:`EDGE_LONGEST`): a run whose bone agrees with the body's
    is the body, read beside a
    stretch shorter than it (a shin cut by the picture's edge for 2-4 s made the rest of the track read stretched;
    audit 20). Both edges read astray tell the middle is the odd part: neither is taken. A run to the last frame
    whose jump is over ``open_jump``, with no jump of the bone in the :data:`LONGEST` frames before it, needs no
    stretch: a stream's window, whose frames to come bring the limb back (``astray_limbs``' ``open_end``)."""
    t_count, runs = len(x), []
    for start, stop, t in ((0, jumps[0], jumps[0]), (jumps[-1], t_count, jumps[-1])) if jumps else ():
        if not 0 < stop - start <= min(LONGEST, (t_count - 1) // 2):  # the body: the longer part
            continue
        inside, usual = nan_median(length[start:stop]), nan_median(np.r_[length[:start], length[stop:]])
        with np.errstate(invalid="ignore"):  # a face's short bones double as the head turns: a jump longer too
            stretched = (inside > EDGE_STRETCH * usual and inside - usual > limit  # 3D hard: an arm 1.2-1.5 x
                         and not (x.shape[-1] in STAND_COORDS and inside <= EDGE_LONGEST * longest))
        moved = np.linalg.norm(x[t, [joint, parent]] - x[t - 1, [joint, parent]], axis=-1)
        # a stream window's open end (astray_limbs): a jump out, no jump of the bone before it (it would be the jump
        # out, this one the jump back) within a run's length
        stretched |= (stop == t_count and far[t - 1] > open_jump and not any(t - LONGEST <= j < t for j in jumps[:-1]))
        if not stretched or not moved[0] > moved[1]:
            continue
        if x.shape[-1] in STAND_COORDS and not _stands_out(far, t, t):
            continue
        inside, outside = (t - 1, t) if start == 0 else (t, t - 1)
        if partner is not None and all(  # each continues the other's track: an exchange of the labels (_crossed)
                np.linalg.norm(x[inside, b] - x[outside, a]) < CROSSED * np.linalg.norm(x[inside, a] - x[outside, a])
                for a, b in ((joint, partner), (partner, joint))):
            continue
        runs.append((start, stop))
    return runs if len(runs) < 2 else []


def _stands_out(far: np.ndarray, start: int, stop: int) -> bool:
    """Whether both jumps of a run over frames ``start`` .. ``stop`` - 1, ``far[start - 1]`` and ``far[stop - 1]``
    (``far``: (T - 1,) the bone's step lengths into each next frame), are more than :data:`STAND` times every other
    step within :data:`NEAR` frames of the run, its own included (NaN steps tell nothing)."""
    near = far[max(start - 1 - NEAR, 0): stop + NEAR].copy()
    offset = max(start - 1 - NEAR, 0)
    near[[start - 1 - offset, stop - 1 - offset]] = np.nan  # the two jumps themselves
    others = near[np.isfinite(near)]
    return not len(others) or bool(min(far[start - 1], far[stop - 1]) > STAND * others.max())


def _ramped(far: np.ndarray, t: int) -> bool:
    """Whether the jump into frame ``t`` (``far[t - 1]``; ``far``: (T - 1,) the bone's step lengths into each next
    frame, per frame) is a reach's fastest step: the steps into frames ``t - 1`` and ``t + 1`` both more than
    :data:`RAMP` times it (speeding up into it, slowing out of it). Missing steps tell nothing (no reach)."""
    if t < 2 or t >= len(far):
        return False
    return bool(min(far[t - 2], far[t]) > RAMP * far[t - 1])


def _jumped(x: np.ndarray, joint: int, parent: int | None, frames: tuple[int, int], limit: float) -> bool:
    """Whether ``joint``'s bone to ``parent`` (the joint itself without one) in poses ``x`` (T, J, C)
    may have moved more than ``limit`` into each of ``frames``: where a value is missing it may
    (wrists exchanged, one of them lost as the exchange ends, were read as the other astray)."""
    track = x[:, joint] - (x[:, parent] if parent is not None else 0.0)
    return all(not np.linalg.norm(track[t] - track[t - 1]) <= limit for t in frames)


def _crossed(x: np.ndarray, joint: int, partner: int, start: int, stop: int) -> bool:
    """Whether the run over frames ``start`` .. ``stop`` - 1 of ``joint`` and its left/right ``partner`` in poses
    ``x`` (T, J, C) may be an exchange of their labels: at both ends each one's value inside the run lies nearer
    the other's just outside it than :data:`CROSSED` times that other's own jump (each continues the other's
    track). Both joints snapped to the picture's edge, or both put on a neighbour or thrown far, jump together
    but do not cross (about 1 or more); elbows exchanged under the `hard` preset's noise cross at 0.55
    (benchmarks/RESULTS.md, section 4, "Joints on the picture's edge"). Where a value is missing they may."""
    ends = ((start, start - 1), (stop - 1, stop))  # (inside, outside) frames
    crossed = [np.linalg.norm(x[inside, b] - x[outside, a]) < CROSSED * np.linalg.norm(x[inside, a] - x[outside, a])
               for inside, outside in ends for a, b in ((joint, partner), (partner, joint))]
    seen = np.isfinite(x[[start - 1, start, stop - 1, stop]][:, [joint, partner]]).all()
    return not seen or all(crossed)


def _below(bones: np.ndarray, j_count: int) -> list[list[int]]:
    """Each joint's descendants in the bone tree ``bones`` (B, 2) of (parent, child), parents first."""
    below: list[list[int]] = [[] for _ in range(j_count)]
    for parent, child in bones[::-1]:  # children first: a child's descendants are complete when read
        below[parent] += [child, *below[child]]
    return below

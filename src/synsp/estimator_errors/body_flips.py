"""A whole body read the other way round: the frames where an estimator exchanged every left/right label.

:func:`synsp.estimator_errors.inversions.inversions` reads each pair's labelling on its own; this
step reads the runs it found together (:func:`with_the_body`), each group of points that moves as
one (a hand's 21) as one part of the body (:func:`flip_parts`). In 2D the runs of the whole body's own
labelling, every pair's motion summed (:func:`body_runs`), are read too: a body seen from the side has
its pairs too close together in the picture for any pair's pass to read a flip.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from synsp.estimator_errors.labellings import labelling
from synsp.motion_pace import pace_groups
from synsp.sequence import true_runs
from synsp.skeleton import Layout

__all__ = ["BODY", "BODY_CHARGE", "body_runs", "flip_parts", "with_the_body"]

BODY = 0.5  # more than this share of the parts smoother exchanged over a run: the body is flipped there
BODY_CHARGE = 0.1  # the body's change of labelling costs this share of its pairs' charges summed (body_runs) ...
# ... chosen on validation (benchmarks/body_flips_2d_sweep.py, 65 clips, flips from frames 30 and 60): left in
# place at 0.5, 0.25, 0.1: 20, 18, 17 of 305 (main 50; 1.0, from 60 only: 7 of 123); at 0.1 none but flips over
# a third of their clip (the majority rule's) and one over a limb astray. Unflipped clips: with_the_body's tests,
# not this charge, keep them as they were (RESULTS section 4, "A 2D flip seen from the side").


@lru_cache(maxsize=64)  # a stream reads a person's inversions at every frame
def flip_parts(layout: Layout) -> tuple[int, ...]:
    """The part of the body each of ``layout.left_right``'s pairs votes with (:func:`with_the_body`):
    the pairs of a group of points that move as one (the two hands' 21 pairs, a face's contour:
    :func:`synsp.motion_pace.pace_groups`, a pair in the group of its left point), in a block of
    consecutive points (MediaPipe Holistic's hand, not the pose's own pinky and thumb, which its
    hand detector does not exchange), one part, every other pair a part of its own; numbered in
    order of first pair.

    A whole-body estimator's hand detector that puts the right hand in the left hand's slot and
    back exchanges the 21 hand pairs, 21 of COCO-WholeBody's 32: counted pair by pair, that was
    most of the body, and every pair was exchanged, the feet and the body onto the other side
    (audit 9; benchmarks/RESULTS.md, section 4, "The hands exchanged alone")."""
    groups: dict[int, str] = {}
    for name, joints in pace_groups(layout).items():  # in blocks of consecutive points, as an estimator gives them
        ordered = np.sort(joints)
        blocks = np.cumsum(np.diff(ordered, prepend=ordered[0]) != 1)
        groups.update({int(j): f"{name.split('_')[-1]} {block}" for j, block in zip(ordered, blocks)})
    names = [groups.get(a, f"pair {p}") for p, (a, _) in enumerate(layout.left_right)]
    order = list(dict.fromkeys(names))  # numbered 0 .. K - 1: every part votes
    return tuple(order.index(name) for name in names)


def body_runs(keep: np.ndarray, across: np.ndarray, charges: np.ndarray, frames: int = 0) -> list[tuple[int, int]]:
    """The runs (start, stop), a jump at both ends, over which the whole body's labelling changes: the
    smoothest labelling of every pair's motion summed (``keep``, ``across`` (T - 1, P): each step's squared
    motion under one labelling and across a change of it), each change charged ``BODY_CHARGE`` x the pairs'
    ``charges`` (P,) summed, read against the clip's majority (:func:`~.labellings.labelling`; ``frames``:
    its frames at least). Candidates for :func:`with_the_body`, which tests each.

    A body seen from the side has each pair close together in the picture, and a flip there moves each
    pair less than its own change of labelling costs: no pair's pass read it, and the body rule had no run
    to test (benchmarks/RESULTS.md, section 4, "A 2D flip seen from the side")."""
    steps, change = keep.sum(axis=1), across.sum(axis=1) + BODY_CHARGE * float(np.sum(charges))
    if not (change < steps).any():  # no change pays: labels kept (a stream reads every frame)
        return []
    lab = labelling(steps, change, frames=frames)
    return [(a, b) for a, b in true_runs(lab) if a > 0 and b < len(lab)]


def with_the_body(marked: np.ndarray, keep: np.ndarray, across: np.ndarray, agreeing: bool = False,
                  parts: tuple[int, ...] = (), candidates: list[tuple[int, int]] | None = None) -> np.ndarray:
    """``marked`` (T, P) with every pair exchanged over each run (of any pair, a jump at both
    ends) over which most parts' motion is smoother exchanged, its two ends summed, and most of
    those parts' at each end on its own: the frames where the estimator read the whole body the
    other way round. ``keep``, ``across`` (T - 1, P): each step's squared motion under one
    labelling and across a change of it; ``parts`` (P,): the part each pair votes with, its
    pairs' motions summed (:func:`flip_parts`; none: every pair a part of its own); ``candidates``: runs of no
    pair's own to test too (:func:`body_runs`: the whole body's labelling).

    Each pair's own pass finds such a flip piecewise: pairs close together (eyes, hips seen
    from the front) jump less than a change of labelling costs, and a run the bone test rejects
    leaves its pair as it was (README's MediaPipe demo, frames 68-71: the shoulders and arms
    were exchanged back, the hips and knees not). Exchanging every pair keeps every bone's
    length, so the bone test has nothing to say here. Each end is tested on its own too: summed
    over the two, a run that shares its first end with a flip (legs that came back with the body
    crossing, without a jump, and jumped much later) took the flip's jump for its own, and every
    pair was exchanged up to the legs' later jump (the demo as 17 COCO joints with a 3-frame gap
    far from the flip, whose knees' own reading it tipped: 308 pair-frames instead of 32;
    benchmarks/RESULTS.md, section 4, "A gap far from a flip"). And a pair whose own run starts
    with a flip and goes on past it, but crossed its partner at the flip's end (or the step after),
    went back with the body there, at no jump (legs close together): its run is cut at the
    crossing, as :func:`_from_crossings` cuts a run at a clip's edge; likewise a run that ends
    with a flip and crossed into it at its start. The pass, which charges every change of labels
    a jump, had carried it on to the pair's next jump (the demo's knees and ankles, frames 68-105,
    where the video shows them right from frame 73).

    ``agreeing`` (3D, where each pair's pass finds most of a flip itself): only the pairs whose
    pass read nothing over the run and whose own motion is smoother exchanged at each end are
    added. Every pair exchanged, on validation: a pair inverted inside a flip of a second
    (two exchanges, its labels right) was exchanged back, and so were legs that had not jumped
    back with the body; on README's 3D demo, the legs over frames 68-71 were, and the routes after
    the measurement step, reading its values again, then exchanged the feet across the hips over
    frames 118-200 (benchmarks/RESULTS.md, section 4, "A whole body flipped in 3D").

    A group's pairs (``parts``: a hand's 21) are read so first, on their own: where most of a
    hand's pairs are smoother exchanged, the whole hand is, and nothing else. And a run inside
    which most parts jump (a pair that missed the estimator's label change back and forth, and
    bridged two flips 13 frames apart) is no one flip: its frames between were exchanged with
    the two (audit 9's hands exchanged in 20 % of frames: 95 px off there; RESULTS section 4,
    "The hands exchanged alone")."""
    t_count, p_count = marked.shape
    out = marked.copy()
    for part in set(parts):  # a group's pairs first, read together as a body's are (a hand's fingers)
        cols = [p for p, q in enumerate(parts) if q == part]
        if len(cols) > 1 and out[:, cols].any():
            out[:, cols] = with_the_body(out[:, cols], keep[:, cols], across[:, cols], agreeing)
    marked = out.copy()
    one_hot = np.equal.outer(np.asarray(parts or range(p_count)), np.arange(max(parts or [p_count - 1]) + 1))
    votes = keep @ one_hot, across @ one_hot  # (T - 1, K): each part's pairs' motions summed
    runs = {run for p in np.flatnonzero(marked.any(axis=0)) for run in true_runs(marked[:, p])} | set(candidates or ())
    flips: list[tuple[int, int]] = []
    # most-marked runs first: a run that starts where a flip ends (or ends where one starts) shares its jump, and
    # both exchanged would leave no jump there (a hand pair that read the frames between two flips as the flip)
    own = [set(true_runs(marked[:, p])) for p in range(p_count)]
    for start, stop in sorted(runs, key=lambda run: (-sum(run in r for r in own), run)):
        if start == 0 or stop == t_count:  # one jump: as its pair's pass and the crossings left it
            continue
        if any(start == b or stop == a for a, b in flips):  # its pairs read the flip's jump the other way
            out[start:stop, [p for p in range(p_count) if (start, stop) in own[p]]] = False
            continue
        ends = [start - 1, stop - 1]
        smoother = votes[1][ends] < votes[0][ends]  # (2, K): exchanged over the run, at each end
        if not agreeing:
            summed = votes[1][ends].sum(axis=0) < votes[0][ends].sum(axis=0)  # (K,): its two ends summed
            inside = (votes[1][start:stop - 1] < votes[0][start:stop - 1]).sum(axis=1)  # (n,): parts jumping within
            if (summed.sum() > BODY * summed.size and not (inside > BODY * summed.size).any()
                    and (smoother[:, summed].sum(axis=1) > BODY * summed.sum()).all()):
                out[start:stop] = True
                flips.append((start, stop))
            continue
        if smoother.all(axis=0).sum() > BODY * one_hot.shape[1]:
            both = (across[ends] < keep[ends]).all(axis=0)  # (P,): each pair's own motion
            out[start:stop, both & ~marked[start:stop].any(axis=0)] = True
    crossed = across <= keep  # (T - 1, P): steps where a change of labels is no jump
    for start, stop in flips:
        for p in range(p_count):
            for first, last in true_runs(marked[:, p]):
                if first == start and last > stop:  # on past the flip: back with it where it crossed
                    steps = [k for k in (stop - 1, stop) if k < len(crossed) and crossed[k, p]]
                    if steps:
                        out[steps[0] + 1:last, p] = False
                elif last == stop and first < start:  # before it: into it where it crossed
                    steps = [k for k in (start - 1, start - 2) if k >= 0 and crossed[k, p]]
                    if steps:
                        out[first:steps[0] + 1, p] = False
    for start, stop in flips:  # a cut never reaches into another flip
        out[start:stop] = True
    return out

"""A whole body read the other way round: the frames where an estimator exchanged every left/right label.

:func:`synsp.estimator_errors.inversions.inversions` reads each pair's labelling on its own; this
step reads the runs it found together (:func:`with_the_body`).
"""
from __future__ import annotations

import numpy as np

from synsp.sequence import true_runs

__all__ = ["BODY", "with_the_body"]

BODY = 0.5  # more than this share of the pairs smoother exchanged over a run: the body is flipped there


def with_the_body(marked: np.ndarray, keep: np.ndarray, across: np.ndarray, agreeing: bool = False) -> np.ndarray:
    """``marked`` (T, P) with every pair exchanged over each run (of any pair, a jump at both
    ends) over which most pairs' motion is smoother exchanged, its two ends summed, and most of
    those pairs' at each end on its own: the frames where the estimator read the whole body the
    other way round. ``keep``, ``across`` (T - 1, P): each step's squared motion under one
    labelling and across a change of it.

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
    frames 118-200 (benchmarks/RESULTS.md, section 4, "A whole body flipped in 3D")."""
    t_count, p_count = marked.shape
    out = marked.copy()
    runs = {run for p in np.flatnonzero(marked.any(axis=0)) for run in true_runs(marked[:, p])}
    flips: list[tuple[int, int]] = []
    for start, stop in sorted(runs):
        if start == 0 or stop == t_count:  # one jump: as its pair's pass and the crossings left it
            continue
        ends = [start - 1, stop - 1]
        smoother = across[ends] < keep[ends]  # (2, P): exchanged over the run, at each end
        if not agreeing:
            summed = across[ends].sum(axis=0) < keep[ends].sum(axis=0)  # (P,): over the run, its two ends summed
            if summed.sum() > BODY * summed.size and (smoother[:, summed].sum(axis=1) > BODY * summed.sum()).all():
                out[start:stop] = True
                flips.append((start, stop))
            continue
        both = smoother.all(axis=0)
        if both.sum() > BODY * p_count:
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

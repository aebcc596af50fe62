"""Left/right inversions: an estimator exchanges the labels of a left/right pair for a while.

Both joints of an exchanged pair jump to where the other one was, at the frame the inversion
starts and again where it ends; in between, the pair moves smoothly under the wrong names. A
network sees the jumps through its short windows only, and a long inversion (a second or more,
when a person turns away from the camera) it takes for the motion. Telling one is a question for
the whole clip: for each pair, the labelling of every frame (kept or exchanged) that makes the
pair's motion smoothest, where each change of labelling costs a jump of :data:`SWITCH` body sizes,
or of the pair's median distance apart where that is less, down to :data:`SWITCH_LOW` (a Viterbi
pass over two states). A clip is taken to be labelled right in most of its frames,
two thirds at least (:data:`MAJORITY`: a pair that changes labelling half-way is left as it is,
since which half is right is not known), and an exchange must not stretch the bones between
the pair and the rest of the body (a limb whose joints are all exchanged keeps its own bones).

Where most pairs' motion is smoother exchanged at both ends of the same frames, the estimator
read the person facing the other way, and pairs close together (eyes, hips) or a run the bone test
rejects left it undone piecewise: in 2D the whole body is exchanged there; in 3D, where each
pair's pass finds most of such a flip, only the pairs it left alone whose own motion agrees at
both ends (:func:`_with_the_body`).

An exchange that starts or ends where the two joints are close (fists together, legs
crossing) is no jump there. One with a jump at its other end runs, in the Viterbi pass, to the
clip's edge; it is cut back to a crossing beside the jump (:func:`_from_crossings`). One with
no jump at either end stays: it is also a small error.

The guards came from what the bare Viterbi pass did wrong. On validation in 2D, a person seen
from the side has left and right on top of each other, so an exchange can end where the two
joints cross: the pass kept a walk's wrists exchanged from there on and, by the majority,
exchanged the first part instead. On a real MediaPipe video in 3D it exchanged the ankles for
half the clip, and a knee without its ankle. With the guards it changes nothing on clean,
jittery, white-noise or fast motion in 2D or 3D, and on that video it finds the frames where
the estimator read the person facing the other way (benchmarks/RESULTS.md, section 4, "Held
values and left/right inversions").
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from synsp.sequence import body_size, nan_median, true_runs
from synsp.skeleton import Layout

__all__ = ["SWITCH", "SWITCH_LOW", "MAJORITY", "BODY", "exchange", "inversions", "without_inversions"]

SWITCH = 0.2  # body sizes: the most a change of labelling costs ...
# ... but no more than the pair's median distance apart, and no less than this (body sizes): two
# knees 22 cm apart exchanged by a runner's estimator jump 31 cm, less than 0.2 of a 1.6 m body,
# while eyes a few cm apart would be exchanged by white noise (validation: RESULTS section 4,
# "Close pairs' exchanges").
SWITCH_LOW = 0.1
MAJORITY = 2 / 3  # share of a clip's frames that must agree on a pair's labelling for it to be read
BODY = 0.5  # more than this share of the pairs smoother exchanged over a run: the body is flipped there
WHOLE_BODY = (2, 3)  # the coordinate counts (2: pixels, 3: mm) whose flips are exchanged with the body


def inversions(poses: np.ndarray, pairs: Sequence[tuple[int, int]],
               bones: Sequence[tuple[int, int]] = ()) -> np.ndarray:
    """Where each left/right pair of ``poses`` is exchanged (module docstring).

    Parameters
    ----------
    poses : (T, J, C) array, any unit; NaN values give no evidence either way.
    pairs : (left, right) joint index pairs of the poses' layout.
    bones : (a, b) joint index pairs of the layout: an exchange that would stretch the bones
        from the pair to the rest of the body is no inversion (:func:`_keeping_bones`).

    Returns
    -------
    (T, P) bool array, True where pair p's two joints carry each other's labels.
    """
    x = np.asarray(poses, np.float64)
    t_count = len(x)
    marked = np.zeros((t_count, len(pairs)), dtype=bool)
    size = body_size(x)
    if t_count < 2 or not len(pairs) or not np.isfinite(size) or size <= 0:
        return marked
    index = np.asarray(pairs, dtype=int)
    a, b = x[:, index[:, 0]], x[:, index[:, 1]]  # (T, P, C)

    def moved(p: np.ndarray, q: np.ndarray) -> np.ndarray:
        return np.nan_to_num(((p[1:] - q[:-1]) ** 2).sum(axis=-1))  # (T-1, P)

    keep = moved(a, a) + moved(b, b)  # frame to frame under the same labelling
    across = moved(a, b) + moved(b, a)
    apart = np.nan_to_num(nan_median(np.linalg.norm(a - b, axis=-1), axis=0), nan=np.inf)  # (P,); never seen: inf
    change = across + np.clip(apart, SWITCH_LOW * size, SWITCH * size) ** 2
    # A pair whose change of labelling is never cheaper than a step under one labelling keeps its
    # labels all along (both labellings then cost the same at every frame, and a tie keeps them):
    # the pass runs only where a step may change them.
    for p in np.flatnonzero((change < keep).any(axis=0)):
        marked[:, p] = _smoothest_labelling(keep[:, p].tolist(), change[:, p].tolist()).astype(bool)
    share = marked.mean(axis=0)
    marked = np.where(share > 0.5, ~marked, marked)  # most frames are labelled right
    marked[:, np.minimum(share, 1 - share) > 1 - MAJORITY] = False  # nor is it known which
    marked = _from_crossings(marked, across <= keep)
    if len(bones) and marked.any() and x.shape[-1] == 3:
        marked = _down_the_limb(marked, index, bones, across < keep)
    if len(bones) and marked.any():
        marked = _keeping_bones(x, marked, index, bones)
    if not marked.any() or x.shape[-1] not in WHOLE_BODY:
        return marked
    return _with_the_body(marked, keep, across, agreeing=x.shape[-1] == 3)


def _with_the_body(marked: np.ndarray, keep: np.ndarray, across: np.ndarray, agreeing: bool = False) -> np.ndarray:
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


def _down_the_limb(marked: np.ndarray, index: np.ndarray, bones: Sequence[tuple[int, int]],
                   jumped: np.ndarray) -> np.ndarray:
    """``marked`` (T, P) with each exchanged run carried to the pairs joined to it by bones (knees
    to hips, ankles to knees, and on down the limb) that jumped, at the run's ends, to where the
    other of the two was (``jumped`` (T - 1, P): a step cheaper across the pair than along it),
    even by less than a change of labelling costs: an estimator that exchanged a whole leg at a
    moment its ankles were close jumps far at the hips and knees only. 3D only: in 2D, where
    feet and face points overlap, it exchanged clean clips with white noise on validation
    (benchmarks/RESULTS.md, section 4, "Close pairs' exchanges")."""
    x_bones = np.asarray(bones, dtype=int)
    pair_of = {int(j): p for p, pair in enumerate(index) for j in pair}
    limbs: dict[int, set[int]] = {p: set() for p in range(len(index))}  # pairs joined by bones
    for a, b in x_bones:
        if a in pair_of and b in pair_of and pair_of[a] != pair_of[b]:
            limbs[pair_of[a]].add(pair_of[b])
    t_count = len(marked)
    out = marked.copy()
    for p in np.flatnonzero(marked.any(axis=0)):
        for start, stop in true_runs(marked[:, p]):
            steps = [k for k in (start - 1, stop - 1) if 0 <= k < t_count - 1]  # its jumps: not at an edge
            if not steps:
                continue
            frontier, seen = [p], {p}  # outwards from the pair, breadth first
            while frontier:
                nxt = []
                for f in frontier:
                    for q in limbs[f]:
                        if q in seen or out[start:stop, q].any():
                            continue
                        seen.add(q)
                        if all(jumped[k, q] for k in steps):
                            out[start:stop, q] = True
                            nxt.append(q)
                frontier = nxt
    return out


def _smoothest_labelling(keep: list[float], change: list[float]) -> np.ndarray:
    """(T,) labelling of one pair (0 as given, 1 exchanged) of least total cost, given the cost of
    each of the T - 1 frame-to-frame steps under one labelling (``keep``) and across a change of
    labelling (``change``): the Viterbi pass over two states, on plain floats (a numpy call per
    frame costs more than the arithmetic)."""
    as_given = exchanged = 0.0  # the cheapest cost of each labelling of the frame reached so far
    switched: list[tuple[bool, bool]] = []  # per step: whether each labelling's best way in changed
    for k, c in zip(keep, change):
        into_given, into_exchanged = exchanged + c < as_given + k, as_given + c < exchanged + k
        as_given, exchanged = (min(as_given + k, exchanged + c), min(exchanged + k, as_given + c))
        switched.append((into_given, into_exchanged))
    state = 0 if as_given <= exchanged else 1
    labels = [state]
    for step in reversed(switched):
        state = 1 - state if step[state] else state
        labels.append(state)
    return np.array(labels[::-1], dtype=np.int8)


def _from_crossings(marked: np.ndarray, crossed: np.ndarray) -> np.ndarray:
    """``marked`` (T, P) with each exchange that reaches the clip's first or last frame moved to the
    shorter of the two runs its one jump may bound: from the pair's last crossing before the jump,
    or up to its first crossing after it (the clip's edge where there is none). ``crossed``
    (T - 1, P): the steps where the two joints crossed (frame k to k + 1), where a change of
    labels costs no jump.

    An exchange with one jump runs, in the Viterbi pass, to the clip's edge on whichever side of
    the jump is cheaper, since the edge costs no second jump, even where the estimator exchanged
    the labels between the jump and a crossing on the other side (a walk's knees, exchanged for
    eight frames after a jump up to a crossing, were exchanged for the 38 frames before it). The
    jump does not tell the sides apart; the shorter run exchanges fewer frames, as most frames
    are labelled right (benchmarks/RESULTS.md, section 4, "An exchange at a clip's edge")."""
    marked = marked.copy()
    t_count = len(marked)
    for p in np.flatnonzero(marked[0] | marked[-1]):
        for start, stop in true_runs(marked[:, p]):
            if (start == 0) == (stop == t_count):  # jumps at both ends, or the whole clip
                continue
            jump = stop if start == 0 else start  # the first frame after the change of labels
            before = np.flatnonzero(crossed[: jump - 1, p])
            after = np.flatnonzero(crossed[jump:, p]) + jump
            first = before[-1] + 1 if len(before) else 0
            last = after[0] + 1 if len(after) else t_count
            ending, starting = jump - first, last - jump  # the run ending at the jump, the one starting there
            marked[start:stop, p] = False
            if ending < starting or (ending == starting and start == 0):
                marked[first:jump, p] = True
            else:
                marked[jump:last, p] = True
    return marked


def exchange(x: np.ndarray, marked: np.ndarray, pairs: Sequence[tuple[int, int]],
             *masks: np.ndarray) -> tuple[np.ndarray, ...]:
    """``x`` (..., J, C) with the left/right ``pairs`` (P of them) exchanged where ``marked``
    (..., P), and each of ``masks`` (..., J) exchanged with it: a value's flags (missing, filled)
    go where the value goes, so a gap is filled again under its right label."""
    index = np.asarray(pairs, dtype=int).reshape(-1, 2)
    return (_exchanged(x, marked, index), *(_exchanged(m[..., None], marked, index)[..., 0] for m in masks))


def _exchanged(x: np.ndarray, marked: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``x`` (..., J, C) with the pairs ``index`` (P, 2) exchanged where ``marked`` (..., P)."""
    out = x.copy()
    left, right = x[..., index[:, 0], :], x[..., index[:, 1], :]
    out[..., index[:, 0], :] = np.where(marked[..., None], right, left)
    out[..., index[:, 1], :] = np.where(marked[..., None], left, right)
    return out


def _keeping_bones(x: np.ndarray, marked: np.ndarray, index: np.ndarray,
                   bones: Sequence[tuple[int, int]]) -> np.ndarray:
    """``marked`` (T, P) without the runs whose exchange leaves the bones from their pair to the
    rest of the body further from their median lengths than the input's labels did (both read
    with every other exchange made)."""
    x_bones = np.asarray(bones, dtype=int)
    typical = nan_median(np.linalg.norm(x[:, x_bones[:, 0]] - x[:, x_bones[:, 1]], axis=-1), axis=0)  # NaN: never seen
    fixed = _exchanged(x, marked, index)
    kept = marked.copy()
    bone_list = [(int(a), int(b)) for a, b in x_bones]  # plain ints: the tests below are Python's
    for p in np.flatnonzero(marked.any(axis=0)):
        left, right = int(index[p, 0]), int(index[p, 1])
        touching = np.array([k for k, (a, b) in enumerate(bone_list)
                             if (a in (left, right)) != (b in (left, right))], dtype=int)  # one end in the pair
        if not len(touching):
            continue
        ends, lengths = x_bones[touching], typical[touching][:, None]

        def stretch(z: np.ndarray) -> float:
            # every touching bone's stretch in one product, bone-major as np.nansum read the list of
            # them (the same sum, term for term, to the last bit)
            away = np.linalg.norm(z[:, ends[:, 0]] - z[:, ends[:, 1]], axis=-1).T.copy()  # (B, n), C order
            return float(np.nansum(np.abs(away - lengths)))

        for start, stop in true_runs(marked[:, p]):
            run = fixed[start:stop]
            undone = run.copy()
            undone[:, [left, right]] = run[:, [right, left]]
            if stretch(run) > stretch(undone):
                kept[start:stop, p] = False
    return kept


def without_inversions(poses: np.ndarray, layout: Layout | None) -> tuple[np.ndarray, np.ndarray]:
    """``poses`` (T, J, C) or (V, T, J, C) with every inversion (:func:`inversions`, with the bones
    of ``layout``) exchanged back (the array itself when there is none), and which pair-frames
    were: (T, P) or (V, T, P) bool for the layout's P left/right pairs (P = 0 when ``layout`` is
    None)."""
    x = np.asarray(poses)
    if layout is None or not layout.left_right:
        return x, np.zeros((*x.shape[:-2], 0), dtype=bool)
    pairs, bones = layout.left_right, layout.bones
    marked = np.stack([inversions(v, pairs, bones) for v in x]) if x.ndim == 4 else inversions(x, pairs, bones)
    if not marked.any():
        return x, marked
    return exchange(x, marked, pairs)[0], marked

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

An estimator that reads a leg (or an arm) on the wrong side exchanges its knee, ankle and foot
at once. Each pair alone may jump less than a change of labelling costs, or hold no majority in a
walk seen from the side; so each limb below the hips and shoulders (:func:`limb_pairs`) is read
again as one, its pairs' motions summed, and where its clip holds no majority, its short runs
against the frames around them are read still (:data:`ISLAND`).

Where most pairs' motion is smoother exchanged at both ends of the same frames, the estimator
read the person facing the other way, and pairs close together (eyes, hips) or a run the bone test
rejects left it undone piecewise: in 2D the whole body is exchanged there (and over the runs of the body's
own labelling, every pair's motion summed: :func:`~.body_flips.body_runs`, a body seen from the side); in 3D, where each
pair's pass finds most of such a flip, only the pairs it left alone whose own motion agrees at
both ends (:func:`~synsp.estimator_errors.body_flips.with_the_body`). Fast legs swing past each other in a frame:
a run whose jumps do not stand out of the pair's motion nearby is none (:mod:`~synsp.estimator_errors.exchange_jumps`).

An exchange that starts or ends where the two joints are close (fists together, legs
crossing) is no jump there. One with a jump at its other end runs, in the Viterbi pass, to the
clip's edge; it is cut back to a crossing beside the jump (:func:`_from_crossings`). One with
no jump at either end stays: it is also a small error. One that starts or ends where the track
passed to another person (the body's centre moved, which no exchange of labels does:
:func:`~synsp.estimator_errors.track_switches.without_switches`) is none.

The guards came from what the bare Viterbi pass did wrong. On validation in 2D, a person seen
from the side has left and right on top of each other, so an exchange can end where the two
joints cross: the pass kept a walk's wrists exchanged from there on and, by the majority,
exchanged the first part instead. On a real MediaPipe video in 3D it exchanged the ankles for half the clip,
and a knee without its ankle. With the guards it changes nothing on clean, jittery, white-noise or fast
motion in 2D or 3D, and on that video it finds the frames where the estimator read the person facing the
other way (benchmarks/RESULTS.md, section 4, "Held values and left/right inversions").
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from synsp.estimator_errors.body_flips import BODY, body_runs, flip_parts, with_the_body
from synsp.estimator_errors.exchange_jumps import standing_out
from synsp.estimator_errors.labellings import ISLAND, MAJORITY, labelling
from synsp.estimator_errors.track_switches import without_switches
from synsp.sequence import body_size, nan_median, true_runs
from synsp.skeleton import Layout, joint_distances

__all__ = ["SWITCH", "SWITCH_LOW", "MAJORITY", "BODY", "ISLAND", "exchange", "inversions", "limb_pairs",
           "without_inversions"]

SWITCH = 0.2  # body sizes: the most a change of labelling costs ...
# ... but no more than the pair's median distance apart, and no less than this (body sizes): two knees 22 cm
# apart exchanged by a runner's estimator jump 31 cm, less than 0.2 of a 1.6 m body, while eyes a few cm apart
# would be exchanged by white noise (validation: RESULTS section 4, "Close pairs' exchanges").
SWITCH_LOW = 0.1
WHOLE_BODY = (2, 3)  # the coordinate counts (2: pixels, 3: mm) whose flips are exchanged with the body
# joint names below the hips and below the shoulders (every layout's, Bandai's LowerLeg_L too)
LIMB_WORDS = (("knee", "ankle", "heel", "foot", "toe", "lowerleg"),
              ("elbow", "wrist", "hand", "pinky", "index", "thumb", "finger", "lowerarm", "forearm"))


def inversions(poses: np.ndarray, pairs: Sequence[tuple[int, int]], bones: Sequence[tuple[int, int]] = (),
               limbs: Sequence[Sequence[int]] = (), parts: tuple[int, ...] = (), frames: int = 0) -> np.ndarray:
    """Where each left/right pair of ``poses`` is exchanged (module docstring).

    Parameters
    ----------
    poses : (T, J, C) array, any unit; NaN values give no evidence either way.
    pairs : (left, right) joint index pairs of the poses' layout.
    bones : (a, b) joint index pairs of the layout: an exchange that would stretch the bones
        from the pair to the rest of the body is no inversion (:func:`_keeping_bones`).
    limbs : groups of indices into ``pairs`` that an estimator exchanges together (a leg below the
        hip, an arm below the shoulder: :func:`limb_pairs`), read again as one (:func:`_whole_limbs`).
    parts : each pair's part in a whole-body flip's vote (:func:`~.body_flips.flip_parts`); none: its own.
    frames : the frames a labelling's majority is read over, at least (a stream's first seconds: labellings.labelling).

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
    keep, across, change = _step_costs(x, index, size)
    # A pair whose change of labelling is never cheaper than a step under one labelling keeps its labels all along
    # (both labellings cost the same at every frame, a tie keeps them): the pass runs only where a step may change them.
    for p in np.flatnonzero((change < keep).any(axis=0)):
        marked[:, p] = labelling(keep[:, p], change[:, p], frames=frames)
    marked = _without_excursions(x, _from_crossings(marked, across <= keep, max(0, frames - t_count)), index)
    if len(bones) and marked.any() and x.shape[-1] == 3:
        marked = _down_the_limb(marked, index, bones, across < keep)
    if len(bones) and marked.any():
        marked = _keeping_bones(x, marked, index, bones)
    if len(limbs):
        marked = _whole_limbs(x, marked, index, bones, limbs, size, frames)
    marked = standing_out(x, _exchanged(x, marked, index), marked, index) if marked.any() else marked
    candidates = body_runs(keep, across, (change - across)[0], frames) if x.shape[-1] == 2 else []
    if (marked.any() or candidates) and x.shape[-1] in WHOLE_BODY:
        marked = with_the_body(marked, keep, across, agreeing=x.shape[-1] == 3, parts=parts, candidates=candidates)
    return without_switches(marked, x, size)  # a run that starts or ends where the person changed: no exchange


def _step_costs(x: np.ndarray, index: np.ndarray, size: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each pair's (rows of ``index``) squared motion from frame to frame of poses ``x`` (T, J, C):
    under one labelling (``keep``), across a change of it (``across``), and that plus the change's
    charge (``change``); each (T - 1, P)."""
    a, b = x[:, index[:, 0]], x[:, index[:, 1]]  # (T, P, C)

    def moved(p: np.ndarray, q: np.ndarray) -> np.ndarray:
        return np.nan_to_num(((p[1:] - q[:-1]) ** 2).sum(axis=-1))  # (T-1, P)

    keep = moved(a, a) + moved(b, b)  # frame to frame under the same labelling
    across = moved(a, b) + moved(b, a)
    apart = np.nan_to_num(nan_median(np.linalg.norm(a - b, axis=-1), axis=0), nan=np.inf)  # (P,); never seen: inf
    return keep, across, across + np.clip(apart, SWITCH_LOW * size, SWITCH * size) ** 2


def _whole_limbs(x: np.ndarray, marked: np.ndarray, index: np.ndarray, bones: Sequence[tuple[int, int]],
                 limbs: Sequence[Sequence[int]], size: float, frames: int = 0) -> np.ndarray:
    """``marked`` (T, P) with each limb's pairs (``limbs``: indices into the rows of ``index``)
    exchanged together where the limb's motion, summed over its pairs, is smoother so, read on
    ``x`` with every pair's own exchange made: its own runs of labels (:func:`~.labellings.labelling`, with
    islands) between two jumps (one at the clip's edge: in clean motion at 10 fps, on validation,
    the fast motion's), kept where the bones from the limb to the body stretch less
    (:func:`_keeping_bones`).

    An estimator that reads a leg on the wrong side exchanges its knee, ankle and foot at once;
    each pair alone may jump less than a change of labelling costs (knees close together), or
    its clip may hold no majority (a walk seen from the side). README's MediaPipe demo, frames
    115-117: the whole leg chain exchanged for 3 frames, seen in the video, that no pair's pass
    read (benchmarks/RESULTS.md, section 4, "A leg exchanged whole"). A run where one side's limb
    moved alone at both jumps (:func:`_without_excursions` on the limb's joints read together) is
    a limb gone astray, not an exchange: an arm on a neighbour's arm for 25 frames was exchanged
    with the arm read right, which took the neighbour's values (audit 4; RESULTS section 4, "A limb
    on a neighbour")."""
    fixed = _exchanged(x, marked, index) if marked.any() else x
    read = sorted({p for limb in limbs for p in limb})  # the limbs' pairs: a stream reads them every frame
    keep, _, change = _step_costs(fixed, index[read], size)
    out = marked.copy()
    for limb in limbs:
        cols, at = list(limb), [read.index(p) for p in limb]
        steps, switch = keep[:, at].sum(1), change[:, at].sum(1)
        if not (switch < steps).any():
            continue
        lab = labelling(steps, switch, islands=True, frames=frames)[:, None]
        for start, stop in true_runs(lab[:, 0]):
            if start == 0 or stop == len(lab):  # one jump: its pairs' own passes read such runs
                lab[start:stop] = False
        if lab.any():  # one side's limb gone astray alone (on a neighbour) is no exchange, as for a pair
            lab = _without_excursions(_sides(fixed, index[cols]), lab, np.array([[0, 1]]))
        if len(bones) and lab.any():
            lab = _keeping_bones(fixed, lab, [index[cols]], bones)
        out[:, cols] ^= lab
    return out


@lru_cache(maxsize=64)  # a stream reads a person's inversions at every frame
def limb_pairs(layout: Layout) -> tuple[tuple[int, ...], ...]:
    """Indices into ``layout.left_right`` of each limb an estimator exchanges whole: the pairs
    below the hips (knees, ankles, heels, feet, toes) and below the shoulders (elbows, wrists,
    hands), told by name, each pair in the first limb it names (MediaPipe's foot_index is a leg's,
    not a hand's index); a limb of one pair is that pair's own pass."""
    limbs: list[list[int]] = [[] for _ in LIMB_WORDS]
    for p, (a, _) in enumerate(layout.left_right):
        name = layout.joints[a].lower()
        limb = next((k for k, words in enumerate(LIMB_WORDS) if any(w in name for w in words)), None)
        if limb is not None:
            limbs[limb].append(p)
    return tuple(tuple(limb) for limb in limbs if len(limb) > 1)


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


def _from_crossings(marked: np.ndarray, crossed: np.ndarray, unseen: int = 0) -> np.ndarray:
    """``marked`` (T, P) with each exchange that reaches the clip's first or last frame moved to the
    shorter of the two runs its one jump may bound: from the pair's last crossing before the jump,
    or up to its first crossing after it (the clip's edge where there is none). ``crossed``
    (T - 1, P): the steps where the two joints crossed (frame k to k + 1), where a change of
    labels costs no jump; ``unseen``: frames before the first, labelled as it (a stream's first seconds).

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
            ending, starting = jump - first + (unseen if first == 0 else 0), last - jump  # ending at the jump, from it
            marked[start:stop, p] = False
            if ending < starting or (ending == starting and start == 0):
                marked[first:jump, p] = True
            else:
                marked[jump:last, p] = True
    return marked


def _without_excursions(x: np.ndarray, marked: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``marked`` (T, P) without the runs where one joint of the pair left its path and came back
    while its partner stayed on its own: at both of the run's jumps (at its one jump, for a run at
    the clip's edge), the same joint of poses ``x`` (T, J, C) stepped less than half as far as it
    would have under the other labelling (:func:`_still`). An exchange moves both joints at each
    jump, each to where the other was; a joint gone astray moves alone, and exchanged with it, its
    partner would take its error (audit, a BODY-25 `jitter` test clip: a right elbow 226 px off for
    14 frames, beyond the left one, was exchanged with it, and the left elbow went from 0.7 to 218 px
    off; audit 4: a limb on a neighbour's joints up to the clip's first or last frame)."""
    marked = marked.copy()
    t_count = len(marked)
    for p in np.flatnonzero(marked.any(axis=0)):
        a, b = x[:, index[p, 0]], x[:, index[p, 1]]
        for start, stop in true_runs(marked[:, p]):
            jumps = [t for t in (start, stop) if 0 < t < t_count]  # a run at the clip's edge has one
            if jumps and (all(_still(a, b, t) for t in jumps) or all(_still(b, a, t) for t in jumps)):
                marked[start:stop, p] = False
    return marked


def _sides(x: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """Poses ``x`` (T, J, C) as one left/right pair of points (T, 2, n * C): the left joints of the
    limb's ``pairs`` (n, 2) side by side, and the right ones, so that a limb's step is read whole."""
    t_count = len(x)
    return np.stack([x[:, pairs[:, 0]].reshape(t_count, -1), x[:, pairs[:, 1]].reshape(t_count, -1)], axis=1)


def _still(a: np.ndarray, b: np.ndarray, t: int) -> bool:
    """Whether joint track ``a`` (T, C) stepped into frame ``t`` less than half as far as from its
    partner ``b``'s place (a change of labels there would have moved it); False where either is NaN."""
    return bool(np.linalg.norm(a[t] - a[t - 1]) < np.linalg.norm(a[t] - b[t - 1]) / 2)


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


def _keeping_bones(x: np.ndarray, marked: np.ndarray, index: np.ndarray | Sequence[np.ndarray],
                   bones: Sequence[tuple[int, int]]) -> np.ndarray:
    """``marked`` (T, P) without the runs whose exchange leaves the bones from their pair to the
    rest of the body further from their median lengths than the input's labels did (both read
    with every other exchange made). ``index`` (P, 2) holds each column's pair, or each column's
    pairs (n, 2) exchanged together (a limb's: :func:`_whole_limbs`)."""
    groups = [np.atleast_2d(np.asarray(group, dtype=int)) for group in index]
    x_bones = np.asarray(bones, dtype=int)
    typical = nan_median(joint_distances(x, x_bones[:, 0], x_bones[:, 1]), axis=0)  # NaN: never seen
    owner = np.repeat(np.arange(len(groups)), [len(g) for g in groups])
    fixed = _exchanged(x, marked[:, owner], np.concatenate(groups))
    kept = marked.copy()
    bone_list = [(int(a), int(b)) for a, b in x_bones]  # plain ints: the tests below are Python's
    for p in np.flatnonzero(marked.any(axis=0)):
        lefts, rights = groups[p][:, 0].tolist(), groups[p][:, 1].tolist()
        joints = set(lefts + rights)
        touching = np.array([k for k, (a, b) in enumerate(bone_list)
                             if (a in joints) != (b in joints)], dtype=int)  # one end in the pair
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
            undone[:, lefts + rights] = run[:, rights + lefts]
            if stretch(run) > stretch(undone):
                kept[start:stop, p] = False
    return kept


def without_inversions(poses: np.ndarray, layout: Layout | None, frames: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """``poses`` (T, J, C) or (V, T, J, C) with every inversion (:func:`inversions`, with the bones and limbs of
    ``layout``) exchanged back (the array itself when there is none), and which pair-frames were: (T, P) or
    (V, T, P) bool for the layout's P left/right pairs (P = 0 when ``layout`` is None). ``frames``: inversions'."""
    x = np.asarray(poses)
    if layout is None or not layout.left_right:
        return x, np.zeros((*x.shape[:-2], 0), dtype=bool)
    pairs, bones, limbs, parts = layout.left_right, layout.bones, limb_pairs(layout), flip_parts(layout)
    marked = (np.stack([inversions(v, pairs, bones, limbs, parts, frames) for v in x]) if x.ndim == 4
              else inversions(x, pairs, bones, limbs, parts, frames))
    if not marked.any():
        return x, marked
    return exchange(x, marked, pairs)[0], marked

"""What a network sees of a track: the estimator's measurements, its gross errors undone.

First, a whole body that left its path for a frame or two and came back
(:func:`synsp.estimator_errors.glitches.body_jumps`: a detector's box that jumped) is moved back; where the body
moved back holds another pose than the frames around it (:func:`~synsp.estimator_errors.glitches.foreign_poses`: a
tracker that followed the person beside for a frame or two), its frames are glitches, filled. Then, some values
a pose estimator writes are no measurement of their moment: a missing joint (NaN), a glitch
(:mod:`synsp.estimator_errors.glitches`: a joint off the body for a frame or two), a held value
(:mod:`synsp.estimator_errors.held_values`: a repeat of the frame before) and a limb astray
(:mod:`synsp.estimator_errors.astray_limbs`: an elbow and wrist on a neighbour's for a while; or, as a
:mod:`~synsp.estimator_errors.doubled_limbs`, on the other side's elbow and wrist: one limb read twice; or a
joint left on an object while its limb moved on, :mod:`synsp.estimator_errors.pinned_joints`). They are
taken out and the gaps filled from the frames around them; last, the left/right pairs whose labels the
estimator exchanged for a while (:mod:`synsp.estimator_errors.inversions`) are exchanged back, told from the
filled values, and the
measured values with their gaps exchanged and filled again (a gap beside an exchange was filled
from the other label's values: a ghost between the two sides). (Telling them
from the measured values only found an arm exchanged with its start in a gap, on validation,
but lost most of the real exchange on the MediaPipe demo's 3D track, whose arms the glitch step
and low visibility leave with few measured frames there; benchmarks/RESULTS.md, section 4.)
Every route to a network (its own layout, a file's tracks, another layout converted or refined by
SmoothNet) takes its input from :func:`measurements`, in the poses' own layout, so they all see
the same values.

The whole-body jump and the limb astray are told from motion by how far a body or a bone moves in a frame,
thresholds chosen at the mocap's pace. Motion faster than that (:func:`synsp.motion_pace.motion_pace` above
:data:`FAST_PACE`: a kick, a dance or a sprint played faster at 30 fps) moves a shin or a whole body that far in a
frame and back, and the tests took it for an estimator's error and filled the real motion in (a user audit,
audit 6: a kick played twice as fast under 5 mm of noise, its right ankle 127 mm off, 10.6 -> 14.8 mm). There
no whole-body jump is looked for, and a limb's jump out and back must be as much larger as the motion is faster
(:func:`pace_factor`): an estimator's limb on a neighbour jumps 0.41-0.68 body sizes, fast motion 0.15-0.30
(validation `jitter` and the audit's clips); benchmarks/RESULTS.md, section 6, "Fast motion under light noise".
"""
from __future__ import annotations

from typing import NamedTuple

import numpy as np

from synsp.estimator_errors.astray_limbs import astray_limbs
from synsp.estimator_errors.crossed_hips import CROSSED_SPACES, crossed_legs
from synsp.estimator_errors.depth_flips import depth_flips, unflip
from synsp.estimator_errors.doubled_limbs import doubled_limbs
from synsp.estimator_errors.edge_values import beyond_edges, edge_values, picture_edges
from synsp.estimator_errors.glitches import body_jumps, foreign_poses, glitches
from synsp.estimator_errors.half_turns import half_turns, turn_back
from synsp.estimator_errors.held_values import held_arrivals, held_values
from synsp.estimator_errors.inversions import exchange, limb_pairs, without_inversions
from synsp.estimator_errors.pinned_joints import pinned_joints
from synsp.estimator_errors.side_labels import beside_side_turns, without_side_turns
from synsp.estimator_errors.stalls import carried_on, carry_frames
from synsp.estimator_errors.unseen_frames import beside_unseen, past_unseen
from synsp.memo import array_key, remembered
from synsp.motion_pace import motion_pace
from synsp.sequence import fill_gaps, missing_mask, true_runs
from synsp.skeleton import Layout, bone_tree, root_position

__all__ = ["FAST_PACE", "Measurements", "measurements", "pace_factor", "stand_ins"]

# The pace (motion_pace: RMS displacement over 4 frames in body sizes) above which the motion is faster than
# the mocap's that the tests were chosen on. Validation: at motion_pace.PACE (0.167) the simulator's `hard` lost
# limbs on neighbours that jump 0.17-0.27 body sizes on walks reading 0.22-0.23 (first 20 clips, 3D 0.810 ->
# 0.812 x input); from 0.25 none, and the fast clips of benchmarks/fast_light_noise.py gain as much.
FAST_PACE = 0.25


class Measurements(NamedTuple):
    """:func:`measurements`' result; masks are shaped like the poses without their last axis."""

    values: np.ndarray  # (..., T, J, C): every gap filled, jumps moved back, inversions exchanged back
    missing: np.ndarray  # (..., T, J) bool: joints the input did not hold (NaN)
    glitches: np.ndarray  # (..., T, J) bool: glitches (and a jump's frames holding another's pose), filled as gaps
    held: np.ndarray  # (..., T, J) bool: held values, filled as gaps
    exchanged: np.ndarray  # (..., T, P) bool: the layout's left/right pairs exchanged back (P = 0: no layout)
    jumped: np.ndarray  # (..., T) bool: frames where the whole body left its path, moved back
    astray: np.ndarray  # (..., T, J) bool: limbs that left the body for longer than a glitch or sat on their
    # left/right partner's place (doubled_limbs), filled as gaps
    depth_flipped: np.ndarray | None = None  # (..., T) bool: frames mirrored front to back in depth, mirrored back
    edge: np.ndarray | None = None  # (..., T, J) bool: values on the picture's edge (edge_values), filled beyond it
    turned: np.ndarray | None = None  # (..., T) bool: a body turned half round and back (half_turns), turned back
    arrivals: int = 0  # of the held values, the first values of runs written off the joint's track (held_arrivals)
    # (..., T, J) bool: of the glitches and limbs astray, those told across frames where the person was not seen
    # (unseen_frames.beside_unseen: the summary says them); None: not read (no layout, errors not undone)
    across: np.ndarray | None = None
    carried: int = 0  # of the held values, those of a decoder's stall at the end carried on at the body's pace

    @property
    def inverted(self) -> int:
        """How many pair-frames were exchanged back."""
        return int(self.exchanged.sum())

    @property
    def gaps(self) -> np.ndarray:
        """(..., T, J) bool: every value filled (missing, glitches, held values, limbs astray, values on the edge)."""
        gaps = self.missing | self.glitches | self.held | self.astray
        return gaps if self.edge is None else gaps | self.edge


def measurements(poses: np.ndarray, layout: Layout | None, *, undo: bool = True, jumps: bool = True,
                 open_end: bool = False, window: int = 0, unseen: np.ndarray | None = None,
                 fps: float | None = None) -> Measurements:
    """The values a network should see of ``poses``: :func:`measure`'s, once per person's refinement for the same
    poses (:mod:`synsp.memo`: SynSP's route asks for them again with the values unchanged)."""
    def key() -> tuple:
        return ("measurements", array_key(poses), id(layout), bool(undo), bool(jumps), bool(open_end), int(window),
                None if unseen is None else array_key(np.asarray(unseen, bool)),
                carry_frames(fps))  # the rate reaches measure's values through the carry alone

    return remembered(key, lambda: measure(poses, layout, undo=undo, jumps=jumps, open_end=open_end, window=window,
                                           unseen=unseen, fps=fps), (layout,))


def measure(poses: np.ndarray, layout: Layout | None, *, undo: bool = True, jumps: bool = True,
            open_end: bool = False, window: int = 0, unseen: np.ndarray | None = None,
            fps: float | None = None) -> Measurements:
    """The values a network should see of ``poses`` (module docstring).

    Parameters
    ----------
    poses : (T, J, C) or (V, T, J, C) array, any unit; NaN marks missing joints.
    layout : the poses' joint layout; None (unknown, or not the poses' own) finds no glitch
        and no inversion, which need the layout's bones and left/right pairs.
    undo : whether the estimator's errors are undone (the networks' input) or only the gaps
        filled (what the plain filters see).
    jumps : with ``undo``, whether whole-body jumps (the body off its path for a frame or two)
        are looked for; False where a frame is too long for a body's real motion to keep to a
        straight line between its neighbours (under 15 fps, :mod:`synsp.inference.low_rate`).
    open_end : whether the poses' last frame is not the clip's (a stream's window): a limb that left the body and has
        not come back by then is astray on its jump alone, if that jump is one no body makes
        (:data:`synsp.estimator_errors.astray_limbs.OPEN_JUMP`).
    window : the frames an inversion's majority test reads, at least (a stream's window in its first seconds,
        shorter than its history: :func:`~synsp.estimator_errors.inversions.inversions`); 0: the poses' own.
    unseen : (T,) or (V, T) bool, frames where the person was not seen whose values a caller filled (a second look
        hands in the first pass's output there, :mod:`synsp.refining.refill`): no measurement, so the error tests
        read them as missing (and past them, :mod:`~synsp.estimator_errors.unseen_frames`); kept as the fill.
    fps : the poses' frame rate (frames per second; None: 30): a stall at the end is carried on for a time at most
        (:func:`~synsp.estimator_errors.stalls.carried_on`).

    Returns
    -------
    :class:`Measurements` with ``values`` of the poses' shape and floating dtype. Whole-body jumps
    are moved back first (:func:`synsp.estimator_errors.glitches.body_jumps`), then held values found, so a held
    glitch is counted once, as held.
    """
    x = np.asarray(poses)
    missing = missing_mask(x)
    if missing.any() and not np.isnan(x[missing]).all():  # inf or absurd: missing, NaN as the rest of it reads
        x = np.where(missing[..., None], np.nan, x).astype(x.dtype, copy=False)
    jumped = np.zeros(x.shape[:-2], dtype=bool)
    repeated = off_body = astray = np.zeros_like(missing)
    hidden = np.zeros_like(missing) if unseen is None else np.broadcast_to(np.asarray(unseen, bool)[..., None],
                                                                            missing.shape)

    def tested(a: np.ndarray) -> np.ndarray:  # what the error tests read: no value of a frame handed in filled
        return np.where(hidden[..., None], np.nan, a) if hidden.any() else a

    exchanged = np.zeros((*missing.shape, 0), dtype=bool)
    pace = pace_factor(x) if undo else 1.0
    if undo and jumps and pace == 1.0:
        jumps = (np.stack([past_unseen(body_jumps, v) for v in tested(x)]) if x.ndim == 4
                 else past_unseen(body_jumps, tested(x)))
        jumped = (jumps != 0).any(axis=-1)
        if jumped.any():
            x = (x - jumps[..., None, :]).astype(x.dtype, copy=False)
    turned = np.zeros(x.shape[:-2], dtype=bool)
    if undo and layout is not None and x.shape[-1] == 3:  # a body turned half round and back (half_turns), turned back
        views = x if x.ndim == 4 else x[None]
        spans = [half_turns(v, layout.left_right) for v in views]
        if any(spans):
            roots = root_position(views, layout)[..., 0, :]  # (V, T, 3): an estimator turns the body about its root
            backs = np.stack([turn_back(v, s, r) for v, s, r in zip(views, spans, roots)])
            x = (backs if x.ndim == 4 else backs[0]).astype(x.dtype, copy=False)
            views_turned = turned if x.ndim == 4 else turned[None]
            for v, s in enumerate(spans):
                for start, stop, _ in s:
                    views_turned[v, start:stop] = True
    flipped = np.zeros(x.shape[:-2], dtype=bool)
    if undo and layout is not None and x.shape[-1] == 3:  # a body read mirrored in depth (depth_flips), read back
        flipped = np.stack([depth_flips(v, layout) for v in x]) if x.ndim == 4 else depth_flips(x, layout)
        if flipped.any():
            x = (np.stack([unflip(v, f, layout) for v, f in zip(x, flipped)]) if x.ndim == 4
                 else unflip(x, flipped, layout))
    foreign = np.zeros_like(missing)
    if jumped.any():  # a jump's frames that hold another's pose: no measurement of this body, refined as gaps
        def others(v: np.ndarray, j: np.ndarray) -> np.ndarray:  # (T,) bool; read past unseen frames, as the jumps
            return past_unseen(lambda p, k: foreign_poses(p, k)[0], v, j)

        read = tested(x)
        frames = np.stack([others(v, j) for v, j in zip(read, jumped)]) if x.ndim == 4 else others(read, jumped)
        foreign = np.broadcast_to(frames[..., None], missing.shape) & ~missing
    on_edge, edges, arrivals = np.zeros_like(missing), [], 0
    if undo:
        repeated = held_values(x)
        arrived = held_arrivals(x, repeated)  # the value a lost joint's run repeats, off its track
        repeated, arrivals = repeated | arrived, int(arrived.sum())
        edges = picture_edges(x)  # read once: the fill below keeps the same values beyond them
        on_edge = edge_values(x, edges) & ~repeated  # a joint out of the picture, written on its edge (audit 20)
    if undo and layout is not None:
        seen = np.where((repeated | foreign | on_edge | hidden)[..., None], np.nan, x)
        # each test reads past frames where the person was not seen (unseen_frames): an error beside them is told
        # a joint's step to the middle line and back at a change of labels by image side (side_labels) is none
        off_body = foreign | beside_side_turns(np.stack([past_unseen(glitches, v, bones=layout.bones) for v in seen])
                                               if x.ndim == 4 else past_unseen(glitches, seen, bones=layout.bones),
                                               x, layout)
        # longer excursions of a limb (on a neighbour), read without the glitches, whose spikes are no jump there
        seen, tree, lr = np.where(off_body[..., None], np.nan, seen), bone_tree(layout), layout.left_right
        def strayed(v: np.ndarray) -> np.ndarray:  # past unseen frames: at the pace of the steps read, if faster
            return past_unseen(lambda p, f: astray_limbs(p, tree, lr, open_end=open_end, frames=f, pace=pace
                                                         if len(p) == len(v) else max(pace, pace_factor(p))),
                               v, np.arange(len(v)))

        astray = np.stack([strayed(v) for v in seen]) if x.ndim == 4 else strayed(seen)
        # one side's joint on its partner's place (one limb read twice, doubled_limbs): filled as a limb astray
        # the limbs beyond their roots only: hips and shoulders meet in a side view, eyes and ears in profile (the
        # README's MediaPipe demo had its hips read doubled for 5 frames of a side view)
        limbs = [lr[p] for limb in limb_pairs(layout) for p in limb]
        astray = astray | (np.stack([doubled_limbs(v, limbs, tree) for v in seen]) if x.ndim == 4
                           else doubled_limbs(seen, limbs, tree))
        # a joint left on an object while its limb moved on (pinned_joints): taken out as a limb astray is
        astray = astray | (np.stack([pinned_joints(v, tree) for v in seen]) if x.ndim == 4
                           else pinned_joints(seen, tree))
    gaps = repeated | off_body | astray | on_edge
    if layout is None:
        values = fill_gaps(x, gaps)[0]
    else:
        values = stand_ins(_fill_along_bones(x, gaps, layout), missing, layout)
    values = beyond_edges(values, x, along=True, edges=edges) if on_edge.any() else values
    if undo:
        # Frames where no joint was seen, between seen ones, hold the fill's glide from one frame's labels to the
        # next's, no reading of them: a flip that came back there glided back with no jump, and the legs' one jump ran
        # to the clip's start, the right frames exchanged (audit30 #1: 2.1 -> 12.0 px; benchmarks/RESULTS.md,
        # section 4, "A flip that came back unseen"). Read as NaN there, no evidence either way. At a clip's edge
        # the fill holds the seen frame beside them, no glide; NaN there lost the MediaPipe demo's leg exchange.
        unseen = missing.all(axis=-1)
        read = (np.stack([_glides(v, u) for v, u in zip(values, unseen)]) if x.ndim == 4
                else _glides(values, unseen)) if unseen.any() else values
        # a change of labels by image side at a turn (side_labels) is the estimator's convention: kept as given
        exchanged = without_side_turns(without_inversions(read, layout, window)[1], read, layout)
        values = exchange(values, exchanged, layout.left_right)[0] if exchanged.any() else values
    if undo and layout is not None and exchanged.shape[-1] and x.shape[-1] in CROSSED_SPACES:  # legs left exchanged
        crossed = (np.stack([crossed_legs(v, layout, e) for v, e in zip(values, exchanged)]) if x.ndim == 4
                   else crossed_legs(values, layout, exchanged))
        if crossed.any():
            values, exchanged = exchange(values, crossed, layout.left_right)[0], exchanged ^ crossed
    if exchanged.any():
        # A gap beside (or in) an exchange was filled from values under the other label, a ghost
        # gliding from one side to the other, and exchanged back as it was (a wrist lost beside
        # an exchanged pair of wrists: 103 px off, 6 px now; benchmarks/RESULTS.md, section 4):
        # the measured values and their flags are exchanged, and the gaps filled again.
        x, missing, off_body, repeated, astray, on_edge = exchange(x, exchanged, layout.left_right, missing, off_body,
                                                                   repeated, astray, on_edge)
        values = stand_ins(_fill_along_bones(x, repeated | off_body | astray | on_edge, layout), missing, layout)
        values = beyond_edges(values, x, along=True) if on_edge.any() else values
    across = None
    if undo and layout is not None:  # the take-outs told across unseen frames (the summary says them)
        read, marked = tested(x), off_body | astray
        across = (np.stack([beside_unseen(m, v) for m, v in zip(marked, read)]) if x.ndim == 4
                  else beside_unseen(marked, read))
    carried = 0
    if undo and repeated.any():  # a stall at the end (a track's, a stream's newest frames): carried at the body's pace
        on = carried_on(values, x, fps)
        carried, values = (0, values) if on is values else (int((on != values).any(axis=-1).sum()), on)
    return Measurements(values, missing, off_body, repeated, exchanged, jumped, astray, flipped, on_edge, turned,
                        arrivals, across, carried)


def _glides(values: np.ndarray, unseen: np.ndarray) -> np.ndarray:
    """``values`` (T, J, C) NaN over each run of ``unseen`` (T,) frames between two seen ones (a run at the clip's
    edge holds its seen neighbour: no glide from one reading to another)."""
    read = values.copy()
    for start, stop in true_runs(unseen):
        if start > 0 and stop < len(values):
            read[start:stop] = np.nan
    return read


def pace_factor(poses: np.ndarray) -> float:
    """How many times as fast as the mocap's that the jump and astray tests were chosen at the motion of ``poses``
    ((T, J, C) or (V, T, J, C), any unit, NaN for missing values) is: its pace (gaps filled) over :data:`FAST_PACE`,
    at least 1. An estimator's noise and spikes hardly move the pace (:func:`~synsp.motion_pace.motion_pace`)."""
    x = np.asarray(poses, np.float64)
    if not np.isfinite(x).all():
        x = fill_gaps(x)[0]
    pace = motion_pace(x) / FAST_PACE
    return float(pace) if pace > 1.0 else 1.0


def stand_ins(values: np.ndarray, missing: np.ndarray, layout: Layout) -> np.ndarray:
    """Where a joint never seen in a track stands for the network, (..., T, J, C) -> same.

    :func:`synsp.sequence.fill_gaps` puts it at the body's centroid, which is nothing a body
    looks like: a profile view's hidden ear there made every face point and the shoulders worse
    than the input (validation, 2D: the other joints 11.09 px with every joint seen, 19.64 with
    the left eye and ear never seen; benchmarks/RESULTS.md, section 4, "A joint never seen").
    In 2D it stands at its mirror partner (a hidden ear, eye or limb lies close behind it in the
    image): 11.30 px; in 3D a limb joint whose partner is seen stays at the centroid (measured
    better there). A joint without a seen partner (a midline joint; the eyes and ears of a
    Pose2Sim TRC, which has none) stands at its nearest seen joints along the bones.
    """
    never = missing.reshape(-1, *missing.shape[-2:]).all(axis=-2)  # (S, J)
    if not never.any():
        return values
    seqs = values.reshape(-1, *values.shape[-3:]).copy()
    partner = {a: b for pair in layout.left_right for a, b in (pair, pair[::-1])}
    for seq, unseen in zip(seqs, never):
        for j in np.flatnonzero(unseen):
            p = partner.get(j)
            if p is not None and not unseen[p]:
                if values.shape[-1] == 2:
                    seq[:, j] = seq[:, p]
                continue
            nearest = _nearest_seen(j, unseen, layout.bones)
            if nearest:
                seq[:, j] = seq[:, nearest].mean(axis=1)
    return seqs.reshape(values.shape)


def _nearest_seen(joint: int, unseen: np.ndarray, bones: tuple[tuple[int, int], ...]) -> list[int]:
    """The seen joints fewest bones away from ``joint`` ([] if none is connected to it)."""
    visited, frontier = {joint}, [joint]
    while frontier:
        frontier = [k for f in frontier for a, b in bones if f in (a, b) for k in (a + b - f,) if k not in visited]
        visited.update(frontier)
        hits = sorted({k for k in frontier if not unseen[k]})
        if hits:
            return hits
    return []


def _fill_along_bones(x: np.ndarray, gaps: np.ndarray, layout: Layout) -> np.ndarray:
    """:func:`synsp.sequence.fill_gaps` of poses (..., T, J, C) with the values marked ``gaps``
    (..., T, J) and NaN missing, but along the bones: a missing joint keeps to its parent in the
    bone tree, its offset from it interpolated over the gap (held at the ends), instead of moving
    on a straight line through space while the body walks or swings on (a wrist lost for 20
    frames of a walk: 249 mm from the truth on the line). The root, and a joint never seen in
    the same frame as its parent, are filled as :func:`~synsp.sequence.fill_gaps` fills them."""
    values = fill_gaps(x, gaps)[0]
    seen = ~gaps & np.isfinite(x).all(-1)
    flat_x, flat_seen = x.reshape(-1, *x.shape[-3:]), seen.reshape(-1, *seen.shape[-2:])
    out = values.reshape(flat_x.shape)
    tree = bone_tree(layout)
    if not tree:
        return out.reshape(values.shape)
    parents, children = (list(ends) for ends in zip(*tree))
    # which (sequence, bone) a child is filled along: not seen throughout, seen with its parent at least
    # once; read for every bone at once (``seen`` does not change below; two reductions per bone and
    # sequence cost more than the fills, which few bones need)
    child_seen = flat_seen[:, :, children]  # (S, T, B)
    along_bone = ~child_seen.all(axis=1) & (child_seen & flat_seen[:, :, parents]).any(axis=1)  # (S, B)
    for b, s in zip(*np.nonzero(along_bone.T)):  # bone by bone (parents first), then sequence by sequence
        (parent, child), seq, known = tree[b], flat_x[s], flat_seen[s]
        both = known[:, child] & known[:, parent]
        offset = np.where(both[:, None], seq[:, child] - seq[:, parent], np.nan)
        along = out[s, :, parent] + fill_gaps(offset[:, None])[0][:, 0]
        out[s, :, child] = np.where(known[:, child, None], out[s, :, child], along)
    return out.reshape(values.shape)

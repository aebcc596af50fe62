"""Keypoints in a layout other than the network's, on a live stream (``synsp stream --layout``):
converted to the network's joints on the way in and given back in their own on the way out, as
:func:`synsp.refining.arrays.refine_track` refines them offline."""
from __future__ import annotations

import warnings
from collections import deque
from typing import Any

import numpy as np

from synsp.conventions import local_frames
from synsp.estimator_errors.segment_fill import MIN_SEEN, carried, segment_partners, steadiest
from synsp.estimator_errors.track_switches import switched_people
from synsp.inference.joint_corrections import (
    RIGID_TRUNK_COORDS,
    in_trunk_frame,
    loose_trunk_points,
    nearest_joints,
    on_trunk,
    shared_joints,
    trunk_anchors,
)
from synsp.inference.stream_clean import HISTORY as CLEAN_HISTORY
from synsp.inference.stream_clean import RunningCleanStep
from synsp.inference.stream_convention import RunningPull
from synsp.inference.stream_corrections import LEFT_OUT, WIDTHS, RunningShare, RunningWidth
from synsp.inference.stream_risk_choice import RunningWhereWhite
from synsp.sequence import body_size, fill_gaps
from synsp.skeleton import convert, get_layout, root_position

# The loose trunk points a stream carries on the refined trunk (:meth:`OtherLayout._on_trunk`):
# the necks. The hip points (BODY-25's mid-hip, Halpe-26's hip, Bandai-22's Hips) measured worse
# so than with the pelvis's correction (validation, 12 clips, `jitter`: BODY-25's mid-hip 4.82
# -> 5.41 mm, Bandai-22's Hips 5.23 -> 5.46; benchmarks/loose_trunk.py --stream).
STREAM_TRUNK_WORDS = ("neck",)
# Frames before a gap a stream's hand or face point is carried from, averaged (:meth:`OtherLayout._from_segment`)
FROM_FRAMES = 5
# The segments whose points a stream carries over their gaps (feet: held; chosen on validation)
STREAM_KINDS = ("hands", "face")


class OtherLayout:
    """Keypoints in a layout other than the network's (Halpe-26 for the COCO-17 model), refined as
    :func:`synsp.refining.arrays.refine_track` refines them offline, a centred Gaussian mean over the
    frames the stream's lag has already brought standing in for SmoothNet (its width each joint's
    own, :class:`~synsp.inference.stream_corrections.RunningWidth`): the network sees
    them converted to its layout; the joints the conversion copies take its output; every other
    joint (feet, head top, neck) is averaged and moved with the network's correction, beyond
    the same average, of the model joint nearest to it: its slow part whole, of its fast part the
    share that the joint's own jitter follows the model joint's
    (:class:`~synsp.inference.stream_corrections.RunningShare`); in 3D all of it about each frame's root and
    put back on the network's root, as the network refines root-relative poses (:func:`_about_root`: a body's
    drift in depth is not the joints' motion). The average never reaches across a
    switch of person (:func:`_one_person`). In 3D, a trunk point the conversion does not use
    (Halpe-26's neck and hip, BODY-25's neck and mid-hip: :func:`~synsp.inference.joint_corrections.loose_trunk_points`)
    is kept, as offline, at its offset in the refined trunk's frame, the running median
    (:class:`~synsp.inference.stream_convention.RunningPull`) of its offsets over the frames given
    back so far (:meth:`_on_trunk`): the necks only (:data:`STREAM_TRUNK_WORDS`); with
    ``keep_clean``, limited to the point's noise on nearly clean input, as the network's joints
    are (:class:`~synsp.inference.stream_clean.RunningCleanStep`). With ``where_white``, every joint the
    network does not give then takes, where the input's noise reads white, a live low-pass of least
    estimated risk over the input the stream holds, as offline, tried relative to the body's path as the network
    refined it too (:class:`~synsp.inference.stream_risk_choice.RunningWhereWhite`; offline:
    :func:`~synsp.inference.risk_choice.lowpass_where_white`, :func:`~synsp.inference.risk_choice.refined_path`)."""

    @classmethod
    def for_refiner(cls, layout: str, refiner: Any, lag: int, fps: float) -> OtherLayout:
        """The front for ``refiner``'s network (a :class:`~synsp.inference.refiner.Refiner`): its clean step, and
        the white-noise low-pass where its network sees the joints together (SynSP's route; SmoothNet's takes none,
        as offline)."""
        keep_clean = bool(getattr(refiner, "keep_clean", True))
        return cls(layout, refiner.layout.name, lag, fps, keep_clean=keep_clean,
                   where_white=keep_clean and not refiner.network.per_coordinate)

    def __init__(self, layout: str, target: str, lag: int, fps: float, keep_clean: bool = True,
                 where_white: bool = True):
        self.layout, self.target = layout, target
        # Gaussian widths, each joint's chosen as the stream goes (RunningWidth): at most 1.5 frames at
        # 30 fps, between the 1 and 2 that did best as the one width on validation clips (RESULTS section 12)
        self.sigmas = np.array(WIDTHS) * fps / 30
        self.left_out = max(1, round(LEFT_OUT * fps / 30))
        self.reach = min(lag, int(np.ceil(3 * self.sigmas.max())))  # frames each side: only those the lag has brought
        self.shared = shared_joints(layout, target)
        names = get_layout(layout).joints
        self.loose = tuple(j for j in loose_trunk_points(layout, target)
                           if any(word in names[j].lower() for word in STREAM_TRUNK_WORDS))
        self.keep_clean = keep_clean
        copied = {j for j, _ in self.shared}
        self.others = [j for j in range(len(names)) if j not in copied] if where_white else []
        # a hand's, a face's points not detected in a frame: carried by their segment's (_from_segment); a foot's are
        # held where they were: carried from one side, by noisy points close together, they lost to holding under
        # `typical` (validation: RESULTS section 11, "Gaps in a layout's joints beyond the model's: the other routes")
        self.partners = segment_partners(get_layout(layout), [j for j in range(len(names)) if j not in copied],
                                         STREAM_KINDS)
        # frames of input kept before the one given back: the clean step's and the low-pass's filters read them
        self.history = max(self.reach, CLEAN_HISTORY) if self.loose or self.others else self.reach
        self._frames: dict[Any, dict[int, tuple[np.ndarray, np.ndarray]]] = {}  # id -> frame -> (input, converted)
        self._nearest: dict[Any, tuple[np.ndarray, np.ndarray]] = {}  # id -> ((J, K) nearest model joints, known)
        self._last: dict[Any, np.ndarray] = {}  # id -> last (J, C) given back
        self._offsets: dict[Any, dict[int, RunningPull]] = {}  # id -> loose trunk point -> its offsets so far
        self._clean: dict[Any, RunningCleanStep] = {}  # id -> the clean step of its loose trunk points
        self._share: dict[Any, RunningShare] = {}  # id -> the share of the model joints' correction each joint takes
        self._width: dict[Any, tuple[RunningWidth, RunningWidth]] = {}  # id -> widths of its joints, the model's
        self._white: dict[Any, RunningWhereWhite] = {}  # id -> its other joints' low-pass where the noise is white
        self._paths: dict[Any, dict[int, np.ndarray]] = {}  # id -> frame -> (1, C) the body's refined path there
        self._recent: dict[Any, deque] = {}  # id -> its last input frames (J, C), as they came
        self._then: dict[Any, dict[int, list]] = {}  # id -> joint in a gap -> [frames (J, C) before it, donors, held]

    def to_model(self, pid: Any, frame: int, coords: np.ndarray) -> np.ndarray:
        """(J, C) keypoints of ``frame`` -> (K, C) in the network's layout (kept for :meth:`back`)."""
        if self.partners:  # as offline, before the conversion and every step
            coords = self._from_segment(pid, coords)
        converted = convert(coords[None], self.layout, self.target)[0]
        frames = self._frames.setdefault(pid, {})
        frames[frame] = (coords, converted)
        if pid in self._nearest and self._nearest[pid][1].all():  # every joint paired: first pairings stay
            return converted
        with warnings.catch_warnings():  # joints not detected have no distance
            warnings.simplefilter("ignore", RuntimeWarning)
            weights = nearest_joints(coords[None], converted[None], (self.layout, self.target))
        seen = np.isfinite(coords).all(axis=-1) & np.isfinite(converted).all(axis=-1).any()
        nearest, known = self._nearest.get(pid, (weights, np.zeros(len(weights), dtype=bool)))
        self._nearest[pid] = (np.where(known[:, None], nearest, weights), known | seen)  # first pairings stay
        return converted

    def back(self, pid: Any, frame: int, refined: np.ndarray) -> np.ndarray:
        """The network's (K, C) output for ``frame`` -> (J, C) in the input's layout."""
        frames = self._frames[pid]
        # frames come back in order, however long the network's lag (SmoothNet's, a new person's first
        # window, a 3D unit to decide): those before this one's reach serve no later frame
        for old in [g for g in frames if g < frame - self.history]:
            del frames[old]
        near = _one_person(frames, frame, self.reach)
        lags = np.array(near) - frame
        given, converted = (np.stack([frames[g][i] for g in near]) for i in (0, 1))
        # 3D: averaged about each frame's root and put back on the network's, as the network refines root-relative
        # poses: a body's drift in depth is not a joint's motion (RESULTS section 12, "A 3D stream's depth drift")
        now, own = [frames[frame][i] for i in (0, 1)], refined
        about = _about_root(converted, near.index(frame), refined, self.target)
        if about is not None:
            shift, back_to = about
            given, converted, own = given - shift, converted - shift, refined - back_to
            now = [v - shift[near.index(frame)] for v in now]
        weights = np.exp(-0.5 * (lags[None] / self.sigmas[:, None]) ** 2)  # (S, n): one row per width
        raws = np.stack([_weighted_mean(given, w) for w in weights])  # (S, J, C)
        models = np.stack([_weighted_mean(converted, w) for w in weights])  # (S, K, C)
        far = np.abs(lags) > self.left_out
        widths = self._width.setdefault(pid, (RunningWidth(len(self.sigmas)), RunningWidth(len(self.sigmas))))
        # each joint's width, the input's and the network's joints' each for its own noise and motion
        chosen = []
        for i, (width, x, means) in enumerate(zip(widths, (given, converted), (raws, models))):
            predicted = np.stack([_weighted_mean(x[far], w[far]) for w in weights]) if far.any() else None
            chosen.append(means[width(now[i], predicted), np.arange(means.shape[1])])
        raw, model = chosen
        nearest = self._nearest[pid][0]
        # the model joints' jitter is not the joint's own: their fast part only as far as it follows
        out = raw + self._share.setdefault(pid, RunningShare())(_correction(nearest, own - model),
                                                                 now[0] - raw, _correction(nearest, now[1] - model))
        if about is not None:
            out = out + about[1]
        last = self._last.get(pid)
        if last is not None and near[0] < frame:  # not seen near this frame: its last place, unless after a switch
            out = np.where(np.isnan(out), last, out)
        self._last[pid] = out
        out = out.copy()
        if self.loose and refined.shape[-1] in RIGID_TRUNK_COORDS:
            self._on_trunk(pid, frame, refined, out)
        if self.others:  # offline's last step for these joints too (refining.person: lowpass_where_white)
            around, at = self._around(pid, frame)
            path = self._refined_path(pid, frame, refined, around, at)
            out = self._white.setdefault(pid, RunningWhereWhite(self.others))(out, around, at, path)
        for j, k in self.shared:  # as the network gives them (NaN: not seen since the network's stream began)
            out[j] = refined[k]
        return out

    def forget(self, pid: Any) -> None:
        """Drop what is kept of person ``pid`` (gone from the stream)."""
        for memory in (self._frames, self._nearest, self._last, self._offsets, self._clean, self._share, self._width,
                       self._white, self._paths, self._recent, self._then):
            memory.pop(pid, None)

    def _from_segment(self, pid: Any, coords: np.ndarray) -> np.ndarray:
        """``coords`` (J, C), a frame's input, with each point of a hand or the face not detected carried by
        its segment's points detected (:func:`~synsp.estimator_errors.segment_fill.carried`: offline's segment fill
        from the frame before the gap; a stream has no frame after it), from each of the last :data:`FROM_FRAMES`
        frames it was detected in before the gap, averaged (one frame's noise would offset it for the whole gap);
        NaN still where fewer than 2 of them are, or it was not detected in those frames."""
        recent = self._recent.setdefault(pid, deque(maxlen=2 * FROM_FRAMES))
        then = self._then.setdefault(pid, {})
        out, size = coords.copy(), None
        for j, partners in self.partners.items():
            if np.isfinite(coords[j]).all():
                then.pop(j, None)
                continue
            if j not in then:  # the gap's first frame: the frames before it; its partners ordered on the frames kept
                before = [f for f in recent if np.isfinite(f[j]).all()][-FROM_FRAMES:]
                kept = self._frames.get(pid, {})  # a stream's first frames: as few as there are (2 at least)
                then[j] = [before, steadiest(np.stack([kept[g][0] for g in sorted(kept)] + [coords]), j, partners,
                                             min(MIN_SEEN, max(2, len(kept) // 2))), True]
            before, donors, held = then[j]
            size = body_size(coords[None]) if size is None else size
            values = []
            for i, f in enumerate(before[::-1]):  # the last first: it tells whether a 2-partner line has turned
                value, still = carried(f, coords, j, donors, size, held)
                held = still if i == 0 else held
                if value is not None:
                    values.append(value)
            then[j][2] = held
            if values:
                out[j] = np.mean(values, axis=0)
        recent.append(coords)
        return out

    def _on_trunk(self, pid: Any, frame: int, refined: np.ndarray, out: np.ndarray) -> None:
        """Place the loose trunk points of ``out`` (J, C, in place) on the network's output
        ``refined`` (K, C) of ``frame``: at the running median of their offsets in the refined
        trunk's frame (offline: the clip's median,
        :func:`~synsp.inference.joint_corrections.rigid_on_trunk`), this frame's offset included
        where the point was detected; a point whose trunk is not seen, or never seen itself, keeps
        the nearest model joints' correction. Then the clean step (:meth:`_kept_clean`)."""
        coords = self._frames[pid][frame][0]
        placed = out.copy()
        nearest = self._nearest[pid][0]
        anchors = trunk_anchors(nearest, self.loose, self.target)
        if not anchors:
            return
        with np.errstate(invalid="ignore", divide="ignore"):  # joints not seen yet: NaN frames, not used here
            frames = local_frames(refined[None], self.target)  # (1, K, C, C)
        offsets = self._offsets.setdefault(pid, {})
        for j, picked in anchors.items():
            if not (np.isfinite(refined[picked]).all() and np.isfinite(frames[0, picked[0]]).all()):
                continue
            local, anchor, basis, axes = in_trunk_frame(np.nan_to_num(coords[None, j]), refined[None], frames,
                                                        nearest[j], picked)
            running = offsets.setdefault(j, RunningPull())
            if axes[0] and np.isfinite(coords[j]).all():
                offset = running.add(local[0])
            elif running.pulls:
                offset = running.median()
            else:
                continue
            placed[j] = on_trunk(offset, anchor, basis, axes)[0]
        moved = [j for j in anchors if not np.array_equal(placed[j], out[j])]
        if moved and self.keep_clean:
            placed = self._kept_clean(pid, frame, placed)
        out[moved] = placed[moved]

    def _kept_clean(self, pid: Any, frame: int, placed: np.ndarray) -> np.ndarray:
        """``placed`` (J, C), this ``frame``'s output, moved from the input by no more than the
        input's running noise justifies (:class:`~synsp.inference.stream_clean.RunningCleanStep`;
        offline: :func:`~synsp.inference.clean.keep_to_noise`), over the input frames kept around
        it (gaps filled)."""
        around, at = self._around(pid, frame)
        step = self._clean.setdefault(pid, RunningCleanStep("3d" if placed.shape[-1] == 3 else "2d"))
        inputs = around[at][None, None]
        outputs = np.where(np.isfinite(placed), placed, inputs[0, 0])[None, None]
        return step(outputs, inputs, around[:, None], at)[0, 0]

    def _refined_path(self, pid: Any, frame: int, refined: np.ndarray, around: np.ndarray,
                      at: int) -> np.ndarray | None:
        """(n, 1, C) the body's path as the network refined it (:func:`~synsp.inference.risk_choice.refined_path`:
        the mean of the joints it gives) over the rows of ``around`` (:meth:`_around`, ``frame`` at row ``at``),
        from this frame's ``refined`` (K, C) and the ones given back before; at the frames after it, not refined
        yet, and where it is NaN, the input's mean of those joints. None: the network gives none of the layout's."""
        if not self.shared:
            return None
        anchors, picked = [j for j, _ in self.shared], [k for _, k in self.shared]
        paths = self._paths.setdefault(pid, {})
        paths[frame] = refined[picked].astype(np.float64).mean(axis=0, keepdims=True)
        for old in [g for g in paths if g < frame - CLEAN_HISTORY]:
            del paths[old]
        given = around[:, anchors].mean(axis=1, keepdims=True)  # (n, 1, C) the input's
        kept = sorted(g for g in self._frames[pid] if g >= frame - CLEAN_HISTORY)
        path = np.stack([paths.get(g, given[i]) if i <= at else given[i] for i, g in enumerate(kept)])
        return np.where(np.isfinite(path), path, given)

    def _around(self, pid: Any, frame: int) -> tuple[np.ndarray, int]:
        """(n, J, C) float64, the input frames kept around ``frame`` (the last
        :data:`~synsp.inference.stream_clean.HISTORY` before it and those after it that have arrived), gaps
        filled, and ``frame``'s row in it."""
        frames = self._frames[pid]
        kept = sorted(g for g in frames if g >= frame - CLEAN_HISTORY)
        around = np.stack([frames[g][0] for g in kept]).astype(np.float64)
        if not np.isfinite(around).all():
            around = np.nan_to_num(fill_gaps(around)[0])  # a joint never seen in them: no noise, no size
        return around, kept.index(frame)


def _one_person(frames: dict[int, tuple[np.ndarray, np.ndarray]], frame: int, reach: int) -> list[int]:
    """The frames within ``reach`` of ``frame`` held in ``frames`` (frame -> (input, converted))
    that show the same person as it: cut where the estimator switched people between two of them
    (:func:`synsp.estimator_errors.track_switches.switched_people`), as offline refinement cuts a track."""
    coords = frames[frame][0]
    size = body_size(coords[None])
    near = [frame]
    for step in (-1, 1):
        g = frame
        while abs(g + step - frame) <= reach and g + step in frames:
            if switched_people(frames[g][0], frames[g + step][0], size):
                break
            g += step
            near.append(g)
    return sorted(near)


def _about_root(converted: np.ndarray, at: int, refined: np.ndarray,
                target: str) -> tuple[np.ndarray, np.ndarray] | None:
    """3D (C = 3): the root (n, 1, C) of each of the n frames ``converted`` (n, K, C) in the network's layout
    ``target`` (a frame without it: from the frames around), and (1, C) the network's root in its output
    ``refined`` (K, C) for row ``at`` (unknown: the input's there). None: 2D (the values as they come, the
    network's 2D input is not root-relative), or no root in any frame."""
    n, c = converted.shape[0], converted.shape[-1]
    if c != 3:
        return None
    roots = root_position(converted, target)[:, 0]  # (n, C)
    known = np.isfinite(roots).all(axis=-1)
    if not known.any():
        return None
    frames = np.arange(n)
    roots = np.stack([np.interp(frames, frames[known], roots[known, i]) for i in range(c)], axis=-1)[:, None]
    back_to = root_position(refined[None], target)[0]
    return roots, np.where(np.isfinite(back_to), back_to, roots[at])


def _correction(nearest: np.ndarray, change: np.ndarray) -> np.ndarray:
    """(J, C) move of each joint: the mean of ``change`` (K, C), the network's correction of its
    joints, over the model joints ``nearest`` (J, K) pairs it with, those without one (a joint not
    seen near this frame: NaN) left out, so that one unseen model joint does not void every other
    joint's; none left: no move."""
    known = np.isfinite(change).all(axis=-1)  # (K,)
    weights = nearest * known
    total = weights.sum(axis=1, keepdims=True)
    weights = np.divide(weights, total, out=np.zeros_like(weights), where=total > 0)
    return weights @ np.where(known[:, None], change, 0.0)


def _weighted_mean(x: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """(J, C) mean of frames (n, J, C) with (n,) weights, each joint over the frames it was seen in."""
    w = np.isfinite(x).all(axis=-1)[..., None] * weights[:, None, None]  # (n, J, 1)
    with np.errstate(invalid="ignore", divide="ignore"):  # a joint seen in none of them: NaN
        return (np.nan_to_num(x) * w).sum(axis=0) / w.sum(axis=0)

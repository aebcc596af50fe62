"""Keypoints in a layout other than the network's, on a live stream (``synsp stream --layout``):
converted to the network's joints on the way in and given back in their own on the way out, as
:func:`synsp.refining.arrays.refine_track` refines them offline."""
from __future__ import annotations

import warnings
from typing import Any

import numpy as np

from synsp.estimator_errors.track_switches import switched_people
from synsp.refining.arrays import nearest_joints, shared_joints
from synsp.sequence import body_size
from synsp.skeleton import convert


class OtherLayout:
    """Keypoints in a layout other than the network's (Halpe-26 for the COCO-17 model), refined as
    :func:`synsp.refining.arrays.refine_track` refines them offline, a centred Gaussian mean over the
    frames the stream's lag has already brought standing in for SmoothNet: the network sees
    them converted to its layout; the joints the conversion copies take its output; every other
    joint (feet, head top, neck) is averaged and moved with the network's correction, beyond
    the same average, of the model joint nearest to it. The average never reaches across a
    switch of person (:func:`_one_person`)."""

    def __init__(self, layout: str, target: str, lag: int, fps: float):
        self.layout, self.target = layout, target
        # 1.5 frames at 30 fps: between the 1 and 2 that did best on validation clips (RESULTS section 12)
        self.sigma = 1.5 * fps / 30
        self.reach = min(lag, int(np.ceil(3 * self.sigma)))  # frames each side: only those the lag has brought
        self.shared = shared_joints(layout, target)
        self._frames: dict[Any, dict[int, tuple[np.ndarray, np.ndarray]]] = {}  # id -> frame -> (input, converted)
        self._nearest: dict[Any, tuple[np.ndarray, np.ndarray]] = {}  # id -> ((J, K) nearest model joints, known)
        self._last: dict[Any, np.ndarray] = {}  # id -> last (J, C) given back

    def to_model(self, pid: Any, frame: int, coords: np.ndarray) -> np.ndarray:
        """(J, C) keypoints of ``frame`` -> (K, C) in the network's layout (kept for :meth:`back`)."""
        converted = convert(coords[None], self.layout, self.target)[0]
        frames = self._frames.setdefault(pid, {})
        frames[frame] = (coords, converted)
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
        for old in [g for g in frames if g < frame - self.reach]:
            del frames[old]
        near = _one_person(frames, frame, self.reach)
        weights = np.exp(-0.5 * ((np.array(near) - frame) / self.sigma) ** 2)
        raw, model = (_weighted_mean(np.stack([frames[g][i] for g in near]), weights) for i in (0, 1))
        out = raw + _correction(self._nearest[pid][0], refined - model)
        last = self._last.get(pid)
        if last is not None and near[0] < frame:  # not seen near this frame: its last place, unless after a switch
            out = np.where(np.isnan(out), last, out)
        self._last[pid] = out
        out = out.copy()
        for j, k in self.shared:  # as the network gives them (NaN: not seen since the network's stream began)
            out[j] = refined[k]
        return out

    def forget(self, pid: Any) -> None:
        """Drop what is kept of person ``pid`` (gone from the stream)."""
        for memory in (self._frames, self._nearest, self._last):
            memory.pop(pid, None)


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

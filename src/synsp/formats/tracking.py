"""Who is who across frames: detections of unordered persons linked into tracks.

Multi-person estimators list, in every frame, the persons they found in no particular
order. Linking them frame to frame is an assignment problem, solved optimally per frame
(:func:`scipy.optimize.linear_sum_assignment`, Hungarian method) on a cost between every
open track and every detection:

- the track's *expected* pose: its last known position of each joint, moved by the track's
  velocity (the mean joint displacement per frame between its last two detections) over the
  frames since it was last seen: people crossing keep going the way they went;
- the cost is the mean distance over the joints seen in both, divided by the person's size
  (the largest side of the joints' bounding box), so one setting works in pixels,
  millimetres or metres; with no joint in common the two centroids are compared;
- a pair costing more than ``max_distance`` body sizes is never linked (the limit grows with
  the square root of the frames a track went unseen, as a random walk's reach does); a
  detection left over starts a new track, so a person leaving and another entering far away
  are two tracks, not one jumping (when no detection has two joints apart, there is no
  size to measure and no limit);
- a track unseen for more than ``max_lost`` frames is closed: whoever appears later is new.
"""
from __future__ import annotations

import numpy as np
from scipy.optimize import linear_sum_assignment

__all__ = ["link_tracks", "MAX_DISTANCE", "MAX_LOST"]

MAX_DISTANCE = 1.0  # body sizes between a track's expected pose and a detection one frame later
MAX_LOST = 30  # frames a track may go unseen and still be re-linked
_PREDICT = 10  # frames at most over which a velocity is extrapolated (beyond, a straight line is a guess)


def _size(pose: np.ndarray) -> float:
    """Largest side of the bounding box of the finite joints of one (J, C) pose (0 if < 2 joints)."""
    seen = np.isfinite(pose).all(-1)
    if seen.sum() < 2:
        return 0.0
    return float(np.ptp(pose[seen], axis=0).max())


class _Track:
    """A track's memory: last known position of every joint, velocity, size, last frame seen."""

    def __init__(self, pose: np.ndarray, t: int):
        self.pose = pose.astype(np.float64)  # (J, C), NaN for joints never seen
        self.velocity = np.zeros(pose.shape[-1])  # (C,) per frame
        self.size = _size(pose)
        self.last = t

    def expected(self, t: int) -> np.ndarray:
        return self.pose + self.velocity * min(t - self.last, _PREDICT)

    def update(self, pose: np.ndarray, t: int) -> None:
        seen = np.isfinite(pose).all(-1)
        common = seen & np.isfinite(self.pose).all(-1)
        if common.any():
            self.velocity = (pose[common] - self.pose[common]).mean(axis=0) / (t - self.last)
        # joints not seen now move with the body, so the template stays whole
        moved = self.pose + self.velocity * (t - self.last)
        self.pose = np.where(seen[:, None], pose, moved)
        self.size = _size(pose) or self.size
        self.last = t


def _cost(track: _Track, pose: np.ndarray, t: int, scale: float) -> float:
    """Mean distance (in body sizes) between a track's expected pose and a detection."""
    expected = track.expected(t)
    a_seen, b_seen = np.isfinite(expected).all(-1), np.isfinite(pose).all(-1)
    common = a_seen & b_seen
    if common.any():
        d = float(np.linalg.norm(expected[common] - pose[common], axis=-1).mean())
    else:  # nothing in common (e.g. upper body then legs only): compare where the bodies are
        d = float(np.linalg.norm(expected[a_seen].mean(0) - pose[b_seen].mean(0)))
    return d / (max(track.size, _size(pose)) or scale)


def link_tracks(poses: list[list[np.ndarray]], *, max_distance: float = MAX_DISTANCE,
                max_lost: int = MAX_LOST) -> list[list[int]]:
    """Track index of every detection, by optimal per-frame assignment (see module doc).

    Parameters
    ----------
    poses : list (T) of list of (J, C) arrays
        Detections per frame, any unit, NaN = joint not detected.
    max_distance : float
        Largest cost, in body sizes, at which a detection continues a track one frame on
        (``max_distance * sqrt(frames unseen)`` after a gap).
    max_lost : int
        Frames a track may go unseen and still continue.

    Returns
    -------
    list (T) of list of int
        ``result[t][i]`` = track index (0, 1, ... in order of first appearance) of detection
        ``i`` of frame ``t``. Detections with no finite joint each get a track of their own.
    """
    if not max_distance > 0:
        raise ValueError(f"max_distance must be > 0 body sizes, got {max_distance!r}")
    if max_lost < 0:
        raise ValueError(f"max_lost must be >= 0 frames, got {max_lost!r}")
    sizes = [s for frame in poses for p in frame if (s := _size(p)) > 0]
    # for a detection too small to measure itself; when nobody can be measured (all joints on
    # one point), distances still rank the pairs but no limit can be said in body sizes
    scale = float(np.median(sizes)) if sizes else 1.0
    gate = max_distance if sizes else np.inf
    tracks: list[_Track | None] = []  # None: a track of an empty detection, never continued
    result = []
    for t, frame in enumerate(poses):
        open_ = [k for k, tr in enumerate(tracks) if tr is not None and t - tr.last <= max_lost + 1]
        usable = [i for i, p in enumerate(frame) if np.isfinite(p).all(-1).any()]
        assigned = [-1] * len(frame)
        if open_ and usable:
            cost = np.array([[_cost(tracks[k], frame[i], t, scale) for k in open_] for i in usable])
            limit = np.array([gate * np.sqrt(t - tracks[k].last) for k in open_])
            allowed = cost <= limit[None, :]
            rows, cols = linear_sum_assignment(np.where(allowed, cost, 1e6))
            for r, c in zip(rows, cols):
                if allowed[r, c]:
                    assigned[usable[r]] = open_[c]
        for i, pose in enumerate(frame):
            if assigned[i] < 0:
                assigned[i] = len(tracks)
                tracks.append(_Track(pose, t) if i in usable else None)
            else:
                tracks[assigned[i]].update(pose, t)
        result.append(assigned)
    return result

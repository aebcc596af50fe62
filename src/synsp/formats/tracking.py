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

__all__ = ["link_tracks", "assigned", "pose_size", "MAX_DISTANCE", "MAX_LOST"]

MAX_DISTANCE = 1.0  # body sizes between a track's expected pose and a detection one frame later
MAX_LOST = 30  # frames a track may go unseen and still be re-linked
_PREDICT = 10  # frames at most over which a velocity is extrapolated (beyond, a straight line is a guess)


def pose_size(pose: np.ndarray) -> float:
    """Largest side of the bounding box of the finite joints of one (J, C) pose (0 if < 2 joints)."""
    seen = np.isfinite(pose).all(-1)
    if seen.sum() < 2:
        return 0.0
    return float(np.ptp(pose[seen], axis=0).max())


class _Track:
    """A track's memory: last known position of every joint, velocity, size, last frame seen."""

    def __init__(self, pose: np.ndarray, t: int, size: float):
        self.pose = pose.astype(np.float64)  # (J, C), NaN for joints never seen
        self.velocity = np.zeros(pose.shape[-1])  # (C,) per frame
        self.size = size  # pose_size of the pose
        self.last = t

    def expected(self, t: int) -> np.ndarray:
        return self.pose + self.velocity * min(t - self.last, _PREDICT)

    def update(self, pose: np.ndarray, t: int, size: float) -> None:
        """Continue the track with a detection (J, C) at frame ``t`` whose :func:`pose_size` is ``size``."""
        seen = np.isfinite(pose).all(-1)
        common = seen & np.isfinite(self.pose).all(-1)
        if common.any():
            self.velocity = (pose[common] - self.pose[common]).mean(axis=0) / (t - self.last)
        # joints not seen now move with the body, so the template stays whole
        moved = self.pose + self.velocity * (t - self.last)
        self.pose = np.where(seen[:, None], pose, moved)
        self.size = size or self.size
        self.last = t


def _costs(tracks: list[_Track], frame: list[np.ndarray], t: int, scale: float, sizes: np.ndarray) -> np.ndarray:
    """(N, K) mean distance (in body sizes) between each of N detections (J, C) and the expected
    pose of each of K tracks; ``sizes`` (N,) the detections' :func:`pose_size`."""
    expected = np.stack([track.expected(t) for track in tracks])  # (K, J, C)
    poses = np.stack(frame).astype(np.float64)  # (N, J, C)
    a_seen, b_seen = np.isfinite(expected).all(-1), np.isfinite(poses).all(-1)  # (K, J), (N, J)
    common = b_seen[:, None] & a_seen[None]  # (N, K, J)
    n_common = common.sum(-1)
    with np.errstate(over="ignore", invalid="ignore"):  # absurd coordinates are just far: inf
        diff = np.nan_to_num(poses[:, None] - expected[None], posinf=np.inf, neginf=-np.inf)
        dist = np.sqrt((diff * diff).sum(-1))  # (N, K, J), 0 where either is missing
        d = np.where(common, dist, 0.0).sum(-1) / np.maximum(n_common, 1)
        # nothing in common (e.g. upper body then legs only): compare where the bodies are
        a_centre = np.nanmean(np.where(a_seen[..., None], expected, np.nan), axis=1)  # (K, C)
        b_centre = np.nanmean(np.where(b_seen[..., None], poses, np.nan), axis=1)  # (N, C)
        centres = np.sqrt(((b_centre[:, None] - a_centre[None]) ** 2).sum(-1))
    d = np.where(n_common > 0, d, centres)
    size = np.maximum(np.array([track.size for track in tracks])[None], sizes[:, None])
    return d / np.where(size > 0, size, scale)


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
    frame_sizes = [np.array([pose_size(p) for p in frame]) for frame in poses]
    sizes = np.concatenate([[0.0], *frame_sizes])
    sizes = sizes[sizes > 0]
    # for a detection too small to measure itself; when nobody can be measured (all joints on
    # one point), distances still rank the pairs but no limit can be said in body sizes
    scale = float(np.median(sizes)) if len(sizes) else 1.0
    gate = max_distance if len(sizes) else np.inf
    tracks: list[_Track | None] = []  # None: a track of an empty detection, never continued
    result = []
    for t, frame in enumerate(poses):
        open_ = [k for k, tr in enumerate(tracks) if tr is not None and t - tr.last <= max_lost + 1]
        usable = [i for i, p in enumerate(frame) if np.isfinite(p).all(-1).any()]
        linked = [-1] * len(frame)
        if open_ and usable:
            cost = _costs([tracks[k] for k in open_], [frame[i] for i in usable], t, scale, frame_sizes[t][usable])
            limit = np.array([gate * np.sqrt(t - tracks[k].last) for k in open_])
            for r, c in assigned(np.where(cost <= limit[None, :], cost, np.inf)).items():
                linked[usable[r]] = open_[c]
        for i, pose in enumerate(frame):
            if linked[i] < 0:
                linked[i] = len(tracks)
                tracks.append(_Track(pose, t, frame_sizes[t][i]) if i in usable else None)
            else:
                tracks[linked[i]].update(pose, t, frame_sizes[t][i])
        result.append(linked)
    return result


def assigned(cost: np.ndarray) -> dict[int, int]:
    """The cheapest one-to-one matching of ``cost`` (rows, columns; inf: not allowed) as row -> column, the rows
    matched to no allowed column left out. The gated Hungarian matching of :func:`link_tracks`, of
    :mod:`synsp.formats.repeated_ids` and of the stream's (:mod:`synsp.integrations.stream_repeats`)."""
    if not cost.size:
        return {}
    rows, cols = linear_sum_assignment(np.where(np.isfinite(cost), cost, 1e6))
    return {r: c for r, c in zip(rows, cols) if np.isfinite(cost[r, c])}

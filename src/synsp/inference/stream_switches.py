"""A stream that jumped to another person: a single-person estimator's track, on a live stream
(offline: :func:`synsp.estimator_errors.track_switches.track_segments` cuts the track)."""
from __future__ import annotations

import copy
import warnings
from collections import deque
from collections.abc import Sequence

import numpy as np

from synsp.estimator_errors.depth_flips import depth_switches
from synsp.estimator_errors.stalls import pose_at_catch_up
from synsp.estimator_errors.track_switches import switched_people
from synsp.sequence import nan_median

SIZE_FRAMES = 30  # the person's size for telling a switch of people: the median over this many detected frames


class SwitchWatch:
    """Each joint's last detected value and the person's recent sizes, per view."""

    def __init__(self) -> None:
        self.last_seen: np.ndarray | None = None  # (V, J, C) each joint's last detected value, as it came
        self.extents: deque[np.ndarray] = deque(maxlen=SIZE_FRAMES)  # (V,) detected frames' box sides, NaN: none
        self.recent: deque[np.ndarray] = deque(maxlen=SIZE_FRAMES)  # (V, J, C) the last detected frames, as they came

    def remember(self, x: np.ndarray) -> None:
        """Record the (V, J, C) frame's detected joints and, if it shows any, its boxes' largest sides."""
        seen = np.isfinite(x).all(-1)  # (V, J)
        if not seen.any():
            return
        self.last_seen = np.where(seen[..., None], x, np.nan if self.last_seen is None else self.last_seen)
        self.recent.append(x)
        with warnings.catch_warnings():  # views without a joint seen
            warnings.simplefilter("ignore", RuntimeWarning)
            self.extents.append((np.nanmax(x, axis=1) - np.nanmin(x, axis=1)).max(axis=-1))

    def switched(self, x: np.ndarray, held: Sequence[np.ndarray] = ()) -> bool:
        """Whether the (V, J, C) frame shows another person in any view than the frames remembered
        (:func:`~synsp.estimator_errors.track_switches.switched_people` against each joint's last
        detected value, at the median size of the last :data:`SIZE_FRAMES` detected frames). ``held``: frames
        that arrived since (the cut watch holds them), read first: the frame is compared with the newest of them, not
        with the person before a swap whose return the cut watch is telling (RESULTS section 12, "A stream where ids
        were swapped for a few frames")."""
        if len(held):
            watch = copy.deepcopy(self)
            for frame in held:
                watch.remember(np.asarray(frame, np.float64))
            return watch.switched(x)
        if self.last_seen is None or not self.extents:
            return False
        sizes = nan_median(np.array(self.extents), axis=0)  # (V,); NaN for a view not seen in those frames
        if len(x) != len(self.last_seen):
            return False
        switched = switched_people(self._pose_at_catch_up(x), x, sizes)  # (V,)
        if switched.any() and x.shape[-1] == 3:  # a body mirrored in depth moves its centre too: no other person
            recent = np.stack([*self.recent, x], axis=1)  # (V, N, J, 3)
            switched &= ~np.array([depth_switches(v)[-1] for v in recent])
        return bool(switched.any())

    def _pose_at_catch_up(self, x: np.ndarray) -> np.ndarray:
        """(V, J, C) what the (V, J, C) frame ``x`` is told against: each joint's last detected value, or, in a view
        where ``x`` is a decoder stall's catch-up (the frames before it repeat a pose whole), where the body's pace
        carries that pose to it (:func:`~synsp.estimator_errors.stalls.pose_at_catch_up`; offline:
        ``track_segments``): a body running on while the video stalled is no other person."""
        if len(self.recent) < 3 or not np.array_equal(self.recent[-1], self.recent[-2], equal_nan=True):
            return self.last_seen  # no frame repeated just before: no catch-up (the cheap test, most frames)
        track = np.stack([*self.recent, x], axis=1)  # (V, N, J, C)
        last = self.last_seen.copy()
        for v, view in enumerate(track):
            pose = pose_at_catch_up(view)
            if pose is not None:
                last[v] = np.where(np.isfinite(pose), pose, last[v])
        return last

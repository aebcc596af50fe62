"""Ids handed to someone close by, on a live stream: the body stepped off its path and stayed off it.

Offline, a track is cut where the median of its joints steps off every constant-velocity path through two earlier
frames by more than :data:`~synsp.estimator_errors.track_switches.SWITCH_STEP` body sizes and
:data:`~synsp.estimator_errors.track_switches.SWITCH_NOISE` times the track's median step, and stays off it for the
:data:`~synsp.estimator_errors.track_switches.SWITCH_STAY` frames after (:func:`~synsp.estimator_errors.track_switches.
left_path`; benchmarks/RESULTS.md, section 4, "Switches between close people", "Ids swapped for a few frames"): two
people less than half a body apart whose ids a tracker swapped for 3 frames or more. A stream without the rule
refined the other person's frames with this one's, a ghost of both (RESULTS section 12, "A stream where ids were
swapped for a few frames").

:class:`PathWatch` reads that rule for :class:`~synsp.inference.stream_cuts.CutWatch`, which holds the frames and
restarts the stream at a cut, as at a video cut. A frame whose median joint lies off the path through the two frames
before it by more than ``SWITCH_STEP`` sizes (a cheap test on arrival; the other paths only then) is a suspect, held
until the ``SWITCH_STAY`` frames after it arrive; then offline's test, :func:`~synsp.estimator_errors.track_switches.
steps_by_path` on those frames and the 5 before, against the median of
:func:`~synsp.estimator_errors.track_switches.path_steps` over the last ``history`` frames (offline: the track's).
After a cut (any rule's) only paths from it on count, as offline: the frame after a cut starts no one, and the return
from a swap of 3 frames is told on the paths through the other person's frames.
"""
from __future__ import annotations

from collections import deque

import numpy as np

from synsp.estimator_errors.stalls import stall_free
from synsp.estimator_errors.track_switches import SWITCH_STAY, SWITCH_STEP, off_path, path_steps, steps_by_path
from synsp.sequence import nan_median

__all__ = ["PathWatch"]

_BACK = 3  # the paths through frames t - 2 - k, t - 1 - k, k = 0 .. _BACK (steps_by_path's default)
_BEFORE = _BACK + 2  # frames before the step the paths read


class PathWatch:
    """The stream's recent frames, its starts, and the path test of a suspect (module docstring).

    Parameters
    ----------
    latency : frames the stream holds a frame already (``lag + lookahead``); under ``SWITCH_STAY``: no such cut
        (a suspect would wait longer than the stream's latency for the frames after it).
    history : frames whose path steps give the median step (the cut watch's :data:`~.stream_cuts.HISTORY`).
    """

    def __init__(self, latency: int, history: int):
        self.after = SWITCH_STAY if int(latency) >= SWITCH_STAY else 0
        self.recent: deque[np.ndarray] = deque(maxlen=int(history))  # (V, J, C) float64 frames, NaN where not seen
        self.count = 0  # frames noted
        self.start = -_BEFORE - 2  # the frame (counted as ``count``) where the last person started

    def note(self, x: np.ndarray) -> None:
        """Remember the (V, J, C) frame (float64, NaN where not seen)."""
        self.recent.append(x)
        self.count += 1

    def started(self, back: int) -> None:
        """Another person starts at the frame ``back`` frames before the newest (a cut, any rule's)."""
        self.start = self.count - 1 - back

    def _reach(self, back: int) -> int:
        """The paths (k <= reach) of the frame ``back`` before the newest that start at the last start or after."""
        return min(self.count - 1 - back - 2 - self.start, _BACK)

    def suspect(self, size: np.ndarray, back: int = 0) -> np.ndarray:
        """(V,) bool: whether the frame ``back`` before the newest lies off every path through frames from the last
        start on by more than ``SWITCH_STEP`` times the person's size (V,), per view: the first of offline's tests,
        on the frame alone (its step can only shrink with the frames after it)."""
        i = len(self.recent) - 1 - back
        views = len(self.recent[-1])
        reach = self._reach(back)
        if not self.after or reach < 0 or i < _BEFORE:
            return np.zeros(views, dtype=bool)
        x = self.recent
        # the path through the two frames before (k = 0), always among those read: plain medians, NaN read below
        with np.errstate(invalid="ignore"):
            near = np.linalg.norm(np.median(x[i] - 2 * x[i - 1] + x[i - 2], axis=-2), axis=-1)  # (V,)
            big = ~(near <= SWITCH_STEP * size) & (size > 0)
        out = np.zeros(views, dtype=bool)
        for v in np.flatnonzero(big):
            window = stall_free(np.stack([x[k][v] for k in range(i - _BEFORE, i + 1)]))  # (6, J, C)
            steps = steps_by_path(window, stay=0)[: reach + 1, -1]
            steps = steps[np.isfinite(steps)]  # a path missing a frame reads nothing
            out[v] = bool(steps.size) and bool(steps.min() > SWITCH_STEP * size[v])
        return out

    def verdict(self, views: np.ndarray, back: int, size: np.ndarray) -> bool | None:
        """Whether the suspect ``back`` frames before the newest (in ``views`` (V,) bool) starts another person:
        None until the ``SWITCH_STAY`` frames after it have arrived, then offline's test per view (a cut in any view
        is a cut)."""
        if back < self.after:
            return None
        i = len(self.recent) - 1 - back
        reach = self._reach(back)
        frames = list(self.recent)
        for v in np.flatnonzero(views):
            # a decoder's stall (estimator_errors.stalls) is read as a gap, as offline: its body stopped dead is no
            # one else, nor is its catch-up (its paths run through the gap: none)
            window = stall_free(np.stack([f[v] for f in frames[i - _BEFORE: i + self.after + 1]]))  # (6 + after, J, C)
            step = steps_by_path(window, stay=self.after)[: reach + 1, _BEFORE]
            step = step[np.isfinite(step)]
            if not step.size:
                continue
            usual = nan_median(path_steps(np.stack([f[v] for f in frames])))  # over the history (offline: the track)
            if bool(off_path(step.min(), size[v], usual)):
                return True
        return False

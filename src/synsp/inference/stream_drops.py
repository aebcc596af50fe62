"""Frames dropped from a stream with no times: read from the steps as offline reads them, and given back as gaps.

A capture that skipped frames (a phone under load, a webcam's USB budget) sends the frames it kept one after
another; at a drop every joint of a moving body steps over two frame intervals at once, and the network reads the
step as an error and smears it over the frames around it. Offline, ``synsp.refine`` and ``synsp refine`` read such
boundaries (:mod:`synsp.refining.dropped_frames`), put a missing frame at each, refine and take those frames out
(benchmarks/RESULTS.md, section 4, "Frames dropped from poses with no times").

:class:`DropWatch` stands before a stream's measurements (:class:`~synsp.inference.streaming.StreamingRefiner`, with
a lookahead) and reads the same test (:func:`synsp.estimator_errors.frame_drops.dropped_once`) on each boundary once
the frame after it has arrived, over the last :data:`HISTORY` frames (offline: the whole clip's noise; the drops
already read are in them as missing frames, as offline's second reading has them). Every frame goes on at once; a
frame whose step could be a drop (the step from the frame before it at least :data:`SUSPECT_RATIO` times the step
before that, the joints' median, and the body moving above :data:`SUSPECT_SPEED` times the noise so far: the test's
own thresholds loosened, so every drop the test reads is among them) is told by the frame after it. At a drop of
``k`` frames, the stream puts ``k`` frames with no joint seen in behind that frame, which its measurements have not
given on yet (they wait ``lookahead`` frames; :meth:`~synsp.inference.stream_measurements.RunningMeasurements.put_in`)
and fill as a gap; the stream takes their outputs out and counts them for no lag, so each frame the caller pushes
still comes back ``lag + lookahead`` of its frames later (an earlier version held the frame instead, and gave it one
frame late: 2D ``typical`` 132 of 8603 frames with no drop).
"""
from __future__ import annotations

from collections import deque

import numpy as np

from synsp.estimator_errors.frame_drops import dropped_once
from synsp.medians import nanmedian

__all__ = ["HISTORY", "SUSPECT_RATIO", "SUSPECT_SPEED", "DropWatch", "gaps_behind_newest"]

HISTORY = 60  # frames (2 s at 30 fps) read with a boundary: their median second difference is the noise
# A frame is told by the next (the test read on its boundary) when its step over the step before it (the joints'
# median) is at least SUSPECT_RATIO and that step before is above SUSPECT_SPEED x the noise so far: the test reads
# k >= 1 dropped at 1.5 x the neighbours' mean step, and they may differ by up to the residual. Validation, 2D, all 65
# clips (benchmarks/stream_drops.py --guard): frames told by the next against frames put in, every frame told (0, 0):
# `typical` 8408 / 0, `jitter` with 1 frame dropped every 7: 7010 / 172; at (1.3, 1.0): 132 / 0 and 521 / 172, the
# same 172 (and 205 of 3 dropped every 20); at 1.4: one drop of `typical`'s missed. (Told, not held: no frame waits.)
SUSPECT_RATIO = 1.3
SUSPECT_SPEED = 1.0


class DropWatch:
    """Frames (V, J, C) in as they came (NaN where not seen), each going on to the stream at once; for each, the
    frames dropped before the frame that came before it, read now that this one has arrived (module docstring)."""

    def __init__(self) -> None:
        self.recent: deque[np.ndarray] = deque(maxlen=HISTORY)  # (V, J, C) float64, the frames put in among them
        self.suspect: np.ndarray | None = None  # the last frame, if its step could be a drop: told by the next
        self.put_in = 0  # frames put in so far

    def push(self, frame: np.ndarray) -> int:
        """Take a (V, J, C) frame (it goes on at once); the frames dropped before the frame pushed before it (0 for
        none), which the stream puts in behind that frame, not yet given on (its lookahead)."""
        x = np.asarray(frame, np.float64)
        dropped = 0
        if self.suspect is not None:
            suspect, self.suspect = self.suspect, None
            dropped = self._dropped_before(suspect, x)
            self.put_in += dropped
            for _ in range(dropped):
                self.recent.append(np.full(x.shape, np.nan))
            self.recent.append(suspect)
        if self._may_drop(x):
            self.suspect = x
        else:
            self.recent.append(x)
        return dropped

    def _may_drop(self, x: np.ndarray) -> bool:
        """Whether the step into ``x`` could be a drop (module docstring): the next frame tells."""
        if len(self.recent) < 3:  # the test reads none under 5 frames: these, the frame and the one after
            return False
        a, b = self.recent[-2], self.recent[-1]
        with np.errstate(invalid="ignore", divide="ignore"):  # a joint not seen: NaN, left out of the medians
            before = np.linalg.norm(b - a, axis=-1)  # (V, J)
            fast = nanmedian(np.linalg.norm(x - b, axis=-1) / before) >= SUSPECT_RATIO  # (V,)
            if not fast.any():  # the usual frame: the noise is not read
                return False
            recent = np.stack(self.recent, axis=-3)  # (V, H, J, C)
            noise = nanmedian(np.linalg.norm(np.diff(recent, 2, axis=-3), axis=-1).reshape(len(x), -1))
        return bool((fast & (nanmedian(before) > SUSPECT_SPEED * noise)).any())

    def _dropped_before(self, suspect: np.ndarray, after: np.ndarray) -> int:
        """Frames dropped between the frame before ``suspect`` and it (0 for none), read by the offline test on the
        recent frames, ``suspect`` and the frame ``after`` it; a frame skipped is every view's: the most any view
        reads."""
        clip = np.stack([*self.recent, suspect, after], axis=-3)  # (V, T, J, C)
        boundary = clip.shape[-3] - 3  # the frame before ``suspect``
        most = 0
        for view in clip:
            frames, counts = dropped_once(view)
            most = max(most, int(counts[frames == boundary].sum()))
        return most


def gaps_behind_newest(frames: deque, count: int) -> deque:
    """``frames`` (a stream step's buffer of arrays, oldest first) with ``count`` frames of NaN, of the newest frame's
    shape and dtype, put in behind its newest frame (frames the capture dropped before it), at the same maxlen."""
    *older, newest = frames
    gap = np.full(newest.shape, np.nan, newest.dtype)
    return deque([*older, *[gap] * count, newest], maxlen=frames.maxlen)

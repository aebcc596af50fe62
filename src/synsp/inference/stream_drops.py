"""Frames dropped from a stream with no times: read from the steps as offline reads them, and given back as gaps.

A capture that skipped frames (a phone under load, a webcam's USB budget) sends the frames it kept one after
another; at a drop every joint of a moving body steps over two frame intervals at once, and the network reads the
step as an error and smears it over the frames around it. Offline, ``synsp.refine`` and ``synsp refine`` read such
boundaries (:mod:`synsp.refining.dropped_frames`), put a missing frame at each, refine and take those frames out
(benchmarks/RESULTS.md, section 4, "Frames dropped from poses with no times").

:class:`DropWatch` stands before a stream's measurements (:class:`~synsp.inference.streaming.StreamingRefiner`, with
a lookahead) and reads the same test (:func:`synsp.estimator_errors.frame_drops.dropped_once`) on each boundary once
the frame after it has arrived, over the last :data:`HISTORY` frames (offline: the whole clip's noise; the drops
already read are in them as missing frames, as offline's second reading has them). Only a frame whose step could be
a drop is held for that frame after it (the step from the frame before it at least :data:`HOLD_RATIO` times the step
before that, the joints' median, and the body moving above :data:`HOLD_SPEED` times the noise so far: the test's
own thresholds loosened, so every drop the test reads is held first); other frames go on at once, so on input with
no fast steps the stream is as before, frame for frame and in time. At a drop the held frame goes on after ``k``
frames with no joint seen, which the stream's measurements fill from the frames around them as a gap; the stream
takes their outputs out (the caller gets one frame back per frame pushed). A frame held comes out one frame late,
with the next.
"""
from __future__ import annotations

from collections import deque

import numpy as np

from synsp.estimator_errors.frame_drops import dropped_once
from synsp.medians import nanmedian

__all__ = ["HISTORY", "HOLD_RATIO", "HOLD_SPEED", "DropWatch"]

HISTORY = 60  # frames (2 s at 30 fps) read with a boundary: their median second difference is the noise
# A frame is held when its step over the step before it (the joints' median) is at least HOLD_RATIO and that step
# before is above HOLD_SPEED x the noise so far: the test reads k >= 1 dropped at 1.5 x the neighbours' mean step,
# and they may differ by up to the residual. Validation, 2D, all 65 clips (benchmarks/stream_drops.py --guard):
# frames held against frames put in, every frame held (0, 0): `typical` 8408 / 0, `jitter` with 1 frame dropped every
# 7: 7010 / 172; at (1.3, 1.0): 132 / 0 and 521 / 172, the same 172 (and 205 of 3 dropped every 20); at 1.4: one
# drop of `typical`'s missed.
HOLD_RATIO = 1.3
HOLD_SPEED = 1.0


class DropWatch:
    """Frames (V, J, C) in as they came (NaN where not seen); out to the stream as ``(frame, put_in)`` pairs, with
    frames of NaN (``put_in`` True) where frames were dropped before them (module docstring)."""

    def __init__(self) -> None:
        self.recent: deque[np.ndarray] = deque(maxlen=HISTORY)  # (V, J, C) float64, the frames put in among them
        self.held: np.ndarray | None = None  # a frame whose step could be a drop, waiting for the frame after it
        self.put_in = 0  # frames put in so far

    def push(self, frame: np.ndarray) -> list[tuple[np.ndarray, bool]]:
        """Take a (V, J, C) frame; the frames that go on to the stream, oldest first (none, one, or more)."""
        x = np.asarray(frame, np.float64)
        out = []
        if self.held is not None:
            held, self.held = self.held, None
            dropped = self._dropped_before(held, x)
            gap = np.full(held.shape, np.nan, held.dtype)
            out += [(gap, True)] * dropped
            out.append((held, False))
            self.put_in += dropped
            for _ in range(dropped):
                self.recent.append(np.full(x.shape, np.nan))
            self.recent.append(np.asarray(held, np.float64))
        if self._may_drop(x):
            self.held = frame
        else:
            out.append((frame, False))
            self.recent.append(x)
        return out

    def flush(self) -> list[tuple[np.ndarray, bool]]:
        """The frame held, if any (the stream ends: no frame after it will tell it)."""
        held, self.held = self.held, None
        return [] if held is None else [(held, False)]

    def _may_drop(self, x: np.ndarray) -> bool:
        """Whether the step into ``x`` could be a drop (module docstring): it is held until the next frame."""
        if len(self.recent) < 3:  # the test reads none under 5 frames: these, the frame and the one after
            return False
        a, b = self.recent[-2], self.recent[-1]
        with np.errstate(invalid="ignore", divide="ignore"):  # a joint not seen: NaN, left out of the medians
            before = np.linalg.norm(b - a, axis=-1)  # (V, J)
            fast = nanmedian(np.linalg.norm(x - b, axis=-1) / before) >= HOLD_RATIO  # (V,)
            if not fast.any():  # the usual frame: the noise is not read
                return False
            recent = np.stack(self.recent, axis=-3)  # (V, H, J, C)
            noise = nanmedian(np.linalg.norm(np.diff(recent, 2, axis=-3), axis=-1).reshape(len(x), -1))
        return bool((fast & (nanmedian(before) > HOLD_SPEED * noise)).any())

    def _dropped_before(self, held: np.ndarray, after: np.ndarray) -> int:
        """Frames dropped between the last frame gone on and ``held`` (0 for none), read by the offline test on the
        recent frames, ``held`` and the frame ``after`` it; a frame skipped is every view's: the most any view reads."""
        clip = np.stack([*self.recent, np.asarray(held, np.float64), after], axis=-3)  # (V, T, J, C)
        boundary = clip.shape[-3] - 3  # the frame before ``held``
        most = 0
        for view in clip:
            frames, counts = dropped_once(view)
            most = max(most, int(counts[frames == boundary].sum()))
        return most

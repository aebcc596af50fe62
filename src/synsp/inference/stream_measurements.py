"""A stream's measurements: glitches, held values, jumps, inversions, limbs astray and short gaps, a few frames late.

Offline refinement gives its networks :func:`synsp.estimator_errors.measurements.measurements` of the whole clip:
glitches and held values taken out, gaps filled between the frames around them, whole-body jumps
moved back, left/right inversions exchanged back. Each of these needs the frames *after* a value:
a glitch is a joint that went away and came back, a gap is filled towards the next measurement.
A stream has them only if it waits for them, so :class:`RunningMeasurements` holds each frame
``lookahead`` frames before giving it on, measured on the last :data:`HISTORY` frames and the
``lookahead`` after it (the same function on a short clip). Three frames see a glitch of
:data:`synsp.estimator_errors.glitches.MAX_RUN` frames with a frame after it, at the cost of three frames of
latency (100 ms at 30 fps; ``lookahead=0`` passes frames on at once and takes them as they
come). A gap that outlasts the lookahead stays NaN, and the stream moves the joint on from its last
value with the body (:mod:`~synsp.inference.stream_fill`), as it does without one. An inversion is
told from the two seconds before and the lookahead after: one that lasts longer than a third of
them (0.7 s) is exchanged back only until then
(the inversions' majority test), and given as it came after; in the stream's first two seconds the frames
missing before its first count with it, as a full window's would (an exchange over frames 13-19 passed before).
A body mirrored in depth
(:mod:`~synsp.estimator_errors.depth_flips`) is mirrored back from the step that starts it, as the
reading its handedness tells is the body's, until the step that ends it. A limb astray
(:mod:`~synsp.estimator_errors.astray_limbs`) is taken out from its jump out: until its jump back is in sight, as a run
to the window's open end (``open_end``: a jump no body makes, no stretch needed), then as offline; each frame after
one read astray is measured in full, since inside the run the limb moves with the body and the cheap test would pass
it as it came (audit 22: a head 64 cm off for 11 frames followed up to 327 mm, now 77, offline 80).

A stall at the stream's newest frames is carried on at the body's pace for half a second, then held there, as
offline (:func:`~synsp.estimator_errors.stalls.carried_on`); a longer run of repeats (a tracker's frozen pose) soon
fills the window, and a window without the run's first frame reads no pace and gives the pose repeated: the stream
stepped back to it by the whole carry (a 10 s freeze of a 2D walk, 51 px in a frame). Past the carry, each repeat
whose lookahead sees no end of the run is given the frame before's output instead (:meth:`RunningMeasurements._held`),
where offline holds it.

Most frames need no measurement, which a cheap test tells (:meth:`RunningMeasurements._as_it_came`);
frames before the stream's first detection pass at once, untouched (nothing to measure them by).
"""
from __future__ import annotations

from collections import deque

import numpy as np

from synsp.estimator_errors.glitches import MAX_RUN, far_off_path
from synsp.estimator_errors.held_values import held_frames, held_values
from synsp.estimator_errors.measurements import measurements
from synsp.estimator_errors.stalls import carry_frames
from synsp.inference.stream_drops import gaps_behind_newest
from synsp.sequence import body_size
from synsp.skeleton import Layout

__all__ = ["HISTORY", "LOOKAHEAD", "RunningMeasurements"]

LOOKAHEAD = 3  # frames: a glitch of two frames (glitches.MAX_RUN) and the frame after it
# Frames before the one measured (2 s at 30 fps): the clip its statistics come from. Its length
# bounds the inversions a stream finds: one longer than a third of it fails their majority test.
HISTORY = 60


class RunningMeasurements:
    """Frames (V, J, C) in, the same frames measured ``lookahead`` frames later out (module docstring).

    Parameters
    ----------
    layout : the frames' joint layout (its bones tell glitches).
    lookahead : frames each frame waits for the frames after it, >= 0 (0: frames pass untouched).
    fps : the frames' rate (frames per second; None: 30), which counts a stall's carry
        (:func:`~synsp.estimator_errors.stalls.carry_frames`: half a second, 15 frames at 30 fps, 30 at 60).
    """

    def __init__(self, layout: Layout, lookahead: int = LOOKAHEAD, fps: float | None = None):
        self.layout, self.lookahead, self.fps = layout, int(lookahead), fps
        self._frames: deque[np.ndarray] = deque(maxlen=HISTORY + 1 + self.lookahead)
        # the same frames stacked (V, N, J, C), kept as they come: stacking the deque's 64 frames anew
        # per person and frame cost a crowd of ten ~0.5 ms a frame
        self._clip: np.ndarray | None = None
        self.pending = 0  # frames of ``_frames`` not given on yet (the newest ones)
        # which of them were put in where the capture dropped frames (:meth:`put_in`): they count for no lookahead
        self._put_in: deque[bool] = deque()
        # whether the last measurement exchanged a left/right pair back in the frame it gave or
        # after: the next frames are measured in full, since an exchange goes on without a jump
        self._exchanged = False
        # per view, the repeats in a row up to the last frame given (a stall's or a frozen tracker's run), and that
        # frame as given (V, J, C): past the carry, a run is held there (_held)
        self._run: np.ndarray | None = None
        self._given: np.ndarray | None = None

    def push(self, frame: np.ndarray) -> list[np.ndarray]:
        """Add a (V, J, C) frame, NaN for missing joints; returns the frames ready, oldest first
        (at most one once the stream has begun, each (V, J, C), gaps filled where a later frame
        measures the joint)."""
        if not self._frames and not np.isfinite(frame).all(-1).any():
            return [frame]  # before the first detection: nothing to measure by
        self._frames.append(frame)
        self._stack(frame)
        self.pending += 1
        self._put_in.append(False)
        ready = []
        while self.pending - sum(self._put_in) > self.lookahead:  # lookahead frames that came after the oldest
            ready.append(self._measured(self.pending - 1))
        return ready

    def put_in(self, count: int) -> None:
        """Put ``count`` frames of NaN (frames the capture dropped, :mod:`~synsp.inference.stream_drops`) behind the
        newest frame, not given on yet; they are given on with the frame after them, and measured as gaps."""
        if count <= 0 or not self.pending:
            return
        self._frames = gaps_behind_newest(self._frames, count)
        self._clip = np.stack(self._frames, axis=1)
        self._clip.flags.writeable = False
        self.pending += count
        self._put_in.pop()
        self._put_in.extend([True] * count + [False])

    def flush(self) -> list[np.ndarray]:
        """Every frame still waiting, measured with the frames there are after it."""
        self._put_in.clear()
        return [self._measured(ahead) for ahead in range(self.pending - 1, -1, -1)]

    def _stack(self, frame: np.ndarray) -> None:
        """``_clip`` after ``frame`` (V, J, C) joined ``_frames``: ``np.stack(self._frames, axis=1)``,
        the last frames and it joined (stacked anew where its dtype is not the clip's)."""
        frame = np.asarray(frame)
        if self._clip is None or frame.dtype != self._clip.dtype or len(self._frames) == 1:
            self._clip = np.stack(self._frames, axis=1)
        else:
            self._clip = np.concatenate([self._clip[:, 1 - len(self._frames):], frame[:, None]], axis=1)
        self._clip.flags.writeable = False  # kept from frame to frame: the steps reading it must not write to it

    def _measured(self, ahead: int) -> np.ndarray:
        """The oldest pending frame, measured with the ``ahead`` frames after it; it stops pending.
        A joint missing there and in every frame after it stays NaN: the stream moves it on from its
        last value (a filled clip would hold the value of its first frame, or zero)."""
        clip = self._clip  # (V, N, J, C)
        at = clip.shape[1] - 1 - ahead
        self.pending -= 1
        if self._put_in:
            self._put_in.popleft()
        if not self._exchanged and self._as_it_came(clip, at):
            return self._held(clip, at, clip[:, at].astype(np.result_type(clip.dtype, np.float32)))
        # the frames to come may bring a limb back; a window shorter than its history (the stream's first seconds)
        # reads an inversion's majority as a full one would, the frames before the stream's first voting with it
        measured = measurements(clip, self.layout, open_end=bool(ahead), window=self._frames.maxlen or 0,
                                fps=self.fps)
        # an exchange, or a mirror in depth (estimator_errors.depth_flips), under way: its frames move no more than
        # the body, so the cheap test would pass them as they came
        # a limb astray (estimator_errors.astray_limbs) under way, likewise: inside its run it moves with the body
        self._exchanged = bool(measured.exchanged[:, at:].any() or measured.depth_flipped[..., at:].any()
                               or measured.astray[:, at:].any())
        frame = measured.values[:, at]
        seen = np.isfinite(clip[:, at:]).all(-1)  # (V, 1 + ahead, J)
        unknown = ~seen[:, 0] & ~seen[:, 1:].any(axis=1)
        if unknown.any():
            frame[unknown] = np.nan
        return self._held(clip, at, frame)

    def _held(self, clip: np.ndarray, at: int, frame: np.ndarray) -> np.ndarray:
        """``frame`` (V, J, C), frame ``at`` of ``clip`` (V, N, J, C) as measured, with each view whose frame is a
        repeat past the carry of a stall at the end (more than :func:`~synsp.estimator_errors.stalls.carry_frames`
        in a row) and whose lookahead sees no end of it (every frame after a repeat) given the frame before's
        output: where the carry left it, as offline holds it (module docstring). A run whose catch-up is in sight
        takes the measurement, which fills towards the catch-up."""
        views = len(frame)
        if self._run is None or len(self._run) != views:
            self._run, self._given = np.zeros(views, int), frame.copy()
        repeat = np.array([at > 0 and bool(held_frames(view[at - 1: at + 1])[-1]) for view in clip])
        self._run = np.where(repeat, self._run + 1, 0)
        past = self._run > carry_frames(self.fps)
        if past.any():  # the lookahead read only past the carry: every frame comes through here
            hold = past & [bool(held_frames(view[at:])[1:].all()) for view in clip]
            if hold.any():
                frame = np.where(hold[:, None, None], self._given, frame).astype(frame.dtype, copy=False)
        self._given = frame.copy()  # the caller's steps may write to the frame given
        return frame

    @staticmethod
    def _as_it_came(clip: np.ndarray, at: int) -> bool:
        """Whether :func:`~synsp.estimator_errors.measurements.measurements` leaves frame ``at`` of
        ``clip`` (V, N, J, C) as it came, told cheaply (most frames of a stream; the crowd's cost):
        every joint seen, none held (:func:`synsp.estimator_errors.held_values.held_values`), and none
        far enough off its path to be part of a glitch, a jump or the start or end of an inversion
        (:func:`synsp.estimator_errors.glitches.far_off_path`; an inversion under way is measured in
        full, ``_exchanged``)."""
        if not np.isfinite(clip[:, at]).all():
            return False
        repeats = (clip[:, at] == clip[:, at - 1]).all(-1) if at else np.zeros(1, bool)  # (V, J)
        if repeats.any():  # one value throughout (a root at zero) is no held one; whole pixels may not be
            fixed = (clip == clip[:, :1]).all(axis=(1, 3))
            if (repeats & ~fixed).any() and held_values(clip[:, : at + 1])[:, at].any():
                return False
        near = clip[:, max(0, at - MAX_RUN): at + MAX_RUN + 1]  # every run through the frame, and its ends
        first = at - max(0, at - MAX_RUN)
        return not any(far_off_path(view, body_size(whole))[first] for view, whole in zip(near, clip))

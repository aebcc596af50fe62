"""A 2D body seen from high above (:mod:`synsp.inference.foreshortening`) on a live stream.

Offline, a clip whose median trunk length over shoulder width reads under the top of the Refiner's
``foreshortened`` ramp (1.2) is partly or wholly SmoothNet's (:func:`~synsp.inference.foreshortening.with_fallback`,
the share from the clip's median). A stream reads that median over the frames that have arrived so far
(:class:`RunningAbove`; past :data:`HISTORY` frames thinned evenly, as the joint definitions' pulls are)
and, once it falls under the ramp's top, where the share turns on, runs a second stream alongside: the
same ``lag`` and ``lookahead`` over the Refiner's fallback (SmoothNet), started on the last frames the
stream holds (:data:`WARM` frames before the oldest one not given back), so that it has its whole
context at the frames it first contributes to and catches up at once (a burst of SmoothNet windows,
once); until its first window (32 frames) is complete, SmoothNet offline on the frames so far stands in.
Each frame given back is then ``with_fallback``'s blend of the two at the share of the running median
as it stands. The share is continuous in the median and the blend in the share (0: the network's
output), so the output does not jump when the share turns on. :data:`MARGIN` above the ramp's top the
second stream is dropped: people seen from level cameras (a median of 1.5 or more) never run SmoothNet.

The same second stream takes a waist-up person (a webcam, a desk, a signer), 2D or 3D, as offline's
``Refiner.gives_way`` does: while more than the Refiner's ``max_unseen`` (:data:`synsp.sequence.UNSEEN_SHARE`)
of the joints have not been seen in any frame so far (:func:`synsp.sequence.unseen_share`, read on the frames the
stream took, NaN for a joint not detected), every frame given back is SmoothNet's alone; SynSP refined the hips and
legs the stream stands in for them (the body the network never saw) 3.2 x worse than its input on the seen joints.
A joint seen at last (the person steps back) can only lower that share. SynSP's windows that hold a frame from
before then hold the stand-ins too (and their jump to the joints seen), so the frames they cover stay SmoothNet's;
after them its share falls to 0 over :data:`FADE` windows of frames, so that the output does not jump.
"""
from __future__ import annotations

import warnings
from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from synsp.inference.foreshortening import fallback_share, trunk_ratio, with_fallback
from synsp.inference.stream_drops import gaps_behind_newest
from synsp.sequence import unseen_share

if TYPE_CHECKING:
    from synsp.inference.streaming import StreamingRefiner

HISTORY = 512  # per-frame ratios and sizes kept for the running medians; beyond, every other one dropped
MARGIN = 0.15  # a running median this far over the ramp's top drops SmoothNet's stream (under the top: starts it)
WARM = 32  # frames before the oldest not given back that a starting SmoothNet stream is given (its window)
FADE = 1  # windows of frames (SynSP's) over which SmoothNet's share falls to 0 once the joints never seen are few


class RunningAbove:
    """The seen-from-above and waist-up step of one stream (the module docstring): fed every frame the
    stream takes (:meth:`push`, :meth:`flush`), it blends the frames the stream gives back (:meth:`blend`)."""

    def __init__(self, stream: "StreamingRefiner"):
        self.stream = stream
        self.ramp = stream.refiner.foreshortened  # None: not read (3D)
        self.max_unseen = stream.refiner.max_unseen  # None: never gives way for joints never seen
        self.seen: np.ndarray | None = None  # (V, J) joints seen so far
        self.unseen = 0.0  # their share never seen so far (0 until a joint is seen)
        self.gave_way = False  # whether that share was ever over max_unseen (SmoothNet's alone, then)
        self.seen_at: int | None = None  # the frame at which it fell to max_unseen after (None: not yet)
        self.ratios: list[float] = []  # per frame: its trunk over its shoulders (median over views)
        self.sizes: list[float] = []  # per frame: its bounding box's largest side (largest over views)
        self.held: deque[np.ndarray] = deque(maxlen=stream.lag + stream.lookahead + WARM + 1)  # last frames
        self.pushed = 0  # frames pushed
        self.smooth: "StreamingRefiner | None" = None  # SmoothNet's stream, while running
        self.fed = 0  # index of the next frame SmoothNet's stream gives back
        self.outputs: dict[int, np.ndarray] = {}  # frame -> (V, J, C) SmoothNet's, until given back

    @classmethod
    def of(cls, stream: "StreamingRefiner") -> "RunningAbove | None":
        """The step for ``stream``, or None where its Refiner does not give way (SmoothNet, no fallback, or
        neither ``foreshortened`` nor ``max_unseen``)."""
        model = stream.refiner
        gives_way = model.foreshortened is not None or model.max_unseen is not None
        return cls(stream) if gives_way and model.fallback is not None else None

    @property
    def ratio(self) -> float:
        """The running median of the trunk over shoulder width (NaN: no frame showed them yet)."""
        return float(np.median(self.ratios)) if self.ratios else float("nan")

    def push(self, x: np.ndarray) -> None:
        """One (V, J, C) frame as the stream took it (NaN: missing)."""
        if self.ramp is not None:
            ratio = trunk_ratio(x[:, None], self.stream.refiner.layout)
            if np.isfinite(ratio):
                self.ratios.append(ratio)
                with np.errstate(invalid="ignore"):
                    self.sizes.append(float(np.nanmax(np.nanmax(x, -2) - np.nanmin(x, -2))))
                if len(self.ratios) > HISTORY:  # a bounded cost per frame on long streams: thin the history
                    self.ratios, self.sizes = self.ratios[::2], self.sizes[::2]
        self._see(x)
        self.held.append(x)
        self.pushed += 1
        ratio, unseen = self.ratio, self.unseen_part(np.array([self.stream._next]))[0]  # the next frame given back
        if self.smooth is None and (ratio < self.ramp_top or unseen > 0):
            self._start()
        elif self.smooth is not None and not unseen and not ratio <= self.ramp_top + MARGIN:
            self.smooth, self.outputs = None, {}  # (a NaN ratio: a stream that gave way on joints never seen)
        elif self.smooth is not None:
            self._take(self.smooth.push(x))

    @property
    def ramp_top(self) -> float:
        """The top of the from-above ramp (NaN: not read, 3D)."""
        return float("nan") if self.ramp is None else self.ramp[1]

    def _see(self, x: np.ndarray) -> None:
        """The joints frame ``x`` (V, J, C) shows join those seen so far; the share never seen read anew."""
        if self.max_unseen is None:
            return
        detected = np.isfinite(x).all(-1)
        if self.seen is None and not detected.any():
            return  # nobody yet: nothing to read
        self.seen = detected if self.seen is None else self.seen | detected
        self.unseen = unseen_share(~self.seen[:, None])
        if self.unseen > self.max_unseen:
            self.gave_way = True
        elif self.gave_way and self.seen_at is None:
            self.seen_at = self.pushed  # this frame's index in the stream

    def unseen_part(self, frames: np.ndarray) -> np.ndarray:
        """SmoothNet's share (k,) of the stream's ``frames`` (k,) (indices) for joints never seen: 1 while more than
        ``max_unseen`` of them are and for the frames SynSP's windows from before cover, then falling to 0 over
        :data:`FADE` windows of frames (0 for a stream that never gave way)."""
        if not self.gave_way or self.seen_at is None:
            return np.full(len(frames), float(self.gave_way))
        window = self.stream.refiner.window
        after = frames - (self.seen_at + window - 1)  # the first frame no window from before covers: 1
        return np.clip(1.0 - after / (FADE * window), 0.0, 1.0)

    def put_in(self, count: int) -> None:
        """``count`` frames of NaN put in behind the newest frame pushed (frames the capture dropped,
        :meth:`~synsp.inference.streaming.StreamingRefiner._put_in_behind`): SmoothNet's stream, if running, is
        started anew on the frames held, which now have them."""
        self.held = gaps_behind_newest(self.held, count)
        self.pushed += count
        if self.smooth is not None:
            given = self.stream._next  # the frames given back need no SmoothNet frame any more
            self.outputs = {i: f for i, f in self.outputs.items() if i >= given}
            self._start()

    def _start(self) -> None:
        """SmoothNet's stream, given the frames held (the stream's buffer and :data:`WARM` before)."""
        from synsp.inference.streaming import StreamingRefiner

        fallback = self.stream.refiner.fallback()
        self.smooth = StreamingRefiner(fallback, lag=min(self.stream.lag, fallback.window - 1),
                                       lookahead=self.stream.lookahead)
        self.smooth.cut_switches = False  # the stream it follows tells switches of people
        self.smooth.in_model_joints()  # its frames are that stream's, in the model's joints
        self.fed = self.pushed - len(self.held)
        for frame in self.held:
            self._take(self.smooth.push(frame))

    def _take(self, frames: np.ndarray) -> None:
        frames = frames.reshape(-1, *self.held[-1].shape)
        for frame in frames:
            self.outputs[self.fed] = frame
            self.fed += 1

    def flush(self) -> None:
        """The stream ends: SmoothNet's frames still held, given back."""
        if self.smooth is not None:
            self._take(self.smooth.flush())

    def blend(self, frames: np.ndarray, first: int) -> np.ndarray:
        """The stream's frames (k, V, J, 2) in the input's unit, from frame ``first``, blended with
        SmoothNet's at the running median's share, or per frame the larger share for joints never seen
        (:meth:`unseen_part`; 1: SmoothNet's alone) (:func:`~synsp.inference.foreshortening.with_fallback`;
        the body's size: :meth:`_size`)."""
        fallback = [self.outputs.pop(i, None) for i in range(first, first + len(frames))]
        above = fallback_share(self.ratio, self.ramp) if self.ramp is not None else 0.0
        unseen = self.unseen_part(np.arange(first, first + len(frames)))
        share = max(above, float(unseen.max(initial=0.0)))
        oldest = self.pushed - len(self.held)
        if share and self.smooth is not None and any(f is None for f in fallback) and first >= oldest:
            # SmoothNet's stream waits for its first window (32 frames), SynSP's for 8: till then, SmoothNet
            # offline on the frames so far, as a stream shorter than a window is refined (its last frame repeated)
            early = self.smooth.refiner.refine(np.stack(self.held, axis=1))  # (V, T, J, 2)
            fallback = [early[:, first + i - oldest] if f is None else f for i, f in enumerate(fallback)]
        if not share or not len(frames) or any(f is None for f in fallback):
            return frames  # no SmoothNet's (it stopped or never ran): the network's, at a share of 0
        fallback = np.stack(fallback).astype(frames.dtype)
        if unseen.any():  # per frame (k, 1, 1, 1); those wholly SmoothNet's, its frames
            share = np.maximum(above, unseen)[:, None, None, None]
        blended = with_fallback({"final": frames}, fallback, share, self._size())["final"]
        blended = np.where(np.asarray(share) >= 1, fallback, blended)
        # a joint SmoothNet's stream has not seen, or the stream not by then (offline's stand-in in the early frames)
        return np.where(np.isfinite(fallback) & np.isfinite(frames), blended, frames)

    def _size(self) -> float:
        """The body's size for the blend: the running median of the frames' largest box sides (from above), else
        the largest box side of the frames held (a waist-up stream shows no trunk to read)."""
        if self.sizes:
            return float(np.median(self.sizes))
        held = np.stack(self.held)
        with np.errstate(invalid="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # a view with no joint seen in any frame held
            return float(np.nan_to_num(np.nanmax(np.nanmax(held, -2) - np.nanmin(held, -2))))

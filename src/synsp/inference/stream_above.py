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
"""
from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING

import numpy as np

from synsp.inference.foreshortening import fallback_share, trunk_ratio, with_fallback
from synsp.inference.stream_drops import gaps_behind_newest

if TYPE_CHECKING:
    from synsp.inference.streaming import StreamingRefiner

HISTORY = 512  # per-frame ratios and sizes kept for the running medians; beyond, every other one dropped
MARGIN = 0.15  # a running median this far over the ramp's top drops SmoothNet's stream (under the top: starts it)
WARM = 32  # frames before the oldest not given back that a starting SmoothNet stream is given (its window)


class RunningAbove:
    """The seen-from-above step of one 2D stream (the module docstring): fed every frame the stream
    takes (:meth:`push`, :meth:`flush`), it blends the frames the stream gives back (:meth:`blend`)."""

    def __init__(self, stream: "StreamingRefiner"):
        self.stream = stream
        self.ramp = stream.refiner.foreshortened
        self.ratios: list[float] = []  # per frame: its trunk over its shoulders (median over views)
        self.sizes: list[float] = []  # per frame: its bounding box's largest side (largest over views)
        self.held: deque[np.ndarray] = deque(maxlen=stream.lag + stream.lookahead + WARM + 1)  # last frames
        self.pushed = 0  # frames pushed
        self.smooth: "StreamingRefiner | None" = None  # SmoothNet's stream, while running
        self.fed = 0  # index of the next frame SmoothNet's stream gives back
        self.outputs: dict[int, np.ndarray] = {}  # frame -> (V, J, C) SmoothNet's, until given back

    @classmethod
    def of(cls, stream: "StreamingRefiner") -> "RunningAbove | None":
        """The step for ``stream``, or None where its Refiner does not give way (3D, SmoothNet,
        ``foreshortened = None``, no fallback)."""
        model = stream.refiner
        return cls(stream) if model.foreshortened is not None and model.fallback is not None else None

    @property
    def ratio(self) -> float:
        """The running median of the trunk over shoulder width (NaN: no frame showed them yet)."""
        return float(np.median(self.ratios)) if self.ratios else float("nan")

    def push(self, x: np.ndarray) -> None:
        """One (V, J, 2) frame as the stream took it (NaN: missing)."""
        ratio = trunk_ratio(x[:, None], self.stream.refiner.layout)
        if np.isfinite(ratio):
            self.ratios.append(ratio)
            with np.errstate(invalid="ignore"):
                self.sizes.append(float(np.nanmax(np.nanmax(x, -2) - np.nanmin(x, -2))))
            if len(self.ratios) > HISTORY:  # a bounded cost per frame on long streams: thin the history
                self.ratios, self.sizes = self.ratios[::2], self.sizes[::2]
        self.held.append(x)
        self.pushed += 1
        ratio = self.ratio
        if self.smooth is None and ratio < self.ramp[1]:
            self._start()
        elif self.smooth is not None and ratio > self.ramp[1] + MARGIN:
            self.smooth, self.outputs = None, {}
        elif self.smooth is not None:
            self._take(self.smooth.push(x))

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
        SmoothNet's at the running median's share (:func:`~synsp.inference.foreshortening.with_fallback`;
        the body's size: the running median of the frames' largest box sides)."""
        fallback = [self.outputs.pop(i, None) for i in range(first, first + len(frames))]
        share = fallback_share(self.ratio, self.ramp)
        oldest = self.pushed - len(self.held)
        if share and self.smooth is not None and any(f is None for f in fallback) and first >= oldest:
            # SmoothNet's stream waits for its first window (32 frames), SynSP's for 8: till then, SmoothNet
            # offline on the frames so far, as a stream shorter than a window is refined (its last frame repeated)
            early = self.smooth.refiner.refine(np.stack(self.held, axis=1))  # (V, T, J, 2)
            fallback = [early[:, first + i - oldest] if f is None else f for i, f in enumerate(fallback)]
        if not share or not len(frames) or any(f is None for f in fallback):
            return frames  # no SmoothNet's (it stopped or never ran): the network's, at a share of 0
        fallback = np.stack(fallback).astype(frames.dtype)
        blended = with_fallback({"final": frames}, fallback, share, float(np.median(self.sizes)))["final"]
        return np.where(np.isfinite(fallback), blended, frames)  # a joint SmoothNet's stream has not seen

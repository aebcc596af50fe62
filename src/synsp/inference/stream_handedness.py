"""A mirrored (selfie) 2D stream: the handedness reading (:mod:`synsp.inference.handedness`) on its first frames.

Offline refinement reads a clip's handedness over the whole clip before refining it; a stream cannot wait for it.
So, as its frames arrive, the stream's inputs (model space, in the model's axes its first window was turned to) go
through the network in windows one after another (each frame in one, every other window mirrored left/right as
offline's), as they are and mirrored in x: two windows every ``window`` frames, no frame waiting for them. At
:data:`FIRST_READ` frames, and at twice, four times, ... as many up to :data:`LAST_READ`, the reading is made over all
the frames so far (:func:`~synsp.inference.handedness.correction_ratio`); while it is at least
:data:`~synsp.inference.handedness.MIRROR_READ`, the windows from then on are refined mirrored (the mirror joins the
stream's turn to the model's axes and is undone with it, and the running median of the network's pull,
:mod:`~.stream_convention`, starts afresh). Frames refined before keep their windows. After :data:`LAST_READ` frames
the reading stops (RESULTS section 9, "A mirrored (selfie) 2D stream").
"""
from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np

from synsp.inference import handedness

if TYPE_CHECKING:  # streaming imports this module
    from synsp.inference.streaming import StreamingRefiner

__all__ = ["FIRST_READ", "LAST_READ", "RunningHandedness"]

# Frames the first reading is made on, and the last's (readings at FIRST_READ * 2^k up to it): a clip of the validation
# split is 49 frames or more, so every one is read at least once. Measured, not tuned (benchmarks/selfie_stream.py;
# RESULTS section 9, "A mirrored (selfie) 2D stream").
FIRST_READ = 32
LAST_READ = 128


class RunningHandedness:
    """The handedness reading of one :class:`~synsp.inference.streaming.StreamingRefiner` (module docstring);
    ``ratio`` is its last reading (None before the first, or for a stream it does not read: 3D, SmoothNet, no
    turn to the model's axes) and ``mirrored`` whether the stream refines mirrored now."""

    def __init__(self, stream: StreamingRefiner) -> None:
        model = stream.refiner
        self.reads = bool(model.upright and model.space == "2d" and not model.network.per_coordinate
                          and handedness.MIRROR_READ is not None)
        self.ratio: float | None = None
        self.mirrored = False
        self._next = FIRST_READ  # frames of the next reading
        self._inputs: list[np.ndarray] = []  # (V, J, 2) model-space inputs in the input's axes, until the last read
        self._outputs: list[np.ndarray] = []  # (2, V, F, J, 2) each window's output, as given and mirrored
        self._axes: np.ndarray | None = None  # the first window's turn to the model's axes (the stream's then)

    def add(self, stream: StreamingRefiner, frame: np.ndarray) -> None:
        """Record the stream's input ``frame`` (V, J, 2), model space, before the stream cuts its windows for it (a
        crowd's, :mod:`~.people_stream`, are refined after every person's push: all of them with one turn); refine
        the reading's windows it completes (once the stream's first window was turned), and read at the reading's
        frames (module docstring)."""
        if not self.reads or self._next > LAST_READ:
            return
        self._inputs.append(frame)
        windows, axes = stream.turn
        if not windows:  # the first window decides the turn to the model's axes first
            return
        model, f = stream.refiner, stream.refiner.window
        if not self._outputs:
            self._axes = axes
        while (len(self._outputs) + 1) * f <= len(self._inputs):
            k = len(self._outputs)
            window = np.stack(self._inputs[k * f:(k + 1) * f], axis=1)[None]  # (1, V, F, J, 2)
            window = window if self._axes is None else window @ self._axes.T
            both = np.concatenate([window, window * handedness.FLIP.astype(window.dtype)])
            mirrored = np.repeat(model.mirrored(np.array([k])), 2)  # the window's left/right mirror, both ways
            self._outputs.append(model.refine_windows(both, model.batch_size, mirrored, ("final",))["final"])
        if len(self._outputs) * f >= self._next:
            self._read(stream, len(self._outputs) * f)

    def _read(self, stream: StreamingRefiner, frames: int) -> None:
        """The reading over the first ``frames`` (those in the windows so far); the stream mirrored or back when it
        says so."""
        seq = np.stack(self._inputs[:frames], axis=1)  # (V, T, J, 2)
        seq = seq if self._axes is None else seq @ self._axes.T
        out = np.concatenate(self._outputs, axis=2)  # (2, V, T, J, 2)
        self.ratio = handedness.correction_ratio(out[0], out[1], seq, None)
        self._next *= 2
        if (self.ratio >= handedness.MIRROR_READ) != self.mirrored:
            self.mirrored = not self.mirrored
            stream.mirror_from_now(handedness.FLIP)
        if self._next > LAST_READ:
            self._inputs, self._outputs = [], []

"""A stream's joint definitions: the network's constant pull on each window, and the running
median of them that a stream moves its windows by (offline: the median over the whole clip,
:mod:`synsp.inference.convention_pass`)."""
from __future__ import annotations

from typing import Any

import numpy as np

from synsp.conventions import local_correction, symmetric_part
from synsp.skeleton import Layout

# At most this many windows' pulls are kept for the running median; beyond it every other one
# is dropped, so the median costs the same after an hour as after a minute.
PULL_HISTORY = 512


def window_pull(local: np.ndarray, layout: Layout, symmetric: bool, never: np.ndarray | None = None) -> np.ndarray:
    """The network's constant pull (..., J, C) on windows from their local correction (..., F, J, C)
    (:func:`synsp.conventions.local_correction`); ``symmetric``: its left/right-symmetric part only,
    the part a joint definition can have, but for pairs with a joint ``never`` ((..., J) bool or None) seen so far,
    whose stand-in's pull is the network placing it (:func:`~synsp.conventions.symmetric_part`, as offline)."""
    local = local.mean(axis=-3)
    return symmetric_part(local, layout, never) if symmetric else local


class RunningPull:
    """The pulls (V, J, C) of a stream's windows so far, and their running median (or any values of
    one shape a stream gathers: a loose trunk point's offsets,
    :class:`synsp.inference.stream_layouts.OtherLayout`)."""

    def __init__(self) -> None:
        self.pulls: list[np.ndarray] = []

    def add(self, pull: np.ndarray) -> np.ndarray:
        """Record a window's pull (V, J, C); returns the running median (V, J, C) of them all,
        robust to the windows with gross errors."""
        self.pulls.append(pull)
        if len(self.pulls) > PULL_HISTORY:  # a bounded cost per frame on long streams: thin the history
            self.pulls = self.pulls[::2]
        return self.median()

    def median(self) -> np.ndarray:
        """The running median (V, J, C) of the pulls recorded so far (at least one)."""
        return np.median(self.pulls, axis=0)


def keep_convention(stream: Any, window: np.ndarray, final: np.ndarray, mirrored: np.ndarray) -> np.ndarray:
    """The streaming form of :attr:`Refiner.keep_convention` for a
    :class:`~synsp.inference.streaming.StreamingRefiner`: the window (1, V, F, J, C) is refined again from the
    input moved by the running median of the network's constant pull (``final``: its first output, measured,
    as offline, in the body's local frames; the stream's ``_pull``), then moved back."""
    model = stream.refiner
    frames, local = local_correction(window[0], final[0], model.layout)  # (V, F, J, C, C), (V, F, J, C)
    never = ~stream._seen  # (V, J): joints not seen so far
    pull = stream._pull.add(window_pull(local, model.layout, model.keep_convention == "symmetric",
                                        never if never.any() else None))
    shift = np.einsum("vtjab,vjb->vtja", frames, pull).astype(np.float32)[None]
    return model.refine_windows(window + shift, mirrored=mirrored)["final"] - shift

"""A stream's joint definitions: the network's constant pull on each window, and the running
median of them that a stream moves its windows by (offline: the median over the whole clip,
:mod:`synsp.inference.convention_pass`)."""
from __future__ import annotations

import numpy as np

from synsp.conventions import symmetric_part
from synsp.skeleton import Layout

# At most this many windows' pulls are kept for the running median; beyond it every other one
# is dropped, so the median costs the same after an hour as after a minute.
PULL_HISTORY = 512


def window_pull(local: np.ndarray, layout: Layout, symmetric: bool) -> np.ndarray:
    """The network's constant pull (..., J, C) on windows from their local correction (..., F, J, C)
    (:func:`synsp.conventions.local_correction`); ``symmetric``: its left/right-symmetric part only,
    the part a joint definition can have."""
    local = local.mean(axis=-3)
    return symmetric_part(local, layout) if symmetric else local


class RunningPull:
    """The pulls (V, J, C) of a stream's windows so far, and their running median (or any values of
    one shape a stream gathers: a loose trunk point's offsets,
    :class:`synsp.integrations.stream_layouts.OtherLayout`)."""

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

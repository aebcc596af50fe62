"""A stream's bone lengths: the running mean of each bone's length over the frames given back,
which a 3D stream pulls its bones towards (offline: the clip's median, :mod:`synsp.consistency`)."""
from __future__ import annotations

import numpy as np

from synsp.consistency import frame_lengths, partner_lengths, symmetric_lengths
from synsp.skeleton import Layout


class RunningBoneLengths:
    """Summed bone lengths (V, B) of the frames given back so far, left and right averaged (``total``) and each
    bone's own (``raw``, for a limb never seen so far), and their count."""

    def __init__(self) -> None:
        self.total: np.ndarray | float = 0.0
        self.raw: np.ndarray | float = 0.0
        self.count = 0

    def add(self, frames: np.ndarray, layout: Layout, never: np.ndarray | None = None) -> np.ndarray:
        """(k, V, B) running mean bone lengths (left and right alike), each frame's included,
        after each of the frames (k, V, J, 3) about to be given back; records them. ``never`` ((k, V, J) bool or
        None): joints not seen by each frame, stand-ins whose bones count in their partners' only as far as they
        agree with them, as offline (:func:`synsp.consistency.partner_lengths`)."""
        raw = frame_lengths(frames, layout)
        lengths = symmetric_lengths(raw, layout)
        if not len(frames):
            return lengths
        running = self.total + np.cumsum(lengths, axis=0)
        own = self.raw + np.cumsum(raw, axis=0)
        counts = self.count + np.arange(1, len(frames) + 1)
        self.total, self.raw, self.count = running[-1], own[-1], int(counts[-1])
        if never is not None and never.any():
            return partner_lengths(own / counts[:, None, None], layout, never)
        return running / counts[:, None, None]

"""A limb's length that turns with it (:mod:`synsp.inference.limb_turn`), read in a stream from the frames so far.

Offline, the limbs' drift (the floor step's strength, the clean-input limit's opening, the light-noise route's
share) is read net of the part of each length its turn explains, where that leaves the limbs clean: marker-style
joints (lateral knee, ankle, elbow and wrist markers) change length as the limb turns, which read as an estimator's
drift. A stream reads its limbs' drift as a running median (:mod:`synsp.inference.stream_floor`) and read the
markers' turn as drift too: clean marker-style runs and sprints moved 8.46 mm through ``synsp stream`` against
offline's 0.88 (benchmarks/RESULTS.md, section 9, "Marker-style joints in a stream").

:class:`RunningLimbTurn` reads :func:`~synsp.inference.limb_turn.limb_drift` and
:func:`~synsp.inference.floor.bone_drift` on the last :data:`WINDOW` inputs given back, again every :data:`EVERY`
frames from the :data:`FIRST`-th, and gives their ratio where the turn lowers the reading (else exactly 1): the
stream's running drift is scaled by it, so a stream whose lengths no turn explains reads as before, bit for bit.
"""
from __future__ import annotations

import numpy as np

from synsp.inference.floor import bone_drift
from synsp.inference.limb_turn import limb_drift
from synsp.inference.stream_joint_drift import EVERY, WINDOW, RecentInputs  # read as the joints' drift, its buffer
from synsp.skeleton import Layout

__all__ = ["FIRST", "EVERY", "WINDOW", "RunningLimbTurn"]

# Frames given back before the first reading: the turn's out-of-sample test cuts the window into four blocks and
# needs 24 frames in each half (turn_fit), so 48 at least; validation's sprints are 70-93 frames long. From 48 a
# `clean-ish` clip read a turn (bye_tired, 0.00187 -> 0.00102 at frame 48) and another from 56; from 64 none of
# the 65 validation clips of any preset does (clean marker sprints 8.46 mm: 6.33 from 48, 6.85 from 64).
FIRST = 64


class RunningLimbTurn:
    """Per person, the share of the limbs' drift left once their turn is taken off (:func:`limb_drift` over
    :func:`bone_drift`, at most 1) on a stream's inputs so far; ``layout`` the model's joints (3D), ``recent`` the
    inputs' buffer, its owner fills it (shared with the joints' drift)."""

    def __init__(self, layout: Layout, recent: RecentInputs):
        self.layout, self.recent = layout, recent
        self._read_at = 0
        self.factor: np.ndarray | None = None  # (V,) in (0, 1]; None: not read yet, or no turn read

    def read(self) -> np.ndarray | None:
        """The factor (V,) on the buffer's inputs, read again every :data:`EVERY` frames; None before :data:`FIRST`
        frames or while no turn lowers any person's reading."""
        count = self.recent.count
        if count >= FIRST and count - self._read_at >= (EVERY if self._read_at else 0):
            x = np.moveaxis(self.recent.frames, 0, -3)  # (V, n, J, 3)
            plain = bone_drift(x, self.layout)
            turned = limb_drift(x, self.layout, plain=plain)
            lower = turned < plain
            self.factor = np.where(lower, turned / np.maximum(plain, 1e-12), 1.0) if lower.any() else None
            self._read_at = count
        return self.factor

"""Joint definitions that drift (:mod:`synsp.inference.joint_drift`), read in a stream from the frames so far.

Offline, each joint whose rigid distances keep still on a clip whose limbs drift gets the floor step back: a few
joints' definitions drifting (a wrist or knee point that moves with the pose or the view), not an estimator's drift
of the whole body, which the network's slow correction is there to fix. A stream has only the frames it gave back,
so :class:`RunningJointDrift` reads :func:`~synsp.inference.joint_drift.joint_floor_shares` on the last
:data:`WINDOW` inputs, again every :data:`EVERY` frames, and reads nothing over the first :data:`GUARD` frames: a
drift needs that long to stand out of the noise.
Validation (benchmarks/drifting_definitions.py --methods synsp stream, 8 clips; RESULTS section 9, "A joint definition
that drifts, in a stream"): the joints with no drift, wrists and knees 96 mm, 8.72 -> 8.05 mm (offline 7.16), out and
back 8.69 -> 8.08 (6.52); no drift as before.
"""
from __future__ import annotations

import numpy as np

from synsp.inference.joint_drift import joint_floor_shares
from synsp.skeleton import Layout

__all__ = ["GUARD", "EVERY", "WINDOW", "RecentInputs", "RunningJointDrift"]

# Frames before the first reading (3 s at 30 fps). Validation (the drifting benchmark's 8 clips, the stream; wrists
# and knees 96 mm / 48 mm out and back, mm on the joints with no drift): 150 8.15 / 8.15, 90 7.44 / 7.37, 75 7.38 /
# 7.22; but from 60 a `clean-ish` clip's window gives a joint the step (41, at frame 60), from 75 a `jitter` one (59),
# from 90 none of the 65 validation clips of any preset (RESULTS section 9, "A joint definition that drifts, read
# from 90 frames").
GUARD = 90
# Frames between readings: a drift builds over seconds, and each reading filters the whole window.
EVERY = 15
# Frames read back (20 s at 30 fps): a slow drift over the window, not over the whole stream's history.
WINDOW = 600


class RecentInputs:
    """A stream's last :data:`WINDOW` inputs given back, (n, V, J, 3) float64 model space, and how many frames it has
    given back in all: one buffer for the readings on them (the joints' drift here, the limbs' turn,
    :class:`~synsp.inference.stream_limb_turn.RunningLimbTurn`)."""

    def __init__(self):
        self.frames: np.ndarray | None = None  # (n, V, J, 3), n <= WINDOW
        self.count = 0

    def add(self, inputs: np.ndarray) -> None:
        """Take the inputs (k, V, J, 3) of the frames given back now."""
        inputs = np.asarray(inputs, np.float64)
        self.frames = inputs if self.frames is None else np.concatenate([self.frames, inputs])[-WINDOW:]
        self.count += len(inputs)


class RunningJointDrift:
    """Per person, each joint's share of the floor step given back (:func:`joint_floor_shares`) on a stream's
    inputs so far; ``layout`` the model's joints (3D), ``recent`` the inputs' buffer, its owner fills it (shared
    with the limbs' turn)."""

    def __init__(self, layout: Layout, recent: RecentInputs):
        self.layout, self.recent = layout, recent
        self._read_at = 0
        self.shares: np.ndarray | None = None  # (V, J) in {0, 1}; None: not read yet

    def read(self) -> np.ndarray | None:
        """The shares (V, J) on the buffer's inputs, read again every :data:`EVERY` frames; None before
        :data:`GUARD` frames."""
        count = self.recent.count
        if count >= GUARD and (self.shares is None or count - self._read_at >= EVERY):
            self.shares = joint_floor_shares(np.moveaxis(self.recent.frames, 0, -3), self.layout)
            self._read_at = count
        return self.shares

"""Nearly clean input kept (:mod:`synsp.inference.clean`) on a live stream.

Offline, each joint's correction is limited to what the input's own noise justifies, with the
noise and the correction measured over the whole clip. A stream measures both over the frames it
has given back so far: the input's part above :data:`~synsp.inference.clean.NOISE_BAND` of the
Nyquist rate is read by the same zero-phase filter over the last :data:`HISTORY` input frames and
the ones after them that have arrived, and taken at the frames given back now (the stream's first
frame reads it over those after it too: the filter's fast part is ~0 at the stream's edge, which read as clean
input and gave every stream's, a new person's, a cut's first frame back unrefined). The share of each
joint's correction kept is then the offline one, from these running figures: one number per joint
that settles as the stream goes on, so a clean stream is left nearly as offline leaves it, and a
noisy one keeps its whole correction. What it gains: benchmarks/RESULTS.md, section 12, "A stream
of nearly clean input". A crowd's people (:mod:`synsp.inference.people_stream`) read their noise
in one filter call (:func:`clean_steps`). In 3D the step's output then goes, where the errors read as
light noise only, to :mod:`synsp.inference.stream_noise_only` (offline: :mod:`synsp.inference.noise_only`).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.inference.clean import (
    DRIFT_OPEN,
    GRID_SAMPLE,
    NOISE_BAND,
    NOISE_RAMP,
    fast_part,
    grid_counts,
    grid_step,
    grid_step_of,
    opened,
    without_grid,
)
from synsp.inference.stream_floor import filter_together
from synsp.inference.stream_noise_only import RunningNoiseOnly
from synsp.inference.stream_unseen_motion import RunningUnseenMotion
from synsp.inference.stream_white_noise import RunningWhiteNoise, below_mid
from synsp.sequence import body_size, box_sides, sorted_median

HISTORY = 64  # input frames before the ones given back that the noise filter runs over


class RunningCleanStep:
    """:func:`synsp.inference.clean.keep_to_noise` for one stream in ``space`` ("3d" or "2d").

    ``drift`` gives the limbs' drift so far, (V,) body sizes or None (3D: the stream's floor step
    measures it, :attr:`~synsp.inference.stream_floor.RunningFloorStep.drift`); a drift over
    :data:`~synsp.inference.clean.DRIFT_OPEN` keeps the whole correction, as offline."""

    def __init__(self, space: str, drift: Callable[[], np.ndarray | None] | None = None,
                 white: RunningWhiteNoise | None = None, unseen: RunningUnseenMotion | None = None):
        self.ramp = NOISE_RAMP[space]
        self.drift = drift
        self.white = white  # 2D: the slow part of the correction limited first where the noise is white
        # light noise only: each joint the nearer of the output and a low-pass (stream_noise_only), last
        self.noise_only = RunningNoiseOnly.of(space, drift)
        self.unseen = unseen  # 2D: a motion the network never saw given the low-pass (stream_unseen_motion), last
        self._noise = 0.0  # (V, J) summed squared fast part of the input over the frames given back
        self._correction = 0.0  # (V, J) summed squared correction of those frames
        self._count = 0
        self._grids: dict[int, np.ndarray] = {}  # frame -> its values' grid_counts (grid)
        self._grid_total = 0  # their sum

    def grid(self, frames: list[int], raw: dict[int, np.ndarray]) -> float | None:
        """:func:`~synsp.inference.clean.grid_step` of the input frames ``raw[i]`` (V, J, C) for ``i`` in
        ``frames`` stacked, from each frame's :func:`~synsp.inference.clean.grid_counts`, counted once
        per frame (a stream's history shifts by a frame or two each time); None for frames too many
        for the sum to be it (grid_step would read a sample of them)."""
        if len(frames) * raw[frames[0]].size >= 2 * GRID_SAMPLE:
            return None
        grids, wanted = self._grids, set(frames)
        for i in [i for i in grids if i not in wanted]:  # integer counts: the running total stays exact
            self._grid_total = self._grid_total - grids.pop(i)
        for i in frames:
            if i not in grids:
                grids[i] = grid_counts(raw[i])
                self._grid_total = self._grid_total + grids[i]
        return grid_step_of(self._grid_total)

    def __call__(self, outputs: np.ndarray, inputs: np.ndarray, around: np.ndarray, at: int) -> np.ndarray:
        """``outputs`` (k, V, J, C) refined from ``inputs`` (k, V, J, C, no NaN), both in one unit,
        with the correction limited to the running noise; ``around`` (n, V, J, C) holds input frames
        before and after them, ``inputs`` being its rows ``at``..``at + k``. Returns (k, V, J, C)."""
        return clean_steps([(self, (outputs, inputs, around, at))])[0]

    def _take(self, fast: np.ndarray, sizes: np.ndarray, below: np.ndarray | None, outputs: np.ndarray,
              inputs: np.ndarray, around: np.ndarray, at: int, grid: float | None = None) -> np.ndarray:
        """:meth:`__call__` from ``fast`` (n, V, J, C), the :func:`fast_part` of ``around``, and
        ``sizes`` (1, V), the body size of each of its views; ``below`` (n, V, J, C): ``around``'s
        :func:`~synsp.inference.stream_white_noise.below_mid` where :attr:`white` is set (else None);
        ``grid``: ``around``'s grid step if known (:meth:`grid`), else read here."""
        k = len(outputs)
        self._noise = self._noise + np.sum(fast[at:at + k] ** 2, axis=(0, 3))
        noise = np.sqrt(self._noise / (self._count + k) / (1.0 - NOISE_BAND))  # (V, J)
        if not self._count:  # the stream's first frame(s): the zero-phase filter's fast part is ~0 at its edge,
            # which read as clean input and gave frame 0 back unrefined; read over the frames after them too
            noise = np.sqrt(np.mean(np.sum(fast[at:] ** 2, axis=-1), axis=0) / (1.0 - NOISE_BAND))
        step = grid_step(around) if grid is None else grid
        if self.white is not None:  # offline: limit_slow, then keep_to_noise on its output
            outputs = self.white(outputs, inputs, fast[at:at + k], below[at:at + k], noise, step ** 2 / 12.0)
        diff = np.asarray(outputs, np.float64) - inputs
        self._correction = self._correction + np.nansum(diff ** 2, axis=(0, 3))
        self._count += k
        level = without_grid(noise, step, around.shape[-1])  # rounding is no estimator's noise
        whole = opened(sorted_median(level, axis=-1) / np.maximum(sizes[0], 1e-12), self.ramp)  # (V,)
        drift = None if self.drift is None else self.drift()
        if drift is not None:  # slow errors without fast noise: no clean input
            whole = np.maximum(whole, opened(drift, DRIFT_OPEN))
        if not (whole >= 1).all():
            limited = np.minimum(1.0, noise ** 2 / np.maximum(self._correction / self._count, 1e-24))
            gain = np.maximum(whole[:, None], limited)  # (V, J)
            outputs = (inputs + gain[None, :, :, None] * diff).astype(outputs.dtype)
        level = sorted_median(noise, axis=-1) / np.maximum(sizes[0], 1e-12)  # (V,) body sizes
        if self.noise_only is not None:  # offline: each joint the nearer of the whole route and a low-pass
            outputs = self.noise_only(outputs, inputs, around, at, noise, level)
        if self.unseen is not None:  # offline: after the clean-input limit
            outputs = self.unseen(outputs, around, at, noise, level)
        return outputs


def clean_steps(calls: list[tuple[RunningCleanStep, tuple]]) -> list[np.ndarray]:
    """Each ``step(outputs, inputs, around, at)`` of ``calls`` (and ``around``'s grid step, if known:
    :meth:`RunningCleanStep.grid`), as :meth:`RunningCleanStep.__call__` gives it, the noise filters
    of every ``around`` of the same length in one call (a crowd's people:
    :func:`~synsp.inference.stream_floor.filter_together`), and their body sizes too."""
    out = [arguments[0] for _, arguments in calls]
    busy = [i for i, (_, arguments) in enumerate(calls) if len(arguments[0])]
    fast = filter_together([np.asarray(calls[i][1][2], np.float64) for i in busy], _fast)
    sizes = filter_together([np.asarray(calls[i][1][2]) for i in busy], _sizes)
    white = [i for i in busy if calls[i][0].white is not None]
    below = dict(zip(white, filter_together([np.asarray(calls[i][1][2]) for i in white], below_mid)))
    for i, track, size in zip(busy, fast, sizes):
        step, arguments = calls[i]
        out[i] = step._take(track, size, below.get(i), *arguments)
    return out


def _fast(track: np.ndarray) -> np.ndarray:
    """:func:`fast_part` of a (n, V, J, C) track, time first."""
    return np.moveaxis(fast_part(np.moveaxis(track, 0, -3)), -3, 0)


def _sizes(track: np.ndarray) -> np.ndarray:
    """(1, V) :func:`~synsp.sequence.body_size` of each view of a (n, V, J, C) track, time first,
    float64; without NaN, every view's in one median."""
    if not np.isfinite(track).all():
        return np.array([[body_size(view) for view in np.moveaxis(track, 0, -3)]])
    return sorted_median(box_sides(track).max(axis=-1), axis=0)[None].astype(np.float64)

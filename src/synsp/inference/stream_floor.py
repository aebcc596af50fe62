"""The floor step (:mod:`synsp.inference.floor`) on a live stream, from what has arrived so far.

Offline, the step weighs the slow part of the network's correction over the whole clip against
the model's floor, with a strength scaled by the clip's limb drift, and filters without phase
over the whole clip. A stream has the frames it gave back and the ``lag`` frames after the one
it gives back now (their inputs whole, their refinement from the windows complete so far), so:

- the slow part of the correction and of the limbs' lengths is the same zero-phase filter run on
  the last :data:`HISTORY` frames given back plus those later frames, read at the frames given
  back now (near the newest frame, with less of the future than offline);
- the correction's RMS, the limbs' centre and the body's size are running means over the frames
  given back so far; the limb drift is the median of a bounded history (as offline, the median
  over frames); in 3D the step fades in over the stream's first :data:`HISTORY` frames, before
  which the drift cannot be told from jitter. 2D has no drift cue and takes the whole strength
  from the first frame (validation, 30 clips: `jitter` 0.760 -> 0.752 x input, `typical` 0.9015 ->
  0.9025, clean moved 0.074 -> 0.073 px; 0.5 px of white noise, 8 clips, 0.583 -> 0.542 px, the
  first 48 frames 0.998 -> 0.881; benchmarks/RESULTS.md, section 12, "A 2D stream of light white
  noise", last paragraph).

The correction is measured from the input itself rather than from its 6 Hz Butterworth: their
slow parts are the same.
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.inference.floor import drift_factor, kept_share, limb_lengths, slow_part
from synsp.inference.stream_joint_drift import RecentInputs, RunningJointDrift
from synsp.inference.stream_limb_turn import RunningLimbTurn
from synsp.sequence import box_sides, sorted_median
from synsp.skeleton import Layout

# Frames given back that the filters look back over: a 2 Hz filter's response lasts ~0.5 s. The
# step also fades in over as many frames: the limbs' drift needs that long to be told from jitter.
HISTORY = 32
# At most this many frames' limb changes are kept for the drift's median; beyond it every other
# one is dropped, so the median costs the same after an hour as after a minute.
DRIFT_HISTORY = 1024


class RunningFloorStep:
    """The floor step for one stream (see the module docstring).

    Parameters
    ----------
    floor : (J,) the model's floor, in body sizes (:attr:`Refiner.floor`).
    shrink : the step's whole strength (:attr:`Refiner.shrink`).
    layout : the model's joints; ``ramp`` the drift ramp (None: no limb cue, as in 2D).
    """

    def __init__(self, floor: np.ndarray, shrink: float, layout: Layout, ramp: tuple[float, float] | None):
        self.floor2 = shrink * np.asarray(floor, np.float64) ** 2
        self.layout, self.ramp = layout, ramp
        self._corrections: np.ndarray | None = None  # (n, V, J, C) of the last HISTORY frames given back
        self._lengths: np.ndarray | None = None  # (n, V, B) limb lengths of their inputs
        self._slow_sq = 0.0  # (V, J) summed squared slow correction of the frames given back
        self._length_sum = 0.0  # (V, B) summed limb lengths
        self._size_sum = 0.0  # (V,) summed per-frame body extents
        self._count = 0
        self._changes: np.ndarray | None = None  # (n, V, B) |slow limb change| per frame, for the median
        self.drift: np.ndarray | None = None  # (V,) the limbs' drift so far (body sizes; 3D), the clean step reads it
        # (V,) the strength's multiplier from the second pass (2D: synsp.inference.stream_repeat); None: 1
        self.scale: np.ndarray | None = None
        # 3D: joints whose own rigid distances keep still where the limbs drift get the step back (a few joints'
        # definitions drifting; inference.stream_joint_drift); None: no reading yet
        self._recent = RecentInputs() if ramp is not None else None  # the inputs both 3D readings below read
        self._joints = RunningJointDrift(layout, self._recent) if ramp is not None else None
        self._own: np.ndarray | None = None
        # 3D: the limbs' drift net of their turn (marker-style joints; inference.stream_limb_turn); None: as read
        self._turn = RunningLimbTurn(layout, self._recent) if ramp is not None else None
        self._turned: np.ndarray | None = None

    def __call__(self, refined: np.ndarray, inputs: np.ndarray, later_refined: np.ndarray,
                 later_inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Keep the correction of frames given back now in proportion to its floor.

        ``refined``, ``inputs``: (k, V, J, C) the frames given back now and their inputs (model
        space); ``later_refined``, ``later_inputs``: (m, V, J, C) the frames after them, refined
        from the windows complete so far. Returns ``refined`` with the step taken, and
        ``later_refined`` with the same share of their slow correction taken (what the stream's
        low-pass reads after them, :mod:`synsp.inference.stream_lowpass`).
        """
        return floor_steps([(self, (refined, inputs, later_refined, later_inputs))])[0]

    def _tracks(self, refined: np.ndarray, inputs: np.ndarray, later_refined: np.ndarray,
                later_inputs: np.ndarray) -> tuple[np.ndarray, tuple]:
        """The stream's corrections and limb-length changes to filter, (n, V, J * C + B), time
        first, and what :meth:`_take` needs after the filter; the running sums are updated."""
        k = len(refined)
        correction = np.asarray(refined, np.float64) - inputs
        if self._recent is not None:
            self._recent.add(inputs)
        if self._joints is not None:
            self._own = self._joints.read()
        if self._turn is not None:
            self._turned = self._turn.read()
        lengths = limb_lengths(np.concatenate([inputs, later_inputs]).astype(np.float64), self.layout)
        self._count += k
        self._length_sum = self._length_sum + lengths[:k].sum(axis=0)
        extent = box_sides(inputs)  # (k, V, C)
        self._size_sum = self._size_sum + extent.max(axis=-1).sum(axis=0)

        if self._corrections is None:
            self._corrections, self._lengths = correction[:0], lengths[:0]
            self._changes = lengths[:0]
        past = len(self._corrections)
        track = np.concatenate([self._corrections, correction, np.asarray(later_refined, np.float64) - later_inputs])
        change = np.concatenate([self._lengths, lengths])
        change = change - self._length_sum / self._count
        n, v = len(track), track.shape[1]
        return np.concatenate([track.reshape(n, v, -1), change], axis=-1), (refined, correction, lengths, past,
                                                                             later_refined)

    def _take(self, slow_tracks: np.ndarray, kept: tuple) -> tuple[np.ndarray, np.ndarray]:
        """The step on the frames given back and the frames after, from the filtered tracks
        (n, V, J * C + B) of :meth:`_tracks`."""
        refined, correction, lengths, past, later_refined = kept
        k = len(refined)
        both = slow_tracks[past:past + k]
        split = correction.shape[-2] * correction.shape[-1]
        slow, slow_change = both[..., :split].reshape(correction.shape), both[..., split:]  # (k, V, J, C), (k, V, B)
        later_slow = slow_tracks[past + k:, :, :split].reshape(later_refined.shape)
        size = np.maximum(self._size_sum / self._count, 1e-9)  # (V,)
        self._slow_sq = self._slow_sq + (slow ** 2).sum(axis=-1).sum(axis=0)
        rms = np.sqrt(self._slow_sq / self._count) / size[:, None]  # (V, J) in body sizes

        strength = np.ones(len(size))[:, None]  # (V, 1), or (V, J) where joints read their own (3D, below)
        if self.ramp is not None:
            self._changes = np.concatenate([self._changes, np.abs(slow_change)])
            if len(self._changes) > DRIFT_HISTORY:
                self._changes = self._changes[::2]
            self.drift = drift = sorted_median(self._changes, axis=0).mean(axis=-1) / size  # (V,)
            if self._turned is not None:  # as offline (limb_turn.limb_drift): the part the limbs' turn explains off
                self.drift = drift = drift * self._turned
            strength = drift_factor(drift, self.ramp)[:, None]
            if self._own is not None:  # as offline (floor_pass): the larger of the clip's and the joint's own
                strength = np.maximum(strength, self._own)
        if self.scale is not None:
            strength = strength * self.scale[:, None]
        if self.ramp is not None:  # 3D: the limbs' drift needs HISTORY frames to be told from jitter
            strength = strength * min(1.0, self._count / HISTORY)
        gain = kept_share(rms, strength * self.floor2)

        self._corrections = np.concatenate([self._corrections, correction])[-HISTORY:]
        self._lengths = np.concatenate([self._lengths, lengths[:k]])[-HISTORY:]
        drop = (1.0 - gain)[None, :, :, None]
        return ((refined - drop * slow).astype(refined.dtype),
                (later_refined - drop * later_slow).astype(later_refined.dtype))


def floor_steps(calls: list[tuple[RunningFloorStep, tuple]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each ``step(*arguments)`` of ``calls``, as :meth:`RunningFloorStep.__call__` gives it, with the
    zero-phase filters of every track of the same length in one call (:func:`filter_together`)."""
    prepared = [step._tracks(*arguments) for step, arguments in calls]
    slow = filter_together([tracks for tracks, _ in prepared], _slow)
    return [step._take(tracks, kept) for (step, _), tracks, (_, kept) in zip(calls, slow, prepared)]


def filter_together(tracks: list[np.ndarray], run: Callable[..., np.ndarray],
                    extras: list[np.ndarray] | None = None) -> list[np.ndarray]:
    """``run(track)`` for each (n, V, ...) track, time first: tracks of the same length go through
    it joined along V, so that a crowd's streams pay a filter's setup once per frame, not once per
    person. ``run`` must treat each index of V alone. ``extras``: per track, a (V, ...) array joined
    the same way and given to ``run`` as its second argument (each person's own settings)."""
    out: list[np.ndarray | None] = [None] * len(tracks)
    for n in {len(track) for track in tracks}:
        same = [i for i, track in enumerate(tracks) if len(track) == n]
        bounds = np.cumsum([0] + [tracks[i].shape[1] for i in same])
        settings = [] if extras is None else [np.concatenate([extras[i] for i in same])]
        filtered = run(np.concatenate([tracks[i] for i in same], axis=1), *settings)
        for i, a, b in zip(same, bounds[:-1], bounds[1:]):
            out[i] = filtered[:, a:b]
    return out


def _slow(track: np.ndarray) -> np.ndarray:
    """:func:`synsp.inference.floor.slow_part` of a (T, V, N) track, time first."""
    return np.moveaxis(slow_part(np.moveaxis(track, 0, -2)[..., None]), -3, 0)[..., 0]

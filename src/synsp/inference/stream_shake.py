"""A whole body shaking (:mod:`synsp.inference.body_shake`) on a live stream: a detector's box,
the body's size and orientation wobbling.

Offline, the shake ratio (:func:`~synsp.inference.body_shake.shake_ratio`: the RMS of the joints'
mean of the input's part above 12 Hz over the RMS of the rest of it) is read over the whole clip,
and where it shows a whole-body shake the output's joint-mean track (2D) is low-passed at
:data:`~synsp.inference.body_shake.SHAKE_HZ` over the whole clip; likewise the wobble ratios
(:func:`~synsp.inference.body_shake.wobble_ratios`, 2D and 3D) bring the output's per-frame size
and orientation to their low-pass. A stream reads all of them as it reads the rest of its
clip-level steps:

- the ratio over the frames given back so far: the input's fast part by the same zero-phase filter
  over the last :data:`HISTORY` input frames given back, the ones given back now and those after
  them that have arrived, read at the frames given back now and summed into running figures (as
  :mod:`synsp.inference.stream_clean` reads its noise); the share of the step is offline's, from
  them (:data:`~synsp.inference.body_shake.SHAKE_RAMP`), on the frames after the first
  :data:`MIN_FRAMES` (those come back as they were), times offline's share of the shake's level
  (:data:`~synsp.inference.body_shake.SHAKE_LEVEL`: a shake is there in most frames, not in a few
  jumps) over the last :data:`LEVEL_HISTORY` frames given back; the wobble ratios likewise, from
  per-frame sums (:func:`~synsp.inference.body_shake.wobble_energies`), their shares offline's
  (:data:`~synsp.inference.body_shake.WOBBLE_RAMP`), after the first :data:`MIN_FRAMES` frames;
- the joint-mean track by the same zero-phase filter over the last :data:`HISTORY` frames given
  back (as they were before this step), the ones given back now and the ``lag`` frames after, read
  at the frames given back now (as :mod:`synsp.inference.stream_lowpass` low-passes the output);
  then the size and orientation, as offline (:func:`~synsp.inference.body_shake.steady_size_and_turn`),
  over the same frames (the last HISTORY given back as they were before that step).

A person whose shares are 0 gets their frames as they came, bit for bit. A crowd's people
(:mod:`synsp.inference.people_stream`) run each filter in one call per track length
(:func:`shake_steps`). What it gains: benchmarks/RESULTS.md, section 4, "A detector's box shaking
the whole body", and section 12, "A stream steadies a wobbling size and orientation".
"""
from __future__ import annotations

import numpy as np

from synsp.filters import butterworth, cutoff_for
from synsp.inference.body_shake import (
    SHAKE_RAMP,
    energy_ratios,
    level_of,
    shake_energies,
    steady_size_and_turn,
    torso_joints,
    track_share,
    wobble_energies,
    wobble_share,
)
from synsp.inference.clean import fast_part
from synsp.inference.stream_floor import HISTORY, filter_together
from synsp.inference.stream_lowpass import STREAM_FPS
from synsp.sequence import body_sizes
from synsp.skeleton import Layout

# Input frames given back before the step acts: the ratio over the first few is one or two
# frames' fast part at the filter's edge, up to 3.5 on the validation clips of `typical`, `hard`,
# `jitter`, `clean-ish` and `synthetic` (all 65) whose whole clips read at most 0.52; from 8 frames
# at most 0.58, from 16 0.53, from 32 0.50 (RESULTS section 4, "A detector's box shaking the whole body").
MIN_FRAMES = 16
# Frames given back whose whole-body fast part the level (offline: :func:`body_shake.shake_level`, over
# the whole clip) takes its median over: the last this many.
LEVEL_HISTORY = 300


class RunningShake:
    """The whole-body shake step for one stream, its track low-passed at ``hz`` Hz where the
    running shake ratio is over ``ramp`` (``track``: else not, as offline in 3D), its size (read on
    ``layout``'s torso) and orientation where the running wobble ratios are over offline's ramp
    (see the module docstring)."""

    def __init__(self, hz: float, ramp: tuple[float, float] = SHAKE_RAMP, *, track: bool = True,
                 layout: str | Layout | None = None):
        self.hz = hz
        self.ramp = ramp
        self.track = track
        self.torso = torso_joints(layout)
        self.cutoff = cutoff_for(hz, STREAM_FPS)
        self._inputs: np.ndarray | None = None  # (n, V, J, C) the last HISTORY inputs given back
        self._track: np.ndarray | None = None  # (n, V, 1, C) their output's joint-mean track, before the step
        self._wholes: np.ndarray | None = None  # (n, V) shake_energies' first column, the last LEVEL_HISTORY given back
        # (V, 5) :func:`_energies` summed over the frames given back: shake_energies (the joints' mean of
        # the fast part, the rest of it), then wobble_energies (scaling, turn, rest)
        self._sums = 0.0
        self._steadied: np.ndarray | None = None  # (n, V, J, C) the last HISTORY given back, after the track step
        self._count = 0

    def at_rate(self, rate: float | None) -> None:
        """Filter as offline does a clip refined as if filmed at ``rate`` fps (None: the stream's
        30; :mod:`synsp.inference.stream_pace`): the cut-off offline takes there, in the stream's time."""
        rate = STREAM_FPS if rate is None else float(rate)
        self.cutoff = cutoff_for(self.hz, rate) * STREAM_FPS / rate

    @property
    def ratio(self) -> np.ndarray | float:
        """(V,) the shake ratio over the frames given back so far (0.0 before any; 0 without the track
        step, ``track`` False: its energies are not read)."""
        if not self._count:
            return 0.0
        return energy_ratios(self._sums[:, :2])[0]

    @property
    def wobble(self) -> tuple[np.ndarray, np.ndarray] | float:
        """(size, turn), each (V,), the wobble ratios over the frames given back so far (0.0 before any)."""
        return energy_ratios(self._sums[:, 2:]) if self._count else 0.0

    @property
    def level(self) -> np.ndarray | float:
        """(V,) the whole body's fast part over the last :data:`LEVEL_HISTORY` frames given back, its
        median size in body sizes (:func:`~synsp.inference.body_shake.shake_level`; 0.0 before any)."""
        if self._wholes is None or self._inputs is None:
            return 0.0
        return level_of(np.moveaxis(self._wholes, 0, -1), body_sizes(np.moveaxis(self._inputs, 0, -3)))

    def __call__(self, frames: np.ndarray, inputs: np.ndarray, later: np.ndarray,
                 later_inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``frames`` (k, V, J, C) given back now, refined from ``inputs`` (k, V, J, C, no NaN), with
        ``later`` (m, V, J, C) the frames after them as refined so far and ``later_inputs`` theirs:
        ``frames`` and ``later`` with their joint-mean track, size and orientation steadied where the
        stream shakes as a whole (``later`` so, for the low-pass after this step to see the track it
        will be at its edge)."""
        return shake_steps([(self, (frames, inputs, later, later_inputs))])[0]

    def _input_track(self, inputs: np.ndarray, later_inputs: np.ndarray) -> tuple[np.ndarray, int]:
        given = inputs[:0] if self._inputs is None else self._inputs
        self._inputs = np.concatenate([given, inputs])[-HISTORY:]
        return np.concatenate([given, inputs, later_inputs]).astype(np.float64), len(given)

    def _mean_track(self, frames: np.ndarray, later: np.ndarray) -> tuple[np.ndarray, int]:
        now = np.asarray(frames, np.float64).mean(axis=-2, keepdims=True)
        given = now[:0] if self._track is None else self._track
        self._track = np.concatenate([given, now])[-HISTORY:]
        return np.concatenate([given, now, np.asarray(later, np.float64).mean(axis=-2, keepdims=True)]), len(given)

    def _steadied_track(self, frames: np.ndarray, later: np.ndarray) -> tuple[np.ndarray, int]:
        given = frames[:0] if self._steadied is None else self._steadied
        self._steadied = np.concatenate([given, frames])[-HISTORY:]
        return np.concatenate([given, frames, later]).astype(np.float64), len(given)

    def _add(self, energies: np.ndarray) -> None:
        """Add ``energies`` (k, V, 5), the frames given back now's :func:`_energies`, to the running figures."""
        self._sums = self._sums + energies.sum(axis=0)
        self._count += len(energies)
        given = energies[:0, :, 0] if self._wholes is None else self._wholes
        self._wholes = np.concatenate([given, energies[..., 0]])[-LEVEL_HISTORY:]


def _shares(steps: list[RunningShake], energies: list[np.ndarray]) -> list[np.ndarray]:
    """Per step, (V, 3) the track, size and orientation steps' shares after adding its ``energies``
    (k, V, 5), the frames given back now's :func:`_energies`, to its running figures (offline:
    :func:`~synsp.inference.body_shake.shake_shares`); the ratios and the wobbles' shares of every
    step in one go (:func:`~synsp.inference.body_shake.energy_ratios` of a crowd's people side by side)."""
    for step, part in zip(steps, energies):
        step._add(part)
    if not steps:
        return []
    sums = np.concatenate([step._sums for step in steps])  # (sum of V, 5)
    ratio = energy_ratios(sums[:, :2])[0]  # the shake ratio, as RunningShake.ratio
    wobbles = wobble_share(np.stack(energy_ratios(sums[:, 2:]), -1))  # (sum of V, 2): size, turn
    out = []
    bounds = np.cumsum([0] + [part.shape[1] for part in energies])  # each step's rows among them
    for step, part, start, stop in zip(steps, energies, bounds[:-1], bounds[1:]):
        shares = np.zeros((stop - start, 3))
        out.append(shares)
        rows = slice(start, stop)
        if step._count - len(part) < MIN_FRAMES:  # the first MIN_FRAMES frames come back as they were
            continue
        if step.track and ratio[rows].max() > step.ramp[0]:  # else the level (body sizes of the history) is not needed
            shares[:, 0] = track_share(ratio[rows], step.level, step.ramp)
        shares[:, 1:] = wobbles[rows]
    return out


def shake_steps(calls: list[tuple[RunningShake, tuple]]) -> list[tuple[np.ndarray, np.ndarray]]:
    """Each ``step(frames, inputs, later, later_inputs)`` of ``calls``, as
    :meth:`RunningShake.__call__` gives it, each filter of every track of the same length (and
    cut-off) in one call (a crowd's people: :func:`~synsp.inference.stream_floor.filter_together`)."""
    out = [(arguments[0], arguments[2]) for _, arguments in calls]
    busy = [i for i, (_, arguments) in enumerate(calls) if len(arguments[0])]
    tracks = [calls[i][0]._input_track(calls[i][1][1], calls[i][1][3]) for i in busy]
    fast = filter_together([track for track, _ in tracks], _fast)
    # the energies of the rows given back only (the fast part needs the whole track; they do not)
    rows = [(track[start:start + len(calls[i][1][0])], part[start:start + len(calls[i][1][0])])
            for i, (track, start), part in zip(busy, tracks, fast)]
    energies = _energies(rows, [calls[i][0].track for i in busy])
    shaken, shares = [], dict(zip(busy, _shares([calls[i][0] for i in busy], energies)))
    for i in busy:
        step, (frames, *_) = calls[i]
        means = step._mean_track(frames, calls[i][1][2])  # kept as history whether or not the step acts
        if shares[i][:, 0].any():
            shaken.append((i, shares[i][:, 0], means))
    for cutoff in {calls[i][0].cutoff for i, *_ in shaken}:
        same = [(i, share, means) for i, share, means in shaken if calls[i][0].cutoff == cutoff]
        run = lambda track: np.moveaxis(  # noqa: E731  (n, V, 1, C), time first
            butterworth(np.moveaxis(track, 0, -3), cutoff=cutoff, order=4, fps=STREAM_FPS), -3, 0)
        for (i, share, (track, start)), steady in zip(same, filter_together([m[0] for *_, m in same], run)):
            frames, later = out[i]
            moved = share[None, :, None, None] * (steady[start:] - track[start:])
            k = len(frames)
            out[i] = ((np.asarray(frames, np.float64) + moved[:k]).astype(frames.dtype),
                      (np.asarray(later, np.float64) + moved[k:]).astype(later.dtype))
    wobbled = [(i, calls[i][0]._steadied_track(*out[i])) for i in busy]  # history whether or not it acts
    _steady_wobbles(calls, out, [(i, shares[i][:, 1:], poses) for i, poses in wobbled if shares[i][:, 1:].any()])
    return out


def _steady_wobbles(calls: list[tuple[RunningShake, tuple]], out: list[tuple[np.ndarray, np.ndarray]],
                    wobbled: list[tuple[int, np.ndarray, tuple[np.ndarray, int]]]) -> None:
    """``out[i]`` (frames, later) of each ``(i, shares, (poses, start))`` of ``wobbled``, its size and
    orientation steadied by its (V, 2) shares over ``poses`` (n, V, J, C): the frames given back lately,
    them and the later ones (:func:`~synsp.inference.body_shake.steady_size_and_turn`), in place; a
    person whose shares are 0 keeps theirs."""
    keys = {i: (calls[i][0].cutoff, _torso_key(calls[i][0].torso)) for i, *_ in wobbled}
    for key in set(keys.values()):
        same = [(i, share, poses) for i, share, poses in wobbled if keys[i] == key]
        step = calls[same[0][0]][0]
        run = lambda track, share: np.moveaxis(steady_size_and_turn(  # noqa: E731  (n, V, J, C), time first
            np.moveaxis(track, 0, -3), share[:, 0], share[:, 1], step.cutoff, STREAM_FPS, step.torso), -3, 0)
        for (i, share, (poses, start)), steady in zip(same, filter_together([p for *_, (p, _) in same], run,
                                                                            [s for _, s, _ in same])):
            frames, later = out[i]
            keep = ~share.any(axis=1)[None, :, None, None]
            k = len(frames)
            out[i] = (np.where(keep, frames, steady[start:start + k].astype(frames.dtype)),
                      np.where(keep, later, steady[start + k:].astype(later.dtype)))


def _torso_key(torso: list[int] | slice) -> tuple[int, ...] | None:
    """A hashable key for :func:`~synsp.inference.body_shake.torso_joints`' answer (None: every joint)."""
    return None if isinstance(torso, slice) else tuple(torso)


def _fast(track: np.ndarray) -> np.ndarray:
    """:func:`~synsp.inference.clean.fast_part` of a (n, V, J, C) track, time first."""
    return np.moveaxis(fast_part(np.moveaxis(track, 0, -3)), -3, 0)


def _energies(rows: list[tuple[np.ndarray, np.ndarray]], track: list[bool]) -> list[np.ndarray]:
    """Per ``(values, fast)`` of ``rows`` (each (k, V, J, C) float64: the input's frames given back and
    their fast part, read in the whole track), (k, V, 5): :func:`~synsp.inference.body_shake.shake_energies`
    (zeros where ``track`` is False: a 3D stream takes no track step) then
    :func:`~synsp.inference.body_shake.wobble_energies`, for every person of a crowd at once (each row
    is read alone, so the rows of everyone go through one call)."""
    out: list[np.ndarray | None] = [None] * len(rows)
    for kind in set(track):
        same = [i for i, t in enumerate(track) if t == kind]
        values, fast = (np.concatenate([rows[i][n].reshape(-1, *rows[i][n].shape[-2:]) for i in same])
                        for n in (0, 1))  # (N, J, C): every row of these people
        wobbles = wobble_energies(values, fast)
        shakes = shake_energies(values, fast) if kind else np.zeros((len(values), 2))
        joined = np.concatenate([shakes, wobbles], -1)
        bounds = np.cumsum([0] + [rows[i][0].shape[0] * rows[i][0].shape[1] for i in same])
        for i, a, b in zip(same, bounds[:-1], bounds[1:]):
            out[i] = joined[a:b].reshape(*rows[i][0].shape[:2], 5)
    return out

"""Fast motion the pace does not read: a second look at half the pace, kept where it moves the poses far less.

The networks learnt motion at the mocap's pace; a clip whose motion is faster is refined as if filmed at a
lower rate (:mod:`synsp.motion_pace`), but the clip-level reading misses some: motion played 3 times as fast
moves nearly as far over 2 frames as over 4 (the lags saturate), and a punch with a lunge is a burst of the
whole body, which a trimmed median about the body's centre does not count. There the network cuts real
motion: a user audit's punch at twice the actors' speed, 2D with 2 px of noise, came out at 7.14 px against
its input's 2.50, and 2.75 when told ``fps=15`` (benchmarks/RESULTS.md, section 6, "Fast motion under light
noise"; now 2.75 by itself). Such a cut shows in the output: the network moves the poses much further from the
input than their noise, and the same route told half the rate (the motion at half the pace, frames interpolated
between the input's, :func:`synsp.inference.frame_rate.run_at_rate`) moves them far less. An estimator's jitter is
taken out at either rate (at half the rate somewhat less of it, as it then reads slower), so there the two moves
differ by about the noise, not by many times it; so:

- the route runs at the clip's rate and at half of it, and per person the half-rate output is kept where it
  moves the poses less by more than :data:`MARGIN` times the input's noise (mean squared distance from the
  input, in 3D about the joints' mean, :func:`posture_moves`, over the noise's,
  :func:`~synsp.inference.clean.input_noise`); so only where the clip's rate moves them
  by more than that does the half rate run (its move is no less than 0), and the route runs at most twice, what
  it records put back to the kept run's;
- only for clips a second run can help: the rate assumed, or one the network runs on as it is whose half it
  does not (:func:`half_rate`); noisy input (nearly clean input keeps its values anyway,
  :mod:`synsp.inference.clean`); motion at least :data:`MIN_PACE` (:func:`synsp.motion_pace.motion_pace`; a clip
  under it costs no second run).

Chosen on validation clips played 1-3 times as fast under 2 px / 5 mm white noise and the simulator's
`jitter`, and the protocol's presets: validation 2D `jitter` at 3 x 1.108 -> 0.918 x input, 2D white 3 x 0.915 ->
0.815, 3D white 3 x 0.993 -> 0.873, the presets at the mocap's pace unchanged (benchmarks/RESULTS.md, section 6,
"Fast motion the pace misses").
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.config import TRAINING_FPS
from synsp.estimator_errors import stalls
from synsp.filters import butterworth
from synsp.inference import low_rate
from synsp.inference.clean import NOISE_BAND, NOISE_RAMP, fast_part, input_noise, noise_level
from synsp.motion_pace import motion_pace

__all__ = ["MARGIN", "MIN_PACE", "MIN_MEASURED", "half_rate", "measured_noise", "posture_moves", "recorded",
           "at_half_pace_if_nearer"]

# The half-rate output is kept where the full rate's mean squared move from the input exceeds the half rate's by
# more than this many times the input's noise (squared, per joint). Validation (ad hoc, on cached outputs, clips
# unweighted; every third clip, 1-3 x as fast, white and `jitter`; the protocol's first 20 clips): 0.5 cost `jitter`
# at the mocap's pace (2D 0.664 -> 0.727 x input), 1-2 gained alike at 3 x (2D white 0.914 -> 0.828-0.841, `jitter`
# 1.042 -> 0.892-0.910; 3D white root-relative 0.807 -> 0.760-0.766), 3-4 gave up part of it; at 1.5 no case of the
# protocol's `typical` or `jitter` moved.
MARGIN = 1.5
# Motion slower than this (body sizes over 4 frames) gets no second run: no validation clip under 0.115 kept its
# half-rate output (the mocap's median clip reads 0.09; the audit's punch at twice the speed 0.12 in 2D).
MIN_PACE = 0.1

# A joint's noise is read on its measured values alone where it has at least this many (measured_noise).
MIN_MEASURED = 16
# ... after taking off their motion, the part under this share of the Nyquist rate of the filled values.
MOTION_BAND = 0.4


def half_rate(fps: float | None, covered: tuple[float, float], pace: float, level: float, space: str) -> float | None:
    """The rate to run a second look at, or None for none: half of ``fps`` (None: :data:`TRAINING_FPS`)
    when ``fps`` lies inside ``covered`` (the rates the network runs on as they are) and its half below them
    (refined at the half, the network sees frames interpolated between the input's: the motion at half the
    pace; at 40 fps and up the half would run as it is), the clip's motion pace is at least :data:`MIN_PACE`
    and its noise ``level`` (body sizes) is above nearly clean input's (:data:`~synsp.inference.clean.NOISE_RAMP`
    of ``space``)."""
    rate = TRAINING_FPS if fps is None else float(fps)
    if not covered[0] <= rate < 2.0 * covered[0] or pace < MIN_PACE or not level > NOISE_RAMP[space][1]:
        return None
    return rate / 2.0


def measured_noise(values: np.ndarray, gaps: np.ndarray | None) -> np.ndarray:
    """:func:`~synsp.inference.clean.input_noise` of ``values`` (..., T, J, C) without NaN, each joint's read on
    its measured values alone (``gaps`` (..., T, J) bool: the values filled; None: none), taken one after the
    other. A fill is smooth, and the noise read across fills reads low: a 20 fps video shown at 30 (every 3rd
    frame a repeat of the one before, refined as a gap) read its noise at a fifth of its power, so the clip's rate
    moved its poses by many times that, the half rate was kept and came out behind SmoothNet (audit 19; RESULTS.md,
    section 6, "Repeated frames and the half-pace look"). A joint with fewer than :data:`MIN_MEASURED` measured
    values keeps the reading across its fills."""
    noise = input_noise(values)
    if gaps is None or not np.any(gaps):
        return noise
    t, j, c = values.shape[-3:]
    seqs, filled, out = values.reshape(-1, t, j, c), np.reshape(gaps, (-1, t, j)), noise.reshape(-1, j).copy()
    # the motion taken off at the frames' own times first, so that joining the measured values leaves no step
    rest = seqs - butterworth(seqs, cutoff=MOTION_BAND * 15.0, order=4, fps=30.0)
    for person, joint in zip(*np.nonzero(filled.any(axis=1) & ((~filled).sum(axis=1) >= MIN_MEASURED))):
        fast = fast_part(rest[person, ~filled[person, :, joint], joint][:, None])  # (n, 1, C): the measured ones
        out[person, joint] = np.sqrt(np.mean(np.sum(fast ** 2, axis=-1)) / (1.0 - NOISE_BAND))
    return out.reshape(noise.shape)


def posture_moves(moves: np.ndarray) -> np.ndarray:
    """Per person (shaped ``moves.shape[:-3]``), the mean squared length of ``moves`` (..., T, J, C), the
    output's moves from its input; in 3D about each frame's joints' mean. A 3D network refines root-relative
    poses, so a cut of real motion shows in them; where the body is comes from its track's Savitzky-Golay fit
    at the rate refined at (:mod:`synsp.inference.root_track`), which at half the rate spans half the time and
    passes a 3-8 Hz shake of the whole body that the clip's rate takes out: a move that reads a shake as the
    network's cut (validation, 16 clips, 15 mm shake + 8 mm white noise: absolute MPJPE 15.76 -> 12.28 mm)."""
    if moves.shape[-1] == 3:
        moves = moves - moves.mean(axis=-2, keepdims=True)
    return np.mean(np.sum(moves ** 2, axis=-1), axis=(-2, -1))


def recorded(*objects: object) -> Callable[[], None]:
    """What ``objects`` (the Refiners a route runs) hold now, its last run's records (:attr:`paced_fps`,
    :attr:`turn`, ...): returns a function that puts them back (their attributes as they are now; a shallow copy,
    as each run sets its records anew)."""
    saved = [(obj, dict(vars(obj))) for obj in objects]

    def restore() -> None:
        for obj, attributes in saved:
            vars(obj).update(attributes)
    return restore


def at_half_pace_if_nearer(route: Callable[..., np.ndarray], values: np.ndarray, measured: np.ndarray,
                           fps: float | None, covered: tuple[float, float],
                           records: Callable[[], Callable[[], None]] | None = None, gaps: np.ndarray | None = None,
                           ) -> tuple[np.ndarray, np.ndarray, float | None]:
    """``route(values)``, or per person ``route(values, fps=half)`` where that moves the poses less by more
    than :data:`MARGIN` times their noise (module docstring).

    ``values`` (T, J, C) or (V, T, J, C), NaN for missing joints; ``measured``: the same without NaN (the
    estimator's errors undone), which the moves, the noise and the pace are read from; ``route`` takes values
    of that shape and an optional ``fps=`` and returns their refinement; ``fps`` the rate given (None: not);
    ``covered`` the network's covered rates; ``records()`` captures what the route recorded in its last run and
    returns a function that puts it back (:func:`recorded` of the Refiners it runs; None: it records nothing);
    ``gaps`` (..., T, J) bool the values of ``measured`` filled, not measured: the noise is read without them
    (:func:`measured_noise`).
    The route runs at the clip's rate, then at the half only where the first run moves the poses by more than
    :data:`MARGIN` times their noise (elsewhere the half cannot be kept: its move is no less than 0); what it
    records is the output's (the half rate's where every person keeps it, else put back to the first run's).
    Returns the poses, (...) bool per person: the half rate kept, and the half rate looked at (None: no second
    look, :func:`half_rate`)."""
    y = np.asarray(measured, np.float64)
    people = y.shape[:-3]
    chosen = np.zeros(people, bool)
    noise = measured_noise(y, gaps)  # (..., J), on the measured values alone
    level = np.atleast_1d(noise_level(y, noise)).min()
    half = half_rate(fps, covered, motion_pace(y), float(level), "3d" if y.shape[-1] == 3 else "2d")
    if half is None:
        return route(values), chosen, half
    full = route(values)
    moved = lambda out: posture_moves(np.asarray(out, np.float64) - y)  # noqa: E731
    margin = MARGIN * np.mean(noise ** 2, axis=-1)  # (...)
    far = moved(full)
    if not (far > margin).any():  # kept needs far - moved(slow) > margin, moved(slow) >= 0: no second run
        return full, chosen, half
    put_back = records() if records is not None else None  # what the clip's rate's run recorded
    # at the half itself, not read frame for frame as a 15-30 fps clip is; a stall's carry counted in the frames'
    # own rate, 2 x the half (stalls.frames_at: half a second is as many of the same frames in either look)
    with low_rate.as_given(), stalls.frames_at(2.0 * half):
        slow = route(values, fps=half)
    chosen = far - moved(slow) > margin
    if chosen.all():  # the last run: what the route records is the output's
        return slow, chosen, half
    if put_back is not None:
        put_back()
    if not chosen.any():
        return full, chosen, half
    out = np.where(chosen[..., None, None, None], np.asarray(slow, np.float64), np.asarray(full, np.float64))
    return out.astype(np.asarray(full).dtype), chosen, half

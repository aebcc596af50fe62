"""Fast motion under 15 fps: the steps that read an input's fastest band as an estimator's error held back.

Several steps around the network tell an estimator's errors from motion by how fast they change:
whole-body jumps (:func:`synsp.estimator_errors.glitches.body_jumps`: the body off the straight line
between the frames around it and back within a frame or two), a detector's box shaking the whole
body (:mod:`synsp.inference.body_shake`: the joints' mean above 0.8 of the Nyquist rate) and the
output's low-pass (:data:`synsp.inference.refiner.LOWPASS_HZ`, 6 Hz, clamped to 0.4 x fps by
:func:`synsp.filters.cutoff_for`). At 30 fps that band starts at 12 Hz and a frame lasts 33 ms, where
bodies hardly move. At 10 fps it starts at 4 Hz and a frame lasts 100 ms: a dancer's bounce turns
round within a frame, and a sprinter's steps move the whole body and its joints at 3-5 Hz, so the
steps took real motion for errors and cut it (a user audit, ds1 fast clips at 10 fps, 2D, 1 % white
jitter: a dance 4.21 -> 5.02 px, a dash 4.06 -> 4.94; benchmarks/RESULTS.md, section 6, "Fast 2D
motion at 10 fps").

Under :data:`LOW_RATE` (rates in frames per second of the footage as given; None: not given, the
training rate's 30):

- no whole-body jump is looked for (:func:`looks_for_jumps`; none was found on any validation clip at
  10 fps, clean, jittered or `jitter`, but the audit's dance held 21 frames of them). A joint's glitch
  still is: the simulator's spikes need it at 10 fps too (validation `jitter`, first 30 clips, the
  two steps below off: 0.830 x input with glitches looked for, 0.848 without);
- where the clip's motion is also fast for its rate (:func:`synsp.motion_pace.motion_pace` of the
  measured poses (T, J, C) or (V, T, J, C), above :data:`FAST_PACE`), no whole-body shake is
  steadied and the output is not low-passed unless a cut-off is asked for (:func:`reads_fast_band`).
  Slower clips keep both: they gain from them at 10 fps as at 30.

From :data:`LOW_RATE` up to the training rate (30 fps) the network, its pace and the smoothing after it (shake,
floor, low-pass) read the frames as the training rate's (:func:`frames_rate`); the limbs' drift reads the rate given.
An estimator's error is drawn afresh each frame, whatever the rate: at 15 fps it is white over 7.5 Hz, and the
network, run on the clip resampled onto 30 fps, saw it interpolated, smooth over two frames, as motion, and a 6 Hz
low-pass at 15 fps is nearly none. Told the true rate, such clips were refined rougher than told 30 (validation, 12
clips, 15 fps, `jitter` 2D: 1.61 vs 1.52 px, Accel 1.61 vs 1.14; benchmarks/RESULTS.md, section 6, "Footage under 30
fps"). Under :data:`LOW_RATE` the rate given is kept: read as 30 fps frames, the audit's dance above came out worse
than its input (4.43 px against 4.25), and the validation clips gained in some metrics and lost in others.
"""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from typing import Iterator

import numpy as np

from synsp.config import TRAINING_FPS
from synsp.motion_pace import motion_pace

__all__ = ["LOW_RATE", "FAST_PACE", "looks_for_jumps", "reads_fast_band", "frames_rate", "as_given"]

# The lowest rate (fps) at which every step runs whatever the motion. Validation (the 8 fastest clips
# by pace, 2D through a camera following the person at 4 m, 1 % white jitter; ad-hoc
# /work/exp/lowfps/valexp.py): the shake and low-pass steps off gained at 10 fps (1.055 -> 0.999 x
# input) and lost at 15 fps (0.757 -> 0.760), so they stay on from 15 fps.
LOW_RATE = 15.0
# The pace (motion_pace: RMS displacement over 4 frames in body sizes) above which the motion is fast
# for a rate under LOW_RATE. Chosen on the validation split at 10 fps (24 clips with 1 % white jitter
# and the first 30 of `jitter`, per clip the gain of the two steps off against its pace; ad-hoc
# /work/exp/lowfps/pacesweep.py, choose.py): 0.2, 0.25, 0.3, 0.35, 0.4, 0.5 gave 0.0052, 0.0109, 0.0128,
# 0.0113, 0.0111, 0.0085 x input on average; below 0.3 the steps gained on nearly every clip.
FAST_PACE = 0.3
# Inside :func:`as_given`: every rate refined as given (a second look at half the rate, inference.half_pace).
_AS_GIVEN: ContextVar[bool] = ContextVar("as_given", default=False)


def looks_for_jumps(fps: float | None) -> bool:
    """Whether whole-body jumps are looked for in footage at ``fps`` (frames per second; None: 30)."""
    return fps is None or float(fps) >= LOW_RATE


def reads_fast_band(poses: np.ndarray, fps: float | None) -> bool:
    """Whether the whole-body shake and the output's low-pass may read the fastest band of ``poses``
    ((T, J, C) or (V, T, J, C) without NaN, any unit) at ``fps``: from :data:`LOW_RATE` whatever the
    motion, below it only when the motion is no faster than :data:`FAST_PACE` (module docstring)."""
    return looks_for_jumps(fps) or motion_pace(poses) <= FAST_PACE


def frames_rate(fps: float | None) -> float | None:
    """The rate (frames per second) the network, its pace and the smoothing after it take footage given at ``fps``
    (None: not given) to be: the training rate from :data:`LOW_RATE` up to it, ``fps`` itself elsewhere (and None;
    module docstring; inside :func:`as_given` as it is). Pace still lowers the rate for motion fast for its frames."""
    if fps is None or _AS_GIVEN.get() or not LOW_RATE <= float(fps) < TRAINING_FPS:
        return fps
    return TRAINING_FPS


@contextmanager
def as_given() -> Iterator[None]:
    """Within it, :func:`frames_rate` gives every rate as it is: :mod:`synsp.inference.half_pace` refines a 30 fps
    clip told half its rate to have the network see its frames interpolated, the motion at half the pace."""
    token = _AS_GIVEN.set(True)
    try:
        yield
    finally:
        _AS_GIVEN.reset(token)

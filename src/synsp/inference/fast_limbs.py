"""A few fast frames of a limb given back: where it moves fast and SynSP's output departs from a light low-pass.

SynSP's window holds a prior of the motions it learnt (walking, gestures): a short fast arc between slow frames (a golf
swing's downswing and follow-through, 0.5 s of 3.7) it smooths like a gesture, and the pace step
(:mod:`synsp.motion_pace`) reads the clip's pace from its mostly slow frames, so that nothing slows the network down
there. Under a good estimator's light jitter the strike's arms came out 1.47 x their input in 3D (validation, 12 clips
with a swing built on them; a 6 Hz Butterworth 1.03 x) and 1.4-1.9 x in 2D, while the clip's mean improved. The input
tells such frames, frame by frame and joint by joint, with no knowledge of the motion:

- the limb moves fast: the speed of the input's 6 Hz low-pass, the joints' median velocity taken out, is above
  :data:`SPEED` (body sizes per second; the swing's wrists 2.7, its elbows 1.3);
- the output departs from that low-pass by more than the input's noise explains: over :data:`FRAMES_READ` the mean of
  ``|out - lowpass(input)|`` over the joint's noise (:func:`~synsp.inference.clean.input_noise`) is above
  :data:`DEPARTS`;
- and only about a strike (:func:`strike_frames`): within :data:`NEAR` of a burst where a joint keeps above
  :data:`BURST_SPEED` for :data:`BURST_SECONDS`, :data:`BURST_TIMES` its clip's median speed, while most joints are
  still (their median below :data:`STILL`). Without it the step touched 61-62 of the 65 ordinary validation clips
  (3D `typical` Accel 2.76 -> 3.13); with it none of them holds a burst in 3D (`jitter`, `typical`, `clean-ish`), one
  in 2D `typical` (left unchanged all the same), and every swing built on them does (12 clips, strikes of 0.25 and
  0.15 s; face-on in 2D) but one 2D at 0.15 s.

There the joint is taken, by the product of the two shares (widened and eased over :data:`EASE` each side, so that
nothing jumps), to :func:`given_back`: the input's :data:`REFERENCE_HZ` low-pass (where the limb is faster still,
:data:`INPUT_SPEED`, the input itself: a real golfer's 8.5 m/s hands, which a 10 Hz low-pass cuts too) plus the slow
part (below :data:`SLOW_HZ`) of SynSP's own correction, so that the estimator's slow errors (a bias, a drift) stay
corrected while the motion's fast part is the input's. Validation (benchmarks/fast_limbs.py; RESULTS section 6, "A
fast strike with the body still"), the strike's arms, median over 12 clips of the error over the input's: 3D `jitter`
1.54 -> 1.00 (Butterworth 1.03), 2D face-on 1.80 -> 1.01 (1.21); at 8.5 m/s 3D 2.14 -> 1.07 (3.78), 2D face-on
2.87 -> 1.07 (5.67). Down the line (2D) the arc is foreshortened, the gate stays shut and the strike stays 1.37 x.
"""
from __future__ import annotations

import numpy as np
from scipy.ndimage import maximum_filter1d, minimum_filter1d, uniform_filter1d

from synsp.inference.clean import opened
from synsp.inference.unseen_motion import FILLED_NOISE, low_pass
from synsp.sequence import body_sizes
from synsp.skeleton import Layout
from synsp.skeleton.pose_geometry import joint_distances

__all__ = ["SPACES", "SPEED", "INPUT_SPEED", "DEPARTS", "OFF_BONES", "FRAMES_READ", "EASE", "REFERENCE_HZ", "SLOW_HZ",
           "BURST_SPEED", "BURST_TIMES", "BURST_SECONDS", "STILL", "NEAR", "limb_speed", "strike_frames",
           "fast_shares", "given_back", "give_back_fast", "fast_note"]

# The spaces whose SynSP route takes the step.
SPACES = ("3d", "2d")
# (from, full): a joint's speed (body sizes per second, the 6 Hz low-pass of the input, the joints' mean out) from which
# its frames may be given back, and from which wholly; linear between.
SPEED = (0.6, 1.2)
# (from, full): a joint's speed (as SPEED's) from which a 10 Hz low-pass cuts the arc itself and the input's own values
# are given back instead, and from which wholly (the slow part of the correction kept either way).
INPUT_SPEED = (1.8, 3.0)
# (from, full): the output's departure from the low-pass over the joint's noise (:data:`FRAMES_READ`' mean).
DEPARTS = (0.7, 1.5)
# (from, full): 3D, how far a joint's bones in the input's REFERENCE_HZ low-pass stray from their clip's length, over
# the joint's noise, from which its frames are not given back, and from which not at all: a gross error of a few
# frames (a limb astray, a spike) moves the joint fast and the network corrects it far from the low-pass, as a smoothed
# swing, but off its bones. Validation (3D `jitter`, 65 clips, applied to the shipped outputs): without it 8.861 ->
# 8.884 mm, with it 8.864; read on the 6 Hz low-pass (which cuts a fast arc's radius short) 8.863, but the real
# golfer's strike 1.11 x input (this 1.04); (1.5, 3.0) 8.871.
OFF_BONES = (1.0, 2.0)
# Seconds over which the departure is averaged (one frame's is noise), and eased in and out each side.
FRAMES_READ = 0.1
EASE = 0.1
# The reference's low-pass (Hz) and the part of SynSP's correction it keeps (below SLOW_HZ).
REFERENCE_HZ = 10.0
SLOW_HZ = 1.0
# A strike's burst (:func:`strike_frames`): a joint's speed (body sizes per second, as SPEED's) kept above BURST_SPEED
# and BURST_TIMES its clip's median over BURST_SECONDS, the joints' median speed below STILL (the body still), and the
# frames within NEAR seconds of it. Chosen on validation by a scan (speed 1.5-2.8, times 2-5, still 0.2-0.4 or none):
# no 3D clip of `jitter`, `typical`, `clean-ish` passes, one 2D `typical` clip, every swing built on them in 3D (their
# wrists keep 3.1-3.3 for 0.2 s; a clip's fastest joint otherwise 2.7); benchmarks/fast_limbs.py --gate counts them.
BURST_SPEED = 2.5
BURST_TIMES = 3.0
BURST_SECONDS = 0.2
STILL = 0.3
NEAR = 0.5


def _frames(seconds: float, fps: float) -> int:
    """The odd count of frames nearest above ``seconds`` at ``fps`` (0.1 s at 30 fps: 3): at least 1."""
    return int(round(seconds * fps)) // 2 * 2 + 1


def limb_speed(measured: np.ndarray, fps: float | None = None) -> np.ndarray:
    """(V, T, J) each joint's speed in body sizes per second (:func:`~synsp.sequence.body_sizes`): its 6 Hz
    low-pass's (:func:`~synsp.inference.unseen_motion.low_pass`) central difference, the joints' median velocity (the
    body's own travel) taken out, of ``measured`` (V, T, J, C) without NaN at ``fps`` (None: 30); the end frames repeat
    their neighbours'."""
    y = np.asarray(measured, np.float64)
    rate = 30.0 if fps is None else float(fps)
    speed = np.zeros(y.shape[:-1])
    if y.shape[1] < 3:
        return speed
    low = low_pass(y, rate)
    velocity = (low[:, 2:] - low[:, :-2]) * (rate / 2.0)
    velocity -= np.median(velocity, axis=-2, keepdims=True)  # a fast limb is few of the joints: no travel
    speed[:, 1:-1] = np.linalg.norm(velocity, axis=-1)
    speed[:, 0], speed[:, -1] = speed[:, 1], speed[:, -2]
    return speed / np.maximum(body_sizes(y), 1e-12)[:, None, None]


def strike_frames(speed: np.ndarray, fps: float | None = None) -> np.ndarray:
    """(V, T) bool: the frames within :data:`NEAR` seconds of a strike's burst (the constants' comment) in ``speed``
    (V, T, J), a clip's :func:`limb_speed` at ``fps`` (None: 30); all False on a clip with none."""
    rate = 30.0 if fps is None else float(fps)
    held = minimum_filter1d(speed, _frames(BURST_SECONDS, rate), axis=1, mode="nearest")  # kept, not one frame's
    usual = np.median(speed, axis=1, keepdims=True)
    still = np.median(speed, axis=2, keepdims=True) < STILL
    burst = np.any((held >= BURST_SPEED) & (held >= BURST_TIMES * usual) & still, axis=2)
    if not np.any(burst):
        return burst
    return maximum_filter1d(burst, 2 * int(round(NEAR * rate)) + 1, axis=1, mode="constant")


def _off_bones(low: np.ndarray, layout: Layout) -> np.ndarray:
    """(V, T, J) how far each joint's bones in ``low`` (V, T, J, 3) stray from their clip's median length, the most of
    the joint's bones (its unit); 0 for a joint of no bone."""
    bones = np.asarray(layout.bones, int).reshape(-1, 2)
    lengths = joint_distances(low, bones[:, 0], bones[:, 1])  # (V, T, B)
    stray = np.abs(lengths - np.median(lengths, axis=1, keepdims=True))
    most = np.zeros(low.shape[:-1])
    for b, (i, j) in enumerate(bones):
        most[..., i] = np.maximum(most[..., i], stray[..., b])
        most[..., j] = np.maximum(most[..., j], stray[..., b])
    return most


def _eased(share: np.ndarray, fps: float) -> np.ndarray:
    """(V, T, J) ``share`` widened and eased over :data:`EASE` each side along time, so that nothing jumps."""
    frames = 2 * int(round(EASE * fps)) + 1
    share = uniform_filter1d(maximum_filter1d(share, frames, axis=1, mode="nearest"), frames, axis=1, mode="nearest")
    return np.where(share > 1e-9, np.minimum(share, 1.0), 0.0)  # the running mean's rounding is no share


def fast_shares(measured: np.ndarray, out: np.ndarray, noise: np.ndarray, fps: float | None = None,
                speed: np.ndarray | None = None, layout: Layout | None = None) -> np.ndarray:
    """(V, T, J) the share of each joint's frame to give back (module docstring) for the refined ``out`` of the
    ``measured`` values (both (V, T, J, C) without NaN, same unit) and the input's ``noise`` ((V, J),
    :func:`~synsp.inference.clean.input_noise` of ``measured``, the same unit); ``fps``: the input's rate (None: 30);
    ``speed``: their :func:`limb_speed` when read already; ``layout``: the joints' (3D: a joint the input moves off
    its bones' lengths is an error's, not a swing's, :data:`OFF_BONES`; None: not read). 0 where the limb is slow or
    the output keeps to the low-pass or no strike is near (:func:`strike_frames`); eased over :data:`EASE` around the
    frames it takes."""
    y = np.asarray(measured, np.float64)
    rate = 30.0 if fps is None else float(fps)
    speed = limb_speed(y, rate) if speed is None else speed
    near = strike_frames(speed, rate)
    if not np.any(near):  # no strike: a gesture's or a walk's fast frames are the network's to smooth
        return np.zeros(speed.shape)
    n = np.asarray(noise, np.float64)
    n = np.maximum(n, FILLED_NOISE * np.median(n, axis=-1, keepdims=True))[:, None, :]  # a filled joint: ~none
    low = low_pass(y, rate)
    far = np.linalg.norm(np.asarray(out, np.float64) - low, axis=-1)
    departs = uniform_filter1d(far / np.where(n > 0, n, np.inf), _frames(FRAMES_READ, rate), axis=1, mode="nearest")
    share = opened(speed, SPEED) * opened(departs, DEPARTS) * near[..., None]  # no noise: 0 (never moved)
    if layout is not None and y.shape[-1] == 3:  # an error moves a joint off its bones; a limb's swing does not
        off = _off_bones(low_pass(y, rate, REFERENCE_HZ), layout)  # the 6 Hz one cuts a fast arc's radius short
        share = share * (1.0 - opened(off / np.where(n > 0, n, np.inf), OFF_BONES))
    return _eased(share, rate)


def given_back(measured: np.ndarray, out: np.ndarray, fps: float | None = None,
               speed: np.ndarray | None = None) -> np.ndarray:
    """What a fast frame is given back to, for ``out`` refined from ``measured`` (both (V, T, J, C) without NaN, same
    unit, at ``fps``; None: 30): the input's :data:`REFERENCE_HZ` low-pass, and where the limb is faster still
    (:data:`INPUT_SPEED`, eased) the input itself, plus the part of the correction ``out - measured`` below
    :data:`SLOW_HZ`; same shape, float64. ``speed``: the :func:`limb_speed` of ``measured`` when read already."""
    y = np.asarray(measured, np.float64)
    rate = 30.0 if fps is None else float(fps)
    low = low_pass(y, rate, REFERENCE_HZ)
    whole = _eased(opened(limb_speed(y, rate) if speed is None else speed, INPUT_SPEED), rate)[..., None]
    return low + whole * (y - low) + low_pass(np.asarray(out, np.float64) - y, rate, SLOW_HZ)


def give_back_fast(measured: np.ndarray, out: np.ndarray, noise: np.ndarray, fps: float | None = None,
                   layout: Layout | None = None, speed: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """``out`` (V, T, J, C) with each joint's fast frames taken by their :func:`fast_shares` to :func:`given_back`, and
    those shares (V, T, J); ``out`` itself where none is positive. ``measured``, ``noise``, ``fps``, ``layout``,
    ``speed`` (the :func:`limb_speed` of ``measured``, read once for all of a call's outputs): as
    :func:`fast_shares`'. Returns the poses (``out``'s shape and dtype) and the shares."""
    speed = limb_speed(measured, fps) if speed is None else speed
    shares = fast_shares(measured, out, noise, fps, speed, layout)
    if not np.any(shares > 0):
        return out, shares
    o = np.asarray(out, np.float64)
    moved = o + shares[..., None] * (given_back(measured, o, fps, speed) - o)
    return moved.astype(np.asarray(out).dtype), shares


def fast_note(struck: list[tuple[str, int]] | tuple[tuple[str, int], ...]) -> str:
    """What the summary says of the (joint name, frames) pairs whose fast frames were given back at least half
    (:func:`give_back_fast`; a joint named more than once, from several spans or tracks, counts their sum)."""
    frames: dict[str, int] = {}
    for name, count in struck:
        frames[name] = frames.get(name, 0) + int(count)
    listed = ", ".join(f"{name} {count}" for name, count in frames.items())
    return (f"fast limbs: where a limb moved fast (a strike, a swing) SynSP's output left a light low-pass of the "
            f"input (its window smooths a short fast arc as it does a gesture), so those frames were given back to the "
            f"input's {REFERENCE_HZ:.0f} Hz low-pass, the slow part of SynSP's correction kept: {sum(frames.values())} "
            f"joint values ({listed})")

"""A whole body shaking: its track, size and orientation steadied where the input shows it.

A top-down 2D estimator crops each frame around the person's detected box and reads the joints
in it, so the box's own jitter (its centre and size wobbling from frame to frame) shakes every
joint together. The 2D network learnt the simulator's errors, whose fast part is each joint's
own, and lets a shake of the whole body through: on the validation split's first 30 clips with
the box jittered by 2 % of the body's height per frame (``benchmarks/robustness.py``'s row) the
default came out at 0.534 x input where SmoothNet reached 0.487, the whole-body part of its error
above 2 Hz 3.97 px against SmoothNet's 3.34 (benchmarks/RESULTS.md, section 4, "A detector's box
shaking the whole body").

The input shows it. In its fast part (:func:`synsp.inference.clean.fast_part`, above 12 Hz at 30
fps, where bodies hardly move) noise that is each joint's own leaves the joints' mean about
``1 / sqrt(J - 1)`` of the rest (0.25 for 17 joints; every validation clip of the simulator's
presets reads 0.06-0.52), while a box's jitter moves the mean by more than the rest (2.2-6.6 on
those rows, and 0.45-1.4 for a box jittered by only 0.25 % on top of `jitter`).
:func:`shake_ratio` is that ratio; where it lies above :data:`SHAKE_RAMP`, the output's joint-mean
track is low-passed at :data:`SHAKE_HZ` (the pose about it left as it is), linear in between.

The rest of a whole-body similarity shakes as well: a box scaled about its centre each frame, a 3D
estimator's depth/scale wobble, its global orientation jittering (HMR/VIBE-like), an in-plane turn
in 2D. The networks pass that about as SmoothNet does (validation, first 30 clips, error above 2 Hz
of the output's log-size, 2D size wobble 3 %: 0.87 % against SmoothNet's 0.84 %; of its
orientation, 2D wobble 2 deg: 0.58 against 0.56 deg, 3D: 0.95 against 0.62 deg).
:func:`wobble_ratios` reads it in the same fast part: its component along each joint's direction
from the joints' mean (a scaling) and across it (a turn), fitted per frame, against what neither
explains. Per-joint noise reads 0.02-0.82 on every validation clip of the presets (clean ones at
the top: real motion), a size wobble of 3 % 3.4-256, a turn of 2 degrees 4.8-287. Over
:data:`WOBBLE_RAMP` the output's size (the torso's: limbs stretching are no wobble) and orientation
(all joints) per frame follow their low-pass at the same cut-off, the pose about them kept:
first 30 validation clips, x input, 2D size wobble 3 % 0.557 -> 0.501 (SmoothNet 0.537), turn 2
deg 0.536 -> 0.476 (0.523); 3D 0.469 -> 0.446 (0.658), 0.510 -> 0.455 (0.511) (benchmarks/RESULTS.md,
section 4, "The body's size and orientation wobbling").
"""
from __future__ import annotations

import numpy as np

from synsp.filters import butterworth, cutoff_for
from synsp.inference.clean import fast_part
from synsp.sequence import body_sizes, sorted_median
from synsp.skeleton import Layout, get_layout
from synsp.skeleton.head_points import similarity_fit

__all__ = ["SHAKE_RAMP", "SHAKE_LEVEL", "SHAKE_HZ", "WOBBLE_RAMP", "shake_energies", "shake_ratio", "shake_level",
           "level_of", "track_share", "wobble_energies", "wobble_ratios", "energy_ratios", "wobble_share",
           "shake_shares", "torso_joints", "steady_size_and_turn", "steady_body", "shake_note"]

# The shake ratio (:func:`shake_ratio`) below which the output is left as it is and above which its
# joint-mean track is low-passed whole, linear between. Chosen on the validation split above the
# simulator's presets (at most 0.52 over every clip of `typical`, `hard`, `jitter`, `clean-ish`,
# `synthetic`, and `jitter` at 15 fps) and below a box's jitter of 0.5 % on `jitter` (0.59-2.08).
SHAKE_RAMP = (0.6, 1.2)
# The :func:`shake_level` (body sizes) over which the track step opens, linear between: a shake is
# in most frames. Validation (first 30 clips, 2D): clean clips read at most 2.5e-4 (their shake
# ratio up to 1.30: mocap's own fast motion moves the body as a whole), clean clips with two 2-frame
# jumps of 20 px at most 3.9e-4, a box's jitter of 0.25 % 6.1e-4-1.5e-3 (on `jitter` 7.9e-4-1.6e-3).
SHAKE_LEVEL = (4e-4, 6e-4)
# The cut-off (Hz, Butterworth of order 4, zero-phase) of the joint-mean track there. Validation,
# first 30 clips, box jitter 2 % on clean poses (x input): SmoothNet's whole-body fast part 0.491,
# 3 Hz 0.423, 2 Hz 0.380; at a box's jitter of 0.25 % 2 Hz cost more than it gained (0.792 -> 0.921).
SHAKE_HZ = 3.0
# The size and turn ratios (:func:`wobble_ratios`) over which the output's size and orientation are
# steadied, each on its own, linear between. Validation: at most 0.82 over every clip of the presets
# above (the highest on clean poses, `none`; 0.90 with every other frame, 15 fps); on `jitter` a
# wobble of 1 % reads up to 1.33-1.56, a turn of 0.5 degrees up to 1.30-1.61. Chosen with the
# cut-off SHAKE_HZ (first 30 clips, prototype, x input before -> at 3 Hz / 2.5 Hz): 2D size 3 %
# 0.557 -> 0.498 / 0.483, turn 2 deg 0.536 -> 0.475 / 0.462, but a clean turn of 0.25 deg 1.154 ->
# 1.172 / 1.220 and in 3D 0.990 -> 1.012 / 1.085.
WOBBLE_RAMP = (1.0, 2.0)
# The joints a body's size is read on (a torso stays one size as the limbs move); all when absent.
TORSO = ("left_shoulder", "right_shoulder", "left_hip", "right_hip")


def shake_energies(inputs: np.ndarray, fast: np.ndarray | None = None) -> np.ndarray:
    """(..., T, 2) per frame of ``inputs`` (..., T, J, C), without NaN, of its fast part
    (:func:`fast_part`; ``fast``: that part, already taken): the squared length of the joints' mean,
    and the mean over the joints of the rest's squared length (what :func:`shake_ratio` and
    :func:`shake_level` read; a stream sums them)."""
    fast = fast_part(inputs) if fast is None else fast
    mean = fast.mean(axis=-2, keepdims=True)
    return np.stack([np.sum(mean[..., 0, :] ** 2, axis=-1), np.mean(np.sum((fast - mean) ** 2, axis=-1), axis=-1)], -1)


def shake_ratio(inputs: np.ndarray) -> np.ndarray:
    """How much the whole body shakes: per person (each leading index of ``inputs`` (..., T, J, C),
    without NaN), the RMS of the joints' mean of the input's fast part (:func:`fast_part`) over the
    RMS of the rest of it. About ``1 / sqrt(J - 1)`` for noise that is each joint's own; shaped
    ``inputs.shape[:-3]``."""
    return energy_ratios(shake_energies(inputs).mean(axis=-2))[0]


def shake_level(inputs: np.ndarray) -> np.ndarray:
    """How large the whole body's shake is in most frames: per person (each leading index of
    ``inputs`` (..., T, J, C), without NaN), the joints' mean of the input's fast part
    (:func:`fast_part`), its median size over frames, in body sizes
    (:func:`synsp.sequence.body_size`); shaped ``inputs.shape[:-3]``."""
    return level_of(shake_energies(inputs)[..., 0], body_sizes(inputs))


def level_of(wholes: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """:func:`shake_level` from ``wholes`` (..., T), the first column of :func:`shake_energies` over
    the frames read, and ``sizes`` (...), each person's body size; shaped ``sizes``."""
    return np.sqrt(sorted_median(wholes, axis=-1)) / np.maximum(sizes, 1e-12)


def track_share(ratio: np.ndarray, level: np.ndarray, ramp: tuple[float, float] = SHAKE_RAMP) -> np.ndarray:
    """The track step's share, shaped like ``ratio``: its :func:`shake_ratio` over ``ramp`` times its
    :func:`shake_level` over :data:`SHAKE_LEVEL` (each 0 below, 1 above, linear between)."""
    return _share(ratio, ramp) * _share(level, SHAKE_LEVEL)


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Per joint, the dot product over the last axis: (..., J, C) -> (..., J)."""
    return np.einsum("...c,...c->...", a, b)


def _turn_fit(fast: np.ndarray, pose: np.ndarray) -> np.ndarray:
    """Per frame, the small turn about the joints' mean that best explains ``fast`` (..., T, J, C)
    moving ``pose`` (same shape, both centred), in least squares, as the motion it gives each joint."""
    if pose.shape[-1] == 2:
        across = np.stack([-pose[..., 1], pose[..., 0]], -1)
        return (_dot(fast, across).sum(-1) / np.maximum(_dot(pose, pose).sum(-1), 1e-12))[..., None, None] * across
    # omega x d per joint; normal equations: sum(|d|^2 I - d d^T) omega = sum(d x f)
    normal = _dot(pose, pose).sum(-1)[..., None, None] * np.eye(3) - np.einsum("...ja,...jb->...ab", pose, pose)
    omega = np.linalg.solve(normal + 1e-9 * np.eye(3), np.cross(pose, fast).sum(-2)[..., None])[..., 0]
    return np.cross(omega[..., None, :], pose)


def wobble_energies(inputs: np.ndarray, fast: np.ndarray | None = None) -> np.ndarray:
    """(..., T, 3) per frame of ``inputs`` (..., T, J, C), C 2 or 3, without NaN, of its fast part
    (:func:`fast_part`; ``fast``: that part, already taken), its joints' mean taken off: the mean over
    the joints of the squared length of its component along each joint's direction from the joints'
    mean, fitted as one scaling, of its component across it, fitted as one turn, and of what neither
    explains (what :func:`wobble_ratios` reads; a stream sums them)."""
    fast = fast_part(inputs) if fast is None else fast
    pose = np.asarray(inputs, np.float64) - fast
    pose, fast = pose - pose.mean(-2, keepdims=True), fast - fast.mean(-2, keepdims=True)
    scaling = (_dot(fast, pose).sum(-1) / np.maximum(_dot(pose, pose).sum(-1), 1e-12))[..., None, None] * pose
    turn = _turn_fit(fast, pose)
    return np.stack([np.mean(_dot(part, part), axis=-1) for part in (scaling, turn, fast - scaling - turn)], -1)


def wobble_ratios(inputs: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """How much the body's size and orientation wobble: per person (each leading index of ``inputs``
    (..., T, J, C), C 2 or 3, without NaN), the RMS of the input's fast part (:func:`fast_part`,
    its joints' mean taken off) along each joint's direction from the joints' mean, fitted as one
    scaling per frame, and across it, fitted as one turn, each over the RMS of what neither explains
    (:func:`wobble_energies`). Returns (size, turn), each shaped ``inputs.shape[:-3]``."""
    return energy_ratios(wobble_energies(inputs).mean(axis=-2))


def energy_ratios(energies: np.ndarray) -> tuple[np.ndarray, ...]:
    """The ratios, each shaped ``energies.shape[:-1]``, of :func:`shake_energies` (..., 2: the shake
    ratio) or :func:`wobble_energies` (..., 3: size and turn) averaged or summed over frames (a
    stream's running sums): the square root of each but the last over that of the last."""
    *parts, rest = np.sqrt(np.moveaxis(energies, -1, 0))
    return tuple(part / np.maximum(rest, 1e-12) for part in parts)


def wobble_share(ratios: np.ndarray) -> np.ndarray:
    """The size or orientation step's share, shaped like ``ratios`` (:func:`wobble_ratios`): 0 below
    :data:`WOBBLE_RAMP`, 1 above, linear between."""
    return _share(ratios, WOBBLE_RAMP)


def _share(ratio: np.ndarray, ramp: tuple[float, float]) -> np.ndarray:
    return np.clip((ratio - ramp[0]) / (ramp[1] - ramp[0]), 0.0, 1.0)


def shake_shares(inputs: np.ndarray, ramp: tuple[float, float] = SHAKE_RAMP) -> np.ndarray:
    """How much of :func:`steady_body`'s steadying each person of ``inputs`` (..., T, J, C), without
    NaN, gets: (..., 3) shares in [0, 1] of its track (:func:`shake_ratio` over ``ramp``, times
    :func:`shake_level` over :data:`SHAKE_LEVEL`; 2D only: 3D poses come root-relative, the root's
    own noise moving their mean), its size and its
    orientation (:func:`wobble_ratios` over :data:`WOBBLE_RAMP`)."""
    inputs = np.asarray(inputs)
    fast = fast_part(inputs)  # once, for all three
    if inputs.shape[-1] == 2:
        energies = shake_energies(inputs, fast)
        track = track_share(energy_ratios(energies.mean(axis=-2))[0], level_of(energies[..., 0], body_sizes(inputs)),
                            ramp)
    else:
        track = np.zeros(inputs.shape[:-3])
    wobbles = energy_ratios(wobble_energies(inputs, fast).mean(axis=-2))
    return np.stack([track, *(wobble_share(ratio) for ratio in wobbles)], axis=-1)


def torso_joints(layout: str | Layout | None) -> list[int] | slice:
    """The joints of ``layout`` a body's size is read on: its :data:`TORSO`, else (or None) every joint."""
    names = get_layout(layout).joints if layout else ()
    return [names.index(n) for n in TORSO] if set(TORSO) <= set(names) else slice(None)


def steady_size_and_turn(out: np.ndarray, size: np.ndarray, turn: np.ndarray, cutoff: float, rate: float,
                         torso: list[int] | slice) -> np.ndarray:
    """``out`` (..., T, J, C) float64, per frame turned about its joints' mean by ``turn`` (...) of the
    turn that best takes it to its low-pass (Butterworth of order 4 at ``cutoff`` Hz, zero-phase, at
    ``rate`` fps) and scaled by ``size`` (...) of the ``torso`` joints' size change there (in logs)."""
    low = butterworth(out, cutoff=cutoff, order=4, fps=rate)
    centre = out.mean(-2, keepdims=True)
    a, b = out - centre, low - low.mean(-2, keepdims=True)
    _, best, _, _ = similarity_fit(a, b, np.ones(a.shape[:-1]))  # the rotation taking a onto b, never a reflection
    if out.shape[-1] == 2:
        angle = np.arctan2(best[..., 1, 0], best[..., 0, 0]) * turn[..., None]
        cos, sin = np.cos(angle), np.sin(angle)
        rotation = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)
    else:
        from scipy.spatial.transform import Rotation

        vector = Rotation.from_matrix(best.reshape(-1, 3, 3)).as_rotvec().reshape(best.shape[:-1])
        rotation = Rotation.from_rotvec((vector * turn[..., None, None]).reshape(-1, 3)).as_matrix().reshape(best.shape)

    def spread(x: np.ndarray) -> np.ndarray:
        part = x[..., torso, :]
        part = part - part.mean(-2, keepdims=True)
        return np.maximum(_dot(part, part).sum(-1), 1e-12)

    scale = np.exp(size[..., None] * 0.5 * np.log(spread(low) / spread(out)))
    return centre + scale[..., None, None] * np.einsum("...ab,...jb->...ja", rotation, a)


def steady_body(refined: np.ndarray, inputs: np.ndarray, fps: float | None = None, *,
                hz: float = SHAKE_HZ, ramp: tuple[float, float] = SHAKE_RAMP,
                layout: str | Layout | None = None, shares: np.ndarray | None = None) -> np.ndarray:
    """``refined`` (..., T, J, C), its joint-mean track low-passed at ``hz`` where ``inputs`` (same
    shape, without NaN: the values it was refined from) shakes as a whole, and its per-frame size and
    orientation brought to their low-pass where ``inputs`` wobbles in them, each by its share of
    :func:`shake_shares` (``shares``: those already measured, (..., 3)); the pose about them is
    kept. ``fps``: the poses' rate (None: 30). ``layout``: the joints' (the size is read on its
    :data:`TORSO`; None: on every joint). Same shape and dtype; ``refined`` itself where nothing shakes."""
    share, size, turn = np.moveaxis(shake_shares(inputs, ramp) if shares is None else np.asarray(shares), -1, 0)
    if not (share.any() or size.any() or turn.any()):
        return refined
    rate = 30.0 if fps is None else float(fps)
    out = np.asarray(refined, np.float64)
    if share.any():
        track = out.mean(axis=-2, keepdims=True)
        steady = butterworth(track, cutoff=cutoff_for(hz, rate), order=4, fps=rate)
        out = out + share[..., None, None, None] * (steady - track)
    if size.any() or turn.any():
        out = steady_size_and_turn(out, size, turn, cutoff_for(hz, rate), rate, torso_joints(layout))
    return out.astype(np.asarray(refined).dtype)


def shake_note(shares: list[tuple[float, float, float]], hz: float = SHAKE_HZ) -> str:
    """What ``synsp refine`` says of the :func:`shake_shares` (track, size, orientation) of the spans
    it refined; "" where none was steadied."""
    if not len(shares):
        return ""
    kinds = [name for name, share in zip(("its track", "its size", "its orientation"), np.max(shares, axis=0))
             if share > 0]
    if not kinds:
        return ""
    which = kinds[0] if len(kinds) == 1 else ", ".join(kinds[:-1]) + " and " + kinds[-1]
    return (f"shake: the whole body moved together from frame to frame, as a detector's jittering box or an "
            f"estimator's wobbling scale and orientation move it; {which} followed a {hz:g} Hz low-pass")

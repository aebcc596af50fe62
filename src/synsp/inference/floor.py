"""The network's floor: how far it moves clean poses, and a correction kept in proportion to it.

Beyond smoothing, a network corrects what it takes for an estimator's slow errors (bias, drift)
from what poses usually look like. On clean poses, or on input whose errors are only fast
(jitter, white noise, frame-to-frame wobble of the whole body), that "correction" is its own
error: the shipped 3D model moves clean mocap by ~10 mm where a Butterworth filter moves it by
2, and made jitter-only input worse than a filter does (benchmarks/RESULTS.md, section 9, "The
network's floor").

So the refiner measures its correction against a plain filter of the input (the Butterworth
baseline, :data:`BASELINE_HZ`; in 2D, SmoothNet's output of the same input,
:data:`SMOOTHNET_BASE`) and keeps its slow part (below :data:`SLOW_HZ`, where a guess of
what bodies do lies) in proportion to how far it stands above the *floor*: the slow correction
the same network makes on clean poses, per joint, measured once per model
(:func:`measure_floor`, stored in the checkpoint by ``synsp floor``). The faster part (the
network smoothing more than the baseline) is kept whole. Per clip and joint, with ``r`` the
slow correction's RMS over the clip and ``f`` the floor, the slow correction is scaled by
``max(0, 1 - s * f^2 / r^2)``: a James-Stein-like shrinkage at ``s`` times its strength
(:data:`SHRINK`, per space: the strongest on the validation split's grid whose cost on input
with slow errors stays within about 1 % of no step on the motions the model never trained on;
benchmarks/RESULTS.md, section 9, "The floor step and the limbs' drift" and "The floor on motion
the model never saw"). A large correction (a real estimator's bias, a swap) is kept nearly
whole; one near the floor is cut (in 2D by three quarters at the floor and wholly at 0.87 of it;
in 3D, at the whole strength, wholly up to 1.9 times the floor and by half at 2.6 times), leaving
more of the filtered input.

In 3D the strength is scaled down by the input's own evidence of slow errors
(:func:`bone_drift`): limbs that change length slowly over the clip are an estimator's drift,
which the network's slow correction is there to fix; limbs that keep their length (clean
poses, jitter-only input) leave that correction nothing real to fix but the network's pull
towards the motions it knows.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, Iterable

import numpy as np

from synsp.consistency import frame_lengths
from synsp.filters import butterworth, cutoff_for
from synsp.sequence import body_sizes
from synsp.skeleton import Layout, bone_tree, get_layout, joint_distances

__all__ = ["BASELINE_HZ", "SMOOTHNET_BASE", "SMOOTHNET_BASE_STRIDE",
           "DRIFT_RAMP", "SHRINK", "SHRINK_CONVERTED", "SLOW_HZ", "baseline", "slow_part",
           "bone_drift", "length_drift", "lengths_drift", "length_changes", "limb_lengths", "limb_bones", "kept_share",
           "drift_factor", "drift_note",
           "correction_rms",
           "measure_floor", "floor_step", "keep_above_floor"]

# The baseline a correction is measured from: Pose2Sim's default Butterworth (6 Hz, order 4).
BASELINE_HZ = 6.0
# Its ends, and those of the slow part the step keeps, turn about a line fitted to this many end frames
# (filters.butterworth's ``end_fit``), not about the end frame: Pose2Sim's odd extension keeps the end frame's
# noise, and the step kept each clip's first and last frames near their input (RESULTS section 10, "Short clips").
END_FIT = 5
# Per space, whether the refiner measures the correction from SmoothNet's output of the same input
# instead of the Butterworth: in 2D, SmoothNet's slow part lies nearer the truth than the
# Butterworth's, so what the step cuts falls back on better values. Validation, 2D `jitter` /
# `typical` x input: clip_sweep.py coco17 0.786 / 0.882 -> 0.767 / 0.880, gap2d.py mocap 0.757 /
# 0.889 -> 0.740 / 0.888 (RESULTS section 4, "2D clips with little jitter"). 3D not measured.
SMOOTHNET_BASE = {"3d": False, "2d": True}
# SmoothNet's windows for that baseline start every this many frames (its own default: every
# frame): only the baseline's slow part (below SLOW_HZ) reaches the output, and a stride of 8
# changes it little at an eighth of the work.
SMOOTHNET_BASE_STRIDE = 8
# Only the correction's part below this is weighed against the floor and shrunk: on jitter-only
# input the faster part is the network's extra smoothing, which should stay. Chosen on the
# validation split (RESULTS section 9, "The floor on the slow part"; 1 Hz gained a little more on
# jitter and moved clean poses further, 3 Hz the other way round).
SLOW_HZ = 2.0
# Strength of the shrinkage (1: James-Stein's) per space; chosen on the validation split (RESULTS
# section 9: 3D "The floor step and the limbs' drift", before 0.5 with no ramp; 2D "The floor on
# motion the model never saw").
SHRINK = {"3d": 3.5, "2d": 0.75}
# The strength for a skeleton refined through the model's (Halpe-26, BODY-25, MediaPipe-33 in
# 3D, whose spine, thorax and head joints the conversion makes): chosen on the validation split
# by the same rule, the top of its grid (RESULTS section 9, "The floor step and the limbs' drift";
# before: 2.0 with no ramp). 2D conversions copy COCO's 17 keypoints as they are, so 2D keeps its
# own strength.
SHRINK_CONVERTED = {"3d": 8.0, "2d": SHRINK["2d"]}
# 3D: the strength is whole while the input's bone drift (:func:`bone_drift`, body sizes) stays
# below the first figure and none above the second, linear between. Clean mocap measures
# ~0.0001, jitter-only input ~0.0024, the `typical` estimator ~0.0067 (medians over the
# validation split); chosen there (RESULTS section 9, "The floor step and the limbs' drift").
DRIFT_RAMP = (2e-3, 4e-3)


def baseline(poses: np.ndarray, fps: float | None = None) -> np.ndarray:
    """The Butterworth baseline (..., T, J, C) of poses without NaN at ``fps`` (None: 30); below
    15 fps its cut-off is lowered under the Nyquist rate (:func:`synsp.filters.cutoff_for`)."""
    fps = 30.0 if fps is None else float(fps)
    return butterworth(poses, cutoff=cutoff_for(BASELINE_HZ, fps), order=4, fps=fps, end_fit=END_FIT)


def slow_part(diff: np.ndarray, fps: float | None = None, end_fit: int = 1) -> np.ndarray:
    """The part of a correction ``diff`` (..., T, J, C) below :data:`SLOW_HZ` (a zero-phase
    Butterworth of order 2), at ``fps`` (None: 30); ``end_fit`` as :func:`synsp.filters.butterworth`'s
    (the floor step's own: :data:`END_FIT`; the readings that share this filter keep the ends they were
    calibrated with)."""
    fps = 30.0 if fps is None else float(fps)
    return butterworth(diff, cutoff=cutoff_for(SLOW_HZ, fps), order=2, fps=fps, end_fit=end_fit)


def bone_drift(inputs: np.ndarray, layout: str | Layout, fps: float | None = None,
               seen: np.ndarray | None = None) -> np.ndarray:
    """How much a person's limbs change length slowly: per person (each leading index of
    ``inputs`` (..., T, J, 3), without NaN), the median over frames of the slow part
    (:func:`slow_part`) of each limb bone's length minus its median over the clip, averaged over
    the limb bones (:func:`limb_bones`), in body sizes.

    Upper arms, forearms, thighs and shins are rigid in every skeleton, so this is about zero for
    ideal poses; an estimator's drift, size and depth errors raise it, fast jitter hardly does,
    and medians keep a short swap or lost joint from raising it. ``seen`` ((..., T, J) bool, None:
    every value): the values the input measured. A bone's length is read only in frames where both
    its ends were seen, and bridged straight across the others (:func:`_seen_lengths`): a fill
    through a swinging shin changes its length, which read as an estimator's drift on files with
    many short gaps (RESULTS section 4, "Files with many short gaps"). Returns an
    array shaped ``inputs.shape[:-3]`` (a 0-d array for one person)."""
    bones = np.asarray(bone_tree(layout))[list(limb_bones(layout))]
    inputs = np.asarray(inputs, np.float64)
    return _pair_drift(inputs, bones, fps, seen).mean(axis=-1) / np.maximum(_sizes(inputs)[..., 0], 1e-9)


def length_drift(inputs: np.ndarray, pairs: np.ndarray, fps: float | None = None,
                 seen: np.ndarray | None = None) -> np.ndarray:
    """How much each distance between two joints of ``inputs`` (..., T, J, 3), without NaN, changes slowly:
    per pair of ``pairs`` ((P, 2) joint indices), the median over frames of the slow part (:func:`slow_part`) of
    the distance minus its median over the clip, in body sizes; ``seen`` as :func:`bone_drift`'s. Returns
    (..., P)."""
    inputs = np.asarray(inputs, np.float64)
    return _pair_drift(inputs, pairs, fps, seen) / np.maximum(_sizes(inputs)[..., :1], 1e-9)


def length_changes(inputs: np.ndarray, pairs: np.ndarray, fps: float | None = None,
                   seen: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """:func:`length_drift` (each distance's slow change) and, alike, its fast change: per pair, the median over
    frames of the distance's part above :data:`SLOW_HZ` (the distance minus its median and its slow part), in
    body sizes; ``seen`` as :func:`bone_drift`'s. Returns two (..., P) arrays."""
    inputs = np.asarray(inputs, np.float64)
    size = np.maximum(_sizes(inputs)[..., :1], 1e-9)
    slow, fast = _pair_changes(inputs, pairs, fps, seen)
    return slow / size, fast / size


def _pair_drift(inputs: np.ndarray, pairs: np.ndarray, fps: float | None, seen: np.ndarray | None) -> np.ndarray:
    """:func:`length_drift` in the poses' unit (..., P)."""
    return _pair_changes(inputs, pairs, fps, seen, fast=False)[0]


def _pair_changes(inputs: np.ndarray, pairs: np.ndarray, fps: float | None, seen: np.ndarray | None,
                  fast: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`length_changes` in the poses' unit (..., P); the fast change None unless ``fast``."""
    pairs = np.asarray(pairs, int).reshape(-1, 2)
    lengths = joint_distances(inputs, pairs[:, 1], pairs[:, 0])  # (..., T, P)
    return _changes(lengths, pairs, fps, seen, fast)


def lengths_drift(lengths: np.ndarray, pairs: np.ndarray, fps: float | None = None,
                  seen: np.ndarray | None = None) -> np.ndarray:
    """:func:`length_drift` of given ``lengths`` (..., T, P) of ``pairs`` ((P, 2) joint indices, which ``seen``
    ((..., T, J) bool, None: every value) reads the frames of, as :func:`bone_drift`'s): in the lengths' unit,
    (..., P)."""
    return _changes(np.asarray(lengths, np.float64), np.asarray(pairs, int).reshape(-1, 2), fps, seen, False)[0]


def _changes(lengths: np.ndarray, pairs: np.ndarray, fps: float | None, seen: np.ndarray | None,
             fast: bool = True) -> tuple[np.ndarray, np.ndarray | None]:
    """:func:`_pair_changes` of the ``pairs``' (P, 2) ``lengths`` (..., T, P)."""
    if seen is None:
        counted = np.ones(lengths.shape, bool)
    else:
        lengths, counted = _seen_lengths(lengths, np.asarray(seen, bool), pairs)
    centre = np.nanmedian(np.where(counted, lengths, np.nan), axis=-2, keepdims=True)
    part = slow_part((lengths - centre)[..., None], fps)[..., 0]
    slow = np.nanmedian(np.where(counted, np.abs(part), np.nan), axis=-2)
    if not fast:
        return slow, None
    return slow, np.nanmedian(np.where(counted, np.abs(lengths - centre - part), np.nan), axis=-2)


# A bone seen in fewer frames than this is read on every frame (filled ones too): too few to bridge from.
MIN_SEEN_FRAMES = 4


def _seen_lengths(lengths: np.ndarray, seen: np.ndarray, bones: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``lengths`` (..., T, B) of ``bones`` ((B, 2) joint indices) with each bone's frames where an end was not
    ``seen`` ((..., T, J)) replaced by a straight line between the seen frames around them (a rigid bone's length
    stays put across a gap, a fill's does not), and the (..., T, B) mask of the frames read: the seen ones, or
    every frame of a bone seen in fewer than :data:`MIN_SEEN_FRAMES`."""
    both = seen[..., bones[:, 0]] & seen[..., bones[:, 1]]  # (..., T, B)
    flat, mask = lengths.reshape(-1, *lengths.shape[-2:]).copy(), both.reshape(-1, *both.shape[-2:]).copy()
    frames = np.arange(flat.shape[-2])
    for person, bone in np.ndindex(flat.shape[0], flat.shape[-1]):
        keep = mask[person, :, bone]
        if keep.sum() < MIN_SEEN_FRAMES:
            mask[person, :, bone] = True
        elif not keep.all():
            flat[person, :, bone] = np.interp(frames, frames[keep], flat[person, keep, bone])
    return flat.reshape(lengths.shape), mask.reshape(lengths.shape)


def limb_lengths(poses: np.ndarray, layout: str | Layout) -> np.ndarray:
    """Each frame's limb bone lengths (..., B) of poses (..., J, 3), in :func:`limb_bones` order."""
    return frame_lengths(poses, layout)[..., list(limb_bones(layout))]


def kept_share(rms: np.ndarray, floor2: np.ndarray) -> np.ndarray:
    """The share of a slow correction of RMS ``rms`` that the step keeps, given ``floor2`` (the
    strength times the floor squared, broadcastable): ``max(0, 1 - floor2 / rms^2)``, at most 1."""
    return np.clip(1.0 - floor2 / np.maximum(rms, 1e-12) ** 2, 0.0, 1.0)


@lru_cache(maxsize=None)
def limb_bones(layout: str | Layout) -> tuple[int, ...]:
    """Indices into :func:`synsp.skeleton.bone_tree` of the bones between two limb joints (hip,
    knee, ankle, shoulder, elbow, wrist); every bone if the layout names none."""
    layout = get_layout(layout)
    limb = [any(word in name for word in ("hip", "knee", "ankle", "shoulder", "elbow", "wrist"))
            for name in layout.joints]
    bones = tuple(i for i, (a, b) in enumerate(bone_tree(layout)) if limb[a] and limb[b])
    return bones or tuple(range(len(bone_tree(layout))))


def drift_factor(drift: np.ndarray | float, ramp: tuple[float, float] = DRIFT_RAMP) -> np.ndarray:
    """The share of the floor step's strength kept at a :func:`bone_drift` of ``drift``: 1 up to
    ``ramp[0]``, 0 from ``ramp[1]``, linear between; shaped like ``drift``."""
    low, high = ramp
    return 1.0 - np.clip((np.asarray(drift, np.float64) - low) / (high - low), 0.0, 1.0)


def drift_note(drifts: Iterable[float], ramp: tuple[float, float] = DRIFT_RAMP, steady: Iterable[str] = ()) -> str:
    """What ``synsp refine`` says of the limb drift (:func:`bone_drift`) of the spans it refined; ``steady``, the
    joints given the floor step back there (:mod:`synsp.inference.joint_drift`)."""
    drifts = sorted(float(d) for d in drifts)
    shares = drift_factor(np.array(drifts), ramp)
    amount = f"{drifts[0]:.4f}" + (f"-{drifts[-1]:.4f}" if drifts[-1] - drifts[0] >= 5e-5 else "")
    if (shares == 1).all():
        return (f"limbs: they keep their length over the clip (slow change {amount} body sizes), so the network's "
                "slow correction was kept only where it stands above its floor, as for clean or jitter-only poses")
    steady = list(steady)
    if steady:  # most joints keep their distances: a few joints' definitions drift, the others were kept to the input
        return (f"limbs: they change length slowly over the clip ({amount} body sizes), but {len(steady)} joints keep "
                f"their own bones' lengths ({', '.join(steady)}): a few joints' definitions drift, as an estimator's "
                "that moves with the pose or a slipping marker makes them; the network's slow correction of those "
                "joints was cut back towards the floor step's, as on a clip without drift, so less of the drift "
                "reaches them")
    if (shares == 0).all():
        return (f"limbs: they change length slowly over the clip ({amount} body sizes), as an estimator's drift "
                "makes them, so the network's slow correction was kept whole")
    strength = f"{shares.min():.0%}" + (f"-{shares.max():.0%}" if shares.max() > shares.min() else "")
    return (f"limbs: they change length a little over the clip ({amount} body sizes), so the network's slow "
            f"correction was cut back at {strength} of the floor step's strength")


def correction_rms(inputs: np.ndarray, refined: np.ndarray, fps: float | None = None) -> np.ndarray:
    """Per joint, the RMS over frames of the slow part (:func:`slow_part`) of
    ``refined - baseline(inputs)``, in body sizes.

    Parameters
    ----------
    inputs, refined : ndarray (..., T, J, C) without NaN, before and after refinement; the
        leading dimensions are separate people or views, each with its own body size.

    Returns
    -------
    ndarray (..., J): RMS distance per joint divided by the person's size
    (:func:`synsp.sequence.body_size` of ``inputs``).
    """
    inputs = np.asarray(inputs, np.float64)
    return _rms(slow_part(np.asarray(refined, np.float64) - baseline(inputs, fps), fps), _sizes(inputs))


def _sizes(inputs: np.ndarray) -> np.ndarray:
    """(..., 1) body size of each person (leading index) of ``inputs`` (..., T, J, C)."""
    return body_sizes(inputs)[..., None]


def _rms(diff: np.ndarray, sizes: np.ndarray) -> np.ndarray:
    """(..., J) RMS over frames of ``diff`` (..., T, J, C) in ``sizes`` (..., 1)."""
    return np.sqrt(np.mean(np.sum(diff ** 2, axis=-1), axis=-2)) / np.maximum(sizes, 1e-9)


def measure_floor(refine: Callable[[np.ndarray], np.ndarray], clips: Iterable[np.ndarray],
                  fps: float | None = None) -> np.ndarray:
    """A refiner's floor: the median over clean ``clips`` (each (T, J, C)) of
    :func:`correction_rms` of ``refine(clip)``; returns (J,) in body sizes."""
    return np.median([correction_rms(clip, refine(clip), fps) for clip in clips], axis=0)


def floor_step(inputs: np.ndarray, floor: np.ndarray, *, shrink: float | np.ndarray,
               fps: float | None = None, base: np.ndarray | None = None) -> Callable[[np.ndarray], np.ndarray]:
    """:func:`keep_above_floor` for several refinements of the same ``inputs`` (a refiner's
    outputs): the baseline and the body sizes are computed once, here. ``shrink`` is one
    strength, one per person (shaped ``inputs.shape[:-3]``) or one per person and joint
    (``inputs.shape[:-3] + (J,)``). ``base`` (shaped like ``inputs``,
    same unit) is the baseline the correction is measured from (None: :func:`baseline`, the
    Butterworth; the 2D refiner gives SmoothNet's output, :data:`SMOOTHNET_BASE`). Returns the
    function ``refined -> kept`` (arrays shaped like ``inputs``)."""
    inputs = np.asarray(inputs, np.float64)
    base = baseline(inputs, fps) if base is None else np.asarray(base, np.float64)
    sizes = _sizes(inputs)
    shrink = np.asarray(shrink, np.float64)
    # one strength per person, or one per person and joint (inference.joint_drift)
    floor2 = (shrink[..., None] if shrink.ndim == inputs.ndim - 3 else shrink) * np.asarray(floor, np.float64) ** 2

    def step(refined: np.ndarray) -> np.ndarray:
        diff = np.asarray(refined, np.float64) - base
        slow = slow_part(diff, fps, END_FIT)
        gain = kept_share(_rms(slow, sizes), floor2)
        return (base + diff - (1.0 - gain[..., None, :, None]) * slow).astype(np.asarray(refined).dtype)

    return step


def keep_above_floor(inputs: np.ndarray, refined: np.ndarray, floor: np.ndarray, *,
                     shrink: float, fps: float | None = None) -> np.ndarray:
    """Keep a refiner's correction in proportion to how far it stands above its floor.

    Parameters
    ----------
    inputs, refined : ndarray (..., T, J, C) without NaN, before and after refinement.
    floor : (J,) the refiner's :func:`measure_floor`, in body sizes.
    shrink : strength, 1 for James-Stein's (:data:`SHRINK` holds the defaults per space);
        0 gives ``refined`` back.
    fps : frame rate of the poses (None: 30), for the Butterworth baseline.

    Returns
    -------
    ndarray like ``refined``: ``refined - (1 - gain) * slow`` with ``slow`` the slow part of
    ``refined - baseline`` and, per clip (each leading index) and joint,
    ``gain = max(0, 1 - shrink * floor^2 / rms(slow)^2)``.
    """
    if shrink <= 0:
        return refined
    return floor_step(inputs, floor, shrink=shrink, fps=fps)(refined)

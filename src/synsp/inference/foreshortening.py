"""A 2D body seen from high above: its trunk foreshortened, its shoulders at their full width.

The 2D model learnt bodies seen from cameras between 5 degrees below and 30 degrees above them
(:func:`synsp.data.camera.random_camera`); from a camera higher than about 50 degrees it pulls the
squat figure towards the upright ones it knows, moving even clean poses by 1-4 px and leaving white
jitter worse than SmoothNet does (benchmarks/RESULTS.md, section 4, "Seen from above"). The
clip's median trunk length over shoulder width tells such views: 1.5-2.5 from level, 1.0 at
60 degrees, 0.2 straight down. Below :data:`FORESHORTENED` the Refiner gives its fallback's output
(SmoothNet's, which sees each coordinate alone and knows no body), and keeps the network's only where it
departs from it by more than a threshold that grows as the trunk shortens (:func:`with_fallback`): a gross
error the network repairs (a swap, a limb exchanged), not the small pull towards upright bodies."""
from __future__ import annotations

import numpy as np

from synsp.inference.clean import opened
from synsp.skeleton import Layout
from synsp.skeleton.pose_geometry import trunk_vector

# (all SmoothNet's, all SynSP's): the trunk-over-shoulders ratio at and below which the output is wholly the
# fallback's, and at and above which wholly the network's. Between, the network's output is kept where it
# departs from the fallback's by more than BEYOND x the body's size x the fallback's share (0 at 1.2, 1 at
# 0.7). Chosen on the validation split (24 clips from cameras at 30-89 degrees under white jitter of 1 % of
# the body, `typical` and none, drawn twice; the protocol's 65 clips under `typical`, `hard`, `jitter` and
# none, and under `typical` with the wide shoulders of Human3.6M, which read 1.02-1.37 in 5 % of clips from
# the protocol's level cameras; ad hoc /work/exp/me/s59/shrink3.py, RESULTS section 4, "Seen from above").
# x input: 60 degrees white 0.981 -> 0.683, clean moved 0.86 -> 0.46 px, `typical` 0.921 -> 0.937; 45 degrees
# `typical` 0.884 -> 0.888; wide shoulders `typical` 0.886 -> 0.888. A ramp from 1.4 to 0.8 fixed more at 60
# degrees (0.578, 0.25 px) but cost the wide shoulders 0.013 (0.899) and 45 degrees 0.019; a linear blend
# instead of the threshold cost `typical` at 60 degrees more (0.967 against 0.948 over 1.4-0.8).
FORESHORTENED = (0.7, 1.2)
BEYOND = 0.05


def trunk_ratio(poses: np.ndarray, layout: Layout) -> float:
    """Median over persons and frames of the trunk's length (hips' to shoulders' midpoint) over the
    shoulders' width, for (..., T, J, 2) poses in ``layout`` (any unit; NaN frames skipped); NaN when
    the layout has no hips or shoulders or no frame shows them."""
    if not all(name in layout.joints for name in ("left_shoulder", "right_shoulder", "left_hip", "right_hip")):
        return float("nan")
    x = np.asarray(poses, np.float64)
    width = np.linalg.norm(x[..., layout.index("left_shoulder"), :] - x[..., layout.index("right_shoulder"), :],
                           axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = np.linalg.norm(trunk_vector(x, layout), axis=-1) / width
    ratio = ratio[np.isfinite(ratio)]
    return float(np.median(ratio)) if ratio.size else float("nan")


def fallback_share(ratio: float, ramp: tuple[float, float] = FORESHORTENED) -> float:
    """How far a clip of this :func:`trunk_ratio` is the fallback's: 1 at or below ``ramp[0]``, 0 at or
    above ``ramp[1]`` (and for NaN: nothing to tell), linear between (:func:`with_fallback`)."""
    return float(1.0 - opened(ratio, ramp)) if np.isfinite(ratio) else 0.0


def seen_from_above(poses: np.ndarray, layout: Layout, ramp: tuple[float, float] | None) -> tuple[float, float]:
    """(:func:`trunk_ratio`, :func:`fallback_share`) of (..., T, J, 2) poses in ``layout``; (NaN, 0)
    when ``ramp`` is None (not asked)."""
    if ramp is None:
        return float("nan"), 0.0
    ratio = trunk_ratio(poses, layout)
    return ratio, fallback_share(ratio, ramp)


def with_fallback(outputs: dict[str, np.ndarray], fallback: np.ndarray, share: float | np.ndarray,
                  size: float, beyond: float = BEYOND, whole: bool = True) -> dict[str, np.ndarray]:
    """Each of the network's ``outputs`` (name -> (..., J, C) array) given as the ``fallback``'s output (same
    shape and unit) except where a joint departs from it by more than ``share`` x ``beyond`` x ``size``
    (the body's, same unit): there the part beyond that is the network's. ``share`` 1: the fallback's alone
    when ``whole`` (else still the part beyond ``beyond`` x ``size``: inference.leaned_trunk). ``share`` may be
    an array broadcast against (..., J, 1): one per frame (inference.leaned_trunk.flexed_shares)."""
    if np.all(np.asarray(share) >= 1) and whole:
        return {name: fallback.astype(out.dtype) for name, out in outputs.items()}
    threshold = np.minimum(share, 1.0) * beyond * size
    result = {}
    for name, out in outputs.items():
        apart = out - fallback
        distance = np.maximum(np.linalg.norm(apart, axis=-1, keepdims=True), 1e-12)
        result[name] = (fallback + apart * np.clip(1 - threshold / distance, 0, 1)).astype(out.dtype)
    return result

"""A 2D body seen from high above: its trunk foreshortened, its shoulders at their full width.

The 2D model learnt bodies seen from cameras between 5 degrees below and 30 degrees above them
(:func:`synsp.data.camera.random_camera`); from a camera higher than about 50 degrees it pulls the
squat figure towards the upright ones it knows, moving even clean poses by 1-4 px and leaving white
jitter worse than SmoothNet does (benchmarks/RESULTS.md, section 4, "Seen from above"). The
clip's median trunk length over shoulder width tells such views: 2 or more from level, 1.0 at
60 degrees, 0.2 straight down. Below :data:`FORESHORTENED` the Refiner blends its output towards
its fallback's (SmoothNet's, which sees each coordinate alone and knows no body)."""
from __future__ import annotations

import numpy as np

from synsp.skeleton import Layout
from synsp.skeleton.pose_geometry import trunk_vector

# (all SmoothNet's, all SynSP's): the trunk-over-shoulders ratio below which the output is wholly the
# fallback's, and above which wholly the network's; linear between. Chosen on the validation split (12
# clips from cameras at 0-89 degrees under white jitter, `typical` and none, benchmarks/high_cameras.py;
# the protocol's 65 clips under `typical`, `hard`, `jitter` and none; ad hoc /work/exp/me/s59; RESULTS
# section 4): 1.1-1.4 costs the protocol at most 0.002 x input (`hard`), where 1.3-1.6 cost 0.008 and
# 1.0-1.3 left 60 degrees at 0.580 x input under white jitter (SmoothNet 0.501; SynSP alone 0.964).
FORESHORTENED = (1.1, 1.4)


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
    """The share of the output the fallback gives for a clip of this :func:`trunk_ratio`: 1 at or
    below ``ramp[0]``, 0 at or above ``ramp[1]`` (and for NaN: nothing to tell), linear between."""
    if not np.isfinite(ratio):
        return 0.0
    low, high = ramp
    return float(np.clip((high - ratio) / (high - low), 0.0, 1.0))


def seen_from_above(poses: np.ndarray, layout: Layout, ramp: tuple[float, float] | None) -> tuple[float, float]:
    """(:func:`trunk_ratio`, :func:`fallback_share`) of (..., T, J, 2) poses in ``layout``; (NaN, 0)
    when ``ramp`` is None (not asked)."""
    if ramp is None:
        return float("nan"), 0.0
    ratio = trunk_ratio(poses, layout)
    return ratio, fallback_share(ratio, ramp)


def with_fallback(outputs: dict[str, np.ndarray], fallback: np.ndarray, share: float) -> dict[str, np.ndarray]:
    """Each of the network's ``outputs`` (name -> array) blended with the ``fallback``'s output (same shape and unit):
    ``share`` of the fallback's, the rest the network's; each keeps its dtype."""
    return {name: (out * (1 - share) + fallback * share).astype(out.dtype) for name, out in outputs.items()}

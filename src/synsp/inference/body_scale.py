"""The body size the 3D networks were trained at: clips of other sizes are scaled into it and back.

A 3D network works in millimetres, on the mocap actors' bodies scaled by 0.85-1.15
(``DataConfig.scale``). A clip in a unit its file does not say (a BVH in inches read as
centimetres, feet read as metres), or of a much smaller or larger body, is refined at the
nearest trained size and scaled back. The size is the median over bones of each bone's
length against the actors' (a bone has one length in every posture, unlike a bounding box),
so missing joints and other skeletons' joint definitions barely move it. Test split
(benchmarks/sizes.py, RESULTS section 9, "Other sizes"), `typical` x input and clean poses moved:
inches read as centimetres 0.862 and 13.2 mm without this step, 0.835 and 5.2 mm with it; feet
read as metres 0.967 and 24.2 mm, then 0.832 and 5.2 mm (the clip at its own size: 0.832, 4.8 mm).
"""
from __future__ import annotations

import numpy as np

from synsp.config import DataConfig
from synsp.skeleton import Layout, get_layout

__all__ = ["HUMAN_RANGE", "TRAINED_BONES_MM", "TRAINED_RANGE", "relative_size", "size_factor", "size_note"]

# Median length of every bone of the training split's actors (clean mocap, 507 clips; the actors
# share one skeleton, spread < 5 mm), in the layout's bone order; tests/test_body_scale.py checks it.
TRAINED_BONES_MM: dict[str, tuple[float, ...]] = {
    "h36m17": (129.0, 396.0, 410.0, 129.0, 391.0, 410.0, 224.0, 209.0, 130.0, 114.0, 107.0, 243.0, 223.0,
               109.0, 243.0, 223.0),
}
# The body-size factors the networks were trained on.
TRAINED_RANGE: tuple[float, float] = DataConfig().scale
# The sizes (x the actors', :func:`relative_size`) a human body measures in millimetres, any age or posture: outside,
# the file's unit is asked about. Measured on all 65 val clips (benchmarks/human_sizes.py, `typical` and clean):
# scaled to a 0.8 m child (adult or child proportions, also waist-up) >= 0.432; an adult of 1.5-1.58 m in inches read
# as centimetres <= 0.416, in feet read as metres >= 2.93; a 2.2 m adult is about 1.4.
HUMAN_RANGE: tuple[float, float] = (0.425, 2.0)


def relative_size(poses: np.ndarray, layout: str | Layout) -> float:
    """How large the body of 3D ``poses`` (..., T, J, 3), in millimetres, is against the training
    actors': the median over bones of (median length over frames) / (the actors' length).
    NaN joints are skipped; NaN when no bone is seen or the layout has no trained lengths."""
    layout = get_layout(layout)
    reference = TRAINED_BONES_MM.get(layout.name)
    if reference is None:
        return float("nan")
    x = np.asarray(poses, np.float64).reshape(-1, len(layout.joints), poses.shape[-1])
    lengths = np.stack([np.linalg.norm(x[:, a] - x[:, b], axis=-1) for a, b in layout.bones], axis=-1)  # (T, B)
    seen = np.isfinite(lengths).any(axis=0)
    if not seen.any():
        return float("nan")
    ratios = np.nanmedian(lengths[:, seen], axis=0) / np.asarray(reference)[seen]
    return float(np.median(ratios))


def size_factor(poses: np.ndarray, layout: str | Layout) -> float:
    """The factor that brings the body of ``poses`` (..., T, J, 3), millimetres, into the trained
    sizes (:data:`TRAINED_RANGE`): 1 inside them or when the size cannot be measured."""
    size = relative_size(poses, layout)
    if not np.isfinite(size) or size <= 0:
        return 1.0
    low, high = TRAINED_RANGE
    return float(np.clip(size, low, high) / size)


def size_note(factor: float) -> str:
    """What ``synsp refine`` says when it refined a body at ``factor`` times its size (:func:`size_factor`)."""
    low, high = TRAINED_RANGE
    bound = low if factor > 1 else high
    size = bound / factor
    # A child's body (0.8-1.3 m: 0.45-0.9 x) in the right unit is no question (audit 23, finding 4); a body no
    # human's size in millimetres is (inches read as centimetres: 0.39 x).
    human = HUMAN_RANGE[0] <= size <= HUMAN_RANGE[1]
    why = ("a child's or a small adult's size" if size < 1 else "a large body's size") if human else \
        "no human's size in millimetres: is the file's unit right?"
    return (f"size: the body measured {size:.2f} x the training actors' (in millimetres as read; {why}); "
            f"refined at {bound:.2f} x, then scaled back")

"""MediaPipe Holistic's 543 points come in blocks (the pose, the face, each hand) that MediaPipe gives
whole or not at all: which values a block missing in a frame covers, in either of Holistic's orders."""
from __future__ import annotations

import numpy as np

# Each Holistic order's blocks, as (name, first, end): MediaPipe gives a block whole or not at
# all (no hand when none is seen), so a block missing in a frame is missing, never filled.
BLOCKS: dict[str, tuple[tuple[str, int, int], ...]] = {
    "holistic543": (("pose", 0, 33), ("face", 33, 501), ("left_hand", 501, 522), ("right_hand", 522, 543)),
    "holistic543_kaggle": (("face", 0, 468), ("left_hand", 468, 489), ("pose", 489, 522), ("right_hand", 522, 543)),
}


def missing_blocks(missing: np.ndarray, layout: str | None) -> np.ndarray | None:
    """(..., T, J) bool: the joints of every block of ``layout`` (:data:`BLOCKS`) that is missing
    whole in a frame, given ``missing`` (..., T, J) bool; None for a layout of no blocks."""
    if layout not in BLOCKS:
        return None
    out = np.zeros_like(missing, dtype=bool)
    for _, first, end in BLOCKS[layout]:
        out[..., first:end] = missing[..., first:end].all(axis=-1, keepdims=True)
    return out


def depth_beside(xy: np.ndarray, depth: np.ndarray) -> np.ndarray:
    """Refined Holistic x, y ``xy`` (..., J, 2) with MediaPipe's z ``depth`` (..., J) back beside them as
    read: (..., J, 3), z missing (NaN) where x or y is. MediaPipe's z is a relative depth of each block's
    own origin and scale, so it is never refined as a coordinate; ``synsp.refine`` and ``synsp refine``
    both give it back here."""
    return np.concatenate([xy, np.where(np.isfinite(xy).all(-1), depth, np.nan)[..., None]], axis=-1)

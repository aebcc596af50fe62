"""A second look at input with gaps: the gaps refilled from SynSP's own output, refined again.

SynSP sees the joints of a frame together, so a fill far off on a fast limb (a straight or along-bone fill
through a running shin is 100-200 mm off) pulls the measured joints of the same frames. Handed
the first pass's output at the gaps instead of the fill, a second pass is pulled less (3D validation, runs of
1-6 frames missing, 8 mm noise: seen values 10.82 -> 9.35 mm and filled ones 32.9 -> 27.2 at 35 % missing,
6.35 -> 6.27 and 17.5 -> 14.6 at 5 %; RESULTS section 4, "Files with many short gaps"). It costs a
refinement per round, so only input with at least :data:`REFILL_SHARE` of its values unmeasured (missing, or
held: a repeat of the frame before, a gap to the measurement steps too) takes it; the protocol presets' input
has no missing value, and held values under 5 % but in one validation clip of 3D `hard` (8.6 %).
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.sequence import missing_mask

__all__ = ["REFILL_SHARE", "REFILL_ROUNDS", "refilled"]

# The share of the values unmeasured (missing or held) from which they are refilled and the clip
# refined again. Validation (benchmarks/gappy_files.py, 12 clips, 3D): the seen values gain 0.02 mm at 2 %
# missing (the filled ones 2.3), 0.07 at 5 %, 0.14 at 10 %, at three times the work; "many" starts at 5 %.
REFILL_SHARE = 0.05
# Second looks (each costs one more refinement). Validation, 3D seen values at 35 / 20 / 10 % missing: one
# 10.82 -> 10.14 / 7.44 -> 7.35 / 6.60 -> 6.54 mm (the travelling clips at 20 %: 8.83 -> 8.88), two 9.38 / 7.18 / 6.45.
REFILL_ROUNDS = 2


def refilled(run: Callable[[np.ndarray, np.ndarray | None], np.ndarray], poses: np.ndarray,
             missing: np.ndarray | None = None, *, still: Callable[[], tuple] | None = None,
             share: float | None = None, rounds: int | None = None) -> tuple[np.ndarray, tuple | None]:
    """``run(poses, missing)``'s output of ``poses`` ((T, J, C) or (V, T, J, C), NaN for missing values;
    ``missing``: more of them, (..., T, J) bool or None), refined again ``rounds`` times with its unmeasured
    values taken from the previous output (and passed as ``missing``: still no measurements), where at least
    ``share`` of the values is unmeasured (None: :data:`REFILL_ROUNDS`, :data:`REFILL_SHARE`, read at the call).
    ``still``: read after the first pass, the refiner's readings of it; its last two elements: whether it gave way
    to its fallback (not refined again) and the values it found unmeasured ((V, T, J) bool, missing or held values;
    None: not read). Without ``still``, the unmeasured values are the missing ones. Returns the output and, if it
    was refined again, ``still``'s reading of the first pass (else None)."""
    share = REFILL_SHARE if share is None else share
    rounds = REFILL_ROUNDS if rounds is None else rounds
    x = np.asarray(poses)
    unseen = missing_mask(x, missing)
    out = run(x, missing)
    first = still() if still is not None else (False, unseen)
    if first[-1] is None or first[-2]:  # nothing read, or the fallback's output
        return out, None
    unseen = unseen | np.asarray(first[-1]).reshape(unseen.shape)
    if not rounds or unseen.mean() < share or unseen.all():
        return out, None
    for _ in range(rounds):
        again = np.where(unseen[..., None], out, x).astype(x.dtype, copy=False)
        out = run(again, unseen)  # still not measurements (inference.refiner: the bones step pulls them less)
    return out, (first if still is not None else None)

"""Joint values scored below ``MIN_SCORE`` that agree with the fill made without them: kept, at half weight.

An estimator scores a joint low where it is unsure. Some of those values are measurements with more
noise (an occluded arm placed 16 px off, 8 x the rest), which the refinement fills worse than it
refines them (the fill of an arm over 15-45 frames is 35 px off); others are guesses far off (a spot
of the picture, the other limb's joint, a value held since the joint was lost), which must stay
missing. Told apart per run (one joint's consecutive low-scored frames) at the run's edges, where the
fill leans on confident values a frame away and is surest: a run whose first and last ``EDGE_FRAMES``
values lie on average within ``EDGE_AGREEMENT`` body sizes of the fill is kept whole; a guess jumps
there. A kept value is given half the weight of a confident one, as a measurement with about the
fill's own error: it is handed to the refinement halfway between its measurement and the fill
(validation, benchmarks/RESULTS.md section 4, "Low-scored joints kept where they agree").
"""
from __future__ import annotations

import numpy as np

from synsp.sequence import body_size

EDGE_FRAMES = 3  # values at each end of a run compared with the fill
EDGE_AGREEMENT = 0.03  # body sizes: validation 0.03 / 0.04 / 0.06 (0.04 kept a spot and a mirrored leg 0.035 off)
LOW_WEIGHT = 0.5  # a kept value's share beside the fill (1.0: the noisy leg 1.67 -> 1.82 px)


def low_runs(low: np.ndarray) -> list[tuple[int, int, int]]:
    """(joint, start, stop) of every run of consecutive True frames in ``low`` (T, J) bool."""
    padded = np.zeros((low.shape[0] + 2, low.shape[1]), np.int8)
    padded[1:-1] = low
    steps = np.diff(padded, axis=0)  # (T + 1, J): +1 where a run starts, -1 after it ends
    starts, stops = np.nonzero(steps.T == 1), np.nonzero(steps.T == -1)
    return [(int(j), int(a), int(b)) for j, a, b in zip(starts[0], starts[1], stops[1])]


def agreeing_low_values(values: np.ndarray, low: np.ndarray, fill: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The low-scored values to refine beside the confident ones, and where they are.

    Parameters
    ----------
    values : (..., T, J, C) the estimator's values, any unit.
    low : (..., T, J) bool, True where the value is finite but scored below ``MIN_SCORE``.
    fill : (..., T, J, C) the refinement of ``values`` with the low-scored ones missing (NaN where
        it left a joint missing), in the unit of ``values``.

    Returns
    -------
    (values (..., T, J, C), kept (..., T, J) bool): where ``kept``, halfway (``LOW_WEIGHT``)
    between the measurement and the fill; elsewhere ``values`` as given.
    """
    shape = values.shape
    flat_values, flat_fill = values.reshape(-1, *shape[-3:]), fill.reshape(-1, *shape[-3:])
    flat_low = low.reshape(-1, *shape[-3:-1])
    kept = np.zeros(flat_low.shape, bool)
    for p, (person, refined, person_low) in enumerate(zip(flat_values, flat_fill, flat_low)):
        size = body_size(np.where(person_low[..., None], np.nan, person))
        if not np.isfinite(size) or size <= 0:
            continue
        off = np.linalg.norm(person - refined, axis=-1) / size  # (T, J) body sizes; NaN where the fill has none
        for j, start, stop in low_runs(person_low):
            run = off[start:stop, j]
            edges = np.concatenate([run[:EDGE_FRAMES], run[-EDGE_FRAMES:]])
            kept[p, start:stop, j] = bool(np.isfinite(edges).all() and edges.mean() <= EDGE_AGREEMENT)
    kept = kept.reshape(low.shape)
    blended = np.where(kept[..., None], LOW_WEIGHT * values + (1 - LOW_WEIGHT) * fill, values)
    return blended.astype(values.dtype, copy=False), kept

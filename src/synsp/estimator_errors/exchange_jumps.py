"""An exchange's jumps stand out of the pair's own motion: fast swings are no left/right inversion.

:func:`synsp.estimator_errors.inversions.inversions` reads a pair's labelling from its frame-to-frame
steps: a change of labels costs a jump of a fixed share of the body's size, and a run is exchanged where
its two joints step less so. The pair's relative vector (left minus right) tells it: a step costs less
across a change of labels exactly where that vector turns by more than a right angle. An estimator's
exchange turns it round at the run's two ends while it moves little between; a sprint's, a kick's or a
dance's legs, played fast at 30 fps, swing past each other within a frame again and again, and the pass
read some of their swings as exchanges (a user audit, audit 6: a run played 3 times as fast, its knees and
ankles exchanged for its last 4 frames on the clean clip; validation runs and dashes played 3-5 times as
fast, 3-39 pair-frames on clean and lightly noisy clips).

So a run is kept only where the relative vector's step into it and out of it, as given, is more than
:data:`STAND` times as long as every other step of that vector, exchanges made, within :data:`NEAR` frames
of the run (a run at the clip's edge: its one jump). An estimator's jump stands out of slow motion; a fast
swing's does not stand out of the swings beside it. Chosen on the validation split (benchmarks/RESULTS.md,
section 6, "Fast legs read as exchanged"): 0.75, 1, 1.5, 2 left 9, 6, 0, 0 pair-frames exchanged on its
clean clips played 4 times as fast (18 before), 25, 11, 0, 0 at 5 times; at 1.5 the protocol's presets
read exactly the same measurements (first 30 clips, 2D and 3D). An end where the two joints came closer
than :data:`CROSSING` times their median distance apart is a crossing (where ``_from_crossings`` cuts a run
that reached the clip's edge back), no jump, and is not read.
"""
from __future__ import annotations

import numpy as np

from synsp.sequence import nan_median, true_runs

__all__ = ["STAND", "NEAR", "CROSSING", "standing_out"]

STAND = 1.5  # times every other step of the pair's relative vector nearby that a jump must be
NEAR = 5  # frames on each side of a run whose steps it is read against
CROSSING = 0.25  # an end where the joints came closer than this share of their median distance: a crossing, no jump


def standing_out(given: np.ndarray, fixed: np.ndarray, marked: np.ndarray, index: np.ndarray) -> np.ndarray:
    """``marked`` (T, P) without the runs whose jumps do not stand out of their pair's motion (module
    docstring).

    Parameters
    ----------
    given : (T, J, C) poses as the estimator labelled them, any unit; NaN for missing values (a step from
        or to one tells nothing: such a jump keeps its run, such a step nearby is passed over).
    fixed : (T, J, C) the same with every exchange of ``marked`` made.
    marked : (T, P) bool, where each pair is read exchanged.
    index : (P, 2) each pair's (left, right) joint indices.

    Returns
    -------
    (T, P) bool: ``marked`` with those runs taken out.
    """
    t_count = len(marked)
    kept = marked.copy()
    for p in np.flatnonzero(marked.any(axis=0)):
        left, right = index[p]
        apart = np.linalg.norm(given[:, left] - given[:, right], axis=-1)  # (T,)
        usual = nan_median(apart)
        jump = np.linalg.norm(np.diff(given[:, left] - given[:, right], axis=0), axis=-1)  # (T - 1,): into t + 1
        step = np.linalg.norm(np.diff(fixed[:, left] - fixed[:, right], axis=0), axis=-1)
        for start, stop in true_runs(marked[:, p]):
            ends = [t - 1 for t in (start, stop) if 0 < t < t_count]  # the steps into its first frame and out
            near = np.zeros(t_count - 1, dtype=bool)
            near[max(start - 1 - NEAR, 0): stop + NEAR] = True
            near[ends] = False
            others = step[near & np.isfinite(step)]
            # an end where the two joints met (a crossing, where :func:`_from_crossings` cut the run) is no jump
            jumps = [k for k in ends if not min(apart[k], apart[k + 1]) <= CROSSING * usual]
            if jumps and len(others) and any(jump[k] <= STAND * others.max() for k in jumps):
                kept[start:stop, p] = False
    return kept

"""A pair's labelling over a clip: which frames carry its left/right labels exchanged.

The smoothest labelling (:func:`smoothest_labelling`: a Viterbi pass over two states, each change of
labelling charged) read against the clip's majority (:func:`labelling`): a clip is taken to be labelled
right in most of its frames. Used by :mod:`synsp.estimator_errors.inversions` for each pair and limb, and
by :mod:`synsp.estimator_errors.body_flips` for the whole body.
"""
from __future__ import annotations

import numpy as np
from scipy.ndimage import median_filter

from synsp.sequence import true_runs

__all__ = ["ISLAND", "MAJORITY", "labelling", "smoothest_labelling"]

MAJORITY = 2 / 3  # share of a clip's frames that must agree on a pair's labelling for it to be read
ISLAND = 10  # frames: the longest run a limb's uncertain labelling exchanges against the frames around it


def labelling(keep: np.ndarray, change: np.ndarray, islands: bool = False, frames: int = 0) -> np.ndarray:
    """(T,) bool: where a pair (or a limb) is exchanged, from its steps' costs (T - 1,) under one labelling and
    across a change: the smoothest labelling (:func:`smoothest_labelling`), turned so that most frames keep their
    labels. Where neither labelling holds :data:`MAJORITY` of the frames, which one is right is not known: nothing,
    or with ``islands`` the runs of at most :data:`ISLAND` frames whose labelling the :data:`ISLAND` frames on each
    side do not share (a leg exchanged for 3 frames in a walk whose legs' labels are uncertain for seconds), none
    nearer the clip's edge than that. ``frames`` > T (a stream's first seconds): the frames missing before the
    first vote with it (a body exchanged for frames 13-19 held no majority in the 20 read at frame 16: RESULTS 12)."""
    marked = smoothest_labelling(keep.tolist(), change.tolist()).astype(bool)
    unseen = max(0, frames - len(marked))
    share = (marked.sum() + unseen * marked[0]) / (len(marked) + unseen) if unseen else marked.mean()
    if share > 0.5:
        marked = ~marked
    if min(share, 1 - share) <= 1 - MAJORITY:
        return marked
    if not islands:
        return np.zeros_like(marked)
    short = marked ^ median_filter(marked.astype(np.int8), size=2 * ISLAND + 1, mode="nearest").astype(bool)
    for start, stop in true_runs(short):
        if start < ISLAND or stop > len(short) - ISLAND:  # too near the clip's edge to see frames around it
            short[start:stop] = False
    return short


def smoothest_labelling(keep: list[float], change: list[float]) -> np.ndarray:
    """(T,) labelling of one pair (0 as given, 1 exchanged) of least total cost, given the cost of
    each of the T - 1 frame-to-frame steps under one labelling (``keep``) and across a change of
    labelling (``change``): the Viterbi pass over two states, on plain floats (a numpy call per
    frame costs more than the arithmetic)."""
    as_given = exchanged = 0.0  # the cheapest cost of each labelling of the frame reached so far
    switched: list[tuple[bool, bool]] = []  # per step: whether each labelling's best way in changed
    for k, c in zip(keep, change):
        into_given, into_exchanged = exchanged + c < as_given + k, as_given + c < exchanged + k
        as_given, exchanged = (min(as_given + k, exchanged + c), min(exchanged + k, as_given + c))
        switched.append((into_given, into_exchanged))
    state = 0 if as_given <= exchanged else 1
    labels = [state]
    for step in reversed(switched):
        state = 1 - state if step[state] else state
        labels.append(state)
    return np.array(labels[::-1], dtype=np.int8)

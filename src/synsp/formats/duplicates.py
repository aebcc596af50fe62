"""One person detected twice in a frame: the second detection is a duplicate, not a second person.

A detector's non-maximum suppression sometimes keeps two boxes on one person, and a top-down
pose estimator (mmpose, rtmlib, AlphaPose) then writes two instances of the same body in that
frame, a few pixels apart, the second usually with a lower box score. Linked into tracks as two
people, the copy takes the person's track id in some frames (whichever the assignment prefers)
and the person is split between two ids that swap (a user's audit: 23 copies in 120 frames split
the person 34 + 86 frames between two ids).

An instance duplicates another of its frame when they overlap almost exactly, an OKS-like test:
of the joints both locate (at least two, and at least half of the joints either one locates), at
least :data:`MOST` lie within :data:`NEAR` body sizes of each other (the size: the largest side of
the larger one's joints' bounding box, as :mod:`synsp.formats.tracking` measures it, so one setting
works in pixels or millimetres). Of the two, the one with the lower detection score is the
duplicate; instances are taken best first, as non-maximum suppression does, so a person detected
three times keeps one. Two real people close together are not duplicates: in a hug or a pair dance
their bodies are a torso's depth apart or more, and most of their joints are far more than
:data:`NEAR` apart; only a person right behind another in the same posture at the same moment, whom
the image shows as one, can read as a copy (validation clips: ``benchmarks/RESULTS.md``, section 12,
"A person detected twice").
"""
from __future__ import annotations

import numpy as np

from synsp.formats.tracking import pose_size

__all__ = ["MOST", "NEAR", "duplicates", "overlap"]

NEAR = 0.05  # body sizes between a joint and its copy (a copy with noise of 0.02 body sizes per coordinate: caught)
MOST = 0.8  # share of the joints both locate that must be that near


def overlap(a: np.ndarray, b: np.ndarray) -> float:
    """Share of the joints of two poses (J, C) (NaN = not located) that are within :data:`NEAR` of
    the larger one's size of each other, over the joints both locate; 0 when they share fewer than
    two joints, or fewer than half of the joints either one locates, or neither has a size."""
    seen_a, seen_b = np.isfinite(a).all(-1), np.isfinite(b).all(-1)
    both = seen_a & seen_b
    size = max(pose_size(a), pose_size(b))
    if both.sum() < 2 or 2 * both.sum() < max(seen_a.sum(), seen_b.sum()) or not size > 0:
        return 0.0
    dist = np.linalg.norm(a[both] - b[both], axis=-1)
    return float(np.mean(dist <= NEAR * size))


def duplicates(poses: list[np.ndarray], ranks: list[float]) -> list[int]:
    """Indices of the instances of one frame that duplicate a better one (see module doc).

    Parameters
    ----------
    poses : list (N) of (J, C) arrays
        The frame's instances, any unit, NaN where a joint does not locate the person.
    ranks : list (N) of float
        Their detection scores (higher: kept first; on a tie, the one listed first is kept).

    Returns
    -------
    list of int
        Sorted indices into ``poses`` of the duplicates.
    """
    order = sorted(range(len(poses)), key=lambda i: (-ranks[i], i))
    kept: list[int] = []
    copies = []
    for i in order:
        if any(overlap(poses[k], poses[i]) >= MOST for k in kept):
            copies.append(i)
        else:
            kept.append(i)
    return sorted(copies)

"""Gaps of a 3D marker filled from the markers that move rigidly with it, as a lab's software fills them.

A lab's marker set (Plug-in Gait's 39 skin markers, a cluster on each segment) has no layout synsp knows, so its
gaps were filled by a straight line in time: 38 mm on average over gaps of 5-50 frames at 100 Hz, 119 mm on a
30-frame wrist gap, 325 mm on a run (validation, benchmarks/RESULTS.md section 11, "Lab markers of no layout").
Vicon's rigid-body fill, Nexus and Mokka fill a gap from the markers on the same body segment instead; those are told
here by the input alone:

- two markers are on the same segment where their distance keeps nearly constant over the frames both are seen:
  its standard deviation under :data:`RIGID_SHARE` of the body's size (skin markers slide by a few mm; markers across
  a joint change their distance by tens of mm as it bends);
- a gap of marker ``j`` is filled where 3 or more such markers (the :data:`DONORS` most constant), not on one line,
  are seen in every frame of the gap and in the frame before and after it: in each frame of the gap the rigid
  transform (Kabsch) that carries them from the frame before the gap carries ``j`` too, and likewise from the frame
  after; the two are blended linearly over the gap (one side at the clip's ends), so the fill meets the seen values
  at both ends;
- a fill whose donors do not keep their shape in a frame of the gap (their residual after the fit above
  :data:`RIGID_SHARE` of the body's size: the segment is not rigid there) is not made: the gap is left to the caller
  (a straight line in time, :mod:`synsp.estimator_errors.measurements`).
"""
from __future__ import annotations

import warnings

import numpy as np
from scipy.spatial import cKDTree

from synsp.sequence import body_size, nan_median, true_runs

__all__ = ["RIGID_SHARE", "OFF_SHARE", "DONORS", "MIN_SEEN", "ALL_PAIRS", "NEAREST", "rigid_fill", "rigid_partners",
           "pair_spreads", "nearest_markers", "off_partners", "distance_spread", "rigid_carried"]

# Two markers are rigid where their distance's spread over the frames both are seen (:func:`distance_spread`) is under
# this share of the body's size (:func:`~synsp.sequence.body_size`, the largest side of its box: 1.36 m for a walk's
# markers), and a fill is made where its donors' fit residual is under it in every frame of the gap. Chosen on
# validation (8 clips, benchmarks/lab_markers.py's markers, 10 gaps of 5-50 frames each, the fills alone, mean mm;
# straight lines in time 14.04, with 4 mm of skin sliding 15.61): with sliding 0.008 / 0.012 / 0.016 gave 7.02 / 5.28 /
# 5.44 (without, 0.012: 1.97, the largest 47). Before the fewer donors' retry, 0.016 and 0.024 took partners across a
# joint, a fill 251 mm off.
RIGID_SHARE = 0.012
# The most constant partners tried as donors for a gap (at least 3 of them seen throughout it)
DONORS = 6
# Frames two markers must both be seen in for their distance's spread to count
MIN_SEEN = 20
# A normal distribution's 5th to 95th percentile span in standard deviations (2 x 1.645): a spread read from that span
# (:func:`distance_spread`) is a standard deviation that a ghost's few frames off do not raise
NORMAL_SPAN = 3.29
# Up to this many markers every pair is tried as rigid partners; over it (a face mesh's 478 landmarks, a body mesh's
# thousands of vertices) each marker's NEAREST in its median pose only: the pairs' cost grew as the square of the
# count (478 markers: 19.5 s CPU per 300 frames). benchmarks/RESULTS.md, section 7, "Dense landmark sets".
ALL_PAIRS = 160
NEAREST = 64
# Values of distances held at once while the pairs' spreads are read (memory of a long file)
BLOCK = 4_000_000
# A marker's distances to its rigid partners off their median by more than this share of the body's size (about twice
# :data:`RIGID_SHARE`: 34 mm for a body 1.36 m in its box) and :data:`OFF_SPREADS` times the pair's own spread mark a
# ghost (:func:`off_partners`)
OFF_SHARE = 0.025
OFF_SPREADS = 4.0
# The donors' spread (second singular value of their centred positions, shares of the body's size) under which they
# lie on one line, which leaves a rotation about it free
FLAT = 0.02
# Fewer than 3 donors but this many: the gap follows their path, its offset from them blended from one end to the other
# (Vicon's pattern fill). Not one: a marker at a joint's centre keeps its distance to every marker of both segments.
PATTERN = 2


def rigid_partners(poses: np.ndarray, size: float, *, every: bool = False) -> list[np.ndarray]:
    """Per marker of ``poses`` (T, J, 3), NaN where unseen, the other markers rigid with it (distance spread under
    :data:`RIGID_SHARE` of ``size``, over :data:`MIN_SEEN` or more frames both are seen), most constant first, at most
    :data:`DONORS`; a list of J int arrays (``every`` False: none for a marker seen in every frame). Over
    :data:`ALL_PAIRS` markers only each one's :data:`NEAREST` are tried (:func:`nearest_markers`)."""
    seen = np.isfinite(poses).all(-1)  # (T, J)
    n_joints = poses.shape[1]
    near = nearest_markers(poses, seen) if n_joints > ALL_PAIRS else None
    out = []
    for j in range(n_joints):
        if (seen[:, j].all() and not every) or seen[:, j].sum() < MIN_SEEN:  # nothing to fill, or to read from
            out.append(np.zeros(0, int))
            continue
        others = np.arange(n_joints) if near is None else near[j]
        spreads = pair_spreads(poses, seen, j, others)
        if near is None:
            spreads[j] = np.inf
        order = np.argsort(spreads)
        out.append(others[order[spreads[order] < RIGID_SHARE * size][:DONORS]])
    return out


def pair_spreads(poses: np.ndarray, seen: np.ndarray, j: int, others: np.ndarray) -> np.ndarray:
    """(K,) :func:`distance_spread` of marker ``j``'s distance to each of ``others`` (K,) over the frames both are seen
    in ``poses`` (T, J, 3) (``seen`` (T, J) bool), inf where fewer than :data:`MIN_SEEN`; the same figures as one call
    per pair, computed for the pairs seen in as many frames at once and in blocks of columns (a long file's memory)."""
    spreads = np.full(len(others), np.inf)
    block = max(1, BLOCK // (3 * len(poses)))
    for b in range(0, len(others), block):
        cols = others[b:b + block]
        both = seen[:, cols] & seen[:, j:j + 1]  # (T, B)
        counts = both.sum(0)
        d = np.linalg.norm(poses[:, j:j + 1] - poses[:, cols], axis=-1)  # (T, B), NaN where either is unseen
        for n in np.unique(counts[counts >= MIN_SEEN]):
            same = np.flatnonzero(counts == n)
            values = d[:, same].T[both[:, same].T].reshape(len(same), n)  # each pair's seen distances, frame order
            spreads[b + same] = distance_spread(values, axis=1)
    return spreads


def nearest_markers(poses: np.ndarray, seen: np.ndarray) -> list[np.ndarray]:
    """Per marker of ``poses`` (T, J, 3) (``seen`` (T, J) bool), the :data:`NEAREST` others nearest to it in the median
    pose (each frame's seen markers about their centre, the median over frames per marker), nearest first; markers
    never seen are no one's. A marker's rigid partners share its segment, so lie near it."""
    with np.errstate(invalid="ignore"), warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # frames with nothing seen: NaN, left out below
        centred = poses - np.nanmean(np.where(seen[..., None], poses, np.nan), axis=1, keepdims=True)
    pose = nan_median(np.where(seen[..., None], centred, np.nan), axis=0)  # (J, 3); markers never seen: NaN
    known = np.flatnonzero(np.isfinite(pose).all(-1))
    out = [np.zeros(0, int)] * len(pose)
    if len(known) < 2:
        return out
    k = min(NEAREST + 1, len(known))
    _, index = cKDTree(pose[known]).query(pose[known], k=k)
    for row, j in zip(index, known):
        out[j] = known[row[known[row] != j]][:NEAREST]
    return out


def distance_spread(distances: np.ndarray, axis: int | None = None) -> float | np.ndarray:
    """A standard deviation of ``distances`` (N,) that a ghost's few frames off do not raise: their 5th to 95th
    percentile's span over :data:`NORMAL_SPAN`; a float, or with ``axis`` an array of each row's (distances (K, N),
    ``axis=1``: (K,))."""
    low, high = np.percentile(distances, [5.0, 95.0], axis=axis)
    return float(high - low) / NORMAL_SPAN if axis is None else (high - low) / NORMAL_SPAN


def rigid_carried(donors_from: np.ndarray, donors_to: np.ndarray, point: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``point`` (3,) carried by the rigid transform (Kabsch) that fits ``donors_from`` (D, 3) onto each frame's
    ``donors_to`` (L, D, 3); returns (L, 3) and each frame's RMS residual of the fit (L,)."""
    a = donors_from - donors_from.mean(0)
    centre = donors_to.mean(1, keepdims=True)
    b = donors_to - centre
    u, _, vt = np.linalg.svd(np.einsum("di,ldk->lik", a, b))
    sign = np.sign(np.linalg.det(np.einsum("lij,ljk->lik", u, vt)))
    vt[:, -1] *= sign[:, None]
    rot = np.einsum("lij,ljk->lki", u, vt)  # (L, 3, 3): from-frame to to-frame
    fitted = np.einsum("lik,dk->ldi", rot, a)
    residual = np.sqrt(np.mean(np.sum((fitted - b) ** 2, -1), -1))
    return np.einsum("lik,k->li", rot, point - donors_from.mean(0)) + centre[:, 0], residual


def off_partners(poses: np.ndarray, size: float, longest: int) -> np.ndarray:
    """(T, J) bool: the values of ``poses`` (T, J, 3), NaN where unseen, off their rigid partners for a while: in runs
    of at most ``longest`` frames, each value's distances to 2 or more of its partners (and to more than half of
    those seen) off their median by more than :data:`OFF_SHARE` of ``size`` and :data:`OFF_SPREADS` times the pair's
    own spread. A ghost (the lab's software took a
    reflection for the marker) or two markers whose labels swapped; no real motion moves a marker so far from the
    markers on its own segment and back (a run at the clip's start or end is left: a forearm's first 15 frames were
    read so on a clean test clip, filled 19 mm off)."""
    seen = np.isfinite(poses).all(-1)
    off = np.zeros(seen.shape, bool)
    for j, partners in enumerate(rigid_partners(poses, size, every=True)):
        if len(partners) < 2:
            continue
        d = np.linalg.norm(poses[:, partners] - poses[:, j:j + 1], axis=-1)  # (T, P), NaN where either is unseen
        spread = pair_spreads(poses, seen, j, partners)  # (P,): each pair's wobble
        with np.errstate(invalid="ignore"):
            far = np.abs(d - np.nanmedian(d, axis=0)) > np.maximum(OFF_SHARE * size, OFF_SPREADS * spread)
        counted = np.isfinite(d).sum(1)
        hit = (far.sum(1) >= 2) & (2 * far.sum(1) > counted)
        for s, e in true_runs(hit):  # off and back: a run at the clip's edge may be its motion
            off[s:e, j] = e - s <= longest and s > 0 and e < len(hit)
    return off


def _rigid_guess(x: np.ndarray, j: int, use: np.ndarray, s: int, e: int, ends: list[int],
                 size: float) -> np.ndarray | None:
    """Marker ``j``'s values (L, 3) over frames ``s .. e - 1`` of ``x`` (T, J, 3), carried by the rigid fit of donors
    ``use`` from each of the seen frames ``ends`` (before and after the gap), blended linearly over the gap; None where
    the donors lie on a line or do not keep their shape (residual over :data:`RIGID_SHARE` of ``size``)."""
    guesses = []
    for r in ends:
        if np.linalg.svd(x[r, use] - x[r, use].mean(0), compute_uv=False)[1] < FLAT * size:
            return None
        guess, residual = rigid_carried(x[r, use], x[s:e, use], x[r, j])
        if residual.max() > RIGID_SHARE * size:
            return None
        guesses.append(guess)
    if len(guesses) == 1:
        return guesses[0]
    w = ((np.arange(s, e) - s + 1.0) / (e - s + 1.0))[:, None]
    return guesses[0] * (1 - w) + guesses[1] * w


def rigid_fill(poses: np.ndarray, *, ghosts: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """Fill the gaps of ``poses`` (T, J, 3) (NaN where a marker is unseen; any unit) from the markers rigid with the
    gappy one (module docstring); ``ghosts`` > 0: runs of up to that many frames of a marker off its rigid partners
    (:func:`off_partners`) are gaps too. Returns the poses with those gaps filled (the others NaN still; a ghost
    that could not be filled NaN too) and (T, J) bool: the values filled or emptied here."""
    x = np.array(poses, np.float64)
    filled = np.zeros(x.shape[:2], bool)
    if x.ndim != 3 or x.shape[-1] != 3 or len(x) < MIN_SEEN:
        return x, filled
    seen = np.isfinite(x).all(-1)
    size = body_size(x)  # NaN ignored
    if not seen.any() or not np.isfinite(size) or size <= 0:
        return x, filled
    emptied = off_partners(x, size, ghosts) if ghosts > 0 else np.zeros_like(filled)
    x[emptied] = np.nan
    seen &= ~emptied
    if seen.all():
        return x, filled
    out = x.copy()
    partners = rigid_partners(x, size)
    for j, donors in enumerate(partners):
        if not len(donors):
            continue
        for s, e in true_runs(~seen[:, j]):  # frames s .. e - 1 unseen
            ends = [r for r in (s - 1, e) if 0 <= r < len(x) and seen[r, j]]
            use = donors[seen[s:e, donors].all(0) & np.all([seen[r, donors] for r in ends], 0)] if ends else []
            guess = None
            for n_donors in range(len(use), 2, -1):  # all of them, else the most constant fewer: one may not hold
                guess = _rigid_guess(x, j, use[:n_donors], s, e, ends, size)
                if guess is not None:
                    break
            if guess is None and len(use) >= PATTERN and len(ends) == 2:  # their path, the offset blended over the gap
                w = ((np.arange(s, e) - s + 1.0) / (e - s + 1.0))[:, None, None]
                pair = use[:PATTERN]
                offset = (x[s - 1, j] - x[s - 1, pair]) * (1 - w) + (x[e, j] - x[e, pair]) * w  # (L, D, 3)
                guess = np.mean(x[s:e, pair] + offset, axis=1)
            if guess is not None:
                out[s:e, j] = guess
                filled[s:e, j] = True
    return out, filled | emptied

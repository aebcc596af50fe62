"""The clip's own consistency: a person's bones keep their length over a clip.

Whatever points a skeleton marks, a rigid segment between two of them keeps its length, and
a left bone is as long as its right partner. An estimator's slow errors (drift, depth and size
errors) break both, and no 8-frame window sees enough of the clip to notice. Pulling every
bone part of the way towards the clip's own (left/right averaged) median length corrects
them without assuming anything about the person or the skeleton's joint definitions.
Only for 3D: in an image, bones shorten when they turn away from the camera.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from synsp.skeleton import Layout, bone_tree, get_layout, joint_distances

# The share of each bone's deviation from the clip's length that is removed; chosen on the
# validation split (benchmarks/RESULTS.md, section 9, "Bones again").
STRENGTH = 0.7
# A bone with an end not measured (a fill) that is off the clip's length by more than FILLED_LOOSE[0] of it is
# pulled less, not at all beyond FILLED_LOOSE[1]: that far off, it is the fill that is wrong (a knee filled across
# a dash's stride), and setting the bone's length carries the fill's error onto the measured joints below it (an
# ankle 0.8 m off) and, through the next look at a gappy clip (refining.refill), onto the rest. Validation
# (benchmarks/gappy_files.py, 3D, 35 % missing): measured values 9.33 -> 7.91 mm, the filled ones 27.15 -> 27.67;
# bones between measured joints keep the full pull (RESULTS section 4, "Files with many short gaps in 3D").
FILLED_LOOSE = (0.1, 0.2)
# A limb never seen (its stand-in, placed by the network) is pulled to its seen partner's length fully where its own
# clip length is within STAND_IN_LOOSE[0] of it, not at all beyond STAND_IN_LOOSE[1] (a leg collapsed at the body's
# centroid); chosen on validation (RESULTS section 4, "A limb never seen in 3D": (0.1, 0.2) and (0.2, 0.4) left
# the ankle alone 6.79 and 5.85 mm, 0.4-0.6 5.64; 1 everywhere took the whole leg 6.59 -> 8.77).
STAND_IN_LOOSE = (0.4, 0.6)


def bone_lengths(x: np.ndarray, layout: str | Layout) -> dict[int, float]:
    """The clip's length of the bone ending at each joint of :func:`bone_tree`: the median over
    frames, averaged between left and right partners. ``x`` (T, J, 3) without NaN."""
    layout = get_layout(layout)
    return dict(zip(_tree(layout)[1].tolist(), _clip_lengths(x, layout).tolist()))


def _clip_lengths(x: np.ndarray, layout: Layout) -> np.ndarray:
    """:func:`bone_lengths` of each sequence (..., T, J, 3) as an array (..., B) in :func:`bone_tree` order."""
    return symmetric_lengths(np.median(frame_lengths(x, layout), axis=-2), layout)


def partner_lengths(lengths: np.ndarray, layout: Layout, never: np.ndarray | None = None) -> np.ndarray:
    """Bone lengths (..., B) in :func:`bone_tree` order, each a sequence's own (offline the clip's median, a stream's
    running mean), with left/right partners averaged, a bone with an end ``never`` ((..., J) bool or None) seen counting
    only as far as it agrees with its partner (:func:`_agreement`), with no length where its partner is a stand-in's
    too (NaN)."""
    if never is None or not never.any():
        return symmetric_lengths(lengths, layout)
    stand_in, agree = _agreement(lengths, never, layout)
    out = symmetric_lengths(np.where(stand_in, np.nan, lengths), layout)  # a stand-in's bone takes its partner's
    pairs = _pairs(layout)
    for own, other in ((pairs[:, 0], pairs[:, 1]), (pairs[:, 1], pairs[:, 0])):
        mine, theirs = lengths[..., own], lengths[..., other]
        mean = np.where(stand_in[..., own] & ~stand_in[..., other], theirs + agree[..., own] * (mine - theirs) / 2,
                        out[..., own])
        out[..., own] = out[..., other] = mean
    return out


def _agreement(lengths: np.ndarray, never: np.ndarray, layout: Layout,
               loose: tuple[float, float] = FILLED_LOOSE) -> tuple[np.ndarray, np.ndarray]:
    """Which bones (..., B) have an end ``never`` ((..., J) bool) seen, and how far (0..1) each such bone's clip
    ``lengths`` (..., B) agree with its seen partner's: fully within FILLED_LOOSE[0] of it, not at all beyond
    FILLED_LOOSE[1] (a leg left at the body's centroid, not a network's plausible ankle); 0 without a seen partner,
    1 for bones seen."""
    parents, children = _tree(layout)
    stand_in = never[..., parents] | never[..., children]  # (..., B)
    agree = np.where(stand_in, 0.0, 1.0)
    pairs = _pairs(layout)
    lo, hi = loose
    for own, other in ((pairs[:, 0], pairs[:, 1]), (pairs[:, 1], pairs[:, 0])):
        mine, theirs = lengths[..., own], lengths[..., other]
        near = np.clip((hi - np.abs(mine - theirs) / np.maximum(theirs, 1e-9)) / (hi - lo), 0.0, 1.0)
        agree[..., own] = np.where(stand_in[..., own] & ~stand_in[..., other], near, agree[..., own])
    return stand_in, agree


def frame_lengths(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """Each frame's bone lengths (..., B) of poses (..., J, 3), in :func:`bone_tree` order."""
    parents, children = _tree(get_layout(layout))
    return joint_distances(x, children, parents)


def symmetric_lengths(lengths: np.ndarray, layout: str | Layout) -> np.ndarray:
    """Bone lengths (..., B) in :func:`bone_tree` order with left/right partners averaged; a NaN length (a bone
    never seen) takes its partner's, and gives nothing to it."""
    layout = get_layout(layout)
    pairs = _pairs(layout)
    if not len(pairs):
        return lengths
    out = np.array(lengths, dtype=np.float64)
    left, right = out[..., pairs[:, 0]], out[..., pairs[:, 1]]
    mean = np.where(np.isnan(left), right, np.where(np.isnan(right), left, (left + right) / 2))
    out[..., pairs[:, 0]] = out[..., pairs[:, 1]] = mean
    return out


def constant_bone_lengths(x: np.ndarray, layout: str | Layout, strength: float = STRENGTH,
                          lengths: dict[int, float] | np.ndarray | None = None,
                          seen: np.ndarray | None = None) -> np.ndarray:
    """Move each joint along its bone so that the bone's length comes ``strength`` of the way
    to the clip's length; the joints below it move along.

    Parameters
    ----------
    x : ndarray (..., T, J, 3)
        Poses without NaN, any unit.
    strength : 0 (nothing) .. 1 (exactly the clip's lengths).
    lengths : bone lengths to aim at: a dict joint -> length as :func:`bone_lengths` gives, or
        an array (..., B) in :func:`bone_tree` order, one set per sequence of ``x``
        (default: :func:`bone_lengths` of each sequence).
    seen : (..., T, J) bool, the joints measured (None: all); a bone with an end not measured is
        pulled less where far off its length (:data:`FILLED_LOOSE`). A joint never measured in a sequence (a leg
        out of the picture, an amputee) is a stand-in: its bones count in their partners' lengths (the default
        ``lengths``) only as far as they agree with them (:func:`partner_lengths`; a stand-in at the body's centroid
        made the other shin half its length, the ankle 167 mm off: benchmarks/RESULTS.md section 4, "A limb never
        seen in 3D"); a limb never seen is pulled to its partner's length by :data:`STAND_IN_LOOSE`, a stand-in
        with measured joints below it not at all.

    Returns
    -------
    ndarray shaped and typed like ``x``; the root joint and every bone's direction are kept.
    """
    layout = get_layout(layout)
    x = np.asarray(x)
    parents, children = _tree(layout)
    never = None if seen is None else ~np.asarray(seen, bool).any(axis=-2)  # (..., J)
    never = never if never is not None and never.any() else None
    lost = None if never is None else _lost_below(never, layout)
    clip = None if never is None and lengths is not None else np.median(frame_lengths(x, layout), axis=-2)
    agreed = None if never is None else _agreement(clip, never, layout, STAND_IN_LOOSE)[1]
    if lengths is None:
        target = partner_lengths(clip, layout, never)
    elif isinstance(lengths, dict):
        target = np.array([lengths[c] for c in children.tolist()])
    else:
        target = np.asarray(lengths, np.float64)
    target = target[..., None, :]  # (..., 1, B): one length per sequence and bone
    source = x.astype(np.float64)
    out = source.copy()
    for b, (parent, child) in enumerate(zip(parents.tolist(), children.tolist())):
        bone = source[..., child, :] - source[..., parent, :]
        length = np.sqrt((bone * bone).sum(axis=-1, keepdims=True))
        off = target[..., b, None] - length
        kept = 1.0 if seen is None else _filled_weight(off, target[..., b, None], seen[..., parent] & seen[..., child])
        if never is not None:
            # A limb never seen below this bone is the network's invention: pulled whole to its partner's length as
            # far as it agrees with it (a plausible ankle: a body the next looks read better; a leg at the centroid:
            # not at all, section 4); a stand-in with measured joints below it is not pulled (it would carry them),
            # nor a bone with no length to aim at (both partners never seen).
            whole = lost[..., child][..., None, None]
            stand_in = (never[..., parent] | never[..., child])[..., None, None] & ~whole
            off = np.where(stand_in | np.isnan(off), 0.0, off)
            # a stand-in's share is 0 outright: with no length to aim at (a midline joint never seen has no partner)
            # its share is NaN, and NaN * 0 would make the bone and every joint below it NaN
            kept = np.where(whole, agreed[..., b, None, None], np.where(stand_in, 0.0, kept))
        wanted = length + strength * kept * off
        out[..., child, :] = out[..., parent, :] + bone / np.maximum(length, 1e-9) * wanted
    return out.astype(x.dtype, copy=False)


def _filled_weight(off: np.ndarray, length: np.ndarray, measured: np.ndarray) -> np.ndarray:
    """(..., T, 1) share of the pull kept: 1 on bones whose ends were both ``measured`` ((..., T) bool), else
    falling from 1 to 0 as the bone is ``off`` (..., T, 1) its clip's ``length`` by FILLED_LOOSE[0] to [1] of it."""
    lo, hi = FILLED_LOOSE
    loose = np.clip((hi - np.abs(off) / np.maximum(length, 1e-9)) / (hi - lo), 0.0, 1.0)
    return np.where(measured[..., None], 1.0, loose)


def _lost_below(never: np.ndarray, layout: Layout) -> np.ndarray:
    """(..., J) bool: joints ``never`` ((..., J) bool) seen with every joint below them in the bone tree never seen."""
    lost = np.array(never, bool)
    for parent, child in reversed(list(zip(*_tree(layout)))):  # children before their parents
        lost[..., parent] &= lost[..., child]
    return lost


@lru_cache(maxsize=64)
def _tree(layout: Layout) -> tuple[np.ndarray, np.ndarray]:
    """(B,) parents and (B,) children of :func:`bone_tree`."""
    parents, children = np.array(bone_tree(layout), dtype=np.intp).reshape(-1, 2).T
    return parents, children


@lru_cache(maxsize=64)
def _pairs(layout: Layout) -> np.ndarray:
    """(P, 2) bone indices of left/right partner bones (bones named by the joint they end at)."""
    index = {child: b for b, child in enumerate(_tree(layout)[1].tolist())}
    return np.array([(index[left], index[right]) for left, right in layout.left_right
                     if left in index and right in index], dtype=np.intp).reshape(-1, 2)

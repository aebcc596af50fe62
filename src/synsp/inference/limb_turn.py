"""A limb's length that changes with its turn: surface markers, not an estimator's drift.

Marker and anatomical conventions put knees, ankles, elbows and wrists at lateral surface markers, hips at
the greater trochanter, shoulders at the acromion: points fixed to a body segment but off the joint's centre,
so the distance between two of them changes as the limb turns (a lateral knee marker to the lateral
malleolus, with the knee's bend). :func:`~synsp.inference.floor.bone_drift` read that as an estimator's
drift, and clean marker data lost both the clean-input limit and the floor step: audit 21, clean clips
moved 1.67 mm on average over the 65 validation clips, up to 10 mm, against 0.16-1.16 mm in the mocap's
own joint definitions (benchmarks/RESULTS.md, section 9, "Marker-style joints").

A rigid offset in the segment's frame makes each length a smooth function of the directions of the bone
and its neighbours in the trunk's frame, the same at every time the limb turns the same way; an
estimator's drift is a function of time. :func:`turn_fit` fits each limb bone's length on those
directions (:func:`turn_features`, least squares over the clip); where the fit explains at least
:data:`TURN_EXPLAINED` of the length's change (an estimator's slow errors: far less), the length's
drift is read on what the turn leaves (:func:`limb_drift`).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from synsp.conventions import trunk_frame
from synsp.inference.floor import bone_drift, lengths_drift, limb_bones, limb_lengths, slow_part
from synsp.sequence import body_sizes
from synsp.skeleton import Layout, bone_tree, get_layout

__all__ = ["TURN_EXPLAINED", "REST_CLEAN", "BLOCK", "SLOW_SHARE", "turn_features", "turn_fit", "limb_drift"]

# The share of a length's variance over the clip (R^2, out of sample) its turn must explain, fully from the second
# figure, linear from the first, for its drift to be read on the rest. Validation, all 65 clips, bones drifting past
# 0.002, read on the slow part (SLOW_SHARE): clean marker-style input median 1.0, with 1 mm of white noise 0.984 (read
# on the whole length 0.961); the presets' errors at the 99th percentile 0.71-0.98 (whole: 0.58-0.97; `clean-ish` in
# the marker convention highest: an estimator's bias partly follows the pose, which REST_CLEAN tells apart).
TURN_EXPLAINED = (0.95, 0.98)
# The limbs' drift (body sizes) left once the turn is taken off below which the turn is read as markers, fully
# below the first figure, linear to none at the second: clean marker-style input, all 65 validation clips, at most
# 0.0008; the presets' `clean-ish` after the turn from 0.0016 (mocap joints), `typical` from 0.003.
REST_CLEAN = (0.9e-3, 1.3e-3)
# Frames per block of the out-of-sample test (:func:`turn_fit`): two seconds at 30 fps, longer than a slow error
# stays alike; a clip shorter than four blocks is cut into four (validation's sprints: 70-93 frames).
BLOCK = 60
# The turn's share read on the lengths' slow part (:func:`turn_fit`'s ``slow``): validation, 1 mm of white noise on
# the marker convention's clean clips, limbs read clean (below 0.001) on 51 of 65 clips instead of 24.
SLOW_SHARE = True


@lru_cache(maxsize=16)
def _neighbours(layout: Layout) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per limb bone (a, b): the bone ((B, 2) joints), the bone into ``a`` and the bone out of ``b`` ((B, 2),
    the bone itself where there is none)."""
    tree = [tuple(bone) for bone in bone_tree(layout)]
    bones = np.asarray(tree, int)[list(limb_bones(layout))].reshape(-1, 2)
    into = {child: (parent, child) for parent, child in tree}
    out: dict[int, tuple[int, int]] = {}
    for parent, child in tree:
        out.setdefault(parent, (parent, child))
    before = np.asarray([into.get(a, (a, b)) for a, b in bones], int).reshape(-1, 2)
    after = np.asarray([out.get(b, (a, b)) for a, b in bones], int).reshape(-1, 2)
    return bones, before, after


def _directions(x: np.ndarray, pairs: np.ndarray, frame: np.ndarray) -> np.ndarray:
    """Unit vectors of ``pairs`` ((B, 2)) of poses ``x`` (..., T, J, 3) in the trunk's ``frame`` (..., T, 3, 3):
    (..., T, B, 3)."""
    v = x[..., pairs[:, 1], :] - x[..., pairs[:, 0], :]
    v = v / np.maximum(np.linalg.norm(v, axis=-1, keepdims=True), 1e-9)
    return np.einsum("...bk,...kc->...bc", v, frame)


def turn_features(inputs: np.ndarray, layout: str | Layout) -> np.ndarray:
    """Per frame and limb bone (:func:`~synsp.inference.floor.limb_bones`) of 3D ``inputs`` (..., T, J, 3):
    a constant, the unit directions of the bone, the bone into its first joint and the bone out of its second
    in the trunk's frame (:func:`synsp.conventions.trunk_frame`), and the bone's cosines with the two
    (the bend a hinge's markers turn with). Returns (..., T, B, 12)."""
    layout = get_layout(layout)
    x = np.asarray(inputs, np.float64)
    bones, before, after = _neighbours(layout)
    frame = trunk_frame(x, layout)  # (..., T, 3, 3), columns the trunk's axes
    u, v, w = (_directions(x, p, frame) for p in (bones, before, after))
    ones = np.ones(u.shape[:-1] + (1,))
    dots = np.stack([(u * v).sum(-1), (u * w).sum(-1)], axis=-1)
    return np.concatenate([ones, u, v, w, dots], axis=-1)


def _fitted(feats: np.ndarray, y: np.ndarray, rows: np.ndarray) -> np.ndarray:
    """Least squares of ``y`` (..., T) on ``feats`` (..., T, F) over the frames ``rows`` ((..., T) bool), evaluated on
    every frame (..., T); normal equations, lightly damped (lstsq has no batch form)."""
    a = feats * rows[..., None]
    gram = np.swapaxes(a, -1, -2) @ a
    gram = gram + (1e-9 * np.trace(gram, axis1=-2, axis2=-1) + 1e-12)[..., None, None] * np.eye(gram.shape[-1])
    coef = np.linalg.solve(gram, np.swapaxes(a, -1, -2) @ (y * rows)[..., None])
    return (feats @ coef)[..., 0]


def turn_fit(inputs: np.ndarray, layout: str | Layout, seen: np.ndarray | None = None,
             fps: float | None = None, slow: bool = True) -> tuple[np.ndarray, np.ndarray]:
    """Each limb bone's length of ``inputs`` (..., T, J, 3) fitted on its turn (:func:`turn_features`, least
    squares over the frames where both its ends were ``seen`` ((..., T, J) bool, None: every frame): a gap's fill
    follows the limb smoothly and would read as turning with it): the fitted part's change ((..., T, B), the fit
    minus its mean, in the poses' unit) and the share of the length's variance it explains out of sample ((..., B),
    R^2 in [0, 1]; 0 where too few frames were seen to test it). ``slow``: the share of the slow part's variance
    (below :data:`~synsp.inference.floor.SLOW_HZ` at ``fps``, None: 30), the part a drift is read on: white noise on
    the markers, which no turn explains, leaves it (False: of the whole length's)."""
    layout = get_layout(layout)
    x = np.asarray(inputs, np.float64)
    bones = _neighbours(layout)[0]
    lengths = limb_lengths(x, layout)  # (..., T, B), the bones of _neighbours in the same order
    feats = np.moveaxis(turn_features(x, layout), -2, -3)  # (..., B, T, F)
    y = np.moveaxis(lengths, -1, -2)  # (..., B, T)
    if seen is None:
        counted = np.ones(y.shape, bool)
    else:
        seen = np.asarray(seen, bool)
        counted = np.moveaxis(seen[..., bones[:, 0]] & seen[..., bones[:, 1]], -1, -2)
    fit = _fitted(feats, y, counted)
    # explained out of sample: each half of alternating blocks predicted from the other, so a slow error that
    # the directions happen to follow over the clip (an estimator's bias) is not read as the limb's turn
    block = (np.arange(y.shape[-1]) // max(min(BLOCK, y.shape[-1] // 4), 1)) % 2 == 0  # short clips: four blocks
    first, second = counted & block, counted & ~block
    held = np.where(block, _fitted(feats, y, second), _fitted(feats, y, first))
    n = np.maximum(counted.sum(axis=-1), 1)
    centred = y - (y * counted).sum(axis=-1, keepdims=True) / n[..., None]
    left = y - held
    if slow:  # 1 mm of white noise on a sprint's markers took the forearms' R^2 from 0.97 to 0.90 (RESULTS section 9)
        centred, left = (np.moveaxis(slow_part(np.moveaxis(v, -1, -2)[..., None], fps)[..., 0], -2, -1)
                         for v in (centred, left))
    total = (np.where(counted, centred, 0.0) ** 2).sum(axis=-1)
    explained = 1.0 - (np.where(counted, left, 0.0) ** 2).sum(axis=-1) / np.maximum(total, 1e-12)
    testable = np.minimum(first.sum(axis=-1), second.sum(axis=-1)) >= 2 * feats.shape[-1]  # else no turn read
    fit = fit - (fit * counted).sum(axis=-1, keepdims=True) / n[..., None]
    return np.moveaxis(fit, -1, -2), np.where(testable, np.clip(explained, 0.0, 1.0), 0.0)


def limb_drift(inputs: np.ndarray, layout: str | Layout, fps: float | None = None,
               seen: np.ndarray | None = None, plain: np.ndarray | None = None) -> np.ndarray:
    """:func:`~synsp.inference.floor.bone_drift` with each limb bone's drift read on its length less the part
    its turn explains (:func:`turn_fit`), as far as that part explains :data:`TURN_EXPLAINED` of its change;
    the same arguments, shaped alike (``inputs.shape[:-3]``); ``plain``: that ``bone_drift`` where the caller has
    it already."""
    layout = get_layout(layout)
    x = np.asarray(inputs, np.float64)
    plain = bone_drift(x, layout, fps, seen) if plain is None else plain
    fit, explained = turn_fit(x, layout, seen, fps, slow=SLOW_SHARE)
    low, high = TURN_EXPLAINED
    share = np.clip((explained - low) / (high - low), 0.0, 1.0)  # (..., B)
    if not share.any():
        return plain  # no length turns with its limb: the reading as it was, to the bit
    bones = _neighbours(layout)[0]
    lengths = limb_lengths(x, layout) - fit * share[..., None, :]
    rest = lengths_drift(lengths, bones, fps, seen).mean(axis=-1) / np.maximum(body_sizes(x), 1e-9)
    # only a turn that leaves the limbs reading clean is the user's markers: an estimator's bias that follows the
    # pose leaves more (validation `clean-ish`, read 1.6-2.5e-3 after the turn), and keeps the reading it had
    mine = 1.0 - np.clip((rest - REST_CLEAN[0]) / (REST_CLEAN[1] - REST_CLEAN[0]), 0.0, 1.0)
    if not mine.any():
        return plain
    return mine * rest + (1.0 - mine) * plain

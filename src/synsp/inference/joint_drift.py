"""Which joints keep their rigid distances while a few others drift: a joint definition that moves slowly.

The floor step (:mod:`synsp.inference.floor`) is turned down, in 3D, on a clip whose limbs change length
slowly (:func:`~synsp.inference.floor.bone_drift`): an estimator's drift, which the network's slow correction
is there to fix. But a few joints whose definition drifts alone (a monocular estimator whose wrist or knee
point moves with the pose or the view, a marker slipping on the skin) stretch the limbs too, and the network,
reading a body whose limbs stretch, moves the joints that had no error of their own: audit 19, wrists and
knees drifting 0 -> 48 mm over the clip, the other joints 8.2 mm from the truth against the input's 12.7
(SmoothNet 5.7; benchmarks/RESULTS.md, section 9, "A joint definition that drifts").

Each joint is read by its steadiest rigid distance (:func:`joint_excess`): its limb bones and, for hips and
shoulders, the hip or shoulder width; the trunk's midline joints by those widths. A distance keeps still when
its slow change is no more than white noise of its own fast change leaves there (:data:`STEADY_EXCESS`), so the
reading does not rest on the noise's level (a level, 0.0021 body sizes, sat on 8 mm of noise's and lost half the
gains on the test split: RESULTS section 9, "A joint definition that drifts: a stricter steady reading"). An
estimator's drift moves every joint slowly, beyond its jitter, so on its clips few joints read steady; where at
least :data:`STEADY_SHARE` of the joints read steady and one drifts (:data:`DRIFTING`; white noise alone reads
every joint steady) on a clip whose limbs drift, those joints get the floor step as on a clip without drift
(:func:`joint_floor_shares`; validation: none of the 325 preset clips).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

import numpy as np

from synsp.filters import cutoff_for
from synsp.inference.floor import SLOW_HZ, length_changes, length_drift, limb_bones
from synsp.skeleton import Layout, bone_tree, get_layout

__all__ = ["STEADY_EXCESS", "STILL", "STEADY_SHARE", "DRIFTING", "rigid_pairs", "white_ratio", "joint_drift",
           "joint_excess", "steady_joints", "joint_floor_shares"]

# A rigid distance keeps still where its slow change (below SLOW_HZ) is at most this many times what white noise of
# its own fast change leaves there (white_ratio): the drifting benchmark's steady joints (8 mm of white noise) read
# 0.8-1.15, `jitter`'s (coloured) 1.6-2.1, `typical`'s and `clean-ish`'s 2.5 and more (slow errors); validation, the
# 11th steadiest joint of each clip (RESULTS section 9, "A joint definition that drifts, read against the noise").
STEADY_EXCESS = 1.4
# ... or, whatever its fast change, where it changes slowly by less than this (body sizes): poses with no noise
# (clean mocap reads 0.0001), whose fast change is nothing to weigh against.
STILL = 5e-4
# The share of a clip's joints that must read steady for any of them to get the floor step back: wrists and knees
# drifting leave 11 of 17 (their ankles read by the shin alone).
STEADY_SHARE = 0.6
# ... and at least one joint must drift, read at this many times its noise's slow change or more: white noise alone
# (`synthetic`, 2-60 mm) reads every joint steady, its highest 2.1 (validation), and the floor step given back there
# cost (11.25 -> 12.12 mm on all 65 validation clips: heavy noise's slow part is an error the network fixes).
DRIFTING = 2.5


@lru_cache(maxsize=16)
def rigid_pairs(layout: str | Layout) -> tuple[np.ndarray, tuple[tuple[int, ...], ...]]:
    """The distances of ``layout`` that a body keeps: ((P, 2) joint indices: the limb bones, then the hip
    and shoulder widths), and per joint the indices of the pairs it reads by (its own; a joint in none, the
    trunk's midline, the widths; empty when the layout has no widths)."""
    layout = get_layout(layout)
    pairs = [tuple(bone) for bone in np.asarray(bone_tree(layout))[list(limb_bones(layout))]]
    widths = []
    for left, right in layout.left_right:
        if any(word in layout.joints[left] for word in ("hip", "shoulder")):
            widths.append(len(pairs))
            pairs.append((left, right))
    own = [tuple(p for p, pair in enumerate(pairs) if j in pair) for j in range(len(layout.joints))]
    return np.asarray(pairs, int).reshape(-1, 2), tuple(ids or tuple(widths) for ids in own)


def white_ratio(fps: float | None = None) -> float:
    """The slow-to-fast ratio of a distance's change under white noise alone at ``fps`` (None: 30): the square root
    of the bandwidths below and above the slow part's cut-off (:data:`~synsp.inference.floor.SLOW_HZ`)."""
    fps = 30.0 if fps is None else float(fps)
    cut = cutoff_for(SLOW_HZ, fps)
    return float(np.sqrt(cut / max(fps / 2.0 - cut, 1e-9)))


def _per_joint(values: np.ndarray, layout: str | Layout, steadiest: Callable[..., np.ndarray]) -> np.ndarray:
    """Per joint, ``steadiest`` (a reduction over the last axis) of ``values`` (..., P) over its own rigid pairs
    (:func:`rigid_pairs`); a midline joint, the mean of the widths; a joint with no pair, infinity. (..., J)."""
    pairs, per_joint = rigid_pairs(layout)
    out = np.full(values.shape[:-1] + (len(per_joint),), np.inf)
    for j, ids in enumerate(per_joint):
        if ids:
            own = values[..., list(ids)]
            # a joint's own distances: the steadiest; the midline's widths (none is its own): their mean
            out[..., j] = steadiest(own, axis=-1) if any(j in pairs[i] for i in ids) else own.mean(axis=-1)
    return out


def joint_drift(inputs: np.ndarray, layout: str | Layout, fps: float | None = None,
                seen: np.ndarray | None = None) -> np.ndarray:
    """Per joint of 3D ``inputs`` (..., T, J, 3), without NaN: how much its steadiest rigid distance
    (:func:`rigid_pairs`) changes slowly, in body sizes (:func:`~synsp.inference.floor.length_drift`; ``seen``
    as there). A midline joint reads the mean of the widths; a joint with no pair, infinity. Returns (..., J)."""
    return _per_joint(length_drift(inputs, rigid_pairs(layout)[0], fps, seen), layout, np.min)


def joint_excess(inputs: np.ndarray, layout: str | Layout, fps: float | None = None,
                 seen: np.ndarray | None = None) -> np.ndarray:
    """Per joint of 3D ``inputs`` (..., T, J, 3), without NaN: its steadiest rigid distance's slow change over
    what white noise of that distance's fast change leaves below the cut-off (:func:`white_ratio`;
    :func:`~synsp.inference.floor.length_changes`, ``seen`` as there): about 1 for noise alone, more for a drift;
    a midline joint, the widths' mean; a joint with no pair, infinity. Returns (..., J)."""
    return _excess(*length_changes(inputs, rigid_pairs(layout)[0], fps, seen), layout, fps)


def _excess(slow: np.ndarray, fast: np.ndarray, layout: str | Layout, fps: float | None) -> np.ndarray:
    """:func:`joint_excess` from the pairs' slow and fast changes (:func:`~synsp.inference.floor.length_changes`)."""
    return _per_joint(slow / np.maximum(fast * white_ratio(fps), 1e-12), layout, np.min)


def steady_joints(inputs: np.ndarray, layout: str | Layout, fps: float | None = None,
                  seen: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Per joint of 3D ``inputs`` (..., T, J, 3), whether its rigid distances keep still: a slow change within
    :data:`STEADY_EXCESS` of its noise's (:func:`joint_excess`) or below :data:`STILL`; and whether it drifts (at
    least :data:`DRIFTING` of its noise's). Returns two (..., J) bool arrays."""
    # one reading of the distances for both: joint_drift's slow change is length_changes' first part
    slow, fast = length_changes(inputs, rigid_pairs(layout)[0], fps, seen)
    excess = _excess(slow, fast, layout, fps)
    steady = (excess <= STEADY_EXCESS) | (_per_joint(slow, layout, np.min) < STILL)
    return steady, np.isfinite(excess) & (excess >= DRIFTING)


def joint_floor_shares(inputs: np.ndarray, layout: str | Layout, fps: float | None = None,
                       seen: np.ndarray | None = None) -> np.ndarray:
    """Per joint, the share of the floor step's strength given back: 1 for a joint that reads steady
    (:func:`steady_joints`) where at least :data:`STEADY_SHARE` of the clip's joints do and one drifts, 0 elsewhere
    (the clip's own reading then decides alone). Returns (..., J) in {0, 1}."""
    steady, drifting = steady_joints(inputs, layout, fps, seen)
    few = (steady.mean(axis=-1) >= STEADY_SHARE) & drifting.any(axis=-1)
    return (steady & few[..., None]).astype(np.float64)

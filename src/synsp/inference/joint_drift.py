"""Which joints keep their rigid distances while a few others drift: a joint definition that moves slowly.

The floor step (:mod:`synsp.inference.floor`) is turned down, in 3D, on a clip whose limbs change length
slowly (:func:`~synsp.inference.floor.bone_drift`): an estimator's drift, which the network's slow correction
is there to fix. But a few joints whose definition drifts alone (a monocular estimator whose wrist or knee
point moves with the pose or the view, a marker slipping on the skin) stretch the limbs too, and the network,
reading a body whose limbs stretch, moves the joints that had no error of their own: audit 19, wrists and
knees drifting 0 -> 48 mm over the clip, the other joints 8.2 mm from the truth against the input's 12.7
(SmoothNet 5.7; benchmarks/RESULTS.md, section 9, "A joint definition that drifts").

Each joint is read by its steadiest rigid distance (:func:`joint_drift`): its limb bones and, for hips and
shoulders, the hip or shoulder width; the trunk's midline joints by those widths. An estimator's drift moves
every joint, so on its clips few joints read steady; when at least :data:`STEADY_SHARE` of the joints read
below :data:`STEADY` on a clip whose limbs drift past the floor's ramp (validation: 2 of 260 preset clips; every
clip of four joints drifting 48-96 mm that reads past the ramp), the joints that read steady get the floor step as
on a clip without drift (:func:`joint_floor_shares`).
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from synsp.inference.floor import DRIFT_RAMP, drift_factor, length_drift, limb_bones
from synsp.skeleton import Layout, bone_tree, get_layout

__all__ = ["STEADY", "STEADY_SHARE", "PAST_RAMP", "rigid_pairs", "joint_drift", "joint_floor_shares", "past_ramp"]

# A joint whose steadiest rigid distance changes slowly by less than this (body sizes, as bone_drift) reads
# steady: 8 mm of white noise reads 0.0012-0.0020; a `typical` clip's joints 0.003-0.006 (validation medians).
STEADY = 2.1e-3
# The share of a clip's joints that must read steady for any of them to get the floor step back: wrists and knees
# drifting leave 11 of 17 (their ankles read by the shin alone); a preset clip past the ramp reads 10 of 17 at
# most, but one of each of `typical` and `clean-ish` (all 65 validation clips; 0.0025 and half: nine more).
STEADY_SHARE = 0.6
# The steady joints get it back only on clips whose limbs drift past the floor's ramp, fully from this share of
# the ramp's width beyond its top: below, a clip of light errors (`clean-ish`, 13 mm of bias) often reads most
# joints steady, and the floor step cut the network's correction of their bias (validation, 20 clips, 23.65 ->
# 23.78 mm).
PAST_RAMP = 0.5


def past_ramp(ramp: tuple[float, float] = DRIFT_RAMP) -> tuple[float, float]:
    """The limb drift (body sizes) over which the steady joints get the floor step back: from the top of
    ``ramp`` (the floor's, :data:`~synsp.inference.floor.DRIFT_RAMP`) to :data:`PAST_RAMP` of its width beyond;
    as a ramp for :func:`~synsp.inference.floor.drift_factor`, whose complement is the share given back."""
    return ramp[1], ramp[1] + PAST_RAMP * (ramp[1] - ramp[0])


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


def joint_drift(inputs: np.ndarray, layout: str | Layout, fps: float | None = None,
                seen: np.ndarray | None = None) -> np.ndarray:
    """Per joint of 3D ``inputs`` (..., T, J, 3), without NaN: how much its steadiest rigid distance
    (:func:`rigid_pairs`) changes slowly, in body sizes (:func:`~synsp.inference.floor.length_drift`; ``seen``
    as there). A midline joint reads the mean of the widths; a joint with no pair, infinity. Returns (..., J)."""
    pairs, per_joint = rigid_pairs(layout)
    drift = length_drift(inputs, pairs, fps, seen)  # (..., P)
    joints = layout.joints if isinstance(layout, Layout) else get_layout(layout).joints
    out = np.full(drift.shape[:-1] + (len(joints),), np.inf)
    for j, ids in enumerate(per_joint):
        if ids:
            own = drift[..., list(ids)]
            # a joint's own bones: the steadiest; the midline's widths (none is its own): their mean
            out[..., j] = own.min(axis=-1) if any(j in pairs[i] for i in ids) else own.mean(axis=-1)
    return out


def joint_floor_shares(inputs: np.ndarray, layout: str | Layout, fps: float | None = None,
                       seen: np.ndarray | None = None, ramp: tuple[float, float] = DRIFT_RAMP) -> np.ndarray:
    """Per joint, the share of the floor step's strength its own rigid distances allow (:func:`joint_drift`
    through :func:`~synsp.inference.floor.drift_factor`), where at least :data:`STEADY_SHARE` of the joints
    read steady; 0 elsewhere (the clip's own reading then decides alone). Returns (..., J) in [0, 1]."""
    drift = joint_drift(inputs, layout, fps, seen)
    mostly_steady = (drift < STEADY).mean(axis=-1) >= STEADY_SHARE
    return drift_factor(np.where(np.isfinite(drift), drift, 1.0), ramp) * mostly_steady[..., None]

"""SynSP's route for a user's layout the model's layout is converted from (HALPE-26, COCO-WholeBody-133, BODY-25,
MediaPipe-33, ...): the model's joints refined in its layout, every other joint given back in the user's layout
(:func:`refine_converted`; what each joint takes: :func:`synsp.refining.person.refine_track`'s docstring).

The refinement of one person is handed in (``refine``: :func:`synsp.refining.person.refine_person`), as the
other routes of :mod:`synsp.refining` take theirs, so this module sits below the one that calls it."""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.estimator_errors.measurements import measurements
from synsp.inference.clean import keep_to_noise
from synsp.inference.floor import SHRINK_CONVERTED
from synsp.inference.joint_corrections import (
    RIGID_TRUNK_COORDS,
    detached_joints,
    loose_trunk_points,
    nearest_joints,
    necks_on_shoulders,
    noise_ratio,
    rigid_on_trunk,
    shared_joints,
)
from synsp.inference.limb_turn import limb_drift
from synsp.inference.risk_choice import lowpass_where_white
from synsp.model import NETWORKS
from synsp.motion_pace import pace_groups
from synsp.refining.methods import layout_checkpoint, smoothnet_alone
from synsp.refining.segment_values import segment_filled
from synsp.skeleton import BLOCKS, convert, get_layout


def refine_converted(poses: np.ndarray, layout: str, method: str, target: str, missing: np.ndarray,
                     lacking: np.ndarray | None, smoothnet: dict, options: dict,
                     refine: Callable[..., np.ndarray]) -> np.ndarray:
    """:func:`~synsp.refining.person.refine_track`'s route for a ``layout`` the model's ``target`` is converted from
    (its docstring): ``poses`` (T, J, C) with NaN where ``missing`` (T, J); ``smoothnet`` its options
    (:func:`~synsp.refining.methods.smoothnet_options`); ``refine`` is
    :func:`~synsp.refining.person.refine_person`; returns (T, J, C)."""
    measured = measurements(poses, get_layout(layout), fps=options.get("fps"))  # the rate: how long a stall is carried
    poses = segment_filled(measured.values, measured.gaps, layout, target)
    converted = convert(poses, layout, target)
    # a model joint made of a missing or held one was not measured either (convert carries the NaN); held values are
    # gaps as NaN are, for the Refiner as for the measurement steps (its limbs' drift, its second look)
    unmeasured = missing | measured.held
    unseen = np.isnan(convert(np.where(unmeasured[..., None], np.nan, poses), layout, target)).any(-1)
    floor = options.get("floor")
    if not options.get("network_only") and (floor is None or floor is True):  # the default step, at this strength
        options = {**options, "floor": SHRINK_CONVERTED["3d" if poses.shape[-1] == 3 else "2d"]}
    options = {**options, "checkpoint": layout_checkpoint(method, poses.shape[-1], layout, options.get("checkpoint"))}
    refined = refine(converted, method, target, {**options, "missing": unseen,
                                                 **model_lacking(lacking, layout, target, method)}, nearer=False)
    nearest = nearest_joints(poses, converted, (layout, target))
    weights = nearest * noise_ratio(poses, converted, (layout, target))[:, None]
    for joints in pace_groups(layout).values():  # SmoothNet's at their own pace: no body joint's correction
        weights[joints] = 0.0
    weights[detached_joints(poses, layout)] = 0.0  # a ground root: no body joint's correction is its own
    for block, first, end in BLOCKS.get(layout, ()):  # Holistic's face and hands: models of their own, not the pose's
        weights[first:end] *= block == "pose"
    loose = loose_trunk_points(layout, target) if poses.shape[-1] in RIGID_TRUNK_COORDS else ()
    filled = missing | measured.gaps  # not the point's own values
    trunk = rigid_on_trunk(poses, refined, target, nearest, loose, ~filled) if loose else (
        necks_on_shoulders(poses, converted, refined, target, _necks(layout, target), ~filled)
        if poses.shape[-1] == 2 else {})
    shared = {j for j, _ in shared_joints(layout, target)}
    attached = [j for j in range(poses.shape[-2]) if j not in shared and j not in trunk and weights[j].any()]
    # smoothed together with no layout step (measured already), so each point keeps to its joint as the input had it
    # (runs in each layout read glitches from their own bones: the MediaPipe demo's heel hung 250 mm off its ankle);
    # not the points the refined trunk carries (above): they hang from no joint, in the run they only moved its root
    together = smoothnet_alone(np.concatenate([poses[:, attached], converted], axis=1), smoothnet)
    correction = refined - together[:, len(attached):]  # what SynSP adds, per model joint
    out = refine(poses, "smoothnet", None, smoothnet, segments=False)  # last: its group_fps are the track's
    out[:, attached] = together[:, :len(attached)] + np.einsum(
        "jk,tkc->tjc", weights[attached], correction).astype(out.dtype)
    for j, k in shared_joints(layout, target):
        out[:, j] = refined[:, k]
    if trunk:
        placed = out.copy()
        for j, values in trunk.items():
            placed[:, j] = values
        if not options.get("network_only"):  # nearly clean input keeps its values, as the Refiner's joints do
            # the reading the Refiner's own joints get (a marker's length that turns with its limb is no drift)
            drift = limb_drift(converted, target, options.get("fps"), ~unseen) if poses.shape[-1] == 3 else None
            placed = keep_to_noise(poses, placed, space="3d" if poses.shape[-1] == 3 else "2d", drift=drift)
        out[:, list(trunk)] = placed[:, list(trunk)]
    if options.get("network_only"):
        return out
    # White noise of a few mm (markers, a per-frame tracker): SmoothNet's own error plus the nearest model joint's
    # correction left the feet worse than their input; the low-pass of least estimated risk is nearer there
    # tried relative to the body's path as the model refined it too (a drifting depth: risk_choice.refined_path)
    return lowpass_where_white(poses, out, [j for j in range(poses.shape[-2]) if j not in shared],
                               anchors=sorted(shared))


def model_lacking(lacking: np.ndarray | None, layout: str | None, target: str, method: str) -> dict:
    """``{"lacking": (J',) bool}``: the joints of ``target`` (the poses' layout as the network is
    given them) made of a joint of ``layout`` that ``lacking`` marks (convert carries the NaN), for a
    network that can give way (SynSP); {} when nothing lacks."""
    if lacking is None or not np.any(lacking) or method not in NETWORKS or NETWORKS[method].per_coordinate:
        return {}
    marked = np.where(np.asarray(lacking, bool)[None, :, None], np.nan, 0.0)  # one frame: NaN where lacking
    return {"lacking": np.isnan(convert(marked, layout, target) if layout != target else marked).any(-1)[0]}


def _necks(layout: str, target: str) -> list[int]:
    """The loose trunk points of ``layout`` named a neck (HALPE-26's, BODY-25's), the only ones 2D carries on the
    shoulders (:func:`~synsp.inference.joint_corrections.necks_on_shoulders`): a thorax or spine between the
    shoulders and the hips (H36M-17's, MPII-16's, MPI-INF-3DHP's) bends away from the shoulders with the trunk, so a
    mean offset put H36M-17's spine at 6.6 x its input on a bow under `jitter` (tests/test_pipeline.py)."""
    joints = get_layout(layout).joints
    return [j for j in loose_trunk_points(layout, target) if "neck" in joints[j].lower()]

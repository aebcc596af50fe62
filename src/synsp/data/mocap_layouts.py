"""The mocap in the skeletons people have: Halpe-26, BODY-25, MediaPipe-33, SPIN-49, HMR-44, MPII-16
and LSP-14 ground truth.

COCO's 17 keypoints come from the mocap as :mod:`synsp.skeleton` derives them. The other points
of these layouts (feet, hands, more face points, a head top, a neck, a mid-hip) have no mocap
joint; they are placed at fixed offsets in the frame of the segment that carries them:

- feet and hands: the BVH joint's own orientation (Foot, Toes, Hand). In the Bandai skeleton a
  left joint's local X runs along its bone and its Y points to the body's left; a right joint's
  X and Z are negated (mirrored joint orients), so ``side * axis`` gives the same anatomical
  axis on both sides: along the segment, outwards, and up (feet) or towards the thumb (hands);
- face and head top: the Head joint's frame, as :data:`synsp.skeleton.HEAD_POINTS_MM`;
- a neck at the mocap's Neck joint (Halpe's, at the neck's base), or at the shoulders' midpoint
  (OpenPose's, which BODY_25 learnt from COCO's shoulders); a mid-hip at the hips' midpoint;
- SPIN's extra points (:data:`synsp.skeleton.SPIN49`): the limb and face points at their BODY_25
  twins (a real estimator's lie a few centimetres apart, regressed from one mesh), the pelvis,
  spine, thorax, jaw and head where the model's H36M joints are, the LSP neck half way from the
  Neck joint to the Head joint and the head top as Halpe's; MPII's and LSP's pelvis, thorax,
  (upper) neck and head top the same.

The offsets are estimates for an adult body, not measurements: the points move rigidly with
their segment, as real feet and hands nearly do. They serve benchmarks of the route a file of
these layouts takes through the models (``benchmarks/layouts.py``), not anatomy.
"""
from __future__ import annotations

import numpy as np

from synsp.skeleton import BANDAI22, Layout, convert, get_layout, head_fixed_points

__all__ = ["MOCAP_LAYOUTS", "SEGMENT_POINTS_MM", "mocap_in_layout"]

# Offsets (mm) in a segment's frame (along, outwards, up or thumbwards), per point without its side.
SEGMENT_POINTS_MM: dict[str, tuple[str, tuple[float, float, float]]] = {
    "heel": ("Foot", (-20.0, 0.0, -100.0)),  # the Foot joint sits 12-14 cm up, the foot pitched
    "big_toe": ("Toes", (55.0, -25.0, -15.0)),
    "small_toe": ("Toes", (35.0, 30.0, -15.0)),
    "foot_index": ("Toes", (50.0, -5.0, -15.0)),
    "index": ("Hand", (85.0, 0.0, 20.0)),
    "pinky": ("Hand", (75.0, 0.0, -25.0)),
    "thumb": ("Hand", (45.0, -15.0, 40.0)),
}

# Head-frame (up, forward, left) offsets (mm) of the face points COCO does not have.
_FACE_MM: dict[str, tuple[float, float, float]] = {
    "head": (260.0, 10.0, 0.0),  # Halpe's head top, about 11 cm above the eyes
    "left_eye_inner": (150.0, 85.0, 15.0), "right_eye_inner": (150.0, 85.0, -15.0),
    "left_eye_outer": (150.0, 70.0, 45.0), "right_eye_outer": (150.0, 70.0, -45.0),
    "mouth_left": (70.0, 95.0, 25.0), "mouth_right": (70.0, 95.0, -25.0),
}

# The layouts :func:`mocap_in_layout` makes.
MOCAP_LAYOUTS = ("halpe26", "body25", "mediapipe33", "spin49", "hmr44", "mpii16", "lsp14")


def mocap_in_layout(positions: np.ndarray, rotations: np.ndarray, layout: str | Layout) -> np.ndarray:
    """The mocap's poses in one of :data:`MOCAP_LAYOUTS`.

    Parameters
    ----------
    positions : (T, 22, 3) bandai22 world positions, mm.
    rotations : (T, 22, 3, 3) global orientation of every bandai22 joint (columns: its local
        axes), as :func:`synsp.formats.bvh.forward_kinematics` gives them.
    layout : one of :data:`MOCAP_LAYOUTS`.

    Returns
    -------
    (T, J, 3) float32 world positions in mm, in ``layout``'s joint order.
    """
    layout = get_layout(layout)
    if layout.name not in MOCAP_LAYOUTS:
        raise ValueError(f"layout: the mocap is made only in {', '.join(MOCAP_LAYOUTS)}, not {layout.name!r}")
    x = np.asarray(positions, np.float64)
    rot = np.asarray(rotations, np.float64)
    head = rot[:, BANDAI22.index("Head")]
    coco = convert(x, BANDAI22, "coco17", head_rotation=head)
    points = {name: coco[:, i] for i, name in enumerate(get_layout("coco17").joints)}
    shoulders = (points["left_shoulder"] + points["right_shoulder"]) / 2
    upper_neck = (x[:, BANDAI22.index("Neck")] + x[:, BANDAI22.index("Head")]) / 2
    necks = {"halpe26": x[:, BANDAI22.index("Neck")], "lsp14": upper_neck}  # BODY_25's: between the shoulders
    points["neck"] = necks.get(layout.name, shoulders)
    points["hip"] = points["mid_hip"] = (points["left_hip"] + points["right_hip"]) / 2
    face = np.array(list(_FACE_MM.values()))
    placed = head_fixed_points(x[:, BANDAI22.index("Head")], head, face)
    points.update(zip(_FACE_MM, np.moveaxis(placed, 1, 0)))
    h36m = convert(x, BANDAI22, "h36m17", head_rotation=head)
    for extra, joint in (("pelvis_mpii", "pelvis"), ("spine_h36m", "spine"), ("thorax_mpii", "thorax"),
                         ("jaw_h36m", "neck_nose"), ("head_h36m", "head"), ("pelvis", "pelvis"), ("thorax", "thorax")):
        points[extra] = h36m[:, get_layout("h36m17").index(joint)]
    points["neck_lsp"] = points["upper_neck"] = upper_neck
    points["head_top"] = points["head"]
    for side, sign in (("left", 1.0), ("right", -1.0)):
        for point, (segment, offset) in SEGMENT_POINTS_MM.items():
            joint = BANDAI22.index(f"{segment}_{side[0].upper()}")
            frame = rot[:, joint] * sign  # along, outwards, up/thumbwards as its columns
            points[f"{side}_{point}"] = x[:, joint] + frame @ np.array(offset)
    twin = {f"{name}_extra": point for name, point in points.items()}
    return np.stack([points.get(name, twin.get(name)) for name in layout.joints], axis=1).astype(np.float32)

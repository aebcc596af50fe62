"""Joint layouts (Bandai Namco mocap, Human3.6M, COCO, MediaPipe) and conversions between them.

A :class:`Layout` names the joints, the bones drawn between them, the left/right pairs and
the root joint. Pairs in ``left_right`` are ``(left, right)``; bones are ``(parent, child)``.

Conversions map ``(..., T, J, C)`` arrays from one layout to another (:func:`convert`):

- ``bandai22 -> h36m17`` and ``bandai22 -> coco17``: 3D mocap positions in millimetres.
  Face points come from the Head joint's orientation (see :data:`HEAD_POINTS_MM`).
- any layout holding COCO's 17 keypoints (``mediapipe33``, ``halpe26``, ``body25``, ``spin49``,
  ``hmr44``, ``coco18``, ``coco133``, ``halpe136``, ``openpose137``) ``-> coco17`` (those keypoints) and ``-> h36m17``
  (pelvis and thorax at the midpoints of the hips and shoulders; in 3D (C = 3) the neck/nose
  and head joints placed on the face by its own frame, :func:`h36m_head_points`, otherwise the
  nose and a point above the ears): any units (2D pixels with a visibility channel, C = 3, pass
  the pixels alone, or the visibility is read as depth). Their other joints (feet, hands,
  face, Halpe's head and neck) are not converted; the pipeline refines them around their
  nearest model joint.
- ``smpl24 -> h36m17`` and ``smpl22 -> h36m17``: SMPL's 3D joint positions (any unit), as from
  the mocap joints they stand for (:data:`BANDAI_TO_SMPL`, then ``bandai22 -> h36m17`` below,
  the head frame estimated from the neck, head and shoulders), the thorax and shoulders moved to
  the mocap's (``SMPL_THORAX_DROP``, ``SMPL_SHOULDERS_IN``); the knees, ankles, elbows and wrists
  are H36M's as they are. SMPL's pelvis (above the hip line), narrow hips and
  head (the skull's base) are other definitions of H36M's joints, kept as the user's by the
  refiner (``keep_convention``). SMPL's 2D joints have no face to give COCO's: not converted.
- ``h36m17 -> coco17``: the body joints as they are; H36M has no face, so COCO's nose is its
  ``neck_nose`` and the eyes and ears its ``head`` (a face the network sees as one more joint
  convention, section 9 of benchmarks/RESULTS.md; only the 2D model needs it).
- ``mpi17 -> coco17``, and ``mpi17 <-> h36m17``: MPI-INF-3DHP's 17 joints are H36M's in another
  order (:func:`reorders`: any two layouts of the same joint names convert by reordering).

COCO's, H36M's and MPI-INF-3DHP's layouts have 17 joints; :func:`seventeen_joint_layout` tells a
file's order from its poses (MPI's bones are the shortest in its own order, COCO's face points
lie together, H36M's first joints span a leg).

``bandai22 -> h36m17``, joint by joint (mocap joint names as in the BVH files):

=====  ===========  ====================================================================
index  h36m joint   from the mocap
=====  ===========  ====================================================================
0      pelvis       midpoint of UpperLeg_L and UpperLeg_R (on the hip line, as in H36M;
                    the mocap Hips joint sits 2 cm higher)
1, 4   r/l hip      UpperLeg_R / UpperLeg_L pushed out along the hip line by
                    ``HIP_WIDEN`` (x2): the mocap hip joints are 13 cm apart, H36M's about
                    26 cm (pelvis-hip bones of ~13 cm), as are MediaPipe's and COCO's.
                    The knees stay put, so the thigh is no longer rigid: its length
                    (~40 cm) varies with hip abduction, by a std of ~2.6 mm per clip and a
                    range of ~5% in walking (measured on all clips); the price of H36M-like
                    hips without moving the knees
2, 5   r/l knee     LowerLeg_R / LowerLeg_L
3, 6   r/l ankle    Foot_R / Foot_L (toes are dropped)
7      spine        midpoint of Spine and Chest: follows the mocap's own spine bend and
                    lands, like H36M's, about half way from pelvis to thorax
8      thorax       Neck (base of the neck, 3 cm above the shoulder joints)
9      neck/nose    Head + head-frame offset ``HEAD_POINTS_MM["h36m_nose"]`` (chin/nose
                    level in front of the neck, ~12 cm above the thorax like H36M's)
10     head         Head + ``HEAD_POINTS_MM["h36m_head"]`` (extrapolated: the mocap has no
                    head-top joint; H36M's head sits ~23 cm above the thorax)
11-13  l sh/el/wr   UpperArm_L, LowerArm_L, Hand_L (Shoulder_L is the clavicle: dropped)
14-16  r sh/el/wr   UpperArm_R, LowerArm_R, Hand_R (the shoulders are left narrow, ~21 cm
                    apart vs ~30 cm in H36M: widening them would stretch the upper arms)
=====  ===========  ====================================================================

``bandai22 -> coco17``: shoulders, elbows, wrists, hips (widened as for H36M: COCO's hip
keypoints, marked near the greater trochanter, are wider still), knees, ankles as above;
nose, eyes and ears from the Head joint's frame (:data:`HEAD_POINTS_MM`). COCO has no root joint
(``root=None``); :func:`root_position` gives the midpoint of the hips instead.
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from synsp.sequence import body_size, mm_per_unit
from synsp.smpl_template import SMPL_JOINTS, SMPL_LEFT_RIGHT, SMPL_PARENTS


@dataclass(frozen=True)
class Layout:
    """A joint layout.

    Attributes
    ----------
    name : str
        Key in :data:`LAYOUTS`.
    joints : tuple[str, ...]
        Joint names in array order.
    bones : tuple[tuple[int, int], ...]
        ``(parent, child)`` index pairs to draw or measure.
    left_right : tuple[tuple[int, int], ...]
        ``(left, right)`` index pairs swapped by a mirror.
    root : int or None
        Index of the root (pelvis) joint; ``None`` when the layout has none (COCO,
        MediaPipe): use :func:`root_position`, the midpoint of the hips.
    """

    name: str
    joints: tuple[str, ...]
    bones: tuple[tuple[int, int], ...]
    left_right: tuple[tuple[int, int], ...]
    root: int | None

    @property
    def flip_index(self) -> np.ndarray:
        """Permutation (J,) that swaps every left joint with its right partner."""
        index = np.arange(len(self.joints))
        for left, right in self.left_right:
            index[left], index[right] = right, left
        return index

    def index(self, joint: str) -> int:
        """Index of the joint called ``joint``."""
        return self.joints.index(joint)


def _chain(*joints: int) -> list[tuple[int, int]]:
    return list(zip(joints[:-1], joints[1:]))


BANDAI22 = Layout(
    name="bandai22",
    joints=("joint_Root", "Hips", "Spine", "Chest", "Neck", "Head",
            "Shoulder_L", "UpperArm_L", "LowerArm_L", "Hand_L",
            "Shoulder_R", "UpperArm_R", "LowerArm_R", "Hand_R",
            "UpperLeg_L", "LowerLeg_L", "Foot_L", "Toes_L",
            "UpperLeg_R", "LowerLeg_R", "Foot_R", "Toes_R"),
    # joint_Root is the ground-level reference the capture moves the body with, not a
    # body joint: the Hips hang from it by a varying translation, so no bone joins them.
    bones=tuple(_chain(1, 2, 3, 4, 5) + _chain(3, 6, 7, 8, 9) + _chain(3, 10, 11, 12, 13)
                + _chain(1, 14, 15, 16, 17) + _chain(1, 18, 19, 20, 21)),
    left_right=((6, 10), (7, 11), (8, 12), (9, 13), (14, 18), (15, 19), (16, 20), (17, 21)),
    root=1,  # Hips, the pelvis
)

H36M17 = Layout(
    name="h36m17",
    joints=("pelvis", "right_hip", "right_knee", "right_ankle", "left_hip", "left_knee", "left_ankle",
            "spine", "thorax", "neck_nose", "head", "left_shoulder", "left_elbow", "left_wrist",
            "right_shoulder", "right_elbow", "right_wrist"),
    bones=tuple(_chain(0, 1, 2, 3) + _chain(0, 4, 5, 6) + _chain(0, 7, 8, 9, 10)
                + _chain(8, 11, 12, 13) + _chain(8, 14, 15, 16)),
    left_right=((4, 1), (5, 2), (6, 3), (11, 14), (12, 15), (13, 16)),
    root=0,
)


def _reordered(name: str, layout: Layout, joints: Sequence[str]) -> Layout:
    """``layout``'s joints in another order: the same bones, pairs and root."""
    at = [layout.joints.index(joint) for joint in joints]
    new = {old: i for i, old in enumerate(at)}
    return Layout(name=name, joints=tuple(joints),
                  bones=tuple((new[a], new[b]) for a, b in layout.bones),
                  left_right=tuple((new[a], new[b]) for a, b in layout.left_right),
                  root=None if layout.root is None else new[layout.root])


MPI17 = _reordered(
    "mpi17", H36M17,
    # MPI-INF-3DHP's 17 joints in the order of its test set and of the estimators trained on it:
    # H36M's joints, so they carry H36M17's names (3DHP's "head_top" is H36M's head, its "neck"
    # H36M's thorax and its "head" H36M's neck/nose point).
    ("head", "thorax", "right_shoulder", "right_elbow", "right_wrist", "left_shoulder", "left_elbow",
     "left_wrist", "right_hip", "right_knee", "right_ankle", "left_hip", "left_knee", "left_ankle",
     "pelvis", "spine", "neck_nose"))


COCO17 = Layout(
    name="coco17",
    joints=("nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
            "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip",
            "left_knee", "right_knee", "left_ankle", "right_ankle"),
    # The COCO keypoint skeleton (its 19 links), written parent -> child.
    bones=((0, 1), (0, 2), (1, 2), (1, 3), (2, 4), (3, 5), (4, 6), (5, 6), (5, 7), (7, 9), (6, 8),
           (8, 10), (5, 11), (6, 12), (11, 12), (11, 13), (13, 15), (12, 14), (14, 16)),
    left_right=((1, 2), (3, 4), (5, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16)),
    root=None,
)

MEDIAPIPE33 = Layout(
    name="mediapipe33",
    joints=("nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye",
            "right_eye_outer", "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder",
            "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_pinky",
            "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip",
            "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel",
            "right_heel", "left_foot_index", "right_foot_index"),
    # MediaPipe's POSE_CONNECTIONS.
    bones=((0, 1), (1, 2), (2, 3), (3, 7), (0, 4), (4, 5), (5, 6), (6, 8), (9, 10), (11, 12),
           (11, 13), (13, 15), (15, 17), (15, 19), (15, 21), (17, 19), (12, 14), (14, 16), (16, 18),
           (16, 20), (16, 22), (18, 20), (11, 23), (12, 24), (23, 24), (23, 25), (24, 26), (25, 27),
           (26, 28), (27, 29), (28, 30), (29, 31), (30, 32), (27, 31), (28, 32)),
    left_right=((1, 4), (2, 5), (3, 6), (7, 8), (9, 10), (11, 12), (13, 14), (15, 16), (17, 18),
                (19, 20), (21, 22), (23, 24), (25, 26), (27, 28), (29, 30), (31, 32)),
    root=None,
)

_COCO_NAMES = COCO17.joints
_COCO_BONES = COCO17.bones
_COCO_PAIRS = COCO17.left_right
_FEET = ("left_big_toe", "left_small_toe", "left_heel", "right_big_toe", "right_small_toe", "right_heel")

HALPE26 = Layout(
    name="halpe26",
    # Halpe-26 (AlphaPose; Pose2Sim's and rtmlib's default body model): COCO-17, then head top,
    # neck, mid-hip and six foot points.
    joints=_COCO_NAMES + ("head", "neck", "hip", "left_big_toe", "right_big_toe", "left_small_toe",
                          "right_small_toe", "left_heel", "right_heel"),
    bones=_COCO_BONES + ((18, 17), (18, 5), (18, 6), (19, 11), (19, 12), (15, 20), (15, 22), (15, 24),
                         (16, 21), (16, 23), (16, 25)),
    left_right=_COCO_PAIRS + ((20, 21), (22, 23), (24, 25)),
    root=19,
)

BODY25 = Layout(
    name="body25",
    # OpenPose BODY_25, in OpenPose's order.
    joints=("nose", "neck", "right_shoulder", "right_elbow", "right_wrist", "left_shoulder", "left_elbow",
            "left_wrist", "mid_hip", "right_hip", "right_knee", "right_ankle", "left_hip", "left_knee",
            "left_ankle", "right_eye", "left_eye", "right_ear", "left_ear", "left_big_toe", "left_small_toe",
            "left_heel", "right_big_toe", "right_small_toe", "right_heel"),
    bones=((1, 0), (1, 2), (2, 3), (3, 4), (1, 5), (5, 6), (6, 7), (1, 8), (8, 9), (9, 10), (10, 11), (8, 12),
           (12, 13), (13, 14), (0, 15), (15, 17), (0, 16), (16, 18), (14, 19), (19, 20), (14, 21), (11, 22),
           (22, 23), (11, 24)),
    left_right=((5, 2), (6, 3), (7, 4), (12, 9), (13, 10), (14, 11), (16, 15), (18, 17), (19, 22), (20, 23),
                (21, 24)),
    root=8,
)


# SPIN's joint set (SPIN, VIBE, TCMR, PARE, ... write it as "joints3d", (T, 49, 3)): BODY_25's 25
# points, then 24 the same mesh gives for the datasets' own definitions (LSP, MPII, H36M; the
# last five repeat the face). 4D-Humans / HMR 2.0 and ProHMR write its first 44. An extra point
# hangs from its BODY_25 twin, or from the nearest point of that definition's own skeleton.
_SPIN_EXTRAS: tuple[tuple[str, str], ...] = (
    ("right_ankle_extra", "right_ankle"), ("right_knee_extra", "right_knee"), ("right_hip_extra", "right_hip"),
    ("left_hip_extra", "left_hip"), ("left_knee_extra", "left_knee"), ("left_ankle_extra", "left_ankle"),
    ("right_wrist_extra", "right_wrist"), ("right_elbow_extra", "right_elbow"),
    ("right_shoulder_extra", "right_shoulder"), ("left_shoulder_extra", "left_shoulder"),
    ("left_elbow_extra", "left_elbow"), ("left_wrist_extra", "left_wrist"),
    ("neck_lsp", "thorax_mpii"), ("head_top", "head_h36m"), ("pelvis_mpii", "mid_hip"), ("thorax_mpii", "neck"),
    ("spine_h36m", "pelvis_mpii"), ("jaw_h36m", "neck_lsp"), ("head_h36m", "jaw_h36m"),
    ("nose_extra", "nose"), ("left_eye_extra", "left_eye"), ("right_eye_extra", "right_eye"),
    ("left_ear_extra", "left_ear"), ("right_ear_extra", "right_ear"),
)


def _spin(name: str, n_joints: int) -> Layout:
    """BODY_25 and the first ``n_joints - 25`` of :data:`_SPIN_EXTRAS`, in SPIN's order."""
    joints = BODY25.joints + tuple(extra for extra, _ in _SPIN_EXTRAS[: n_joints - 25])
    at = {joint: i for i, joint in enumerate(joints)}
    bones = BODY25.bones + tuple((at[parent], at[extra]) for extra, parent in _SPIN_EXTRAS[: n_joints - 25])
    pairs = [(at[left], at[left.replace("left", "right")]) for left in joints
             if left.startswith("left") and left.replace("left", "right") in at]
    return Layout(name=name, joints=joints, bones=bones, left_right=tuple(pairs), root=BODY25.root)


SPIN49 = _spin("spin49", 49)
HMR44 = _spin("hmr44", 44)

COCO18 = Layout(
    name="coco18",
    # OpenPose's COCO-18 (--model_pose COCO), in OpenPose's order: COCO-17 with a neck, ordered as BODY_25.
    joints=("nose", "neck", "right_shoulder", "right_elbow", "right_wrist", "left_shoulder", "left_elbow",
            "left_wrist", "right_hip", "right_knee", "right_ankle", "left_hip", "left_knee", "left_ankle",
            "right_eye", "left_eye", "right_ear", "left_ear"),
    bones=((1, 0), (1, 2), (2, 3), (3, 4), (1, 5), (5, 6), (6, 7), (1, 8), (8, 9), (9, 10), (1, 11), (11, 12),
           (12, 13), (0, 14), (14, 16), (0, 15), (15, 17)),
    left_right=((5, 2), (6, 3), (7, 4), (11, 8), (12, 9), (13, 10), (15, 14), (17, 16)),
    root=None,
)


def _smpl(name: str, n_joints: int) -> Layout:
    """SMPL's joints as positions: the first ``n_joints`` of its tree, in its order."""
    return Layout(
        name=name,
        joints=SMPL_JOINTS[:n_joints],
        bones=tuple((int(p), c) for c, p in enumerate(SMPL_PARENTS[:n_joints]) if p >= 0),
        left_right=tuple(pair for pair in SMPL_LEFT_RIGHT if max(pair) < n_joints),
        root=0,
    )


# SMPL's 24 joints (VIBE, PARE, WHAM, 4D-Humans' joint positions), and the 22 of its body that
# SMPL-H and SMPL-X share (AMASS and HumanML3D joint positions), in SMPL's order.
SMPL24 = _smpl("smpl24", 24)
SMPL22 = _smpl("smpl22", 22)


def _hand(side: str, start: int) -> tuple[tuple[str, ...], list[tuple[int, int]]]:
    """21 hand points, named as mmpose names them: the root, then 4 per finger from the thumb."""
    fingers = ("thumb", "forefinger", "middle_finger", "ring_finger", "pinky_finger")
    names = (f"{side}_hand_root",) + tuple(f"{side}_{finger}{k}" for finger in fingers for k in range(1, 5))
    bones = [(start + (0 if k % 4 == 0 else k), start + k + 1) for k in range(20)]
    return names, bones


_LEFT_HAND, _LEFT_HAND_BONES = _hand("left", 91)
_RIGHT_HAND, _RIGHT_HAND_BONES = _hand("right", 112)

COCO133 = Layout(
    name="coco133",
    # COCO-WholeBody (mmpose, rtmlib; mmpose's names): COCO-17, six foot points, 68 face points
    # (iBUG order; no left/right pairs: a mirror keeps them in place), 21 + 21 hand points.
    joints=_COCO_NAMES + _FEET + tuple(f"face-{i}" for i in range(68)) + _LEFT_HAND + _RIGHT_HAND,
    bones=_COCO_BONES + ((15, 17), (15, 18), (15, 19), (16, 20), (16, 21), (16, 22), (9, 91), (10, 112))
    + tuple(_LEFT_HAND_BONES + _RIGHT_HAND_BONES),
    left_right=_COCO_PAIRS + ((17, 20), (18, 21), (19, 22)) + tuple((91 + i, 112 + i) for i in range(21)),
    root=None,
)

def _with_face_and_hands(name: str, body: Layout, face_points: int, wrists: tuple[int, int]) -> Layout:
    """``body``'s joints, then ``face_points`` face points (no left/right pairs: a mirror keeps
    them in place) and 21 + 21 hand points hung from the (left, right) ``wrists``."""
    left_start = len(body.joints) + face_points
    right_start = left_start + 21
    left, left_bones = _hand("left", left_start)
    right, right_bones = _hand("right", right_start)
    return Layout(
        name=name,
        joints=body.joints + tuple(f"face-{i}" for i in range(face_points)) + left + right,
        bones=body.bones + ((wrists[0], left_start), (wrists[1], right_start)) + tuple(left_bones + right_bones),
        left_right=body.left_right + tuple((left_start + i, right_start + i) for i in range(21)),
        root=body.root,
    )


# Halpe full body (AlphaPose's 136 keypoints): Halpe-26, 68 face points, 21 + 21 hand points.
HALPE136 = _with_face_and_hands("halpe136", HALPE26, 68, wrists=(9, 10))
# OpenPose BODY_25 run with --face --hand, in the order of its JSON keys: the 25 body points,
# 70 face points (68 iBUG and the two pupils) and 21 + 21 hand points (COCO-133's order).
OPENPOSE137 = _with_face_and_hands("openpose137", BODY25, 70, wrists=(7, 4))

LAYOUTS: dict[str, Layout] = {layout.name: layout
                              for layout in (BANDAI22, H36M17, MPI17, COCO17, MEDIAPIPE33, HALPE26, BODY25, SPIN49,
                                             HMR44, COCO18, COCO133, HALPE136, OPENPOSE137, SMPL24, SMPL22)}

HIP_WIDEN = 2.0  # mocap hip joints are 13 cm apart; H36M's ~26 cm

# Points fixed to the head, in millimetres, as (up, forward, left) in the mocap Head joint's
# frame. The BVH rest pose has that frame's local X along the neck (up), local Y out of the
# face (checked: on walking clips the walking direction is +Y in the head frame to within
# ~13 degrees) and local Z to the actor's left, so (up, forward, left) = (X, Y, Z) local.
# The Head joint sits ~6.5 cm above the Neck joint, about chin height of a ~1.65 m actor
# (shoulder joints at ~1.27 m): the face points use typical adult head proportions from
# there (eyes 63 mm apart, head ~150 mm wide at the ears, nose tip ~4 cm below the eyes).
HEAD_POINTS_MM: dict[str, tuple[float, float, float]] = {
    "nose": (110.0, 100.0, 0.0),
    "left_eye": (150.0, 75.0, 32.0),
    "right_eye": (150.0, 75.0, -32.0),
    "left_ear": (140.0, 0.0, 75.0),
    "right_ear": (140.0, 0.0, -75.0),
    "h36m_nose": (55.0, 55.0, 0.0),
    "h36m_head": (165.0, 25.0, 0.0),
}

_B = {name: i for i, name in enumerate(BANDAI22.joints)}

# SMPL joint <- mocap joint (the same anatomical joint; None: the mocap has none). The rotation
# retarget (:mod:`synsp.data.smpl_mocap`) and the SMPL positions' conversion below both use it.
BANDAI_TO_SMPL: dict[str, str | None] = {
    "pelvis": "Hips", "left_hip": "UpperLeg_L", "right_hip": "UpperLeg_R", "spine1": "Spine",
    "left_knee": "LowerLeg_L", "right_knee": "LowerLeg_R", "spine2": None, "left_ankle": "Foot_L",
    "right_ankle": "Foot_R", "spine3": "Chest", "left_foot": "Toes_L", "right_foot": "Toes_R", "neck": "Neck",
    "left_collar": "Shoulder_L", "right_collar": "Shoulder_R", "head": "Head", "left_shoulder": "UpperArm_L",
    "right_shoulder": "UpperArm_R", "left_elbow": "LowerArm_L", "right_elbow": "LowerArm_R",
    "left_wrist": "Hand_L", "right_wrist": "Hand_R", "left_hand": None, "right_hand": None,
}
# The mocap joints in SMPL's: the inverse of BANDAI_TO_SMPL, the ground reference at the pelvis.
_SMPL_OF = {bandai: smpl for smpl, bandai in BANDAI_TO_SMPL.items() if bandai} | {"joint_Root": "pelvis"}
_SMPL_AS_BANDAI = [SMPL_JOINTS.index(_SMPL_OF[name]) for name in BANDAI22.joints]


def get_layout(name: str | Layout) -> Layout:
    """Return the :class:`Layout` called ``name`` (a Layout is returned as is).

    Raises ``ValueError`` listing the supported names for an unknown one.
    """
    if isinstance(name, Layout):
        return name
    if name not in LAYOUTS:
        raise ValueError(f"layout: unknown name {name!r}; supported: {', '.join(LAYOUTS)}")
    return LAYOUTS[name]


def layout_joint_names(layout: str | None) -> list[str] | None:
    """Joint names of a layout, or None for None or an unknown name."""
    if layout is None or layout not in LAYOUTS:
        return None
    return list(LAYOUTS[layout].joints)


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def match_layout(names: Sequence[str]) -> str | None:
    """The layout whose joint names equal ``names`` (case and ``-``/``_``/space blind), else None:
    how formats that name their joints (CSV, mmpose, BVH) find their layout."""
    wanted = [_norm(n) for n in names]
    for name, layout in LAYOUTS.items():
        if [_norm(n) for n in layout.joints] == wanted:
            return name
    return None


def generic_names(n_joints: int) -> list[str]:
    """Placeholder names ``j0 .. j{J-1}`` for joints of an unknown layout."""
    return [f"j{j}" for j in range(n_joints)]


def _check(x: np.ndarray, layout: Layout, *, coords: int | None = None) -> np.ndarray:
    x = np.asarray(x)
    if x.ndim < 3 or x.shape[-2] != len(layout.joints) or (coords is not None and x.shape[-1] != coords):
        c = coords if coords is not None else "C"
        raise ValueError(f"x must be (..., T, {len(layout.joints)}, {c}) for {layout.name}, got shape {x.shape}")
    return x


def root_joints(layout: str | Layout) -> list[int]:
    """The joints whose mean is a pose's root: the root joint, else both hips, else the first joint."""
    layout = get_layout(layout)
    if layout.root is not None:
        return [layout.root]
    hips = [layout.joints.index(n) for n in ("left_hip", "right_hip") if n in layout.joints]
    return hips if len(hips) == 2 else [0]


def root_position(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """The root of every frame: the mean of :func:`root_joints` (the root joint, or the midpoint
    of the hips when there is none).

    Parameters
    ----------
    x : ndarray (..., T, J, C)
        Poses in ``layout``.
    layout : str or Layout

    Returns
    -------
    ndarray (..., T, 1, C)
        Same dtype as ``x``; subtract it for root-relative poses.
    """
    layout = get_layout(layout)
    x = _check(x, layout)
    joints = root_joints(layout)
    if len(joints) == 1:
        return x[..., joints[0] : joints[0] + 1, :]
    left, right = joints
    return ((x[..., left : left + 1, :] + x[..., right : right + 1, :]) / 2).astype(x.dtype, copy=False)


def trunk_vector(x: np.ndarray, layout: str | Layout) -> np.ndarray:
    """From the hips' midpoint to the shoulders' midpoint, every frame: (..., T, J, C) poses in a
    layout with ``left/right_hip`` and ``left/right_shoulder`` -> (..., T, C), same unit."""
    layout = get_layout(layout)
    x = np.asarray(x)
    side = lambda name: x[..., layout.index(name), :]  # noqa: E731
    return (side("left_shoulder") + side("right_shoulder")) / 2 - (side("left_hip") + side("right_hip")) / 2


def head_frame_from_positions(x: np.ndarray) -> np.ndarray:
    """Estimate the mocap Head joint's orientation from bandai22 positions alone.

    Up is Neck -> Head; left is the shoulder line made orthogonal to it; forward is
    ``left x up``. Ignores head yaw relative to the shoulders, so use the real FK rotation
    (``head_rotation`` in :func:`convert`) when there is one.

    Parameters
    ----------
    x : ndarray (..., T, 22, 3)

    Returns
    -------
    ndarray (..., T, 3, 3)
        Columns = (up, forward, left), the layout of the BVH Head frame's local (X, Y, Z).
    """
    x = _check(x, BANDAI22, coords=3).astype(np.float64)
    up = x[..., _B["Head"], :] - x[..., _B["Neck"], :]
    up /= np.linalg.norm(up, axis=-1, keepdims=True) + 1e-9
    left = x[..., _B["UpperArm_L"], :] - x[..., _B["UpperArm_R"], :]
    left -= np.sum(left * up, axis=-1, keepdims=True) * up
    left /= np.linalg.norm(left, axis=-1, keepdims=True) + 1e-9
    forward = np.cross(left, up)
    return np.stack([up, forward, left], axis=-1)


def head_fixed_points(head: np.ndarray, rotation: np.ndarray, offsets: np.ndarray) -> np.ndarray:
    """Points fixed to the head: ``head + rotation @ offset`` for every offset.

    Parameters
    ----------
    head : ndarray (..., 3), the mocap Head joint's position (mm).
    rotation : ndarray (..., 3, 3), its frame; columns (up, forward, left) as in
        :func:`head_frame_from_positions`.
    offsets : ndarray (K, 3), each point in that frame (mm).

    Returns
    -------
    ndarray (..., K, 3) float64, mm.
    """
    offsets = np.asarray(offsets, np.float64)
    return np.asarray(head, np.float64)[..., None, :] + np.einsum("...ab,kb->...ka", rotation, offsets)


def _head_points(x: np.ndarray, head_rotation: np.ndarray | None, names: list[str]) -> np.ndarray:
    """(..., T, len(names), 3) head-fixed points of bandai22 poses ``x`` (mm)."""
    rot = head_frame_from_positions(x) if head_rotation is None else np.asarray(head_rotation, np.float64)
    if rot.shape != x.shape[:-2] + (3, 3):
        raise ValueError(f"head_rotation must be {x.shape[:-2] + (3, 3)}, got shape {rot.shape}")
    offsets = np.array([HEAD_POINTS_MM[n] for n in names])  # (K, 3) in head-local (X, Y, Z)
    return head_fixed_points(x[..., _B["Head"], :], rot, offsets)


def _bandai_to_h36m(x: np.ndarray, head_rotation: np.ndarray | None) -> np.ndarray:
    j = {name: x[..., i, :].astype(np.float64) for name, i in _B.items()}
    pelvis = (j["UpperLeg_L"] + j["UpperLeg_R"]) / 2
    rhip = pelvis + HIP_WIDEN * (j["UpperLeg_R"] - pelvis)
    lhip = pelvis + HIP_WIDEN * (j["UpperLeg_L"] - pelvis)
    spine = (j["Spine"] + j["Chest"]) / 2
    nose, head = np.moveaxis(_head_points(x, head_rotation, ["h36m_nose", "h36m_head"]), -2, 0)
    out = [pelvis, rhip, j["LowerLeg_R"], j["Foot_R"], lhip, j["LowerLeg_L"], j["Foot_L"],
           spine, j["Neck"], nose, head, j["UpperArm_L"], j["LowerArm_L"], j["Hand_L"],
           j["UpperArm_R"], j["LowerArm_R"], j["Hand_R"]]
    return np.stack(out, axis=-2)


def _bandai_to_coco(x: np.ndarray, head_rotation: np.ndarray | None) -> np.ndarray:
    face = _head_points(x, head_rotation, ["nose", "left_eye", "right_eye", "left_ear", "right_ear"])
    h36m = _bandai_to_h36m(x, head_rotation)
    body = h36m[..., [11, 14, 12, 15, 13, 16, 4, 1, 5, 2, 6, 3], :]  # arms, widened hips, legs
    return np.concatenate([face, body], axis=-2)


def _has_coco_names(layout: Layout) -> bool:
    return set(COCO17.joints) <= set(layout.joints)


def _to_coco(x: np.ndarray, layout: Layout) -> np.ndarray:
    return x[..., [layout.index(name) for name in COCO17.joints], :]


def _coco_named_to_h36m(x: np.ndarray, layout: Layout) -> np.ndarray:
    """H36M-17 from any layout that has COCO's 17 keypoints (MediaPipe, Halpe, BODY_25, ...)."""
    j = {name: x[..., layout.index(name), :].astype(np.float64) for name in COCO17.joints}
    pelvis = (j["left_hip"] + j["right_hip"]) / 2
    thorax = (j["left_shoulder"] + j["right_shoulder"]) / 2
    ears = (j["left_ear"] + j["right_ear"]) / 2
    # The ears' midpoint sits at eye height in the middle of the skull; H36M's head joint is
    # a little higher, so step 15% further along thorax -> ears.
    nose, head = j["nose"], ears + 0.15 * (ears - thorax)
    if x.shape[-1] == 3:  # in 3D the face's own frame places them as the model knows them
        fitted = h36m_head_points(np.stack([j[name] for name in _FACE_NAMES], axis=-2))
        seen = np.isfinite(fitted).all(axis=-1, keepdims=True)
        nose = np.where(seen[..., 0, :], fitted[..., 0, :], nose)
        head = np.where(seen[..., 1, :], fitted[..., 1, :], head)
    out = [pelvis, j["right_hip"], j["right_knee"], j["right_ankle"], j["left_hip"], j["left_knee"],
           j["left_ankle"], (pelvis + thorax) / 2, thorax, nose, head, j["left_shoulder"],
           j["left_elbow"], j["left_wrist"], j["right_shoulder"], j["right_elbow"], j["right_wrist"]]
    return np.stack(out, axis=-2)


_FACE_NAMES = ("nose", "left_eye", "right_eye", "left_ear", "right_ear")


def similarity_fit(source: np.ndarray, target: np.ndarray,
                   weight: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """The weighted least-squares similarity from ``source`` to ``target`` points (Umeyama):
    ``target ~ scale * rotation @ (source - source_mean) + target_mean``, never a reflection
    (the weakest direction's sign is flipped instead).

    Parameters
    ----------
    source, target : ndarray (..., K, C), K points; NaN allowed where ``weight`` is 0.
    weight : ndarray (..., K), 1 for the points to fit, 0 for the others.

    Returns
    -------
    scale (...), rotation (..., C, C), source_mean (..., C), target_mean (..., C); the scale is
    meaningless where fewer than two points are weighted or the source spans no distance.
    """
    w = np.asarray(weight, np.float64)[..., None]
    src = np.where(w > 0, source, 0.0)
    dst = np.where(w > 0, target, 0.0)
    total = np.maximum(w.sum(axis=-2), 1.0)  # (..., 1)
    mean_src, mean_dst = (w * src).sum(axis=-2) / total, (w * dst).sum(axis=-2) / total
    src0, dst0 = (src - mean_src[..., None, :]) * w, (dst - mean_dst[..., None, :]) * w
    u, sv, vt = np.linalg.svd(np.swapaxes(dst0, -1, -2) @ src0)  # sum of (target - mean)(source - mean)^T
    d = np.sign(np.linalg.det(u) * np.linalg.det(vt))
    d = np.where(d == 0, 1.0, d)
    u[..., :, -1] *= d[..., None]
    sv[..., -1] *= d
    with np.errstate(divide="ignore", invalid="ignore"):
        scale = sv.sum(axis=-1) / (src0 ** 2).sum(axis=(-2, -1))
    return scale, u @ vt, mean_src, mean_dst


def h36m_head_points(face: np.ndarray) -> np.ndarray:
    """H36M's neck/nose and head joints, as the mocap defines them, placed on a COCO face.

    The rotation and scale that best map the mocap's five face points (:data:`HEAD_POINTS_MM`)
    onto the given ones (Umeyama's least squares) turn the mocap's offsets from its nose to its
    ``h36m_nose`` and from its ears' midpoint to its ``h36m_head``; the offsets are added to the
    given nose and ears. So the two joints follow the head's own frame as it turns and nods (not
    the trunk's), any unit or head size fits, and each keeps its face point's own error for the
    refiner to see.

    Parameters
    ----------
    face : ndarray (..., 5, 3)
        3D nose, left eye, right eye, left ear, right ear; NaN where not seen.

    Returns
    -------
    ndarray (..., 2, 3): neck/nose and head; NaN where fewer than three face points are seen
    (a missing nose or ear is taken from the fit).
    """
    face = np.asarray(face, np.float64)
    model = np.array([HEAD_POINTS_MM[name] for name in _FACE_NAMES])  # (5, 3)
    targets = np.array([HEAD_POINTS_MM["h36m_nose"], HEAD_POINTS_MM["h36m_head"]])
    weight = np.isfinite(face).all(axis=-1).astype(np.float64)  # (..., 5)
    count = weight.sum(axis=-1)
    scale, rotation, mean_model, mean_face = similarity_fit(np.broadcast_to(model, face.shape), face, weight)

    def placed(points: np.ndarray) -> np.ndarray:  # (K, 3) mocap head points -> (..., K, 3) on this face
        return mean_face[..., None, :] + scale[..., None, None] * np.einsum(
            "...ab,...kb->...ka", rotation, points - mean_model[..., None, :])

    fitted_anchors = placed(np.stack([model[0], (model[3] + model[4]) / 2]))  # the nose, the ears' midpoint
    anchors = np.stack([face[..., 0, :], (face[..., 3, :] + face[..., 4, :]) / 2], axis=-2)
    anchors = np.where(np.isfinite(anchors), anchors, fitted_anchors)
    out = anchors + placed(targets) - fitted_anchors
    out[count < 3] = np.nan
    return out


def _h36m_to_coco(x: np.ndarray, head_rotation: np.ndarray | None) -> np.ndarray:
    j = {name: x[..., H36M17.index(name), :] for name in H36M17.joints}
    face = {"nose": j["neck_nose"], "left_eye": j["head"], "right_eye": j["head"], "left_ear": j["head"],
            "right_ear": j["head"]}
    return np.stack([face.get(name, j.get(name)) for name in COCO17.joints], axis=-2)


def _smpl_to_h36m(x: np.ndarray, head_rotation: np.ndarray | None) -> np.ndarray:
    """H36M-17 from SMPL's joint positions (3D, any unit): as from the mocap joints they stand
    for (:data:`BANDAI_TO_SMPL`), the thorax and shoulders moved to where the mocap has them
    (:data:`SMPL_THORAX_DROP`, :data:`SMPL_SHOULDERS_IN`), and the joints both name alike
    (knees, ankles, elbows, wrists) as they are."""
    unit = mm_per_unit(x)
    h36m = _bandai_to_h36m(x[..., _SMPL_AS_BANDAI, :] * unit, None) / unit
    smpl = lambda name: x[..., SMPL_JOINTS.index(name), :]  # noqa: E731
    h36m[..., H36M17.index("thorax"), :] = smpl("neck") + SMPL_THORAX_DROP * (smpl("spine3") - smpl("neck"))
    for side in ("left", "right"):
        collar, shoulder = smpl(f"{side}_collar"), smpl(f"{side}_shoulder")
        h36m[..., H36M17.index(f"{side}_shoulder"), :] = collar + SMPL_SHOULDERS_IN * (shoulder - collar)
    for name in _SMPL_COPIED:
        h36m[..., H36M17.index(name), :] = smpl(name)
    return h36m


# SMPL's neck joint sits ~6 cm above its shoulders, the mocap's Neck (the model's thorax) ~3 cm;
# SMPL's shoulders are ~35 cm apart, the mocap's ~21 cm. The model sees SMPL's thorax this share
# of the way down to spine3 and its shoulders this share of the way out from the collars: chosen on
# the validation split (0 / 0.15 / 0.3 / 0.45 and 1 / 0.6 / 0.45 / 0.3; benchmarks/RESULTS.md,
# section 11, "SMPL's joints"), where the network pulled the upper body least and refined best.
SMPL_THORAX_DROP = 0.3
SMPL_SHOULDERS_IN = 0.6
# The H36M joints SMPL's positions give as they are; its pelvis (above the hip line), hips
# (narrow) and head (the skull's base) are other definitions of H36M's, converted as the mocap's.
_SMPL_COPIED = ("right_knee", "right_ankle", "left_knee", "left_ankle", "left_elbow", "left_wrist",
                "right_elbow", "right_wrist")


def reorders(src: str | Layout | None, dst: str | Layout) -> bool:
    """Whether ``src`` names the joints of ``dst`` in another order (``mpi17`` of ``h36m17``):
    :func:`convert` then only reorders them, both ways."""
    if src is None:
        return False
    src, dst = get_layout(src), get_layout(dst)
    return src.name != dst.name and sorted(src.joints) == sorted(dst.joints)


def _reordered_as(x: np.ndarray, src: Layout, dst: Layout) -> np.ndarray:
    """Poses (..., J, C) of ``src`` in the order of ``dst``, a layout of the same joint names."""
    return x[..., [src.joints.index(joint) for joint in dst.joints], :]


_CONVERSIONS = {
    ("bandai22", "h36m17"): _bandai_to_h36m,
    ("smpl24", "h36m17"): _smpl_to_h36m,
    ("smpl22", "h36m17"): _smpl_to_h36m,
    ("bandai22", "coco17"): _bandai_to_coco,
    ("h36m17", "coco17"): _h36m_to_coco,
    ("mpi17", "coco17"): lambda x, head_rotation: _h36m_to_coco(_reordered_as(x, MPI17, H36M17), head_rotation),
}

# How far apart a 17-joint pose's first five joints lie, less its joints 8-10, in body sizes:
# COCO's face points (0-4) lie together and its elbow and wrists (8-10) apart; H36M's pelvis and
# leg (0-4) lie apart and its thorax, nose and head (8-10) together. Validation split, every clip
# under `typical`, `hard` and no errors: COCO's order at most 0.06 in 2D (0.26 for one `hard` 3D
# clip, otherwise at most -0.07), H36M's at least 0.20.
SEVENTEEN_SPLIT = 0.15


def seventeen_joint_layout(poses: np.ndarray) -> str:
    """``"coco17"``, ``"h36m17"`` or ``"mpi17"``: which order 17-joint poses (..., T, 17, C)
    follow, told from the poses. MPI-INF-3DHP's order where its bones are shorter than either
    other order's would be (:func:`tree_length`: on the validation split, 0.61-0.79 times the
    shorter of the two on MPI-ordered poses, 1.34-2.44 times on the others, 2D and 3D, `typical`,
    `hard` and no errors, four joint conventions); else COCO's or H36M's by
    :data:`SEVENTEEN_SPLIT`. NaN joints are skipped; ``"coco17"`` when nothing is seen."""
    x = np.asarray(poses, np.float64)
    lengths = {layout.name: tree_length(x, layout) for layout in (MPI17, H36M17, COCO17)}
    if lengths["mpi17"] < min(lengths["h36m17"], lengths["coco17"]):
        return "mpi17"

    def spread(joints: tuple[int, ...]) -> float:
        pairs = [np.linalg.norm(x[..., a, :] - x[..., b, :], axis=-1) for a in joints for b in joints if a < b]
        with warnings.catch_warnings():  # frames without the joints are expected
            warnings.simplefilter("ignore", RuntimeWarning)
            return float(np.nanmedian(np.nanmax(np.stack(pairs), axis=0)))

    score = _in_body_sizes(spread((0, 1, 2, 3, 4)) - spread((8, 9, 10)), x)
    return "h36m17" if np.isfinite(score) and score > SEVENTEEN_SPLIT else "coco17"


def _spaced_frames(poses: np.ndarray, max_frames: int) -> np.ndarray:
    """At most ``max_frames`` frames (N, J, C) of poses (..., T, J, C), evenly spaced, as float64."""
    x = np.asarray(poses, np.float64).reshape(-1, *np.shape(poses)[-2:])
    return x[np.linspace(0, len(x) - 1, min(len(x), max_frames)).astype(int)]


def tree_length(poses: np.ndarray, layout: str | Layout, max_frames: int = 500) -> float:
    """The summed lengths of ``layout``'s bone tree (:func:`bone_tree`) in poses (..., T, J, C),
    each bone its median length over frames (at most ``max_frames`` of them, evenly spaced):
    the shorter, the likelier the poses follow that layout's joint order. NaN when no bone is seen."""
    x = _spaced_frames(poses, max_frames)
    tree = np.asarray(bone_tree(layout))
    with warnings.catch_warnings():  # bones never seen
        warnings.simplefilter("ignore", RuntimeWarning)
        lengths = np.nanmedian(np.linalg.norm(x[:, tree[:, 0]] - x[:, tree[:, 1]], axis=-1), axis=0)
    return float(np.sum(lengths)) if np.isfinite(lengths).any() else float("nan")


# How much longer a layout's bones may be than the shortest tree through the same joints
# (:func:`tree_excess`) before poses are taken not to follow that layout, per coordinate count.
# Validation split, every clip under `typical`, `hard` and no errors, eight layouts: at most 1.70
# in 3D and 2.28 in 2D (MediaPipe-33's face); the joints in a random order at least 1.75 in 3D
# and, for 22 joints or more, 2.50 in 2D; 17 and 18 joints in 2D may pass in a random order.
TREE_EXCESS = {3: 1.8, 2: 2.5}


def tree_excess(poses: np.ndarray, layout: str | Layout, max_frames: int = 200) -> float:
    """How much longer ``layout``'s bones are in poses (..., T, J, C) than the shortest tree
    through the same joints: the summed median lengths of the bones' shortest spanning forest
    over those of the shortest forest of as many trees through the joints the bones join (at
    most ``max_frames`` frames, evenly spaced). About 1.0-1.7 for poses that follow the layout
    (:data:`TREE_EXCESS`), 2-4 for its joints in another order; NaN when nothing is seen."""
    # scipy's graph routines load when a layout is guessed, not with every `import synsp`
    from scipy.sparse import coo_matrix
    from scipy.sparse.csgraph import connected_components, minimum_spanning_tree

    layout = get_layout(layout)
    x = _spaced_frames(poses, max_frames)
    joints = np.unique(np.asarray(layout.bones))
    y = x[:, joints]
    with warnings.catch_warnings():  # joints never seen
        warnings.simplefilter("ignore", RuntimeWarning)
        d = np.nanmedian(np.linalg.norm(y[:, :, None] - y[:, None], axis=-1), axis=0)
    if not np.isfinite(d).all():
        return float("nan")
    d = d + 1e-9 * (1.0 + d.max())  # a zero distance is no edge to scipy
    n, ends = len(joints), np.searchsorted(joints, np.asarray(layout.bones))
    bones = coo_matrix((d[ends[:, 0], ends[:, 1]], (ends[:, 0], ends[:, 1])), shape=(n, n)).tocsr()
    trees = connected_components(bones, directed=False)[0]
    shortest = np.sort(minimum_spanning_tree(d * (1.0 - np.eye(n))).data)[: n - trees]
    return float(minimum_spanning_tree(bones).sum() / max(shortest.sum(), 1e-300))


def follows_layout(poses: np.ndarray, layout: str | Layout) -> bool:
    """Whether poses (..., T, J, C) could follow ``layout``'s joint order (:func:`tree_excess`
    within :data:`TREE_EXCESS`); True when too little is seen to tell."""
    excess = tree_excess(poses, layout)
    return not excess > TREE_EXCESS.get(np.shape(poses)[-1], TREE_EXCESS[3])


# How far a 22-joint pose's first joint lies from its second, in body sizes: the mocap's first
# joint is its ground reference, about a leg's length below its Hips; SMPL's is the pelvis, a
# hand's width from the left hip. Checked on the validation split (benchmarks/RESULTS.md,
# section 11, "SMPL's joints").
TWENTY_TWO_SPLIT = 0.25


def twenty_two_joint_layout(poses: np.ndarray) -> str:
    """``"bandai22"`` or ``"smpl22"``: which skeleton 22-joint poses (..., T, 22, C) follow, told
    from the poses (:data:`TWENTY_TWO_SPLIT`); ``"smpl22"`` when nothing is seen."""
    x = np.asarray(poses, np.float64)
    with warnings.catch_warnings():  # frames without the joints are expected
        warnings.simplefilter("ignore", RuntimeWarning)
        gap = float(np.nanmedian(np.linalg.norm(x[..., 0, :] - x[..., 1, :], axis=-1)))
    score = _in_body_sizes(gap, x)
    return "bandai22" if np.isfinite(score) and score > TWENTY_TWO_SPLIT else "smpl22"


def _in_body_sizes(distance: float, poses: np.ndarray) -> float:
    """``distance`` over the size of the body in ``poses``; NaN for a body of no size (every joint at one point)."""
    size = body_size(poses)
    return distance / size if size > 0 else float("nan")


# Sources whose conversions place points in 3D (the head's frame, millimetre offsets).
THREE_D_SOURCES = ("bandai22", "smpl24", "smpl22")


def can_convert(src: str | Layout, dst: str | Layout, coords: int | None = None) -> bool:
    """Whether :func:`convert` maps ``src`` poses to ``dst``; with ``coords`` (the poses' C), for
    poses of that many coordinates (the mocap's and SMPL's joints convert in 3D only)."""
    src, dst = get_layout(src), get_layout(dst)
    if src.name != dst.name and coords is not None and coords != 3 and src.name in THREE_D_SOURCES:
        return False
    return (src.name == dst.name or (src.name, dst.name) in _CONVERSIONS or reorders(src, dst)
            or (dst.name in ("coco17", "h36m17") and _has_coco_names(src)))


def convert(
    x: np.ndarray, src: str | Layout, dst: str | Layout, *, head_rotation: np.ndarray | None = None
) -> np.ndarray:
    """Map poses from layout ``src`` to layout ``dst``.

    Parameters
    ----------
    x : ndarray (..., T, J_src, C)
        Poses. From ``bandai22``: 3D millimetres (C = 3; the head offsets are in mm). From
        ``mediapipe33``: any unit and any C (extra channels such as visibility are averaged
        where a joint is a midpoint).
    src, dst : str or Layout
        Supported: ``bandai22 -> h36m17 | coco17``, ``h36m17 -> coco17``, any layout with COCO's 17 keypoint names
        ``-> h36m17 | coco17`` (:func:`can_convert`), and any layout to itself. See the module docstring
        for the joint-by-joint mapping.
    head_rotation : ndarray (..., T, 3, 3), optional
        Global orientation of the mocap Head joint (from :func:`synsp.formats.bvh.forward_kinematics`)
        for the face points of a ``bandai22`` source; estimated from the positions if omitted
        (:func:`head_frame_from_positions`).

    Returns
    -------
    ndarray (..., T, J_dst, C)
        Same dtype as ``x``.
    """
    src, dst = get_layout(src), get_layout(dst)
    x = _check(x, src, coords=3 if src.name in THREE_D_SOURCES else None)
    if src.name == dst.name:
        return x.copy()
    if not can_convert(src, dst):
        raise ValueError(f"convert: no conversion {src.name} -> {dst.name}; supported: bandai22 -> h36m17 | coco17, "
                         "h36m17 -> coco17, and any layout with COCO's 17 keypoints -> h36m17 | coco17")
    fn = _CONVERSIONS.get((src.name, dst.name))
    if reorders(src, dst):
        out = _reordered_as(x, src, dst)
    elif fn is not None:
        out = fn(x, head_rotation)
    else:
        out = _to_coco(x, src) if dst.name == "coco17" else _coco_named_to_h36m(x, src)
    return np.asarray(out).astype(x.dtype, copy=False)


def flip_lr(x: np.ndarray, layout: str | Layout, axis: int = 0) -> np.ndarray:
    """Mirror poses: negate one coordinate and swap left and right joints.

    Parameters
    ----------
    x : ndarray (..., T, J, C)
        Poses in ``layout``.
    layout : str or Layout
    axis : int
        The coordinate to negate: the lateral one, 0 (x) for the Y-up mocap and for
        root-relative image coordinates.

    Returns
    -------
    ndarray (..., T, J, C)
        Same shape and dtype; applying it twice gives ``x`` back.
    """
    layout = get_layout(layout)
    x = _check(x, layout)
    if not -x.shape[-1] <= axis < x.shape[-1]:
        raise ValueError(f"axis must index one of the {x.shape[-1]} coordinates, got {axis}")
    out = x[..., layout.flip_index, :].copy()
    out[..., axis] = -out[..., axis]
    return out


def bone_tree(layout: str | Layout) -> list[tuple[int, int]]:
    """The layout's bones as a spanning tree, ``(parent, child)`` in breadth-first order from
    the root (joint 0 for root-less layouts), so that every parent comes before its children.
    Bones that would close a loop (COCO's shoulder-shoulder link, say) are left out."""
    layout = get_layout(layout)
    start = layout.root if layout.root is not None else 0
    return list(_spanning_tree(start, tuple(tuple(bone) for bone in layout.bones)))


@lru_cache(maxsize=64)  # streams ask for it for every person at every frame
def _spanning_tree(start: int, bones: tuple[tuple[int, int], ...]) -> tuple[tuple[int, int], ...]:
    neighbours: dict[int, list[int]] = {}
    for a, b in bones:
        neighbours.setdefault(a, []).append(b)
        neighbours.setdefault(b, []).append(a)
    tree, seen, queue = [], {start}, [start]
    for joint in queue:
        for other in neighbours.get(joint, []):
            if other not in seen:
                seen.add(other)
                tree.append((joint, other))
                queue.append(other)
    return tuple(tree)


def reproportion(x: np.ndarray, layout: str | Layout, factors: np.ndarray) -> np.ndarray:
    """Give the body other proportions: each bone of :func:`bone_tree` is stretched by its
    child's factor, and everything below it moves along.

    Parameters
    ----------
    x : ndarray (..., T, J, C)
        Poses in ``layout``, any unit.
    factors : ndarray (J,)
        Length factor of the bone ending at each joint (the tree's root entry is unused).

    Returns
    -------
    ndarray (..., T, J, C), same dtype; the root keeps its place and every bone its direction.
    """
    layout = get_layout(layout)
    x = _check(x, layout)
    factors = np.asarray(factors, dtype=x.dtype)
    if factors.shape != (len(layout.joints),):
        raise ValueError(f"factors must have one entry per joint ({len(layout.joints)}), got shape {factors.shape}")
    out = x.copy()
    for parent, child in bone_tree(layout):
        out[..., child, :] = out[..., parent, :] + (x[..., child, :] - x[..., parent, :]) * factors[child]
    return out


def random_proportions(layout: str | Layout, spread: float, rng: np.random.Generator) -> np.ndarray:
    """(J,) bone-length factors for :func:`reproportion`, uniform in ``1 +- spread`` and the
    same for a joint and its mirror (bodies are left/right symmetric)."""
    layout = get_layout(layout)
    if not 0 <= spread < 1:
        raise ValueError(f"proportions spread must be in [0, 1), got {spread}")
    factors = rng.uniform(1 - spread, 1 + spread, len(layout.joints))
    return factors[np.minimum(np.arange(len(factors)), layout.flip_index)]

"""Joint layouts: the joints an estimator or a mocap names, the bones between them, the
left/right pairs and the root, and what a pose's root, trunk, mirror and bone tree are in one.

A :class:`Layout` (:mod:`~synsp.skeleton.layout_type`) names the joints, the bones drawn between
them, the left/right pairs and the root joint. Pairs in ``left_right`` are ``(left, right)``; bones
are ``(parent, child)``. COCO has no root joint (``root=None``);
:func:`~synsp.skeleton.pose_geometry.root_position` gives the midpoint of the hips instead. A new
layout is one more :class:`Layout` in :data:`LAYOUTS`.
A pose's root, trunk, mirror and bone tree are in :mod:`~synsp.skeleton.pose_geometry`, Holistic's
blocks in :mod:`~synsp.skeleton.holistic`; both are importable from here too.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from synsp.rotations.smpl_template import SMPL_JOINTS, SMPL_LEFT_RIGHT, SMPL_PARENTS
from synsp.skeleton.capture_layouts import H36M32, KINECT25, KINECT32
from synsp.skeleton.holistic import BLOCKS, missing_blocks  # noqa: F401  (importable from here, as before)
from synsp.skeleton.layout_type import Layout
from synsp.skeleton.smplx_layouts import SMPLH52, SMPLX55, SMPLX127


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

# MPII Human Pose's 16 joints (2D estimators trained on MPII: Stacked Hourglass, SimpleBaseline)
# and LSP's 14 (Leeds Sports Pose: the joints 3DPW results are scored on), each in its order.
# Their (upper) neck lies below the chin, their head point at the top of the head.
MPII16 = Layout(
    name="mpii16",
    joints=("right_ankle", "right_knee", "right_hip", "left_hip", "left_knee", "left_ankle", "pelvis", "thorax",
            "upper_neck", "head_top", "right_wrist", "right_elbow", "right_shoulder", "left_shoulder", "left_elbow",
            "left_wrist"),
    bones=tuple(_chain(6, 2, 1, 0) + _chain(6, 3, 4, 5) + _chain(6, 7, 8, 9) + _chain(7, 12, 11, 10)
                + _chain(7, 13, 14, 15)),
    left_right=((3, 2), (4, 1), (5, 0), (13, 12), (14, 11), (15, 10)),
    root=6,
)

LSP14 = Layout(
    name="lsp14",
    joints=("right_ankle", "right_knee", "right_hip", "left_hip", "left_knee", "left_ankle", "right_wrist",
            "right_elbow", "right_shoulder", "left_shoulder", "left_elbow", "left_wrist", "neck", "head_top"),
    bones=tuple(_chain(2, 1, 0) + _chain(3, 4, 5) + [(2, 3), (2, 8), (3, 9)] + _chain(12, 8, 7, 6)
                + _chain(12, 9, 10, 11) + [(12, 13)]),
    left_right=((3, 2), (4, 1), (5, 0), (9, 8), (10, 7), (11, 6)),
    root=None,
)

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
# HybrIK's 29 joints (AlphaPose's 3D output, HybrIK-X, NIKI): SMPL's 24 positions, then a head top,
# the middle fingers' tips and the big toes, each hung from the SMPL joint HybrIK hangs it from
# (the head, the hands, the feet).
SMPL29 = Layout(
    name="smpl29",
    joints=SMPL24.joints + ("head_top", "left_middle", "right_middle", "left_bigtoe", "right_bigtoe"),
    bones=SMPL24.bones + ((15, 24), (22, 25), (23, 26), (10, 27), (11, 28)),
    left_right=SMPL24.left_right + ((25, 26), (27, 28)),
    root=0,
)


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
# MediaPipe Holistic's 543 landmarks, in its own output order: the 33 pose landmarks
# (MediaPipe-33), the 468 face-mesh points (no left/right pairs: a mirror keeps them in place)
# and 21 + 21 hand points (the person's left hand, then the right) hung from the pose's wrists.
HOLISTIC543 = _with_face_and_hands("holistic543", MEDIAPIPE33, 468, wrists=(15, 16))
# The same points in the order of Kaggle's "Google - Isolated Sign Language Recognition" files
# (their ``type`` column): face, left hand, pose, right hand.
HOLISTIC543_KAGGLE = _reordered("holistic543_kaggle", HOLISTIC543, HOLISTIC543.joints[33:501]
                                + HOLISTIC543.joints[501:522] + HOLISTIC543.joints[:33] + HOLISTIC543.joints[522:])

LAYOUTS: dict[str, Layout] = {layout.name: layout
                              for layout in (BANDAI22, H36M17, MPI17, COCO17, MEDIAPIPE33, HALPE26, BODY25, SPIN49,
                                             HMR44, MPII16, LSP14, COCO18, COCO133, HALPE136, OPENPOSE137, SMPL24,
                                             SMPL22, SMPL29, SMPLH52, SMPLX55, SMPLX127, HOLISTIC543,
                                             HOLISTIC543_KAGGLE, H36M32, KINECT25, KINECT32)}
# The layouts synsp comes with; a user's own are added to LAYOUTS (``layout=`` a Layout adds it).
SHIPPED = frozenset(LAYOUTS)


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




def in_layout_order(names: Sequence[str]) -> list[str]:
    """``names`` in the order of the layout whose joints they are, every one, in another order (a pivoted table's
    sorted columns; spelt as :func:`match_layout` reads them); as given when no layout has exactly these names."""
    given = {_norm(n): n for n in names}
    for layout in LAYOUTS.values():
        own = [_norm(n) for n in layout.joints]
        if len(own) == len(names) and set(own) == given.keys():
            return [given[n] for n in own]
    return list(names)


def generic_names(n_joints: int) -> list[str]:
    """Placeholder names ``j0 .. j{J-1}`` for joints of an unknown layout."""
    return [f"j{j}" for j in range(n_joints)]


def check_shape(x: np.ndarray, layout: Layout, *, coords: int | None = None) -> np.ndarray:
    """``x`` as an array, checked to be poses (..., T, J, C) of ``layout`` (``coords`` coordinates if
    given); ``ValueError`` naming the shape expected and the one given otherwise."""
    x = np.asarray(x)
    if x.ndim < 3 or x.shape[-2] != len(layout.joints) or (coords is not None and x.shape[-1] != coords):
        c = coords if coords is not None else "C"
        raise ValueError(f"x must be (..., T, {len(layout.joints)}, {c}) for {layout.name}, got shape {x.shape}")
    return x


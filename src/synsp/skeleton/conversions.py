"""Conversions between joint layouts: :func:`convert` maps ``(..., T, J, C)`` arrays from one
layout to another:

- ``bandai22 -> h36m17`` and ``bandai22 -> coco17``: 3D mocap positions in millimetres.
  Face points come from the Head joint's orientation (see :data:`HEAD_POINTS_MM`).
- any layout holding COCO's 17 keypoints (``mediapipe33``, ``halpe26``, ``body25``, ``spin49``,
  ``hmr44``, ``coco18``, ``coco133``, ``halpe136``, ``openpose137``) ``-> coco17`` (those
  keypoints) and ``-> h36m17`` (pelvis and thorax at the midpoints of the hips and shoulders;
  in 3D (C = 3) the neck/nose and head joints placed on the face by its own frame,
  :func:`h36m_head_points`, otherwise the nose and a point above the ears): any units (2D
  pixels with a visibility channel, C = 3, pass the pixels alone, or the visibility is read as
  depth). Their other joints (feet, hands, face, Halpe's head and neck) are not converted; the
  pipeline refines them around their nearest model joint.
- ``smpl24``, ``smpl22``, ``smpl29`` (HybrIK's: SMPL's 24 and five more), and ``smplh52``, ``smplx55``,
  ``smplx127`` (SMPL-H's and SMPL-X's: SMPL's body's 22 first, converted alone) ``-> h36m17``: SMPL's
  3D joint positions (any unit), as from the mocap joints they stand for (:data:`BANDAI_TO_SMPL`,
  then ``bandai22 -> h36m17`` below, the head frame estimated from the neck, head and shoulders),
  the thorax and shoulders moved to the mocap's (``SMPL_THORAX_DROP``, ``SMPL_SHOULDERS_IN``); the
  knees, ankles, elbows and wrists are H36M's as they are. SMPL's pelvis (above the hip line),
  narrow hips and head (the skull's base) are other definitions of H36M's joints, kept as the
  user's by the refiner (``keep_convention``). SMPL's 2D joints have no face to give COCO's: not
  converted.
- any layout naming H36M-17's 17 joints among others (``h36m32``, Human3.6M's full skeleton; a
  user's own :class:`Layout`) ``-> h36m17`` (those joints as they are) and ``-> coco17`` (through
  H36M-17, as below); ``kinect25`` likewise, its neck standing for H36M's neck/nose point, and ``kinect32``
  (Azure Kinect's), its nose standing for it (its COCO-17: its own face points). COCO's
  keypoints, where a layout names them too, are its COCO-17.
- ``h36m17 -> coco17``: the body joints as they are; H36M has no face, so COCO's nose is its
  ``neck_nose`` and the eyes and ears its ``head`` (a face the network sees as one more joint
  convention, section 9 of benchmarks/RESULTS.md; only the 2D model needs it).
- ``mpi17 -> coco17``, and ``mpi17 <-> h36m17``: MPI-INF-3DHP's 17 joints are H36M's in another
  order (:func:`reorders`: any two layouts of the same joint names convert by reordering).
- ``mpii16`` and ``lsp14 -> h36m17 | coco17``: the limbs as they are, the pelvis and thorax
  theirs (LSP: the hips' and shoulders' midpoints), H36M's neck/nose and head points on the line
  from their upper neck to their head top (and COCO's face from those two, as from H36M's).

COCO's, H36M's and MPI-INF-3DHP's layouts have 17 joints; :mod:`synsp.skeleton.joint_order` tells
a file's order from its poses.

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
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from synsp.rotations.smpl_template import SMPL_JOINTS
from synsp.sequence import mm_per_unit
from synsp.skeleton.capture_layouts import KINECT25, KINECT32
from synsp.skeleton.head_points import (  # noqa: F401  (similarity_fit: importable from here, as before)
    FACE_NAMES,
    HEAD_POINTS_MM,
    h36m_head_points,
    head_fixed_points,
    head_frame_from_positions,
    similarity_fit,
)
from synsp.skeleton.layouts import BANDAI22, COCO17, H36M17, LSP14, MPI17, MPII16, Layout, check_shape, get_layout

HIP_WIDEN = 2.0  # mocap hip joints are 13 cm apart; H36M's ~26 cm

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


def _names(layout: Layout, target: Layout) -> bool:
    """Whether ``layout`` names every joint of ``target`` (COCO-17's keypoints, H36M-17's joints)."""
    return set(target.joints) <= set(layout.joints)


# Kinect v2's joints as H36M's: its neck (between the shoulders' line and the head) stands for H36M's
# neck/nose point, an offset of the head's the refiner keeps as a joint convention (as "cmu-neck").
_KINECT_AS_H36M = {"neck_nose": "neck"}
_AZURE_AS_H36M = {"neck_nose": "nose"}  # Azure Kinect's 32: its nose for H36M's neck/nose point


def _picked(x: np.ndarray, layout: Layout, target: Layout, aliases: dict[str, str] | None = None) -> np.ndarray:
    """``target``'s joints from a layout that names them (COCO's keypoints in Halpe's or BODY_25's, H36M's 17
    in Human3.6M's 32 or a user's own ``Layout``), each ``aliases.get(name, name)``: the joints as they are."""
    aliases = aliases or {}
    return x[..., [layout.index(aliases.get(name, name)) for name in target.joints], :]


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
        fitted = h36m_head_points(np.stack([j[name] for name in FACE_NAMES], axis=-2))
        seen = np.isfinite(fitted).all(axis=-1, keepdims=True)
        nose = np.where(seen[..., 0, :], fitted[..., 0, :], nose)
        head = np.where(seen[..., 1, :], fitted[..., 1, :], head)
    out = [pelvis, j["right_hip"], j["right_knee"], j["right_ankle"], j["left_hip"], j["left_knee"],
           j["left_ankle"], (pelvis + thorax) / 2, thorax, nose, head, j["left_shoulder"],
           j["left_elbow"], j["left_wrist"], j["right_shoulder"], j["right_elbow"], j["right_wrist"]]
    return np.stack(out, axis=-2)


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


# Where H36M's neck/nose and head points lie on the way from the upper neck to the head top: the
# mocap's (:data:`HEAD_POINTS_MM`; its upper neck half way from its Neck to its Head joint).
UPPER_NECK_TO_HEAD_TOP = {"neck_nose": 0.3, "head": 0.65}


def _limbs_to_h36m(x: np.ndarray, layout: Layout) -> np.ndarray:
    """H36M-17 from MPII's 16 or LSP's 14 joints: the limbs as they are; the pelvis and thorax
    theirs, else the midpoints of the hips and of the shoulders; the spine half way between;
    H36M's neck/nose and head points on the line from their (upper) neck to their head top
    (:data:`UPPER_NECK_TO_HEAD_TOP`)."""
    j = lambda name: x[..., layout.index(name), :].astype(np.float64)  # noqa: E731
    has = set(layout.joints)
    pelvis = j("pelvis") if "pelvis" in has else (j("left_hip") + j("right_hip")) / 2
    thorax = j("thorax") if "thorax" in has else (j("left_shoulder") + j("right_shoulder")) / 2
    neck, top = j("upper_neck") if "upper_neck" in has else j("neck"), j("head_top")
    named = {"pelvis": pelvis, "spine": (pelvis + thorax) / 2, "thorax": thorax,
             **{name: neck + share * (top - neck) for name, share in UPPER_NECK_TO_HEAD_TOP.items()}}
    return np.stack([named[name] if name in named else j(name) for name in H36M17.joints], axis=-2)


_CONVERSIONS = {
    ("bandai22", "h36m17"): _bandai_to_h36m,
    ("smpl24", "h36m17"): _smpl_to_h36m,
    ("smpl22", "h36m17"): _smpl_to_h36m,
    ("smpl29", "h36m17"): lambda x, head_rotation: _smpl_to_h36m(x[..., :24, :], head_rotation),
    # SMPL-H's and SMPL-X's first 22 joints are SMPL's body: converted as smpl22's are
    **{(name, "h36m17"): lambda x, head_rotation: _smpl_to_h36m(x[..., :22, :], head_rotation)
       for name in ("smplh52", "smplx55", "smplx127")},
    ("bandai22", "coco17"): _bandai_to_coco,
    ("h36m17", "coco17"): _h36m_to_coco,
    ("mpi17", "coco17"): lambda x, head_rotation: _h36m_to_coco(_reordered_as(x, MPI17, H36M17), head_rotation),
    ("mpii16", "h36m17"): lambda x, head_rotation: _limbs_to_h36m(x, MPII16),
    ("lsp14", "h36m17"): lambda x, head_rotation: _limbs_to_h36m(x, LSP14),
    ("mpii16", "coco17"): lambda x, head_rotation: _h36m_to_coco(_limbs_to_h36m(x, MPII16), head_rotation),
    ("lsp14", "coco17"): lambda x, head_rotation: _h36m_to_coco(_limbs_to_h36m(x, LSP14), head_rotation),
    ("kinect25", "h36m17"): lambda x, head_rotation: _picked(x, KINECT25, H36M17, _KINECT_AS_H36M),
    ("kinect25", "coco17"): lambda x, head_rotation: _h36m_to_coco(_picked(x, KINECT25, H36M17, _KINECT_AS_H36M),
                                                                   head_rotation),
    ("kinect32", "h36m17"): lambda x, head_rotation: _picked(x, KINECT32, H36M17, _AZURE_AS_H36M),
}


# Sources whose conversions place points in 3D (the head's frame, millimetre offsets).
THREE_D_SOURCES = ("bandai22", "smpl24", "smpl22", "smpl29", "smplh52", "smplx55", "smplx127")


def can_convert(src: str | Layout, dst: str | Layout, coords: int | None = None) -> bool:
    """Whether :func:`convert` maps ``src`` poses to ``dst``; with ``coords`` (the poses' C), for
    poses of that many coordinates (the mocap's and SMPL's joints convert in 3D only)."""
    src, dst = get_layout(src), get_layout(dst)
    if src.name != dst.name and coords is not None and coords != 3 and src.name in THREE_D_SOURCES:
        return False
    return (src.name == dst.name or (src.name, dst.name) in _CONVERSIONS or reorders(src, dst)
            or (dst.name in ("coco17", "h36m17") and (_names(src, COCO17) or _names(src, H36M17))))


@lru_cache(maxsize=None)
def makes_up_face(src: str, dst: str) -> bool:
    """Whether :func:`convert` makes ``dst``'s face up when it maps 2D poses of ``src`` to COCO-17: H36M's,
    MPI-INF-3DHP's, MPII's and LSP's layouts have no face, so their COCO eyes and ears are all one head
    point (``h36m17 -> coco17`` above), a face no estimator gives."""
    src_, dst_ = get_layout(src), get_layout(dst)
    if dst_.name != COCO17.name or src_.name == dst_.name or not can_convert(src_, dst_, 2):
        return False
    face = convert(np.random.default_rng(0).normal(size=(1, len(src_.joints), 2)), src_, dst_)[0]
    eyes_and_ears = face[[COCO17.index(name) for name in ("left_eye", "right_eye", "left_ear", "right_ear")]]
    return bool(np.ptp(eyes_and_ears, axis=0).max() == 0)


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
    x = check_shape(x, src, coords=3 if src.name in THREE_D_SOURCES else None)
    if src.name == dst.name:
        return x.copy()
    if not can_convert(src, dst):
        raise ValueError(f"convert: no conversion {src.name} -> {dst.name}; supported: bandai22 -> h36m17 | coco17, "
                         "h36m17 -> coco17, and any layout with COCO's 17 keypoints or H36M's 17 joints "
                         "-> h36m17 | coco17")
    fn = _CONVERSIONS.get((src.name, dst.name))
    if reorders(src, dst):
        out = _reordered_as(x, src, dst)
    elif fn is not None:
        out = fn(x, head_rotation)
    elif _names(src, H36M17) and (dst.name == "h36m17" or not _names(src, COCO17)):  # H36M's joints by name
        out = _picked(x, src, H36M17)
        out = out if dst.name == "h36m17" else _h36m_to_coco(out, head_rotation)
    else:
        out = _picked(x, src, COCO17) if dst.name == "coco17" else _coco_named_to_h36m(x, src)
    return np.asarray(out).astype(x.dtype, copy=False)



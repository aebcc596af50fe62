"""Marker names and joints: a TRC's (or C3D's) marker names read as a layout's joints, and the names a
layout's joints are written with, as Pose2Sim's skeletons (hence its OpenSim marker sets) spell them.

Pose2Sim names its markers in CamelCase with an ``R`` / ``L`` side prefix (``Pose2Sim/skeletons.py``:
HALPE_26's ``Hip, RHip, RKnee, RAnkle, RBigToe, RSmallToe, RHeel, ..., Neck, Head, Nose, RShoulder, ...``,
COCO_17's the same style, BODY_25's mid hip ``CHip``); synsp names joints in snake case
(``right_big_toe``). :func:`joint_name` reads the first as the second, :func:`marker_name` writes it back.
"""
from __future__ import annotations

import re

from synsp.skeleton import LAYOUTS, layout_joint_names

# The limb joints a marker set must name to be taken as a layout (hips to ankles, shoulders to wrists).
_LIMB_SIDES = ("left", "right")
_LIMBS = tuple(f"{side}_{part}" for side in _LIMB_SIDES
               for part in ("shoulder", "elbow", "wrist", "hip", "knee", "ankle"))
# A name that means another joint in some layouts: Pose2Sim's "Hip" / "CHip" is the pelvis centre.
_ALIASES = {"hip": ("hip", "mid_hip"), "chip": ("mid_hip", "hip"), "mid_hip": ("mid_hip", "hip"),
            "midhip": ("mid_hip", "hip"), "pelvis": ("pelvis", "hip", "mid_hip")}


def joint_name(marker: str) -> str:
    """A marker name as synsp names joints: ``"RBigToe"`` -> ``"right_big_toe"``, ``"LHip"`` -> ``"left_hip"``."""
    name = marker.strip()
    side = ""
    if len(name) > 1 and name[0] in "RL" and (name[1].isupper() or name[1] in "_."):
        side, name = ("right_" if name[0] == "R" else "left_"), name[1:].lstrip("_.")
    snake = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", name).lower().replace("-", "_").replace(" ", "_")
    return side + snake


# A side written after the joint (``wrist_l``, ``Wrist.L``, ``WristLeft``, a DeepLabCut project's ``wristleft``: a
# whole word only glued on, since ``l``/``r`` end ordinary words) or before it in lower case (``l_wrist``, and glued on
# as ``LeftWrist``'s and ``LWrist``'s are read: ``leftwrist``, ``lwrist``)
_SIDE_AFTER = re.compile(r"^(.+?)(?:_(l|r|left|right)|(left|right))$")
_SIDE_BEFORE = re.compile(r"^(?:(l|r)_|(left|right)|(l|r)(?=[a-z]))(.+)$")
_SIDES = {"l": "left", "r": "right", "left": "left", "right": "right"}


def _side_before(joint: str) -> str | None:
    """``joint`` with a lower-case side before it moved into synsp's place, None for none. A letter glued on
    counts only before a joint some layout has on both sides (``lear``, not ``leg`` or ``lip_top``): ``l``/``r``
    also begin ordinary words, and in lower case no capital marks where the side ends."""
    before = _SIDE_BEFORE.match(joint)
    if not before:
        return None
    side, part = _SIDES[next(g for g in before.groups()[:3] if g)], before.group(4)
    if before.group(3) and not any(f"{s}_{part}" in layout.joints for layout in LAYOUTS.values() for s in _LIMB_SIDES):
        return None
    return f"{side}_{part}"


def spellings(marker: str) -> tuple[str, ...]:
    """The joint names ``marker`` may mean, the first :func:`joint_name`'s: ``"wrist_l"``, ``"Wrist.L"``,
    ``"WristLeft"``, ``"wristleft"``, ``"l_wrist"``, ``"leftwrist"`` and ``"lwrist"`` also read as
    ``"left_wrist"`` (a layout's own ``mouth_left`` stays first)."""
    joint = joint_name(marker).replace(".", "_")
    after = _SIDE_AFTER.match(joint)
    moved = None
    if not joint.startswith(("left_", "right_")):
        moved = (f"{_SIDES[after.group(after.lastindex)]}_{after.group(1)}"  # the side: with "_" or glued on
                 if after else _side_before(joint))
    names = _ALIASES.get(joint, (joint,))
    return names + ((moved,) if moved and moved not in names else ())


def joint_columns(names: list[str], layout: str) -> list[int | None]:
    """Each name's joint index in ``layout`` (its first :func:`spellings` that is one of the layout's joints), None
    for a name that is none of them."""
    index = {joint: j for j, joint in enumerate(LAYOUTS[layout].joints)}
    return [next((index[c] for c in spellings(name) if c in index), None) for name in names]


def match_markers(markers: list[str]) -> tuple[str, list[int | None]] | None:
    """The layout naming the markers (all its limb joints among them), and each marker's joint index.

    A marker no layout joint is named after (Pose2Sim's augmented ``*_study`` markers beside
    its HALPE_26 ones) gets None: it is the file's own. Of several layouts the one naming the
    most markers wins, then the one with the fewest joints absent from the file; None when no
    layout fits.
    """
    best = None
    for name, layout in LAYOUTS.items():
        columns = joint_columns(markers, name)
        named = [c for c in columns if c is not None]
        if len(set(named)) != len(named):
            continue
        if not set(_LIMBS) <= {layout.joints[j] for j in named}:
            continue
        # fewest markers of the file's own first, then fewest joints absent from the file
        rank = (len(columns) - len(named), len(layout.joints) - len(named))
        if best is None or rank < best[0]:
            best = (rank, name, columns)
    return None if best is None else (best[1], best[2])


# Pose2Sim's name where it is not the joint's name in CamelCase (its BODY_25 calls the mid hip "CHip")
_POSE2SIM_NAMES = {"mid_hip": "CHip"}


def marker_name(joint: str) -> str:
    """A joint's marker name as Pose2Sim writes it (the names of its skeletons, hence of its OpenSim
    marker sets): ``"right_big_toe"`` -> ``"RBigToe"``, ``"left_hip"`` -> ``"LHip"``, ``"hip"`` -> ``"Hip"``,
    ``"mid_hip"`` -> ``"CHip"``; the inverse of :func:`joint_name`."""
    if joint in _POSE2SIM_NAMES:
        return _POSE2SIM_NAMES[joint]
    side = {"left_": "L", "right_": "R"}.get(joint[:joint.find("_") + 1], "")
    rest = joint[len(joint.split("_")[0]) + 1:] if side else joint
    return side + "".join(part[:1].upper() + part[1:] for part in rest.split("_"))


def marker_names(layout: str | None) -> list[str] | None:
    """The marker names a TRC of ``layout``'s joints is written with: Pose2Sim's (:func:`marker_name`)
    when every one reads back as its joint (:func:`match_markers`), else the joints' own names
    (bandai22's ``Shoulder_L`` has no CamelCase that reads back); None for no or an unknown layout."""
    joints = layout_joint_names(layout)
    if joints is None:
        return None
    names = [marker_name(j) for j in joints]
    matched = match_markers(names)
    if matched is None or None in matched[1] or [LAYOUTS[matched[0]].joints[c] for c in matched[1]] != joints:
        return joints
    return names

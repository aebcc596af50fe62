"""SMPL-H's and SMPL-X's joint positions as the ``smplx`` package gives them (``smplx.joint_names``):

- ``smplh52`` (AMASS, SMPL-H): SMPL's 22 body joints, then 15 per hand (left, then right), each
  hand's fingers in the package's order (index, middle, pinky, ring, thumb), three joints each
  from the knuckle out;
- ``smplx55`` (SMPLer-X, OSX, Multi-HMR, the ``smplx`` package's joints): the 22, the jaw and the
  two eyeballs, then the same 15 + 15 hand joints;
- ``smplx127`` (the ``smplx`` package's SMPL-X output with its extra points, the first 127 names of
  ``smplx.joint_names.JOINT_NAMES``): the 55, then 21 points taken from mesh vertices (nose, eyes,
  ears, three points per foot, the five fingertips per hand) and 51 face landmarks (eyebrows, nose,
  eyes, mouth, lips: iBUG's points 17-67, without the contour).

The first 22 joints are SMPL's body in SMPL's order, so the 3D model sees them as it sees ``smpl22``
(:mod:`synsp.skeleton.conversions`); the hands are :func:`synsp.motion_pace.pace_groups`, the face's
points move with the head. Bones: each finger a chain from its wrist, the jaw and eyes
from the head, the fingertips from their finger's last joint, the foot points from the ankles and
feet; the face landmarks have none (as COCO-WholeBody's face). Left/right pairs by name: the
package names the landmarks so that ``left_X`` mirrors ``right_X`` (iBUG 17 and 26, 36 and 45, ...).
"""
from __future__ import annotations

from synsp.rotations.smpl_template import SMPL_JOINTS, SMPL_LEFT_RIGHT, SMPL_PARENTS
from synsp.skeleton.layout_type import Layout

FINGERS = ("index", "middle", "pinky", "ring", "thumb")  # the smplx package's order, in each hand
_BODY = SMPL_JOINTS[:22]
_BODY_BONES = tuple((int(p), c) for c, p in enumerate(SMPL_PARENTS[:22]) if p >= 0)
_BODY_PAIRS = tuple(pair for pair in SMPL_LEFT_RIGHT if max(pair) < 22)
_HEAD_POINTS = ("jaw", "left_eye_smplhf", "right_eye_smplhf")  # SMPL-X's, hung from the head
# The 21 points the smplx package takes from mesh vertices, each with the joint it hangs from.
_VERTEX_POINTS = (
    ("nose", "head"), ("right_eye", "head"), ("left_eye", "head"), ("right_ear", "head"), ("left_ear", "head"),
    ("left_big_toe", "left_foot"), ("left_small_toe", "left_foot"), ("left_heel", "left_ankle"),
    ("right_big_toe", "right_foot"), ("right_small_toe", "right_foot"), ("right_heel", "right_ankle"),
    *((f"{side}_{finger}", f"{side}_{finger}3") for side in ("left", "right")
      for finger in ("thumb", "index", "middle", "ring", "pinky")),
)
# The 51 face landmarks (iBUG 17-67 in its order), named as the smplx package names them.
_FACE = (tuple(f"right_eye_brow{k}" for k in range(1, 6)) + tuple(f"left_eye_brow{k}" for k in range(5, 0, -1))
         + tuple(f"nose{k}" for k in range(1, 5))
         + ("right_nose_2", "right_nose_1", "nose_middle", "left_nose_1", "left_nose_2")
         + tuple(f"right_eye{k}" for k in range(1, 7)) + tuple(f"left_eye{k}" for k in (4, 3, 2, 1, 6, 5))
         + ("right_mouth_1", "right_mouth_2", "right_mouth_3", "mouth_top", "left_mouth_3", "left_mouth_2",
            "left_mouth_1", "left_mouth_5", "left_mouth_4", "mouth_bottom", "right_mouth_4", "right_mouth_5")
         + ("right_lip_1", "right_lip_2", "lip_top", "left_lip_2", "left_lip_1", "left_lip_3", "lip_bottom",
            "right_lip_3"))


def _hands() -> tuple[str, ...]:
    return tuple(f"{side}_{finger}{k}" for side in ("left", "right") for finger in FINGERS for k in (1, 2, 3))


def _smpl_family(name: str, head: tuple[str, ...], vertices: tuple[tuple[str, str], ...],
                 face: tuple[str, ...]) -> Layout:
    """SMPL's 22 body joints, the ``head`` points, 15 + 15 hand joints, the ``vertices`` points
    (name, the joint it hangs from) and the ``face`` landmarks, in that order (module docstring)."""
    joints = _BODY + head + _hands() + tuple(point for point, _ in vertices) + face
    at = {joint: i for i, joint in enumerate(joints)}
    bones = list(_BODY_BONES) + [(at["head"], at[point]) for point in head]
    for side in ("left", "right"):
        for finger in FINGERS:
            chain = [at[f"{side}_wrist"]] + [at[f"{side}_{finger}{k}"] for k in (1, 2, 3)]
            bones += list(zip(chain[:-1], chain[1:]))
    bones += [(at[parent], at[point]) for point, parent in vertices]
    pairs = _BODY_PAIRS + tuple((i, at["right" + joint[4:]]) for i, joint in enumerate(joints)
                                if i >= 22 and joint.startswith("left_"))
    return Layout(name=name, joints=joints, bones=tuple(bones), left_right=pairs, root=0)


SMPLH52 = _smpl_family("smplh52", (), (), ())
SMPLX55 = _smpl_family("smplx55", _HEAD_POINTS, (), ())
SMPLX127 = _smpl_family("smplx127", _HEAD_POINTS, _VERTEX_POINTS, _FACE)

"""The SMPL kinematic tree and a template skeleton for it: joint positions without the body model.

No SMPL body model is used or shipped (its licence forbids it). Joint positions of SMPL
rotations, for metrics and for showing SMPL files, come from a template skeleton: the SMPL
*neutral* body's rest-pose joint locations (its joint regressor applied to its template mesh,
metres, Y up, facing +Z, the body's left on +X). The 22 body joints' numbers are those
published with the SMPL humanoid models of the physics-based character work built on SMPL
(e.g. the ``smpl_humanoid`` assets of PHC / smpl_sim, Luo et al. 2023); the two SMPL hand
joints are placed 8.7 cm beyond the wrists along the arm, as in the SMPL rest pose. Every rest
frame is world-aligned, so a joint's offset from its parent is the difference of their rest
positions.
"""
from __future__ import annotations

import numpy as np

from synsp.rotations.conversions import forward_kinematics

__all__ = ["SMPL_JOINTS", "SMPL_PARENTS", "SMPL_REST", "SMPL_LEFT_RIGHT", "BODY_JOINTS", "JOINT_COUNTS", "template",
           "joint_names", "smpl_positions"]

SMPL_JOINTS = ("pelvis", "left_hip", "right_hip", "spine1", "left_knee", "right_knee", "spine2", "left_ankle",
               "right_ankle", "spine3", "left_foot", "right_foot", "neck", "left_collar", "right_collar", "head",
               "left_shoulder", "right_shoulder", "left_elbow", "right_elbow", "left_wrist", "right_wrist",
               "left_hand", "right_hand")
SMPL_PARENTS = np.array([-1, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 9, 9, 12, 13, 14, 16, 17, 18, 19, 20, 21])
# Rest-pose joint locations of the neutral SMPL body, metres (module docstring for the source).
SMPL_REST = np.array([
    [-0.0018, -0.2233, 0.0282], [0.0677, -0.3147, 0.0214], [-0.0695, -0.3139, 0.0239], [-0.0043, -0.1144, 0.0015],
    [0.1020, -0.6899, 0.0169], [-0.1078, -0.6964, 0.0150], [0.0012, 0.0208, 0.0026], [0.0884, -1.0879, -0.0268],
    [-0.0920, -1.0948, -0.0273], [0.0026, 0.0737, 0.0280], [0.1148, -1.1437, 0.0925], [-0.1174, -1.1430, 0.0961],
    [-0.0002, 0.2876, -0.0148], [0.0815, 0.1955, -0.0060], [-0.0791, 0.1926, -0.0106], [0.0050, 0.3526, 0.0365],
    [0.1724, 0.2260, -0.0149], [-0.1752, 0.2251, -0.0197], [0.4320, 0.2132, -0.0424], [-0.4289, 0.2118, -0.0411],
    [0.6813, 0.2222, -0.0435], [-0.6842, 0.2196, -0.0467], [0.7680, 0.2160, -0.0530], [-0.7709, 0.2134, -0.0562],
])
BODY_JOINTS = 22  # joints of every SMPL family body (SMPL-H / SMPL-X share them)
_FINGERS = 15  # per hand, SMPL-H and SMPL-X
_FACE = 3  # SMPL-X: jaw, left eye, right eye
# Joint counts of the family: body only, SMPL, SMPL-H (+ fingers), SMPL-X (+ jaw, eyes and fingers).
JOINT_COUNTS = (BODY_JOINTS, 24, BODY_JOINTS + 2 * _FINGERS, BODY_JOINTS + _FACE + 2 * _FINGERS)
# left/right joint pairs of the SMPL tree
SMPL_LEFT_RIGHT = ((1, 2), (4, 5), (7, 8), (10, 11), (13, 14), (16, 17), (18, 19), (20, 21), (22, 23))


def _check_count(n_joints: int) -> None:
    if n_joints not in JOINT_COUNTS:
        raise ValueError(f"poses have {n_joints} joints; SMPL files have 24 (SMPL), 22 (body), 52 (SMPL-H) "
                         "or 55 (SMPL-X)")


def template(n_joints: int) -> tuple[np.ndarray, np.ndarray]:
    """Parents (K,) and rest offsets from the parent (K, 3) in metres of a K-joint SMPL-family skeleton."""
    _check_count(n_joints)
    hands = [np.full(_FINGERS, 20), np.full(_FINGERS, 21)]
    if n_joints in (BODY_JOINTS, len(SMPL_JOINTS)):
        parents, rest = SMPL_PARENTS[:n_joints], SMPL_REST[:n_joints]
    elif n_joints == BODY_JOINTS + 2 * _FINGERS:  # SMPL-H: fingers hang (with no length) from the wrists
        parents = np.concatenate([SMPL_PARENTS[:BODY_JOINTS], *hands])
        rest = np.concatenate([SMPL_REST[:BODY_JOINTS], np.repeat(SMPL_REST[[20, 21]], _FINGERS, axis=0)])
    else:  # SMPL-X: jaw and eyes hang from the head, then the fingers
        parents = np.concatenate([SMPL_PARENTS[:BODY_JOINTS], np.full(_FACE, 15), *hands])
        rest = np.concatenate([SMPL_REST[:BODY_JOINTS], np.repeat(SMPL_REST[[15]], _FACE, axis=0),
                               np.repeat(SMPL_REST[[20, 21]], _FINGERS, axis=0)])
    offsets = rest - np.where(parents[:, None] >= 0, rest[np.maximum(parents, 0)], 0.0)
    return parents, offsets


def joint_names(n_joints: int) -> tuple[str, ...]:
    """Names of the joints of a K-joint SMPL-family skeleton (:data:`JOINT_COUNTS`), in order."""
    _check_count(n_joints)
    if n_joints == len(SMPL_JOINTS):
        return SMPL_JOINTS
    face = ("jaw", "left_eye", "right_eye") if n_joints == JOINT_COUNTS[-1] else ()
    return SMPL_JOINTS[:BODY_JOINTS] + face + tuple(f"finger_{i}" for i in range(n_joints - BODY_JOINTS - len(face)))


def smpl_positions(rotations: np.ndarray, trans: np.ndarray | None = None) -> np.ndarray:
    """Joint positions (..., T, 24, 3) in millimetres of SMPL rotations on the template skeleton.

    Parameters
    ----------
    rotations : (..., T, 24, 3, 3) local joint rotations (joint 0: the global orientation).
    trans : (..., T, 3) root translation in metres, or None for root-relative positions
        (pelvis at the origin).
    """
    offsets = template(len(SMPL_JOINTS))[1].copy()
    offsets[0] = 0.0
    positions = forward_kinematics(SMPL_PARENTS, rotations, offsets)[0]
    if trans is not None:
        positions = positions + (np.asarray(trans) + SMPL_REST[0])[..., None, :]
    return positions * 1000.0

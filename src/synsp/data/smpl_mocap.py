"""Rotation ground truth: the Bandai Namco mocap as joint rotations, in its own tree and as SMPL.

The mocap's 22-joint tree (:data:`synsp.skeleton.BANDAI22`) animates every joint by a local
rotation (:func:`load_bandai_motion`). SMPL estimators output the 24 joints of the SMPL tree,
so the clips are also retargeted to it (:func:`load_smpl_clip`): SMPL joint <- mocap joint

==================  =============  ==================  =============
pelvis              Hips           neck                Neck
left/right_hip      UpperLeg_L/R   head                Head
left/right_knee     LowerLeg_L/R   left/right_collar   Shoulder_L/R
left/right_ankle    Foot_L/R       left/right_shoulder UpperArm_L/R
left/right_foot     Toes_L/R       left/right_elbow    LowerArm_L/R
spine1              Spine          left/right_wrist    Hand_L/R
spine3              Chest          spine2, left/right_hand: held fixed (no mocap joint)
==================  =============  ==================  =============

Held-fixed joints keep the identity as local rotation (spine2 turns with spine1, the hands
with the wrists). The mocap's ground reference ``joint_Root`` is folded into the pelvis.

How rotations carry over: a SMPL joint's global orientation is its mocap joint's times a
constant alignment ``A_j`` (the two skeletons' joint frames differ by a fixed rotation, their
rest poses by a T-pose vs. the mocap's zero pose). ``A_j`` makes the SMPL template's bones
point along the mocap's bones (a joint's bones to its mapped children, all of them at the
pelvis and the chest, by an SVD fit); the twist about a single bone, and the whole frame of
joints without a mapped child (head, wrists, feet tips), are chosen so that SMPL's local
rotations are as small as possible on average over the first ``ALIGNMENT_CLIPS`` clips of
the training split (SMPL's rest pose is a natural zero). The root translation is the mocap
pelvis's position, in metres, less the template's rest pelvis.
"""
from __future__ import annotations

import os
from functools import lru_cache

import numpy as np

from synsp.data.mocap import clip_path
from synsp.formats.bvh import read_motion
from synsp.formats.motion import JointMotion
from synsp.rotations.conversions import forward_kinematics
from synsp.rotations.smpl_template import SMPL_JOINTS, SMPL_PARENTS, SMPL_REST
from synsp.skeleton import BANDAI_TO_SMPL

__all__ = ["BANDAI_TO_SMPL", "ALIGNMENT_CLIPS", "load_bandai_motion", "smpl_alignment", "to_smpl",
           "load_smpl_clip"]

ALIGNMENT_CLIPS = 12


def load_bandai_motion(name: str, root: str | os.PathLike | None = None) -> JointMotion:
    """One mocap clip as local joint rotations in its own 22-joint tree (centimetres, 30 fps)."""
    return read_motion(clip_path(name, root))


def _global(motion: JointMotion) -> tuple[np.ndarray, np.ndarray]:
    """Mocap global positions (T, 22, 3) cm and orientations (T, 22, 3, 3)."""
    return forward_kinematics(motion.parents, motion.rotations, motion.translations)


def _mapped_children(j: int) -> list[int]:
    """SMPL joints below ``j`` that have a mocap joint, reached through held-fixed joints."""
    found = []
    for c in np.flatnonzero(SMPL_PARENTS == j):
        found += [int(c)] if BANDAI_TO_SMPL[SMPL_JOINTS[c]] else _mapped_children(int(c))
    return found


def _source(j: int) -> int:
    """The nearest SMPL joint at or above ``j`` that has a mocap joint (held-fixed joints turn with it)."""
    while BANDAI_TO_SMPL[SMPL_JOINTS[j]] is None:
        j = int(SMPL_PARENTS[j])
    return j


def _axis_rotation(axis: np.ndarray, angles: np.ndarray) -> np.ndarray:
    """Rotations (N, 3, 3) about the unit ``axis`` by ``angles`` (N,) radians (Rodrigues)."""
    k = np.array([[0, -axis[2], axis[1]], [axis[2], 0, -axis[0]], [-axis[1], axis[0], 0]])
    c, s = np.cos(angles)[:, None, None], np.sin(angles)[:, None, None]
    return c * np.eye(3) + s * k + (1 - c) * np.outer(axis, axis)


def _fit(smpl_dirs: np.ndarray, bandai_dirs: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The alignment A (3, 3) with ``A @ smpl_dir ~ bandai_dir`` that maximises ``trace(b.T @ A)``."""
    if len(smpl_dirs) >= 2:  # the bones fix the frame: Wahba's problem, by SVD
        u, _, vt = np.linalg.svd(bandai_dirs.T @ smpl_dirs)
        return u @ np.diag([1, 1, np.linalg.det(u @ vt)]) @ vt
    if len(smpl_dirs) == 0:  # no bone: the rotation nearest b (polar decomposition)
        u, _, vt = np.linalg.svd(b)
        return u @ np.diag([1, 1, np.linalg.det(u @ vt)]) @ vt
    s, d = smpl_dirs[0], bandai_dirs[0]
    axis = np.cross(s, d)
    sin, cos = np.linalg.norm(axis), float(s @ d)
    base = _axis_rotation(axis / sin, np.array([np.arctan2(sin, cos)]))[0] if sin > 1e-9 else np.eye(3)
    twists = base @ _axis_rotation(s, np.linspace(-np.pi, np.pi, 720, endpoint=False))  # (720, 3, 3)
    return twists[np.argmax(np.einsum("ij,nij->n", b, twists))]


@lru_cache(maxsize=2)
def smpl_alignment(root: str | None = None) -> np.ndarray:
    """The constant alignments ``A`` (24, 3, 3) of SMPL joint frames to mocap joint frames (module doc).

    Computed from the first ``ALIGNMENT_CLIPS`` clips of the training split (a few seconds).
    """
    from synsp.data.splits import load_split

    motions = [load_bandai_motion(name, root) for name in load_split("train")[:ALIGNMENT_CLIPS]]
    names = motions[0].names
    orientations = np.concatenate([_global(m)[1] for m in motions])  # (T, 22, 3, 3)
    offsets = motions[0].translations.mean(axis=0)  # (22, 3): bone vectors in the parent's frame, constant
    bandai_parents = motions[0].parents
    align = np.tile(np.eye(3), (len(SMPL_JOINTS), 1, 1))
    for j in range(len(SMPL_JOINTS)):  # parents first
        bandai = BANDAI_TO_SMPL[SMPL_JOINTS[j]]
        if bandai is None:
            continue
        k = names.index(bandai)
        smpl_dirs, bandai_dirs = [], []
        for c in _mapped_children(j):
            kc = names.index(BANDAI_TO_SMPL[SMPL_JOINTS[c]])
            vec, walk = np.zeros(3), kc  # the child's position in this joint's frame (mocap zero pose)
            while walk != k:
                vec = offsets[walk] + vec  # through intermediate joints at their zero rotation
                walk = int(bandai_parents[walk])
            smpl_dirs.append(SMPL_REST[c] - SMPL_REST[j])
            bandai_dirs.append(vec)
        smpl_dirs = np.array([v / np.linalg.norm(v) for v in smpl_dirs]).reshape(-1, 3)
        bandai_dirs = np.array([v / np.linalg.norm(v) for v in bandai_dirs]).reshape(-1, 3)
        p = _source(int(SMPL_PARENTS[j])) if j else -1
        if p >= 0:  # local = A_p^T M_t A_j with M_t the mocap's rotation from parent to joint
            m = np.swapaxes(orientations[:, names.index(BANDAI_TO_SMPL[SMPL_JOINTS[p]])], -1, -2) @ orientations[:, k]
            b = (np.swapaxes(m, -1, -2) @ align[p]).sum(0)
        else:  # the pelvis: its global orientation small on average
            b = np.swapaxes(orientations[:, k], -1, -2).sum(0)
        align[j] = _fit(smpl_dirs, bandai_dirs, b)
    return align


def to_smpl(motion: JointMotion, align: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """Retarget a mocap clip to the SMPL tree.

    Returns
    -------
    rotations : (T, 24, 3, 3) SMPL local joint rotations (joint 0: the global orientation).
    trans : (T, 3) SMPL root translation in metres (Y up, as the mocap).
    """
    align = smpl_alignment() if align is None else align
    positions, orientations = _global(motion)
    glob = np.empty((motion.n_frames, len(SMPL_JOINTS), 3, 3))
    for j in range(len(SMPL_JOINTS)):
        bandai = BANDAI_TO_SMPL[SMPL_JOINTS[j]]
        glob[:, j] = orientations[:, motion.names.index(bandai)] @ align[j] if bandai else glob[:, SMPL_PARENTS[j]]
    local = glob.copy()
    local[:, 1:] = np.swapaxes(glob[:, SMPL_PARENTS[1:]], -1, -2) @ glob[:, 1:]
    trans = positions[:, motion.names.index("Hips")] * motion.mm_per_unit / 1000.0 - SMPL_REST[0]
    return local, trans


def load_smpl_clip(name: str, root: str | os.PathLike | None = None) -> tuple[np.ndarray, np.ndarray]:
    """One mocap clip as SMPL rotations (T, 24, 3, 3) and translation (T, 3) metres, see :func:`to_smpl`."""
    return to_smpl(load_bandai_motion(name, root), smpl_alignment(None if root is None else str(root)))

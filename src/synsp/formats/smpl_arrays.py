"""What an SMPL npz holds beside its poses, as :mod:`synsp.formats.smpl` reads and writes it.

- AMASS's split copies of ``poses`` (its SMPL-H and SMPL-X releases): ``root_orient`` (T, 3), ``pose_body``
  (T, 63), ``pose_hand`` (T, 90), and, in SMPL-X, ``pose_jaw`` (T, 3) and ``pose_eye`` (T, 6): slices of
  ``poses`` by joint (:data:`AMASS_SPLIT`), written back from the refined poses so every copy holds one motion.
- A frame rate stored as one value or as one value per frame (all equal).
- A leading person axis (several people stacked), which is not read: :func:`people_error`.
"""
from __future__ import annotations

import numpy as np

from synsp.rotations.conversions import axis_angle_from_matrix

# AMASS's split keys: (first joint, joints) of ``poses`` each holds, by the poses' joint count (smpl_template's
# orders: SMPL's 24 = 22 body + 2 hands; SMPL-H's 52 = 22 body + 2 x 15 fingers; SMPL-X's 55 = 22 body, jaw,
# 2 eyes, 2 x 15 fingers).
AMASS_SPLIT = {
    22: {"root_orient": (0, 1), "pose_body": (1, 21)},
    24: {"root_orient": (0, 1), "pose_body": (1, 21), "pose_hand": (22, 2)},  # SMPL's two hand joints
    52: {"root_orient": (0, 1), "pose_body": (1, 21), "pose_hand": (22, 30)},
    55: {"root_orient": (0, 1), "pose_body": (1, 21), "pose_jaw": (22, 1), "pose_eye": (23, 2),
         "pose_hand": (25, 30)},
}
AMASS_SPLIT_KEYS = ("root_orient", "pose_body", "pose_hand", "pose_jaw", "pose_eye")
_AGREE = 1e-5  # radians: a split copy agrees with poses when it is the same numbers (AMASS's are copies)


def _axis_angle(poses: np.ndarray) -> np.ndarray:
    """``poses`` (T, 3K), (T, K, 3) axis-angle or (T, K, 3, 3) matrices as axis-angle (T, K, 3)."""
    poses = np.asarray(poses, dtype=np.float64)
    if poses.ndim == 4:
        return axis_angle_from_matrix(poses)
    return poses.reshape(len(poses), -1, 3)


def amass_copies(arrays: dict[str, np.ndarray], keys: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """AMASS's split copies of the one refined poses array ``keys`` (``poses``): (those that are its
    slices, written back from the refined poses; those that are not, kept as they were)."""
    present = [k for k in AMASS_SPLIT_KEYS if k in arrays]
    if not present or len(keys) != 1:
        return [], present
    poses = _axis_angle(arrays[keys[0]])
    layout = AMASS_SPLIT.get(poses.shape[1], {})
    copies, kept = [], []
    for k in present:
        copy = arrays[k]
        first, count = layout.get(k, (0, 0))
        same = (k in layout and np.issubdtype(copy.dtype, np.number) and len(copy) == len(poses)
                and copy.size == len(poses) * count * 3
                and np.allclose(copy.reshape(len(poses), count, 3), poses[:, first:first + count], atol=_AGREE))
        (copies if same else kept).append(k)
    return copies, kept


def write_copies(arrays: dict[str, np.ndarray], poses: np.ndarray, copies: list[str]) -> None:
    """Write each of AMASS's split ``copies`` in ``arrays`` from the written ``poses`` (as in the file:
    axis-angle or matrices), in the copy's own shape and dtype."""
    written = _axis_angle(poses)
    layout = AMASS_SPLIT[written.shape[1]]
    for k in copies:
        first, count = layout[k]
        arrays[k] = written[:, first:first + count].reshape(arrays[k].shape).astype(arrays[k].dtype)


def file_rate(arrays: dict[str, np.ndarray], keys: tuple[str, ...], where: str) -> float | None:
    """The frame rate the first of ``keys`` in ``arrays`` holds: one value, or one per frame all equal;
    None when none is there. ValueError when the values per frame differ (``--fps`` gives one rate)."""
    for k in keys:
        if k not in arrays:
            continue
        values = np.asarray(arrays[k]).reshape(-1)
        if values.size == 1:
            return float(values[0])
        if values.size and np.all(values == values[0]):
            return float(values[0])
        if values.size:
            raise ValueError(f"{where}: {k!r} holds {values.size} different frame rates "
                             f"({values.min():g} to {values.max():g}); pass --fps to give one")
    return None


def people_error(shape: tuple[int, ...], joint_counts: tuple[int, ...] | set[int]) -> str | None:
    """When poses of ``shape`` are several people stacked on a leading axis ((P, T, 3K), (P, T, K, 3),
    (P, T, K, 3, 3)): the sentence saying so and how to refine each; None otherwise."""
    stacked = (len(shape) == 3 and shape[2] % 3 == 0 and shape[2] // 3 in joint_counts and shape[2] != 3
               or len(shape) == 4 and shape[3] == 3 and shape[2] in joint_counts
               or len(shape) == 5 and shape[3:] == (3, 3) and shape[2] in joint_counts)
    if not stacked:
        return None
    return (f"poses of shape {shape} hold {shape[0]} people stacked on a leading person axis, which synsp does not "
            "read in an SMPL file; save each person as its own file (np.savez('person0.npz', pose=pose[0], "
            "trans=trans[0], ...)) and refine each")


def follow_branch(axis_angle: np.ndarray, source: np.ndarray) -> np.ndarray:
    """``axis_angle`` (T, K, 3), on the principal branch (angle <= pi), moved to the branch of ``source``
    (T, K, 3), the file's own axis-angle, for each joint whose source leaves the principal branch (a root
    spun past pi and kept continuous), as the BVH writer keeps its Euler branch: the same rotation,
    (angle + 2 pi k) about the same axis, nearest the source's value in that frame. Joints whose source
    stays within pi come back as given (the same numbers)."""
    source = np.asarray(source, dtype=np.float64)
    beyond = (np.linalg.norm(source, axis=-1) > np.pi + 1e-6).any(axis=0)  # (K,) joints off the principal branch
    if not beyond.any():
        return axis_angle
    out = axis_angle.copy()
    part, near = axis_angle[:, beyond], source[:, beyond]
    angle = np.linalg.norm(part, axis=-1)
    axis = part / np.where(angle > 1e-9, angle, 1.0)[..., None]
    turns = np.round(((near * axis).sum(-1) - angle) / (2 * np.pi))  # whole turns to the source's value
    turns[angle <= 1e-9] = 0  # no axis to turn about
    out[:, beyond] = np.where(turns[..., None] != 0, axis * (angle + 2 * np.pi * turns)[..., None], part)
    return out

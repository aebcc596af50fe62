"""What an SMPL npz holds beside its poses, as :mod:`synsp.formats.smpl` reads and writes it.

- AMASS's split copies of ``poses`` (its SMPL-H and SMPL-X releases): ``root_orient`` (T, 3), ``pose_body``
  (T, 63), ``pose_hand`` (T, 90), and, in SMPL-X, ``pose_jaw`` (T, 3) and ``pose_eye`` (T, 6): slices of
  ``poses`` by joint (:data:`AMASS_SPLIT`), written back from the refined poses so every copy holds one motion.
- A frame rate stored as one value or as one value per frame (all equal).
- Rotation matrices flattened, (T, 9K) or (T, K, 9) (row by row, as NumPy's and torch's reshape of (3, 3) lay them
  out): told from other numbers by their 3x3 blocks being rotations (:func:`flat_matrices`).
- The same split keys without ``poses`` (HuMoR, SLAHMR: ``root_orient`` and ``pose_body``, with ``pose_hand`` and
  SMPL-X's ``pose_jaw`` and ``pose_eye`` when they complete a joint count): the rotations to refine, joined in
  AMASS's joint order (:func:`amass_split_keys`).
- SLAHMR's ``latent_pose`` (B, T, 32), the VPoser code of its ``pose_body``: dropped when ``pose_body`` is written
  (:func:`without_latent`).
- A leading person axis (several people stacked) on an array given to ``refine_smpl``: :func:`people_error`
  (a file's stacked people are read per person, :mod:`synsp.formats.smpl_people`).
"""
from __future__ import annotations

import numpy as np

from synsp.rotations.conversions import axis_angle_from_matrix
from synsp.rotations.smpl_template import JOINT_COUNTS

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
# SLAHMR's VPoser code of pose_body. Refined, pose_body is no longer what it decodes to, and synsp has no VPoser
# (its licence) to encode it again; SLAHMR's own tools read pose_body (its renderer and evaluation; a new
# optimisation encodes pose_body afresh), so a stale code kept would only mislead one that decodes it: dropped.
LATENT_POSE = "latent_pose"
_AGREE = 1e-5  # radians: a split copy agrees with poses when it is the same numbers (AMASS's are copies)
# A flattened 3x3 block is a rotation when R R^T is I and det R is 1 within this (each entry): float32 exports
# are off by ~1e-7, float16 ones by ~1e-3; axis-angle, positions or a scaled matrix are off by far more.
ORTHONORMAL = 2e-3


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


def amass_split_keys(arrays: dict[str, np.ndarray], lead: int) -> tuple[str, ...] | None:
    """AMASS's split keys that hold a whole SMPL family's poses when a file has them without ``poses`` (HuMoR's
    and SLAHMR's ``root_orient`` (T, 3) and ``pose_body`` (T, 63)), in its joint order (:data:`AMASS_SPLIT`): the
    root and the body's 21 joints (SMPL's 23 taken too), then SMPL-X's jaw and eyes and the hands when they make
    22, 24, 52 or 55 joints; None when ``root_orient`` and ``pose_body`` are not one and 21 (23) joints' rotations
    over the same frames. ``lead``: the axes before a joint's (1; 2 for people stacked, (P, T, ...))."""
    def joints(k: str) -> int | None:
        a = arrays.get(k)
        ok = a is not None and np.issubdtype(a.dtype, np.number) and a.shape[:lead] == arrays["pose_body"].shape[:lead]
        return joint_count(a.shape[lead - 1:]) if ok else None

    if "pose_body" not in arrays or joints("root_orient") != 1 or joints("pose_body") not in (21, 23):
        return None
    if joints("pose_body") == 23:
        return "root_orient", "pose_body"
    face = ("pose_jaw", "pose_eye") if (joints("pose_jaw"), joints("pose_eye"), joints("pose_hand")) == (1, 2, 30) \
        else ()
    hand = ("pose_hand",) if joints("pose_hand") in (2, 30) else ()
    return "root_orient", "pose_body", *face, *hand


def write_copies(arrays: dict[str, np.ndarray], poses: np.ndarray, copies: list[str]) -> None:
    """Write each of AMASS's split ``copies`` in ``arrays`` from the written ``poses`` (as in the file:
    axis-angle or matrices), in the copy's own shape and dtype."""
    written = _axis_angle(poses)
    layout = AMASS_SPLIT[written.shape[1]]
    for k in copies:
        first, count = layout[k]
        arrays[k] = written[:, first:first + count].reshape(arrays[k].shape).astype(arrays[k].dtype)


def without_latent(arrays: dict[str, np.ndarray], written: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
    """``arrays`` (a file's, to write) without SLAHMR's ``latent_pose`` when ``written`` (the arrays refined into
    them) holds ``pose_body``, which it no longer encodes (:data:`LATENT_POSE`)."""
    return {k: a for k, a in arrays.items() if k != LATENT_POSE or "pose_body" not in written}


def latent_note(arrays: dict[str, np.ndarray], written: tuple[str, ...]) -> str:
    """The clause of the ``arrays:`` line saying :func:`without_latent` dropped ``latent_pose``; "" when it did not."""
    if LATENT_POSE not in arrays or "pose_body" not in written:
        return ""
    return (f"; dropped: {LATENT_POSE!r} (SLAHMR's VPoser code of the input's pose_body, which the refined 'pose_body' "
            "no longer matches; SLAHMR's tools read pose_body)")


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


def joint_count(shape: tuple[int, ...] | None) -> int | None:
    """The joints an array of rotations of ``shape`` holds: (T, 3K) and (T, K, 3) axis-angle, (T, K, 3, 3)
    matrices; None for any other shape."""
    if shape is None or len(shape) < 2:
        return None
    if len(shape) == 2:
        return shape[1] // 3 if shape[1] % 3 == 0 else None
    if len(shape) == 3 and shape[2] == 3 or len(shape) == 4 and shape[2:] == (3, 3):
        return shape[1]
    return None


def all_finite(values: np.ndarray, where: str, name: str, error: type[ValueError] = ValueError) -> None:
    """Raise ``error`` naming the array and its first frame (0-based) holding NaN or inf: rotations need every
    value."""
    bad = ~np.isfinite(values.reshape(len(values), -1)).all(axis=1)
    if bad.any():
        raise error(f"{where}: {name!r} holds NaN or inf in {int(bad.sum())} frame(s), the first frame "
                         f"{int(np.flatnonzero(bad)[0])}; joint rotations need a number in every frame")


def joined(arrays: dict[str, np.ndarray], keys: tuple[str, ...]) -> np.ndarray:
    """The rotations of ``keys`` as one array: 4D-Humans' ``global_orient`` and ``body_pose``, each
    (T, 3K) / (T, K, 3) axis-angle or (T, K, 3, 3) matrices, joined along the joints."""
    if len(keys) == 1:
        return arrays[keys[0]]
    parts = []
    for k in keys:
        part = np.asarray(arrays[k])
        matrices = part.ndim >= 3 and part.shape[-2:] == (3, 3)
        parts.append(part.reshape(len(part), -1, 3, 3) if matrices else part.reshape(len(part), -1, 3))
    if len({p.ndim for p in parts}) > 1 or len({len(p) for p in parts}) > 1:
        raise ValueError(f"{', '.join(keys)} must both be axis-angle or both rotation matrices over the same "
                         f"frames, got shapes {', '.join(str(arrays[k].shape) for k in keys)}")
    return np.concatenate(parts, axis=1)


def flat_shape(shape: tuple[int, ...], joint_counts: tuple[int, ...] | set[int]) -> int | None:
    """The joints K when ``shape`` is (T, 9K) or (T, K, 9), rotation matrices flattened, K one of ``joint_counts``;
    None otherwise. No axis-angle shape is one of these: 9K / 3 = 3K is no SMPL family's joint count."""
    if len(shape) == 2 and shape[1] % 9 == 0 and shape[1] // 9 in joint_counts:
        return shape[1] // 9
    if len(shape) == 3 and shape[2] == 9 and shape[1] in joint_counts:
        return shape[1]
    return None


def flat_matrices(poses: np.ndarray, joint_counts: tuple[int, ...] | set[int], where: str) -> np.ndarray | None:
    """``poses`` (T, 9K) or (T, K, 9) as the rotation matrices (T, K, 3, 3) they hold, row by row; None when
    ``poses`` is not shaped so. ValueError when it is but its finite 3x3 blocks are not rotations (R R^T = I,
    det R = 1 within :data:`ORTHONORMAL`): such numbers are no SMPL poses synsp can read."""
    joints = flat_shape(poses.shape, joint_counts)
    if joints is None:
        return None
    matrices = poses.reshape(len(poses), joints, 3, 3)
    blocks = matrices[np.isfinite(matrices).all(axis=(-2, -1))]
    if len(blocks):
        gram = np.abs(blocks @ np.swapaxes(blocks, -1, -2) - np.eye(3)).max()
        det = np.abs(np.linalg.det(blocks) - 1.0).max()
        if max(gram, det) > ORTHONORMAL:
            raise ValueError(f"{where}: poses of shape {poses.shape} would be {joints} joints' rotation matrices "
                             f"flattened, but their 3x3 blocks are not rotations (|R R^T - I| up to {gram:.2g}, "
                             f"|det R - 1| up to {det:.2g}); SMPL poses are (T, {3 * joints}) or ({joints}, 3) "
                             f"axis-angle, or rotation matrices (T, {joints}, 3, 3), (T, {joints}, 9) or "
                             f"(T, {9 * joints})")
    return matrices


def _one_person(shape: tuple[int, ...], joint_counts: tuple[int, ...] | set[int]) -> bool:
    """Whether ``shape`` is one person's rotations of K joints, K in ``joint_counts``: (T, 3K), (T, K, 3),
    (T, K, 3, 3) (:func:`joint_count`) or flattened matrices, (T, 9K), (T, K, 9) (:func:`flat_shape`)."""
    return joint_count(shape) in joint_counts or flat_shape(shape, joint_counts) is not None


def stacked(shape: tuple[int, ...], joint_counts: tuple[int, ...] | set[int]) -> bool:
    """Whether rotations of ``shape`` are several people's (:mod:`synsp.formats.smpl_people`): one person's shape
    (:func:`_one_person`) after a leading axis, and not one person's as they are ((T, 24, 3) is one person's
    axis-angle, not 24 frames of T)."""
    return len(shape) >= 3 and _one_person(shape[1:], joint_counts) and not _one_person(shape, joint_counts)


def _matrices(shape: tuple[int, ...] | None) -> bool:
    """Whether ``shape`` is rotation matrices of an SMPL family's K joints, (T, K, 3, 3) (TRAM's ``pred_rotmat``)
    or flattened ((T, K, 9), (T, 9K)), which no joint positions are: read as rotations under any name (``--key``)."""
    return shape is not None and (len(shape) == 4 and shape[2:] == (3, 3) and shape[1] in JOINT_COUNTS
                                  or flat_shape(shape, JOINT_COUNTS) is not None)


def _flat(shape: tuple[int, ...] | None) -> bool:
    """Whether ``shape`` is (T, 3K) axis-angle of an SMPL family's K joints, which no joint positions are."""
    return shape is not None and len(shape) == 2 and joint_count(shape) in JOINT_COUNTS


def rotations_only(shape: tuple[int, ...] | None, any_name: bool = False) -> bool:
    """Whether ``shape`` is one no joint positions have: (T, 3K) axis-angle (not ``any_name``: only under a key of
    poses) or matrices (:func:`_matrices`), one person's or several people's stacked
    (:mod:`~synsp.formats.smpl_people`)."""
    one = shape[1:] if shape is not None and stacked(shape, JOINT_COUNTS) else shape
    return _matrices(one) or not any_name and _flat(one)


def people_error(shape: tuple[int, ...], joint_counts: tuple[int, ...] | set[int]) -> str | None:
    """When poses of ``shape`` are several people stacked ((P, T, 3K), (P, T, K, 3), (P, T, K, 3, 3), flattened
    matrices (P, T, 9K), (P, T, K, 9), or frames first, (T, P, ...)): the sentence saying so and how to refine
    each; None otherwise."""
    if not stacked(shape, joint_counts):
        return None
    return (f"poses of shape {shape} hold several people stacked, on their first axis or (frames first) their "
            "second; refine_smpl takes one person: refine_smpl(poses[p], trans=trans[p]) for each, or poses[:, p] "
            "when the frames come first (synsp refine refines each person of a stacked SMPL file, and says which "
            "axis it took for the people)")


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

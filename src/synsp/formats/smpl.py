"""SMPL parameter files (``.npz``): joint rotations as AMASS and SMPL-based estimators write them.

Arrays read (never unpickled: ``allow_pickle=False``):

- ``poses`` (AMASS) or ``pose`` (VIBE, PARE, WHAM): (T, 3K) or (T, K, 3) axis-angle rotations in radians, or
  (T, K, 3, 3) rotation matrices, K = 24 (SMPL), 22 (body only), 52 (SMPL-H, AMASS: 22 body + 2 x 15 finger joints) or
  55 (SMPL-X, AMASS's SMPL-X release: 22 body + jaw and eyes + 2 x 15 finger joints); joint 0 is the global
  orientation. Or 4D-Humans' (HMR 2.0) split: ``global_orient`` (T, 1, 3, 3) and ``body_pose`` (T, 23, 3, 3) (or
  axis-angle, (T, 3) and (T, 69)); the ``smplx`` package's split, ``body_pose`` (T, 63) of the body's 21 joints with
  ``left_hand_pose`` and ``right_hand_pose`` (T, 45) (SMPL-H's 52 joints) and ``jaw_pose``, ``leye_pose``,
  ``reye_pose`` (T, 3) (with the hands, SMPL-X's 55), joined in SMPL-X's order (its PCA hand poses, (T, 6), are no
  rotations: kept, and said, :func:`kept_note`). Each is written back under its key in its shape, form and dtype. A
  file with two sets (WHAM's ``pose`` and ``pose_world``) needs ``key=`` (``--key``) to say which to refine; the
  other is kept as it is. ``poses`` (T, 72) alone (T, 3K: no joint positions are 2-D) is SMPL axis-angle; ``pose``
  beside joint positions (VIBE's whole output, ``joints3d``) is a positions file unless ``--key pose`` names it
  (:func:`sniff`, :func:`positions_note`). (T, K, 3, 3) matrices under any name (TRAM's ``pred_rotmat``) are
  rotations when ``--key`` names them, and so are matrices flattened row by row, (T, K, 9) or (T, 9K), told by their
  3x3 blocks being rotations (:func:`~synsp.formats.smpl_arrays.flat_matrices`). Several people stacked on a leading
  person axis ((P, T, 72), ``trans`` (P, T, 3), ...) are read and written back per person (:func:`read_people`,
  :func:`write_people`, :mod:`~synsp.formats.smpl_people`). Frames absent (NaN or all zeros, as an estimator
  writes where it found nobody, or False in SLAHMR's ``track_mask`` or in the ``vis_mask`` of its ``track_info.json``
  beside the results, :mod:`~synsp.formats.slahmr_tracks`) of a stacked person, and the all-zero, wholly
  NaN or masked frames of one person's file (:func:`~synsp.formats.smpl_people.lone_person`), are written back as
  they were, the person refined as one motion with them bridged (:mod:`synsp.refining.missing_frames`). AMASS's
  split copies of ``poses`` (``root_orient``, ``pose_body``, ...) are written from the refined poses
  (:mod:`~synsp.formats.smpl_arrays`); without ``poses`` (HuMoR, SLAHMR) they are the poses refined; axis-angle is
  written on the file's own branch where the file goes past pi;
- ``trans`` (or ``transl``, TRAM's ``pred_trans`` (T, 1, 3); ``trans_world`` with ``pose_world``): (T, 3) root
  translation in metres, optional (zeros; VIBE's ``pred_cam`` is a camera, not a translation, and is kept);
- ``mocap_framerate`` (``mocap_frame_rate`` in SMPL-X files) or ``fps``: frames per second, optional, one value or
  one per frame all equal (``synsp refine --fps``; without either, 30, which the summary says);
- everything else (``betas``, ``gender``, ...) is kept and written back untouched, but SLAHMR's ``latent_pose``,
  dropped once ``pose_body`` is refined (:data:`~synsp.formats.smpl_arrays.LATENT_POSE`).

No SMPL body model is used or shipped (its licence forbids it): joint positions, for metrics and for the pose-file
view (:func:`read`), come from the template skeleton of :mod:`synsp.rotations.smpl_template`. Shape (``betas``) is
ignored: positions are those of an average body. SMPL-H and SMPL-X finger, jaw and eye joints are refined as
rotations but have no length in the template.
"""
from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from synsp.formats.motion import JointMotion
from synsp.formats.posedata import PoseData
from synsp.formats.slahmr_tracks import file_mask, with_seen_frames
from synsp.formats.smpl_arrays import (
    AMASS_SPLIT_KEYS,
    all_finite,
    amass_copies,
    amass_split_keys,
    file_rate,
    flat_matrices,
    flat_shape,
    follow_branch,
    joined,
    joint_count,
    latent_note,
    people_error,
    rotations_only,
    stacked,
    without_latent,
    write_copies,
)
from synsp.formats.smpl_load import load_arrays, save_arrays
from synsp.formats.smpl_people import (
    SPLIT_BODY_JOINTS,
    laid_out,
    lone_person,
    people_first,
    person_count,
    person_tracks,
    restacked,
    stacked_motions,
)
from synsp.rotations.conversions import axis_angle_from_matrix, matrix_from_axis_angle
from synsp.rotations.smpl_template import BODY_JOINTS, JOINT_COUNTS, SMPL_REST, joint_names, template
from synsp.skeleton import match_layout

MM_PER_M = 1000.0
_RATE_KEYS = ("mocap_framerate", "mocap_frame_rate", "fps")  # AMASS SMPL-H, AMASS SMPL-X, others
_TRANS_KEYS = ("trans", "transl", "pred_trans")  # AMASS; 4D-Humans, smplx; TRAM (T, 1, 3)


_POSE_KEYS = ("poses", "pose", "pose_world")  # AMASS; VIBE, PARE, WHAM; WHAM's world frame
_SPLIT = ("global_orient", "body_pose")  # 4D-Humans (HMR 2.0): the root's rotation, then the body's
# The smplx package's further split, in SMPL-X's joint order after the body's 22 (smpl_template): one joint
# each, then 15 per hand; joined to a body_pose of the body's 21 joints (module docstring).
_FACE_KEYS = ("jaw_pose", "leye_pose", "reye_pose")
_AMASS_NAMED = {"root_orient", "pose_body"}  # AMASS's split without poses (HuMoR, SLAHMR): smpl_arrays
_HAND_KEYS = ("left_hand_pose", "right_hand_pose")
_SHAPE_KEYS = {"trans", "transl", "betas", "pred_cam", "trans_world"}  # only SMPL parameters come with these
# Joint positions an npz may hold beside a 'pose' (VIBE's joints3d): such a file stays a positions file.
_POSITION_KEYS = {"joints3d", "joints2d", "kp3d", "kp2d", "keypoints", "keypoints3d", "keypoints2d", "joints"}


def sniff(content, key: str | None = None) -> bool:
    """An npz holding SMPL poses (``poses``, or ``pose`` with no joint positions beside it) with a
    translation or shape, or shaped (T, 3K) axis-angle, K = 22, 24, 52 or 55 (no joint positions are
    2-D: ``np.savez("x.npz", poses=poses)``), or 4D-Humans' ``global_orient`` and ``body_pose``: SMPL
    parameters. ``key`` (``--key``) names the array to refine: SMPL parameters when it is a key of
    SMPL rotations shaped as rotations (VIBE's whole output: ``pose`` (T, 72) beside ``joints3d``)."""
    if not isinstance(content, set):
        return False
    shapes = getattr(content, "shapes", {})  # formats.detect.ArrayNames: each array's shape
    if key is not None and key in content and (key in _SPLIT
                                               or rotations_only(shapes.get(key), key not in _POSE_KEYS)):
        return True
    if key in AMASS_SPLIT_KEYS and ("poses" in content or _AMASS_NAMED <= content):  # poses, or HuMoR's split
        return True
    if key is not None and key not in _POSE_KEYS:  # another array named: joint positions
        return False
    if set(_SPLIT) <= content or _AMASS_NAMED <= content and not {"poses", "pose", "pose_world"} & content:
        return True
    rotations = "poses" in content or bool({"pose", "pose_world"} & content) and not _POSITION_KEYS & content
    return rotations and (bool(_SHAPE_KEYS & content) or any(rotations_only(shapes.get(k)) for k in _POSE_KEYS))


def _split_keys(arrays: dict[str, np.ndarray]) -> tuple[str, ...]:
    """The split arrays to refine together: ``global_orient`` and ``body_pose``, and, when ``body_pose``
    is the body's 21 joints, the smplx package's hands (15 joints each: SMPL-H's 52) and jaw and eyes
    (with the hands: SMPL-X's 55), each taken only if it is rotations of that many joints over the
    same frames (the smplx package's PCA hand poses are not: kept, and said by :func:`kept_note`)."""
    body = arrays["body_pose"]
    lead = 2 if stacked(body.shape, SPLIT_BODY_JOINTS) else 1  # (P, T, ...): a person's shape after P (smpl_people)

    def whole(keys: tuple[str, ...], joints: int) -> bool:
        return all(k in arrays and np.issubdtype(arrays[k].dtype, np.number) and arrays[k].shape[:lead] ==
                   body.shape[:lead] and joint_count(arrays[k].shape[lead - 1:]) == joints for k in keys)

    if joint_count(body.shape[lead - 1:]) != BODY_JOINTS - 1 or not whole(_HAND_KEYS, 15):
        return _SPLIT
    return (*_SPLIT, *(_FACE_KEYS if whole(_FACE_KEYS, 1) else ()), *_HAND_KEYS)


def _pose_keys(arrays: dict[str, np.ndarray], key: str | None, path: Path) -> tuple[str, ...]:
    """The arrays holding the rotations to refine: one (``poses``, ``pose``, ...) or 4D-Humans'
    two (``global_orient``, ``body_pose``) or AMASS's split without ``poses`` (:func:`amass_split_keys`); ``key``
    names one when the file has several sets."""
    named = amass_split_keys(arrays, 2 if stacked(np.shape(arrays.get("pose_body")), SPLIT_BODY_JOINTS) else 1)
    if key is not None:
        if key not in arrays:
            raise ValueError(f"{path}: no array {key!r} (arrays: {', '.join(arrays)})")
        if key in AMASS_SPLIT_KEYS and "poses" not in arrays and named:  # HuMoR's, SLAHMR's: no poses
            return named
        if key in AMASS_SPLIT_KEYS:
            raise ValueError(f"{path}: {key!r} is AMASS's copy of part of 'poses': --key poses refines them all "
                             "(its copies are written from the refined poses)")
        if key in _SPLIT and not set(_SPLIT) <= set(arrays):
            raise ValueError(f"{path}: {key!r} is half of SMPL's split poses; the file has no "
                             f"{next(k for k in _SPLIT if k not in arrays)!r} (arrays: {', '.join(arrays)})")
        return _split_keys(arrays) if key in _SPLIT else (key,)
    sets = [(k,) for k in _POSE_KEYS if k in arrays] + ([_split_keys(arrays)] if set(_SPLIT) <= set(arrays) else []
                                                        ) + ([named] if named and "poses" not in arrays else [])
    if not sets:
        raise ValueError(f"{path}: no SMPL poses; an SMPL file has 'poses' (T, 72) (or 'pose', 'global_orient' and "
                         f"'body_pose', 'root_orient' and 'pose_body') and 'trans' (T, 3); arrays: {', '.join(arrays)}")
    if len(sets) > 1:
        names = " and ".join(repr(k[0]) for k in sets)
        raise ValueError(f"{path}: two sets of SMPL poses, {names}; pass --key {sets[0][0]} or --key {sets[1][0]} "
                         "(key= in Python) to say which to refine (the other is kept as it is)")
    return sets[0]


def _trans_key(arrays: dict[str, np.ndarray], keys: tuple[str, ...]) -> str | None:
    """The root translation that goes with the poses of ``keys`` (``trans_world`` with ``pose_world``)."""
    if keys == ("pose_world",):
        return "trans_world" if "trans_world" in arrays else None
    return next((k for k in _TRANS_KEYS if k in arrays), None)


def read_people(path: str | os.PathLike, fps: float | None = None,
                key: str | None = None) -> JointMotion | list[JointMotion | str]:
    """Read SMPL parameters as joint rotations (:class:`~synsp.formats.motion.JointMotion`) on the template
    skeleton; ``key`` names the poses when the file holds several sets (module docstring). People stacked (either
    axis first, :mod:`~synsp.formats.smpl_people`): a motion per person (per span present, for one absent or
    zero-padded in others), or the line "person p: why" for one who cannot be read (:func:`write_people`)."""
    path = Path(path)
    arrays, raw = load_arrays(path, (*_POSE_KEYS, *_SPLIT, *_TRANS_KEYS, "trans_world", *_RATE_KEYS))
    keys = _pose_keys(arrays, key, path)
    trans = _trans_key(arrays, keys)
    named = None if fps else file_rate(arrays, _RATE_KEYS, str(path))  # one value, or one per frame all equal
    source = {"trans_key": trans, "pose_keys": keys, "raw": raw,
              "rate_named": fps is not None or any(k in arrays for k in _RATE_KEYS)}
    rate = fps or (30.0 if named is None else named)
    people = person_count(arrays, keys, trans, JOINT_COUNTS, str(path))
    lone = lone_person(arrays, keys, trans, str(path)) if people is None else None  # absent from some frames
    if people is None and lone is None:
        return _motion(arrays, rate, str(path), source)
    arrays, people, told = lone or people_first(arrays, keys, trans, str(path))  # laid out again by write_people
    source.update(told)
    if lone is None and not told["person_axis"][0]:  # SLAHMR's results: the frames each track was seen in
        arrays, seen = with_seen_frames(path, arrays, arrays[keys[0]].shape[:2])
        source.update(seen)
    return stacked_motions(arrays, keys, trans, people,
                           lambda own, name, extra: _motion(own, rate, f"{path}: {name}", {**source, **extra}),
                           lone is not None)


def read_motion(path: str | os.PathLike, fps: float | None = None, key: str | None = None) -> JointMotion:
    """Read one person's SMPL parameters as :func:`read_people` reads them; ValueError for a file of several
    people stacked (:func:`read_people` reads each)."""
    read = read_people(path, fps, key)
    if isinstance(read, list):
        raise ValueError(f"{path}: several people stacked on a leading person axis, or one absent from some frames "
                         "(NaN, zeros, track_mask); read_people reads each person and span")
    return read


def _motion(arrays: dict[str, np.ndarray], rate: float, where: str, source: dict) -> JointMotion:
    """One person's motion from ``arrays`` (``source``'s pose and translation keys), ``where`` naming them in errors."""
    keys, trans = source["pose_keys"], source["trans_key"]
    try:
        poses = joined(arrays, keys)
    except ValueError as err:
        raise ValueError(f"{where}: {err}") from None
    moved = None if trans is None else np.asarray(arrays[trans])
    if trans == "pred_trans" and moved.ndim == 3 and moved.shape[1] == 1:  # TRAM's (T, 1, 3)
        moved = moved[:, 0]
    motion = smpl_motion(poses, moved, rate, where=f"{where}: array {' and '.join(repr(k) for k in keys)}",
                         trans_key=trans)
    copies, _ = amass_copies(arrays, keys)  # AMASS's root_orient, pose_body, ...: written from the refined poses
    motion.source = {"arrays": arrays, **source, "copies": copies}
    return motion


def kept_note(motion: JointMotion) -> str | None:
    """One line naming the arrays of rotations or joint positions an SMPL file holds besides those
    refined, which are written back as they were (another set of poses, VIBE's ``joints3d``, the
    smplx package's hand, jaw and eye poses that could not be joined), and how to refine them;
    None when there are none."""
    source = motion.source
    if not isinstance(source, dict) or "arrays" not in source:
        return None
    arrays, refined = source["arrays"], tuple(source.get("pose_keys", ()))
    copies = source.get("copies", [])
    kept, split = [], []
    for k, array in arrays.items():
        if k in refined or k in copies:
            continue
        if k in AMASS_SPLIT_KEYS:
            why = ("not joined: the jaw with both eyes, and with the hands' 30 joints" if "pose_body" in refined
                   else f"not the slice of {refined[0]!r} AMASS's layout puts there")
            kept.append(f"{k!r} {array.shape} ({why})")
        elif k in _POSE_KEYS or k in _SPLIT:
            kept.append(f"{k!r} {array.shape} (SMPL rotations: --key {k} refines them instead)")
        elif k in _POSITION_KEYS:
            kept.append(f"{k!r} {array.shape} (joint positions: --key {k} refines them instead)")
        elif k in _FACE_KEYS or k in _HAND_KEYS:
            split.append(f"{k!r} {array.shape}")
    if split:  # why the smplx package's hand, jaw and eye poses were not joined (_split_keys)
        kept.append(f"{', '.join(split)} (joined to the body only when body_pose holds its 21 joints and both "
                    "hands 15 joint rotations each, (T, 45), not PCA coefficients; the jaw with both eyes, and with "
                    "the hands)")
    written = (f"; AMASS's split copies {', '.join(map(repr, copies))} written from the refined {refined[0]!r}"
               if copies else "")
    dropped = latent_note(arrays, (*refined, *copies))  # SLAHMR's latent_pose: no longer the written pose_body's
    if not kept and not copies and not dropped:
        return None
    return f"arrays: refined {' and '.join(map(repr, refined))}{written}" + (
        f"; kept as they were: {', '.join(kept)}" if kept else "") + dropped


def positions_note(shapes: dict[str, tuple[int, ...]], refined: str) -> str | None:
    """For an npz read as joint positions (array ``refined``, VIBE's ``joints3d``) that holds SMPL
    rotations too (``shapes``: each array's shape): one line saying the rotations were kept as they
    were and how to refine them; None when it holds none."""
    rotations = [k for k in (*_POSE_KEYS, *_SPLIT) if k in shapes and k != refined
                 and (rotations_only(shapes[k]) or k in _SPLIT)]
    if not rotations:
        return None
    named = " and ".join(f"{k!r} {shapes[k]}" for k in rotations)
    return (f"arrays: {refined!r} refined as joint positions; the SMPL rotations {named} kept as they were: "
            f"--key {rotations[0]} refines the rotations instead (keeping {refined!r})")


def smpl_motion(poses: np.ndarray, trans: np.ndarray | None = None, fps: float = 30.0, *, where: str = "poses",
                trans_key: str = "trans", missing: type[ValueError] = ValueError) -> JointMotion:
    """SMPL parameters as joint rotations on the template skeleton: ``poses`` (T, 3K) or (T, K, 3)
    axis-angle in radians, or (T, K, 3, 3) rotation matrices, K = 22, 24, 52 or 55 (module
    docstring); ``trans`` (T, 3) root translation in metres (None: zeros); ``fps`` frames per
    second. ``where`` and ``trans_key`` name the arrays in errors; ``missing`` is the class of the error for NaN or
    inf in them (arrays of a file: a ValueError, the file's fault; arrays handed in: MissingDataError), every other
    error a ValueError."""
    poses = np.asarray(poses)
    shape = poses.shape
    if not (np.issubdtype(poses.dtype, np.integer) or np.issubdtype(poses.dtype, np.floating)):
        raise ValueError(f"{where}: poses must hold real numbers, got {poses.dtype}")
    poses = poses.astype(np.float64)
    if poses.ndim >= 1 and len(poses) == 0:
        raise ValueError(f"{where}: no frames (poses of shape {shape}), nothing to refine")
    flat = flat_matrices(poses, JOINT_COUNTS, where)  # (T, 9K) or (T, K, 9): rotation matrices flattened
    if flat is not None:
        poses = flat
    elif poses.ndim == 2 and poses.shape[1] % 3 == 0:
        poses = poses.reshape(len(poses), -1, 3)
    matrices = poses.ndim == 4 and poses.shape[-2:] == (3, 3)
    people = people_error(shape, JOINT_COUNTS)
    if people:
        raise ValueError(f"{where}: {people}")
    if not (matrices or poses.ndim == 3 and poses.shape[-1] == 3) or len(poses) == 0:
        raise ValueError(f"{where}: poses must be (T, 72) or (T, 24, 3) axis-angle or (T, 24, 3, 3) matrices "
                         f"(or flattened, (T, 24, 9) or (T, 216)), got shape {shape}")
    if poses.shape[1] not in JOINT_COUNTS:
        raise ValueError(f"{where}: poses of {poses.shape[1]} joints; SMPL has 24 (22 body only, 52 SMPL-H, "
                         f"55 SMPL-X), got shape {shape}")
    all_finite(poses, where, "poses", missing)
    trans = np.zeros((len(poses), 3)) if trans is None else np.asarray(trans, dtype=np.float64)
    if trans.shape != (len(poses), 3):
        raise ValueError(f"{where}: {trans_key} must be (T, 3) = ({len(poses)}, 3), got shape {trans.shape}")
    all_finite(trans, where, trans_key, missing)
    if not (np.isfinite(fps) and fps > 0):
        raise ValueError(f"{where}: the frame rate must be a positive number, got {fps!r}")
    parents, offsets = template(poses.shape[1])
    translations = np.broadcast_to(offsets, (len(poses), *offsets.shape)).copy()
    translations[:, 0] = trans + SMPL_REST[0]  # the global orientation turns the body about the pelvis
    animated = np.zeros(len(parents), bool)
    animated[0] = True
    return JointMotion(names=joint_names(poses.shape[1]), parents=parents,
                       rotations=poses if matrices else matrix_from_axis_angle(poses), translations=translations,
                       animated=animated, fps=float(fps), mm_per_unit=MM_PER_M, format="smpl")


def write_motion(path: str | os.PathLike, motion: JointMotion) -> None:
    """Write a :class:`~synsp.formats.motion.JointMotion` read from an SMPL file back as one:
    the poses (under the source's keys, in its shape, form and dtype) and the translation from the motion,
    every other array as the source had it (one person of a stacked file: :func:`write_people`). Atomic."""
    source = motion.source
    if not isinstance(source, dict) or "arrays" not in source:
        raise ValueError(f"{path}: only a motion read from an SMPL file can be written as one")
    if "stacked" in source:
        write_people(path, [motion])
        return
    written = _written(motion)
    save_arrays(path, without_latent({**source["arrays"], **written}, written), source.get("raw"))


def write_people(path: str | os.PathLike, motions: list[JointMotion]) -> None:
    """Write the people ``motions`` of one stacked SMPL file (:func:`read_people`) back into its stack, each at its
    place; the people not given (not refined) as the file had them. Atomic."""
    sources = [m.source for m in motions]
    if not motions or not all(isinstance(s, dict) and "stacked" in s for s in sources) or any(
            s["stacked"] is not sources[0]["stacked"] for s in sources):
        raise ValueError(f"{path}: write_people takes the people read from one stacked SMPL file")
    written = [(m.source, _written(m)) for m in motions]
    out = without_latent(restacked(sources[0]["stacked"], written), written[0][1])
    save_arrays(path, file_mask(laid_out(out, sources[0]), sources[0]), sources[0].get("raw"))


def _written(motion: JointMotion) -> dict[str, np.ndarray]:
    """The arrays ``motion`` writes into its source's: the poses under their keys in their shape, form and dtype,
    AMASS's split copies, the translation."""
    source = motion.source
    arrays, out = dict(source["arrays"]), {}
    start = 0
    for key in source.get("pose_keys", ("poses",)):  # each array in its own shape, form and dtype
        old = arrays[key]
        matrices = old.ndim >= 3 and old.shape[-2:] == (3, 3) or flat_shape(old.shape, JOINT_COUNTS) is not None
        count = old[0].size // (9 if matrices else 3)  # its joints
        rotations = motion.rotations[:, start:start + count]
        start += count
        written = rotations if matrices else follow_branch(axis_angle_from_matrix(rotations),
                                                           np.reshape(old, (len(old), count, 3)))
        arrays[key] = out[key] = written.reshape(old.shape).astype(old.dtype)
    if source.get("copies"):  # AMASS's split copies of poses: the same numbers as the written poses
        write_copies(arrays, arrays[source["pose_keys"][0]], source["copies"])
        out.update({k: arrays[k] for k in source["copies"]})
    if source["trans_key"] is not None:
        old = arrays[source["trans_key"]]
        out[source["trans_key"]] = (motion.translations[:, 0] - SMPL_REST[0]).reshape(old.shape).astype(old.dtype)
    return out


def read(path: Path, fps: float | None = None, key: str | None = None) -> PoseData:
    """Read an SMPL file's joint positions on the template skeleton (module docstring).

    Returns
    -------
    PoseData
        ``poses`` (P, T, K, 3) millimetres, one track per person (P = 1 but for people stacked; a person who cannot
        be read: NaN), world frame of the file (Y up for AMASS after its usual rotation; as written otherwise),
        ``extra["smpl"]["joints"]`` the names.
    """
    read_ = read_people(path, fps=fps, key=key)
    people = read_ if isinstance(read_, list) else [read_]
    motions = [m for m in people if not isinstance(m, str)]
    if not motions:
        raise ValueError(f"{path}: no person could be read; {people[0]}")
    first = motions[0]
    stack = first.source.get("stacked")
    lead = None if stack is None else stack[first.source["pose_keys"][0]].shape[:2]  # (people, frames)
    tracks = first.positions()[None] if lead is None else person_tracks(
        [(m.source, m.positions()) for m in motions], lead[1], lead[0])
    return PoseData(poses=tracks, layout=match_layout(first.names), fps=first.fps, format="smpl",
                    extra={"smpl": {"joints": list(first.names)}})

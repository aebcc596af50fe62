"""SMPL parameters held in arrays with whole frames missing, as :func:`synsp.refine_smpl` takes them.

A per-frame estimator's output padded where nobody was detected (WHAM, 4D-Humans, VIBE) holds rows of NaN there,
or rows exactly at SMPL's rest pose (every number 0, and the translation 0 when one is given; identity matrices),
which many tools write for "not found". No real pose is every joint exactly at rest, so in a sequence with other
frames such rows are read as missing, as :func:`synsp.refine` reads a frame of joint positions with no joint found
(:func:`synsp.formats.smpl_people.absent_frames`, the rule ``synsp refine`` reads an SMPL file's absent frames by).
They are bridged for the refinement and never given: from the first frame present to the last, each missing run
is filled between the frames around it (every joint's rotation by slerp, the root on a line:
:mod:`synsp.refining.held_motion`'s), the stretch refined as one motion, and the missing frames come back NaN, as
do the frames before the first present and after the last. Bridged, the network keeps its context across a gap,
where each span refined alone loses it at every gap (benchmarks/RESULTS.md section 14, "SMPL frames missing").
A ``track_mask`` (T,) bool, as SLAHMR's files hold it, says which frames are present over the numbers: True
everywhere keeps rest-pose rows as poses. A NaN among the numbers of a frame otherwise present is a broken value,
not a missing frame (one line naming it), and rows at rest throughout are refined as they are (``np.zeros``
poses saved to try a pipeline), as a file's are. ``synsp refine`` on an SMPL file bridges a person's missing frames
the same way (:func:`refine_parts`): the person's spans present, read from the file, refined as one motion.
"""
from __future__ import annotations

import warnings
from dataclasses import replace
from typing import Callable

import numpy as np

from synsp.errors import MissingDataError, ShapeError
from synsp.formats.motion import JointMotion
from synsp.formats.smpl_people import TRACK_MASK, absent_frames, check_mask
from synsp.refining.held_motion import lined, slerped

__all__ = ["missing_rows", "refine_bridged", "refine_parts", "stand_ins"]


def missing_rows(poses: np.ndarray, trans: np.ndarray | None, track_mask: np.ndarray | None,
                 where: str = "poses") -> np.ndarray | None:
    """The frames of ``poses`` (T, ...) (and ``trans`` (T, 3) m, optional) missing (module docstring), (T,) bool,
    or None when none is (or every frame is at rest: refined as it is); a warning (stacklevel: the caller's
    caller, ``refine_smpl``'s) says how many frames at rest it read as missing. ``track_mask`` (T,) bool: False
    frames missing whatever they hold; a frame whose poses are all NaN is missing whatever ``trans`` holds.
    MissingDataError for a broken value in a present frame, or no frame present; ShapeError for a mask not (T,)
    bool. Shapes :func:`synsp.formats.smpl.smpl_motion` would refuse give None (it says why)."""
    frames = len(poses) if poses.ndim else 0
    if not frames or not np.issubdtype(poses.dtype, np.number) or trans is not None and np.shape(trans) != (
            frames, 3) or poses.size == 0:
        return None
    arrays = {"poses": poses[None], **({} if trans is None else {"trans": np.asarray(trans)[None]})}
    if track_mask is not None:
        try:
            check_mask({TRACK_MASK: track_mask}, (frames,), where)
        except ValueError as err:
            raise ShapeError(str(err).replace(f"{TRACK_MASK!r}", "track_mask")) from None
        arrays[TRACK_MASK] = np.asarray(track_mask, bool)[None]
    absent, rest, hole = (a[0] for a in absent_frames(arrays, ("poses",), None if trans is None else "trans",
                                                           (1, frames)))
    hole = hole | ~np.isfinite(np.asarray(poses, np.float64).reshape(frames, -1)).any(axis=1)  # trans kept or not
    broken = absent & ~(rest | hole)
    if broken.any():
        name = "poses" if not np.isfinite(np.asarray(poses, np.float64)[broken]).all() else "trans"
        raise MissingDataError(f"{where}: {name!r} holds NaN or inf among the numbers of {int(broken.sum())} frame(s) "
                               f"otherwise present, the first frame {int(np.flatnonzero(broken)[0])}; a missing "
                               "frame is NaN in every number (or marked False in track_mask)")
    if not absent.any() or absent.all() and track_mask is None and rest.all():
        return None  # nothing missing, or zeros throughout: no frame to bridge from, refined as they are
    if absent.all():
        raise MissingDataError(f"{where}: every one of the {frames} frames is missing (NaN, or False in track_mask); "
                               "nothing to refine")
    zeros = int(rest.sum()) if track_mask is None else 0
    if zeros:
        warnings.warn(f"{where}: {zeros} of {frames} frames are exactly SMPL's rest pose (every number 0 or "
                      f"identity matrices{', trans 0 too' if trans is not None else ''}), what estimators write for "
                      "nobody found: read as missing, bridged and given back NaN; track_mask=np.ones(T, bool) keeps "
                      "them as poses", stacklevel=3)
    return absent


def stand_ins(poses: np.ndarray, trans: np.ndarray | None, absent: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
    """``poses`` (T, ...) and ``trans`` (T, 3) with their ``absent`` (T,) rows replaced by the first present frame's
    numbers: finite rotations for reading them as a motion, which :func:`refine_bridged` then fills between."""
    first = int(np.flatnonzero(~absent)[0])
    poses = np.where(absent.reshape((-1,) + (1,) * (poses.ndim - 1)), poses[first], poses)
    return poses, None if trans is None else np.where(absent[:, None], np.asarray(trans)[first], trans)


def refine_bridged(motion: JointMotion, absent: np.ndarray,
                   refine: Callable[[JointMotion], JointMotion]) -> tuple[np.ndarray, np.ndarray]:
    """``motion`` (T frames, its ``absent`` (T,) frames holding :func:`stand_ins`) refined by ``refine`` from its
    first present frame to its last, each absent run between bridged (module docstring). Returns the rotations
    (T, J, 3, 3) and the animated translations (T, A, 3), file unit, NaN in the absent frames and outside."""
    present = np.flatnonzero(~absent)
    first, last = int(present[0]), int(present[-1]) + 1
    times = np.arange(first, last)
    rotations = slerped(motion.rotations[present], present, times)
    rotations[present - first] = motion.rotations[present]  # the frames present exactly as read
    translations = motion.translations[first:last].copy()
    translations[:, motion.animated] = lined(motion.translations[present][:, motion.animated], present, times)
    refined = refine(replace(motion, rotations=rotations, translations=translations))
    out_rotations = np.full(motion.rotations.shape, np.nan)
    out_root = np.full(motion.translations[:, motion.animated].shape, np.nan)
    out_rotations[first:last], out_root[first:last] = refined.rotations, refined.translations[:, motion.animated]
    out_rotations[absent], out_root[absent] = np.nan, np.nan
    return out_rotations, out_root


def refine_parts(parts: list[JointMotion], refine: Callable[[JointMotion], JointMotion]) -> list[JointMotion]:
    """One person's ``parts``, the spans of frames it is present in as ``synsp refine`` reads them from a file
    (:func:`synsp.formats.smpl_people.stacked_motions`: each source's ``frames`` (first, last + 1), in order),
    refined as one motion by :func:`refine_bridged`, the frames between bridged: as :func:`synsp.refine_smpl`
    refines that person's frames alone with NaN rows where it is absent. Returns each part with its frames of the
    refined rotations (T', J, 3, 3) and root; ``refine``'s error (ValueError) as it came."""
    start, end = parts[0].source["frames"][0], parts[-1].source["frames"][1]
    absent = np.ones(end - start, bool)
    rotations = np.repeat(parts[0].rotations[:1], end - start, axis=0)  # stand-ins: bridged by refine_bridged
    translations = np.repeat(parts[0].translations[:1], end - start, axis=0)
    for part in parts:
        at = slice(part.source["frames"][0] - start, part.source["frames"][1] - start)
        absent[at], rotations[at], translations[at] = False, part.rotations, part.translations
    whole = replace(parts[0], rotations=rotations, translations=translations)
    rotations, root = refine_bridged(whole, absent, refine)
    out = []
    for part in parts:
        at = slice(part.source["frames"][0] - start, part.source["frames"][1] - start)
        moved = part.translations.copy()
        moved[:, part.animated] = root[at]
        out.append(replace(part, rotations=rotations[at], translations=moved))
    return out

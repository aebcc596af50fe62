"""Per-frame lists of detected persons -> tracks ``(V, T, J, C)``, and back.

Multi-person estimators (mmpose, COCO results) write, for every frame, an unordered list of
instances. Refinement needs one continuous sequence per person, so instances are gathered
into tracks:

- if every instance carries a ``track_id``, tracks are those ids (sorted); in a frame where an id
  repeats (a tracker's slip), those instances are matched to the tracks (:mod:`synsp.formats.repeated_ids`),
  and ids repeating in over a quarter of the frames are read as no tracks;
- otherwise tracks are linked frame to frame by :func:`synsp.formats.tracking.link_tracks`:
  optimal assignment on the distance between each track's expected pose and each
  detection, in body sizes, with a distance limit beyond which a detection starts a new
  track (so people do not swap, and a newcomer far away is not the one who left); joints
  written as "not found" (at the origin, or scored low) take no part (:func:`linked_joints`).
  Before linking, an instance that overlaps a better-scored one of its frame almost exactly (a
  detector that fired twice on one person: :mod:`synsp.formats.duplicates`) is set aside: it
  never takes the person's track, and goes to a track of duplicates of its own, after the
  people's, which ``synsp refine`` writes back as read (:func:`set_aside`).
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from synsp.formats.duplicates import duplicates
from synsp.formats.posedata import as_filled
from synsp.formats.repeated_ids import repeated_frames, resolve_repeats
from synsp.formats.tracking import link_tracks
from synsp.sequence import MIN_SCORE


@dataclass
class Instance:
    """One detected person in one frame, as read from a file."""

    keypoints: np.ndarray          # (J, C) float, NaN = missing
    scores: np.ndarray | None      # (J,) or None
    track_id: int | None = None
    fields: dict = field(default_factory=dict)  # everything else the file had (bbox, score, ...)


def match_tracks(frames: list[list[Instance]], aside: list[int] | None = None) -> list[list[int]]:
    """Track index of every instance (``result[t][i]``), linked across frames by
    :func:`synsp.formats.tracking.link_tracks` on the joints that say where the person is
    (:func:`linked_joints`), so every format links alike: OpenPose's ``0, 0, 0`` reads as missing,
    and so must mmpose's and COCO's (0, 0) written with a low score for a joint not found.

    Duplicate detections (:func:`synsp.formats.duplicates.duplicates`, ranked by :func:`detection_score`)
    are not linked: the first of each frame goes to one track after the people's, the second to
    the next, ...; ``aside``, when given, is extended with those tracks' indices."""
    joints = [[linked_joints(inst) for inst in instances] for instances in frames]
    copies = [duplicates(poses, [detection_score(inst) for inst in instances]) if len(poses) > 1 else []
              for poses, instances in zip(joints, frames)]
    linked = link_tracks([[p for i, p in enumerate(poses) if i not in dup] for poses, dup in zip(joints, copies)])
    people = 1 + max((v for slots in linked for v in slots), default=-1)
    result = []
    for poses, dup, slots in zip(joints, copies, linked):
        people_slots = iter(slots)
        result.append([people + dup.index(i) if i in dup else next(people_slots) for i in range(len(poses))])
    if aside is not None:
        aside.extend(range(people, people + max(map(len, copies), default=0)))
    return result


def detection_score(inst: Instance) -> float:
    """How sure the estimator was of an instance: its box's score (mmpose's ``bbox_score``, a COCO or
    AlphaPose result's ``score``), else the mean of its keypoint scores, else 0."""
    for key in ("bbox_score", "score"):
        value = inst.fields.get(key)
        if isinstance(value, list) and len(value) == 1:  # some exporters keep a list per box
            value = value[0]
        if isinstance(value, (int, float)) and not isinstance(value, bool) and np.isfinite(value):
            return float(value)
    if inst.scores is not None and np.isfinite(inst.scores).any():
        return float(np.nanmean(inst.scores))
    return 0.0


def linked_joints(inst: Instance) -> np.ndarray:
    """(J, C) keypoints of ``inst`` with NaN where they do not locate the person: a point at
    exactly the origin (an estimator's "not found") or scored below :data:`synsp.sequence.MIN_SCORE`
    (unless fewer than two joints would be left: a faint person is still linked by what it has).
    An arm hidden for a while and written at (0, 0) would otherwise pull its track's template to
    the corner, and the person would be a new track where the arm reappears."""
    kp = np.array(inst.keypoints, dtype=np.float64)
    hidden = (kp == 0).all(-1)
    if inst.scores is not None:
        with np.errstate(invalid="ignore"):
            faint = hidden | ~(np.asarray(inst.scores, np.float64) >= MIN_SCORE)
        if (~faint & np.isfinite(kp).all(-1)).sum() >= 2:
            hidden = faint
    if (~hidden & np.isfinite(kp).all(-1)).any():
        kp[hidden] = np.nan
    return kp


def gather(frames: list[list[Instance]], where: str, n_joints: int | None = None,
           frame_names: list[str] | None = None, positions: dict | None = None, aside: list | None = None,
           id_key: str = "track_id", notes: list | None = None):
    """Stack per-frame instances into tracks.

    Parameters
    ----------
    frames : list (T) of list of Instance
        Instances per frame; their keypoints must all be (J, C).
    where : str
        Prefix for error messages (the file name).
    n_joints : int, optional
        Expected J; by default the first instance's.
    frame_names : list (T) of str, optional
        How errors name each frame, by the file's own numbering (``"frame 31"`` for mmpose's
        ``frame_id`` 31, an OpenPose file's name); by default ``"frame t"``, counted from 0.
    positions : dict, optional
        Filled with ``(v, t) -> i``: the place of each track's instance in its frame's list, for
        writing the frame's people back in the file's order (:func:`file_order`).
    aside : list, optional
        Extended with the indices of the tracks that hold duplicate detections, set aside
        (:func:`match_tracks`; with track ids, only copies sharing an id in a frame): see :func:`set_aside`.
    id_key : str
        The file's own name of the track id, for messages (OpenPose's ``person_id``).
    notes : list, optional
        Extended with a warning line when an id repeats within a frame (:mod:`synsp.formats.repeated_ids`).

    Returns
    -------
    poses : ndarray (V, T, J, C) float64
        NaN where a track has no detection.
    scores : ndarray (V, T, J) or None
        0 where a track has no detection; None when no instance had scores.
    track_ids : list of int
        The file's track ids (then new ones above them, for instances of a repeated id matching no track),
        or 0 .. V-1 for matched tracks.
    fields : dict
        ``(v, t) -> instance fields`` for writing back.
    """
    names = frame_names or [f"frame {t}" for t in range(len(frames))]
    shape = None
    for t, instances in enumerate(frames):
        for i, inst in enumerate(instances):
            kp = inst.keypoints
            if kp.ndim != 2:
                raise ValueError(f"{where}: instance {i} of {names[t]}: keypoints are not a list of points")
            if shape is None:
                if n_joints is not None and kp.shape[0] != n_joints:
                    raise ValueError(f"{where}: instance {i} of {names[t]} has {kp.shape[0]} keypoints, "
                                     f"expected {n_joints}")
                shape = kp.shape
            elif kp.shape != shape:
                what = "keypoints" if kp.shape[0] != shape[0] else "coordinates per keypoint"
                got, exp = (kp.shape[0], shape[0]) if kp.shape[0] != shape[0] else (kp.shape[-1], shape[1])
                raise ValueError(f"{where}: instance {i} of {names[t]} has {got} {what}, expected {exp}")
            if inst.scores is not None and inst.scores.shape != (kp.shape[0],):
                raise ValueError(f"{where}: instance {i} of {names[t]} has {inst.scores.size} keypoint scores "
                                 f"for {kp.shape[0]} keypoints")
    if shape is None:
        raise ValueError(f"{where}: no instances in any frame; nothing to read")
    n_frames = len(frames)
    all_insts = [inst for instances in frames for inst in instances]
    slots = None
    if all(inst.track_id is not None for inst in all_insts):
        track_ids = sorted({int(inst.track_id) for inst in all_insts})
        column = {tid: v for v, tid in enumerate(track_ids)}
        slots = [[column[int(inst.track_id)] for inst in instances] for instances in frames]
        repeated, seen = len(repeated_frames(slots)), sum(1 for instances in frames if instances)
        if repeated and 4 * repeated <= seen:  # a tracker's slip: the ids kept where unique, the rest matched
            slots, track_ids = _repeats(frames, slots, track_ids, names, id_key, aside, notes)
        elif repeated:  # ids that repeat in many frames are no tracks (a detection's number)
            slots = None
            if notes is not None:
                notes.append(f"warning: {repeated} of {seen} frames hold an instance {id_key} twice: read as no "
                             "tracks, people matched frame to frame")
    if slots is None:
        slots = match_tracks(frames, aside)
        track_ids = list(range(1 + max((v for s in slots for v in s), default=-1)))
    n_tracks = len(track_ids)
    poses = np.full((n_tracks, n_frames) + shape, np.nan)
    has_scores = any(inst.scores is not None for inst in all_insts)
    scores = np.zeros((n_tracks, n_frames, shape[0])) if has_scores else None
    fields = {}
    for t, instances in enumerate(frames):
        for i, (inst, v) in enumerate(zip(instances, slots[t])):
            poses[v, t] = inst.keypoints
            if positions is not None:
                positions[(v, t)] = i
            if scores is not None:
                # an instance without scores among scored ones: trust its finite joints
                scores[v, t] = inst.scores if inst.scores is not None else np.isfinite(inst.keypoints).all(-1)
            if inst.fields:
                fields[(v, t)] = inst.fields
    return poses, scores, track_ids, fields


def _repeats(frames: list[list[Instance]], slots: list[list[int]], track_ids: list[int], names: list[str],
             id_key: str, aside: list | None, notes: list | None) -> tuple[list[list[int]], list[int]]:
    """Slots and track ids with an id repeated within a frame resolved (:func:`resolve_repeats`), the
    warning line added to ``notes`` and the copies' tracks to ``aside``."""
    where = repeated_frames(slots)
    joints = [[linked_joints(inst) for inst in instances] for instances in frames]
    ranks = [[detection_score(inst) for inst in instances] for instances in frames]
    slots, new, copies = resolve_repeats(joints, ranks, slots, len(track_ids))
    top = max(track_ids)
    added = [top + 1 + k for k in range(len(new) + len(copies))]
    if aside is not None and copies:
        aside.extend(range(len(track_ids) + len(new), len(track_ids) + len(new) + len(copies)))
    shown = ", ".join(names[t] for t in where[:5]) + (f" and {len(where) - 5} more" if len(where) > 5 else "")
    said = (f"; {len(new)} track(s) of the instances matching nobody's path, {id_key} "
            f"{', '.join(map(str, added[:len(new)]))}" if new else "")
    if notes is not None:
        notes.append(f"warning: {len(where)} frame(s) hold an instance {id_key} twice (a tracker's slip): {shown}; "
                     f"the ids kept where unique, there the instances matched to the tracks by where each person "
                     f"is{said}" + (f"; {len(copies)} copy track(s) of a detection set aside" if copies else ""))
    return slots, track_ids + added


def set_aside(aside: list[int], poses: np.ndarray, notes: Sequence[str] = ()) -> dict:
    """A reader's ``extra`` entries for the tracks of duplicate detections ``aside`` (from :func:`gather`)
    of ``poses`` (V, T, J, C): ``{"set_aside": aside, "notes": [*notes, the summary's line]}``; ``notes`` (gather's
    lines: an id twice in a frame) alone when none is set aside, {} when neither.
    ``synsp refine`` gives those tracks back as read (:func:`synsp.refining.uneven_times.refine_file_tracks`)."""
    if not aside:
        return {"notes": list(notes)} if notes else {}
    count = int(present(poses[aside]).sum())
    which = f"track {aside[0]}" if len(aside) == 1 else f"tracks {aside[0]}-{aside[-1]}"
    return {"set_aside": list(aside), "notes": [*notes,
        f"duplicates: {count} detection(s) overlapping a better-scored one of the same frame almost exactly (the "
        f"detector fired twice on one person) set aside in {which}, not the person's: written back as read, "
        "not refined"]}


def file_order(tracks: np.ndarray, t: int, positions: dict | None) -> list[int]:
    """The track indices ``tracks`` shown in frame ``t``, in the order the file listed their
    instances there (``positions`` from :func:`gather`; a track the file did not have in that
    frame after the others, by index): the refined file lists a frame's people as the input did."""
    positions = positions or {}
    return sorted((int(v) for v in tracks), key=lambda v: (positions.get((v, t), len(positions)), v))


def present(poses: np.ndarray) -> np.ndarray:
    """(V, T) bool: the track has at least one finite coordinate in the frame (is written)."""
    return np.isfinite(poses).any(axis=(-1, -2))


FILLED_KEY = "keypoint_filled"  # per-instance list of 0/1: joint values filled in rather than measured


def pop_filled(fields: dict, shape: tuple[int, int, int], where: str) -> np.ndarray | None:
    """Take every instance's ``"keypoint_filled"`` out of ``fields`` into a (V, T, J) bool array.

    Parameters
    ----------
    fields : dict
        ``(v, t) -> instance fields`` from :func:`gather`; the key is removed from them.
    shape : (V, T, J)
        Tracks, frames, joints.
    where : str
        Prefix for error messages (the file name).

    Returns
    -------
    ndarray (V, T, J) bool, or None when no instance has the key (False where absent).
    """
    filled = None
    for (v, t), extra in fields.items():
        if FILLED_KEY in extra:
            if filled is None:
                filled = np.zeros(shape, dtype=bool)
            filled[v, t] = as_filled(extra.pop(FILLED_KEY), shape[2:], f"{where}: track {v} frame {t} {FILLED_KEY}")
    return filled


def to_list(values: np.ndarray) -> list:
    """Nested lists with NaN -> None, so the JSON is standard (no bare NaN tokens)."""
    values = np.asarray(values, dtype=np.float64)
    obj = values.tolist()
    if np.isfinite(values).all():
        return obj

    def clean(x):
        if isinstance(x, list):
            return [clean(y) for y in x]
        return None if x != x else x

    return clean(obj)


def from_list(values, where: str) -> np.ndarray:
    """Inverse of :func:`to_list`: None -> NaN, as float64; a whole point written as None among
    points (``[[x, y], null, ...]``, a keypoint not found) is a point of NaN."""
    try:
        return np.array(values, dtype=np.float64)  # None becomes NaN under float64
    except (TypeError, ValueError):
        pass
    points = values if isinstance(values, list) else []
    widths = {len(p) for p in points if isinstance(p, list)}
    if len(widths) == 1 and all(p is None or isinstance(p, list) for p in points):
        width = widths.pop()
        try:
            return np.array([[None] * width if p is None else p for p in points], dtype=np.float64)
        except (TypeError, ValueError):
            pass
    raise ValueError(f"{where}: keypoints are not a regular array of numbers")

"""A file naming some of a known layout's joints (a DeepLabCut project's 8 body parts of a person, a SLEAP
skeleton of the limbs, a CSV of a lab's marker subset): read as that layout's joints, the others NaN.

- :func:`match_subset`: the 2D model's layout (COCO-17) whose joints every name of a 2D file is, in any
  spelling :func:`synsp.formats.marker_names.spellings` reads (``left_wrist``, ``LWrist``, ``wrist_l``), from
  :data:`MIN_NAMED` of them; the readers (DeepLabCut, SLEAP, CSV) place the values there
  (:func:`placed_joints`) and keep each name's joint (``extra[fmt]["columns"]``) to write the file's own back;
- :func:`laid_out`: ``--layout`` told of a file with fewer joints, read by its names as that layout's, or a
  one-line :class:`~synsp.errors.LayoutError` saying which names are not its joints.

The layout's other joints are never seen: filled for the networks (:mod:`synsp.estimator_errors.measurements`), not
written back. With more than a fifth of the layout never seen SynSP gives way to SmoothNet, run in the layout's route
(its steps: left/right exchanges told, the light-noise low-pass, ...), nearer on validation than the same joints as
joints of no layout; SynSP's network itself, not giving way, was not nearer in 2D and far from it under 3D white
noise (18.06 mm against SmoothNet's 7.02).
"""
from __future__ import annotations

from dataclasses import replace
from os import PathLike

import numpy as np

from synsp.errors import LayoutError
from synsp.formats.marker_names import joint_columns
from synsp.formats.posedata import PoseData
from synsp.skeleton import LAYOUTS

# Layouts a 2D file may name only some joints of: the 2D model's. Validation (benchmarks/RESULTS.md section 11,
# "A user's own subset of the model's joints"): 8-12 of COCO-17's joints refined in its layout came out nearer than
# as joints of no layout under the simulator's errors and white noise; 3D subsets of H36M-17's did under the
# simulator's errors but not under white noise (a marker set's: 6.72-7.77 mm against 6.55-6.83), so a 3D file's
# names stay its own unless --layout says (:func:`laid_out`)
SUBSET_LAYOUTS = ("coco17",)
# The fewest of its joints a file must name to be read so: 8 is the fewest measured
MIN_NAMED = 8
_FEW = "layout: none; the file's "  # the note of a file naming too few of a layout's joints
# Where each format keeps its joints' names
_NAMES = {"dlc": "parts", "sleap": "nodes", "csv": "joints"}


def match_subset(names: list[str], layouts: tuple[str, ...] = SUBSET_LAYOUTS,
                 least: int = MIN_NAMED) -> tuple[str, list[int]] | None:
    """The first of ``layouts`` naming every one of ``names`` (each a joint of its own), at least ``least`` of
    them, and each name's joint index; None when none does. For files whose names make no layout whole
    (:func:`synsp.skeleton.match_layout`) nor hold all its limb joints
    (:func:`~synsp.formats.marker_names.match_markers`)."""
    for name in layouts:
        columns = joint_columns(names, name)
        if len(columns) >= least and None not in columns and len(set(columns)) == len(columns):
            return name, columns
    return None


def read_as_subset(data: PoseData, names: list[str]) -> PoseData:
    """A reader's ``data`` (its joints called ``names``, no layout of its own) as :func:`match_subset`'s layout
    (:func:`as_subset`); as it is otherwise, with a note when its names are fewer than :data:`MIN_NAMED` of one."""
    subset = match_subset(names) if data.layout is None else None
    if subset is not None:
        return as_subset(data, subset[0], names, subset[1])
    few = match_subset(names, least=1) if data.layout is None else None
    if few is None:
        return data
    note = (f"{_FEW}{len(names)} joint names are {few[0]}'s, but fewer than {MIN_NAMED} (the fewest "
            f"measured nearer in its layout): refined as joints of no layout (--layout {few[0]} reads them as its)")
    return replace(data, extra={**data.extra, "notes": [*data.extra.get("notes", []), note]})


def placed_joints(part, columns: list[int], n_joints: int, fill):
    """(V, T, J, ...) values of a file's joints put at their ``columns`` of a layout's ``n_joints`` (axis 2); the
    joints the file lacks hold ``fill`` (NaN: missing; 0: score; False: not filled); None stays None."""
    if part is None:
        return None
    out = np.full(part.shape[:2] + (n_joints,) + part.shape[3:], fill, dtype=part.dtype)
    out[:, :, columns] = part
    return out


def as_files_joints(data: PoseData, columns: list[int] | None) -> PoseData:
    """``data`` whose joints a reader put at ``columns`` of a layout (:func:`placed_joints`) back to the file's own
    joints, in its order: poses, scores and filled (V, T, J, ...) picked along J together, so that each joint keeps
    its own values; as it is when ``columns`` is None or names a joint beyond the poses' (no longer the layout's)."""
    if columns is None or max(columns, default=-1) >= np.shape(data.poses)[2]:
        return data

    def pick(part):
        return None if part is None else np.asarray(part)[:, :, columns]
    return replace(data, poses=pick(data.poses), scores=pick(data.scores), filled=pick(data.filled))


def subset_note(layout: str, names: list[str], columns: list[int]) -> str:
    """The summary's line for a file naming some of ``layout``'s joints (:func:`match_subset`)."""
    others = [joint for j, joint in enumerate(LAYOUTS[layout].joints) if j not in columns]
    return (f"layout: {layout}, told by the file's {len(names)} joint names ({', '.join(names)}); its other "
            f"{len(others)} joints ({', '.join(others)}) are filled for the network as never seen, not written")


def as_subset(data: PoseData, layout: str, names: list[str], columns: list[int]) -> PoseData:
    """``data`` (V, T, J, C), J = len(names), as ``layout``'s joints at ``columns``, the others NaN; the format's
    own record of its joints (``extra[fmt]``) told where each went, so that the writer puts back the file's."""
    count = len(LAYOUTS[layout].joints)
    kept = [note for note in data.extra.get("notes", []) if not note.startswith(_FEW)]  # too few, read so all the same
    extra = {**data.extra, "notes": [*kept, subset_note(layout, names, columns)]}
    own = dict(extra.get(data.format) or {}, columns=columns)
    if "slots" in own:  # DeepLabCut's (individual, body part, coord) of every column
        own["slots"] = [(v, columns[j], k) for v, j, k in own["slots"]]
    extra[data.format] = own
    return replace(data, poses=placed_joints(np.asarray(data.poses), columns, count, np.nan), layout=layout,
                   scores=placed_joints(None if data.scores is None else np.asarray(data.scores), columns, count, 0.0),
                   filled=placed_joints(None if data.filled is None else np.asarray(data.filled), columns, count,
                                        False), extra=extra)


def _as_read(data: PoseData) -> PoseData:
    """``data`` placed by :func:`as_subset` back to the file's own joints, in its order."""
    own = dict(data.extra[data.format])
    columns = own.pop("columns")
    if "slots" in own:
        own["slots"] = [(v, columns.index(j), k) for v, j, k in own["slots"]]
    notes = [n for n in data.extra.get("notes", []) if not n.startswith(f"layout: {data.layout}, told by")]
    return replace(as_files_joints(data, columns), layout=None, extra={**data.extra, data.format: own, "notes": notes})


def laid_out(data: PoseData, layout: str | None, where: str | PathLike) -> PoseData:
    """``data`` read as ``layout``'s joints (``--layout``) by its joints' names, when it has fewer joints than
    ``layout`` or was read as another layout's subset; as it is otherwise (the joint counts checked later,
    :func:`synsp.refining.input_layout.input_layout`). A one-line ``LayoutError`` when the names do not say
    which of ``layout``'s joints they are."""
    if layout is None or layout not in LAYOUTS or data.format not in _NAMES or data.layout == layout:
        return data
    own = data.extra.get(data.format) or {}
    if own.get("columns") is not None and data.layout is not None:
        data = _as_read(data)  # read as another layout's subset: told again as this one's
    elif data.layout is not None or np.shape(data.poses)[-2] >= len(LAYOUTS[layout].joints):
        return data
    names = list((data.extra.get(data.format) or {}).get(_NAMES[data.format]) or [])
    columns = joint_columns(names, layout)
    if names and None not in columns and len(set(columns)) == len(columns):
        return as_subset(data, layout, names, columns)
    count, has = len(LAYOUTS[layout].joints), np.shape(data.poses)[-2]
    strangers = [n for n, c in zip(names, columns) if c is None] or [  # else two names read as one joint
        n for n, c in zip(names, columns) if columns.count(c) > 1]
    shown = ", ".join(strangers[:6]) + (" ..." if len(strangers) > 6 else "")
    raise LayoutError(f"--layout {layout} has {count} joints but {where} has {has}, and its joint names do not say "
                      f"which of {layout}'s they are ({shown or 'no names'}; {layout}'s: "
                      f"{', '.join(LAYOUTS[layout].joints[:3])}, ...; left_wrist, LWrist, wrist_l read alike)")

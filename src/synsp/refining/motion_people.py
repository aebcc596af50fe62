"""``synsp refine`` on an SMPL file of several people stacked, people or frames first: each person refined on its
own, as a file of that person alone would be, and written back into the stack (:mod:`synsp.formats.smpl_people`).

A person absent from some frames (NaN there, zero-padded, or so marked by SLAHMR's ``track_mask``; in one person's file
too, where a frame wholly NaN, or marked so holding NaN, is absent) is refined in each span of frames it is present
in, those frames kept as they were; a person who cannot be read (absent throughout, numbers that are no rotations)
or refined keeps the input's numbers and the summary says why; the others are refined all the same. Options that
are wrong for every person (an unknown method's setting, a checkpoint of another kind) stop the run as for one
person.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from synsp.errors import CheckpointError, FormatError, OptionError
from synsp.formats.motion import JointMotion
from synsp.formats.smpl_people import part_name, people_note, person_tracks
from synsp.refining.summary import RefineSummary, summarize

__all__ = ["refine_people"]


def refine_people(people: list[JointMotion | str], refine: Callable[[JointMotion], tuple[JointMotion, list[str]]],
                  write: Callable[[list[JointMotion]], None], dst: Path, where: str) -> RefineSummary:
    """Refine each person of ``people`` (a motion, one per span of frames for a person absent from others, or the
    line "person p: why" for a person who could not be read) by ``refine`` (motion -> refined motion and its
    notes), ``write`` the refined ones into ``dst`` and return the summary: its figures over the refined people
    (one track each, NaN where absent, mm), its notes those every refined part had once, then each part's own,
    named ("person 1: ..."); ``where`` (the input) is taken off errors' starts. FormatError when no person could
    be refined."""
    failed = [why for why in people if isinstance(why, str)]
    done: list[tuple[JointMotion, JointMotion, list[str]]] = []
    for motion in people:
        if isinstance(motion, str):
            continue
        try:
            refined, notes = refine(motion)
        except (OptionError, CheckpointError):  # the same for every person: as for a file of one
            raise
        except ValueError as err:  # this person's numbers: the others are refined all the same
            failed.append(f"{part_name(motion.source)}: {str(err).removeprefix(f'{where}: ')}")
            continue
        done.append((motion, refined, notes))
    if not done:
        raise FormatError(f"{where}: no person of the file could be refined; " + "; ".join(failed))
    write([refined for _, refined, _ in done])
    source = done[0][0].source
    count, frames = np.shape(source["stacked"][source["pose_keys"][0]])[:2]
    keys = source["pose_keys"]  # the main array's shape, as person_count reads it: a split's body_pose, not a hand's
    shape = np.shape(source["stacked"][keys[1] if len(keys) > 1 else keys[0]])
    axis = source.get("person_axis", (False, ""))
    lone = bool(source.get("lone"))  # one person's file read as a stack of one (smpl_people.lone_person)
    shape = shape[1:] if lone else (shape[1], shape[0], *shape[2:]) if axis[0] else shape  # as the file holds it
    shared = [n for n in done[0][2] if all(n in notes for *_, notes in done)]
    own = [f"{part_name(motion.source)}: {n}" for motion, _, notes in done for n in notes if n not in shared]
    before = person_tracks([(motion.source, motion.positions()) for motion, _, _ in done], frames)
    after = person_tracks([(motion.source, refined.positions()) for motion, refined, _ in done], frames)
    spans = [part_name(motion.source) for motion, _, _ in done if "frames" in motion.source]
    padded = any(motion.source.get("padded") for motion, _, _ in done)
    holes = any(motion.source.get("holes") for motion, _, _ in done)
    note = people_note(count, shape, failed, spans, axis, padded, source.get("masked", False), lone, holes)
    return summarize(dst, before, after, "mm", [note, *source.get("notes", ()), *shared, *own])

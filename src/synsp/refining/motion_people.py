"""``synsp refine`` on an SMPL file of several people stacked, people or frames first: each person refined on its
own, as a file of that person alone would be, and written back into the stack (:mod:`synsp.formats.smpl_people`).

A person absent from some frames (NaN there, zero-padded, or so marked by SLAHMR's ``track_mask``; in one person's file
too, where a frame wholly NaN, or marked so holding NaN, is absent) is refined from the first frame it is present in
to the last as one motion, the frames missing between bridged (:func:`synsp.refining.missing_frames.refine_parts`,
as :func:`synsp.refine_smpl` bridges NaN rows: each span refined alone lost the network's context at every gap,
benchmarks/RESULTS.md section 14, "SMPL file frames missing"), and those frames kept as they were, so a person of a
stack comes out as that person's frames alone; a person who cannot be read (absent throughout, numbers that are no
rotations) or refined keeps the input's numbers and the summary says why; the others are refined all the same.
Options that are wrong for every person (an unknown method's setting, a checkpoint of another kind) stop the run as
for one person.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from synsp.errors import CheckpointError, FormatError, OptionError
from synsp.formats.motion import JointMotion
from synsp.formats.smpl_people import part_name, people_note, person_tracks
from synsp.refining.missing_frames import refine_parts
from synsp.refining.summary import RefineSummary, summarize

__all__ = ["refine_people"]


def refine_people(people: list[JointMotion | str], refine: Callable[[JointMotion], tuple[JointMotion, list[str]]],
                  write: Callable[[list[JointMotion]], None], dst: Path, where: str) -> RefineSummary:
    """Refine each person of ``people`` (a motion, one per span of frames for a person absent from others, or the
    line "person p: why" for a person who could not be read) by ``refine`` (motion -> refined motion and its
    notes; a person's spans as one motion, the frames between bridged), ``write`` the refined ones into ``dst`` and
    return the summary: its figures over the refined people (one track each, NaN where absent, mm), its notes
    those every refined person had once, then each person's own, named ("person 1: ..."); ``where`` (the input) is
    taken off errors' starts. FormatError when no person could be refined."""
    failed = [why for why in people if isinstance(why, str)]
    done: list[tuple[list[JointMotion], list[JointMotion], list[str]]] = []  # a person's parts, refined, notes
    for parts in _persons([m for m in people if not isinstance(m, str)]):
        try:
            refined, notes = _refined(parts, refine)
        except (OptionError, CheckpointError):  # the same for every person: as for a file of one
            raise
        except ValueError as err:  # this person's numbers: the others are refined all the same
            failed.append(f"{_name(parts)}: {str(err).removeprefix(f'{where}: ')}")
            continue
        done.append((parts, refined, notes))
    if not done:
        raise FormatError(f"{where}: no person of the file could be refined; " + "; ".join(failed))
    write([part for _, refined, _ in done for part in refined])
    source = done[0][0][0].source
    count, frames = np.shape(source["stacked"][source["pose_keys"][0]])[:2]
    keys = source["pose_keys"]  # the main array's shape, as person_count reads it: a split's body_pose, not a hand's
    shape = np.shape(source["stacked"][keys[1] if len(keys) > 1 else keys[0]])
    axis = source.get("person_axis", (False, ""))
    lone = bool(source.get("lone"))  # one person's file read as a stack of one (smpl_people.lone_person)
    shape = shape[1:] if lone else (shape[1], shape[0], *shape[2:]) if axis[0] else shape  # as the file holds it
    shared = [n for n in done[0][2] if all(n in notes for *_, notes in done)]
    own = [f"{_name(parts)}: {n}" for parts, _, notes in done for n in notes if n not in shared]
    before = person_tracks([(part.source, part.positions()) for parts, _, _ in done for part in parts], frames)
    after = person_tracks([(part.source, part.positions()) for _, refined, _ in done for part in refined], frames)
    spans = [_name(parts) for parts, _, _ in done if "frames" in parts[0].source]
    bridged = sum(parts[-1].source["frames"][1] - parts[0].source["frames"][0] - sum(len(p.rotations) for p in parts)
                  for parts, _, _ in done if len(parts) > 1)
    padded = any(parts[0].source.get("padded") for parts, _, _ in done)
    holes = any(parts[0].source.get("holes") for parts, _, _ in done)
    note = people_note(count, shape, failed, spans, axis, padded, source.get("masked", False), lone, holes, bridged)
    return summarize(dst, before, after, "mm", [note, *source.get("notes", ()), *shared, *own])


def _persons(motions: list[JointMotion]) -> list[list[JointMotion]]:
    """``motions`` (a file's people, a person's spans one after the other) as one list of parts per person."""
    persons: dict[int, list[JointMotion]] = {}
    for motion in motions:
        persons.setdefault(motion.source["person"], []).append(motion)
    return list(persons.values())


def _refined(parts: list[JointMotion], refine: Callable[[JointMotion], tuple[JointMotion, list[str]]]
             ) -> tuple[list[JointMotion], list[str]]:
    """One person's ``parts`` refined by ``refine``, and its notes: one part as it is, several as one motion with
    the frames between bridged (:func:`synsp.refining.missing_frames.refine_parts`)."""
    if len(parts) == 1:
        refined, notes = refine(parts[0])
        return [refined], notes
    said: list[str] = []

    def whole(motion: JointMotion) -> JointMotion:
        refined, notes = refine(motion)
        said.extend(notes)
        return refined

    return refine_parts(parts, whole), said


def _name(parts: list[JointMotion]) -> str:
    """"person 1" or "person 1, frames 10-59" (its first frame present to its last): :func:`part_name` of a person."""
    frames = parts[0].source.get("frames")
    if frames is None:
        return part_name(parts[0].source)
    return part_name({**parts[0].source, "frames": (frames[0], parts[-1].source["frames"][1])})

"""``synsp refine`` on an SMPL file of several people stacked on a leading person axis: each person refined on its
own, as a file of that person alone would be, and written back into the stack (:mod:`synsp.formats.smpl_people`).

A person who cannot be read (NaN in the poses, numbers that are no rotations) or refined keeps the input's numbers
and the summary says why; the others are refined all the same. Options that are wrong for every person (an unknown
method's setting, a checkpoint of another kind) stop the run as for one person.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np

from synsp.errors import CheckpointError, FormatError, OptionError
from synsp.formats.motion import JointMotion
from synsp.formats.smpl_people import people_note
from synsp.refining.summary import RefineSummary, summarize

__all__ = ["refine_people"]


def refine_people(people: list[JointMotion | str], refine: Callable[[JointMotion], tuple[JointMotion, list[str]]],
                  write: Callable[[list[JointMotion]], None], dst: Path, where: str) -> RefineSummary:
    """Refine each person of ``people`` (a motion, or the line saying why that person could not be read) by
    ``refine`` (motion -> refined motion and its notes), ``write`` the refined ones into ``dst`` and return the
    summary: its figures over the refined people (one track each, mm), its notes those every refined person had
    once, then each person's own, named ("person 1: ..."); ``where`` (the input) is taken off errors' starts.
    FormatError when no person could be refined."""
    failed = {p: why for p, why in enumerate(people) if isinstance(why, str)}
    done: list[tuple[int, JointMotion, JointMotion, list[str]]] = []
    for p, motion in enumerate(people):
        if isinstance(motion, str):
            continue
        try:
            refined, notes = refine(motion)
        except (OptionError, CheckpointError):  # the same for every person: as for a file of one
            raise
        except ValueError as err:  # this person's numbers: the others are refined all the same
            failed[p] = str(err).removeprefix(f"{where}: ")
            continue
        done.append((p, motion, refined, notes))
    if not done:
        raise FormatError(f"{where}: no person of the file could be refined; "
                          + "; ".join(f"person {p}: {why}" for p, why in sorted(failed.items())))
    write([refined for _, _, refined, _ in done])
    source = done[0][1].source
    shape = np.shape(source["stacked"][source["pose_keys"][-1]])
    shared = [n for n in done[0][3] if all(n in notes for *_, notes in done)]
    own = [f"person {p}: {n}" for p, *_, notes in done for n in notes if n not in shared]
    before = np.stack([motion.positions() for _, motion, _, _ in done])
    after = np.stack([refined.positions() for _, _, refined, _ in done])
    return summarize(dst, before, after, "mm", [people_note(len(people), shape, failed), *shared, *own])

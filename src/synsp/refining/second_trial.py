"""An unquoted ``synsp refine *.trc`` never overwrites a trial: OUT is optional for a TRC (Pose2Sim's
``<name>_filt_synsp.trc``), so the shell's ``trial1.trc trial2.trc`` reads as IN OUT."""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from synsp.errors import OutputExistsError, SynspError
from synsp.formats import read_poses
from synsp.sequence import body_size

__all__ = ["check_not_a_second_trial"]


def check_not_a_second_trial(src: Path, dst: Path | None) -> None:
    """Refuse, ``--force`` or not, an OUT that is another trial's TRC: OUT is optional for a TRC, so
    an unquoted ``synsp refine *.trc`` in a folder of two trials reads as IN OUT, and ``--force``
    (which the "exists" error suggests) would overwrite the second trial's data. An earlier output
    of IN is replaced: named after IN (``trial_filt_synsp.trc``), or IN's frames and markers within a
    tenth of the body's size of IN's."""
    if dst is None or not dst.is_file() or src.suffix.lower() != ".trc" or dst.suffix.lower() != ".trc":
        return
    after = dst.stem[len(src.stem):len(src.stem) + 1]
    if dst.stem.startswith(src.stem) and after and not after.isalnum():
        return
    try:
        with warnings.catch_warnings():  # a reader's warning (a row cut short) is said once, by the refine's read
            warnings.simplefilter("ignore")
            ours, theirs = read_poses(src).poses, read_poses(dst).poses
    except (SynspError, ValueError, OSError):
        ours = theirs = None
    if ours is not None and ours.shape == theirs.shape and \
            np.nanmedian(np.linalg.norm(ours - theirs, axis=-1)) < 0.1 * body_size(ours[0]):
        return
    raise OutputExistsError(f"{dst} is another TRC file, not IN's earlier output (a second trial, from an unquoted "
                            f"*.trc?); to refine every trial: synsp refine '{src.parent / '*.trc'}' OUTDIR; to "
                            f"replace {dst.name}, delete it first")

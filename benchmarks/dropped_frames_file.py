"""Frames dropped from a file with no times, through ``synsp refine IN OUT`` (the file route): audit 28's 2D case.

Audit 28's ``every 7th frame dropped`` (2D) case (``unseen_errors.py``: each validation clip's ``jitter`` estimate,
COCO-17 pixels, 1 frame in 7 left out, the truth alike) written as a 2D ``.npz`` with no time column, one clip a
file, and refined by :func:`synsp.refining.files.refine_file` (what ``synsp refine IN OUT --layout coco17 --fps 30
--method M`` runs) twice: as the route is (drops read, refined as gaps, taken out: ``refining.dropped_frames``) and
with no drop read (``uneven_times.dropped_in_tracks`` empty: the route before). Scores: MPJPE and Accel error (px;
3D: mm, h36m17, root-relative as ``make_cases`` gives it) against the truth at the file's frames, frame-weighted over
clips; the drops read against those made, per clip, and how many of those read are at a boundary that has them.
``--run K --every N``: K frames in a row left out every N (a detector that skips 3 frames every 20: ``--run 3
--every 20``). ``--guard``: no refinement; the drops read on the clips with none dropped, under every preset the
guard of ``dropped_frames`` was set on (none, clean-ish, typical, jitter, hard): each should read 0.
Validation split only. Run::

    SYNSP_DATA=../shared/data PYTHONPATH=src OMP_NUM_THREADS=1 .venv/bin/python benchmarks/dropped_frames_file.py \
        --max-clips 12 [--run 3 --every 20] [--space 3d] [--guard]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path
from unittest import mock

import numpy as np

import synsp.refining.uneven_times as uneven_times
from synsp.evaluation.protocol import make_cases, score
from synsp.formats import read_poses
from synsp.refining.dropped_frames import dropped_in_tracks
from synsp.refining.files import refine_file
from table_cells import x_input
from unseen_errors import dropped

METHODS = ("gaussian", "synsp")
EVERY = 7  # unseen_errors.dropped's default: the 4th frame of every 7
LAYOUT = {"2d": "coco17", "3d": "h36m17"}
GUARD_PRESETS = ("none", "clean-ish", "typical", "jitter", "hard")


def refined_file(noisy: np.ndarray, method: str, folder: Path, read_drops: bool, layout: str = "coco17") -> np.ndarray:
    """``noisy`` (T, J, C) written as an npz with no times and refined as ``synsp refine`` does: (T, J, C)."""
    src, dst = folder / "in.npz", folder / f"out_{method}.npz"
    np.savez(src, poses=noisy)
    read = dropped_in_tracks if read_drops else (lambda poses: np.zeros(0, int))
    with mock.patch.object(uneven_times, "dropped_in_tracks", read):
        refine_file(src, dst, method=method, layout=layout, fps=30.0, force=True)
    return read_poses(dst).poses[0]


def made_drops(frames: int, every: int, run: int) -> np.ndarray:
    """(D,) the kept frames after which frames were left out by ``dropped(.., every, run)``, one entry a frame left
    out (a run at the clip's end: none), as :func:`dropped_in_tracks` names them."""
    kept = dropped(np.arange(frames), "", every, run)
    steps = np.diff(kept)
    return np.repeat(np.flatnonzero(steps > 1), steps[steps > 1] - 1)


def right(read: np.ndarray, made: np.ndarray) -> int:
    """How many of the drops ``read`` are made there (the two multisets' intersection)."""
    frames, counts = np.unique(made, return_counts=True)
    have = dict(zip(frames.tolist(), counts.tolist()))
    return sum(min(n, have.get(f, 0)) for f, n in zip(*(a.tolist() for a in np.unique(read, return_counts=True))))


def guard(spaces: list[str], args: argparse.Namespace) -> None:
    """The drops read on the validation clips with none dropped, per preset and space; and on the ``jitter`` clips
    with ``args.run`` frames dropped every ``args.every``, those read against those made."""
    print(f"| space | {' | '.join(GUARD_PRESETS)} | {args.run} dropped every {args.every} (jitter): read / made, "
          "read where made |\n|---|" + "---:|" * (len(GUARD_PRESETS) + 1))
    for space in spaces:
        cases = {preset: make_cases("val", preset, layout=LAYOUT[space], space=space, max_clips=args.max_clips)
                 for preset in GUARD_PRESETS}
        counts = [sum(len(dropped_in_tracks(case.noisy)) for case in cases[preset]) for preset in GUARD_PRESETS]
        read = [dropped_in_tracks(dropped(case.noisy, "", args.every, args.run)) for case in cases["jitter"]]
        made = [made_drops(len(case.noisy), args.every, args.run) for case in cases["jitter"]]
        print(f"| {space} | {' | '.join(map(str, counts))} | {sum(map(len, read))} / {sum(map(len, made))}, "
              f"{sum(map(right, read, made))} |", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=12, help="the first N validation clips (0 = all 65)")
    parser.add_argument("--every", type=int, default=EVERY, help="frames dropped every N frames (from the 4th)")
    parser.add_argument("--run", type=int, default=1, help="frames dropped in a row each time")
    parser.add_argument("--space", nargs="+", choices=sorted(LAYOUT), default=["2d"])
    parser.add_argument("--guard", action="store_true", help="no refinement: drops read on clips with none dropped")
    args = parser.parse_args()
    if args.run < 1 or args.run + 3 > args.every:  # dropped at residues 3 .. run + 2 of every: all must be < every
        parser.error(f"--run {args.run} --every {args.every}: a run of 1 or more frames, from the 4th of every "
                     "--every frames, needs --every >= --run + 3")
    if args.guard:
        return guard(args.space, args)
    for space in args.space:
        run_space(space, args)


def run_space(space: str, args: argparse.Namespace) -> None:
    """Refined with drops read and not, scored; the tables for ``space``."""
    layout, unit = LAYOUT[space], "px" if space == "2d" else "mm"
    cases = make_cases("val", "jitter", layout=layout, space=space, max_clips=args.max_clips)
    rows: dict[str, list] = {name: [] for name in ("input", *(f"{m} {w}" for m in METHODS for w in ("before",
                                                                                                  "after")))}
    weights, clips = [], []
    with tempfile.TemporaryDirectory() as folder:
        for case in cases:
            noisy, truth = (dropped(x, layout, args.every, args.run) for x in (case.noisy, case.clean))
            made, read = made_drops(len(case.noisy), args.every, args.run), dropped_in_tracks(noisy)
            weights.append(len(truth))
            rows["input"].append(score(noisy, truth, layout=None, space=space))
            for method in METHODS:
                for when, drops in (("before", False), ("after", True)):
                    out = refined_file(noisy, method, Path(folder), drops, layout)
                    rows[f"{method} {when}"].append(score(out, truth, layout=None, space=space))
            clips.append(f"| {case.name} | {len(read)} / {len(made)} | {right(read, made)} | "
                         f"{rows['input'][-1]['MPJPE']:.2f} | {rows['synsp before'][-1]['MPJPE']:.2f} | "
                         f"{rows['synsp after'][-1]['MPJPE']:.2f} |")
            print(clips[-1], flush=True)
    table = {name: {k: float(np.average([v[k] for v in vals], weights=weights)) for k in ("MPJPE", "Accel")}
             for name, vals in rows.items()}
    print(f"\n### {args.run} frame(s) in a row dropped every {args.every} ({space}), synsp refine on an npz: "
          f"{len(cases)} val clips, {sum(weights)} frames, {unit}\n")
    print("| method | MPJPE before | after | Accel before | after |\n|---|---:|---:|---:|---:|")
    inputs = table["input"]
    print(f"| input | {inputs['MPJPE']:.2f} | {inputs['MPJPE']:.2f} | {inputs['Accel']:.2f} | {inputs['Accel']:.2f} |")
    for method in METHODS:
        before, after = table[f"{method} before"], table[f"{method} after"]
        mpjpe = x_input([inputs["MPJPE"], before["MPJPE"], after["MPJPE"]], 2)[1:]
        accel = x_input([inputs["Accel"], before["Accel"], after["Accel"]], 2)[1:]
        print(f"| {method} | {' | '.join(mpjpe)} | {' | '.join(accel)} |")
    print("\n| clip | drops read / made | read where made | input | SynSP before | after |\n"
          "|---|---:|---:|---:|---:|---:|")
    print("\n".join(clips))


if __name__ == "__main__":
    main()

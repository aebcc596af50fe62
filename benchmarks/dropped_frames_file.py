"""Frames dropped from a file with no times, through ``synsp refine IN OUT`` (the file route): audit 28's 2D case.

Audit 28's ``every 7th frame dropped`` (2D) case (``unseen_errors.py``: each validation clip's ``jitter`` estimate,
COCO-17 pixels, 1 frame in 7 left out, the truth alike) written as a 2D ``.npz`` with no time column, one clip a
file, and refined by :func:`synsp.refining.files.refine_file` (what ``synsp refine IN OUT --layout coco17 --fps 30
--method M`` runs) twice: as the route is (drops read, refined as gaps, taken out: ``refining.dropped_frames``) and
with no drop read (``uneven_times.dropped_in_tracks`` empty: the route before). Scores: MPJPE and Accel error (px)
against the truth at the file's frames, frame-weighted over clips; the drops read against those made, per clip.
Validation split only. Run::

    SYNSP_DATA=../shared/data PYTHONPATH=src OMP_NUM_THREADS=1 .venv/bin/python benchmarks/dropped_frames_file.py \
        --max-clips 12
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


def refined_file(noisy: np.ndarray, method: str, folder: Path, read_drops: bool) -> np.ndarray:
    """``noisy`` (T, J, 2) px written as an npz with no times and refined as ``synsp refine`` does: (T, J, 2)."""
    src, dst = folder / "in.npz", folder / f"out_{method}.npz"
    np.savez(src, poses=noisy)
    read = dropped_in_tracks if read_drops else (lambda poses: np.zeros(0, int))
    with mock.patch.object(uneven_times, "dropped_in_tracks", read):
        refine_file(src, dst, method=method, layout="coco17", fps=30.0, force=True)
    return read_poses(dst).poses[0]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=12, help="the first N validation clips (0 = all 65)")
    args = parser.parse_args()
    cases = make_cases("val", "jitter", layout="coco17", space="2d", max_clips=args.max_clips)
    rows: dict[str, list] = {name: [] for name in ("input", *(f"{m} {w}" for m in METHODS for w in ("before",
                                                                                                  "after")))}
    weights, clips = [], []
    with tempfile.TemporaryDirectory() as folder:
        for case in cases:
            noisy, truth = dropped(case.noisy, "coco17", EVERY), dropped(case.clean, "coco17", EVERY)
            kept = dropped(np.arange(len(case.noisy)), "coco17", EVERY)  # the frames' indices, by the same rule
            made = int((np.diff(kept) == 2).sum())  # drops between two kept frames (a last frame dropped: none)
            weights.append(len(truth))
            rows["input"].append(score(noisy, truth, layout=None, space="2d"))
            for method in METHODS:
                for when, read in (("before", False), ("after", True)):
                    out = refined_file(noisy, method, Path(folder), read)
                    rows[f"{method} {when}"].append(score(out, truth, layout=None, space="2d"))
            clips.append(f"| {case.name} | {len(dropped_in_tracks(noisy))} / {made} | {rows['input'][-1]['MPJPE']:.2f}"
                         f" | {rows['synsp before'][-1]['MPJPE']:.2f} | {rows['synsp after'][-1]['MPJPE']:.2f} |")
            print(clips[-1], flush=True)
    table = {name: {k: float(np.average([v[k] for v in vals], weights=weights)) for k in ("MPJPE", "Accel")}
             for name, vals in rows.items()}
    print(f"\n### every {EVERY}th frame dropped (2d), synsp refine on an npz: {len(cases)} val clips, "
          f"{sum(weights)} frames, px\n")
    print("| method | MPJPE before | after | Accel before | after |\n|---|---:|---:|---:|---:|")
    inputs = table["input"]
    print(f"| input | {inputs['MPJPE']:.2f} | {inputs['MPJPE']:.2f} | {inputs['Accel']:.2f} | {inputs['Accel']:.2f} |")
    for method in METHODS:
        before, after = table[f"{method} before"], table[f"{method} after"]
        mpjpe = x_input([inputs["MPJPE"], before["MPJPE"], after["MPJPE"]], 2)[1:]
        accel = x_input([inputs["Accel"], before["Accel"], after["Accel"]], 2)[1:]
        print(f"| {method} | {' | '.join(mpjpe)} | {' | '.join(accel)} |")
    print("\n| clip | drops read / made | input | SynSP before | after |\n|---|---:|---:|---:|---:|")
    print("\n".join(clips))


if __name__ == "__main__":
    main()

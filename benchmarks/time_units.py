"""A CSV's time column in milliseconds or microseconds under a name that says no unit (audit 34 #9).

Phone and MediaPipe loggers write ``time`` or ``timestamp`` in ms (or us). Each validation clip's estimate (COCO-17
pixels, every ``--step``-th frame kept: 15 fps at the default 2, so an assumed 30 fps is wrong) is written as a CSV
with its times in seconds (``time``), in ms (``time``) and in us (``timestamp``), refined by
:func:`synsp.refining.files.refine_file` with no ``--fps`` (what ``synsp refine IN OUT`` runs), and scored against
the truth at the same frames: MPJPE and Accel error (px), frame-weighted over clips, with the rate the route took.
Validation split only. Run::

    SYNSP_DATA=../shared/data PYTHONPATH=src OMP_NUM_THREADS=1 .venv/bin/python benchmarks/time_units.py \
        --max-clips 12 [--preset typical]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from synsp.evaluation.protocol import make_cases, score
from synsp.formats import read_poses
from synsp.refining.files import refine_file
from synsp.refining.uneven_times import with_file_rate
from synsp.skeleton import LAYOUTS

COLUMNS = (("time", 1.0, "s"), ("time", 1e3, "ms"), ("timestamp", 1e6, "us"))


def write_csv(path: Path, poses: np.ndarray, column: str, per_second: float, fps: float) -> None:
    """``poses`` (T, 17, 2) px as a COCO-17 CSV with a time column ``column`` in units of 1 / ``per_second`` s."""
    names = [f"{joint}_{axis}" for joint in LAYOUTS["coco17"].joints for axis in "xy"]
    rows = [",".join([f"{t / fps * per_second:.3f}"] + [f"{v:.2f}" for v in pose.ravel()])
            for t, pose in enumerate(poses)]
    path.write_text("\n".join([",".join([column, *names]), *rows]) + "\n")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=12)
    parser.add_argument("--preset", default="jitter")
    parser.add_argument("--step", type=int, default=2, help="keep every step-th frame (30 fps / step)")
    args = parser.parse_args()
    fps = 30.0 / args.step
    cases = make_cases("val", args.preset, layout="coco17", space="2d", max_clips=args.max_clips)
    rows = {"input": [], **{unit: [] for *_, unit in COLUMNS}}
    rates = {unit: set() for *_, unit in COLUMNS}
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            noisy, clean = case.noisy[::args.step], case.clean[::args.step]
            rows["input"].append((len(noisy), score(noisy, clean, layout="coco17", space="2d")))
            for column, per_second, unit in COLUMNS:
                src, dst = Path(tmp) / f"in_{unit}.csv", Path(tmp) / f"out_{unit}.csv"
                write_csv(src, noisy, column, per_second, fps)
                refine_file(src, dst, method="synsp", force=True)
                rates[unit].add(with_file_rate(read_poses(src)).fps)
                rows[unit].append((len(noisy), score(read_poses(dst).poses[0], clean, layout="coco17", space="2d")))
    print(f"{len(cases)} val clips, coco17 2D `{args.preset}`, {fps:g} fps, no --fps given\n")
    print("| time column | rate taken (fps) | MPJPE px (x input) | Accel px/frame^2 |\n|---|---|---:|---:|")
    base = None
    for name, scored in rows.items():
        frames = np.array([n for n, _ in scored], float)
        mpjpe, accel = (float(np.average([s[key] for _, s in scored], weights=frames)) for key in ("MPJPE", "Accel"))
        base = base or mpjpe  # the input's, the first row
        label = name if name == "input" else f"`{next(c for c, _, u in COLUMNS if u == name)}` in {name}"
        taken = ", ".join(sorted({"none (30 assumed)" if r is None else f"{r:.3g}" for r in rates.get(name, ())}))
        print(f"| {label} | {taken} | {mpjpe:.3f} ({mpjpe / base:.3f}) | {accel:.3f} |")

if __name__ == "__main__":
    main()

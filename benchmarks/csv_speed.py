"""How long the CSV reader and writer take on a long whole-body sequence.

9,000 frames (5 minutes at 30 fps) x 133 joints (COCO-WholeBody) x 2 coordinates with a
score per joint and 1% of the joints missing, written and read back by ``synsp.formats.csv``;
prints the seconds of each (best of ``--repeat``) and checks the round trip. ``--before REV``
also times the module as it was at git revision REV, alternating with today's in the same run
(the machine is shared: only figures from one run compare). Run:

    .venv/bin/python benchmarks/csv_speed.py [--frames 9000] [--joints 133] [--repeat 3] [--before fd1ac31]
"""
from __future__ import annotations

import argparse
import importlib.util
import subprocess
import tempfile
import time
from pathlib import Path

import numpy as np

from synsp.formats import PoseData
from synsp.formats import csv as csv_now


def module_at(rev: str, folder: Path, source: str = "src/synsp/formats/csv.py"):
    """The module at ``source`` (``synsp.formats.csv`` unless told; a path in the repository) as it was at git
    revision ``rev``, written into ``folder`` and imported from there."""
    root = Path(__file__).resolve().parents[1]
    text = subprocess.run(["git", "show", f"{rev}:{source}"], cwd=root, check=True, capture_output=True,
                          text=True).stdout
    name = f"{Path(source).stem}_{rev}"
    path = folder / f"{name}.py"
    path.write_text(text)
    spec = importlib.util.spec_from_file_location(name, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def time_round_trip(module, path: Path, data: PoseData) -> tuple[float, float, PoseData]:
    start = time.perf_counter()
    module.write(path, data)
    written = time.perf_counter() - start
    start = time.perf_counter()
    back = module.read(path)
    return written, time.perf_counter() - start, back


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=9000)
    parser.add_argument("--joints", type=int, default=133)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", help="also time synsp.formats.csv at this git revision")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    poses = rng.uniform(0, 1920, (1, args.frames, args.joints, 2))
    poses[rng.random(poses.shape[:3]) < 0.01] = np.nan
    scores = rng.uniform(0, 1, poses.shape[:3])
    data = PoseData(poses=poses, scores=scores, layout="coco133" if args.joints == 133 else None)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "poses.csv"
        modules = {"now": csv_now} | ({f"at {args.before}": module_at(args.before, Path(tmp))} if args.before else {})
        times = {name: [] for name in modules}
        for _ in range(args.repeat):
            for name, module in modules.items():
                written, read, back = time_round_trip(module, path, data)
                times[name].append((written, read))
                assert np.array_equal(np.isnan(back.poses), np.isnan(poses))
                assert np.allclose(back.poses, poses, equal_nan=True)
        size = path.stat().st_size / 1e6
    for name, runs in times.items():
        print(f"CSV {args.frames} frames x {args.joints} joints ({size:.1f} MB), {name}: "
              f"write {min(w for w, _ in runs):.2f} s, read {min(r for _, r in runs):.2f} s (best of {args.repeat})")


if __name__ == "__main__":
    main()

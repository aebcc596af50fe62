"""A layout given by name whose bones fit the poses worse than another known layout of the same joint count:
false alarms and detections of :func:`synsp.skeleton.bone_fit.better_layout` (what ``synsp refine --layout`` says).

For every validation clip under every preset (none, clean-ish, typical, hard, jitter, synthetic), 2D and 3D, in
each layout the clips convert to among those sharing a joint count (h36m17, coco17, smpl22, bandai22, body25), and
mpi17 (no conversion from the mocap, but the same 17 joint names as h36m17: its clips reordered by name; kinect25
has hand tips and thumbs no conversion gives, and is not measured): given its own layout, how often a better one is
named (false alarms, must be 0); given each other layout of its count, how often the true one is named (detections);
and the misfit ratios the threshold sits between. Then the files the README demo and the tests refine with
--layout of a shared count. Run:

    .venv/bin/python benchmarks/layout_fit.py [--presets none,typical,...] [--max-clips N] [--true mpi17,...]
"""
from __future__ import annotations

import argparse
import contextlib
import io
from pathlib import Path

import numpy as np

from synsp.evaluation.protocol import make_cases
from synsp.formats import read_poses
from synsp.paths import data_root
from synsp.skeleton import LAYOUTS, guessed_layout
from synsp.skeleton.bone_fit import better_layout, bone_misfit

TRUE = ["h36m17", "coco17", "smpl22", "bandai22", "body25", "mpi17"]
REORDERED = {"mpi17": "h36m17"}  # a true layout made from another's clips by joint name (the same names)
PRESETS = "none,clean-ish,typical,hard,jitter,synthetic"


def true_poses(true: str, preset: str, space: str, max_clips: int = 0) -> list[np.ndarray]:
    """The validation clips' inputs (T, J, C) under ``preset`` in layout ``true``: converted from the mocap, or for
    a layout of :data:`REORDERED` the other layout's, its joints taken in ``true``'s order by name."""
    source = REORDERED.get(true, true)
    order = [LAYOUTS[source].joints.index(name) for name in LAYOUTS[true].joints]
    return [np.asarray(case.noisy)[..., order, :]
            for case in make_cases("val", preset, layout=source, space=space, max_clips=max_clips)]


def _same_count(name: str) -> list[str]:
    return [n for n, layout in LAYOUTS.items() if len(layout.joints) == len(LAYOUTS[name].joints) and n != name]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--presets", default=PRESETS)
    parser.add_argument("--max-clips", type=int, default=0, help="the first N clips (0 = all)")
    parser.add_argument("--files-only", action="store_true", help="only the README demo and test fixtures")
    parser.add_argument("--true", default=",".join(TRUE), help="the true layouts measured")
    args = parser.parse_args()
    if args.files_only:
        return files()
    print("| space | true layout | cases | false alarms | true/best-other misfit, max | wrong layout given: "
          "named the true one | wrong/true misfit, min |\n|---|---|---:|---:|---:|---|---:|")
    for space in ("3d", "2d"):
        for true in args.true.split(","):
            cases = [x for p in args.presets.split(",") for x in true_poses(true, p, space, args.max_clips)]
            alarms, ratios, named, wrong_ratios = 0, [], {n: 0 for n in _same_count(true)}, []
            for x in cases:
                alarms += better_layout(x, true) is not None
                misfit = {n: bone_misfit(x, n) for n in (true, *named)}
                ratios.append(misfit[true] / min(misfit[n] for n in named))
                for wrong in named:
                    said = better_layout(x, wrong)
                    named[wrong] += said is not None and said[0] == true
                    wrong_ratios.append(misfit[wrong] / misfit[true])
            detections = ", ".join(f"{n}: {k} of {len(cases)}" for n, k in named.items())
            print(f"| {space.upper()} | {true} | {len(cases)} | {alarms} | {max(ratios):.3f} | {detections} | "
                  f"{min(wrong_ratios):.3f} |", flush=True)
    files()


def files() -> None:
    """The README demo's MediaPipe file and every test fixture synsp reads: given the layout synsp reads it as
    (the file's, else told by its joint count), is a better one named? Only counts other layouts share can be."""
    fixtures = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
    paths = [data_root() / "mediapipe-sports2d" / "demo_mediapipe.npz",
             *sorted(p for p in fixtures.rglob("*") if p.suffix != ".py" and p.parent.name not in (
                 "openpose_body25", "openpose_coco18") and p.is_file()),
             fixtures / "formats" / "openpose_body25", fixtures / "formats" / "openpose_coco18"]
    read = checked = alarms = 0
    for path in paths:
        try:
            with contextlib.redirect_stderr(io.StringIO()):
                data = read_poses(path)
        except Exception:  # not a pose file on its own (a script's input, a stream log): nothing to give
            continue
        read += 1
        poses = np.array(data.poses, np.float64)
        if data.scores is not None:
            poses[data.scores < 0.3] = np.nan
        layout = data.layout or guessed_layout(poses)
        if layout not in LAYOUTS or not _same_count(layout):
            continue
        checked += 1
        said = better_layout(poses, layout)
        alarms += said is not None
        print(f"{path.relative_to(path.parents[2])}: {layout}, {'better: ' + said[0] if said else 'no alarm'}")
    print(f"files read: {read}; of a layout whose joint count another shares: {checked}; false alarms: {alarms}")


if __name__ == "__main__":
    main()

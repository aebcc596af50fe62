"""TRC and C3D files whose stated unit is not millimetres: read right, refined alike, written back in the same unit.

A TRC's ``Units`` field and a C3D's ``POINT:UNITS`` say the unit of the file's values; synsp reads them into
millimetres and writes the refined values back in the file's unit (``synsp.formats.trc``, ``synsp.formats.c3d``).
Each validation clip under ``typical`` (h36m17, mm) is written as a TRC (Pose2Sim's marker names, synsp's writer)
and a C3D (the ``c3d`` package's writer) in millimetres and in each other unit (OpenSim's Units names: m, dm, cm,
mm, in, ft and the long spellings), its values divided by the unit. Per unit: how many files are read, the largest
difference (mm) of the values read from those of the millimetre file, and after ``refine_file`` (SynSP) the unit
the output states and the largest difference (mm) of its values, read back, from the millimetre file's output.
Run:

    .venv/bin/python benchmarks/stated_units.py --split val --max-clips 8
"""
from __future__ import annotations

import argparse
import tempfile
import warnings
from pathlib import Path

import numpy as np

from synsp.errors import SynspError
from synsp.evaluation.protocol import make_cases
from synsp.formats import PoseData, read_poses, write_poses
from synsp.refining.files import refine_file
from synsp.skeleton import get_layout

# the unit as a file spells it -> millimetres per unit (OpenSim's Units names; C3D writers' short ones)
SPELLINGS = {"mm": 1.0, "m": 1000.0, "meters": 1000.0, "cm": 10.0, "dm": 100.0, "in": 25.4, "inches": 25.4,
             "ft": 304.8, "feet": 304.8}
C3D_UNITS = ("mm", "m", "cm", "dm", "in", "ft")


def trc_in(mm_file: Path, dst: Path, unit: str) -> None:
    """``mm_file`` (a TRC in mm) with its values divided by ``SPELLINGS[unit]`` and ``Units`` = ``unit``."""
    lines = mm_file.read_text().splitlines()
    keys, values = lines[1].split("\t"), lines[2].split("\t")
    values[keys.index("Units")] = unit
    lines[2] = "\t".join(values)
    for n in range(5, len(lines)):
        cells = lines[n].split("\t")
        cells[2:] = [f"{float(c) / SPELLINGS[unit]:.9g}" if c.strip() else c for c in cells[2:]]
        lines[n] = "\t".join(cells)
    dst.write_text("\n".join(lines) + "\n")


def c3d_in(mm: np.ndarray, dst: Path, unit: str) -> None:
    """(T, J, 3) mm written as a C3D of h36m17's joint names, in ``unit``, by the ``c3d`` package."""
    import c3d  # an optional dependency: synsp[c3d]
    writer = c3d.Writer(point_rate=30.0, point_scale=-1.0, point_units=unit.ljust(4))
    writer.set_point_labels(list(get_layout("h36m17").joints))
    points = np.zeros(mm.shape[:2] + (5,), np.float32)
    points[..., :3] = mm / SPELLINGS[unit]
    writer.add_frames([(frame, np.zeros((0, 0), np.float32)) for frame in points])
    with open(dst, "wb") as handle:
        writer.write(handle)


def stated(path: Path) -> str:
    """The unit an output file states."""
    if path.suffix == ".trc":
        lines = path.read_text().splitlines()
        return lines[2].split("\t")[lines[1].split("\t").index("Units")]
    return str(read_poses(path).extra["c3d"]["units"])


def main() -> None:
    warnings.filterwarnings("ignore")
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=8)
    args = parser.parse_args()
    cases = make_cases(args.split, "typical", layout="h36m17", space="3d", max_clips=args.max_clips)
    rows: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        for case in cases:
            noisy = np.asarray(case.noisy, np.float64)
            base = tmp / "mm.trc"
            write_poses(base, PoseData(poses=noisy[None], layout="h36m17", fps=30.0, extra={"trc": {"units": "mm"}}))
            files = [(f"trc {unit}", unit, trc_in, base) for unit in SPELLINGS] + \
                [(f"c3d {unit}", unit, c3d_in, noisy) for unit in C3D_UNITS]
            ref: dict[str, tuple] = {}
            for key, unit, make, source in files:
                kind = key.split()[0]
                src, dst = tmp / f"{unit}.{kind}", tmp / f"out_{unit}.{kind}"
                make(source, src, unit)
                row = rows.setdefault(key, {"read": 0, "read_diff": 0.0, "out": set(), "out_diff": 0.0})
                try:
                    read = read_poses(src).poses[0]
                    refine_file(src, dst, fps=30, force=True)
                except (SynspError, ValueError) as error:
                    row.setdefault("error", str(error).split(": ", 1)[1][:90])
                    continue
                out, said = read_poses(dst).poses[0], stated(dst)
                if unit == "mm":
                    ref[kind] = (read, out)
                row["read"] += 1
                row["read_diff"] = max(row["read_diff"], float(np.nanmax(np.abs(read - ref[kind][0]))))
                row["out"].add(said)
                row["out_diff"] = max(row["out_diff"], float(np.nanmax(np.abs(out - ref[kind][1]))))
    print(f"{len(cases)} clips ({args.split}, typical, h36m17)\n")
    print("| file, stated unit | read | read vs mm file (max, mm) | output states | refined vs mm file's (max, mm) |")
    print("|---|---:|---:|---|---:|")
    for key, row in rows.items():
        if row["read"] == 0:
            print(f"| {key} | 0 | refused: {row.get('error', '')} | | |")
            continue
        print(f"| {key} | {row['read']} | {row['read_diff']:.2g} | {', '.join(sorted(row['out']))} | "
              f"{row['out_diff']:.2g} |")


if __name__ == "__main__":
    main()

"""A 3D array's length unit read by ``synsp refine`` (audit 33, finding 10: a clip in inches read as centimetres,
its summary's mm 2.54 times too small, ``--units`` refused for arrays): the unit told from the body's size, the
``units:`` line's doubt, and ``--units`` given.

Each validation clip under ``typical`` (h36m17, mm) written as a .npy in millimetres, metres, centimetres and inches:
``refine_file`` without ``--units`` (how many clips get the line that says the body is no person's size in the unit
read and names another, and the summary's mean displacement against the true one in mm) and with ``--units`` the
clip's unit; and the root-relative MPJPE (mm, pelvis) of both outputs against the clean clip. Run:

    .venv/bin/python benchmarks/file_units.py --split val
"""
from __future__ import annotations

import argparse
import tempfile
import warnings
from pathlib import Path

import numpy as np

from human_sizes import child_factors, stature  # audit 23's child proportions, a clip's stature
from synsp.errors import SynspError
from synsp.evaluation.protocol import make_cases
from synsp.metrics import mpjpe, root_relative
from synsp.refining.files import refine_file
from synsp.skeleton import get_layout, reproportion
from synsp.units import LENGTH_UNITS

UNITS = ("mm", "m", "cm", "in")
DOUBT = "if the file is in"  # the units: line of a body no person's size as read, naming the unit that fits




def main() -> None:
    warnings.filterwarnings("ignore")  # numpy's all-NaN slices of the summary's figures
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=0)
    args = parser.parse_args()
    cases = make_cases(args.split, "typical", layout="h36m17", space="3d", max_clips=args.max_clips)
    stats = {unit: {"doubt": 0, "shown": [], "true": [], "given": [], "err": [], "err_given": []} for unit in UNITS}
    with tempfile.TemporaryDirectory() as tmp:
        for case in cases:
            noisy = np.asarray(case.noisy, np.float64)
            for unit in UNITS:
                mm = LENGTH_UNITS[unit].mm
                src, s = Path(tmp) / f"{unit}.npy", stats[unit]
                np.save(src, (noisy / mm).astype(np.float32))
                told = refine_file(src, Path(tmp) / "out.npy", fps=30, force=True)
                out = np.load(Path(tmp) / "out.npy").astype(np.float64) * mm
                s["doubt"] += any(DOUBT in note for note in told.notes)
                s["shown"].append(told.displacement)
                s["true"].append(float(np.nanmean(np.linalg.norm(out - noisy, axis=-1))))
                s["err"].append(mpjpe(root_relative(out), root_relative(case.clean)))
                try:
                    given = refine_file(src, Path(tmp) / "given.npy", fps=30, force=True, units=unit)
                except SynspError as error:  # --units refused (before this change: a BVH's only)
                    s["given"].append(np.nan)
                    s.setdefault("refused", str(error).split(": ", 1)[1])
                    continue
                s["given"].append(given.displacement)
                given_out = np.load(Path(tmp) / "given.npy").astype(np.float64) * mm
                s["err_given"].append(mpjpe(root_relative(given_out), root_relative(case.clean)))
    for unit, s in stats.items():
        print(f"{unit}: {len(cases)} clips, units line doubting the unit read {s['doubt']}; mean displacement "
              f"(mm): true {np.mean(s['true']):.2f}, summary {np.mean(s['shown']):.2f}, with --units {unit} "
              f"{np.mean(s['given']):.2f}; MPJPE ({len(s['err'])} clips) {np.mean(s['err']):.2f}, with --units "
              f"{np.mean(s['err_given']) if s['err_given'] else float('nan'):.2f}" +
              (f" (--units refused: {s['refused']})" if "refused" in s else ""), flush=True)
    # children in centimetres (the clip scaled to a stature, adults' and a child's proportions): read as
    # centimetres, are they taken for inches? the units: line alone, no refinement
    try:
        from synsp.refining.file_units import three_d_unit
    except ImportError:  # before the units: line could doubt (main at 8d42fa5b): the part above compares
        return
    layout = get_layout("h36m17")
    for metres in (0.8, 1.0, 1.3):
        doubted = {"adult proportions": 0, "child proportions": 0}
        for case in cases:
            clean = np.asarray(case.clean, np.float64)
            kid = reproportion(clean, layout, child_factors(layout.joints))
            for kind, body in (("adult proportions", clean), ("child proportions", kid)):
                cm = np.asarray(case.noisy, np.float64) * (metres / stature(clean)) / 10 if body is clean else \
                    make_cases(args.split, "typical", clips={case.name: (kid * metres / stature(kid)).astype(
                        np.float32)})[0].noisy / 10.0
                doubted[kind] += any(DOUBT in note for note in three_d_unit(cm[None], "npy", "h36m17")[2])
        print(f"a {metres:g} m child in centimetres ({len(cases)} clips, typical): units line doubting the unit "
              f"read, {', '.join(f'{kind} {n}' for kind, n in doubted.items())}", flush=True)


if __name__ == "__main__":
    main()

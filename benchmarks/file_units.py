"""A 3D array's length unit read by ``synsp refine`` and ``synsp evaluate`` (audit 33, finding 10: a clip in inches
read as centimetres, its summary's mm 2.54 times too small): the unit told from the body's size (inches read so when
no other unit makes the body a person and as centimetres it would be no walking child's), the ``units:`` line's doubt,
and ``--units`` given.

Each validation clip under ``typical`` (h36m17, mm) written as a .npy in millimetres, metres, centimetres and inches:
``refine_file`` without ``--units`` (how many clips are read as inches by their size, how many get the line that says
the body is no person's size in the unit read and names another, and the summary's mean displacement against the
true one in mm) and with ``--units`` the clip's unit; the root-relative MPJPE (mm, pelvis) of both outputs against
the clean clip; and ``synsp evaluate``'s (``score_files``, SynSP) MPJPE of the clip and its truth in that unit,
without and with ``--units``, on the first ``--evaluate-clips``. Then the bodies that must not be read as inches:
each clip scaled to a child's stature in centimetres (adults' and audit 23's child proportions;
``benchmarks/human_sizes.py``'s) and to tall adults in centimetres, and adults of several statures in inches, with
``--preset``'s errors: the ``units:`` line alone. Run:

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
from synsp.evaluation.files import score_files
from synsp.evaluation.protocol import make_cases
from synsp.metrics import mpjpe, root_relative
from synsp.refining.file_units import three_d_unit
from synsp.refining.files import refine_file
from synsp.sequence import body_size
from synsp.skeleton import get_layout, reproportion
from synsp.units import LENGTH_UNITS

UNITS = ("mm", "m", "cm", "in")
DOUBT = "if the file is in"  # the units: line of a body no person's size as read, naming the unit that fits
TOLD = "read as inches, told"  # the units: line of a body read as inches by its size


def _given_run(src: Path, dst: Path, unit: str) -> tuple[float, str | None]:
    """``refine_file`` with ``--units unit``: (the summary's displacement, None) or (NaN, the refusal)."""
    try:
        return refine_file(src, dst, fps=30, force=True, units=unit).displacement, None
    except SynspError as error:  # --units refused (before 2026-12-07: a BVH's only)
        return float("nan"), str(error).split(": ", 1)[1]


def _evaluated(noisy: np.ndarray, clean: np.ndarray, units: str | None) -> float:
    """SynSP's MPJPE (mm) as ``synsp evaluate --input --truth`` scores it; NaN where ``units`` is not taken."""
    try:
        return score_files(noisy, clean, methods=["synsp"], fps=30, **({} if units is None else {"units": units}))[
            0]["synsp"]["MPJPE"]
    except TypeError:  # no --units for evaluate (before this change)
        return float("nan")


def main() -> None:
    warnings.filterwarnings("ignore")  # numpy's all-NaN slices of the summary's figures
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=0)
    parser.add_argument("--evaluate-clips", type=int, default=16)
    parser.add_argument("--preset", nargs="+", default=["typical"], help="the errors of the bodies' part")
    parser.add_argument("--bodies-only", action="store_true", help="only the bodies that must not read as inches")
    args = parser.parse_args()
    cases = make_cases(args.split, "typical", layout="h36m17", space="3d", max_clips=args.max_clips)
    stats = {unit: {"told": 0, "doubt": 0, "shown": [], "true": [], "given": [], "err": [], "err_given": [],
                    "eval": [], "eval_given": []} for unit in UNITS}
    with tempfile.TemporaryDirectory() as tmp:
        for n, case in enumerate(cases if not args.bodies_only else []):
            noisy = np.asarray(case.noisy, np.float64)
            for unit in UNITS:
                mm = LENGTH_UNITS[unit].mm
                src, s = Path(tmp) / f"{unit}.npy", stats[unit]
                np.save(src, (noisy / mm).astype(np.float32))
                told = refine_file(src, Path(tmp) / "out.npy", fps=30, force=True)
                out = np.load(Path(tmp) / "out.npy").astype(np.float64) * mm
                s["told"] += any(TOLD in note for note in told.notes)
                s["doubt"] += any(DOUBT in note for note in told.notes)
                s["shown"].append(told.displacement)
                s["true"].append(float(np.nanmean(np.linalg.norm(out - noisy, axis=-1))))
                s["err"].append(mpjpe(root_relative(out), root_relative(case.clean)))
                shown, refused = _given_run(src, Path(tmp) / "given.npy", unit)
                s["given"].append(shown)
                if refused is not None:
                    s.setdefault("refused", refused)
                else:
                    given_out = np.load(Path(tmp) / "given.npy").astype(np.float64) * mm
                    s["err_given"].append(mpjpe(root_relative(given_out), root_relative(case.clean)))
                if n < args.evaluate_clips:
                    clean = np.asarray(case.clean, np.float64) / mm
                    s["eval"].append(_evaluated(noisy / mm, clean, None))
                    s["eval_given"].append(_evaluated(noisy / mm, clean, unit))
    for unit, s in stats.items():
        if args.bodies_only:
            break
        print(f"{unit}: {len(cases)} clips, read as inches by the size {s['told']}, units line doubting the unit "
              f"read {s['doubt']}; mean displacement (mm): true {np.mean(s['true']):.2f}, summary "
              f"{np.mean(s['shown']):.2f}, with --units {unit} {np.mean(s['given']):.2f}; MPJPE ({len(s['err'])} "
              f"clips) {np.mean(s['err']):.2f}, with --units "
              f"{np.mean(s['err_given']) if s['err_given'] else float('nan'):.2f}" +
              (f" (--units refused: {s['refused']})" if "refused" in s else "") +
              f"; evaluate's SynSP MPJPE ({len(s['eval'])} clips) {np.mean(s['eval']):.2f}, with --units "
              f"{np.mean(s['eval_given']):.2f}", flush=True)
    # bodies that must not be read as inches (children and tall adults in centimetres), and adults in inches:
    # read as centimetres, are they read as (or doubted for) inches? the units: line alone, no refinement
    layout = get_layout("h36m17")
    bodies = [("cm", metres, kind) for metres in (0.6, 0.7, 0.75, 0.8, 1.0, 1.3) for kind in ("adult", "child")] + \
        [("cm", metres, "adult") for metres in (1.9, 2.1)] + \
        [("in", metres, "adult") for metres in (1.5, 1.6, 1.7, 1.9, 2.1)]
    for preset in args.preset:
        for unit, metres, kind in bodies:
            told = doubted = 0
            sizes = []
            for case in cases:
                clean = np.asarray(case.clean, np.float64)
                body = reproportion(clean, layout, child_factors(layout.joints)) if kind == "child" else clean
                body = (body * metres / stature(body)).astype(np.float32)
                noisy = make_cases(args.split, preset, clips={case.name: body})[0].noisy / LENGTH_UNITS[unit].mm
                notes = three_d_unit(noisy[None], "npy", "h36m17")[2]
                sizes.append(body_size(noisy))
                told += any(TOLD in note for note in notes)
                doubted += any(DOUBT in note for note in notes)
            print(f"{preset}: a {metres:g} m {'child' if metres < 1.5 else 'person'} in {unit} ({kind} proportions, "
                  f"{len(cases)} clips): read as inches {told}, units line doubting the unit read {doubted}; body size "
                  f"{min(sizes):.1f}-{max(sizes):.1f} units", flush=True)


if __name__ == "__main__":
    main()

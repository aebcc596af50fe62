"""Joint rotations (SMPL): input vs filters on the rotation manifold, after forward kinematics.

Ground truth: the mocap clips retargeted to the SMPL tree (:mod:`synsp.data.smpl_mocap`);
input: the rotation error simulator (:mod:`synsp.data.rotation_errors`, preset ``3dpw-pare``,
one fixed seed per clip). Every filter of ``synsp.filters.FILTER_GRIDS`` runs on the rotation
manifold in each form of :data:`synsp.rotations.filters.SPACES`, with its setting and the form
chosen on the validation split (lowest MPJPE); the test split only gives the final figures.
A Gaussian on unwrapped Euler angles (ZXY, as a BVH would hold them), tuned alike, shows what
the manifold buys.

Metrics, frame-weighted over clips, on root-relative positions (pelvis at the origin) of the
SMPL template skeleton after forward kinematics: MPJPE (mm), Accel (acceleration error,
mm/frame^2), and the mean geodesic angle error of the 24 local rotations (degrees).

    .venv/bin/python benchmarks/rotations.py               # tune on val, table on test
    .venv/bin/python benchmarks/rotations.py --calibrate   # the preset's input figures on val
    .venv/bin/python benchmarks/rotations.py --checkpoints synsp=runs/synsp-smpl24-rotation/best.pt \
        smoothnet=runs/smoothnet-smpl24-rotation/best.pt   # adds rows for networks trained on rotations
    .venv/bin/python benchmarks/rotations.py --no-filters --preset none \
        --checkpoints "synsp=synsp-smpl24" "network alone=synsp-smpl24:raw"   # how far clean motion is moved

A checkpoint's ``:raw`` suffix turns off the rest frames kept
(:func:`synsp.inference.rotation_refiner.keep_rest_frames`): the network alone; ``:kept``
turns them on (SynSP's default, not SmoothNet's).
"""
from __future__ import annotations

import argparse
import time

import numpy as np

from synsp.data.rotation_errors import ROTATION_PRESETS
from synsp.evaluation.rotations import evaluate_rotations, rotation_cases, rotation_network
from synsp.filters import FILTER_GRIDS, gaussian
from synsp.rotations.conversions import euler_from_matrix, matrix_from_euler
from synsp.rotations.filters import ROTATION_DEFAULT, SPACES, smooth_rotations

SEED = 2024
METHODS = ("gaussian", "savgol", "one-euro", "butterworth", "median", "hampel")


def euler_gaussian(rotations: np.ndarray, **options) -> np.ndarray:
    """Gaussian filter on unwrapped ZXY Euler angles: the naive way, for comparison."""
    angles = np.unwrap(euler_from_matrix(rotations, "ZXY"), period=360.0, axis=0)
    return matrix_from_euler(gaussian(angles, **options), "ZXY")


def tune(runs, method: str) -> tuple[str, dict, dict[str, float], dict[str, dict[str, float]]]:
    """Best (space, options) of ``method`` on ``runs`` by MPJPE; also each space's best score."""
    best, per_space = None, {}
    for space in SPACES:
        for options in FILTER_GRIDS[method]:
            result = evaluate_rotations(lambda r: smooth_rotations(r, method, space=space, **options), runs)
            if space not in per_space or result["MPJPE"] < per_space[space]["MPJPE"]:
                per_space[space] = result
            if best is None or result["MPJPE"] < best[2]["MPJPE"]:
                best = (space, options, result)
    return (*best, per_space)


def calibrate(preset: str, max_clips: int) -> str:
    runs = rotation_cases("val", preset, SEED, max_clips)
    s = evaluate_rotations(lambda r: r, runs)
    return (f"preset {preset}, val split ({len(runs)} clips): input MPJPE {s['MPJPE']:.1f} mm, "
            f"Accel {s['Accel']:.1f} mm/frame^2, angle error {s['Angle']:.1f} deg "
            "(target 3DPW-PARE: 78.9 mm, 25.7 mm/frame^2)")


def run(preset: str, max_clips: int, checkpoints: dict[str, str] | None = None, filters: bool = True) -> str:
    start = time.time()
    val, test = (rotation_cases(split, preset, SEED, max_clips) for split in ("val", "test"))
    chosen, val_rows = {}, []
    for method in METHODS if filters else ():
        space, options, _, per_space = tune(val, method)
        chosen[method] = (space, options)
        val_rows.append(f"| {method} | " + " | ".join(f"{per_space[s]['MPJPE']:.1f}" for s in SPACES) + " |")
    euler_best = min(FILTER_GRIDS["gaussian"],
                     key=lambda o: evaluate_rotations(lambda r: euler_gaussian(r, **o), val)["MPJPE"]) \
        if filters else None
    rows = ["| method | form (val) | setting (val) | MPJPE (mm) | angle (deg) | Accel (mm/frame^2) |",
            "|---|---|---|---:|---:|---:|"]

    def row(name, form, setting, fn):
        s = evaluate_rotations(fn, test)
        rows.append(f"| {name} | {form} | {setting} | {s['MPJPE']:.1f} | {s['Angle']:.2f} | {s['Accel']:.2f} |")

    row("input", "-", "-", lambda r: r)
    for method, (space, options) in chosen.items():
        row(method, space, ", ".join(f"{k}={v}" for k, v in options.items()),
            lambda r, m=method, s=space, o=options: smooth_rotations(r, m, space=s, **o))
    if filters:
        row("gaussian on Euler angles", "ZXY unwrapped", ", ".join(f"{k}={v}" for k, v in euler_best.items()),
            lambda r: euler_gaussian(r, **euler_best))
    method, options = ROTATION_DEFAULT
    row(f"the default filter ({method})", options.get("space", "-"),
        ", ".join(f"{k}={v}" for k, v in options.items() if k != "space"),
        lambda r: smooth_rotations(r, method, **options))
    for name, spec in (checkpoints or {}).items():
        row(name, "6D", spec, rotation_network(spec))
    frames = sum(len(c.clean) for c in test)
    head = (f"Rotations, SMPL 24 joints, preset {preset}: test split {len(test)} clips, {frames} frames "
            f"(filters and forms chosen on val: {len(val)} clips); {time.time() - start:.0f} s.")
    val_table = ["Validation MPJPE (mm) of each filter at its best setting, by form:", "",
                 "| filter | " + " | ".join(SPACES) + " |", "|---|" + "---:|" * len(SPACES), *val_rows]
    return "\n".join([head, "", *rows] + (["", *val_table] if filters else []))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="3dpw-pare", choices=[*ROTATION_PRESETS, "none"],
                        help="none: the clean motion as input (how far each method moves it)")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips of each split (0 = all)")
    parser.add_argument("--calibrate", action="store_true", help="print the preset's input figures on val")
    parser.add_argument("--checkpoints", nargs="*", default=[], metavar="NAME=PATH",
                        help="networks trained on rotations to add as rows (synsp train, [data] space = rotation)")
    parser.add_argument("--no-filters", action="store_true",
                        help="only the input and --checkpoints rows (the filters' rows take most of the time)")
    args = parser.parse_args()
    checkpoints = dict(item.split("=", 1) for item in args.checkpoints)
    print(calibrate(args.preset, args.max_clips) if args.calibrate
          else run(args.preset, args.max_clips, checkpoints, filters=not args.no_filters))


if __name__ == "__main__":
    main()

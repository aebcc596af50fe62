"""Short clips (a sliding buffer, a trimmed gesture): does each refiner keep every frame of them?

The split's clean clips (3D Human3.6M-17 mm; 2D COCO-17 px through the protocol's random cameras,
``make_cases(split, "none")``) are cut into pieces of each ``--frames`` count at three starts (frames 0, 60,
120), given white Gaussian noise (8 mm or 3 px per coordinate, seeded per piece) and refined at 30 fps.
Cells: MPJPE / Accel over the pieces, then the worst frame position's mean error (the middle frame of a
9-frame clip was one, a user audit found: RESULTS section 10, "Short clips"). ``--positions`` adds a table of
each method's mean error on the first three frames, the frames between and the last three. Run:

    .venv/bin/python benchmarks/short_clips.py [--split val] [--clips 8] [--frames 9 10 12 20 40] [--positions]

``--cuts`` measures instead clips around and below the network's 8-frame window (RESULTS section 10, "Clips
shorter than the network's window"): the split's clips of each ``--layouts`` entry (space/layout) cut to each
``--frames`` count at several starts (:data:`CUT_STARTS`), under each ``--presets`` error ("none": the clean poses
themselves), refined by every method of :data:`CUT_METHODS` at 30 fps. Cells: MPJPE against the clean poses (for
"none": how far each method moved them), the best in bold:

    .venv/bin/python benchmarks/short_clips.py --cuts [--split val] [--clips 6] [--frames 3 5 7 10 15 24]
        [--layouts 3d/h36m17 3d/halpe26 2d/coco17 2d/halpe26] [--presets none clean-ish typical jitter]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.metrics import accel_error, mpjpe

METHODS = ("input", "synsp", "smoothnet", "butterworth", "savgol")
NOISE = {"3d": 8.0, "2d": 3.0}
STARTS = (0, 60, 120)
CUT_METHODS = ("input", "synsp", "smoothnet", "butterworth", "gaussian", "one-euro")
CUT_STARTS = (0, 40, 80, 120)


def _refined(noisy: np.ndarray, method: str, layout: str) -> np.ndarray:
    """``noisy`` (T, J, C) refined by ``method`` of :data:`CUT_METHODS` at 30 fps (the networks told the layout)."""
    if method == "input":
        return noisy
    return synsp.refine(noisy, method, fps=30, layout=layout if method in ("synsp", "smoothnet") else None)


def cuts(args: argparse.Namespace) -> None:
    """The ``--cuts`` tables: MPJPE of every method on clips cut short, one table per space/layout."""
    start = time.time()
    print(f"{args.split} split, {args.clips} clips cut at frames {', '.join(map(str, CUT_STARTS))} (where the clip "
          f"is long enough); MPJPE against the clean poses (preset none: how far each method moved them)")
    for entry in args.layouts:
        space, layout = entry.split("/")
        print(f"\n{space.upper()} {layout} ({'mm' if space == '3d' else 'px'})\n")
        print("| preset | frames | pieces | " + " | ".join(CUT_METHODS) + " |")
        print("|---|---:|---:|" + "---:|" * len(CUT_METHODS))
        for preset in args.presets:
            cases = make_cases(args.split, preset, layout=layout, space=space, max_clips=args.clips)
            for frames in args.frames:
                errors = {m: [] for m in CUT_METHODS}
                for case in cases:
                    for begin in CUT_STARTS:
                        clean = np.asarray(case.clean[begin:begin + frames], np.float64)
                        if len(clean) < frames:
                            continue
                        noisy = np.asarray(case.clean if preset == "none" else case.noisy, np.float32)
                        noisy = noisy[begin:begin + frames]
                        for method in CUT_METHODS:
                            out = np.asarray(_refined(noisy, method, layout), np.float64)
                            errors[method].append(mpjpe(out, clean))
                best = min(np.mean(errors[m]) for m in CUT_METHODS)
                cells = [f"**{np.mean(e):.2f}**" if np.mean(e) == best else f"{np.mean(e):.2f}"
                         for e in errors.values()]
                print(f"| {preset} | {frames} | {len(errors['input'])} | " + " | ".join(cells) + " |", flush=True)
    print(f"({time.time() - start:.0f} s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="val", choices=("val", "test"))
    parser.add_argument("--clips", type=int, default=None, help="clips of the split (default 8; --cuts: 6)")
    parser.add_argument("--frames", type=int, nargs="+", default=None, help="default 9 10 12 20 40; --cuts: 3 5 7 "
                        "10 15 24")
    parser.add_argument("--positions", action="store_true", help="also each frame position's error: first 3, inside, "
                        "last 3")
    parser.add_argument("--cuts", action="store_true", help="clips around the network's window: every method on "
                        "the split's clips cut short, under --presets, per --layouts")
    parser.add_argument("--layouts", nargs="+", default=["3d/h36m17", "3d/halpe26", "2d/coco17", "2d/halpe26"])
    parser.add_argument("--presets", nargs="+", default=["none", "clean-ish", "typical", "jitter"])
    args = parser.parse_args()
    if args.cuts:
        args.frames, args.clips = args.frames or [3, 5, 7, 10, 15, 24], args.clips or 6
        return cuts(args)
    args.frames, args.clips = args.frames or [9, 10, 12, 20, 40], args.clips or 8
    start = time.time()
    print(f"{args.split} split, {args.clips} clips x {len(STARTS)} starts; white noise 8 mm (3D) or 3 px (2D); "
          "MPJPE / Accel (worst frame position's mean error)")
    print("| space | frames | " + " | ".join(METHODS) + " |")
    print("|---|---:|" + "---:|" * len(METHODS))
    positions = []
    for space, layout in (("3d", "h36m17"), ("2d", "coco17")):
        cases = make_cases(args.split, "none", layout=layout, space=space, max_clips=args.clips)
        for frames in args.frames:
            scores = {m: [] for m in METHODS}
            per_frame = {m: [] for m in METHODS}
            for index, case in enumerate(cases):
                for begin in STARTS:
                    clean = np.asarray(case.clean[begin:begin + frames], np.float64)
                    if len(clean) < frames:
                        continue
                    rng = np.random.default_rng([index, begin, frames])
                    noisy = (clean + rng.normal(0.0, NOISE[space], clean.shape)).astype(np.float32)
                    for method in METHODS:
                        out = noisy if method == "input" else synsp.refine(noisy, method, fps=30)
                        out = np.asarray(out, np.float64)
                        scores[method].append((mpjpe(out, clean), accel_error(out, clean)))
                        per_frame[method].append(np.linalg.norm(out - clean, axis=-1).mean(axis=-1))
            cells = []
            for method in METHODS:
                mean = np.mean(scores[method], axis=0)
                cells.append(f"{mean[0]:.2f} / {mean[1]:.2f} ({np.mean(per_frame[method], axis=0).max():.1f})")
            print(f"| {space} | {frames} | " + " | ".join(cells) + " |", flush=True)
            positions += [(space, frames, method, np.mean(per_frame[method], axis=0)) for method in METHODS[1:3]]
    if args.positions:
        print("\nMean error per frame position: frames 1, 2, 3 | the frames between | the last three")
        print("| space | frames | method | first 3 | inside | last 3 |\n|---|---:|---|---|---:|---|")
        for space, frames, method, error in positions:
            print(f"| {space} | {frames} | {method} | {' '.join(f'{e:.1f}' for e in error[:3])} | "
                  f"{error[3:-3].mean():.2f} | {' '.join(f'{e:.1f}' for e in error[-3:])} |")
    print(f"({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()

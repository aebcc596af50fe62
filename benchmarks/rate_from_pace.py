"""Can a clip's pace tell a 60 or 120 fps file given without its rate from a 30 fps one? (validation split)

Every validation clip at 30 fps as it is, and resampled to 60 and 120 fps (cubic spline; the preset's errors drawn at
30 fps and resampled with the poses, plus white noise per frame of 5 mm in 3D, 1 px in 2D). Parts:

- ``separation``: the pace (:func:`synsp.motion_pace.motion_pace`, body sizes per 4 frames) per rate, its
  percentiles and how many clips read below :data:`synsp.motion_pace.SLOW` (the summary's hint);
- ``cost``: the 30 fps clips reading below ``--below``, refined as today (no rate) and as if filmed at 60 fps;
- ``gain``: the clips at ``--rate`` reading below ``--below``, refined without the rate (today) and told it.

Errors: the protocol's score (root-relative mm in 3D, px in 2D). Run:

    .venv/bin/python benchmarks/rate_from_pace.py separation --space 3d --presets clean,typical,jitter [--split test]
    .venv/bin/python benchmarks/rate_from_pace.py cost --space 3d --preset typical --below 0.05
    .venv/bin/python benchmarks/rate_from_pace.py gain --space 3d --preset typical --rate 60 --below 0.04
"""
from __future__ import annotations

import argparse

import numpy as np
from scipy.interpolate import CubicSpline

import synsp
from synsp.evaluation.protocol import make_cases, score
from synsp.motion_pace import SLOW, motion_pace

LAYOUT = {"3d": "h36m17", "2d": "coco17"}
WHITE = {"3d": 5.0, "2d": 1.0}  # mm, px per frame at the higher rate


def upsampled(x: np.ndarray, rate: int) -> np.ndarray:
    """``x`` (T, J, C) at 30 fps, resampled to ``rate`` fps on a cubic spline."""
    t = np.arange(len(x)) / 30.0
    return CubicSpline(t, x, axis=0)(np.arange(0, t[-1] + 1e-9, 1.0 / rate)).astype(np.float32)


def separation(space: str, presets: list[str], split: str = "val") -> None:
    rng = np.random.default_rng(7)
    for preset in presets:
        cases = make_cases(split, "none" if preset == "clean" else preset, layout=LAYOUT[space], space=space)
        paces = []
        for c in cases:
            row = []
            for rate in (30, 60, 120):
                x = c.noisy if rate == 30 else upsampled(c.noisy, rate)
                if rate != 30 and preset != "clean":
                    x = x + rng.normal(0, WHITE[space], x.shape)
                row.append(motion_pace(x))
            paces.append(row)
        p = np.array(paces)
        for i, rate in enumerate((30, 60, 120)):
            q = " ".join(f"{v:.4f}" for v in np.percentile(p[:, i], [0, 5, 25, 50, 75, 95, 100]))
            print(f"{space} {preset} {rate} fps: pace min/5/25/50/75/95/max % {q} | below {SLOW}: "
                  f"{int((p[:, i] < SLOW).sum())} of {len(p)}", flush=True)


def compared(space: str, preset: str, below: float, rate: int, cost: bool) -> None:
    layout = LAYOUT[space]
    rng = np.random.default_rng(7)
    totals: dict[str, list[float]] = {}
    for c in make_cases("val", preset, layout=layout, space=space):
        clean, noisy = (c.clean, c.noisy) if cost else (upsampled(c.clean, rate), upsampled(c.noisy, rate))
        if not cost:
            noisy = noisy + rng.normal(0, WHITE[space], noisy.shape).astype(np.float32)
        pace = motion_pace(noisy)
        if pace >= below:
            continue
        told = 60 if cost else rate
        outs = {"input": noisy, "no rate (today)": synsp.refine(noisy, layout=layout, space=space),
                f"fps={told}": synsp.refine(noisy, layout=layout, space=space, fps=told)}
        errors = {k: list(score(v, clean, layout=layout, space=space).values())[0] for k, v in outs.items()}
        for k, v in errors.items():
            totals.setdefault(k, []).append(v)
        print(f"{c.name} pace {pace:.4f} " + " | ".join(f"{k} {v:.3f}" for k, v in errors.items()), flush=True)
    print(f"{space} {preset} at {30 if cost else rate} fps, {len(totals.get('input', []))} clips below {below}: "
          + " | ".join(f"{k} {np.mean(v):.3f}" for k, v in totals.items()), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("part", choices=("separation", "cost", "gain"))
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--presets", default="clean,typical,jitter")
    parser.add_argument("--preset", default="typical")
    parser.add_argument("--below", type=float, default=SLOW)
    parser.add_argument("--rate", type=int, default=60)
    parser.add_argument("--split", default="val", help="separation only; the test split once, for the final figure")
    args = parser.parse_args()
    if args.part == "separation":
        separation(args.space, args.presets.split(","), args.split)
    else:
        compared(args.space, args.preset, args.below, args.rate, args.part == "cost")


if __name__ == "__main__":
    main()

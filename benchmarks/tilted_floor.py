"""A tilted world's vertical read from the floor: the tilt's estimate, and the heading difference it removes.

A camera pitched by ``--tilt`` degrees tilts the world's vertical off the model's +Y; a turn of the world about its
own (tilted) vertical then changed synsp's 3D output (2.18 mm between headings on validation clips before the floor
reading, :mod:`synsp.inference.floor_up`). The split's clips, whole, with their path through the world (3D mm, Y
up, 30 fps), under ``--preset`` (the simulator's errors, seeded by ``EVAL_SEED``), tilted about X by ``--tilt``
after a turn about the vertical (37, 127 and 217 degrees):

1. The floor's normal read from the noisy clip (:func:`floor_normal`): its angle to the true tilted vertical
   (degrees, mean over the three turns), whether :func:`floor_turn` turns the clip level (at every turn, "read"),
   and what the untilted clip reads against +Y (a level floor). Grouped by motion: walks that turn, walks and runs
   along a line, clips in place; the plane's error is given where it is not read too (what it would have cost).
2. For the clips it reads: the tilted clip turned about its tilted vertical by 90 and 200 degrees, refined by
   ``synsp.refine`` and turned back, against the tilted clip's own output ("diff", mm, mean over joints and frames,
   mean of the two turns), and the tilted clip's MPJPE (root-relative, mm), with the floor reading on and off.

Run:

    .venv/bin/python benchmarks/tilted_floor.py [--split val] [--tilt 10] [--preset typical] [--no-refine]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.data.mocap import load_clips
from synsp.data.simulator import corrupt
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED
from synsp.inference import floor_up
from synsp.inference.planted_feet import root_relative
from synsp.sequence import fill_gaps

AZIMUTHS = (37.0, 127.0, 217.0)  # degrees about the vertical before the tilt
HEADINGS = (90.0, 200.0)  # degrees about the tilted vertical: the turns whose outputs should agree


def turn(axis: str, degrees: float) -> np.ndarray:
    """(3, 3) rotation about X or Y: ``x @ R.T`` turns poses by ``degrees``."""
    a = np.deg2rad(degrees)
    c, s = np.cos(a), np.sin(a)
    return np.array([[1, 0, 0], [0, c, -s], [0, s, c]]) if axis == "x" else np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]])


def group(name: str) -> str:
    """The clip's kind of motion, from its name."""
    if "turn" in name:
        return "walks that turn"
    return "walks, runs along a line" if any(w in name for w in ("walk", "run", "dash")) else "in place"


def angle(a: np.ndarray | None, b: np.ndarray) -> float:
    """Degrees between unit vectors (NaN where ``a`` is None)."""
    return float("nan") if a is None else float(np.degrees(np.arccos(np.clip(a @ b, -1.0, 1.0))))


def mpjpe(p: np.ndarray, q: np.ndarray) -> float:
    """Root-relative MPJPE (mm) of (T, J, 3) poses."""
    return float(np.linalg.norm((p - p[:, :1]) - (q - q[:, :1]), axis=-1).mean())


def refined(x: np.ndarray, rotation: np.ndarray, floor: bool) -> np.ndarray:
    """``x`` (T, J, 3) turned by ``rotation``, refined, turned back; the floor reading on or off."""
    floor_up.FLOOR_UP = floor
    try:
        return np.asarray(synsp.refine((x @ rotation.T).astype(np.float32)), np.float64) @ rotation
    finally:
        floor_up.FLOOR_UP = True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--tilt", type=float, default=10.0, help="degrees the world's vertical is tilted")
    parser.add_argument("--preset", default="typical", help="the simulator's errors on the clips")
    parser.add_argument("--no-refine", action="store_true", help="part 1 only (the estimate)")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    names = load_split(args.split)
    rng = np.random.default_rng(EVAL_SEED)
    clips = []
    for name, clip in zip(names, load_clips(names)):
        noisy = fill_gaps(corrupt(clip, args.preset, rng=rng, layout="h36m17", fps=30.0).noisy)[0]
        clips.append((name, clip.astype(np.float64), np.asarray(noisy, np.float64)))
    print("| motion | clips | read (every turn) | error, read (mean / max deg) | plane's error where not read "
          "(median deg) | level floor reads (max deg, read) |")
    print("|---|---:|---:|---:|---:|---:|")
    chosen, rows = [], {}
    for name, clean, noisy in clips:
        errors, reads = [], []
        for azimuth in AZIMUTHS:
            m = turn("x", args.tilt) @ turn("y", azimuth)
            tilted = noisy @ m.T
            errors.append(angle(floor_up.floor_normal(tilted, "h36m17")[0], m[:, 1]))
            reads.append(floor_up.floor_turn(tilted[None], "h36m17") is not None)
        level, spread = floor_up.floor_normal(noisy, "h36m17")
        level_read = spread >= floor_up.MIN_SPREAD and not root_relative(noisy, "h36m17")
        rows.setdefault(group(name), []).append((all(reads), np.mean(errors), angle(level, np.array([0.0, 1, 0])),
                                                 level_read))
        if all(reads):
            chosen.append((name, clean, noisy))
    for kind, got in rows.items():
        read = [r for r in got if r[0]]
        unread = [r[1] for r in got if not r[0] and np.isfinite(r[1])]
        levels = [r[2] for r in got if r[3]]
        err = f"{np.mean([r[1] for r in read]):.2f} / {np.max([r[1] for r in read]):.2f}" if read else "-"
        unread_cell = f"{np.median(unread):.1f}" if unread else "-"
        level_cell = f"{np.max(levels):.2f}" if levels else "-"
        print(f"| {kind} | {len(got)} | {len(read)} | {err} | {unread_cell} | {level_cell} |")
    print(f"\n{args.split} split, `{args.preset}`, tilt {args.tilt:g} degrees about X after turns of "
          f"{', '.join(f'{a:g}' for a in AZIMUTHS)} degrees about the vertical; clips with their path in the world\n")
    if args.no_refine or not chosen:
        return
    print("| clip | diff, floor off | diff, floor on | MPJPE, floor off | MPJPE, floor on |")
    print("|---|---:|---:|---:|---:|")
    table = []
    tilt = turn("x", args.tilt)
    for name, clean, noisy in chosen:
        row = []
        for floor in (False, True):
            base = refined(noisy, tilt, floor)
            outs = [refined(noisy, tilt @ turn("y", h), floor) for h in HEADINGS]
            row.append((float(np.mean([np.linalg.norm(o - base, axis=-1).mean() for o in outs])), mpjpe(base, clean)))
        cells = [row[0][0], row[1][0], row[0][1], row[1][1]]
        table.append(cells)
        print(f"| {name} | " + " | ".join(f"{v:.3f}" for v in cells) + " |", flush=True)
    print(f"| **mean of {len(table)}** | " + " | ".join(f"{v:.3f}" for v in np.mean(table, axis=0)) + " |")
    print(f"\nheadings {', '.join(f'{h:g}' for h in HEADINGS)} degrees about the tilted vertical against the tilted "
          "clip's own output (turned back)")


if __name__ == "__main__":
    main()

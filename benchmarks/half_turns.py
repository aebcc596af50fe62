"""A 3D body turned half round for a few frames and back (benchmarks/RESULTS.md, section 4, "A body turned half round
for a few frames"; audit 32, finding 3): validation clips (h36m17, ``typical`` input) whose whole body is turned by
180 degrees about the vertical (Y) through the origin (the pelvis of a root-relative clip) for L frames from frame
40, as an estimator reading the back as the front. Prints the root-relative MPJPE (mm) over the clip and over the
turned frames, per method. ``--found``: no refinement; frames read turned
(:func:`synsp.estimator_errors.half_turns.half_turns`) in every validation clip of the protocol's presets, where
none is made, and of turns of L frames made from a third of each ``typical`` clip, those read exactly.
``--smpl``: SMPL clips (rotation preset ``jitter``, seed 7) whose global orientation is turned so (4D-Humans, WHAM;
audit 32, finding 2), refined by :func:`synsp.refine_smpl`, scored on the template's root-relative joints (mm);
with ``--found``, the frames turned back (:func:`~synsp.estimator_errors.half_turns.turned_orientations`) in every
validation clip of each rotation preset.
Run (PYTHONPATH=src):

    .venv/bin/python benchmarks/half_turns.py [--clips 6] [--lengths 0 3 8 20] [--found] [--smpl]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.skeleton import get_layout

try:
    from synsp.estimator_errors.half_turns import half_turns
except ImportError:  # the code before the step: refinement only
    half_turns = None

HALF = np.diag([-1.0, 1.0, -1.0])  # 180 degrees about Y


def turned(x: np.ndarray, start: int, length: int) -> np.ndarray:
    """``x`` (T, J, 3) with frames start .. start + length - 1 turned by 180 degrees about Y through the origin."""
    out = x.copy()
    out[start:start + length] = x[start:start + length] @ HALF.T
    return out


def found(lengths: list[int]) -> None:
    """``--found``'s lines (module docstring)."""
    pairs = get_layout("h36m17").left_right
    for preset in ("none", "clean-ish", "typical", "hard", "jitter", "synthetic"):
        runs = make_cases("val", preset, layout="h36m17", space="3d")
        counts = [sum(b - a for a, b, _ in half_turns(c.noisy, pairs)) for c in runs]
        print(f"{preset}: frames read turned {sum(counts)} in {sum(n > 0 for n in counts)} of {len(runs)} clips",
              flush=True)
    runs = make_cases("val", "typical", layout="h36m17", space="3d")
    for length in lengths:
        exact = other = 0
        for c in runs:
            start = len(c.noisy) // 3
            got = [(a, b) for a, b, _ in half_turns(turned(c.noisy.astype(np.float64), start, length), pairs)]
            exact += (start, start + length) in got
            other += sum(g != (start, start + length) for g in got)
        print(f"turned {length} frames from a third: read exactly in {exact} of {len(runs)} clips, other spans {other}",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--lengths", type=int, nargs="+", default=[0, 3, 8, 20])
    parser.add_argument("--methods", nargs="+", default=["synsp", "smoothnet", "gaussian"])
    parser.add_argument("--found", action="store_true", help="frames read turned, no refinement")
    parser.add_argument("--smpl", action="store_true", help="SMPL's global orientation turned")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    if args.smpl:
        smpl(args)
        return
    if args.found:
        found([n for n in args.lengths if n] or [3, 8, 15, 16, 20])
        return
    runs = make_cases("val", "typical", layout="h36m17", space="3d", max_clips=args.clips)
    for length in args.lengths:
        whole: dict[str, list[float]] = {}
        span: dict[str, list[float]] = {}
        for c in runs:
            x = turned(c.noisy, 40, length)
            for name in ["input", *args.methods]:
                out = x if name == "input" else synsp.refine(x, name, fps=30)
                d = np.linalg.norm((out - out[:, :1]) - c.clean, axis=-1).mean(-1)
                whole.setdefault(name, []).append(float(d.mean()))
                span.setdefault(name, []).append(float(d[40:40 + length].mean()) if length else np.nan)
        print(f"turned {length} frames: " + "; ".join(
            f"{n} {np.mean(whole[n]):.2f}" + (f" (turned frames {np.mean(span[n]):.1f})" if length else "")
            for n in whole), flush=True)


def smpl(args: argparse.Namespace) -> None:
    """``--smpl``'s lines (module docstring)."""
    from synsp.data.rotation_errors import ROTATION_PRESETS
    from synsp.evaluation.rotations import rotation_cases
    from synsp.rotations.smpl_template import smpl_positions

    if args.found:
        from synsp.estimator_errors.half_turns import turned_orientations

        for preset in ["none", *ROTATION_PRESETS]:
            counts = [turned_orientations(c.noisy[:, 0])[1] for c in rotation_cases("val", preset, 7)]
            print(f"{preset}: frames turned back {sum(counts)} in {sum(n > 0 for n in counts)} of {len(counts)} clips",
                  flush=True)
        return
    runs = rotation_cases("val", "jitter", 7, max_clips=args.clips)
    for length in args.lengths:
        whole: dict[str, list[float]] = {}
        span: dict[str, list[float]] = {}
        for c in runs:
            x = c.noisy.copy()
            x[40:40 + length, 0] = HALF @ x[40:40 + length, 0]
            for name in ["input", *args.methods]:
                out = x if name == "input" else synsp.refine_smpl(x.astype(np.float32), 30.0,
                                                                  None if name == "synsp" else name)
                d = np.linalg.norm(smpl_positions(np.asarray(out, np.float64)) - c.positions, axis=-1).mean(-1)
                whole.setdefault(name, []).append(float(d.mean()))
                span.setdefault(name, []).append(float(d[40:40 + length].mean()) if length else np.nan)
        print(f"SMPL orientation turned {length} frames: " + "; ".join(
            f"{n} {np.mean(whole[n]):.2f}" + (f" (turned frames {np.mean(span[n]):.1f})" if length else "")
            for n in whole), flush=True)


if __name__ == "__main__":
    main()

"""A person seated (a chair, a desk, a webcam) or kneeling, filmed in 2D: legs held still in a posture the network never
saw held.

Each of the first ``--clips`` validation clips (the protocol's cases: coco17 3D and 2D, the same preset) keeps its
upper body, its travel taken out; its legs are set still: seated, thighs forward from the hips (the body's forward)
and shins straight down; kneeling (``--pose kneel``), thighs straight down and shins flat behind. The 3D body is seen
orthographically from ``--azimuth`` degrees (0: in profile; 90: from the front, thighs towards the camera), scaled to
the 2D case's body size and placed at its centre, and the 2D case's own error is added (its noisy minus its clean
values). Columns (px, all 17 joints, then legs = knees and ankles): the input, ``synsp.refine(x, "synsp", fps=30,
layout="coco17")``, SmoothNet, a 6 Hz Butterworth; ``worse``: clips whose legs SynSP leaves further from the truth
than the input. ``--steps`` adds SynSP's legs with ``network_only=True``, ``floor=False`` and
``keep_convention=False`` (where the pull comes from); ``--parts`` splits SynSP's legs error into its constant
part (the mean over the clip: its left/right mean, the same for both legs, and their half difference) and the
part that varies, each a mean over the legs' joints and the clips.

Run (validation only):

    .venv/bin/python benchmarks/seated_2d.py [--preset jitter] [--pose seated|kneel] [--azimuth 0] [--clips 12]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases

HIPS, KNEES, ANKLES = [11, 12], [13, 14], [15, 16]
SHOULDERS = [5, 6]
LEGS = KNEES + ANKLES


def _unit(v: np.ndarray) -> np.ndarray:
    """``v`` (C,) over its length."""
    return v / np.linalg.norm(v)


def posed(clean: np.ndarray, pose: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The 3D coco17 ``clean`` (T, 17, 3) with its travel taken out and its legs still in ``pose`` ("seated" or
    "kneel"), each bone its clip's median length. Returns the poses (T, 17, 3), the body's up and forward (3,)."""
    up = _unit(np.nanmean(clean[:, SHOULDERS].mean(1) - clean[:, HIPS].mean(1), 0))
    root = clean[:, HIPS].mean(1)
    travel = root - root[:1]
    travel -= (travel @ up)[:, None] * up
    out = clean - travel[:, None]
    side = np.nanmean(out[:, HIPS[1]] - out[:, HIPS[0]], 0)
    forward = _unit(np.cross(up, side - (side @ up) * up))
    for hip, knee, ankle in zip(HIPS, KNEES, ANKLES):
        thigh = np.median(np.linalg.norm(clean[:, knee] - clean[:, hip], axis=-1))
        shin = np.median(np.linalg.norm(clean[:, ankle] - clean[:, knee], axis=-1))
        if pose == "kneel":
            out[:, knee] = out[:, hip] - up * thigh
            out[:, ankle] = out[:, knee] - forward * shin
        else:
            out[:, knee] = out[:, hip] + forward * thigh
            out[:, ankle] = out[:, knee] - up * shin
    return out, up, forward


def _height(poses: np.ndarray) -> float:
    """Median extent of the body's box (its largest side) over the frames."""
    return float(np.nanmedian(np.linalg.norm(poses.max(1) - poses.min(1), axis=-1)))


def filmed(clean3: np.ndarray, noisy2: np.ndarray, clean2: np.ndarray, pose: str,
           azimuth: float) -> tuple[np.ndarray, np.ndarray]:
    """The 2D input and truth (T, 17, 2) px of ``clean3`` posed (:func:`posed`), seen orthographically at
    ``azimuth`` degrees, scaled and placed as the 2D case ``clean2`` and given its error ``noisy2 - clean2``."""
    body, up, forward = posed(clean3, pose)
    a = np.radians(azimuth)
    across = np.cos(a) * forward + np.sin(a) * _unit(np.cross(forward, up))
    picture = np.stack([body @ across, -(body @ up)], -1) * (_height(clean2) / _height(clean3))
    truth = picture - np.nanmean(picture, (0, 1)) + np.nanmean(clean2, (0, 1))
    return truth + (noisy2 - clean2), truth


def _parts(error: np.ndarray) -> tuple[float, float, float, float]:
    """Of an output's error (T, 17, 2) on the legs: the length of its mean over the frames, of the left/right mean
    of that (the same move of both legs) and of their half difference, and the RMS length of what varies."""
    constant = error[:, LEGS].mean(0)  # (4, 2): left knee, right knee, left ankle, right ankle
    both, apart = (constant[0::2] + constant[1::2]) / 2, (constant[0::2] - constant[1::2]) / 2
    varying = np.sqrt(np.mean(np.sum((error[:, LEGS] - constant) ** 2, axis=-1)))
    return (float(np.linalg.norm(constant, axis=-1).mean()), float(np.linalg.norm(both, axis=-1).mean()),
            float(np.linalg.norm(apart, axis=-1).mean()), float(varying))


def _error(a: np.ndarray, b: np.ndarray) -> float:
    """Mean joint distance of ``a`` from ``b`` (T, J, C)."""
    return float(np.nanmean(np.linalg.norm(a - b, axis=-1)))


def main() -> None:
    """Print the table (module docstring)."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="jitter")
    ap.add_argument("--pose", default="seated", choices=("seated", "kneel"))
    ap.add_argument("--azimuth", type=float, default=0.0)
    ap.add_argument("--clips", type=int, default=12, help="the first N of the 65 validation clips (0: all)")
    ap.add_argument("--steps", action="store_true", help="also SynSP's legs with its steps turned off")
    ap.add_argument("--parts", action="store_true", help="SynSP's legs error: constant (both legs, apart), varying")
    args = ap.parse_args()
    warnings.filterwarnings("ignore")
    # the protocol's cases (all 65: their errors depend on how many are drawn), then the first N
    three = make_cases("val", args.preset, layout="coco17", space="3d")
    two = make_cases("val", args.preset, layout="coco17", space="2d")
    chosen = list(zip(three, two))[:args.clips or None]
    methods = ("synsp", "smoothnet", "butterworth")
    steps = ({"network_only": True}, {"floor": False}, {"keep_convention": False}) if args.steps else ()
    head = "input synsp smoothnet butterworth | legs: input synsp smoothnet butterworth"
    head += " | legs: network_only floor=False keep_convention=False" if steps else ""
    print(f"{args.pose}, {args.preset}, azimuth {args.azimuth:g}, {len(chosen)} clips (px): {head}")
    rows, parts = [], []
    for c3, c2 in chosen:
        x, truth = filmed(np.asarray(c3.clean, np.float64), np.asarray(c2.noisy, np.float64),
                          np.asarray(c2.clean, np.float64), args.pose, args.azimuth)
        outs = [synsp.refine(x, m, fps=30, layout="coco17") for m in methods]
        outs += [synsp.refine(x, "synsp", fps=30, layout="coco17", **o) for o in steps]
        row = [_error(x, truth)] + [_error(y, truth) for y in outs[:3]]
        row += [_error(y[:, LEGS], truth[:, LEGS]) for y in [x] + outs]
        rows.append(row)
        if args.parts:
            parts.append(_parts(outs[0] - truth))
        print(f"{c2.name:38s} " + " ".join(f"{v:6.2f}" for v in row[:4]) + " | " +
              " ".join(f"{v:6.2f}" for v in row[4:8]) + (" | " + " ".join(f"{v:6.2f}" for v in row[8:]))
              * bool(steps), flush=True)
    m = np.mean(rows, 0)
    worse = sum(r[5] > r[4] for r in rows)
    print(f"MEAN {args.pose} {args.preset} az {args.azimuth:g}: " + " ".join(f"{v:.2f}" for v in m[:4]) + " | legs "
          + " ".join(f"{v:.2f}" for v in m[4:8]) + (" | " + " ".join(f"{v:.2f}" for v in m[8:])) * bool(steps)
          + f" | legs worse than input: {worse}/{len(rows)}")
    if parts:
        print("SynSP legs error (px): constant %.2f (both legs alike %.2f, apart %.2f), varying %.2f"
              % tuple(np.mean(parts, 0)))


if __name__ == "__main__":
    main()

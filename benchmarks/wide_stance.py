"""A wide stance held (horse or sumo stance, a goalkeeper's ready stance) in 3D: SynSP against SmoothNet and a
Butterworth, legs and all joints (:mod:`synsp.inference.wide_stance`).

Built on the validation clips (h36m17, mm; a user's audit built them so): the clip's travel taken out, each leg set
rigid with the hips, its ankle ``--out`` leg lengths out to its side and ``--down`` below its hip, the knee by
two-link IK bending outward (``--knees out``; ``forward``: bent forward, ``straight``: the legs straight down,
the control); the upper body as the clip moves it; the preset's error of the clip added (the estimate minus the
clip). Cells: mean MPJPE (mm) over the clips of all joints and of the legs (knees and ankles); "worse": clips whose legs
SynSP leaves worse than the input; ``--without``: SynSP without the step. ``--guard``: instead, the largest share of the
fallback the step gives (:func:`~synsp.inference.wide_stance.wide_shares`) on each preset's validation inputs as the
protocol builds them (0: the step changes none) and their largest thigh angle (``train``: the training clips).
RESULTS section 10, "A wide stance held". Run:

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/wide_stance.py [--clips 12] [--preset jitter]
        [--out 0.55] [--down 0.75] [--knees out|forward|straight] [--without]
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/wide_stance.py --guard
        [--presets train clean-ish typical jitter hard]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np
from scipy.ndimage import uniform_filter1d

import synsp
from synsp.data.mocap import load_clip
from synsp.data.splits import load_split
from synsp.evaluation.protocol import make_cases
from synsp.inference.leaned_trunk import FLEX_FRAMES
from synsp.inference.wide_stance import WIDE, hip_abduction, wide_shares
from synsp.refining.methods import network_model
from synsp.skeleton import get_layout

H36M = get_layout("h36m17")
LEGS = [H36M.index(n) for n in ("left_knee", "right_knee", "left_ankle", "right_ankle")]
METHODS = ("input", "synsp", "smoothnet", "butterworth")


def stance(clean: np.ndarray, out: float, down: float, knees: str) -> np.ndarray:
    """(T, 17, 3) mm: the h36m17 ``clean`` clip with its travel taken out and its legs held in the stance (module
    docstring); ``knees`` 'straight' sets each ankle straight below its hip."""
    hips = [H36M.index("left_hip"), H36M.index("right_hip")]
    up = np.nanmean(clean[:, [H36M.index("left_shoulder"), H36M.index("right_shoulder")]].mean(1)
                    - clean[:, hips].mean(1), 0)
    up /= np.linalg.norm(up)
    root = clean[:, hips].mean(1)
    travel = root - root[:1]
    travel -= (travel @ up)[:, None] * up
    c = clean - travel[:, None]
    left = np.nanmean(c[:, hips[0]] - c[:, hips[1]], 0)
    left -= (left @ up) * up
    left /= np.linalg.norm(left)
    forward = np.cross(left, up)  # the face's side
    forward /= np.linalg.norm(forward)
    for side, sign in (("left", 1.0), ("right", -1.0)):
        hip, knee, ankle = (H36M.index(f"{side}_{j}") for j in ("hip", "knee", "ankle"))
        a = np.median(np.linalg.norm(clean[:, knee] - clean[:, hip], axis=-1))
        b = np.median(np.linalg.norm(clean[:, ankle] - clean[:, knee], axis=-1))
        top = c[:, hip]
        if knees == "straight":
            end, pole = top - up * 0.999 * (a + b), forward
        else:
            end = top + left * sign * out * (a + b) - up * down * (a + b)
            pole = left * sign + forward * 0.3 if knees == "out" else forward
        reach = end - top
        span = np.minimum(np.linalg.norm(reach, axis=-1, keepdims=True), 0.999 * (a + b))
        along = reach / np.linalg.norm(reach, axis=-1, keepdims=True)
        x = (a * a - b * b + span * span) / (2 * span)
        bend = pole - (along @ pole)[:, None] * along
        bend /= np.linalg.norm(bend, axis=-1, keepdims=True)
        c[:, knee] = top + along * x + bend * np.sqrt(np.maximum(a * a - x * x, 0))
        c[:, ankle] = end
    return c


def error(a: np.ndarray, b: np.ndarray) -> float:
    """Mean joint distance (mm) of (T, J, 3) ``a`` from ``b``."""
    return float(np.mean(np.linalg.norm(a - b, axis=-1)))


def table(args: argparse.Namespace) -> None:
    """Print each clip's row and the mean (module docstring)."""
    if args.without:  # the shipped model as synsp.refine runs it, without the step
        network_model("synsp", 3).wide_stance = None
    rows = []
    for case in make_cases("val", args.preset, layout="h36m17", space="3d", max_clips=args.clips):
        clean = np.asarray(case.clean, np.float64)
        truth = stance(clean, args.out, args.down, args.knees)
        noisy = truth + (np.asarray(case.noisy, np.float64) - clean)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            outs = [noisy] + [np.asarray(synsp.refine(noisy, m, fps=30, layout="h36m17"), np.float64)
                              for m in METHODS[1:]]
        row = [error(o, truth) for o in outs] + [error(o[:, LEGS], truth[:, LEGS]) for o in outs]
        rows.append(row)
        print(f"{case.name:42s} all " + " ".join(f"{v:6.2f}" for v in row[:4]) + "  legs "
              + " ".join(f"{v:6.2f}" for v in row[4:]), flush=True)
    m, worse = np.mean(rows, 0), sum(r[5] > r[4] for r in rows)
    print(f"MEAN {len(rows)} clips, {args.preset}, out {args.out} down {args.down} knees {args.knees} "
          f"({' / '.join(METHODS)}): all " + " ".join(f"{v:.2f}" for v in m[:4]) + "; legs "
          + " ".join(f"{v:.2f}" for v in m[4:]) + f"; SynSP's legs worse than the input on {worse} of {len(rows)}")


def guard(presets: list[str]) -> None:
    """Print, per preset, the largest :func:`wide_shares` over the validation inputs, the clips above 0 and the
    largest :func:`hip_abduction` averaged over FLEX_FRAMES; preset "train": the training clips themselves."""
    for preset in presets:
        if preset == "train":
            inputs = [load_clip(name, "h36m17").astype(np.float64) for name in load_split("train")]
        else:
            inputs = [np.asarray(c.noisy, np.float64) for c in make_cases("val", preset, layout="h36m17", space="3d")]
        shares = [float(wide_shares(x, H36M, WIDE).max()) for x in inputs]
        angles = [float(uniform_filter1d(np.nan_to_num(hip_abduction(x, H36M)), FLEX_FRAMES, mode="nearest").max())
                  for x in inputs]
        print(f"{preset}: {len(shares)} clips, largest share {max(shares):.3f}, clips with a share above 0: "
              f"{sum(s > 0 for s in shares)}; largest angle {max(angles):.1f} degrees, next {sorted(angles)[-2]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clips", type=int, default=12, help="validation clips (0: all 65)")
    parser.add_argument("--preset", default="jitter")
    parser.add_argument("--out", type=float, default=0.55, help="each ankle out to its side, leg lengths")
    parser.add_argument("--down", type=float, default=0.75, help="each ankle below its hip, leg lengths")
    parser.add_argument("--knees", choices=("out", "forward", "straight"), default="out")
    parser.add_argument("--without", action="store_true", help="SynSP without the step (before it)")
    parser.add_argument("--guard", action="store_true")
    parser.add_argument("--presets", nargs="+", default=["clean-ish", "typical", "jitter", "hard"])
    args = parser.parse_args()
    guard(args.presets) if args.guard else table(args)


if __name__ == "__main__":
    main()

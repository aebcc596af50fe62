"""Poses whose frames are mostly empty (a detector that often loses the person), whole frames NaN at random: which
17-joint order the poses are read in, and what refining them gains (audit 33, finding 3: the empty frames counted
against every joint in ``skeleton.joint_order.seen_joints``, so H36M-ordered poses read as COCO's).

Each validation clip under ``typical`` (3D h36m17 mm, and 2D in H36M's order) with 0, 60 and 75 % of its frames
emptied at random (seeded; first and last kept): how many clips read as h36m17 (``seventeen_joint_layout``); then
on the first ``--refine-clips`` 3D clips the root-relative MPJPE (mm, pelvis) on the kept frames of the input, of
``synsp.refine`` without a layout and with ``layout="h36m17"``. Run:

    .venv/bin/python benchmarks/empty_frames.py --split val
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.metrics import mpjpe, root_relative
from synsp.skeleton.joint_order import seventeen_joint_layout

EMPTY = (0.0, 0.6, 0.75)


def emptied(x: np.ndarray, share: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """(T, J, C) poses with ``share`` of their frames NaN at random (first and last kept), and the kept frames (T,)."""
    kept = rng.random(len(x)) >= share
    kept[0] = kept[-1] = True
    return np.where(kept[:, None, None], x, np.nan), kept




def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=0)
    parser.add_argument("--refine-clips", type=int, default=8)
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    for space in ("3d", "2d"):
        cases = make_cases(args.split, "typical", layout="h36m17", space=space, max_clips=args.max_clips)
        rng = np.random.default_rng(33)
        read = {share: [seventeen_joint_layout(emptied(c.noisy, share, rng)[0]) for c in cases] for share in EMPTY}
        print(f"{space}, {len(cases)} clips in H36M's order, read as h36m17: " + ", ".join(
            f"{share:.0%} frames empty {sum(r == 'h36m17' for r in got)}/{len(got)}" for share, got in read.items()))
    rng = np.random.default_rng(3)
    for share in EMPTY[1:]:
        rows = []
        for case in make_cases(args.split, "typical", layout="h36m17", space="3d", max_clips=args.refine_clips):
            x, kept = emptied(np.asarray(case.noisy, np.float64), share, rng)
            clean = np.asarray(case.clean, np.float64)[kept]

            def err(pred: np.ndarray) -> float:  # root-relative (the pelvis), on the kept frames
                return mpjpe(root_relative(pred[kept]), root_relative(clean))

            rows.append([err(x), err(synsp.refine(x, fps=30)), err(synsp.refine(x, fps=30, layout="h36m17"))])
        mean = np.mean(rows, axis=0)
        print(f"3d, {share:.0%} frames empty, {len(rows)} clips, MPJPE on kept frames (mm): input {mean[0]:.2f}, "
              f"refined {mean[1]:.2f}, refined with layout='h36m17' {mean[2]:.2f}", flush=True)


if __name__ == "__main__":
    main()

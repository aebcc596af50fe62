"""A 3D stream of travelling clips played faster: where its root is placed (RESULTS section 12,
"A fast stream's root follows the pace").

Six VALIDATION walks, runs and dashes (``--split test``: six test ones; h36m17, first 240 frames
at 1x; every k-th frame of the first 240 k at k x, so a walk at 3x moves its root ~127 mm a
frame at 30 fps), with 8 mm white noise or the ``jitter`` preset (seed 100 + clip index).
Frame-weighted absolute MPJPE (mm) of the input, the shipped model's stream
(``StreamingRefiner``, defaults) and offline refinement, and each root-relative. Run::

    PYTHONPATH=src OMP_NUM_THREADS=1 .venv/bin/python benchmarks/stream_fast_root.py \
        [--split val|test] [--clips 6] [--no-offline]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

from synsp.data.mocap import load_clip
from synsp.data.simulator import corrupt
from synsp.inference.checkpoint import load_model
from synsp.inference.streaming import StreamingRefiner
from synsp.skeleton import root_position

CLIPS = {"val": ["dataset-1_dash_masculinity_001", "dataset-1_run_chimpira_001", "dataset-1_walk_chimpira_001",
                 "dataset-2_run_normal_006", "dataset-2_walk_normal_002", "dataset-1_walk-back_proud_001"],
         "test": ["dataset-1_dash_old_001", "dataset-1_run_old_001", "dataset-1_walk_angry_001",
                  "dataset-2_run_normal_002", "dataset-2_walk_normal_014", "dataset-1_walk-back_chimpira_001"]}


def mpjpe(x: np.ndarray, clean: np.ndarray, relative: bool = False) -> float:
    """Mean joint error (mm) of ``x`` (T, J, 3) against ``clean``, absolute or root-relative."""
    if relative:
        x, clean = x - root_position(x, "h36m17"), clean - root_position(clean, "h36m17")
    return float(np.nanmean(np.linalg.norm(x - clean, axis=-1)))  # jitter may lose joints (NaN)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", choices=sorted(CLIPS), default="val")
    parser.add_argument("--clips", type=int, default=6)
    parser.add_argument("--no-offline", action="store_true", help="skip offline refinement")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    model = load_model("synsp-h36m17")
    print("| noise | speed | input | stream | offline | stream rr | offline rr | input rr | stream per clip |")
    print("|---|---|---|---|---|---|---|---|---|")
    for noise in ("white 8 mm", "jitter"):
        for k in (1, 2, 3):
            rows = []
            for i, name in enumerate(CLIPS[args.split][: args.clips]):
                clean = load_clip(name, "h36m17").astype(np.float32)[: 240 * k][::k]
                rng = np.random.default_rng(100 + i)
                noisy = (clean + rng.normal(0, 8, clean.shape)).astype(np.float32) if noise != "jitter" \
                    else np.asarray(corrupt(clean, "jitter", rng=rng).noisy, np.float32)
                out = StreamingRefiner(model).refine_all(noisy)
                off = noisy if args.no_offline else model.refine(noisy)
                rows.append([len(clean), mpjpe(noisy, clean), mpjpe(out, clean), mpjpe(off, clean),
                             mpjpe(out, clean, True), mpjpe(off, clean, True), mpjpe(noisy, clean, True)])
            r = np.array(rows)
            m = (r[:, 1:] * (r[:, :1] / r[:, 0].sum())).sum(0)
            off = ["-", "-"] if args.no_offline else [f"{m[2]:.2f}", f"{m[4]:.2f}"]
            print(f"| {noise} | {k}x | {m[0]:.2f} | {m[1]:.2f} | {off[0]} | {m[3]:.2f} | {off[1]} | {m[5]:.2f} | "
                  + " ".join(f"{x:.1f}" for x in r[:, 2]) + " |", flush=True)


if __name__ == "__main__":
    main()

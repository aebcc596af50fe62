"""A live 3D stream whose errors are only light white noise: the stream with and without
:mod:`synsp.inference.stream_noise_only` (each joint the nearer of its output and a live low-pass), offline
refinement (with :mod:`synsp.inference.noise_only`), SmoothNet and a 6 Hz Butterworth.

The split's clean clips (``benchmarks/noise_only.py``'s conditions: white noise of SIGMA mm per coordinate at
FPS, "SIGMA@FPS", or a simulator preset), pushed frame by frame through a
:class:`~synsp.inference.streaming.StreamingRefiner` with its defaults (lag 7, lookahead 3). Cells: MPJPE (mm,
root-relative) over every joint, frame-weighted, x input; the stream's first 16 frames and the rest apart. RESULTS
section 12, "A 3D stream of light noise only". Run:

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/stream_noise_only.py [--split val] [--max-clips 6]
        [--conditions 1@30 2@30 jitter typical]
"""
from __future__ import annotations

import argparse
import time
from unittest import mock

import numpy as np

import synsp
from extra_joints import clips  # this folder's scripts share their noisy clips
from noise_only import error
from stream_vs_offline import streamed
from synsp.filters import butterworth
from synsp.inference import stream_noise_only
from synsp.inference.checkpoint import load_model
from table_cells import x_input

METHODS = ("input", "offline", "stream before", "stream after", "smoothnet", "butterworth")
EARLY = 16  # the stream's first frames, apart


def row(condition: str, split: str, max_clips: int, model) -> str:
    """One table row: ``condition`` over the split's first ``max_clips`` clips (0: all)."""
    scores, early, frames = [], [], []
    for clean, noisy, fps in clips(condition, "h36m17", "3d", split, max_clips):
        noisy = noisy.astype(np.float32)
        with mock.patch.object(stream_noise_only, "SPACES", ()):
            before = streamed(model, noisy)
        outs = [noisy, synsp.refine(noisy, layout="h36m17", fps=fps), before, streamed(model, noisy),
                synsp.refine(noisy, "smoothnet", layout="h36m17", fps=fps), butterworth(noisy, cutoff=6.0, fps=fps)]
        scores.append([error(out, clean, "h36m17") for out in outs])
        early.append([error(out[:EARLY], clean[:EARLY], "h36m17") for out in outs[2:4]]
                     + [error(out[EARLY:], clean[EARLY:], "h36m17") for out in outs[2:4]])
        frames.append(len(clean))
    m = np.average(scores, axis=0, weights=frames)
    e = np.mean(early, axis=0)  # clip mean: every clip has EARLY first frames
    label = f"white {condition.replace('@', ' mm @ ')} fps" if "@" in condition else f"`{condition}`"
    cells = x_input(m, ratio=4)
    return (f"| {label} | " + " | ".join(cells) + f" | {e[0]:.2f} -> {e[1]:.2f} | {e[2]:.3f} -> {e[3]:.3f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=6, help="only the first N clips (0 = all)")
    parser.add_argument("--conditions", nargs="+", default=["1@30", "2@30", "jitter", "typical"])
    args = parser.parse_args()
    model = load_model("synsp-h36m17")
    start = time.time()
    print(f"\n3D h36m17, {args.split} split, {args.max_clips or 'all'} clips, mm (x input)\n")
    print("| condition | " + " | ".join(METHODS) + f" | stream first {EARLY} frames | the rest |")
    print("|---|" + "---:|" * (len(METHODS) + 2))
    for condition in args.conditions:
        print(row(condition, args.split, args.max_clips, model), flush=True)
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()

"""A whole-body 2D flip of 8-32 frames: undone or left in place by the refinement (validation split).

Audit 30's sweep, rebuilt: each validation clip as ``synsp evaluate --space 2d --preset jitter`` builds it (coco17,
one random virtual camera), every left/right label exchanged (``Layout.flip_index``) over frames
``start .. start + L - 1``, refined by ``synsp.refine(x, layout="coco17")`` as ``synsp refine`` refines a COCO-17
file. Per case, the output's error against the truth (px, mean over the joints seen in the truth) over the flip's
frames and over the 20 frames before it; a flip is "left in place" where the first is more than 3 x the second.
benchmarks/RESULTS.md, section 4. Run:

    .venv/bin/python benchmarks/body_flips_2d_sweep.py [--clips 65] [--lengths 8 16 32] [--starts 60]
"""
from __future__ import annotations

import argparse

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.skeleton import get_layout

LEFT = 3.0  # the flip's error over this many times the 20 frames' before it: left in place


def frame_errors(pred: np.ndarray, truth: np.ndarray) -> np.ndarray:
    """(T,) mean joint distance (px) of ``pred`` from ``truth`` (T, J, 2), over the joints both hold."""
    with np.errstate(invalid="ignore"):
        return np.nanmean(np.linalg.norm(pred - truth, axis=-1), axis=-1)


def flipped(x: np.ndarray, flip: np.ndarray, start: int, length: int) -> np.ndarray:
    """``x`` (T, J, C) with every left/right label exchanged over frames ``start .. start + length - 1``."""
    out = x.copy()
    out[start:start + length] = x[start:start + length][:, flip]
    return out


def sweep(clips: int, lengths: list[int], starts: list[int], split: str = "val") -> list[tuple]:
    """(clip index, name, start, length, input span px, output span px, output before px, left) per case."""
    flip = get_layout("coco17").flip_index
    rows = []
    # every clip built, then the first ``clips`` taken: a case's errors draw on the whole split (its neighbour)
    for i, case in enumerate(make_cases(split, "jitter", layout="coco17", space="2d")[:clips]):
        for start in starts:
            for length in lengths:
                if start + length > len(case.noisy) or start < 20:
                    continue
                noisy = flipped(case.noisy, flip, start, length)
                out = synsp.refine(noisy, layout="coco17")
                span, before = slice(start, start + length), slice(start - 20, start)
                e_in, e_out = frame_errors(noisy, case.clean), frame_errors(out, case.clean)
                span_out, before_out = float(np.nanmean(e_out[span])), float(np.nanmean(e_out[before]))
                rows.append((i, case.name, start, length, float(np.nanmean(e_in[span])), span_out, before_out,
                             span_out > LEFT * before_out))
                print(f"| {i} | {case.name} | {start} | {length} | {rows[-1][4]:.1f} | {span_out:.1f} | "
                      f"{before_out:.1f} | {'left' if rows[-1][-1] else ''} |", flush=True)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=65, help="the split's first N clips")
    parser.add_argument("--lengths", type=int, nargs="+", default=[8, 16, 32])
    parser.add_argument("--starts", type=int, nargs="+", default=[60])
    parser.add_argument("--split", default="val")
    args = parser.parse_args()
    print("| clip | name | start | frames | input, flip (px) | output, flip | output, 20 frames before | |\n"
          "|---:|---|---:|---:|---:|---:|---:|---|")
    rows = sweep(args.clips, args.lengths, args.starts, args.split)
    print(f"left in place: {sum(r[-1] for r in rows)} of {len(rows)}")


if __name__ == "__main__":
    main()

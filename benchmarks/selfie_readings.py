"""The handedness reading (``synsp.inference.handedness``) of the split's 2D clips as given and mirrored, per layout
and preset, with the floor step's baseline beside the reading's own.

Each clip (2D, pixels of a 1920-wide image, in ``--layout``: COCO-17 itself, or HALPE-26, MediaPipe-33 and
COCO-WholeBody-133 refined through their conversion to COCO-17) is refined by ``synsp.refine`` as it is and mirrored
(x -> 1920 - x, the labels kept: a front camera's selfie); every reading the refinement makes is recorded twice: the
network's correction measured from the reading's Butterworth (6 Hz, ends about the end frame: ``correction_size``)
and from the floor step's (``floor.baseline``, its ends about a line fitted to 5 end frames). Prints per preset the
highest reading of the clips as given (the guard: below ``MIRROR_READ``, none mirrored), the mirrored clips' median
and the number read as mirrored, for each baseline, and the clips whose decision the two baselines part on. Run:

    .venv/bin/python benchmarks/selfie_readings.py [--layout coco17] [--presets clean-ish typical hard jitter
                                                   synthetic none] [--max-clips N] [--split val]
    .venv/bin/python benchmarks/selfie_readings.py --demo
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.inference import floor, handedness
from synsp.paths import data_root

sys.path.insert(0, str(Path(__file__).parent))
from selfie import mirrored, own_clips  # noqa: E402

PRESETS = ("clean-ish", "typical", "hard", "jitter", "synthetic", "none")
DEMO = data_root() / "mediapipe-sports2d" / "demo_mediapipe.npz"  # the README's MediaPipe demo (no truth)


def readings(x: np.ndarray) -> tuple[float, float]:
    """The highest mirror ratio ``synsp.refine`` reads on ``x`` (T, J, 2), with the reading's baseline and with
    ``floor.baseline`` (0.0, 0.0: none read)."""
    sizes: list[tuple[float, float]] = []
    size = handedness.correction_size

    def both(out: np.ndarray, seq: np.ndarray, fps: float | None) -> float:
        own = size(out, seq, fps)
        sizes.append((own, float(np.mean(np.linalg.norm(out - floor.baseline(seq, fps), axis=-1)))))
        return own
    handedness.correction_size = both
    try:
        synsp.refine(np.asarray(x, np.float32), "synsp")
    finally:
        handedness.correction_size = size
    ratios = [(a[0] / b[0], a[1] / b[1]) for a, b in zip(sizes[::2], sizes[1::2])]  # the clip, then its mirror
    return tuple(np.max(ratios, axis=0)) if ratios else (0.0, 0.0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", help="val (choices; the test split is not run here)")
    parser.add_argument("--presets", nargs="+", default=list(PRESETS))
    parser.add_argument("--layout", default="coco17", help="coco17, or a layout the split can be written in")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--demo", action="store_true", help="the README's MediaPipe demo (2D, 33 joints) instead")
    args = parser.parse_args()
    read = handedness.MIRROR_READ
    if args.demo:
        demo = np.load(DEMO)["kp2d"][..., :2]
        for name, x in (("as given", demo), ("mirrored", mirrored(demo))):
            print("MediaPipe demo, {}: reading {:.3f} / {:.3f}".format(name, *readings(x)))
        return
    print(f"{args.layout}: readings (the reading's baseline / the floor step's); mirrored at {read}")
    print("| preset | clips | as given: highest | mirrored: median | mirrored: highest | mirrored: read mirrored "
          "| decisions that differ |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for preset in args.presets:
        cases = make_cases(args.split, preset, layout=args.layout, space="2d", max_clips=args.max_clips,
                           clips=own_clips(args.layout, args.split, args.max_clips))
        given = np.array([readings(c.noisy) for c in cases])
        mirror = np.array([readings(mirrored(c.noisy)) for c in cases])
        differ = int(((given >= read).any(1) != (given >= read).all(1)).sum()
                     + ((mirror >= read).any(1) != (mirror >= read).all(1)).sum())
        count = (mirror >= read).sum(0)
        pair = lambda v: f"{v[0]:.2f} / {v[1]:.2f}"  # noqa: E731
        print(f"| `{preset}` | {len(cases)} | {pair(given.max(0))} | {pair(np.median(mirror, 0))} "
              f"| {pair(mirror.max(0))} | {count[0]} / {count[1]} | {differ} |", flush=True)


if __name__ == "__main__":
    main()

"""Each motion at its own pace: high-rate footage, and fingers faster than the body.

``--part rate``: the mocap's clips (validation split) filmed at 120 fps, as they are (1x) and
played 4 times as fast (4x, a sprint), with the simulator's errors drawn at that rate (its jitter
is correlated in seconds, so over 4 times as many frames as at 30 fps). Rows: the input, SmoothNet
and SynSP as shipped, each told the rate; below each table, the rates the clips were refined at
(``Refiner.paced_fps``; the given rate when not lowered): their median and how many were lowered.
3D root-relative mm. Then a 1 Hz walk at 120 fps (``tests/walking.py``'s COCO-17 walk, 4 s) under
4 px of noise held over about 2 frames (white noise through a Gaussian of sigma 1 frame), 5
seeds: MPJPE (px) and the rates, with the 2D models.

``--part fingers``: fingerspelling-like whole-body clips (:func:`synsp.data.fingerspelling.fingerspelling`:
COCO-WholeBody's 133 points at 30 fps, both hands spelling 5 letters a second on a slow body, an
RTMW-like 2D noise) refined by ``synsp.refine(..., layout="coco133")`` with SynSP (its route for
another layout: the body through SynSP, hands and face through SmoothNet) and with SmoothNet.
MPJPE per hand, of the face and the body (px), and how much of the fingertips' peak speed the
output keeps (the 98th percentile over frames of each fingertip's speed, px/frame, over the
truth's; mean over the 10 fingertips). ``--scale 0.5``: the person half as large (farther
away) under the same pixel noise. Run:

    .venv/bin/python benchmarks/own_pace.py [--part rate|fingers] [--max-clips 20] [--clips 5] [--scale 1]
"""
from __future__ import annotations

import argparse

import numpy as np

import synsp
from synsp.data.fingerspelling import fingerspelling
from synsp.data.mocap import load_clips
from synsp.data.splits import load_split
from synsp.evaluation.protocol import evaluate, markdown_table
from synsp.inference.checkpoint import default_model, load_model
from synsp.skeleton import COCO133

# COCO-WholeBody's groups: body (COCO-17 and the feet), face (68), left and right hand (21 each).
GROUPS = {"left hand": np.arange(91, 112), "right hand": np.arange(112, 133), "face": np.arange(23, 91),
          "body": np.arange(23)}
TIPS = np.array([4, 8, 12, 16, 20])  # fingertips, within a hand


def rate_part(split: str, max_clips: int) -> None:
    """Part ``rate`` (module docstring)."""
    import sys
    from pathlib import Path

    from scipy.ndimage import gaussian_filter1d

    sys.path[:0] = [str(Path(__file__).parent), str(Path(__file__).parents[1] / "tests")]
    from fast_motion import cases_for  # the clips played faster, corrupted at their rate
    from walking import walking

    clean, _ = walking(480, noise=0.0, fps=120.0)
    print("### A 1 Hz walk at 120 fps, noise held over about 2 frames (5 seeds, px)\n")
    print("| method | MPJPE | rates (fps) |\n|---|---:|---|")
    noisy = []
    for seed in range(5):
        noise = gaussian_filter1d(np.random.default_rng(seed).normal(size=clean.shape), 1.0, axis=0)
        noisy.append((clean + noise * 4.0 / noise.std()).astype(np.float32))
    print(f"| input | {np.mean([np.linalg.norm(x - clean, axis=-1).mean() for x in noisy]):.2f} | |")
    for name, kind in (("SmoothNet", "smoothnet"), ("SynSP", "synsp")):
        model, errors, rates = load_model(default_model(kind, "2d")), [], []
        for x in noisy:
            errors.append(np.linalg.norm(model.refine(x, fps=120.0) - clean, axis=-1).mean())
            rates.append(f"{model.paced_fps or 120.0:.0f}")
        print(f"| {name} | {np.mean(errors):.2f} | {', '.join(rates)} |")
    print(flush=True)

    names = load_split(split)[: max_clips or None]
    clips = load_clips(names, layout="h36m17")
    models = {"SmoothNet": load_model(default_model("smoothnet", "3d")),
              "SynSP": load_model(default_model("synsp", "3d"))}
    for speed in (1.0, 4.0):
        for preset in ("typical", "jitter"):
            cases = cases_for(clips, names, preset, speed, 120.0)
            rates: dict[str, list[float]] = {name: [] for name in models}

            def run(x: np.ndarray, name: str) -> np.ndarray:
                out = models[name].refine(x, fps=120.0)
                rates[name].append(models[name].paced_fps or 120.0)
                return out

            results = evaluate({name: lambda x, n=name: run(x, n) for name in models}, cases)
            frames = sum(len(c.clean) for c in cases)
            print(f"### motion {speed:g}x as fast, 120 fps, preset `{preset}` ({len(cases)} {split} clips, "
                  f"{frames} frames, mm)\n")
            print(markdown_table(results))
            print("rate refined at: " + "; ".join(f"{n} median {np.median(r):.1f} fps, {sum(v < 120 for v in r)} "
                                                 f"of {len(r)} clips below 120" for n, r in rates.items())
                  + "\n", flush=True)


def peak_speed(x: np.ndarray) -> float:
    """Mean over the fingertips of both hands of the 98th percentile of their speed (px/frame)."""
    tips = np.r_[91 + TIPS, 112 + TIPS]
    speed = np.linalg.norm(np.diff(x[:, tips], axis=0), axis=-1)
    return np.percentile(speed, 98, axis=0)


def fingers_part(n_clips: int, scale: float) -> None:
    """Part ``fingers`` (module docstring), the person ``scale`` times as large in the image."""
    clips = []
    for seed in range(n_clips):
        clean, noisy = fingerspelling(300, seed=seed)
        far = (clean - 640.0) * scale + 640.0  # the same pixel noise on a person farther away
        clips.append((far, far + noisy - clean))
    methods = {"input": lambda x: x,
               "SynSP": lambda x: synsp.refine(x, "synsp", layout="coco133"),
               "SmoothNet": lambda x: synsp.refine(x, "smoothnet", layout="coco133")}
    print(f"### Fingerspelling, {n_clips} clips of 300 frames at 30 fps, {COCO133.name}, size x{scale:g} (px)\n")
    print("| method | " + " | ".join(GROUPS) + " | fingertip peak speed x truth |")
    print("|---|" + "---:|" * (len(GROUPS) + 1))
    for name, method in methods.items():
        errors = {group: [] for group in GROUPS}
        kept = []
        for clean, noisy in clips:
            out = method(noisy.astype(np.float32))
            for group, joints in GROUPS.items():
                errors[group].append(np.linalg.norm(out[:, joints] - clean[:, joints], axis=-1).mean())
            kept.append(np.mean(peak_speed(out) / peak_speed(clean)))
        print(f"| {name} | " + " | ".join(f"{np.mean(e):.2f}" for e in errors.values()) + f" | x{np.mean(kept):.2f} |",
              flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--part", choices=["rate", "fingers"], default="fingers")
    parser.add_argument("--split", default="val", help="part rate: the mocap split")
    parser.add_argument("--max-clips", type=int, default=20, help="part rate: the first N clips (0 = all)")
    parser.add_argument("--clips", type=int, default=5, help="part fingers: this many clips (seeds 0..N-1)")
    parser.add_argument("--scale", type=float, default=1.0, help="part fingers: the person this many times as large")
    args = parser.parse_args()
    if args.part == "rate":
        rate_part(args.split, args.max_clips)
    else:
        fingers_part(args.clips, args.scale)


if __name__ == "__main__":
    main()

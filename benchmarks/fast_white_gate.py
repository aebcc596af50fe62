"""Fast 2D motion under white noise: the light-noise risk choice SynSP's gate keeps shut, opened, and what it costs.

Under light white noise SynSP's 2D route takes, joint by joint, the nearer of its output and a low-pass by Stein's
unbiased risk estimate (:mod:`synsp.inference.noise_only`), but only where the input reads as light noise: its noise
level under :data:`~synsp.inference.noise_only.LIGHT_NOISE` and its joints' or its bones' lengths' noise white
(:data:`~synsp.inference.white_noise.WHITE_RAMP`, :data:`~synsp.inference.noise_only.WHITE_LENGTHS`). Fast motion
(dashes, runs, played faster) colours both readings with its own power, so the gate stays shut where a 6 Hz
Butterworth is ahead (audit 17 finding 6: a run under 2 px, SynSP 2.014 px, Butterworth 1.735). This prints, per
noise and speed, on the split's dashes and runs (one random camera each, coco17, 30 fps): the gate's readings
(range over the cases), how many cases it opens at all, and the frame-weighted MPJPE (x input) of the input, SynSP,
SynSP with the gate opened (the share forced to 1, the risk choice as it is) and a 6 Hz Butterworth. The `jitter` and
`typical` rows are the estimator's correlated errors the gate is there for.

``--hands``: a hand alone (MediaPipe Hands' 21 points, joints of no layout: SmoothNet or a low-pass by the same
estimate, :func:`~synsp.inference.risk_choice.lowpass_or_network`) of :func:`synsp.data.fingerspelling.fingerspelling`
(300 frames at 30 fps, its own white noise), ``--seeds`` (audit 15 finding 3 used 0-2): the input, SynSP (today's
route), SmoothNet, Butterworth and Savitzky-Golay (the methods' defaults). Run:

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/fast_white_gate.py [--split val] [--speeds 1 2]
        [--noises white1 white2 white4 jitter typical] [--slow]
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/fast_white_gate.py --hands [--seeds 0 1 2]
"""
from __future__ import annotations

import argparse
import time
import warnings
from unittest import mock

import numpy as np

import synsp
from fast_contents import fast_names
from fast_light_noise import noisy_view
from fast_motion import played_faster
from synsp.data.mocap import load_clips
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED
from synsp.filters import butterworth
from synsp.inference import noise_only
from synsp.inference.clean import input_noise, noise_level
from synsp.inference.white_noise import whiteness
from table_cells import x_input

FPS = 30.0
METHODS = ("input", "synsp", "opened", "butterworth")


def outputs(noisy: np.ndarray) -> dict[str, np.ndarray]:
    """Each of :data:`METHODS`' output for ``noisy`` (T, J, 2) px at 30 fps."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = {"input": noisy, "synsp": synsp.refine(noisy)}
        opened = lambda values, *args, **kwargs: np.ones(np.asarray(values).shape[:-3])  # noqa: E731
        with mock.patch.object(noise_only, "noise_only_share", opened):
            out["opened"] = synsp.refine(noisy)
    out["butterworth"] = butterworth(noisy, cutoff=6.0, order=4, fps=FPS)
    return out


def readings(noisy: np.ndarray) -> tuple[float, float, float, float]:
    """The gate's readings of ``noisy`` (T, J, 2): noise level (body sizes), joints' and bones' lengths' whiteness,
    and the share it opens."""
    x = np.asarray(noisy, np.float64)
    noise = input_noise(x)
    return (float(noise_level(x, noise)), float(whiteness(x)), float(noise_only.length_whiteness(x, "coco17")),
            float(noise_only.noise_only_share(x, "coco17", noise=noise)))


def hands(seeds: list[int]) -> None:
    """Print the hand-alone case's MPJPE (px, mean over ``seeds``) per method (module docstring)."""
    from synsp.data.fingerspelling import fingerspelling

    methods = ("input", "synsp", "smoothnet", "butterworth", "savgol")
    scores = []
    for seed in seeds:
        clean, noisy = fingerspelling(300, FPS, seed)
        truth, x = clean[:, 112:133, :2].astype(np.float64), noisy[:, 112:133, :2].astype(np.float64)  # the right hand
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            scores.append([float(np.linalg.norm((x if m == "input" else np.asarray(synsp.refine(x, m, fps=FPS),
                                                                                    np.float64)) - truth,
                                                axis=-1).mean()) for m in methods])
    mean = np.mean(scores, axis=0)
    print(f"hand alone (21 points, fingerspelling seeds {seeds}), MPJPE px (x input)\n")
    print("| " + " | ".join(methods) + " |\n|" + "---:|" * len(methods))
    print("| " + " | ".join(x_input(mean)) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", help="val (choices) or test (final figures, once)")
    parser.add_argument("--speeds", type=float, nargs="+", default=[1.0, 2.0])
    parser.add_argument("--noises", nargs="+", default=["white1", "white2", "white4", "jitter", "typical"],
                        help="whiteN (N px per coordinate) or simulator presets")
    parser.add_argument("--slow", action="store_true", help="every 6th other clip of the split instead (contrast)")
    parser.add_argument("--hands", action="store_true", help="the hand-alone case instead (module docstring)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="--hands: fingerspelling's seeds")
    args = parser.parse_args()
    start = time.time()
    if args.hands:
        hands(args.seeds)
        print(f"\n({time.time() - start:.0f} s)")
        return
    names = fast_names(args.split, False)
    if args.slow:
        names = [n for n in load_split(args.split) if n not in names][::6]
    clips = load_clips(names, layout="coco17")
    print(f"{len(names)} clips ({args.split}{', slow contrast' if args.slow else ', dashes and runs'}), 1 camera each, "
          "coco17, 30 fps; readings: min-max over the cases; MPJPE px frame-weighted (x input)\n")
    print("| noise | speed | level | whiteness | lengths' | opened cases | " + " | ".join(METHODS) + " |")
    print("|---|---|---|---|---|---:|" + "---:|" * len(METHODS))
    for noise in args.noises:
        for speed in args.speeds:
            rng = np.random.default_rng([EVAL_SEED, int(speed * 10), 11])
            read, scores, frames = [], [], []
            for clip in clips:
                fast = played_faster(clip, speed, FPS).astype(np.float64) if speed != 1 else clip.astype(np.float64)
                white = noise.startswith("white")
                noisy, clean = noisy_view(fast, "2d", "white" if white else noise,
                                          float(noise[5:]) if white else 0.0, rng)
                read.append(readings(noisy))
                out = outputs(noisy)
                scores.append([float(np.linalg.norm(np.asarray(out[m], np.float64) - clean, axis=-1).mean())
                               for m in METHODS])
                frames.append(len(clean))
            r, mean = np.asarray(read), np.average(np.asarray(scores), axis=0, weights=frames)
            span = lambda k, f: f"{r[:, k].min():{f}}-{r[:, k].max():{f}}"  # noqa: E731
            cells = x_input(mean)
            print(f"| {noise} | {speed:g}x | {span(0, '.4f')} | {span(1, '.2f')} | {span(2, '.2f')} | "
                  f"{int((r[:, 3] > 0).sum())}/{len(r)} | " + " | ".join(cells) + " |", flush=True)
    print(f"\n({time.time() - start:.0f} s)")


if __name__ == "__main__":
    main()

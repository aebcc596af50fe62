"""A cut in time on an uneven clock: two validation clips joined (benchmarks/RESULTS.md, section 11, "Uneven times";
section 4, "A cut in time: clips joined"), sampled at 30 fps (the even clock, the reference) or at a phone's times,
refined as ``synsp refine`` refines a file with those times (:func:`synsp.refining.uneven_times.refine_tracks_at`).
Each pair of consecutive validation clips (A, B) is joined as ``benchmarks/body_cuts.py --joined`` joins the split:
B placed to continue where A ended (its root at A's last root across the floor), and with ``--turn`` B also turned
by that many degrees about the vertical (a cut to another side of the body as well). The clocks: ``even`` (every
1/30 s: refined as evenly spaced), ``uneven`` (steps 1/30 s +-30 %, uniform: a phone's variable frame rate) and
``drops`` (the same, then 5 % of the frames dropped), each clip's times drawn over its own span, B's first one clock
step after A's last (the cut between them), the true poses a cubic spline through each clip's mocap at those times;
then white noise (3D: 15 mm, 2D: 2 px after a random camera). Prints per clock the joins cut (a cut named within 2
frames of the join, of the pairs), other cuts named, and the error (root-relative MPJPE in 3D, mm; MPJPE in 2D, px)
of the input and the output within 15 frames of the join and over the whole take. ``--guard``: no refinement; every
clip of the split alone (no cut), sampled at each clock, the presets' errors added after
(:func:`synsp.data.simulator.estimate`, 2D and 3D as the protocol makes them), and the clips on which
:func:`synsp.refining.clock_cuts.file_cuts` reads a cut (where it reads none the uneven route's output is the one
before, bit for bit). Run (PYTHONPATH=src):

    .venv/bin/python benchmarks/uneven_cuts.py [--space 3d|2d] [--pairs 12] [--turn 0] [--method synsp]
    .venv/bin/python benchmarks/uneven_cuts.py --guard [--presets none clean-ish typical jitter hard]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np
from scipy.interpolate import CubicSpline

from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clips
from synsp.data.simulator import estimate, get_preset
from synsp.data.splits import load_split
from synsp.evaluation.protocol import EVAL_SEED, make_cases
from synsp.metrics import mpjpe
from synsp.refining.uneven_times import refine_tracks_at

NEAR = 15  # frames either side of the join scored as "near"
CLOCKS = ("even", "uneven", "drops")


def clock(n_frames: int, kind: str, rng: np.random.Generator) -> np.ndarray:
    """Times (T',) s over the span of ``n_frames`` frames at 30 fps on the clock ``kind`` (module docstring)."""
    if kind == "even":
        return np.arange(n_frames) / 30
    steps = (1 + rng.uniform(-0.3, 0.3, n_frames)) / 30
    times = np.concatenate([[0.0], np.cumsum(steps)])
    times = times[times <= (n_frames - 1) / 30]
    if kind == "drops":
        times = np.delete(times, rng.choice(np.arange(1, len(times) - 1), int(round(0.05 * len(times))), False))
    return np.round(times, 4)


def turn(clip: np.ndarray, angle: float) -> np.ndarray:
    """``clip`` (T, J, 3) turned by ``angle`` degrees about the vertical (Y) through its first root."""
    a = np.radians(angle)
    rotation = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    root = clip[:1, :1]
    return root + (clip - root) @ rotation.T


def take(a: np.ndarray, b: np.ndarray, kind: str, space: str, angle: float, seed: int):
    """(input (T, J, C), truth, times (T,) s, join: the first frame of B) of clips ``a`` and ``b`` (T, J, 3) joined."""
    rng = np.random.default_rng(seed)
    b = turn(b, angle)
    root = (lambda c: c[:, 0]) if space == "3d" else (lambda c: (c[:, 11] + c[:, 12]) / 2)  # noqa: E731
    b[..., [0, 2]] += root(a)[-1, [0, 2]] - root(b)[0, [0, 2]]
    parts, times = [], []
    for k, clip in enumerate((a, b)):
        t = clock(len(clip), kind, rng)
        parts.append(CubicSpline(np.arange(len(clip)) / 30, clip, axis=0)(t))
        times.append(t + (times[-1][-1] + (1 + (rng.uniform(-0.3, 0.3) if kind != "even" else 0)) / 30 if k else 0))
    truth = np.concatenate(parts)
    if space == "2d":
        truth = project(truth, random_camera(np.random.default_rng(1300 + seed), subject=truth))
    noisy = truth + rng.normal(0, 15.0 if space == "3d" else 2.0, truth.shape)
    return noisy, truth, np.concatenate(times), len(parts[0])


def error(x: np.ndarray, truth: np.ndarray, space: str) -> float:
    """Root-relative MPJPE in 3D (mm), MPJPE in 2D (px)."""
    if space == "3d":
        return mpjpe(x - x[:, :1], truth - truth[:, :1])
    return mpjpe(x, truth)


def guard(split: str, presets: list[str]) -> None:
    """Print, per space, preset and clock, the clips of ``split`` on which a cut is read at the file's frames."""
    from synsp.refining.clock_cuts import file_cuts

    names = load_split(split)
    print(f"{split}: {len(names)} clips, each alone (no cut); clips with a cut read at the file's frames (cuts)")
    for space, layout in (("3d", "h36m17"), ("2d", "coco17")):
        clips = [np.asarray(c, np.float64) for c in load_clips(names, layout=layout)]
        for preset in presets:
            counts = []
            for kind in CLOCKS:
                rng = np.random.default_rng(EVAL_SEED)
                fired = cuts = 0
                for clip in clips:
                    times = clock(len(clip), kind, rng)
                    subject = CubicSpline(np.arange(len(clip)) / 30, clip, axis=0)(times).astype(np.float32)
                    other = clips[rng.integers(len(clips))].astype(np.float32)
                    noisy, clean = estimate(subject, other, rng, preset=get_preset("jitter" if preset == "none"
                                                                                    else preset),
                                            layout=layout, space=space)
                    found = file_cuts((clean if preset == "none" else noisy)[None], times, layout, "synsp")[0]
                    fired += bool(len(found))
                    cuts += len(found)
                counts.append(f"{kind} {fired} ({cuts})")
            print(f"{space} {preset:10s} " + ", ".join(counts), flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--pairs", type=int, default=12)
    parser.add_argument("--turn", type=float, default=0.0)
    parser.add_argument("--method", default="synsp")
    parser.add_argument("--split", default="val")
    parser.add_argument("--guard", action="store_true")
    parser.add_argument("--presets", nargs="+", default=["none", "clean-ish", "typical", "jitter", "hard"])
    args = parser.parse_args()
    if args.guard:
        return guard(args.split, args.presets)
    layout = "h36m17" if args.space == "3d" else "coco17"
    clips = [c.clean.astype(np.float64) for c in make_cases(args.split, "none", layout=layout)]
    print(f"{args.split}, {args.space}, {layout}, {args.method}, B turned {args.turn:g} degrees, "
          f"{args.pairs} pairs of clips joined")
    print("clock  | joins cut | other cuts | near join: input -> output | whole take: input -> output")
    for kind in CLOCKS:
        found = other = 0
        near_in, near_out, all_in, all_out = [], [], [], []
        for p in range(args.pairs):
            noisy, truth, times, join = take(clips[p], clips[p + 1].copy(), kind, args.space, args.turn, p)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                tracks, _ = refine_tracks_at(noisy[None].astype(np.float32), None if kind == "even" else times,
                                             layout, args.method, fps=30.0)
            cuts = [t for _, t in tracks.turned]
            found += any(abs(t - join) <= 2 for t in cuts)
            other += sum(abs(t - join) > 2 for t in cuts)
            out = tracks.refined[0].astype(np.float64)
            near = slice(max(join - NEAR, 0), join + NEAR)
            near_in.append(error(noisy[near], truth[near], args.space))
            near_out.append(error(out[near], truth[near], args.space))
            all_in.append(error(noisy, truth, args.space))
            all_out.append(error(out, truth, args.space))
        print(f"{kind:6s} | {found:2d} / {args.pairs:2d}   | {other:10d} | {np.mean(near_in):6.2f} -> "
              f"{np.mean(near_out):6.2f}           | {np.mean(all_in):6.2f} -> {np.mean(all_out):6.2f}", flush=True)


if __name__ == "__main__":
    main()

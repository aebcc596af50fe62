"""A video cut to a closer or wider shot (benchmarks/RESULTS.md, section 4, "A cut to a closer or wider shot"):
the second half of a validation clip (``--preset``, default ``jitter``) scaled by FACTOR about the body's centre at
the cut (the truth's mean joint there, 3D its pelvis; a broadcast cutting to a close-up, 2.5: the person 2.5 x
bigger in place; 0.4: a wider shot). Prints, per factor, the MPJPE (2D px; 3D mm) of the 10 frames either side of
the cut: the input, synsp on the whole clip, synsp on the two shots apart, for the fast movers (dash, run) and for
all clips; the cuts found (:func:`synsp.estimator_errors.body_cuts.turned_cuts` at the cut frame) of those made.
``--found``: no refinement; on every clip of the split, the frames cut (any rule of ``turned_cuts``) and the largest
change of the body's size from a frame to the next not undone by half within
:data:`~synsp.estimator_errors.body_cuts.CUT_STAY` frames either side (:func:`held_change`; x) in
the protocol's presets, in clean motion 3 times as fast, in a person walking towards the camera (the clip's pose
scaled 1 -> 2.5 x over the clip, evenly in log), in a spin (the clip turned about the vertical through its pelvis at
1 and 3 turns a second, 2D through a random camera), and the zoom cuts found at each factor; each also as a live
stream's :class:`~synsp.inference.stream_cuts.CutWatch` reads them (CUT_STAY frames after a jump).
``--why``: no refinement; per clip, at the first factor, what the turn tests read at the cut: the jump (the median
joint's, :func:`~synsp.estimator_errors.body_cuts.jump_sizes`, the lesser labelling in 2D), the limit, the track's
median step, and the other jumps past CUT_OTHER of the limit within CUT_RETURN frames (which make a 2D cut a flip's).
``--speed``: no refinement; CPU seconds and peak memory (tracemalloc) of ``turned_cuts`` on a holistic543 track of
300 frames and a coco133 one of 1800 (the first val clip's coco17 2D `jitter` input, looped, each point at a fixed
random offset of up to 20 px from a body joint), and the frames it cut.
Run (PYTHONPATH=src):

    .venv/bin/python benchmarks/zoom_cuts.py [--space 2d|3d] [--preset jitter] [--clips 12]
        [--factors 1.5 2 2.5 0.4] [--split val] [--found] [--why] [--speed]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.data.camera import project, random_camera
from synsp.estimator_errors.body_cuts import (
    CUT_NOISE,
    CUT_OTHER,
    CUT_RETURN,
    CUT_STAY,
    CUT_STEP,
    jump_sizes,
    turned_cuts,
)
from synsp.evaluation.protocol import make_cases
from synsp.inference.stream_cuts import CutWatch
from synsp.metrics import mpjpe
from synsp.sequence import body_size
from synsp.skeleton import get_layout

try:
    from synsp.estimator_errors.body_cuts import size_change
except ImportError:  # the code before the zoom cuts
    size_change = None

MOVERS = ("dash", "run")


def zoomed(x: np.ndarray, truth: np.ndarray, factor: float) -> tuple[np.ndarray, np.ndarray, int]:
    """``x`` and ``truth`` (T, J, C) with their second half scaled by ``factor`` about the truth's mean joint at the
    cut (2D), or its pelvis (3D: the val inputs' pelvis is at the origin, a root-relative estimator's; scaled about
    another point it leaves the origin in one shot only, and the other shot's pelvis reads as a joint not found, given
    back NaN), and the cut frame."""
    cut = len(x) // 2
    centre = truth[cut].mean(axis=0) if x.shape[-1] != 3 else truth[cut, 0]

    def scale(p: np.ndarray) -> np.ndarray:
        return np.concatenate([p[:cut], (p[cut:] - centre) * factor + centre])
    return scale(x), scale(truth), cut


def held_change(x: np.ndarray) -> float:
    """The largest factor (> 1, a shrink read as its inverse) by which the body's size changed from a frame of ``x``
    (T, J, C) into the next, where the CUT_STAY frames after did not go back by half of it (in log) nor the CUT_STAY
    before come the other way: what :func:`~synsp.estimator_errors.body_cuts.zoomed` asks to be
    :data:`~synsp.estimator_errors.body_cuts.ZOOM_STEP` (NaN: a clip too short, or the code before it)."""
    if size_change is None or len(x) < 2 * CUT_STAY + 3:
        return float("nan")
    n = len(x) - 1 - 2 * CUT_STAY  # frames t = CUT_STAY + 1 .. T - 1 - CUT_STAY, row t - CUT_STAY - 1
    at = np.arange(CUT_STAY + 1, CUT_STAY + 1 + n)
    jump = size_change(x[at - 1], x[at])
    back = np.stack([size_change(x[at], x[at + k]) for k in range(1, CUT_STAY + 1)])  # (CUT_STAY, n)
    came = np.stack([size_change(x[at - 1 - k], x[at - 1]) for k in range(1, CUT_STAY + 1)])
    kept = (np.sign(jump) * back > -np.abs(jump) / 2).all(axis=0) & (np.sign(jump) * came > -np.abs(jump) / 2).all(0)
    return float(np.exp(np.where(kept, np.abs(jump), 0.0).max()))


def streamed_cuts(x: np.ndarray, flip: np.ndarray) -> set[int]:
    """The frames a live stream's :class:`CutWatch` cuts ``x`` (T, J, C) at, reading CUT_STAY frames after a jump (no
    network: the cut depends on the input only; benchmarks/stream_cuts.py's ``watched``)."""
    watch = CutWatch(flip, CUT_STAY, lambda frame: [], lambda: np.zeros(0))
    for frame in x:
        watch.push(frame[None])
    return set(watch.cuts)


def near_cut(run: list, cut: int) -> float:
    """MPJPE of ``run`` = [output, truth] over the 10 frames either side of ``cut``."""
    near = np.r_[cut - 10: cut + 10]
    return mpjpe(run[0][near], run[1][near])


def table(args: argparse.Namespace) -> None:
    """The default mode's table (module docstring)."""
    layout = get_layout("h36m17" if args.space == "3d" else "coco17")
    given = make_cases(args.split, args.preset, layout=layout.name, space=args.space, max_clips=args.clips)
    unit = "mm" if args.space == "3d" else "px"
    print(f"{args.space} `{args.preset}`, {len(given)} clips; MPJPE {unit} of the 20 frames around the cut, input / "
          "synsp whole / synsp apart; cuts found")
    for factor in args.factors:
        rows = {True: [], False: []}
        found = 0
        for case in given:
            x, truth, cut = zoomed(np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64), factor)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                whole = np.asarray(synsp.refine(x, fps=30), np.float64)
                apart = np.concatenate([synsp.refine(x[:cut], fps=30), synsp.refine(x[cut:], fps=30)])
            found += bool(turned_cuts(x, layout.left_right)[cut])
            mover = any(m in case.name for m in MOVERS)
            rows[mover].append([near_cut([p, truth], cut) for p in (x, whole, apart)])
        every = rows[True] + rows[False]

        def cells(r: list) -> str:
            return " / ".join(f"{v:.2f}" for v in np.mean(r, axis=0)) if r else "-"
        print(f"x{factor:g}: movers ({len(rows[True])}) {cells(rows[True])}; all ({len(every)}) {cells(every)}; "
              f"cut {found} of {len(every)}", flush=True)


def spun(clip: np.ndarray, turns_per_s: float, pelvis: np.ndarray) -> np.ndarray:
    """``clip`` (T, J, 3) mm, Y up, turned about the vertical through ``pelvis`` (T, 1, 3), ``turns_per_s`` (30 fps)."""
    angle = 2 * np.pi * turns_per_s * np.arange(len(clip)) / 30.0
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    p = clip - pelvis
    out = p.copy()
    out[..., 0], out[..., 2] = c * p[..., 0] + s * p[..., 2], -s * p[..., 0] + c * p[..., 2]
    return out + pelvis


def found(args: argparse.Namespace) -> None:
    """``--found``'s lines (module docstring)."""
    for space in ("2d", "3d"):
        layout = get_layout("h36m17" if space == "3d" else "coco17")
        given = {p: make_cases(args.split, p, layout=layout.name, space=space)
                 for p in ("none", "clean-ish", "typical", "jitter", "hard")}
        rows = {p: [c.noisy for c in v] for p, v in given.items()}
        clean = [np.asarray(c.clean, np.float64) for c in given["none"]]
        rows["clean 3x fast"] = [c[::3] for c in clean]
        rows["typical 3x fast"] = [np.asarray(c.noisy)[::3] for c in given["typical"]]
        rows["walking towards the camera (1 -> 2.5 x)"] = [
            (c - c.mean(axis=(0, 1))) * np.exp(np.linspace(0, np.log(2.5), len(c)))[:, None, None] + c.mean(axis=(0, 1))
            for c in [np.asarray(c.noisy, np.float64) for c in given["jitter"]]]
        truths3d = [np.asarray(c.clean, np.float64) for c in make_cases(args.split, "none", layout=layout.name)]
        for turns in (1.0, 3.0):
            pelvis = (lambda c: c[:, :1]) if space == "3d" else (lambda c: (c[:, 11:12] + c[:, 12:13]) / 2)  # noqa: E731
            spins = [spun(c, turns, pelvis(c)) for c in truths3d]
            if space == "2d":
                spins = [project(c, random_camera(np.random.default_rng(1300 + i), subject=c))
                         for i, c in enumerate(spins)]
            rows[f"spin {turns:g} turn/s"] = spins
        for name, xs in rows.items():
            xs = [np.asarray(x, np.float64) for x in xs]
            counts = [int(turned_cuts(x, layout.left_right).sum()) for x in xs]
            live = sum(len(streamed_cuts(x, layout.flip_index)) for x in xs)
            print(f"{space} {name}: frames cut {sum(counts)} in {sum(n > 0 for n in counts)} of {len(xs)} clips "
                  f"(a stream: {live}); largest size change kept {max(map(held_change, xs)):.3f} x", flush=True)
        for factor in args.factors:
            hits, live = 0, 0
            for case in given[args.preset]:
                x, _, cut = zoomed(np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64), factor)
                hits += bool(turned_cuts(x, layout.left_right)[cut])
                live += cut in streamed_cuts(x, layout.flip_index)
            print(f"{space} `{args.preset}` zoomed x{factor:g} at the middle: cut {hits} of {len(given[args.preset])} "
                  f"(a stream: {live})", flush=True)


def why(args: argparse.Namespace) -> None:
    """``--why``'s lines (module docstring): the turn tests' figures at the cut, as ``turned_cuts`` reads them."""
    layout = get_layout("h36m17" if args.space == "3d" else "coco17")
    for case in make_cases(args.split, args.preset, layout=layout.name, space=args.space, max_clips=args.clips):
        x, _, cut = zoomed(np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64), args.factors[0])
        both = jump_sizes(x[:-1], x[1:], layout.flip_index)
        steps = both.min(axis=-1) if args.space == "2d" else both[:, 0]
        usual = np.nanmedian(steps)
        limit = max(CUT_STEP * body_size(x), CUT_NOISE * usual)
        near = np.arange(max(cut - CUT_RETURN, 1), min(cut + CUT_RETURN, len(x) - 1))
        others = [int(u) for u in near if u != cut and steps[u - 1] > CUT_OTHER * limit]
        print(f"{case.name}: jump {steps[cut - 1]:.1f}, limit {limit:.1f}, median step {usual:.2f}, other jumps at "
              f"{others} (cut at {cut}: {bool(turned_cuts(x, layout.left_right)[cut])})", flush=True)


def speed() -> None:
    """``--speed``'s lines (module docstring): CPU seconds and peak memory of ``turned_cuts`` on dense layouts."""
    import time
    import tracemalloc
    clip = np.asarray(make_cases("val", "jitter", layout="coco17", space="2d", max_clips=1)[0].noisy, np.float64)
    for name, frames in (("holistic543", 300), ("coco133", 1800)):
        layout = get_layout(name)
        rng = np.random.default_rng(0)
        ids = np.arange(len(layout.joints)) % clip.shape[1]  # each point about a body joint, at a fixed offset
        x = np.resize(clip, (frames, *clip.shape[1:]))[:, ids] + rng.uniform(-20, 20, (len(ids), 2))
        tracemalloc.start()
        start = time.process_time()
        cuts = turned_cuts(x, layout.left_right)
        took = time.process_time() - start
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{name}, {frames} frames: {took:.2f} s CPU, peak {peak / 2 ** 20:.0f} MB; frames cut {int(cuts.sum())}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=["2d", "3d"], default="2d")
    parser.add_argument("--preset", default="jitter")
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument("--factors", type=float, nargs="+", default=[1.5, 2.0, 2.5, 0.4])
    parser.add_argument("--split", default="val")
    parser.add_argument("--found", action="store_true", help="cuts found and frames cut, no refinement")
    parser.add_argument("--why", action="store_true", help="the turn tests' figures at the cut, no refinement")
    parser.add_argument("--speed", action="store_true", help="time and memory of the cut test on dense layouts")
    args = parser.parse_args()
    speed() if args.speed else found(args) if args.found else why(args) if args.why else table(args)


if __name__ == "__main__":
    main()

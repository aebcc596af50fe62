"""A video cut to another side of the person (benchmarks/RESULTS.md, section 4, "A cut to another side
of the body"): validation clips whose true pose turns by ANGLE degrees about the vertical through the
pelvis in one frame (a reverse shot, a broadcast cutting between cameras), at a third of the clip and
back at two thirds ("and back") or for the rest of the clip ("to the end"); the input is the truth
plus white noise (3D: 15 mm, root-relative MPJPE; 2D: 2 px after a random camera, MPJPE), so every
label is right. Prints per method the MPJPE and its ratio to the input's, the frames whose output is
nearer the truth with left and right exchanged than the truth, and (when the code has
:mod:`synsp.estimator_errors.body_cuts`) the cuts found of those made. Clips of 90 frames or more
(a third of them at least 30 frames: a 2D cut must stay 1 s, :data:`~synsp.estimator_errors.body_cuts.CUT_RETURN`).
``--joined MINUTES``: the split's clips joined end to end into one take of MINUTES (each placed to
continue where the last ended, as a root-relative estimator's output across an edit runs on: the pose
and the body's turn change at every join, a cut in time), the same noise; absolute and root-relative
MPJPE (3D), the frames given with left and right exchanged, and the joins cut.
``--found``: no refinement; on every clip of the split (any length), the cuts found of those made at
each angle (and back, to the end), other frames cut, and the frames cut in the protocol's presets, at
benchmarks/body_flips.py's flips (every label exchanged for 4 frames three times, 1 s, 3 s), in clean
motion 2 or 3 times as fast, ``typical`` 3 times as fast, and with white noise (20 mm, 4 px) twice as fast.
Run (PYTHONPATH=src):

    .venv/bin/python benchmarks/body_cuts.py [--space 3d|2d] [--angles 60 90 120 150 180] [--clips 12]
        [--to-end] [--methods synsp smoothnet butterworth] [--split val] [--found] [--joined 10]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.data.camera import project, random_camera
from synsp.evaluation.protocol import make_cases
from synsp.metrics import mpjpe
from synsp.skeleton import get_layout

try:
    from synsp.estimator_errors.body_cuts import turned_cuts
except ImportError:  # the code before the cuts: none found
    turned_cuts = None


def turned(clip: np.ndarray, angle: float, root: np.ndarray, start: int, stop: int) -> np.ndarray:
    """``clip`` (T, J, 3) with frames ``start`` .. ``stop`` - 1 turned by ``angle`` degrees about the
    vertical (Y) through ``root`` (T, 1, 3)."""
    a = np.radians(angle)
    rotation = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    out = clip.copy()
    out[start:stop] = root[start:stop] + (clip[start:stop] - root[start:stop]) @ rotation.T
    return out


def cases(split: str, space: str, angle: float, count: int, to_end: bool,
          shortest: int = 90) -> list[tuple[np.ndarray, np.ndarray, list]]:
    """(input, truth, frames cut) of the first ``count`` clips (0: all) of ``split`` of ``shortest`` frames or more."""
    layout = "h36m17" if space == "3d" else "coco17"
    clips = [c.clean.astype(np.float64) for c in make_cases(split, "none", layout=layout) if len(c.clean) >= shortest]
    rng = np.random.default_rng(1200)
    out = []
    for i, clip in enumerate(clips[:count or None]):
        t_count = len(clip)
        start, stop = t_count // 3, t_count if to_end else 2 * t_count // 3
        root = clip[:, :1] if layout == "h36m17" else (clip[:, 11:12] + clip[:, 12:13]) / 2
        truth = turned(clip, angle, root, start, stop)
        if space == "2d":
            truth = project(truth, random_camera(np.random.default_rng(1300 + i), subject=truth))
        noisy = truth + rng.normal(0, 15.0 if space == "3d" else 2.0, truth.shape)
        out.append((noisy, truth, [start] + ([stop] if stop < t_count else [])))
    return out


def joined(split: str, space: str, minutes: float) -> tuple[np.ndarray, np.ndarray, list]:
    """(input, truth, joins) of ``split``'s clips joined end to end into ``minutes`` at 30 fps
    (module docstring; 2D through one random camera)."""
    layout = "h36m17" if space == "3d" else "coco17"
    clips = [c.clean.astype(np.float64) for c in make_cases(split, "none", layout=layout)]
    root = (lambda c: c[:, 0]) if layout == "h36m17" else (lambda c: (c[:, 11] + c[:, 12]) / 2)  # noqa: E731
    parts, joins, need = [], [], int(minutes * 60 * 30)
    while sum(map(len, parts)) < need:
        clip = clips[len(parts) % len(clips)].copy()
        if parts:
            clip[..., [0, 2]] += root(parts[-1])[-1, [0, 2]] - root(clip)[0, [0, 2]]
            joins.append(sum(map(len, parts)))
        parts.append(clip)
    truth = np.concatenate(parts)[:need]
    if space == "2d":
        truth = project(truth, random_camera(np.random.default_rng(1300), subject=truth))
    noisy = truth + np.random.default_rng(1).normal(0, 15.0 if space == "3d" else 2.0, truth.shape)
    return noisy, truth, [t for t in joins if t < need]


def error(x: np.ndarray, truth: np.ndarray, space: str) -> float:
    """Root-relative MPJPE in 3D (mm), MPJPE in 2D (px)."""
    if space == "3d":
        return mpjpe(x - x[:, :1], truth - truth[:, :1])
    return mpjpe(x, truth)


def found_cuts(split: str, space: str, angles: list[float], cut=None) -> None:
    """``--found``'s lines (module docstring); ``cut``: a track (T, J, C) -> the set of frames cut (default
    :func:`turned_cuts`'s; benchmarks/stream_cuts.py gives a stream's)."""
    layout = get_layout("h36m17" if space == "3d" else "coco17")
    if cut is None:
        cut = lambda x: set(np.flatnonzero(turned_cuts(x, layout.left_right)).tolist())  # noqa: E731
    for to_end in (False, True):
        for angle in angles:
            runs = cases(split, space, angle, 0, to_end, shortest=0)
            hits = [cut(noisy) for noisy, _, _ in runs]
            made = sum(len(c) for _, _, c in runs)
            print(f"cut {angle:g} deg {'to the end' if to_end else 'and back'}: found "
                  f"{sum(len(h & set(c)) for h, (_, _, c) in zip(hits, runs))} of {made}, other frames cut "
                  f"{sum(len(h - set(c)) for h, (_, _, c) in zip(hits, runs))}", flush=True)
    rng = np.random.default_rng(5)
    given = {p: make_cases(split, p, layout=layout.name, space=space) for p in ("none", "typical", "hard", "jitter")}
    rows = {p: [c.noisy for c in v] for p, v in given.items()}

    def flipped(x: np.ndarray, starts: list[int], length: int) -> np.ndarray:
        x = x.copy()
        for s in starts:
            x[s:s + length] = x[s:s + length][:, layout.flip_index]
        return x
    rows["jitter, flipped 4 frames x 3"] = [flipped(c.noisy, [len(c.noisy) * q // 4 for q in (1, 2, 3)], 4)
                                            for c in given["jitter"]]
    rows["jitter, flipped 1 s"] = [flipped(c.noisy, [len(c.noisy) // 3], 30) for c in given["jitter"]]
    rows["jitter, flipped 3 s"] = [flipped(c.noisy, [len(c.noisy) // 3], 90) for c in given["jitter"]]
    rows["clean 2x / 3x fast"] = [c.clean[::k] for k in (2, 3) for c in given["none"]]
    rows["typical 3x fast"] = [c.noisy[::3] for c in given["typical"]]
    white = 20.0 if space == "3d" else 4.0
    rows["white noise, 2x fast"] = [c.clean[::2] + rng.normal(0, white, c.clean[::2].shape) for c in given["none"]]
    for name, xs in rows.items():
        counts = [len(cut(x)) for x in xs]
        print(f"{name}: frames cut {sum(counts)} in {sum(n > 0 for n in counts)} of {len(xs)} clips", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=["2d", "3d"], default="3d")
    parser.add_argument("--angles", type=float, nargs="+", default=[60, 90, 120, 150, 180])
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument("--to-end", action="store_true", help="turned for the rest of the clip, not back")
    parser.add_argument("--methods", nargs="+", default=["synsp", "smoothnet", "butterworth"])
    parser.add_argument("--split", default="val")
    parser.add_argument("--found", action="store_true", help="cuts found and frames cut, no refinement")
    parser.add_argument("--joined", type=float, metavar="MINUTES", help="the split's clips joined into one take")
    args = parser.parse_args()
    if args.found:
        return found_cuts(args.split, args.space, args.angles)
    flip = get_layout("h36m17" if args.space == "3d" else "coco17").flip_index
    pairs = get_layout("h36m17" if args.space == "3d" else "coco17").left_right
    if args.joined:
        return joined_take(args, flip, pairs)
    print(f"| turn ({args.space}, {'to the end' if args.to_end else 'and back'}) | input | "
          + " | ".join(f"{m} (x input; frames L/R exchanged)" for m in args.methods) + " | cuts found |")
    print("|---" * (len(args.methods) + 3) + "|")
    for angle in args.angles:
        runs = cases(args.split, args.space, angle, args.clips, args.to_end)
        given = sum(len(noisy) for noisy, _, _ in runs)
        inputs = np.mean([error(noisy, truth, args.space) for noisy, truth, _ in runs])
        cells = []
        for method in args.methods:
            errs, exchanged = [], 0
            for noisy, truth, _ in runs:
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    out = np.asarray(synsp.refine(noisy, method), np.float64)
                errs.append(error(out, truth, args.space))
                exchanged += int((np.linalg.norm(out - truth[:, flip], axis=-1).mean(1)
                                  < np.linalg.norm(out - truth, axis=-1).mean(1)).sum())
            cells.append(f"{np.mean(errs):.2f} ({np.mean(errs) / inputs:.3f}; {exchanged} of {given})")
        found = "-" if turned_cuts is None else sum(
            len(set(np.flatnonzero(turned_cuts(noisy, pairs)).tolist()) & set(cut)) for noisy, _, cut in runs)
        made = sum(len(cut) for _, _, cut in runs)
        print(f"| {angle:g} deg | {inputs:.2f} | " + " | ".join(cells) + f" | {found} of {made} |", flush=True)



def joined_take(args: argparse.Namespace, flip: np.ndarray, pairs: tuple) -> None:
    """``--joined``'s table (module docstring)."""
    noisy, truth, joins = joined(args.split, args.space, args.joined)
    absolute = (lambda x: f"{mpjpe(x, truth):.2f}; ") if args.space == "3d" else (lambda x: "")  # noqa: E731
    found = "-" if turned_cuts is None else len(set(np.flatnonzero(turned_cuts(noisy, pairs)).tolist()) & set(joins))
    print(f"{len(noisy)} frames, {len(joins)} joins, {found} cut; MPJPE ({'absolute; ' * (args.space == '3d')}"
          f"{'root-relative' if args.space == '3d' else 'px'}; x input; frames with left and right exchanged)")
    inputs = error(noisy, truth, args.space)
    print(f"input: {absolute(noisy)}{inputs:.2f}")
    for method in args.methods:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = np.asarray(synsp.refine(noisy, method), np.float64)
        exchanged = int((np.linalg.norm(out - truth[:, flip], axis=-1).mean(1)
                         < np.linalg.norm(out - truth, axis=-1).mean(1)).sum())
        mine = error(out, truth, args.space)
        print(f"{method}: {absolute(out)}{mine:.2f} ({mine / inputs:.3f}; {exchanged})", flush=True)


if __name__ == "__main__":
    main()

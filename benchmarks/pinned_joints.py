"""A joint pinned on an object: a wrist or an ankle held near-still aside its track for a run, then back.

``errors``: each of the first ``--clips`` validation clips (``--preset``; coco17 2D, or h36m17 3D) gets its left wrist
(or ``--joint ankle``) held from frame T // 3 for ``--frames`` frames at a point ``--aside`` body heights to the
right of its last value, +- ``--tremble`` px (2D) or mm (3D), then back (audit 35, finding 2). Prints, per clip and
mean, the joint's error on those frames: the input, SynSP, the same frames as a gap (NaN, refined by SynSP), how
many of them the measurements took out (:mod:`synsp.estimator_errors.pinned_joints` or the astray test), and the
joint's steps into the run and out of it over its own steps beyond (``pinned_joints.edge_steps``).
``--control still-body`` holds every joint there instead (a body standing still), ``--control planted`` holds the
joint and turns its bone about it towards the parent's own track, its length kept (``--joint ankle``: a foot planted
while the knee flexes; a wrist: a hand resting while the forearm turns about it): the pinned step must take none.

``guard``: how many values of the 65 validation clips the pinned step marks under each preset, 2D and 3D.

Run::

    .venv/bin/python benchmarks/pinned_joints.py errors [--space 3d] [--joint ankle] [--aside 0.3]
    .venv/bin/python benchmarks/pinned_joints.py errors --control planted --joint ankle
    .venv/bin/python benchmarks/pinned_joints.py guard
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.estimator_errors.glitches import glitches
from synsp.estimator_errors.held_values import held_values
from synsp.estimator_errors.measurements import measurements
from synsp.evaluation.protocol import make_cases
from synsp.skeleton import bone_tree, get_layout

try:  # errors runs on a commit without the pinned step too (the figures before it)
    from synsp.estimator_errors.pinned_joints import edge_steps
except ImportError:
    edge_steps = None

# (joint, its parent, grandparent) per layout and limb: the left wrist, elbow, shoulder; the left ankle, knee, hip
JOINTS = {("coco17", "wrist"): (9, 7, 5), ("coco17", "ankle"): (15, 13, 11),
          ("h36m17", "wrist"): (13, 12, 11), ("h36m17", "ankle"): (6, 5, 4)}


def pin(noisy: np.ndarray, clean: np.ndarray, joints: tuple[int, int, int], args: argparse.Namespace,
        rng: np.random.Generator) -> tuple[np.ndarray, slice]:
    """``noisy`` (T, J, C) with the pin (or the ``--control``) written over ``args.frames`` frames from T // 3; the
    frames' slice. The point lies ``args.aside`` body heights (of ``clean``) along the first coordinate."""
    x, t0 = noisy.copy(), len(noisy) // 3
    run = slice(t0, t0 + args.frames)
    joint, parent, _ = joints
    if args.control is None:  # audit 35's draw
        height = np.nanmedian(np.nanmax(clean[:, :, 1], 1) - np.nanmin(clean[:, :, 1], 1))
        point = x[t0 - 1, joint].copy()
        point[0] += args.aside * height
        x[run, joint] = point + rng.uniform(-args.tremble, args.tremble, (args.frames, x.shape[-1]))
        return x, run
    shake = rng.uniform(-args.tremble, args.tremble, (args.frames, *x.shape[1:]))
    if args.control == "still-body":
        x[run] = x[t0 - 1] + shake
    else:  # planted: a foot planted while the knee flexes, a hand resting while the forearm turns about it
        foot = x[t0 - 1, joint]
        shin = np.linalg.norm(x[t0 - 1, parent] - foot)
        way = x[run, parent] - foot
        x[run, joint] = foot + shake[:, joint]
        x[run, parent] = foot + shin * way / np.linalg.norm(way, axis=-1, keepdims=True)
    return x, run


def errors(args: argparse.Namespace) -> None:
    """The pinned joint's error on its frames: input, SynSP, as a gap; values taken out (module docstring)."""
    layout = "coco17" if args.space == "2d" else "h36m17"
    joints = JOINTS[layout, args.joint]
    joint = joints[0]
    rng, rows = np.random.default_rng(0), []
    for case in make_cases("val", args.preset, layout=layout, space=args.space, max_clips=args.clips):
        noisy, clean = np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64)
        x, run = pin(noisy, clean, joints, args, rng)
        taken = measurements(x, get_layout(layout)).astray[run].sum()
        gap = x.copy()
        gap[run, joint] = np.nan
        row = [float(np.linalg.norm(y[run, joint] - clean[run, joint], axis=-1).mean())
               for y in (x, synsp.refine(x, fps=30, layout=layout), synsp.refine(gap, fps=30, layout=layout))]
        rows.append([*row, taken])
        edges = "" if edge_steps is None else (f" (steps in, out of the run over the joint's own: "
                                               f"{edge_steps(x[:, joint], run.start, run.stop).round(2).tolist()})")
        print(f"{case.name:38s} input {row[0]:8.2f} synsp {row[1]:8.2f} as a gap {row[2]:8.2f} taken out {taken}"
              f"{edges}", flush=True)
    mean = np.mean(rows, axis=0)
    print(f"MEAN input {mean[0]:.2f} synsp {mean[1]:.2f} as a gap {mean[2]:.2f}; values taken out "
          f"{int(np.sum(rows, axis=0)[3])} ({len(rows)} clips)")


def guard(args: argparse.Namespace) -> None:
    """Values of the validation clips the pinned step marks, per preset and space (module docstring)."""
    from synsp.estimator_errors.pinned_joints import pinned_joints  # here: errors runs on a commit without it too

    for preset in ("clean-ish", "typical", "jitter", "hard"):
        for space, layout in (("2d", "coco17"), ("3d", "h36m17")):
            found = clips = 0
            tree, bones = bone_tree(get_layout(layout)), get_layout(layout).bones
            for case in make_cases("val", preset, layout=layout, space=space):
                x = np.asarray(case.noisy, np.float64)
                seen = np.where(held_values(x)[..., None], np.nan, x)  # what the measurements read it on
                seen = np.where(glitches(seen, bones)[..., None], np.nan, seen)
                marked = int(pinned_joints(seen, tree).sum())
                found, clips = found + marked, clips + bool(marked)
            print(f"{preset:9s} {space}: {found} values marked pinned on {clips} of the validation clips", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("what", choices=("errors", "guard"))
    parser.add_argument("--space", choices=("2d", "3d"), default="2d")
    parser.add_argument("--preset", default="jitter")
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument("--joint", choices=("wrist", "ankle"), default="wrist")
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--aside", type=float, default=0.15, help="body heights")
    parser.add_argument("--tremble", type=float, default=None, help="px or mm (default 0.5 px, 2 mm)")
    parser.add_argument("--control", choices=("still-body", "planted"), default=None)
    args = parser.parse_args()
    if args.tremble is None:
        args.tremble = 0.5 if args.space == "2d" else 2.0
    warnings.filterwarnings("ignore")
    (errors if args.what == "errors" else guard)(args)


if __name__ == "__main__":
    main()

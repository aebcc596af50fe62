"""Hands and feet that really hold: the pinned step's controls (pull-ups, push-ups, a railing, a foothold).

:mod:`synsp.estimator_errors.pinned_joints` takes out a joint that stays still while its bone to its parent changes
length, entered and left by a jump (an estimator leaving a wrist on a table's edge). A hand or foot really still on a
hold while the body moves has the stillness, and in 2D its forearm's length changes by foreshortening. Here the first
``--clips`` validation clips get such holds before the errors are drawn (2D: before a random virtual camera films
them, ``--cameras`` cameras a clip), by two-bone inverse kinematics: the wrist (ankle) is held at one world point for
``--frames`` frames (fewer where the shoulder (hip) moves out of the arm's reach), the elbow (knee) placed between,
nearest its own track, every bone's length kept; the hand reaches the point and leaves it over ``--reach`` frames
(a minimum-jerk blend from its own track). ``--motion``:

- ``grip``: the left wrist held where it is at the hold's middle while the body moves on as the clip does (a hand on
  a railing while walking past, a vault);
- ``push``: both wrists held, the whole body dipping by 0.35 arm lengths and back twice over the hold (push-ups);
- ``hang``: both wrists reach a bar 0.95 arm lengths above their shoulders and the body pulls up 0.5 arm lengths
  towards it and back down (pull-ups, climbing);
- ``plant``: the left ankle held where it is at the hold's middle (a foothold) while the hip moves on.

``--presets``: the protocol's (jitter, clean-ish, typical, hard), ``none`` (the hold as filmed, no error: its still
values repeat exactly) or ``tremble`` (no error but +-0.5 px or +-2 mm of uniform noise: a still joint read as well
as an estimator could).

Prints, per preset, the held joints' values on the hold and its reach the pinned step took out (the measurements'
limbs astray with the step, less those without it), on how many cases, and those it took elsewhere (the preset's own
errors, on other frames or joints); then, on the cases it took from (``--all``: every case), the held joints' steps
into each run taken and out of it over their own beyond (``pinned_joints.edge_steps``) and their error on the hold's
frames: input, SynSP, SynSP with the step disabled, SmoothNet (the bare network; 2D px, 3D mm). ``--sudden 0``: the
step without its entry test (the parent commit of that test gave the same counts). Run::

    .venv/bin/python benchmarks/real_holds.py [--space 3d] [--motion grip|push|hang|plant] [--reach 2] [--frames 40]
        [--clips 65] [--cameras 2] [--presets jitter clean-ish typical tremble] [--sudden 0] [--all]
"""
from __future__ import annotations

import argparse
import warnings
from unittest import mock

import numpy as np

import synsp
from synsp.data.mocap import load_clips
from synsp.data.simulator import estimate, get_preset
from synsp.data.splits import load_split
from synsp.estimator_errors import measurements as measuring
from synsp.estimator_errors import pinned_joints as pinning
from synsp.evaluation.protocol import EVAL_SEED
from synsp.inference.checkpoint import default_model, load_model
from synsp.sequence import true_runs
from synsp.skeleton import get_layout

# (end, middle, root) of the left and right arm, the left leg, per layout
LIMBS = {"coco17": {"left arm": (9, 7, 5), "right arm": (10, 8, 6), "left leg": (15, 13, 11)},
         "h36m17": {"left arm": (13, 12, 11), "right arm": (16, 15, 14), "left leg": (6, 5, 4)}}
MOTIONS = {"grip": ("left arm",), "push": ("left arm", "right arm"), "hang": ("left arm", "right arm"),
           "plant": ("left leg",)}
UP = np.array([0.0, 1.0, 0.0])  # the mocap's Y is up


def two_bones(root: np.ndarray, hint: np.ndarray, target: np.ndarray, upper: np.ndarray,
              lower: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The middle joint and the end of a limb from ``root`` (T, 3) reaching ``target`` (T, 3), its bones ``upper`` and
    ``lower`` long (T,): the middle on the circle the two lengths allow, nearest ``hint`` (T, 3), the limb's own
    middle joint; a target out of reach is drawn in along the line from the root (the limb straight)."""
    way = target - root
    dist = np.linalg.norm(way, axis=-1, keepdims=True)
    unit = way / np.maximum(dist, 1e-9)
    dist = np.clip(dist, np.abs(upper - lower)[:, None] + 1e-6, 0.999 * (upper + lower)[:, None])
    along = (dist ** 2 + upper[:, None] ** 2 - lower[:, None] ** 2) / (2 * dist)
    radius = np.sqrt(np.maximum(upper[:, None] ** 2 - along ** 2, 0.0))
    centre = root + unit * along
    side = hint - centre
    side -= unit * np.sum(side * unit, axis=-1, keepdims=True)
    side /= np.maximum(np.linalg.norm(side, axis=-1, keepdims=True), 1e-9)
    return centre + radius * side, root + unit * dist


def held(clip: np.ndarray, layout: str, motion: str, frames: int, reach: int) -> tuple[np.ndarray, slice] | None:
    """``clip`` (T, J, 3) mm with the ``motion``'s hold (module docstring) over at most ``frames`` frames about its
    middle, reached and left over ``reach`` frames; the hold's frames. None if the limb cannot hold 4 frames there."""
    x, count = clip.astype(np.float64), len(clip)
    limbs = [LIMBS[layout][name] for name in MOTIONS[motion]]
    middle = count // 2
    lo, hi = middle - frames // 2, middle - frames // 2 + frames
    lo, hi = max(lo, reach + 1), min(hi, count - reach - 1)
    if hi - lo < 4:
        return None
    span = np.arange(count)
    arm = np.mean([np.linalg.norm(x[:, m] - x[:, r], axis=-1).mean() + np.linalg.norm(x[:, e] - x[:, m], axis=-1)
                   .mean() for e, m, r in limbs])
    shift = np.zeros(count)
    inside = (span >= lo) & (span < hi)
    phase = (span[inside] - lo) / max(hi - lo - 1, 1)
    if motion == "push":
        shift[inside] = -0.35 * arm * (1 - np.cos(4 * np.pi * phase)) / 2
    elif motion == "hang":
        shift[inside] = 0.5 * arm * (1 - np.cos(2 * np.pi * phase)) / 2
    body = x + shift[:, None, None] * UP
    points, centre = [], (lo + hi) // 2
    for end, mid, root in limbs:
        root_at = x[lo if motion != "grip" and motion != "plant" else centre, root]
        if motion == "hang":
            points.append(root_at + 0.95 * arm * UP)
            continue
        way = x[lo if motion == "push" else centre, end] - root_at  # its own place, drawn in to 0.9 of the reach
        reach_at = np.linalg.norm(x[centre, mid] - x[centre, root]) + np.linalg.norm(x[centre, end] - x[centre, mid])
        points.append(root_at + way * min(1.0, 0.9 * reach_at / np.linalg.norm(way)))
    # the hold ends where a limb could no longer reach its point (the body walked away from it)
    near = np.ones(count, dtype=bool)
    for (end, mid, root), point in zip(limbs, points):
        reach_len = np.linalg.norm(x[:, mid] - x[:, root], axis=-1) + np.linalg.norm(x[:, end] - x[:, mid], axis=-1)
        near &= np.linalg.norm(body[:, root] - point, axis=-1) <= 0.98 * reach_len
    first = lo if near[lo:centre + 1].all() else lo + np.flatnonzero(~near[lo:centre + 1])[-1] + 1
    last = hi if near[centre:hi].all() else centre + np.flatnonzero(~near[centre:hi])[0]
    lo, hi = first, last
    if hi - lo < 4:
        return None
    weight = np.zeros(count)
    weight[lo:hi] = 1.0
    ramp = np.arange(1, reach + 1) / (reach + 1)
    ramp = 10 * ramp ** 3 - 15 * ramp ** 4 + 6 * ramp ** 5  # minimum jerk
    weight[lo - reach:lo] = ramp
    weight[hi:hi + reach] = ramp[::-1]
    if motion in ("push", "hang"):  # the body moves only while held; before and after, the clip as it was
        body = x + (shift * (weight == 1))[:, None, None] * UP
    out = body.copy()
    for (end, mid, root), point in zip(limbs, points):
        upper = np.linalg.norm(x[:, mid] - x[:, root], axis=-1)
        lower = np.linalg.norm(x[:, end] - x[:, mid], axis=-1)
        target = (1 - weight[:, None]) * body[:, end] + weight[:, None] * point
        out[:, mid], out[:, end] = two_bones(body[:, root], body[:, mid], target, upper, lower)
        moved = weight == 0
        out[moved, mid], out[moved, end] = body[moved, mid], body[moved, end]
    return out.astype(np.float32), slice(int(lo), int(hi))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("2d", "3d"), default="2d")
    parser.add_argument("--presets", nargs="+", default=["jitter", "clean-ish", "typical"])
    parser.add_argument("--clips", type=int, default=12)
    parser.add_argument("--cameras", type=int, default=3, help="2D: virtual cameras a clip (3D: one estimate)")
    parser.add_argument("--motion", choices=tuple(MOTIONS), default="grip")
    parser.add_argument("--frames", type=int, default=20)
    parser.add_argument("--reach", type=int, default=2)
    parser.add_argument("--sudden", type=float, default=pinning.SUDDEN,
                        help="the pinned step's SUDDEN (0: the step without its entry test, as before it)")
    parser.add_argument("--all", action="store_true", help="errors of every case (default: those the step took from)")
    args = parser.parse_args()
    warnings.filterwarnings("ignore")
    layout = "coco17" if args.space == "2d" else "h36m17"
    lay = get_layout(layout)
    names = load_split("val")[: args.clips]
    clips = load_clips(names, layout=layout)
    ends = [e for e, _, _ in (LIMBS[layout][n] for n in MOTIONS[args.motion])]
    views = args.cameras if args.space == "2d" else 1
    smoothnet = load_model(default_model("smoothnet", args.space))
    unpinned = mock.patch.object(measuring, "pinned_joints", lambda p, tree: np.zeros(p.shape[:2], dtype=bool))
    mock.patch.object(pinning, "SUDDEN", args.sudden).start()
    for preset in args.presets:
        error_model = get_preset("jitter" if preset in ("none", "tremble") else preset)
        rows, fired, cases, lengths, elsewhere = [], 0, 0, [], 0
        for i, (name, clip) in enumerate(zip(names, clips)):
            hold = held(clip, layout, args.motion, args.frames, args.reach)
            if hold is None:
                continue
            moved, run = hold
            for view in range(views):
                rng = np.random.default_rng([EVAL_SEED, i, view])
                other = clips[rng.integers(len(clips))]
                noisy, clean = estimate(moved, other, rng, preset=error_model, layout=layout, space=args.space)
                noisy, clean = np.asarray(noisy, np.float64), np.asarray(clean, np.float64)
                if preset in ("none", "tremble"):  # the hold as filmed: no error, or a tremble (no exact repeat)
                    shake = 0.0 if preset == "none" else 0.5 if args.space == "2d" else 2.0
                    noisy = clean + rng.uniform(-shake, shake, clean.shape)
                with_step = measuring.measure(noisy, lay).astray
                with unpinned:
                    without = measuring.measure(noisy, lay).astray
                took = with_step & ~without
                near = slice(max(run.start - args.reach - 1, 0), run.stop + args.reach + 1)  # the hold, its reach
                taken = int(took[near][:, ends].sum())
                elsewhere += int(took.sum()) - taken  # the preset's own errors it took out (on other frames, joints)
                fired, cases, lengths = fired + taken, cases + bool(taken), lengths + [run.stop - run.start]
                if not (taken or args.all):  # the step took nothing: SynSP's output is the same with it or not
                    continue
                outs = [noisy, synsp.refine(noisy, fps=30, layout=layout)]
                with unpinned:
                    outs.append(synsp.refine(noisy, fps=30, layout=layout))
                outs.append(smoothnet.refine(noisy))
                row = [float(np.linalg.norm(y[run][:, ends] - clean[run][:, ends], axis=-1).mean()) for y in outs]
                rows.append(row)
                edges = [pinning.edge_steps(noisy[:, end], near.start + a, near.start + b).round(2).tolist()
                         for end in ends for a, b in true_runs(took[near, end])]
                print(f"  {preset} {name} view {view} hold {run.start}-{run.stop}: {taken} taken out (steps in, out "
                      f"of its runs over the joint's own: {edges}); input {row[0]:.2f} synsp {row[1]:.2f} without the "
                      f"step {row[2]:.2f} smoothnet {row[3]:.2f}", flush=True)
        mean = np.mean(rows, axis=0) if rows else [np.nan] * 4
        sizes = f"{min(lengths, default=0)}-{max(lengths, default=0)} frames, mean {np.mean(lengths or [0]):.1f}"
        print(f"{args.space} {args.motion} {preset:9s} frames {args.frames} reach {args.reach}: {fired} held values "
              f"taken out on {cases} of {len(lengths)} cases, {elsewhere} elsewhere (holds of {sizes}); held joints' "
              f"error on the hold's frames of {len(rows)} cases ({'all' if args.all else 'those taken from'}): input "
              f"{mean[0]:.2f} synsp {mean[1]:.2f} without the step {mean[2]:.2f} smoothnet {mean[3]:.2f}", flush=True)


if __name__ == "__main__":
    main()

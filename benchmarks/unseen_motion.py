"""A motion the network never saw: legs circling a crank (cycling) or wrists circling (arm circles), the trunk still,
under a preset's errors; SynSP with and without :mod:`synsp.inference.unseen_motion`, and a 6 Hz Butterworth.

Each validation clip keeps its trunk, head and arms (its travel taken out); each ankle circles RADIUS leg lengths
(0.2: a 17 cm crank) at TURNS a second (1.5: 90 rpm) below and ahead of its hip, the legs half a turn apart, the knees
by two-bone inverse kinematics with the clip's own bone lengths (``--motion arms``: each wrist on a circle of 0.35 arm
lengths ahead of its shoulder at 1 turn/s, the elbows out and down). The clip's own errors (noisy - clean of the
preset) are added to the new truth. ``--view side``: 2D from the side, a coco17 3D clip's cycling projected on its
sagittal plane, scaled to the 2D clip's size in px, the 2D clip's errors added. Columns: MPJPE (2D px, 3D mm
root-relative) of the input, SynSP without the step ("before", its SPACES emptied), SynSP, Butterworth; all joints,
then the moved limbs (knees and ankles, or elbows and wrists).

``--guard PRESET ...``: the validation clips as they are, SynSP with and without the step: how many clips change,
the largest change, MPJPE before -> after, and the largest ratio the step reads of a joint (its correction beyond
the low-pass over its noise); ``--any-noise``: the step's noise-level gate open. The motion tables give the limb's
largest ratio too. RESULTS section 10, "A motion the network never saw made worse than the input". Run:

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/unseen_motion.py [--space 2d] [--preset jitter] [--max-clips 12]
        [--view front|side] [--motion legs|arms] [--turns 1.5] [--radius 0.2]
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/unseen_motion.py --space 2d --guard clean-ish typical jitter
        [--any-noise]
"""
from __future__ import annotations

import argparse
from unittest import mock

import numpy as np

import synsp
from synsp.estimator_errors.measurements import measurements
from synsp.evaluation.protocol import make_cases
from synsp.inference import input_frame, unseen_motion
from synsp.inference.clean import input_noise, noise_level
from synsp.inference.unseen_motion import low_pass
from synsp.skeleton import get_layout

LAYOUT = {"2d": "coco17", "3d": "h36m17"}
LEVELS: list[float] = []  # the noise level of each clip :func:`ratios` read
# (hips, knees, ankles, shoulders, elbows, wrists), left then right, per layout
PARTS = {"coco17": ([11, 12], [13, 14], [15, 16], [5, 6], [7, 8], [9, 10]),
         "h36m17": ([4, 1], [5, 2], [6, 3], [11, 14], [12, 15], [13, 16])}


def two_bone(start: np.ndarray, end: np.ndarray, a: float, b: float, pole: np.ndarray) -> np.ndarray:
    """(T, C) middle joints of bones ``a`` then ``b`` long from ``start`` to ``end`` (T, C), bent towards ``pole``."""
    d = end - start
    reach = np.linalg.norm(d, axis=-1, keepdims=True)
    along = d / reach
    reach = np.minimum(reach, 0.999 * (a + b))
    x = (a * a - b * b + reach * reach) / (2 * reach)
    side = pole - (pole * along).sum(-1, keepdims=True) * along
    side /= np.linalg.norm(side, axis=-1, keepdims=True)
    return start + along * x + side * np.sqrt(np.maximum(a * a - x * x, 0.0))


def in_place(clean: np.ndarray, hips: list[int], shoulders: list[int]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """``clean`` (T, J, C) with its travel across the ground taken out (the ``hips``' mean held where it starts but for
    its height), the body's unit up (hips to ``shoulders``, the clip's mean) and its left-to-right hip vector."""
    up = np.nanmean(clean[:, shoulders].mean(1) - clean[:, hips].mean(1), 0)
    up /= np.linalg.norm(up)
    root = clean[:, hips].mean(1)
    travel = root - root[:1]
    c = clean - (travel - (travel @ up)[:, None] * up)[:, None]
    return c, up, np.nanmean(c[:, hips[1]] - c[:, hips[0]], 0)


def circling(clean: np.ndarray, layout: str, motion: str, turns: float, radius: float) -> np.ndarray:
    """``clean`` (T, J, C) with its travel taken out and the legs (or arms) circling (module docstring)."""
    hips, knees, ankles, shoulders, elbows, wrists = PARTS[layout]
    c, up, side = in_place(clean, hips, shoulders)
    forward = np.cross(up, side) if c.shape[-1] == 3 else np.array([-up[1], up[0]])
    forward /= np.linalg.norm(forward)
    base, middle, tip = (hips, knees, ankles) if motion == "legs" else (shoulders, elbows, wrists)
    a = float(np.median([np.linalg.norm(clean[:, middle[k]] - clean[:, base[k]], axis=-1) for k in range(2)]))
    b = float(np.median([np.linalg.norm(clean[:, tip[k]] - clean[:, middle[k]], axis=-1) for k in range(2)]))
    t = np.arange(len(c))[:, None] / 30.0
    for k in range(2):
        start, angle = c[:, base[k]], 2 * np.pi * turns * t + np.pi * k
        ring = radius * (a + b) * (np.cos(angle) * forward + np.sin(angle) * up)
        if motion == "legs":
            end, pole = start - 0.6 * (a + b) * up + 0.3 * (a + b) * forward + ring, np.repeat(forward[None], len(c), 0)
        else:
            end = start + 0.55 * (a + b) * forward + ring
            pole = (start - c[:, shoulders].mean(1)) - 0.5 * np.linalg.norm(side) * up
        c[:, middle[k]], c[:, tip[k]] = two_bone(start, end, a, b, pole), end
    return c


def side_view(c3: np.ndarray, c2: np.ndarray) -> np.ndarray:
    """A coco17 3D clip ``c3`` (T, 17, 3) seen from its side, (forward, -up), scaled and placed as the 2D ``c2``."""
    hips, _, _, shoulders, _, _ = PARTS["coco17"]
    up = np.nanmean(c3[:, shoulders].mean(1) - c3[:, hips].mean(1), 0)
    up /= np.linalg.norm(up)
    forward = np.cross(up, np.nanmean(c3[:, hips[1]] - c3[:, hips[0]], 0))
    forward /= np.linalg.norm(forward)
    height = [float(np.nanmedian(np.linalg.norm(x.max(1) - x.min(1), axis=-1))) for x in (c2, c3)]
    flat = np.stack([c3 @ forward, -(c3 @ up)], -1) * height[0] / height[1]
    return flat - np.nanmean(flat, (0, 1)) + np.nanmean(c2, (0, 1))


def mpjpe(y: np.ndarray, truth: np.ndarray, joints: list[int] | slice = slice(None)) -> float:
    """Mean joint distance over the frames (3D: about the pelvis mean of the hips as the protocol's root is)."""
    if y.shape[-1] == 3:
        y, truth = y - y[:, :1], truth - truth[:, :1]
    return float(np.nanmean(np.linalg.norm(y[:, joints] - truth[:, joints], axis=-1)))


def ratios(noisy: np.ndarray, before: np.ndarray, layout: str) -> np.ndarray:
    """(J,) the step's reading of each joint: SynSP's output ``before`` the step, its median distance over the frames
    from the low-pass of the values measured from ``noisy`` (T, J, C), over their noise
    (:mod:`synsp.inference.unseen_motion`; read here on the input's values as given, not in the network's frame)."""
    y = measurements(noisy[None].astype(np.float32), get_layout(layout)).values.astype(np.float64)
    noise = input_noise(y)
    LEVELS.append(float(noise_level(y, noise)[0]))  # the clip's noise level (body sizes), the step's NOISY gate
    beyond = np.median(np.linalg.norm(before - low_pass(y)[0], axis=-1), axis=0)
    return np.where(noise[0] > 0, beyond / np.where(noise[0] > 0, noise[0], 1.0), 0.0)  # no noise: the 3D root


def both(noisy: np.ndarray, **options) -> tuple[np.ndarray, np.ndarray]:
    """SynSP's output of ``noisy`` without the step (its SPACES emptied), then with it."""
    with mock.patch.object(input_frame, "SPACES", ()):
        before = synsp.refine(noisy, "synsp", **options)
    return before, synsp.refine(noisy, "synsp", **options)


def motion_table(args: argparse.Namespace) -> None:
    """Print the circling motion's table (module docstring)."""
    layout = "coco17" if args.view == "side" else LAYOUT[args.space]
    space = "3d" if args.view == "side" else args.space
    limb = [j for part in PARTS[layout][1:3 if args.motion == "legs" else 6][-2:] for j in part]
    rows = []
    cases = make_cases("val", args.preset, layout=layout, space=space, max_clips=args.max_clips)
    flat = make_cases("val", args.preset, layout="coco17", space="2d", max_clips=args.max_clips) if (
        args.view == "side") else cases
    for case, case2 in zip(cases, flat):
        truth = circling(np.asarray(case.clean, np.float64), layout, args.motion, args.turns, args.radius)
        if args.view == "side":
            truth = side_view(truth, np.asarray(case2.clean, np.float64))
        noisy = truth + (np.asarray(case2.noisy, np.float64) - np.asarray(case2.clean, np.float64))
        ys = [noisy, *both(noisy, fps=30, layout=layout),
              synsp.refine(noisy, "butterworth", fps=30, layout=layout)]
        row = [mpjpe(y, truth) for y in ys] + [mpjpe(y, truth, limb) for y in ys] + [
            float(ratios(noisy, ys[1], layout)[limb].max())]
        rows.append(row)
        print(f"{case.name:40s} " + " ".join(f"{v:6.2f}" for v in row[:4]) + " | " + " ".join(
            f"{v:6.2f}" for v in row[4:8]) + f" | ratio {row[8]:.2f}", flush=True)
    m = np.mean(rows, 0)
    print(f"MEAN {args.space if args.view == 'front' else '2d side'} {args.preset} {args.motion} (input, before, "
          f"synsp, butterworth): all {m[0]:.2f} {m[1]:.2f} {m[2]:.2f} {m[3]:.2f} | {args.motion} "
          f"{m[4]:.2f} {m[5]:.2f} {m[6]:.2f} {m[7]:.2f}; the limb's largest ratio over the clips "
          f"{min(r[8] for r in rows):.2f}-{max(r[8] for r in rows):.2f}; noise levels {min(LEVELS):.4f}-"
          f"{max(LEVELS):.4f}")


def guard_table(args: argparse.Namespace) -> None:
    """Print, per preset, how many validation clips the step changes and MPJPE before -> after."""
    layout = LAYOUT[args.space]
    for preset in args.guard:
        changed, largest, scores, ratio = 0, 0.0, [], 0.0
        LEVELS.clear()
        for case in make_cases("val", preset, layout=layout, space=args.space, max_clips=args.max_clips):
            before, after = both(np.asarray(case.noisy))  # as synsp evaluate refines them
            ratio = max(ratio, float(np.nanmax(ratios(np.asarray(case.noisy, np.float64), before, layout))))
            diff = float(np.nanmax(np.abs(after.astype(np.float64) - before))) if not np.array_equal(
                before, after, equal_nan=True) else 0.0
            changed, largest = changed + (diff > 0), max(largest, diff)
            scores.append((len(case.clean), mpjpe(before, case.clean), mpjpe(after, case.clean)))
        n = np.array(scores)
        w = n[:, 0] / n[:, 0].sum()
        print(f"{args.space} {preset}: {changed} of {len(n)} clips changed (largest {largest:.4f}); MPJPE "
              f"{w @ n[:, 1]:.4f} -> {w @ n[:, 2]:.4f}; the largest ratio of a joint {ratio:.2f}; noise levels "
              f"{min(LEVELS):.4f}-{max(LEVELS):.4f}", flush=True)


def main() -> None:
    """Parse the arguments and print the table asked for."""
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--space", choices=("2d", "3d"), default="2d")
    p.add_argument("--preset", default="jitter")
    p.add_argument("--max-clips", type=int, default=12)
    p.add_argument("--view", choices=("front", "side"), default="front")
    p.add_argument("--motion", choices=("legs", "arms"), default="legs")
    p.add_argument("--turns", type=float, default=None)
    p.add_argument("--radius", type=float, default=None)
    p.add_argument("--guard", nargs="+", default=None)
    p.add_argument("--any-noise", action="store_true", help="the step at any noise level (its NOISY gate open)")
    args = p.parse_args()
    if args.any_noise:
        unseen_motion.NOISY = (-1.0, 0.0)
    args.turns = args.turns or (1.5 if args.motion == "legs" else 1.0)
    args.radius = args.radius or (0.2 if args.motion == "legs" else 0.35)
    if args.guard:
        guard_table(args)
    else:
        motion_table(args)


if __name__ == "__main__":
    main()

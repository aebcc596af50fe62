"""A fast strike with the body still (a golf swing) under light noise: SynSP with and without
:mod:`synsp.inference.fast_limbs`, and a 6 Hz Butterworth.

Each validation clip keeps its trunk and head (its travel taken out); the legs stand straight, a little apart; both
hands together on a circle of 0.85 arm lengths about the shoulders in a plane tilted 30 degrees forward: address 0.4 s,
an eased backswing to -200 degrees in 1 s, the top held 0.2 s, the downswing and the follow-through to +200 degrees in
``--strike`` s each at full pace (0.25: hands 5.2 m/s; 0.15: 8.5 m/s, a real golfer's), the finish held 0.6 s, back to
address in 1 s, again; elbows by two-bone inverse kinematics with the clip's own bone lengths. The clip's own errors
(noisy - clean of the preset) are added to the new truth. 2D: a coco17 (or ``--layout mediapipe33``: its hand points
carried with their wrist, its feet with their ankle) 3D clip so built, seen face-on (``--view face-on``, the usual golf
camera) or down the line, scaled to the 2D clip's size in px, the 2D clip's errors added. Columns: MPJPE (2D px, 3D mm
root-relative) of the input, SynSP without the step ("before", its SPACES emptied), SynSP, Butterworth: all joints |
arms (elbows, wrists; MediaPipe's hand points too) | arms in the strike's frames (downswing and follow-through); the
last line gives the strike's median over the clips of each method's error over the input's.

``--gate PRESET ...``: how many validation clips, and swings built on the first 12, hold a strike's burst (the step's
gate; outside it the step leaves the output as it is). ``--guard PRESET ...``: the validation clips as they are, SynSP
with and without the step: how many clips change, the largest change, MPJPE before -> after. RESULTS, "A fast
strike with the body still (golf swing) under light noise". Run:

    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/fast_limbs.py [--space 2d] [--view face-on|down-line]
        [--preset jitter] [--max-clips 12] [--strike 0.25] [--layout coco17|mediapipe33]
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/fast_limbs.py --space 3d --guard clean-ish typical jitter
    OMP_NUM_THREADS=1 .venv/bin/python benchmarks/fast_limbs.py --space 3d --max-clips 0 --gate jitter typical
"""
from __future__ import annotations

import argparse
from unittest import mock

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.inference import input_frame
from synsp.inference.fast_limbs import limb_speed, strike_frames
from unseen_motion import LAYOUT, PARTS, in_place, mpjpe, two_bone

PARTS = {**PARTS, "mediapipe33": ([23, 24], [25, 26], [27, 28], [11, 12], [13, 14], [15, 16])}
HANDS = {"mediapipe33": ([17, 19, 21], [18, 20, 22])}  # carried with each wrist
FEET = {"mediapipe33": ([29, 31], [30, 32])}  # carried with each ankle


def swing_angles(frames: int, strike: float, fps: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """(T,) the hands' angle on the swing's circle (radians) and (T,) bool: the strike's frames (module docstring)."""
    parts = [(0.4, 0, 0), (1.0, 0, -200), (0.2, -200, -200), (strike, -200, 0), (strike, 0, 200), (0.6, 200, 200),
             (1.0, 200, 0)]
    angle: list[float] = []
    fast: list[bool] = []
    while len(angle) < frames:
        for seconds, start, end in parts:
            n = int(round(seconds * fps))
            s = np.linspace(0, 1, n, endpoint=False)
            eased = 0.5 - 0.5 * np.cos(np.pi * s) if end != start and seconds > 0.5 else s  # the strike at full pace
            angle += list(start + (end - start) * eased)
            fast += [seconds == strike] * n
    return np.radians(angle[:frames]), np.array(fast[:frames])


def golf_swing(clean: np.ndarray, layout: str, strike: float) -> tuple[np.ndarray, np.ndarray]:
    """``clean`` (T, J, 3) standing still and swinging (module docstring); with (T,) bool, the strike's frames."""
    hips, knees, ankles, shoulders, elbows, wrists = PARTS[layout]
    c, up, side = in_place(clean, hips, shoulders)
    side -= (side @ up) * up
    side /= np.linalg.norm(side)
    forward = np.cross(up, side)
    for k in range(2):
        a = float(np.median(np.linalg.norm(clean[:, knees[k]] - clean[:, hips[k]], axis=-1)))
        b = float(np.median(np.linalg.norm(clean[:, ankles[k]] - clean[:, knees[k]], axis=-1)))
        hip = c[:, hips[k]]
        ankle = hip - up * 0.97 * (a + b) + (1 if k else -1) * side * 0.15 * (a + b)
        c[:, knees[k]] = two_bone(hip, ankle, a, b, np.broadcast_to(forward, hip.shape))
        for j in FEET.get(layout, ((), ()))[k]:
            c[:, j] += ankle - c[:, ankles[k]]
        c[:, ankles[k]] = ankle
    a = float(np.median([np.linalg.norm(clean[:, elbows[k]] - clean[:, shoulders[k]], axis=-1) for k in range(2)]))
    b = float(np.median([np.linalg.norm(clean[:, wrists[k]] - clean[:, elbows[k]], axis=-1) for k in range(2)]))
    angle, fast = swing_angles(len(c), strike)
    tilt = np.radians(30)
    down = -up * np.cos(tilt) + forward * np.sin(tilt)
    hands = c[:, shoulders].mean(1) + forward * 0.15 * (a + b) + 0.85 * (a + b) * (
        np.cos(angle)[:, None] * down + np.sin(angle)[:, None] * side)
    normal = np.cross(down, side)
    normal *= -np.sign(normal @ forward) or 1  # towards the body: the elbows bend out of the plane, never flip
    for k in range(2):
        wrist = hands + (1 if k else -1) * side * 0.03 * (a + b)
        reach = wrist - c[:, shoulders[k]]
        wrist = c[:, shoulders[k]] + reach * np.minimum(1, 0.96 * (a + b) / np.linalg.norm(reach, axis=-1,
                                                                                            keepdims=True))
        for j in HANDS.get(layout, ((), ()))[k]:
            c[:, j] = clean[:, j] - clean[:, wrists[k]] + wrist
        c[:, elbows[k]] = two_bone(c[:, shoulders[k]], wrist, a, b, np.broadcast_to(normal, wrist.shape))
        c[:, wrists[k]] = wrist
    return c, fast


def seen(c3: np.ndarray, c2: np.ndarray, layout: str, view: str) -> np.ndarray:
    """A 3D clip ``c3`` (T, J, 3, Y up) seen face-on or down the line, scaled and placed as the 2D ``c2``."""
    hips, _, _, shoulders, _, _ = PARTS[layout]
    up = np.array([0.0, 1.0, 0.0])
    side = np.nanmean(c3[:, shoulders[1]] - c3[:, shoulders[0]], 0)
    side[1] = 0
    side /= np.linalg.norm(side)
    axis = side if view == "face-on" else np.cross(up, side)
    height = [float(np.nanmedian(np.linalg.norm(x.max(1) - x.min(1), axis=-1))) for x in (c2, c3)]
    flat = np.stack([c3 @ axis, -(c3 @ up)], -1) * height[0] / height[1]
    return flat - np.nanmean(flat, (0, 1)) + np.nanmean(c2, (0, 1))


def both(noisy: np.ndarray, **options) -> tuple[np.ndarray, np.ndarray]:
    """SynSP's output of ``noisy`` without the step (its SPACES emptied), then with it."""
    with mock.patch.object(input_frame, "FAST_SPACES", ()):
        before = synsp.refine(noisy, "synsp", **options)
    return before, synsp.refine(noisy, "synsp", **options)


def swing_table(args: argparse.Namespace) -> None:
    """Print the swing's table (module docstring)."""
    layout = args.layout or LAYOUT[args.space]
    arms = [*PARTS[layout][4], *PARTS[layout][5], *[j for hand in HANDS.get(layout, ()) for j in hand]]
    cases = make_cases("val", args.preset, layout=layout, space="3d", max_clips=args.max_clips)
    flat = make_cases("val", args.preset, layout=layout, space="2d", max_clips=args.max_clips) if (
        args.space == "2d") else cases
    rows = []
    for case, case2 in zip(cases, flat):
        truth, strike = golf_swing(np.asarray(case.clean, np.float64), layout, args.strike)
        if args.space == "2d":
            truth = seen(truth, np.asarray(case2.clean, np.float64), layout, args.view)
        noisy = truth + (np.asarray(case2.noisy, np.float64) - np.asarray(case2.clean, np.float64))
        ys = [noisy, *both(noisy, fps=30, layout=layout), synsp.refine(noisy, "butterworth", fps=30, layout=layout)]
        row = ([mpjpe(y, truth) for y in ys] + [mpjpe(y, truth, arms) for y in ys]
               + [mpjpe(y[strike], truth[strike], arms) for y in ys])
        rows.append(row)
        print(f"{case.name:40s} " + " | ".join(" ".join(f"{v:6.2f}" for v in row[i:i + 4]) for i in (0, 4, 8)),
              flush=True)
    r = np.array(rows)
    m = r.mean(0)
    x = np.median(r[:, 9:12] / r[:, 8:9], 0)
    name = f"{args.space}" + (f" {args.view}" if args.space == "2d" else "")
    print(f"MEAN {name} {layout} {args.preset} strike {args.strike} s (input, before, synsp, butterworth): all "
          + " ".join(f"{v:.2f}" for v in m[:4]) + " | arms " + " ".join(f"{v:.2f}" for v in m[4:8])
          + " | strike arms " + " ".join(f"{v:.2f}" for v in m[8:12])
          + f"; strike median x input: before {x[0]:.2f}, synsp {x[1]:.2f}, butterworth {x[2]:.2f}; clips worse "
          f"than their input on the strike: before {int((r[:, 9] > r[:, 8]).sum())}, synsp "
          f"{int((r[:, 10] > r[:, 8]).sum())} of {len(r)}")


def gate_table(args: argparse.Namespace) -> None:
    """Print how many validation clips as they are, and how many swings built on them (strikes of 0.25 and 0.15 s),
    hold a strike's burst (:func:`synsp.inference.fast_limbs.strike_frames`): the step's gate, no refinement run."""
    layout = LAYOUT[args.space]
    bursts = lambda y: bool(strike_frames(limb_speed(np.asarray(y, np.float64)[None])).any())  # noqa: E731
    for preset in args.gate:
        cases = make_cases("val", preset, layout=layout, space=args.space, max_clips=args.max_clips)
        held = [bursts(case.noisy) for case in cases]
        swings = []
        for strike in (0.25, 0.15):
            for case, case2 in zip(make_cases("val", preset, layout=layout, space="3d", max_clips=12), cases):
                truth, _ = golf_swing(np.asarray(case.clean, np.float64), layout, strike)
                if args.space == "2d":
                    truth = seen(truth, np.asarray(case2.clean, np.float64), layout, args.view)
                swings.append(bursts(truth + (np.asarray(case2.noisy, np.float64) - np.asarray(case2.clean))))
        print(f"{args.space} {preset}: {sum(held)} of {len(cases)} clips hold a burst; swings (0.25 s, 0.15 s): "
              f"{sum(swings[:len(swings) // 2])}, {sum(swings[len(swings) // 2:])} of {len(swings) // 2}", flush=True)


def guard_table(args: argparse.Namespace) -> None:
    """Print, per preset, how many validation clips the step changes and MPJPE before -> after (frame-weighted)."""
    for preset in args.guard:
        cases = make_cases("val", preset, layout=LAYOUT[args.space], space=args.space, max_clips=args.max_clips)
        outputs = [both(np.asarray(case.noisy)) for case in cases]  # as synsp evaluate refines them
        moved = np.array([np.nanmax(np.abs(after.astype(np.float64) - before), initial=0.0)
                          for before, after in outputs])
        frames = np.array([len(case.clean) for case in cases], np.float64) / sum(len(case.clean) for case in cases)
        scores = np.array([[mpjpe(y, case.clean) for y in pair] for pair, case in zip(outputs, cases)])
        print(f"{args.space} {preset}: {int((moved > 0).sum())} of {len(cases)} clips changed (largest "
              f"{moved.max():.4f}); MPJPE {frames @ scores[:, 0]:.4f} -> {frames @ scores[:, 1]:.4f}", flush=True)


OPTIONS = {"--space": {"choices": ("2d", "3d"), "default": "3d"},
           "--view": {"choices": ("face-on", "down-line"), "default": "face-on"},
           "--preset": {"default": "jitter"}, "--max-clips": {"type": int, "default": 12},
           "--strike": {"type": float, "default": 0.25, "help": "seconds of the downswing, and of the follow-through"},
           "--layout": {"default": None, "help": "2D: coco17 (default) or mediapipe33"},
           "--guard": {"nargs": "+", "default": None, "help": "presets: the validation clips as they are"},
           "--gate": {"nargs": "+", "default": None, "help": "presets: which clips and swings hold a strike's burst"}}


def main() -> None:
    """Parse the arguments (:data:`OPTIONS`) and print the table asked for."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    for name, spec in OPTIONS.items():
        parser.add_argument(name, **spec)
    args = parser.parse_args()
    (gate_table if args.gate else guard_table if args.guard else swing_table)(args)


if __name__ == "__main__":
    main()

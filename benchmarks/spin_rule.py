"""The half-turn rule of a spin about the vertical (:data:`synsp.rotations.body_spin.MIN_TURN`) on BVH: before it,
any turn read fast enough was taken out; now only one that spans half a turn or more.

The mocap's own 22-joint BVH tree (:func:`synsp.evaluation.rotations.skeleton_cases`, the rotation error simulator's
presets), refined as ``synsp refine`` refines a BVH (:func:`synsp.refining.motion.refine_motion`, by default:
SmoothNet, then the filter). The motions: the validation clips as they are (and played 2 and 3 x as fast), spinning
a quarter or half a turn a second (``benchmarks/body_spin.py``'s ``spun``; "middle half": in the middle half of the
clip only), and turning once quickly about the vertical by D degrees in N frames from frame 40 (a smooth ramp, then
that heading kept), in the noisy and the clean motion alike. The rule only ever stops the step, so the clips it
changes are those whose spin was taken out before and is not now ("changed"); MPJPE (mm, root-relative, after
forward kinematics) / mean local angle error (degrees) on those clips: the input, the default on the same clips
neither spun nor turned, before (any turn), now (the rule).

    .venv/bin/python benchmarks/spin_rule.py --presets jitter 3dpw-pare none
"""
from __future__ import annotations

import argparse
from functools import partial
from unittest import mock

import numpy as np

from body_spin import heading_turned, spun
from synsp.evaluation.rotations import RotationCase, evaluate_rotations, skeleton_cases, skeleton_refiner
from synsp.rotations.body_spin import spin_turn

START = 40  # the frame a quick turn starts at
# (name, turns a second, in the middle half only, played k x as fast, quick turn (degrees, frames) or None)
MOTIONS = [("as they are", 0.0, False, 1, None), ("played 2 x as fast", 0.0, False, 2, None),
           ("played 3 x as fast", 0.0, False, 3, None), ("0.25 turns/s", 0.25, False, 1, None),
           ("0.25 turns/s, middle half", 0.25, True, 1, None), ("0.5 turns/s", 0.5, False, 1, None),
           ("0.5 turns/s, middle half", 0.5, True, 1, None)] + [
    (f"{d} deg in {n} frames", 0.0, False, 1, (d, n)) for d in (80, 100, 180, 270) for n in (5, 10)]


def turned(case: RotationCase, degrees: float, frames: int) -> RotationCase:
    """``case`` with its body turned ``degrees`` about +Y over ``frames`` frames from :data:`START` (a half-cosine
    ramp), then kept at that heading: the joint that carries the heading turned, in the noisy and clean motion."""
    ramp = np.clip((np.arange(len(case.clean)) - START) / frames, 0.0, 1.0)
    return heading_turned(case, np.deg2rad(degrees) * (1 - np.cos(np.pi * ramp)) / 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=0, help="first N validation clips (0 = all)")
    parser.add_argument("--presets", nargs="+", default=["jitter", "3dpw-pare", "none"])
    args = parser.parse_args()
    before = partial(spin_turn, least=0.0)
    print("The mocap's own BVH tree, validation; clips whose spin the half-turn rule no longer takes out, and the "
          "default's MPJPE (mm) / angle (deg) on them: input, the same clips not turned, before (any turn), now "
          "(half a turn or more)\n")
    print("| preset | motion | fired before | fired now | input | not turned | before | now |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for preset in args.presets:
        base = {1: skeleton_cases("val", preset, 2024, args.clips)}
        for name, turns, middle, speed, quick in MOTIONS:
            if speed not in base:
                base[speed] = skeleton_cases("val", preset, 2024, args.clips, speed)
            cases = [turned(c, *quick) if quick else spun(c, turns, middle) for c in base[speed]]
            fired = [before(c.noisy, c.skeleton.parents, 30.0) is not None for c in cases]
            now = [spin_turn(c.noisy, c.skeleton.parents, 30.0) is not None for c in cases]
            which = [k for k, (a, b) in enumerate(zip(fired, now)) if a != b]
            changed = [cases[k] for k in which]
            cells = ["-"] * 4
            if changed:
                given = evaluate_rotations(lambda r, case: r, changed, given_case=True)
                still = [base[speed][k] for k in which]
                cells = [_cell(given) if preset != "none" else "-", _cell(_scored(still, spin_turn)),
                         *(_cell(_scored(changed, rule)) for rule in (before, spin_turn))]
            print(f"| `{preset}` | {name} | {sum(fired)} of {len(cases)} | {sum(now)} of {len(cases)} | "
                  + " | ".join(cells) + " |", flush=True)


def _scored(cases: list[RotationCase], rule) -> dict[str, float]:
    """The default's MPJPE and Angle on ``cases``, the spin read by ``rule``."""
    with mock.patch("synsp.refining.motion_spin.spin_turn", rule):
        return evaluate_rotations(skeleton_refiner(), cases, given_case=True)


def _cell(score: dict[str, float]) -> str:
    return f"{score['MPJPE']:.2f} / {score['Angle']:.3f}"


if __name__ == "__main__":
    main()

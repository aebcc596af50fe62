"""A BVH of a body spinning about the vertical (a pirouette): refined with and without the spin taken out.

The mocap's own 22-joint BVH tree (:func:`synsp.evaluation.rotations.skeleton_cases`, the rotation error
simulator's presets) with a spin of N turns a second added to the body's heading (its hips' rotation turned about
+Y, in the clean and the noisy motion alike, so the noise is the still clip's), refined as ``synsp refine``
refines a BVH (:func:`synsp.refining.motion.refine_motion`: by default, or by a filter alone), before
(the spin step off) and now (:mod:`synsp.rotations.body_spin`). MPJPE after forward kinematics (root-relative,
mm) and the mean geodesic angle error of the local rotations (degrees); a spin turns both the output and the
truth, so a refinement that does not care about it scores the same at every speed. (Accel is left out: an
error vector spinning with the body has an acceleration of its own, so it grows with the spin whatever the
method.) ``fired``: clips whose spin was taken out, of all clips; at 0 turns it fires on none, and "before" and
"now" are the same figures (the same code path). ``--smpl``: the same on the mocap retargeted to SMPL, its root
turned into a Y-up, a Z-up or a camera's world (:data:`WORLDS`), the spin about that world's vertical, refined as
``synsp refine`` refines an SMPL file (:mod:`synsp.refining.motion_spin`).

    .venv/bin/python benchmarks/body_spin.py --presets jitter 3dpw-pare none --turns 0.5 1 3 --methods default
    .venv/bin/python benchmarks/body_spin.py --presets jitter none --turns 0.5 1 3 --methods butterworth
    .venv/bin/python benchmarks/body_spin.py --clips 8 --presets jitter none --turns 1 3 --methods one-euro gaussian
    .venv/bin/python benchmarks/body_spin.py --guard
    .venv/bin/python benchmarks/body_spin.py --why --clips 16 --presets jitter --turns 1 3
    .venv/bin/python benchmarks/body_spin.py --smpl --clips 16 --presets jitter --turns 0.5 1 3 --methods default
    .venv/bin/python benchmarks/body_spin.py --smpl --clips 16 --presets 3dpw-pare none --turns 1 3 --methods default \
        --worlds "Y up"
    .venv/bin/python benchmarks/body_spin.py --smpl --guard
"""
from __future__ import annotations

import argparse
from collections.abc import Iterator
from unittest import mock

import numpy as np

from synsp.evaluation.rotations import (
    RotationCase,
    evaluate_rotations,
    rotation_cases,
    skeleton_cases,
    skeleton_refiner,
)
from synsp.formats.smpl import smpl_motion
from synsp.refining.motion_spin import without_motion_spin
from synsp.rotations.body_spin import spin_joints, spin_turn
from synsp.rotations.conversions import matrix_from_axis_angle
from synsp.rotations.smpl_template import smpl_positions

PRESETS = ("jitter", "3dpw-pare", "3dpw-pare-fast", "none")
# ``synsp refine``'s method: None, the default (SmoothNet, then the filter); or a filter alone
METHODS = {"default": None, "butterworth": "butterworth", "one-euro": "one-euro", "gaussian": "gaussian"}


def spun(case: RotationCase, turns: float, middle: bool = False, fps: float = 30.0) -> RotationCase:
    """``case`` with its body spinning ``turns`` turns a second about +Y (``middle``: in the middle half of the
    clip only, reaching that speed over 0.2 s): the hips' local rotation turned about +Y (the world's vertical:
    the mocap's ground joint above them does not turn), in the noisy motion as in the clean one, so that each
    joint's local rotation error is the still clip's."""
    frames = np.arange(len(case.clean))
    speed = np.full(len(frames), 2 * np.pi * turns / fps)
    if middle:
        first, last = len(frames) // 4, 3 * len(frames) // 4
        speed *= np.clip(np.minimum(frames - first, last - frames) / (0.2 * fps), 0.0, 1.0)
    return heading_turned(case, np.cumsum(speed) - speed[0])


def heading_turned(case: RotationCase, angles: np.ndarray) -> RotationCase:
    """``case`` with the local rotation of the joint that carries its heading (:func:`spin_joints`; SMPL's pelvis)
    turned by ``angles`` (T,) radians about +Y, in the noisy motion as in the clean one."""
    turn = matrix_from_axis_angle(np.outer(angles, [0.0, 1.0, 0.0]))
    joint = 0 if case.skeleton is None else spin_joints(case.clean, case.skeleton.parents)[1]  # SMPL's: the pelvis
    clean, noisy = case.clean.copy(), case.noisy.copy()
    clean[:, joint], noisy[:, joint] = turn @ clean[:, joint], turn @ noisy[:, joint]
    out = RotationCase(noisy, clean, np.empty(0), case.skeleton)
    out.positions = out.positions_of(clean)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--split", default="val", choices=["val", "test"])
    parser.add_argument("--clips", type=int, default=0, help="first N clips (0 = all)")
    parser.add_argument("--turns", type=float, nargs="+", default=[0.25, 0.5, 1, 2, 3], help="turns a second")
    parser.add_argument("--presets", nargs="+", default=list(PRESETS))
    parser.add_argument("--methods", nargs="+", default=["default", "butterworth"], choices=list(METHODS))
    parser.add_argument("--guard", action="store_true",
                        help="only count the clips as they are (and played 2 and 3 x as fast) whose spin is read")
    parser.add_argument("--smpl", action="store_true",
                        help="the same spins on SMPL (the mocap retargeted) in a Y-up, a Z-up and a camera's world")
    parser.add_argument("--worlds", nargs="+", default=list(WORLDS), choices=list(WORLDS), help="with --smpl")
    parser.add_argument("--why", action="store_true",
                        help="the default's error on the hips' rotation and the other joints', and SmoothNet's rate")
    args = parser.parse_args()
    if args.why:
        return _why(args)
    if args.guard:
        return _smpl_guard(args) if args.smpl else _guard(args)
    if args.smpl:
        return _smpl(args)
    print(f"The mocap's own BVH tree, {args.split} split, spinning N turns a second all through or in the middle "
          "half; MPJPE (mm) / angle (deg): before (the spin step off) and now\n")
    for name in args.methods:
        _table(name, "SmoothNet, then the filter", ["preset", "spin"])
        for preset in args.presets:
            base = skeleton_cases(args.split, preset, 2024, args.clips)
            kinds = [(0.0, False)] + [(t, m) for m in (False, True) for t in args.turns]
            for turns, middle in kinds:
                cases = [spun(c, turns, middle) for c in base]
                given = evaluate_rotations(lambda r, case: r, cases, given_case=True)
                fired = sum(spin_turn(c.noisy, c.skeleton.parents, 30.0) is not None for c in cases)
                before, now = (_scored(METHODS[name], cases, spin) for spin in (None, spin_turn))
                spin = "still" if turns == 0 else f"{turns:g}/s{', middle half' if middle else ''}"
                print(f"| `{preset}` | {spin} | {_cell(given) if preset != 'none' else '-'} | {_cell(before)} | "
                      f"{_cell(now)} | {fired} of {len(cases)} |", flush=True)


def _guard(args: argparse.Namespace) -> None:
    """How many clips as they are (no spin added) the spin step fires on, per preset and speed (the motion played
    1-3 x as fast), and the default's MPJPE on those clips before and now."""
    print(f"The mocap's own BVH tree, {args.split} split, no spin added: clips whose spin is read (and taken out); "
          "where any, the default's MPJPE (mm) on them before -> now\n")
    print("| preset | 1 x | 2 x | 3 x |")
    print("|---|---:|---:|---:|")
    for preset in args.presets:
        cells = []
        for speed in (1, 2, 3):
            cases = skeleton_cases(args.split, preset, 2024, args.clips, speed)
            fired = [c for c in cases if spin_turn(c.noisy, c.skeleton.parents, 30.0) is not None]
            scores = [_scored(None, fired, spin)["MPJPE"] for spin in (None, spin_turn)] if fired else []
            cells.append(f"{len(fired)} of {len(cases)}" + (" ({:.3f} -> {:.3f})".format(*scores) if fired else ""))
        print(f"| `{preset}` | " + " | ".join(cells) + " |", flush=True)


def _why(args: argparse.Namespace) -> None:
    """Where the default's cost lies: the mean angle error (deg) of the hips' local rotation and of the other
    joints', and the rate SmoothNet ran at (fps; below 30: the clip read as fast and stretched in time)."""
    from synsp.inference.rotation_refiner import RotationRefiner
    from synsp.rotations.conversions import geodesic_angle

    rates: list[float] = []
    run = RotationRefiner._refine

    def recorded(self, *given, **options):
        out = run(self, *given, **options)
        rates.append(self.paced_fps)
        return out

    print(f"The mocap's own BVH tree, {args.split} split, the default: hips / other joints' angle error (deg), "
          "SmoothNet's rate (fps), before -> now\n")
    print("| preset | spin | hips | other joints | SmoothNet's rate |")
    print("|---|---|---:|---:|---:|")
    for preset, spin_name, cases in _spinning(args, skeleton_cases):
        cells = {"hips": [], "other": [], "rate": []}
        for spin in (None, spin_turn):
            rates.clear()
            with (mock.patch("synsp.refining.motion_spin.spin_turn", spin or (lambda *a, **k: None)),
                  mock.patch.object(RotationRefiner, "_refine", recorded)):
                refined = [skeleton_refiner()(c.noisy, c) for c in cases]
            errors = [geodesic_angle(r, c.clean).mean(axis=0) for r, c in zip(refined, cases)]
            cells["hips"].append(np.mean([e[1] for e in errors]))
            cells["other"].append(np.mean([np.delete(e, 1).mean() for e in errors]))
            cells["rate"].append(np.mean(rates))
        print(f"| `{preset}` | {spin_name} | " + " | ".join(f"{a:.2f} -> {b:.2f}" for a, b in cells.values()) + " |",
              flush=True)


# an SMPL file's world (axes turned about X): the mocap's +Y up, a Z-up world (AMASS), an estimator's camera (y down)
WORLDS = {"Y up": np.eye(3), "Z up": matrix_from_axis_angle(np.array([np.pi / 2, 0.0, 0.0])),
          "camera, y down": matrix_from_axis_angle(np.array([np.pi, 0.0, 0.0]))}


def _smpl(args: argparse.Namespace) -> None:
    """SMPL clips spinning at the pelvis about the file's vertical, in each of :data:`WORLDS`, refined as ``synsp
    refine`` refines an SMPL file (by default, SynSP on rotations; or ``--methods butterworth``), before (no spin
    step) and now."""
    print(f"SMPL (the mocap retargeted), {args.split} split, spinning N turns a second about the file's vertical; "
          "MPJPE (mm) / angle (deg): before (no spin step) and now\n")
    for name in args.methods:
        _table(name, "SynSP on rotations", ["preset", "world", "spin"])
        for world in args.worlds:
            for preset, spin_name, cases in _spinning(args, rotation_cases):
                cases = [_in_world(c, WORLDS[world]) for c in cases]
                given = evaluate_rotations(lambda r: r, cases)
                fired = sum(without_motion_spin(smpl_motion(c.noisy, None, 30.0), lambda m: (m, [])) is not None
                            for c in cases)
                before, now = (_smpl_scored(METHODS[name], cases, spin) for spin in (None, spin_turn))
                print(f"| `{preset}` | {world} | {spin_name} | {_cell(given) if preset != 'none' else '-'} | "
                      f"{_cell(before)} | {_cell(now)} | {fired} of {len(cases)} |", flush=True)


def _smpl_guard(args: argparse.Namespace) -> None:
    """How many SMPL clips as they are (no spin added), in each world, played 1-3 x as fast (every k-th frame), the
    spin step fires on, per preset."""
    print(f"SMPL (the mocap retargeted), {args.split} split, no spin added: clips whose spin is read (and taken out)\n")
    print("| preset | world | 1 x | 2 x | 3 x |")
    print("|---|---|---:|---:|---:|")
    for preset in args.presets:
        base = rotation_cases(args.split, preset, 2024, args.clips)
        for world in args.worlds:
            cells = [sum(without_motion_spin(smpl_motion(_in_world(c, WORLDS[world]).noisy[::speed], None, 30.0),
                                             lambda m: (m, [])) is not None for c in base) for speed in (1, 2, 3)]
            print(f"| `{preset}` | {world} | " + " | ".join(f"{n} of {len(base)}" for n in cells) + " |", flush=True)


def _in_world(case: RotationCase, turn: np.ndarray) -> RotationCase:
    """``case`` with its root (the global orientation) turned by ``turn`` (3, 3): the same motion in other axes."""
    noisy, clean = case.noisy.copy(), case.clean.copy()
    noisy[:, 0], clean[:, 0] = turn @ noisy[:, 0], turn @ clean[:, 0]
    return RotationCase(noisy, clean, smpl_positions(clean))


def _smpl_scored(method: str | None, cases: list[RotationCase], spin) -> dict[str, float]:
    """MPJPE and Angle of :func:`~synsp.refining.motion.refine_smpl` by ``method`` on SMPL ``cases``, the spin read
    by ``spin`` (None: not read)."""
    from synsp.refining.motion import refine_smpl

    with mock.patch("synsp.refining.motion_spin.spin_turn", spin or (lambda *args, **kwargs: None)):
        return evaluate_rotations(lambda r: refine_smpl(r, 30.0, method), cases)


def _spinning(args: argparse.Namespace, load) -> Iterator[tuple[str, str, list[RotationCase]]]:
    """(preset, spin's name, cases) of ``load``'s cases (``skeleton_cases`` or ``rotation_cases``) still and spinning
    each of ``args.turns`` turns a second, per preset of ``args.presets``."""
    for preset in args.presets:
        base = load(args.split, preset, 2024, args.clips)
        for turns in [0.0, *args.turns]:
            yield preset, "still" if turns == 0 else f"{turns:g}/s", [spun(c, turns) for c in base]


def _scored(method: str | None, cases: list[RotationCase], spin) -> dict[str, float]:
    """MPJPE and Angle of ``synsp refine``'s ``method`` on ``cases``, the spin read by ``spin`` (None: not read)."""
    with mock.patch("synsp.refining.motion_spin.spin_turn", spin or (lambda *args, **kwargs: None)):
        return evaluate_rotations(skeleton_refiner(method), cases, given_case=True)


def _table(name: str, default: str, rows: list[str]) -> None:
    """The title of ``--methods`` ``name``'s table (the default's: ``default``) and its header, rows named ``rows``."""
    print(f"\ndefault ({default})\n" if METHODS[name] is None else f"\n`--method {name}`\n")
    print("| " + " | ".join([*rows, "input", "before", "now", "fired"]) + " |")
    print("|" + "---|" * len(rows) + "---:|" * 4)


def _cell(score: dict[str, float]) -> str:
    return f"{score['MPJPE']:.2f} / {score['Angle']:.3f}"


if __name__ == "__main__":
    main()

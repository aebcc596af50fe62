"""A layout's joints beyond the model's (HALPE-26's feet and head top, BODY-25's feet, MediaPipe-33's
feet, hands and face) under light white noise: SmoothNet plus the nearest model joint's correction
(before) against today's route, which low-passes them where the input's noise reads white
(:func:`synsp.inference.risk_choice.lowpass_where_white`), with a 6 Hz Butterworth beside them.

The split's clips in each layout (:mod:`synsp.data.mocap_layouts`), resampled on a cubic to the
condition's frame rate, with white noise (per coordinate, mm or px; a marker system's or a
per-frame tracker's), and under the simulator's presets (correlated jitter, slow errors: the step
should leave them as they were) and clean (how far each method moves the poses). "Before" is the
same route with the step left out. MPJPE (3D root-relative mm, 2D
px) of the layout's other joints (not COCO-17's, as ``benchmarks/layouts.py`` splits them) and of
every joint, x input; the input's whiteness (:func:`synsp.inference.white_noise.whiteness`, the
clips' range) and the clips whose other joints end worse than their input. A condition every clip of which reads at
or above :data:`~synsp.inference.white_noise.WHITE_RAMP`'s top is not refined: the step gives
SynSP's output back as it was there (it says so). Run:

    .venv/bin/python benchmarks/extra_joints.py [--space 2d] [--split val] [--max-clips 12]
        [--layouts halpe26 body25 mediapipe33] [--conditions 3@100 1@30 typical ...]
"""
from __future__ import annotations

import argparse
from unittest import mock

import numpy as np
from scipy.interpolate import CubicSpline

import synsp
import synsp.refining.converted_layout as converted_layout
from synsp.evaluation.protocol import make_cases
from synsp.filters import butterworth
from synsp.inference.white_noise import WHITE_RAMP, whiteness
from synsp.skeleton import COCO17, get_layout, root_position
from table_cells import x_input

# "SIGMA@FPS": white noise of SIGMA (mm in 3D, px in 2D) per coordinate at FPS; else a preset's name
CONDITIONS = {"3d": ("1@30", "3@30", "3@100", "5@60", "1@120", "typical", "hard", "jitter", "clean-ish", "none"),
              "2d": ("0.5@30", "1@30", "2@30", "1@100", "typical", "hard", "jitter", "clean-ish", "none")}
LAYOUTS = ("halpe26", "body25", "mediapipe33")


def at_rate(clean: np.ndarray, fps: int) -> np.ndarray:
    """A 30 fps clip (T, J, C) resampled to ``fps`` on a cubic."""
    if fps == 30:
        return clean
    t = np.arange(len(clean)) / 30.0
    return CubicSpline(t, clean, axis=0)(np.arange(0.0, t[-1], 1.0 / fps))


def clips(condition: str, layout: str, space: str, split: str, max_clips: int):
    """[(clean, noisy, fps)] of ``condition`` (module docstring), clips (T, J, C) float64."""
    if "@" not in condition:
        cases = make_cases(split, condition, layout=layout, space=space, max_clips=max_clips)
        return [(np.asarray(c.clean, np.float64), np.asarray(c.noisy, np.float64), 30) for c in cases]
    sigma, fps = float(condition.split("@")[0]), int(condition.split("@")[1])
    cases = make_cases(split, "none", layout=layout, space=space, max_clips=max_clips)
    out = []
    for i, case in enumerate(cases):
        clean = at_rate(np.asarray(case.clean, np.float64), fps)
        out.append((clean, clean + np.random.default_rng(i).normal(0.0, sigma, clean.shape), fps))
    return out


def refined_before_and_after(noisy: np.ndarray, layout: str, fps: int) -> tuple[np.ndarray, np.ndarray]:
    """SynSP's output (T, J, C) of ``noisy`` in ``layout`` at ``fps`` without the white-noise
    low-pass of the other joints (the route before it), and with it (today's)."""
    unchanged = lambda values, refined, joints, anchors=(): refined  # noqa: E731
    with mock.patch.object(converted_layout, "lowpass_where_white", unchanged):
        before = synsp.refine(noisy, method="synsp", layout=layout, fps=fps)
    return before, synsp.refine(noisy, method="synsp", layout=layout, fps=fps)


def _error(pred: np.ndarray, clean: np.ndarray, joints: list[int], layout: str) -> float:
    if pred.shape[-1] == 3:
        pred = pred - root_position(pred, layout)
    return float(np.linalg.norm(pred[:, joints] - clean[:, joints], axis=-1).mean())


def row(condition: str, layout: str, space: str, split: str, max_clips: int) -> str:
    names = get_layout(layout).joints
    coco = [names.index(n) for n in COCO17.joints if n in names]
    other, every = [j for j in range(len(names)) if j not in coco], list(range(len(names)))
    label = f"white {condition.replace('@', ' @ ')} fps" if "@" in condition else f"`{condition}`"
    cases = clips(condition, layout, space, split, max_clips)
    white = [float(whiteness(noisy)) for _, noisy, _ in cases]
    if min(white) >= WHITE_RAMP[1]:  # the step returns SynSP's output itself on every clip: nothing to refine
        return f"| {label} | {min(white):.2f}-{max(white):.2f} | unchanged: no clip reads white |"
    scores, frames, worse = [], [], [0, 0]
    for clean, noisy, fps in cases:
        before, after = refined_before_and_after(noisy, layout, fps)
        low = butterworth(noisy, cutoff=6.0, fps=fps)
        s = [_error(p, clean, joints, layout) for joints in (other, every) for p in (noisy, before, after, low)]
        worse[0] += s[1] > s[0]
        worse[1] += s[2] > s[0]
        scores.append(s)
        frames.append(len(clean))
    m = np.average(scores, axis=0, weights=frames)

    body, rest = (x_input(part, 2, moved_if_clean=True) for part in (m[:4], m[4:]))  # clean: how far each moved
    return (f"| {label} | {min(white):.2f}-{max(white):.2f} | " + " | ".join(body)
            + f" | {worse[0]} -> {worse[1]} | " + " | ".join(rest[1:3]) + " |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--split", default="val")
    parser.add_argument("--max-clips", type=int, default=12, help="only the first N clips (0 = all)")
    parser.add_argument("--layouts", nargs="+", default=list(LAYOUTS))
    parser.add_argument("--conditions", nargs="+", help="SIGMA@FPS (white noise) or presets (default: the space's)")
    args = parser.parse_args()
    unit = "mm" if args.space == "3d" else "px"
    for layout in args.layouts:
        print(f"#### {layout} ({args.space}, {args.split} split, first {args.max_clips or 'all'} clips, {unit})\n\n"
              "| condition | whiteness | other joints: input | before | today | Butterworth 6 Hz | clips worse "
              "than input | every joint: before | today |\n|---|---|---:|---:|---:|---:|---|---:|---:|", flush=True)
        for condition in args.conditions or CONDITIONS[args.space]:
            print(row(condition, layout, args.space, args.split, args.max_clips), flush=True)
        print()


if __name__ == "__main__":
    main()

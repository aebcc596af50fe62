"""Noise the estimator-error simulator does not make: how each method copes (test split).

The accuracy benchmark scores errors drawn by our own simulator. Here the test clips get
noise of other kinds instead, none with the simulator's structure:

- none: the clean mocap itself (a refiner should leave it nearly as it is);
- white Gaussian noise of 5, 20 and 50 mm per coordinate (independent per frame and joint);
- uniform noise in +-40 mm per coordinate;
- low-pass noise: white noise of 30 mm smoothed by a Gaussian of 2 frames (slow wobble);
- and, on clean poses, errors of other kinds: every 5th frame a repeat of the one before (a
  24 -> 30 fps pulldown), both wrists 2 frames late, spikes (1 % of joint values off by 200 mm
  per coordinate), the body's size wobbling by 3 % and its orientation by 2 degrees per axis
  from frame to frame (about the pelvis), coordinates rounded to whole centimetres, every other
  frame a repeat of the one before (an estimator run at 15 fps), and joints held at their last
  value for 5-15 frames (a tracker holding a lost joint; 1 % of the values), every left and
  right label exchanged for a second, from a third of the clip (a person read facing the other way),
  and the whole body shifted by 100 mm for 2 frames, twice (a detector's box that jumped; in 3D
  root-relative MPJPE does not see it); and, on white noise of 5 mm, the knees' and ankles' labels
  exchanged for 3-8 frames every 2 s (an estimator reading the legs the other way round);
- monocular depth noise (3D only): noise 3.5 x larger along the camera's viewing axis than across
  it, the camera at a random yaw per clip; white (10 mm across) and slow (30 mm across, low-passed
  as the low-pass row);
- a top-down detector's box jitter (2D only): the whole body shifted by 2 % of its height per axis
  and scaled by 2 %, about its box centre, independently each frame;
- motion blur: white noise of 5 mm (1 px) times 1 + 2 x the joint's speed in m/s, up to 5 x (a
  limb at 2 m/s: 5 x; the simulator's own speed term stops at 3 x).

Filters run at the paper's settings (no tuning on these noises). SynSP is the default and, as
"SynSP, whole correction", without the step that keeps its correction in proportion to the
model's floor (``floor=False``, :mod:`synsp.inference.floor`). Root-relative mm; with
``--space 2d`` COCO-17 pixels through the virtual cameras, the amplitudes scaled by
``PX_PER_MM`` (5 mm -> 1 px). Run:

    .venv/bin/python benchmarks/robustness.py [--space 2d] [--split val] [--max-clips 30] [--checkpoint PATH]
        [--only TEXT]

``--only`` runs the rows whose name holds TEXT; a last table sums every row up (MPJPE: input,
SynSP, SmoothNet, the best classic filter, each x input).
"""
from __future__ import annotations

import argparse

import numpy as np
from scipy.ndimage import gaussian_filter1d
from scipy.spatial.transform import Rotation

from synsp.evaluation.protocol import Case, evaluate, make_cases, markdown_table
from synsp.filters import FILTERS
from synsp.inference.checkpoint import default_model, load_model
from synsp.skeleton import get_layout, root_position


def _repeat_frames(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    y = x.copy()
    y[4::5] = x[3::5][: len(y[4::5])]
    return y


def _half_rate(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    y = x.copy()
    y[1::2] = x[0:-1:2][: len(y[1::2])]
    return y


def _held_joints(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    y = x.copy()
    t, j = x.shape[:2]
    for _ in range(max(1, t * j // 1000)):  # runs of 10 frames on average: 1 % of the values
        start, length, joint = rng.integers(1, t), rng.integers(5, 16), rng.integers(j)
        y[start:start + length, joint] = y[start - 1, joint]
    return y


def _exchanged_second(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    y = x.copy()
    start = len(x) // 3
    y[start:start + 30] = x[start:start + 30][:, get_layout(layout).flip_index]
    return y


def _exchanged_legs(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    lay = get_layout(layout)
    y = x + rng.normal(0, a, x.shape)
    legs = [list(pair) for pair in lay.left_right if any(w in lay.joints[pair[0]] for w in ("knee", "ankle"))]
    for start in range(int(rng.integers(10, 40)), len(x) - 10, 60):
        frames = slice(start, start + int(rng.integers(3, 9)))
        for left, right in legs:
            y[frames, [left, right]] = y[frames, [right, left]]
    return y


def _body_jumps(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    y = x.copy()
    for start in (len(x) // 4, len(x) // 2):  # twice per clip, 2 frames, ``a`` in a random direction
        direction = rng.normal(size=x.shape[-1])
        y[start:start + 2] += a * direction / np.linalg.norm(direction)
    return y


def _late_wrists(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    wrists = [get_layout(layout).joints.index(name) for name in ("left_wrist", "right_wrist")]
    y = x.copy()
    y[2:, wrists] = x[:-2, wrists]
    return y


def _spikes(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    hit = rng.random(x.shape[:2]) < 0.01
    y = x.copy()
    y[hit] += rng.normal(0, a, (int(hit.sum()), x.shape[-1]))
    return y


def _about_root(x: np.ndarray, layout: str, matrices: np.ndarray) -> np.ndarray:
    root = root_position(x, layout)
    return root + np.einsum("tab,tjb->tja", matrices, x - root)


def _scale_wobble(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    return _about_root(x, layout, (1 + rng.normal(0, 0.03, len(x)))[:, None, None] * np.eye(x.shape[-1]))


def _turn_wobble(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    if x.shape[-1] == 2:  # in the image plane
        angle = np.deg2rad(rng.normal(0, 2, len(x)))
        c, s = np.cos(angle), np.sin(angle)
        return _about_root(x, layout, np.stack([np.stack([c, -s], -1), np.stack([s, c], -1)], -2))
    return _about_root(x, layout, Rotation.from_rotvec(np.deg2rad(rng.normal(0, 2, (len(x), 3)))).as_matrix())


def _depth_noise(x: np.ndarray, rng: np.random.Generator, a: float, smooth: float) -> np.ndarray:
    """``a`` across the viewing axis, 3.5 ``a`` along it (Y up; the camera at a random yaw)."""
    yaw = rng.uniform(0, 2 * np.pi)
    view = np.array([np.sin(yaw), 0.0, np.cos(yaw)])
    noise = rng.normal(0, a, x.shape)
    noise += 2.5 * (noise @ view)[..., None] * view  # the component along the view: 3.5 x
    return x + (gaussian_filter1d(noise, smooth, axis=0) if smooth else noise)


def _box_jitter(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    """The whole body shifted and scaled about its box centre by ``a`` of its height, per frame."""
    low, high = x.min(axis=1, keepdims=True), x.max(axis=1, keepdims=True)
    centre, height = (low + high) / 2, float(np.median(high - low, axis=0).max())
    scale = 1 + rng.normal(0, a, (len(x), 1, 1))
    return centre + scale * (x - centre) + rng.normal(0, a * height, (len(x), 1, x.shape[-1]))


def _motion_blur(x: np.ndarray, rng: np.random.Generator, layout: str, a: float) -> np.ndarray:
    mm = 1.0 if x.shape[-1] == 3 else PX_PER_MM  # units per mm
    speed = np.linalg.norm(np.gradient(x, axis=0), axis=-1) * 30 / mm / 1000  # m/s at 30 fps
    return x + rng.normal(0, a, x.shape) * np.minimum(1 + 2 * speed, 5.0)[..., None]


# (name with {} for the amplitude, the amplitude in 3D mm (2D: times PX_PER_MM), the noise)
NOISES = [
    ("none", 0.0, lambda x, rng, layout, a: x),
    ("white {}", 5.0, lambda x, rng, layout, a: x + rng.normal(0, a, x.shape)),
    ("white {}", 20.0, lambda x, rng, layout, a: x + rng.normal(0, a, x.shape)),
    ("white {}", 50.0, lambda x, rng, layout, a: x + rng.normal(0, a, x.shape)),
    ("uniform {}", 40.0, lambda x, rng, layout, a: x + rng.uniform(-a, a, x.shape)),
    ("low-pass {}", 30.0, lambda x, rng, layout, a: x + gaussian_filter1d(rng.normal(0, a, x.shape), 2.0, axis=0)),
    ("every 5th frame repeated", 0.0, _repeat_frames),
    ("wrists 2 frames late", 0.0, _late_wrists),
    ("spikes 1 %, {}", 200.0, _spikes),
    ("size wobble 3 %", 0.0, _scale_wobble),
    ("orientation wobble 2 deg", 0.0, _turn_wobble),
    ("rounded to {}", 10.0, lambda x, rng, layout, a: np.round(x / a) * a),
    ("every other frame repeated", 0.0, _half_rate),
    ("joints held 5-15 frames", 0.0, _held_joints),
    ("left and right exchanged for 1 s", 0.0, _exchanged_second),
    # 2D only: 3D MPJPE is root-relative, so a whole-body jump leaves the input's error at 0 there
    # (benchmarks/root_track.py scores where the 3D body is placed)
    ("2d: whole body off its path for 2 frames, {}", 100.0, _body_jumps),
    ("3d: depth noise, white {} across, 3.5 x along", 10.0, lambda x, rng, layout, a: _depth_noise(x, rng, a, 0)),
    ("3d: depth noise, low-pass {} across, 3.5 x along", 30.0, lambda x, rng, layout, a: _depth_noise(x, rng, a, 2)),
    ("2d: detector's box jitter 2 %", 0.0, lambda x, rng, layout, a: _box_jitter(x, rng, layout, 0.02)),
    ("motion blur, white {} x (1 + 2 x speed in m/s) up to 5 x", 5.0, _motion_blur),
    ("white {}, a leg's knee and ankle on the other leg for 3-8 frames every 2 s", 5.0, _exchanged_legs),
]
# A name starting "3d: " or "2d: " is run in that space only.
# 2D amplitudes: the test clips' people are about 340 px tall for 1.7 m, so 0.2 px per mm
# (5 mm -> 1 px, and 1 cm rounding -> whole pixels, as some tools write them).
PX_PER_MM = 0.2


def summary(rows: dict[str, dict[str, dict[str, float]]]) -> str:
    """One line per row of ``rows`` (row name -> :func:`evaluate`'s results): the input's MPJPE and
    SynSP's, SmoothNet's and the best classic filter's, each x input."""
    lines = ["| errors | input | SynSP | SmoothNet | best filter |", "|---|---:|---:|---:|---:|"]
    for name, results in rows.items():
        ref = results["input"]["MPJPE"]
        best = min((m for m in results if m in FILTERS), key=lambda m: results[m]["MPJPE"])
        cells = [f"{results[m]['MPJPE']:.2f}" + (f" ({results[m]['MPJPE'] / ref:.3f})" if ref > 1e-9 else "")
                 for m in ("SynSP", "SmoothNet", best)]  # clean input: no ratio
        lines.append(f"| {name} | {ref:.2f} | " + " | ".join(cells[:2]) + f" | {best} {cells[2]} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=["3d", "2d"], default="3d")
    parser.add_argument("--split", default="test", help="test (final figures) or val (choices)")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--checkpoint", help="the SynSP model (file or shipped name; default: the space's)")
    parser.add_argument("--only", default="", help="only the rows whose name holds this text")
    args = parser.parse_args()
    layout, unit, per_mm = ("h36m17", "mm", 1.0) if args.space == "3d" else ("coco17", "px", PX_PER_MM)
    # only the ground truth is used
    clean = make_cases(args.split, "clean-ish", layout=layout, space=args.space, max_clips=args.max_clips)
    methods = {name: fn for name, fn in FILTERS.items() if name != "identity"}
    methods["SmoothNet"] = load_model(default_model("smoothnet", args.space)).refine
    synsp = load_model(args.checkpoint or default_model("synsp", args.space))
    methods["SynSP"] = synsp.refine
    methods["SynSP, whole correction"] = lambda x: synsp.refine(x, floor=False)
    rng = np.random.default_rng(0)
    rows = {}
    for name, amplitude, add in NOISES:
        if name[:4] in ("2d: ", "3d: ") and name[:2] != args.space:
            continue
        a = amplitude * per_mm
        noise = name.format(f"{a:g} {unit}").removeprefix(f"{args.space}: ")
        # every row's noise is drawn, run or not (``--only``): each row's figures stay those of a whole run
        cases = [Case(c.name, add(c.clean, rng, layout, a).astype(np.float32), c.clean) for c in clean]
        if args.only not in noise:
            continue
        frames = sum(len(c.clean) for c in cases)
        print(f"### {noise} ({len(cases)} {args.split} clips, {frames} frames, {unit})\n", flush=True)
        rows[noise] = evaluate(methods, cases, layout=layout, space=args.space)
        print(markdown_table(rows[noise]) + "\n", flush=True)
    print("### Summary: MPJPE (x input)\n\n" + summary(rows) + "\n")

if __name__ == "__main__":
    main()

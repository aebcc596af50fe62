"""Gaps in a layout's joints beyond the model's (feet, hands, face points): filled along their bone or on a straight
line in time (before) against from their segment's points (:mod:`synsp.estimator_errors.segment_fill`, after).

The split's clips in each layout (:mod:`synsp.data.mocap_layouts`; COCO-WholeBody-133 as
``benchmarks/joint_groups.py`` mixes it, the first 300 frames) under a preset of the simulator ("none": clean),
each with 4 gaps of 5-60 frames (uniform, seeded by the clip's index) in those joints: every other one a single
point, the others a whole foot or hand of the layout (its points beyond the model's), or 3 face points, while the
rest is seen. Mean error (3D root-relative mm, 2D px) over the gap values: the fill alone (what the networks are
given), ``synsp.refine`` before and after, ``method="smoothnet"`` and ``method="butterworth"`` (a filter given the
gaps filled) before and after; and over the other values of those joints (seen), SynSP's before and after. "Before"
is each route with the segment fill left out. Run:

    .venv/bin/python benchmarks/extra_gaps.py [--space 2d] [--split val] [--clips 10]
        [--layouts halpe26 body25 mediapipe33] [--presets none typical]
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path
from unittest import mock

import numpy as np

import synsp
import synsp.refining.segment_values as segment_values
from synsp.data.splits import load_split
from synsp.estimator_errors.measurements import measurements
from synsp.estimator_errors.segment_fill import _kind
from synsp.evaluation.protocol import make_cases
from synsp.inference.joint_corrections import shared_joints
from synsp.skeleton import get_layout

COLUMNS = ("fill before", "fill after", "refined before", "refined after", "SmoothNet before", "SmoothNet after",
           "Butterworth before", "Butterworth after", "seen: input", "seen: before", "seen: after")


def extra_joints(layout: str, target: str) -> list[int]:
    """The joints of ``layout`` beyond ``target``'s in a foot, a hand or the face."""
    shared = {j for j, _ in shared_joints(layout, target)}
    names = get_layout(layout).joints
    return [j for j in range(len(names)) if j not in shared and _kind(names[j])[0] in ("feet", "hands", "face")]


def gapped(noisy: np.ndarray, layout: str, extra: list[int], rng: np.random.Generator,
           n_gaps: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """``noisy`` (T, J, C) with gaps (module docstring) in ``extra``; returns it (NaN there) and the (T, J) mask."""
    names = get_layout(layout).joints
    groups: dict[tuple, list[int]] = {}
    for j in extra:
        kind, side = _kind(names[j])
        groups.setdefault((kind, side if kind != "face" else ""), []).append(j)
    keys = sorted(groups)
    hit = np.zeros(noisy.shape[:2], bool)
    for g in range(n_gaps):
        length = int(rng.integers(5, 61))
        start = int(rng.integers(1, len(noisy) - length - 1))
        key = keys[rng.integers(len(keys))]
        joints = groups[key]
        if g % 2 == 0:
            joints = [joints[rng.integers(len(joints))]]
        elif key[0] == "face":
            joints = list(rng.choice(joints, min(3, len(joints)), replace=False))
        hit[start:start + length, joints] = True
    x = noisy.copy()
    x[hit] = np.nan
    return x, hit


def _error(a: np.ndarray, b: np.ndarray, mask: np.ndarray) -> float:
    return float(np.linalg.norm(np.asarray(a, np.float64) - b, axis=-1)[mask].mean())


def run(space: str, layout: str, preset: str, split: str, n_clips: int) -> list[float]:
    """The columns' means over the clips."""
    target = "h36m17" if space == "3d" else "coco17"
    extra = extra_joints(layout, target)
    rows = []
    own = None
    if layout == "coco133":  # no mocap layout: benchmarks/joint_groups.py's mix of Halpe's and MediaPipe's points
        sys.path.insert(0, str(Path(__file__).parent))
        from joint_groups import clip_in

        own = {name: clip_in(name, layout)[:300] for name in load_split(split)[:n_clips]}
    for c, case in enumerate(make_cases(split, preset, layout=layout, space=space, max_clips=n_clips, clips=own)):
        clean = np.asarray(case.clean, np.float64)
        noisy = np.asarray(case.noisy, np.float32)
        x, hit = gapped(noisy, layout, extra, np.random.default_rng(c))
        hit &= np.isfinite(noisy).all(-1)
        m = measurements(x, get_layout(layout))
        with mock.patch.object(segment_values, "segment_fill", lambda v, lay, js: (v, np.zeros(v.shape[:2], bool))):
            before = [synsp.refine(x, method, layout=layout) for method in ("synsp", "smoothnet", "butterworth")]
        after = [synsp.refine(x, method, layout=layout) for method in ("synsp", "smoothnet", "butterworth")]
        seen = np.zeros_like(hit)
        seen[:, extra] = True
        seen &= ~hit & np.isfinite(x).all(-1)
        rows.append([_error(m.values, clean, hit),
                     _error(segment_values.segment_filled(m.values, m.gaps, layout, target), clean, hit),
                     *[_error(r, clean, hit) for pair in zip(before, after) for r in pair],
                     _error(x, clean, seen), _error(before[0], clean, seen), _error(after[0], clean, seen)])
    return np.mean(rows, axis=0).tolist()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--split", default="val")
    parser.add_argument("--clips", type=int, default=10)
    parser.add_argument("--layouts", nargs="+", default=["halpe26", "body25", "mediapipe33"])
    parser.add_argument("--presets", nargs="+", default=["none", "typical"])
    args = parser.parse_args()
    unit = "mm" if args.space == "3d" else "px"
    print(f"{args.split} split, {args.clips} clips, {args.space}, {unit}: gap values (4 gaps of 5-60 frames a clip), "
          "and the seen values of the same joints")
    print()
    print("| layout | preset | " + " | ".join(COLUMNS) + " |")
    print("|---|---|" + "---:|" * len(COLUMNS))
    for layout in args.layouts:
        for preset in args.presets:
            means = run(args.space, layout, preset, args.split, args.clips)
            print(f"| {layout} | {preset} | " + " | ".join(f"{v:.2f}" for v in means) + " |", flush=True)


if __name__ == "__main__":
    main()

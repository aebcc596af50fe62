"""A limb hidden for 1-3 s: what the refiners give for the joints still seen, and for the hidden ones.

Each clip of the split gets the preset's errors (``typical``), then one limb's 1 or 2 distal
joints (a wrist, an elbow and wrist, an ankle, a knee and ankle; drawn per clip) go missing
(NaN) for 1-3 s at 30 fps (at most half the clip), as an occluding object or the body itself
hides them. Mean error per joint value (mm in 3D, px in 2D; not root-relative, as the files
people refine are not) of:

- ``seen``: the joints never hidden, in every frame; ``seen near gap``: the same in the frames
  of the gap and 8 frames either side (where the network's windows saw the fill);
- ``hidden``: the hidden joints inside the gap (the input has nothing there: the column gives
  the fill the refiner is handed, along the bones, :mod:`synsp.estimator_errors.measurements`).

Each refiner also runs on the same input without the gap (the preset's values kept): its
``seen`` figures there tell what the gap itself costs. Run:

    .venv/bin/python benchmarks/occlusions.py [--space 2d] [--split val] [--max-clips N] [--seconds 1,3]
"""
from __future__ import annotations

import argparse

import numpy as np

from synsp.estimator_errors.measurements import measurements
from synsp.evaluation.protocol import make_cases
from synsp.refining.arrays import refine
from synsp.skeleton import get_layout

# The distal joints of each limb that go missing together (1 or 2 of them), by name.
HIDDEN = (("right_wrist",), ("right_elbow", "right_wrist"), ("left_wrist",), ("left_elbow", "left_wrist"),
          ("right_ankle",), ("right_knee", "right_ankle"), ("left_ankle",), ("left_knee", "left_ankle"))
NEAR = 8  # frames either side of a gap counted as near it (SynSP's window is 8 frames)


def occlude(poses: np.ndarray, layout: str, rng: np.random.Generator, seconds: tuple[float, float] = (1.0, 3.0),
            fps: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """``poses`` (T, J, C) with one limb's 1-2 distal joints NaN for ``seconds`` (at most half the
    clip, at a random start); returns the occluded copy and the (T, J) bool mask of what was hidden."""
    names = get_layout(layout).joints
    pick = HIDDEN[rng.integers(len(HIDDEN))]
    joints = [names.index(name) for name in pick]
    t = len(poses)
    length = min(int(round(rng.uniform(*seconds) * fps)), t // 2)
    start = int(rng.integers(0, t - length + 1))
    hidden = np.zeros(poses.shape[:2], dtype=bool)
    hidden[start:start + length, joints] = True
    out = poses.copy()
    out[hidden] = np.nan
    return out, hidden


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=["3d", "2d"], default="3d")
    parser.add_argument("--split", default="val", help="val (choices) or test (final figures)")
    parser.add_argument("--preset", default="typical")
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N clips (0 = all)")
    parser.add_argument("--seconds", default="1,3", help="the gap's length is drawn in this range (s)")
    parser.add_argument("--methods", default="synsp,smoothnet")
    args = parser.parse_args()
    layout, unit = ("h36m17", "mm") if args.space == "3d" else ("coco17", "px")
    seconds = tuple(float(s) for s in args.seconds.split(","))
    cases = make_cases(args.split, args.preset, layout=layout, space=args.space, max_clips=args.max_clips)
    rng = np.random.default_rng(0)
    rows: dict[str, list[np.ndarray]] = {}
    for case in cases:
        noisy, hidden = occlude(case.noisy, layout, rng, seconds)
        seen = ~hidden.any(axis=0)[None] & np.ones_like(hidden)
        gap_frames = np.flatnonzero(hidden.any(axis=1))
        near = np.zeros(len(noisy), dtype=bool)
        near[max(gap_frames[0] - NEAR, 0):gap_frames[-1] + NEAR + 1] = True
        err = lambda y: np.linalg.norm(y - case.clean, axis=-1)  # noqa: E731
        fill = measurements(noisy, get_layout(layout), undo=False).values
        figures = {"input": (err(case.noisy), err(fill))}
        for method in args.methods.split(","):
            figures[method] = (err(refine(noisy, method, layout=layout)), None)
            figures[f"{method}, no gap"] = (err(refine(case.noisy, method, layout=layout)), None)
        for name, (e, e_fill) in figures.items():
            e_hidden = e_fill if e_fill is not None else e
            values = [e[seen].sum(), seen.sum(), e[seen & near[:, None]].sum(), (seen & near[:, None]).sum(),
                      e_hidden[hidden].sum(), hidden.sum()]
            rows.setdefault(name, []).append(np.array(values, dtype=float))
    frames = sum(len(c.clean) for c in cases)
    print(f"#### {args.space.upper()}, a limb hidden {seconds[0]:g}-{seconds[1]:g} s, `{args.preset}` "
          f"({args.split} split, {len(cases)} clips, {frames} frames, {unit})\n")
    print("| method | seen | seen near gap | hidden |\n|---|---:|---:|---:|")
    for name, values in rows.items():
        total = np.sum(values, axis=0)
        hidden_cell = f"{total[4] / total[5]:.2f}" if "no gap" not in name else "-"
        print(f"| {name} | {total[0] / total[1]:.2f} | {total[2] / total[3]:.2f} | {hidden_cell} |")


if __name__ == "__main__":
    main()

"""A limb or a trunk joint never seen: one leg or arm missing (NaN) in every frame (an amputee, a limb out of the
picture, a Pose2Sim TRC with the limb's columns blank), or one midline joint (a 15- or 16-joint lab skeleton padded to
the layout, a CSV without the spine's columns), and what each refiner makes of the joints that are seen.

Each validation clip of at least 150 frames gets white noise (``--noise`` mm in 3D, px in 2D, per coordinate) or
a preset's errors (``--preset``), then the row's joints NaN in every frame. Below :data:`synsp.sequence.UNSEEN_SHARE`
of the joints never seen SynSP refines the rest itself; above it hands the clip to SmoothNet (the "both legs" row).
Mean absolute error (mm / px, not root-relative) over the seen joints and every frame, per clip, then averaged; the
never-seen joints are left missing by every method. Run:

    .venv/bin/python benchmarks/limb_never_seen.py [--space 3d|2d] [--layout L] [--split val] [--max-clips 4]
        [--rows ...] [--stream]

``--layout``: the poses' layout (3D: h36m17, smpl24, mpii16, ...; default h36m17 in 3D, coco17 in 2D); a row naming
no joint of it is left out.

``--stream``: SynSP's and SmoothNet's streams (:class:`synsp.StreamingRefiner`, frame by frame, default lag) too.
"""
from __future__ import annotations

import argparse

import numpy as np

from synsp.evaluation.protocol import make_cases
from synsp.inference.checkpoint import default_model, load_model
from synsp.inference.streaming import StreamingRefiner
from synsp.refining.arrays import refine
from synsp.skeleton import get_layout

# row name -> the joints never seen, by name (those the layout has; the trunk rows name each layout's own joint)
ROWS = {
    "left leg": ("left_hip", "left_knee", "left_ankle"),
    "left knee, ankle": ("left_knee", "left_ankle"),
    "left ankle": ("left_ankle",),
    "left arm": ("left_elbow", "left_wrist"),
    "left knee, ankle + right ankle": ("left_knee", "left_ankle", "right_ankle"),
    "both knees, ankles": ("left_knee", "left_ankle", "right_knee", "right_ankle"),
    "spine": ("spine", "spine1"),
    "upper spine": ("spine3",),
    "thorax": ("thorax",),
    "neck": ("neck_nose", "neck", "upper_neck"),
    "pelvis": ("pelvis", "mid_hip", "hip"),
    "both hips": ("left_hip", "right_hip"),
}
METHODS = ("synsp", "smoothnet", "butterworth")


def streamed(method: str, space: str):
    """(T, J, C) -> (T, J, C): ``method``'s network pushed through a stream frame by frame."""
    model = load_model(default_model(method, space))

    def run(x: np.ndarray) -> np.ndarray:
        return StreamingRefiner(model, mm_per_unit=1.0 if space == "3d" else None).refine_all(x)
    return run


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", default="3d", choices=("3d", "2d"))
    parser.add_argument("--layout", default=None, help="the poses' layout (default h36m17 in 3D, coco17 in 2D)")
    parser.add_argument("--split", default="val", help="val (choices) or test (final figures)")
    parser.add_argument("--max-clips", type=int, default=4, help="the first N clips of >= 150 frames (0: all)")
    parser.add_argument("--preset", default="none", help="the protocol's errors; none: white noise only")
    parser.add_argument("--noise", type=float, default=None, help="white noise per coordinate (3D 8 mm, 2D 2 px)")
    parser.add_argument("--rows", nargs="+", default=list(ROWS), choices=list(ROWS))
    parser.add_argument("--stream", action="store_true", help="SynSP's and SmoothNet's streams too")
    args = parser.parse_args()
    streams = {f"{m} stream": streamed(m, args.space) for m in ("synsp", "smoothnet")} if args.stream else {}
    methods = (*METHODS, *streams)
    layout = args.layout or ("h36m17" if args.space == "3d" else "coco17")
    names = get_layout(layout).joints
    noise = args.noise if args.noise is not None else (8.0 if args.space == "3d" else 2.0)
    cases = [c for c in make_cases(args.split, args.preset, layout=layout, space=args.space) if len(c.clean) >= 150]
    cases = cases[:args.max_clips] if args.max_clips else cases
    unit = "mm" if args.space == "3d" else "px"
    print(f"{args.space} {layout}, {args.split}, {len(cases)} clips, {args.preset} + {noise:g} {unit} white noise; "
          f"mean error ({unit}) over the seen joints")
    print("| never seen | input | " + " | ".join(methods) + " |")
    print("|---|" + "---:|" * (1 + len(methods)))
    for row in args.rows:
        drop = [j for j, n in enumerate(names) if n in ROWS[row]]
        if not drop:
            continue
        seen = np.ones(len(names), bool)
        seen[drop] = False
        errors: dict[str, list[float]] = {m: [] for m in ("input", *methods)}
        rng = np.random.default_rng(1)
        for case in cases:
            truth = case.clean.astype(np.float64)
            x = case.noisy.astype(np.float64) + rng.normal(0, noise, truth.shape)
            x[:, drop] = np.nan
            outs = {"input": x, **{m: refine(x.astype(np.float32), m, layout=layout, fps=30) for m in METHODS},
                    **{m: run(x.astype(np.float32)) for m, run in streams.items()}}
            for m, out in outs.items():
                errors[m].append(float(np.linalg.norm(out[:, seen] - truth[:, seen], axis=-1).mean()))
        cells = " | ".join(f"{np.mean(errors[m]):.2f}" for m in ("input", *methods))
        print(f"| {row} ({len(drop)}/{len(names)}) | {cells} |", flush=True)


if __name__ == "__main__":
    main()

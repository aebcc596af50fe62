"""Limbs astray in a stream: a head, an arm or a leg put on a neighbour's for 6-25 frames, streamed and offline.

Each clip (``--split``, every ``--every``-th clip, at most 300 frames) gets two runs of a limb astray: the head, or an
elbow and its wrist, or a knee and its ankle, moved 400-700 mm sideways (on the ground plane, a neighbour beside the
subject) for 6-25 frames, then white noise (3D h36m17 8 mm root-relative, 2D coco17 through one random camera per clip,
2.5 px). SynSP streamed (``StreamingRefiner``, lookahead 3, the CLI's default) and offline (``synsp.refine``); prints
the mean error (mm or px; 3D root-relative) on the values astray, on the rest, and the largest, per method.

Run::

    .venv/bin/python benchmarks/stream_astray.py [--space 2d] [--split val] [--every 3]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.splits import load_split
from synsp.inference.checkpoint import default_model, load_model
from synsp.inference.streaming import StreamingRefiner

# the limbs thrown astray, per layout: joints moved together (a joint and the ones below it)
LIMBS = {"h36m17": [(10,), (12, 13), (15, 16), (2, 3), (5, 6)], "coco17": [(7, 9), (8, 10), (13, 15), (14, 16)]}


def astray(clip: np.ndarray, rng: np.random.Generator, layout: str) -> tuple[np.ndarray, np.ndarray]:
    """``clip`` (T, J, 3) mm with two limbs astray; returns it and the (T, J) bool mask of the moved values."""
    x, mask = clip.copy(), np.zeros(clip.shape[:2], bool)
    t = len(x)
    for k in range(2):  # one run in each half of the clip, apart
        length = int(rng.integers(6, 26))
        start = int(rng.integers(k * t // 2 + 10, (k + 1) * t // 2 - length - 5))
        joints = list(LIMBS[layout][rng.integers(len(LIMBS[layout]))])
        angle = rng.uniform(0, 2 * np.pi)
        offset = rng.uniform(400, 700) * np.array([np.cos(angle), 0.0, np.sin(angle)])  # Y up: sideways
        x[start:start + length, joints] += offset
        mask[start:start + length, joints] = True
    return x, mask


def streamed(model, x: np.ndarray, mm_per_unit: float | None) -> np.ndarray:
    return StreamingRefiner(model, mm_per_unit=mm_per_unit).refine_all(x.astype(np.float32)).astype(np.float64)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--split", default="val")
    parser.add_argument("--every", type=int, default=3, help="every N-th clip of the split")
    args = parser.parse_args()
    warnings.simplefilter("ignore")
    layout = "h36m17" if args.space == "3d" else "coco17"
    model = load_model(default_model("synsp", args.space))
    rng = np.random.default_rng(0)
    errors: dict[str, list[np.ndarray]] = {"input": [], "stream": [], "offline": []}
    masks = []
    for name in load_split(args.split)[:: args.every]:
        clean = load_clip(name, layout).astype(np.float64)[:300]
        if len(clean) < 80:
            continue
        moved, mask = astray(clean, rng, layout)
        if args.space == "3d":
            truth, noisy = clean - clean[:, :1], moved - moved[:, :1] + rng.normal(0, 8.0, moved.shape)
        else:
            camera = random_camera(rng, subject=clean)
            truth, noisy = project(clean, camera), project(moved, camera) + rng.normal(0, 2.5, (*moved.shape[:2], 2))
        outs = {"input": noisy, "stream": streamed(model, noisy, 1.0 if args.space == "3d" else None),
                "offline": np.asarray(model.refine(noisy.astype(np.float32)), np.float64)}
        for method, out in outs.items():
            if args.space == "3d":
                out = out - out[:, :1]
            errors[method].append(np.linalg.norm(out - truth, axis=-1))
        masks.append(mask)
        print(name, f"stream astray {errors['stream'][-1][mask].mean():.1f}", flush=True)
    unit = "mm" if args.space == "3d" else "px"
    mask = np.concatenate(masks)
    print(f"\n{len(masks)} {args.split} clips, {mask.sum()} values astray, {unit}\n")
    print("| method | astray: mean | astray: largest | the rest: mean |\n|---|---:|---:|---:|")
    for method, errs in errors.items():
        e = np.concatenate(errs)
        print(f"| {method} | {e[mask].mean():.1f} | {e[mask].max():.0f} | {e[~mask].mean():.3f} |")


if __name__ == "__main__":
    main()

"""Quality per joint group on skeletons users have: the default route against the input, SmoothNet and a Gaussian.

Clips: the validation split's first ``--max-clips`` Bandai clips (at most ``--frames`` frames
each) made in Halpe-26, BODY-25, MediaPipe-33, Bandai-22 (:mod:`synsp.data.mocap_layouts`),
COCO-WholeBody-133 (body and feet from Halpe-26; 68 face points as fixed affine mixes of the
nose, eyes and ears, and 21 points per hand as fixed mixes of MediaPipe's wrist, index, pinky and
thumb: rigid with the head and hand, not anatomy) and a made-up 20-joint layout ("custom20":
Bandai-22 without its ground root and spine, named ``p0``..``p19``, so synsp does not know it).
3D: world mm; 2D: pixels through a random camera (:func:`synsp.data.camera.random_camera`).
Errors: the simulator's presets (``typical``, ``jitter``, ``clean-ish``; missing joints filled
linearly), and two it does not make: ``outliers`` (``clean-ish`` plus 3 % of joint values thrown
by a Cauchy offset of 5 % of the body's size, capped at 40 %) and, in 2D, ``quantised`` (the
clean pixels rounded to whole pixels at a quarter of the image's scale, i.e. to 4 px). ``clean``:
the clean clip itself (how far each method moves it).

Methods: ``synsp.refine(x)`` as the CLI calls it (no layout: told by the joint count, the default
method), ``method="smoothnet"``, ``method="gaussian"`` (its defaults). Groups, by joint name:
body (the joints the model's layout shares with this one, :func:`synsp.refining.arrays.shared_joints`),
feet (toe, heel, foot), hands (hand, finger, wrist-less hand points), face (face, eye, ear,
mouth, nose, head) and others. MPJPE and acceleration error (3D mm; 2D px), frame-weighted.
Run:

    PYTHONPATH=src .venv/bin/python benchmarks/joint_groups.py [--space 2d] [--max-clips 3] [--frames 300]
"""
from __future__ import annotations

import argparse
import time

import numpy as np

import synsp
from synsp.data.camera import pixels_per_mm, project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.simulator import corrupt
from synsp.data.splits import load_split
from synsp.metrics import accel_error, mpjpe
from synsp.refining.arrays import model_layout, shared_joints
from synsp.sequence import fill_gaps
from synsp.skeleton import get_layout

LAYOUTS = ("halpe26", "body25", "mediapipe33", "bandai22", "coco133", "custom20")
KINDS = ("typical", "jitter", "clean-ish", "outliers", "quantised", "clean")
METHODS = {"input": lambda x: x, "default": lambda x: synsp.refine(x),
           "SmoothNet": lambda x: synsp.refine(x, method="smoothnet"),
           "gaussian": lambda x: synsp.refine(x, method="gaussian")}
_FEET, _HANDS = ("toe", "heel", "foot"), ("hand", "thumb", "index", "pinky", "middle", "ring", "finger")
_FACE = ("face", "eye", "ear", "mouth", "nose", "head")


def coco133(halpe: np.ndarray, mp33: np.ndarray) -> np.ndarray:
    """(T, 133, 3) COCO-WholeBody from a clip's Halpe-26 and MediaPipe-33 (module docstring)."""
    mix = np.random.default_rng(133)
    body = halpe[:, [*range(17), 20, 22, 24, 21, 23, 25]]  # COCO-17, then left big/small toe, heel, right's
    face = np.einsum("fk,tkc->tfc", mix.dirichlet(np.full(5, 0.7), 68), halpe[:, :5])
    hands = []
    for w, i, p, th in ((15, 19, 17, 21), (16, 20, 18, 22)):
        base = mp33[:, w]
        coef = np.vstack([[0, 0, 0], mix.uniform(-0.2, 1.2, (20, 3))])  # along index, pinky, thumb
        hands.append(base[:, None] + np.einsum("hk,tkc->thc", coef, mp33[:, [i, p, th]] - base[:, None]))
    return np.concatenate([body, face, *hands], axis=1).astype(np.float32)


def clip_in(name: str, layout: str) -> np.ndarray:
    """(T, J, 3) mm, Y up: one clip in ``layout``."""
    if layout == "coco133":
        return coco133(load_clip(name, "halpe26"), load_clip(name, "mediapipe33"))
    if layout == "custom20":
        return load_clip(name, "bandai22")[:, [1, *range(3, 22)]]
    return load_clip(name, layout)


def groups(layout: str, n_coords: int) -> dict[str, list[int]]:
    """Joint indices per group (module docstring); a joint in one group only."""
    names = [f"p{j}" for j in range(20)] if layout == "custom20" else [n.lower() for n in get_layout(layout).joints]
    body = [] if layout == "custom20" else [j for j, _ in shared_joints(layout, model_layout(n_coords))]
    out: dict[str, list[int]] = {"body": body, "feet": [], "hands": [], "face": [], "others": []}
    for j, name in enumerate(names):
        if j in body:
            continue
        kind = next((g for g, parts in (("feet", _FEET), ("hands", _HANDS), ("face", _FACE))
                     if any(p in name for p in parts)), "others")
        out[kind].append(j)
    return {g: js for g, js in out.items() if js}


def noisy_of(clean: np.ndarray, kind: str, layout: str, scale: float, rng: np.random.Generator) -> np.ndarray | None:
    """The clip under error ``kind`` (module docstring); None where the kind does not apply."""
    known = None if layout == "custom20" else layout
    if kind == "clean":
        return clean.copy()
    if kind == "quantised":
        return None if clean.shape[-1] == 3 else (np.round(clean / 4.0) * 4.0).astype(np.float32)
    x = corrupt(clean, "clean-ish" if kind == "outliers" else kind, rng=rng, layout=known, unit_scale=scale).noisy
    x, _ = fill_gaps(x)
    if kind == "outliers":
        size = float(np.median(np.ptp(clean, axis=1).max(-1)))
        hit = rng.random(x.shape[:2]) < 0.03
        throw = np.clip(rng.standard_cauchy(x.shape) * 0.05 * size, -0.4 * size, 0.4 * size)
        x = x + hit[..., None] * throw
    return x.astype(np.float32)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--space", choices=("3d", "2d"), default="3d")
    parser.add_argument("--max-clips", type=int, default=3)
    parser.add_argument("--frames", type=int, default=300)
    parser.add_argument("--layouts", nargs="+", default=list(LAYOUTS))
    parser.add_argument("--kinds", nargs="+", default=list(KINDS))
    args = parser.parse_args()
    names = load_split("val")[: args.max_clips]
    unit = "mm" if args.space == "3d" else "px"
    print(f"{args.space}, validation split, clips {', '.join(names)} (<= {args.frames} frames); {unit}")
    print("| layout | errors | group (joints) | input | default | SmoothNet | gaussian |")
    print("|---|---|---|---:|---:|---:|---:|")
    for layout in args.layouts:
        clips = []
        for c, name in enumerate(names):
            x = clip_in(name, layout)[: args.frames]
            scale = 1.0
            if args.space == "2d":
                camera = random_camera(np.random.default_rng(c), subject=x)
                x, scale = project(x, camera).astype(np.float32), pixels_per_mm(x, camera)
            clips.append((x, scale))
        part = groups(layout, 3 if args.space == "3d" else 2)
        for kind in args.kinds:
            rng = np.random.default_rng(7)
            cases = [(noisy_of(x, kind, layout, s, rng), x) for x, s in clips]
            if cases[0][0] is None:
                continue
            w = np.array([len(x) for _, x in cases], float)
            start, cells = time.time(), {}
            for m, fn in METHODS.items():
                outs = [fn(noisy) for noisy, _ in cases]
                for g, js in part.items():
                    e = np.average([mpjpe(o[:, js], x[:, js]) for o, (_, x) in zip(outs, cases)], weights=w)
                    a = np.average([accel_error(o[:, js], x[:, js]) for o, (_, x) in zip(outs, cases)], weights=w)
                    cells.setdefault(g, []).append(f"{e:.1f} / {a:.1f}")
            for g, row in cells.items():
                print(f"| {layout} | {kind} | {g} ({len(part[g])}) | " + " | ".join(row) + " |", flush=True)
            print(f"<!-- {layout} {kind}: {time.time() - start:.0f} s -->", flush=True)


if __name__ == "__main__":
    main()

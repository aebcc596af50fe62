"""2D tracks of someone standing who bends the trunk to the floor again and again (toe touches): today's default
against SmoothNet and the input, per clip x camera. Rebuilt from the description of a user audit's ad hoc scripts
(2026-12-06, finding 2; benchmarks/RESULTS.md, section 4, "Bending to the floor again and again, in 2D").

Each gesture clip of the split (bow, bye, byebye, guide, raise-up-*, wave-*; its first 300 frames at 30 fps, COCO-17
joints in mm, Y up) is bent: in every frame everything above the pelvis (face, shoulders, arms) is pitched forward
about the hips' midpoint and the hips' axis by ``deg x (1 - cos(2 pi hz t)) / 2`` (0 -> ``deg`` -> 0, ``hz`` bends a
second), the legs left standing. Each bent clip is filmed by ``cameras`` random 1920 x 1080 cameras
(:func:`synsp.data.camera.random_camera`, seeds 800, 801, ...; the whole motion framed) and given white noise of
``noise`` px per coordinate (seeded by clip and camera). Cells: MPJPE in px (mean over joints and frames), per
pair and averaged; "x input" the method's error over the input's; "flex" the 90th percentile of the clean poses'
2D hip flexion (:func:`synsp.inference.leaned_trunk.hip_flexion`, degrees). Run:

    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/bending_2d.py [--split val] [--clips 6]
        [--cameras 6] [--deg 110] [--hz 0.4] [--noise 2.5] [--names raise-up-left-hand_normal_041 ...]
"""
from __future__ import annotations

import argparse
import warnings

import numpy as np

import synsp
from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.data.splits import load_split
from synsp.inference.leaned_trunk import hip_flexion
from synsp.metrics import mpjpe
from synsp.skeleton import get_layout

COCO = get_layout("coco17")
GESTURES = ("bow", "bye", "byebye", "guide", "raise-up-both-hands", "raise-up-left-hand", "raise-up-right-hand",
            "wave-both-hands", "wave-left-hand", "wave-right-hand")
METHODS = ("input", "synsp", "smoothnet")
FPS = 30


def gesture_clips(split: str, count: int, names: list[str] | None = None) -> list[str]:
    """The split's gesture clips: those whose name contains one of ``names`` (all of them when ``count`` is 0),
    else the first ``count`` in the split's order taking one clip per motion first, then the rest."""
    pool = [n for n in load_split(split) if n.split("_")[1] in GESTURES]
    if names:
        return [n for n in pool if any(part in n for part in names)]
    if not count:
        return pool
    first, seen = [], set()
    for n in pool:
        if n.split("_")[1] not in seen:
            seen.add(n.split("_")[1])
            first.append(n)
    return (first + [n for n in pool if n not in first])[:count]


def turned(points: np.ndarray, about: np.ndarray, axis: np.ndarray, angle: np.ndarray) -> np.ndarray:
    """(T, J, 3) ``points`` turned by ``angle`` (T,) radians about the unit ``axis`` (T, 3) through ``about`` (T, 3)
    (Rodrigues, per frame)."""
    p, a, k = points - about[:, None], angle[:, None, None], axis[:, None]
    along = (p * k).sum(-1, keepdims=True)
    return about[:, None] + p * np.cos(a) + np.cross(k, p) * np.sin(a) + k * along * (1 - np.cos(a))


def toe_touches(clip: np.ndarray, deg: float = 110.0, hz: float = 0.4, fps: float = FPS) -> np.ndarray:
    """``clip`` (T, 17, 3) COCO-17 mm, Y up, with everything above the pelvis (joints 0-10) pitched forward about the
    hips' midpoint by 0 -> ``deg`` -> 0 degrees ``hz`` times a second; the legs as they were."""
    x = np.asarray(clip, np.float64)
    hips = (x[:, 11] + x[:, 12]) / 2
    side = x[:, 11] - x[:, 12]  # the person's left: turning about it by a positive angle takes the head forward
    side[:, 1] = 0
    side /= np.linalg.norm(side, axis=-1, keepdims=True)
    bend = np.deg2rad(deg) * (1 - np.cos(2 * np.pi * hz * np.arange(len(x)) / fps)) / 2
    out = x.copy()
    out[:, :11] = turned(x[:, :11], hips, side, bend)
    return out


def pairs(names: list[str], cameras: int, deg: float, hz: float, noise: float):
    """Yield (name, camera seed, clean (T, 17, 2) px, noisy (T, 17, 2) px) for each clip x camera."""
    for i, name in enumerate(names):
        bent = toe_touches(load_clip(name, "coco17")[:300], deg, hz)
        for c in range(cameras):
            camera = random_camera(800 + c, subject=bent)
            clean = project(bent, camera)
            rng = np.random.default_rng([i, c, 11])
            yield name, 800 + c, clean, clean + rng.normal(0.0, noise, clean.shape)


def refined(noisy: np.ndarray) -> dict[str, np.ndarray]:
    """Every method's output for ``noisy`` (T, 17, 2) px."""
    x = noisy.astype(np.float32)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = {"input": noisy, "synsp": synsp.refine(x, fps=FPS), "smoothnet": synsp.refine(x, "smoothnet", fps=FPS)}
    return {name: np.asarray(o, np.float64) for name, o in out.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", default="val", choices=("val", "test"))
    parser.add_argument("--clips", type=int, default=6, help="gesture clips (0: every one of the split)")
    parser.add_argument("--names", nargs="+", default=None, help="only clips whose names contain one of these")
    parser.add_argument("--cameras", type=int, default=6)
    parser.add_argument("--deg", type=float, default=110.0)
    parser.add_argument("--hz", type=float, default=0.4)
    parser.add_argument("--noise", type=float, default=2.5, help="white noise, px per coordinate")
    args = parser.parse_args()
    names = gesture_clips(args.split, args.clips, args.names)
    print(f"{args.split}: {len(names)} gesture clips x {args.cameras} cameras, toe touches {args.deg:g} degrees at "
          f"{args.hz:g} Hz, white {args.noise:g} px; MPJPE px")
    print("| clip | camera | flex | " + " | ".join(METHODS) + " | synsp x input |")
    print("|---|---:|---:|" + "---:|" * (len(METHODS) + 1))
    scores = {m: [] for m in METHODS}
    for name, camera, clean, noisy in pairs(names, args.cameras, args.deg, args.hz, args.noise):
        out = refined(noisy)
        row = {m: mpjpe(out[m], clean) for m in METHODS}
        for m in METHODS:
            scores[m].append(row[m])
        flex = float(np.nanpercentile(hip_flexion(clean, COCO), 90))
        print(f"| {name.split('_', 1)[1]} | {camera} | {flex:.0f} | " + " | ".join(f"{row[m]:.2f}" for m in METHODS)
              + f" | {row['synsp'] / row['input']:.2f} |", flush=True)
    ratio = np.array(scores["synsp"]) / np.array(scores["input"])
    print("mean: " + ", ".join(f"{m} {np.mean(scores[m]):.2f}" for m in METHODS)
          + f"; synsp worst x input {ratio.max():.2f}, pairs worse than input {int((ratio > 1).sum())}, "
          f"behind SmoothNet {int((np.array(scores['synsp']) > np.array(scores['smoothnet'])).sum())} of {len(ratio)}")


if __name__ == "__main__":
    main()

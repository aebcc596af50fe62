"""MediaPipe Holistic's 543 points (pose 33, face 468, hands 21 + 21) through ``synsp refine``.

Synthetic clips: the test split's gesture clips (bow, bye, guide, wave, raise-up: a person
standing and moving the hands, as a signer does; every third of them) made in MediaPipe-33 in
2D (:mod:`synsp.data.mocap_layouts`), a 468-point face (an oval 7.5 % of the body's height
across, its lower half opening and closing) placed by the eyes and mouth, and 21-point hands
(fingers curling) hung from the wrists towards the index and pinky points; z a slow random walk
per point. Noise, sd per axis, white: the pose 2.0 px per 358 px of body height (MediaPipe
Pose's jitter on the sports2d demo, from its second differences), the face a shared shift of
0.5 px plus 0.5 px per point, each hand 0.8 px plus 0.8 px; z 0.5. Each clip is written as a
(T, 543, 3) ``.npy`` in MediaPipe's order or Kaggle's and refined by :func:`refine_file` (the
default method); mean error (px) per block against the clean clip, and whether z came back as
read. ``--kaggle-csv``: each clip, in Kaggle's order with x, y divided by a 1920 x 1080 image
(normalised, as Kaggle's sign-language files hold them), written as Kaggle's long CSV (one row
per point per frame) and as a ``.npy`` of the same values, both refined; errors in px (times the
image size) for both routes, and whether every cell but x, y came back as read. The face and
hands are placed by simple geometry, not measured: their errors are drawn
independently of the pose's, as Holistic's own face and hand models make them. Run:

    .venv/bin/python benchmarks/holistic.py [--order kaggle | --kaggle-csv] [--max-clips 6]
"""
from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np

from synsp.evaluation.protocol import make_cases
from synsp.formats import PoseData, read_poses, write_poses
from synsp.refining.files import refine_file

P, F, H = 33, 468, 21
GESTURES = ("bow", "bye", "guide", "wave", "raise-up")
BLOCKS = {"pose": slice(0, P), "face": slice(P, P + F), "left hand": slice(P + F, P + F + H),
          "right hand": slice(P + F + H, 543)}
KAGGLE = np.r_[P:P + F, P + F:P + F + H, 0:P, P + F + H:543]  # Kaggle's point i is MediaPipe's KAGGLE[i]
IMAGE = np.array([1920.0, 1080.0])  # --kaggle-csv: the image x, y are normalised by


def _frame(pose: np.ndarray, origin: np.ndarray, y: np.ndarray, scale: float, points: np.ndarray) -> np.ndarray:
    """(T, K, 2) ``points`` (T, K, 2) in a frame at ``origin`` (T, 2) whose second axis is ``y`` (T, 2)."""
    y = y / np.maximum(np.linalg.norm(y, axis=-1, keepdims=True), 1e-6)
    x = np.stack([y[:, 1], -y[:, 0]], -1)
    return origin[:, None] + scale * (points[..., :1] * x[:, None] + points[..., 1:] * y[:, None])


def holistic_clip(pose: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """(T, 543, 2) clean Holistic x, y from a clean MediaPipe-33 pose (T, 33, 2) in pixels."""
    t, height = len(pose), float(np.median(np.ptp(pose[..., 1], axis=1)))
    r, a = np.sqrt(rng.uniform(size=F)), rng.uniform(0, 2 * np.pi, F)
    face = np.broadcast_to(np.stack([0.5 * r * np.cos(a), 0.65 * r * np.sin(a) + 0.1], -1), (t, F, 2)).copy()
    face[:, face[0, :, 1] > 0.3, 1] += 0.05 * np.sin(np.arange(t) / 5.0)[:, None]  # the mouth
    eyes, mouth = (pose[:, 2] + pose[:, 5]) / 2, (pose[:, 9] + pose[:, 10]) / 2
    across = pose[:, 2] - pose[:, 5]
    blocks = [pose, _frame(pose, (eyes + mouth) / 2, np.stack([-across[:, 1], across[:, 0]], -1), 0.075 * height, face)]
    hand = np.array([[0, 0]] + [[0.3 * (f - 2) * (1 + 0.1 * k), 0.5 + 0.35 * k] for f in range(5) for k in range(4)])
    curl = 0.25 * np.sin(np.arange(t)[:, None] / 7.0 + np.arange(5)[None])  # (T, 5)
    fingers = np.broadcast_to(hand, (t, H, 2)).copy()
    fingers[:, 1:, 1] -= 0.3 * np.repeat(curl, 4, axis=1) * np.tile(np.arange(4), 5)
    for wrist, index, pinky in ((15, 19, 17), (16, 20, 18)):
        towards = (pose[:, index] + pose[:, pinky]) / 2 - pose[:, wrist]
        blocks.append(_frame(pose, pose[:, wrist], towards, 0.055 * height, fingers))
    return np.concatenate(blocks, axis=1)


def clips(max_clips: int, seed: int = 0) -> list[tuple[np.ndarray, np.ndarray]]:
    """[(clean, noisy)], each (T, 543, 3) x, y, z in MediaPipe's order."""
    cases = [c for c in make_cases("test", "none", layout="mediapipe33", space="2d")
             if any(g in c.name for g in GESTURES)][::3][:max_clips]
    rng = np.random.default_rng(seed)
    out = []
    for case in cases:
        pose = case.clean.astype(np.float64)
        t = len(pose)
        xy = holistic_clip(pose, rng)
        z = np.cumsum(rng.normal(scale=0.3, size=(t, 543)), axis=0) + rng.normal(scale=20, size=543)
        clean = np.concatenate([xy, z[..., None]], -1)
        noisy = clean.copy()
        noisy[:, :P, :2] += rng.normal(scale=2.0 * np.median(np.ptp(pose[..., 1], axis=1)) / 358, size=(t, P, 2))
        noisy[:, P:P + F, :2] += rng.normal(scale=0.5, size=(t, 1, 2)) + rng.normal(scale=0.5, size=(t, F, 2))
        for s in (P + F, P + F + H):
            noisy[:, s:s + H, :2] += rng.normal(scale=0.8, size=(t, 1, 2)) + rng.normal(scale=0.8, size=(t, H, 2))
        noisy[..., 2] += rng.normal(scale=0.5, size=(t, 543))
        out.append((clean.astype(np.float32), noisy.astype(np.float32)))
    return out


def _kaggle_csv(noisy: np.ndarray, tmp: Path, first: bool) -> tuple[list[np.ndarray], bool]:
    """``noisy`` (T, 543, 3) in MediaPipe's order, normalised and refined as Kaggle's long CSV (its
    default method, SmoothNet, and SynSP) and as a ``.npy`` (SynSP): the three outputs back in
    MediaPipe's order and px, and whether the SynSP CSV's other cells came back as read."""
    x = noisy[:, KAGGLE].astype(np.float64)
    x[..., :2] /= IMAGE
    write_poses(tmp / "in.csv", PoseData(poses=x[None], layout="holistic543_kaggle"), format="kaggle")
    np.save(tmp / "in.npy", x)
    summary = refine_file(tmp / "in.csv", tmp / "out.csv", force=True)  # the format's default: SmoothNet
    refine_file(tmp / "in.csv", tmp / "synsp.csv", method="synsp", force=True)
    refine_file(tmp / "in.npy", tmp / "out.npy", force=True)
    if first:
        print(summary)
    with open(tmp / "in.csv") as f, open(tmp / "synsp.csv") as g:
        rows_in, rows_out = [r.rstrip("\n").split(",") for r in f], [r.rstrip("\n").split(",") for r in g]
    kept = len(rows_in) == len(rows_out) and all(a[:4] + a[6:] == b[:4] + b[6:] for a, b in zip(rows_in, rows_out))
    outs = [read_poses(tmp / "out.csv").poses[0], read_poses(tmp / "synsp.csv").poses[0], np.load(tmp / "out.npy")]
    for out in outs:
        out[..., :2] *= IMAGE
    return [out[:, np.argsort(KAGGLE)] for out in outs], kept


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--order", choices=("holistic", "kaggle"), default="holistic")
    parser.add_argument("--kaggle-csv", action="store_true", help="Kaggle's long CSV, normalised x, y (see above)")
    parser.add_argument("--max-clips", type=int, default=6)
    args = parser.parse_args()
    at = KAGGLE if args.order == "kaggle" else np.arange(543)
    routes = ("input", "CSV, default", "CSV, synsp", "array, synsp") if args.kaggle_csv else ("input", "refined")
    sums, frames, kept, same = {b: np.zeros(len(routes)) for b in BLOCKS}, 0, [], []
    with tempfile.TemporaryDirectory() as tmp:
        for i, (clean, noisy) in enumerate(clips(args.max_clips)):
            if args.kaggle_csv:
                outs, untouched = _kaggle_csv(noisy, Path(tmp), i == 0)
                same.append(np.array_equal(outs[1], outs[2], equal_nan=True) and untouched)
            else:
                np.save(Path(tmp) / "in.npy", noisy[:, at])
                summary = refine_file(Path(tmp) / "in.npy", Path(tmp) / "out.npy", force=True)
                if i == 0:
                    print(summary)
                outs = [np.load(Path(tmp) / "out.npy")[:, np.argsort(at)]]
            out = outs[0]
            kept.append(np.array_equal(out[..., 2], noisy[..., 2], equal_nan=True))
            for block, points in BLOCKS.items():
                sums[block] += len(clean) * np.array([
                    np.linalg.norm(x[:, points, :2] - clean[:, points, :2], axis=-1).mean() for x in (noisy, *outs)])
            frames += len(clean)
    print(f"\n| block | {' | '.join(f'{r} (px)' for r in routes)} |\n|---|{'---:|' * len(routes)}")
    for block, errors in sums.items():
        print(f"| {block} | {' | '.join(f'{e / frames:.2f}' for e in errors)} |")
    print(f"\nz written back as read: {sum(kept)} of {len(kept)} clips ({frames} frames)")
    if args.kaggle_csv:
        print(f"SynSP's CSV output equal to the array route's, and frame, row_id, type, landmark_index, z as read: "
              f"{sum(same)} of {len(same)} clips")


if __name__ == "__main__":
    main()

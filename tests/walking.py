"""A person walking in place as COCO-17 keypoints in pixels (clean and jittery), for the drop-in tests."""
from __future__ import annotations

import numpy as np
from scipy.spatial.transform import Rotation

# a standing person about 240 px tall, image coordinates (y down), COCO-17 order
STANDING = np.array([
    [0, -200], [-8, -208], [8, -208], [-18, -204], [18, -204],      # nose, eyes, ears
    [-40, -160], [40, -160], [-50, -110], [50, -110], [-55, -60], [55, -60],  # shoulders, elbows, wrists
    [-25, -60], [25, -60], [-28, 0], [28, 0], [-30, 55], [30, 55],   # hips, knees, ankles
], dtype=np.float64)
SWING = np.zeros((17, 2))
SWING[[7, 9], 0], SWING[[8, 10], 0] = 25, -25  # arms swing against each other
SWING[[13, 15], 0], SWING[[14, 16], 0] = -20, 20  # legs too


def walking(n_frames: int = 90, noise: float = 4.0, seed: int = 0, fps: float = 30.0) -> tuple[np.ndarray, np.ndarray]:
    """(clean, noisy) keypoints (T, 17, 2) in pixels: a 1 Hz walk drifting right, plus Gaussian jitter."""
    t = np.arange(n_frames)[:, None, None] / fps
    drift = np.concatenate([60 * t, np.zeros_like(t)], axis=-1)  # 60 px/s to the right
    clean = [400, 300] + STANDING + np.sin(2 * np.pi * t) * SWING + drift
    noisy = clean + np.random.default_rng(seed).normal(0, noise, clean.shape)
    return clean, noisy


def mean_accel(x: np.ndarray) -> float:
    """Mean |second difference| over frames and joints of (T, J, C)."""
    return float(np.linalg.norm(np.diff(x, 2, axis=0), axis=-1).mean())


def mpjpe(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b, axis=-1).mean())


def box_jitter(x: np.ndarray, share: float, seed: int = 1) -> np.ndarray:
    """``benchmarks/robustness.py``'s detector box jitter: the whole body shifted and scaled about
    its box centre by ``share`` of its height, independently each frame."""
    rng = np.random.default_rng(seed)
    low, high = x.min(axis=1, keepdims=True), x.max(axis=1, keepdims=True)
    centre, height = (low + high) / 2, float(np.median(high - low, axis=0).max())
    scale = 1 + rng.normal(0, share, (len(x), 1, 1))
    return centre + scale * (x - centre) + rng.normal(0, share * height, (len(x), 1, x.shape[-1]))


def wobble(x: np.ndarray, size: float = 0.0, degrees: float = 0.0, seed: int = 2) -> np.ndarray:
    """``benchmarks/robustness.py``'s size / orientation wobble: each frame the body scaled by
    1 + N(0, ``size``) and turned by N(0, ``degrees``) (in 3D about each axis) about its hips' midpoint."""
    rng = np.random.default_rng(seed)
    n, c = len(x), x.shape[-1]
    root = x[:, [11, 12] if c == 2 else [0]].mean(axis=1, keepdims=True)
    if c == 2:
        angle = np.deg2rad(rng.normal(0, degrees, n))
        cos, sin = np.cos(angle), np.sin(angle)
        turn = np.stack([np.stack([cos, -sin], -1), np.stack([sin, cos], -1)], -2)
    else:
        turn = Rotation.from_rotvec(np.deg2rad(rng.normal(0, degrees, (n, 3)))).as_matrix()
    scale = 1 + rng.normal(0, size, (n, 1, 1))
    return root + scale * np.einsum("tab,tjb->tja", turn, x - root)

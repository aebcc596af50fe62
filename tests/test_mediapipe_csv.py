"""MediaPipe Pose's landmarks saved as a CSV (``<name>_x, _y, _z, _visibility``), as a user's script
writes them from ``results.pose_landmarks``: x, y normalised by the image's width and height, z
MediaPipe's relative depth (hips at 0, on x's scale). Refined as a 3D body they came out further
from the person than they went in; x, y are refined in 2D and z written back as read. World
landmarks (hip-centred metres) are a 3D body and stay refined as one."""
from __future__ import annotations

import numpy as np

from synsp.formats import read_poses
from synsp.refining.files import refine_file
from synsp.skeleton import LAYOUTS
from walking import walking

MP = LAYOUTS["mediapipe33"].joints
COCO = LAYOUTS["coco17"].joints
W, H = 1280, 720


def _landmarks(points: np.ndarray) -> np.ndarray:
    """COCO-17 (T, 17, 2) px -> MediaPipe-33 (T, 33, 2) px: each landmark at its COCO joint (or the
    nearest one: the eyes' corners at the eye, the fingers at the wrist, ...) plus an offset of its own."""
    near = {"mouth": "nose", "pinky": "wrist", "index": "wrist", "thumb": "wrist", "heel": "ankle", "foot": "ankle"}
    out = []
    for k, name in enumerate(MP):
        side, _, part = name.partition("_")
        if name in COCO:
            joint = name
        elif part.startswith("eye"):
            joint = f"{side}_eye"
        else:
            joint = "nose" if side == "mouth" else f"{side}_{near[part.split('_')[0]]}"
        out.append(points[:, COCO.index(joint)] + np.random.default_rng(k).normal(0, 6, 2) * (name not in COCO))
    return np.stack(out, 1)


def _csv(path, xyz: np.ndarray) -> None:
    header = ["frame"] + [f"{n}_{a}" for n in MP for a in ("x", "y", "z", "visibility")]
    rows = [",".join([str(t)] + [f"{v:.6f}" for j in range(33) for v in (*xyz[t, j], 0.95)]) for t in range(len(xyz))]
    path.write_text("\n".join([",".join(header)] + rows) + "\n")


def test_normalised_landmarks_are_refined_in_2d_and_their_z_kept(tmp_path):
    clean, noisy = (_landmarks(p) for p in walking(90, noise=4.0, seed=0))
    z = np.random.default_rng(1).normal(0, 0.05, noisy.shape[:2]) + np.linspace(-0.3, 0, 33)
    _csv(tmp_path / "lm.csv", np.concatenate([noisy / [W, H], z[..., None]], -1))
    summary = refine_file(tmp_path / "lm.csv", tmp_path / "out.csv")
    out = read_poses(tmp_path / "out.csv").poses[0]
    before = np.linalg.norm(noisy - clean, axis=-1).mean()
    after = np.linalg.norm(out[..., :2] * [W, H] - clean, axis=-1).mean()
    assert after < 0.7 * before, (before, after)  # refined as a 3D body: 5.0 -> 6.8 px, further than the input
    np.testing.assert_allclose(out[..., 2], np.round(z, 6), atol=1e-9)
    assert "z (MediaPipe's relative depth" in str(summary)


def test_world_landmarks_stay_a_3d_body(tmp_path):
    clean, noisy = walking(90, noise=4.0, seed=0)
    body = _landmarks(noisy)
    xyz = np.concatenate([(body - body[:, [23, 24]].mean(1, keepdims=True)) / 240 * 1.7,  # hip-centred metres
                          np.random.default_rng(1).normal(0, 0.02, body.shape[:2] + (1,))], -1)
    _csv(tmp_path / "world.csv", xyz)
    summary = refine_file(tmp_path / "world.csv", tmp_path / "out.csv", method="savgol")
    assert "relative depth" not in str(summary)
    assert not np.allclose(read_poses(tmp_path / "out.csv").poses[0, ..., 2], np.round(xyz[..., 2], 6))

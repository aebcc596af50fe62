"""Trunk points the conversion to the model's layout does not use (BODY-25's neck and mid-hip,
Halpe-26's neck and hip) are carried rigidly by the refined trunk, not by its correction."""
from __future__ import annotations

import numpy as np

import synsp
from conftest import needs_data
from synsp.inference.joint_corrections import loose_trunk_points


def test_loose_trunk_points_are_those_the_conversion_neither_copies_nor_uses():
    assert loose_trunk_points("body25", "h36m17") == (1, 8)  # neck, mid_hip
    assert loose_trunk_points("halpe26", "h36m17") == (18, 19)  # neck, hip
    assert loose_trunk_points("halpe26", "coco17") == (18, 19)
    assert loose_trunk_points("mediapipe33", "h36m17") == ()  # its hips and shoulders are copied
    assert loose_trunk_points("coco133", "coco17") == ()  # hand roots are no trunk


@needs_data
def test_a_neck_and_mid_hip_keep_to_the_refined_trunk_not_to_the_shoulders_correction():
    from synsp.data.mocap import load_clip
    from synsp.data.simulator import corrupt

    clean = load_clip("dataset-1_walk_normal_001", "body25")[:200]
    noisy = corrupt(clean, "jitter", rng=np.random.default_rng(0), layout="body25").noisy
    noisy = np.where(np.isnan(noisy), clean, noisy).astype(np.float32)

    def error(out: np.ndarray) -> float:
        return float(np.linalg.norm(out[:, [1, 8]] - clean[:, [1, 8]], axis=-1).mean())

    # before: moved with the thorax's and pelvis's SynSP correction (the shoulders' and hips' noise
    # undone, not their own): 6.45 mm, x 0.92 SmoothNet's 7.02 (input 7.01); now 5.41, x 0.77
    ours, smoothnet = (error(synsp.refine(noisy, m, layout="body25")) for m in ("synsp", "smoothnet"))
    assert ours < 0.85 * smoothnet


@needs_data
def test_a_neck_and_mid_hip_with_slow_errors_move_with_the_trunk():
    """Low-passed noise (no fast part) is no clean input where the limbs drift
    (synsp.inference.clean.DRIFT_OPEN): the loose trunk points keep their placement, as the joints do."""
    from scipy.ndimage import gaussian_filter1d

    from synsp.data.mocap import load_clip

    clean = load_clip("dataset-1_walk_normal_001", "body25")[:200]
    noisy = (clean + gaussian_filter1d(np.random.default_rng(0).normal(0, 30, clean.shape), 2.0, axis=0))

    def error(out: np.ndarray) -> float:  # about the mid-hip's neighbours' mean, as root-relative scores
        return float(np.linalg.norm((out - out[:, [9, 12]].mean(1, keepdims=True))[:, [1, 8]]
                                    - (clean - clean[:, [9, 12]].mean(1, keepdims=True))[:, [1, 8]], axis=-1).mean())

    assert error(synsp.refine(noisy.astype(np.float32), layout="body25")) < 0.9 * error(noisy)  # before 0.94, now 0.36


def _streamed(x: np.ndarray, layout: str) -> np.ndarray:
    from synsp.integrations.stream import Frame, PoseStream

    stream, lines = PoseStream("synsp", layout=layout, space="3d"), []
    for t, frame in enumerate(x):
        lines += stream.push(Frame(t, {0: np.asarray(frame, np.float64)}))
    lines += stream.close()
    return np.array([line["people"][0]["keypoints"] for line in lines], float)


@needs_data
def test_a_3d_stream_keeps_the_neck_on_the_refined_trunk():
    """As offline: a Halpe-26 stream's neck at its running median offset in the refined trunk's
    frame, not moved with the thorax's correction (the shoulders' noise undone, not its own)."""
    from synsp.data.mocap import load_clip
    from synsp.data.simulator import corrupt

    clean = load_clip("dataset-1_walk_normal_001", "halpe26")[:150]
    noisy = corrupt(clean, "jitter", rng=np.random.default_rng(0), layout="halpe26").noisy
    noisy = np.where(np.isnan(noisy), clean, noisy).astype(np.float32)

    def error(out: np.ndarray) -> float:
        return float(np.linalg.norm(out[:, 18] - clean[:, 18], axis=-1).mean())

    # before: moved with the thorax's correction, 8.18 mm, x 0.81 the input's 10.12; now 6.46, x 0.64
    assert error(_streamed(noisy, "halpe26")) < 0.75 * error(noisy)
    # nearly clean input: moved by no more than its noise (0.22 mm before, 0.07 now)
    assert error(_streamed(clean, "halpe26")) < 0.5


def test_a_2d_neck_keeps_its_mean_offset_from_the_refined_shoulders_in_trunk_lengths():
    from synsp.inference.joint_corrections import necks_on_shoulders
    from synsp.skeleton import convert

    rng = np.random.default_rng(0)
    t = 40
    refined = np.zeros((t, 17, 2))
    refined[:, 5], refined[:, 6] = [-20.0, 100.0], [20.0, 100.0]  # shoulders
    refined[:, 11], refined[:, 12] = [-15.0, 0.0], [15.0, 0.0]  # hips: a trunk 100 px long
    refined[t // 2:] *= 2.0  # the person twice as near half-way through: the offset grows with the trunk
    poses = np.zeros((t, 26, 2))
    poses[:, :17] = refined
    near = np.where(np.arange(t) < t // 2, 1.0, 2.0)[:, None]
    poses[:, 18] = refined[:, [5, 6]].mean(1) + near * [0.0, 10.0] + rng.normal(0.0, 1.0, (t, 2))  # the neck
    converted = convert(poses, "halpe26", "coco17")
    refined = refined + [3.0, -2.0]  # the refined shoulders and hips moved: the neck with them
    out = necks_on_shoulders(poses, converted, refined, "coco17", (18, 19), np.ones((t, 26), bool))
    assert list(out) == [18]  # the hip centre, on the hips, is not carried
    offset = (out[18] - refined[:, [5, 6]].mean(1)) / np.linalg.norm(refined[:, [5, 6]].mean(1)
                                                                     - refined[:, [11, 12]].mean(1), axis=-1)[:, None]
    assert np.allclose(offset, offset[0]) and abs(offset[0, 1] - 0.1) < 0.02  # one offset, in trunk lengths


@needs_data
def test_a_2d_neck_takes_the_refined_shoulders_path_not_their_correction():
    from synsp.data.camera import pixels_per_mm, project, random_camera
    from synsp.data.mocap import load_clip
    from synsp.data.simulator import corrupt

    clean = load_clip("dataset-1_walk_normal_001", "halpe26")[:200]
    camera = random_camera(np.random.default_rng(0), subject=clean)
    x = project(clean, camera).astype(np.float32)
    noisy = corrupt(x, "typical", rng=np.random.default_rng(1), layout="halpe26",
                    unit_scale=pixels_per_mm(clean, camera)).noisy
    noisy = np.where(np.isnan(noisy), x, noisy).astype(np.float32)

    def error(out: np.ndarray) -> float:
        return float(np.linalg.norm(out[:, 18] - x[:, 18], axis=-1).mean())

    # before: SmoothNet's neck plus the shoulders' correction, 4.60 px (input 4.76, SmoothNet 4.74); now 4.44
    ours, smoothnet = (error(synsp.refine(noisy, m, layout="halpe26")) for m in ("synsp", "smoothnet"))
    assert ours < 0.95 * smoothnet

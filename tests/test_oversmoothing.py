"""Over-smoothing given back (synsp.inference.oversmoothing): a correction shaped like the motion's
acceleration is real motion cut; a correction of jitter is left as it is."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.filters import gaussian
from synsp.inference.oversmoothing import FAR, MIN_FRAMES, far_acceleration, give_back_motion
from synsp.metrics import mpjpe


def _fast(t: int = 240) -> np.ndarray:
    """(T, 4, 3) mm: joints swinging at 1.5-2.5 Hz (a sprint's stride) by 200 mm, 30 fps."""
    time = np.arange(t)[:, None, None] / 30.0
    freq = np.array([1.5, 2.0, 2.5, 1.8])[None, :, None]
    phase = np.arange(3)[None, None, :]
    return 200.0 * np.sin(2 * np.pi * freq * time + phase)


def test_the_acceleration_skips_the_nearest_frames():
    y = np.zeros((30, 1, 1))
    y[15] = 1.0  # one frame's jitter
    acc = far_acceleration(y)
    assert np.all(acc[13:18] == 0)  # frame 15 is not read for itself nor its 2 neighbours each side
    quadratic = np.broadcast_to((np.arange(30.0) ** 2)[:, None, None], (30, 2, 3))
    np.testing.assert_allclose(far_acceleration(quadratic)[FAR:-FAR], 2.0, atol=1e-9)
    assert np.all(far_acceleration(quadratic)[:FAR] == 0)


def test_motion_cut_by_a_smoother_is_given_back():
    x = _fast()
    rng = np.random.default_rng(0)
    noisy = x + rng.normal(0, 5.0, x.shape)
    cut = gaussian(noisy, sigma=2.0)  # removes the jitter and a good part of the swing
    back = give_back_motion(noisy, cut)
    assert mpjpe(back, x) < 0.7 * mpjpe(cut, x)


def test_a_correction_of_jitter_alone_is_kept():
    x = _fast()
    rng = np.random.default_rng(1)
    noisy = x + rng.normal(0, 5.0, x.shape)
    assert mpjpe(give_back_motion(noisy, x), x) < 0.05 * mpjpe(noisy, x)  # the perfect correction stays


def test_shapes_dtypes_and_short_clips():
    x = _fast(60).astype(np.float32)
    out = give_back_motion(np.stack([x, x + 1]), np.stack([x, x]))
    assert out.shape == (2, 60, 4, 3) and out.dtype == np.float32
    short = x[: 2 * FAR]
    np.testing.assert_array_equal(give_back_motion(short + 3, short), short)


@pytest.mark.parametrize("frames", [2 * FAR + 1, 2 * FAR + 2, 2 * FAR + MIN_FRAMES - 1])
def test_a_clip_too_short_for_the_regression_keeps_its_correction(frames):
    """On 9 frames the regression fitted its one frame exactly (standard error 0) and gave back the
    whole correction of the middle frame (a user audit: 23.5 mm there, 7 beside it)."""
    x = _fast(frames)
    noisy = x + np.random.default_rng(2).normal(0, 5.0, x.shape)
    cut = gaussian(noisy, sigma=2.0)
    np.testing.assert_array_equal(give_back_motion(noisy, cut), cut)


@needs_data
def test_a_nine_frame_clip_has_no_spike_in_its_middle():
    import synsp
    from synsp.data.mocap import load_clip
    from synsp.data.splits import load_split

    rng = np.random.default_rng(72)
    errors = []
    for name in load_split("val")[:4]:
        clean = load_clip(name, "h36m17")[30:39].astype(np.float64)
        noisy = (clean + rng.normal(0, 8.0, clean.shape)).astype(np.float32)
        errors.append(np.linalg.norm(synsp.refine(noisy, fps=30) - clean, axis=-1).mean(axis=-1))
    per_frame = np.mean(errors, axis=0)  # (9,) mm
    assert per_frame[4] < 1.15 * (per_frame[3] + per_frame[5]) / 2  # before: 11.1 mm against 8.6 and 8.0


@needs_data
def test_a_sprint_under_jitter_keeps_more_of_its_motion():
    from synsp.data.mocap import load_clip
    from synsp.data.simulator import corrupt
    from synsp.inference.checkpoint import load_model

    clean = load_clip("dataset-1_run_chimpira_001", "h36m17")[:300]
    noisy = corrupt(clean, "jitter", rng=np.random.default_rng(11), layout="h36m17").noisy.astype(np.float32)
    model = load_model("synsp-h36m17", device="cpu")
    assert model.give_back_motion  # the default
    on = model.refine(noisy)
    model.give_back_motion = False
    off = model.refine(noisy)
    assert mpjpe(on, clean) < 0.97 * mpjpe(off, clean)


@pytest.mark.parametrize("name", ["synsp-h36m17", "synsp-coco17", "smoothnet-h36m17"])
def test_the_switch(name):
    from synsp.inference.checkpoint import load_model

    model = load_model(name, device="cpu")
    assert model.give_back_motion == (not model.network.per_coordinate)  # SmoothNet's correction kept whole

"""synsp.inference.end_frames: in 3D a clip's first and last frames take part of SmoothNet's output where the
limbs read no drift (white noise, jitter, clean poses), none where they do (an estimator's slow errors)."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.inference.end_frames import END_FRAMES, END_WEIGHT, end_weights, smoothnet_ends
from synsp.inference.floor import DRIFT_RAMP


def test_the_weight_falls_from_the_end_frames_to_nothing_inside():
    w = end_weights(40, np.array([1.0, 0.5]))
    assert w.shape == (2, 40)
    assert w[0, 0] == w[0, -1] == END_WEIGHT and w[1, 0] == END_WEIGHT / 2
    assert (np.diff(w[0, :END_FRAMES]) < 0).all() and not w[:, END_FRAMES:-END_FRAMES].any()
    np.testing.assert_allclose(w, w[:, ::-1])
    assert end_weights(5, np.ones(1))[0, 2] == 0 and end_weights(1, np.ones(1)).sum() == 0  # short clips
    assert end_weights(40, np.ones(1), fps=60)[0, END_FRAMES:2 * END_FRAMES].any()  # the frames span the same time


def test_no_blend_without_a_drift_reading_or_with_drift_enough():
    def smoothnet(p):
        raise AssertionError("SmoothNet was run for nothing")

    x = np.zeros((20, 17, 3), np.float32)
    assert smoothnet_ends(smoothnet, x, None, DRIFT_RAMP) is None  # 2D, the floor step off, another layout
    assert smoothnet_ends(smoothnet, x, np.array([DRIFT_RAMP[1]]), DRIFT_RAMP) is None


def test_a_long_clip_runs_smoothnet_on_its_ends_only_and_keeps_values_it_lacks():
    seen = []

    def smoothnet(p):
        seen.append(p.shape[-3])
        out = p + 1.0
        out[..., 0, 0, 0] = np.nan
        return out

    x = np.zeros((2, 500, 17, 3), np.float32)
    blend = smoothnet_ends(smoothnet, x, np.zeros(2), DRIFT_RAMP)
    out = blend(x)
    assert seen == [40, 40] and out.dtype == np.float32
    assert out[:, 0, 0, 0].tolist() == [0.0, 0.0]  # SmoothNet's NaN: the refiner's own value
    np.testing.assert_allclose(out[:, 1, 1], END_WEIGHT * (1 - 1 / END_FRAMES))
    assert not out[:, END_FRAMES:-END_FRAMES].any()


@needs_data
@pytest.mark.filterwarnings("ignore")
def test_the_end_frames_of_short_3d_clips_under_white_noise():
    """SynSP's first and last frames kept about half again the inside's error, more than SmoothNet's
    mean with it (validation, 8 mm white noise, 20-frame pieces: 10.5 and 11.2 mm against 6.5 inside)."""
    from synsp.data.mocap import load_clip
    from synsp.data.splits import load_split

    model = synsp.load_model("synsp-h36m17")
    rng = np.random.default_rng(3)
    ends, without = [], []
    for name in load_split("val")[:5]:
        clean = load_clip(name, "h36m17")[:20].astype(np.float64)
        noisy = (clean + rng.normal(0, 8.0, clean.shape)).astype(np.float32)
        for blend, errors in ((True, ends), (False, without)):
            model.smoothnet_ends = blend
            errors.append(np.linalg.norm(model.refine(noisy, fps=30) - clean, axis=-1).mean(axis=-1))
    ends, without = np.mean(ends, axis=0), np.mean(without, axis=0)
    assert ends[[0, 1, -2, -1]].mean() < without[[0, 1, -2, -1]].mean() - 0.3
    np.testing.assert_allclose(ends[END_FRAMES:-END_FRAMES], without[END_FRAMES:-END_FRAMES])

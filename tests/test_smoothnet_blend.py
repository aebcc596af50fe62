"""synsp.inference.smoothnet_blend: in 3D SynSP's output takes part of SmoothNet's where the limbs read no drift
(white noise, jitter, clean poses), none where they do (an estimator's slow errors): on a clip's first and last
frames, and inside the clip where the input's noise is heavy enough."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.inference.clean import input_noise, noise_level
from synsp.inference.floor import DRIFT_RAMP
from synsp.inference.smoothnet_blend import END_FRAMES, NOISE_OPEN, WEIGHT, blend_weights, noise_share, smoothnet_blend


def test_the_weight_falls_from_the_end_frames_to_nothing_inside_without_noise():
    for levels in (None, np.array([0.0, NOISE_OPEN[0]])):
        w = blend_weights(40, np.array([1.0, 0.5]), levels=levels)
        assert w.shape == (2, 40)
        assert w[0, 0] == w[0, -1] == WEIGHT and w[1, 0] == WEIGHT / 2
        assert (np.diff(w[0, :END_FRAMES]) < 0).all() and not w[:, END_FRAMES:-END_FRAMES].any()
        np.testing.assert_allclose(w, w[:, ::-1])
    assert blend_weights(5, np.ones(1))[0, 2] == 0 and blend_weights(1, np.ones(1)).sum() == 0  # short clips
    assert blend_weights(40, np.ones(1), fps=60)[0, END_FRAMES:2 * END_FRAMES].any()  # the frames span the same time


def test_the_inside_opens_with_the_noise_level_and_the_ends_keep_the_larger_weight():
    middle = sum(NOISE_OPEN) / 2
    w = blend_weights(40, np.array([1.0, 0.5, 0.0]), levels=np.array([NOISE_OPEN[1], middle, 1.0]))
    np.testing.assert_allclose(w[:, 20], [WEIGHT, WEIGHT / 4, 0.0])  # times each person's drift share
    np.testing.assert_allclose(w[0], WEIGHT)  # heavy noise: every frame at the ends' weight
    assert w[1, 0] == WEIGHT / 2 and w[1, END_FRAMES // 2 + 1] == WEIGHT / 4  # the end ramp, then the level's


def test_no_blend_without_a_drift_reading_or_with_drift_enough():
    def smoothnet(p):
        raise AssertionError("SmoothNet was run for nothing")

    x = np.zeros((20, 17, 3), np.float32)
    assert smoothnet_blend(smoothnet, x, None, DRIFT_RAMP) is None  # 2D, the floor step off, another layout
    assert smoothnet_blend(smoothnet, x, np.array([DRIFT_RAMP[1]]), DRIFT_RAMP) is None
    heavy = np.random.default_rng(0).normal(0, 100.0, x.shape)
    assert smoothnet_blend(smoothnet, x, np.array([DRIFT_RAMP[1]]), DRIFT_RAMP, measured=heavy[None]) is None


def _body_with_noise(level: float, frames: int = 500) -> np.ndarray:
    """(2, frames, 17, 3): a still body of random joints with white noise reading ``level`` body sizes."""
    rng = np.random.default_rng(1)
    body = np.broadcast_to(rng.normal(0, 300.0, (1, 17, 3)), (frames, 17, 3))
    noise = rng.normal(0, 1.0, (2, frames, 17, 3))
    unit = noise_level(body + noise, input_noise(body + noise))  # the level of unit noise, per person
    return body + noise * (level / unit)[:, None, None, None]


def test_a_long_clip_runs_smoothnet_on_its_ends_only_under_light_noise_and_keeps_values_it_lacks():
    seen = []

    def smoothnet(p):
        seen.append(p.shape[-3])
        out = p + 1.0
        out[..., 0, 0, 0] = np.nan
        return out

    x = np.zeros((2, 500, 17, 3), np.float32)
    blend = smoothnet_blend(smoothnet, x, np.zeros(2), DRIFT_RAMP, measured=_body_with_noise(NOISE_OPEN[0] / 2))
    out = blend(x)
    assert seen == [40, 40] and out.dtype == np.float32
    assert out[:, 0, 0, 0].tolist() == [0.0, 0.0]  # SmoothNet's NaN: the refiner's own value
    np.testing.assert_allclose(out[:, 1, 1], WEIGHT * (1 - 1 / END_FRAMES))
    assert not out[:, END_FRAMES:-END_FRAMES].any()


def test_a_long_clip_under_heavy_noise_takes_smoothnet_over_the_whole_clip():
    seen = []

    def smoothnet(p):
        seen.append(p.shape[-3])
        return p + 1.0

    x = np.zeros((2, 500, 17, 3), np.float32)
    blend = smoothnet_blend(smoothnet, x, np.zeros(2), DRIFT_RAMP, measured=_body_with_noise(NOISE_OPEN[1] * 1.5))
    assert seen == [500]
    np.testing.assert_allclose(blend(x), WEIGHT)


def _errors(model, frames: int | None, sigma: float, clips: int) -> tuple[np.ndarray, np.ndarray]:
    """Per-frame MPJPE (mm) of the first ``clips`` validation clips' first ``frames`` under ``sigma`` mm of
    white noise, with the blend and without, each averaged over the clips (whole clips: over every frame)."""
    from synsp.data.mocap import load_clip
    from synsp.data.splits import load_split

    rng = np.random.default_rng(3)
    runs = {True: [], False: []}
    for name in load_split("val")[:clips]:
        clean = load_clip(name, "h36m17")[:frames].astype(np.float64)
        noisy = (clean + rng.normal(0, sigma, clean.shape)).astype(np.float32)
        for blend, errors in runs.items():
            model.smoothnet_blend = blend
            error = np.linalg.norm(model.refine(noisy, fps=30) - clean, axis=-1).mean(axis=-1)
            parts = (error[:END_FRAMES], error[END_FRAMES:-END_FRAMES], error[-END_FRAMES:])
            errors.append(error if frames else np.array([part.mean() for part in parts]))
    return np.mean(runs[True], axis=0), np.mean(runs[False], axis=0)


@needs_data
@pytest.mark.filterwarnings("ignore")
def test_the_end_frames_of_short_3d_clips_under_white_noise():
    """SynSP's first and last frames kept about half again the inside's error, more than SmoothNet's
    mean with it (validation, 8 mm white noise, 20-frame pieces: 10.5 and 11.2 mm against 6.5 inside)."""
    blended, without = _errors(synsp.load_model("synsp-h36m17"), 20, 8.0, 5)
    assert blended[[0, 1, -2, -1]].mean() < without[[0, 1, -2, -1]].mean() - 0.3


@needs_data
@pytest.mark.filterwarnings("ignore")
def test_whole_3d_clips_inside_part_smoothnets_under_heavy_noise_only():
    """Inside a clip the mean pays under 8 mm of white noise (validation, 12 whole clips: 6.15 -> 5.94 mm) and
    not under 1 mm (1.82 -> 2.27 at the same weight), where the inside keeps SynSP's output."""
    model = synsp.load_model("synsp-h36m17")
    blended, without = _errors(model, None, 8.0, 3)
    assert blended[1] < without[1] - 0.1
    blended, without = _errors(model, None, 1.0, 2)
    assert abs(blended[1] - without[1]) < 0.002  # the end blend reaches the later steps' clip-wide readings only


def _limbs(kind: str, frames: int = 300) -> np.ndarray:
    """(1, frames, 17, 3) mm: a still H36M-17 body whose joints carry AR(1) noise (coefficient 0.5) of 2-25 mm growing
    from the hips out (``kind`` "noise", as MediaPipe's world landmarks), or 3 mm of it plus its limbs stretched
    slowly by up to 5 % ("drift", an estimator's depth and size errors)."""
    from scipy.signal import lfilter

    rng = np.random.default_rng(3)
    body = rng.normal(0, 40.0, (17, 3))  # small: the noise reads heavy (above NOISE_OPEN) in body sizes
    levels = np.full(17, 2.0)
    levels[[2, 5, 12, 15]], levels[[3, 6, 13, 16]] = 15.0, 25.0  # knees, elbows; ankles, wrists
    noise = lfilter([1.0], [1.0, -0.5], rng.normal(size=(frames, 17, 3)), axis=0)
    if kind == "noise":
        return (body + noise * levels[:, None])[None]
    stretch = 1.0 + 0.05 * np.sin(2 * np.pi * np.arange(frames) / 150.0)[:, None, None]  # 0.2 Hz at 30 fps
    return (body * stretch + 3.0 * noise)[None]


def test_noise_that_stretches_the_limbs_reads_as_noise_and_drift_does_not():
    assert noise_share(_limbs("noise"), "h36m17")[0] == 1.0
    assert noise_share(_limbs("drift"), "h36m17")[0] == 0.0


def test_where_the_limbs_read_noise_the_blend_takes_its_share_despite_the_drift_reading():
    x = _limbs("noise")
    shares = []

    def smoothnet(p):
        return p + 1.0

    for layout in (None, "h36m17"):
        blend = smoothnet_blend(smoothnet, x, np.array([DRIFT_RAMP[1]]), DRIFT_RAMP, measured=x, layout=layout)
        shares.append(None if blend is None else float((blend(x) - x)[0, 150].mean()))
    level = noise_level(x, input_noise(x))[0]
    assert shares[0] is None and level > NOISE_OPEN[1]  # the drift's share alone: none
    assert shares[1] == pytest.approx(WEIGHT)  # heavy noise: every frame at the ends' weight
    drift = _limbs("drift")
    assert smoothnet_blend(smoothnet, drift, np.array([DRIFT_RAMP[1]]), DRIFT_RAMP, measured=drift,
                           layout="h36m17") is None


@needs_data
def test_refine_reads_the_noise_share_on_a_clip_at_its_own_pace_and_not_on_a_paced_one(monkeypatch):
    """Review1 #7, end to end: ``synsp.refine`` gives the blend the layout whose limbs :func:`noise_share` reads, and
    the share changes the output (a bow: its own pace); a dash refined at a slower pace gets no layout, and no share
    reaches its output."""
    import synsp.inference.input_frame as input_frame
    import synsp.inference.smoothnet_blend as blend_module
    from synsp.data.mocap import load_clip

    given, blend = [], input_frame.smoothnet_blend
    monkeypatch.setattr(input_frame, "smoothnet_blend", lambda *a, **k: given.append(k["layout"]) or blend(*a, **k))
    for name, paced in (("dataset-1_bow_proud_001", False), ("dataset-1_dash_masculinity_001", True)):
        clip = load_clip(name, "h36m17").astype(np.float64)
        noise = _limbs("noise", len(clip))[0]  # MediaPipe-like: AR(1), growing from the hips out
        noisy = (clip + noise - noise.mean(0)).astype(np.float32)
        given.clear()
        out = synsp.refine(noisy, layout="h36m17")
        assert given and all((layout is None) == paced for layout in given), name  # a call per pass
        with monkeypatch.context() as patched:  # the share read as 0 (paced: as 1): only the drift's share left
            patched.setattr(blend_module, "noise_share", lambda x, *a, **k: np.full(len(x), float(paced)))
            other = synsp.refine(noisy, layout="h36m17")
        assert np.array_equal(out, other) == paced, name

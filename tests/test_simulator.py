"""The estimator-error simulator: each error kind does what it says, reproducibly, on any layout."""
from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from synsp.data.simulator import INVERSION, MISS, PRESETS, SWAP, Corruption, ErrorModel, corrupt, get_preset
from synsp.metrics import accel_error, mpjpe
from synsp.skeleton import get_layout

# Every error switched off: tests switch on one kind at a time.
QUIET = ErrorModel(jitter_mm=0, bias_mm=0, drift_mm=0, rotation_deg=0, scale_std=0, depth_std=0,
                   sequence_spread=0, miss_rate=0, swap_rate=0, inversion_rate=0)


def only(**changes) -> ErrorModel:
    return dataclasses.replace(QUIET, **changes)


def walking(t: int = 240, layout: str = "h36m17", seed: int = 0) -> np.ndarray:
    """A synthetic moving person (T, J, 3) mm: random rest pose, swinging limbs, walking forward."""
    j = len(get_layout(layout).joints)
    rng = np.random.default_rng(seed)
    rest = rng.uniform([-300, 0, -150], [300, 1700, 150], size=(j, 3))
    time = np.arange(t)[:, None] / 30.0
    swing = 150 * np.sin(2 * np.pi * (time + rng.uniform(0, 1, j)))  # (T, J)
    x = rest[None] + swing[..., None] * np.array([0.0, 0.3, 1.0])
    x[..., 2] += 1200 * time  # 1.2 m/s forward
    return x.astype(np.float32)


def test_reproducible_and_seed_dependent():
    x = walking()
    a, b = corrupt(x, "hard", rng=3), corrupt(x, "hard", rng=np.random.default_rng(3))
    np.testing.assert_array_equal(a.noisy, b.noisy)
    np.testing.assert_array_equal(a.missing, b.missing)
    np.testing.assert_array_equal(a.kind, b.kind)
    c = corrupt(x, "hard", rng=4)
    assert not np.array_equal(np.nan_to_num(a.noisy), np.nan_to_num(c.noisy))


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("preset", list(PRESETS))
def test_shapes_and_dtypes(dtype, preset):
    x = walking(90).astype(dtype)
    out = corrupt(x, preset, rng=0)
    assert isinstance(out, Corruption)
    assert out.noisy.shape == x.shape and out.noisy.dtype == dtype
    assert out.missing.shape == x.shape[:2] and out.missing.dtype == bool
    assert out.kind.shape == x.shape[:2] and out.kind.dtype == np.uint8
    assert np.array_equal(np.isnan(out.noisy).any(-1), out.missing) or get_preset(preset).miss_mode == "freeze"


@pytest.mark.parametrize("t", [1, 2, 3, 7])
@pytest.mark.parametrize("preset", list(PRESETS))
def test_short_sequences(t, preset):
    x = walking(t)
    for c in (3, 2):
        out = corrupt(x[..., :c], preset, rng=1, unit_scale=0.4 if c == 2 else 1.0)
        assert out.noisy.shape == (t, 17, c)


@pytest.mark.parametrize("layout", ["h36m17", "bandai22", "coco17", "mediapipe33"])
def test_every_layout_2d_and_3d(layout):
    x = walking(150, layout)
    for c in (3, 2):
        out = corrupt(x[..., :c], "hard", rng=2, layout=layout)
        ok = ~out.missing
        assert np.isfinite(out.noisy[ok]).all()
        assert np.isnan(out.noisy[out.missing]).all()


def test_layout_none_falls_back():
    x = np.random.default_rng(0).normal(size=(60, 5, 2)) * 100
    out = corrupt(x, "hard", rng=0, layout=None)
    assert out.noisy.shape == x.shape and not (out.kind == INVERSION).any()  # no pairs known


def test_miss_nan_exactly_on_mask():
    x = walking(600)
    out = corrupt(x, only(miss_rate=2.0), rng=0)
    assert out.missing.any() and not out.missing.all()
    np.testing.assert_array_equal(np.isnan(out.noisy).any(-1), out.missing)
    assert np.isnan(out.noisy[out.missing]).all()
    np.testing.assert_array_equal(out.noisy[~out.missing], x[~out.missing])
    np.testing.assert_array_equal(out.kind == MISS, out.missing)


def test_miss_freeze_holds_last_value():
    x = walking(600)
    out = corrupt(x, only(miss_rate=2.0, miss_mode="freeze"), rng=0)
    assert out.missing.any() and np.isfinite(out.noisy).all()
    np.testing.assert_array_equal(out.noisy[~out.missing], x[~out.missing])
    for t, j in zip(*np.nonzero(out.missing)):
        seen = np.flatnonzero(~out.missing[:t, j])
        source = seen[-1] if len(seen) else t + np.argmax(~out.missing[t:, j])  # a lost start holds the next value
        np.testing.assert_array_equal(out.noisy[t, j], x[source, j])


def test_inversion_exchanges_left_and_right():
    x = walking(600)
    pairs = get_layout("h36m17").left_right
    out = corrupt(x, only(inversion_rate=1.0), rng=0)
    hit = out.kind == INVERSION
    assert hit.any()
    for left, right in pairs:
        span = hit[:, left]
        np.testing.assert_array_equal(span, hit[:, right])  # a pair is always exchanged together
        np.testing.assert_array_equal(out.noisy[span, left], x[span, right])
        np.testing.assert_array_equal(out.noisy[span, right], x[span, left])
    np.testing.assert_array_equal(out.noisy[~hit], x[~hit])


def test_swap_takes_the_other_persons_joint():
    x = walking(600)
    other = walking(1, seed=5) * 3.0  # one distinctive pose, far from anything the subject does
    model = only(swap_rate=1.0, swap_limb_prob=0.0, swap_offset_mm=(300.0, 600.0))
    out = corrupt(x, model, rng=0, others=other)
    hit = out.kind == SWAP
    assert hit.any()
    np.testing.assert_array_equal(out.noisy[~hit], x[~hit])
    t, j = np.nonzero(hit)
    # The other person is carried beside the subject: joint = subject root + other's root-relative joint + offset.
    offset = out.noisy[t, j] - x[t, 0] - (other[0, j] - other[0, 0])
    assert np.allclose(offset[:, 1], 0, atol=1e-3)  # sideways, on the floor plane
    assert np.all((np.linalg.norm(offset, axis=-1) > 299) & (np.linalg.norm(offset, axis=-1) < 601))


def test_swap_without_others_stays_plausible():
    x = walking(300)
    out = corrupt(x, only(swap_rate=2.0, swap_offset_mm=(300.0, 600.0)), rng=1)
    hit = out.kind == SWAP
    assert hit.any()
    err = np.linalg.norm(out.noisy - x, axis=-1)[hit]
    assert err.max() < 2500  # a joint of a person standing beside, not anywhere in the world


def _error(x: np.ndarray, model: ErrorModel, fps: float = 30.0, seed: int = 0) -> np.ndarray:
    return corrupt(x, model, rng=seed, layout=None, fps=fps).noisy - x


def test_jitter_is_correlated_and_heavy_tailed():
    x = np.zeros((4000, 17, 3))  # motionless, so only the jitter's own statistics show
    e = _error(x, only(jitter_mm=5.0))
    e = (e - e.mean(0)) / e.std(0)
    lag1 = (e[1:] * e[:-1]).mean()
    kurtosis = (e**4).mean()
    assert lag1 > 0.3
    assert kurtosis > 3.5
    # Time is in seconds: at 60 fps neighbouring frames are closer, so more correlated.
    e60 = _error(x, only(jitter_mm=5.0), fps=60.0)
    e60 = (e60 - e60.mean(0)) / e60.std(0)
    assert (e60[1:] * e60[:-1]).mean() > lag1 + 0.1


def test_jitter_grows_towards_the_limb_ends():
    x = np.zeros((3000, 17, 3))
    e = corrupt(x, only(jitter_mm=5.0), rng=0).noisy - x
    size = np.linalg.norm(e, axis=-1).mean(0)
    layout = get_layout("h36m17")
    assert size[layout.index("left_wrist")] > 1.5 * size[layout.root]


def test_drift_is_slow():
    x = walking(900)
    slow = only(bias_mm=0.0, drift_mm=20.0)
    out = corrupt(x, slow, rng=0).noisy
    assert mpjpe(out, x) > 10
    assert accel_error(out, x) < 0.02 * mpjpe(out, x)
    body = corrupt(x, only(rotation_deg=3.0, scale_std=0.05, depth_std=0.05), rng=0).noisy
    assert accel_error(body, x) < 0.02 * mpjpe(body, x)


def test_unit_scale_scales_every_error():
    x = walking(200).astype(np.float64)
    a = corrupt(x, "hard", rng=0).noisy
    b = corrupt(x * 0.25, "hard", rng=0, unit_scale=0.25).noisy
    np.testing.assert_allclose(b, a * 0.25, rtol=1e-6, atol=1e-6)


def test_bad_inputs_raise():
    x = walking(30)
    with pytest.raises(ValueError, match="known presets"):
        corrupt(x, "nope")
    with pytest.raises(ValueError, match="known presets"):
        get_preset("nope")
    with pytest.raises(ValueError, match="clean"):
        corrupt(x[0])
    with pytest.raises(ValueError, match="clean"):
        corrupt(x[:, :5])  # 5 joints but h36m17 has 17
    with pytest.raises(ValueError, match="others"):
        corrupt(x, others=x[:, :5])
    with pytest.raises(ValueError, match="unit_scale"):
        corrupt(x, unit_scale=0)
    with pytest.raises(ValueError, match="miss_mode"):
        ErrorModel(miss_mode="hold")


def test_typical_preset_is_calibrated_on_real_clips():
    try:
        from synsp.data.mocap import load_clip
        from synsp.data.splits import load_split
        from synsp.sequence import fill_gaps

        clips = [load_clip(name) for name in load_split("test")[::6]]
    except (FileNotFoundError, OSError) as err:
        pytest.skip(f"shared mocap data not available: {err}")
    rng = np.random.default_rng(0)
    scores, frames = [], []
    for clip in clips:
        noisy, _ = fill_gaps(corrupt(clip, "typical", rng=rng).noisy)
        pred, gt = noisy - noisy[:, :1], clip - clip[:, :1]
        scores.append((mpjpe(pred, gt), accel_error(pred, gt)))
        frames.append(len(clip))
    mp, acc = np.average(scores, axis=0, weights=frames)
    # The paper's FCN input: 54.6 mm, 19.2 mm/frame^2 (a few clips only, so a loose band).
    assert 42 < mp < 68 and 15 < acc < 24

"""StreamingRefiner: frame in, refined frame out; with the full lag it equals offline refinement
(without the clip-level convention step, which a stream can only estimate as it goes)."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data, tiny_config
from synsp.inference.checkpoint import load_model
from synsp.inference.stream_measurements import LOOKAHEAD
from synsp.inference.streaming import StreamingRefiner
from synsp.inference.swaa import sliding_windows

pytestmark = needs_data

@pytest.fixture(scope="module", params=["3d", "2d"])
def refiner(request, tmp_path_factory):
    from synsp.training.train import train

    best = train(tiny_config(tmp_path_factory.mktemp(request.param), space=request.param), log=lambda s: None)
    # int8 depends on the batch, and a stream cuts a window at every frame: stream == offline at stride 1, float
    model = load_model(best, device="cpu", quantize=False, stride=1)
    # the clip-level steps (tested below; the upright turn in test_upright.py, the size step in test_body_scale.py,
    # the output's low-pass in test_shipped_models.py, the motion's pace in test_motion_pace.py)
    model.keep_convention, model.bone_strength, model.upright, model.trained_size = False, 0.0, False, False
    model.lowpass_hz, model.follow_pace = None, False
    model.mean_anchor = False  # a stream places the body by its root joint (streaming.py)
    model.give_back_motion = False  # offline only: a stream does not take synsp.inference.oversmoothing's step
    # these tests watch the network's correction on clean motion, which synsp.inference.clean keeps from it
    # (offline over the whole clip, a stream over the frames so far: test_stream_clean.py)
    model.keep_clean = False
    model.foreshortened = None  # nor does a stream give way where the random "body" reads as seen from above
    model.leaned = model.hips_flexed = model.bent_frames = None  # nor where it reads bent (leaned_trunk)
    model.edge_pad = False  # a stream's windows start at its first frame; offline extends the clip's ends (edge_pad)
    return model


@pytest.fixture(autouse=True)
def _no_crossed_hips(monkeypatch):
    """Offline's crossed hips (synsp.estimator_errors.crossed_hips) set aside: a stream does not read them, and
    :func:`motion`'s lines, sines of one frequency, keep parallel or opposed as a body's hips and shoulders do."""
    monkeypatch.setattr("synsp.estimator_errors.measurements.CROSSED_SPACES", ())


def motion(refiner, t: int, views: int | None = None, seed: int = 0) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shape = (t, *(() if views is None else (views,)), len(refiner.layout.joints), refiner.n_coords)
    frames = np.arange(t).reshape(-1, *([1] * (len(shape) - 1)))
    x = 300 * np.sin(frames / 9 + rng.uniform(0, 6, shape[1:])) + rng.normal(0, 10, shape)
    return (x + 800).astype(np.float32)


def stream_all(stream: StreamingRefiner, x: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Push every frame; return all frames given back and how many came back after each push."""
    parts, counts = [], []
    for frame in x:
        out = stream.push(frame)
        parts.append(out)
        counts.append(len(out))
    parts.append(stream.flush())
    return np.concatenate(parts), counts


@pytest.mark.parametrize("t", [40, 9, 5, 1])
def test_full_lag_equals_offline(refiner, t):
    x = motion(refiner, t)
    out, counts = stream_all(StreamingRefiner(refiner), x)
    offline = refiner.refine(x)
    assert out.shape == x.shape and out.dtype == x.dtype
    # 3D: frame 0's root fit cannot wait for frame 8 (see the module docstring)
    first = 1 if refiner.space == "3d" and t > 8 else 0
    np.testing.assert_allclose(out[first:], offline[first:], rtol=0, atol=1e-2)
    lag = refiner.window - 1 + LOOKAHEAD  # each frame also waits for the frames that measure it
    assert counts[:lag] == [0] * min(lag, t) and (t <= lag or set(counts[lag:]) == {1})


@pytest.mark.parametrize("t", [40, 12, 9])
def test_full_lag_at_a_stride_equals_offline_at_it(refiner, t):
    """Windows every 3 frames, the last one ending at the last frame, mirrored by their index:
    the windows offline refinement cuts at that stride. Frame T - F alone is given back before
    the stream knows it ends, so without that last window."""
    refiner.stride = 3
    try:
        stream = StreamingRefiner(refiner)
        out, _ = stream_all(stream, motion(refiner, t))
        offline = refiner.refine(motion(refiner, t))
        shifted, counts = stream_all(StreamingRefiner(refiner, phase=2), motion(refiner, t))
        with pytest.raises(ValueError, match="phase"):
            StreamingRefiner(refiner, phase=3)
    finally:
        refiner.stride = 1
    assert stream.stride == 3
    # Another phase cuts other windows (a crowd's spread of the work): the same lag, nearly the same frames.
    ready = refiner.window + LOOKAHEAD
    assert shifted.shape == out.shape and counts[ready:] == [1] * (t - ready)
    assert np.abs(shifted - out).mean() < 0.05 * np.abs(out - out.mean(0)).mean()
    first = 1 if refiner.space == "3d" else 0
    keep = np.arange(first, t) != t - refiner.window
    np.testing.assert_allclose(out[first:][keep], offline[first:][keep], rtol=0, atol=1e-2)
    with pytest.raises(ValueError, match="stride"):
        StreamingRefiner(refiner, lag=1, stride=3)  # frame t would wait for a window past t + lag


@pytest.mark.parametrize("lag", [0, 3])
def test_short_lag_gives_each_frame_back_lag_frames_later(refiner, lag):
    x = motion(refiner, 30)
    out, counts = stream_all(StreamingRefiner(refiner, lag=lag, lookahead=0), x)
    f = refiner.window
    assert out.shape == x.shape and np.isfinite(out).all()
    assert counts[f - 1] == f - lag and set(counts[f:]) == {1}  # warm-up backlog, then one per frame
    if refiner.space == "2d":  # 3D adds a root fit; 2D output is exactly the SWAA mean of the windows in by then
        windows = refiner.refine_windows(sliding_windows(x, f)[:, None])["final"][:, 0]  # (N, F, J, C)
        n, t = len(windows), len(x)
        for s in range(t):
            newest = min(s, n - 1) if s + lag > t - 1 else max(0, min(s, s + lag - f + 1))  # flush: every window
            covering = range(max(0, s - f + 1), newest + 1)
            weights = np.ones(f) if refiner.weights is None else refiner.weights
            expected = np.average([windows[w, s - w] for w in covering], axis=0,
                                  weights=[weights[s - w] for w in covering])
            np.testing.assert_allclose(out[s], expected, rtol=0, atol=1e-2, err_msg=f"frame {s}")


def test_views_missing_joints_and_frames_before_the_first_detection(refiner):
    x = motion(refiner, 20, views=2)
    x[:3] = np.nan  # nobody detected yet
    x[10, 1, 4] = np.nan  # one joint of view 1 lost for a frame
    stream = StreamingRefiner(refiner, lag=2)
    first = stream.push(x[0])
    assert first.shape == (1, 2, *x.shape[2:]) and np.isnan(first).all()
    out = np.concatenate([first, *[stream.push(frame) for frame in x[1:]], stream.flush()])
    assert out.shape == x.shape and np.isnan(out[:3]).all() and np.isfinite(out[3:]).all()
    with pytest.raises(ValueError, match="reset"):
        stream.push(x[5])  # after flush the stream restarts, but (V, J, C) then (J, C) must not mix
        stream.push(x[5, 0])


def test_a_joint_not_yet_seen_comes_back_nan_as_offline(refiner):
    x = motion(refiner, 20)
    x[:, 2] = np.nan  # never detected: synsp.refine leaves it NaN
    x[:12, 4] = np.nan  # detected from frame 12 on
    out, _ = stream_all(StreamingRefiner(refiner), x)
    assert np.isnan(out[:, 2]).all()
    assert np.isnan(out[:12 - LOOKAHEAD, 4]).all() and np.isfinite(out[12:, 4]).all()
    others = np.ones(x.shape[1], dtype=bool)
    others[[2, 4]] = False
    assert np.isfinite(out[:, others]).all()


def test_bad_lag_and_frame_shape(refiner):
    with pytest.raises(ValueError, match="lag"):
        StreamingRefiner(refiner, lag=refiner.window)
    with pytest.raises(ValueError, match=r"frame must be"):
        StreamingRefiner(refiner).push(np.zeros((5, refiner.n_coords), np.float32))


def test_stream_keeps_the_input_convention_like_offline(refiner):
    """With keep_convention and bone consistency the stream measures the pull and the bone
    lengths as it goes: close to offline, and the
    same shape; frames after the first second agree within a few percent of the motion."""
    x = motion(refiner, 60)
    refiner.keep_convention, refiner.bone_strength = True, 0.5
    try:
        out, _ = stream_all(StreamingRefiner(refiner), x)
        offline = refiner.refine(x)
    finally:
        refiner.keep_convention, refiner.bone_strength = False, 0.0
    assert out.shape == x.shape and np.isfinite(out).all()
    assert np.abs(out[30:] - offline[30:]).mean() < 0.05 * np.abs(x - x.mean(0)).mean()


@pytest.mark.parametrize("scale", [1.0, 0.001])
def test_3d_unit_waits_for_a_body_not_one_or_two_joints(refiner, scale):
    """A 3D stream whose first frames show 1-2 joints: the unit is decided from the first frame
    showing most of the body, so the stream ends where offline refinement does (in mm and m)."""
    if refiner.space != "3d":
        pytest.skip("units are a 3D question")
    x = motion(refiner, 50) * np.float32(scale)
    x[:4, 2:] = np.nan  # the estimator first sees two joints
    x[4:6, 1:] = np.nan  # then one
    out, counts = stream_all(StreamingRefiner(refiner), x)
    offline = refiner.refine(x)
    assert out.shape == x.shape and np.isfinite(out[:, 0]).all() and np.isfinite(out[6:]).all()
    assert np.isnan(out[:6 - LOOKAHEAD, 2:]).all()  # not yet seen: NaN, not the centroid the network saw
    assert counts[:6] == [0] * 6  # held until frame 6 shows the body
    gap = np.linalg.norm(out[15:] - offline[15:], axis=-1).mean() / scale  # mm
    assert gap < 20, gap
    told, counts = stream_all(StreamingRefiner(refiner, mm_per_unit=1 / scale), x)  # told the unit: nothing held
    np.testing.assert_allclose(told, out, rtol=0, atol=1e-2 * scale)
    assert counts[refiner.window - 1 + LOOKAHEAD] == 1
    for bad in (0, True):  # True is no unit, not 1 mm
        with pytest.raises(ValueError, match="mm_per_unit"):
            StreamingRefiner(refiner, mm_per_unit=bad)

"""Speed options of the Refiner (stride, pull_stride, int8) stay within stated tolerances of the
exact path, and many people stream in one batch exactly as each would alone."""
from __future__ import annotations

import numpy as np
import pytest
import torch

from conftest import needs_data
from synsp.evaluation.protocol import make_cases
from synsp.inference.checkpoint import load_model
from synsp.inference.people_stream import MultiPersonStreamingRefiner
from synsp.inference.streaming import StreamingRefiner
from synsp.inference.swaa import sliding_window_average, sliding_window_average_naive, sliding_windows

pytestmark = needs_data


@pytest.fixture(scope="module")
def clip():
    cases = make_cases("val", "typical", max_clips=3)
    return np.concatenate([c.noisy for c in cases])[:240], np.concatenate([c.clean for c in cases])[:240]


def exact():
    return load_model("synsp-h36m17", "cpu", stride=1, pull_stride=1, quantize=False)


def mean_distance(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b, axis=-1).mean())


def test_fast_paths_stay_near_the_exact_output(clip):
    noisy, _ = clip
    reference = exact().refine(noisy)
    moved = mean_distance(reference, noisy)  # what refinement itself changes, mm
    # The pull pass only measures a median over the clip: a sparser cut barely moves the output.
    assert mean_distance(load_model("synsp-h36m17", "cpu", stride=1, pull_stride=8, quantize=False).refine(noisy),
                         reference) < 0.05 * moved
    # int8 linear layers: within a few percent of what the network moves the joints.
    quantized = load_model("synsp-h36m17", "cpu", stride=1, pull_stride=1, quantize=True)
    assert quantized.quantized
    assert mean_distance(quantized.refine(noisy), reference) < 0.1 * moved
    # A stride > 1 averages fewer windows per frame: close, but less smooth.
    assert mean_distance(exact().refine(noisy, stride=4), reference) < 0.1 * moved


def acceleration(x: np.ndarray) -> float:
    return float(np.linalg.norm(x[2:] - 2 * x[1:-1] + x[:-2], axis=-1).mean())


def test_tapered_merge_keeps_strided_windows_smooth(clip):
    """Hann-weighted SWAA (the default): windows every 2 frames are about as smooth as windows at
    every frame, where the paper's plain mean makes them markedly rougher."""
    noisy, _ = clip
    model = exact()
    model.lowpass_hz = None  # the merge's own smoothness, before the output's low-pass
    tapered = {s: acceleration(model.refine(noisy, stride=s)) for s in (1, 2)}
    model.weights = None
    plain = {s: acceleration(model.refine(noisy, stride=s)) for s in (1, 2)}
    assert tapered[2] < 1.15 * tapered[1] and tapered[1] <= 1.02 * plain[1]
    assert plain[2] > 1.3 * plain[1]


@pytest.mark.parametrize("name, joints, views", [("synsp-h36m17", 17, 1), ("synsp-h36m17-mv", 17, 3),
                                                  ("smoothnet-h36m17", 23, 1)])
def test_traced_network_gives_the_same_outputs(name, joints, views):
    """Refiner.trace (what streams run): small batches go through the trace, which shares the
    weights and gives the eager network's outputs exactly, for other batch sizes, views and
    (SmoothNet) joint counts than it was traced with."""
    eager, traced = load_model(name, "cpu"), load_model(name, "cpu").trace()
    for n in (1, 5):
        windows = np.random.default_rng(n).normal(0, 100, (n, views, eager.window, joints, 3)).astype(np.float32)
        got, want = traced.refine_windows(windows), eager.refine_windows(windows)
        assert set(got) == set(want)
        for key in want:
            np.testing.assert_array_equal(got[key], want[key])


def test_streams_trace_and_a_later_quantize_retraces(clip):
    noisy, _ = clip
    model = load_model("synsp-h36m17", "cpu", quantize=False)
    StreamingRefiner(model)
    assert model._traced is not None
    windows = noisy[None, None, :8].astype(np.float32)
    model.quantize()
    np.testing.assert_array_equal(model.refine_windows(windows)["final"],
                                  load_model("synsp-h36m17", "cpu", quantize=True).refine_windows(windows)["final"])


def test_speed_options_are_checked():
    with pytest.raises(ValueError, match="stride"):
        load_model("synsp-h36m17", "cpu", stride=9)
    with pytest.raises(ValueError, match="pull_stride"):
        load_model("synsp-h36m17", "cpu", pull_stride=0)
    with pytest.raises(ValueError, match="stride"):
        exact().refine(np.zeros((20, 17, 3), np.float32), stride=0)


def stream_people(crowd: MultiPersonStreamingRefiner, frames: list[tuple[np.ndarray, list]]) -> dict:
    got: dict = {}
    for poses, ids in frames:
        for pid, out in crowd.push(poses, ids).items():
            got.setdefault(pid, []).append(out)
    for pid, out in crowd.flush().items():
        got.setdefault(pid, []).append(out)
    return {pid: np.concatenate(parts) for pid, parts in got.items()}


def alone(model, x: np.ndarray, phase: int = 0) -> np.ndarray:
    return StreamingRefiner(model, phase=phase).refine_all(x)


@pytest.mark.parametrize("quantize", [False, True])
def test_many_people_equal_each_alone(clip, quantize):
    noisy, _ = clip
    model = load_model("synsp-h36m17", "cpu", quantize=quantize)
    people = {"a": noisy[:40], "b": noisy[100:140] * 0.001, "c": noisy[200:240]}  # b in metres
    crowd = MultiPersonStreamingRefiner(model)
    calls = []
    network = model.refine_windows
    model.refine_windows = lambda windows, **kw: calls.append(len(windows)) or network(windows, **kw)
    got = stream_people(crowd, [(np.stack([x[t] for x in people.values()]), list(people)) for t in range(40)])
    del model.refine_windows
    assert max(calls) == 3 and calls.count(3) == 2  # the first windows only: then one person's at a frame
    for phase, (pid, x) in enumerate(people.items()):  # three people, three phases of the 3D stride 3
        expected = alone(model, x, phase)
        if not quantize:
            np.testing.assert_allclose(got[pid], expected, rtol=1e-4, atol=1e-4 * np.abs(x).max())
        else:  # int8 activations share one scale per batch: the others in it move the result a little
            assert mean_distance(got[pid], expected) < 0.15 * mean_distance(expected, x)  # measured 0.10 at most


def test_people_come_and_go(clip):
    noisy, _ = clip
    model = load_model("synsp-h36m17", "cpu", quantize=False)
    crowd = MultiPersonStreamingRefiner(model, patience=3)
    frames = []
    for t in range(30):  # person 0 throughout; 1 from frame 5; 2 absent on frames 10-11 and gone after 20
        ids = [0] + ([1] if t >= 5 else []) + ([2] if t < 20 and t not in (10, 11) else [])
        frames.append((np.stack([noisy[t + 50 * i] for i in ids]), ids))
    got = stream_people(crowd, frames)
    assert crowd.people == []
    assert len(got[0]) == 30 and len(got[1]) == 25 and np.isfinite(got[1]).all()
    # Person 2: 20 frames seen (two of them absent, NaN), then 3 frames of patience, also NaN.
    assert len(got[2]) == 23
    absent = ~np.isfinite(got[2]).all(axis=(1, 2))
    assert absent.tolist() == [t in (10, 11) or t >= 20 for t in range(23)]
    np.testing.assert_allclose(got[0], alone(model, noisy[:30]), rtol=1e-4, atol=1e-2)


def test_many_people_input_is_checked():
    crowd = MultiPersonStreamingRefiner(load_model("synsp-h36m17", "cpu"))
    with pytest.raises(ValueError, match=r"\(P, 17, 3\)"):
        crowd.push(np.zeros((17, 3)))
    with pytest.raises(ValueError, match="distinct"):
        crowd.push(np.zeros((2, 17, 3)), ids=[1, 1])
    with pytest.raises(ValueError, match="patience"):
        MultiPersonStreamingRefiner(crowd.refiner, patience=-1)


def test_stream_pull_history_is_bounded(clip, monkeypatch):
    from synsp.inference import stream_convention

    noisy, _ = clip
    monkeypatch.setattr(stream_convention, "PULL_HISTORY", 6)
    stream = StreamingRefiner(load_model("synsp-h36m17", "cpu", quantize=False))
    sizes = []
    for frame in noisy[:40]:
        stream.push(frame)
        sizes.append(len(stream._pull.pulls))
    assert max(sizes) <= 6 and sizes[-1] >= 3  # thinned, never emptied


def test_batches_side_by_side_on_two_threads_give_what_one_thread_gives(clip):
    noisy, _ = clip
    model = load_model("synsp-h36m17", "cpu")
    model.batch_size = 16  # several batches, so two threads run them side by side
    threads = torch.get_num_threads()
    try:
        torch.set_num_threads(1)
        one = model.refine(noisy)
        torch.set_num_threads(2)
        two = model.refine(noisy)
    finally:
        torch.set_num_threads(threads)
    np.testing.assert_array_equal(one, two)  # int8 included: the batches, not the threads, set the scales


@pytest.mark.parametrize("name", ["synsp-h36m17", "synsp-h36m17-mv"])
def test_window_outputs_are_frame_major_for_the_merge(clip, name):
    """The Refiner stores its network outputs frame offset by frame offset (several batches
    gathered), the layout SWAA merges without a staging copy, and the merge equals the naive loop."""
    noisy, _ = clip
    model = load_model(name, "cpu")
    model.batch_size = 16
    views = 3 if name.endswith("-mv") else 1
    seq = np.stack([noisy[:64] - noisy[:64, :1]] * views)  # (V, T, J, C) root-relative
    windows = np.stack([sliding_windows(v, model.window, 1) for v in seq], axis=1)  # (N, V, F, J, C)
    final = model.refine_windows(windows)["final"].swapaxes(1, 2)  # (N, F, V, J, C)
    assert np.swapaxes(final, 0, 1).flags.c_contiguous
    np.testing.assert_allclose(sliding_window_average(final, 64, 1),
                               sliding_window_average_naive(np.ascontiguousarray(final), 64, 1), rtol=1e-5, atol=1e-3)


def test_2d_int8_keeps_the_embedding_and_heads_in_float32():
    """In 2D int8 rounding at the network's ends showed as jitter (RESULTS section 15): those
    layers stay float32 there; in 3D every linear layer is int8 (speed)."""
    from torch.ao.nn.quantized.dynamic import Linear as Int8Linear

    for name, ends_float in (("synsp-coco17", True), ("synsp-h36m17", False)):
        network = load_model(name, "cpu", quantize=True).model
        linears = {n: m for n, m in network.named_modules() if isinstance(m, (torch.nn.Linear, Int8Linear))}
        ends = [n for n in linears if n.startswith("embedding.") or ".head." in n]
        assert ends and all(isinstance(linears[n], Int8Linear) != ends_float for n in ends)
        assert all(isinstance(m, Int8Linear) for n, m in linears.items() if n not in ends)


def test_a_2d_crowd_with_every_stream_step_equals_each_alone():
    # The crowd batches its people's network windows and their floor, low-pass and clean filters;
    # every other step (lookahead measurements, pace, second pass, over-smoothing given back, the
    # clean step's grid) is each person's own. With a float32 network, each person as if alone.
    walk = np.concatenate([c.noisy for c in make_cases("val", "typical", layout="coco17", space="2d")])
    # "fast" moves fast enough to be refined at its pace from its 19th frame on (stream_pace)
    people = {"slow": walk[:100], "fast": walk[900:1000] + 40.0, "late": walk[150:250] - 30.0}
    model = load_model("synsp-coco17", "cpu", quantize=False)
    crowd = MultiPersonStreamingRefiner(model)
    got = stream_people(crowd, [(np.stack([x[t] for x in people.values()]), list(people)) for t in range(100)])
    stride = crowd.stride
    for phase, (pid, x) in enumerate(people.items()):
        np.testing.assert_allclose(got[pid], alone(model, x, phase % stride), rtol=1e-5, atol=1e-3)


def test_network_outputs_asked_for_are_the_whole_runs_batch_by_batch():
    """refine_windows over several batches (gathered as they come, only the outputs asked for,
    scaled back in place) gives each output exactly as one batch does, with one or two threads."""
    import torch

    model = load_model("synsp-h36m17", "cpu")
    windows = np.random.default_rng(0).normal(0, 100, (23, 1, model.window, 17, 3)).astype(np.float32)
    whole = model.refine_windows(windows, batch_size=64)
    assert set(whole) == set(model.network.outputs)
    threads = torch.get_num_threads()
    try:
        for count in (1, 2):
            torch.set_num_threads(count)
            final = model.refine_windows(windows, batch_size=5, outputs=("final",))
            assert set(final) == {"final"}
            np.testing.assert_array_equal(final["final"], whole["final"])
    finally:
        torch.set_num_threads(threads)
    assert model.refine_windows(windows[:0], outputs=("final",))["final"].shape == (0, 1, model.window, 17, 3)


@pytest.mark.parametrize("name", ["synsp-h36m17", "smoothnet-h36m17", "smoothnet-coco17"])
def test_windows_refined_in_chunks_give_the_whole_clips_output(clip, name, monkeypatch):
    """A long clip's windows are cut, refined and written out a few batches at a time (memory: RESULTS
    section 7); every batch holds the windows it held unchunked, so the outputs are the same bit for bit,
    with the merge's layout kept (frame-major network outputs, or turned back by the heading)."""
    import synsp.inference.network_windows as network_windows

    noisy, _ = clip
    model = load_model(name, "cpu")
    seq = (noisy if name.endswith("h36m17") else noisy[..., :2] * 0.5)[None]  # (1, T, 17, C)
    sizes = []
    refine = model.refine_windows
    model.refine_windows = lambda windows, *a, **kw: sizes.append(len(windows)) or refine(windows, *a, **kw)
    whole = model._run_windows(seq, 1, 16, None, (0, 0))
    monkeypatch.setattr(network_windows, "CHUNK_BATCHES", 3)  # 48 windows a chunk
    sizes.clear()
    chunked = model._run_windows(seq, 1, 16, None, (0, 0))
    assert max(sizes) == 48 and sum(sizes) == len(noisy) - model.window + 1
    assert set(chunked) == set(whole)
    for key, value in whole.items():
        np.testing.assert_array_equal(chunked[key], value)

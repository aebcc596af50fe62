"""Refining input recorded at a frame rate the network was not trained at."""
from __future__ import annotations

import numpy as np
import pytest

from synsp.formats import read_poses
from synsp.inference.checkpoint import load_model
from synsp.inference.frame_rate import covered_rates, interpolate_linear, linear_weights, run_at_rate
from synsp.refining.files import refine_file


def identity(seq):
    return {"final": seq.copy()}


def smooth_motion(t: int, fps: float) -> np.ndarray:
    """(1, T, 17, 3) joints on slow circles (about 1 Hz), mm."""
    time = np.arange(t) / fps
    phase = np.linspace(0, np.pi, 17)[None, :, None]
    path = np.stack([np.sin(2 * np.pi * time), np.cos(2 * np.pi * 0.7 * time), np.sin(np.pi * time)], -1)[:, None]
    return (300 * np.sin(path + phase)).astype(np.float32)[None]


def test_covered_rates_follow_the_playback_speed_range():
    assert covered_rates((0.7, 1.5)) == pytest.approx((20.0, 30 / 0.7))


def test_linear_interpolation_is_exact_on_straight_lines():
    times = np.arange(10) / 60
    x = (times[None, :, None, None] * 2 + 1) * np.ones((2, 10, 3, 2))
    grid = np.linspace(0, times[-1], 7)
    np.testing.assert_allclose(interpolate_linear(x, times, grid),
                               (grid[None, :, None, None] * 2 + 1) * np.ones((2, 7, 3, 2)))


def test_linear_weights_extend_the_line_or_hold_the_ends():
    known, times = np.array([0, 2, 4]), np.arange(6)  # frame 5 after the last known one
    lo, hi, share = linear_weights(known, times)
    assert lo.tolist() == [0, 0, 1, 1, 1, 1] and hi.tolist() == [1, 1, 2, 2, 2, 2]
    assert share.tolist() == [0.0, 0.5, 0.0, 0.5, 1.0, 1.5]  # the line extended past frame 4
    assert linear_weights(known, times, held_ends=True)[2].tolist() == [0.0, 0.5, 0.0, 0.5, 1.0, 1.0]


def test_known_rates_run_as_they_are():
    seq = smooth_motion(50, 30)
    seen = []
    run = lambda s: seen.append(s) or {"final": s * 2}  # noqa: E731
    for fps in (None, 20.0, 25.0, 30.0, 40.0, 43.0):
        np.testing.assert_array_equal(run_at_rate(run, seq, fps, (20.0, 43.0))["final"], seq * 2)
    # the network saw the input itself once per call: not resampled, not run on several grids
    assert len(seen) == 6 and all(s is seq for s in seen)


@pytest.mark.parametrize("fps", [60.0, 50.0, 120.0, 10.0])
def test_other_rates_are_run_at_the_training_rate_and_brought_back(fps):
    seq = smooth_motion(int(3 * fps), fps)
    shapes = []
    run = lambda s: shapes.append(s.shape[1]) or identity(s)  # noqa: E731
    out = run_at_rate(run, seq, fps, (20.0, 43.0))["final"]
    assert out.shape == seq.shape and out.dtype == seq.dtype
    at_30 = (len(seq[0]) - 1) / fps * 30 + 1  # frames the same span has at 30 fps
    assert len(shapes) == max(1, round(fps / 30)) and all(abs(n - at_30) < 2 for n in shapes)
    assert np.abs(out - seq).max() < 0.05 * np.abs(seq).max()  # smooth motion survives the round trip


def test_frames_added_between_the_inputs_follow_the_motion_not_straight_lines(monkeypatch):
    """At 10 fps, a smoother run at 30 fps sees frames added between the input's. On straight
    lines its 3-frame mean cuts the corners of fast motion; on a spline it sees the motion."""
    import synsp.inference.frame_rate as frame_rate

    seq = smooth_motion(40, 10.0)
    mean3 = lambda s: {"final": (np.roll(s, 1, 1) + s + np.roll(s, -1, 1)) / 3}  # noqa: E731

    def moved() -> float:
        out = run_at_rate(mean3, seq, 10.0, (20.0, 43.0))["final"]
        return float(np.linalg.norm(out - seq, axis=-1)[:, 2:-2].mean())

    spline = moved()
    monkeypatch.setattr(frame_rate, "resample", interpolate_linear)
    assert spline < 0.6 * moved(), (spline, moved())  # 4.0 and 8.7 mm


def test_frames_added_around_a_spike_do_not_ring():
    """A one-frame outlier must not swing the added frames beyond its neighbours (a cubic spline
    would, to the other side of zero)."""
    seq = np.zeros((1, 30, 2, 3), np.float32)
    seq[:, 15] = 100.0
    seen = []
    run_at_rate(lambda s: seen.append(s) or {"final": s}, seq, 10.0, (20.0, 43.0))
    assert seen[0].shape[1] > 30 and seen[0].min() >= 0.0 and seen[0].max() <= 100.0


def test_whole_span_grids_are_mirrored_so_a_reversed_clip_gives_the_reversed_output():
    """``whole_span``: the grids are laid out about the clip's middle, so a run that commutes with reversal (a
    3-frame mean) gives the reversed output for the reversed clip at any length and rate; grids anchored at frame 0
    did not (up to 0.8 here). Each grid reaches past both ends."""
    from synsp.inference.frame_rate import _mirrored_grid

    seq = np.cumsum(np.random.default_rng(0).normal(size=(1, 104, 3, 2)), axis=1)

    def mean3(s):
        y = s.copy()
        y[:, 1:-1] = (s[:, :-2] + s[:, 1:-1] + s[:, 2:]) / 3
        return {"a": y}

    for fps in (17.0, 20.0, 70.0, 121.0):
        for frames in (103, 104):
            x = seq[:, :frames]
            out = run_at_rate(mean3, x, fps, (25.0, 35.0), whole_span=True)["a"]
            back = run_at_rate(mean3, np.ascontiguousarray(x[:, ::-1]), fps, (25.0, 35.0), whole_span=True)["a"]
            np.testing.assert_allclose(back[:, ::-1], out, atol=1e-9)
    grid = _mirrored_grid(103 / 20.0, 0.01, 30.0)
    assert grid[0] <= 0 < grid[1] and grid[-2] < 103 / 20.0 <= grid[-1]
    np.testing.assert_allclose(np.sort(103 / 20.0 - grid), _mirrored_grid(103 / 20.0, -0.01, 30.0))


def test_too_short_and_bad_rates():
    seq = smooth_motion(2, 60)
    assert run_at_rate(identity, seq, 60.0, (20.0, 43.0))["final"].shape == seq.shape
    with pytest.raises(ValueError, match="fps"):
        run_at_rate(identity, seq, -5.0, (20.0, 43.0))


def test_every_entry_refuses_a_rate_that_is_not_a_positive_number(tmp_path):
    """One check (synsp.errors.check_fps) for arrays, pose files and rotation files: a bool is
    no frame rate either."""
    from synsp.errors import OptionError
    from synsp.refining.arrays import refine
    from test_bvh import TINY

    src = tmp_path / "in.npz"
    np.savez(src, poses=smooth_motion(30, 30)[0])
    (tmp_path / "tiny.bvh").write_text(TINY)
    for bad in (True, -1.0, float("nan")):
        with pytest.raises(OptionError, match="fps must be a positive number"):
            refine(smooth_motion(30, 30)[0], "butterworth", fps=bad)
        with pytest.raises(OptionError, match="fps must be a positive number"):
            read_poses(src, fps=bad)
        with pytest.raises(OptionError, match="fps must be a positive number"):
            refine_file(tmp_path / "tiny.bvh", tmp_path / "out.bvh", fps=bad)


def test_refiner_takes_the_rate():
    refiner = load_model("synsp-h36m17", device="cpu")
    rng = np.random.default_rng(0)
    # a body of fixed shape whose joints move on small circles: slower than the mocap's pace, so
    # that the given rate alone decides (test_motion_pace.py: faster motion follows its pace)
    body = rng.normal(0, 400, (1, 17, 3)).astype(np.float32)
    noisy = body + 0.25 * smooth_motion(120, 60)[0] + rng.normal(0, 10, (120, 17, 3)).astype(np.float32)
    at_60 = refiner.refine(noisy, fps=60)
    assert at_60.shape == noisy.shape and at_60.dtype == noisy.dtype
    np.testing.assert_array_equal(refiner.refine(noisy, fps=30), refiner.refine(noisy))
    assert not np.allclose(at_60, refiner.refine(noisy))


def test_refine_file_uses_the_given_rate_and_records_it(tmp_path):
    src = tmp_path / "in.npz"
    np.savez(src, poses=smooth_motion(90, 60)[0])
    refine_file(src, tmp_path / "out.npz", method="synsp", layout="h36m17", fps=60)
    assert read_poses(tmp_path / "out.npz").fps == 60


@pytest.mark.parametrize("space", ["3d", "2d"])
def test_low_frame_rates_are_refined_not_refused(space):
    """At 12 fps and below the floor step's 6 Hz baseline would pass the Nyquist rate: its
    cut-off is lowered (filters.cutoff_for), so the default refines 5-12 fps input."""
    from synsp.filters import cutoff_for

    assert cutoff_for(6.0, 30.0) == 6.0 and cutoff_for(6.0, 10.0) == pytest.approx(4.0)
    refiner = load_model("synsp-h36m17" if space == "3d" else "synsp-coco17", device="cpu")
    rng = np.random.default_rng(1)
    noisy = smooth_motion(60, 10)[0] + rng.normal(0, 10, (60, 17, 3)).astype(np.float32)
    if space == "2d":
        noisy = noisy[..., :2] + 1000
    for fps in (5.0, 10.0, 12.0):
        out = refiner.refine(noisy, fps=fps)
        assert out.shape == noisy.shape and np.isfinite(out).all()

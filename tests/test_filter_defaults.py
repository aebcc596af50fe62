"""The classic filters' defaults mean the same time span at any frame rate (a gait lab's 100 Hz
markers, Pose2Sim's 30-60 fps), and the paper's settings stay for the paper's comparison."""
import numpy as np
import pytest

import synsp
from synsp.filters import PAPER_SETTINGS, OneEuroFilter, butterworth, gaussian, one_euro, savgol, savgol_window


def gait(fps: float, seconds: float = 4.0, noise: float = 15.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(noisy, clean) (T, 4, 3) mm: a foot that stands still, then swings 0.6 m in 0.4 s (1 Hz steps)."""
    t = np.arange(int(seconds * fps)) / fps
    phase = t % 1.0
    swing = np.clip((phase - 0.6) / 0.4, 0.0, 1.0)
    forward = 600.0 * (np.floor(t) + swing * swing * (3 - 2 * swing))  # smooth step: still, then forward
    lift = 80.0 * np.sin(np.pi * swing)
    foot = np.stack([forward, lift, np.zeros_like(t)], axis=-1)
    clean = foot[:, None] + np.array([[0, 0, 0], [0, 450, 0], [0, 900, 100], [0, 1500, 0]], float)
    return clean + np.random.default_rng(seed).normal(0, noise, clean.shape), clean


def error(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b, axis=-1).mean())


def test_savgol_default_window_is_a_third_of_a_second():
    assert [savgol_window(f) for f in (10, 30, 60, 100)] == [5, 9, 19, 31]
    assert savgol_window(10, order=4) == 7  # odd, at least order + 2
    x, _ = gait(60)
    np.testing.assert_array_equal(savgol(x, fps=60), savgol(x, window=19, fps=60))


def test_savgol_default_improves_a_30_fps_gait_and_the_paper_keeps_31():
    """31 frames are a second at 30 fps: a standing foot's step was smeared further from the truth than the input."""
    x, clean = gait(30)
    assert error(synsp.refine(x, "savgol", fps=30), clean) < 0.8 * error(x, clean)
    assert PAPER_SETTINGS["savgol"] == {"window": 31, "order": 2}
    assert error(savgol(x, **PAPER_SETTINGS["savgol"]), clean) > error(x, clean)


def test_one_euro_default_improves_a_walk_in_the_lab_frame_in_any_unit():
    """1.2 Hz with 1 Hz per body size per second lagged a walk's markers far behind (34.6 mm against 23.8)."""
    x, clean = gait(30)
    out = synsp.refine(x, "one-euro", fps=30)
    assert error(out, clean) < 0.95 * error(x, clean)
    np.testing.assert_allclose(1000.0 * synsp.refine(x / 1000.0, "one-euro", fps=30), out, rtol=1e-4, atol=1e-2)
    paper = one_euro(x, fps=30, **PAPER_SETTINGS["one-euro"])
    np.testing.assert_array_equal(paper, one_euro(x, fps=30, min_cutoff=1.2, body_beta=1.0))
    assert error(paper, clean) > error(x, clean)


def test_one_euro_beta_per_body_size_is_one_line_errors():
    with pytest.raises(ValueError, match="not both"):
        one_euro(np.zeros((5, 2, 3)), beta=0.001, body_beta=10.0)
    with pytest.raises(ValueError, match="body_beta"):
        OneEuroFilter(body_beta=-1.0)


def test_butterworth_default_stays_below_nyquist_at_low_frame_rates():
    """6 Hz needs more than 12 fps: at 10 fps the default refused the input; now min(6, 0.4 x fps)."""
    x, clean = gait(10, seconds=6.0)
    out = synsp.refine(x, "butterworth", fps=10)
    np.testing.assert_array_equal(out, butterworth(x, cutoff=4.0, fps=10))
    assert error(out, clean) < error(x, clean)
    np.testing.assert_array_equal(butterworth(x, fps=30), butterworth(x, cutoff=6.0, fps=30))
    with pytest.raises(ValueError, match="cutoff"):  # a cut-off given is taken as given, or refused
        butterworth(x, cutoff=6.0, fps=10)


def test_gaussian_default_is_a_6_hz_cutoff_at_any_frame_rate_and_the_paper_keeps_3_frames():
    """Sigma 3 frames left a 30 fps Pose2Sim-like gait where it was (25.2 mm, input 25.4) and made 1.5 mm
    marker noise 21.0 mm; now a -3 dB frequency of min(6 Hz, 0.4 x fps), 30 fps when the rate is unknown."""
    for fps, hz in ((10, 4.0), (30, 6.0), (100, 6.0)):
        x, _ = gait(fps)
        np.testing.assert_array_equal(gaussian(x, fps=fps), gaussian(x, cutoff=hz, fps=fps))
    x, clean = gait(30)
    np.testing.assert_array_equal(gaussian(x), gaussian(x, cutoff=6.0, fps=30))
    assert error(synsp.refine(x, "gaussian", fps=30), clean) < 0.8 * error(x, clean)
    markers, truth = gait(30, noise=1.5)
    assert error(synsp.refine(markers, "gaussian", fps=30), truth) < 1.5 * error(markers, truth)
    assert PAPER_SETTINGS["gaussian"] == {"window": 31, "sigma": 3.0}
    assert error(gaussian(markers, **PAPER_SETTINGS["gaussian"]), truth) > 3 * error(markers, truth)


@pytest.mark.parametrize("route", ["refine", "tracks"])
def test_filters_fill_a_gap_along_the_bones_as_the_networks_do(route):
    """A wrist lost for 15 frames of a walk keeps to its elbow (as every network route fills it), not
    a straight line through space while the body walks on."""
    from synsp.refining.tracks import refine_tracks
    from walking import walking

    clean, _ = walking(90, noise=0.0)
    x = clean.copy()
    wrist = 9  # COCO-17 left wrist
    x[40:55, wrist] = np.nan
    if route == "refine":
        out = synsp.refine(x, "savgol", layout="coco17", fps=30)
    else:
        out = refine_tracks(x[None], "coco17", "savgol", fps=30).refined[0]
    gap = error(out[40:55, wrist], clean[40:55, wrist])
    line = error(savgol(x, fps=30)[40:55, wrist], clean[40:55, wrist])  # a plain per-coordinate fill
    assert gap < 0.5 * line


def _cli_input(tmp_path, fps: float = 100.0) -> tuple:
    x, _ = gait(fps, seconds=3.0)
    src = tmp_path / "gait.npz"
    np.savez(src, poses=x.astype(np.float32))
    return src, x.astype(np.float32)


@pytest.mark.parametrize("flags, expected", [
    (["--method", "savgol", "--window", "0.3s"], dict(method="savgol", window=31)),
    (["--method", "savgol", "--window", "11"], dict(method="savgol", window=11)),
    (["--method", "median", "--window", "0.05s"], dict(method="median", window=5)),
    (["--method", "butterworth", "--cutoff", "4"], dict(method="butterworth", cutoff=4.0)),
    (["--method", "gaussian", "--cutoff", "5"], dict(method="gaussian", cutoff=5.0)),
    (["--method", "one-euro", "--min-cutoff", "1", "--beta", "20"], dict(method="one-euro", min_cutoff=1.0,
                                                                       body_beta=20.0)),
])
def test_cli_filter_options(tmp_path, flags, expected):
    from synsp.cli import main

    src, x = _cli_input(tmp_path)
    out = tmp_path / "out.npz"
    assert main(["refine", str(src), str(out), "--fps", "100", *flags]) == 0
    method = expected.pop("method")
    np.testing.assert_allclose(np.load(out)["poses"], synsp.refine(x, method, fps=100, **expected), atol=1e-3)


@pytest.mark.parametrize("flags, needles", [
    (["--method", "savgol", "--cutoff", "6"], ["--cutoff is for butterworth and gaussian", "'savgol'"]),
    (["--window", "9"], ["--window is for savgol, gaussian, median, hampel", "'synsp'"]),
    (["--method", "one-euro", "--window", "9"], ["--window", "'one-euro'"]),
    (["--method", "butterworth", "--beta", "5"], ["--beta is for one-euro", "'butterworth'"]),
    (["--method", "savgol", "--window", "8"], ["--window must be an odd number of frames", "'8'"]),
    (["--method", "savgol", "--window", "0s"], ["--window in seconds must be > 0"]),
    (["--method", "savgol", "--window", "wide"], ["--window must be frames"]),
    (["--method", "butterworth", "--cutoff", "0"], ["--cutoff must be a number (Hz, > 0)"]),
    (["--method", "butterworth", "--cutoff", "60"], ["cutoff must be in (0, fps / 2 = 50)"]),
    (["--method", "one-euro", "--beta", "-1"], ["--beta must be a number", ">= 0"]),
    (["--method", "one-euro", "--min-cutoff", "nan"], ["--min-cutoff must be a number"]),
])
def test_cli_filter_options_bad_values_are_one_line(tmp_path, capsys, flags, needles):
    from synsp.cli import main

    src, _ = _cli_input(tmp_path)
    out = tmp_path / "out.npz"
    assert main(["refine", str(src), str(out), "--fps", "100", *flags]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and all(n in err for n in needles), err
    assert not out.exists()


@pytest.mark.parametrize("window", ["inf", "nan", "4", "x", "-1s"])
def test_a_window_that_is_no_odd_count_of_frames_is_an_option_error(window):
    from synsp.errors import OptionError
    from synsp.filter_options import window_frames

    with pytest.raises(OptionError, match="--window"):
        window_frames(window, 30.0)

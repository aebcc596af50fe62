"""Input whose errors are only noise: each joint SynSP's output or a low-pass, whichever Stein's unbiased risk
estimate shows nearer (synsp.inference.noise_only, on SynSP's route in synsp.refining.person)."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.inference import noise_only
from synsp.inference.noise_only import nearer_of, noise_only_share
from walking import mpjpe


def _smooth_clip(n_frames: int = 200) -> np.ndarray:
    """(T, 5, 3) mm: slow sinusoids, a different one per joint and coordinate."""
    t = np.arange(n_frames)[:, None, None] / 30.0
    phase = np.arange(15).reshape(1, 5, 3)
    return 100.0 * np.sin(2 * np.pi * 0.5 * t + phase) + 10.0 * phase


def test_a_route_that_pulls_gives_way_to_a_lowpass_and_one_nearer_is_kept():
    clean = _smooth_clip()
    noisy = clean + np.random.default_rng(0).normal(0.0, 1.0, clean.shape)
    pull = np.zeros_like(clean)
    pull[..., 0] = 3.0  # a network's constant pull of 3 mm, larger than the noise
    out, moved = nearer_of(noisy, lambda v: clean + pull, np.array(1.0))
    assert mpjpe(out, clean) < 0.5 * mpjpe(noisy, clean) < 3.0 and moved.all()  # the low-pass, not the pull
    out, moved = nearer_of(noisy, lambda v: clean.copy(), np.array(1.0))
    assert np.array_equal(out, clean) and not moved.any()  # the truth: kept
    out, moved = nearer_of(noisy, lambda v: clean + pull, np.array(0.0))
    assert np.array_equal(out, clean + pull) and not moved.any()  # share 0: the route


def test_several_people_each_take_their_own_share():
    clean = np.stack([_smooth_clip(), _smooth_clip() + 500.0])
    noisy = clean + np.random.default_rng(1).normal(0.0, 1.0, clean.shape)
    pull = np.zeros_like(clean)
    pull[..., 1] = 3.0
    out, moved = nearer_of(noisy, lambda v: clean + pull, np.array([1.0, 0.0]))
    assert mpjpe(out[0], clean[0]) < 1.0 and np.array_equal(out[1], clean[1] + pull[1])
    assert moved[0].all() and not moved[1].any()


@needs_data
def test_white_noise_reads_as_noise_only_and_an_estimators_errors_do_not():
    from synsp.evaluation.protocol import make_cases

    clean = make_cases("val", "none", layout="h36m17", space="3d", max_clips=1)[0].clean.astype(np.float64)
    noisy = clean + np.random.default_rng(0).normal(0.0, 1.0, clean.shape)
    assert noise_only_share(noisy, "h36m17", fps=30) == 1.0
    typical = make_cases("val", "typical", layout="h36m17", space="3d", max_clips=1)[0].noisy
    assert noise_only_share(typical, "h36m17", fps=30) == 0.0


@needs_data
def test_errors_drawn_at_30_fps_and_resampled_to_120_read_at_the_networks_rate():
    """An estimator's 30 fps errors resampled with the poses to 120 fps, plus 5 mm of white noise per frame: read at
    120 fps the top band holds the white noise alone (the share was 1.0: SynSP's correction given up to a low-pass);
    read at 30 fps, as the network sees them, they are no light noise. White noise at 120 fps still reads so."""
    from scipy.interpolate import CubicSpline

    from synsp.evaluation.protocol import make_cases

    case = make_cases("val", "typical", layout="h36m17", space="3d", max_clips=8)[7]
    t, rng = np.arange(len(case.clean)) / 30.0, np.random.default_rng(0)
    up = lambda x: CubicSpline(t, np.asarray(x, np.float64), axis=0)(np.arange(0.0, t[-1] + 1e-9, 1 / 120))  # noqa: E731
    clean = up(case.clean)
    noisy = up(case.noisy) + rng.normal(0.0, 5.0, clean.shape)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(noise_only, "READ_AT_FROM", np.inf)  # read at the input's rate, as before
        assert noise_only_share(noisy, "h36m17", fps=120) > 0.9
    assert noise_only_share(noisy, "h36m17", fps=120) < 0.5
    assert noise_only_share(clean + rng.normal(0.0, 1.0, clean.shape), "h36m17", fps=120) > 0.9
    both = np.stack([noisy, clean + rng.normal(0.0, 1.0, clean.shape)])  # each person read on its own
    assert noise_only_share(both, "h36m17", fps=120).shape == (2,)
    short = noisy[:40]  # 10 frames at 30 fps: read at its own rate
    assert noise_only_share(short, "h36m17", fps=120) == noise_only_share(short, "h36m17", fps=30)


@needs_data
@pytest.mark.parametrize("layout, space, clip, before", [("h36m17", "3d", 2, 0.55), ("halpe26", "3d", 2, 0.55),
                                                         ("coco17", "2d", 1, 0.4)])
def test_light_white_noise_comes_out_better_than_it_went_in(layout, space, clip, before, monkeypatch):
    """``dataset-1_bye_tired_001`` (validation), 1 mm of white noise at 30 fps: without the step the default kept
    the network's pull (h36m17 1.77 mm, 1.04 since the windows turn to the body's heading, HALPE-26 0.92 from an
    input of 1.59); with it 0.76 and 0.77. 2D,
    ``dataset-1_bye_not-confident_001`` with 1 px: 0.53 -> 0.39 px from 1.26."""
    from synsp.evaluation.protocol import make_cases

    clean = make_cases("val", "none", layout=layout, space=space, max_clips=clip + 1)[clip].clean.astype(np.float64)
    noisy = (clean + np.random.default_rng(0).normal(0.0, 1.0, clean.shape)).astype(np.float32)
    out = synsp.refine(noisy, layout=layout, fps=30)
    assert mpjpe(out, clean) < 0.5 * mpjpe(noisy, clean)
    monkeypatch.setattr(noise_only, "SPACES", ())
    assert mpjpe(synsp.refine(noisy, layout=layout, fps=30), clean) > before * mpjpe(noisy, clean)


@needs_data
def test_an_estimators_errors_and_missing_joints_keep_the_route():
    from synsp.evaluation.protocol import make_cases

    case = make_cases("val", "typical", layout="h36m17", space="3d", max_clips=1)[0]
    noisy = case.noisy.astype(np.float32)
    noisy[40:50, 9] = np.nan  # a lost wrist: filled for the reading, refined by the route
    out = synsp.refine(noisy, fps=30)
    assert np.isfinite(out[np.isfinite(noisy)]).all()
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(noise_only, "SPACES", ())
        assert np.array_equal(synsp.refine(noisy, fps=30), out, equal_nan=True)


@needs_data
def test_refine_says_where_the_input_read_as_light_noise_only(tmp_path):
    from synsp.evaluation.protocol import make_cases
    from synsp.refining.files import refine_file

    clean = make_cases("val", "none", layout="h36m17", space="3d", max_clips=3)[2].clean.astype(np.float64)
    src, dst = tmp_path / "markers.npy", tmp_path / "refined.npy"
    np.save(src, (clean + np.random.default_rng(0).normal(0.0, 1.0, clean.shape)).astype(np.float32))
    summary = refine_file(src, dst, fps=30)
    said = [note for note in summary.notes if note.startswith("light noise only")]
    assert len(said) == 1 and "joints taken 100% of the way to a low-pass" in said[0], summary.notes
    assert mpjpe(np.load(dst), clean) < 0.5 * mpjpe(np.load(src), clean)
    typical = make_cases("val", "typical", layout="h36m17", space="3d", max_clips=1)[0].noisy
    np.save(src, typical.astype(np.float32))
    assert not any(n.startswith("light noise only") for n in refine_file(src, dst, fps=30, force=True).notes)


@needs_data
def test_a_2d_walk_whose_joints_read_coloured_reads_as_noise_only_by_its_bones_lengths(monkeypatch):
    """``dataset-1_walk-right_tired_001`` (validation) with 0.5 px of white noise: its joints' own motion reads as
    colour (whiteness 1.75), its bones' lengths read white (0.89). Before, the route's pull was kept: 0.751 px from
    an input of 0.627; now 0.485. The simulator's `jitter` on the same clip still reads coloured by both."""
    from synsp.evaluation.protocol import make_cases
    from synsp.inference.white_noise import WHITE_RAMP, whiteness

    clean = make_cases("val", "none", layout="coco17", space="2d", max_clips=15)[14].clean.astype(np.float64)
    noisy = (clean + np.random.default_rng(14).normal(0.0, 0.5, clean.shape)).astype(np.float32)
    assert whiteness(noisy.astype(np.float64)) > WHITE_RAMP[1] and noise_only_share(noisy, "coco17", fps=30) == 1.0
    now = mpjpe(synsp.refine(noisy, layout="coco17", fps=30), clean)
    assert now < 0.85 * mpjpe(noisy, clean)
    monkeypatch.setattr(noise_only, "length_whiteness",
                        lambda values, layout, rounding=None: np.full(np.shape(values)[:-3], 9.0))
    # the old reading: above its input before the camera-pan step (inference.camera_pan) gave back the mean track
    # the route pulled (0.543 px now), still 1.1 x the reading by the bones' lengths
    assert mpjpe(synsp.refine(noisy, layout="coco17", fps=30), clean) > 1.1 * now
    jitter = make_cases("val", "jitter", layout="coco17", space="2d", max_clips=15)[14].noisy
    assert noise_only_share(jitter, "coco17", fps=30) == 0.0

"""A layout's joints beyond the model's (feet, head top) under light white noise: the low-pass of least
estimated risk where the input's noise reads white (synsp.inference.risk_choice.lowpass_where_white)."""
from __future__ import annotations

import numpy as np

import synsp
from conftest import needs_data
from synsp.inference.risk_choice import RISK_FRAMES, lowpass_where_white
from synsp.skeleton import get_layout
from test_white_noise import _ar1
from walking import mpjpe, walking


def test_white_noise_is_low_passed_and_an_estimators_jitter_is_left_alone():
    clean, white = walking(240, noise=1.0)
    refined = white.copy()  # a refiner that removed nothing
    out = lowpass_where_white(white, refined, [15, 16])
    assert mpjpe(out[:, 15:], clean[:, 15:]) < 0.6 * mpjpe(white[:, 15:], clean[:, 15:])
    np.testing.assert_array_equal(out[:, :15], refined[:, :15])  # only the joints named
    correlated = clean + _ar1(clean.shape, 0.6, seed=1)  # the simulator's jitter: no white noise
    assert lowpass_where_white(correlated, correlated, [15, 16]) is correlated
    short = white[:RISK_FRAMES - 1]
    assert lowpass_where_white(short, short, [15, 16]) is short


@needs_data
def test_a_halpe26_walk_with_3_mm_of_white_noise_at_100_hz_has_its_feet_refined_below_their_input():
    """``dataset-1_walk-left_angry_001`` (validation) in HALPE-26 at 100 Hz, 3 mm of white noise (a
    Pose2Sim C3D's): the toes and heels came out at 7.96 mm from an input of 4.78 before (SmoothNet plus
    the ankle's correction), 2.25 now (a 6 Hz Butterworth 3.23)."""
    from scipy.interpolate import CubicSpline

    from synsp.data.mocap import load_clip

    clean = load_clip("dataset-1_walk-left_angry_001", "halpe26").astype(np.float64)
    t = np.arange(len(clean)) / 30.0
    clean = CubicSpline(t, clean, axis=0)(np.arange(0.0, t[-1], 0.01))
    noisy = clean + np.random.default_rng(0).normal(0.0, 3.0, clean.shape)
    feet = [j for j, name in enumerate(get_layout("halpe26").joints) if "toe" in name or "heel" in name]
    out = synsp.refine(noisy, layout="halpe26", fps=100)
    assert mpjpe(out[:, feet], clean[:, feet]) < 0.6 * mpjpe(noisy[:, feet], clean[:, feet])


def test_joints_beyond_the_model_move_with_the_bodys_refined_path_when_it_drifts():
    """A whole body drifting fast in part (a monocular depth's drift): the model's joints follow it, a low-pass
    of the other joints' absolute values lagged it and pulled the body apart (audit 15); tried relative to the
    refined path too, they follow it, and on a still body the choice is as before."""
    clean, white = walking(240, noise=1.0)
    drift = np.cumsum(np.random.default_rng(3).normal(0.0, 0.8, (len(clean), 1, clean.shape[-1])), axis=0)
    anchors = list(range(15))
    refined = clean + drift  # a model that followed the path and removed the noise of its joints
    out = lowpass_where_white(white + drift, refined, [15, 16], anchors=anchors)
    absolute = lowpass_where_white(white + drift, refined, [15, 16])
    moved, truth = out[:, 15:] - drift, clean[:, 15:]
    assert mpjpe(moved, truth) < 0.6 * mpjpe(white[:, 15:], truth)
    assert mpjpe(moved, truth) < 0.6 * mpjpe(absolute[:, 15:] - drift, truth)
    still = lowpass_where_white(white, clean, [15, 16], anchors=anchors)
    assert mpjpe(still[:, 15:], truth) <= 1.05 * mpjpe(lowpass_where_white(white, clean, [15, 16])[:, 15:], truth)

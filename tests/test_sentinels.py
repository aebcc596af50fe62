"""Sentinels other than (0, 0) written for a joint not found: (-1, -1), (9999, 9999), (-1, -1, -1)."""
import numpy as np
import pytest

import synsp
from synsp.cli import main
from synsp.sentinels import sentinel_points
from synsp.sequence import not_found


def _body(n_coords=2, frames=90, seed=0, offset=700.0, scale=100.0):
    """(T, 17, C) a moving body: pixels far from the corner (2D), or root-relative millimetres (3D, offset 0)."""
    rng = np.random.default_rng(seed)
    t = np.arange(frames)[:, None, None]
    return offset + scale * rng.normal(size=(1, 17, n_coords)) + 0.2 * scale * np.sin(t / 9.0 + rng.uniform(
        0, 6, (1, 17, n_coords)))


@pytest.mark.parametrize("value", [-1.0, 9999.0, -9999.0])
def test_a_recurring_constant_off_the_body_is_not_found(value):
    """(-1, -1) (the lightweight OpenPose demo's "not found") and far constants were refined as
    measurements: the wrist dragged to the corner, its neighbours in time with it (audit7 #1)."""
    truth = _body()
    x = truth.copy()
    lost = np.zeros(x.shape[:-1], bool)
    lost[[5, 17, 40], 9] = lost[30:50, 10] = lost[[8, 60], 15] = True
    x[lost] = value
    assert (not_found(x) == lost).all()
    out = synsp.refine(x, "savgol")
    assert np.abs(out[lost] - truth[lost]).max() < 60  # filled near the truth, not pulled to the constant
    assert np.abs(out[~lost] - truth[~lost]).max() < 30


def test_a_joint_at_a_diagonal_value_on_its_own_track_is_kept():
    """Integer pixels: a joint held still at (500, 500) repeats that exact point; it lies on its own
    track, so it is a measurement. One (-1, -1) alone is a glitch for the steps that catch glitches."""
    x = np.round(_body(offset=500.0))
    x[10:14, 3] = 500.0  # held where the joint is (its neighbours within a step)
    x[9, 3] = x[14, 3] = [501.0, 499.0]
    assert not not_found(x).any()
    x[20, 5] = -1.0  # once: no recurring value
    assert not not_found(x).any()


@pytest.mark.parametrize("unit", [1.0, 0.001])
def test_3d_sentinels_in_millimetres_and_metres(unit):
    """(-1, -1, -1) for a lost joint of root-relative poses in mm (1 mm from the root, inside the
    body's box: only its own track tells it) and in metres; the root at (0, 0, 0) stays a point."""
    x = _body(3, offset=0.0, scale=300.0) * unit
    x[:, 0] = 0.0  # the root
    lost = np.zeros(x.shape[:-1], bool)
    lost[[4, 22, 23, 50], 11] = lost[[7, 70], 16] = True
    x[lost] = -1.0
    assert (not_found(x) == lost).all()
    assert not sentinel_points(x[~lost.any(-1)]).any()


def test_the_summary_names_the_sentinel_and_the_file_keeps_it(tmp_path, capsys):
    poses = _body()
    poses[[5, 6], 9] = poses[40:45, 9] = 9999.0
    src, dst = tmp_path / "big.npy", tmp_path / "out.npy"
    np.save(src, poses.astype(np.float32))
    assert main(["refine", str(src), str(dst), "--method", "savgol", "--max-gap", "2"]) == 0
    assert "missing: 7 joint values at exactly (9999, 9999) read as not found" in capsys.readouterr().out
    out = np.load(dst)
    # beyond --max-gap: not filled, written back as it came (not as 0); the short gap filled near the joint
    assert (out[40:45, 9] == 9999.0).all() and (np.abs(out[5:7, 9] - poses[4, 9]) < 100).all()

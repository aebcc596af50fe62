"""C3D through the c3d package: labels to layouts, units, residual < 0 = missing, written back; the extra's error."""
from __future__ import annotations

import builtins
from pathlib import Path

import numpy as np
import pytest

from synsp.cli import main
from synsp.formats import detect_format, read_poses, write_poses

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
C3D = FIXTURES / "pose2sim_halpe26.c3d"
TRC = FIXTURES / "pose2sim_halpe26.trc"


def test_pose2sim_c3d_reads_like_its_trc():
    assert detect_format(C3D) == "c3d"
    data, trc = read_poses(C3D), read_poses(TRC)
    assert data.layout == "halpe26" and data.fps == 30.0 and data.extra["c3d"]["units"] == "mm"
    markers = data.extra["c3d"]["columns"]  # (the eyes and ears are placed, not in the file)
    assert data.extra["c3d"]["markers"] == trc.extra["trc"]["markers"] and markers == trc.extra["trc"]["columns"]
    diff = np.abs(data.poses[0][:, markers] - trc.poses[0][:, markers])
    assert np.nanmax(diff) < 1.0 + 1e-3  # Pose2Sim stores whole millimetres


def test_round_trip_units_and_missing_points(tmp_path):
    trc = read_poses(TRC)  # metres, with a 3-frame gap at the left wrist
    write_poses(tmp_path / "a.c3d", trc)
    back = read_poses(tmp_path / "a.c3d")
    assert back.extra["c3d"]["units"] == "m" and back.extra["c3d"]["markers"] == trc.extra["trc"]["markers"]
    assert np.array_equal(np.isnan(back.poses), np.isnan(trc.poses))  # the gap is written as invalid (residual -1)
    assert np.nanmax(np.abs(back.poses - trc.poses)) < 1e-3
    write_poses(tmp_path / "b.c3d", back)
    assert np.array_equal(read_poses(tmp_path / "b.c3d").poses, back.poses, equal_nan=True)


def test_refine_c3d(tmp_path):
    assert main(["refine", str(C3D), str(tmp_path / "out.c3d"), "--method", "butterworth"]) == 0
    out = read_poses(tmp_path / "out.c3d")
    assert out.poses.shape == (1, 60, 26, 3) and out.extra["c3d"]["markers"] == read_poses(C3D).extra["c3d"]["markers"]


def test_without_the_package_one_line_error(tmp_path, monkeypatch):
    real_import = builtins.__import__

    def fake_import(name, *args, **kwargs):
        if name == "c3d":
            raise ImportError("no c3d")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ValueError, match=r"pip install synsp\[c3d\]"):
        read_poses(C3D)


def test_analog_channels_are_carried_through_refinement(tmp_path):
    """Force-plate channels of a trial survive `synsp refine` unchanged (labels, rate, units, values)."""
    data = read_poses(C3D)
    rng = np.random.default_rng(0)
    values = rng.normal(0, 100, (data.poses.shape[1], 3, 10)).astype(np.float32)  # 10 samples per frame
    data.extra["c3d"]["analog"] = {"rate": 300.0, "labels": ["Fx1", "Fy1", "Fz1"], "units": ["N", "N", "N"],
                                   "values": values}
    write_poses(tmp_path / "trial.c3d", data)
    assert main(["refine", str(tmp_path / "trial.c3d"), str(tmp_path / "out.c3d"), "--method", "savgol"]) == 0
    for path in (tmp_path / "trial.c3d", tmp_path / "out.c3d"):
        analog = read_poses(path).extra["c3d"]["analog"]
        assert analog["labels"] == ["Fx1", "Fy1", "Fz1"] and analog["rate"] == 300.0 and analog["units"] == ["N"] * 3
        np.testing.assert_allclose(analog["values"], values, rtol=1e-6)
    assert read_poses(C3D).extra["c3d"]["analog"] is None  # a file without analog channels

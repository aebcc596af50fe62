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


@pytest.mark.parametrize("units, mm", [("ft", 304.8), ("dm", 100.0), ("in", 25.4), ("M", 1000.0)])
def test_point_units_other_than_mm_read_and_written_back(tmp_path, units, mm):
    """POINT:UNITS ft or dm was refused ("not understood; expected m, cm, mm or in"); each unit is read into mm
    and refined values go back in it, spelt as the file spelt it."""
    import c3d

    values = np.random.default_rng(3).normal(5, 1, (12, 3, 3)).astype(np.float32)  # a few of the unit
    writer = c3d.Writer(point_rate=30.0, point_units=units.ljust(4))
    writer.set_point_labels(["C7", "RASI", "LASI"])
    points = np.zeros((12, 3, 5), np.float32)
    points[..., :3] = values
    writer.add_frames([(frame, np.zeros((0, 0), np.float32)) for frame in points])
    with open(tmp_path / "lab.c3d", "wb") as handle:
        writer.write(handle)
    data = read_poses(tmp_path / "lab.c3d")
    np.testing.assert_allclose(data.poses[0], values * mm, rtol=1e-5)
    assert main(["refine", str(tmp_path / "lab.c3d"), str(tmp_path / "out.c3d"), "--method", "savgol"]) == 0
    out = read_poses(tmp_path / "out.c3d")
    assert out.extra["c3d"]["unit_text"] == units and out.extra["c3d"]["units"] == units.lower()
    assert np.abs(out.poses[0] - data.poses[0]).max() < 2 * mm  # refined values in mm, not x or / the unit


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


def _lab_trial(path: Path) -> None:
    """A lab's C3D: 5 markers measured with residual 1 by cameras 1 and 4 (mask 9), one of them
    invalid for frames 10-14, and the force plate and event groups its system writes."""
    import c3d

    rng = np.random.default_rng(0)
    points = np.zeros((40, 5, 5), np.float32)
    points[..., :3] = 500 + np.cumsum(rng.normal(0, 3, (40, 5, 3)), axis=0) + np.arange(5)[:, None] * 100
    points[..., 3], points[..., 4] = 1.0, 9
    points[10:15, 2, :] = [0, 0, 0, -1, 0]
    writer = c3d.Writer(point_rate=30.0, point_scale=-1.0, point_units="mm  ")
    writer.set_point_labels([f"M{k}" for k in range(5)])
    plate = writer.add_group(5, "FORCE_PLATFORM", "force plates")
    plate.add_param("USED", desc="plates", bytes_per_element=2, dimensions=[], bytes=np.int16(1).tobytes())
    plate.add_param("CORNERS", desc="corners", bytes_per_element=4, dimensions=[3, 4, 1],
                    bytes=np.arange(12, dtype=np.float32).tobytes())
    event = writer.add_group(6, "EVENT", "events")
    event.add_param("TIMES", desc="times", bytes_per_element=4, dimensions=[2, 2],
                    bytes=np.array([0, 0.5, 0, 0.9], np.float32).tobytes())
    writer.add_frames([(points[t], np.zeros((0, 0), np.float32)) for t in range(40)])
    with open(path, "wb") as handle:
        writer.write(handle)


def test_a_refined_trial_keeps_its_parameters_and_marks_filled_points_modelled(tmp_path):
    import c3d

    _lab_trial(tmp_path / "trial.c3d")
    assert main(["refine", str(tmp_path / "trial.c3d"), str(tmp_path / "out.c3d"), "--method", "savgol"]) == 0

    def params(path):  # {group: {param: (dimensions, bytes)}} and the (T, M, 5) points
        with open(path, "rb") as handle:
            reader = c3d.Reader(handle)
            groups = {name: {p: (list(v.dimensions), bytes(v.bytes)) for p, v in group.param_items()}
                      for name, group in reader.group_items()}
            return groups, np.stack([p for _, p, _ in reader.read_frames(copy=True)])

    (before, _), (after, points_out) = params(tmp_path / "trial.c3d"), params(tmp_path / "out.c3d")
    assert after["FORCE_PLATFORM"] == before["FORCE_PLATFORM"] and after["EVENT"] == before["EVENT"]
    gap = np.zeros((40, 5), bool)
    gap[10:15, 2] = True
    assert (points_out[gap][:, 3:] == 0).all()  # filled: residual 0 (C3D's modelled), no camera saw it
    assert (points_out[~gap][:, 3] == 1.0).all() and (points_out[~gap][:, 4] == 9).all()  # measured: as given
    assert np.array_equal(read_poses(tmp_path / "out.c3d").filled[0], gap)  # and read back as filled


def test_model_outputs_pass_through_untouched(tmp_path, capsys):
    """Plug-in Gait's outputs stored as points (POINT:ANGLES, ...: degrees, residual 0) are no markers:
    not refined, not counted among the joints, written back exactly as they came, and said so."""
    import c3d

    rng = np.random.default_rng(1)
    markers = np.zeros((40, 3, 5), np.float32)
    markers[..., :3] = 500 + np.cumsum(rng.normal(0, 3, (40, 3, 3)), axis=0)
    markers[..., 3], markers[..., 4] = 1.0, 9
    angles = np.zeros((40, 2, 5), np.float32)  # knee flexion swinging 0-60 degrees, modelled: residual 0
    angles[..., 0] = 30 + 30 * np.sin(np.arange(40) / 3)[:, None] + rng.normal(0, 2, (40, 2))
    angles[..., 1], angles[..., 2] = 2.0, -5.0
    points = np.concatenate([markers[:, :1], angles[:, :1], markers[:, 1:], angles[:, 1:]], axis=1)
    labels = ["M0", "LKneeAngles", "M1", "M2", "RKneeAngles"]
    writer = c3d.Writer(point_rate=100.0, point_scale=-0.1, point_units="mm  ")
    writer.set_point_labels(labels)
    writer.get("POINT").add_str("ANGLES", "angle outputs", "LKneeAnglesRKneeAngles", 11, 2)
    writer.add_frames([(points[t], np.zeros((0, 0), np.float32)) for t in range(40)])
    with open(tmp_path / "trial.c3d", "wb") as handle:
        writer.write(handle)

    data = read_poses(tmp_path / "trial.c3d")
    assert data.poses.shape == (1, 40, 3, 3) and data.extra["c3d"]["markers"] == ["M0", "M1", "M2"]
    assert data.filled is None  # the outputs' residual 0 does not make the markers' values "modelled"
    assert main(["refine", str(tmp_path / "trial.c3d"), str(tmp_path / "out.c3d"), "--method", "savgol"]) == 0
    assert "2 model outputs (POINT:ANGLES: LKneeAngles, RKneeAngles)" in capsys.readouterr().out
    with open(tmp_path / "out.c3d", "rb") as handle:
        reader = c3d.Reader(handle)
        assert [label.strip() for label in reader.point_labels] == labels
        out = np.stack([p for _, p, _ in reader.read_frames(copy=True)])
    np.testing.assert_array_equal(out[:, [1, 4]], points[:, [1, 4]])  # values, residual 0, no cameras: as they came
    assert not np.array_equal(out[:, [0, 2, 3], :3], points[:, [0, 2, 3], :3])  # the markers were refined

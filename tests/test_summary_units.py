"""The figures ``synsp refine`` prints are in the file's own unit, or say which unit they assumed."""
from __future__ import annotations

import dataclasses
from pathlib import Path

import numpy as np

from synsp.formats import read_poses, write_poses
from synsp.refining.files import refine_file

ANIPOSE = Path(__file__).parent / "fixtures" / "formats" / "anipose_pose-3d.csv"


def _moved(a: np.ndarray, b: np.ndarray) -> float:
    d = np.linalg.norm(a - b, axis=-1)
    return float(np.nanmean(d))


def test_anipose_mouse_in_mm_is_summed_up_in_mm(tmp_path):
    # a mouse-sized body (about 9 cm) in millimetres, as anipose writes it: no person's size to guess a unit from
    data = read_poses(ANIPOSE)
    small = dataclasses.replace(data, poses=data.poses / 20, extra=dict(data.extra, anipose=None))
    write_poses(tmp_path / "mouse.csv", small, format="anipose")
    summary = refine_file(tmp_path / "mouse.csv", tmp_path / "out.csv", method="savgol")
    before, after = read_poses(tmp_path / "mouse.csv").poses, read_poses(tmp_path / "out.csv").poses
    assert summary.unit == "mm"
    assert abs(summary.displacement - _moved(after, before)) < 1e-3 * _moved(after, before)


def test_3d_array_of_no_known_layout_is_summed_up_in_its_own_unit(tmp_path):
    data = read_poses(ANIPOSE)
    np.save(tmp_path / "mouse.npy", data.poses[0, :, :5] / 20)  # five joints of no layout: no body to tell a unit by
    summary = refine_file(tmp_path / "mouse.npy", tmp_path / "out.npy", method="savgol", space="3d")
    moved = _moved(np.load(tmp_path / "out.npy"), np.load(tmp_path / "mouse.npy"))
    assert abs(summary.displacement - moved) < 1e-3 * moved
    assert "file's unit" in str(summary)


def test_3d_person_in_metres_says_it_was_read_as_metres(tmp_path):
    data = read_poses(ANIPOSE)
    metres = np.full((len(data.poses[0]), 17, 3), np.nan)
    metres[:, :7] = data.poses[0] / 1000  # nose, shoulders, ... of COCO-17: a person in metres
    metres[:, 7:] = metres[:, 6:7] + np.linspace(0.1, 1.0, 10)[None, :, None]
    np.save(tmp_path / "person.npy", metres)
    summary = refine_file(tmp_path / "person.npy", tmp_path / "out.npy", method="savgol", space="3d",
                          layout="coco17")
    assert summary.unit == "mm" and "read as metres" in str(summary)
    moved = _moved(np.load(tmp_path / "out.npy"), metres) * 1000
    assert abs(summary.displacement - moved) < 1e-3 * moved

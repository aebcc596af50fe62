"""A refined .npz refined again: the values its mask says an earlier pass filled (scored 0, so missing to this
pass) are said to be that pass's, not counted as this run's fills or gaps, and a file carrying synsp's mask of filled
values is said to read as refined already (audit 22, finding 6); no such line on a first pass or on clean mocap."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from conftest import needs_data
from synsp.formats import PoseData, read_poses, write_poses
from synsp.refining.files import refine_file

C3D = Path(__file__).parent / "fixtures" / "formats" / "pose2sim_halpe26.c3d"


def test_second_pass_says_the_earlier_pass_filled(tmp_path):
    rng = np.random.default_rng(0)
    t = np.arange(90)[:, None, None]
    poses = 300.0 + 100.0 * np.sin(t / 9.0 + rng.uniform(0, 6, (1, 17, 2))) + rng.normal(0, 2.0, (90, 17, 2))
    scores = np.ones((90, 17))
    scores[30:50, 0] = 0.0  # the nose not found for 20 frames (0.67 s): filled, a long gap
    write_poses(tmp_path / "in.npz", PoseData(poses=poses[None], scores=scores[None], layout="coco17", fps=30.0))
    first = refine_file(tmp_path / "in.npz", tmp_path / "once.npz", method="savgol")
    assert first.filled == 20 and any("invented" in line for line in first.gaps)
    assert read_poses(tmp_path / "once.npz").filled[0, 30:50, 0].all()
    second = refine_file(tmp_path / "once.npz", tmp_path / "twice.npz", method="savgol")
    assert second.filled == 0 and not any("invented" in line or "longest" in line for line in second.gaps)
    assert "already refined" not in str(first)
    assert "already refined: the file carries the mask of filled values that synsp refine writes" in str(second)
    assert "the 20 joint values that pass filled (the file's mask) were filled again here" in str(second)
    assert read_poses(tmp_path / "twice.npz").filled[0, 30:50, 0].all()  # the mask still says so


def test_a_refined_csv_reads_as_refined_and_a_first_pass_does_not(tmp_path):
    rng = np.random.default_rng(1)
    t = np.arange(60)[:, None, None]
    poses = 300.0 + 100.0 * np.sin(t / 9.0 + rng.uniform(0, 6, (1, 17, 2))) + rng.normal(0, 2.0, (60, 17, 2))
    write_poses(tmp_path / "in.csv", PoseData(poses=poses[None], layout="coco17", fps=30.0))
    first = str(refine_file(tmp_path / "in.csv", tmp_path / "once.csv", method="butterworth"))
    second = str(refine_file(tmp_path / "once.csv", tmp_path / "twice.csv", method="butterworth"))
    assert "already refined" not in first and "filled by an earlier pass" not in first
    assert "already refined:" in second and "filled again" not in second  # nothing was filled: no count to give


def test_a_c3d_s_modelled_points_are_no_earlier_refinement(tmp_path):
    """A C3D's mask is its own (points the mocap system modelled, 240 in the fixture): clean mocap, not refined."""
    assert read_poses(C3D).filled.sum() == 240
    text = str(refine_file(C3D, tmp_path / "out.c3d", method="butterworth"))
    assert "already refined" not in text


@needs_data
def test_clean_mocap_does_not_read_as_refined(tmp_path):
    from synsp.evaluation.protocol import make_cases

    for k, case in enumerate(make_cases("val", "none", max_clips=3)):
        write_poses(tmp_path / f"clean{k}.npz", PoseData(poses=case.clean[None], layout="h36m17", fps=30.0))
        assert "already refined" not in str(refine_file(tmp_path / f"clean{k}.npz", tmp_path / f"out{k}.npz"))

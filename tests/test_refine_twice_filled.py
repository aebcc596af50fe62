"""A refined .npz refined again: the values its mask says an earlier pass filled (scored 0, so missing to this
pass) are said to be that pass's, not counted as this run's fills or gaps (audit 22, finding 6)."""
from __future__ import annotations

import numpy as np

from synsp.formats import PoseData, read_poses, write_poses
from synsp.refining.files import refine_file


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
    assert "20 joint values were filled by an earlier pass" in str(second)
    assert read_poses(tmp_path / "twice.npz").filled[0, 30:50, 0].all()  # the mask still says so

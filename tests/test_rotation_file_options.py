"""A BVH of a rig's own joint names (Mixamo's ``mixamorig:`` prefix): ``synsp refine``'s filter
settings on its rotations, as ``refine_motion`` takes them, and ``synsp plot --joints`` by its names."""
from __future__ import annotations

import numpy as np
import pytest

from synsp.cli import main
from synsp.errors import OptionError
from synsp.formats.bvh import read_bvh, read_motion
from synsp.refining.motion import refine_motion

NAMES = ("mixamorig:Hips", "mixamorig:Spine", "mixamorig:Shoulder_L", "mixamorig:Hand_L", "mixamorig:Hand_R")
PARENTS = (-1, 0, 1, 2, 1)


def _bvh(path, frames: int = 90, seed: int = 0) -> None:
    """A 5-joint BVH in cm at 30 fps, each joint turning slowly, with 3 degrees of jitter."""
    rng = np.random.default_rng(seed)
    lines = ["HIERARCHY"]
    depth = {}
    for j, (name, parent) in enumerate(zip(NAMES, PARENTS)):
        depth[j] = 0 if parent < 0 else depth[parent] + 1
        while len(lines) > 1 and lines[-1].strip() != "{" and _open(lines) > depth[j]:
            lines.append("  " * (_open(lines) - 1) + "}")
        pad = "  " * depth[j]
        lines += [f"{pad}{'ROOT' if parent < 0 else 'JOINT'} {name}", f"{pad}{{",
                  f"{pad}  OFFSET 0 {0 if parent < 0 else 10} 0",
                  f"{pad}  CHANNELS " + ("6 Xposition Yposition Zposition " if parent < 0 else "3 ")
                  + "Zrotation Xrotation Yrotation"]
    while _open(lines):
        lines.append("  " * (_open(lines) - 1) + "}")
    t = np.arange(frames)[:, None] / 30.0
    angles = 20 * np.sin(2 * np.pi * 0.7 * t + rng.uniform(0, 6, (1, 3 * len(NAMES))))
    angles += rng.normal(0, 3.0, angles.shape)
    root = np.concatenate([t * 50, np.full_like(t, 90), np.zeros_like(t)], 1)
    rows = [" ".join(f"{v:.4f}" for v in row) for row in np.concatenate([root, angles], 1)]
    path.write_text("\n".join([*lines, "MOTION", f"Frames: {frames}", "Frame Time: 0.0333333", *rows]) + "\n")


def _open(lines: list[str]) -> int:
    return sum(line.strip() == "{" for line in lines) - sum(line.strip() == "}" for line in lines)


@pytest.fixture
def rig(tmp_path):
    _bvh(tmp_path / "rig.bvh")
    assert read_bvh(tmp_path / "rig.bvh").names == NAMES
    return tmp_path / "rig.bvh"


def test_a_filters_cutoff_refines_a_bvh_as_refine_motion_does(rig, tmp_path, capsys):
    """``--method butterworth --cutoff 2`` on a BVH was refused ("joint rotations are refined without it")
    though ``refine_motion(..., cutoff=2)`` takes it: now the CLI gives what Python gives, and says the cut-off."""
    motion = read_motion(rig)
    for cutoff in (2.0, 6.0):
        out = tmp_path / f"cut{cutoff:g}.bvh"
        assert main(["refine", str(rig), str(out), "--method", "butterworth", "--cutoff", f"{cutoff:g}"]) == 0
        assert f"by butterworth (cutoff {cutoff:g} Hz)" in capsys.readouterr().out
        expected, _ = refine_motion(motion, method="butterworth", cutoff=cutoff)
        np.testing.assert_allclose(read_motion(out).rotations, expected.rotations, atol=1e-4)
    turn = {c: np.abs(np.diff(read_motion(tmp_path / f"cut{c}.bvh").rotations, 2, axis=0)).mean() for c in (2, 6)}
    assert turn[2] < 0.6 * turn[6]  # the lower cut-off smooths more: the option is used, not ignored
    # a Gaussian's cut-off replaces its width for rotations (before: "give sigma or cutoff, not both" in Python too)
    assert main(["refine", str(rig), str(tmp_path / "g.bvh"), "--method", "gaussian", "--cutoff", "3"]) == 0
    expected, _ = refine_motion(motion, method="gaussian", cutoff=3.0)
    np.testing.assert_allclose(read_motion(tmp_path / "g.bvh").rotations, expected.rotations, atol=1e-4)


def test_a_window_in_seconds_and_one_euros_settings_on_a_bvh(rig, tmp_path, capsys):
    """``--window 0.5s`` is that span's frames at the file's rate (15 at 30 fps); ``--min-cutoff`` is
    taken; ``--beta``, per body size, has no meaning on rotations: refused in one line, nothing written."""
    assert main(["refine", str(rig), str(tmp_path / "s.bvh"), "--method", "savgol", "--window", "0.5s"]) == 0
    assert "by savgol (window 15 frames)" in capsys.readouterr().out
    expected, _ = refine_motion(read_motion(rig), method="savgol", window=15)
    np.testing.assert_allclose(read_motion(tmp_path / "s.bvh").rotations, expected.rotations, atol=1e-4)
    assert main(["refine", str(rig), str(tmp_path / "o.bvh"), "--method", "one-euro", "--min-cutoff", "1"]) == 0
    assert "(min cutoff 1 Hz)" in capsys.readouterr().out
    assert main(["refine", str(rig), str(tmp_path / "b.bvh"), "--method", "one-euro", "--beta", "3"]) == 2
    err = capsys.readouterr().err
    assert "--beta" in err and "per radian/s" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "b.bvh").exists()
    # options for joint positions only are still refused on rotations
    assert main(["refine", str(rig), str(tmp_path / "l.bvh"), "--lowpass", "4"]) == 2
    assert "--lowpass is for joint positions" in capsys.readouterr().err
    assert main(["refine", str(rig), str(tmp_path / "w.bvh"), "--whole-correction"]) == 2
    assert "--whole-correction is for joint positions" in capsys.readouterr().err
    assert main(["refine", str(rig), str(tmp_path / "s2.bvh"), "--stride", "2"]) == 2  # no rotation route takes it
    assert "--stride is for joint positions" in capsys.readouterr().err
    # --joints is the rotation networks' (the default SmoothNet here), never a filter's: refused for one
    for extra in (["--method", "butterworth", "--joints", "model"], ["--method", "one-euro", "--joints", "keep"]):
        assert main(["refine", str(rig), str(tmp_path / "j.bvh"), *extra]) == 2
        err = capsys.readouterr().err
        assert "--joints on rotations is for synsp and smoothnet, not" in err and len(err.strip().splitlines()) == 1
        assert not (tmp_path / "j.bvh").exists()
    with pytest.raises(OptionError, match="--joints on rotations"):
        refine_motion(read_motion(rig), method="butterworth", keep_rest_frames=False)


def test_plot_joints_take_a_bvhs_own_names(rig, tmp_path, capsys):
    """``--joints mixamorig:Hand_L`` (and ``Hand_L``, its name without the rig's namespace) on a BVH of no
    known layout: before, "unknown joint name ...; this file's joints are ['j0', 'j1', ...]"."""
    from synsp.viz.files import _read_pair, file_joint_names, file_layout, joint_choice

    out = tmp_path / "out.bvh"
    assert main(["refine", str(rig), str(out), "--method", "butterworth"]) == 0
    for joint in ("mixamorig:Hand_L", "Hand_L"):
        assert main(["plot", str(rig), str(out), str(tmp_path / "p.png"), "--force", "--joints", joint]) == 0
        assert (tmp_path / "p.png").stat().st_size > 0
    pair = _read_pair(rig, out)
    own = file_joint_names(pair.first)
    assert joint_choice(["mixamorig:Hand_L", "Hand_R", 1], pair.layout, own) == ["mixamorig:Hand_L", 4, 1]
    assert tuple(file_layout(pair.first).joints) == NAMES  # the plot's labels: the file's names, not j0, j1
    capsys.readouterr()
    assert main(["plot", str(rig), str(out), str(tmp_path / "q.png"), "--joints", "Foot_L"]) == 2
    err = capsys.readouterr().err
    assert "unknown joint name 'Foot_L'" in err and "mixamorig:Hand_L" in err and "'j0'" not in err

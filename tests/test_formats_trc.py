"""TRC (OpenSim, Pose2Sim): Pose2Sim's header, units, marker names to layouts, no NaN written, the drop-in."""
from __future__ import annotations

import re
import shlex
import shutil
from pathlib import Path

import numpy as np
import pytest

from synsp.cli import main
from synsp.formats import PoseData, detect_format, read_poses, write_poses
from synsp.formats.marker_names import joint_name, match_markers
from synsp.skeleton import LAYOUTS

ROOT = Path(__file__).resolve().parents[1]
TRC = ROOT / "tests" / "fixtures" / "formats" / "pose2sim_halpe26.trc"


def test_pose2sim_halpe26_reads_as_halpe26_in_millimetres():
    assert detect_format(TRC) == "trc"
    data = read_poses(TRC)
    assert data.layout == "halpe26" and data.fps == 30.0 and data.poses.shape == (1, 60, 26, 3)
    names = LAYOUTS["halpe26"].joints
    hip = data.poses[0, 0, names.index("hip")]
    assert np.allclose(hip, [-18.497263815, 880.825128925, -4071.663499597])  # metres in the file
    wrist = names.index("left_wrist")
    assert np.isnan(data.poses[0, 20:23, wrist]).all() and np.isfinite(data.poses[0, 23, wrist]).all()
    # the eyes and ears Pose2Sim leaves out are placed for the networks and flagged as not measured
    ear = names.index("left_ear")
    assert data.filled[0, :, ear].all() and not data.filled[0, :, wrist].any()
    assert data.extra["frame_ids"] == list(range(60))


def test_round_trip_keeps_header_markers_and_values(tmp_path):
    data = read_poses(TRC)
    write_poses(tmp_path / "out.trc", data)
    lines = (tmp_path / "out.trc").read_text().splitlines()
    source = TRC.read_text().splitlines()
    assert lines[0] == "PathFileType\t4\t(X/Y/Z)\tout.trc"
    assert lines[1:5] == source[1:5]  # header fields, Frame#/Time + marker names, X1 Y1 Z1 row
    assert "nan" not in (tmp_path / "out.trc").read_text().lower()
    assert all(len(line.split("\t")) == 2 + 3 * 22 and "" not in line.split("\t") for line in lines[5:])
    back = read_poses(tmp_path / "out.trc")
    seen = np.isfinite(data.poses)
    assert np.abs(back.poses[seen] - data.poses[seen]).max() < 1e-3  # micrometre precision in metres
    # the gap is interpolated, never written as NaN
    wrist = LAYOUTS["halpe26"].index("left_wrist")
    gap = back.poses[0, 20:23, wrist]
    ends = data.poses[0, [19, 23], wrist]
    assert np.allclose(gap, ends[0] + (ends[1] - ends[0]) * np.array([1, 2, 3])[:, None] / 4, atol=1e-3)


def test_marker_names_in_any_order_and_other_sets():
    assert joint_name("RBigToe") == "right_big_toe" and joint_name("LShoulder") == "left_shoulder"
    body25 = ["CHip", "RHip", "RKnee", "RAnkle", "RBigToe", "RSmallToe", "RHeel", "LHip", "LKnee", "LAnkle",
              "LBigToe", "LSmallToe", "LHeel", "Neck", "Nose", "RShoulder", "RElbow", "RWrist", "LShoulder",
              "LElbow", "LWrist"]
    assert match_markers(body25)[0] == "body25"
    coco17 = ["Hip", "RHip", "RKnee", "RAnkle", "LHip", "LKnee", "LAnkle", "Neck", "Nose", "RShoulder", "RElbow",
              "RWrist", "LShoulder", "LElbow", "LWrist"]
    layout, columns = match_markers(coco17[::-1])
    assert layout == "body25" and [LAYOUTS[layout].joints[c] for c in columns][-1] == "mid_hip"
    assert match_markers(["C7", "RASIS", "LASIS", "RKNE"]) is None  # a lab marker set: no layout


def _write_trc(path: Path, markers: list[str], values: np.ndarray, units: str) -> None:
    rows = "\n".join(f"{t + 1}\t{t / 100:.2f}\t" + "\t".join("" if v != v else f"{v:.5f}" for v in row)
                     for t, row in enumerate(values.reshape(len(values), -1)))
    path.write_text("PathFileType\t4\t(X/Y/Z)\tlab.trc\n"
                    "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames\n"
                    f"100\t100\t{len(values)}\t{len(markers)}\t{units}\t100\t1\t{len(values)}\n"
                    "Frame#\tTime\t" + "\t\t\t".join(markers) + "\n"
                    "\t\t" + "\t".join(f"X{i}\tY{i}\tZ{i}" for i in range(1, len(markers) + 1)) + "\n\n" + rows + "\n")


def test_millimetre_units_unknown_markers_and_unseen_marker(tmp_path):
    rng = np.random.default_rng(0)
    values = rng.normal(500, 50, (40, 3, 3))
    values[:, 2] = np.nan  # a marker never seen
    _write_trc(tmp_path / "lab.trc", ["C7", "RASIS", "LASIS"], values, "mm")
    data = read_poses(tmp_path / "lab.trc")
    assert data.layout is None and data.fps == 100.0 and data.extra["frame_ids"][0] == 1
    assert np.allclose(data.poses[0, :, :2], values[:, :2], atol=1e-5)
    write_poses(tmp_path / "out.trc", data)
    text = (tmp_path / "out.trc").read_text().splitlines()
    assert text[2].split("\t")[3:5] == ["3", "mm"] and text[3].split("\t")[-4] == "LASIS"  # never seen: kept
    assert all(row.split("\t")[-3:] == ["", "", ""] for row in text[6:])  # ... as blank cells
    back = read_poses(tmp_path / "out.trc").poses[0]
    assert np.allclose(back[:, :2], values[:, :2], atol=1e-3) and np.isnan(back[:, 2]).all()


def test_bad_trc_is_one_line_error(tmp_path):
    (tmp_path / "bad.trc").write_text("hello\n")
    with pytest.raises(ValueError, match="bad.trc: not a TRC file"):
        read_poses(tmp_path / "bad.trc")
    with pytest.raises(ValueError, match="one person"):
        write_poses(tmp_path / "two.trc", PoseData(poses=np.zeros((2, 3, 4, 3))))


def test_decimal_commas_are_named_in_one_line_with_the_fix(tmp_path):
    """A TRC saved by a spreadsheet set to a European locale (audit 31 #3): the error said only "not a number"."""
    values = np.random.default_rng(0).normal(500, 50, (5, 3, 3))
    _write_trc(tmp_path / "comma.trc", ["C7", "RASIS", "LASIS"], values, "mm")
    text = (tmp_path / "comma.trc").read_text().splitlines()
    text[6] = text[6].replace(".", ",")
    (tmp_path / "comma.trc").write_text("\n".join(text) + "\n")
    with pytest.raises(ValueError) as err:
        read_poses(tmp_path / "comma.trc")
    message = str(err.value)
    assert message.startswith(f"{tmp_path / 'comma.trc'}: line 7 holds '0,00', a decimal comma")
    assert "'.' as the decimal separator" in message and "\n" not in message
    text[6] = text[6].replace("0,00", "t0", 1)  # any other cell: named as it is
    (tmp_path / "comma.trc").write_text("\n".join(text) + "\n")
    with pytest.raises(ValueError, match=r"comma.trc: line 7 is not a number \('t0'\)"):
        read_poses(tmp_path / "comma.trc")


def test_pose2sim_drop_in_default_output_and_no_overwrite(tmp_path, capsys):
    (tmp_path / "pose-3d").mkdir()
    src = tmp_path / "pose-3d" / "trial.trc"
    shutil.copy(TRC, src)
    assert main(["refine", str(src), "--method", "butterworth"]) == 0
    out = tmp_path / "pose-3d" / "trial_filt_synsp.trc"
    assert out.is_file() and "nan" not in out.read_text().lower()
    assert main(["refine", str(src), "--method", "savgol"]) == 2  # refuses to overwrite
    assert "--force" in capsys.readouterr().err
    assert main(["refine", str(TRC.with_name("mmpose_demo.json"))]) == 2  # only TRC has a default OUT


def test_readme_pose2sim_command_runs(tmp_path, monkeypatch, capsys):
    """The README's Pose2Sim block, run as written (in a scratch folder holding the fixture)."""
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"### Pose2Sim / Sports2D.*?```bash\n(.*?)```", readme, re.S).group(1)
    (tmp_path / "tests" / "fixtures" / "formats").mkdir(parents=True)
    shutil.copy(TRC, tmp_path / "tests" / "fixtures" / "formats" / TRC.name)
    monkeypatch.chdir(tmp_path)
    for line in block.strip().splitlines():
        for command in line.split("#")[0].split("&&"):
            argv = shlex.split(command)
            if argv[0] == "mkdir":
                for folder in argv[1:]:
                    if folder != "-p":
                        Path(folder).mkdir(parents=True, exist_ok=True)
            elif argv[0] == "cp":
                shutil.copy(argv[1], argv[2])
            else:
                assert argv[0] == ".venv/bin/synsp"
                assert main(argv[1:]) == 0
    assert (tmp_path / "out" / "pose-3d" / "trial_filt_synsp.trc").is_file()
    assert "wrote out/pose-3d/trial_filt_synsp.trc" in capsys.readouterr().out


def test_halpe_head_top_is_not_the_models_head():
    from synsp.refining.files import shared_joints
    from synsp.skeleton import get_layout

    pairs = shared_joints("halpe26", "h36m17")
    names = [get_layout("halpe26").joints[j] for j, _ in pairs]
    assert "head" not in names and "left_wrist" in names and len(pairs) == 12
    assert len(shared_joints("halpe26", "coco17")) == 17


def test_frames_before_the_person_appears_are_held_and_counted(tmp_path, capsys):
    rng = np.random.default_rng(2)
    markers = ["C7", "RASIS", "LASIS"]
    values = 500 + np.cumsum(rng.normal(0, 2, (50, 3, 3)), axis=0)
    values[:5] = np.nan  # nobody in view yet: outside the person's span, refinement leaves it missing
    _write_trc(tmp_path / "lab.trc", markers, values, "mm")
    assert main(["refine", str(tmp_path / "lab.trc"), "--method", "savgol"]) == 0
    assert "gaps: TRC is written filled, as Pose2Sim writes it; 15 joint values" in capsys.readouterr().out
    out = tmp_path / "lab_filt_synsp.trc"
    rows = [line.split("\t") for line in out.read_text().splitlines()[6:]]
    assert len(rows) == 50 and all(cell.strip() and cell != "nan" for row in rows for cell in row)
    back = read_poses(out).poses[0]
    assert np.allclose(back[:5], back[5], atol=1e-3)  # held at the first refined frame


def test_inch_units_read_in_millimetres_and_written_back_in_inches(tmp_path):
    values = np.random.default_rng(1).normal(40, 5, (20, 2, 3))  # inches
    _write_trc(tmp_path / "inches.trc", ["C7", "RASIS"], values, "in")
    data = read_poses(tmp_path / "inches.trc")
    np.testing.assert_allclose(data.poses[0], values * 25.4, atol=1e-3)
    write_poses(tmp_path / "out.trc", data)
    assert (tmp_path / "out.trc").read_text().splitlines()[2].split("\t")[4] == "in"
    np.testing.assert_allclose(read_poses(tmp_path / "out.trc").poses[0], values * 25.4, atol=1e-3)


@pytest.mark.parametrize("units, mm", [("ft", 304.8), ("feet", 304.8), ("dm", 100.0), ("Inches", 25.4)])
def test_feet_and_decimetres_read_in_millimetres_and_written_back_as_spelt(tmp_path, units, mm):
    """OpenSim's Units class takes ft and feet too: such a TRC was refused ("Units 'ft' not understood")."""
    values = np.random.default_rng(2).normal(3, 0.5, (20, 2, 3))  # a few of the unit
    _write_trc(tmp_path / "lab.trc", ["C7", "RASIS"], values, units)
    data = read_poses(tmp_path / "lab.trc")
    np.testing.assert_allclose(data.poses[0], values * mm, atol=1e-3 * mm)
    write_poses(tmp_path / "out.trc", data)
    assert (tmp_path / "out.trc").read_text().splitlines()[2].split("\t")[4] == units
    np.testing.assert_allclose(read_poses(tmp_path / "out.trc").poses[0], values * mm, atol=1e-3 * mm)
    with pytest.raises(ValueError, match=r"lab.trc: Units 'yd' not understood; expected m, dm, cm, mm, in, ft"):
        _write_trc(tmp_path / "lab.trc", ["C7", "RASIS"], values, "yd")
        read_poses(tmp_path / "lab.trc")


def test_a_lab_marker_set_is_never_read_as_a_layout_by_its_count(tmp_path, capsys):
    """25 markers of a lab's own marker set are not OpenPose's BODY_25 (nor 24 SMPL's joints):
    named joints that make no layout are the user's, refined by SmoothNet joint by joint."""
    from synsp.cli import main
    from synsp.formats import PoseData, write_poses

    markers = ["LASI", "RASI", "LPSI", "RPSI", "LTHI", "LKNE", "LTIB", "LANK", "LHEE", "LTOE", "RTHI", "RKNE",
               "RTIB", "RANK", "RHEE", "RTOE", "C7", "T10", "CLAV", "STRN", "LSHO", "LELB", "LWRA", "RSHO", "RELB"]
    for count in (25, 24):
        rng = np.random.default_rng(count)
        walk = np.cumsum(rng.normal(0, 3, (60, count, 3)), axis=0) + rng.uniform(-400, 400, (1, count, 3))
        data = PoseData(poses=(walk + [0, 1000, 0])[None], fps=30.0,
                        extra={"trc": {"markers": markers[:count], "columns": list(range(count))}})
        write_poses(tmp_path / f"lab{count}.trc", data)
        read = read_poses(tmp_path / f"lab{count}.trc")
        assert read.layout is None and read.own_joint_names() == markers[:count]
        assert main(["refine", str(tmp_path / f"lab{count}.trc"), str(tmp_path / f"out{count}.trc")]) == 0
        assert f"layout: {count} joints of an unknown layout" in capsys.readouterr().out


def test_augmented_markers_beside_halpe26_are_refined_in_their_places(tmp_path, capsys):
    """Pose2Sim's marker augmentation adds ``*_study`` markers to its HALPE_26 ones: the HALPE_26
    markers are refined as halpe26 (SynSP), exactly as without the others, which are refined as
    joints of no layout and written back under their names, in the file's order."""
    data = read_poses(TRC)
    markers, columns = data.extra["trc"]["markers"], data.extra["trc"]["columns"]
    halpe = data.poses[0][:, columns]  # (T, 22, 3) mm, in the file's order
    rng = np.random.default_rng(0)
    extra = ["r.ASIS_study", "L_knee_study", "C7_study"]
    study = halpe[:, [markers.index(m) for m in ("RHip", "LKnee", "Neck")]] + rng.normal(0, 5, (60, 3, 3)) + 30
    both = np.concatenate([halpe, study], axis=1)[None]
    names = markers + extra
    write_poses(tmp_path / "plain.trc", PoseData(poses=halpe[None], fps=30.0, extra={"trc": {
        "markers": markers, "columns": list(range(22)), "units": "m"}}))
    write_poses(tmp_path / "augmented.trc", PoseData(poses=both, fps=30.0, extra={"trc": {
        "markers": names, "columns": list(range(25)), "units": "m"}}))
    read = read_poses(tmp_path / "augmented.trc")
    assert read.partial_layout() == "halpe26" and read.poses.shape == (1, 60, 29, 3)
    assert main(["refine", str(tmp_path / "plain.trc"), str(tmp_path / "plain_out.trc")]) == 0
    capsys.readouterr()
    for layout in ([], ["--layout", "halpe26"]):
        assert main(["refine", str(tmp_path / "augmented.trc"), str(tmp_path / "out.trc"), "--force", *layout]) == 0
        out = capsys.readouterr().out
        assert "layout: halpe26 -> " in out
        assert "the file's 3 other markers (r.ASIS_study, L_knee_study, C7_study) by SmoothNet" in out
        assert "as joints of no layout" in out
        assert (tmp_path / "out.trc").read_text().splitlines()[3].split() == ["Frame#", "Time", *names]
        refined = read_poses(tmp_path / "out.trc")
        plain = read_poses(tmp_path / "plain_out.trc").poses[0]
        got = refined.poses[0][:, refined.extra["trc"]["columns"]]  # (T, 25, 3) in the file's order
        assert np.abs(got[:, :22] - plain[:, columns]).max() < 1e-2  # the layout's markers as without the others
        moved = np.linalg.norm(got[:, 22:] - study, axis=-1)
        assert 0 < moved.mean() < 20  # the others refined, and still where they were


def test_pose2sim_ears_are_placed_on_its_own_head_markers():
    """HALPE_26's neck and head top follow the head as it nods and turns; the eyes and ears the
    file leaves out are placed on them, not on the trunk (a head 15 mm off: 1.2 x input before)."""
    from synsp.formats.trc import EAR_ALONG
    from synsp.skeleton import get_layout

    data = read_poses(TRC)
    names = get_layout("halpe26").joints
    x = data.poses[0]
    ears = (x[:, names.index("left_ear")] + x[:, names.index("right_ear")]) / 2
    neck, top = x[:, names.index("neck")], x[:, names.index("head")]
    np.testing.assert_allclose(ears, neck + EAR_ALONG * (top - neck), atol=1e-6)
    assert data.filled[0][:, names.index("left_ear")].all()


def _rows(path: Path) -> np.ndarray:
    """The data rows' numbers of a TRC (frames, 2 + 3 * markers), Frame# and Time first."""
    lines = [line for line in path.read_text().splitlines()[5:] if line.strip()]
    return np.array([[float(c) if c.strip() else np.nan for c in line.split("\t")] for line in lines])


def test_sports2d_2d_track_with_a_constant_z_is_refined_in_2d_and_z_kept(tmp_path):
    """Sports2D writes pixels as a TRC (``m`` or ``px``, y up, Z = 0): refined in 2D on X and Y, Z
    written back as it was, with a note; --space 2d refuses a file with no constant coordinate."""
    from synsp.errors import SpaceError
    from synsp.refining.files import refine_file

    src = Path(__file__).parent / "fixtures" / "formats" / "pose2sim_halpe26.trc"
    lines = src.read_text().splitlines()
    table = _rows(src)
    xyz = table[:, 2:].reshape(len(table), -1, 3)
    pixels = xyz * 1000 * [1.0, 1.0, 0.0]  # metres as pixels (a 1.7 m person 1700 px tall), Z = 0
    for units, scale in (("m", 1.0), ("px", 1.0)):  # Sports2D's pixels under either label
        head = lines[:5]
        head[2] = head[2].replace("\tm\t", f"\t{units}\t")
        rows = ["\t".join(f"{v:.6f}" for v in np.r_[table[t, :2], (pixels[t] * scale).ravel()])
                for t in range(len(table))]
        path = tmp_path / f"s2d_{units}.trc"
        path.write_text("\n".join(head + rows) + "\n")
        summary = refine_file(path, tmp_path / f"out_{units}.trc", method="savgol", force=True)
        assert summary.unit == "px" and "Z is 0 for every marker and frame: a 2D track" in summary.notes[0]
        out = _rows(tmp_path / f"out_{units}.trc")[:, 2:].reshape(pixels.shape) / scale
        assert (out[..., 2] == 0).all()
        assert 0 < np.nanmean(np.abs(out[..., :2] - pixels[..., :2])) < 20  # the input has gaps (empty cells)
    with pytest.raises(SpaceError, match="--space 2d, but none of the poses' 3 coordinates"):
        refine_file(src, tmp_path / "out3d.trc", method="savgol", space="2d", force=True)


def test_max_gap_writes_long_gaps_as_blank_cells(tmp_path, capsys):
    """With --max-gap a gap longer than the limit is written as blank cells (Pose2Sim writes a missing
    marker so; OpenSim's TRC reader takes them as NaN and its IK skips that marker in that frame), and
    the summary says what the file holds; shorter gaps are filled."""
    rng = np.random.default_rng(4)
    markers = ["C7", "RASIS", "LASIS"]
    values = 500 + np.cumsum(rng.normal(0, 2, (60, 3, 3)), axis=0)
    values[20:40, 1] = np.nan  # 20 frames: longer than the limit
    values[10:13, 2] = np.nan  # 3 frames: filled
    _write_trc(tmp_path / "lab.trc", markers, values, "mm")
    assert main(["refine", str(tmp_path / "lab.trc"), "--method", "savgol", "--max-gap", "12"]) == 0
    out = capsys.readouterr().out
    assert "20 joint values left missing: gaps longer than 12 frames" in out
    assert "interpolated or held" not in out and "20 joint values written as blank cells" in out
    rows = [line.split("\t") for line in (tmp_path / "lab_filt_synsp.trc").read_text().splitlines()[6:]]
    assert len(rows) == 60 and all(len(row) == 2 + 3 * 3 for row in rows)  # every row whole: OpenSim checks
    blank = np.array([[cell == "" for cell in row[2:]] for row in rows]).reshape(60, 3, 3)
    expected = np.zeros((60, 3), bool)
    expected[20:40, 1] = True
    assert np.array_equal(blank.all(-1), expected) and np.array_equal(blank.any(-1), expected)
    back = read_poses(tmp_path / "lab_filt_synsp.trc").poses[0]
    assert np.isnan(back[20:40, 1]).all() and np.isfinite(back[10:13, 2]).all()


@pytest.mark.parametrize("fps", [120, 150])
def test_times_are_written_with_the_inputs_decimals_and_enough_for_the_rate(tmp_path, fps):
    """Millimetre positions are written with 3 decimals; the Time column was too, so 120 Hz steps
    read 8 or 9 ms and 150 Hz times 0.007, 0.013: now times keep the input's digits (here 5), and a
    file without times gets enough for its rate (5 decimals: steps off by under 0.1 %)."""
    rng = np.random.default_rng(5)
    markers = ["C7", "RASIS", "LASIS"]
    values = 500 + np.cumsum(rng.normal(0, 2, (30, 3, 3)), axis=0)
    times = np.arange(30) / fps
    rows = "\n".join(f"{t + 1}\t{times[t]:.5f}\t" + "\t".join(f"{v:.5f}" for v in row)
                     for t, row in enumerate(values.reshape(30, -1)))
    (tmp_path / "lab.trc").write_text(
        "PathFileType\t4\t(X/Y/Z)\tlab.trc\n"
        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames\n"
        f"{fps}\t{fps}\t30\t3\tmm\t{fps}\t1\t30\n"
        "Frame#\tTime\t" + "\t\t\t".join(markers) + "\n"
        "\t\t" + "\t".join(f"X{i}\tY{i}\tZ{i}" for i in range(1, 4)) + "\n\n" + rows + "\n")
    data = read_poses(tmp_path / "lab.trc")
    write_poses(tmp_path / "out.trc", data)
    written = [line.split("\t")[1] for line in (tmp_path / "out.trc").read_text().splitlines()[5:] if line]
    assert written[:3] == [f"{t:.5f}" for t in times[:3]]
    np.testing.assert_allclose(np.diff(read_poses(tmp_path / "out.trc").extra["trc"]["times"]), 1 / fps, atol=1e-5)
    del data.extra["trc"]["times"]  # times from the rate
    write_poses(tmp_path / "rate.trc", data)
    back = np.array(read_poses(tmp_path / "rate.trc").extra["trc"]["times"])
    np.testing.assert_allclose(back, times, atol=5e-6)


def test_uneven_time_stamps_are_said(tmp_path, capsys):
    """A phone's variable frame rate (steps 25-41 ms, dropped frames 66 ms): refined on an even grid
    and given back at the file's times (tests/test_uneven_times.py), which the summary says in one
    line, with the steps; an even file says nothing of it."""
    rng = np.random.default_rng(6)
    markers = ["C7", "RASIS", "LASIS"]
    values = 500 + np.cumsum(rng.normal(0, 2, (60, 3, 3)), axis=0)
    steps = np.clip(rng.normal(1 / 30, 0.004, 59), 0.025, 0.041)
    steps[[10, 30]] = 0.066
    times = np.concatenate([[0], np.cumsum(steps)])
    rows = "\n".join(f"{t + 1}\t{times[t]:.6f}\t" + "\t".join(f"{v:.5f}" for v in row)
                     for t, row in enumerate(values.reshape(60, -1)))
    header = ("PathFileType\t4\t(X/Y/Z)\tlab.trc\n"
              "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames\n"
              "30\t30\t60\t3\tmm\t30\t1\t60\n"
              "Frame#\tTime\t" + "\t\t\t".join(markers) + "\n"
              "\t\t" + "\t".join(f"X{i}\tY{i}\tZ{i}" for i in range(1, 4)) + "\n\n")
    (tmp_path / "vfr.trc").write_text(header + rows + "\n")
    assert main(["refine", str(tmp_path / "vfr.trc"), str(tmp_path / "out.trc"), "--method", "savgol"]) == 0
    out = capsys.readouterr().out
    low, high = steps.min() * 1000, steps.max() * 1000
    assert (f"time: the Time column is uneven (steps {low:.0f} to {high:.0f} ms, median "
            f"{np.median(steps) * 1000:.0f} ms): refined on an even grid at {59 / times[-1]:.3g} fps (60 frames), "
            "then interpolated back to the file's 60 times") in out
    _write_trc(tmp_path / "even.trc", markers, values, "mm")
    assert main(["refine", str(tmp_path / "even.trc"), str(tmp_path / "even_out.trc"), "--method", "savgol"]) == 0
    assert "time: the Time column is uneven" not in capsys.readouterr().out


def test_windows_line_endings_and_a_bom_are_written_back_as_read(tmp_path):
    """A TRC saved on Windows (CRLF, Excel's UTF-8 BOM) is written back with them, else the same file."""
    text = TRC.read_text()
    (tmp_path / "win.trc").write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode())
    (tmp_path / "crlf.trc").write_bytes(text.replace("\n", "\r\n").encode())
    for name in ("win", "crlf"):
        main(["refine", str(tmp_path / f"{name}.trc"), str(tmp_path / f"{name}_out.trc"), "--method", "butterworth"])
    main(["refine", str(TRC), str(tmp_path / "plain_out.trc"), "--method", "butterworth"])
    plain = (tmp_path / "plain_out.trc").read_bytes()
    assert b"\r" not in plain and not plain.startswith(b"\xef\xbb\xbf")  # LF in, LF out
    for name, bom in (("win", b"\xef\xbb\xbf"), ("crlf", b"")):
        out = (tmp_path / f"{name}_out.trc").read_bytes()
        assert out.startswith(bom + b"PathFileType") and out.count(b"\r\n") == out.count(b"\n") == plain.count(b"\n")
        assert out[len(bom):].replace(b"\r\n", b"\n").replace(f"{name}_out".encode(), b"plain_out") == plain


def test_sports2d_header_fields_are_written_back_as_read(tmp_path):
    """Sports2D writes DataRate as Python prints the mean rate of its Time column (29.97 fps video:
    ``29.970029970029966``) and the input's full path on line 1: the refined file's header fields
    are the input's text, not the rate rounded to 6 digits (OpenSim would read another rate)."""
    lines = TRC.read_text().splitlines()
    rate = str(59 / (59 / (30000 / 1001)))
    lines[0] = "PathFileType\t4\t(X/Y/Z)\t/home/user/Sports2D/demo/demo_Sports2D_m_person00.trc"
    lines[2] = "\t".join([rate, rate, "60", "22", "m", rate, "0", "60"])
    lines[3] = lines[3].rstrip("\t") + "\t\t"  # Sports2D's marker line ends in two tabs, its X1 line in none
    lines[4] = lines[4].rstrip("\t")
    (tmp_path / "s2d.trc").write_text("\n".join(lines) + "\n")
    main(["refine", str(tmp_path / "s2d.trc"), str(tmp_path / "out.trc"), "--method", "butterworth"])
    out = (tmp_path / "out.trc").read_text().splitlines()
    assert out[1:3] == lines[1:3], (out[2], lines[2])
    assert read_poses(tmp_path / "out.trc").fps == float(rate)


def test_a_trc_cut_inside_its_header_says_so(tmp_path):
    """A TRC cut short (a copy interrupted, a sync that stopped) starts with PathFileType: the error
    says the header is cut, not that the first line is wrong."""
    lines = TRC.read_text().splitlines()
    for keep in (3, 4):
        (tmp_path / "cut.trc").write_text("\n".join(lines[:keep]) + "\n")
        with pytest.raises(ValueError, match=f"cut.trc: the TRC header is cut short: {keep} lines"):
            read_poses(tmp_path / "cut.trc")


@pytest.mark.parametrize("values, label, fits", [("cm", "m", "cm"), ("m", "mm", "m")])
def test_a_units_line_not_the_values_unit_is_refused_naming_the_unit_that_fits(tmp_path, capsys, values, label, fits):
    """Audit: cm values under ``Units m`` were blamed on the skeleton ("too far for a human body ...
    an animal") and refined by SmoothNet as another body; the file itself is never changed."""
    data = read_poses(TRC)
    data.extra["trc"]["units"] = values
    write_poses(tmp_path / "in.trc", data)
    lines = (tmp_path / "in.trc").read_text().splitlines()
    fields = lines[2].split("\t")
    fields[lines[1].split("\t").index("Units")] = label  # the header lies
    lines[2] = "\t".join(fields)
    (tmp_path / "in.trc").write_text("\n".join(lines) + "\n")
    before = (tmp_path / "in.trc").read_bytes()
    for command in (["refine", str(tmp_path / "in.trc"), str(tmp_path / "out.trc")],
                    ["plot", str(tmp_path / "in.trc"), str(tmp_path / "in.trc"), str(tmp_path / "out.png")]):
        assert main(command) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "in.trc: the body is " in err, err
        assert f"tall in the file's units ({label}), no person's size: the values look like {fits}; fix the Units " \
               "line" in err, err
    assert (tmp_path / "in.trc").read_bytes() == before and not (tmp_path / "out.trc").exists()
    assert not (tmp_path / "out.png").exists()


def test_a_last_row_cut_short_is_left_out_with_a_warning_and_a_short_row_inside_refused(tmp_path, capsys):
    """Audit: a TRC cut mid-row was read silently, its cut last number taken as data."""
    text = TRC.read_text()
    (tmp_path / "cut.trc").write_text(text[:len(text) - 300])
    last = len(text[:len(text) - 300].splitlines())
    assert main(["refine", str(tmp_path / "cut.trc"), str(tmp_path / "out.trc"), "--method", "savgol"]) == 0
    captured = capsys.readouterr()
    assert captured.err.splitlines() == [f"synsp refine: warning: {tmp_path / 'cut.trc'}: line {last}, the last, "
                                         f"has {len(text[:len(text) - 300].splitlines()[-1].split())} of its 68 "
                                         "cells: the file is cut short there; that row is left out"]
    assert "59 frames" in captured.out and len(read_poses(tmp_path / "out.trc").poses[0]) == 59
    lines = text.splitlines()
    lines[10] = "\t".join(lines[10].split("\t")[:40])
    (tmp_path / "inside.trc").write_text("\n".join(lines) + "\n")
    with pytest.raises(ValueError, match="inside.trc: line 11 has 40 cells; its markers need 68"):
        read_poses(tmp_path / "inside.trc")


def test_the_blank_line_after_the_header_and_the_time_cells_are_written_back_as_read(tmp_path):
    # OpenSim writes a blank line after X1 Y1 Z1, and Pose2Sim times as Python prints them ("0.0",
    # "0.03333333333333333"): both came back changed (no blank line; "0.000000000000")
    rng = np.random.default_rng(2)
    values = 0.5 + np.cumsum(rng.normal(0, 0.002, (12, 3, 3)), axis=0)
    times = [str(t / 30) for t in range(12)]
    rows = "".join(f"{t}\t{times[t]}\t" + "\t".join(f"{v:.6f}" for v in row) + "\n"
                   for t, row in enumerate(values.reshape(12, -1)))
    head = ("PathFileType\t4\t(X/Y/Z)\tlab.trc\n"
            "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames\n"
            "30\t30\t12\t3\tm\t30\t0\t12\n"
            "Frame#\tTime\tC7\t\t\tRASIS\t\t\tLASIS\t\t\t\n"
            "\t\tX1\tY1\tZ1\tX2\tY2\tZ2\tX3\tY3\tZ3\t\n")
    (tmp_path / "lab.trc").write_text(head + "\n" + rows)
    main(["refine", str(tmp_path / "lab.trc"), str(tmp_path / "out.trc"), "--method", "gaussian"])
    lines = (tmp_path / "out.trc").read_text().split("\n")
    assert lines[1:5] == head.split("\n")[1:5] and lines[5] == ""  # the blank line kept
    assert [line.split("\t")[1] for line in lines[6:-1]] == times  # "0.0", not "0.000000000000"
    data = read_poses(tmp_path / "out.trc")
    assert data.poses.shape == (1, 12, 3, 3) and np.isfinite(data.poses).all()
    (tmp_path / "tight.trc").write_text(head + rows)  # no blank line: none written
    main(["refine", str(tmp_path / "tight.trc"), str(tmp_path / "tight_out.trc"), "--method", "gaussian"])
    assert (tmp_path / "tight_out.trc").read_text().split("\n")[5].startswith("0\t0.0\t")


def test_a_header_frame_count_the_rows_do_not_match_is_said_and_the_rows_read(tmp_path):
    """A user audit (2026-12-06): a TRC whose header said NumFrames 150 over 120 rows was read without a word."""
    lines = TRC.read_text().splitlines(keepends=True)
    fields = lines[2].split("\t")
    rows = sum(1 for line in lines[5:] if line.strip())
    fields[2] = str(rows + 30)
    lines[2] = "\t".join(fields)
    (tmp_path / "cut.trc").write_text("".join(lines))
    data = read_poses(tmp_path / "cut.trc")
    assert data.poses.shape[1] == rows
    note = f"header says NumFrames {rows + 30}, but {rows} data rows follow"
    assert any("cut.trc" in line and note in line for line in data.extra["notes"]), data.extra.get("notes")
    assert "notes" not in read_poses(TRC).extra  # a header that counts its rows: nothing to say


def test_a_trc_written_from_an_array_names_its_markers_as_pose2sim_does(tmp_path, capsys):
    """A .npy of a known layout (given, or told from the poses) becomes a TRC whose markers carry the
    layout's joint names as Pose2Sim's skeletons spell them (RHip, LBigToe, ...), which its OpenSim
    marker sets use; the TRC reads back as that layout. Unknown layouts keep j0, j1, ..."""
    from synsp.formats.marker_names import marker_names

    rng = np.random.default_rng(0)
    body = read_poses(TRC).poses[0, :, :17].copy()  # only for a person's size and motion
    np.save(tmp_path / "walk.npy", body + rng.normal(0, 5, body.shape))
    assert main(["refine", str(tmp_path / "walk.npy"), str(tmp_path / "out.trc"), "--layout", "coco17",
                 "--method", "butterworth"]) == 0
    header = (tmp_path / "out.trc").read_text().splitlines()[3].split("\t")
    assert header[2:8:3] == ["Nose", "LEye"] and "RAnkle" in header and "j0" not in header
    back = read_poses(tmp_path / "out.trc")
    assert back.layout == "coco17" and back.poses.shape == (1, 60, 17, 3)
    # Pose2Sim's HALPE_26 (Hip, RHip, ..., RBigToe, RSmallToe, RHeel) and BODY_25's CHip
    assert {"Hip", "Neck", "Head", "RBigToe", "RSmallToe", "RHeel", "LShoulder"} <= set(marker_names("halpe26"))
    assert marker_names("body25")[8] == "CHip" and marker_names("h36m17")[:2] == ["Pelvis", "RHip"]
    for layout in LAYOUTS:  # every layout named in CamelCase reads back as its joints, in their order
        names = marker_names(layout)
        if names == list(LAYOUTS[layout].joints):  # kept as they are (bandai22's, left_index1 ...)
            continue
        found = match_markers(names)
        assert found is not None and [LAYOUTS[found[0]].joints[c] for c in found[1]] == list(LAYOUTS[layout].joints)
    odd = PoseData(poses=rng.normal(0, 100, (1, 10, 5, 3)), fps=30.0)
    write_poses(tmp_path / "odd.trc", odd)
    assert (tmp_path / "odd.trc").read_text().splitlines()[3].split("\t")[2::3][:5] == ["j0", "j1", "j2", "j3", "j4"]


def test_fps_over_the_files_rate_is_said_and_written_consistently(tmp_path, capsys):
    """Audit 18, finding 2: ``--fps 50`` on a TRC recording 100 fps wrote DataRate 50 beside CameraRate and
    OrigDataRate 100 and the file's 10 ms Time steps, and said nothing. The given rate overrides the file's
    (the help says so): the summary says it in one line and the header's rates and the Time column follow it;
    a CameraRate of its own (a file downsampled from 200 Hz) is kept, and --fps equal to the file's says nothing."""
    rng = np.random.default_rng(3)
    markers = ["C7", "RASIS", "LASIS"]
    values = 500 + np.cumsum(rng.normal(0, 2, (30, 3, 3)), axis=0)
    for name, camera in (("lab", 100), ("down", 200)):
        rows = "\n".join(f"{t}\t{t / 100:.2f}\t" + "\t".join(f"{v:.5f}" for v in row)
                         for t, row in enumerate(values.reshape(30, -1)))
        (tmp_path / f"{name}.trc").write_text(
            f"PathFileType\t4\t(X/Y/Z)\t{name}.trc\n"
            "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\tOrigDataRate\tOrigDataStartFrame\tOrigNumFrames\n"
            f"100\t{camera}\t30\t3\tmm\t100\t0\t30\n"
            "Frame#\tTime\t" + "\t\t\t".join(markers) + "\n"
            "\t\t" + "\t".join(f"X{i}\tY{i}\tZ{i}" for i in range(1, 4)) + "\n\n" + rows + "\n")
        assert main(["refine", str(tmp_path / f"{name}.trc"), str(tmp_path / f"{name}50.trc"), "--fps", "50",
                     "--method", "savgol"]) == 0
        assert "fps: 50 as given, not the 100 the file records; refined and written at 50" in capsys.readouterr().out
        lines = (tmp_path / f"{name}50.trc").read_text().splitlines()
        assert lines[2].split("\t")[:2] == ["50", "50" if camera == 100 else "200"] and lines[2].split("\t")[5] == "50"
        back = read_poses(tmp_path / f"{name}50.trc")
        assert back.fps == 50.0
        np.testing.assert_allclose(back.extra["trc"]["times"], np.arange(30) / 50, atol=1e-6)
    assert main(["refine", str(tmp_path / "lab.trc"), str(tmp_path / "same.trc"), "--fps", "100",
                 "--method", "savgol"]) == 0
    assert "as given" not in capsys.readouterr().out

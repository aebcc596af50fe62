"""Files as other tools write them: header variants a reader must take, and the errors a user sees
when a file is not what synsp reads (one line naming the real problem)."""
from __future__ import annotations

import numpy as np
import pytest

from synsp.cli import main
from synsp.formats import read_poses, write_poses

MARKERS = ["Hip", "RHip", "RKnee", "RAnkle", "LHip", "LKnee", "LAnkle", "Neck", "Nose", "RShoulder", "RElbow",
           "RWrist", "LShoulder", "LElbow", "LWrist"]


def _walk(frames: int = 40) -> np.ndarray:
    """(T, M, 3) metres: a standing body swaying, markers named by ``MARKERS``."""
    rng = np.random.default_rng(0)
    rest = np.array([[0, .95, 0], [-.1, .95, 0], [-.1, .5, 0], [-.1, .08, 0], [.1, .95, 0], [.1, .5, 0], [.1, .08, 0],
                     [0, 1.45, 0], [0, 1.6, .08], [-.2, 1.42, 0], [-.25, 1.15, 0], [-.27, .9, 0], [.2, 1.42, 0],
                     [.25, 1.15, 0], [.27, .9, 0]])
    sway = 0.05 * np.sin(np.arange(frames) / 6)[:, None, None] * np.array([1, 0, 0])
    return rest + sway + rng.normal(0, 0.003, (frames, len(MARKERS), 3))


def _trc(values: np.ndarray, *, units: str = "m", sep: str = "\t", fields: dict | None = None) -> str:
    n_frames, n_markers = values.shape[:2]
    fields = fields or {"DataRate": "30", "CameraRate": "30", "NumFrames": str(n_frames), "NumMarkers": str(n_markers),
                        "Units": units, "OrigDataRate": "30", "OrigDataStartFrame": "1", "OrigNumFrames": str(n_frames)}
    lines = [sep.join(["PathFileType", "4", "(X/Y/Z)", "trial.trc"]), sep.join(fields), sep.join(fields.values()),
             sep.join(["Frame#", "Time"] + [c for m in MARKERS for c in (m, "", "")]),
             sep.join(["", ""] + [f"{a}{i + 1}" for i in range(n_markers) for a in "XYZ"])]
    lines += [sep.join([str(t + 1), f"{t / 30:.5f}"] + [f"{v:.6f}" for v in values[t].ravel()])
              for t in range(n_frames)]
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize("units, factor", [("meters", 1000.0), ("millimeters", 1.0), ("Centimeters", 10.0)])
def test_opensim_long_unit_names_read_and_are_written_back_as_given(tmp_path, units, factor):
    """OpenSim's own Units parser takes "meters", "millimeters", "centimeters"; such a TRC (OpenSim's
    tools, Vicon exports) was refused ("Units 'meters' not understood")."""
    values = _walk()
    (tmp_path / "in.trc").write_text(_trc(values * 1000 / factor, units=units))
    data = read_poses(tmp_path / "in.trc")
    assert np.allclose(data.poses[0, :, data.extra["trc"]["columns"]].transpose(1, 0, 2), values * 1000, atol=1e-3)
    write_poses(tmp_path / "out.trc", data)
    assert (tmp_path / "out.trc").read_text().splitlines()[2].split("\t")[4] == units


def test_a_trc_header_keeps_its_own_fields_in_its_order(tmp_path):
    """A header field of the exporter's own (after the eight OpenSim reads) was dropped on writing."""
    values = _walk()
    fields = {"DataRate": "30", "CameraRate": "30", "NumFrames": "40", "NumMarkers": "15", "Units": "m",
              "OrigDataRate": "30", "OrigDataStartFrame": "1", "OrigNumFrames": "40", "Subject": "S01"}
    (tmp_path / "in.trc").write_text(_trc(values, fields=fields))
    write_poses(tmp_path / "out.trc", read_poses(tmp_path / "in.trc"))
    lines = (tmp_path / "out.trc").read_text().splitlines()
    assert dict(zip(lines[1].split("\t"), lines[2].split("\t"))) == fields
    assert lines[1].split("\t") == list(fields)


def test_a_space_separated_trc_reads_as_the_tab_separated_one(tmp_path):
    """A TRC written with spaces for tabs (a hand-made or re-saved file) was refused with "line 4 must
    start with 'Frame#'", which it does."""
    values = _walk()
    (tmp_path / "tabs.trc").write_text(_trc(values))
    (tmp_path / "spaces.trc").write_text(_trc(values, sep=" "))
    tabs, spaces = read_poses(tmp_path / "tabs.trc"), read_poses(tmp_path / "spaces.trc")
    assert spaces.layout == tabs.layout and spaces.extra["frame_ids"] == tabs.extra["frame_ids"]
    assert np.array_equal(spaces.poses, tabs.poses, equal_nan=True)
    write_poses(tmp_path / "out.trc", spaces)
    assert (tmp_path / "out.trc").read_text().splitlines()[3].split("\t")[2::3][:len(MARKERS)] == MARKERS


def test_a_european_excel_csv_is_named_as_such_not_by_its_cell_counts(tmp_path, capsys):
    """Excel in a comma-decimal locale writes ';' between cells and ',' in numbers: the error said "line 2
    has 4 cells, the header has 1" instead of naming the separators."""
    (tmp_path / "poses.csv").write_text("frame;nose_x;nose_y\n0;1,5;2,5\n1;1,6;2,4\n")
    assert main(["refine", str(tmp_path / "poses.csv"), str(tmp_path / "out.csv")]) == 2
    err = capsys.readouterr().err
    assert "semicolons" in err and "cells" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out.csv").exists()


def test_smpl_nan_values_are_named_with_their_array_and_frame(tmp_path, capsys):
    """A NaN in ``trans`` was reported as "array 'poses': trans must be (T, 3) = (40, 3) finite, got shape
    (40, 3)": the right shape named as the problem, and no frame."""
    rng = np.random.default_rng(0)
    poses, trans = rng.normal(0, 0.1, (40, 72)), np.zeros((40, 3))
    trans[6] = np.nan
    np.savez(tmp_path / "smpl.npz", poses=poses, trans=trans, betas=np.zeros(10))
    assert main(["refine", str(tmp_path / "smpl.npz"), str(tmp_path / "out.npz")]) == 2
    err = capsys.readouterr().err
    assert "'trans'" in err and "frame 6" in err and "got shape" not in err and len(err.strip().splitlines()) == 1
    poses[3, 5] = np.inf
    np.savez(tmp_path / "smpl.npz", poses=poses, trans=np.zeros((40, 3)), betas=np.zeros(10))
    assert main(["refine", str(tmp_path / "smpl.npz"), str(tmp_path / "out.npz"), "--force"]) == 2
    assert "frame 3" in capsys.readouterr().err


@pytest.mark.parametrize("method", ["one-euro", "synsp"])
def test_a_stream_gives_back_a_frame_whose_person_has_no_joint_detected(method):
    """A person listed with every keypoint null (detected, no joint found: ``null`` is "not detected" in
    the stream's format) made the whole line "bad": skipped, its frame never given back, so a caller
    pairing output lines with its video frames went out of step."""
    import io
    import json

    from synsp.integrations.stream import PoseStream, run_stream
    from walking import walking
    frames = [{"t": t, "people": [{"id": 0, "keypoints": [None] * 17 if t in (0, 1, 12) else points.tolist()}]}
              for t, points in enumerate(walking(30)[1])]
    out, err = io.StringIO(), io.StringIO()
    run_stream(PoseStream(method),
               io.StringIO("\n".join(json.dumps(f) for f in frames) + "\n"), out, err)
    back = [json.loads(line) for line in out.getvalue().splitlines()]
    assert [line["t"] for line in back] == list(range(30)) and err.getvalue() == ""
    assert back[0]["people"] == [] and back[12]["people"] == [] and len(back[13]["people"]) == 1


def test_force_never_deletes_what_an_openpose_output_folder_holds_beside_its_frames(tmp_path, capsys):
    """OpenPose writes its rendered images (``--write_images``) or a video beside the JSON frames; a
    folder of frames plus such files counted as "frame files only" and ``--force`` deleted them."""
    import shutil
    from pathlib import Path
    src, out = tmp_path / "json", tmp_path / "openpose_out"
    shutil.copytree(Path(__file__).parent / "fixtures" / "formats" / "openpose_coco18", src)
    shutil.copytree(src, out)
    (out / "walk_000000000000_rendered.png").write_bytes(b"\x89PNG image")
    (out / "sub").mkdir()
    (out / "sub" / "notes.txt").write_text("mine")
    assert main(["refine", str(src), str(out), "--method", "savgol", "--force"]) == 2
    err = capsys.readouterr().err
    assert "walk_000000000000_rendered.png" in err and len(err.strip().splitlines()) == 1
    assert (out / "walk_000000000000_rendered.png").read_bytes() == b"\x89PNG image"
    assert (out / "sub" / "notes.txt").read_text() == "mine"
    (out / "walk_000000000000_rendered.png").unlink()
    shutil.rmtree(out / "sub")
    assert main(["refine", str(src), str(out), "--method", "savgol", "--force"]) == 0  # frames only: replaced

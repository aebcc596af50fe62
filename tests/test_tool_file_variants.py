"""Files as the tools users have write them, in their awkward but legal variants (audit 29): SLEAP's Analysis
CSV, a subset of a layout's joints, a TRC cut short, a folder holding a log beside its poses."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np

from synsp.cli import main
from synsp.formats import read_poses

ROOT = Path(__file__).resolve().parents[1]
TRC = ROOT / "tests" / "fixtures" / "formats" / "pose2sim_halpe26.trc"
NODES = ["nose", "left_shoulder", "right_shoulder", "left_hip", "right_hip", "left_knee", "right_knee",
         "left_ankle", "right_ankle"]  # 9 of COCO-17's joints: read as COCO-17, its 8 others never written


def _walker(frames: int = 40, seed: int = 0) -> np.ndarray:
    """(T, 9, 2) pixels: a standing person's NODES drifting right, with 1.5 px of jitter."""
    rest = np.array([[300, 200], [280, 250], [320, 250], [285, 360], [315, 360], [285, 450], [315, 450],
                     [285, 540], [315, 540]], float)
    drift = np.stack([np.linspace(0, 60, frames), np.zeros(frames)], -1)[:, None]
    return rest + drift + np.random.default_rng(seed).normal(0, 1.5, (frames, len(NODES), 2))


def _sleap_csv(path: Path, xy: np.ndarray) -> None:
    """SLEAP's Analysis CSV (File > Export Analysis CSV): track, frame_idx, instance.score, then per node
    <node>.x, <node>.y, <node>.score; an absent point empty."""
    with open(path, "w", newline="") as f:
        out = csv.writer(f)
        nodes = [f"{n}.{c}" for n in NODES for c in ("x", "y", "score")]
        out.writerow(["track", "frame_idx", "instance.score"] + nodes)
        for t, points in enumerate(xy):
            cells = [v for x, y in points for v in (f"{x:.3f}", f"{y:.3f}", "0.9")]
            if t == 7:
                cells[0:3] = ["", "", ""]  # the nose not found in frame 7
            out.writerow(["track_0", t, "0.95"] + cells)


def test_sleap_analysis_csv_is_read_and_written_back_in_its_own_columns(tmp_path, capsys):
    """Audit 29: SLEAP's Analysis CSV was refused ("header has no <joint>_x/<joint>_y columns")."""
    xy = _walker()
    _sleap_csv(tmp_path / "labels.csv", xy)
    data = read_poses(tmp_path / "labels.csv")
    assert data.layout == "coco17" and data.poses.shape == (1, 40, 17, 2) and data.extra["frame_ids"] == list(range(40))
    assert main(["refine", str(tmp_path / "labels.csv"), str(tmp_path / "out.csv"), "--method", "savgol"]) == 0
    printed = capsys.readouterr().out
    assert "left missing" not in printed, printed  # the 8 joints the file has no column for are never written
    with open(tmp_path / "out.csv", newline="") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    assert header[:2] == ["track", "frame_idx"] and "instance.score" in header and "nose.x" in header
    assert [h for h in header if h.endswith(".x")] == [f"{n}.x" for n in NODES]  # the file's own nodes, in order
    assert len(rows) == 41 and {r[0] for r in rows[1:]} == {"track_0"}
    assert [r[header.index("instance.score")] for r in rows[1:]] == ["0.95"] * 40  # the instance's score as read
    out = np.array([[float(r[header.index(f"{n}.{c}")]) for n in NODES for c in "xy"] for r in rows[1:]])
    assert np.isfinite(out).all()  # the nose filled in frame 7
    assert np.abs(out.reshape(40, 9, 2) - xy).mean() < 3.0  # refined, not moved off the person


def test_a_dotted_user_column_beside_underscore_joints_stays_the_users(tmp_path):
    """Review 3 #2: with SLEAP's '.' accepted, ``bbox.x, bbox.y`` beside ``nose_x`` joints was refined as a joint and
    written back as ``bbox_x``. '.' is the separator only when every coordinate column uses it."""
    xy = _walker(frames=20)
    rows = ["frame," + ",".join(f"{n}_x,{n}_y" for n in NODES) + ",bbox.x,bbox.y"]
    rows += [f"{t}," + ",".join(f"{v:.3f}" for v in xy[t].ravel()) + f",{t + 5.5},{t + 6.25}" for t in range(20)]
    (tmp_path / "mix.csv").write_text("\n".join(rows) + "\n")
    data = read_poses(tmp_path / "mix.csv")
    assert "bbox" not in data.extra.get("joint_names", []) and data.poses.shape[-2] == 17  # 9 nodes as COCO-17
    assert main(["refine", str(tmp_path / "mix.csv"), str(tmp_path / "out.csv"), "--method", "savgol"]) == 0
    with open(tmp_path / "out.csv", newline="") as f:
        out = list(csv.DictReader(f))
    assert "bbox.x" in out[0] and "bbox_x" not in out[0] and "bbox_filled" not in out[0]
    assert [(float(r["bbox.x"]), float(r["bbox.y"])) for r in out] == [(t + 5.5, t + 6.25) for t in range(20)]


def test_an_underscore_user_column_beside_dotted_joints_stays_the_users(tmp_path):
    """Review1 #1: the mirror of the case above. SLEAP's ``nose.x`` joints beside ``centroid_x, centroid_y`` were read
    as one joint, ``centroid``, and the 9 nodes kept as the user's. The separator most coordinate columns use wins."""
    xy = _walker(frames=20)
    rows = ["frame_idx," + ",".join(f"{n}.x,{n}.y" for n in NODES) + ",centroid_x,centroid_y"]
    rows += [f"{t}," + ",".join(f"{v:.3f}" for v in xy[t].ravel()) + f",{t + 5.5},{t + 6.25}" for t in range(20)]
    (tmp_path / "mix.csv").write_text("\n".join(rows) + "\n")
    data = read_poses(tmp_path / "mix.csv")
    assert data.layout == "coco17" and data.poses.shape == (1, 20, 17, 2)  # 9 nodes as COCO-17, no centroid joint
    assert main(["refine", str(tmp_path / "mix.csv"), str(tmp_path / "out.csv"), "--method", "savgol"]) == 0
    with open(tmp_path / "out.csv", newline="") as f:
        out = list(csv.DictReader(f))
    assert "nose.x" in out[0] and "nose_x" not in out[0] and "centroid.x" not in out[0]
    assert [(float(r["centroid_x"]), float(r["centroid_y"])) for r in out] == [(t + 5.5, t + 6.25) for t in range(20)]
    refined = np.array([[float(r[f"{n}.{c}"]) for n in NODES for c in "xy"] for r in out]).reshape(20, 9, 2)
    assert np.abs(refined - xy).mean() < 3.0  # the nodes refined in their own columns


def test_a_joint_the_file_has_but_never_saw_is_still_counted_missing(tmp_path, capsys):
    """The never-seen count leaves out joints the file has no column for, not a column of its own left empty."""
    xy = _walker()
    xy[:, NODES.index("left_knee")] = np.nan  # a column the file has, never filled
    _sleap_csv(tmp_path / "labels.csv", xy)
    assert main(["refine", str(tmp_path / "labels.csv"), str(tmp_path / "out.csv"), "--method", "savgol"]) == 0
    assert "40 joint values left missing: joints never seen in their track" in capsys.readouterr().out


def test_a_trc_cut_short_says_the_rows_it_read(tmp_path, capsys):
    """Audit 29: the frames line counted the cut row the warning said was left out (26 read, 25 written)."""
    lines = TRC.read_text().splitlines(keepends=True)
    (tmp_path / "cut.trc").write_text("".join(lines[:30]) + lines[30][:150])
    assert main(["refine", str(tmp_path / "cut.trc"), str(tmp_path / "out.trc"), "--method", "savgol"]) == 0
    printed = capsys.readouterr().out
    assert "NumFrames 60, but 25 data rows follow: the 25 rows were read" in printed, printed
    assert len(read_poses(tmp_path / "out.trc").poses[0]) == 25


def test_a_folders_log_is_left_out_not_failed(tmp_path, capsys):
    """Audit 29: a folder's logs.txt (Pose2Sim writes one) was read as a CSV table and failed the run (exit 2)."""
    src = tmp_path / "project"
    src.mkdir()
    _sleap_csv(src / "labels.csv", _walker())
    (src / "logs.txt").write_text("Pose2Sim 0.10 - triangulation\nFrames 0 to 40\n")
    np.savetxt(src / "table.txt", _walker(40, 1).reshape(40, -1), delimiter=",",
               header=",".join(f"{n}_{c}" for n in NODES for c in "xy"), comments="")
    assert main(["refine", str(src), str(tmp_path / "out"), "--method", "savgol"]) == 0
    printed = capsys.readouterr().out
    assert "refined 2 file(s)" in printed and "0 failed" in printed and "logs.txt" in printed, printed
    assert (tmp_path / "out" / "table.txt").exists() and not (tmp_path / "out" / "logs.txt").exists()


def test_a_folders_quoted_txt_table_is_refined_and_a_broken_one_fails_with_the_readers_message(tmp_path, capsys):
    """Review 1: a .txt table with quoted header cells (read alone) was left out of a folder run as a log, and a .txt
    table with a fault (a column named twice) left out silently where the same bytes as .csv fail with the reader's
    message: only whether the first line names joint coordinate columns decides."""
    src = tmp_path / "project"
    src.mkdir()
    header = [f"{n}_{c}" for n in NODES for c in "xy"]
    body = "\n".join(",".join(f"{v:.3f}" for v in row) for row in _walker(40, 1).reshape(40, -1)) + "\n"
    (src / "quoted.txt").write_text(",".join(f'"{h}"' for h in header) + "\n" + body)
    (src / "twice.txt").write_text(",".join([header[0], header[0], *header[2:]]) + "\n" + body)
    (src / "notes.txt").write_text("Pose2Sim 0.10 - triangulation\n")
    assert main(["refine", str(src), str(tmp_path / "out"), "--method", "savgol"]) == 2
    printed = capsys.readouterr()
    assert "refined 1 file(s)" in printed.out and "1 failed" in printed.out, printed.out
    assert "left out 1 file(s): no pose format's extension, or a .txt with no joint columns" in printed.out
    assert "twice.txt: FormatError" in printed.err + printed.out and "named twice" in printed.err + printed.out
    assert (tmp_path / "out" / "quoted.txt").exists()


def test_sleap_csv_untracked_and_user_labelled_rows(tmp_path):
    """Audit 29: SLEAP writes an untracked instance's track cell empty (refused: "track '' is not an integer") and a
    user-labelled point's score empty (read as unscored: kept unrefined); now one track, the labels scored 1 as
    SLEAP's .h5 reads them, and both cells written back empty."""
    xy = _walker(30)
    _sleap_csv(tmp_path / "labels.csv", xy)
    rows = (tmp_path / "labels.csv").read_text().splitlines()
    rows = [rows[0]] + [",".join([""] + r.split(",")[1:]) for r in rows[1:]]
    scored = [2] + [5 + 3 * n for n in range(len(NODES))]  # instance.score, then each <node>.score
    rows[4] = ",".join("" if k in scored else cell for k, cell in enumerate(rows[4].split(",")))
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")  # frame 3 labelled by hand: no score
    data = read_poses(tmp_path / "labels.csv")
    assert data.poses.shape[:2] == (1, 30) and data.track_ids is None
    assert (data.scores[0, 3, [0, 5, 6, 11, 12, 13, 14, 15, 16]] == 1.0).all()  # the 9 nodes, as COCO-17's
    assert main(["refine", str(tmp_path / "labels.csv"), str(tmp_path / "out.csv"), "--method", "savgol"]) == 0
    with open(tmp_path / "out.csv", newline="") as f:
        out = list(csv.DictReader(f))
    with open(tmp_path / "out.csv", newline="") as f:  # the empty track column in its place (review 1: it moved last)
        header = next(csv.reader(f))
    assert header[:2] == ["track", "frame_idx"] and header[2:5] == ["nose.x", "nose.y", "nose.score"]
    assert header[-1] == "instance.score"  # a user's column: after the joints', as in a tracked file
    assert [r["track"] for r in out] == [""] * 30 and [r["instance.score"] for r in out][3] == ""
    assert out[3]["nose.score"] == "" and out[2]["nose.score"] == "0.9"
    assert abs(float(out[3]["nose.x"]) - xy[3, 0, 0]) < 3.0 and out[3]["nose.x"] != rows[4].split(",")[3]  # refined


def test_a_trc_cut_short_warns_once_when_its_output_is_replaced(tmp_path, capsys):
    """Audit 29: with OUT there and --force, the check that OUT is no second trial read IN too, and its warning
    (a last row cut short) was printed twice."""
    lines = TRC.read_text().splitlines(keepends=True)
    (tmp_path / "cut.trc").write_text("".join(lines[:30]) + lines[30][:150])
    for _ in range(2):  # the second run replaces the first's output
        assert main(["refine", str(tmp_path / "cut.trc"), str(tmp_path / "out.trc"), "--method", "savgol",
                     "--force"]) == 0
        assert capsys.readouterr().err.count("the file is cut short there") == 1


def test_deeplabcut_unique_body_parts_are_not_counted_missing(tmp_path, capsys):
    """Audit 29: a multi-animal DeepLabCut CSV with a unique body part (individual ``single``) said "360 joint values
    left missing" for the columns it never had (each mouse's corner, the single's animal parts). Audit 31: the
    unique body part is no track (set aside, written back as read; tests/test_dlc_unique_parts.py)."""
    rng = np.random.default_rng(3)
    parts, frames = ["snout", "tailbase"], 30
    columns = [("mouse1", p) for p in parts] + [("mouse2", p) for p in parts] + [("single", "corner")]
    head = [["scorer"] + ["DLC_x"] * 3 * len(columns), ["individuals"] + [i for i, _ in columns for _ in range(3)],
            ["bodyparts"] + [p for _, p in columns for _ in range(3)],
            ["coords"] + ["x", "y", "likelihood"] * len(columns)]
    body = [[str(t)] + [f"{v:.3f}" for k in range(len(columns))
                         for v in (100 + 80 * k + t + rng.normal(0, 1), 200 + 10 * k + rng.normal(0, 1), 0.95)]
            for t in range(frames)]
    (tmp_path / "miceDLC_dlcrnetms5_x_el.csv").write_text("\n".join(",".join(r) for r in head + body) + "\n")
    assert main(["refine", str(tmp_path / "miceDLC_dlcrnetms5_x_el.csv"), str(tmp_path / "out.csv"),
                 "--method", "savgol"]) == 0
    printed = capsys.readouterr().out
    assert "2 track(s)" in printed and "left missing" not in printed, printed
    assert "unique body parts: 1 of DeepLabCut's 'single' individual (corner)" in printed
    assert (tmp_path / "out.csv").read_text().splitlines()[:4] == [",".join(r) for r in head]

"""A file naming some of COCO-17's or H36M-17's joints (a DeepLabCut project's 8 body parts of a person): read as
that layout's joints, refined by SynSP, written back as the file's own; ``--layout`` told of it by its names."""
from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from synsp.cli import main
from synsp.formats import read_poses, write_poses
from synsp.formats.joint_subsets import match_subset
from synsp.formats.marker_names import spellings

FIXTURES = Path(__file__).parent / "fixtures" / "formats"
SUBSET = FIXTURES / "personDLC_subset8.csv"  # a validation walk's nose, shoulders, wrists, left hip, ankles
NAMES = ["nose", "LShoulder", "shoulder_r", "wrist_l", "RWrist", "left_hip", "Ankle.L", "r_ankle"]


def _renamed(tmp_path: Path, names: list[str]) -> Path:
    """The fixture with its body parts called ``names``."""
    rows = list(csv.reader(SUBSET.read_text().splitlines()))
    rows[1] = ["bodyparts"] + [names[(c - 1) // 3] for c in range(1, len(rows[1]))]
    path = tmp_path / "renamed.csv"
    with open(path, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(rows)
    return path


def test_side_spellings_and_the_fewest_joints_named():
    for name in ("left_wrist", "LWrist", "L_Wrist", "wrist_l", "Wrist.L", "WristLeft", "leftWrist", "l_wrist"):
        assert "left_wrist" in spellings(name), name
    assert spellings("mouth_left")[0] == "mouth_left"  # a layout's own name comes first
    assert "left_wrist" in spellings("wristleft") and spellings("wristl") == ("wristl",)  # only whole words glued on
    assert "left_wrist" in spellings("leftwrist") and "right_wrist" in spellings("rwrist")  # LeftWrist's, RWrist's
    assert spellings("leg") == ("leg",) and spellings("lip_top") == ("lip_top",)  # l + no side's joint: no side
    assert match_subset(NAMES) == ("coco17", [0, 5, 6, 9, 10, 11, 15, 16])
    assert match_subset(NAMES[:7]) is None  # 7 joints: SmoothNet's, as joints of no layout
    assert match_subset(["snout", "left_ear", "right_ear", "tailbase", "nose", "left_eye", "right_eye", "neck"]) is None
    assert match_subset(NAMES[1:] + ["head"]) is None  # no nose: H36M-17's, read so in 2D by --layout h36m17 only
    assert match_subset(NAMES[1:] + ["head"], ("coco17", "h36m17")) == ("h36m17", [11, 14, 13, 16, 4, 6, 3, 10])


def test_a_subset_reads_as_the_layout_and_writes_back_byte_for_byte(tmp_path):
    data = read_poses(SUBSET)
    assert data.layout == "coco17" and data.poses.shape == (1, 90, 17, 2)
    assert np.isnan(data.poses[0, :, [1, 2, 3, 4, 7, 8, 12, 13, 14]]).all()
    assert "told by the file's 8 joint names" in data.extra["notes"][0]
    write_poses(tmp_path / "out.csv", data)
    assert (tmp_path / "out.csv").read_bytes() == SUBSET.read_bytes()


def test_refine_a_subset_by_synsp_and_layout_told_by_names(tmp_path, capsys):
    out = tmp_path / "out.csv"
    assert main(["refine", str(SUBSET), str(out)]) == 0
    said = capsys.readouterr().out
    assert "layout: coco17, told by the file's 8 joint names" in said  # SynSP gives way: over a fifth never seen
    assert "53% of the model's joints never seen" in said and "so refined by SmoothNet" in said
    rows, before = list(csv.reader(out.read_text().splitlines())), list(csv.reader(SUBSET.read_text().splitlines()))
    assert rows[:3] == before[:3] and len(rows) == len(before)  # the file's own body parts, nothing added
    refined, noisy = read_poses(out).poses, read_poses(SUBSET).poses
    assert np.isfinite(refined[0, :, [0, 5, 6, 9, 10, 11, 15, 16]]).all() and not np.allclose(refined, noisy,
                                                                                               equal_nan=True)
    assert main(["refine", str(SUBSET), str(tmp_path / "sn.csv"), "--method", "smoothnet"]) == 0
    # SmoothNet in the layout's route (its light-noise low-pass, ...), not as joints of no layout
    assert not np.allclose(read_poses(tmp_path / "sn.csv").poses, refined, equal_nan=True)
    # --layout h36m17 reads the same names as H36M-17's: the nose is none of its joints, said in one line
    capsys.readouterr()
    assert main(["refine", str(SUBSET), str(tmp_path / "h.csv"), "--layout", "h36m17"]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "--layout h36m17 has 17 joints but" in error and "(nose;" in error
    headless = _renamed(tmp_path, ["head"] + NAMES[1:])
    assert main(["refine", str(headless), str(tmp_path / "h.csv"), "--layout", "h36m17"]) == 0
    assert "layout: h36m17, told by the file's 8 joint names" in capsys.readouterr().out
    # names that are no joints of the layout: a one-line error, not a count alone
    own = _renamed(tmp_path, ["head", "shL", "shR", "handL", "handR", "hipL", "footL", "footR"])
    assert main(["refine", str(own), str(tmp_path / "o.csv"), "--layout", "coco17"]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "its joint names do not say which of coco17's" in error
    assert main(["refine", str(own), str(tmp_path / "o.csv")]) == 0  # without --layout: joints of no layout


def test_a_sleap_file_and_a_csv_of_a_subset_read_as_coco17_and_written_as_their_own(tmp_path, capsys):
    tables = pytest.importorskip("tables")
    poses = read_poses(SUBSET).poses[:, :, [0, 5, 6, 9, 10, 11, 15, 16]]  # (1, 90, 8, 2), the file's own order
    path = tmp_path / "person.analysis.h5"
    with tables.open_file(path, "w") as f:
        f.create_array("/", "tracks", poses.transpose(0, 3, 2, 1))  # (tracks, 2, nodes, frames), as SLEAP exports
        f.create_array("/", "node_names", np.array([n.encode() for n in NAMES]))
        f.create_array("/", "track_occupancy", np.ones((90, 1), np.uint8))
    data = read_poses(path)
    assert data.layout == "coco17" and data.poses.shape == (1, 90, 17, 2)
    assert main(["refine", str(path), str(tmp_path / "out.h5")]) == 0
    assert "layout: coco17, told by the file's 8 joint names" in capsys.readouterr().out
    with tables.open_file(tmp_path / "out.h5") as f:
        tracks, nodes = f.root.tracks.read(), [n.decode() for n in f.root.node_names.read()]
    assert tracks.shape == (1, 2, 8, 90) and nodes == NAMES and np.isfinite(tracks).all()
    # a 2D CSV of the same names reads so too; a 3D one keeps its names (3D: --layout h36m17 says so)
    for coords in ("xy", "xyz"):
        header = ",".join(f"{n}_{c}" for n in NAMES for c in coords)
        body = "\n".join(",".join(["1.5"] * len(NAMES) * len(coords)) for _ in range(3))
        (tmp_path / "p.csv").write_text(f"frame,{header}\n" + "\n".join(f"{t},{r}" for t, r in enumerate(
            body.splitlines())) + "\n")
        assert read_poses(tmp_path / "p.csv").layout == ("coco17" if coords == "xy" else None)


def test_an_array_of_fewer_joints_than_the_layout_told_says_what_it_needs(tmp_path, capsys):
    np.save(tmp_path / "a.npy", read_poses(SUBSET).poses[0][:, [0, 5, 6, 9, 10, 11, 15, 16]])
    assert main(["refine", str(tmp_path / "a.npy"), str(tmp_path / "o.npy"), "--layout", "coco17"]) == 2
    error = capsys.readouterr().err.strip()
    assert len(error.splitlines()) == 1 and "has 8 (all 17 are needed, NaN for those absent" in error


def test_fewer_than_eight_names_stay_the_files_own_and_the_summary_says_why(tmp_path, capsys):
    rows = list(csv.reader(SUBSET.read_text().splitlines()))
    seven = [[r[0]] + r[1:22] for r in rows]  # the first 7 body parts
    path = tmp_path / "seven.csv"
    with open(path, "w", newline="") as f:
        csv.writer(f, lineterminator="\n").writerows(seven)
    assert read_poses(path).layout is None
    assert main(["refine", str(path), str(tmp_path / "o.csv")]) == 0
    assert "names are coco17's, but fewer than 8" in capsys.readouterr().out
    assert main(["refine", str(path), str(tmp_path / "o.csv"), "--layout", "coco17", "--force"]) == 0
    said = capsys.readouterr().out
    assert "layout: coco17, told by the file's 7 joint names" in said and "fewer than 8" not in said


def test_a_sleap_file_of_coco17s_names_in_its_own_order_writes_back_in_it(tmp_path):
    tables = pytest.importorskip("tables")
    from synsp.skeleton import LAYOUTS

    order = list(range(17))[::-1]  # COCO-17's names, last first: no layout's order
    poses = np.random.default_rng(0).normal(300, 50, (1, 30, 17, 2))
    path = tmp_path / "reversed.analysis.h5"
    with tables.open_file(path, "w") as f:
        f.create_array("/", "tracks", poses.transpose(0, 3, 2, 1))
        f.create_array("/", "node_names", np.array([LAYOUTS["coco17"].joints[j].encode() for j in order]))
    data = read_poses(path)
    assert data.layout == "coco17" and np.array_equal(data.poses[:, :, order], poses)
    write_poses(tmp_path / "out.h5", data)
    with tables.open_file(tmp_path / "out.h5") as f:
        assert np.array_equal(f.root.tracks.read(), poses.transpose(0, 3, 2, 1))


def _side_first(joint: str) -> str:
    """``left_shoulder`` -> ``leftshoulder``: the side first, glued on."""
    return joint.replace("_", "")


def _letter_first(joint: str) -> str:
    """``left_shoulder`` -> ``lshoulder``: the side's letter first, glued on (``nose`` stays ``nose``)."""
    side, _, part = joint.partition("_")
    return side[0] + part.replace("_", "") if side in ("left", "right") else joint


@pytest.mark.parametrize("glue, example", [
    (lambda j: "".join(reversed(j.split("_"))), "shoulderleft"),  # the side last, glued on
    (_side_first, "leftshoulder"), (_letter_first, "lshoulder")])
def test_side_glued_on_in_lower_case_reads_as_the_layout(tmp_path, glue, example):
    """A DeepLabCut project's ``shoulderleft``, ``leftshoulder`` or ``lshoulder`` is ``ShoulderLeft`` (Kinect's),
    ``LeftShoulder`` or ``LShoulder`` is ``left_shoulder``, columns shuffled."""
    from synsp.skeleton import LAYOUTS

    coco = LAYOUTS["coco17"].joints
    glued = {j: glue(j) for j in coco}
    order = np.random.default_rng(0).permutation(17)
    poses = np.random.default_rng(1).normal(300, 50, (20, 17, 2))
    header = [f"{glued[coco[j]]}_{c}" for j in order for c in ("x", "y", "score")]
    rows = [",".join(f"{v:.3f}" for j in order for v in (*poses[t, j], 0.9)) for t in range(20)]
    path = tmp_path / "dlc_glued.csv"
    path.write_text("\n".join([",".join(header), *rows]) + "\n")
    data = read_poses(path)
    assert f"{example}_x" in header and data.layout == "coco17"
    np.testing.assert_allclose(data.poses[0], poses, atol=1e-3)

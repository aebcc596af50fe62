"""SLEAP's analysis HDF5 export: read, refined track by track, written back with its other datasets."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from synsp.cli import main
from synsp.formats import detect_format, read_poses, write_poses
from walking import walking

tables = pytest.importorskip("tables")
DLC_H5 = Path(__file__).parent / "fixtures" / "formats" / "walkDLC_resnet50_walkSep1shuffle1_100000.h5"
NODES = ["head", "eye", "pec_fin", "mid_body", "tail"]


def _fish() -> np.ndarray:
    """Two fish (V, T, J, 2) in pixels, the second absent for 12 frames, one tail lost for 5."""
    clean, noisy = walking(80)
    poses = np.stack([noisy[:, 5:10], noisy[:, 5:10] + [250, 40]])
    poses[1, 30:42] = np.nan  # not detected: track_occupancy 0
    poses[0, 50:55, 4] = np.nan  # a node not found in an occupied frame
    return poses


def _sleap_file(path: Path, poses: np.ndarray) -> Path:
    """As SLEAP's export writes it: datasets transposed for MATLAB, gzip-compressed, NaN where absent."""
    n_tracks, n_frames, n_nodes, _ = poses.shape
    seen = np.isfinite(poses).all(-1)
    gzip = tables.Filters(complevel=9, complib="zlib")
    with tables.open_file(path, "w") as f:
        f.create_carray("/", "tracks", obj=poses.transpose(0, 3, 2, 1), filters=gzip)  # (tracks, 2, nodes, frames)
        f.create_array("/", "node_names", np.array([n.encode() for n in NODES]))
        f.create_array("/", "track_names", np.array([b"track_0", b"track_1"]))
        f.create_carray("/", "track_occupancy", obj=seen.any(-1).T.astype(np.uint8), filters=gzip)  # (frames, tracks)
        f.create_carray("/", "point_scores", obj=np.where(seen, 0.9, np.nan).transpose(0, 2, 1), filters=gzip)
        f.create_carray("/", "instance_scores", obj=np.where(seen.any(-1), 0.8, np.nan), filters=gzip)
        f.create_carray("/", "tracking_scores", obj=np.where(seen.any(-1), 0.7, np.nan), filters=gzip)
        f.create_array("/", "edge_inds", np.array([[0, 1], [0, 2], [0, 3], [3, 4]]).T)
        f.create_array("/", "labels_path", np.bytes_("fish.slp"))
    return path


def _datasets(path: Path) -> dict[str, np.ndarray]:
    with tables.open_file(path) as f:
        return {node._v_name: node.read() for node in f.walk_nodes("/", classname="Leaf")}


def test_sleap_file_is_detected_by_its_datasets_and_read_as_tracks(tmp_path):
    poses = _fish()
    src = _sleap_file(tmp_path / "fish.analysis.h5", poses)
    assert detect_format(src) == "sleap" and detect_format(DLC_H5) == "dlc"
    data = read_poses(src)
    assert data.poses.shape == (2, 80, 5, 2) and data.extra["sleap"]["nodes"] == NODES
    np.testing.assert_array_equal(data.poses, poses)
    assert data.extra["absent"][1, 30:42].all() and not data.extra["absent"][0].any()
    assert np.allclose(data.scores[np.isfinite(poses).all(-1)], 0.9)


def test_sleap_refine_writes_the_same_datasets_tracks_apart_absent_stays_absent(tmp_path):
    poses = _fish()
    src = _sleap_file(tmp_path / "fish.analysis.h5", poses)
    out = tmp_path / "out.analysis.h5"
    assert main(["refine", str(src), str(out), "--method", "savgol"]) == 0
    before, after = _datasets(src), _datasets(out)
    assert sorted(before) == sorted(after)
    for name in before:
        assert after[name].dtype == before[name].dtype and after[name].shape == before[name].shape, name
        if name != "tracks":
            np.testing.assert_array_equal(after[name], before[name], err_msg=name)  # copied unchanged
    refined = after["tracks"].transpose(0, 3, 2, 1)
    assert np.isnan(refined[1, 30:42]).all()  # the fish SLEAP did not see is not invented
    assert np.isfinite(np.delete(refined[1], np.s_[30:42], axis=0)).all()
    assert np.abs(refined - poses)[np.isfinite(poses)].max() < 30  # each fish refined on its own, none pulled over
    assert not np.array_equal(refined[0, :10], poses[0, :10])  # and they did move


def test_poses_from_elsewhere_written_as_sleap(tmp_path):
    poses = _fish()
    np.save(tmp_path / "fish.npy", poses)
    assert main(["refine", str(tmp_path / "fish.npy"), str(tmp_path / "new.analysis.h5"), "--method", "savgol",
                 "--format", "sleap"]) == 0
    back = read_poses(tmp_path / "new.analysis.h5")
    assert back.format == "sleap" and back.poses.shape == poses.shape
    assert {"tracks", "node_names", "track_names", "track_occupancy", "point_scores", "instance_scores",
            "tracking_scores"} <= set(_datasets(tmp_path / "new.analysis.h5"))


def test_read_unchanged_writes_the_same_tracks(tmp_path):
    src = _sleap_file(tmp_path / "fish.analysis.h5", _fish())
    write_poses(tmp_path / "same.analysis.h5", read_poses(src))
    np.testing.assert_array_equal(_datasets(tmp_path / "same.analysis.h5")["tracks"], _datasets(src)["tracks"])


def test_export_without_transpose_reads_the_same(tmp_path):
    poses = _fish()
    with tables.open_file(tmp_path / "plain.h5", "w") as f:
        f.create_array("/", "tracks", poses.transpose(1, 2, 3, 0))  # (frames, nodes, 2, tracks)
        f.create_array("/", "node_names", np.array([n.encode() for n in NODES]))
        f.create_array("/", "track_occupancy", np.isfinite(poses).all(-1).any(-1).astype(np.uint8))
    data = read_poses(tmp_path / "plain.h5")
    np.testing.assert_array_equal(data.poses, poses)
    write_poses(tmp_path / "back.h5", data)
    np.testing.assert_array_equal(_datasets(tmp_path / "back.h5")["tracks"], poses.transpose(1, 2, 3, 0))

"""Mocap clips: names, loading in every layout, the cache, and rigid bones on every file."""
from __future__ import annotations

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

from synsp.data.mocap import ClipInfo, clip_info, list_clips, load_clip, load_clips
from synsp.data.splits import clip_frames
from synsp.skeleton import get_layout


@pytest.fixture
def mocap_dir() -> Path:
    from synsp.paths import data_root

    try:
        return data_root() / "bandai-namco"
    except FileNotFoundError:
        pytest.skip("shared data folder (bandai-namco mocap) not found")


@pytest.fixture
def fresh_cache(tmp_path, monkeypatch) -> Path:
    monkeypatch.setenv("SYNSP_CACHE", str(tmp_path / "cache"))
    return tmp_path / "cache"


def test_clip_info_parses_hyphenated_names():
    assert clip_info("dataset-2_walk-turn-left_normal_012") == ClipInfo(
        "dataset-2_walk-turn-left_normal_012", 2, "walk-turn-left", "normal", 12)
    info = clip_info("dataset-1_dance-long_not-confident_001")
    assert (info.dataset, info.content, info.style, info.take) == (1, "dance-long", "not-confident", 1)
    for bad in ["walk_normal_001", "dataset-3_walk_normal_001", "dataset-1_walk_normal", "dataset-1_walk_normal_x"]:
        with pytest.raises(ValueError, match="name"):
            clip_info(bad)


def test_list_clips(mocap_dir):
    names = list_clips()
    assert len(names) == 639 and names == sorted(names)
    assert sum(clip_info(n).dataset == 1 for n in names) == 174
    assert "dataset-2_raise-up-both-hands_normal_001" in names


def test_load_clip_layouts(mocap_dir, fresh_cache):
    name = "dataset-1_walk_normal_001"
    n = clip_frames(name)
    for layout, joints in [("bandai22", 22), ("h36m17", 17), ("coco17", 17)]:
        x = load_clip(name, layout=layout)
        assert x.shape == (n, joints, 3) and x.dtype == np.float32
    h36m = load_clip(name)
    assert 800 < h36m[:, 0, 1].mean() < 950  # pelvis height: millimetres, Y up
    assert np.ptp(h36m[:, 0, 2]) > 5000  # walks several metres
    smpl = load_clip(name, layout="smpl24")  # SMPL's template body, moved as the actor moves
    assert smpl.shape == (n, 24, 3) and 800 < smpl[:, 0, 1].mean() < 1050 and np.ptp(smpl[:, 0, 2]) > 5000
    np.testing.assert_array_equal(load_clip(name, layout="smpl22"), smpl[:, :22])
    with pytest.raises(ValueError, match="layout"):
        load_clip(name, layout="smpl99")
    with pytest.raises(FileNotFoundError):
        load_clip("dataset-1_walk_normal_999")


def test_other_layouts_on_the_mocap(mocap_dir, fresh_cache):
    """Halpe-26, BODY-25 and MediaPipe-33 share COCO's keypoints with the coco17 clip; their feet
    reach the floor, heels behind the toes, and every point keeps its distance to its segment."""
    name = "dataset-1_walk_normal_001"
    coco = load_clip(name, layout="coco17")
    for layout in ("halpe26", "body25", "mediapipe33"):
        x = load_clip(name, layout=layout)
        names = get_layout(layout).joints
        assert x.shape == (len(coco), len(names), 3) and x.dtype == np.float32 and np.isfinite(x).all()
        np.testing.assert_allclose(x[:, [names.index(n) for n in get_layout("coco17").joints]], coco, atol=1e-3)
        for foot in ("left", "right"):
            toe = x[:, names.index(f"{foot}_{'foot_index' if layout == 'mediapipe33' else 'big_toe'}")]
            heel, ankle = x[:, names.index(f"{foot}_heel")], x[:, names.index(f"{foot}_ankle")]
            assert -30 < toe[:, 1].min() < 60 and heel[:, 1].min() < ankle[:, 1].min()
            walk = coco[-1, 11] - coco[0, 11]
            assert ((toe - heel) @ (walk / np.linalg.norm(walk))).mean() > 100
            assert np.ptp(np.linalg.norm(heel - ankle, axis=-1)) < 1e-3
    mp = load_clip(name, layout="mediapipe33")
    joints = get_layout("mediapipe33").joints
    index, wrist = mp[:, joints.index("left_index")], mp[:, joints.index("left_wrist")]
    np.testing.assert_allclose(np.linalg.norm(index - wrist, axis=-1), np.hypot(85, 20), rtol=1e-4)


def test_coco_face_looks_forward(mocap_dir, fresh_cache):
    """The nose is ahead of the ears in the walking direction, the eyes above the nose."""
    for name in ["dataset-1_walk_normal_001", "dataset-2_walk_normal_002", "dataset-1_walk-back_normal_001"]:
        c = load_clip(name, layout="coco17")
        pelvis = (c[:, 11] + c[:, 12]) / 2
        move = pelvis[-1] - pelvis[0]
        move[1] = 0
        move /= np.linalg.norm(move)
        if "walk-back" in name:
            move = -move
        ears = (c[:, 3] + c[:, 4]) / 2
        assert ((c[:, 0] - ears) @ move).mean() > 50
        assert (c[:, 1, 1] > c[:, 0, 1]).all() and (c[:, 2, 1] > c[:, 0, 1]).all()
        # left eye/ear on the actor's left: left = up x forward
        left = np.cross([0, 1, 0], move)
        assert ((c[:, 3] - c[:, 4]) @ left).mean() > 100


def test_cache_second_load_equals_first(mocap_dir, fresh_cache):
    names = ["dataset-1_bow_angry_001", "dataset-2_run_normal_003"]
    first = load_clips(names, layout="coco17")
    files = sorted((fresh_cache / "mocap").glob("*.npz"))
    assert [f.stem for f in files] == sorted(names)
    mtimes = [f.stat().st_mtime_ns for f in files]
    second = load_clips(names, layout="coco17")
    assert [f.stat().st_mtime_ns for f in files] == mtimes  # read, not rebuilt
    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="names"):
        load_clips("dataset-1_bow_angry_001")


def test_stale_cache_rebuilds(mocap_dir, fresh_cache, tmp_path):
    name = "dataset-1_bow_angry_001"
    root = tmp_path / "mocap"
    (root / "ds1").mkdir(parents=True)
    path = root / "ds1" / f"{name}.bvh"
    shutil.copy(mocap_dir / "ds1" / f"{name}.bvh", path)
    before = load_clip(name, "bandai22", root=root)
    assert list_clips(root) == [name]
    # Raise joint_Root by 1 cm in every frame: same size, new mtime -> the cache must rebuild.
    head, motion = path.read_text().split("Frame Time:")
    rows = motion.split("\n")
    rows[1:] = [r.replace("0 0 0 ", "0 1 0 ", 1) if r.startswith("0 0 0 ") else r for r in rows[1:]]
    path.write_text(head + "Frame Time:" + "\n".join(rows))
    os.utime(path, ns=(path.stat().st_atime_ns, path.stat().st_mtime_ns + 10**9))
    after = load_clip(name, "bandai22", root=root)
    np.testing.assert_allclose(after - before, np.broadcast_to([0, 10, 0], before.shape), atol=1e-3)


@pytest.mark.slow
def test_every_clip_has_rigid_bones_and_header_frames(mocap_dir):
    """All 639 files (through the default cache: ~5 s to build once, under 1 s after)."""
    names = list_clips()
    layout = get_layout("bandai22")
    parent, child = np.array(layout.bones).T
    total = 0
    for name, x in zip(names, load_clips(names, layout="bandai22")):
        assert len(x) == clip_frames(name), name
        lengths = np.linalg.norm(x[:, child] - x[:, parent], axis=-1)  # (T, bones) mm
        assert np.ptp(lengths, axis=0).max() < 0.01, name  # float32 rounding of metres-away points
        assert lengths.min() > 50, name
        total += len(x)
    assert total > 80_000

"""The shipped train/val/test split: disjoint, complete, held-out styles, reproducible."""
from __future__ import annotations

import pytest

from synsp.data.mocap import clip_info
from synsp.data.splits import SPLITS, load_split, load_split_file, make_splits


@pytest.fixture
def all_clips() -> list[str]:
    from synsp.data.mocap import list_clips

    try:
        return list_clips()
    except FileNotFoundError:
        pytest.skip("shared data folder (bandai-namco mocap) not found")


def test_splits_are_disjoint_and_named():
    sets = {s: set(load_split(s)) for s in SPLITS}
    assert all(len(v) > 0 for v in sets.values())
    assert not sets["train"] & sets["val"] and not sets["train"] & sets["test"] and not sets["val"] & sets["test"]
    for names in sets.values():
        for name in names:
            clip_info(name)  # a valid clip name
    assert sorted(load_split("train")) == load_split("train")


def test_unknown_split():
    with pytest.raises(ValueError, match="train, val, test"):
        load_split("dev")


def test_held_out_pairs_never_trained_on():
    data = load_split_file()
    trained = {(clip_info(n).content, clip_info(n).style) for n in load_split("train")}
    for split in ("val", "test"):
        held = {tuple(p) for p in data["held_out_pairs"][split]}
        assert held and not held & trained
        in_split = {(clip_info(n).content, clip_info(n).style) for n in load_split(split) if clip_info(n).dataset == 1}
        assert in_split == held  # dataset-1 clips of val/test are exactly the held-out pairs
    assert not {tuple(p) for p in data["held_out_pairs"]["val"]} & {tuple(p) for p in data["held_out_pairs"]["test"]}


def test_every_content_and_style_is_trained():
    train = [clip_info(n) for n in load_split("train")]
    every = [clip_info(n) for s in SPLITS for n in load_split(s)]
    assert {i.content for i in every} == {i.content for i in train}
    assert {i.style for i in every} == {i.style for i in train}
    test_ds2 = {clip_info(n).content for n in load_split("test") if clip_info(n).dataset == 2}
    assert len(test_ds2) == 10  # held-out takes of every dataset-2 content


def test_frames_roughly_80_10_10():
    frames = load_split_file()["frames"]
    total = sum(frames.values())
    assert 0.75 < frames["train"] / total < 0.85
    assert 0.07 < frames["val"] / total < 0.13 and 0.07 < frames["test"] / total < 0.13


def test_union_is_every_clip_and_file_is_reproducible(all_clips):
    assert sorted(n for s in SPLITS for n in load_split(s)) == all_clips
    rebuilt = make_splits()
    shipped = load_split_file()
    for key in (*SPLITS, "held_out_pairs", "frames", "seed"):
        assert rebuilt[key] == shipped[key], key
    assert make_splits(seed=1)["test"] != shipped["test"]

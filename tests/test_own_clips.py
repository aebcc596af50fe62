"""Training on your own clean clips (``[data] own_clips``) instead of the Bandai split's."""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from conftest import tiny_config
from synsp.errors import InputNotFoundError, OptionError, ShapeError
from synsp.formats import read_poses
from synsp.inference.checkpoint import load_checkpoint, load_model
from synsp.sequence import fill_gaps
from synsp.skeleton import convert
from synsp.training.train import train

TRC = Path(__file__).parent / "fixtures" / "formats" / "pose2sim_halpe26.trc"


def _clips(folder: Path, names: list[str], layout: str = "h36m17") -> list[Path]:
    """Clean clips in mm (T = 40), cut from the Pose2Sim fixture (a person walking, Y up)."""
    poses = convert(read_poses(TRC).poses[0], "halpe26", layout)  # mm
    poses = fill_gaps(poses)[0].astype(np.float32)
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i, name in enumerate(names):
        clip = poses[i * 4: i * 4 + 40] + np.float32(300 * i) * np.array([1, 0, 0], np.float32)
        path = folder / name
        if path.suffix == ".npz":
            np.savez(path, poses=clip, fps=30.0)
        else:
            np.save(path, clip)
        paths.append(path)
    return paths


@pytest.fixture
def no_bandai(monkeypatch):
    """The Bandai clips must not be read (the test runs without the shared data too)."""
    def refuse(*args, **kwargs):
        raise AssertionError("the Bandai clips were read")

    monkeypatch.setattr("synsp.training.train.load_clips", refuse)
    monkeypatch.setattr("synsp.training.train.load_split", refuse)
    monkeypatch.setattr("synsp.evaluation.protocol.load_clips", refuse)
    monkeypatch.setattr("synsp.evaluation.protocol.load_split", refuse)


def test_training_on_a_folder_of_own_clips_records_the_split(tmp_path, no_bandai):
    files = _clips(tmp_path / "clips", ["a.npy", "b.npz", "c.npy", "d.npy", "e.npz"])
    config = tiny_config(tmp_path / "run", windows_per_epoch=64, train_clips=0, val_clips=0,
                         own_clips=str(tmp_path / "clips"), own_split_seed=3)
    best = train(config, log=lambda s: None)
    ckpt = load_checkpoint(best)
    used = ckpt["meta"]["own_clips"]
    assert len(used["val"]) == 1 and len(used["train"]) == 4  # own_val_share 0.2 of 5
    assert sorted(used["train"] + used["val"]) == sorted(map(str, files))
    assert ckpt["config"]["data"]["own_clips"] == str(tmp_path / "clips")
    assert np.isfinite(ckpt["meta"]["val_mpjpe"])
    refined = load_model(best, device="cpu").refine(np.load(files[0]))
    assert refined.shape == (40, 17, 3) and np.isfinite(refined).all()
    # the same folder and seed give the same split; resuming with other files is refused
    again = train(tiny_config(tmp_path / "run2", windows_per_epoch=64, train_clips=0, val_clips=0,
                              own_clips=str(tmp_path / "clips"), own_split_seed=3), log=lambda s: None)
    assert load_checkpoint(again)["meta"]["own_clips"] == used
    _clips(tmp_path / "clips", ["a.npy", "b.npz", "c.npy", "d.npy", "e.npz", "f.npy"])
    with pytest.raises(ValueError, match="own_clips finds other files"):
        train(tiny_config(tmp_path / "run", epochs=2, windows_per_epoch=64, train_clips=0, val_clips=0,
                          own_clips=str(tmp_path / "clips"), own_split_seed=3), resume=True, log=lambda s: None)


@pytest.mark.parametrize("space", ["3d", "2d"])
def test_two_globs_in_3d_and_2d(tmp_path, no_bandai, space):
    """2D training projects the clips (3D, mm) through its random cameras, as it does the mocap."""
    _clips(tmp_path, ["train_1.npy", "train_2.npy", "val_1.npz"], "h36m17" if space == "3d" else "coco17")
    lines = []
    config = tiny_config(tmp_path / "run", space=space, windows_per_epoch=64, train_clips=0, val_clips=0,
                         own_clips=str(tmp_path / "train_*.npy"), own_val_clips=str(tmp_path / "val_*.npz"))
    used = load_checkpoint(train(config, log=lines.append))["meta"]["own_clips"]
    assert used == {"train": [str(tmp_path / "train_1.npy"), str(tmp_path / "train_2.npy")],
                    "val": [str(tmp_path / "val_1.npz")]}
    assert any(line.startswith("epoch 1:") for line in lines)
    with pytest.raises(OptionError, match="is a training clip too"):
        train(tiny_config(tmp_path / "r2", space=space, own_clips=str(tmp_path / "*.np*"),
                          own_val_clips=str(tmp_path / "val_*")), log=lambda s: None)


def test_bad_own_clips_are_one_line_errors_naming_the_file(tmp_path, no_bandai):
    good = _clips(tmp_path / "c", ["a.npy", "b.npy"])
    bad = {"metres.npy": np.load(good[0]) / 1000, "joints.npy": np.load(good[0])[:, :16],
           "nan.npy": np.where(np.arange(17)[None, :, None] == 5, np.nan, np.load(good[0]))}
    messages = {"metres.npy": "in metres; training clips are in millimetres", "joints.npy": "must be (T, 17, 3)",
                "nan.npy": "frame 0, joint 5"}
    for name, clip in bad.items():
        folder = tmp_path / name.removesuffix(".npy")
        _clips(folder, ["a.npy", "b.npy"])
        np.save(folder / name, clip)
        with pytest.raises(ShapeError, match=re.escape(messages[name])) as err:
            train(tiny_config(tmp_path / "run", own_clips=str(folder)), log=lambda s: None)
        assert str(folder / name) in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(InputNotFoundError, match="no .npy or .npz file"):
        train(tiny_config(tmp_path / "run", own_clips=str(tmp_path / "nothing*")), log=lambda s: None)
    with pytest.raises(OptionError, match="input_layouts is about the Bandai mocap"):
        train(tiny_config(tmp_path / "run", own_clips=str(tmp_path / "c"), input_layouts={"halpe26": 0.5}),
              log=lambda s: None)


def test_the_readme_config_for_own_clips_reads():
    from synsp.config import load_config

    config = load_config(Path(__file__).parents[1] / "configs" / "own-clips.toml")
    assert config.data.own_clips == "out/my_clips" and config.data.own_val_share == 0.2

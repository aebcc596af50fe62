"""The trainer: checkpoints, exact resume, data-parallel runs, and the model they rebuild."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
import torch

from conftest import needs_data, tiny_config
from synsp.config import load_config
from synsp.inference.checkpoint import load_checkpoint, load_model
from synsp.training.train import train

pytestmark = needs_data


def test_checkpoint_carries_config_and_loads_weights_only(tmp_path):
    config = tiny_config(tmp_path)
    best = train(config, log=lambda s: None)
    payload = torch.load(best, weights_only=True)
    assert set(payload) == {"config", "state_dict", "meta"}
    assert payload["config"] == config.to_dict()
    last = load_checkpoint(tmp_path / "last.pt")
    assert {"optimizer", "scheduler", "rng", "epoch", "history"} <= set(last)
    assert (tmp_path / "log.jsonl").read_text().count("\n") == 1


def test_resume_continues_exactly(tmp_path):
    straight = tiny_config(tmp_path / "a", epochs=2)
    train(straight, log=lambda s: None)
    first = tiny_config(tmp_path / "b", epochs=1)
    train(first, log=lambda s: None)
    resumed = tiny_config(tmp_path / "b", epochs=2)  # a longer budget may be given on resume
    train(resumed, resume=True, log=lambda s: None)
    a = load_checkpoint(tmp_path / "a" / "last.pt")["state_dict"]
    b = load_checkpoint(tmp_path / "b" / "last.pt")["state_dict"]
    for key in a:
        torch.testing.assert_close(a[key], b[key], rtol=0, atol=0, msg=key)


def test_validation_scores_the_weights_of_each_epoch(tmp_path):
    """Each epoch's validation figure is that epoch's float model (not an int8 copy of the start)."""
    from synsp.evaluation.protocol import evaluate
    from synsp.training.train import validation_cases

    config = tiny_config(tmp_path, epochs=2)
    train(config, log=lambda s: None)
    history = load_checkpoint(tmp_path / "last.pt")["history"]
    assert history[0]["val_mpjpe"] != history[1]["val_mpjpe"]
    last = load_model(tmp_path / "last.pt", quantize=False)
    metrics = evaluate({"last": last.refine}, validation_cases(config), layout="h36m17", space="3d",
                       include_input=False)["last"]
    assert metrics["MPJPE"] == pytest.approx(history[1]["val_mpjpe"], rel=1e-5)


def test_resume_refuses_a_different_config(tmp_path):
    train(tiny_config(tmp_path), log=lambda s: None)
    other = tiny_config(tmp_path, epochs=2, flip=False)
    with pytest.raises(ValueError, match="data.flip"):
        train(other, resume=True, log=lambda s: None)


def test_resume_accepts_a_checkpoint_older_than_a_new_config_field(tmp_path):
    from synsp.inference.checkpoint import save_checkpoint

    train(tiny_config(tmp_path), log=lambda s: None)
    ckpt = load_checkpoint(tmp_path / "last.pt")
    del ckpt["config"]["data"]["proportions"]  # as written before the field existed
    save_checkpoint(tmp_path / "last.pt", ckpt)
    train(tiny_config(tmp_path, epochs=2), resume=True, log=lambda s: None)
    assert load_checkpoint(tmp_path / "last.pt")["epoch"] == 2
    with pytest.raises(ValueError, match="data.proportions"):
        train(tiny_config(tmp_path, epochs=3, proportions=0.1), resume=True, log=lambda s: None)


@pytest.mark.parametrize("kind,space", [("synsp", "3d"), ("smoothnet", "3d"), ("synsp", "2d")])
def test_trained_model_refines_any_length_keeping_shape_and_dtype(tmp_path, kind, space):
    best = train(tiny_config(tmp_path, kind=kind, space=space), log=lambda s: None)
    refiner = load_model(best, device="cpu")
    c = 3 if space == "3d" else 2
    rng = np.random.default_rng(0)
    for shape in [(1, 17, c), (5, 17, c), (40, 17, c), (2, 33, 17, c)]:
        x = (rng.normal(size=shape) * 100 + 500).astype(np.float32)
        y = refiner.refine(x)
        assert y.shape == x.shape and y.dtype == x.dtype and np.isfinite(y).all()
    if kind == "smoothnet":  # every coordinate on its own: any joint set
        x = (rng.normal(size=(12, 26, c)) * 100 + 500).astype(np.float32)
        assert refiner.refine(x).shape == x.shape
        with pytest.raises(ValueError, match=r"\(T, J, %d\)" % c):
            refiner.refine(np.zeros((10, 16, 5 - c), np.float32))
    else:
        with pytest.raises(ValueError, match=r"\(T, 17, %d\)" % c):
            refiner.refine(np.zeros((10, 16, c), np.float32))


def test_synsp_branches_are_all_returned(tmp_path):
    refiner = load_model(train(tiny_config(tmp_path), log=lambda s: None), device="cpu")
    x = np.random.default_rng(1).normal(size=(30, 17, 3)).astype(np.float32) * 100
    out = refiner.refine_branches(x)
    assert set(out) == {"position", "acceleration", "final"}
    assert all(v.shape == x.shape for v in out.values())


def test_config_file_rejects_typos(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[train]\nepoch = 3\n")
    with pytest.raises(ValueError, match="unknown key.*epoch"):
        load_config(path)
    path.write_text("[model]\nkind = 'lstm'\n")
    with pytest.raises(ValueError, match="model.kind"):
        load_config(path)


@pytest.mark.slow
def test_two_process_data_parallel_run(tmp_path):
    """torchrun with 2 CPU processes (gloo) trains and writes one checkpoint. Launched as the
    README says, with restarts and ``--resume``: gloo's TCP setup can abort a worker on a loaded
    machine, and a restart that resumes is how a real run survives that too."""
    config = tmp_path / "ddp.toml"
    config.write_text(
        "[model]\nkind = 'synsp'\nd_model = 16\nn_layers = 1\nn_heads = 2\nd_k = 8\nd_v = 8\nd_inner = 16\n"
        "[data]\ntrain_clips = 3\nval_clips = 2\nwindows_per_epoch = 512\n"
        f"[train]\nepochs = 1\nbatch_size = 64\nthreads = 1\nprogress = false\nout_dir = '{tmp_path / 'run'}'\n"
    )
    torchrun = Path(sys.executable).with_name("torchrun")
    env = {**os.environ, "OMP_NUM_THREADS": "1"}
    done = subprocess.run([str(torchrun), "--standalone", "--nproc_per_node", "2", "--max-restarts", "2",
                           "-m", "synsp", "train", "--config", str(config), "--resume"],
                          capture_output=True, text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[:3000] + "\n...\n" + done.stderr[-1500:]
    ckpt = load_checkpoint(tmp_path / "run" / "last.pt")
    assert ckpt["meta"]["world_size"] == 2
    assert done.stdout.count("best checkpoint") == 1, done.stdout  # said once, by the main process


def test_init_from_starts_at_the_checkpoint_weights_and_checks_the_model(tmp_path):
    first = train(tiny_config(tmp_path / "a"), log=lambda s: None)
    tuned = tiny_config(tmp_path / "b", views=2)
    tuned.train.init_from = str(first)
    tuned.train.lr = 0.0  # no step moves the weights: what is saved is what was loaded
    train(tuned, log=lambda s: None)
    a = load_checkpoint(first)["state_dict"]
    b = load_checkpoint(tmp_path / "b" / "last.pt")["state_dict"]
    for key in a:
        torch.testing.assert_close(a[key], b[key], rtol=0, atol=0, msg=key)
    other = tiny_config(tmp_path / "c", kind="smoothnet")
    other.train.init_from = str(first)
    with pytest.raises(ValueError, match="init_from"):
        train(other, log=lambda s: None)


def test_export_keeps_config_weights_and_run_history(tmp_path):
    from synsp.inference.checkpoint import export_model

    best = train(tiny_config(tmp_path / "run", epochs=2), log=lambda s: None)
    meta = export_model(best, tmp_path / "model.pt", note="trained on CC BY-NC data")
    payload = torch.load(tmp_path / "model.pt", weights_only=True)
    assert set(payload) == {"config", "state_dict", "meta"}
    assert meta["trained_epochs"] == 2 and len(meta["history"]) == 2 and meta["note"].startswith("trained")
    from_last = export_model(tmp_path / "run" / "last.pt", tmp_path / "last-model.pt")
    assert from_last["trained_epochs"] == 2 and len(from_last["history"]) == 2
    x = np.random.default_rng(0).normal(size=(20, 17, 3)).astype(np.float32) * 100
    assert payload["state_dict"]["embedding.proj_in.weight"].dtype == torch.float16
    shipped = load_model(tmp_path / "model.pt", "cpu", quantize=False)  # float: int8 would hide the export's error
    original = load_model(best, "cpu", quantize=False)
    assert next(shipped.model.parameters()).dtype == torch.float32
    np.testing.assert_allclose(shipped.refine(x), original.refine(x), rtol=0, atol=0.2)  # mm, on a 100 mm cloud


def test_3d_poses_in_metres_or_centimetres_are_refined_in_their_own_unit(tmp_path):
    from synsp.data.mocap import load_clip
    from synsp.sequence import mm_per_unit

    refiner = load_model(train(tiny_config(tmp_path), log=lambda s: None), device="cpu")
    rng = np.random.default_rng(2)
    # a jittery walk: a cloud of random joints has no body frame, and its symmetric pull, read in
    # ill-defined frames, moved by 0.12 mm with the input's float32 rounding in metres
    walk = load_clip("dataset-1_walk_normal_001", "h36m17")[:30]
    mm = (walk + rng.normal(size=walk.shape) * 20).astype(np.float32)
    for unit in (1.0, 10.0, 1000.0):
        assert mm_per_unit(mm / unit) == unit
        np.testing.assert_allclose(refiner.refine(mm / unit) * unit, refiner.refine(mm), rtol=1e-4, atol=1e-2)


def test_proportions_augmentation_stretches_bones_alike_on_both_sides():
    from synsp.config import DataConfig
    from synsp.skeleton import bone_tree, get_layout
    from synsp.training.pairs import TrainingPairs

    layout = get_layout("h36m17")
    clip = np.random.default_rng(1).normal(0, 300, (12, 17, 3)).astype(np.float32)
    plain = dict(scale=(1.0, 1.0), time_scale=(1.0, 1.0), flip=False, rotation="none")
    pairs = TrainingPairs([clip], DataConfig(proportions=0.2, **plain), window=8)
    out = pairs._augment(0, np.random.default_rng(2))
    ratio = {child: np.linalg.norm(out[:, child] - out[:, parent], axis=-1)
             / np.linalg.norm(clip[:, child] - clip[:, parent], axis=-1) for parent, child in bone_tree(layout)}
    for child, r in ratio.items():
        assert np.allclose(r, r[0], rtol=1e-4) and 0.8 <= r[0] <= 1.2  # one factor per bone, for every frame
    assert np.ptp([r[0] for r in ratio.values()]) > 0.05
    for left, right in layout.left_right:
        assert ratio[left][0] == pytest.approx(ratio[right][0], rel=1e-4)
    unchanged = TrainingPairs([clip], DataConfig(**plain), window=8)._augment(0, np.random.default_rng(2))
    np.testing.assert_allclose(unchanged, clip, atol=1e-3)


def test_clip_weights_choose_which_clips_an_epoch_draws_from():
    from synsp.config import DataConfig
    from synsp.training.pairs import TrainingPairs

    rng = np.random.default_rng(3)
    still = np.repeat(rng.normal(0, 300, (1, 17, 3)), 40, axis=0).astype(np.float32)  # one pose held
    moving = rng.normal(0, 300, (40, 17, 3)).astype(np.float32)
    config = DataConfig(presets={"jitter": 1.0}, windows_per_epoch=20, scale=(1.0, 1.0), time_scale=(1.0, 1.0),
                        flip=False, rotation="none")
    for weights, held in (([1.0, 0.0], True), ([0.0, 1.0], False)):
        _, clean = TrainingPairs([still, moving], config, window=8, clip_weights=weights).epoch(
            np.random.default_rng(0))
        motion = clean.std(axis=2).max(axis=(1, 2))  # per window: how far its target moves over time
        assert len(motion) == 20 and ((motion < 1e-4).all() if held else (motion > 0.1).all())
    with pytest.raises(ValueError, match="clip_weights"):
        TrainingPairs([still, moving], config, window=8, clip_weights=[1.0])


def test_a_per_coordinate_network_trains_on_windows_normalised_as_it_refines():
    """2D SmoothNet is refined with each coordinate centred on its own window mean; its training
    windows are normalised the same way (the trainer passes ``each_point`` for it)."""
    from synsp.config import DataConfig
    from synsp.training.pairs import TrainingPairs

    rng = np.random.default_rng(4)
    clip = (rng.normal(0, 300, (1, 17, 3)) + np.cumsum(rng.normal(0, 10, (40, 17, 3)), axis=0)).astype(np.float32)
    config = DataConfig(layout="coco17", space="2d", presets={"jitter": 1.0}, windows_per_epoch=10,
                        scale=(1.0, 1.0), time_scale=(1.0, 1.0), flip=False, rotation="none")
    means = {}
    for each_point in (False, True):
        noisy, _ = TrainingPairs([clip], config, window=8, each_point=each_point).epoch(np.random.default_rng(0))
        means[each_point] = np.abs(noisy.mean(axis=2)).max()  # (N, V, F, J*C): each track's mean over frames
    assert means[True] < 1e-5 < 0.01 < means[False]


def test_evaluation_cases_with_other_bodies():
    from synsp.evaluation.protocol import make_cases
    from synsp.skeleton import bone_tree

    plain = make_cases("test", "typical", max_clips=2)
    np.testing.assert_array_equal(make_cases("test", "typical", max_clips=2, proportions=0.0)[0].noisy, plain[0].noisy)
    other = make_cases("test", "typical", max_clips=2, proportions=0.2)
    for before, after in zip(plain, other):
        assert before.clean.shape == after.clean.shape
        ratios = [np.linalg.norm(after.clean[0, c] - after.clean[0, p])
                  / np.linalg.norm(before.clean[0, c] - before.clean[0, p])
                  for p, c in bone_tree("h36m17")]
        assert 0.8 - 1e-4 <= min(ratios) and max(ratios) <= 1.2 + 1e-4 and np.ptp(ratios) > 0.05


def test_errors_drawn_in_another_skeleton_reach_the_network_converted():
    from synsp.config import DataConfig
    from synsp.data.mocap import load_clips
    from synsp.data.splits import load_split
    from synsp.skeleton import convert, root_position
    from synsp.training.pairs import TrainingPairs

    names = load_split("train")[:2]
    halpe = load_clips(names, layout="halpe26")
    plain = dict(scale=(1.0, 1.0), time_scale=(1.0, 1.0), flip=False, rotation="none", presets={"jitter": 1.0})
    pairs = TrainingPairs(load_clips(names, layout="h36m17"), DataConfig(input_layouts={"halpe26": 1.0}, **plain),
                          window=8, layout_clips={"halpe26": halpe})
    noisy, clean = pairs._clip_views(0, np.random.default_rng(0))
    expected = convert(halpe[0] - root_position(halpe[0], "halpe26"), "halpe26", "h36m17")
    assert clean.shape[-2:] == (17, 3)
    np.testing.assert_allclose(clean[0, 0], expected[:8], atol=1e-3)
    assert 0 < np.abs(noisy - clean).mean() < 30  # jitter, in mm, drawn on Halpe's joints

    with pytest.raises(ValueError, match="input_layouts: halpe26 needs the 2 clips"):
        TrainingPairs(load_clips(names, layout="h36m17"), DataConfig(input_layouts={"halpe26": 1.0}), window=8)
    with pytest.raises(ValueError, match="summing to at most 1"):
        TrainingPairs(load_clips(names, layout="h36m17"), DataConfig(input_layouts={"halpe26": 1.5}), window=8,
                      layout_clips={"halpe26": halpe})


def test_a_model_typo_names_the_section_and_the_known_keys(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text("[model]\nwindo = 8\n")
    with pytest.raises(ValueError) as err:
        load_config(path)
    message = str(err.value)
    assert message.startswith(f"{path} [model]: unknown key(s) ['windo']; known: ")
    assert "'window'" in message and "'d_model'" in message and "'kind'" in message
    path.write_text("[model]\nkind = 'smoothnet'\nhiden = 8\n")
    with pytest.raises(ValueError, match=r"\[model\]: unknown key.*'hiden'.*known: .*'hidden'"):
        load_config(path)


def test_windows_per_epoch_above_the_windows_there_are_is_said_once(tmp_path):
    lines: list[str] = []
    train(tiny_config(tmp_path, epochs=2, windows_per_epoch=10**7), log=lines.append)
    capped = [line for line in lines if "windows_per_epoch = " in line]
    assert len(capped) == 1, lines
    assert "10000000" in capped[0] and "every window" in capped[0]
    lines.clear()
    train(tiny_config(tmp_path / "b", epochs=1, windows_per_epoch=64), log=lines.append)  # fewer: nothing to say
    assert not [line for line in lines if "windows_per_epoch = " in line]


def test_a_kill_between_checkpoint_and_log_line_is_made_good_on_resume(tmp_path):
    """The checkpoint is written before the epoch's log line: a kill in between left log.jsonl a
    line short for good. Resuming rewrites the log from the checkpoint's history."""
    import json

    train(tiny_config(tmp_path, epochs=2, windows_per_epoch=64), log=lambda s: None)
    log = tmp_path / "log.jsonl"
    log.write_text(log.read_text().splitlines(keepends=True)[0])  # killed before epoch 2's line
    train(tiny_config(tmp_path, epochs=3, windows_per_epoch=64), resume=True, log=lambda s: None)
    history = load_checkpoint(tmp_path / "last.pt")["history"]
    assert [json.loads(line) for line in log.read_text().splitlines()] == history
    assert [entry["epoch"] for entry in history] == [1, 2, 3]


def test_a_folder_holding_a_run_is_refused_without_resume_or_force(tmp_path):
    """A rerun typed without --resume overwrote the run's best.pt and last.pt and appended to its log
    (audit 14, finding 1): refused, nothing touched; --force starts afresh, the old log gone."""
    import hashlib

    from synsp.errors import OutputExistsError

    train(tiny_config(tmp_path, epochs=2, windows_per_epoch=64), log=lambda s: None)
    files = {name: hashlib.md5((tmp_path / name).read_bytes()).hexdigest()
             for name in ("best.pt", "last.pt", "log.jsonl", "config.json")}
    with pytest.raises(OutputExistsError, match="--resume.*--force"):
        train(tiny_config(tmp_path, epochs=1, windows_per_epoch=64), log=lambda s: None)
    assert files == {name: hashlib.md5((tmp_path / name).read_bytes()).hexdigest() for name in files}
    train(tiny_config(tmp_path, epochs=1, windows_per_epoch=64), force=True, log=lambda s: None)
    assert (tmp_path / "log.jsonl").read_text().count("\n") == 1  # the new run's epoch alone
    assert load_checkpoint(tmp_path / "best.pt")["meta"]["epoch"] == 1
    (tmp_path / "last.pt").unlink()  # nothing to resume from, but a best model to lose
    with pytest.raises(OutputExistsError, match="no last.pt"):
        train(tiny_config(tmp_path, epochs=2, windows_per_epoch=64), resume=True, log=lambda s: None)


def test_the_cli_refuses_a_rerun_in_one_line(tmp_path, capsys):
    from synsp.cli import main

    config = tmp_path / "c.toml"
    config.write_text(f'[model]\nkind = "synsp"\nd_model = 16\nn_layers = 1\nn_heads = 2\nd_k = 8\nd_v = 8\n'
                      f'd_inner = 16\n[data]\ntrain_clips = 2\nval_clips = 1\nwindows_per_epoch = 64\n'
                      f'[train]\nepochs = 1\nbatch_size = 64\nprogress = false\nfloor_clips = 0\n'
                      f'out_dir = "{tmp_path / "run"}"\n')
    assert main(["train", "--config", str(config)]) == 0
    capsys.readouterr()
    assert main(["train", "--config", str(config)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "holds a run" in err[0] and "--force" in err[0]
    assert main(["train", "--config", str(config), "--resume", "--force"]) == 2
    assert main(["train", "--config", str(config), "--force"]) == 0


def test_the_end_of_a_run_measures_the_floor_into_best(tmp_path):
    """A fine-tuned copy of the shipped model had no floor, and made a white-noise walk worse than its
    input (audit 14, finding 2): best.pt carries one, and loads without the warning."""
    import warnings

    best = train(tiny_config(tmp_path, floor_clips=2), log=lambda s: None)
    floor = load_checkpoint(best)["meta"]["correction_floor"]
    assert len(floor) == 17 and all(value > 0 for value in floor)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert load_model(best, device="cpu").floor is not None
    smoothnet = train(tiny_config(tmp_path / "s", kind="smoothnet", floor_clips=2), log=lambda s: None)
    assert "correction_floor" not in load_checkpoint(smoothnet)["meta"]  # no floor step to feed


def test_a_fine_tune_without_its_own_lr_takes_the_smaller_one():
    from synsp.config import FINE_TUNE_LR, Config

    assert Config.from_dict({"train": {"init_from": "synsp-h36m17"}}).train.lr == FINE_TUNE_LR
    assert Config.from_dict({"train": {"init_from": "synsp-h36m17", "lr": 3e-4}}).train.lr == 3e-4
    assert Config.from_dict({"train": {}}).train.lr == 1e-3

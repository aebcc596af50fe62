"""The models shipped inside the package: they load from their own config, say how they were
trained and under which licence, and refine real mocap with simulated estimator errors
better than the input (smoother and closer to the ground truth)."""
from __future__ import annotations

import re

import numpy as np
import pytest

from conftest import needs_data
from synsp.config import DEFAULT_LAYOUT
from synsp.evaluation.protocol import evaluate, make_cases
from synsp.inference.checkpoint import available_models, load_checkpoint, load_model, shipped_path
from synsp.metrics import acceleration

# Models are named <network>-<layout>[-variant]; the SMPL tree's models refine joint rotations
ROTATION_MODELS = [name for name in available_models() if f"-{DEFAULT_LAYOUT['rotation']}" in name]
POSITION_MODELS = [name for name in available_models() if name not in ROTATION_MODELS]


@pytest.mark.parametrize("name", available_models())
def test_shipped_model_loads_with_its_training_record(name):
    assert shipped_path(name).stat().st_size < 8 * 2**20  # a few MB, not a training checkpoint
    meta = load_checkpoint(shipped_path(name))["meta"]
    note = meta["note"]
    assert "CC BY-NC" in note and "non-commercial" in note and "synsp train --config configs/" in note
    assert meta["trained_epochs"] >= 1 and meta["history"]
    if name in POSITION_MODELS:
        assert load_model(name, device="cpu").meta == meta


@needs_data
@pytest.mark.parametrize("name", ROTATION_MODELS)
def test_shipped_rotation_model_beats_the_input_on_test_clips(name):
    from synsp.evaluation.rotations import evaluate_rotations, rotation_cases
    from synsp.inference.rotation_refiner import load_rotation_model

    network = load_rotation_model(name, device="cpu")
    cases = rotation_cases("test", "3dpw-pare", 2024, max_clips=3)
    before = evaluate_rotations(lambda r: r, cases)
    after = evaluate_rotations(network.refine, cases)
    assert after["Accel"] < 0.5 * before["Accel"]
    assert after["MPJPE"] < before["MPJPE"] and after["Angle"] < before["Angle"]


@needs_data
@pytest.mark.parametrize("name", POSITION_MODELS)
def test_shipped_model_beats_the_input_on_test_clips(name):
    refiner = load_model(name, device="cpu")
    cases = make_cases("test", "typical", layout=refiner.layout.name, space=refiner.space, max_clips=4)
    scores = evaluate({"model": refiner.refine}, cases, layout=refiner.layout.name, space=refiner.space)
    assert scores["model"]["Accel"] < 0.5 * scores["input"]["Accel"]
    assert scores["model"]["MPJPE"] < scores["input"]["MPJPE"]


def test_refine_cli_uses_the_shipped_model_out_of_the_box(tmp_path, capsys):
    from synsp.cli import main

    rng = np.random.default_rng(0)
    frames = np.arange(60)[:, None, None]
    poses = 400 * np.sin(frames / 10 + rng.uniform(0, 6, (1, 17, 3))) + rng.normal(0, 15, (60, 17, 3))
    np.savez(tmp_path / "in.npz", poses=poses.astype(np.float32))
    assert main(["refine", str(tmp_path / "in.npz"), str(tmp_path / "out.npz"), "--device", "cpu"]) == 0
    printed = re.search(r"mean \|accel\| ([\d.]+) -> ([\d.]+) mm/frame\^2 \(x([\d.]+)\)", capsys.readouterr().out)
    assert printed, "the summary must give the mean |accel| before and after, and their ratio"
    out = np.load(tmp_path / "out.npz")["poses"]
    assert out.shape == poses.shape and np.isfinite(out).all()
    # The printed figures are the files' own, and the jitter went down: by x0.87 here (x0.75 before the
    # 3D model took postures no actor held: these joints on independent sines are no body, and a
    # model that leans less on the actors' bodies smooths them less than real poses).
    before, after = acceleration(poses).mean(), acceleration(out).mean()
    assert float(printed[1]) == pytest.approx(before, abs=0.01)
    assert float(printed[2]) == pytest.approx(after, abs=0.01)
    assert float(printed[3]) == pytest.approx(after / before, abs=1e-3)
    assert after < 0.9 * before


def test_broken_checkpoints_and_devices_are_one_line_errors(tmp_path):
    import torch

    from synsp.inference.checkpoint import load_checkpoint, resolve_device, save_checkpoint

    payload = load_checkpoint(shipped_path("smoothnet-coco17"))
    nan = {**payload, "state_dict": {k: v.float() * float("nan") if v.is_floating_point() else v
                                     for k, v in payload["state_dict"].items()}}
    save_checkpoint(tmp_path / "nan.pt", nan)
    with pytest.raises(ValueError, match="nan.pt: non-finite weights"):
        load_model(tmp_path / "nan.pt")
    wrong = {**payload, "config": {**payload["config"], "model": {**payload["config"]["model"], "hidden": 64}}}
    save_checkpoint(tmp_path / "wrong.pt", wrong)
    with pytest.raises(ValueError, match="wrong.pt: weights do not fit the checkpoint's config") as err:
        load_model(tmp_path / "wrong.pt")
    assert "\n" not in str(err.value)
    with pytest.raises(ValueError, match="'foo' is not a torch device"):
        resolve_device("foo")
    if not torch.cuda.is_available():
        with pytest.raises(ValueError, match="CUDA is not available"):
            resolve_device("cuda")


def test_a_network_method_refuses_another_kinds_checkpoint():
    import numpy as np

    import synsp

    with pytest.raises(ValueError, match="a synsp model, not smoothnet"):
        synsp.refine(np.zeros((20, 17, 2), np.float32) + np.arange(17)[:, None], "smoothnet", checkpoint="synsp-coco17")


@pytest.mark.parametrize("name", ROTATION_MODELS)
def test_rotation_models_load_with_the_same_checks(name, tmp_path):
    from synsp.inference.checkpoint import save_checkpoint
    from synsp.inference.rotation_refiner import load_rotation_model

    payload = load_checkpoint(shipped_path(name))
    nan = {**payload, "state_dict": {k: v.float() * float("nan") if v.is_floating_point() else v
                                     for k, v in payload["state_dict"].items()}}
    save_checkpoint(tmp_path / "nan.pt", nan)
    with pytest.raises(ValueError, match="nan.pt: non-finite weights"):
        load_rotation_model(tmp_path / "nan.pt")
    with pytest.raises(ValueError, match="not of joint rotations"):
        load_rotation_model(POSITION_MODELS[0])
    with pytest.raises(ValueError, match="a model of joint rotations, not of positions"):
        load_model(name)


@needs_data
def test_the_output_is_low_passed_where_the_window_leaves_jitter():
    """refiner.LOWPASS_HZ: on white noise the 2D default's output is smoother and closer to the
    truth with its last low-pass than without it; SmoothNet, merged by its own windows, has none."""
    from synsp.evaluation.protocol import Case

    assert load_model("smoothnet-coco17", device="cpu").lowpass_hz is None
    refiner = load_model("synsp-coco17", device="cpu")
    assert refiner.lowpass_hz == 6.0
    rng = np.random.default_rng(0)
    cases = [Case(c.name, (c.clean + rng.normal(0, 4, c.clean.shape)).astype(np.float32), c.clean)
             for c in make_cases("val", "none", layout="coco17", space="2d", max_clips=2)]
    with_lowpass = evaluate({"model": refiner.refine}, cases, layout="coco17", space="2d")["model"]
    refiner.lowpass_hz = None
    without = evaluate({"model": refiner.refine}, cases, layout="coco17", space="2d")["model"]
    assert with_lowpass["Accel"] < 0.8 * without["Accel"] and with_lowpass["MPJPE"] < without["MPJPE"]


@needs_data
def test_the_low_pass_is_an_option_of_the_api_and_the_cli(tmp_path):
    """``lowpass_hz=`` / ``--lowpass HZ`` sets the cut-off (0: none); a bad value or another
    method is a one-line error."""
    import subprocess
    import sys

    import synsp
    from synsp.errors import OptionError

    noisy = make_cases("val", "typical", max_clips=1)[0].noisy[:90]
    default = synsp.refine(noisy)
    refiner = load_model("synsp-h36m17", device="cpu")
    refiner.lowpass_hz = None
    np.testing.assert_allclose(synsp.refine(noisy, lowpass_hz=0), refiner.refine(noisy), atol=1e-4)
    accel = [float(np.mean(acceleration(x))) for x in (synsp.refine(noisy, lowpass_hz=3), default,
                                                         synsp.refine(noisy, lowpass_hz=0))]
    assert accel[0] < accel[1] < accel[2]
    for bad in (-1, True):  # True is no cut-off, not 1 Hz
        with pytest.raises(OptionError, match="lowpass_hz"):
            synsp.refine(noisy, lowpass_hz=bad)
    with pytest.raises(OptionError, match="fps"):
        synsp.refine(noisy, fps=True)
    source = tmp_path / "in.npy"
    np.save(source, noisy)
    cli = [sys.executable, "-m", "synsp", "refine", str(source)]
    done = subprocess.run([*cli, str(tmp_path / "off.npy"), "--lowpass", "0"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    np.testing.assert_allclose(np.load(tmp_path / "off.npy"), synsp.refine(noisy, lowpass_hz=0), atol=1e-4)
    done = subprocess.run([*cli, str(tmp_path / "g.npy"), "--lowpass", "3", "--method", "gaussian"],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "--lowpass is SynSP's last step" in done.stderr


def test_load_model_takes_cpu_0_and_names_an_unavailable_device():
    import numpy as np
    import torch

    from synsp.inference.checkpoint import resolve_device

    model = load_model("smoothnet-coco17", device="cpu:0")  # torch's name of its one CPU; was a CheckpointError
    assert model.refine(np.zeros((10, 17, 2), np.float32) + np.arange(17)[:, None]).shape == (10, 17, 2)
    assert resolve_device("cpu:0") == torch.device("cpu")
    if not (torch.backends.mps.is_available() or torch.cuda.is_available()):
        for device in ("mps", "cuda:0"):
            with pytest.raises(ValueError, match=f"device '{device}'.* not available.*available: cpu") as err:
                load_model("smoothnet-coco17", device=device)
            assert "\n" not in str(err.value) and "checkpoint" not in str(err.value)

"""The last steps of a refine call, back in the input's frame (synsp.inference.input_frame), and SynSP's route
around them (synsp.refining.person): each reads the input's noise once."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

import synsp
import synsp.inference.clean as clean
from conftest import needs_data

REFINER = ("synsp.inference.clean", "synsp.inference.white_noise", "synsp.inference.smoothnet_blend",
           "synsp.inference.input_frame")  # the refiner's last steps
ROUTE = ("synsp.inference.noise_only", "synsp.inference.risk_choice", "synsp.refining.person")  # the noise-only step


def _counted(monkeypatch, readers: tuple[str, ...]) -> list[tuple]:
    """Each of the ``readers`` (modules that read the input's noise) made to note the shape it read it of."""
    import importlib

    read = []

    def input_noise(values: np.ndarray) -> np.ndarray:
        read.append(np.shape(values))
        return original(values)

    original = clean.input_noise
    for name in readers:
        monkeypatch.setattr(importlib.import_module(name), "input_noise", input_noise, raising=False)
    return read


@pytest.fixture(scope="module")
def white() -> np.ndarray:
    """(T, 17, 3) mm: a validation clip with 1 mm of white noise (light noise only: the noise-only step runs)."""
    from synsp.evaluation.protocol import make_cases

    clean_poses = make_cases("val", "none", max_clips=3)[2].clean.astype(np.float64)
    return (clean_poses + np.random.default_rng(0).normal(0.0, 1.0, clean_poses.shape)).astype(np.float32)


@needs_data
def test_the_refiners_last_steps_read_the_noise_once(white, monkeypatch):
    model = synsp.load_model("synsp-h36m17")
    # the fallback's own steps aside (it reads its own input's noise): the clip as it came
    monkeypatch.setattr(model, "fallback", lambda: SimpleNamespace(refine=lambda poses, **_: np.asarray(poses)))
    read = _counted(monkeypatch, REFINER)
    model.refine(white[:60], fps=30)  # 60 frames: the SmoothNet blend runs on the whole clip
    assert read == [(1, 60, 17, 3)]  # before: the blend and the clean-input step each read it


@needs_data
def test_the_noise_only_step_reads_the_noise_once_in_the_models_layout(white, monkeypatch):
    from synsp.refining.methods import network_model

    read = _counted(monkeypatch, ROUTE)
    synsp.refine(white, layout="h36m17", fps=30)
    assert network_model("synsp", 3, None, None, False).noise_only is not None  # it moved joints to their low-pass
    assert read == [white.shape]  # before: the share and the risks each read it

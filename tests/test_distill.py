"""Distillation: a shallower student starts from the teacher's layers and learns its outputs."""
from __future__ import annotations

import pytest
import torch

from conftest import needs_data, tiny_config
from synsp.inference.checkpoint import build_model, load_checkpoint
from synsp.training.distill import distillation_loss, shallower_state, spread_layers
from synsp.training.train import train


@pytest.mark.parametrize("n_teacher, n_student, expected", [
    (4, 4, [0, 1, 2, 3]), (4, 2, [0, 3]), (4, 3, [0, 2, 3]), (3, 1, [2]), (4, 1, [3]),
])
def test_spread_layers_keeps_the_first_and_the_last(n_teacher, n_student, expected):
    assert spread_layers(n_teacher, n_student) == expected


def test_spread_layers_refuses_a_deeper_student():
    with pytest.raises(ValueError, match="1 to 2 layers"):
        spread_layers(2, 3)


def _synsp(n_layers: int, d_model: int = 16) -> torch.nn.Module:
    config = tiny_config("unused")
    config.model.update(n_layers=n_layers, d_model=d_model)
    return build_model(config)


def test_shallower_state_takes_each_layer_from_the_spread_teacher_layer():
    teacher, student = _synsp(3), _synsp(2)
    state = shallower_state(teacher.state_dict(), student.state_dict())
    student.load_state_dict(state)
    t, s = teacher.state_dict(), student.state_dict()
    for stack, picked in [("local_encoder.layers", [0, 2]), ("refinement.decoder.layers", [0, 2]),
                          ("base.decoder.layers", [1])]:  # the base stage's shared decoder: n_layers - 1
        for i, j in enumerate(picked):
            ours = {k: v for k, v in s.items() if k.startswith(f"{stack}.{i}.")}
            assert ours
            for key, value in ours.items():
                torch.testing.assert_close(value, t[key.replace(f"{stack}.{i}.", f"{stack}.{j}.")], msg=key)
    torch.testing.assert_close(s["embedding.proj_in.weight"], t["embedding.proj_in.weight"])
    torch.testing.assert_close(s["base.position.layer.cross_attn.w_q.weight"],
                               t["base.position.layer.cross_attn.w_q.weight"])


def test_shallower_state_refuses_another_width():
    with pytest.raises(ValueError, match="fewer layers"):
        shallower_state(_synsp(2, d_model=16).state_dict(), _synsp(2, d_model=32).state_dict())


def test_a_student_that_matches_its_teacher_has_no_distillation_loss():
    teacher = _synsp(2).eval()
    x = torch.randn(3, 1, 8, 51)
    with torch.no_grad():
        out = teacher(x)
    weights = dict(lambda_p=1.0, lambda_a=1.0)
    assert distillation_loss("synsp", out, out, **weights) == 0
    other = out._replace(acceleration=out.acceleration + 0.1)
    # A constant offset of one output: its position term only (its acceleration is unchanged).
    assert float(distillation_loss("synsp", other, out, **weights)) == pytest.approx(0.1, rel=1e-4)


@needs_data
def test_a_student_starts_from_its_teacher_and_learns_from_it(tmp_path):
    first = train(_two_layer(tmp_path / "teacher"), log=lambda s: None)
    student = tiny_config(tmp_path / "student")  # 1 layer
    student.train.init_from = student.train.teacher = str(first)
    student.train.lr = 0.0  # no step moves the weights: what is saved is what was loaded
    train(student, log=lambda s: None)
    t = load_checkpoint(first)["state_dict"]
    s = load_checkpoint(tmp_path / "student" / "last.pt")["state_dict"]
    torch.testing.assert_close(s["local_encoder.layers.0.attn.w_q.weight"],
                               t["local_encoder.layers.1.attn.w_q.weight"])
    other = tiny_config(tmp_path / "other", kind="smoothnet")
    other.train.teacher = str(first)
    with pytest.raises(ValueError, match="train.teacher"):
        train(other, log=lambda s: None)


def _two_layer(out_dir):
    config = tiny_config(out_dir)
    config.model["n_layers"] = 2
    return config

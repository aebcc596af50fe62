"""3D bodies outside the trained sizes are refined at the nearest one and scaled back."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.cli import main
from synsp.inference.body_scale import (
    SIZE_CHANGE,
    TRAINED_BONES_MM,
    TRAINED_RANGE,
    changing_size,
    relative_size,
    size_factor,
    size_note,
    size_track,
)
from synsp.inference.checkpoint import load_model
from synsp.inference.streaming import StreamingRefiner
from synsp.skeleton import get_layout


@pytest.fixture(scope="module")
def cases():
    from synsp.evaluation.protocol import make_cases

    return make_cases("val", "typical", max_clips=1)[0]


@needs_data
def test_trained_bones_are_the_training_actors():
    from synsp.evaluation.protocol import make_cases

    layout = get_layout("h36m17")
    clips = [c.clean for c in make_cases("train", "none", max_clips=20)]
    lengths = np.median([[np.median(np.linalg.norm(x[:, a] - x[:, b], axis=-1)) for a, b in layout.bones]
                         for x in clips], axis=0)
    np.testing.assert_allclose(lengths, TRAINED_BONES_MM["h36m17"], atol=3.0)


@needs_data
def test_relative_size_follows_the_body_not_its_posture_or_missing_joints(cases):
    x = cases.clean
    size = relative_size(x, "h36m17")
    assert 0.9 < size < 1.1
    assert relative_size(0.3937 * x, "h36m17") == pytest.approx(0.3937 * size)
    holed = x.copy()
    holed[:, [3, 13]] = np.nan  # an ankle and a wrist never seen
    assert relative_size(holed, "h36m17") == pytest.approx(size, rel=0.03)
    assert np.isnan(relative_size(np.full_like(x, np.nan), "h36m17"))
    assert np.isnan(relative_size(np.zeros((5, 17, 2)), "coco17"))  # no trained lengths: nothing measured


def test_size_factor_clips_into_the_trained_range():
    layout = get_layout("h36m17")
    bones = np.asarray(TRAINED_BONES_MM["h36m17"])
    # a stick body whose every bone is `size` times the actors': a chain along x
    pose = np.zeros((1, 17, 3))
    for (a, b), length in zip(layout.bones, bones):
        pose[0, b] = pose[0, a] + [length, 0, 0]
    low, high = TRAINED_RANGE
    assert size_factor(pose, layout) == pytest.approx(1.0)
    assert size_factor(0.5 * pose, layout) == pytest.approx(low / 0.5)
    assert size_factor(3.0 * pose, layout) == pytest.approx(high / 3.0)
    assert size_factor(np.full_like(pose, np.nan), layout) == 1.0


@needs_data
def test_a_body_in_another_unit_is_refined_at_the_trained_size(cases):
    """Inches read as millimetres-per-unit guesses (a body of 0.39 x): refined as the same body at
    the trained size, so the result is the in-range result scaled, not a small body's."""
    model = load_model("synsp-h36m17", device="cpu", quantize=False)  # float: int8 scales follow the numbers
    x = cases.noisy[:120].astype(np.float32)
    size = relative_size(x, "h36m17")
    small = model.refine(0.3937 * x) / 0.3937
    assert model.resized == pytest.approx(TRAINED_RANGE[0] / (0.3937 * size), rel=1e-6)
    k = TRAINED_RANGE[0] / size
    np.testing.assert_allclose(small, model.refine(k * x) / k, atol=0.05)  # mm, float32 rounding
    model.refine(x)
    assert model.resized == 1.0
    model.trained_size = False
    assert np.abs(model.refine(0.3937 * x) / 0.3937 - small).mean() > 0.5  # what the step changes


@needs_data
def test_stream_measures_the_body_on_the_frame_that_sets_the_unit(cases):
    model = load_model("synsp-h36m17", device="cpu", quantize=False)
    x = cases.noisy[:60].astype(np.float32)
    k = TRAINED_RANGE[0] / relative_size(x[0], "h36m17")

    def stream(y: np.ndarray) -> np.ndarray:
        return StreamingRefiner(model).refine_all(y)

    np.testing.assert_allclose(stream(0.3937 * x) / 0.3937, stream(k * x) / k, atol=0.05)


@needs_data
def test_refine_says_when_it_resized_the_body(tmp_path, cases, capsys):
    src = tmp_path / "inches.npy"
    np.save(src, (0.3937 * cases.noisy[:90]).astype(np.float32))
    assert main(["refine", str(src), str(tmp_path / "out.npy")]) == 0
    out = capsys.readouterr().out
    assert "size: the body measured 0.4" in out and "refined at 0.85 x" in out
    assert "is the file's unit right?" in out  # an adult in inches read as centimetres: no human's size in mm


@needs_data
def test_a_childs_body_in_millimetres_is_not_asked_for_its_unit(tmp_path, cases, capsys):
    """Audit 23, finding 4: a child of about 1 m in correct millimetres was asked "is the file's unit right?"."""
    for factor, size in ((0.6, "0.6"), (0.5, "0.5")):  # about 0.95 m and 0.8 m tall
        src = tmp_path / f"child_{factor}.npy"
        np.save(src, (factor * cases.noisy[:90]).astype(np.float32))
        assert main(["refine", str(src), str(tmp_path / f"out_{factor}.npy")]) == 0
        line = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("size:"))
        assert f"measured {size}" in line and "a child's or a small adult's size" in line and "unit" not in line, line


def test_the_unit_is_asked_only_outside_a_human_bodys_sizes():
    """Sizes x the actors' (HUMAN_RANGE, measured on the 65 val clips): a child of 0.8-1.3 m, a 2.2 m adult, seated,
    crouched or waist-up (bones keep their length in any posture) are human; inches read as centimetres (0.39) and
    feet read as metres (3.3) are not."""
    low, high = TRAINED_RANGE
    asked = {size: "is the file's unit right?" in size_note((low if size < 1 else high) / size)
             for size in (0.39, 0.41, 0.45, 0.5, 0.7, 0.84, 1.2, 1.4, 1.9, 2.5, 3.3)}
    assert asked == {0.39: True, 0.41: True, 0.45: False, 0.5: False, 0.7: False, 0.84: False, 1.2: False,
                     1.4: False, 1.9: False, 2.5: True, 3.3: True}
    assert "0.70 x the training actors' (in millimetres as read; a child's or a small adult's size)" in \
        size_note(low / 0.7)
    assert "a large body's size" in size_note(high / 1.4)


@needs_data
def test_size_track_reads_a_uniform_size_change_not_an_estimators_noise(cases):
    x = cases.noisy[None].astype(np.float64)
    assert not changing_size(size_track(x, "h36m17")).any()  # `typical` noise: no change beyond SIZE_CHANGE
    s = np.linspace(0.7, 1.3, x.shape[1])[None, :, None, None]
    track = size_track(s * x, "h36m17")
    assert changing_size(track).all() and np.log(track.max() / track.min()) > SIZE_CHANGE
    np.testing.assert_allclose(track[0] / track[0].mean(), s[0, :, 0, 0] / s.mean(), atol=0.05)  # the line itself


@needs_data
def test_a_body_growing_over_the_clip_is_refined_at_one_size_and_said(tmp_path, cases, capsys):
    """A person walking towards a pixel-scaled lifter's camera grows 0.7 -> 1.3 x: refined as the unscaled clip,
    the size put back, not pulled to the clip's mean (audit 32, finding 1)."""
    model = load_model("synsp-h36m17", device="cpu", quantize=False)
    x = cases.noisy[:120].astype(np.float32)
    s = np.linspace(0.7, 1.3, len(x), dtype=np.float32)[:, None, None]
    grown = model.refine(s * x)
    assert model.size_changes is not None and model.size_changes[0][0] < 0.8 < 1.2 < model.size_changes[0][1]
    leg = lambda p: np.linalg.norm(p[:, 2] - p[:, 1], axis=-1)  # noqa: E731  right thigh, mm
    ratio = leg(grown) / leg(model.refine(x))
    assert abs(ratio[:10].mean() - 0.7) < 0.05 and abs(ratio[-10:].mean() - 1.3) < 0.07  # the size kept, end to end
    model.refine(x)
    assert model.size_changes is None
    src = tmp_path / "grown.npy"
    np.save(src, s * x)
    assert main(["refine", str(src), str(tmp_path / "out.npy"), "--fps", "30"]) == 0
    assert "size over time: the whole body's size changed uniformly from 0.7" in capsys.readouterr().out

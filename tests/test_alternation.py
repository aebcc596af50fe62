"""Alternating frames: a whole body read from two boxes in turn is taken out before the network, noise is not."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
import synsp.inference.alternation as alternation_module
from synsp.inference.alternation import alternation, without_alternation
from walking import box_jitter, mpjpe, walking


def other_box(x: np.ndarray, scale: float = 0.03, shift: tuple[float, float] = (2.0, 4.0)) -> np.ndarray:
    """(T, J, 2) as another box reads every frame: scaled about the box centre and shifted."""
    centre = (x.min(axis=1, keepdims=True) + x.max(axis=1, keepdims=True)) / 2
    return x + scale * (x - centre) + np.asarray(shift)


def two_boxes(x: np.ndarray) -> np.ndarray:
    """Odd frames of (T, J, 2) read from :func:`other_box`."""
    out = x.copy()
    out[1::2] = other_box(x)[1::2]
    return out


def test_two_boxes_in_turn_leave_their_mean():
    clean, _ = walking(90, noise=0.0)
    x = two_boxes(clean)
    middle = (clean + other_box(clean)) / 2
    out, share = without_alternation(x[None])
    assert share.shape == (1,) and share[0] == 1.0
    assert mpjpe(x, middle) > 2.0  # the alternation itself: half the boxes' gap, every frame
    assert mpjpe(out[0], middle) < 0.1
    alone, one = without_alternation(x)  # (T, J, C) alike, its share a scalar array
    np.testing.assert_allclose(alone, out[0])
    assert one.shape == () and one == share[0]


def test_the_alternation_is_fitted_once_for_its_reading(monkeypatch):
    """read_alternation reads the summary's figures from the fit it takes out (before, fitted twice a call)."""
    x = two_boxes(walking(90, noise=0.0)[0])[None]
    calls, fitted = [], alternation_module._fitted
    monkeypatch.setattr(alternation_module, "_fitted", lambda *a: calls.append(1) or fitted(*a))
    out, reading = alternation_module.read_alternation(x)
    assert len(calls) == 1 and reading[0, 0] == 1.0
    np.testing.assert_array_equal(out, (x - alternation(x)).astype(x.dtype))


@pytest.mark.parametrize("case", ["noise", "box jitter", "heavy noise over two boxes", "short"])
def test_noise_and_motion_are_left_as_they_are(case):
    clean, noisy = walking(90, noise=3.0)
    x = {"noise": noisy, "box jitter": box_jitter(clean, 0.01), "heavy noise over two boxes": two_boxes(noisy),
         "short": two_boxes(clean)[:7]}[case]
    out, share = without_alternation(x)
    assert not share.any()
    assert out is x  # not even a copy: the route before, bit for bit


def test_the_alternation_follows_a_box_that_changes_slowly():
    clean, _ = walking(120, noise=0.0)
    ramp = np.linspace(0.0, 0.04, len(clean))[:, None, None]  # the second box drifts larger
    centre = (clean.min(axis=1, keepdims=True) + clean.max(axis=1, keepdims=True)) / 2
    error = np.zeros_like(clean)
    error[1::2] = (ramp * (clean - centre))[1::2]
    found = alternation(clean + error)
    sign = np.where(np.arange(len(clean)) % 2 == 0, -1.0, 1.0)[:, None, None]
    np.testing.assert_allclose(found[10:-10], (sign * ramp * (clean - centre) / 2)[10:-10], atol=0.1)


def test_synsp_refines_a_clean_walk_read_from_two_boxes_to_their_mean(monkeypatch):
    clean, _ = walking(90, noise=0.0)
    x = two_boxes(clean)
    middle = (clean + other_box(clean)) / 2
    refined = synsp.refine(x, "synsp", layout="coco17", fps=30)
    monkeypatch.setattr(alternation_module, "SHARE_RAMP", (2.0, 3.0))  # never opens: the route before
    before = synsp.refine(x, "synsp", layout="coco17", fps=30)
    assert mpjpe(refined, middle) < 0.5 < mpjpe(before, middle)


def test_synsp_refine_says_when_it_took_out_alternating_frames(tmp_path, capsys):
    """`synsp refine` (and refine_file's summary) prints an `alternation:` line with the boxes' size ratio where the
    step acted, and none for each joint's own noise."""
    from synsp.cli import main
    from synsp.inference.alternation import alternation_note, read_alternation

    clean, noisy = walking(150, noise=3.0)
    _, reading = read_alternation(two_boxes(clean))
    assert reading[0] == 1.0 and reading[1] > 0.9 and abs(reading[2] - 1.03) < 0.005  # other_box: x1.03
    assert "; taken out before refining" in alternation_note([reading])
    assert "40% of it taken out" in alternation_note([np.array([0.4, 0.85, 1.03, 0.04]), np.zeros(4)])
    assert alternation_note([]) == alternation_note([read_alternation(noisy)[1]]) == ""
    for name, poses, said in [("boxes", two_boxes(clean), True), ("noise", noisy, False)]:
        np.save(tmp_path / f"{name}.npy", poses.astype(np.float32))
        assert main(["refine", str(tmp_path / f"{name}.npy"), str(tmp_path / f"{name}_out.npy")]) == 0
        out = capsys.readouterr().out
        assert ("alternation: the whole body alternates between two boxes" in out) == said
        assert ("odd frames x1.03 the even frames' size" in out) == said


@pytest.mark.parametrize("shift", [(2.0, 4.0), (4.0, 8.0)])  # the boxes 4 % and 8.6 % of the body's size apart
def test_synsp_refine_takes_no_value_out_of_a_walk_read_from_two_boxes(tmp_path, capsys, shift):
    """A walk's ankles (and eyes) hold still in y: one box's frames alone reach the clip's extreme, every other
    frame, exactly; no clamp on the picture's edge (300 values were taken out and filled, 2.15 -> 2.38 px)."""
    from synsp.cli import main

    clean, _ = walking(150, noise=0.0)
    x = clean.copy()
    x[1::2] = other_box(clean, shift=shift)[1::2]
    middle = (clean + other_box(clean, shift=shift)) / 2
    np.save(tmp_path / "boxes.npy", x.astype(np.float32))
    assert main(["refine", str(tmp_path / "boxes.npy"), str(tmp_path / "out.npy")]) == 0
    out = capsys.readouterr().out
    assert "taken out:" not in out and ", 0 joint values filled" in out
    assert "alternation: the whole body alternates" in out
    assert mpjpe(np.load(tmp_path / "out.npy"), middle) < 0.1 * mpjpe(x, middle)


def test_a_clamp_on_the_pictures_edge_is_still_read_under_two_boxes():
    """A joint beyond the picture is clamped in both boxes' frames: a run on the edge, taken out as before; the
    boxes' own frames on the walk's extreme, every other frame, are not."""
    from synsp.estimator_errors.edge_values import edge_values

    x = two_boxes(walking(150, noise=0.0)[0]).astype(np.float32)
    assert not edge_values(x).any()
    edge = np.float32(x[..., 1].max() + 1.5)
    x[60:100, 15:17, 1] = edge  # both ankles out of the picture's bottom for 40 frames, written on its edge
    marked = edge_values(x)
    assert marked[60:100, 15:17].all() and marked.sum() == 80

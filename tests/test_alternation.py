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

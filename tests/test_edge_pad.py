"""A clip's first and last frames: extended at both ends before the windows are cut, refined as interior frames are,
and the same for a clip, its reversal and its mirror image (audit 22, finding 5)."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.inference.checkpoint import load_model
from synsp.inference.edge_pad import edge_frames, extend_ends
from synsp.skeleton import flip_lr


def test_extension_runs_a_straight_motion_on_and_is_the_same_reversed():
    t = np.arange(30, dtype=np.float64)
    line = (3.0 + 0.5 * t)[None, :, None, None] * np.ones((1, 1, 2, 3))
    out = extend_ends(line, 9, 9)
    assert out.shape == (1, 48, 2, 3)
    np.testing.assert_allclose(out[0, :, 0, 0], 3.0 + 0.5 * np.arange(-9, 39), atol=1e-9)  # the line, on both sides
    noisy = np.random.default_rng(0).normal(size=(2, 25, 4, 2))
    np.testing.assert_allclose(extend_ends(noisy[:, ::-1], 8, 8)[:, ::-1], extend_ends(noisy, 8, 8))
    np.testing.assert_array_equal(extend_ends(noisy, 8, 8)[:, 8:-8], noisy)
    assert extend_ends(noisy[:, :3], 8, 8).shape == (2, 19, 4, 2)  # shorter than the extension: the line runs on
    assert np.isfinite(extend_ends(noisy[:, :1], 8, 8)).all()
    assert edge_frames(8, 2, 9) == (6, 7) and edge_frames(8, 3, 130) == (6, 7) and edge_frames(8, 3, 131) == (6, 6)
    assert edge_frames(8, 8, 20) == (0, 4)
    np.testing.assert_array_equal(extend_ends(noisy, 6, 7)[:, 6:-7], noisy)
    np.testing.assert_allclose(extend_ends(noisy, 6, 7)[:, :6], extend_ends(noisy, 6, 6)[:, :6])


def test_the_extension_is_as_long_as_the_window_grid_needs():
    """No window wholly outside the clip, no window flush with its end off the grid; the real frames refined as
    with a longer extension on both sides (the windows that reach them are the same; float32 rounding apart)."""
    from synsp.inference.swaa import window_starts

    model = load_model("synsp-coco17")
    for stride in (1, 2, 3, 4, 8):
        for length in (9, 10, 11, 50):
            before, after = edge_frames(8, stride, length)
            starts = window_starts(before + length + after, 8, stride)
            assert (starts % stride == 0).all() and starts[0] + 8 > before and starts[-1] <= before + length - 1
            seq = np.cumsum(np.random.default_rng(length).normal(size=(1, length, 17, 2)), axis=1).astype(np.float32)
            longer = -(-7 // stride) * stride + stride
            wide = model._run_windows(seq + 500, stride, 256, ("final",), (longer, longer))["final"]
            tight = model._run_windows(seq + 500, stride, 256, ("final",), (before, after))["final"]
            np.testing.assert_allclose(tight, wide, atol=1e-4)


def test_interior_windows_are_those_of_the_plain_cut():
    """The extension adds windows before and after; every frame a window's reach from the ends is merged from the
    same windows, mirrored the same way, so it is bit-identical."""
    model = load_model("synsp-coco17")
    seq = np.cumsum(np.random.default_rng(1).normal(size=(1, 50, 17, 2)), axis=1).astype(np.float32) + 500
    for stride in (1, 2, 3, 8):
        plain = model._run(seq, stride, 256, ("final",))["final"]
        padded = model._run(seq, stride, 256, ("final",), edges=True)["final"]
        np.testing.assert_array_equal(padded[:, 8:-8], plain[:, 8:-8])
        assert padded.shape == plain.shape


def _edge_and_interior(model, x, space):
    """Largest distance between the refinement of ``x`` and that of its reversal and of its mirror image (labels
    exchanged), each undone: at the first and last 3 frames, and over the frames 10 or more from an edge."""
    out = model.refine(x)
    reversed_ = model.refine(np.ascontiguousarray(x[::-1]))[::-1]
    width = 2000.0 if space == "2d" else 0.0  # 2D: a picture 2000 px wide, mirrored within it (flip_lr negates x)
    mirror = flip_lr(x, model.layout) + np.array([width] + [0.0] * (x.shape[-1] - 1))
    mirrored = flip_lr(model.refine(mirror) - np.array([width] + [0.0] * (x.shape[-1] - 1)), model.layout)
    found = {}
    for name, other in (("reversed", reversed_), ("mirrored", mirrored)):
        d = np.linalg.norm(out - other, axis=-1).max(axis=-1)  # (T,) worst joint
        found[name] = (np.r_[d[:3], d[-3:]].mean(), d[10:-10].mean())
    return found


@needs_data
@pytest.mark.parametrize("space", ["2d", "3d"])
def test_a_clip_reversed_or_mirrored_differs_at_its_edges_no_more_than_inside(space):
    from synsp.evaluation.protocol import make_cases

    layout = "coco17" if space == "2d" else "h36m17"
    x = make_cases("val", "typical", layout=layout, space=space, max_clips=1)[0].noisy[:60]
    model = load_model(f"synsp-{layout}")
    for name, (edge, interior) in _edge_and_interior(model, x, space).items():
        assert edge <= 1.5 * interior, (name, edge, interior)

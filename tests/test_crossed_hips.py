"""Legs whose labels an estimator kept exchanged for seconds (hips turned against the shoulders) are exchanged
back, whole legs as whole legs and the hips alone as the hips alone; bodies with their labels right are left."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.data.camera import project, random_camera
from synsp.estimator_errors.crossed_hips import crossed_legs
from synsp.estimator_errors.measurements import measurements
from synsp.skeleton import get_layout

pytestmark = needs_data
H36M, COCO = get_layout("h36m17"), get_layout("coco17")


def _legs_exchanged(name: str, space: str, start: int, stop: int, pairs: list[tuple[int, int]], sigma: float,
                    camera: int = 2100, layout: str | None = None) -> tuple[np.ndarray, np.ndarray]:
    """(input, truth): validation clip ``name`` (3D mm or 2D px) with ``pairs`` exchanged over start..stop."""
    from synsp.data.mocap import load_clip

    clip = load_clip(name, layout or ("h36m17" if space == "3d" else "coco17")).astype(np.float64)
    truth = clip if space == "3d" else project(clip, random_camera(np.random.default_rng(camera), subject=clip))
    x = truth.copy()
    for a, b in pairs:
        x[start:stop, [a, b]] = truth[start:stop, [b, a]]
    return x + np.random.default_rng(0).normal(0, sigma, x.shape), truth


def test_legs_exchanged_for_seconds_are_exchanged_back_in_3d():
    """A sideways walk's legs exchanged for 2.6 s: the inversion pass reads no jump at the exchange's ends;
    before, the output kept them exchanged (73.6 mm against the input's 76.0) and moved the upper body."""
    legs = [(1, 4), (2, 5), (3, 6)]
    start, stop = 69, 146
    noisy, truth = _legs_exchanged("dataset-1_walk-right_giant_001", "3d", start, stop, legs, 8.0)
    exchanged = measurements(noisy, H36M).exchanged
    pairs = [H36M.left_right.index(p[::-1]) for p in legs]
    assert exchanged[start + 3:stop - 3][:, pairs].mean() > 0.95
    out = synsp.refine(noisy.astype(np.float32))
    err = lambda y: np.linalg.norm(y - truth, axis=-1).mean()  # noqa: E731
    assert err(out) < 0.35 * err(noisy)


def test_legs_exchanged_for_seconds_are_exchanged_back_in_2d():
    """A walk turning, its legs exchanged for 2.4 s (2.5 px): before, 2D left crossed hips to the inversion pass,
    which kept them exchanged (the output 5.31 px against the input's 6.78)."""
    legs = [(11, 12), (13, 14), (15, 16)]
    noisy, _ = _legs_exchanged("dataset-2_walk-turn-left_normal_026", "2d", 55, 128, legs, 2.5, camera=2104)
    exchanged = measurements(noisy, COCO).exchanged
    assert exchanged[60:123, [COCO.left_right.index(p) for p in legs]].mean() > 0.95
    assert not exchanged[60:123, [COCO.left_right.index(p) for p in ((5, 6), (3, 4))]].any()


def test_a_few_frames_of_crossed_hips_in_2d_are_left():
    """The upper body exchanged for 3 frames (the simulator's `hard`, where the inversion pass may leave it) reads
    as crossed hips too; a 2D run that short is no estimator's legs kept exchanged for seconds."""
    upper = [(1, 2), (3, 4), (5, 6), (7, 8), (9, 10)]
    noisy, _ = _legs_exchanged("dataset-2_walk_normal_002", "2d", 100, 103, upper, 0.0)
    assert not crossed_legs(noisy, COCO).any()
    longer, _ = _legs_exchanged("dataset-2_walk_normal_002", "2d", 100, 120, upper, 0.0)
    assert crossed_legs(longer, COCO)[100:120].any()  # read where it lasts


def test_halpe26_legs_and_feet_exchanged_keep_the_upper_body_as_it_was():
    """Halpe26's legs with their feet hold 6 of its 11 pairs: the inversion pass read the whole body exchanged and
    took the face and arms for the side to exchange back (they came out 30 px off). Crossed hips undo that."""
    layout = get_layout("halpe26")
    words = ("hip", "knee", "ankle", "toe", "heel")
    legs = [p for p in layout.left_right if any(w in layout.joints[p[0]] for w in words)]
    noisy, _ = _legs_exchanged("dataset-1_bye_not-confident_001", "2d", 94, 138, legs, 2.5, layout="halpe26")
    exchanged = measurements(noisy, layout).exchanged
    rows = [layout.left_right.index(p) for p in legs]
    above = [p for p in range(len(layout.left_right)) if p not in rows]
    assert exchanged[98:134, rows].mean() > 0.95 and not exchanged[:, above].any()


def test_the_hips_alone_exchanged_leave_the_knees_as_they_are():
    noisy, truth = _legs_exchanged("dataset-1_walk_not-confident_001", "3d", 100, 200, [(1, 4)], 8.0)
    marked = crossed_legs(noisy, H36M)
    hips, knees = H36M.left_right.index((4, 1)), H36M.left_right.index((5, 2))
    assert marked[105:195, hips].all() and not marked[:, knees].any()


@pytest.mark.parametrize("space", ["3d", "2d"])
def test_bodies_labelled_right_have_no_crossed_hips(space):
    from synsp.evaluation.protocol import make_cases

    layout = "h36m17" if space == "3d" else "coco17"
    for case in make_cases("val", "jitter", layout=layout, space=space, max_clips=12):
        assert not crossed_legs(case.clean.astype(np.float64), get_layout(layout)).any()

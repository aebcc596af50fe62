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
                    camera: int = 2100) -> tuple[np.ndarray, np.ndarray]:
    """(input, truth): validation clip ``name`` (3D mm or 2D px) with ``pairs`` exchanged over start..stop."""
    from synsp.data.mocap import load_clip

    clip = load_clip(name, "h36m17" if space == "3d" else "coco17").astype(np.float64)
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


def test_2d_measurements_leave_crossed_hips_to_the_inversion_pass():
    """2D lost the simulator's `hard` (a shoulder pair exchanged reads as crossed hips too): not taken."""
    legs = [(11, 12), (13, 14), (15, 16)]
    noisy, _ = _legs_exchanged("dataset-2_walk-turn-left_normal_026", "2d", 55, 128, legs, 2.5, camera=2104)
    assert crossed_legs(noisy, COCO)[60:120].any()  # read, yet not exchanged by the measurements
    assert not measurements(noisy, COCO).exchanged[60:120, [COCO.left_right.index(p) for p in legs[1:]]].any()


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

"""A person cut by the picture's bottom edge (audit 20): the ankles' measured values are no limb astray, and the
summary says values taken out apart from gaps, advising --max-gap for real gaps only."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from synsp import refine
from synsp.estimator_errors.edge_values import beyond_edges, edge_values
from synsp.estimator_errors.measurements import measurements
from synsp.refining.summary import gap_lines
from synsp.refining.uneven_times import refine_tracks_at
from synsp.skeleton import get_layout

# A bye_tired validation clip (coco17, px) under `typical` noise, both ankles' y clamped to a line between knees and
# ankles over frames 63-137 (before the noise); the rest measured. Its left ankle's whole track was taken out.
EDGE_CUT = Path(__file__).parent / "fixtures" / "edge_cut_2d.npy"


def test_a_shin_cut_by_the_edge_keeps_the_ankles_measured_values():
    layout = get_layout("coco17")
    astray = measurements(np.load(EDGE_CUT).astype(np.float64), layout).astray  # (T, J)
    ankles = [layout.joints.index("left_ankle"), layout.joints.index("right_ankle")]
    outside = np.r_[0:63, 138:len(astray)]
    assert not astray[outside][:, ankles].any()
    assert astray.sum(axis=0).max() <= 75  # never most of a track


def test_values_taken_out_are_no_gap_and_get_no_max_gap_advice():
    filled = np.zeros((1, 210, 3), dtype=bool)
    filled[0, 63:138, 1] = True
    lines = gap_lines(filled, ["a", "b", "c"], 30.0, taken=filled)
    assert len(lines) == 1 and lines[0].startswith("taken out: 75 measured joint values")
    assert "b frames 63-137 (75 frames, 2.50 s)" in lines[0] and "--max-gap" not in lines[0]
    gap = filled.copy()
    gap[0, 0:40, 2] = True  # a real gap beside: said, and --max-gap advised for it alone
    lines = gap_lines(gap, ["a", "b", "c"], 30.0, taken=filled)
    assert lines[1] == "longest gaps filled: c frames 0-39 (40 frames, 1.33 s)"
    assert lines[2].startswith("1 gap longer than 0.5 s was invented") and "--max-gap 0.5s" in lines[2]


def test_without_taken_values_the_gap_lines_are_as_before():
    filled = np.zeros((1, 100, 2), dtype=bool)
    filled[0, 10:50, 0] = True
    assert gap_lines(filled, ["a", "b"], 30.0) == gap_lines(filled, ["a", "b"], 30.0, taken=np.zeros_like(filled))
    assert gap_lines(filled, ["a", "b"], 30.0)[0] == "longest gaps filled: a frames 10-49 (40 frames, 1.33 s)"


def test_uneven_times_keep_the_values_taken_out_apart_from_gaps():
    poses = np.load(EDGE_CUT)[None]  # (1, T, J, 3)
    t_count = poses.shape[1]
    times = np.arange(t_count) / 30.0
    times[1::7] += 0.01  # uneven steps: refined on an even grid, given back at these times
    tracks, note = refine_tracks_at(poses, times, "coco17", "synsp", fps=30.0)
    assert note is not None and tracks.taken is not None and tracks.taken.shape == tracks.filled.shape
    assert tracks.taken.any() and not (tracks.taken & ~tracks.filled).any()  # taken values are filled ones
    left_ankle = get_layout("coco17").joints.index("left_ankle")
    assert (np.flatnonzero(tracks.taken[0].any(axis=0)) == [left_ankle]).all()
    assert (np.flatnonzero(tracks.taken[0, :, left_ankle]) == np.arange(63, 138)).all()  # the clamped run, as even


def _clamped_exactly() -> tuple[np.ndarray, float, list[int]]:
    """The fixture's 2D values with both ankles written exactly on an edge below every other value over frames
    63-137, as an estimator that clamps to the image writes them: (T, J, 2), the edge's y, the ankles."""
    layout = get_layout("coco17")
    x = np.load(EDGE_CUT)[..., :2].astype(np.float64)
    ankles = [layout.joints.index("left_ankle"), layout.joints.index("right_ankle")]
    edge = float(np.round(np.nanmax(x[..., 1]) + 1.0))
    x[63:138, ankles, 1] = edge
    return x, edge, ankles


def test_values_clamped_on_the_pictures_edge_are_filled_and_kept_beyond_it():
    x, edge, ankles = _clamped_exactly()
    marked = edge_values(x)
    assert marked[63:138][:, ankles].all() and marked.sum() == 150
    measured = measurements(x, get_layout("coco17"))
    assert not measured.astray.any() and measured.edge[63:138][:, ankles].all()
    assert (measured.values[63:138][:, ankles, 1] >= edge).all()  # the fill is on or beyond the edge
    out = refine(x, "synsp", layout="coco17", fps=30)
    assert (out[63:138][:, ankles, 1] >= edge).all()
    assert np.abs(out[:63, ankles] - x[:63, ankles]).max() < 60  # the measured frames stay measured


def test_no_edge_is_read_in_whole_pixels_held_values_or_float_noise():
    x, edge, ankles = _clamped_exactly()
    assert not edge_values(np.round(x)).any()  # whole pixels share their extremes by rounding
    held = x.copy()
    held[63:138, ankles] = held[63, ankles]  # both ankles held whole: two places along the edge, no clamp
    assert not edge_values(held).any()
    assert not edge_values(np.load(EDGE_CUT)[..., :2].astype(np.float64)).any()  # clamped before the noise
    assert not edge_values(x[..., :1]).any()  # no picture: one axis (and 3D) has no edge
    inside = x.copy()
    inside[63:138, ankles, 1] -= 30.0  # refined back inside the picture: put on the edge; the rest as given
    kept = beyond_edges(inside, x)
    assert (kept[63:138][:, ankles, 1] == edge).all()
    assert (np.delete(kept, ankles, axis=1) == np.delete(x, ankles, axis=1)).all()


def test_a_value_snapped_to_the_edge_from_far_is_no_clamp():
    """A joint the estimator writes on the edge from far away (a lost coordinate written as the edge's) jumped
    there: left to the glitch and astray steps, not kept on the edge; the clamped ankles beside it still are."""
    x, edge, ankles = _clamped_exactly()
    wrist = get_layout("coco17").joints.index("left_wrist")
    x[20:26, wrist, 1] = edge  # the wrist, half the body above the edge, thrown onto it for 6 frames
    marked = edge_values(x)
    assert not marked[:, wrist].any() and marked[63:138][:, ankles].all() and marked.sum() == 150

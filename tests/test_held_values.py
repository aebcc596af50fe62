"""Held values: a joint or a whole frame repeating the frame before is refined as a gap by the networks."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.cli import main
from synsp.estimator_errors.held_values import held_arrivals, held_values
from synsp.formats import read_poses
from walking import mpjpe, walking


def test_repeated_frames_and_joints_are_held_and_nothing_else():
    _, x = walking(12, noise=1.0)
    x[4] = x[3]
    x[5] = x[3]  # a whole frame repeated twice
    x[8, 2] = np.nan
    x[9] = x[8]  # NaN where the frame before was NaN: still the same frame, its joint 2 unseen
    x[10] = x[9] + 1e-3  # a tiny move is a measurement
    x[7, 6] = x[6, 6]  # one joint held
    held = held_values(x)
    assert set(zip(*np.nonzero(held))) == {(4, j) for j in range(17)} | {(5, j) for j in range(17)} | {
        (9, j) for j in range(17) if j != 2} | {(7, 6)}
    assert held_values(np.stack([x, x[::-1]])).shape == (2, 12, 17)


def test_a_fixed_joint_is_a_point_and_rounded_values_hold_only_whole_frames():
    _, x = walking(40, noise=1.0)
    rooted = x - x[:, 11:12]  # relative to a hip: that joint is 0 in every frame
    assert not held_values(rooted).any()
    rounded = np.round(x)  # whole pixels: slow joints repeat by rounding
    assert (rounded[1:] == rounded[:-1]).all(-1).any() and not held_values(rounded).any()
    rounded[20] = rounded[19]
    np.testing.assert_array_equal(np.nonzero(held_values(rounded).all(-1))[0], [20])
    assert held_values(rounded).sum() == 17


def test_a_frame_without_any_value_is_not_held():
    x = np.full((5, 17, 3), np.nan)
    x[0] = 1.0
    assert not held_values(x).any()


def test_a_person_who_keeps_still_is_refined_as_if_no_frame_were_held():
    still = np.repeat(walking(1, noise=0.0)[0], 60, axis=0)
    measured = still + np.random.default_rng(1).normal(0, 1e-3, still.shape)  # no two frames alike
    np.testing.assert_allclose(synsp.refine(still), synsp.refine(measured), atol=0.2)  # px, of 255


@pytest.mark.parametrize("method", ["synsp", "smoothnet"])
def test_frames_held_by_a_half_rate_estimator_are_refined_between_their_neighbours(method):
    clean, noisy = walking(121, noise=0.5)  # the last frame measured: a held last frame is a gap
    held = noisy.copy()
    held[1::2] = held[0:-1:2]  # an estimator run on every other frame, its output held between
    gapped = np.where(held_values(held)[..., None], np.nan, held)
    refined = synsp.refine(held, method)
    from_gaps = synsp.refine(gapped, method)  # the same refinement; frames with no joint are not given
    np.testing.assert_allclose(refined[0::2], from_gaps[0::2], atol=1e-3)
    assert np.isnan(from_gaps[1::2]).all() and np.isfinite(refined).all()  # held frames were measured: given
    # at a regular stride the detections are refined alone at fps / 2 (refining.strided), the held frames between
    np.testing.assert_allclose(refined[1:-1:2], (refined[:-2:2] + refined[2::2]) / 2, atol=1e-3)
    assert mpjpe(refined[1::2], clean[1::2]) < 0.8 * mpjpe(held[1::2], clean[1::2])


def test_a_joint_held_while_lost_is_filled_from_its_neighbours():
    clean, noisy = walking(90, noise=0.5)
    held = noisy.copy()
    held[30:45, 9] = held[29, 9]  # the left wrist held at its last place for half a second
    refined = synsp.refine(held, "smoothnet")
    assert mpjpe(refined[30:45, 9:10], clean[30:45, 9:10]) < 0.6 * mpjpe(held[30:45, 9:10], clean[30:45, 9:10])


def test_a_file_with_held_frames_says_so_and_flags_them_filled(tmp_path, capsys):
    _, noisy = walking(90, noise=1.0)
    poses = noisy.astype(np.float32)
    poses[4::5] = poses[3::5]  # a 24 -> 30 fps pulldown: every 5th frame repeats the one before
    src, dst = tmp_path / "pulldown.npy", tmp_path / "out.npz"
    np.save(src, poses)
    assert main(["refine", str(src), str(dst)]) == 0
    assert "held: 306 joint values repeat the frame before them" in capsys.readouterr().out
    out = read_poses(dst)
    assert out.filled[0, 4::5].all() and out.filled.sum() == 18 * 17


def test_frames_of_a_motion_held_whole_are_interpolated_for_the_network():
    from synsp.formats.smpl import smpl_motion
    from synsp.refining.motion import refine_motion, without_held_frames
    from synsp.rotations.conversions import geodesic_angle, matrix_from_axis_angle

    t = np.arange(60)[:, None] / 30.0
    poses = (0.4 * np.sin(2 * np.pi * t + np.arange(72)[None])).reshape(60, 24, 3)  # a smooth motion
    held = poses.copy()
    held[1::2] = held[0:-1:2]  # SMPL parameters of an estimator run on every other frame
    motion = smpl_motion(held, None, 30.0)
    filled, count = without_held_frames(motion)
    assert count == 30
    truth = matrix_from_axis_angle(poses)
    inner = slice(1, 58, 2)  # held frames with a measured frame after them
    assert geodesic_angle(filled.rotations[inner], truth[inner]).mean() < 0.2 * geodesic_angle(
        motion.rotations[inner], truth[inner]).mean()
    _, notes = refine_motion(motion)
    assert any(note.startswith("held: 30 frames repeat the frame before them") for note in notes)
    still = smpl_motion(np.repeat(poses[:1], 20, axis=0), None, 30.0)
    assert without_held_frames(still) == (still, 0)  # a still pose: nothing to interpolate


def test_rounding_is_read_only_where_a_value_repeats(monkeypatch):
    """held_values reads whether a joint's values are rounded (a body size and a grid test) only
    where some value repeats the one before: elsewhere there is nothing to tell (every clip a
    stream's lookahead measures in full paid for it). The answers of the formula as it was."""
    from synsp.estimator_errors import held_values as module

    def as_it_was(x):
        held = module.held_frames(x)[:, None] & np.isfinite(x).all(axis=-1)
        same = (x[1:] == x[:-1]).all(axis=-1)
        fixed = same.sum(axis=0) > 0.5 * np.isfinite(x).all(axis=-1).sum(axis=0)
        held[1:] |= same & ~fixed & ~module._rounded(x)
        return held

    rng = np.random.default_rng(9)
    calls, rounded = [], module._rounded
    monkeypatch.setattr(module, "_rounded", lambda x: calls.append(1) or rounded(x))
    x = rng.normal(0, 100, (40, 17, 2))
    assert not module.held_values(x).any() and not calls
    monkeypatch.setattr(module, "_rounded", rounded)
    x[20, 3] = x[19, 3]  # a held value
    y = np.round(x)  # whole pixels: a repeat there may be the rounding
    y[30, 4] = y[29, 4]
    z = x.copy()
    z[10:12] = np.nan
    z[25] = z[24]  # a held frame
    for poses in (x, y, z, np.zeros((5, 17, 2)), x[:1]):
        np.testing.assert_array_equal(module.held_values(poses), as_it_was(poses))


def _on_grid(x: np.ndarray, step: float = 4.98) -> np.ndarray:
    """Keypoints read at a heatmap's cells, no sub-pixel refinement: 64 rows on a box 1.25 x this person's 255 px."""
    return (np.round(x / step) * step).astype(np.float32)


def test_keypoints_on_a_coarse_grid_repeat_by_rounding_and_are_kept():
    """A joint slower than the grid's step repeats, then moves one step: a measurement. Before, a third
    of these values were refilled as held (a user audit, 2026-12-06, finding 5)."""
    from synsp.estimator_errors.held_values import grid_steps

    clean, _ = walking(120, noise=0.0)
    x = _on_grid(clean)
    assert (x[1:] == x[:-1]).all(-1).mean() > 0.2  # slow joints repeat
    np.testing.assert_allclose(grid_steps(x), [4.98, np.inf], rtol=1e-5)  # y: this walk never moves up
    assert not held_values(x).any()
    assert mpjpe(synsp.refine(x), clean) < 0.8 * mpjpe(x, clean)
    _, noisy = walking(120, noise=2.0)
    assert not grid_steps(noisy).any() and not grid_steps(noisy + np.arange(120)[:, None, None] * 0.37).any()


def test_on_a_coarse_grid_a_lost_joint_and_a_converted_rate_are_still_held():
    clean, _ = walking(120, noise=0.0)
    lost = _on_grid(clean)
    lost[40:55, 9] = lost[39, 9]  # the left wrist held at its last place for half a second
    held = held_values(lost)
    assert held[40:55, 9].all() and held[:, 9].sum() <= 16 and not np.delete(held, 9, axis=1).any()  # 39: rounding's
    twice = _on_grid(clean)
    twice[1::2] = twice[0:-1:2]  # a rate doubled: each frame twice, the slow ones too
    np.testing.assert_array_equal(held_values(twice).all(-1), np.arange(120) % 2 == 1)


def test_a_lost_joint_written_at_a_fixed_corner_is_taken_out_from_its_first_frame():
    clean, x = walking(90, noise=2.0)
    x[40:52, 9] = [1919.0, 1079.0]  # the left wrist lost, clipped to the picture's corner (audit 33, finding 2)
    x[84:, 10] = [0.0, 1079.0]  # the right wrist so at the clip's end
    held = held_values(x)
    arrivals = held_arrivals(x, held)
    assert set(zip(*np.nonzero(arrivals))) == {(40, 9), (84, 10)}
    out = synsp.refine(x, fps=30)
    assert mpjpe(out[40:52, 9], clean[40:52, 9]) < 15.0  # px; the first value kept, the fill started there: ~300
    assert mpjpe(out[84:, 10], clean[84:, 10]) < 15.0


def test_a_joint_held_at_its_last_place_keeps_its_first_value():
    _, x = walking(90, noise=2.0)
    x[40:52, 9] = x[39, 9]  # a tracker holding the lost wrist where it last saw it: frame 39 was measured
    x[84:, 10] = x[83, 10]
    assert not held_arrivals(x, held_values(x)).any()


def test_the_held_line_tells_of_fixed_points_only_when_some_first_values_were_marked(tmp_path):
    """The review's finding: every held line claimed values "written at a fixed point", a tracker's plain hold too."""
    from synsp.refining.files import refine_file

    _, x = walking(90, noise=2.0)
    corner, last = x.astype(np.float32), x.astype(np.float32)
    corner[40:52, 9] = [1919.0, 1079.0]  # a lost wrist clipped to the picture's corner: its first value marked
    last[40:52, 9] = last[39, 9]  # a tracker holding the lost wrist at its last place: nothing marked
    lines = {}
    for name, poses in (("corner", corner), ("last", last)):
        np.save(tmp_path / f"{name}.npy", poses)
        notes = refine_file(tmp_path / f"{name}.npy", tmp_path / f"{name}_out.npy", fps=30).notes
        lines[name] = next(note for note in notes if note.startswith("held:"))
    assert "; 1 of them the first value of such a run, written at a fixed point" in lines["corner"], lines["corner"]
    assert lines["last"].startswith("held: 12 joint values repeat the frame before them exactly (a frame rate")
    assert "fixed point" not in lines["last"], lines["last"]


def test_a_fast_joint_at_the_start_of_a_rate_converted_clip_keeps_its_first_value():
    """The review's finding: at a clip's end the pace was read from the frame beside the nearest measured one, a
    repeat on a converted rate (step 0), so a fast joint's real first value was marked as a fixed point."""
    from synsp.sequence import body_size

    clean, _ = walking(60, noise=0.0)
    x = clean.copy()
    x[:4, 9, 0] += (4 - np.arange(4)) * 0.3 * body_size(clean)  # the wrist swept in at 0.3 body sizes a frame
    twice = np.repeat(x, 2, axis=0)  # each frame written twice
    held = held_values(twice)
    assert held[1::2].all() and not held[0::2].any()
    assert not held_arrivals(twice, held).any()

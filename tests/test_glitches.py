"""Glitches: joints that leave the body for a frame or two are marked and refined as gaps."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.estimator_errors.glitches import body_jumps, glitches
from synsp.skeleton import COCO17
from walking import walking

BONES = COCO17.bones


def test_smooth_motion_has_no_glitch_even_played_fast():
    clean, noisy = walking(120, noise=2.0)
    for speed in (1, 2, 3):
        assert not glitches(clean[::speed], BONES).any()
        assert not glitches(noisy[::speed], BONES).any()


def test_one_and_two_frame_excursions_are_marked_and_nothing_else():
    clean, _ = walking(90, noise=0.0)
    x = clean.copy()
    x[30, 9] += (90.0, -60.0)  # the left wrist jumps for one frame
    x[50:52, 14] += (-120.0, 40.0)  # the right knee for two
    marked = glitches(x, BONES)
    assert set(zip(*np.nonzero(marked))) == {(30, 9), (50, 14), (51, 14)}


def test_an_outlier_of_a_few_percent_of_the_body_is_marked_too():
    """A detector's outliers are often small: a wrist 12 px off along its forearm for a frame and the
    whole body 9 px off its path for another, on a person 264 px tall (0.045 and 0.036 of its size)."""
    _, noisy = walking(120, noise=1.0)
    x = noisy.copy()
    x[40, 9] += (0.0, 12.0)
    x[80] += (9.0, -3.0)
    assert set(zip(*np.nonzero(glitches(x, BONES)))) == {(40, 9)}
    assert np.flatnonzero((body_jumps(x) != 0).any(-1)).tolist() == [80]


def test_a_whole_body_jump_keeps_its_bones_and_is_no_glitch():
    """A person shifted for a frame (a tracker's jump) keeps every bone: the track cut handles it."""
    clean, _ = walking(60, noise=0.0)
    x = clean.copy()
    x[20] += (150.0, 0.0)
    assert not glitches(x, BONES).any()


@pytest.mark.parametrize("method", ["synsp", "smoothnet"])
def test_refine_does_not_spread_a_glitch_over_its_neighbours(method):
    clean, noisy = walking(90, noise=1.0)
    x = noisy.copy()
    x[40, 9] += (120.0, -90.0)
    refined = synsp.refine(x, method)
    around = np.linalg.norm(refined[36:45, 9] - clean[36:45, 9], axis=-1)
    assert around.max() < 12.0  # the 150 px excursion is gone, not smeared over 9 frames


def test_a_whole_body_that_leaves_its_path_for_a_frame_or_two_is_moved_back():
    clean, noisy = walking(120, noise=1.0)
    for speed in (1, 2, 3):
        assert not body_jumps(clean[::speed]).any() and not body_jumps(noisy[::speed]).any()
    x = noisy.copy()
    x[30] += (40.0, -25.0)  # a detector's box that jumped for a frame
    x[70:72] += (-35.0, 30.0)  # and for two
    offsets = body_jumps(x)
    np.testing.assert_array_equal(np.flatnonzero((offsets != 0).any(-1)), [30, 70, 71])
    np.testing.assert_allclose(offsets[30], (40.0, -25.0), atol=3.0)
    error = lambda y: float(np.linalg.norm(y - clean, axis=-1).mean())  # noqa: E731
    assert error(synsp.refine(x)) < 1.05 * error(synsp.refine(noisy))


def test_a_file_says_how_many_frames_were_moved_back(tmp_path, capsys):
    from synsp.cli import main

    _, noisy = walking(90, noise=1.0)
    noisy[40] += (50.0, 0.0)
    src = tmp_path / "walk.npy"
    np.save(src, noisy.astype(np.float32))
    assert main(["refine", str(src), str(tmp_path / "out.npy")]) == 0
    assert "jumps: the whole body left its path for a frame or two and came back in 1 frame " in capsys.readouterr().out


def test_a_glitch_needs_one_of_its_own_joint_s_bones_stretched():
    # the bone test reads each joint's bones (glitches' boolean product of the bones' ends): a
    # wrist off the body stretches the forearm, whose far end (the elbow) did not move off its path
    clean, _ = walking(90, noise=0.0)
    x = clean.copy()
    x[40, 9] += (60.0, 60.0)  # left wrist (bone 7-9)
    x[60, 0] += (-40.0, 30.0)  # nose (bones to the eyes)
    assert set(zip(*np.nonzero(glitches(x, BONES)))) == {(40, 9), (60, 0)}
    assert not glitches(x, [(a, b) for a, b in BONES if 9 not in (a, b) and 0 not in (a, b)]).any()


def test_far_off_path_is_the_norms_test_value_for_value():
    """far_off_path reads the distances as np.linalg.norm does (its arithmetic without its checks,
    under one errstate: a stream asks per person and frame), the same frames, NaN and inf too."""
    from synsp.estimator_errors.glitches import GLITCH_SIZE, MAX_RUN, _off_line, far_off_path

    def reference(x, size):
        far = np.zeros(len(x), dtype=bool)
        for k in range(1, MAX_RUN + 1):
            if len(x) < k + 2:
                break
            with np.errstate(invalid="ignore"):  # inf - inf: NaN, never far
                for i, offset in enumerate(_off_line(np.asarray(x, np.float64), k)[1]):
                    far[1 + i: len(x) - k + i] |= (np.linalg.norm(offset, axis=-1) > GLITCH_SIZE * size).any(axis=-1)
        return far

    rng = np.random.default_rng(7)
    for trial in range(200):
        x = rng.normal(size=(int(rng.integers(1, 9)), 17, 2 + trial % 2))
        x = x.astype((np.float32, np.float64)[trial % 3 > 0])
        x[rng.random(x.shape[:2]) < 0.05] = (np.nan, np.inf)[trial % 2]
        size = float(rng.uniform(10, 150))
        np.testing.assert_array_equal(far_off_path(x, size), reference(x, size))


def test_a_burst_of_noise_keeps_its_values_and_its_glitches_are_still_marked():
    """Noise whose level changes within a clip (1 px, then 10 px for 1.5 s: motion blur, an occluder):
    the burst's values are measurements, read against the joint's stray around them, not over the clip;
    a glitch inside the burst or in the calm is still one."""
    clean, _ = walking(240, noise=0.0)
    rng = np.random.default_rng(3)
    level = np.ones(240)
    level[100:145] = 10.0
    x = clean + rng.normal(0.0, 1.0, clean.shape) * level[:, None, None]
    assert not glitches(x, BONES)[100:145].any()
    assert not (body_jumps(x) != 0).any()
    x[120, 9] += (150.0, -100.0)  # the left wrist leaves the body inside the burst
    x[40, 14] += (-60.0, 40.0)  # the right knee in the calm
    assert set(zip(*np.nonzero(glitches(x, BONES)))) == {(120, 9), (40, 14)}


def test_a_jump_onto_another_s_pose_is_filled_and_a_shifted_body_is_kept():
    # ids swapped for a frame or two: moved back onto the path, the body is still the other person's (out of
    # step), no measurement of this one; a box that jumped keeps the body's own pose, a measurement moved back
    from synsp.estimator_errors.measurements import measurements
    clean, noisy = walking(120, noise=1.0)
    other = walking(135, noise=1.0, seed=1)[1][15:] + (60.0, 5.0)
    x = noisy.copy()
    x[40] = other[40]
    x[80:82] = other[80:82]
    x[100:102] += (-35.0, 30.0)
    measured = measurements(x, COCO17)
    assert np.flatnonzero(measured.jumped).tolist() == [40, 80, 81, 100, 101]
    assert np.flatnonzero(measured.glitches.all(-1)).tolist() == [40, 80, 81]
    assert np.abs(measured.values[100:102] - noisy[100:102]).max() < 5.0
    error = np.linalg.norm(synsp.refine(x) - clean, axis=-1).mean(-1)
    assert error[[40, 80, 81]].max() < 3.0

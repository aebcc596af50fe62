"""Gap filling: interpolation, held ends, never-seen joints, masks, no NaN leaks."""
import numpy as np
import pytest

from synsp.sequence import fill_gaps


def test_linear_inside_and_held_ends():
    track = np.array([np.nan, 1.0, np.nan, np.nan, 4.0, np.nan])
    x = np.stack([track, 2 * track], axis=-1)[:, None, :]  # (T=6, J=1, C=2)
    filled, missing = fill_gaps(x)
    np.testing.assert_allclose(filled[:, 0, 0], [1, 1, 2, 3, 4, 4])
    np.testing.assert_allclose(filled[:, 0, 1], [2, 2, 4, 6, 8, 8])
    np.testing.assert_array_equal(missing[:, 0], [1, 0, 1, 1, 0, 1])


def test_nan_in_one_coordinate_marks_whole_joint_and_does_not_leak():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(30, 5, 3)).astype(np.float32)
    x[10:14, 2, 1] = np.nan
    filled, missing = fill_gaps(x)
    assert filled.dtype == np.float32 and filled.shape == x.shape
    assert not np.isnan(filled).any()
    assert missing[10:14, 2].all() and missing.sum() == 4
    untouched = ~missing
    np.testing.assert_array_equal(filled[untouched], x[untouched])
    # the whole joint is re-interpolated, all coordinates alike
    expected = x[9, 2] + (x[14, 2] - x[9, 2]) * (np.arange(1, 5)[:, None] / 5)
    np.testing.assert_allclose(filled[10:14, 2], expected, rtol=1e-5)


def test_explicit_mask_and_views():
    x = np.arange(10.0)[:, None, None] * np.ones((1, 2, 2))
    x = np.stack([x, x + 100])  # (V=2, T=10, J=2, C=2)
    mask = np.zeros((2, 10, 2), bool)
    mask[1, 3:6, 0] = True
    corrupted = x.copy()
    corrupted[1, 3:6, 0] = 999.0  # numbers, but flagged as missing
    filled, missing = fill_gaps(corrupted, mask)
    np.testing.assert_allclose(filled, x)
    np.testing.assert_array_equal(missing, mask)
    with pytest.raises(ValueError, match="missing"):
        fill_gaps(x, np.zeros((10, 2), bool))


def test_joint_missing_everywhere_goes_to_centroid():
    rng = np.random.default_rng(1)
    x = rng.normal(size=(8, 4, 3))
    x[:, 3] = np.nan
    filled, _ = fill_gaps(x)
    np.testing.assert_allclose(filled[:, 3], x[:, :3].mean(axis=1))
    assert np.all(fill_gaps(np.full((3, 2, 2), np.nan))[0] == 0)


def test_max_gap_leaves_long_gaps():
    track = np.array([0.0, np.nan, 2.0, np.nan, np.nan, np.nan, 6.0])
    filled, _ = fill_gaps(track[:, None, None], max_gap=2)
    np.testing.assert_allclose(filled[:3, 0, 0], [0, 1, 2])
    assert np.isnan(filled[3:6]).all() and filled[6, 0, 0] == 6.0


def test_pchip_keeps_monotone_and_matches_ends():
    t = np.arange(20.0)
    track = t**2
    x = track.copy()
    x[5:9] = np.nan
    x[0] = np.nan
    filled, _ = fill_gaps(x[:, None, None], method="pchip")
    f = filled[:, 0, 0]
    assert np.all(np.diff(f) >= 0) and f[0] == f[1] == 1.0
    assert np.abs(f[5:9] - track[5:9]).max() < np.abs(np.interp(t[5:9], [4, 9], [16, 81]) - track[5:9]).max()


def test_complete_input_is_copied_not_shared():
    x = np.ones((4, 2, 3), np.float32)
    filled, missing = fill_gaps(x)
    assert not missing.any() and filled is not x
    np.testing.assert_array_equal(filled, x)
    with pytest.raises(ValueError, match=r"\(4, 3\)"):
        fill_gaps(np.ones((4, 3)))


def test_infinite_and_absurd_values_are_missing_joints_not_holes():
    x = np.linspace(0, 10, 20)[:, None, None] * np.ones((1, 3, 2))
    x[5, 1, 0] = np.inf
    x[9, 2, 1] = 1e27
    filled, missing = fill_gaps(x)
    assert missing[5, 1] and missing[9, 2] and missing.sum() == 2
    assert np.isfinite(filled).all()
    np.testing.assert_allclose(filled[5, 1], np.linspace(0, 10, 20)[5])


def test_refine_refuses_a_sequence_without_any_finite_joint():
    import pytest

    import synsp

    with pytest.raises(ValueError, match="no joint has finite coordinates"):
        synsp.refine(np.full((10, 17, 3), np.nan), "savgol")


def test_zeros_away_from_the_body_are_joints_not_found():
    """OpenPose-style (0, 0) for a joint not found is missing; the root of root-relative poses is not."""
    import synsp
    from synsp.sequence import not_found

    t = np.arange(60)[:, None, None]
    body = 500 + 100 * np.random.default_rng(0).normal(size=(1, 17, 2)) + 20 * np.sin(t / 9.0)  # pixels, far from 0
    x = body.copy()
    x[[5, 6, 30], 9] = 0.0  # a wrist not found in three frames
    x[40] = 0.0  # a frame where nobody was found
    mask = not_found(x)
    assert mask[[5, 6, 30], 9].all() and mask[40].all() and mask.sum() == 3 + 17
    out = synsp.refine(x, "savgol")
    assert np.abs(out[[5, 6, 30], 9] - body[[5, 6, 30], 9]).max() < 30  # filled near the truth, not pulled to 0
    root_relative = body - body[:, :1]  # joint 0 at the origin in every frame
    assert not not_found(root_relative).any()
    np.testing.assert_allclose(synsp.refine(root_relative, "savgol")[:, 0], 0.0, atol=1e-3)
    around = root_relative + [0.0, 60.0]  # a body standing over the origin (mocap's floor centre)
    around[[7, 8], 3] = 0.0  # a joint lost in two frames: still told by its other frames
    assert not_found(around)[[7, 8], 3].all() and not_found(around).sum() == 2


def test_a_3d_point_at_the_origin_in_every_frame_is_given_back_as_it_came(tmp_path):
    """A BVH's root joint at the world origin (Bandai-Namco's ``joint_Root``) while the body runs
    away from it: synsp.refine gave that joint back as NaN for the whole clip (read as a joint never
    found, as OpenPose's (0, 0)), and a TRC lost it. It is the user's point: it comes back as it was,
    and does not count as never seen. In 2D, (0, 0) in every frame stays a joint never found."""
    import synsp
    from synsp.formats import PoseData, read_poses, write_poses
    from synsp.refining.files import refine_file
    from synsp.sequence import fixed_at_origin, not_found

    t = np.arange(70)[:, None, None]
    x = 100 * np.random.default_rng(0).normal(size=(1, 17, 3)) + [60.0, 0.0, 0.0] * t + [0.0, 900.0, 0.0]
    x[:, 0] = 0.0  # the fixed root at the origin; the body dashes away along x
    assert fixed_at_origin(x).tolist() == [True] + [False] * 16 and not fixed_at_origin(x[..., :2]).any()
    through = x - [2100.0, 900.0, 0.0]  # running through the origin: near it for a few frames
    through[:, 0] = 0.0
    assert not not_found(x - [2100.0, 900.0, 0.0])[:, 0].all()  # a point of the body at the origin then
    assert fixed_at_origin(through)[0] and not_found(through)[:, 0].all()  # one thing throughout, not a jumping point
    for method in ("savgol", "synsp"):
        out = synsp.refine(x, method)
        assert np.isfinite(out).all() and (out[:, 0] == 0).all()
    write_poses(tmp_path / "in.trc", PoseData(poses=x[None].astype(np.float32), fps=30.0))
    summary = str(refine_file(tmp_path / "in.trc", tmp_path / "out.trc", method="savgol"))
    assert (read_poses(tmp_path / "out.trc").poses[..., 0, :] == 0).all() and "never seen" not in summary


def test_a_score_channel_is_read_as_scores_and_given_back():
    """(T, J, 3) x, y + score and (T, J, 4) x, y, z + score, as estimators write them: refined
    without the channel, low scores missing, the channel unchanged."""
    import synsp

    rng = np.random.default_rng(1)
    t = np.arange(80)[:, None, None]
    xy = 400 + 150 * rng.normal(size=(1, 17, 2)) + 30 * np.sin(t / 8.0)
    scores = rng.uniform(0.5, 1.0, size=(80, 17))
    scores[20:23, 4] = 0.05
    noisy = xy + rng.normal(0, 2, xy.shape)
    noisy[20:23, 4] += 300.0  # what a low score often means: the point is elsewhere
    out = synsp.refine(np.concatenate([noisy, scores[..., None]], axis=-1), "savgol")
    assert out.shape == (80, 17, 3)
    np.testing.assert_array_equal(out[..., 2], scores)
    assert np.abs(out[20:23, 4, :2] - xy[20:23, 4]).max() < 20  # the low-scored points were not kept
    xyz = np.concatenate([noisy, rng.normal(0, 100, (80, 17, 1))], axis=-1)
    with_scores = synsp.refine(np.concatenate([xyz, np.ones((80, 17, 1))], axis=-1), "savgol")
    np.testing.assert_allclose(with_scores[..., :3], synsp.refine(xyz, "savgol"))
    with pytest.raises(ValueError, match="fourth channel is read as a confidence"):
        synsp.refine(np.concatenate([xyz, xyz[..., :1]], axis=-1))


def test_a_fixed_score_says_nothing_in_three_or_four_channels():
    """One rule for a constant channel (:func:`synsp.channels.constant_channel`): a fixed score,
    even a low one and with NaN where a tool wrote none, marks no joint missing, whether it
    follows x, y or x, y, z."""
    import synsp
    from synsp.channels import constant_channel

    rng = np.random.default_rng(2)
    t = np.arange(60)[:, None, None]
    xyz = 300 * rng.normal(size=(1, 17, 3)) + 40 * np.sin(t / 7.0) + rng.normal(0, 2, (60, 17, 3))
    fixed = np.full((60, 17, 1), 0.2)  # under MIN_SCORE, but the same for every joint in every frame
    fixed[10, 3] = np.nan
    assert constant_channel(fixed) and not constant_channel(fixed + rng.uniform(0, 0.01, fixed.shape))
    for coords in (xyz[..., :2] + 500, xyz):
        out = synsp.refine(np.concatenate([coords, fixed], axis=-1), "savgol")
        np.testing.assert_allclose(out[..., :-1], synsp.refine(coords, "savgol"), rtol=1e-6, atol=1e-6)


def test_nan_median_is_numpys_without_its_warning():
    """synsp.sequence.nan_median: the plain median where a slice holds no NaN, numpy's nan-median
    where one does, NaN (and no warning) for an all-NaN slice."""
    import warnings

    from synsp.sequence import nan_median

    x = np.random.default_rng(0).normal(size=(9, 5, 3))
    x[2, 1] = np.nan
    x[:, 3, 0] = np.nan  # a slice of nothing but NaN along axis 0
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for axis in (None, 0, 1, 2):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                expected = np.nanmedian(x, axis=axis)
            np.testing.assert_array_equal(nan_median(x, axis=axis), expected)


@pytest.mark.parametrize("method", ["synsp", "savgol"])
def test_frames_before_and_after_a_person_stay_empty(method):
    """A person who walks in late and leaves early: `synsp.refine` invents nobody in the frames
    where nobody was seen, in each view, as `synsp refine` does for a file's tracks."""
    import synsp
    from walking import walking

    _, noisy = walking(90, noise=2.0)
    x = np.stack([noisy, noisy + 5.0])
    x[0, :20] = np.nan  # not there yet
    x[1, 70:] = np.nan  # gone
    out = synsp.refine(x, method)
    assert np.isnan(out[0, :20]).all() and np.isnan(out[1, 70:]).all()
    assert np.isfinite(out[0, 20:]).all() and np.isfinite(out[1, :70]).all()
    one = synsp.refine(x[1], method)
    assert np.isnan(one[70:]).all() and np.isfinite(one[:70]).all()


def test_a_joint_seen_only_at_low_confidence_comes_back_as_the_input_had_it(tmp_path):
    """Its position and score are the estimator's: the user may trust 0.03-0.25 more than we do (a joint held at one
    low level all along is a measurement, refined: tests/test_score_levels.py)."""
    import synsp
    from synsp.refining.files import refine_file
    from walking import walking

    _, noisy = walking(60, noise=1.5)
    scores = np.full((60, 17), 0.9)
    scores[:, 4] = 0.03  # the right ear, only ever seen below 0.3, at no steady level
    scores[::3, 4] = 0.25
    noisy[:, 3] = 0.0  # the left ear, never found: (0, 0)
    scores[:, 3] = 0.0
    out = synsp.refine(np.concatenate([noisy, scores[..., None]], axis=-1))
    np.testing.assert_array_equal(out[:, 4], np.c_[noisy[:, 4], scores[:, 4]])
    assert np.isnan(out[:, 3, :2]).all() and np.isfinite(out[:, [0, 1, 2, 5]]).all()
    np.savez(tmp_path / "in.npz", keypoints=noisy, scores=scores)
    summary = str(refine_file(tmp_path / "in.npz", tmp_path / "out.npz"))
    assert "60 joint values scored below 0.3" in summary and "60 joint values left missing: joints never" in summary
    with np.load(tmp_path / "out.npz") as written:
        np.testing.assert_allclose(written["keypoints"][:, 4], noisy[:, 4], rtol=1e-6)
        np.testing.assert_array_equal(written["scores"], scores)


def test_sorted_median_is_numpys_median_value_for_value():
    """synsp.sequence.sorted_median (one sort; nan_median and body_size use it): np.median's values,
    dtype and type, NaN where a slice holds one, odd and even lengths, ties, float32 and float64."""
    import warnings

    from synsp.sequence import sorted_median

    rng = np.random.default_rng(0)
    for trial in range(400):
        shape = tuple(rng.integers(1, 8, rng.integers(1, 4)))
        x = rng.normal(size=shape).astype((np.float64, np.float32)[trial % 2])
        if trial % 3 == 0:
            x[rng.random(shape) < 0.2] = np.nan
        if trial % 5 == 0:
            x = np.round(x)
        for axis in (None, *range(x.ndim)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                expected = np.median(x, axis=axis)
            got = sorted_median(x, axis=axis)
            assert type(got) is type(expected) and np.asarray(got).dtype == np.asarray(expected).dtype
            np.testing.assert_array_equal(got, expected)


def test_box_sides_are_the_joints_max_minus_min_value_for_value():
    """synsp.sequence.box_sides (body_size and the streams' sizes read it: numpy's max over the joints
    with the coordinates innermost cost ~20 us a 64-frame clip) gives max - min over the joints,
    the same values and dtype."""
    from synsp.sequence import body_size, box_sides

    rng = np.random.default_rng(1)
    for shape in [(64, 17, 2), (3, 40, 17, 3), (1, 1, 5, 2), (2, 7, 1, 3)]:
        for dtype in (np.float32, np.float64):
            x = (rng.normal(size=shape) * 100).astype(dtype)
            got = box_sides(x)
            assert got.dtype == dtype and got.shape == shape[:-2] + shape[-1:]
            np.testing.assert_array_equal(got, x.max(axis=-2) - x.min(axis=-2))
            assert body_size(x) == float(np.median((x.max(axis=-2) - x.min(axis=-2)).max(axis=-1)))


def test_linear_fill_gathers_as_take_along_axis_did():
    """synsp.sequence._fill_linear gathers the values around each gap with np.take on flat rows
    (take_along_axis cost ~5 x as much, and fill_gaps runs several times per clip a stream
    measures): the same fills, value for value, gaps at the ends, whole columns and max_gap too."""
    from synsp.sequence import _fill_linear

    def reference(values, valid, max_gap):
        t = values.shape[0]
        frames = np.arange(t)[:, None]
        prev = np.maximum.accumulate(np.where(valid, frames, -1), axis=0)
        nxt = np.minimum.accumulate(np.where(valid, frames, t)[::-1], axis=0)[::-1]
        has_prev, has_next = prev >= 0, nxt < t
        lo = np.where(has_prev, prev, nxt).clip(0, t - 1)
        hi = np.where(has_next, nxt, prev).clip(0, t - 1)
        v_lo = np.take_along_axis(values, lo[..., None], axis=0)
        v_hi = np.take_along_axis(values, hi[..., None], axis=0)
        frac = ((frames - lo) / np.maximum(hi - lo, 1)).clip(0.0, 1.0)[..., None]
        out = np.where(valid[..., None], values, v_lo + frac * (v_hi - v_lo))
        out[~(has_prev | has_next)] = np.nan
        if max_gap is not None:
            start, stop = np.where(has_prev, prev + 1, 0), np.where(has_next, nxt, t)
            out[~valid & (stop - start > max_gap)] = np.nan
        return out

    rng = np.random.default_rng(3)
    for trial in range(100):
        t, m, c = int(rng.integers(1, 40)), int(rng.integers(1, 20)), int(rng.integers(1, 4))
        values = rng.normal(size=(t, m, c)).astype((np.float32, np.float64)[trial % 2])
        if trial % 3 == 0:
            values = np.moveaxis(rng.normal(size=(m, t, c)), 1, 0)  # not contiguous
        valid = rng.random((t, m)) < (0.2, 0.7, 1.0)[trial % 3]
        max_gap = (None, 2)[trial % 2]
        np.testing.assert_array_equal(_fill_linear(values, valid, max_gap), reference(values, valid, max_gap))


def test_nan_median_of_slices_with_nan_is_numpys_value_for_value():
    """synsp.sequence.nan_median reads a slice holding NaN by one sort, not numpy's masked-array
    median (~0.5 ms a call; a 3D crowd's lookahead made some ten a frame): np.nanmedian's values
    and types, odd and even counts, ties, inf, all-NaN slices, float32 in, every axis."""
    import warnings

    from synsp.sequence import nan_median

    rng = np.random.default_rng(11)
    for trial in range(500):
        shape = tuple(rng.integers(1, 9, rng.integers(1, 4)))
        x = rng.normal(size=shape)
        if trial % 4 == 0:
            x = np.round(x)  # ties
        if trial % 5 == 0:
            x[rng.random(shape) < 0.1] = np.inf * rng.choice([-1, 1])
        x[rng.random(shape) < (0.1, 0.5, 0.9)[trial % 3]] = np.nan
        x = x.astype((np.float64, np.float32)[trial % 2])
        for axis in (None, *range(x.ndim)):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", RuntimeWarning)
                expected = np.nanmedian(x.astype(np.float64), axis=axis)
            got = nan_median(x, axis=axis)
            assert type(got) is type(expected)
            np.testing.assert_array_equal(got, expected)

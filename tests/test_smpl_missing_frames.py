"""refine_smpl on SMPL parameters with whole frames missing: NaN rows and rest-pose (all-zero) rows bridged and given
back NaN, rest-pose rows kept with track_mask, and one-line errors of synsp's own classes (audit 34, finding 11)."""
import warnings

import numpy as np
import pytest
from scipy.spatial.transform import Rotation, Slerp

import synsp
from synsp.errors import MissingDataError, ShapeError


def _motion(frames: int = 120) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(clean (T, 72) axis-angle, noisy (T, 72), trans (T, 3) m): a smooth synthetic motion and 2 degrees of jitter."""
    t = np.arange(frames)[:, None] / 30.0
    rng = np.random.default_rng(0)
    clean = rng.uniform(0.05, 0.4, 72) * np.sin(2 * np.pi * 0.8 * t + rng.uniform(0, 6, 72))
    clean[:, :3] = [np.pi / 2, 0, 0] + 0.1 * np.sin(t)
    trans = np.c_[np.sin(t), 0.5 * t, 0 * t]
    return clean, clean + rng.normal(0, 0.035, clean.shape), trans


def _slerp_filled(poses: np.ndarray, missing: np.ndarray) -> np.ndarray:
    """The user's own fill: each joint slerped between the frames around the missing ones (scipy)."""
    known, out = np.flatnonzero(~missing), poses.reshape(len(poses), 24, 3).copy()
    for j in range(24):
        out[:, j] = Slerp(known, Rotation.from_rotvec(out[known, j]))(np.arange(len(poses))).as_rotvec()
    return out.reshape(poses.shape)


def test_nan_rows_are_bridged_as_the_users_slerp_and_given_back_nan():
    clean, noisy, _ = _motion()
    missing = np.zeros(len(noisy), bool)
    missing[[20, 21, 22, 50, 51, 52, 53, 54, 55, 56, 57, 58, 59, 90]] = True
    out = synsp.refine_smpl(np.where(missing[:, None], np.nan, noisy), fps=30)
    assert np.isnan(out[missing]).all() and np.isfinite(out[~missing]).all()
    # the frames present as refining the user's own slerp fill gives them (what refine_smpl used to make users do)
    np.testing.assert_allclose(out[~missing], synsp.refine_smpl(_slerp_filled(noisy, missing), fps=30)[~missing],
                               atol=1e-5)
    assert np.abs(out[~missing] - clean[~missing]).mean() < 0.8 * np.abs(noisy[~missing] - clean[~missing]).mean()


def test_rest_pose_rows_read_as_missing_with_a_warning_and_kept_by_track_mask():
    _, noisy, trans = _motion()
    gap = np.s_[50:60]
    zeros, zero_trans = noisy.copy(), trans.copy()
    zeros[gap] = zero_trans[gap] = 0.0
    nans, nan_trans = noisy.copy(), trans.copy()
    nans[gap] = nan_trans[gap] = np.nan
    with pytest.warns(UserWarning, match=r"10 of 120 frames are exactly SMPL's rest pose .* track_mask=np.ones"):
        poses, root = synsp.refine_smpl(zeros, fps=30, trans=zero_trans, method="butterworth")
    expected = synsp.refine_smpl(nans, fps=30, trans=nan_trans, method="butterworth")
    np.testing.assert_array_equal(poses, expected[0])
    np.testing.assert_array_equal(root, expected[1])
    assert np.isnan(poses[gap]).all() and np.isnan(root[gap]).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # kept as poses: no note
        kept = synsp.refine_smpl(zeros, fps=30, method="butterworth", track_mask=np.ones(len(zeros), bool))
    assert np.isfinite(kept).all()
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # zeros throughout: nothing else to tell them from, refined as they are
        assert np.isfinite(synsp.refine_smpl(np.zeros((20, 72)), fps=30, method="butterworth")).all()


def test_missing_frames_errors_are_synsps_one_line():
    _, noisy, trans = _motion(40)
    broken = noisy.copy()
    broken[12, 5] = np.nan
    with pytest.raises(MissingDataError, match=r"'poses' holds NaN or inf among the numbers of 1 frame.*frame 12"):
        synsp.refine_smpl(broken, method="butterworth")
    with pytest.raises(MissingDataError, match="every one of the 40 frames is missing"):
        synsp.refine_smpl(np.full_like(noisy, np.nan), method="butterworth")
    with pytest.raises(ShapeError, match=r"track_mask \(3,\) does not match the poses' \(40,\)"):
        synsp.refine_smpl(noisy, method="butterworth", track_mask=np.ones(3, bool))
    with pytest.raises(ShapeError, match=r"got shape \(40, 70\)"):
        synsp.refine_smpl(noisy[:, :70], method="butterworth")
    with pytest.raises(ShapeError, match=r"trans must be \(T, 3\)"):
        synsp.refine_smpl(noisy, method="butterworth", trans=trans[:, :2])
    with pytest.raises(MissingDataError, match=r"'poses' holds NaN or inf in 1 frame\(s\), the first frame 12"):
        synsp.refine_smpl(broken, method="butterworth", trans=trans[:, :2])  # smpl_motion's own check (poses first)


def test_smpl_motion_says_nan_with_the_class_it_is_given_and_a_value_error_for_a_file():
    from synsp.formats.smpl import smpl_motion
    _, noisy, _ = _motion(30)
    noisy[7, 3] = np.inf
    with pytest.raises(ValueError, match="holds NaN or inf") as caught:
        smpl_motion(noisy)
    assert type(caught.value) is ValueError  # a file's arrays: read as the file's fault (FormatError)
    with pytest.raises(MissingDataError, match="the first frame 7"):
        smpl_motion(noisy, missing=MissingDataError)

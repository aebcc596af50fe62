"""SMPL stacks as multi-person optimisers write them (SLAHMR, a stack filled from ``np.zeros``): zero-padded frames
and people, AMASS's split names without ``poses`` (HuMoR, SLAHMR), and people on the second axis. Before, zeros
were refined as a rest pose at the origin (held frames, smeared into the frames around them, written back
non-zero), ``root_orient`` + ``pose_body`` were no SMPL file, and (T, P, ...) was read as T people of P frames."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.formats import detect_format
from test_smpl_people import _matrices, _people, _refine
from test_smpl_variants import T

BRIDGED = ("the 5 missing frames between read as missing and bridged for the refinement (each person refined as one "
           "motion)")


def _out(tmp_path, name: str) -> dict[str, np.ndarray]:
    with np.load(tmp_path / f"out_{name}") as out:
        return {k: out[k] for k in out.files}


@pytest.mark.parametrize("form", ["flat", "matrix"])
def test_zero_padded_frames_and_people_are_absent_and_written_back_as_zeros(tmp_path, capsys, form):
    """Person 1 zero-padded before frame 10 and in frames 40-44, person 2 zeros throughout: refined as the same
    stack padded with NaN is (each span present on its own), the zeros written back as zeros."""
    pose = np.concatenate([_people(form), np.zeros_like(_people(form)[:1])])
    trans = np.random.default_rng(0).normal(0, 0.01, (3, T, 3))
    trans[2] = 0
    absent = np.zeros((3, T), bool)
    absent[1, :10] = absent[1, 40:45] = absent[2] = True
    pose[absent], trans[absent] = 0, 0
    nan_pose, nan_trans = pose.copy(), trans.copy()
    nan_pose[absent], nan_trans[absent] = np.nan, np.nan
    np.savez(tmp_path / "zero.npz", poses=pose, trans=trans, betas=np.zeros((3, 10)))
    np.savez(tmp_path / "nan.npz", poses=nan_pose, trans=nan_trans, betas=np.zeros((3, 10)))
    assert _refine(tmp_path, "zero.npz") == 0
    said = capsys.readouterr().out
    assert "absent from some frames (NaN or zero-padded there, kept as they were), refined where present: " \
           f"person 1, frames 10-59, {BRIDGED}" in said
    assert "person 2 kept as the input had it: absent from every frame (zeros throughout)" in said
    assert _refine(tmp_path, "nan.npz") == 0
    zero, nan = _out(tmp_path, "zero.npz"), _out(tmp_path, "nan.npz")
    assert (zero["poses"][absent] == 0).all() and (zero["trans"][absent] == 0).all()
    assert np.array_equal(zero["poses"][~absent], nan["poses"][~absent])
    assert np.array_equal(zero["trans"][~absent], nan["trans"][~absent])
    assert not np.allclose(zero["poses"][~absent], pose[~absent])


def test_identity_padded_matrices_are_absent_too(tmp_path):
    pose = _people("matrix")
    pose[0, 50:] = np.eye(3)  # person 0 lost after frame 49: identity rotations at the origin
    trans = np.random.default_rng(0).normal(0, 0.01, (2, T, 3))
    trans[0, 50:] = 0
    np.savez(tmp_path / "eye.npz", pose=pose, trans=trans)
    np.savez(tmp_path / "p0.npz", pose=pose[0, :50], trans=trans[0, :50])
    assert _refine(tmp_path, "eye.npz") == 0 and _refine(tmp_path, "p0.npz") == 0
    out = _out(tmp_path, "eye.npz")
    assert np.array_equal(out["pose"][0, 50:], pose[0, 50:])
    assert np.array_equal(out["pose"][0, :50], _out(tmp_path, "p0.npz")["pose"])


def test_amass_split_names_without_poses_are_the_poses(tmp_path, capsys):
    """HuMoR's root_orient + pose_body + pose_hand (SMPL's 24) and SLAHMR's stacked world results (the body's 22)
    are refined as the same numbers under 'poses', and written back under their own names."""
    flat = _people("flat")
    np.savez(tmp_path / "humor.npz", root_orient=flat[0, :, :3], pose_body=flat[0, :, 3:66],
             pose_hand=flat[0, :, 66:], trans=np.zeros((T, 3)), betas=np.zeros(16))
    np.savez(tmp_path / "poses.npz", poses=flat[0], trans=np.zeros((T, 3)), betas=np.zeros(16))
    np.savez(tmp_path / "slahmr.npz", root_orient=flat[:, :, :3], pose_body=flat[:, :, 3:66],
             trans=np.zeros((2, T, 3)), betas=np.zeros((2, 16)), cam_R=np.tile(np.eye(3), (T, 1, 1)))
    np.savez(tmp_path / "body.npz", poses=flat[:, :, :66], trans=np.zeros((2, T, 3)))
    assert detect_format(tmp_path / "humor.npz") == "smpl" and detect_format(tmp_path / "slahmr.npz") == "smpl"
    for name in ("humor.npz", "poses.npz", "slahmr.npz", "body.npz"):
        assert _refine(tmp_path, name) == 0
    assert "smpl: 22 joint rotations refined" in capsys.readouterr().out
    humor, slahmr = _out(tmp_path, "humor.npz"), _out(tmp_path, "slahmr.npz")
    assert np.array_equal(np.concatenate([humor["root_orient"], humor["pose_body"], humor["pose_hand"]], 1),
                          _out(tmp_path, "poses.npz")["poses"])
    assert np.array_equal(np.concatenate([slahmr["root_orient"], slahmr["pose_body"]], -1),
                          _out(tmp_path, "body.npz")["poses"])
    assert np.array_equal(slahmr["cam_R"], np.tile(np.eye(3), (T, 1, 1)))
    assert _refine(tmp_path, "humor.npz", "--key", "pose_body") == 0  # its own keys named: the same poses
    assert np.array_equal(_out(tmp_path, "humor.npz")["pose_body"], humor["pose_body"])


def test_people_on_the_second_axis_are_told_said_and_written_back_so(tmp_path, capsys):
    pose, trans = _people("flat"), np.random.default_rng(0).normal(0, 0.01, (2, T, 3))
    np.savez(tmp_path / "first.npz", poses=pose, trans=trans, betas=np.zeros((2, 10)))
    np.savez(tmp_path / "second.npz", poses=pose.swapaxes(0, 1), trans=trans.swapaxes(0, 1))
    np.savez(tmp_path / "one.npz", global_orient=_matrices()[:, None, :1], body_pose=_matrices()[:, None, 1:])
    np.savez(tmp_path / "alone.npz", global_orient=_matrices()[:, :1], body_pose=_matrices()[:, 1:])
    for name in ("first.npz", "second.npz", "one.npz", "alone.npz"):
        assert _refine(tmp_path, name) == 0
    said = capsys.readouterr().out
    assert f"people: 2 stacked on the second axis, frames first, ({T}, 2, 72)" in said
    assert "the person axis told by the motion (a pose changes" in said and "less along the first axis)" in said
    assert f"people: 1 stacked on the second axis, frames first, ({T}, 1, 23, 3, 3)" in said  # 4D-Humans per frame
    second = _out(tmp_path, "second.npz")
    assert second["poses"].shape == (T, 2, 72)
    assert np.array_equal(second["poses"].swapaxes(0, 1), _out(tmp_path, "first.npz")["poses"])
    assert np.array_equal(second["trans"].swapaxes(0, 1), _out(tmp_path, "first.npz")["trans"])
    assert np.array_equal(_out(tmp_path, "one.npz")["body_pose"][:, 0], _out(tmp_path, "alone.npz")["body_pose"])


def test_betas_per_frame_beside_people_first_is_not_counted_and_refine_smpl_names_both_orders(tmp_path, capsys):
    """(2, T, 72) with betas (T, 10), one betas per frame: not counted, the motion reads the people first, as
    without betas; before, an error telling to save the arrays people first, as they were."""
    np.savez(tmp_path / "odd.npz", poses=_people("flat"), trans=np.zeros((2, T, 3)), betas=np.zeros((T, 10)))
    np.savez(tmp_path / "plain.npz", poses=_people("flat"), trans=np.zeros((2, T, 3)))
    assert _refine(tmp_path, "odd.npz") == 0 and _refine(tmp_path, "plain.npz") == 0
    said = capsys.readouterr().out
    assert f"less along the second axis) (betas ({T}, 10) not counted as people: 2 frame(s) for {T} of them)" in said
    assert np.array_equal(_out(tmp_path, "odd.npz")["poses"], _out(tmp_path, "plain.npz")["poses"])
    with pytest.raises(ValueError, match=r"poses\[:, p\] when the frames come first"):
        synsp.refine_smpl(_people("flat").swapaxes(0, 1), fps=30, method="butterworth")


def test_one_frame_people_counted_by_betas_stay_people(tmp_path, capsys):
    """(P, 1, 72) with betas (P, 10), one image of several people: P people of a frame each, written as read;
    before, the axis of one was taken for the person's and the people were smoothed into each other."""
    pose = np.concatenate([_people("flat")[:, :1], _people("flat")[:1, :1] + 0.3])
    np.savez(tmp_path / "image.npz", poses=pose, trans=np.zeros((3, 1, 3)), betas=np.zeros((3, 10)))
    assert _refine(tmp_path, "image.npz") == 0
    said = capsys.readouterr().out
    assert "people: 3 stacked on a leading person axis (3, 1, 72)" in said and "told by betas (3, 10)" in said
    assert "a single frame, which cannot be refined" in said
    assert np.abs(_out(tmp_path, "image.npz")["poses"] - pose).max() < 1e-12


@pytest.mark.parametrize("lead", [(T, 1), (1, T)])
def test_one_persons_frames_with_betas_per_frame_stay_one_person(tmp_path, capsys, lead):
    """(T, 1, 72) or (1, T, 72) with betas (T, 10), a betas per frame (4D-Humans' per-frame outputs stacked): one
    person's T frames, refined as the flat (T, 72); before, (T, 1, 72) was read as T people of one frame, unrefined."""
    pose = _people("flat")[0]
    np.savez(tmp_path / "stack.npz", poses=pose.reshape(*lead, 72), betas=np.zeros((T, 10)))
    np.savez(tmp_path / "flat.npz", poses=pose, betas=np.zeros((T, 10)))
    assert _refine(tmp_path, "stack.npz") == 0 and _refine(tmp_path, "flat.npz") == 0
    said = capsys.readouterr().out
    assert f"betas ({T}, 10) is one per frame, not counted as people" in said
    refined = _out(tmp_path, "flat.npz")["poses"]
    assert np.array_equal(_out(tmp_path, "stack.npz")["poses"].reshape(T, 72), refined)
    assert not np.allclose(refined, pose)


@pytest.mark.parametrize("betas", [False, True])
def test_near_duplicate_people_are_not_read_as_frames(tmp_path, capsys, betas):
    """A tracker's doubled person, (2, T, 72) whose two tracks differ by less than a frame's step: each person
    refined as alone, the reading said; before, 60 people of 2 frames (nothing refined) or, with betas (2, 10),
    an error telling to save the arrays people first, as they were."""
    one = _people("flat")[0]
    pose = np.stack([one, one + np.random.default_rng(1).normal(0, 0.002, one.shape)])
    extra = {"betas": np.zeros((2, 10))} if betas else {}
    np.savez(tmp_path / "dup.npz", poses=pose, trans=np.zeros((2, T, 3)), **extra)
    np.savez(tmp_path / "p1.npz", poses=pose[1], trans=np.zeros((T, 3)))
    assert _refine(tmp_path, "dup.npz") == 0 and _refine(tmp_path, "p1.npz") == 0
    said = capsys.readouterr().out
    assert f"people: 2 stacked on a leading person axis (2, {T}, 72)" in said
    assert ("told by betas (2, 10), over the motion (a pose changes" if betas else
            f"reads {T} people of 2 frames, fewer frames than people, as near-duplicate people read") in said
    assert np.array_equal(_out(tmp_path, "dup.npz")["poses"][1], _out(tmp_path, "p1.npz")["poses"])
    np.savez(tmp_path / "ffdup.npz", poses=pose.swapaxes(0, 1), trans=np.zeros((T, 2, 3)), **extra)
    assert _refine(tmp_path, "ffdup.npz") == 0  # frames first: betas tells, else people first and said
    said = capsys.readouterr().out
    assert (f"people: 2 stacked on the second axis, frames first, ({T}, 2, 72)" if betas else
            f"people: {T} stacked on a leading person axis ({T}, 2, 72)") in said
    assert betas or "fewer frames than people" in said


def test_held_poses_leave_the_motion_undecided_and_per_frame_betas_are_not_people(tmp_path, capsys):
    """Review2 #9 / #11: held poses show no motion, so betas tells (said so) or, without, people first as documented;
    one person's frames (1, T, 72) with a betas per frame (T, 10) stay one person's (main read them so)."""
    held = np.repeat(_people("flat")[:, :1], T, axis=1)
    np.savez(tmp_path / "betas.npz", poses=held.swapaxes(0, 1), trans=np.zeros((T, 2, 3)), betas=np.zeros((2, 10)))
    np.savez(tmp_path / "none.npz", poses=held, trans=np.zeros((2, T, 3)))
    one = _people("flat")[:1]
    np.savez(tmp_path / "frames.npz", poses=one, trans=np.zeros((1, T, 3)), betas=np.zeros((T, 10)))
    np.savez(tmp_path / "alone.npz", poses=one[0], trans=np.zeros((T, 3)))
    for name in ("betas.npz", "none.npz", "frames.npz", "alone.npz"):
        assert _refine(tmp_path, name) == 0
    said = capsys.readouterr().out
    assert f"people: 2 stacked on the second axis, frames first, ({T}, 2, 72)" in said
    assert "told by betas (2, 10), the motion undecided" in said
    assert "told by nothing in the file (the motion undecided, as held poses leave it): people first" in said
    assert f"people: 1 stacked on a leading person axis (1, {T}, 72)" in said
    assert f"told by an axis of one beside {T} frames (betas ({T}, 10) is one per frame, not counted as people" in said
    assert np.array_equal(_out(tmp_path, "frames.npz")["poses"][0], _out(tmp_path, "alone.npz")["poses"])

def test_a_frames_first_stack_of_mismatched_arrays_names_both_readings(tmp_path, capsys):
    np.savez(tmp_path / "ff.npz", poses=_people("flat").swapaxes(0, 1), trans=np.zeros((2, T, 3)))
    assert _refine(tmp_path, "ff.npz") == 2
    err = capsys.readouterr().err
    assert f"'poses' ({T}, 2, 72) stacks {T} people over 2 frames (or 2 over {T}, frames first), but 'trans' " \
           f"(2, {T}, 3) does not lead with ({T}, 2)" in err and len(err.strip().splitlines()) == 1

def test_a_jaw_without_eyes_is_kept_and_said(tmp_path, capsys):
    """SMPL-H's 52 from root_orient, pose_body and pose_hand; a jaw without the eyes makes no SMPL-X 55: kept."""
    rng = np.random.default_rng(0)
    jaw = rng.normal(0, 0.1, (T, 3))
    np.savez(tmp_path / "jaw.npz", root_orient=rng.normal(0, 0.1, (T, 3)), pose_body=rng.normal(0, 0.1, (T, 63)),
             pose_hand=rng.normal(0, 0.1, (T, 90)), pose_jaw=jaw, trans=np.zeros((T, 3)))
    assert _refine(tmp_path, "jaw.npz") == 0
    said = capsys.readouterr().out
    assert "smpl: 52 joint rotations refined" in said
    assert f"kept as they were: 'pose_jaw' ({T}, 3) (not joined: the jaw with both eyes" in said
    assert np.array_equal(_out(tmp_path, "jaw.npz")["pose_jaw"], jaw)


@pytest.mark.parametrize("form", ["flat", "matrix"])
def test_one_persons_zero_frames_are_absent_as_a_stacked_persons_are(tmp_path, capsys, form):
    """An estimator's all-zero frames (nobody found) in a one-person file: refined as the same person stacked alone
    (one code path), the zeros written back as zeros; before, they were refined as a rest pose at the origin."""
    pose = _people(form)[0]
    trans = np.random.default_rng(0).normal(0, 0.01, (T, 3))
    absent = np.zeros(T, bool)
    absent[:10] = absent[40:45] = True
    pose[absent], trans[absent] = 0, 0
    np.savez(tmp_path / "one.npz", poses=pose, trans=trans, betas=np.zeros(10))
    np.savez(tmp_path / "stack.npz", poses=pose[None], trans=trans[None], betas=np.zeros((1, 10)))
    assert _refine(tmp_path, "one.npz") == 0
    said = capsys.readouterr().out
    assert f"frames: one person's {pose.shape}; absent from some frames (zeros there, kept as they were), " \
           f"refined where present: frames 10-59, {BRIDGED}" in said
    assert _refine(tmp_path, "stack.npz") == 0
    one, stack = _out(tmp_path, "one.npz"), _out(tmp_path, "stack.npz")
    assert one["poses"].shape == pose.shape and (one["poses"][absent] == 0).all() and (one["trans"][absent] == 0).all()
    assert np.array_equal(one["poses"], stack["poses"][0]) and np.array_equal(one["trans"], stack["trans"][0])
    assert not np.allclose(one["poses"][~absent], pose[~absent])
    np.savez(tmp_path / "rest.npz", poses=np.zeros_like(pose), trans=np.zeros((T, 3)))  # no frame to smear into
    assert _refine(tmp_path, "rest.npz") == 0 and "frames:" not in capsys.readouterr().out


def test_slahmr_track_mask_says_which_frames_are_present_and_latent_pose_is_dropped(tmp_path, capsys):
    """SLAHMR's world results: track_mask (B, T) is read as which frames each person is in (over the numbers there:
    person 1's first 10 frames hold poses, not zeros, yet are absent), latent_pose (B, T, 32) no longer encodes the
    refined pose_body: dropped, and said. A mask of another shape is a one-line error naming both."""
    flat, trans = _people("flat"), np.random.default_rng(0).normal(0, 0.01, (2, T, 3))
    mask = np.ones((2, T), bool)
    mask[1, :10] = False
    slahmr = dict(root_orient=flat[..., :3], pose_body=flat[..., 3:66], trans=trans, betas=np.zeros((2, 16)),
                  latent_pose=np.ones((2, T, 32)), cam_R=np.tile(np.eye(3), (T, 1, 1)))
    np.savez(tmp_path / "slahmr.npz", track_mask=mask, **slahmr)
    gap, gap_trans = flat[..., :66].copy(), trans.copy()
    gap[~mask], gap_trans[~mask] = np.nan, np.nan
    np.savez(tmp_path / "nan.npz", poses=gap, trans=gap_trans)
    assert _refine(tmp_path, "slahmr.npz") == 0 and _refine(tmp_path, "nan.npz") == 0
    said = capsys.readouterr().out
    assert "absent from some frames (track_mask False or NaN there, kept as they were), refined where present: " \
           "person 1, frames 10-59; the frames present read from 'track_mask', the estimator's own statement" in said
    assert "dropped: 'latent_pose' (SLAHMR's VPoser code of the input's pose_body" in said
    out, nan = _out(tmp_path, "slahmr.npz"), _out(tmp_path, "nan.npz")
    assert "latent_pose" not in out and np.array_equal(out["track_mask"], mask)
    assert np.array_equal(out["pose_body"][~mask], flat[..., 3:66][~mask])  # absent: as they were
    assert np.array_equal(np.concatenate([out["root_orient"], out["pose_body"]], -1)[mask], nan["poses"][mask])
    np.savez(tmp_path / "one.npz", track_mask=mask[1], **{k: a[1] for k, a in slahmr.items() if k != "cam_R"})
    assert _refine(tmp_path, "one.npz") == 0  # one person's, (T,): the same route
    assert f"frames: one person's ({T}, 63); absent from some frames (track_mask False or NaN there, kept as they " \
           "were), refined where present: frames 10-59; the frames present read from 'track_mask'" in \
           capsys.readouterr().out
    one = _out(tmp_path, "one.npz")
    assert np.array_equal(np.concatenate([one["root_orient"], one["pose_body"]], -1)[10:], nan["poses"][1, 10:])
    np.savez(tmp_path / "odd.npz", track_mask=mask.T, **slahmr)
    assert _refine(tmp_path, "odd.npz") == 2
    err = capsys.readouterr().err
    assert f"'track_mask' ({T}, 2) does not match the poses' (2, {T})" in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("case", ["masked", "nan", "mixed"])
def test_one_persons_missing_frames_holding_nan_are_absent_as_a_stacked_persons_are(tmp_path, capsys, case):
    """A one-person file whose missing frames hold NaN (marked False by its track_mask, or NaN in every number,
    beside zero frames for "mixed"): refined as the same person stacked alone (NaN where absent), the NaN and zero
    frames written back as they came; before, an error that 'poses' holds NaN. A NaN among a present frame's
    numbers is still a broken value, named."""
    pose, trans = _people("flat")[0], np.random.default_rng(0).normal(0, 0.01, (T, 3))
    absent = np.zeros(T, bool)
    absent[:10] = absent[40:45] = True
    pose[absent], trans[absent] = np.nan, np.nan
    if case == "mixed":
        pose[:10], trans[:10] = 0, 0
    extra = {"track_mask": ~absent} if case == "masked" else {}
    np.savez(tmp_path / "one.npz", poses=pose, trans=trans, **extra)
    stack_pose, stack_trans = pose[None].copy(), trans[None].copy()
    stack_pose[:, absent], stack_trans[:, absent] = np.nan, np.nan
    np.savez(tmp_path / "stack.npz", poses=stack_pose, trans=stack_trans)
    assert _refine(tmp_path, "one.npz") == 0 and _refine(tmp_path, "stack.npz") == 0
    how = {"masked": "track_mask False or NaN there, kept as they were", "nan": "NaN there, kept",
           "mixed": "zeros or NaN there, kept as they were"}[case]
    assert f"absent from some frames ({how}), refined where present: frames 10-59, {BRIDGED}" in \
           capsys.readouterr().out
    one, stack = _out(tmp_path, "one.npz"), _out(tmp_path, "stack.npz")
    assert np.array_equal(one["poses"][absent], pose[absent], equal_nan=True)
    assert np.array_equal(one["trans"][absent], trans[absent], equal_nan=True)
    assert np.array_equal(one["poses"][~absent], stack["poses"][0, ~absent])
    assert not np.allclose(one["poses"][~absent], pose[~absent])
    pose[20, 5] = np.nan  # present frame 20's one number: broken, not missing
    np.savez(tmp_path / "broken.npz", poses=pose, trans=trans, **extra)
    assert _refine(tmp_path, "broken.npz") == 2
    assert "'poses' holds NaN or inf in" in capsys.readouterr().err


def test_absent_frames_tell_a_frame_all_nan_from_a_broken_value_among_numbers():
    from synsp.formats.smpl_people import absent_frames

    poses, trans = np.ones((1, 6, 72)), np.ones((1, 6, 3))
    poses[0, 1], trans[0, 1] = np.nan, np.inf  # nobody found: every number NaN or inf
    poses[0, 2, 5] = np.nan  # a broken value among numbers
    poses[0, 3], trans[0, 3] = 0, 0  # zero-padded
    absent, padded, holes = absent_frames({"poses": poses, "trans": trans}, ("poses",), "trans", (1, 6))
    assert absent[0].tolist() == [False, True, True, True, False, False]
    assert padded[0].tolist() == [False, False, False, True, False, False]
    assert holes[0].tolist() == [False, True, False, False, False, False]

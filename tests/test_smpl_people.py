"""SMPL files of several people stacked on a leading person axis (multi-person exports), and rotation matrices
flattened, (T, 216) or (T, 24, 9): before, the first were refused ("save each person as its own file") and the
second refused as 72 joints or as positions of 9 coordinates; now each person is refined as a file of that person
alone is, and flattened matrices as the (T, 24, 3, 3) they hold, each written back in the input's own layout."""
from __future__ import annotations

import numpy as np
import pytest
from scipy.spatial.transform import Rotation

import synsp
from synsp.cli import main
from synsp.formats import detect_format, read_poses
from test_smpl_variants import T, _rotations


def _matrices(joints: int = 24, seed: int = 4) -> np.ndarray:
    return Rotation.from_rotvec(_rotations(joints, seed).reshape(-1, 3)).as_matrix().reshape(T, joints, 3, 3)


def _refine(tmp_path, name: str, *args: str) -> int:
    return main(["refine", str(tmp_path / name), str(tmp_path / f"out_{name}"), "--method", "butterworth",
                 "--force", *args])


def _people(form: str) -> np.ndarray:
    """Two people's poses (2, T, ...) in ``form``."""
    if form == "flat":
        return np.stack([_rotations(24, 4), _rotations(24, 7)])
    if form == "axis":
        return np.stack([_rotations(24, 4), _rotations(24, 7)]).reshape(2, T, 24, 3)
    return np.stack([_matrices(24, 4), _matrices(24, 7)]).reshape((2, T, 24, 3, 3) if form == "matrix" else
                                                                  (2, T, 24, 9))


@pytest.mark.parametrize("form", ["flat", "axis", "matrix", "flat matrix"])
def test_each_person_of_a_stack_is_refined_as_alone(tmp_path, capsys, form):
    pose = _people(form).astype(np.float32)
    trans = np.random.default_rng(0).normal(0, 0.01, (2, T, 3)).astype(np.float32)
    betas = np.arange(20, dtype=np.float32).reshape(2, 10)
    np.savez(tmp_path / "two.npz", pose=pose, trans=trans, betas=betas, fps=np.array(30.0))
    for p in range(2):
        np.savez(tmp_path / f"p{p}.npz", pose=pose[p], trans=trans[p], betas=betas[p], fps=np.array(30.0))
        assert _refine(tmp_path, f"p{p}.npz") == 0
    capsys.readouterr()
    assert detect_format(tmp_path / "two.npz") == "smpl"
    assert _refine(tmp_path, "two.npz") == 0
    out = capsys.readouterr().out
    assert f"people: 2 stacked on a leading person axis {pose.shape}; each refined on its own" in out
    assert "wrote" in out and "2 track(s)" in out
    with np.load(tmp_path / "out_two.npz") as both:
        assert both["pose"].shape == pose.shape and both["pose"].dtype == np.float32
        assert np.array_equal(both["betas"], betas) and not np.allclose(both["pose"], pose)
        for p in range(2):
            with np.load(tmp_path / f"out_p{p}.npz") as alone:
                assert np.array_equal(both["pose"][p], alone["pose"])
                assert np.array_equal(both["trans"][p], alone["trans"])


def test_4d_humans_split_stacked(tmp_path):
    rot = np.stack([_matrices(24, 4), _matrices(24, 7)])
    np.savez(tmp_path / "hmr.npz", global_orient=rot[:, :, :1], body_pose=rot[:, :, 1:], transl=np.zeros((2, T, 3)))
    np.savez(tmp_path / "one.npz", global_orient=rot[1, :, :1], body_pose=rot[1, :, 1:], transl=np.zeros((T, 3)))
    assert _refine(tmp_path, "hmr.npz") == 0 and _refine(tmp_path, "one.npz") == 0
    with np.load(tmp_path / "out_hmr.npz") as both, np.load(tmp_path / "out_one.npz") as alone:
        assert both["body_pose"].shape == (2, T, 23, 3, 3)
        assert np.array_equal(both["body_pose"][1], alone["body_pose"])
        assert np.array_equal(both["global_orient"][1], alone["global_orient"])


def test_a_person_absent_from_some_frames_is_refined_as_one_motion_bridged(tmp_path, capsys):
    """A stack of tracks of different spans, padded with NaN: each person refined as that person's frames alone, its
    gap bridged as refine_smpl bridges NaN rows (one motion, where each span refined alone lost its context)."""
    pose = _people("flat")
    pose[1, :10] = np.nan  # person 1 enters at frame 10, is lost in frames 40-44
    pose[1, 40:45] = np.nan
    trans = np.random.default_rng(0).normal(0, 0.01, (2, T, 3))
    trans[1, :10] = trans[1, 40:45] = np.nan
    np.savez(tmp_path / "gap.npz", poses=pose, trans=trans)
    np.savez(tmp_path / "p0.npz", poses=pose[0], trans=trans[0])
    np.savez(tmp_path / "p1.npz", poses=pose[1], trans=trans[1])  # one person's file, NaN rows where absent
    np.savez(tmp_path / "p1a.npz", poses=pose[1, 10:40], trans=trans[1, 10:40])
    for name in ("gap", "p0", "p1", "p1a"):
        assert _refine(tmp_path, f"{name}.npz") == 0
    assert "refined where present: person 1, frames 10-59, the 5 missing frames between read as missing and " \
           "bridged for the refinement (each person refined as one motion)" in capsys.readouterr().out
    with np.load(tmp_path / "out_gap.npz") as both:
        out = {k: both[k] for k in both.files}
    assert np.isnan(out["poses"][1, :10]).all() and np.isnan(out["poses"][1, 40:45]).all()
    for name, at in (("p0", np.s_[0]), ("p1", np.s_[1])):
        with np.load(tmp_path / f"out_{name}.npz") as alone:
            assert np.array_equal(out["poses"][at], alone["poses"], equal_nan=True)
            assert np.array_equal(out["trans"][at], alone["trans"], equal_nan=True)
    arrays, moved = synsp.refine_smpl(pose[1], method="butterworth", trans=trans[1])  # the array route: the same
    assert np.allclose(arrays[10:], out["poses"][1, 10:], equal_nan=True, atol=1e-9)
    assert np.allclose(moved[10:], out["trans"][1, 10:], equal_nan=True, atol=1e-12)
    with np.load(tmp_path / "out_p1a.npz") as span:  # the span refined alone (the route before) differs
        assert not np.allclose(span["poses"], out["poses"][1, 10:40], atol=1e-3)
    view = read_poses(tmp_path / "gap.npz").poses  # the pose-file view: a track per person, NaN where absent
    assert view.shape[:2] == (2, T) and np.isnan(view[1, :10]).all() and not np.isnan(view[1, 10:40]).any()


def test_a_person_who_cannot_be_read_is_kept_and_the_others_refined(tmp_path, capsys):
    pose = _people("flat")
    pose[1] = np.nan  # person 1 never seen
    np.savez(tmp_path / "gone.npz", poses=pose, trans=np.zeros((2, T, 3)))
    assert _refine(tmp_path, "gone.npz") == 0
    assert "person 1 kept as the input had it: absent from every frame (NaN throughout)" in capsys.readouterr().out
    flat = _people("flat matrix").reshape(2, T, 216)
    flat[0] *= 2  # person 0's numbers are no rotations
    np.savez(tmp_path / "odd.npz", poses=flat, trans=np.zeros((2, T, 3)))
    assert _refine(tmp_path, "odd.npz") == 0
    said = capsys.readouterr().out
    assert "person 0 kept as the input had it: array 'poses': poses of shape (60, 216) would be 24 joints'" in said
    with np.load(tmp_path / "out_gone.npz") as gone, np.load(tmp_path / "out_odd.npz") as odd:
        assert np.isnan(gone["poses"][1]).all() and not np.allclose(gone["poses"][0], pose[0])
        assert np.array_equal(odd["poses"][0], flat[0]) and not np.allclose(odd["poses"][1], flat[1])


def test_no_person_readable_and_a_translation_without_the_person_axis_are_one_line_errors(tmp_path, capsys):
    np.savez(tmp_path / "none.npz", poses=np.full((2, T, 72), np.nan), trans=np.zeros((2, T, 3)))
    assert _refine(tmp_path, "none.npz") == 2
    err = capsys.readouterr().err
    assert "no person of the file could be refined; person 0:" in err and len(err.strip().splitlines()) == 1
    np.savez(tmp_path / "shared.npz", poses=_people("flat"), trans=np.zeros((T, 3)))
    assert _refine(tmp_path, "shared.npz") == 2
    err = capsys.readouterr().err
    assert "'poses' (2, 60, 72) stacks 2 people over 60 frames (or 60 over 2, frames first), but 'trans' (60, 3) " \
           "does not lead with (2, 60)" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("shape", [(T, 216), (T, 24, 9)])
@pytest.mark.parametrize("with_trans", [True, False])
def test_flattened_rotation_matrices_are_refined_as_rotations(tmp_path, capsys, shape, with_trans):
    rot = _matrices().astype(np.float32)
    extra = {"trans": np.zeros((T, 3))} if with_trans else {}
    np.savez(tmp_path / "flat.npz", poses=rot.reshape(shape), **extra)
    np.savez(tmp_path / "full.npz", poses=rot, trans=np.zeros((T, 3)))
    assert detect_format(tmp_path / "flat.npz") == "smpl"
    assert _refine(tmp_path, "flat.npz") == 0 and _refine(tmp_path, "full.npz") == 0
    assert "smpl: 24 joint rotations refined" in capsys.readouterr().out
    with np.load(tmp_path / "out_flat.npz") as flat, np.load(tmp_path / "out_full.npz") as full:
        assert flat["poses"].shape == shape and flat["poses"].dtype == np.float32
        assert np.array_equal(flat["poses"].reshape(T, 24, 3, 3), full["poses"])
    api = synsp.refine_smpl(rot.reshape(shape), fps=30, method="butterworth")
    assert api.shape == shape and np.allclose(api.reshape(T, 24, 3, 3), rot, atol=0.2)


def test_flattened_numbers_that_are_no_rotations_are_a_one_line_error(tmp_path, capsys):
    np.savez(tmp_path / "scaled.npz", poses=2 * _matrices().reshape(T, 216), trans=np.zeros((T, 3)))
    assert _refine(tmp_path, "scaled.npz") == 2
    err = capsys.readouterr().err
    assert "would be 24 joints' rotation matrices flattened, but their 3x3 blocks are not rotations" in err
    assert len(err.strip().splitlines()) == 1


def test_refine_smpl_on_a_stack_says_how_to_refine_each():
    with pytest.raises(ValueError, match=r"refine_smpl\(poses\[p\], trans=trans\[p\]\) for each"):
        synsp.refine_smpl(_people("flat"), fps=30, method="butterworth")


def test_matrices_saved_alone_are_rotations_not_tracks_of_three_joints(tmp_path):
    """``np.savez("x.npz", poses=matrices)`` of (T, 24, 3, 3): before, T tracks of 24 frames of 3 joints' positions
    (the output no rotations); now SMPL rotations, as with a translation beside them."""
    np.savez(tmp_path / "alone.npz", poses=_matrices())
    assert detect_format(tmp_path / "alone.npz") == "smpl"
    assert _refine(tmp_path, "alone.npz") == 0
    with np.load(tmp_path / "out_alone.npz") as out:
        rot = out["poses"]
    assert rot.shape == (T, 24, 3, 3) and np.abs(rot @ np.swapaxes(rot, -1, -2) - np.eye(3)).max() < 1e-9

"""A joint written twice (H36M-17 plus a copy of its pelvis: "root" and "pelvis") is found, the others are
refined as their count reads (17: h36m17, not coco18 by the 18), and the copy is given back as its original."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.refining.copied_joints import copied_joints
from synsp.refining.files import refine_file
from test_floor import turning


def _turning(t: int = 60, seed: int = 0) -> np.ndarray:
    """(t, 17, 3) an h36m17 body turning and swaying (test_floor's), mm, with 15 mm of estimator noise."""
    x = turning(t)
    return (x + np.random.default_rng(seed).normal(0, 15, x.shape)).astype(np.float32)


def _with_copy(x: np.ndarray, of: int = 0) -> np.ndarray:
    return np.concatenate([x, x[..., of:of + 1, :]], axis=-2)


def test_copies_are_found_to_float_rounding_and_only_where_every_shared_frame_agrees():
    x = _with_copy(_with_copy(_turning()), of=5)  # joints 17 (pelvis) and 18 (left knee)
    assert copied_joints(x) == {17: 0, 18: 5}
    rounded = x.astype(np.float64)
    rounded[:, 17] += 1e-4  # float rounding of a value written twice: a copy still
    assert copied_joints(rounded) == {17: 0, 18: 5}
    once = x.copy()
    once[30, 17] += 1.0  # a millimetre off in one frame: no copy
    assert copied_joints(once) == {18: 5}
    gappy = x.copy()
    gappy[10:20, 17] = np.nan  # missing in some frames: a copy where both are seen
    assert copied_joints(gappy) == {17: 0, 18: 5}
    unseen = np.concatenate([_turning(), np.full((60, 2, 3), np.nan, np.float32)], axis=1)
    assert copied_joints(unseen) == {}  # joints never seen copy nothing
    assert copied_joints(np.stack([x, x + 5])) == {17: 0, 18: 5}  # (V, T, J, C): over every entry


def test_a_pelvis_written_twice_is_refined_as_h36m17_and_copied_back(tmp_path):
    x = _turning()
    alone, twice = synsp.refine(x, fps=30), synsp.refine(_with_copy(x), fps=30)
    np.testing.assert_array_equal(twice[:, :17], alone)
    np.testing.assert_array_equal(twice[:, 17], twice[:, 0])
    gappy = _with_copy(x)
    gappy[20:25, 0] = np.nan  # the pelvis missing where its copy is seen: the copy's value is the pelvis'
    filled = synsp.refine(gappy, fps=30)
    np.testing.assert_array_equal(filled[:, :17], alone)
    np.save(tmp_path / "in.npy", _with_copy(x))
    summary = refine_file(tmp_path / "in.npy", tmp_path / "out.npy", fps=30)
    out = np.load(tmp_path / "out.npy")
    np.testing.assert_array_equal(out[:, :17], alone)
    np.testing.assert_array_equal(out[:, 17], out[:, 0])
    assert any(note.startswith("copies: joint 17 is a copy of joint 0 in every frame") and "as h36m17" in note
               for note in summary.notes), summary.notes


@pytest.mark.parametrize("layout", ["coco18"])
def test_a_layout_given_keeps_the_copy_as_one_of_its_joints(tmp_path, layout):
    x = _with_copy(_turning())
    np.save(tmp_path / "in.npy", x)
    summary = refine_file(tmp_path / "in.npy", tmp_path / "out.npy", fps=30, layout=layout)
    assert not any(note.startswith("copies:") for note in summary.notes)
    np.testing.assert_array_equal(np.load(tmp_path / "out.npy"), synsp.refine(x, fps=30, layout=layout))


def test_a_dataframe_with_a_pelvis_written_twice_is_refined_as_its_17_joints():
    pd = pytest.importorskip("pandas")
    from synsp.integrations.pandas import refine_dataframe

    x = _turning()
    names = [f"j{j}" for j in range(18)]  # names of no layout: the layout is told by the joints' count
    df = pd.DataFrame({f"{name}_{axis}": _with_copy(x)[:, j, c] for j, name in enumerate(names)
                       for c, axis in enumerate("xyz")})
    out = refine_dataframe(df, fps=30)
    alone = pd.DataFrame({f"{name}_{axis}": x[:, j, c] for j, name in enumerate(names[:17])
                          for c, axis in enumerate("xyz")})
    expected = refine_dataframe(alone, fps=30)
    np.testing.assert_array_equal(out[expected.columns].to_numpy(), expected.to_numpy())
    np.testing.assert_array_equal(out[["j17_x", "j17_y", "j17_z"]].to_numpy(), out[["j0_x", "j0_y", "j0_z"]].to_numpy())


def test_clean_joints_of_no_layout_with_a_copy_are_counted_once_in_the_summary(tmp_path):
    """The review's case: 17 joints + 2 of the file's own + a copy of joint 0 (20, no layout), clean, so kept as
    they came. The copies line said 19 refined and the layout line "20 joints"; both now say 19."""
    x = turning(60).astype(np.float32)
    x = _with_copy(np.concatenate([x, (x[:, 1:3] + x[:, 4:6]) / 2], axis=1))
    np.save(tmp_path / "in.npy", x)
    notes = refine_file(tmp_path / "in.npy", tmp_path / "out.npy", fps=30).notes
    layout = next(note for note in notes if note.startswith("layout:"))
    assert any(note.startswith("copies:") and "other 19 joints" in note for note in notes), notes
    assert layout.startswith("layout: 19 joints of an unknown layout") and "kept as they came" in layout, layout

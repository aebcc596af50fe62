"""``layout=`` and ``method=`` of another type than a name: a Layout is its name (a user's own is added to LAYOUTS,
tests/test_capture_layouts.py); anything else is a one-line LayoutError / OptionError naming the argument, never an
AttributeError from inside."""
import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.errors import LayoutError, OptionError
from synsp.skeleton import LAYOUTS, Layout


@pytest.fixture
def poses():
    return np.cumsum(np.random.default_rng(0).normal(size=(40, 17, 2)), axis=0).astype(np.float32) + 100


def test_a_layout_of_layouts_is_taken_as_its_name(poses, tmp_path):
    np.testing.assert_array_equal(synsp.refine(poses, "savgol", layout=LAYOUTS["coco17"]),
                                  synsp.refine(poses, "savgol", layout="coco17"))
    np.save(tmp_path / "in.npy", poses)
    synsp.refine_file(tmp_path / "in.npy", tmp_path / "a.npy", method="savgol", layout=LAYOUTS["coco17"])
    synsp.refine_file(tmp_path / "in.npy", tmp_path / "b.npy", method="savgol", layout="coco17")
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"))


@pytest.mark.parametrize("layout", [17, Layout("coco17", LAYOUTS["h36m17"].joints, (), (), None)])
def test_any_other_layout_argument_is_a_one_line_layout_error(poses, tmp_path, layout):
    with pytest.raises(LayoutError, match="^layout") as err:
        synsp.refine(poses, "savgol", layout=layout)
    assert "\n" not in str(err.value)
    np.save(tmp_path / "in.npy", poses)
    with pytest.raises(LayoutError, match="^layout"):
        synsp.refine_file(tmp_path / "in.npy", tmp_path / "out.npy", method="savgol", layout=layout)


def test_a_method_that_is_no_name_is_a_one_line_option_error(poses):
    with pytest.raises(OptionError, match="^method must be"):
        synsp.refine(poses, ["savgol"])


@needs_data
def test_a_layout_the_bones_do_not_fit_is_told_from_the_poses_instead(tmp_path, capsys):
    """H36M-17 joints told as COCO-17's (the same count, another order): the bones say they are not
    (told once, from every frame), so the poses' own order is read, as without ``layout`` (audit: the
    model pulled them 94 mm off, from an input 24 mm off), and a file's summary says so."""
    from synsp.cli import main
    from synsp.evaluation.protocol import make_cases

    case = make_cases("val", "jitter", layout="h36m17", space="3d", max_clips=1)[0]
    np.testing.assert_array_equal(synsp.refine(case.noisy, layout="coco17"), synsp.refine(case.noisy))
    np.save(tmp_path / "in.npy", case.noisy)
    assert main(["refine", str(tmp_path / "in.npy"), str(tmp_path / "out.npy"), "--layout", "coco17"]) == 0
    out = capsys.readouterr().out
    assert "another order; they follow h36m17's, refined as such (is --layout right?)" in out
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), synsp.refine(case.noisy), atol=1e-3)


def test_a_layout_given_for_joint_names_synsp_does_not_know_says_it_takes_the_columns_in_order(poses, tmp_path,
                                                                                               capsys):
    """A CSV whose columns name joints of no known layout, told ``--layout coco17``: read in column order as
    COCO's joints (audit: no word of it), and said with the names on both sides; COCO's own names say nothing."""
    from synsp.cli import main

    for names, said in ((["pt_a", "pt_b", "pt_c"] + [f"pt_{j}" for j in range(3, 17)], True),
                        (list(LAYOUTS["coco17"].joints), False)):
        header = ",".join(f"{n}_{c}" for n in names for c in ("x", "y"))
        rows = [",".join(f"{v:.3f}" for v in frame.ravel()) for frame in poses]
        (tmp_path / "in.csv").write_text("\n".join([header, *rows]) + "\n")
        assert main(["refine", str(tmp_path / "in.csv"), str(tmp_path / "out.csv"), "--method", "savgol",
                     "--layout", "coco17", "--force"]) == 0
        out = capsys.readouterr().out
        note = ("layout: the file's joint names (pt_a, pt_b, pt_c, ...) are not coco17's (nose, left_eye, right_eye, "
                "...): taken in column order as its joints (is --layout right?)")
        assert (note in out) == said, out
        assert ("is --layout right?" in out) == said, out

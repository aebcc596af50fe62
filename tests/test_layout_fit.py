"""A layout given by --layout whose bones fit the poses worse than another known layout of the same joint count
(coco17 given for Human3.6M's order, bandai22 for SMPL's body, kinect25 for BODY_25): one line naming the better
one, the refinement as given (never refused); before, nothing was said where the given order passed the bones'
shortest-tree test (a filter, or 2D COCO-17 read as H36M's). The right layout, or a count no other layout shares,
says nothing."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.cli import main
from synsp.evaluation.protocol import make_cases
from synsp.skeleton.bone_fit import better_layout


@pytest.fixture(scope="module")
def clips() -> dict[tuple[str, str], np.ndarray]:
    return {(layout, space): make_cases("val", "typical", layout=layout, space=space, max_clips=1)[0].noisy
            for layout in ("coco17", "h36m17", "smpl22", "body25") for space in ("2d", "3d")}


@needs_data
@pytest.mark.parametrize("space", ["2d", "3d"])
def test_the_better_layout_of_the_same_count_is_named_only_when_the_given_is_wrong(clips, space):
    for true, wrong in (("coco17", "h36m17"), ("h36m17", "coco17"), ("h36m17", "mpi17"), ("smpl22", "bandai22"),
                        ("body25", "kinect25")):
        x = clips[true, space]
        assert better_layout(x, true) is None
        other, mine, theirs = better_layout(x, wrong)
        assert other == true and mine > theirs
    assert better_layout(clips["coco17", space][:, :12], "lsp14") is None  # not its joint count: nothing to compare


@needs_data
@pytest.mark.parametrize("space", ["2d", "3d"])
def test_true_mpi17_poses_raise_no_alarm_and_are_named_when_given_wrongly(clips, space):
    """MPI-17 as the true layout (review 1, finding 6; benchmarks/layout_fit.py --true mpi17): H36M-17's clip
    reordered by joint name into MPI's order."""
    from synsp.skeleton import get_layout

    mpi, h36m = get_layout("mpi17").joints, get_layout("h36m17").joints
    x = clips["h36m17", space][..., [h36m.index(name) for name in mpi], :]
    assert better_layout(x, "mpi17") is None
    for wrong in ("h36m17", "coco17"):
        assert better_layout(x, wrong)[0] == "mpi17"


@needs_data
def test_refine_says_the_given_layout_fits_worse_and_refines_as_given(clips, tmp_path, capsys):
    np.save(tmp_path / "coco.npy", clips["coco17", "2d"])
    args = ["refine", str(tmp_path / "coco.npy"), str(tmp_path / "out.npy"), "--method", "butterworth", "--force"]
    assert main([*args, "--layout", "h36m17"]) == 0
    said = capsys.readouterr().out
    line = [s for s in said.splitlines() if s.startswith("layout: --layout h36m17 given")]
    assert len(line) == 1 and "fit coco17's better" in line[0] and "refined as h36m17, as given" in line[0]
    assert main([*args, "--layout", "coco17"]) == 0
    assert "given, but the poses' bones fit" not in capsys.readouterr().out

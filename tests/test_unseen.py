"""A waist-up track (hips, knees and ankles missing in most frames) gets SmoothNet's output, and the summary says so."""
from __future__ import annotations

import numpy as np
from tests.conftest import needs_data
from tests.walking import walking

from synsp.inference.checkpoint import load_model
from synsp.refining.arrays import network_model, refine_track
from synsp.refining.files import refine_file
from synsp.sequence import UNSEEN_SHARE, fill_gaps

LOWER = list(range(11, 17))  # COCO-17's hips, knees and ankles


def waist_up(poses: np.ndarray, seen: int = 0) -> np.ndarray:
    """(T, 17, 2) with the lower body (6 of 17 joints) NaN but in the first ``seen`` frames."""
    out = poses.astype(np.float32).copy()
    out[seen:, LOWER] = np.nan
    return out


def test_a_waist_up_track_gets_smoothnet():
    _, noisy = walking()
    x = waist_up(noisy)
    model = load_model("synsp-coco17")
    out = model.refine(x)
    assert model.gave_way and model.unseen > UNSEEN_SHARE
    np.testing.assert_allclose(out, load_model("smoothnet-coco17").refine(x), atol=1e-5)


def test_a_full_body_the_feet_out_of_the_picture_or_legs_seen_a_while_keep_synsp():
    _, noisy = walking()
    model = load_model("synsp-coco17")
    feet = noisy.astype(np.float32).copy()
    feet[:, 15:] = np.nan  # both ankles never seen: 2 of 17 joints
    # the lower body seen in 5 frames of 90: its fill holds a real pose, where SynSP beat SmoothNet (RESULTS section 4)
    for x in (noisy.astype(np.float32), feet, waist_up(noisy, seen=5)):
        out = model.refine(x)
        assert not model.gave_way
        model.max_unseen = None
        try:
            np.testing.assert_array_equal(out, model.refine(x))  # unchanged
        finally:
            model.max_unseen = UNSEEN_SHARE


def test_refine_track_decides_on_the_measured_mask_not_the_filled_values():
    _, noisy = walking()
    x = waist_up(noisy)
    filled = fill_gaps(x)[0]  # as synsp refine hands a track over: every value filled
    model = network_model("synsp", 2)  # the one refine_track runs
    out = refine_track(filled, "coco17", "synsp", missing=np.isnan(x).any(-1))
    assert model.gave_way
    np.testing.assert_allclose(out, load_model("smoothnet-coco17").refine(filled), atol=1e-5)
    refine_track(filled, "coco17", "synsp")
    assert not model.gave_way


def test_the_summary_names_the_tracks_that_gave_way(tmp_path):
    _, noisy = walking()
    src = tmp_path / "two.npy"
    np.save(src, np.stack([noisy.astype(np.float32), waist_up(noisy + [900, 0])]))  # track 2 waist-up
    text = str(refine_file(src, tmp_path / "out.npy", layout="coco17"))
    assert "unseen: 35% of the model's joints never seen in track 2 (more than 20%" in text
    one = tmp_path / "one.npy"
    np.save(one, noisy.astype(np.float32))
    assert "unseen" not in str(refine_file(one, tmp_path / "one_out.npy", layout="coco17"))


@needs_data
def test_a_waist_up_validation_clip_comes_out_nearer_its_truth():
    from synsp.evaluation.protocol import make_cases

    case = make_cases("val", "clean-ish", layout="coco17", space="2d", max_clips=1)[0]
    x = case.noisy.astype(np.float32).copy()
    x[:, LOWER] = np.nan  # a webcam: no hips, knees or ankles at all
    model = load_model("synsp-coco17")
    err = lambda y: float(np.linalg.norm(y[:, :11] - case.clean[:, :11], axis=-1).mean())  # noqa: E731
    default = err(model.refine(x))
    fallback, model.max_unseen, model.fallback = model.fallback, None, None  # the network alone (no safety net)
    try:
        forced = err(model.refine(x))  # 20.1 px (third-stage 2D model), 18.0 (fourth)
    finally:
        model.max_unseen, model.fallback = UNSEEN_SHARE, fallback
    assert default < err(case.noisy) < forced


def _sports2d(path, legs: bool = True):
    """The repo's Pose2Sim TRC (22 HALPE_26 markers: no eyes or ears) as Sports2D's 2D track: pixels labelled
    m, Z = 0; ``legs=False`` leaves the knees, ankles and feet's cells empty (out of the picture)."""
    from pathlib import Path

    src = Path(__file__).parent / "fixtures" / "formats" / "pose2sim_halpe26.trc"
    lines = src.read_text().splitlines()
    rows = []
    for line in lines[5:]:
        cells = line.split("\t")
        for m in range(22):
            x, y, _ = cells[2 + 3 * m:5 + 3 * m]
            legs_cell = m in (2, 3, 4, 5, 6, 8, 9, 10, 11, 12)  # RKnee .. RHeel, LKnee .. LHeel
            cells[2 + 3 * m:5 + 3 * m] = (["", "", ""] if legs_cell and not legs else
                                          [f"{float(x) * 1000:.3f}" if x else "", f"{float(y) * 1000:.3f}" if y else "",
                                           "0"])
        rows.append("\t".join(cells))
    path.write_text("\n".join(lines[:5] + rows) + "\n")
    return path


def test_markers_a_file_does_not_include_are_not_called_a_waist_up_view(tmp_path):
    """Pose2Sim/Sports2D 2D TRCs have no eyes or ears: SmoothNet still refines them (SynSP refined the
    face the gap fill makes up worse: validation, 3 px, 2.47 px against 2.03), but the summary no longer
    calls a whole body a waist-up view; legs out of the picture still are one."""
    whole = refine_file(_sports2d(tmp_path / "whole.trc"), tmp_path / "whole_out.trc")
    said = [note for note in whole.notes if note.startswith("unseen:")]
    assert len(said) == 1 and "marker set does not include" in said[0] and "waist-up" not in said[0], whole.notes
    legless = refine_file(_sports2d(tmp_path / "legless.trc", legs=False), tmp_path / "legless_out.trc")
    said = [note for note in legless.notes if note.startswith("unseen:")]
    assert len(said) == 1 and "a waist-up view, the legs out of the picture?" in said[0], legless.notes

"""``synsp evaluate --input NOISY --truth CLEAN``: the split route's table on the user's own data."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from conftest import needs_data
from synsp.cli import main
from synsp.evaluation.files import evaluate_files, score_files
from synsp.metrics import mpjpe, pck
from walking import walking

FIXTURES = Path(__file__).parent / "fixtures" / "formats"


def _rows(table: str) -> dict[str, list[float]]:
    rows = [line for line in table.splitlines() if line.startswith("| ") and not line.startswith("| method")]
    return {r.split("|")[1].strip(): [float(c) for c in r.split("|")[2:-1:2]] for r in rows}


def test_2d_arrays_are_scored_with_the_split_routes_metrics():
    clean, noisy = walking(90, noise=4.0)
    results, heading = score_files(noisy, clean, methods=["savgol", "identity"])
    assert list(results) == ["input", "savgol", "identity"]
    assert list(results["input"]) == ["MPJPE", "PCK@0.05", "Accel"]
    assert results["input"]["MPJPE"] == pytest.approx(mpjpe(noisy, clean))
    size = (clean.max(axis=-2) - clean.min(axis=-2)).max(axis=-1)
    assert results["input"]["PCK@0.05"] == pytest.approx(pck(noisy, clean, 0.05, normalize=size))
    assert results["identity"]["MPJPE"] == pytest.approx(results["input"]["MPJPE"], rel=1e-5)
    assert results["savgol"]["MPJPE"] < 0.8 * results["input"]["MPJPE"]
    assert "(2d: 1 track(s), 90 frames, 1530 joint values scored, px)" in heading
    table = evaluate_files(noisy, clean, methods=["savgol"])
    assert table.splitlines()[2] == "| method | MPJPE | x input | PCK@0.05 | x input | Accel | x input |"


def test_only_the_joint_values_the_truth_has_are_scored():
    clean, noisy = walking(90, noise=4.0)
    truth = clean.copy()
    truth[:40, 9] = np.nan  # left wrist not annotated in the first 40 frames
    wild = noisy.copy()
    wild[:40, 9] += 500.0  # ... where the input is far off: it must not count
    results, heading = score_files(wild, truth, methods=["identity"])
    kept = np.ones((90, 17), bool)
    kept[:40, 9] = False
    assert results["input"]["MPJPE"] == pytest.approx(np.linalg.norm(noisy - clean, axis=-1)[kept].mean())
    assert f"{90 * 17 - 40} joint values scored" in heading
    truth[:, :, :] = np.nan
    truth[:, 0] = clean[:, 0]
    assert np.isfinite(score_files(noisy, truth, methods=["savgol"])[0]["savgol"]["MPJPE"])


def test_views_or_persons_and_shape_mismatch(tmp_path):
    clean, noisy = walking(60)
    other_clean, other_noisy = walking(60, seed=3)
    results, heading = score_files(np.stack([noisy, other_noisy]), np.stack([clean, other_clean]),
                                   methods=["savgol"])
    assert "2 track(s), 60 frames" in heading
    both = (mpjpe(noisy, clean) + mpjpe(other_noisy, other_clean)) / 2
    assert results["input"]["MPJPE"] == pytest.approx(both)
    np.save(tmp_path / "noisy.npy", noisy)
    np.save(tmp_path / "clean.npy", clean[:50])
    assert main(["evaluate", "--input", str(tmp_path / "noisy.npy"), "--truth", str(tmp_path / "clean.npy")]) == 2


def test_a_file_refine_reads_in_its_own_layout(capsys):
    """A Pose2Sim TRC (Halpe-26) scored against itself: the input row is zero, a method's is not."""
    trc = str(FIXTURES / "pose2sim_halpe26.trc")
    assert main(["evaluate", "--input", trc, "--truth", trc, "--methods", "savgol"]) == 0
    out = capsys.readouterr().out
    assert "(3d, root-relative: 1 track(s), 60 frames" in out
    rows = _rows(out)
    assert rows["input"][0] == 0.0 and rows["savgol"][0] > 0


def test_cli_options_of_the_two_routes_are_not_mixed(capsys, tmp_path):
    clean, noisy = walking(30)
    np.save(tmp_path / "n.npy", noisy)
    np.save(tmp_path / "c.npy", clean)
    files = ["--input", str(tmp_path / "n.npy"), "--truth", str(tmp_path / "c.npy")]
    assert main(["evaluate", *files, "--preset", "hard"]) == 2
    assert "--preset: for the Bandai split" in capsys.readouterr().err
    assert main(["evaluate", "--input", str(tmp_path / "n.npy")]) == 2
    assert "--truth" in capsys.readouterr().err
    assert main(["evaluate", "--fps", "60", "--methods", "savgol"]) == 2
    assert "--fps: for --input/--truth" in capsys.readouterr().err
    assert main(["evaluate", *files, "--methods", "savgol", "--checkpoint", "synsp-coco17"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "is a synsp model" in err


@needs_data
def test_3d_mocap_in_metres_is_scored_root_relative_in_mm(capsys, tmp_path):
    from synsp.data.mocap import load_clip
    from synsp.data.splits import load_split

    clean = load_clip(load_split("test")[0])  # (T, 17, 3) mm
    noisy = clean + np.random.default_rng(0).normal(0, 20, clean.shape).astype(np.float32)
    shifted = noisy + np.random.default_rng(1).normal(0, 300, (len(noisy), 1, 3)).astype(np.float32)
    np.save(tmp_path / "noisy.npy", noisy / 1000)
    np.save(tmp_path / "clean.npy", clean / 1000)
    np.save(tmp_path / "shifted.npy", shifted / 1000)
    assert main(["evaluate", "--input", str(tmp_path / "noisy.npy"), "--truth", str(tmp_path / "clean.npy"),
                 "--methods", "savgol", "synsp"]) == 0
    rows = _rows(capsys.readouterr().out)
    assert list(rows) == ["input", "savgol", "synsp"]
    assert 30 < rows["input"][0] < 50  # mm, root-relative: 20 mm of noise per coordinate, the root's too
    assert rows["synsp"][0] < 0.6 * rows["input"][0] and rows["synsp"][2] < 0.1 * rows["input"][2]
    # each frame moved as a whole: root-relative scores of the input do not change
    assert main(["evaluate", "--input", str(tmp_path / "shifted.npy"), "--truth", str(tmp_path / "clean.npy"),
                 "--methods", "identity"]) == 0
    assert _rows(capsys.readouterr().out)["input"][:2] == pytest.approx(rows["input"][:2], abs=0.02)


def test_threshold_option_says_which_truth_values_count(capsys, tmp_path):
    """The README's 'a score below --threshold ... not scored': ``synsp evaluate --input --truth``
    had no --threshold (argparse refused it); scores under it are missing, as in synsp refine."""
    clean, noisy = walking(90, noise=4.0)
    scores = np.full((90, 17, 1), 0.9)
    scores[:40, 9] = 0.5  # the left wrist annotated with little confidence in the first 40 frames
    np.save(tmp_path / "n.npy", np.concatenate([noisy, np.full((90, 17, 1), 0.9)], axis=-1))
    np.save(tmp_path / "c.npy", np.concatenate([clean, scores], axis=-1))
    files = ["--input", str(tmp_path / "n.npy"), "--truth", str(tmp_path / "c.npy"), "--methods", "identity"]
    assert main(["evaluate", *files]) == 0
    assert "1530 joint values scored" in capsys.readouterr().out
    assert main(["evaluate", *files, "--threshold", "0.6"]) == 0
    assert f"{1530 - 40} joint values scored" in capsys.readouterr().out
    assert main(["evaluate", "--threshold", "0.6", "--methods", "savgol"]) == 2
    assert "--threshold: for --input/--truth" in capsys.readouterr().err


def _scored_as_input(path: Path, truth: Path) -> float:
    """MPJPE of a file against the truth, as the table's input row scores it: what a refine output gives."""
    return score_files(path, truth, methods=["identity"])[0]["input"]["MPJPE"]


@needs_data
def test_smpl_rotations_are_refined_as_synsp_refine_refines_the_file(tmp_path):
    """An SMPL file's rows are what ``synsp refine --method M`` writes, scored on its joint positions
    (each method had refined the forward-kinematics positions, ranking SynSP behind a filter)."""
    from synsp.data.rotation_errors import corrupt_rotations
    from synsp.data.smpl_mocap import load_smpl_clip
    from synsp.refining.files import refine_file
    from synsp.rotations.conversions import axis_angle_from_matrix

    clean, trans = (x[:120] for x in load_smpl_clip("dataset-1_walk_angry_001"))
    noisy, _ = corrupt_rotations(clean, trans, "jitter", rng=0)
    for name, rotations in (("noisy", noisy), ("truth", clean)):
        np.savez(tmp_path / f"{name}.npz", poses=axis_angle_from_matrix(rotations).reshape(-1, 72), trans=trans,
                 betas=np.zeros(10), mocap_framerate=np.array(30.0))
    results, heading = score_files(tmp_path / "noisy.npz", tmp_path / "truth.npz", methods=["butterworth", "synsp"])
    assert "smpl joint rotations refined as rotations" in heading
    for method in ("butterworth", "synsp"):
        refine_file(tmp_path / "noisy.npz", tmp_path / f"{method}.npz", method=method)
        expected = _scored_as_input(tmp_path / f"{method}.npz", tmp_path / "truth.npz")
        assert results[method]["MPJPE"] == pytest.approx(expected, rel=1e-4), method
    assert results["synsp"]["MPJPE"] < results["butterworth"]["MPJPE"] < results["input"]["MPJPE"]


def test_bvh_rotations_are_refined_as_refine_does_and_a_refused_method_has_no_row(tmp_path):
    """A BVH: each row is ``synsp refine --method M``'s output; SynSP, which refine refuses on a BVH,
    is left out with one line saying so (it had a row, SmoothNet's positions under its name)."""
    from synsp.formats.bvh import read_bvh, write_bvh
    from synsp.refining.files import refine_file
    from test_bvh import TINY

    (tmp_path / "tiny.bvh").write_text(TINY)
    tiny = read_bvh(tmp_path / "tiny.bvh")
    t = np.arange(90)[:, None] / 30
    rotations = 40 * np.sin(2 * np.pi * 0.8 * t + np.arange(tiny.rotations[0].size))
    translations = np.repeat(tiny.translations[:1], 90, axis=0)
    translations[:, 0, 0] += 50 * t[:, 0]  # the root walks along x
    clean = replace(tiny, rotations=rotations.reshape(90, *tiny.rotations.shape[1:]), translations=translations)
    write_bvh(tmp_path / "truth.bvh", clean)
    noise = np.random.default_rng(0).normal(0, 3, clean.rotations.shape)
    write_bvh(tmp_path / "noisy.bvh", replace(clean, rotations=clean.rotations + noise))
    results, heading = score_files(tmp_path / "noisy.bvh", tmp_path / "truth.bvh", methods=["savgol", "synsp"])
    assert list(results) == ["input", "savgol"]
    left = [line for line in heading.splitlines() if "synsp" in line and "Left out" in line]
    assert len(left) == 1 and "refuses this file" in left[0] and "tmp" not in left[0]
    refine_file(tmp_path / "noisy.bvh", tmp_path / "savgol.bvh", method="savgol")
    assert results["savgol"]["MPJPE"] == pytest.approx(_scored_as_input(tmp_path / "savgol.bvh",
                                                                         tmp_path / "truth.bvh"), rel=1e-4)
    with pytest.raises(ValueError, match="synsp on joint rotations refines SMPL parameters only"):
        score_files(tmp_path / "noisy.bvh", tmp_path / "truth.bvh", methods=["synsp"])


_BODY_BVH = """HIERARCHY
ROOT hips
{{
  OFFSET 0 0 0
  CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation
  JOINT spine
  {{
    OFFSET 0 {a} 0
    CHANNELS 3 Zrotation Xrotation Yrotation
    End Site
    {{
      OFFSET 0 {b} 0
    }}
  }}
  JOINT leg
  {{
    OFFSET 0 -{c} 0
    CHANNELS 3 Zrotation Xrotation Yrotation
    End Site
    {{
      OFFSET 0 -{b} 0
    }}
  }}
}}
MOTION
Frames: 1
Frame Time: 0.0333333
0 0 0 0 0 0 0 0 0 0 0 0
"""


def test_a_bvh_in_metres_or_millimetres_is_scored_in_millimetres_as_one_in_centimetres(tmp_path):
    """A BVH does not say its unit and is read as centimetres; Blender writes metres. Its figures are in mm
    as the body's size tells (as synsp refine's summary gives them), not x10 or x0.1 (a user audit, audit 12)."""
    from synsp.formats.bvh import read_bvh, write_bvh

    t = np.arange(90)[:, None] / 30
    rng = np.random.default_rng(0)
    rotations = 30 * np.sin(2 * np.pi * 0.8 * t + np.arange(9)).reshape(90, 3, 3)
    noise = rng.normal(0, 3, rotations.shape)
    figures = {}
    for unit, per_cm in (("cm", 1.0), ("m", 0.01), ("mm", 10.0)):
        text = _BODY_BVH.format(a=50 * per_cm, b=40 * per_cm, c=90 * per_cm)
        (tmp_path / f"body_{unit}.bvh").write_text(text)
        body = read_bvh(tmp_path / f"body_{unit}.bvh")
        walk = np.repeat(body.translations[:1], 90, axis=0)
        walk[:, 0, 0] = 100 * per_cm * t[:, 0]  # 1 m/s along x
        for name, turns in (("truth", rotations), ("noisy", rotations + noise)):
            write_bvh(tmp_path / f"{name}_{unit}.bvh", replace(body, rotations=turns, translations=walk,
                                                                number_format="%.6f"))
        results, heading = score_files(tmp_path / f"noisy_{unit}.bvh", tmp_path / f"truth_{unit}.bvh",
                                       methods=["savgol"])
        figures[unit] = results["input"]["MPJPE"]
        assert ("read as metres" in heading) == (unit == "m") and ("read as millimetres" in heading) == (unit == "mm")
    assert figures["m"] == pytest.approx(figures["cm"], rel=1e-3)
    assert figures["mm"] == pytest.approx(figures["cm"], rel=1e-3)
    from synsp.viz.files import read_channels  # synsp plot / report / animate: in mm too

    drawn = {unit: read_channels(tmp_path / f"truth_{unit}.bvh") for unit in ("cm", "m", "mm")}
    assert {unit for _, unit in drawn.values()} == {"mm"}
    for unit in ("m", "mm"):
        np.testing.assert_allclose(drawn[unit][0].poses, drawn["cm"][0].poses, rtol=1e-4, atol=0.05)


def test_values_the_truths_file_flags_as_filled_are_not_scored():
    # a Pose2Sim TRC has no eyes or ears: they are placed for the networks and flagged filled, in the truth too,
    # where they are no measurement (a user audit, audit 14: 63 joints scored of a file's 59 markers)
    from synsp.formats import read_poses

    trc = Path(__file__).resolve().parent / "fixtures" / "formats" / "pose2sim_halpe26.trc"
    data = read_poses(trc)
    seen = np.isfinite(data.poses).all(-1)
    assert (data.filled & seen).any()  # the placed ears and eyes
    _, heading = score_files(trc, trc, methods=["identity"])
    assert f"{int((seen & ~data.filled).sum())} joint values scored" in heading


def test_files_of_different_frame_rates_are_scored_with_a_warning(capsys, tmp_path):
    """A truth at 30 fps and an input at 25 fps of as many frames are scored frame by frame, as given, with a
    one-line warning naming both rates (audit 29, finding 10: nothing was said; a wrong pairing passed unseen);
    --fps gives both one rate and no warning; of other frame counts too, the refusal names the rates."""
    trc = FIXTURES / "pose2sim_halpe26.trc"
    lines = trc.read_text().split("\n")
    lines[2] = "\t".join(["25", "25", *lines[2].split("\t")[2:5], "25", *lines[2].split("\t")[6:]])
    (tmp_path / "at25.trc").write_text("\n".join(lines))
    files = ["--input", str(tmp_path / "at25.trc"), "--truth", str(trc), "--methods", "savgol"]
    assert main(["evaluate", *files]) == 0
    captured = capsys.readouterr()
    assert _rows(captured.out)["input"][0] == 0.0  # scored as before
    warned = [line for line in captured.err.splitlines() if "warning" in line]
    assert len(warned) == 1 and "input at 25 fps, truth at 30 fps); scored frame by frame as given" in warned[0]
    assert main(["evaluate", *files, "--fps", "30"]) == 0
    assert "warning" not in capsys.readouterr().err
    lines[2] = lines[2].replace("\t60\t", "\t59\t")
    (tmp_path / "short.trc").write_text("\n".join(lines[:-2] + [""]))
    assert main(["evaluate", "--input", str(tmp_path / "short.trc"), "--truth", str(trc), "--methods", "savgol"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "input at 25 fps, truth at 30 fps); they must be" in err


@needs_data
def test_arrays_in_inches_are_scored_in_mm_told_or_given(capsys, tmp_path):
    """``synsp evaluate`` read an inch pair as centimetres (its mm 2.54 times too small) and took no --units."""
    from synsp.evaluation.protocol import make_cases

    case = make_cases("val", "typical", max_clips=1)[0]
    noisy, clean = np.asarray(case.noisy, np.float64), np.asarray(case.clean, np.float64)
    mm = score_files(noisy, clean, methods=["savgol"])[0]
    told, heading = score_files(noisy / 25.4, clean / 25.4, methods=["savgol"])
    assert "the files read as inches (told from the body's size; --units to say otherwise)" in heading
    given = score_files(noisy / 25.4, clean / 25.4, methods=["savgol"], units="in")[0]
    as_cm = score_files(noisy / 25.4, clean / 25.4, methods=["savgol"], units="cm")[0]
    for row in ("input", "savgol"):
        assert told[row]["MPJPE"] == pytest.approx(mm[row]["MPJPE"], rel=1e-3) == given[row]["MPJPE"]
        assert as_cm[row]["MPJPE"] == pytest.approx(mm[row]["MPJPE"] / 2.54, rel=1e-3)
    np.save(tmp_path / "n.npy", noisy[..., :2])
    np.save(tmp_path / "c.npy", clean[..., :2])
    assert main(["evaluate", "--input", str(tmp_path / "n.npy"), "--truth", str(tmp_path / "c.npy"), "--units",
                 "in", "--methods", "savgol"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "--units in is a 3D file's length unit" in err
    assert main(["evaluate", "--units", "in", "--methods", "savgol"]) == 2
    assert "--units: for --input/--truth" in capsys.readouterr().err

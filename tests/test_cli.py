"""``synsp refine`` from the command line: never overwrites the input, refuses an existing
output without --force, and turns every bad input into one line on stderr and exit code 2,
with nothing written."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from conftest import needs_data
from synsp.cli import main
from synsp.formats import read_poses


def jittery(n_frames: int = 40, n_joints: int = 17, n_coords: int = 3) -> np.ndarray:
    rng = np.random.default_rng(0)
    frames = np.arange(n_frames)[:, None, None]
    return 500 + 100 * np.sin(frames / 7 + rng.uniform(0, 6, (1, n_joints, n_coords))) + rng.normal(0, 5, (
        n_frames, n_joints, n_coords))


@pytest.fixture
def pose_file(tmp_path):
    path = tmp_path / "in.npz"
    np.savez(path, poses=jittery())
    return path


def one_error_line(capsys, *needles: str) -> str:
    err = capsys.readouterr().err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("synsp refine: error: ") and "Traceback" not in err
    for needle in needles:
        assert needle in lines[0], lines[0]
    return lines[0]


def test_refine_writes_output_and_reports(tmp_path, pose_file, capsys):
    out = tmp_path / "sub" / "out.npz"
    assert main(["refine", str(pose_file), str(out), "--method", "savgol"]) == 0
    assert "wrote" in capsys.readouterr().out
    assert read_poses(out).poses.shape == (1, 40, 17, 3)
    assert np.load(out)["poses"].shape == (40, 17, 3)


def test_a_clip_too_short_to_refine_says_so(tmp_path, capsys):
    np.savez(tmp_path / "one.npz", poses=jittery(2))
    assert main(["refine", str(tmp_path / "one.npz"), str(tmp_path / "out.npz"), "--method", "savgol"]) == 0
    out = capsys.readouterr().out
    assert "2 frames, too few to refine" in out and "nan" not in out


@pytest.mark.parametrize("force", [False, True])
def test_output_equal_to_input_is_refused_even_with_force(tmp_path, pose_file, capsys, force):
    before = pose_file.read_bytes()
    same = tmp_path / "." / "in.npz"
    argv = ["refine", str(pose_file), str(same), "--method", "savgol"] + (["--force"] if force else [])
    assert main(argv) == 2
    one_error_line(capsys, "input", "in.npz")
    assert pose_file.read_bytes() == before


def test_existing_output_needs_force(tmp_path, pose_file, capsys):
    out = tmp_path / "out.npz"
    out.write_bytes(b"keep me")
    assert main(["refine", str(pose_file), str(out), "--method", "savgol"]) == 2
    one_error_line(capsys, "--force", "out.npz")
    assert out.read_bytes() == b"keep me"
    assert main(["refine", str(pose_file), str(out), "--method", "savgol", "--force"]) == 0
    assert read_poses(out).poses.shape == (1, 40, 17, 3)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["in.npz", "out.npz"]  # no temporary left behind


def test_an_unquoted_glob_of_two_trials_never_overwrites_the_second(tmp_path, capsys):
    """OUT is optional for a TRC, so ``synsp refine *.trc`` in a folder of two trials reads as IN OUT:
    the second trial is refused as OUT even with --force (audit: it was overwritten by the first's
    refinement); OUT named after IN is still replaced, and three files name the glob."""
    trials = []
    for name, shift in (("trial1", 0), ("trial2", 1000)):  # another trial: elsewhere in the room
        path = tmp_path / f"{name}.trc"
        path.write_text("PathFileType\t4\t(X/Y/Z)\tx.trc\n"
                        "DataRate\tCameraRate\tNumFrames\tNumMarkers\tUnits\n30\t30\t40\t17\tmm\n"
                        "Frame#\tTime\t" + "\t\t\t".join(f"m{j}" for j in range(17)) + "\n\n\n"
                        + "".join(f"{t + 1}\t{t / 30:.4f}\t" + "\t".join(f"{v:.3f}" for v in row) + "\n"
                                  for t, row in enumerate((jittery() + shift).reshape(40, -1))))
        trials.append((path, path.read_bytes()))
    (first, _), (second, kept) = trials
    for force in ([], ["--force"]):
        assert main(["refine", str(first), str(second), "--method", "savgol", *force]) == 2
        one_error_line(capsys, "trial2.trc", "another TRC", "earlier output", "'")
        assert second.read_bytes() == kept
    own = tmp_path / "trial1_filt_synsp.trc"
    own.write_text("an earlier output")
    assert main(["refine", str(first), str(own), "--method", "savgol", "--force"]) == 0
    refined = tmp_path / "refined.trc"  # not named after IN, but IN's earlier output: replaced
    for _ in range(2):
        assert main(["refine", str(first), str(refined), "--method", "savgol", "--force"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit):
        main(["refine", str(first), str(own), str(second), "--method", "savgol", "--force"])
    assert "more files than IN and OUT" in capsys.readouterr().err
    assert second.read_bytes() == kept


@pytest.mark.parametrize("name, needle", [("noext", "unknown extension"), ("x.trc", "a trc file holds 3D poses"),
                                          ("in.npz/x.npy", "in.npz is a file, not a folder")])
def test_a_wrong_output_fails_before_the_refinement(tmp_path, capsys, monkeypatch, name, needle):
    """A wrong OUT fails at once (audit: after the whole refinement, 3 minutes on a long file)."""
    import synsp.refining.files as files

    def never(*args, **kwargs):
        raise AssertionError("refined before OUT was checked")

    monkeypatch.setattr(files, "refine_file_tracks", never)
    np.save(tmp_path / "in.npy", jittery(n_coords=2))
    (tmp_path / "in.npz").write_bytes(b"a file")
    assert main(["refine", str(tmp_path / "in.npy"), str(tmp_path / name), "--layout", "coco17"]) == 2
    one_error_line(capsys, needle)


def test_a_shape_error_names_the_files_own_shape(tmp_path, capsys):
    """Not the (V, T, J, C) it is read into (audit: "(1, 195, 17, 1)" for a (195, 17, 1) file)."""
    np.save(tmp_path / "one.npy", np.ones((195, 17, 1)))
    assert main(["refine", str(tmp_path / "one.npy"), str(tmp_path / "out.npy")]) == 2
    one_error_line(capsys, "got shape (195, 17, 1)")


def _npy_rank2(path):
    np.save(path, np.zeros((10, 3)))


def _corrupt_json(path):
    path.write_text('[{"frame_id": 0, "instances": [{"keypoints": [[1, 2], ')


def _c5(path):
    np.save(path, np.zeros((10, 17, 5)))


def _all_low_scores(path):
    np.savez(path, poses=jittery(), scores=np.full((40, 17), 0.1))


BAD_INPUTS = {
    # name: (file name, how to make it (None: do not create), extra arguments, words the message must hold)
    "missing file": ("nope.npz", None, [], ["nope.npz", "no such file"]),
    "wrong extension": ("poses.xyz", lambda p: p.write_text("1 2 3"), [], ["poses.xyz", "extension"]),
    "npy of wrong rank": ("bad.npy", _npy_rank2, [], ["bad.npy", "(10, 3)"]),
    "five channels": ("c5.npy", _c5, [], ["c5.npy", "(10, 17, 5)"]),
    "fourth channel not a score": ("c4.npy", lambda p: np.save(p, np.full((10, 17, 4), 7.0)), [],
                                   ["c4.npy", "fourth channel"]),
    "corrupt json": ("bad.json", _corrupt_json, [], ["bad.json", "JSON"]),
    "empty npz": ("empty.npz", lambda p: p.write_bytes(b""), [], ["empty.npz", "empty file"]),
    "empty npy": ("empty.npy", lambda p: p.write_bytes(b""), [], ["empty.npy", "empty file"]),
    "empty json": ("empty.json", lambda p: p.write_bytes(b""), [], ["empty.json", "empty file"]),
    "empty csv": ("empty.csv", lambda p: p.write_bytes(b""), [], ["empty.csv", "empty file"]),
    "csv header only": ("h.csv", lambda p: p.write_text("frame,j0_x,j0_y\n"), [], ["h.csv", "no data rows"]),
    "json of another kind": ("other.json", lambda p: p.write_text('{"people": []}'), [], ["other.json", "JSON"]),
    "nothing confident": ("low.npz", _all_low_scores, [], ["low.npz", "nothing to refine"]),
    "layout of the wrong size": ("in.npz", lambda p: np.savez(p, poses=jittery()), ["--layout", "mediapipe33"],
                                 ["mediapipe33", "33 joints", "17"]),
    "wrong layout, network": ("in.npz", lambda p: np.savez(p, poses=jittery()),
                              ["--layout", "mediapipe33", "--method", "synsp"], ["mediapipe33", "17"]),
    "unknown layout": ("in.npz", lambda p: np.savez(p, poses=jittery()), ["--layout", "smpl99"],
                       ["smpl99", "unknown", "h36m17"]),
    "unknown method": ("in.npz", lambda p: np.savez(p, poses=jittery()), ["--method", "kalman"],
                       ["kalman", "savgol"]),
    "space for a non-MediaPipe file": ("in.npz", lambda p: np.savez(p, poses=jittery()), ["--space", "world"],
                                       ["in.npz", "--space", "MediaPipe"]),
    "threshold below 0": ("in.npz", lambda p: np.savez(p, poses=jittery()), ["--threshold", "-1"],
                          ["threshold must be a confidence in [0, 1], got -1.0"]),
    "threshold above 1": ("in.npz", lambda p: np.savez(p, poses=jittery()), ["--threshold", "1.5"],
                          ["threshold must be a confidence in [0, 1], got 1.5"]),
    "--key on a .npy": ("in.npy", lambda p: np.save(p, jittery()), ["--key", "nope"],
                        ["in.npy", "--key", ".npz", "no 'nope'"]),
    "bool array": ("mask.npy", lambda p: np.save(p, jittery() > 500), [], ["mask.npy", "not poses: bool values"]),
    "--space world on a MediaPipe npz without kp3d_world": (
        "mp.npz", lambda p: np.savez(p, kp2d=np.dstack([jittery(n_coords=2), np.ones((40, 17))]), fps=30.0),
        ["--space", "world"], ["mp.npz", "has no kp3d_world array (its arrays: kp2d, fps)"]),
    "missing checkpoint": ("in.npz", lambda p: np.savez(p, poses=jittery()),
                           ["--method", "synsp", "--checkpoint", "none.pt"], ["none.pt"]),
}


@pytest.mark.parametrize("case", list(BAD_INPUTS))
def test_bad_input_is_one_line_exit_2_and_writes_nothing(tmp_path, capsys, case):
    name, make, extra, needles = BAD_INPUTS[case]
    src = tmp_path / name
    if make is not None:
        make(src)
    out = tmp_path / "out" / f"refined{src.suffix}"
    method = [] if "--method" in extra else ["--method", "savgol"]
    assert main(["refine", str(src), str(out), *method, *extra]) == 2
    one_error_line(capsys, *needles)
    assert not out.exists() and not out.parent.exists()


@pytest.mark.parametrize("dtype", [np.int16, np.int64])
def test_integer_input_is_written_as_float32_as_the_python_api_gives_it(tmp_path, capsys, dtype):
    """README: integers come back as float32 (audit: the CLI wrote float64, synsp.refine float32)."""
    import synsp

    poses = np.round(jittery()).astype(dtype)
    np.save(tmp_path / "int.npy", poses)
    assert main(["refine", str(tmp_path / "int.npy"), str(tmp_path / "out.npy"), "--method", "savgol"]) == 0
    written = np.load(tmp_path / "out.npy")
    assert written.dtype == synsp.refine(poses, "savgol").dtype == np.float32


def test_mmpose_json_refines_back_to_mmpose(tmp_path, capsys):
    poses = jittery(n_coords=2)
    frames = [{"frame_id": t, "instances": [{"keypoints": poses[t].tolist(), "keypoint_scores": [0.9] * 17,
                                             "bbox": [[0, 0, 5, 5]], "bbox_score": 0.8}]} for t in range(40)]
    (tmp_path / "in.json").write_text(json.dumps(frames))
    assert main(["refine", str(tmp_path / "in.json"), str(tmp_path / "out.json"), "--method", "one-euro"]) == 0
    out = json.loads((tmp_path / "out.json").read_text())
    assert len(out) == 40 and out[3]["instances"][0]["bbox"] == [[0, 0, 5, 5]]
    assert out[3]["instances"][0]["keypoint_filled"] == [0] * 17


@pytest.mark.parametrize("argv", [["--help"], ["refine", "--help"]])
def test_help_from_python_dash_m(argv):
    done = subprocess.run([sys.executable, "-m", "synsp", *argv], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "usage: synsp" in done.stdout
    assert ("--threshold" in done.stdout) == (argv[0] == "refine")


@needs_data
@pytest.mark.parametrize("views", [1, 2])
def test_evaluate_prints_a_table_with_the_input_first(capsys, views):
    argv = ["evaluate", "--methods", "savgol", "--max-clips", "2", "--paper-filters", "--views", str(views)]
    assert main(argv) == 0
    out = capsys.readouterr().out
    rows = [line for line in out.splitlines() if line.startswith("| ") and not line.startswith("| method")]
    assert [r.split("|")[1].strip() for r in rows] == ["input", "savgol"]
    assert ("2 views (cameras)" in out) == (views == 2)
    accel = [float(r.split("|")[6]) for r in rows]  # savgol smooths: its Accel is below the input's
    assert accel[1] < 0.5 * accel[0]


@needs_data
def test_evaluate_rejects_unknown_method_and_bad_views(capsys):
    assert main(["evaluate", "--methods", "kalman", "--max-clips", "1"]) == 2
    assert "kalman" in capsys.readouterr().err
    assert main(["evaluate", "--methods", "savgol", "--views", "0", "--max-clips", "1"]) == 2
    assert "views" in capsys.readouterr().err


@needs_data
def test_evaluate_one_source_keeps_each_clips_errors(capsys):
    def input_row(*extra):
        assert main(["evaluate", "--methods", "savgol", "--max-clips", "2", "--paper-filters", *extra]) == 0
        out = capsys.readouterr().out
        return out, next(line for line in out.splitlines() if line.startswith("| input"))

    whole, row = input_row()
    one, row_one = input_row("--source", "1")  # the split's first clips are dataset 1's
    assert "dataset 1 only, test split: 2 clips" in one and row_one == row
    assert main(["evaluate", "--methods", "savgol", "--max-clips", "2", "--source", "2"]) == 2
    assert "no clip of dataset 2 in the test split's first 2" in capsys.readouterr().err


def test_table_ratio_is_a_dash_when_the_input_scores_zero():
    from synsp.evaluation.protocol import markdown_table

    table = markdown_table({"input": {"MPJPE": 0.0, "PA-MPJPE": 3e-14}, "savgol": {"MPJPE": 19.5, "PA-MPJPE": 20.4}})
    assert table.splitlines()[-1] == "| savgol | 19.50 | - | 20.40 | - |"


@needs_data
def test_evaluate_with_another_convention_and_clean_input(capsys):
    moved = {}
    for convention in ("mocap", "smpl-pelvis"):
        assert main(["evaluate", "--methods", "savgol", "--preset", "none", "--convention", convention,
                     "--max-clips", "1", "--paper-filters"]) == 0
        out = capsys.readouterr().out
        assert ("joint convention `smpl-pelvis`" in out) == (convention == "smpl-pelvis") and "preset `none`" in out
        rows = [line for line in out.splitlines() if line.startswith("| ") and not line.startswith("| method")]
        assert float(rows[0].split("|")[2]) == 0.0  # the clean input scores zero
        moved[convention] = float(rows[1].split("|")[2])
    # a filter knows no skeleton: it moves the clean poses of either definition alike
    assert 0 < moved["smpl-pelvis"] and abs(moved["smpl-pelvis"] / moved["mocap"] - 1) < 0.2
    assert main(["evaluate", "--methods", "savgol", "--convention", "nope", "--max-clips", "1"]) == 2
    assert "unknown 'nope'" in capsys.readouterr().err


def test_refine_stride_option(tmp_path, capsys):
    """--stride reaches the network (a coarser stride gives another, still smooth output); a
    stride the window cannot take, or --stride for a filter, is one line and exit 2."""
    from pathlib import Path

    src = Path(__file__).parent / "fixtures" / "skeletons" / "halpe26_mmpose.json"
    outs = {}
    for stride in (2, 4):
        assert main(["refine", str(src), str(tmp_path / f"s{stride}.json"), "--stride", str(stride),
                     "--device", "cpu"]) == 0
        outs[stride] = read_poses(tmp_path / f"s{stride}.json").poses
    assert 0 < np.nanmean(np.abs(outs[2] - outs[4])) < 5  # px: another cut of the windows, nearly the same poses
    capsys.readouterr()
    for extra in (["--stride", "9"], ["--stride", "2", "--method", "gaussian"]):
        assert main(["refine", str(src), str(tmp_path / "bad.json"), *extra]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "stride" in err
        assert not (tmp_path / "bad.json").exists()



@needs_data
def test_3d_with_a_fourth_confidence_channel_is_refined_and_keeps_it(tmp_path, capsys):
    from synsp.evaluation.protocol import make_cases

    case = make_cases("val", "typical", max_clips=1)[0]
    scores = np.random.default_rng(0).uniform(0.5, 1.0, case.noisy.shape[:-1])
    scores[10:14, 3] = 0.1  # an ankle scored low for four frames: missing, filled
    src = tmp_path / "scored3d.npy"
    np.save(src, np.concatenate([case.noisy, scores[..., None]], axis=-1).astype(np.float32))
    assert main(["refine", str(src), str(tmp_path / "out.npy")]) == 0
    assert "fourth channel is a confidence" in capsys.readouterr().out
    out = np.load(tmp_path / "out.npy")
    assert out.shape == case.noisy.shape[:-1] + (4,)
    np.testing.assert_allclose(out[..., 3], scores, atol=1e-6)
    error = lambda x: float(np.linalg.norm(x - case.clean, axis=-1).mean())  # noqa: E731
    assert error(out[..., :3]) < error(case.noisy)


def test_zeros_written_for_joints_not_found_are_missing(tmp_path, capsys):
    """A 2D array with (0, 0) where the estimator found nothing: those values are missing, filled
    and flagged, not refined as points in the image's corner."""
    truth = jittery(n_coords=2) * 0.3 + 400.0  # pixels, the body far from the corner
    poses = truth.copy()
    poses[10:13, 4] = 0.0
    src, dst = tmp_path / "zeros.npy", tmp_path / "out.npz"
    np.save(src, poses.astype(np.float32))
    assert main(["refine", str(src), str(dst), "--method", "savgol"]) == 0
    assert "missing: 3 joint values at exactly (0, 0) read as not found" in capsys.readouterr().out
    out = read_poses(dst)
    assert out.filled[0, 10:13, 4].all() and out.filled.sum() == 3
    assert np.abs(out.poses[0, 10:13, 4] - truth[10:13, 4]).max() < 30  # filled near the truth, not pulled to 0


def test_a_frame_not_found_comes_back_as_the_zeros_it_came_as(tmp_path, capsys):
    """A frame of (0, 0) (nobody found) is left out, and written back as (0, 0), the input's own mark,
    not as NaN (audit: an OpenPose-style array came back with NaN that 0-expecting tools choke on)."""
    poses = jittery(n_coords=2) * 0.3 + 400.0
    poses[20] = 0.0
    src, dst = tmp_path / "zeros.npy", tmp_path / "out.npy"
    np.save(src, poses.astype(np.float32))
    assert main(["refine", str(src), str(dst), "--method", "savgol"]) == 0
    assert "left out" in capsys.readouterr().out
    out = np.load(dst)
    assert np.isfinite(out).all() and (out[20] == 0).all() and (out[19] != 0).all()


def test_a_constant_third_channel_is_refined_in_2d_and_kept(tmp_path, capsys):
    """x, y with a padded z = 0 (or a fixed score): no body has one depth everywhere, so x, y
    are refined as a 2D pose and the channel comes back as it was (it used to ask for --space)."""
    import synsp

    poses = np.concatenate([jittery(n_coords=2) * 0.3 + 400.0, np.zeros((40, 17, 1))], axis=-1)
    src, dst = tmp_path / "padded.npy", tmp_path / "out.npy"
    np.save(src, poses.astype(np.float32))
    assert main(["refine", str(src), str(dst), "--method", "savgol"]) == 0
    assert "space: the third channel is 0 everywhere (a padded z or a fixed score); refined in 2D" \
        in capsys.readouterr().out
    out = np.load(dst)
    assert out.shape == poses.shape and (out[..., 2] == 0).all()
    np.testing.assert_allclose(out[..., :2], synsp.refine(poses[..., :2], "savgol"), atol=1e-3)
    np.testing.assert_allclose(synsp.refine(poses, "savgol"), out, atol=1e-3)  # the array API alike


def test_stdout_closed_by_its_reader_stops_quietly(tmp_path):
    """`synsp refine ... | head`: the summary's reader leaves; the file is written, nothing blames
    it, and the exit status is a shell's for a closed pipe (128 + SIGPIPE)."""
    import signal

    poses = 300 + 100 * np.sin(np.arange(60)[:, None, None] / 5 + np.arange(17 * 3).reshape(1, 17, 3))
    np.save(tmp_path / "in.npy", poses.astype(np.float32))
    command = [sys.executable, "-m", "synsp", "refine", str(tmp_path / "in.npy"), str(tmp_path / "out.npy"),
               "--method", "gaussian"]
    run = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    run.stdout.close()
    err = run.stderr.read().decode()
    run.stderr.close()
    assert run.wait() == 128 + signal.SIGPIPE and err == ""
    assert np.load(tmp_path / "out.npy").shape == poses.shape


@pytest.mark.parametrize("extra, flag", [
    (["--method", "smoothnet", "--whole-correction"], "--whole-correction"),
    (["--method", "butterworth", "--whole-correction"], "--whole-correction"),
    (["--method", "smoothnet", "--joints", "model"], "--joints"),
    (["--method", "gaussian", "--joints", "keep"], "--joints"),
    (["--checkpoint", "smoothnet-h36m17", "--joints", "keep-all"], "--joints"),
    (["--method", "savgol", "--lowpass", "4"], "--lowpass"),
    (["--method", "savgol", "--network-only"], "--network-only"),
])
def test_synsps_options_are_refused_for_a_method_they_do_nothing_for(tmp_path, pose_file, capsys, extra, flag):
    """--whole-correction and --joints are SynSP's on joint positions: with another method they gave its plain
    output, silently (audit 13); now refused as --lowpass, --stride and --network-only are: one line naming
    the option and the method, nothing written."""
    assert main(["refine", str(pose_file), str(tmp_path / "o.npy"), *extra]) == 2
    one_error_line(capsys, flag, repr(extra[1].split("-")[0]))
    assert not (tmp_path / "o.npy").exists()


def test_a_checkpoint_without_method_refines_with_the_checkpoints_network(tmp_path, pose_file, capsys):
    """``--checkpoint <smoothnet model>`` alone: the checkpoint says which network it is (and the
    summary says so); a --method that disagrees with it is still refused."""
    assert main(["refine", str(pose_file), str(tmp_path / "a.npy"), "--checkpoint", "smoothnet-h36m17"]) == 0
    said = capsys.readouterr().out
    assert "method: smoothnet, the network of checkpoint smoothnet-h36m17 (no --method given)" in said
    assert main(["refine", str(pose_file), str(tmp_path / "b.npy"), "--method", "smoothnet",
                 "--checkpoint", "smoothnet-h36m17"]) == 0
    np.testing.assert_array_equal(np.load(tmp_path / "a.npy"), np.load(tmp_path / "b.npy"))
    capsys.readouterr()
    assert main(["refine", str(pose_file), str(tmp_path / "c.npy"), "--method", "synsp",
                 "--checkpoint", "smoothnet-h36m17"]) == 2
    one_error_line(capsys, "is a smoothnet model, but the method is synsp")
    assert not (tmp_path / "c.npy").exists()


def test_a_rotation_checkpoint_without_method_refines_with_its_network(tmp_path, capsys):
    bvh = Path(__file__).parent / "fixtures" / "formats" / "tiny.bvh"
    assert main(["refine", str(bvh), str(tmp_path / "a.bvh"), "--checkpoint", "smoothnet-smpl24"]) == 0
    assert "refined by smoothnet (smoothnet-smpl24" in capsys.readouterr().out


@needs_data
def test_evaluate_uses_a_checkpoint_for_the_method_of_its_kind(capsys, tmp_path):
    """--checkpoint was used only for synsp: a SmoothNet checkpoint gave the default's row."""
    import torch

    from synsp.inference.checkpoint import load_checkpoint, model_path, save_checkpoint

    payload = load_checkpoint(model_path("smoothnet-h36m17"))
    generator = torch.Generator().manual_seed(0)
    payload["state_dict"] = {k: v + 0.05 * torch.randn(v.shape, generator=generator) if v.is_floating_point() else v
                             for k, v in payload["state_dict"].items()}
    save_checkpoint(tmp_path / "other.pt", payload)  # a SmoothNet of other weights

    def smoothnet_row(*extra):
        assert main(["evaluate", "--methods", "smoothnet", "--max-clips", "1", *extra]) == 0
        return next(line for line in capsys.readouterr().out.splitlines() if line.startswith("| SmoothNet"))

    assert smoothnet_row("--checkpoint", str(tmp_path / "other.pt")) != smoothnet_row()
    assert smoothnet_row("--checkpoint", "smoothnet-h36m17") == smoothnet_row()  # the default itself
    assert main(["evaluate", "--methods", "smoothnet", "savgol", "--max-clips", "1",
                 "--checkpoint", "synsp-h36m17"]) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "synsp-h36m17 is a synsp model" in err and "smoothnet, savgol" in err


def test_a_missing_input_without_out_is_said_missing_not_a_missing_out(tmp_path, capsys):
    """Review 2 #5: ``synsp refine nope.trc`` said only a .trc input has a default OUT."""
    assert main(["refine", str(tmp_path / "nope.trc")]) == 2
    err = capsys.readouterr().err
    assert "nope.trc: no such file" in err and "give OUT" not in err and len(err.strip().splitlines()) == 1

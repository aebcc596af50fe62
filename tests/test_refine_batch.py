"""``synsp refine DIR|GLOB OUT --workers N``: many files, resumable, one line per failure; the same
on a local Dask cluster (examples/dask_refine.py)."""
from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from synsp.cli import main
from synsp.refining.batch import batch_inputs, is_batch, refine_batch

ROOT = Path(__file__).resolve().parents[1]


def corpus(tmp_path: Path, n: int = 3) -> Path:
    """n small (T, 17, 3) sequences in clips/ and clips/sub/, plus one broken file."""
    rng = np.random.default_rng(0)
    src = tmp_path / "clips"
    (src / "sub").mkdir(parents=True)
    for i in range(n):
        x = 800 + 300 * np.sin(np.arange(40)[:, None, None] / 7 + rng.uniform(0, 6, (17, 3)))
        np.save(src / ("sub" if i == 0 else ".") / f"clip{i}.npy", x.astype(np.float32))
    (src / "broken.npy").write_bytes(b"not an array")
    (src / "notes.md").write_text("not a pose file")
    return src


def test_directory_and_glob_inputs(tmp_path):
    src = corpus(tmp_path)
    inputs, root = batch_inputs(src)
    assert root == src and [p.name for p in inputs] == ["broken.npy", "clip1.npy", "clip2.npy", "clip0.npy"]
    inputs, root = batch_inputs(str(src / "**" / "clip*.npy"))
    assert root == src and len(inputs) == 3
    assert is_batch(src) and is_batch(str(src / "*.npy")) and not is_batch(src / "clip1.npy")
    with pytest.raises(ValueError, match="no pose files"):
        batch_inputs(str(tmp_path / "*.csv"))


def test_openpose_folder_is_one_sequence(tmp_path):
    folder = tmp_path / "video"
    folder.mkdir()
    for t in range(3):
        (folder / f"video_{t:012d}_keypoints.json").write_text(json.dumps({"people": []}))
    assert not is_batch(folder)
    outer = tmp_path / "many"
    (outer / "a").mkdir(parents=True)
    (folder / "video_000000000000_keypoints.json").rename(outer / "a" / "x_keypoints.json")
    assert batch_inputs(outer)[0] == [outer / "a"]  # a folder of frames inside a batch: one input


def test_cli_batch_resumes_and_reports_failures(tmp_path, capsys):
    src = corpus(tmp_path)
    out = tmp_path / "out"
    code = main(["refine", str(src), str(out), "--method", "savgol", "--workers", "2"])
    captured = capsys.readouterr()
    assert code == 2  # broken.npy failed, on one line, and the others were written
    assert [line for line in captured.err.splitlines() if line.startswith("failed:")] == [
        next(line for line in captured.err.splitlines() if "broken.npy" in line)]
    assert "refined 3 file(s), skipped 0 already written, 1 failed" in captured.out
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.npy")) == [
        "clip1.npy", "clip2.npy", "sub/clip0.npy"]
    written = (out / "clip1.npy").stat().st_mtime_ns
    code = main(["refine", str(src / "*.npy"), str(out), "--method", "savgol"])
    assert "refined 0 file(s), skipped 2 already written, 1 failed" in capsys.readouterr().out
    assert (out / "clip1.npy").stat().st_mtime_ns == written
    report = refine_batch(str(src / "clip1.npy"), out, method="savgol", force=True, progress=False)
    assert report.done == [str(src / "clip1.npy")] and not report.failed


def test_a_batch_that_fails_everywhere_leaves_no_empty_output_folders(tmp_path, capsys):
    src = tmp_path / "clips"
    (src / "sub").mkdir(parents=True)
    (src / "sub" / "broken.npy").write_bytes(b"not an array")
    out = tmp_path / "out"
    assert main(["refine", str(src), str(out), "--method", "savgol"]) == 2
    assert "1 failed" in capsys.readouterr().out and not out.exists()
    out.mkdir()  # the user's own folder stays, even empty
    assert main(["refine", str(src), str(out), "--method", "savgol"]) == 2 and out.is_dir()
    assert not (out / "sub").exists()


def test_cli_batch_output_must_be_a_directory(tmp_path, capsys):
    src = corpus(tmp_path)
    (tmp_path / "file").write_text("")
    assert main(["refine", str(src), str(tmp_path / "file"), "--method", "savgol"]) == 2
    assert "must be a directory" in capsys.readouterr().err
    assert main(["refine", str(src), str(src), "--method", "savgol"]) == 2


def test_an_output_folder_inside_the_input_folder_is_never_read_as_inputs(tmp_path, capsys):
    """``synsp refine DIR DIR/refined`` run again (audit 13): its outputs are not refined into
    DIR/refined/refined/..., and the totals count the inputs alone; the same for a recursive glob."""
    src = corpus(tmp_path, n=4)
    (src / "broken.npy").unlink()
    out = src / "refined"
    for run in range(3):
        assert main(["refine", str(src), str(out), "--method", "savgol"]) == 0
        done = 4 if run == 0 else 0
        assert f"refined {done} file(s), skipped {4 - done} already written, 0 failed" in capsys.readouterr().out
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == [
        "clip1.npy", "clip2.npy", "clip3.npy", "sub", "sub/clip0.npy"]
    assert main(["refine", str(src / "**" / "*.npy"), str(out), "--method", "savgol"]) == 0
    assert "refined 0 file(s), skipped 4 already written" in capsys.readouterr().out
    assert len(list(out.rglob("*.npy"))) == 4


def test_dask_local_cluster(tmp_path):
    distributed = pytest.importorskip("distributed")
    spec = importlib.util.spec_from_file_location("dask_refine", ROOT / "examples" / "dask_refine.py")
    dask_refine = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(dask_refine)
    src = corpus(tmp_path)
    cluster = distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    with cluster, distributed.Client(cluster) as client:
        report = dask_refine.refine_on_dask(client, str(src), str(tmp_path / "out"), method="savgol")
    assert len(report.done) == 3 and list(report.failed) == [str(src / "broken.npy")]
    assert len(list((tmp_path / "out").rglob("*.npy"))) == 3


def test_a_pose2sim_pose3d_folder_without_out_writes_each_trc_beside_itself(tmp_path, capsys):
    """Audit 35, finding 6: ``synsp refine pose-3d`` (one TRC per person) writes ``<name>_filt_synsp.trc`` beside each
    TRC as one TRC given alone does; a rerun or a glob skips them and never reads a ``*_filt_*.trc`` as input;
    the inputs stay as they were; a file with no default output fails on its line, as alone."""
    folder = tmp_path / "pose-3d"
    folder.mkdir()
    trc = (ROOT / "tests/fixtures/formats/pose2sim_halpe26.trc").read_bytes()
    for k in range(2):
        (folder / f"trial_person0{k}.trc").write_bytes(trc)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert main(["refine", str(folder), "--method", "butterworth"]) == 0
    assert "refined 2 file(s), skipped 0 already written, 0 failed" in capsys.readouterr().out
    assert sorted(p.name for p in folder.iterdir()) == ["trial_person00.trc", "trial_person00_filt_synsp.trc",
                                                         "trial_person01.trc", "trial_person01_filt_synsp.trc"]
    assert all((folder / name).read_bytes() == data for name, data in before.items())
    for source in (folder, folder / "*.trc"):  # the outputs are no inputs: nothing written twice
        assert main(["refine", str(source), "--method", "butterworth"]) == 0
        assert "refined 0 file(s), skipped 2 already written" in capsys.readouterr().out
    assert len(list(folder.iterdir())) == 4
    np.save(folder / "other.npy", np.zeros((40, 17, 3), np.float32))
    assert main(["refine", str(folder), "--method", "butterworth", "--force"]) == 2
    captured = capsys.readouterr()
    assert "refined 2 file(s), skipped 0 already written, 1 failed" in captured.out
    assert "other.npy: give OUT" in captured.err and not (folder / "other_filt_synsp.trc").exists()
    assert main(["refine", str(folder / "*_filt_*.trc")]) == 2
    assert "give OUTDIR" in capsys.readouterr().err

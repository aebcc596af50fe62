"""Hostile input to the public API and the CLI (QA pass): each case either refines to the
documented shape and dtype or fails with a one-line synsp error naming the problem, never a
bare traceback, a hang or an out-of-memory crash."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.errors import FormatError, OptionError
from synsp.formats import read_poses


def _walk(t: int = 40, j: int = 17, seed: int = 0) -> np.ndarray:
    """A jittery 3D body in mm (T, J, 3): a fixed pose plus a small random walk."""
    rng = np.random.default_rng(seed)
    body = rng.normal(0, 200, (1, j, 3))
    return (body + np.cumsum(rng.normal(0, 3, (t, j, 3)), axis=0)).astype(np.float32)


@pytest.mark.parametrize("fps", [1e-9, 1e-3, 1e7])
@pytest.mark.parametrize("method", ["synsp", "one-euro"])
def test_an_absurd_frame_rate_is_refused_not_resampled(method, fps):
    """fps=1e-9 made the networks resample 40 frames onto a 30 fps grid of 1.3e12 frames
    (MemoryError, 13.8 TiB) and fps=1e9 loop over 33 million phase grids (a hang): no pose
    footage is shot below 0.1 fps or above 100,000 fps."""
    with pytest.raises(OptionError, match="fps"):
        synsp.refine(_walk(), method, fps=fps)


def test_an_absurd_frame_rate_in_a_file_is_refused(tmp_path):
    path = tmp_path / "fast.npz"
    np.savez(path, poses=_walk(), fps=1e9)
    with pytest.raises(FormatError, match="frame rate"):
        read_poses(path)
    assert read_poses(path, fps=30).fps == 30.0  # --fps overrides it, as for 0 or NaN


def test_the_model_refuses_an_absurd_frame_rate_too():
    model = synsp.load_model("synsp-h36m17")
    with pytest.raises(OptionError, match="fps"):
        model.refine(_walk(), fps=1e-9)


def _csv(path):
    """A small 2D COCO-17 CSV (pixels) at ``path``."""
    rng = np.random.default_rng(1)
    x = rng.normal(500, 80, (1, 17, 2)) + rng.normal(0, 2, (30, 17, 2))
    header = ",".join(f"j{j}_{a}" for j in range(17) for a in "xy")
    path.write_text(header + "\n" + "\n".join(",".join(f"{v:.2f}" for v in row.ravel()) for row in x) + "\n")
    return path


def test_an_unwritable_output_folder_is_named_not_the_temporary_file(tmp_path, monkeypatch, capsys):
    """A read-only folder failed with ``.out.csv.synsp-tmp-24276-dmcv2xcb.csv: permission denied``:
    a file the user never named. (As root a read-only folder is writable, so the OS's refusal is
    replayed here.)"""
    import errno
    import tempfile

    from synsp.cli import main

    def refused(prefix="", suffix="", dir=None):
        raise PermissionError(errno.EACCES, "Permission denied", f"{dir}/{prefix}abc{suffix}")

    source, out = _csv(tmp_path / "in.csv"), tmp_path / "ro" / "out.csv"
    monkeypatch.setattr(tempfile, "mkstemp", refused)
    assert main(["refine", str(source), str(out), "--method", "one-euro"]) == 2
    err = capsys.readouterr().err.strip()
    assert err == f"synsp refine: error: {out}: permission denied"
    assert not out.exists()


def test_a_frozen_input_reads_as_such_not_as_nan(tmp_path):
    """A constant clip (a frozen frame, a static marker set) printed ``mean |accel| 0.00 -> 0.00
    px/frame^2 (xnan)``: 0 / 0. It now says the input does not move."""
    source = _csv(tmp_path / "in.csv")
    lines = source.read_text().splitlines()
    source.write_text("\n".join([lines[0]] + [lines[1]] * 30) + "\n")
    summary = str(synsp.refine_file(source, tmp_path / "out.csv", method="one-euro"))
    smoothness = next(line for line in summary.splitlines() if line.startswith("smoothness:"))
    assert "nan" not in smoothness and "does not move" in smoothness


def test_a_stream_from_a_windows_tool_keeps_its_first_frame():
    """A JSON-lines stream written with a UTF-8 byte-order mark (PowerShell's ``Out-File -Encoding
    utf8``, Notepad) and CRLF lost its first frame ("line 1: not valid JSON (Unexpected UTF-8 BOM)";
    with --strict, the whole stream): 19 of 20 frames out. All 20 now."""
    import io
    import json

    from synsp.integrations.stream import PoseStream, run_stream

    rng = np.random.default_rng(0)
    body = rng.normal(500, 80, (17, 2))
    lines = [json.dumps({"t": i, "people": [{"id": 0, "keypoints": (body + rng.normal(0, 2, (17, 2))).tolist()}]})
             for i in range(20)]
    out, err = io.StringIO(), io.StringIO()
    run_stream(PoseStream("one-euro"), io.StringIO("\ufeff" + "\r\n".join(lines) + "\r\n"), out, err, strict=True)
    assert err.getvalue() == "" and [json.loads(line)["t"] for line in out.getvalue().splitlines()] == list(range(20))


@pytest.mark.parametrize("name", ["mmpose_demo.json", "alphapose-results.json", "tiny.bvh"])
def test_a_file_saved_with_a_byte_order_mark_reads_as_without(tmp_path, name):
    """JSON and BVH files saved by Windows tools with a UTF-8 byte-order mark were refused ("not
    valid JSON (Unexpected UTF-8 BOM ...)", "does not start with HIERARCHY"); CSV, TRC, DLC and
    anipose files already read through it."""
    from pathlib import Path

    source = Path(__file__).parent / "fixtures" / "formats" / name
    marked = tmp_path / name
    marked.write_bytes(b"\xef\xbb\xbf" + source.read_bytes())
    plain, read = read_poses(source), read_poses(marked)
    np.testing.assert_array_equal(read.poses, plain.poses)
    assert read.layout == plain.layout


def test_an_all_missing_array_file_says_so_not_to_pass_space(tmp_path):
    """An .npy of NaN everywhere asked for ``--space 2d or --space 3d``; given one, it then said
    nothing was there to refine. It says so at once."""
    from synsp.errors import MissingDataError

    path = tmp_path / "empty.npy"
    np.save(path, np.full((20, 17, 3), np.nan, np.float32))
    with pytest.raises(MissingDataError, match="every joint value is missing"):
        synsp.refine_file(path, tmp_path / "out.npy", method="one-euro")


@pytest.mark.parametrize("method", ["synsp", "one-euro"])
def test_a_single_frame_is_written_as_read_and_said_in_one_line(tmp_path, method):
    """A 1-frame file went through the refiners (which gave it back rounded to float32) and got the
    figures of a refinement, and ``synsp plot IN OUT`` then said before and after were the same
    poses, as for a refiner that changed nothing: a single frame cannot be refined, and says so."""
    source = _csv(tmp_path / "in.csv")
    source.write_text("\n".join(source.read_text().splitlines()[:2]) + "\n")
    np.save(tmp_path / "in.npy", _walk(1))
    for name in ("in.csv", "in.npy"):
        out = tmp_path / f"out_{method}{name[2:]}"
        summary = str(synsp.refine_file(tmp_path / name, out, method=method))
        said = [line for line in summary.splitlines() if "single frame" in line]
        assert len(said) == 1 and "cannot be refined" in said[0], summary
        assert "smoothness:" not in summary and "limbs:" not in summary, summary
        np.testing.assert_array_equal(read_poses(out).poses, read_poses(tmp_path / name).poses)


def test_plot_of_a_single_frame_says_so_not_the_same_poses(tmp_path, capsys):
    from synsp.cli import main

    source = _csv(tmp_path / "in.csv")
    source.write_text("\n".join(source.read_text().splitlines()[:2]) + "\n")
    assert main(["refine", str(source), str(tmp_path / "out.csv"), "--method", "one-euro"]) == 0
    capsys.readouterr()
    assert main(["plot", str(source), str(tmp_path / "out.csv"), str(tmp_path / "p.png")]) == 0
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "single frame" in err and "same poses" not in err, err

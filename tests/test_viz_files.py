"""synsp plot / report / animate (and evaluate) on the files people bring: Sports2D's pixel TRCs, outputs that
would overwrite an input, videos that do not match the poses, no ground truth."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")
pytest.importorskip("PIL.Image")

from synsp.cli import main  # noqa: E402

FIXTURE = Path(__file__).parent / "fixtures" / "formats" / "pose2sim_halpe26.trc"


def sports2d_trc(path: Path, units: str = "m") -> np.ndarray:
    """Write the Pose2Sim fixture's person as Sports2D writes a 2D track: pixels of a 1920x1080
    video under a ``units`` label (X the column, Y minus the row, Z = 0); return the pixels (T, J, 2)."""
    lines = FIXTURE.read_text().splitlines()
    table = np.array([[float(c) if c.strip() else np.nan for c in line.split("\t")]
                      for line in lines[5:] if line.strip()])
    xyz = table[:, 2:].reshape(len(table), -1, 3)
    pixels = np.stack([960 + 500 * xyz[..., 0], 900 - 500 * xyz[..., 1]], axis=-1)  # image rows run down
    head = lines[:5]
    head[2] = head[2].replace("\tm\t", f"\t{units}\t")
    file_xyz = np.concatenate([pixels * [1, -1], np.zeros_like(pixels[..., :1])], axis=-1)
    rows = ["\t".join([f"{table[t, 0]:g}", f"{table[t, 1]:.6f}", *("" if v != v else f"{v:.3f}" for v in row)])
            for t, row in enumerate(file_xyz.reshape(len(table), -1))]
    path.write_text("\n".join(head + rows) + "\n")
    return pixels


def test_a_sports2d_pixel_trc_reads_as_pixels_in_refine_and_the_pictures(tmp_path, capsys):
    """Sports2D labels its pixels m: refine's figures were 1000x too large (px said of mm-scaled
    values) and plot/report/animate took the track as 3D mm with Z as data."""
    from synsp.viz.files import read_channels

    figures = {}
    for units in ("m", "mm", "px"):
        pixels = sports2d_trc(tmp_path / f"s2d_{units}.trc", units)
        assert main(["refine", str(tmp_path / f"s2d_{units}.trc"), str(tmp_path / f"out_{units}.trc"),
                     "--method", "savgol"]) == 0
        out = capsys.readouterr().out
        figures[units] = [line for line in out.splitlines() if line.startswith("smoothness:")]
        assert ("units: the file says m, but" in out) == (units == "m")
        data, unit = read_channels(tmp_path / f"s2d_{units}.trc")
        assert unit == "px" and data.poses.shape[-1] == 2
        columns = data.extra["trc"]["columns"]  # each marker's joint in the layout's order
        np.testing.assert_allclose(data.poses[0][:, columns], pixels, atol=1e-3)  # the image's pixels, y down
    assert figures["m"] == figures["mm"] == figures["px"] and "px/frame^2" in figures["m"][0]
    assert main(["report", str(tmp_path / "s2d_m.trc"), str(tmp_path / "out_m.trc"), str(tmp_path / "r.html")]) == 0
    assert "2D in px" in (tmp_path / "r.html").read_text()
    assert main(["plot", str(tmp_path / "s2d_m.trc"), str(tmp_path / "out_m.trc"), str(tmp_path / "p.png")]) == 0


def test_a_flat_track_in_metres_stays_metric(tmp_path):
    """Sports2D's --to_meters output is metres under the same label: a person's size in m, read in mm."""
    from synsp.viz.files import read_channels

    lines = FIXTURE.read_text().splitlines()
    rows = [line.split("\t") for line in lines[5:]]
    for row in rows:
        row[4::3] = ["0" if cell.strip() else cell for cell in row[4::3]]  # Z = 0: a 2D track in metres
    (tmp_path / "m.trc").write_text("\n".join(lines[:5] + ["\t".join(row) for row in rows]) + "\n")
    data, unit = read_channels(tmp_path / "m.trc")
    assert unit == "mm" and data.poses.shape[-1] == 2 and 1000 < np.nanmax(-data.poses[..., 1]) < 2000


@pytest.mark.parametrize("command", ["plot", "report", "animate"])
def test_an_output_that_is_an_input_is_refused(tmp_path, capsys, command):
    """``synsp plot a.trc b.trc b.trc --force`` replaced the refined file with a PNG."""
    sports2d_trc(tmp_path / "a.trc")
    assert main(["refine", str(tmp_path / "a.trc"), str(tmp_path / "b.trc"), "--method", "savgol"]) == 0
    kept = {name: (tmp_path / name).read_bytes() for name in ("a.trc", "b.trc")}
    capsys.readouterr()
    for target in ("a.trc", "b.trc"):
        for force in ([], ["--force"]):
            args = [command, str(tmp_path / "a.trc"), str(tmp_path / "b.trc"), str(tmp_path / target), *force]
            assert main(args) == 2
            err = capsys.readouterr().err
            assert len(err.strip().splitlines()) == 1 and "would replace it" in err
    assert kept == {name: (tmp_path / name).read_bytes() for name in ("a.trc", "b.trc")}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.trc", "b.trc"]


def _video(path: Path, frames: int, size=(160, 120), rate: int = 30) -> None:
    av = pytest.importorskip("av")
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("mpeg4", rate=rate)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for i in range(frames):
            frame = av.VideoFrame.from_ndarray(np.full((size[1], size[0], 3), 40 + 5 * i, np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def _walk_npz(path: Path, frames: int, fps: float, scale: float = 0.25) -> np.ndarray:
    from walking import walking

    poses = walking(frames)[1] * scale  # 240 px tall at scale 1: 60 px in a 160x120 video
    np.savez(path, poses=poses, fps=fps, layout="coco17")
    return poses


def test_the_overlay_says_when_the_video_and_the_poses_disagree(tmp_path, capsys):
    """A video of another take (other length, rate or size) drew skeletons off the person, silently."""
    _video(tmp_path / "clip.mp4", 12)
    _walk_npz(tmp_path / "same.npz", 12, 30.0)
    _walk_npz(tmp_path / "other.npz", 20, 25.0, scale=1.0)  # 20 frames at 25 fps, up to 470 px wide
    for name, frames, said in (("same", 12, None), ("other", 20, ("12 frames, the poses 20", "30 fps, the pose file "
                                                                  "says 25", "beyond the video's 160x120"))):
        src = str(tmp_path / f"{name}.npz")
        np.savez(tmp_path / "after.npz", **{**np.load(src), "poses": np.load(src)["poses"] + 1.0})  # not the same
        out = tmp_path / f"{name}.png"
        assert main(["animate", src, str(tmp_path / "after.npz"), str(out), "--video", str(tmp_path / "clip.mp4"),
                     "--frames", "1", "5"]) == 0
        err = capsys.readouterr().err
        assert out.is_file()
        if said is None:
            assert "warning" not in err
        else:
            assert len(err.strip().splitlines()) == 1 and all(part in err for part in said), err


def _report_data(html: str) -> dict:
    import json
    import re

    return json.loads(re.search(r'<script id="data" type="application/json">(.*?)</script>', html, re.S).group(1))


def test_a_report_without_truth_shows_smoothness_and_opens_on_the_person(tmp_path):
    """Without ground truth the report had no table at all, and its player opened on frame 1 even
    when the person appears only later (a blank view)."""
    from synsp.viz import write_report
    from walking import mean_accel, walking

    clean, noisy = walking(60)
    noisy[:12] = clean[:12] = np.nan  # the person walks in at frame 13
    page = write_report(tmp_path / "r.html", before=noisy, after=clean, layout="coco17").read_text()
    assert "Smoothness (no ground truth)" in page and "mean |accel| (px/frame²)" in page
    assert f"<td>{mean_accel(noisy[12:]):.2f}</td>" in page and f"<td>{mean_accel(clean[12:]):.2f}</td>" in page
    assert _report_data(page)["start"] == 12 and "setFrame(D.start || 0)" in page


@pytest.mark.parametrize("command", ["plot", "report", "animate"])
def test_identical_before_and_after_get_a_hint(tmp_path, capsys, command):
    """The same file given twice drew two identical skeletons with no word of why."""
    sports2d_trc(tmp_path / "a.trc")
    (tmp_path / "copy.trc").write_bytes((tmp_path / "a.trc").read_bytes())
    assert main(["refine", str(tmp_path / "a.trc"), str(tmp_path / "b.trc"), "--method", "savgol"]) == 0
    out = ".gif" if command == "animate" else ".html" if command == "report" else ".png"
    for after, said in (("a.trc", "the same file given twice"), ("copy.trc", "the same poses"), ("b.trc", None)):
        capsys.readouterr()
        assert main([command, str(tmp_path / "a.trc"), str(tmp_path / after), str(tmp_path / f"x{out}"), "--force",
                     *(["--max-frames", "5"] if command == "animate" else [])]) == 0
        err = capsys.readouterr().err
        assert (said in err and len(err.strip().splitlines()) == 1) if said else not err.strip(), err


@pytest.mark.parametrize("command", ["plot", "report"])
def test_a_file_of_several_people_says_which_one_is_drawn(tmp_path, capsys, command):
    """A file of two people drew the first with no word of the second (audit 17, finding 1)."""
    from walking import walking

    two = np.stack([walking(40, seed=0)[1], walking(40, seed=1)[1] + 400.0])
    np.save(tmp_path / "two.npy", two)
    assert main(["refine", str(tmp_path / "two.npy"), str(tmp_path / "out.npy"), "--layout", "coco17",
                 "--method", "savgol"]) == 0
    out = ".html" if command == "report" else ".png"
    for track in ("0", "1"):
        capsys.readouterr()
        assert main([command, str(tmp_path / "two.npy"), str(tmp_path / "out.npy"), str(tmp_path / f"x{out}"),
                     "--force", "--track", track, "--layout", "coco17"]) == 0
        err = capsys.readouterr().err.strip().splitlines()
        assert err == [f"synsp {command}: warning: two.npy holds 2 tracks (people); drawn: track {track} "
                       "(--track 0 to 1 draws another)"], err


def test_overlays_say_which_skeleton_is_which_and_the_frame():
    """Overlay frames and stills had red and green skeletons with no legend and no frame number."""
    from synsp.viz import overlay_frame

    pose = np.stack([np.linspace(120, 180, 17), np.linspace(120, 180, 17)], axis=1)
    image = np.zeros((300, 400, 3), np.uint8)
    plain = overlay_frame(image, pose, pose + 5, "coco17")
    told = overlay_frame(image, pose, pose + 5, "coco17", frame=4, total=10)
    strip = told[:15, :150]
    assert (plain[:15, :150] == 0).all() and (strip == 255).all(axis=-1).mean() > 0.5  # a white strip, text on it
    red = (strip[..., 0].astype(int) - strip[..., 1:].max(axis=-1)) > 60
    green = (strip[..., 1].astype(int) - strip[..., [0, 2]].max(axis=-1)) > 60
    assert red.sum() > 10 and green.sum() > 10


def test_evaluate_scores_a_sports2d_trc_in_its_pixels(tmp_path):
    """synsp evaluate on Sports2D TRCs (pixels labelled m) gave MPJPE 3777 px for 3 px of jitter."""
    from synsp.evaluation.files import evaluate_files

    sports2d_trc(tmp_path / "clean.trc")
    lines = (tmp_path / "clean.trc").read_text().splitlines()
    rng = np.random.default_rng(0)
    noisy = [line.split("\t") for line in lines[5:]]
    for row in noisy:
        row[2:] = ["" if not c.strip() else f"{float(c) + (rng.normal(0, 3) if k % 3 != 2 else 0):.3f}"
                   for k, c in enumerate(row[2:])]
    (tmp_path / "noisy.trc").write_text("\n".join(lines[:5] + ["\t".join(row) for row in noisy]) + "\n")
    table = evaluate_files(tmp_path / "noisy.trc", tmp_path / "clean.trc", methods=["savgol"])
    mpjpe = float(next(line for line in table.splitlines() if line.startswith("| input")).split("|")[2])
    assert "px)" in table and 3 < mpjpe < 5  # 3 px per axis: 3.8 px on average


@pytest.mark.parametrize("command, name", [("plot", "plot9.xyz"), ("plot", "plot.gif"), ("animate", "a.xyz"),
                                           ("animate", "noext"), ("report", "r.png")])
def test_an_output_of_another_kind_is_refused_before_the_work(tmp_path, capsys, monkeypatch, command, name):
    """Audit: synsp plot ... out/plot9.xyz wrote a PNG named .xyz."""
    import synsp.viz.files

    _walk_npz(tmp_path / "a.npz", 12, 30.0)
    monkeypatch.setattr(synsp.viz.files, "_read_pair", lambda *a, **k: pytest.fail("read before the check"))
    assert main([command, str(tmp_path / "a.npz"), str(tmp_path / "a.npz"), str(tmp_path / name)]) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and f"{name}: synsp {command} writes ." in err, err
    assert not (tmp_path / name).exists()


@pytest.mark.parametrize("command, out", [("plot", "p.png"), ("animate", "a.gif"), ("report", "r.html")])
@pytest.mark.parametrize("missing", ["nan", "zeros"])
def test_a_file_with_no_joint_value_is_refused_not_drawn_empty(tmp_path, capsys, command, out, missing):
    """Audit: plot, animate and report of an all-NaN file drew empty axes, where refine refuses it."""
    poses = _walk_npz(tmp_path / "a.npz", 12, 30.0)
    np.savez(tmp_path / "empty.npz", poses=np.full_like(poses, np.nan if missing == "nan" else 0.0), fps=30.0,
             layout="coco17")
    for before, after in (("empty", "a"), ("a", "empty")):
        assert main([command, str(tmp_path / f"{before}.npz"), str(tmp_path / f"{after}.npz"),
                     str(tmp_path / out)]) == 2
        err = capsys.readouterr().err.strip()
        assert len(err.splitlines()) == 1 and "empty.npz: every joint value of track 0 is missing" in err, err
        assert not (tmp_path / out).exists()


@pytest.mark.parametrize("out", ["a.mp4", "a.png"])
def test_a_video_pyav_cannot_read_is_one_line_naming_it(tmp_path, capsys, out):
    """Audit: animate --video of a non-video printed PyAV's raw "[Errno 1094995529] Invalid data ..."."""
    pytest.importorskip("av")
    _walk_npz(tmp_path / "a.npz", 12, 30.0)
    np.savez(tmp_path / "b.npz", poses=np.load(tmp_path / "a.npz")["poses"] + 1, fps=30.0, layout="coco17")
    (tmp_path / "clip.mp4").write_bytes(b"not a video at all" * 50)
    assert main(["animate", str(tmp_path / "a.npz"), str(tmp_path / "b.npz"), str(tmp_path / out),
                 "--video", str(tmp_path / "clip.mp4")]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(f"synsp animate: error: {tmp_path / 'clip.mp4'} is not a video PyAV can read"), err
    assert len(err.splitlines()) == 1 and "Errno" not in err and not (tmp_path / out).exists()

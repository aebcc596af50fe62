"""synsp.viz: trajectory plots, GIF/MP4 animations, video overlays and the self-contained HTML report."""
from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("matplotlib")
Image = pytest.importorskip("PIL.Image")

from synsp import metrics  # noqa: E402
from synsp.paths import data_root  # noqa: E402
from synsp.skeleton import get_layout, root_position  # noqa: E402
from synsp.viz import (  # noqa: E402
    animate,
    contact_sheet,
    overlay_frame,
    overlay_on_video,
    plot_trajectories,
    project,
    render_frames,
    write_report,
)


def _sequences(T: int, layout: str, dims: int, seed: int = 0):
    """(noisy, smooth) sequences: a swaying random pose, in mm (3D) or pixels inside 640x480 (2D)."""
    rng = np.random.default_rng(seed)
    J = len(get_layout(layout).joints)
    base = rng.normal(0, 200 if dims == 3 else 60, (J, dims))
    t = np.arange(T)[:, None, None]
    smooth = base + (100 if dims == 3 else 30) * np.sin(2 * np.pi * t / 30 + np.arange(J)[None, :, None])
    if dims == 2:
        smooth = smooth + np.array([320.0, 240.0])
    noisy = smooth + rng.normal(0, 10 if dims == 3 else 4, smooth.shape)
    return noisy, smooth


def _video(path, frames: int, size=(160, 120)) -> None:
    av = pytest.importorskip("av")
    with av.open(str(path), mode="w") as container:
        stream = container.add_stream("mpeg4", rate=30)
        stream.width, stream.height, stream.pix_fmt = size[0], size[1], "yuv420p"
        for i in range(frames):
            img = np.full((size[1], size[0], 3), 40 + 5 * i, np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(img, format="rgb24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


@pytest.mark.parametrize("dims", [2, 3])
def test_plot_trajectories_returns_figure_and_writes_png(tmp_path, dims):
    noisy, smooth = _sequences(40, "h36m17", dims)
    fig = plot_trajectories(noisy, smooth, layout="h36m17", ground_truth=smooth, path=tmp_path / "t.png")
    # Default rows are the wrists and ankles; columns are the axes plus acceleration.
    assert len(fig.axes) == 4 * (dims + 1)
    labels = [ax.get_ylabel() for ax in fig.axes]
    assert any("wrist" in s for s in labels) and any("ankle" in s for s in labels)
    assert all(("mm" if dims == 3 else "px") in s for s in labels)
    assert fig.axes[-1].get_xlabel() == "time (s)"
    assert len(fig.axes[0].lines) == 3  # ground truth, before, after
    with Image.open(tmp_path / "t.png") as img:
        assert img.format == "PNG" and img.size[0] > 400


def test_plot_trajectories_joint_choice_and_errors():
    noisy, smooth = _sequences(20, "coco17", 2)
    fig = plot_trajectories(noisy, smooth, layout="coco17", joints=["nose", 9])
    assert len(fig.axes) == 2 * 3
    assert fig.axes[0].get_ylabel().startswith("nose") and fig.axes[3].get_ylabel().startswith("left_wrist")
    with pytest.raises(ValueError, match="joints"):
        plot_trajectories(noisy, smooth, layout="coco17", joints=["elbow_of_nobody"])
    with pytest.raises(ValueError, match=r"after .*\(20, 16, 2\)"):
        plot_trajectories(noisy, smooth[:, :16], layout="coco17")
    with pytest.raises(ValueError, match=r"\(20, 17\)"):
        plot_trajectories(noisy[..., 0], smooth, layout="coco17")


@pytest.mark.parametrize("dims", [2, 3])
def test_animate_gif_has_one_frame_per_pose(tmp_path, dims):
    noisy, smooth = _sequences(12, "h36m17", dims)
    out = animate(noisy, smooth, layout="h36m17", path=tmp_path / "a.gif", ground_truth=smooth, panel=160)
    with Image.open(out) as gif:
        assert gif.n_frames == 12
        assert gif.size[0] == 320
        gif.seek(5)
        frame = np.asarray(gif.convert("RGB")).astype(int)
    red = (frame[..., 0] - frame[..., 1:].max(axis=-1)) > 60
    green = (frame[..., 1] - frame[..., [0, 2]].max(axis=-1)) > 60
    # before is drawn in red on the left panel, after in green on the right one
    assert red[:, :160].sum() > 30 and red[:, 160:].sum() < red[:, :160].sum() / 5
    assert green[:, 160:].sum() > 30


def test_animate_max_frames_background_and_follow(tmp_path):
    noisy, smooth = _sequences(10, "coco17", 2)
    video = np.zeros((10, 480, 640, 3), np.uint8)
    video[:, :, :, 2] = 200
    frames = render_frames(noisy, smooth, layout="coco17", background_frames=video, panel=128)
    assert len(frames) == 10 and frames[0].size == (256, 96 + 24)
    assert np.asarray(frames[0])[60, 5, 2] == 200  # the blue background is under the skeleton
    out = animate(noisy, smooth, layout="coco17", path=tmp_path / "a.gif", max_frames=4, follow=True)
    with Image.open(out) as gif:
        assert gif.n_frames == 4
    with pytest.raises(ValueError, match=r"background_frames need 2D"):
        render_frames(*_sequences(10, "coco17", 3), layout="coco17", background_frames=video)
    with pytest.raises(ValueError, match=r"\.gif or \.mp4"):
        animate(noisy, smooth, layout="coco17", path=tmp_path / "a.avi")


def test_animate_mp4(tmp_path):
    av = pytest.importorskip("av")
    noisy, smooth = _sequences(15, "h36m17", 3)
    out = animate(noisy, smooth, layout="h36m17", path=tmp_path / "a.mp4", fps=25.0, panel=120)
    with av.open(str(out)) as container:
        frames = list(container.decode(video=0))
    assert len(frames) == 15 and frames[0].width == 240


def test_project_is_orthographic():
    seq = np.array([[[1.0, 2.0, 3.0], [-4.0, 5.0, 6.0]]])
    np.testing.assert_allclose(project(seq, azimuth=0, elevation=0), [[[1, -2], [-4, -5]]])
    # a quarter turn brings depth (z) across the screen; x goes into depth
    np.testing.assert_allclose(project(seq, azimuth=90, elevation=0), [[[3, -2], [6, -5]]], atol=1e-12)


def test_overlay_frame_draws_before_red_after_green():
    layout = get_layout("coco17")
    pose = np.stack([np.linspace(20, 80, 17), np.linspace(20, 80, 17)], axis=1)
    image = np.zeros((100, 200, 3), np.uint8)
    out = overlay_frame(image, pose, pose + [100, 0], layout, before_path=np.stack([pose, pose + 1]))
    assert isinstance(out, np.ndarray) and out.shape == image.shape and image.max() == 0
    red = (out[..., 0].astype(int) - out[..., 1:].max(axis=-1)) > 60
    green = (out[..., 1].astype(int) - out[..., [0, 2]].max(axis=-1)) > 60
    assert red[:, :100].sum() > 50 and red[:, 100:].sum() == 0
    assert green[:, 100:].sum() > 50 and green[:, :100].sum() == 0
    with pytest.raises(ValueError, match="before_frame"):
        overlay_frame(image, pose[:5], pose, layout)


def test_overlay_on_video_and_contact_sheet(tmp_path):
    _video(tmp_path / "in.mp4", 8)
    noisy, smooth = _sequences(12, "coco17", 2)
    noisy, smooth = noisy / 4, smooth / 4  # poses inside the 160x120 video
    out = overlay_on_video(tmp_path / "in.mp4", noisy, smooth, layout="coco17", path=tmp_path / "o.gif")
    with Image.open(out) as gif:
        assert gif.n_frames == 8 and gif.size == (160, 120)  # stops at the end of the video
    out = overlay_on_video(tmp_path / "in.mp4", noisy, smooth, layout="coco17", path=tmp_path / "o.gif", max_frames=3)
    with Image.open(out) as gif:
        assert gif.n_frames == 3
    sheet = contact_sheet(tmp_path / "in.mp4", noisy, smooth, layout="coco17", path=tmp_path / "s.png",
                          frames=[1, 3, 5, 7], tile_width=100)
    with Image.open(sheet) as img:
        assert img.size == (200, 150)


def _report_data(html: str) -> dict:
    blob = re.search(r'<script id="data" type="application/json">(.*?)</script>', html, re.S).group(1)
    return json.loads(blob)


@pytest.mark.parametrize("dims", [2, 3])
def test_report_is_self_contained_with_metrics(tmp_path, dims):
    noisy, smooth = _sequences(60, "h36m17", dims)
    truth = smooth + np.linspace(0, 5, smooth.shape[1])[:, None]  # an offset that differs per joint
    noisy[7, 3] = np.nan  # a missed joint must survive as null, not break the JSON
    page = write_report(tmp_path / "r.html", before=noisy, after=smooth, layout="h36m17", ground_truth=truth,
                        title="A <b>test</b>", metrics_table={"one-euro": {"MPJPE": 1.5}})
    html = page.read_text(encoding="utf-8")
    assert not re.search(r"https?://", html)
    assert not re.search(r"<script[^>]+src=", html) and not re.search(r"<link[^>]+href=\"(?!data:)", html)
    assert "A &lt;b&gt;test&lt;/b&gt;" in html and "<canvas" in html and 'id="play"' in html
    assert "data:image/png;base64," in html
    unit = "mm" if dims == 3 else "px"
    assert f"MPJPE ({unit})" in html and f"Accel ({unit}/frame²)" in html and "one-euro" in html
    # 3D is compared root-relative, as in the evaluation tables; 2D where it is in the image
    relative = (lambda s: s - root_position(s, "h36m17")) if dims == 3 else (lambda s: s)
    assert ("MPJPE (root-relative)" in html) == (dims == 3)
    assert f"{metrics.mpjpe(relative(smooth), relative(truth)):.2f}" in html
    assert f"{metrics.pa_mpjpe(noisy, truth):.2f}" in html
    assert f"{metrics.accel_error(relative(noisy), relative(truth)):.2f}" in html
    data = _report_data(html)
    assert data["dim"] == dims and data["frames"] == 60 and len(data["seqs"]["after"]) == 60 * 17 * dims
    assert data["seqs"]["before"][(7 * 17 + 3) * dims] is None
    values = [v for v in data["seqs"]["before"] if v is not None]
    assert all(round(v, 1) == v for v in values)  # coordinates rounded to 0.1 mm / px


def test_report_subsamples_long_sequences(tmp_path):
    noisy, smooth = _sequences(4000, "coco17", 2)
    page = write_report(tmp_path / "r.html", before=noisy, after=smooth, layout="coco17")
    html = page.read_text(encoding="utf-8")
    data = _report_data(html)
    assert data["step"] == 3 and data["frames"] == 1334 and data["total"] == 4000
    assert "Error against ground truth" not in html
    assert len(html) < 1_500_000


def test_import_synsp_viz_is_light():
    code = "import synsp.viz, sys; print(any(m in sys.modules for m in ('matplotlib', 'PIL', 'av')))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_overlay_on_real_estimator_output(tmp_path):
    try:
        folder = data_root() / "mediapipe-sports2d"
    except FileNotFoundError:
        pytest.skip("shared data not found (../shared/data)")
    pytest.importorskip("av")
    kp = np.load(folder / "demo_mediapipe.npz")["kp2d"][:6, :, :2]
    smooth = kp.copy()
    smooth[1:-1] = (kp[:-2] + kp[1:-1] + kp[2:]) / 3
    out = overlay_on_video(folder / "demo.mp4", kp, smooth, layout="mediapipe33", path=tmp_path / "o.gif",
                           width=320)
    with Image.open(out) as gif:
        assert gif.n_frames == 6 and gif.size == (320, 180)


def test_animate_command_writes_a_png_still_over_a_video(tmp_path, capsys):
    from synsp.cli import main

    _video(tmp_path / "in.mp4", 8)
    noisy, smooth = _sequences(12, "coco17", 2)
    np.savez(tmp_path / "before.npz", poses=noisy / 4)
    np.savez(tmp_path / "after.npz", poses=smooth / 4)
    files = [str(tmp_path / n) for n in ("before.npz", "after.npz", "still.png")]
    assert main(["animate", *files, "--layout", "coco17", "--video", str(tmp_path / "in.mp4"),
                 "--frames", "2", "6"]) == 0
    with Image.open(tmp_path / "still.png") as img:
        assert img.size == (2 * 480, 360)  # two tiles side by side, each a 160x120 frame drawn 480 wide
    assert main(["animate", files[0], files[1], str(tmp_path / "nope.png"), "--layout", "coco17"]) == 2
    assert "needs --video" in capsys.readouterr().err and not (tmp_path / "nope.png").exists()


def test_plot_report_animate_find_the_layout_as_refine_does(tmp_path, capsys):
    """Files synsp refine reads without --layout are drawn without it too: persons (V, T, 17, 2) told
    COCO's by their count and bones, SMPL parameters as SMPL's joints, and an animal's own body parts
    (no layout) plotted by their names; a Z-up file's plot marks z as up, not y."""
    from synsp.cli import main
    from walking import walking

    _, noisy = walking(40)
    np.savez(tmp_path / "two.npz", poses=np.stack([noisy, noisy + [300.0, 0.0]]), fps=30.0)
    t = np.arange(40)[:, None] / 30
    np.savez(tmp_path / "smpl.npz", poses=0.1 * np.sin(t + np.arange(72)), trans=np.zeros((40, 3)),
             betas=np.zeros(10))
    parts = ["snout", "leftear", "rightear", "tailbase"]
    mouse = 300 + np.cumsum(np.random.default_rng(0).normal(0, 2, (40, 4, 2)), axis=0) + np.arange(4)[:, None] * 20
    (tmp_path / "dlc.csv").write_text(",".join(f"{p}_{c}" for p in parts for c in "xy") + "\n" + "\n".join(
        ",".join(f"{v:.3f}" for v in row) for row in mouse.reshape(40, -1)) + "\n")
    for name, joints in (("two.npz", []), ("smpl.npz", []), ("dlc.csv", ["--joints", "snout", "tailbase"])):
        src = str(tmp_path / name)
        for command, out in (("plot", "p.png"), ("report", "r.html"), ("animate", "a.gif")):
            options = joints if command == "plot" else []
            assert main([command, src, src, str(tmp_path / out), "--force", *options]) == 0, (name, command)
    assert "error" not in capsys.readouterr().err
    walk3d = np.concatenate([noisy, np.zeros((40, 17, 1))], axis=-1) * [1.0, -1.0, 1.0]  # y up, pixels as mm
    zup = walk3d[..., [0, 2, 1]]
    fig = plot_trajectories(zup, zup, layout="coco17", joints=["left_wrist"])
    labels = [ax.get_ylabel() for ax in fig.axes[:3]]
    assert labels == ["left_wrist x (mm)", "left_wrist y (mm)", "left_wrist z (up) (mm)"]


def test_plot_takes_a_files_own_marker_names_and_the_layouts(tmp_path, capsys):
    """A Pose2Sim TRC read as halpe26: ``--joints RAnkle LWrist`` (its markers) plot as
    ``right_ankle left_wrist`` do; a name neither has is one line naming both."""
    from synsp.cli import main

    src = str(Path(__file__).parent / "fixtures" / "formats" / "pose2sim_halpe26.trc")
    for joints in (["RAnkle", "LWrist"], ["right_ankle", "left_wrist"]):
        assert main(["plot", src, src, str(tmp_path / "p.png"), "--force", "--joints", *joints]) == 0
    assert "error" not in capsys.readouterr().err
    from synsp.viz.files import _read_pair, file_joint_names, joint_choice

    pair = _read_pair(src, src)
    first, layout = pair.first, pair.layout
    own = file_joint_names(first)
    assert joint_choice(["RAnkle", "Hip", 3], layout, own) == [own["RAnkle"], own["Hip"], 3]
    assert main(["plot", src, src, str(tmp_path / "q.png"), "--force", "--joints", "Tail"]) == 2
    assert "unknown joint name 'Tail'" in capsys.readouterr().err


def test_plot_marks_the_up_axis_of_the_mocaps_own_skeleton():
    """A BVH of the mocap's tree (bandai22: ``UpperLeg_L``, ``UpperArm_L``, ..., no ``left_hip``)
    had its up axis unmarked ('Hand_L y (mm)'): the trunk is found through the conversion to H36M's
    joints, so Y, the way its trunk points, reads '(up)' as the README's BVH picture shows."""
    from synsp.skeleton import get_layout

    lay = get_layout("bandai22")
    rng = np.random.default_rng(0)
    x = rng.normal(0, 20, (30, len(lay.joints), 3))
    for name, height in (("UpperLeg_L", 900), ("UpperLeg_R", 900), ("UpperArm_L", 1400),
                         ("UpperArm_R", 1400), ("Shoulder_L", 1380), ("Shoulder_R", 1380), ("Head", 1600)):
        x[:, lay.index(name), 1] += height
    x[:, lay.index("UpperLeg_L"), 0] += 100
    x[:, lay.index("UpperArm_L"), 0] += 180
    x[:, lay.index("UpperLeg_R"), 0] -= 100
    x[:, lay.index("UpperArm_R"), 0] -= 180
    fig = plot_trajectories(x, x, layout="bandai22", joints=["Hand_L"])
    labels = [ax.get_ylabel() for ax in fig.axes[:3]]
    assert labels == ["Hand_L x (mm)", "Hand_L y (up) (mm)", "Hand_L z (mm)"]

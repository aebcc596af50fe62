"""Normalised image coordinates (x / width, y / height) refined in pixels: ``image_size=`` in
``synsp.refine``, ``--image-size`` in ``synsp refine`` and ``synsp stream``."""
from __future__ import annotations

import io
import json

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.cli import main
from synsp.errors import OptionError, ShapeError
from synsp.integrations.stream import PoseStream, run_stream
from synsp.refining.image_size import from_pixels, image_sides, to_pixels
from walking import mpjpe, walking

PORTRAIT = (720.0, 1280.0)  # a phone held upright


@pytest.mark.parametrize("size", [(0, 1280), (720,), (720, 1280, 3), ("a", "b"), (np.nan, 1), (-720, 1280), None])
def test_an_image_size_is_two_positive_numbers(size):
    with pytest.raises(OptionError, match="width and height"):
        image_sides(size)


def test_pixels_and_back_keep_every_digit_of_values_not_moved():
    x = np.random.default_rng(0).uniform(0, 1, (50, 17, 3))
    sides = image_sides(PORTRAIT)
    back = from_pixels(to_pixels(x, sides), sides, x)
    np.testing.assert_array_equal(back, x)  # the third channel (a score) is never scaled
    np.testing.assert_array_equal(synsp.refine(x[..., :2].astype(np.float32), "identity", image_size=PORTRAIT),
                                  x[..., :2].astype(np.float32))


@needs_data
def test_a_portrait_videos_normalised_jitter_is_refined_as_its_pixels():
    """Without the image's sides, SynSP sees a body 1.8 x too wide and makes jitter worse than the
    input (1.57 x on this clip), so it refuses them (audit: (T, J, 2) was refined so silently, where
    (T, J, 3) asked for image_size=); with them it refines as on the pixels (0.68 x)."""
    from synsp.evaluation.protocol import make_cases

    case = make_cases("val", "jitter", layout="coco17", space="2d", max_clips=1)[0]
    sides = np.array([1080, 1920], np.float32)
    before = mpjpe(case.noisy, case.clean)
    given = synsp.refine(case.noisy / sides, image_size=(1080, 1920)) * sides
    for extra in ([], [np.full(case.noisy.shape[:-1], 0.9, np.float32)]):  # x, y alone, and beside a fixed score
        with pytest.raises(ShapeError, match=r"x, y read as normalised image coordinates \(0 to 1\): pass "
                                             r"image_size=\(width, height\)"):
            synsp.refine(np.dstack([case.noisy / sides, *extra]))
    assert synsp.refine(case.noisy / sides, "savgol").shape == case.noisy.shape  # a filter needs no body
    assert mpjpe(given, case.clean) < 0.75 * before
    assert np.abs(given - synsp.refine(case.noisy)).max() < 1.0  # px: the pixels' refinement, up to rounding


def test_a_third_channel_is_a_score_or_mediapipes_z_never_a_coordinate():
    clean, noisy = walking()
    sides = np.array(PORTRAIT)
    z = np.random.default_rng(1).uniform(-0.3, 0.1, noisy.shape[:2])
    out = synsp.refine(np.dstack([noisy / sides, z]), "savgol", image_size=PORTRAIT)
    np.testing.assert_array_equal(out[..., 2], z)
    np.testing.assert_allclose(out[..., :2] * sides, synsp.refine(noisy, "savgol"), atol=1e-6)
    scored = synsp.refine(np.dstack([noisy / sides, np.full(noisy.shape[:2], 0.9)]), "savgol", image_size=PORTRAIT)
    np.testing.assert_allclose(scored[..., :2] * sides, synsp.refine(noisy, "savgol"), atol=1e-6)
    with pytest.raises(ShapeError, match="image_size is for 2D"):
        synsp.refine(np.dstack([noisy / sides, z, z]), image_size=PORTRAIT)


def _mediapipe_json(path, poses: np.ndarray) -> None:
    frames = [[{"x": float(x), "y": float(y), "z": 0.0, "visibility": 0.9} for x, y in frame] for frame in poses]
    path.write_text(json.dumps({"fps": 30, "frames": frames}))


def test_synsp_refine_image_size_refines_a_mediapipe_file_in_pixels(tmp_path, capsys):
    """MediaPipe's JSON image landmarks (x, y normalised, z, visibility), 33 of them."""
    from synsp.formats import read_poses

    rng = np.random.default_rng(0)
    clean = np.repeat(rng.uniform(0.3, 0.7, (1, 33, 2)), 60, axis=0) + np.linspace(0, 0.2, 60)[:, None, None]
    noisy = clean + rng.normal(0, 0.004, clean.shape)
    src, dst = tmp_path / "pose.json", tmp_path / "out.json"
    _mediapipe_json(src, noisy)
    assert main(["refine", str(src), str(dst), "--method", "savgol", "--image-size", "720", "1280"]) == 0
    said = capsys.readouterr().out
    assert "refined in pixels of the 720 x 1280 image given" in said and "px/frame^2" in said
    out = read_poses(dst).poses[0]
    sides = np.array(PORTRAIT)
    np.testing.assert_allclose(out * sides, synsp.refine(noisy * sides, "savgol", fps=30), atol=1e-3)
    np.testing.assert_array_equal([p["z"] for p in json.loads(dst.read_text())["frames"][0]], 0.0)


def test_image_size_refuses_3d_poses_and_rotations_in_one_line_writing_nothing(tmp_path, capsys):
    src = tmp_path / "pose3d.npy"
    np.save(src, np.random.default_rng(0).uniform(0, 1, (40, 17, 3)).astype(np.float32))  # within 0 to 1, as x, y
    assert main(["refine", str(src), str(tmp_path / "out.npy"), "--space", "3d", "--image-size", "720", "1280"]) == 2
    err = capsys.readouterr().err
    assert "--image-size is for 2D x, y" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out.npy").exists()
    assert main(["refine", str(src), str(tmp_path / "out.npy"), "--image-size", "0", "1280"]) == 2
    assert "width and height" in capsys.readouterr().err
    _, noisy = walking()
    np.save(tmp_path / "pixels.npy", noisy.astype(np.float32))  # pixels given an image size: stretched, refused
    assert main(["refine", str(tmp_path / "pixels.npy"), str(tmp_path / "out.npy"), "--image-size", "720", "1280"]) == 2
    err = capsys.readouterr().err
    assert "pixels.npy: an image size is for x, y normalised" in err and "pixels already?" in err
    assert not (tmp_path / "out.npy").exists()
    with pytest.raises(OptionError, match="poses: an image size is for x, y normalised"):
        synsp.refine(noisy, image_size=PORTRAIT)
    lines = "".join(json.dumps(frame.tolist()) + "\n" for frame in noisy[:3])
    err = io.StringIO()
    with pytest.raises(ValueError, match="none of the 3 lines"):
        run_stream(PoseStream("one-euro", image_size=PORTRAIT), io.StringIO(lines), io.StringIO(), err)
    assert "line 1: person 0: an image size is for x, y normalised" in err.getvalue()


def test_synsp_stream_image_size_gives_normalised_keypoints_back(tmp_path):
    clean, noisy = walking(60)
    sides = np.array(PORTRAIT)
    lines = "".join(json.dumps([p.tolist() for p in frame]) + "\n" for frame in noisy / sides)
    out, err = io.StringIO(), io.StringIO()
    run_stream(PoseStream("one-euro", image_size=PORTRAIT), io.StringIO(lines), out, err)
    streamed = np.array([json.loads(line)["people"][0]["keypoints"] for line in out.getvalue().splitlines()])
    in_pixels = io.StringIO()
    run_stream(PoseStream("one-euro"), io.StringIO("".join(json.dumps(f.tolist()) + "\n" for f in noisy)), in_pixels,
               err)
    expected = np.array([json.loads(line)["people"][0]["keypoints"] for line in in_pixels.getvalue().splitlines()])
    np.testing.assert_allclose(streamed * sides, expected, atol=1e-6)
    with pytest.raises(OptionError, match="image size is for 2D"):
        PoseStream("synsp", space="3d", image_size=PORTRAIT)


def test_synsp_stream_says_once_when_keypoints_read_as_normalised():
    clean, noisy = walking(20)
    lines = "".join(json.dumps([p.tolist() for p in frame]) + "\n" for frame in noisy / np.array(PORTRAIT))
    err = io.StringIO()
    run_stream(PoseStream("synsp"), io.StringIO(lines), io.StringIO(), err)
    assert err.getvalue().count("--image-size W H") == 1 and err.getvalue().startswith("synsp stream: note:")
    for stream in (PoseStream("synsp", image_size=PORTRAIT), PoseStream("one-euro")):
        err = io.StringIO()
        run_stream(stream, io.StringIO(lines), io.StringIO(), err)
        assert err.getvalue() == ""


@needs_data
def test_mediapipes_normalised_landmarks_with_a_joint_off_the_picture_are_not_read_as_a_3d_body(tmp_path, capsys):
    """The demo's landmarks divided by its 1768 x 994 frame reach x = -0.024: they were read as
    x, y, z and refined as a 3D body (41.5 px from the pixels' refinement); now synsp asks, and
    with the image's sides refines them as it refines the pixels."""
    from synsp.paths import data_root

    demo = np.load(data_root() / "mediapipe-sports2d" / "demo_mediapipe.npz")
    pixels = demo["kp2d"][:60].astype(np.float32)
    normalised = pixels.copy()
    normalised[..., :2] /= [1768.0, 994.0]
    np.save(tmp_path / "pose.npy", normalised)
    assert main(["refine", str(tmp_path / "pose.npy"), str(tmp_path / "out.npy")]) == 2
    assert "--image-size W H if x, y are normalised" in capsys.readouterr().err
    np.save(tmp_path / "pixels.npy", pixels)
    assert main(["refine", str(tmp_path / "pixels.npy"), str(tmp_path / "px.npy")]) == 0
    assert main(["refine", str(tmp_path / "pose.npy"), str(tmp_path / "out.npy"), "--image-size", "1768", "994"]) == 0
    out, px = np.load(tmp_path / "out.npy"), np.load(tmp_path / "px.npy")
    np.testing.assert_allclose(out[..., :2] * [1768.0, 994.0], px[..., :2], atol=0.05)
    np.testing.assert_array_equal(out[..., 2], pixels[..., 2])
    with pytest.raises(ShapeError, match=r"pass image_size=\(width, height\)"):
        synsp.refine(normalised)


def test_normalised_landmarks_with_a_z_are_no_3d_body(tmp_path, capsys):
    """Image landmarks saved as (x, y, z): x, y normalised by the image's sides, z MediaPipe's depth
    from the hips in x's scale (negative for half the body). The third channel was read as a 3D
    body's z: refined in 'metres', a body 0.25 x the actors' size whose glitches and left/right
    inversions were 'undone' in that distorted space. Now it asks, naming --image-size; given the
    image size, x, y are refined in its pixels and z written back as read, as synsp.refine does."""
    from synsp.channels import third_channel

    _, noisy = walking()
    sides = np.array(PORTRAIT)
    xyz = np.dstack([noisy / sides, np.random.default_rng(1).uniform(-0.3, 0.1, noisy.shape[:2])]).astype(np.float32)
    assert third_channel(xyz) is None
    src, dst = tmp_path / "landmarks.npy", tmp_path / "out.npy"
    np.save(src, xyz)
    assert main(["refine", str(src), str(dst), "--method", "savgol"]) == 2
    assert "--image-size W H" in capsys.readouterr().err and not dst.exists()
    with pytest.raises(ShapeError, match="image_size="):
        synsp.refine(xyz)
    assert main(["refine", str(src), str(dst), "--method", "savgol", "--image-size", "720", "1280"]) == 0
    assert "z written back as read" in capsys.readouterr().out
    out = np.load(dst)
    np.testing.assert_array_equal(out[..., 2], xyz[..., 2])
    np.testing.assert_allclose(out[..., :2] * sides, synsp.refine(noisy, "savgol"), atol=1e-3)


@needs_data
def test_mediapipe_pose_landmarks_as_an_array_are_refined_in_2d(tmp_path, capsys):
    """33 landmarks in an array with no names: MediaPipe Pose's, told by the count; x, y normalised
    and a z beside them are refined in 2D, z written back as read (it was a 3D body in 'metres')."""
    from synsp.paths import data_root

    demo = np.load(data_root() / "mediapipe-sports2d" / "demo_mediapipe.npz")
    xyz = np.dstack([demo["kp2d"][..., :2] / np.array([1768, 994]), demo["kp3d_world"][..., 2:3]]).astype(np.float32)
    src, dst = tmp_path / "landmarks.npy", tmp_path / "out.npy"
    np.save(src, xyz)
    assert main(["refine", str(src), str(dst)]) == 0
    said = capsys.readouterr().out
    assert "MediaPipe Pose's image landmarks" in said and "read as metres" not in said
    np.testing.assert_array_equal(np.load(dst)[..., 2], xyz[..., 2])
    api = synsp.refine(xyz)  # the Python API reads them alike: x, y in 2D, z given back
    np.testing.assert_array_equal(api[..., 2], xyz[..., 2])
    assert np.nanmean(np.linalg.norm((api - np.load(dst))[..., :2] * [1768, 994], axis=-1)) < 0.5  # px
    assert main(["refine", str(src), str(dst), "--image-size", "1768", "994", "--force"]) == 0
    np.testing.assert_array_equal(np.load(dst)[..., 2], xyz[..., 2])


@needs_data
def test_waist_up_mediapipe_landmarks_with_a_z_are_refined_in_2d(tmp_path, capsys):
    """A waist-up video's landmarks: the legs below the picture (y up to 1.4), 12 % of x, y beyond
    [0, 1]: still MediaPipe Pose's image landmarks, not a 3D body; its world landmarks stay 3D."""
    from synsp.paths import data_root

    demo = np.load(data_root() / "mediapipe-sports2d" / "demo_mediapipe.npz")
    xy = demo["kp2d"][..., :2] / np.array([1768, 994])
    hips = xy[:, [23, 24]].mean(axis=1, keepdims=True)
    waist_up = np.dstack([(xy - hips) * 2.0 + [0.5, 0.9], demo["kp3d_world"][..., 2:3]]).astype(np.float32)
    assert np.nanmax(waist_up[..., 1]) > 1.3
    np.save(tmp_path / "waist_up.npy", waist_up)
    assert main(["refine", str(tmp_path / "waist_up.npy"), str(tmp_path / "out.npy")]) == 0
    assert "MediaPipe Pose's image landmarks" in capsys.readouterr().out
    np.save(tmp_path / "world.npy", demo["kp3d_world"].astype(np.float32))
    assert main(["refine", str(tmp_path / "world.npy"), str(tmp_path / "world_out.npy")]) == 0
    assert "the 3D values read as metres" in capsys.readouterr().out


def test_a_2d_streams_third_value_that_is_no_score_is_given_back_not_read_as_one():
    """[x, y, z] keypoints (MediaPipe's landmarks with their z, negative for half the body) on a 2D
    stream: the third value was read as a confidence, so every joint with z below the threshold
    was dropped. A third value outside [0, 2] on a person's first frame is no score: that person's
    keypoints are refined as [x, y] would be, and the value is given back as it came."""
    _, noisy = walking(40)
    z = np.random.default_rng(2).uniform(-0.3, 0.1, noisy.shape[:2])
    xy = noisy / np.array(PORTRAIT)

    def streamed(frames):
        out, err = io.StringIO(), io.StringIO()
        run_stream(PoseStream("one-euro"), io.StringIO("".join(json.dumps(f.tolist()) + "\n" for f in frames)), out,
                   err)
        return np.array([json.loads(line)["people"][0]["keypoints"] for line in out.getvalue().splitlines()]), err
    with_z, err = streamed(np.dstack([xy, z]))
    alone, _ = streamed(xy)
    assert np.isfinite(with_z).all()
    np.testing.assert_array_equal(with_z[..., 2], z)
    np.testing.assert_allclose(with_z[..., :2], alone, atol=1e-9)
    assert "no confidence" in err.getvalue()


@pytest.mark.parametrize("image_size", [[], ["--image-size", "1920", "1080"]])
def test_openposes_coordinates_centred_on_the_image_are_said_so_and_figures_in_pixels(tmp_path, capsys, image_size):
    """OpenPose's ``--keypoint_scale 4`` writes x, y from -1 to 1 about the image's centre (audit 31 #6: said to be
    "0 to 1 across the image", and with the image's size its figures were in half pixels)."""
    clean, noisy = walking()
    sides = np.array([1920.0, 1080.0])
    said = []
    at_the_edge = noisy / sides - [np.nanmin(noisy[..., 0]) / sides[0] + 0.06, 0]  # 0 to 1, joints past the left
    at_the_centre = noisy / sides * 2 - 1 - np.nanmean(noisy / sides * 2 - 1, axis=(0, 1))  # -1 to 1, near 0
    for name, values in (("centred", noisy / sides * 2 - 1), ("across", noisy / sides), ("edge", at_the_edge),
                         ("middle", at_the_centre)):
        np.save(tmp_path / f"{name}.npy", values.astype(np.float32))
        assert main(["refine", str(tmp_path / f"{name}.npy"), str(tmp_path / f"{name}_out.npy"), "--method",
                     "savgol", *image_size]) == 0
        said.append(capsys.readouterr().out)
    centred, across, edge, middle = said
    assert all("-1 to 1 about" in text for text in (centred, middle)) and "-1 to 1 about" not in across + edge
    if image_size:  # the same motion in pixels: the same figures
        accel = [float(text.split("px/frame^2")[0].split()[-1]) for text in said]
        assert accel == pytest.approx([accel[1]] * 4, rel=0.02)


def test_an_image_size_given_as_height_width_is_warned_of_in_one_line():
    # audit 34 #8: frame.shape[:2] for a landscape video scaled the body 3.2 x taller, silently
    from synsp.refining.image_order import order_note, proportions

    _, noisy = walking()
    # a walker 3.8 x taller than wide in a landscape video (read 12 x: too tall), and one in a portrait video
    # (read with shoulders 2.8 x as wide as the trunk is long)
    for (w, h), pixels in (((1920.0, 1080.0), noisy * [1, 1.6] + [600, 200]), ((1080.0, 1920.0), noisy + [100, 600])):
        norm = pixels / [w, h]
        assert order_note(pixels, np.array([w, h])) is None  # the right order: no note
        assert proportions(pixels)[0] < 9 and proportions(pixels)[1] < 1.6
        with pytest.warns(UserWarning, match=r"image size .*\(height, width\)") as caught:
            out = synsp.refine(norm, "savgol", fps=30, image_size=(h, w))
        said = [str(x.message) for x in caught if "(height, width)" in str(x.message)]
        assert len(said) == 1 and "\n" not in said[0]
        # the numbers are the user's: refined as given, in the swapped pair's pixels
        np.testing.assert_allclose(out, synsp.refine(norm * [h, w], "savgol", fps=30) / [h, w], atol=1e-6)

"""(T, J, 3) x, y + score whose scores rise or fall together (a person walking away, into shade, partly
out of the picture; OpenPose's (0, 0, 0) for a joint not found) were read as undecided by
``synsp.channels.third_channel`` and refined by ``synsp.refine`` as a 3D body with the score as z: up
to twice the input's error, the scores changed by up to 8 (a user's audit, finding 1). A channel within
[0, 1] beside a body in pixels is a score whatever its drift; what cannot be told is a ``SpaceError``
naming ``space=``, which ``synsp.refine`` takes; each person of a (V, T, J, 3) array is read alone."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.channels import third_channel
from synsp.cli import main
from synsp.errors import OptionError, SpaceError
from walking import walking

FILTERS = ["savgol", "butterworth", "one-euro", "gaussian", "median", "hampel", "identity"]


def drifting(end: float = 0.5, frames: int = 90, seed: int = 3) -> np.ndarray:
    """(T, 17, 3): the walk in pixels (240 px tall) and tight scores (+-0.05) whose level falls from
    0.95 to ``end`` over the clip, every one above 0.3: a person walking away from the camera."""
    _, noisy = walking(frames)
    rng = np.random.default_rng(seed)
    scores = np.clip(np.linspace(0.95, end, frames)[:, None] + rng.normal(0, 0.05, (frames, 17)), 0.31, 1)
    return np.dstack([noisy, scores])


def out_of_frame(zeros: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """(poses (T, 17, 3), outside (T, 17)): the walk slid to the left border for a third of the clip,
    the joints outside clamped to x = 0 with scores of 0.02-0.25 (a top-down estimator), or with
    ``zeros`` written (0, 0, 0) as OpenPose writes a joint not found."""
    x = drifting(0.9)
    frames = len(x)
    rng = np.random.default_rng(4)
    slide = np.clip(np.minimum(np.arange(frames) - 20, frames - 20 - np.arange(frames)) / 20, 0, 1)
    x[..., 0] -= (x[:, [11, 12], 0].mean(1) * slide)[:, None]  # the hips' midpoint to the border, and back
    outside = x[..., 0] < 0
    x[..., 0] = np.maximum(x[..., 0], 0)
    # a clearly seen person's scores are tight (0.85-0.95): the frames' medians fall by more than
    # twice that spread as half the body leaves the picture, which read as a depth moving with it
    x[..., 2] = np.where(outside, rng.uniform(0.02, 0.25, outside.shape), rng.uniform(0.85, 0.95, outside.shape))
    if zeros:
        x[outside] = 0
    return x, outside


def metres_3d() -> np.ndarray:
    """(T, 17, 3) a body 1.7 m tall, y up from the floor, z (depth) within [0, 1] and drifting with
    the body as it walks nearer: every coordinate in the range of a score, but a 3D pose."""
    clean, _ = walking(90)
    xy = (clean - clean.mean((0, 1))) * np.array([1, -1]) * 1.7 / 255 + [0, 0.85]
    z = 0.6 + 0.15 * np.sin(np.arange(17) / 3)[None] - np.linspace(0, 0.4, 90)[:, None]
    return np.dstack([xy, z + np.random.default_rng(5).normal(0, 0.01, z.shape)])


@pytest.mark.parametrize("end", [0.85, 0.7, 0.5])
def test_scores_drifting_together_are_scores(end):
    x = drifting(end)
    assert third_channel(x) == "confidence"
    out = synsp.refine(x, "savgol")
    np.testing.assert_array_equal(out[..., 2], x[..., 2])  # given back unchanged
    np.testing.assert_allclose(out[..., :2], synsp.refine(x[..., :2], "savgol"), atol=1e-9)


def test_the_default_refines_drifting_scores_as_x_y_alone():
    """The audit's case through the default: 5.12 px against an input of 3.79 when read as x, y, z."""
    x = drifting(0.5)
    out = synsp.refine(x, fps=30)
    np.testing.assert_array_equal(out[..., 2], x[..., 2])
    np.testing.assert_allclose(out[..., :2], synsp.refine(x[..., :2], fps=30), atol=1e-4)


@pytest.mark.parametrize("zeros", [False, True], ids=["low-scores", "openpose-zeros"])
def test_a_person_partly_out_of_the_picture_is_read_with_scores(zeros):
    x, outside = out_of_frame(zeros)
    assert third_channel(x) == "confidence"
    out = synsp.refine(x, "savgol")
    np.testing.assert_array_equal(out[..., 2], x[..., 2])
    seen = np.where((x[..., 2] >= 0.3)[..., None], x[..., :2], np.nan)  # the joints outside are missing
    expected = synsp.refine(seen, "savgol")
    np.testing.assert_allclose(out[~outside][:, :2], expected[~outside], atol=1e-9)


@pytest.mark.parametrize("method", FILTERS + ["smoothnet"])
def test_every_method_gives_drifting_scores_back_unchanged(method):
    x, _ = out_of_frame()
    np.testing.assert_array_equal(synsp.refine(x, method, fps=30)[..., 2], x[..., 2])


def test_3d_bodies_stay_3d():
    metres = metres_3d()
    assert third_channel(metres) == "z"
    out = synsp.refine(metres, "savgol")
    assert np.abs(out[..., 2] - metres[..., 2]).max() > 1e-3  # z refined as a coordinate, with x and y
    np.testing.assert_allclose(out, synsp.refine(metres, "savgol", space="3d"))
    assert third_channel(metres * 1000) == "z"  # millimetres
    camera = metres.copy()
    camera[..., 2] += np.linspace(5, 20, 90)[:, None]  # a camera's frame: the person 5-20 m away
    assert third_channel(camera) == "z"
    z_up = metres[..., [0, 2, 1]]  # Z up: the height is the third channel, 0-1.7 m
    assert third_channel(z_up) == "z"


def test_what_cannot_be_told_is_refused_naming_space_and_space_decides():
    """Pixels and a depth in metres walking from 1.8 to 0.3 m: a score or z? (--space for a file)."""
    x = drifting()
    x[..., 2] = np.linspace(1.8, 0.3, len(x))[:, None] + np.random.default_rng(3).uniform(-0.15, 0.15, 17)
    assert third_channel(x) is None
    with pytest.raises(SpaceError, match=r"cannot tell whether the third channel \(values 0\.1.* to 1\.9.*\).*"
                                         r"space='2d'.*space='3d'") as info:
        synsp.refine(x, "savgol")
    assert "\n" not in str(info.value)
    as_2d = synsp.refine(x, "savgol", space="2d")
    np.testing.assert_array_equal(as_2d[..., 2], x[..., 2])
    seen = np.where((x[..., 2] >= 0.3)[..., None], x[..., :2], np.nan)  # read as scores: below 0.3, missing
    np.testing.assert_allclose(as_2d[..., :2], synsp.refine(seen, "savgol"), atol=1e-9)
    np.testing.assert_allclose(synsp.refine(x, "savgol", space="3d"), synsp.refine(x * [1, 1, 1000], "savgol")
                               / [1, 1, 1000], atol=1e-6)  # refined as coordinates, as any z
    assert synsp.refine(drifting(), space="2d", fps=30).shape == (90, 17, 3)  # the message's option exists for SynSP


def test_space_is_checked():
    x = drifting()
    with pytest.raises(OptionError, match="space='world'"):
        synsp.refine(x, "savgol", space="world")
    with pytest.raises(SpaceError, match="space='3d', but"):
        synsp.refine(x[..., :2], "savgol", space="3d")
    with pytest.raises(SpaceError, match="space='2d', but"):
        synsp.refine(np.dstack([x, x[..., 2:]]), "savgol", space="2d")


def test_each_person_of_an_array_is_read_as_if_alone():
    """A person with drifting scores beside two ordinary ones was read by the others; alone, as 3D."""
    from synsp.channels import tracks_third_channel

    people = np.stack([drifting(0.9, seed=1), drifting(0.95, seed=2), drifting(0.5)])
    people[1, ..., 0] += 500
    together = synsp.refine(people, "savgol")
    for v in range(3):
        np.testing.assert_array_equal(together[v], synsp.refine(people[v], "savgol"))
    undecided = drifting()
    undecided[..., 2] = np.linspace(1.8, 0.3, len(undecided))[:, None] + np.linspace(-0.15, 0.15, 17)
    mixed = np.stack([people[0], undecided])
    assert tracks_third_channel(mixed) is None and tracks_third_channel(people) == "confidence"
    with pytest.raises(SpaceError, match=r"entries 0: x, y \+ score; 1: undecided"):
        synsp.refine(mixed, "savgol")  # alone, person 1 is refused too
    absent = np.stack([people[0], np.full_like(people[0], np.nan)])  # a person never seen says nothing
    np.testing.assert_array_equal(synsp.refine(absent, "savgol")[0], together[0])
    people[1, ..., 2] = 0.0  # one value everywhere (a padded z, a fixed score): alone, no joint missing by it
    np.testing.assert_array_equal(synsp.refine(people, "savgol")[1], synsp.refine(people[1], "savgol"))
    assert np.isfinite(synsp.refine(people, "savgol")[1]).all()


def test_the_cli_refines_a_drifting_score_file_and_names_space_when_it_cannot_tell(tmp_path, capsys):
    x = drifting(0.6)
    np.save(tmp_path / "in.npy", x[None].astype(np.float32))
    assert main(["refine", str(tmp_path / "in.npy"), str(tmp_path / "out.npy"), "--method", "savgol"]) == 0
    np.testing.assert_array_equal(np.load(tmp_path / "out.npy")[0, ..., 2], x[..., 2].astype(np.float32))
    capsys.readouterr()
    x[..., 2] = np.linspace(1.8, 0.3, len(x))[:, None] + np.linspace(-0.15, 0.15, 17)
    np.save(tmp_path / "depth.npy", x[None])
    assert main(["refine", str(tmp_path / "depth.npy"), str(tmp_path / "out2.npy"), "--method", "savgol"]) == 2
    err = capsys.readouterr().err
    assert "cannot tell whether the third channel (values 0.15 to 1.95)" in err and "--space 2d or --space 3d" in err
    assert "without scores" not in err and "space='2d'" in err

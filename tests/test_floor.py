"""synsp.inference.floor: a network's correction is kept in proportion to how far it stands
above the network's floor (how far it moves clean poses), measured by `synsp floor`."""
from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest
import torch

import synsp
from conftest import needs_data, tiny_config
from synsp.inference.checkpoint import load_model
from synsp.inference.floor import (
    DRIFT_RAMP,
    SHRINK,
    baseline,
    bone_drift,
    correction_rms,
    drift_factor,
    keep_above_floor,
    measure_floor,
)
from synsp.sequence import body_size


@pytest.fixture(autouse=True)
def whole_correction_on_clean_poses(monkeypatch):
    """These tests watch the network's correction on clean motion, which synsp.inference.clean
    keeps from it (and which streams do not measure): that step off here."""
    monkeypatch.setattr("synsp.inference.input_frame.keep_to_noise", lambda inputs, refined, **_: refined)


def walk(t: int = 90, seed: int = 0) -> np.ndarray:
    """(t, 17, 3) smooth motion of a 1.7 m body, mm."""
    rng = np.random.default_rng(seed)
    rest = rng.uniform(-300, 300, (17, 3)) * [1, 2.8, 0.5]
    return rest + 60 * np.sin(np.arange(t)[:, None, None] / 7 + rng.uniform(0, 6, (17, 3)))


def turning(t: int = 90, seed: int = 0) -> np.ndarray:
    """(t, 17, 3) an h36m17 body turning and swaying as a whole, mm: its bones keep their length."""
    rest = np.array([[0, 0, 0], [-130, 0, 0], [-130, -420, 0], [-130, -840, 0], [130, 0, 0], [130, -420, 0],
                     [130, -840, 0], [0, 230, 0], [0, 480, 0], [0, 600, 60], [0, 700, 20], [150, 470, 0],
                     [160, 200, 0], [160, -40, 0], [-150, 470, 0], [-160, 200, 0], [-160, -40, 0]], float)
    rest[:, 2] += np.random.default_rng(seed).normal(0, 20, 17)  # not quite a plane
    angle = np.arange(t) / 15
    c, s = np.cos(angle), np.sin(angle)
    turn = np.stack([np.stack([c, 0 * c, s], -1), np.tile([0.0, 1.0, 0.0], (t, 1)), np.stack([-s, 0 * c, c], -1)], 1)
    return np.einsum("tij,kj->tki", turn, rest) + 40 * np.sin(angle)[:, None, None]


def test_a_constant_pull_measures_as_its_size():
    x = walk()
    pull = np.zeros((17, 3))
    pull[9] = [30.0, 40.0, 0.0]  # 50 mm at one joint
    rms = correction_rms(x, baseline(x) + pull)
    assert rms[9] == pytest.approx(50 / body_size(x), rel=1e-6)
    assert rms[np.arange(17) != 9].max() < 1e-9
    floor = measure_floor(lambda c: baseline(c) + pull, [x, walk(seed=1)])
    assert floor[9] == pytest.approx(np.median([50 / body_size(x), 50 / body_size(walk(seed=1))]), rel=1e-6)


def test_a_correction_at_the_floor_shrinks_a_large_one_stays():
    x = walk()
    base = baseline(x)
    small, large = np.zeros((17, 3)), np.zeros((17, 3))
    small[3], large[5] = [10.0, 0, 0], [200.0, 0, 0]
    floor = np.full(17, 10 / body_size(x))  # the small correction is exactly at the floor
    out = keep_above_floor(x, base + small + large, floor, shrink=0.5)
    gains = (out - base)[:, [3, 5], 0] / [small[3, 0], large[5, 0]]
    np.testing.assert_allclose(gains, np.broadcast_to([1 - 0.5, 1 - 0.5 / 400], gains.shape), atol=1e-9)
    np.testing.assert_array_equal(keep_above_floor(x, base + large, floor, shrink=0.0), base + large)
    np.testing.assert_allclose(keep_above_floor(x, base + small, floor, shrink=2.0), base, atol=1e-9)  # gain >= 0


def test_only_the_slow_part_is_weighed_and_shrunk():
    x = walk(120)
    base = baseline(x)
    t = np.arange(120)[:, None]
    fast, slow = np.zeros((120, 17, 3)), np.zeros((120, 17, 3))
    fast[:, 4, 0] = 10 * np.sin(2 * np.pi * 8 * t[:, 0] / 30)  # 8 Hz: the network smoothing more
    slow[:, 4, 1] = 10.0  # a constant pull as large
    floor = np.full(17, 10 / body_size(x))
    assert correction_rms(x, base + fast)[4] < 0.2 * correction_rms(x, base + slow)[4]  # 8 Hz: hardly weighed
    out = keep_above_floor(x, base + fast + slow, floor, shrink=2.0)  # the slow pull is cut wholly
    np.testing.assert_allclose(out[:, 4, 1], base[:, 4, 1], atol=0.2)
    kept = out[20:-20, 4, 0] - base[20:-20, 4, 0]  # the fast part, away from the ends
    assert np.corrcoef(kept, fast[20:-20, 4, 0])[0, 1] > 0.99 and np.ptp(kept) > 18


def test_each_person_is_shrunk_on_its_own():
    x = np.stack([walk(), walk(seed=3)])  # (V, T, J, C)
    base = baseline(x)
    refined = base.copy()
    refined[0, :, 9] += [50.0, 0, 0]  # only the first person is corrected
    floor = np.full(17, 20 / 1700)
    out = keep_above_floor(x, refined, floor, shrink=0.5)
    np.testing.assert_allclose(out[1], base[1], atol=1e-9)
    assert 40 < np.abs(out[0, :, 9, 0] - base[0, :, 9, 0]).mean() < 50


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory):
    from synsp.training.train import train

    return train(tiny_config(tmp_path_factory.mktemp("floor")), log=lambda s: None)


@pytest.fixture(scope="module")
def floored_by_the_cli(tiny_model, tmp_path_factory):
    """(``synsp floor TINY OUT --clips 2``'s completed process, its command, OUT): run once for the tests
    that read what it wrote, as a ``synsp floor`` run takes many seconds (it refines clips)."""
    out = tmp_path_factory.mktemp("floored") / "floored.pt"
    cmd = [sys.executable, "-m", "synsp", "floor", str(tiny_model), str(out), "--clips", "2"]
    return subprocess.run(cmd, capture_output=True, text=True), cmd, out


@needs_data
def test_refiner_uses_the_floor_its_checkpoint_carries(tiny_model, tmp_path):
    model = load_model(tiny_model, device="cpu")
    assert model.floor is None and model.shrink == 0.0  # a checkpoint without one: no step
    x = turning().astype(np.float32)
    plain = model.refine(x)
    payload = torch.load(tiny_model, weights_only=True)
    payload["meta"]["correction_floor"] = [0.02] * 17
    torch.save(payload, tmp_path / "with_floor.pt")
    floored = load_model(tmp_path / "with_floor.pt", device="cpu")
    assert floored.shrink == SHRINK[floored.space] and floored.floor.shape == (17,)
    out = floored.refine(x)
    # every joint's correction from the baseline is shrunk, none grows
    before = np.linalg.norm(plain - baseline(x), axis=-1).mean(0)
    after = np.linalg.norm(out - baseline(x), axis=-1).mean(0)
    assert (after <= before + 1e-3).all() and after.sum() < before.sum()
    floored.shrink = 0.0
    np.testing.assert_allclose(floored.refine(x), plain, atol=1e-4)


@needs_data
def test_synsp_floor_writes_the_measurement_and_keeps_the_model(tiny_model, floored_by_the_cli):
    done, cmd, out = floored_by_the_cli
    assert done.returncode == 0, done.stderr
    assert "floor" in done.stdout and out.is_file()
    before, after = torch.load(tiny_model, weights_only=True), torch.load(out, weights_only=True)
    assert len(after["meta"]["correction_floor"]) == 17 and after["meta"]["correction_floor_clips"] == 2
    assert all(torch.equal(before["state_dict"][k], v) for k, v in after["state_dict"].items())
    again = subprocess.run(cmd, capture_output=True, text=True)
    assert again.returncode != 0 and "exists; pass --force" in again.stderr and len(again.stderr.splitlines()) == 1


def test_whole_correction_on_request(tmp_path):
    import synsp

    x = turning()  # with jitter: the CLI below keeps clean poses' values (synsp.inference.clean)
    # 6 mm: at 3 mm the second pass repeats 0.445 of this clip's slow correction, under the 3D ramp's
    # 0.45 (repeated_pull.REPEAT_RAMPS), so the default step is off there and equals the whole correction
    x = (x + np.random.default_rng(0).normal(0, 6.0, x.shape)).astype(np.float32)
    model = load_model("synsp-h36m17", device="cpu")
    assert model.floor is not None and model.shrink > 0  # the shipped model carries its floor
    whole, default = synsp.refine(x, floor=False), synsp.refine(x)
    model.shrink = 0.0
    np.testing.assert_allclose(whole, model.refine(x), atol=1e-4)
    assert np.abs(whole - default).max() > 0.1
    np.save(tmp_path / "x.npy", x)
    for flag, expected in (([], default), (["--whole-correction"], whole)):
        cmd = [sys.executable, "-m", "synsp", "refine", str(tmp_path / "x.npy"), str(tmp_path / f"y{len(flag)}.npy"),
               "--layout", "h36m17", *flag]
        assert subprocess.run(cmd, capture_output=True, text=True).returncode == 0
        np.testing.assert_allclose(np.load(tmp_path / f"y{len(flag)}.npy"), expected, atol=1e-3)


def test_the_step_strength_is_a_per_call_option(monkeypatch):
    import synsp
    from synsp.errors import OptionError
    from synsp.inference import noise_only

    monkeypatch.setattr(noise_only, "SPACES", ())  # clean poses read as light noise only: that step's choice aside

    x = turning().astype(np.float32)
    np.testing.assert_allclose(synsp.refine(x, floor=0.0), synsp.refine(x, floor=False), atol=1e-5)
    np.testing.assert_allclose(synsp.refine(x, floor=SHRINK["3d"]), synsp.refine(x), atol=1e-5)
    strong = synsp.refine(x, floor=4.0)
    # a stronger step leaves the output nearer the Butterworth baseline
    assert np.abs(strong - baseline(x)).mean() < np.abs(synsp.refine(x) - baseline(x)).mean()
    for bad in (-1.0, float("nan"), "strong"):
        with pytest.raises(OptionError, match="floor must be True, False or the floor step's strength"):
            synsp.refine(x, floor=bad)


def test_a_converted_skeleton_gets_the_step_at_its_own_strength(monkeypatch):
    from synsp.inference import noise_only

    monkeypatch.setattr(noise_only, "SPACES", ())  # clean poses read as light noise only: that step's choice aside
    from synsp.refining.arrays import cached_model
    from synsp.skeleton import convert

    coco = convert(turning().astype(np.float32), "h36m17", "coco17")  # 3D COCO-17 reaches the model converted
    model = cached_model("synsp-h36m17", None)
    ramp, model.repeat_ramp = model.repeat_ramp, None  # the drift's factor alone (second pass: test_repeated_pull)
    try:
        _converted_strengths(model, coco)
    finally:
        model.repeat_ramp = ramp


def _converted_strengths(model, coco: np.ndarray) -> None:
    import synsp
    from synsp.inference.floor import SHRINK_CONVERTED

    default = synsp.refine(coco, layout="coco17")
    # the strength the step ran at (this rigid body's bones do not drift: full strength); on this clip the
    # network's correction is near its floor, so the outputs at the two strengths need not differ
    assert model.floor_strength.max() == pytest.approx(SHRINK_CONVERTED["3d"])
    np.testing.assert_allclose(default, synsp.refine(coco, layout="coco17", floor=SHRINK_CONVERTED["3d"]), atol=1e-5)
    synsp.refine(turning().astype(np.float32))
    assert model.floor_strength.max() == pytest.approx(SHRINK["3d"])
    np.testing.assert_allclose(synsp.refine(coco, layout="coco17", floor=True), default, atol=1e-5)  # as the CLI asks
    assert np.abs(synsp.refine(coco, layout="coco17", floor=1.0) - default).max() > 0.01  # 1.0 is a strength, not True


def test_bone_drift_sees_slow_length_change_not_jitter():
    rng = np.random.default_rng(0)
    x = turning(150)
    assert bone_drift(x, "h36m17") < 1e-9  # rigid limbs
    ends = [2, 3, 5, 6, 12, 13, 15, 16]  # knees, ankles, elbows, wrists
    drifting, jittering, swapped = x.copy(), x.copy(), x.copy()
    drifting[:, ends] += 20 * np.sin(np.arange(150)[:, None, None] / 30 + rng.uniform(0, 6, (8, 3)))  # slow
    jittering[:, ends] += rng.normal(0, 20 / np.sqrt(2), (150, 8, 3))  # as large, white
    swapped[40:52, 13] = x[40:52, 16]  # a wrist taken for the other one for 0.4 s
    slow = bone_drift(drifting, "h36m17")
    assert 2 / body_size(x) < slow < 20 / body_size(x)
    assert bone_drift(jittering, "h36m17") < 0.4 * slow and bone_drift(swapped, "h36m17") < 0.1 * slow
    both = bone_drift(np.stack([x, drifting]), "h36m17")  # one figure per person
    assert both.shape == (2,) and both[0] < 1e-9 and both[1] == pytest.approx(slow)
    np.testing.assert_allclose(drift_factor([0.0, DRIFT_RAMP[0], np.mean(DRIFT_RAMP), DRIFT_RAMP[1], 1.0]),
                               [1, 1, 0.5, 0, 0])


def test_the_step_weakens_as_the_bones_drift():
    """3D: the step runs at its whole strength on rigid bones, at none on bones that drift as an
    estimator's do; each person of a (V, T, J, C) input has its own strength."""
    model = load_model("synsp-h36m17", device="cpu")
    rigid = turning(120).astype(np.float32)
    phases = np.random.default_rng(0).uniform(0, 6, (17, 3))
    drifting = rigid + 0.02 * body_size(rigid) * np.sin(np.arange(120)[:, None, None] / 20 + phases)  # every joint
    model.repeat_ramp = None  # the drift's factor alone (the second pass's: test_repeated_pull)
    model.refine(np.stack([rigid, drifting]))
    np.testing.assert_allclose(model.floor_strength, [model.shrink, 0.0])
    np.testing.assert_allclose(model.refine(drifting), model.refine(drifting, floor=False), atol=1e-3)
    assert np.abs(model.refine(rigid) - model.refine(rigid, floor=False)).max() > 0.1
    model.drift_ramp = None  # the whole strength whatever the input
    model.refine(drifting)
    np.testing.assert_allclose(model.floor_strength, model.shrink)


def summaries_with_and_without_the_step(tmp_path, poses: np.ndarray, *options: str) -> tuple[str, str]:
    """What ``synsp refine`` prints for ``poses`` saved in ``tmp_path`` (with ``options``), with the
    floor step and with ``--whole-correction`` (no step); each run must succeed."""
    np.save(tmp_path / "in.npy", poses)
    cmd = [sys.executable, "-m", "synsp", "refine", str(tmp_path / "in.npy"), str(tmp_path / "out.npy"), *options]
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    whole = subprocess.run([*cmd, "--whole-correction", "--force"], capture_output=True, text=True)
    assert whole.returncode == 0, whole.stderr
    return done.stdout, whole.stdout


def test_synsp_refine_says_what_the_limbs_told_the_step(tmp_path):
    from synsp.inference.floor import drift_note

    assert drift_note([0.0005]).startswith("limbs: they keep their length over the clip (slow change 0.0005 body")
    assert "kept whole" in drift_note([0.01]) and "0.0100 body sizes" in drift_note([0.01])
    assert "cut back at 25%-50% of the floor step's strength" in drift_note([0.003, 0.0035])
    done, whole = summaries_with_and_without_the_step(tmp_path, turning().astype(np.float32), "--layout", "h36m17")
    assert "limbs: they keep their length over the clip" in done
    assert "limbs:" not in whole  # no step, nothing measured


def test_a_stream_takes_the_step_as_its_limbs_say():
    """A live stream runs the floor step from the frames it has (synsp.inference.stream_floor):
    on rigid limbs it cuts the network's slow correction, on drifting ones it keeps it whole."""
    from synsp.inference.floor import slow_part
    from synsp.inference.streaming import StreamingRefiner

    model = load_model("synsp-h36m17", device="cpu")
    rng = np.random.default_rng(5)

    def stream(x: np.ndarray) -> np.ndarray:
        return StreamingRefiner(model, mm_per_unit=1.0).refine_all(x)

    rigid = (turning(150) + rng.normal(0, 8, (150, 17, 3))).astype(np.float32)
    phases = rng.uniform(0, 6, (17, 3))
    drift = 0.03 * body_size(rigid) * np.sin(np.arange(150)[:, None, None] / 15 + phases)
    drifting = (rigid + drift).astype(np.float32)
    shrink, give_back = model.shrink, model.give_back_motion
    # the floor step alone: the over-smoothing step after it reads the frames after those given back
    # (synsp.inference.stream_oversmoothing), which the floor step moves too, by ~1e-3 mm here
    model.give_back_motion = False
    try:
        stepped = [stream(rigid), stream(drifting)]
        model.shrink = 0.0  # no step
        whole = [stream(rigid), stream(drifting)]
    finally:
        model.shrink, model.give_back_motion = shrink, give_back
    slow_rms = lambda out: np.sqrt((slow_part(out - rigid) ** 2).mean())  # noqa: E731
    assert slow_rms(stepped[0]) < 0.8 * slow_rms(whole[0])
    np.testing.assert_allclose(stepped[1][40:], whole[1][40:], atol=1e-3)  # the drift is told after ~1 s


def test_a_stream_low_passes_its_output_about_as_offline_does():
    """A stream runs offline's 6 Hz low-pass over the frames it gave back lately and the frames
    after (synsp.inference.stream_lowpass): its acceleration error drops towards offline's."""
    from synsp.inference.streaming import StreamingRefiner
    from synsp.metrics import accel_error

    model = load_model("synsp-h36m17", device="cpu")
    model.repeat_ramp = None  # offline's second pass has no live counterpart; the low-pass is compared here
    truth = turning(150)
    noisy = (truth + np.random.default_rng(6).normal(0, 12, truth.shape)).astype(np.float32)

    def stream() -> np.ndarray:
        return StreamingRefiner(model, mm_per_unit=1.0).refine_all(noisy)

    hz = model.lowpass_hz
    try:
        passed = stream()
        model.lowpass_hz = None
        unpassed = stream()
    finally:
        model.lowpass_hz = hz
    model.smoothnet_blend = False  # nor has offline's part of SmoothNet (inference.smoothnet_blend: 2.6 with it)
    try:
        offline = model.refine(noisy)
    finally:
        model.smoothnet_blend = True
    accel = {name: accel_error(out - out[:, :1], truth - truth[:, :1])
             for name, out in (("passed", passed), ("unpassed", unpassed), ("offline", offline))}
    # measured 3.4, 4.8 and 2.9 mm/frame^2
    assert accel["passed"] < 0.8 * accel["unpassed"] and accel["passed"] < 1.35 * accel["offline"], accel


def test_floor_steps_of_a_crowd_equal_each_step_alone():
    """stream_floor.floor_steps filters every stream's tracks of one length in one call; each
    stream's frames (and the frames after them) come out exactly as its own step gives them,
    whatever its history's length."""
    import copy

    from synsp.inference.stream_floor import RunningFloorStep, floor_steps
    from synsp.skeleton import get_layout

    layout = get_layout("h36m17")
    rng = np.random.default_rng(4)
    steps = [RunningFloorStep(rng.uniform(0.001, 0.01, 17), 1.0, layout, DRIFT_RAMP) for _ in range(3)]
    alone = copy.deepcopy(steps)
    people = [walk(60, seed) for seed in range(3)]
    for t, k in ((0, 3), (3, 3), (6, 2)):  # the third person joins late: histories of other lengths
        calls = []
        for i, poses in enumerate(people):
            if i == 2 and t == 0:
                continue
            inputs = poses[t:t + k, None]
            refined = inputs + rng.normal(0, 5, inputs.shape)
            later = poses[t + k:t + k + 7, None]
            calls.append((i, (refined, inputs, later + rng.normal(0, 5, later.shape), later)))
        together = floor_steps([(steps[i], arguments) for i, arguments in calls])
        for (i, arguments), (out, after) in zip(calls, together):
            own, own_after = alone[i](*arguments)
            np.testing.assert_array_equal(out, own)
            np.testing.assert_array_equal(after, own_after)  # the frames after, for the low-pass


def test_a_2d_stream_takes_the_whole_step_from_its_first_frames():
    """The stream's floor step fades in over its first HISTORY frames in 3D only, where the limbs' drift needs
    them; a 2D step (no drift ramp) cuts a slow correction near its floor from the first frames on."""
    from synsp.inference.stream_floor import RunningFloorStep
    from synsp.sequence import box_sides
    from synsp.skeleton import get_layout

    layout = get_layout("coco17")
    poses = walk(40, 0)[:, :17, :2] * 0.3 + 300.0  # (T, 17, 2) px
    inputs = poses[:4, None]
    pull = np.full((1, 1, 17, 2), 1.5)  # a constant pull of 1.5 px per coordinate: all of it slow
    floor = 1.5 * np.sqrt(2) / box_sides(inputs).max(-1).mean() / 1.2  # its RMS 1.2 x the floor, in body sizes
    cut = {}
    for ramp, name in ((None, "2d"), (DRIFT_RAMP, "with a drift ramp")):
        step = RunningFloorStep(np.full(17, floor), 1.0, layout, ramp)
        out, _ = step(inputs + pull, inputs, poses[4:11, None] + pull, poses[4:11, None])
        cut[name] = 1 - np.abs(out - inputs).mean() / 1.5
    # at the whole strength 1 / 1.2^2 = 0.69 of it is cut; faded in over 32 frames, after 4 about 0.09
    assert cut["2d"] > 0.5 and cut["with a drift ramp"] < 0.2, cut


def test_a_given_baseline_replaces_the_butterworth():
    """floor_step(base=...): the correction is weighed and shrunk from that baseline (2D: SmoothNet's output)."""
    from synsp.inference.floor import floor_step

    x = walk()
    given = baseline(x) + np.array([5.0, 0.0, 0.0])  # another baseline, 5 mm off the Butterworth
    pull = np.zeros((17, 3))
    pull[3] = [0.0, 10.0, 0.0]
    floor = np.full(17, 10 / body_size(x))  # the pull is exactly at the floor
    step = floor_step(x, floor, shrink=0.5, base=given)
    np.testing.assert_allclose(step(given), given, atol=1e-9)  # no correction from it: nothing to shrink
    np.testing.assert_allclose(step(given + pull), given + 0.5 * pull, atol=1e-9)


def test_the_2d_floor_step_measures_from_smoothnet(monkeypatch):
    """2D SynSP's correction is weighed from SmoothNet's output of the same poses (floor.SMOOTHNET_BASE),
    which leaves nearer the truth than a Butterworth on jitter-only input; 3D keeps the Butterworth."""
    import synsp
    import synsp.inference.floor_pass as floor_pass

    seen = []
    original = floor_pass.floor_step

    def spy(inputs, floor, *, shrink, fps=None, base=None):
        seen.append(base)
        return original(inputs, floor, shrink=shrink, fps=fps, base=base)

    monkeypatch.setattr(floor_pass, "floor_step", spy)
    from synsp.skeleton import convert

    x3 = turning().astype(np.float32)
    x2 = (convert(x3, "h36m17", "coco17")[..., :2] * [1.0, -1.0] / 4 + 300).astype(np.float32)  # pixels, y down
    x2 = x2 + np.random.default_rng(0).normal(0, 1.5, x2.shape).astype(np.float32)
    synsp.refine(x2)
    assert seen[-1] is not None and seen[-1].shape == (1, *x2.shape)
    from synsp.inference.floor import SMOOTHNET_BASE_STRIDE

    smoothnet = load_model("smoothnet-coco17").refine(x2, stride=SMOOTHNET_BASE_STRIDE)
    np.testing.assert_allclose(seen[-1][0], smoothnet, atol=1e-3)
    synsp.refine(x3)
    assert seen[-1] is None


@needs_data
def test_a_sprint_under_jitter_reads_its_limbs_drift_at_its_own_rate_not_the_paced_one():
    """A sprint is refined as if filmed at ~14 fps (the pace followed); its limbs' drift read at
    that rate took the jitter for drift (2 Hz of 14 fps is 4.3 Hz of the clip) and left the floor
    step off on jitter-only sprints. Read at the clip's own rate, as the ramp was chosen on."""
    from synsp.data.mocap import load_clip
    from synsp.data.simulator import corrupt
    from synsp.inference.floor import bone_drift
    from synsp.refining.methods import network_model

    clean = load_clip("dataset-2_run_normal_027", "h36m17")[:300]
    noisy = corrupt(clean, "jitter", rng=np.random.default_rng(0), layout="h36m17").noisy
    noisy = np.where(np.isnan(noisy), clean, noisy).astype(np.float32)
    synsp.refine(noisy)
    model = network_model("synsp", 3, None, None)
    assert model.paced_fps is not None and model.paced_fps < 20
    assert np.allclose(model.limb_drift, bone_drift(noisy[None], "h36m17"))  # at 30 fps, the clip's
    # before: 0.0041 at the paced rate, above the ramp's top (0.004): no step
    assert (model.floor_strength > 0).all()


@needs_data
def test_a_checkpoint_without_its_floor_says_so_in_one_line(tiny_model, floored_by_the_cli, tmp_path):
    # A model fresh from `synsp train` has no floor until `synsp floor` measures it; refined without
    # that step, the shipped 2D model's own weights took jitter-only input to 1.08 x instead of 0.67.
    with pytest.warns(UserWarning, match="synsp floor"):
        load_model(tiny_model, device="cpu")
    cmd = [sys.executable, "-m", "synsp", "refine", "--checkpoint", str(tiny_model), "--space", "3d",
           str(tmp_path / "in.npy"), str(tmp_path / "out.npy")]
    np.save(tmp_path / "in.npy", turning().astype(np.float32))
    done = subprocess.run(cmd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    warned = [line for line in done.stderr.splitlines() if "synsp floor" in line]
    assert len(warned) == 1 and warned[0].startswith("synsp refine: warning: ") and str(tiny_model) in warned[0]
    floor_run, _, floored = floored_by_the_cli  # `synsp floor` on the same checkpoint
    assert floor_run.returncode == 0, floor_run.stderr
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        load_model(floored, device="cpu")


def test_the_floor_is_measured_on_the_layouts_the_model_was_trained_on():
    from synsp.training.floor import clip_layouts

    assert clip_layouts({}, "coco17") == {"coco17": 1.0}
    assert clip_layouts({"h36m17": 0.5, "mpii16": 0.25, "lsp14": 0.25}, "coco17") == \
        {"h36m17": 0.5, "mpii16": 0.25, "lsp14": 0.25}  # synsp-coco17-faceless: made-up faces only
    assert clip_layouts({"h36m17": 0.2, "lsp14": 0.0}, "coco17") == pytest.approx({"coco17": 0.8, "h36m17": 0.2})


@needs_data
def test_a_clips_first_and_last_frames_are_refined_too():
    """The step's Butterworth baseline turned its ends about the end frame (scipy's odd extension), which
    kept each clip's first and last frames near their input: 12.4 and 12.9 mm from the truth against 6.5
    inside (validation, 8 mm of white noise; floor.END_FIT)."""
    from synsp.data.mocap import load_clip
    from synsp.data.splits import load_split

    rng = np.random.default_rng(5)
    per_frame = []
    for name in load_split("val")[:6]:
        clean = load_clip(name, "h36m17")[:60].astype(np.float64)
        noisy = (clean + rng.normal(0, 8.0, clean.shape)).astype(np.float32)
        per_frame.append(np.linalg.norm(synsp.refine(noisy, fps=30) - clean, axis=-1).mean(axis=-1))
    per_frame = np.mean(per_frame, axis=0)
    assert per_frame[[0, -1]].mean() < 1.7 * np.median(per_frame)


@needs_data
def test_the_floor_warning_is_said_once_and_never_before_a_kind_error(tiny_model, capsys):
    """`synsp evaluate --checkpoint` said it twice, `refine --method smoothnet --checkpoint <synsp>` before
    its error (audit 14, finding 5)."""
    from synsp.cli import main
    from synsp.evaluation.compare import checkpoint_kinds, network_methods, quality_correlation
    from synsp.evaluation.protocol import make_cases
    from synsp.refining.methods import check_checkpoint

    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        with pytest.raises(Exception, match="is a synsp model"):
            check_checkpoint("smoothnet", str(tiny_model), None)
        assert checkpoint_kinds(str(tiny_model), ["synsp"]) == {"synsp": str(tiny_model)}
        network_methods("synsp", "3d", str(tiny_model))
        quality_correlation(make_cases("val", "typical", max_clips=1), str(tiny_model))
    assert not [w for w in said if "floor is not measured" in str(w.message)]
    x = np.cumsum(np.random.default_rng(0).normal(size=(40, 17, 3)), axis=0)
    np.save(tiny_model.parent / "x.npy", x)
    assert main(["refine", str(tiny_model.parent / "x.npy"), str(tiny_model.parent / "y.npy"), "--method",
                 "smoothnet", "--checkpoint", str(tiny_model)]) == 2
    err = capsys.readouterr().err
    assert "not measured" not in err and len(err.strip().splitlines()) == 1

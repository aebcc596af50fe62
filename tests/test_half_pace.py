"""Fast motion the pace does not read: a second look at half the pace, kept where it moves the poses far less
(synsp.inference.half_pace, on SynSP's route in synsp.refining.person)."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.inference import half_pace
from synsp.inference.half_pace import MIN_PACE, at_half_pace_if_nearer, half_rate
from walking import mpjpe

COVERED = (20.0, 30.0 / 0.7)


def _clip(n_frames: int = 120, hz: float = 2.0) -> np.ndarray:
    """(T, 5, 2) px: a body of 5 points 100 px apart, each swinging at ``hz`` (at 30 fps) by 40 px."""
    t = np.arange(n_frames)[:, None, None] / 30.0
    base = np.array([[0.0, 0.0], [100.0, 0.0], [0.0, 100.0], [100.0, 100.0], [50.0, 200.0]])[None]
    return base + 40.0 * np.sin(2 * np.pi * hz * t + np.arange(10).reshape(1, 5, 2))


def test_the_half_rate_is_kept_only_where_it_moves_the_poses_far_less():
    clean = _clip()
    noisy = clean + np.random.default_rng(0).normal(0.0, 2.0, clean.shape)
    calls = []

    def cutting(v, fps=None):  # cuts the motion at the clip's rate, keeps it at half
        calls.append(fps)
        return clean + (0.0 if fps else 0.5 * (clean.mean(0) - clean))
    out, chosen, half = at_half_pace_if_nearer(cutting, noisy, noisy, None, COVERED)
    assert half == 15.0 and chosen and np.array_equal(out, clean) and calls[-1] == 15.0  # the kept run is the last

    def good(v, fps=None):  # the same output at either rate: the clip's own
        return clean.copy()
    out, chosen, half = at_half_pace_if_nearer(good, noisy, noisy, None, COVERED)
    assert half == 15.0 and not chosen and np.array_equal(out, clean)



class _Recorder:
    """What a route records in its run (as a Refiner does): the rate it last ran at."""
    rate: float | None | str = "unset"


def test_the_route_runs_at_most_twice_and_what_it_records_is_the_kept_runs():
    clean = _clip()
    noisy = clean + np.random.default_rng(0).normal(0.0, 2.0, clean.shape)
    cut = clean + 0.5 * (clean.mean(0) - clean)  # the motion cut: far more than the noise from the input

    def route(outputs):
        calls, record = [], _Recorder()

        def run(v, fps=None):
            calls.append(fps)
            record.rate = fps
            rows = [person[bool(fps)] for person in outputs]  # (the clip's rate's, the half's) per person
            return np.stack(rows) if v.ndim == 4 else rows[0]
        return run, calls, record

    for outputs, kept, rate in [([(cut, clean)], True, 15.0),  # the half kept: its run is the last
                                ([(cut, cut)], False, None),  # cut at both rates: the first run's records put back
                                ([(cut, clean), (clean, clean)], [True, False], None)]:  # one person of two
        run, calls, record = route(outputs)
        values = noisy if len(outputs) == 1 else np.stack([noisy, noisy])
        out, chosen, half = at_half_pace_if_nearer(run, values, values, None, COVERED,
                                                   lambda: half_pace.recorded(record))
        assert calls == [None, 15.0] and np.array_equal(chosen, kept) and record.rate == rate
    # the clip's own output at the clip's rate: it moves the poses by their noise only, so the half rate could not
    # be kept (it would need a move below 0) and is not run
    run, calls, record = route([(clean, clean)])
    out, chosen, half = at_half_pace_if_nearer(run, noisy, noisy, None, COVERED, lambda: half_pace.recorded(record))
    assert calls == [None] and half == 15.0 and not chosen and np.array_equal(out, clean) and record.rate is None


def test_no_second_look_for_slow_motion_clean_input_or_a_rate_whose_half_the_network_runs_as_it_is():
    assert half_rate(None, COVERED, MIN_PACE, 0.01, "2d") == 15.0 and half_rate(24.0, COVERED, 0.2, 0.01, "3d") == 12.0
    assert half_rate(None, COVERED, 0.5 * MIN_PACE, 0.01, "2d") is None  # slow: no second run
    assert half_rate(None, COVERED, 0.3, 1e-5, "3d") is None  # nearly clean: its values are kept anyway
    assert half_rate(40.0, COVERED, 0.3, 0.01, "2d") is None and half_rate(12.0, COVERED, 0.3, 0.01, "2d") is None
    slow = _clip(hz=0.2)
    calls = []
    at_half_pace_if_nearer(lambda v, fps=None: calls.append(fps) or v, slow, slow + 1.0, None, COVERED)
    assert calls == [None]


@needs_data
@pytest.mark.parametrize("space, name, speed", [("2d", "dataset-1_walk-left_angry_001", 3),
                                                ("3d", "dataset-1_walk_not-confident_002", 2)])
def test_a_validation_walk_played_faster_under_light_noise_comes_out_nearer_than_its_input(space, name, speed,
                                                                                           monkeypatch):
    """A validation walk played 2-3 times as fast at 30 fps (every 2nd or 3rd frame), 2 px or 5 mm of white
    noise: without the second look the default came out worse than its input (2D 2.50 -> 3.42 px, 3D 7.90 ->
    8.09 mm: the pace reads it slow, and the network cut the motion); with it, nearer (2.06 px, 5.83 mm). Read at the
    old pace (motion_pace.QUICK 2): the pace's short lags now read the 2D walk at 3x fast, and without the second look
    it comes out nearer too (2.19 px)."""
    from synsp import motion_pace
    from synsp.data.camera import project, random_camera
    from synsp.data.mocap import load_clip
    from synsp.data.splits import load_split

    assert name in load_split("val")
    clean = load_clip(name, layout="coco17" if space == "2d" else "h36m17").astype(np.float64)[::speed]
    if space == "2d":
        clean = project(clean, random_camera(np.random.default_rng(3), subject=clean)).astype(np.float64)
    noise = np.random.default_rng(4).normal(0.0, 2.0 if space == "2d" else 5.0, clean.shape)
    noisy = (clean + noise).astype(np.float32)
    monkeypatch.setattr(motion_pace, "QUICK", 2.0)  # the pace as the second look was made for: reading the walk slow
    after = mpjpe(synsp.refine(noisy), clean)
    monkeypatch.setattr(half_pace, "MIN_PACE", np.inf)  # the step aside: main's output
    before = mpjpe(synsp.refine(noisy), clean)
    assert before > mpjpe(noisy, clean) > 1.2 * after


@needs_data
def test_synsp_runs_its_network_route_at_most_twice_per_look(monkeypatch):
    """The validation walk of the test above at 2 x in 3D keeps the half rate: the route ran three times before
    (the half, the clip's rate, the half again so that its records were the output's); now twice, the records
    put back instead."""
    from synsp.data.mocap import load_clip
    from synsp.inference.refiner import Refiner

    clean = load_clip("dataset-1_walk_not-confident_002", layout="h36m17").astype(np.float64)[::2]
    noisy = (clean + np.random.default_rng(4).normal(0.0, 5.0, clean.shape)).astype(np.float32)
    runs = []
    refine = Refiner.refine
    monkeypatch.setattr(Refiner, "refine", lambda self, *a, **k: runs.append(self.kind) or refine(self, *a, **k))
    synsp.refine(noisy)
    looked = runs.count("synsp")
    runs.clear()
    monkeypatch.setattr(half_pace, "MIN_PACE", np.inf)  # the step aside: one run per look
    synsp.refine(noisy)
    assert looked == 2 * runs.count("synsp") > 0


def _shake(n_frames: int, rng: np.random.Generator, rms: float) -> np.ndarray:
    """(T, 1, 3): a whole body's 3-8 Hz shake at 30 fps, ``rms`` per axis (a shaking camera's lifted output)."""
    spectrum = np.fft.rfft(rng.normal(0.0, 1.0, (n_frames, 3)), axis=0)
    hz = np.fft.rfftfreq(n_frames, 1.0 / 30.0)
    spectrum[(hz < 3.0) | (hz > 8.0)] = 0.0
    shake = np.fft.irfft(spectrum, n_frames, axis=0)
    return (rms * shake / shake.std())[:, None, :]


def test_in_3d_a_shake_of_the_whole_body_the_half_rate_keeps_is_no_cut_of_the_pose():
    """3D: the half rate's track fit passes a 3-8 Hz shake the clip's rate takes out; that is no cut of
    motion, which shows in the root-relative pose, so the clip's rate is kept; a cut of the pose still keeps
    the half's (2D reads every move: the network gives the body's place there)."""
    rng = np.random.default_rng(0)
    clean = np.concatenate([_clip(), np.zeros((120, 5, 1))], axis=-1)
    shake = _shake(120, rng, 15.0)
    noisy = clean + shake + rng.normal(0.0, 2.0, clean.shape)
    out, chosen, _ = at_half_pace_if_nearer(lambda v, fps=None: clean + (shake if fps else 0.0), noisy, noisy, None,
                                            COVERED)
    assert not chosen and np.array_equal(out, clean)
    cut = clean + 0.5 * (clean.mean(0) - clean)
    out, chosen, _ = at_half_pace_if_nearer(lambda v, fps=None: clean if fps else cut, noisy, noisy, None, COVERED)
    assert chosen and np.array_equal(out, clean)
    moves = rng.normal(0.0, 1.0, (2, 10, 5, 3)) + 7.0  # a shift of every joint is no move of the posture in 3D
    assert np.allclose(half_pace.posture_moves(moves), half_pace.posture_moves(moves - moves.mean(-2, keepdims=True)))
    assert half_pace.posture_moves(np.full((10, 5, 2), 3.0)) == 18.0


@needs_data
def test_a_validation_walk_under_a_shaking_camera_keeps_its_steadied_track(monkeypatch):
    """A validation walk (3D, mm) with a 15 mm 3-8 Hz shake of the whole body and 8 mm white noise: its pace
    asks for the second look, and a whole-body move read in it kept the half rate, whose track passed the shake
    (absolute MPJPE 22.2 mm, Savitzky-Golay 12.3); read in the pose, the clip's rate is kept (12.1)."""
    from synsp.data.mocap import load_clip
    from synsp.data.splits import load_split
    from synsp.filters import savgol

    name = "dataset-1_walk_chimpira_002"
    assert name in load_split("val")
    clean = load_clip(name, layout="h36m17").astype(np.float64)[:240]
    rng = np.random.default_rng(5)
    noisy = (clean + _shake(len(clean), rng, 15.0) + rng.normal(0.0, 8.0, clean.shape)).astype(np.float32)
    after = mpjpe(synsp.refine(noisy), clean)
    whole = lambda m: np.mean(np.sum(m ** 2, axis=-1), axis=(-2, -1))  # noqa: E731
    monkeypatch.setattr(half_pace, "posture_moves", whole)  # every move read, as before
    before = mpjpe(synsp.refine(noisy), clean)
    assert after < 1.1 * mpjpe(savgol(noisy), clean) and before > 1.4 * after


def test_the_noise_is_read_on_the_measured_values_alone():
    """Every 3rd frame a repeat of the one before (a 20 fps video shown at 30), refined as a gap and filled: read
    across the fills the noise read at under half its size; on the measured values alone, near the noise read without
    repeats. A joint without gaps, or with too few measured values, reads as before."""
    from synsp.inference.clean import input_noise
    from synsp.sequence import fill_gaps

    t = np.arange(300) / 30.0
    smooth = np.stack([100 * np.sin(2 * np.pi * 0.5 * t), 50 * np.cos(2 * np.pi * 0.3 * t)], axis=-1)
    poses = np.repeat(smooth[:, None], 3, axis=1) + np.random.default_rng(0).normal(0.0, 2.0, (300, 3, 2))
    gaps = np.zeros((300, 3), bool)
    gaps[2::3, :2] = True  # joints 0 and 1 repeated at a stride, joint 2 measured everywhere
    gaps[:-5, 1] = True  # joint 1: only 5 measured values
    filled = fill_gaps(np.where(gaps[..., None], np.nan, poses))[0]
    truth = input_noise(poses)
    across, alone = input_noise(filled), half_pace.measured_noise(filled, gaps)
    assert across[0] < 0.6 * truth[0] and abs(alone[0] - truth[0]) < 0.2 * truth[0]
    assert alone[1] == across[1] and alone[2] == across[2]
    assert np.array_equal(half_pace.measured_noise(filled, None), across)


@needs_data
def test_a_video_shown_at_a_higher_rate_than_filmed_is_refined_at_its_rate():
    """Audit 19, finding 2: a validation walk (2D, 2 px) with every 3rd frame a repeat of the one before was
    refined at half the rate (its noise read across the repeats' fills a fifth of its power) and came out behind
    SmoothNet (1.78 against 1.47 px); read on the measured values, it is refined at its rate, ahead of SmoothNet."""
    from synsp.data.camera import project, random_camera
    from synsp.data.mocap import load_clip

    clean = load_clip("dataset-1_walk-back_proud_001", layout="coco17").astype(np.float64)[:240]
    clean = project(clean, random_camera(np.random.default_rng(3), subject=clean)).astype(np.float64)
    noisy = clean + np.random.default_rng(1).normal(0.0, 2.0, clean.shape)
    keep = np.arange(len(noisy))
    keep[2::3] = keep[1::3][:len(keep[2::3])]
    noisy = noisy[keep].astype(np.float32)
    calls: list[float | None] = []
    model = synsp.refining.arrays.network_model("synsp", 2, "synsp-coco17", None, False)
    out = synsp.refine(noisy, layout="coco17", fps=30)
    calls.append(model.paced_fps)
    assert calls == [None]
    assert mpjpe(out, clean) < mpjpe(synsp.refine(noisy, "smoothnet", layout="coco17", fps=30), clean)

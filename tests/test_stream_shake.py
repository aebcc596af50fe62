"""A stream steadies a body its detector's box shakes whole, and a body whose size or orientation
wobbles, as offline refinement does (synsp.inference.stream_shake), and leaves each joint's own
noise to the other steps."""
from __future__ import annotations

import numpy as np

import synsp
from conftest import needs_data
from synsp.inference.body_shake import SHAKE_RAMP, WOBBLE_RAMP, shake_ratio, wobble_ratios
from synsp.inference.stream_shake import MIN_FRAMES, RunningShake
from synsp.inference.streaming import StreamingRefiner
from walking import box_jitter, mpjpe, walking, wobble


def _streamed(refiner, x: np.ndarray, **options) -> np.ndarray:
    return StreamingRefiner(refiner, **options).refine_all(x)


def test_the_running_ratio_reads_the_clips_ratio():
    clean, jittery = walking(150, noise=2.0)
    for x in (jittery, box_jitter(clean, 0.02)):
        step, x = RunningShake(3.0), x[:, None]  # (T, 1, J, C)
        for first in range(0, len(x) - 4, 2):  # two frames given back at a time, four after them
            step(x[first:first + 2], x[first:first + 2], x[first + 2:first + 6], x[first + 2:first + 6])
        np.testing.assert_allclose(step.ratio, shake_ratio(x[:-4, 0]), rtol=0.1)
    assert step.ratio[0] > SHAKE_RAMP[1]


def test_the_first_frames_are_given_back_as_they_came():
    """The ratio over a stream's first frame or two read up to 3.5 on validation clips of each
    joint's own noise (whole clips: at most 0.52); the step waits for MIN_FRAMES frames."""
    clean, _ = walking(60, noise=0.0)
    x = box_jitter(clean, 0.02)[:, None]
    step, out = RunningShake(3.0), []
    for first in range(0, 40, 2):
        out.append(step(x[first:first + 2], x[first:first + 2], x[first + 2:first + 6], x[first + 2:first + 6])[0])
    out = np.concatenate(out)
    np.testing.assert_array_equal(out[:MIN_FRAMES], x[:MIN_FRAMES])
    assert np.abs(out[MIN_FRAMES:] - x[MIN_FRAMES:40]).max() > 1.0


def test_a_stream_steadies_a_box_shaken_body_near_offline():
    """Before the step a stream kept a detector box's shake of the whole body that offline took out."""
    refiner = synsp.load_model("synsp-coco17")
    clean, _ = walking(150, noise=0.0)
    shaken = box_jitter(clean, 0.02).astype(np.float32)
    after, offline = _streamed(refiner, shaken), refiner.refine(shaken)
    refiner.shake_hz = None
    before = _streamed(refiner, shaken)
    assert mpjpe(after, clean) < 0.85 * mpjpe(before, clean)  # 3.71 -> 3.00 px
    assert mpjpe(after, clean) < 1.2 * mpjpe(offline, clean)  # 2.68: the first MIN_FRAMES frames as they were


def test_a_stream_of_each_joints_own_noise_is_left_as_it_was():
    refiner = synsp.load_model("synsp-coco17")
    jittery = walking(150, noise=2.0)[1].astype(np.float32)
    after = _streamed(refiner, jittery)
    refiner.shake_hz = None
    np.testing.assert_array_equal(after, _streamed(refiner, jittery))


def test_a_crowd_steadies_everyone_in_one_filter_call_as_each_alone(monkeypatch):
    from synsp.inference import stream_shake
    from synsp.inference.people_stream import MultiPersonStreamingRefiner

    refiner = synsp.load_model("synsp-coco17", quantize=False)  # int8 scales would mix the people's batch
    clean = [walking(90, noise=0.0, seed=i)[0] + 300.0 * i for i in range(3)]
    people = [box_jitter(clean[0], 0.02), walking(90, noise=2.0, seed=5)[1] + 300.0, box_jitter(clean[2], 0.02, 2)]
    calls, got = [], {i: [] for i in range(3)}
    butterworth = stream_shake.butterworth
    monkeypatch.setattr(stream_shake, "butterworth", lambda values, **kw: calls.append(values.shape)
                        or butterworth(values, **kw))
    crowd = MultiPersonStreamingRefiner(refiner)
    for t in range(90):
        before = len(calls)
        given = crowd.push(np.stack([x[t] for x in people]))
        for i, frames in given.items():
            got[i].append(frames)
        # the shaken people's tracks given back now, in one filter call; a person whose frames a path suspect held
        # (stream_path_cuts: the box-shaken third, twice) gives them back in calls of their own
        assert len(calls) - before <= 1 or max(len(frames) for frames in given.values()) > 1
    assert calls and max(shape[0] for shape in calls) == 2  # the two shaken people side by side
    for i, frames in crowd.flush().items():
        got[i].append(frames)
    stride = StreamingRefiner(refiner).stride
    for i, x in enumerate(people):  # each person's phase of the stride: the crowd's for a person seen at frame 0
        alone = _streamed(refiner, x, phase=i % stride)
        np.testing.assert_allclose(np.concatenate(got[i]), alone, rtol=1e-5, atol=1e-3)


def test_a_3d_stream_takes_no_track_step():
    """Offline steadies the joints' mean track in 2D only (3D poses come root-relative, the root's own
    noise moving their mean); a 3D stream must not take it either, only the size and orientation."""
    refiner = synsp.load_model("synsp-h36m17")
    assert refiner.shake_hz
    step = StreamingRefiner(refiner)._shake
    x = wobble(np.concatenate([walking(90, noise=0.0)[0], np.zeros((90, 17, 1))], -1), degrees=2.0)[:, None]
    x = x + np.random.default_rng(3).normal(0, 5.0, (len(x), 1, 1, 3))  # the mean track shaken too
    out = [step(x[t:t + 1], x[t:t + 1], x[t + 1:t + 5], x[t + 1:t + 5])[0] for t in range(80)]
    out = np.concatenate(out)
    assert np.abs(out - x[:80]).max() > 0.1  # the orientation steadied
    np.testing.assert_allclose(out.mean(axis=-2), x[:80].mean(axis=-2), atol=1e-9)  # not the track


def test_the_running_wobble_ratios_read_the_clips():
    clean, jittery = walking(150, noise=2.0)
    for x in (jittery, wobble(clean, size=0.03), wobble(jittery, degrees=2.0)):
        step, x = RunningShake(3.0), x[:, None]  # (T, 1, J, C)
        for first in range(0, len(x) - 4, 2):
            step(x[first:first + 2], x[first:first + 2], x[first + 2:first + 6], x[first + 2:first + 6])
        np.testing.assert_allclose(np.ravel(step.wobble), np.ravel(wobble_ratios(x[:-4, 0])), rtol=0.15)
    assert step.wobble[1][0] > WOBBLE_RAMP[0]  # 1.38: each joint's own noise too


def test_a_stream_steadies_a_wobbling_body():
    """Before the step a stream kept a whole-body size or orientation wobble that offline took out."""
    refiner = synsp.load_model("synsp-coco17")
    clean, _ = walking(150, noise=0.0)
    for wobbled in (wobble(clean, size=0.03), wobble(clean, degrees=2.0)):
        wobbled = wobbled.astype(np.float32)
        refiner.shake_hz = 3.0
        after = _streamed(refiner, wobbled)
        refiner.shake_hz = None
        before = _streamed(refiner, wobbled)
        assert mpjpe(after, clean) < 0.96 * mpjpe(before, clean)  # 0.93 with the fourth-stage 2D model (third: < 0.9)


@needs_data
def test_a_3d_stream_steadies_a_wobbling_body_and_leaves_the_simulators_errors():
    from synsp.evaluation.protocol import make_cases

    refiner = synsp.load_model("synsp-h36m17")
    case = make_cases("val", "typical", max_clips=1)[0]
    wobbled = wobble(case.clean.astype(np.float64), degrees=2.0).astype(np.float32)
    after, typical = _streamed(refiner, wobbled), _streamed(refiner, case.noisy)
    refiner.shake_hz = None
    assert mpjpe(after, case.clean) < 0.9 * mpjpe(_streamed(refiner, wobbled), case.clean)
    np.testing.assert_array_equal(typical, _streamed(refiner, case.noisy))


def test_a_stream_of_clean_poses_with_a_few_jumps_is_no_shake():
    """As offline (body_shake.shake_level): the whole body's fast part must be there in most frames
    given back so far, not in a few jumps, for the step to act."""
    from synsp.inference.body_shake import SHAKE_LEVEL

    clean, _ = walking(150, noise=0.0)
    for x, shaken in [(clean.copy(), False), (box_jitter(clean, 0.02), True)]:
        if not shaken:
            for start in (37, 75):
                x[start:start + 2] += [6.0, 8.0]
        assert shake_ratio(x) > SHAKE_RAMP[1]
        step, out, x = RunningShake(3.0), [], x[:, None]
        for first in range(0, len(x) - 4, 2):
            out.append(step(x[first:first + 2], x[first:first + 2], x[first + 2:first + 6], x[first + 2:first + 6])[0])
        assert (np.abs(np.concatenate(out) - x[:len(x) - 4]).max() > 0.1) == shaken
        assert (step.level[0] > SHAKE_LEVEL[1]) == shaken and (step.level[0] < SHAKE_LEVEL[0]) != shaken


def _energies_reference(x: np.ndarray, first: int, k: int, later: int) -> np.ndarray:
    """(k, 5) the energies a stream adds for frames first..first+k of ``x`` (T, J, C): the whole
    track's fast part (the last HISTORY given back, these, the later ones) read at those frames."""
    from synsp.inference.body_shake import shake_energies, wobble_energies
    from synsp.inference.clean import fast_part
    from synsp.inference.stream_floor import HISTORY

    start = max(0, first - HISTORY)
    values = np.asarray(x[start:first + k + later], np.float64)
    fast = fast_part(values)
    rows = slice(first - start, first - start + k)
    return np.concatenate([shake_energies(values, fast)[rows], wobble_energies(values, fast)[rows]], -1)


def test_the_energies_are_read_on_the_frames_given_back_only(monkeypatch):
    """The running figures sum the energies of the frames given back, read in the whole track's
    fast part: taking them over the whole track every frame (about 40 rows a person to read one or
    two) cost a crowd of ten about 1 ms a frame. The sums are those of the whole track's rows."""
    from synsp.inference import stream_shake

    clean, _ = walking(80, noise=0.0)
    x = box_jitter(clean, 0.02)
    rows, wobble = [], stream_shake.wobble_energies
    monkeypatch.setattr(stream_shake, "wobble_energies", lambda values, fast=None: rows.append(values.shape[-3])
                        or wobble(values, fast))
    step, sums = RunningShake(3.0), 0.0
    for first in range(0, 70, 2):
        now, later = x[first:first + 2, None], x[first + 2:first + 6, None]
        step(now, now, later, later)
        sums = sums + _energies_reference(x, first, 2, 4).sum(axis=0)
    assert set(rows) == {2}
    np.testing.assert_allclose(step._sums[0], sums, rtol=1e-12, atol=0)


def test_a_3d_stream_reads_no_shake_energies(monkeypatch):
    """A 3D stream takes no track step (test above), so the track step's energies are not read."""
    from synsp.inference import stream_shake

    monkeypatch.setattr(stream_shake, "shake_energies", lambda *a, **k: (_ for _ in ()).throw(AssertionError("read")))
    x = wobble(np.concatenate([walking(60, noise=0.0)[0], np.zeros((60, 17, 1))], -1), degrees=2.0)[:, None]
    step = RunningShake(3.0, track=False, layout="h36m17")
    for t in range(40):
        step(x[t:t + 1], x[t:t + 1], x[t + 1:t + 5], x[t + 1:t + 5])
    assert step._count == 40 and np.all(step.ratio == 0.0)


def test_a_crowds_shares_are_read_in_one_go_as_each_alone(monkeypatch):
    """shake_steps reads every person's ratios and wobble shares in one go (per person they cost a
    crowd of ten ~0.4 ms a frame in small numpy calls): one wobble_share call a frame, and each
    person's frames as their step alone gives them, bit for bit."""
    from synsp.inference import stream_shake
    from synsp.inference.stream_shake import shake_steps

    clean, jittery = walking(70, noise=2.0)
    people = [box_jitter(clean, 0.02)[:, None], jittery[:, None], wobble(clean, degrees=2.0)[:, None]]
    crowd, alone = [RunningShake(3.0) for _ in people], [RunningShake(3.0) for _ in people]
    calls, share = [], stream_shake.wobble_share
    monkeypatch.setattr(stream_shake, "wobble_share", lambda ratios: calls.append(1) or share(ratios))
    for t in range(60):
        before = len(calls)
        steps = shake_steps([(step, (x[t:t + 1], x[t:t + 1], x[t + 1:t + 5], x[t + 1:t + 5]))
                             for step, x in zip(crowd, people)])
        assert len(calls) - before == 1
        for step, x, got in zip(alone, people, steps):
            expected = step(x[t:t + 1], x[t:t + 1], x[t + 1:t + 5], x[t + 1:t + 5])
            np.testing.assert_array_equal(got[0], expected[0])
            np.testing.assert_array_equal(got[1], expected[1])

"""A second pass tells the network's pull from its correction (synsp.inference.repeated_pull)."""
from __future__ import annotations

import numpy as np

from conftest import needs_data
from synsp.inference.checkpoint import load_model
from synsp.inference.floor import drift_factor
from synsp.inference.repeated_pull import (
    PULL_RAMP,
    REPEAT_RAMP,
    REPEAT_RAMPS,
    TRIED_3D,
    pull_share,
    repeat_factor,
    repeat_note,
    repeated_share,
    second_pass,
    take_off_pull,
)
from synsp.skeleton import convert
from test_floor import summaries_with_and_without_the_step, turning


def _poses(seed: int = 0) -> np.ndarray:
    """(1, 120, 17, 2) slow motion in pixels."""
    t = np.arange(120)[:, None, None]
    rng = np.random.default_rng(seed)
    return (rng.uniform(200, 400, (17, 2)) + 20 * np.sin(t / 25 + rng.uniform(0, 6, (17, 2))))[None]


def test_a_pull_repeats_a_correction_does_not():
    x = _poses()
    pose = np.full((17, 2), 300.0)  # what a pull draws every input towards
    pull = repeated_share(lambda s: s + 0.3 * (pose - s), x)
    bias = np.random.default_rng(1).normal(0, 8, (17, 2))  # an estimator's constant error
    # a correction that finds it: each joint's mean put back on the truth's; the second pass finds nothing left
    correction = repeated_share(lambda s: s - (s.mean(axis=1, keepdims=True) - x.mean(axis=1, keepdims=True)), x + bias)
    assert np.isclose(pull[0], 0.7, atol=0.02)  # the second pass moves 0.7 as far, the same way
    assert abs(correction[0]) < 0.02
    assert repeated_share(lambda s: s, x)[0] == 0.0  # no correction at all: nothing repeats


def test_the_factor_spares_a_correction_and_cuts_a_pull():
    assert repeat_factor(0.2) == 0.0 and repeat_factor(0.5) == 1.0 and repeat_factor(0.9) == REPEAT_RAMP[1][-1]
    assert "kept whole" in repeat_note([0.2]) and "cut it back at 1.0-10.0" in repeat_note([0.5, 0.9])
    assert "cut back to the Butterworth filter's" in repeat_note([0.9], TRIED_3D, "the Butterworth filter's")


def _pixels(x3: np.ndarray) -> np.ndarray:
    return (convert(x3, "h36m17", "coco17")[..., :2] * [1.0, -1.0] / 4 + 300).astype(np.float32)  # y down


def test_the_2d_refiner_scales_its_floor_step_by_the_repeated_share():
    clean = _pixels(turning())
    noisy = np.stack([clean, clean[::-1]]) + np.random.default_rng(0).normal(0, 1.5, (2, *clean.shape))
    model = load_model("synsp-coco17")
    model.refine(noisy.astype(np.float32))
    assert model.repeated.shape == (2,)  # one share per person
    np.testing.assert_allclose(model.floor_strength, model.shrink * repeat_factor(model.repeated))
    model.repeat_ramp = None
    model.refine(noisy.astype(np.float32))
    assert model.repeated is None and (model.floor_strength == model.shrink).all()
    model3 = load_model("synsp-h36m17")  # 3D: the limbs' drift alone by default; the tried ramp on request
    model3.refine(turning().astype(np.float32))
    assert REPEAT_RAMPS["3d"] is None and model3.repeat_ramp is None and model3.repeated is None
    model3.repeat_ramp = TRIED_3D
    model3.refine(np.stack([turning(), turning()[::-1]]).astype(np.float32))
    np.testing.assert_allclose(model3.floor_strength, model3.shrink * drift_factor(model3.limb_drift)
                               * repeat_factor(model3.repeated, TRIED_3D))


@needs_data
def test_jitter_only_mocap_repeats_its_pull_and_comes_out_nearer_the_truth():
    """Validation clips: on jitter-only 2D input the network's slow correction repeats (its pull,
    not the input's error), the floor step cuts it harder and the output is nearer the truth than
    without the second pass; on `typical` input, whose slow errors the network corrects, the
    share is lower and the output no worse."""
    from synsp.evaluation.protocol import make_cases

    model = load_model("synsp-coco17")
    for preset in ("jitter", "typical"):
        errors = {True: [], False: []}
        shares = []
        for case in make_cases("val", preset, layout="coco17", space="2d", max_clips=4):
            for gate in (True, False):
                model.repeat_ramp = REPEAT_RAMP if gate else None
                out = model.refine(case.noisy)
                errors[gate].append(np.linalg.norm(out - case.clean, axis=-1).mean())
                if gate:
                    shares.append(float(model.repeated[0]))
        gated, plain = np.mean(errors[True]), np.mean(errors[False])
        if preset == "jitter":
            assert min(shares) > REPEAT_RAMP[0][1] and gated < 0.97 * plain, (shares, gated, plain)
        else:
            assert np.median(shares) < REPEAT_RAMP[0][1] and gated < 1.005 * plain, (shares, gated, plain)


def test_synsp_refine_says_what_the_second_pass_found(tmp_path):
    clean = _pixels(turning())
    noisy = clean + np.random.default_rng(0).normal(0, 3.0, clean.shape).astype(np.float32)
    done, whole = summaries_with_and_without_the_step(tmp_path, noisy, "--layout", "coco17", "--space", "2d")
    assert "second pass: refined again, the network repeats" in done
    assert "second pass:" not in whole  # no step, nothing measured


def test_the_summary_reads_the_ramp_the_refiner_used():
    from synsp.refining.methods import network_model
    from synsp.refining.summary import track_notes
    from synsp.refining.tracks import refine_tracks

    model = network_model("synsp", 3)
    ramp = ((0.0, 1.0), (2.0, 5.0))  # not the tried 3D ramp
    noisy = turning() + np.random.default_rng(0).normal(0, 3.0, turning().shape)
    try:
        model.repeat_ramp = ramp
        tracks = refine_tracks(noisy[None].astype(np.float32), "h36m17", "synsp")
    finally:
        model.repeat_ramp = REPEAT_RAMPS["3d"]
    assert tracks.repeat_ramp == ramp and tracks.repeats
    said = f"cut it back at {repeat_factor(tracks.repeats[0], ramp):.1f} x its strength"
    assert any(said in note for note in track_notes(tracks, 30.0)), said


def test_the_pull_a_second_pass_repeats_is_taken_off_and_a_correction_is_kept():
    x = _poses()
    pose = np.full((17, 2), 300.0)
    pulled = lambda s: s + 0.3 * (pose - s)  # noqa: E731  a pull: the second pass moves 0.7 as far again
    second = second_pass(pulled, x)
    assert pull_share(second.share[0]) == PULL_RAMP[1][-1] and pull_share(0.2) == 0.0
    taken = take_off_pull(pulled(x), second)
    assert np.abs(taken - x).mean() < 0.75 * np.abs(pulled(x) - x).mean()  # nearer what the input was
    bias = np.random.default_rng(1).normal(0, 8, (17, 2))
    corrected = lambda s: s - (s.mean(axis=1, keepdims=True) - x.mean(axis=1, keepdims=True))  # noqa: E731
    second = second_pass(corrected, x + bias)
    np.testing.assert_array_equal(take_off_pull(corrected(x + bias), second), corrected(x + bias))  # kept whole
    note = repeat_note([0.55], pull_ramp=PULL_RAMP)
    assert "after taking off 0.38 of the second pass's slow correction" in note
    assert "taking off" not in repeat_note([0.3], pull_ramp=PULL_RAMP)


@needs_data
def test_a_posture_the_network_pulls_comes_out_nearer_the_truth_under_little_noise():
    """bye_tired (a trunk bent sideways) under white noise of 1 px, validation: the network pulls
    it towards the actors' postures, which the floor step kept as a large correction (2.3 x the
    input's error, SmoothNet 0.86); its second pass repeats the pull and half of it is taken off.
    Since the slow correction of light white noise is limited to the noise (inference.white_noise),
    that step takes most of the pull off first, and taking off the repeated pull too costs a little here
    (0.66 -> 0.74 px; input 1.26, SmoothNet 1.08)."""
    from synsp.evaluation.protocol import make_cases

    case = next(c for c in make_cases("val", "clean-ish", layout="coco17", space="2d", max_clips=3)
                if "bye_tired" in c.name)
    noisy = (case.clean + np.random.default_rng(5).normal(0, 1.0, case.clean.shape)).astype(np.float32)
    model = load_model("synsp-coco17")
    error = lambda out: np.linalg.norm(out - case.clean, axis=-1).mean()  # noqa: E731
    taken = error(model.refine(noisy))
    assert taken < 0.65 * error(noisy) and taken < 0.75 * error(load_model("smoothnet-coco17").refine(noisy)), taken

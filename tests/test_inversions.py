"""Left/right inversions: pairs whose labels the input exchanged for a while are exchanged back (3D and 2D)."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.cli import main
from synsp.estimator_errors.inversions import inversions, without_inversions
from synsp.inference.checkpoint import default_model, load_model
from synsp.skeleton import H36M17, convert, get_layout

pytestmark = needs_data
WRISTS = H36M17.joints.index("left_wrist"), H36M17.joints.index("right_wrist")
RIGHT_ARM = [H36M17.joints.index(f"right_{j}") for j in ("elbow", "wrist")]
LEFT_ARM = [H36M17.joints.index(f"left_{j}") for j in ("elbow", "wrist")]


@pytest.fixture(scope="module")
def clip() -> np.ndarray:
    from synsp.data.mocap import load_clip

    x = load_clip("dataset-1_walk_normal_001", "h36m17")
    return x - x[:, :1]  # root-relative mm


def exchanged(x: np.ndarray, frames: slice, a: list[int], b: list[int]) -> np.ndarray:
    y = x.copy()
    y[frames, a + b] = x[frames, b + a]
    return y


def test_clean_motion_is_labelled_right(clip):
    assert not inversions(clip, H36M17.left_right, H36M17.bones).any()
    assert not inversions(clip[::3], H36M17.left_right, H36M17.bones).any()  # three times as fast


def test_a_second_of_exchanged_wrists_is_found_and_undone(clip):
    x = exchanged(clip, slice(100, 130), [WRISTS[0]], [WRISTS[1]])
    marked = inversions(x, H36M17.left_right, H36M17.bones)
    assert np.flatnonzero(marked[:, H36M17.left_right.index(WRISTS)]).tolist() == list(range(100, 130))
    assert marked.sum() == 30
    fixed, undone = without_inversions(x, H36M17)
    np.testing.assert_array_equal(fixed, clip)
    np.testing.assert_array_equal(undone, marked)


def test_an_exchanged_arm_keeps_its_own_bones_and_is_undone(clip):
    x = exchanged(clip, slice(60, 75), LEFT_ARM, RIGHT_ARM)
    fixed, undone = without_inversions(x, H36M17)
    np.testing.assert_array_equal(fixed, clip)
    assert undone.sum() == 30  # two pairs over 15 frames


def test_one_joint_gone_astray_beyond_its_partner_is_not_exchanged_with_it(clip):
    """A right elbow put 0.3 body sizes beyond the left one for 14 frames (another person's elbow)
    jumps less, exchanged with its partner, than kept: the pair's pass read an exchange, and the
    left elbow, right all along, took its error (audit: a BODY-25 `jitter` clip, 0.7 -> 218 px).
    An exchange moves both joints at its jumps; here the left elbow stays on its path at both."""
    left, right = (H36M17.joints.index(f"{side}_elbow") for side in ("left", "right"))
    side = clip[..., [0, 1]]  # a front view in 2D
    x = side.copy()
    away = x[60:74, left] - x[60:74, right]
    x[60:74, right] = x[60:74, left] + 0.3 * 1700 * away / np.linalg.norm(away, axis=-1, keepdims=True)
    marked = inversions(x, H36M17.left_right, H36M17.bones)
    assert not marked[:, H36M17.left_right.index((left, right))].any()
    swapped = exchanged(side, slice(60, 74), [left], [right])  # both moved: an exchange, still read
    assert inversions(swapped, H36M17.left_right, H36M17.bones)[:, H36M17.left_right.index((left, right))].sum() == 14


def test_an_exchange_from_a_crossing_is_found_from_there_not_from_the_first_frame(clip):
    """Seen from the side, a walk's knees cross; exchanged from a crossing (frame 15) up to a jump
    (frame 22), the Viterbi pass ran the exchange back to the clip's first frame, which the bone
    test then rejected: the knees stayed exchanged. It is now cut back to the crossing."""
    side = clip[..., [2, 1]]  # forward and up: a profile view
    knees = H36M17.joints.index("left_knee"), H36M17.joints.index("right_knee")
    x = exchanged(side, slice(15, 22), [knees[0]], [knees[1]])
    marked = inversions(x, H36M17.left_right, H36M17.bones)
    assert np.flatnonzero(marked[:, H36M17.left_right.index(knees)]).tolist() == list(range(16, 22))
    assert marked.sum() == 6  # frame 15, at the crossing, is a small error either way


def test_a_pair_exchanged_half_way_through_is_left_as_it_is(clip):
    x = exchanged(clip, slice(100, None), [WRISTS[0]], [WRISTS[1]])  # which half is right is not known
    assert not without_inversions(x, H36M17)[1].any()


def test_refine_exchanges_back_in_3d_and_in_2d(clip):
    x = exchanged(clip, slice(100, 130), LEFT_ARM, RIGHT_ARM)
    error = lambda y, truth: float(np.linalg.norm(y[100:130] - truth[100:130], axis=-1).mean())  # noqa: E731
    assert error(synsp.refine(x), clip) < 0.1 * error(x, clip)
    front = lambda poses: convert(poses[..., :2] * 0.2 + 500.0, "h36m17", "coco17")  # noqa: E731  (pixels)
    model = load_model(default_model("synsp", "2d"))
    assert error(model.refine(front(x)), front(clip)) < 0.2 * error(front(x), front(clip))
    assert model.inverted == 2 * 30


def test_a_file_says_how_many_pair_frames_were_exchanged(tmp_path, clip, capsys):
    src, dst = tmp_path / "walk.npy", tmp_path / "out.npz"
    np.save(src, exchanged(clip, slice(100, 130), [WRISTS[0]], [WRISTS[1]]).astype(np.float32))
    assert main(["refine", str(src), str(dst)]) == 0
    assert "inversions: left/right pairs carried each other's labels in 30 pair-frames" in capsys.readouterr().out


def test_other_layouts_are_exchanged_back_in_their_own_joints():
    """A Halpe-26 clip in world coordinates, read in its own joints."""
    from synsp.data.mocap import load_clip

    halpe = get_layout("halpe26")
    x = load_clip("dataset-1_walk_normal_001", "halpe26")
    arms = [[halpe.joints.index(f"{side}_{j}") for j in ("elbow", "wrist")] for side in ("left", "right")]
    fixed, marked = without_inversions(exchanged(x, slice(60, 90), arms[0], arms[1]), halpe)
    np.testing.assert_array_equal(fixed, x)
    assert marked.sum() == 60


@needs_data
@pytest.mark.parametrize("start", [30, 80])
def test_knees_exchanged_while_close_are_found(start):
    """A walk's knees 14-17 cm apart, exchanged for 4 frames: the jump is under 0.2 body sizes
    (28 cm here), but over the knees' own median distance apart, which now bounds the cost."""
    from synsp.data.mocap import load_clip

    layout = get_layout("h36m17")
    x = load_clip("dataset-1_walk_normal_001", "h36m17").astype(np.float64)[:120]
    knees = [layout.index("left_knee"), layout.index("right_knee")]
    y = x.copy()
    y[start:start + 4, knees] = y[start:start + 4, knees[::-1]]
    p = next(i for i, pair in enumerate(layout.left_right) if set(pair) == set(knees))
    found = inversions(y, layout.left_right, layout.bones)
    np.testing.assert_array_equal(np.flatnonzero(found[:, p]), np.arange(start, start + 4))
    assert not np.delete(found, p, axis=1).any()


@pytest.mark.parametrize("start", [50, 68])
def test_a_whole_leg_exchanged_while_the_ankles_were_close_is_undone_whole(start):
    """Hips, knees and ankles exchanged for 4 frames while the ankles pass each other (11-16 cm
    apart): the ankles hardly jump, and the knees' exchange alone would stretch the shins, so none
    was undone; now the ankles follow the knees down the leg (3D)."""
    from synsp.data.mocap import load_clip

    layout = get_layout("h36m17")
    x = load_clip("dataset-1_walk_normal_001", "h36m17").astype(np.float64)[:120]
    legs = [(layout.index(f"left_{n}"), layout.index(f"right_{n}")) for n in ("hip", "knee", "ankle")]
    y = x.copy()
    for a, b in legs:
        y[start:start + 4, [a, b]] = y[start:start + 4, [b, a]]
    found = inversions(y, layout.left_right, layout.bones)
    leg_pairs = [i for i, pair in enumerate(layout.left_right) if pair in legs or pair[::-1] in legs]
    for p in leg_pairs:
        np.testing.assert_array_equal(np.flatnonzero(found[:, p]), np.arange(start, start + 4))
    assert not np.delete(found, leg_pairs, axis=1).any()


@pytest.mark.parametrize("frames", [slice(40, 44), slice(30, 60)])
def test_a_whole_body_flipped_in_2d_is_exchanged_back_whole(frames):
    """A 2D walk whose every left/right label the estimator exchanged for 4 frames or a second
    (the person read facing the other way): each pair's own pass found some pairs only (the eyes,
    16 px apart, jump less than a change of labelling costs; the legs of the long flip not at all),
    so the body was undone piecewise. Most pairs jumping across at the same frames now exchange
    the whole body back."""
    from walking import walking

    coco = get_layout("coco17")
    _, noisy = walking(90, noise=2.0)
    x = noisy.copy()
    x[frames] = noisy[frames][:, coco.flip_index]
    fixed, marked = without_inversions(x, coco)
    flipped = np.zeros((90, len(coco.left_right)), dtype=bool)
    flipped[frames] = True
    np.testing.assert_array_equal(marked, flipped)
    np.testing.assert_array_equal(fixed, noisy)


def test_legs_exchanged_past_a_2d_flip_do_not_carry_the_body_with_them():
    """Every label exchanged for frames 40-43, the knees and ankles on to frame 69 (legs close
    together when the body flipped back: no jump). The legs' run (40, 70) was taken for a flip of
    the whole body: at its first end every pair jumps, and summed over its two ends that outweighed
    its second, where only the legs jump; the shoulders, arms, face and hips were exchanged for 26
    frames more. A flip now needs most pairs smoother exchanged at each end."""
    from walking import walking

    coco = get_layout("coco17")
    _, noisy = walking(90, noise=2.0)
    x = noisy.copy()
    x[40:44] = noisy[40:44][:, coco.flip_index]
    legs = [coco.left_right.index((coco.index(f"left_{n}"), coco.index(f"right_{n}"))) for n in ("knee", "ankle")]
    expected = np.zeros((90, len(coco.left_right)), dtype=bool)
    expected[40:44] = True
    for p in legs:
        left, right = coco.left_right[p]
        x[44:70, [left, right]] = noisy[44:70, [right, left]]
        expected[44:70, p] = True
    fixed, marked = without_inversions(x, coco)
    np.testing.assert_array_equal(marked, expected)
    np.testing.assert_array_equal(fixed, noisy)


@pytest.mark.parametrize("gap", [None, (40, 43), (130, 133)])
def test_a_gap_far_from_the_demo_flip_does_not_move_the_body_flip(gap):
    """README's demo as 17 COCO joints (frames 3-159): a 3-frame gap 25 frames before the flip
    (frames 68-71) tipped the knees' own pass (a jump at frame 115 worth 2 % less or more than a
    change of labelling, whose cost, the knees' median distance apart, the gap moves by 0.6 px) into
    reading the legs exchanged for frames 68-105, where the video shows them right from frame 73
    (they crossed back at 72-73, one frame after the body); the 2D whole-body rule then exchanged
    every pair there (308 pair-frames instead of 32). The knees' own reading stays that marginal
    (benchmarks/RESULTS.md, section 4), but the rest of the body is exchanged back over the flip
    only, and the legs not past frame 72, gap or not."""
    from synsp.estimator_errors.measurements import measurements
    from synsp.paths import data_root

    demo = np.load(data_root() / "mediapipe-sports2d" / "demo_mediapipe.npz")
    coco = get_layout("coco17")
    x = convert(demo["kp2d"][3:160, :, :2].astype(np.float64), "mediapipe33", "coco17")
    if gap:
        x[gap[0]:gap[1]] = np.nan
    marked = measurements(x, coco).exchanged
    legs = [coco.left_right.index((coco.index(f"left_{n}"), coco.index(f"right_{n}"))) for n in ("knee", "ankle")]
    for p in sorted(set(range(len(coco.left_right))) - set(legs)):
        assert (np.flatnonzero(marked[:, p]) + 3).tolist() == [68, 69, 70, 71], coco.left_right[p]
    for p in legs:  # with the body, and one frame more (MediaPipe's: crossed back at 72-73), not on to 105
        assert set(np.flatnonzero(marked[:, p]) + 3) & set(range(73, 104)) == set(), coco.left_right[p]


def test_a_pair_inverted_inside_a_3d_flip_keeps_the_labels_its_own_pass_read(clip):
    """Every label exchanged for a second (frames 40-69), the wrists exchanged again within it
    (frames 50-54: their labels right there). Each pair's pass reads it all; the whole-body rule
    exchanged every pair over the flip, the wrists at 50-54 too (validation: 3 clips of the 1-s
    flip, 57.060 -> 57.200 mm); in 3D it adds only the pairs their pass left alone."""
    x = clip.copy()
    x[40:70] = clip[40:70][:, H36M17.flip_index]
    x = exchanged(x, slice(50, 55), [WRISTS[0]], [WRISTS[1]])
    fixed, marked = without_inversions(x, H36M17)
    wrists = H36M17.left_right.index(WRISTS)
    assert np.flatnonzero(marked[:, wrists]).tolist() == [*range(40, 50), *range(55, 70)]
    np.testing.assert_array_equal(fixed, clip)


def test_the_mediapipe_demo_flip_is_undone_at_the_hips_and_knees_too():
    """README's demo: MediaPipe read the person facing the other way for frames 68-71, every
    label exchanged (the arms' x from 761 px to 483 and back, the hips' and knees' by 35-65 px);
    only the shoulders and arms were exchanged back, the hips and knees left on the wrong side.
    (The legs alone were exchanged for frames 115-117 too, as the video shows: read as a limb.)"""
    from synsp.paths import data_root

    demo = np.load(data_root() / "mediapipe-sports2d" / "demo_mediapipe.npz")
    kp2d = demo["kp2d"][3:169, :, :2]  # README's first 2D track
    coco = get_layout("coco17")
    fixed, marked = without_inversions(convert(kp2d.astype(np.float64), "mediapipe33", "coco17"), coco)
    for name in ("shoulder", "hip", "knee"):
        left, right = coco.index(f"left_{name}"), coco.index(f"right_{name}")
        flipped = np.flatnonzero(marked[:, coco.left_right.index((left, right))]) + 3
        assert flipped.tolist() == [68, 69, 70, 71] + [115, 116, 117] * (name == "knee"), name
        faces_us = fixed[68 - 3:72 - 3, left, 0] > fixed[68 - 3:72 - 3, right, 0]  # left on the image's right
        assert faces_us.all(), name


def test_a_leg_exchanged_for_3_frames_in_a_walk_whose_legs_labels_are_uncertain_is_exchanged_back():
    """A 2D walk whose knees and ankles carry each other's labels for 40 % of the clip (frames
    40-99: which part is right is not known, so it stays) and again for frames 120-122. Each pair's
    own pass held no majority and read nothing; the leg, read as one limb, is exchanged back over
    the 3 frames that the frames around them do not agree with, and nothing else."""
    from walking import walking

    coco = get_layout("coco17")
    _, noisy = walking(150, noise=2.0)
    legs = [coco.left_right.index((coco.index(f"left_{n}"), coco.index(f"right_{n}"))) for n in ("knee", "ankle")]
    x = noisy.copy()
    for frames in (slice(40, 100), slice(120, 123)):
        for p in legs:
            left, right = coco.left_right[p]
            x[frames, [left, right]] = noisy[frames, [right, left]]
    assert not inversions(x, coco.left_right, coco.bones).any()  # the pairs alone
    expected = np.zeros((150, len(coco.left_right)), dtype=bool)
    expected[120:123, legs] = True
    np.testing.assert_array_equal(without_inversions(x, coco)[1], expected)


def test_the_mediapipe_demo_leg_exchanged_for_3_frames_is_exchanged_back_whole():
    """README's MediaPipe demo, frames 115-117: the video shows the knee, ankle, heel and toes of
    each leg on the other leg (the hips right), between frames where they are right. No pair's own
    pass read it (the knees jump less than a change of labelling costs; the ankles' and feet's
    labels are uncertain over the clip); read as one limb, the whole leg is exchanged back there."""
    from synsp.estimator_errors.measurements import measurements
    from synsp.paths import data_root

    demo = np.load(data_root() / "mediapipe-sports2d" / "demo_mediapipe.npz")
    layout = get_layout("mediapipe33")
    x = np.where(demo["kp2d"][..., 2:] >= 0.3, demo["kp2d"][..., :2], np.nan).astype(np.float64)
    marked = measurements(x, layout).exchanged
    for name in ("knee", "ankle", "heel", "foot_index"):
        p = layout.left_right.index((layout.index(f"left_{name}"), layout.index(f"right_{name}")))
        assert set(range(115, 118)) <= set(np.flatnonzero(marked[:, p])), name
        assert not marked[[114, 118], p].any(), name
    hips = layout.left_right.index((layout.index("left_hip"), layout.index("right_hip")))
    assert not marked[100:130, hips].any()


def test_a_whole_body_flip_undone_in_3d_leaves_the_rest_of_the_demo_as_it_was(monkeypatch):
    """README's 3D demo, the whole-body rule off (``WHOLE_BODY``, as before) and on: MediaPipe read
    the person facing the other way for frames 68-71, its legs until frame 72. The rule exchanged
    every pair there, the legs too, leaving them a jump at 71-72; the routes after the measurement
    step (the converted track's SynSP and SmoothNet), reading its values again, then exchanged the
    feet over frames 118-200 (with a depth jump of MediaPipe's at 117-118), across the hips: the
    output moved by up to 0.9 m. In 3D the rule adds only pairs whose own motion agrees."""
    import synsp.estimator_errors.inversions as inv
    from synsp.paths import data_root

    x = np.load(data_root() / "mediapipe-sports2d" / "demo_mediapipe.npz")["kp3d_world"] * 1000.0  # mm
    monkeypatch.setattr(inv, "WHOLE_BODY", (2,))
    plain = synsp.refine(x, layout="mediapipe33")
    monkeypatch.setattr(inv, "WHOLE_BODY", (2, 3))
    whole = synsp.refine(x, layout="mediapipe33")
    mp = get_layout("mediapipe33")

    def across_hips(y: np.ndarray, joint: str) -> np.ndarray:  # (T,) mm along the hips' left-right axis
        left, right = y[:, mp.index("left_hip")], y[:, mp.index("right_hip")]
        axis = (left - right) / np.linalg.norm(left - right, axis=-1, keepdims=True)
        return ((y[:, mp.index(joint)] - (left + right) / 2) * axis).sum(-1)

    away = np.isfinite(plain).all(axis=(1, 2))
    away[60:80] = False  # the flip, and the network's windows beside it
    for foot in ("ankle", "heel", "foot_index"):
        for y in (plain, whole):
            assert (across_hips(y, f"left_{foot}") > across_hips(y, f"right_{foot}"))[away].all(), foot
    moved = np.linalg.norm(whole - plain, axis=-1)[away]
    assert moved.max() < 50.0, moved.max()


def _keeping_bones_one_bone_at_a_time(x, marked, index, bones):
    """The bone test as it was written first (a list of each touching bone's stretches): the reference."""
    from synsp.estimator_errors.inversions import _exchanged
    from synsp.sequence import nan_median, true_runs

    x_bones = np.asarray(bones, dtype=int)
    typical = nan_median(np.linalg.norm(x[:, x_bones[:, 0]] - x[:, x_bones[:, 1]], axis=-1), axis=0)
    fixed, kept = _exchanged(x, marked, index), marked.copy()
    for p, (left, right) in enumerate(index):
        touching = [(a, b, k) for k, (a, b) in enumerate(x_bones) if (a in (left, right)) != (b in (left, right))]
        for start, stop in true_runs(marked[:, p]) if touching else ():
            run = fixed[start:stop]
            undone = run.copy()
            undone[:, [left, right]] = run[:, [right, left]]

            def stretch(z):
                return float(np.nansum([np.abs(np.linalg.norm(z[:, a] - z[:, b], axis=-1) - typical[k])
                                        for a, b, k in touching]))

            if stretch(run) > stretch(undone):
                kept[start:stop, p] = False
    return kept


def test_the_bone_test_reads_every_touching_bone_at_once_with_the_same_sums():
    """inversions._keeping_bones sums a run's touching bones' stretches in one product (a list of
    per-bone norms per run and pair cost a crowd's lookahead ~0.3 ms a clip): the same runs kept,
    and the same sums to the last bit, on random runs, ties and NaN, 2D and 3D."""
    from synsp.estimator_errors.inversions import _keeping_bones

    rng = np.random.default_rng(4)
    for layout, c in (("coco17", 2), ("h36m17", 3)):
        lay = get_layout(layout)
        index = np.asarray(lay.left_right, dtype=int)
        for trial in range(60):
            x = rng.normal(size=(64, len(lay.joints), c)) * 100
            if trial % 3 == 0:
                x[rng.random(x.shape[:2]) < 0.1] = np.nan
            if trial % 4 == 0:  # mirror-symmetric bodies: exchanging a pair stretches nothing, a tie
                x[:, index[:, 1]] = x[:, index[:, 0]]
            marked = rng.random((64, len(index))) < 0.3
            np.testing.assert_array_equal(_keeping_bones(x, marked, index, lay.bones),
                                          _keeping_bones_one_bone_at_a_time(x, marked, index, lay.bones))


def test_a_fast_run_s_legs_swinging_past_each_other_are_no_exchange():
    """A validation run played 4 times as fast at 30 fps, seen by a random camera: its knees and ankles
    swing past each other within a frame, and the pass read 9 pair-frames exchanged on the clean clip. A
    run's jumps must now stand out of the pair's motion nearby (benchmarks/RESULTS.md, section 6, "Fast legs
    read as exchanged")."""
    from synsp.data.camera import project, random_camera
    from synsp.data.mocap import load_clip

    coco = get_layout("coco17")
    run = load_clip("dataset-2_run_normal_050", "coco17").astype(np.float64)[::4]
    x = project(run, random_camera(np.random.default_rng(2), subject=run))
    assert not without_inversions(x, coco)[1].any()


def test_a_leg_exchanged_in_a_run_at_its_own_pace_is_still_found():
    """The same run at its own pace with the left knee and ankle on the right leg for 5 frames: found."""
    from synsp.data.camera import project, random_camera
    from synsp.data.mocap import load_clip

    coco = get_layout("coco17")
    run = load_clip("dataset-2_run_normal_050", "coco17").astype(np.float64)
    clean = project(run, random_camera(np.random.default_rng(2), subject=run))
    legs = [coco.left_right.index((coco.index(f"left_{n}"), coco.index(f"right_{n}"))) for n in ("knee", "ankle")]
    x = clean.copy()
    for p in legs:
        left, right = coco.left_right[p]
        x[40:45, [left, right]] = clean[40:45, [right, left]]
    fixed, marked = without_inversions(x, coco)
    assert np.flatnonzero(marked.any(axis=1)).tolist() == list(range(40, 45))
    np.testing.assert_allclose(fixed, clean)

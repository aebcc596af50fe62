"""A waist-up person through the stream (audit 37, finding 1): the stream gives way to SmoothNet's while more than
``max_unseen`` of the joints have not been seen so far, as offline does (synsp.inference.stream_above), and a joint
never seen so far stands where offline puts it (synsp.inference.stream_fill)."""
from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np

from synsp.inference.checkpoint import load_model
from synsp.inference.people_stream import MultiPersonStreamingRefiner
from synsp.inference.stream_fill import moved_fill
from synsp.inference.streaming import StreamingRefiner
from synsp.integrations.stream import PoseStream
from synsp.integrations.stream_run import run_stream
from synsp.skeleton import LAYOUTS

# a clean validation walk (coco17, px) seen from 0, 75 and 89 degrees (tests/test_foreshortening.py)
VIEWS = np.load(Path(__file__).parent / "fixtures" / "cameras" / "seen_from_above.npz")
COCO = LAYOUTS["coco17"]
LOWER = [COCO.index(n) for n in ("left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle")]


def _walk(frames: int = 60) -> tuple[np.ndarray, np.ndarray]:
    """(clean, noisy) (T, 17, 2) px: the level view with 2 px of white noise."""
    clean = VIEWS["elevation_0"][:frames].astype(np.float32)
    return clean, clean + np.random.default_rng(0).normal(0, 2, clean.shape).astype(np.float32)


def _error(out: np.ndarray, clean: np.ndarray, seen: list[int]) -> float:
    return float(np.linalg.norm(out[:, seen] - clean[:, seen], axis=-1).mean())


def test_a_waist_up_stream_gives_way_to_smoothnet_and_is_no_worse_than_its_input():
    model = load_model("synsp-coco17")
    clean, noisy = _walk()
    noisy[:, LOWER] = np.nan
    seen = [j for j in range(17) if j not in LOWER]
    stream = StreamingRefiner(model)
    out = np.concatenate([*(stream.push(frame) for frame in noisy[:40]), np.zeros((0, 17, 2), np.float32)])
    assert stream.gave_way and abs(stream.unseen - 6 / 17) < 1e-6
    out = np.concatenate([out, *(stream.push(frame) for frame in noisy[40:]), stream.flush()])
    assert out.shape == noisy.shape and np.isnan(out[:, LOWER]).all() and np.isfinite(out[:, seen]).all()
    ways, model.max_unseen = model.max_unseen, None
    try:
        before = StreamingRefiner(model).refine_all(noisy)
    finally:
        model.max_unseen = ways
    given = _error(noisy, clean, seen)
    assert _error(out, clean, seen) < given < _error(before, clean, seen)  # before: SynSP on stand-in legs
    crowd = MultiPersonStreamingRefiner(model)  # a crowd's person the same
    people = [crowd.push(frame[None], ["a"]).get("a", np.zeros((0, 17, 2))) for frame in noisy]
    assert abs(crowd.gave_way("a") - 6 / 17) < 1e-6 and crowd.gave_way("b") == 0.0
    np.testing.assert_allclose(np.concatenate(people + [crowd.flush()["a"]]), out, atol=1e-4)


def test_legs_seen_at_last_hand_the_stream_back_to_synsp_without_a_jump():
    model = load_model("synsp-coco17")
    _, noisy = _walk(60)
    noisy[:20, LOWER] = np.nan  # the person steps back: the legs come into the picture at frame 20
    out = StreamingRefiner(model).refine_all(noisy)
    ways, model.max_unseen = model.max_unseen, None
    try:
        before = StreamingRefiner(model).refine_all(noisy)
    finally:
        model.max_unseen = ways
    np.testing.assert_array_equal(out[-24:], before[-24:])  # past the fade: SynSP's own frames, bit for bit
    steps = np.linalg.norm(np.diff(out[:, [0, 5, 6, 9, 10]], axis=0), axis=-1).max(-1)
    assert steps.max() < 2 * np.median(steps) + 2  # no jump where SmoothNet's share falls


def test_a_joint_never_seen_so_far_stands_where_offline_puts_it():
    body = np.random.default_rng(1).normal(0, 100, (1, 17, 2)).astype(np.float32)
    ankles = [COCO.index("left_ankle"), COCO.index("right_ankle")]
    given = body.copy()
    given[:, ankles] = np.nan
    seen = np.isfinite(given).all(-1)
    filled = moved_fill(given, None, COCO, seen)  # feet out of the picture: at their knees (2D), as offline
    np.testing.assert_array_equal(filled[0, ankles], body[0, [COCO.index("left_knee"), COCO.index("right_knee")]])
    given[:, COCO.index("right_ankle")] = body[:, COCO.index("right_ankle")]
    filled = moved_fill(given, None, COCO, np.isfinite(given).all(-1))  # one hidden: at its seen partner
    np.testing.assert_array_equal(filled[0, ankles[0]], body[0, ankles[1]])
    before = moved_fill(given, None, COCO)  # seen not given: the centroid, as before
    assert not np.array_equal(before[0, ankles[0]], filled[0, ankles[0]])


def test_synsp_stream_says_it_gave_way_once():
    _, noisy = _walk(40)
    lines = "".join(json.dumps({"t": t, "people": [{"id": 0, "keypoints": [
        None if j in LOWER else [float(v) for v in frame[j]] for j in range(17)]}]}) + "\n"
        for t, frame in enumerate(noisy))
    out, err = io.StringIO(), io.StringIO()
    run_stream(PoseStream(layout="coco17"), io.StringIO(lines), out, err)
    said = [line for line in err.getvalue().splitlines() if "not seen in any frame so far" in line]
    assert len(said) == 1 and "35%" in said[0] and "waist-up" in said[0]
    assert len(out.getvalue().splitlines()) == len(noisy)

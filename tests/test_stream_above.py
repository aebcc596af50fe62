"""A 2D stream seen from high above gives way to SmoothNet as offline refinement does, by the running
median of the trunk over the shoulders (synsp.inference.stream_above); a level one never runs SmoothNet."""
from __future__ import annotations

from pathlib import Path

import numpy as np

from synsp.inference.checkpoint import load_model
from synsp.inference.people_stream import MultiPersonStreamingRefiner
from synsp.inference.streaming import StreamingRefiner

# a clean validation walk (coco17, px) seen from 0, 75 and 89 degrees (tests/test_foreshortening.py)
VIEWS = np.load(Path(__file__).parent / "fixtures" / "cameras" / "seen_from_above.npz")


def moved(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b, axis=-1).mean())


def streamed(stream: StreamingRefiner, frames: np.ndarray) -> tuple[np.ndarray, bool]:
    """The stream's output, and whether it ran SmoothNet's stream alongside at any frame."""
    out, ran = [], False
    for frame in frames:
        out.append(stream.push(frame))
        above = getattr(stream, "_above", None)
        ran = ran or (above is not None and above.smooth is not None)
    return np.concatenate(out + [stream.flush()]), ran


def test_a_clean_walk_streamed_from_above_keeps_its_values_as_offline():
    model = load_model("synsp-coco17")
    above = VIEWS["elevation_89"][:60]
    out, ran = streamed(StreamingRefiner(model), above)
    assert moved(out, above) < 0.5  # before: 8.9 px (150 frames; offline 0.13, the stream 0.16)
    assert ran and out.shape == above.shape and np.isfinite(out).all()
    crowd = MultiPersonStreamingRefiner(model)  # a crowd's person the same
    people = [crowd.push(frame[None], ["a"]).get("a", np.zeros((0, 17, 2))) for frame in above]
    assert moved(np.concatenate(people + [crowd.flush()["a"]]), above) < 0.5


def test_a_level_stream_runs_no_smoothnet_and_is_unchanged():
    model = load_model("synsp-coco17")
    level = VIEWS["elevation_0"][:60]
    out, ran = streamed(StreamingRefiner(model), level)
    assert not ran
    ramp, model.foreshortened = model.foreshortened, None
    try:
        before, _ = streamed(StreamingRefiner(model), level)
    finally:
        model.foreshortened = ramp
    np.testing.assert_array_equal(out, before)

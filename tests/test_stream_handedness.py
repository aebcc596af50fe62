"""A mirrored (selfie) 2D stream: the handedness read on its first frames (synsp.inference.stream_handedness)."""
from __future__ import annotations

import types

import numpy as np

from synsp.inference import stream_handedness
from synsp.inference.checkpoint import load_model
from synsp.inference.handedness import MIRROR_READ
from synsp.inference.network_windows import WindowNetwork
from synsp.inference.stream_handedness import FIRST_READ, LAST_READ, RunningHandedness
from synsp.inference.streaming import StreamingRefiner
from test_floor import turning
from test_repeated_pull import _pixels


class _Stream(types.SimpleNamespace):
    """The stream's state the reading asks for and sets, through the stream's own methods."""
    turn = StreamingRefiner.turn
    mirror_from_now = StreamingRefiner.mirror_from_now


def _stub_stream(pull: float) -> _Stream:
    """A stream whose network pulls windows standing at positive x by ``pull`` px and those at negative x by 0.5."""
    def refine_windows(windows: np.ndarray, batch_size: int, mirrored: np.ndarray, outputs: tuple) -> dict:
        shift = np.where(windows[..., 0].mean(axis=(1, 2, 3)) > 0, pull, 0.5)[:, None, None, None, None]
        return {"final": windows + shift.astype(windows.dtype)}
    refiner = types.SimpleNamespace(upright=True, space="2d", network=types.SimpleNamespace(per_coordinate=False),
                                    window=8, mirrored=WindowNetwork.mirrored, refine_windows=refine_windows,
                                    batch_size=64)
    return _Stream(refiner=refiner, _windows=1, _axes=None, _pull="pulls so far")


def test_a_stream_whose_mirror_the_network_corrects_less_is_refined_mirrored_from_the_reading_on():
    seq = np.cumsum(np.random.default_rng(0).normal(0, 1, (LAST_READ + 8, 1, 17, 2)), axis=0) + [200.0, 300.0]
    stream = _stub_stream(pull=5.0)
    hand = RunningHandedness(stream)
    for t, frame in enumerate(seq.astype(np.float32)):
        hand.add(stream, frame)
        if t + 1 < FIRST_READ:
            assert hand.ratio is None and stream._axes is None  # nothing changes before the first reading
    assert hand.ratio > MIRROR_READ and hand.mirrored
    np.testing.assert_array_equal(stream._axes, np.diag([-1.0, 1.0]))  # mirrored once, not at every reading
    assert stream._pull.pulls == []  # the network's pull read afresh on the mirrored windows
    assert hand._inputs == [] and hand._outputs == []  # nothing kept after the last reading
    kept = _stub_stream(pull=0.5)  # no side is corrected more: the stream as given
    hand = RunningHandedness(kept)
    for frame in seq.astype(np.float32):
        hand.add(kept, frame)
    assert hand.ratio < MIRROR_READ and not hand.mirrored and kept._axes is None and kept._pull == "pulls so far"


def test_a_stream_not_read_as_mirrored_is_the_stream_without_the_reading():
    clean = _pixels(turning(FIRST_READ * 2 + 10))  # read twice
    x = (clean + np.random.default_rng(0).normal(0, 1.5, clean.shape)).astype(np.float32)
    model = load_model("synsp-coco17", device="cpu", quantize=False)
    stream = StreamingRefiner(model)
    read = stream.refine_all(x)
    assert stream._hand.reads
    kept = stream_handedness.LAST_READ
    stream_handedness.LAST_READ = 0  # no reading
    try:
        plain = StreamingRefiner(model).refine_all(x)
    finally:
        stream_handedness.LAST_READ = kept
    np.testing.assert_array_equal(read, plain)

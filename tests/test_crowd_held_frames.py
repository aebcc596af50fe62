"""A crowd's stream given several frames in one push (the frames held at a jump that was no cut, given on
together; a 3D stream's frames held for its unit) gives each of them back as the person's stream alone does.
Before, the crowd batched their emission after the last had moved the stream's input history on, and raised
``KeyError`` (audit 8, finding 0: two walkers crossing, the tracker's ids exchanged 5 frames before the crossing:
``synsp stream`` stopped at frame 75 and the frames from 60 on were lost; benchmarks/RESULTS.md, section 12,
"A crowd's stream given several frames at once")."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.data.camera import project, random_camera
from synsp.data.mocap import load_clip
from synsp.inference.checkpoint import load_model
from synsp.inference.people_stream import MultiPersonStreamingRefiner
from synsp.inference.streaming import StreamingRefiner

pytestmark = needs_data


@pytest.fixture(scope="module")
def models():
    return {"2d": load_model("synsp-coco17"), "3d": load_model("synsp-h36m17")}


def _same(got: np.ndarray, alone: np.ndarray) -> None:
    """The same poses up to float32 rounding: a crowd batches its people through the network, and a batch's size
    may change the order of a matrix product's sums (seen: 6e-5 px on 1500 px, numpy 2.4 with torch 2.13)."""
    np.testing.assert_allclose(got, alone, rtol=1e-6, atol=1e-4)


def _walkers_2d(t: int) -> np.ndarray:
    """Audit 8's pair 4: two walkers (coco17, pixels, ~500 px tall) crossing at frame 75, 2 px noise; (2, t, 17, 2)."""
    people = []
    for name, seed, x0, x1, scale in (("dataset-2_walk-turn-right_normal_004", 14, 300, 1600, 1.0),
                                      ("dataset-2_walk-turn-right_normal_015", 24, 1600, 300, 0.9)):
        clip = load_clip(name, "coco17")[:150].astype(np.float64)
        image = project(clip, random_camera(seed, subject=clip))
        image = (image - image.mean(1, keepdims=True)) * scale / (np.ptp(image[..., 1], axis=1).mean() / 500)
        people.append(image + np.stack([np.linspace(x0, x1, 150), np.full(150, 540.0)], -1)[:, None])
    x = np.stack(people)[:, :t]
    return (x + np.random.default_rng(1).normal(0, 2, x.shape)).astype(np.float32)


def _walkers_3d(t: int) -> np.ndarray:
    """Audit 8's 3D pair 1: two walkers (h36m17, mm) on crossing paths 400 mm apart in depth, 8 mm noise."""
    people = []
    for name, x0, x1, z, turn in (("dataset-1_walk-right_feminine_001", -1500, 1500, 0, False),
                                  ("dataset-1_walk-right_proud_001", 1500, -1500, 400, True)):
        g = load_clip(name)[:150].astype(np.float64)
        g[..., [0, 2]] -= g[:, :1, [0, 2]]
        if turn:
            g[..., [0, 2]] *= -1
        g[..., 0] += np.linspace(x0, x1, 150)[:, None]
        g[..., 2] += z
        people.append(g)
    x = np.stack(people)[:, :t]
    return (x + np.random.default_rng(1).normal(0, 8, x.shape)).astype(np.float32)


def _crowd_and_alone(model, x: np.ndarray) -> tuple[dict, dict]:
    """Ids 0 and 1 of ``x`` (2, T, J, C) through a crowd, and each id's frames through streams alone: one per
    stream the crowd ran for it (a new one where it told a switch of people), each with that stream's phase."""
    crowd, got, starts = MultiPersonStreamingRefiner(model), {0: [], 1: []}, {0: {}, 1: {}}
    for t in range(x.shape[1]):
        for pid, frames in crowd.push(x[:, t], [0, 1]).items():
            got[pid].append(frames)
        for pid, stream in crowd._people.items():
            starts[pid].setdefault(id(stream), (t, stream.phase))
    for pid, frames in crowd.flush().items():
        got[pid].append(frames)
    alone = {}
    for pid in (0, 1):
        spans = list(starts[pid].values()) + [(x.shape[1], None)]
        parts = []
        for (start, phase), (stop, _) in zip(spans[:-1], spans[1:]):
            stream = StreamingRefiner(model, phase=phase)
            parts += [stream.push(frame) for frame in x[pid, start:stop]] + [stream.flush()]
        alone[pid] = np.concatenate(parts)
    return {pid: np.concatenate(frames) for pid, frames in got.items()}, alone


def test_2d_crossing_with_ids_exchanged_and_back(models):
    """The tracker exchanges the ids at frame 70 (the bodies overlapping: a jump held and told no cut for one,
    a cut for the other) and back at 95 (a switch the crowd tells: new streams): before, KeyError at frame 75."""
    x = _walkers_2d(100)
    x[:, 70:95] = x[::-1, 70:95]
    got, alone = _crowd_and_alone(models["2d"], x)
    for pid in (0, 1):
        assert got[pid].shape == x[pid].shape and np.isfinite(got[pid]).all()  # every frame, none lost
        _same(got[pid], alone[pid])


def test_3d_crossing_with_ids_exchanged_for_good(models):
    x = _walkers_3d(90)
    x[:, 70:] = x[::-1, 70:]
    got, alone = _crowd_and_alone(models["3d"], x)
    for pid in (0, 1):
        assert got[pid].shape == x[pid].shape and np.isfinite(got[pid]).all()
        _same(got[pid], alone[pid])


def test_3d_frames_held_for_the_unit_come_out_as_alone(models):
    """A 3D person whose first 20 frames show 4 joints (no body to read the unit from): the stream holds them,
    then gives them all on in the push that shows a body."""
    x = _walkers_3d(50)[:1]
    x[0, :20, 4:] = np.nan
    got, alone = _crowd_and_alone(models["3d"], np.concatenate([x, x + 3000]))
    _same(got[0], alone[0])
    assert got[0].shape == x[0].shape and np.isfinite(got[0][20:]).all()

"""Labels by image side: a 2D body's labels that change with the picture's side at a turn are kept as given."""
from __future__ import annotations

import numpy as np
import pytest

from conftest import needs_data
from synsp.estimator_errors.measurements import measurements
from synsp.estimator_errors.side_labels import side_turns
from synsp.inference.stream_measurements import RunningMeasurements
from synsp.skeleton import get_layout

pytestmark = needs_data
COCO = get_layout("coco17")
LEGS = [p for p, (a, _) in enumerate(COCO.left_right) if COCO.joints[a].split("_")[1] in ("hip", "knee", "ankle")]


@pytest.fixture(scope="module")
def turn() -> tuple[np.ndarray, np.ndarray]:
    """A waving clip (mm) turned half round about the vertical over frames 40-60 and seen face-on (T, 17, 2), and
    whether each frame shows the back (T,)."""
    from synsp.data.mocap import load_clip

    x = load_clip("dataset-1_bye_tired_001", "coco17")[:150]
    t = np.arange(len(x))
    angle = np.pi * 0.5 * (1 - np.cos(np.pi * np.clip((t - 40) / 20, 0, 1)))
    hips = [COCO.joints.index(f"{s}_hip") for s in ("left", "right")]
    shoulders = [COCO.joints.index(f"{s}_shoulder") for s in ("left", "right")]
    up, rel = np.array([0.0, 1.0, 0.0]), x - x[:, hips].mean(1, keepdims=True)
    side = (x[:, shoulders[1]] - x[:, shoulders[0]]).mean(0) * [1, 0, 1]
    side /= np.linalg.norm(side)
    front = np.cross(up, side)
    across, ahead = rel @ side, rel @ front
    c, s = np.cos(angle)[:, None], np.sin(angle)[:, None]
    return np.stack([c * across - s * ahead, -(rel @ up)], -1), np.abs(angle) > np.pi / 2


def labelled(poses: np.ndarray, back: np.ndarray, pairs: list[int]) -> np.ndarray:
    """``poses`` with the left/right ``pairs`` (indices into COCO-17's) exchanged over the frames ``back``."""
    out = poses.copy()
    for p in pairs:
        a, b = COCO.left_right[p]
        out[back, a], out[back, b] = poses[back, b], poses[back, a]
    return out


def test_a_turn_labelled_by_image_side_is_read_as_the_estimators_labels(turn):
    poses, back = turn
    step = int(np.argmax(back)) - 1  # the last frame face-on
    every = range(len(COCO.left_right))
    assert side_turns(labelled(poses, back, list(every)), COCO)[step]
    assert not side_turns(poses, COCO).any()  # labels right: the hips' and shoulders' lines cross
    assert not side_turns(labelled(poses, back, LEGS), COCO).any()  # legs alone: the shoulders cross
    near = np.flatnonzero(side_turns(labelled(poses, back, list(every)), COCO))  # no step away from the turn
    assert near.min() >= step - 5 and near.max() <= step + 5


def test_a_stream_keeps_a_turn_labelled_by_image_side_as_it_came(turn):
    """Audit 38: the stream exchanged the arms back for 0.6 s after the turn (bye_tired 1.13 -> 6.59 px)."""
    poses, back = turn
    x = labelled(poses, back, list(range(len(COCO.left_right))))
    running = RunningMeasurements(COCO)
    out = np.stack([f[0] for frame in x for f in running.push(frame[None])] + [f[0] for f in running.flush()])
    assert np.abs(out - x).max() < 1.0
    assert not measurements(x, COCO).exchanged.any()  # offline: kept as given too
    legs = labelled(poses, back, LEGS)  # an error: exchanged back in a stream's window, the legs crossing the hips
    window = measurements(legs[: int(np.argmax(back)) + 8], COCO, open_end=True, window=64)
    assert window.exchanged[:, LEGS].all(1).any()

"""A frames-first (T, P, J, C) stack whose people change slots (rtmlib's detection order): linked one person per slot
by synsp.formats.stack_slots (audit 33 finding 4); a stack whose slots are persons is left as given."""
from __future__ import annotations

import numpy as np

from synsp.formats import read_poses, write_poses
from synsp.formats.stack_slots import by_person, slot_people


def _people(frames: int = 90, gap: float = 600.0, seed: int = 0) -> np.ndarray:
    """(T, 2, 17, 2) px: two people ~200 px tall, ``gap`` apart, walking towards each other (passing at gap 0)."""
    rng = np.random.default_rng(seed)
    t = np.arange(frames)[:, None, None]
    out = []
    for p, walk in enumerate((1.0, -1.0)):
        template = rng.uniform([0, 0], [80, 200], (17, 2))
        sway = 5 * np.sin(t / 6 + p + np.arange(17)[None, :, None])
        start = 300 + p * gap + (0 if gap else -walk * frames)
        walking = t * [walk * 2.0 * (gap == 0), 0.0]
        out.append(template + [start, 400] + sway + walking + rng.normal(0, 1, (frames, 17, 2)))
    return np.stack(out, 1).astype(np.float32)


def test_exchanged_slots_are_linked_one_person_per_slot_and_the_file_says_so(tmp_path):
    truth = _people()
    swap = np.zeros(len(truth), bool)
    swap[[5, 6, 7, 30, 31, 50, 70, 71, 72, 73]] = True
    stack = truth.copy()
    stack[swap] = stack[swap][:, ::-1]
    people = slot_people(stack, np.full(stack.shape[:3], 0.9))
    assert people is not None and (people[swap] == [1, 0]).all() and (people[~swap] == [0, 1]).all()
    assert np.array_equal(by_person(stack, people), truth)
    src = tmp_path / "rtm.npz"
    np.savez(src, keypoints=stack, scores=np.full(stack.shape[:3], 0.9, np.float32),
             bboxes=np.arange(len(stack) * 2 * 4, dtype=float).reshape(len(stack), 2, 4))
    data = read_poses(src)
    assert np.array_equal(data.poses, truth.transpose(1, 0, 2, 3))
    assert any(n.startswith("slots: people exchange slots in 10 of 90 frames") for n in data.extra["notes"])
    write_poses(tmp_path / "out.npz", data)
    back = np.load(tmp_path / "out.npz")
    assert np.array_equal(back["keypoints"], truth)  # one person per slot, frames first as read
    boxes = np.load(src)["bboxes"]
    assert np.array_equal(back["bboxes"][swap], boxes[swap][:, ::-1])  # a per-slot array moves with its person


def test_slots_that_are_persons_are_never_relinked_even_where_the_people_pass():
    for gap in (600.0, 0.0):  # far apart; walking through each other
        stack = _people(gap=gap, seed=1)
        assert slot_people(stack) is None
    padded = _people()
    padded[20:40, 1] = np.nan  # a person gone for a while: an empty slot, no exchange
    assert slot_people(padded) is None

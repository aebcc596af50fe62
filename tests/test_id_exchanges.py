"""A tracker's ids exchanged between two people (AlphaPose --pose_track idx, audit 35 finding 7): relinked, one
person per track, and said as an exchange, not as a video cut; a real cut and a stack without one left as given."""
from __future__ import annotations

import json

import numpy as np

import synsp
from synsp.refining.id_exchanges import id_exchanges, relinked
from synsp.skeleton import get_layout

PAIRS = get_layout("coco17").left_right


def _people(frames: int = 90, seed: int = 0) -> np.ndarray:
    """(2, T, 17, 2) px: an adult ~200 px tall and a child of 0.6 its size 150 px to its right, both swaying."""
    rng = np.random.default_rng(seed)
    t = np.arange(frames)[:, None, None]
    out = []
    for p, size in enumerate((1.0, 0.6)):
        template = rng.uniform([0, 0], [80, 200], (17, 2)) * size
        sway = 5 * np.sin(t / 6 + p + np.arange(17)[None, :, None])
        out.append(template + [300 + 150 * p, 400] + sway + t * [1.0, 0.0] + rng.normal(0, 1, (frames, 17, 2)))
    return np.stack(out)


def test_ids_exchanged_are_found_at_their_frame_and_relinked_and_a_real_cut_is_not():
    truth = _people()
    swapped = truth.copy()
    swapped[:, 45:] = truth[::-1, 45:]
    found = id_exchanges(swapped, PAIRS)
    assert [(t, owner.tolist()) for t, owner in found] == [(45, [1, 0])]
    assert np.array_equal(relinked(swapped, found), truth)
    assert id_exchanges(truth, PAIRS) == [] and id_exchanges(truth[:1], PAIRS) == []
    cut = truth.copy()
    cut[:, 45:] += [600.0, 200.0]  # both people elsewhere: a video cut
    assert id_exchanges(cut, PAIRS) == []


def test_an_alphapose_file_with_exchanged_idx_is_written_one_person_per_idx(tmp_path):
    truth = _people()
    results = []
    for t in range(truth.shape[1]):
        for k in (0, 1):
            person = k if t < 45 else 1 - k
            results.append({"image_id": f"{t}.jpg", "category_id": 1, "idx": k + 1, "score": 2.5,
                            "box": [float(person), 0.0, 50.0, 100.0],
                            "keypoints": np.c_[truth[person, t], np.full(17, 0.9)].ravel().tolist()})
    (tmp_path / "in.json").write_text(json.dumps(results))
    summary = synsp.refine_file(tmp_path / "in.json", tmp_path / "out.json", method="butterworth", fps=30.0)
    assert any(n.startswith("ids: a tracker exchanged the ids of 1 and 2 at frame 45 (1.50 s)") for n in summary.notes)
    assert not any(n.startswith("cuts:") for n in summary.notes)
    for res in json.loads((tmp_path / "out.json").read_text()):
        t, k = int(res["image_id"].split(".")[0]), res["idx"] - 1
        pose = np.reshape(res["keypoints"], (-1, 3))[:, :2]
        assert np.abs(pose - truth[k, t]).mean() < 10  # idx k + 1 follows person k throughout
        assert res["box"][0] == k  # the detection's own fields move with it

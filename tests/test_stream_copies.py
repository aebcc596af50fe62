"""``synsp stream`` reads joints copied from another as offline does (synsp.refining.copied_joints): H36M-17 or
COCO-17 plus a copy of joint 0 (18 keypoints) streamed with no --layout is refined as the 17 and the copy given back
as its refined original (before: every line refused, "person 0 has 18 keypoints, coco17 has 17")."""
from __future__ import annotations

import io
import json

import numpy as np

from conftest import needs_data
from synsp.integrations.stream import PoseStream, run_stream
from synsp.integrations.stream_copies import StreamCopies
from walking import walking

pytestmark = needs_data


def _stream(x: np.ndarray) -> tuple[np.ndarray, str]:
    lines = "".join(json.dumps({"t": t, "people": [{"id": 0, "keypoints": f.tolist()}]}) + "\n"
                    for t, f in enumerate(x))
    out, err = io.StringIO(), io.StringIO()
    run_stream(PoseStream("synsp", space="2d"), io.StringIO(lines), out, err)
    return np.array([json.loads(line)["people"][0]["keypoints"] for line in out.getvalue().splitlines()]), \
        err.getvalue()


def test_a_copied_joint_is_left_out_and_given_back_as_its_refined_original():
    x = walking(40)[1]
    alone, _ = _stream(x)
    copied, said = _stream(np.concatenate([x, x[:, :1]], axis=1))
    assert copied.shape == (40, 18, 2)
    assert np.array_equal(copied[:, :17], alone) and np.array_equal(copied[:, 17], copied[:, 0])
    assert said.count("joint 17 is a copy of joint 0") == 1


def test_a_line_whose_copy_differs_gives_it_as_it_came():
    x = walking(40)[1]
    y = np.concatenate([x, x[:, :1]], axis=1)
    y[20, 17] += 30.0  # not the original's value in one line
    out, said = _stream(y)
    assert np.allclose(out[20, 17], y[20, 17]) and np.array_equal(out[21, 17], out[21, 0])
    assert "not a copy of joint 0 in a line" in said


def test_no_copy_no_change():
    copies = StreamCopies(17, 2)
    pose = walking(5)[1][0]
    extra = np.concatenate([pose, pose[:1] + 7.0])  # an 18th joint of its own: refused as before (not 17 left)
    assert copies.strip(pose) is pose and copies.strip(extra) is extra and copies.found is None

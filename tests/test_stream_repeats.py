"""``synsp stream``: a track id given to two persons of a line (a tracker's slip) no longer drops the line: the
persons are matched to the ids free there by where each was last seen, a copy is left out, one warning a line."""
from __future__ import annotations

import io
import json

import numpy as np
import pytest

from synsp.integrations.stream import PoseStream, parse_frame, run_stream
from walking import walking


def _run(lines: list[str], strict: bool = False) -> tuple[list[dict], list[str]]:
    stdout, stderr = io.StringIO(), io.StringIO()
    run_stream(PoseStream("one-euro", layout="coco17"), io.StringIO("\n".join(lines) + "\n"), stdout, stderr,
               strict=strict)
    return [json.loads(line) for line in stdout.getvalue().splitlines()], stderr.getvalue().splitlines()


def test_an_id_twice_in_a_line_is_matched_to_the_id_it_took_and_a_copy_is_left_out():
    _, a = walking(40)
    b = a + np.array([300.0, 0.0])  # a second person beside the first
    slip, clean = [], []
    for t in range(40):
        people = [{"id": 7, "keypoints": a[t].round(3).tolist()}, {"id": 8, "keypoints": b[t].round(3).tolist()}]
        clean.append(json.dumps({"t": t, "people": people}))
        people = [dict(person) for person in people]
        if 20 <= t < 23:  # the tracker gives the second person the first's id
            people[1]["id"] = 7
        if t == 25:  # a box reported twice
            people.append({"id": 8, "keypoints": (b[t] + 0.5).round(3).tolist()})
        slip.append(json.dumps({"t": t, "people": people}))
    (out, said), (alone, quiet) = _run(slip), _run(clean)
    assert quiet == [] and [frame["t"] for frame in out] == list(range(40))
    assert [{p["id"]: p["keypoints"] for p in frame["people"]} for frame in out] == \
        [{p["id"]: p["keypoints"] for p in frame["people"]} for frame in alone]  # nobody lost, nobody mixed up
    assert said == [f"synsp stream: warning: line {n}: id 7 given to 2 persons (a tracker's slip): matched by where "
                    "each id was last seen, one now 8 (not in the line)" for n in (21, 22, 23)] + [
        "synsp stream: warning: line 26: id 8 given to 2 persons (a tracker's slip): matched by where each id was "
        "last seen; 1 left out of the line (1 a copy of another person, 0 matching no id free in it), the line's "
        "others refined",
        "synsp stream: 4 lines gave an id to two or more persons (noted above): matched to the ids free there, "
        "1 persons left out (copies, or matching no free id), the others refined"]
    with pytest.raises(ValueError, match="line 21: two persons with id 7"):  # --strict still stops
        _run(slip, strict=True)


def test_a_repeat_matching_no_free_id_is_left_out_alone_and_a_first_line_repeat_keeps_the_id():
    _, a = walking(12)
    far = a + np.array([2000.0, 0.0])  # nobody was seen there: no id to give it
    lines = [json.dumps({"people": [{"id": 0, "keypoints": a[t].tolist()}]
                         + ([{"id": 0, "keypoints": far[t].tolist()}] if t in (0, 6) else [])}) for t in range(12)]
    out, said = _run(lines)
    assert all([p["id"] for p in frame["people"]] == [0] for frame in out)
    assert np.allclose([frame["people"][0]["keypoints"] for frame in out], a, atol=40)  # the person, not the ghost
    assert len(said) == 3 and "line 7: id 0 given to 2 persons" in said[1] and "1 matching no id free" in said[1]
    frame = parse_frame(json.dumps({"people": [{"id": 1, "keypoints": a[0].tolist()}] * 2}), 0, skip_people=True)
    assert list(frame.people) == [1] and len(frame.repeated) == 1

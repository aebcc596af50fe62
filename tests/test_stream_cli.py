"""``synsp stream``: JSON lines in, refined JSON lines out, in order, with the bounded lag, equal
to the streaming API; bad lines are one-line errors."""
from __future__ import annotations

import importlib
import io
import json
import os
import re
import selectors
import subprocess
import sys
from functools import lru_cache
from pathlib import Path

import numpy as np
import pytest

import synsp
from synsp.errors import InternalError
from synsp.filters import OneEuroFilter
from synsp.inference.refiner import Refiner
from synsp.inference.stream_measurements import LOOKAHEAD
from synsp.inference.streaming import StreamingRefiner
from synsp.inference.swaa import window_starts
from synsp.integrations.stream import PoseStream, parse_frame, run_stream
from walking import walking

SRC = str(Path(__file__).resolve().parents[1] / "src")


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "synsp", "stream", *args]


def _env() -> dict:
    return {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "OMP_NUM_THREADS": "1"}


def _lines(frames: np.ndarray, with_conf: bool = False) -> list[str]:
    out = []
    for t, frame in enumerate(frames):
        kp = np.column_stack([frame, np.full(len(frame), 0.9)]) if with_conf else frame
        out.append(json.dumps({"t": 100 + t, "people": [{"id": 3, "keypoints": kp.tolist()}]}))
    return out


@lru_cache(maxsize=None)
def _model(name: str, device: str | None = None, quantize: bool | None = None) -> Refiner:
    """One load per model for the whole file, shared by every stream as ``synsp stream``'s cached_model
    shares it: tracing it for streaming (StreamingRefiner) took seconds each time it was loaded anew."""
    return synsp.load_model(name, device, quantize=quantize)


def _api(frames: np.ndarray, lag: int | None = None, quantize: bool | None = None, phase: int = 0) -> np.ndarray:
    stream = StreamingRefiner(_model("synsp-coco17", quantize=quantize), lag=lag, phase=phase)
    return stream.refine_all(frames)


def test_subprocess_output_count_order_shape_and_agreement_with_the_streaming_api():
    _, noisy = walking(40)
    text = "\n".join(_lines(noisy, with_conf=True)) + "\n"
    result = subprocess.run(_command(), input=text, capture_output=True, text=True, env=_env(), timeout=120)
    assert result.returncode == 0 and result.stderr == "", result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [frame["t"] for frame in out] == list(range(100, 140))
    points = np.array([frame["people"][0]["keypoints"] for frame in out])  # (T, 17, 3)
    assert points.shape == (40, 17, 3) and (points[..., 2] == 0.9).all()  # confidences passed through
    assert all(frame["people"][0]["id"] == 3 for frame in out)
    np.testing.assert_allclose(points[..., :2], _api(noisy), atol=1e-6)


class _Lines:
    """Lines of a pipe as they come, with a timeout (no buffering hides a line from select)."""

    def __init__(self, pipe):
        self.fd, self.buffer = pipe.fileno(), b""

    def read(self, timeout: float = 60.0) -> str | None:
        with selectors.DefaultSelector() as sel:
            sel.register(self.fd, selectors.EVENT_READ)
            while b"\n" not in self.buffer:
                if not sel.select(timeout):
                    return None
                chunk = os.read(self.fd, 1 << 16)
                if not chunk:
                    return None
                self.buffer += chunk
        line, self.buffer = self.buffer.split(b"\n", 1)
        return line.decode()


@pytest.mark.parametrize("args, lag", [((), 7 + LOOKAHEAD), (("--lookahead", "0"), 7), (("--method", "one-euro"), 0)])
def test_each_frame_comes_back_after_the_bounded_lag_line_by_line(args, lag):
    _, noisy = walking(14)
    proc = subprocess.Popen(_command(*args), stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                            env=_env())
    try:
        got, lines = [], _Lines(proc.stdout)
        for k, line in enumerate(_lines(noisy)):
            proc.stdin.write(line.encode() + b"\n")
            proc.stdin.flush()
            while k >= lag and (not got or got[-1] < 100 + k - lag):
                # past the first window and its lookahead (networks), frame k - lag is out once frame k is in
                reply = lines.read()
                assert reply is not None, f"no output after frame {k}"
                got.append(json.loads(reply)["t"])
            assert not got or got[-1] == 100 + k - lag  # and not a frame more
        proc.stdin.close()
        while (reply := lines.read()) is not None:
            got.append(json.loads(reply)["t"])
        assert got == list(range(100, 114))
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        proc.stdout.close()


def test_a_shorter_lag_gives_frames_back_sooner():
    _, noisy = walking(14)
    stream, got = PoseStream("synsp", lag=2), []
    for k, frame in enumerate(noisy):
        got += [line["t"] for line in stream.push(parse_frame(json.dumps(frame.tolist()), k))]
        # frames 0 .. k - 2 - LOOKAHEAD, once the first window is full and its frames measured
        assert got == list(range(k - 1 - LOOKAHEAD if k >= 7 + LOOKAHEAD else 0))
    assert got + [line["t"] for line in stream.close()] == list(range(14))
    stream, got = PoseStream("synsp", lag=2, lookahead=0), []  # frames go to the network as they come
    for k, frame in enumerate(noisy):
        got += [line["t"] for line in stream.push(parse_frame(json.dumps(frame.tolist()), k))]
        assert got == list(range(k - 1 if k >= 7 else 0))
    with pytest.raises(ValueError, match="lookahead"):
        PoseStream("one-euro", lookahead=3)


def test_bad_lines_are_skipped_with_one_line_errors_or_stop_with_strict():
    _, noisy = walking(12)
    lines = _lines(noisy)
    lines[3:3] = ["{bad json", '{"people": [{"id": 1, "keypoints": [[1, 2], [3, 4]]}]}', '"text"']
    result = subprocess.run(_command("--method", "one-euro", "--layout", "coco17"), input="\n".join(lines) + "\n",
                            capture_output=True, text=True, env=_env(), timeout=120)
    assert result.returncode == 0 and len(result.stdout.splitlines()) == 12
    errors = result.stderr.splitlines()
    assert len(errors) == 3 and "Traceback" not in result.stderr
    assert errors[0].startswith("synsp stream: line 4: not valid JSON")
    assert errors[1] == "synsp stream: line 5: person 1 has 2 keypoints, coco17 has 17; skipped"
    strict = subprocess.run(_command("--method", "one-euro", "--strict"), input="\n".join(lines) + "\n",
                            capture_output=True, text=True, env=_env(), timeout=120)
    assert strict.returncode == 2 and "Traceback" not in strict.stderr
    assert strict.stderr.strip() == "synsp stream: error: line 4: not valid JSON (Expecting property name " \
        "enclosed in double quotes at column 2)"


def test_a_malformed_person_is_skipped_alone_said_once_per_kind_and_counted():
    """A line's malformed person ({"id": 1, "keypoints": []}, 18 keypoints in COCO-17) dropped the whole
    line, its valid persons too; now only that person, said once per person and kind, counted at the end."""
    _, noisy = walking(30)
    lines = []
    for t, frame in enumerate(noisy):
        people = [{"id": 0, "keypoints": frame.tolist()}]
        if 10 <= t < 20:  # an empty list, then 18 keypoints, then 19: two kinds of problem
            people.append({"id": 1, "keypoints": [] if t < 14 else noisy[t, [0] * (18 if t < 17 else 19)].tolist()})
        lines.append(json.dumps({"t": t, "people": people}))
    runs = []
    for given in (lines, _lines(noisy)):
        stdout, stderr = io.StringIO(), io.StringIO()
        run_stream(PoseStream("one-euro", layout="coco17"), io.StringIO("\n".join(given) + "\n"), stdout, stderr)
        runs.append(([json.loads(line) for line in stdout.getvalue().splitlines()], stderr.getvalue().splitlines()))
    (out, said), (alone, _) = runs
    assert [frame["t"] for frame in out] == list(range(30)) and all(len(frame["people"]) == 1 for frame in out)
    assert [frame["people"][0]["keypoints"] for frame in out] == [frame["people"][0]["keypoints"] for frame in alone]
    assert said == ["synsp stream: line 11: person 1: keypoints must be a non-empty list of points; that person "
                    "skipped on this line, the line's others refined (so on later lines without a note; counted at "
                    "the end)",
                    "synsp stream: line 15: person 1 has 18 keypoints, coco17 has 17; that person skipped on this "
                    "line, the line's others refined (so on later lines without a note; counted at the end)",
                    "synsp stream: 10 malformed person entries skipped on 10 lines (noted above), the other persons "
                    "of those lines refined"]
    # a new malformed id on every line of a long stream: a few notes, not one a line
    many = [json.dumps({"people": [{"id": 0, "keypoints": noisy[t % 30].tolist()}, {"id": t + 1, "keypoints": []}]})
            for t in range(200)]
    stderr = io.StringIO()
    run_stream(PoseStream("one-euro", layout="coco17"), io.StringIO("\n".join(many) + "\n"), io.StringIO(), stderr)
    notes = stderr.getvalue().splitlines()
    assert len(notes) == 12 and "more malformed persons" in notes[10] and notes[11].startswith("synsp stream: 200 ")
    with pytest.raises(ValueError, match="line 11: person 1: keypoints must be a non-empty"):  # --strict stops
        run_stream(PoseStream("one-euro", layout="coco17"), io.StringIO("\n".join(lines) + "\n"), io.StringIO(),
                   io.StringIO(), strict=True)
    with pytest.raises(ValueError, match="non-empty"):  # nobody left: the line refused whole, as before
        parse_frame('{"people": [{"id": 1, "keypoints": []}]}', 0, skip_people=True)


@pytest.fixture
def float_network(monkeypatch):
    """``synsp stream``'s networks without int8: their activations are quantised per batch, so
    with several people in a batch each is refined only nearly as alone (test_speed_options)."""
    module = importlib.import_module("synsp.refining.methods")  # where network_model finds its models
    monkeypatch.setattr(module, "cached_model", lambda name, device: _model(name, device, quantize=False))


def test_people_entering_and_leaving_each_get_their_own_refiner(float_network):
    _, a = walking(40, seed=1)
    _, b = walking(40, seed=2)
    b = b + [300, 0]
    stream = PoseStream("synsp", timeout=5)
    out = []
    for t in range(40):
        people = [{"id": "a", "keypoints": a[t].tolist()}]
        if 10 <= t < 25:
            people.insert(0, {"id": 9, "keypoints": b[t].tolist()})
        out += stream.push(parse_frame(json.dumps({"t": t, "people": people}), t))
    out += stream.close()
    assert [frame["t"] for frame in out] == list(range(40))
    assert [[p["id"] for p in frame["people"]] for frame in out] == [[9, "a"] if 10 <= t < 25 else ["a"]
                                                                     for t in range(40)]
    got_a = np.array([frame["people"][-1]["keypoints"] for frame in out])
    got_b = np.array([frame["people"][0]["keypoints"] for frame in out[10:25]])
    # float32 networks batch the two people together: sums in another order differ by ~1e-5 px
    # on some CPUs (1.5e-5 seen), so "the same" is to 1e-4 px
    np.testing.assert_allclose(got_a, _api(a, quantize=False), atol=1e-4)
    alone = _api(b[10:25], quantize=False, phase=1)  # its windows fall due on the frames a's do not
    np.testing.assert_allclose(got_b[:8], alone[:8], atol=1e-4)  # as if streamed alone, until it left:
    assert np.abs(got_b - alone).max() < 10  # its last frames also saw it hold still until the timeout
    assert 9 not in stream._people  # dropped after the timeout


def test_ten_people_through_run_stream_each_as_if_streamed_alone(float_network, monkeypatch):
    # person i enters at frame i, listed in a shuffled order; one network batch per frame for all
    people = {f"p{i}": walking(40, seed=10 + i)[1][i:] + [60 * i, 0] for i in range(10)}
    order = np.random.default_rng(0).permutation(list(people))
    lines = [json.dumps({"t": f"f{t}", "people": [{"id": pid, "keypoints": people[pid][t - int(pid[1:])].tolist()}
                                                  for pid in order if int(pid[1:]) <= t]}) for t in range(40)]
    stream, stdout, stderr, calls = PoseStream("synsp"), io.StringIO(), io.StringIO(), []
    network = stream.model.refine_windows

    def counted(windows, *args, **kw):
        if not args:  # the stream's own batches; the second pass read early refines each person's frames so far,
            # and the handedness reading (stream_handedness) each person's first frames, apart
            calls.append(len(windows))
        return network(windows, *args, **kw)

    monkeypatch.setattr(stream.model, "refine_windows", counted)  # the model is shared (_model): put back after
    run_stream(stream, io.StringIO("\n".join(lines) + "\n"), stdout, stderr)
    # one batch per frame (two: keep_convention) holding every window due, not one per person
    model = stream.model
    due = sum(len(window_starts(40 - int(pid[1:]), model.window, model.stride)) for pid in people)
    # (at the end each person's last frames, still waiting for their lookahead, go alone)
    assert len(calls) <= 2 * (40 + len(people) * (LOOKAHEAD + 1)) and sum(calls) == 2 * due and max(calls) > 1
    out = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert stderr.getvalue() == "" and [frame["t"] for frame in out] == [f"f{t}" for t in range(40)]
    assert [[p["id"] for p in frame["people"]] for frame in out] == [[p for p in order if int(p[1:]) <= t]
                                                                     for t in range(40)]
    for pid, x in people.items():
        got = np.array([p["keypoints"] for frame in out for p in frame["people"] if p["id"] == pid])
        np.testing.assert_allclose(got, _api(x, quantize=False), atol=1e-3)  # pixels


def test_bare_lists_missing_joints_and_never_seen_joints():
    _, noisy = walking(10)
    stream = PoseStream("one-euro", fps=30)
    frames = []
    for t, frame in enumerate(noisy):
        kp = frame.tolist()
        kp[4] = None  # never detected
        kp[2] = [None, None] if t == 5 else kp[2]  # lost once
        frames += stream.push(parse_frame(json.dumps(kp), t))
    frames += stream.close()
    points = [frame["people"][0]["keypoints"] for frame in frames]
    assert len(points) == 10 and all(p[4] == [None, None] for p in points)
    assert points[5][2] == points[4][2]  # the filter holds its last estimate
    expected = OneEuroFilter(fps=30)
    seen = noisy.copy()
    seen[:, 4] = np.nan
    np.testing.assert_allclose(points[3][0], [expected(f)[0] for f in seen[:4]][-1])


def test_a_joint_that_is_not_numbers_is_missing_and_the_frame_kept_with_one_note():
    """Audit: one bad joint skipped the whole line, every person of the frame lost; and a NaN
    coordinate came back with its confidence 0.9 where a null joint's comes back 0 (not detected)."""
    _, noisy = walking(12)
    lines = []
    for t, frame in enumerate(noisy):
        people = [{"id": pid, "keypoints": np.column_stack([frame + 300 * pid, np.full(17, 0.9)]).tolist()}
                  for pid in (0, 1)]
        if t in (4, 6):
            people[0]["keypoints"][3] = ["a", "b", 0.9]
        if t == 8:
            people[1]["keypoints"][5] = [float("nan"), 1.0, 0.9]
            people[1]["keypoints"][6] = None
        lines.append(json.dumps({"t": t, "people": people}))
    stdout, stderr = io.StringIO(), io.StringIO()
    run_stream(PoseStream("one-euro", layout="coco17"), io.StringIO("\n".join(lines) + "\n"), stdout, stderr)
    out = [json.loads(line) for line in stdout.getvalue().splitlines()]
    assert [frame["t"] for frame in out] == list(range(12))
    assert all([p["id"] for p in frame["people"]] == [0, 1] for frame in out)
    assert stderr.getvalue().splitlines() == [
        'synsp stream: note: line 5: person 0 joint 3 is not numbers (["a", "b", 0.9]): read as not detected, the '
        "frame kept (so are such joints on later lines, without a note)"]
    bad = out[4]["people"][0]["keypoints"]
    assert bad[3][2] == 0.0 and None not in bad[3][:2]  # held at its last estimate, as a null joint is
    assert all(point[2] == 0.9 for j, point in enumerate(bad) if j != 3)
    assert out[8]["people"][1]["keypoints"][5][2] == 0.0 and out[8]["people"][1]["keypoints"][6][2] == 0.0
    assert None not in out[8]["people"][1]["keypoints"][5][:2]  # filled


@pytest.mark.parametrize("method", ["one-euro", "synsp"])
def test_a_null_joint_comes_back_filled_with_a_confidence_a_client_can_read_as_a_number(method):
    # audit: [x, y, null] came back, and a client reading kp[2] as a number broke
    _, noisy = walking(30)
    lines = []
    for t, frame in enumerate(noisy):
        keypoints = np.column_stack([frame, np.full(17, 0.8)]).tolist()
        if 12 <= t < 16:
            keypoints[9] = None  # a wrist not detected
        lines.append(json.dumps({"t": t, "people": [{"id": 0, "keypoints": keypoints}]}))
    stdout = io.StringIO()
    run_stream(PoseStream(method, layout="coco17"), io.StringIO("\n".join(lines) + "\n"), stdout, io.StringIO())
    out = [json.loads(line)["people"][0]["keypoints"] for line in stdout.getvalue().splitlines()]
    assert len(out) == 30 and all(isinstance(v, float) for frame in out for point in frame for v in point)
    assert [out[t][9][2] for t in range(11, 17)] == [0.8, 0.0, 0.0, 0.0, 0.0, 0.8]  # filled: confidence 0


@pytest.mark.parametrize("line, message", [
    ('{"people": 3}', "expected"), ('{"people": [{"id": 1}]}', "not an object with 'keypoints'"),
    ('{"people": [{"id": 1, "keypoints": []}]}', "non-empty"),
    ('{"people": [{"id": 1, "keypoints": [[1, 2], [3]]}]}', "regular array"),
    ('{"people": [{"id": 1, "keypoints": [[1, 2]]}, {"id": 1, "keypoints": [[1, 2]]}]}', "two persons with id 1"),
])
def test_frame_errors_name_the_problem(line, message):
    with pytest.raises(ValueError, match=message):
        parse_frame(line, 0)


def test_wrong_settings():
    with pytest.raises(ValueError, match="cannot stream"):
        PoseStream("savgol")
    with pytest.raises(ValueError, match="unknown layout 'kinect99'"):
        PoseStream("synsp", layout="kinect99")
    assert PoseStream("synsp", layout="body25").model.layout.name == "coco17"  # refined through it
    with pytest.raises(ValueError, match=r"lag must be an int in \[0, 7\]"):
        PoseStream("synsp", lag=8)
    stream = PoseStream("synsp", space="3d")
    with pytest.raises(ValueError, match="keypoints have 2 values; 3d takes 3"):
        stream.push(parse_frame("[[1, 2]]", 0))
    # SMPL's joints stream through the 3D model of positions, not the shipped rotation model named alike
    assert PoseStream("synsp", layout="smpl24", space="3d").model.layout.name == "h36m17"
    with pytest.raises(ValueError, match="3D keypoints: pass --space 3d"):
        PoseStream("synsp", layout="smpl24")


def test_one_euro_stream_does_not_import_torch():
    code = ("import sys\nfrom synsp.cli import main\nmain(['stream', '--method', 'one-euro'])\n"
            "print('torch' in sys.modules, file=sys.stderr)")
    result = subprocess.run([sys.executable, "-c", code], input="[[1, 2], [3, 4]]\n", capture_output=True, text=True,
                            env=_env(), timeout=120)
    assert result.stderr.strip() == "False" and json.loads(result.stdout)["people"][0]["keypoints"] == [[1, 2], [3, 4]]


def test_halpe26_streams_through_the_coco17_model(float_network):
    """Pose2Sim's and rtmlib's Halpe-26, live: COCO's 17 joints come back exactly as a COCO-17
    stream refines them, the feet, head, neck and hip filtered and moved with the model's correction."""
    clean, noisy = walking(40)
    mid = lambda x, a, b: (x[:, a] + x[:, b]) / 2  # noqa: E731
    extra = lambda x: np.concatenate([x[:, [0]] - [0, 25], mid(x, 5, 6)[:, None], mid(x, 11, 12)[:, None],  # noqa: E731
                                      x[:, [15, 16, 15, 16, 15, 16]] + [0, 12]], axis=1)
    halpe, truth = np.concatenate([noisy, extra(noisy)], axis=1), np.concatenate([clean, extra(clean)], axis=1)
    halpe[:, 17:] += np.random.default_rng(5).normal(0, 4, halpe[:, 17:].shape)  # its own jitter
    stream, out = PoseStream("synsp", layout="halpe26"), []
    for t, frame in enumerate(halpe):
        out += stream.push(parse_frame(json.dumps(frame.tolist()), t))
    out += stream.close()
    got = np.array([frame["people"][0]["keypoints"] for frame in out])
    assert got.shape == (40, 26, 2)
    np.testing.assert_allclose(got[:, :17], _api(noisy, quantize=False), atol=1e-3)
    error = lambda x: float(np.linalg.norm(x[:, 17:] - truth[:, 17:], axis=-1).mean())  # noqa: E731
    assert error(got) < 0.8 * error(halpe)


def _halpe(frames: np.ndarray) -> np.ndarray:
    """Halpe-26 (T, 26, 2) from COCO-17 frames: head top, neck, hip, and the feet near the ankles."""
    mid = lambda x, a, b: (x[:, a] + x[:, b]) / 2  # noqa: E731
    return np.concatenate([frames, frames[:, [0]] - [0, 25], mid(frames, 5, 6)[:, None], mid(frames, 11, 12)[:, None],
                           frames[:, [15, 16, 15, 16, 15, 16]] + [0, 12]], axis=1)


def test_other_layout_a_model_joint_never_seen_is_null_alone():
    """Halpe-26 with the left wrist null in every frame: the feet, head, neck and hip still
    come back refined (one unseen model joint voided every other joint's correction)."""
    _, noisy = walking(30)
    halpe = _halpe(noisy)
    stream, out = PoseStream("synsp", layout="halpe26"), []
    for t, frame in enumerate(halpe):
        kp = frame.tolist()
        kp[9] = None
        out += stream.push(parse_frame(json.dumps(kp), t))
    out += stream.close()
    got = np.array([[[np.nan if v is None else v for v in p] for p in f["people"][0]["keypoints"]] for f in out])
    assert got.shape == (30, 26, 2) and np.isnan(got[:, 9]).all()
    others = np.delete(np.arange(26), 9)
    assert np.isfinite(got[:, others]).all()
    assert np.linalg.norm(got[:, 17:] - halpe[:, 17:], axis=-1).mean() < 10  # pixels: refined, not lost


def test_other_layout_streams_with_smoothnet_and_its_longer_lag():
    """SmoothNet's lag is longer than the frames the Halpe-26 route kept for its Gaussian mean:
    every line from its window on failed (``np.stack([])``) and was reported as the line's fault."""
    clean, noisy = walking(45)
    halpe, truth = _halpe(noisy), _halpe(clean)
    stream, stdout, stderr = PoseStream("smoothnet", layout="halpe26"), io.StringIO(), io.StringIO()
    run_stream(stream, io.StringIO("\n".join(json.dumps(f.tolist()) for f in halpe) + "\n"), stdout, stderr)
    assert stderr.getvalue() == ""
    got = np.array([json.loads(line)["people"][0]["keypoints"] for line in stdout.getvalue().splitlines()])
    assert got.shape == (45, 26, 2)
    error = lambda x: float(np.linalg.norm(x - truth, axis=-1).mean())  # noqa: E731
    assert error(got) < error(halpe)


def test_an_internal_error_stops_the_stream_without_blaming_the_line(monkeypatch):
    stream, stdout, stderr = PoseStream("one-euro"), io.StringIO(), io.StringIO()
    monkeypatch.setattr(stream, "_place", lambda ready: np.stack([]))  # a bug of ours, after the line was read
    with pytest.raises(InternalError, match=r"^line 1: internal error \(ValueError: need at least one array"):
        run_stream(stream, io.StringIO("[[1, 2], [3, 4]]\n[[1, 2], [3, 4]]\n"), stdout, stderr)
    assert stderr.getvalue() == ""  # no "line 1: ...; skipped"


@pytest.mark.parametrize("at", [30, None])  # at line 30; at the end of the input (None)
def test_an_internal_error_writes_the_frames_held_first(monkeypatch, at):
    """Audit 8, finding 0: a crowd that raised took with it the frames it held (~10 lines); now they are written,
    those refined as refined, the rest as the lines gave them, then the error stops the stream."""
    _, noisy = walking(40)
    stream, stdout, stderr = PoseStream("synsp"), io.StringIO(), io.StringIO()
    crowd, pushed = stream._crowd, []

    def push(poses, ids):
        pushed.append(1)
        if len(pushed) == at:
            raise KeyError(60)  # a bug of ours
        return crowd_push(poses, ids)

    crowd_push = crowd.push
    monkeypatch.setattr(crowd, "push", push)
    if at is None:
        monkeypatch.setattr(crowd, "flush", lambda: {}[60])
    lines = "".join(json.dumps(frame.round(2).tolist()) + "\n" for frame in noisy)
    where = "line 30" if at else "at the end of the input"
    with pytest.raises(InternalError, match=rf"^{where}: internal error \(KeyError: 60\)") as error:
        run_stream(stream, io.StringIO(lines), stdout, stderr)
    got = np.array([json.loads(line)["people"][0]["keypoints"] for line in stdout.getvalue().splitlines()])
    assert len(got) == (at or 40)  # every frame pushed: none lost
    refined = len(got) - int(re.search(r"the (\d+) frames it held written", str(error.value)).group(1))
    assert 0 < refined < len(got) - 5  # those the crowd gave back, refined; then the held ones as they came
    assert np.allclose(got[refined:], noisy[refined:len(got)], atol=0.01)
    assert not np.allclose(got[refined - 1], noisy[refined - 1], atol=0.01)


@pytest.mark.parametrize("args, message", [
    (["--threads", "0"], "--threads must be a positive number of torch threads, got 0"),
    (["--method", "one-euro", "--threads", "-1"], "--threads must be a positive number of torch threads, got -1"),
    (["--threshold", "2"], "threshold must be a confidence in [0, 1], got 2.0"),
    (["--method", "one-euro", "--threshold", "nan"], "threshold must be a confidence in [0, 1], got nan"),
])
def test_bad_threads_and_threshold_are_one_line_errors(args, message, capsys, monkeypatch):
    from synsp.cli import main

    monkeypatch.setattr(sys, "stdin", io.StringIO("[[1, 2], [3, 4]]\n"))
    assert main(["stream", *args]) == 2
    assert capsys.readouterr().err == f"synsp stream: error: {message}\n"


def test_a_stream_of_which_no_line_could_be_refined_exits_2():
    """As the README's two-keypoint example streamed to a 17-joint layout: every line is skipped."""
    lines = [json.dumps({"t": t, "people": [{"id": 0, "keypoints": [[100 + 5 * t, 200, 0.9], [110, 260, 0.9]]}]})
             for t in range(3)]
    result = subprocess.run(_command("--method", "one-euro", "--layout", "coco17"), input="\n".join(lines) + "\n",
                            capture_output=True, text=True, env=_env(), timeout=120)
    assert result.returncode == 2 and result.stdout == ""
    errors = result.stderr.splitlines()
    assert errors[:3] == [f"synsp stream: line {n}: person 0 has 2 keypoints, coco17 has 17; skipped"
                          for n in (1, 2, 3)]
    assert errors[3:] == ["synsp stream: error: none of the 3 lines could be refined (each skipped above); "
                          "nothing written"]
    stdout = io.StringIO()  # one good line is enough: exit 0, as before
    run_stream(PoseStream("one-euro"), io.StringIO("\n".join(lines[:1] + ["{bad"]) + "\n"), stdout, io.StringIO())
    assert len(stdout.getvalue().splitlines()) == 1


def test_2d_scored_keypoints_are_not_streamed_as_3d():
    """[x, y, score] in H36M's order (3D lifters' input) read as 3D refined the scores as depths."""
    from synsp.skeleton import convert

    _, noisy = walking(12)
    h36m = convert(noisy, "coco17", "h36m17")
    scores = np.random.default_rng(0).uniform(0.5, 1, (12, 17, 1))
    for kp in (np.concatenate([h36m[0], scores[0]], -1), np.column_stack([h36m[0], np.full(17, 0.9)])):
        with pytest.raises(ValueError, match=r"read as \[x, y, confidence\].*pass --space 2d"):
            PoseStream("synsp", space="3d").push(parse_frame(json.dumps(kp.tolist()), 0))  # 3D asked for
    # --layout h36m17 (whose shipped model is 3D) without --space: the first line's [x, y, score] make it 2D (audit 25)
    for stream in (PoseStream("synsp", layout="h36m17", space="2d"), PoseStream("synsp", layout="h36m17")):
        _scored_h36m_streams_2d(stream, h36m, scores)
    body = np.random.default_rng(1).normal(0, 300, (17, 3)) + [0, 0, 4000]  # millimetres: still 3D
    assert PoseStream("synsp", space="3d").push(parse_frame(json.dumps(body.tolist()), 0)) == []


def _scored_h36m_streams_2d(stream: PoseStream, h36m: np.ndarray, scores: np.ndarray) -> None:
    """H36M-ordered [x, y, score] lines through the 2D model, as offline refine does; scores passed through."""
    out = [line for t in range(12)
           for line in stream.push(parse_frame(json.dumps(np.concatenate([h36m[t], scores[t]], -1).tolist()), t))]
    out += stream.close()
    got = np.array([frame["people"][0]["keypoints"] for frame in out])
    assert stream.model.layout.name == "coco17" and stream.space == "2d"
    assert got.shape == (12, 17, 3) and np.isfinite(got).all() and np.array_equal(got[..., 2], scores[..., 0])


def test_other_layout_does_not_average_across_a_switch_of_person():
    """The estimator jumps to someone 600 px away under the same id: the feet and head just
    after the jump are not averaged with, nor held at, the other person's (the MediaPipe demo's
    switch: 818 px from offline at worst before, 168 after)."""
    _, noisy = walking(40)
    halpe = _halpe(noisy)
    halpe[20:] += (600.0, 0.0)  # someone else from frame 20 on
    halpe[18:20, 17:] = np.nan  # the feet and head lost just before
    stream, out = PoseStream("synsp", layout="halpe26"), []
    for t, frame in enumerate(halpe):
        out += stream.push(parse_frame(json.dumps(frame.tolist()), t))
    out += stream.close()
    got = np.array([[[np.nan if v is None else v for v in p] for p in f["people"][0]["keypoints"]] for f in out])
    near = np.linalg.norm(got[16:24, 17:] - halpe[16:24, 17:], axis=-1)  # the extra joints around the jump
    assert np.nanmax(near) < 30, np.nanmax(near)  # before: 186 px at frame 20


def test_a_frame_no_window_covers_stops_the_stream_with_every_frame_written(monkeypatch):
    """Audit 10, finding 2: a frame the refiner never gave back held every later line, and the stream ended
    with none of them written and exit code 0. Now no window covering it raises at once (or at the end), and
    the frames held are written unrefined."""
    _, noisy = walking(40)
    accumulate = StreamingRefiner._accumulate

    def skip_frame_3(self, first, final):  # a bug of ours: the windows' sums never reach frame 3
        accumulate(self, first, final)
        self._sums.pop(3, None), self._counts.pop(3, None)

    monkeypatch.setattr(StreamingRefiner, "_accumulate", skip_frame_3)
    with pytest.raises(InternalError, match="frame 3 of the stream was covered by no window"):
        alone = StreamingRefiner(synsp.load_model("synsp-coco17"))
        for frame in noisy:
            alone.push(frame)
        alone.flush()
    stream, stdout = PoseStream("synsp"), io.StringIO()
    with pytest.raises(InternalError, match=r"^line \d+: internal error \(InternalError: frame 3 of the stream"):
        run_stream(stream, io.StringIO("".join(json.dumps(f.round(2).tolist()) + "\n" for f in noisy)), stdout,
                   io.StringIO())
    got = np.array([json.loads(line)["people"][0]["keypoints"] for line in stdout.getvalue().splitlines()])
    assert len(got) > 10 and np.allclose(got[3:], noisy[3:len(got)], atol=0.01)  # as the lines gave them


def test_a_person_frame_never_given_back_fails_the_end_of_the_stream(monkeypatch):
    _, noisy = walking(20)
    stream, stdout = PoseStream("synsp"), io.StringIO()
    monkeypatch.setattr(stream._crowd, "flush", lambda: {})  # a bug of ours: the tail never comes back
    with pytest.raises(InternalError, match="^at the end of the input: .* no frame for 10 person-frames"):
        run_stream(stream, io.StringIO("".join(json.dumps(f.round(2).tolist()) + "\n" for f in noisy)), stdout,
                   io.StringIO())
    assert len(stdout.getvalue().splitlines()) == 20

"""One long recording: a long span refined stretch by stretch (each deciding SynSP's route), a bar on a terminal
while one long file is refined, and a batch's per-file summary (``--summary FILE.jsonl``)."""
from __future__ import annotations

import json

import numpy as np
import pytest

from conftest import needs_data
from synsp.cli import main
from synsp.refining import progress, stretches
from synsp.refining.batch import fallback_lines
from test_refine_batch import corpus


def test_a_long_span_is_cut_into_overlapping_stretches_faded_together():
    assert stretches.stretches(1800, 30.0) == [(0, 1800)]  # a minute or less: whole, as before
    assert stretches.stretches(481, None) == [(0, 481)]  # the longest validation clip: far below
    bounds = stretches.stretches(9000, 30.0)
    assert bounds[0][0] == 0 and bounds[-1][1] == 9000
    assert all(b - a in range(850, 960) for a, b in bounds)  # about 30 s each
    assert all(prev[1] - nxt[0] == 60 for prev, nxt in zip(bounds, bounds[1:]))  # 2 s shared
    signal = np.random.default_rng(0).normal(size=(9000, 3, 2))
    np.testing.assert_allclose(stretches.blended([signal[a:b] for a, b in bounds], bounds), signal)
    steps = stretches.blended([np.full((b - a, 1, 1), float(i)) for i, (a, b) in enumerate(bounds)], bounds)
    faded = steps[bounds[1][0]:bounds[0][1], 0, 0]  # the first overlap: from 0 to 1, no step
    assert np.all(np.diff(faded) > 0) and 0 < faded[0] < 0.05 and 0.95 < faded[-1] < 1
    one = np.ones((5, 2, 2))
    assert stretches.blended([one], [(0, 5)]) is one


@needs_data
def test_a_long_span_whose_stretches_take_its_route_is_refined_whole(monkeypatch):
    """With the limits made short, a clip whose stretches all read SynSP's own route is refined as before."""
    import synsp
    from synsp.evaluation.protocol import make_cases
    from synsp.refining.tracks import refine_tracks

    noisy = make_cases("val", "typical", layout="coco17", space="2d", max_clips=1)[0].noisy[:150]
    before = refine_tracks(noisy[None], "coco17", "synsp", fps=30.0).refined[0]
    monkeypatch.setattr(stretches, "LONG_SPAN_S", 2.0)
    monkeypatch.setattr(stretches, "STRETCH_S", 2.0)
    monkeypatch.setattr(stretches, "OVERLAP_S", 0.3)
    assert len(stretches.stretches(len(noisy), 30.0)) >= 2
    np.testing.assert_array_equal(refine_tracks(noisy[None], "coco17", "synsp", fps=30.0).refined[0], before)
    np.testing.assert_array_equal(synsp.refine(noisy, layout="coco17", fps=30.0),
                                  refine_tracks(noisy[None], "coco17", "synsp", fps=30.0).refined[0])


class _Model:
    """A Refiner's route fields, set by the fake refinement below."""

    unlike_body, gave_way, from_above, flexed = False, False, 0.0, 0.0

    def clear_records(self) -> None:
        self.unlike_body, self.gave_way, self.from_above, self.flexed = False, False, 0.0, 0.0


def test_a_stretch_whose_route_differs_takes_its_own_output():
    x = np.zeros((3000, 4, 2))
    model = _Model()
    bounds = stretches.stretches(3000, 30.0)

    def refine(v):  # the whole span: SmoothNet (unlike); its last stretch alone: SynSP's own route, output 1
        last = refine.calls == len(bounds)
        refine.calls += 1
        model.unlike_body = not last
        return v + (1.0 if last else 0.0)
    refine.calls = 0
    out = stretches.along_stretches(x, refine, 30.0, model)
    a, b = bounds[-1]
    prev_end = bounds[-2][1]
    assert refine.calls == 1 + len(bounds)
    assert np.all(out[:a] == 0) and np.all(out[prev_end:] == 1)  # its own output beyond the overlap
    assert np.all(np.diff(out[a:prev_end, 0, 0]) > 0)  # faded in
    model.unlike_body = False
    whole = stretches.along_stretches(x, lambda v: v + 2.0, 30.0, model)
    np.testing.assert_array_equal(whole, x + 2.0)
    assert stretches.along_stretches(x, lambda v: v + 3.0, 30.0, None)[0, 0, 0] == 3.0  # no model: whole only


def test_a_bar_only_inside_file_progress_on_a_long_input(capsys):
    from synsp.refining.tracks import refine_tracks

    assert progress.frames_bar(10**6).disable  # not asked for: a log, a batch, the API
    with progress.file_progress(True):
        assert progress.frames_bar(progress.MIN_FRAMES - 1).disable  # done in a moment
    with progress.file_progress(False):
        assert progress.frames_bar(10**6).disable
    poses = np.cumsum(np.random.default_rng(1).normal(size=(1, 2000, 17, 2)), axis=1)
    refine_tracks(poses, "coco17", "savgol")
    assert capsys.readouterr().err == ""
    with progress.file_progress(True):
        refine_tracks(poses, "coco17", "savgol")
    assert "synsp refine:" in capsys.readouterr().err  # the frames of the spans, cleared at the end


def test_one_file_on_no_terminal_prints_no_bar(tmp_path, capsys):
    poses = np.cumsum(np.random.default_rng(1).normal(size=(2000, 17, 2)), axis=0) + 500
    np.save(tmp_path / "long.npy", poses.astype(np.float32))
    assert main(["refine", str(tmp_path / "long.npy"), str(tmp_path / "out.npy"), "--method", "savgol",
                 "--layout", "coco17"]) == 0
    captured = capsys.readouterr()
    assert captured.err == "" and "wrote" in captured.out


def test_a_batch_writes_each_files_summary(tmp_path, capsys):
    src = corpus(tmp_path)
    out, summary = tmp_path / "out", tmp_path / "summary.jsonl"
    assert main(["refine", str(src), str(out), "--method", "savgol", "--summary", str(summary)]) == 2
    rows = [json.loads(line) for line in summary.read_text().splitlines()]
    assert [row["status"] for row in rows] == ["failed", "refined", "refined", "refined"]
    broken, first = rows[0], rows[1]
    assert broken["input"].endswith("broken.npy") and broken["error"] and broken["notes"] == []
    assert first["output"] == str(out / "clip1.npy") and first["error"] is None
    assert any(line.startswith("wrote ") for line in first["notes"]) and first["fallback"] == []
    capsys.readouterr()
    main(["refine", str(src), str(out), "--method", "savgol", "--summary", str(summary)])  # resumed
    rows = [json.loads(line) for line in summary.read_text().splitlines()]
    assert [row["status"] for row in rows] == ["failed", "skipped", "skipped", "skipped"]
    assert main(["refine", str(src / "clip1.npy"), str(tmp_path / "one.npy"), "--summary", str(summary)]) == 2
    assert "--summary" in capsys.readouterr().err


def test_the_summary_lists_the_inputs_in_the_batchs_order(tmp_path):
    # by path, as the batch refines them: a folder's files after the folder's name ("a/c" before "a-b"), not as
    # strings ("a-b" < "a/c")
    src, out, summary = tmp_path / "in", tmp_path / "out", tmp_path / "summary.jsonl"
    (src / "a").mkdir(parents=True)
    poses = np.cumsum(np.random.default_rng(2).normal(size=(40, 17, 2)), axis=0) + 500
    for name in ("a-b.npy", "a/c.npy", "b.npy"):
        np.save(src / name, poses.astype(np.float32))
    assert main(["refine", str(src), str(out), "--method", "savgol", "--layout", "coco17",
                 "--summary", str(summary)]) == 0
    rows = [json.loads(line) for line in summary.read_text().splitlines()]
    assert [row["input"] for row in rows] == [str(src / name) for name in ("a/c.npy", "a-b.npy", "b.npy")]


def test_fallback_lines_are_the_routes_to_smoothnet():
    notes = ["layout: halpe26 -> coco17: 17 joints refined by SynSP, the other 9 by SmoothNet plus ...",
             "joint definitions: the input's differ ...: too far ..., so refined by SmoothNet, which works on any",
             "seen from above: the trunk is 1.13 x ... so refined by SmoothNet, which refines each joint on its own",
             "wrote out.npz: 1 track(s), 9000 frames, 393 joint values filled"]
    assert fallback_lines(notes) == notes[1:3]


@pytest.mark.parametrize("frames", [1801, 2999, 9000, 27001])
def test_stretches_cover_every_frame_once_or_in_one_overlap(frames):
    bounds = stretches.stretches(frames, 30.0)
    covered = np.zeros(frames, int)
    for a, b in bounds:
        covered[a:b] += 1
    assert covered.min() == 1 and covered.max() == 2


def test_the_summary_says_in_which_share_of_the_frames_smoothnet_took_over():
    from synsp.refining.tracks import partly_note

    assert partly_note([]) == partly_note([1.0]) == ""
    assert partly_note([0.4, 1.0]).startswith(" in 40%, 100% of the frames (the spans between cuts and the stretches")

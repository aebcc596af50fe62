"""Files whose frames are unevenly spaced in time (a phone's variable frame rate, dropped frames):
refined on an even grid and given back at the file's own times; evenly spaced files untouched.

``fixtures/formats/phone_uneven.trc``: 50 frames of three markers each on a 1.5 Hz circle of
0.1 m (z half that), sampled at steps of 1/30 s jittered by +-30 % with two frames dropped
(steps 24-70 ms), Time written to 0.1 ms: a smooth motion, so any change is the refiner's error.
"""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import synsp.refining.uneven_times as uneven_times
from conftest import needs_data
from synsp.formats import read_poses
from synsp.refining.clock_cuts import file_cuts
from synsp.refining.files import refine_file
from synsp.refining.uneven_times import even_grid, file_times, refine_tracks_at, to_grid

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "formats"
UNEVEN = FIXTURES / "phone_uneven.trc"
EVEN = FIXTURES / "pose2sim_halpe26.trc"


def _truth(times: np.ndarray) -> np.ndarray:
    """The fixture's motion (T, 3, 3) in mm at ``times`` (s)."""
    base = np.array([[0.0, 1.4, 0.0], [0.1, 1.0, 0.0], [-0.1, 1.0, 0.0]])
    w = 2 * np.pi * 1.5 * times[:, None] + np.array([0.0, 1.0, 2.0])
    return 1000 * (base[None] + 0.1 * np.stack([np.cos(w), np.sin(w), 0.5 * np.sin(w + 0.5)], -1))


def test_uneven_file_keeps_its_times_and_frames_and_says_what_was_done(tmp_path):
    summary = refine_file(UNEVEN, tmp_path / "out.trc", method="butterworth")
    rows_in = UNEVEN.read_text().splitlines()[5:]
    rows_out = (tmp_path / "out.trc").read_text().splitlines()[5:]
    assert len(rows_out) == len(rows_in) == 50
    assert [r.split("\t")[:2] for r in rows_out] == [r.split("\t")[:2] for r in rows_in]  # Frame#, Time as read
    lines = [line for line in str(summary).splitlines() if line.startswith("time:")]
    assert len(lines) == 1 and "refined on an even grid at" in lines[0] and "50 times" in lines[0]


def test_uneven_file_is_refined_at_its_own_times(tmp_path):
    """A smooth motion sampled unevenly looks jittery frame by frame: refined as if evenly spaced,
    a Butterworth moved it by millimetres; on the even grid it stays on the motion."""
    refine_file(UNEVEN, tmp_path / "out.trc", method="butterworth")
    data = read_poses(tmp_path / "out.trc")
    truth = _truth(np.asarray(data.extra["trc"]["times"]))
    after = np.linalg.norm(data.poses[0] - truth, axis=-1).mean()
    tracks, _ = refine_tracks_at(read_poses(UNEVEN).poses, None, None, "butterworth", fps=30.0)  # as if even
    before = np.linalg.norm(tracks.refined[0] - truth, axis=-1).mean()
    assert after < 0.5 * before and after < 2.0, (before, after)


def test_even_files_take_the_old_path_unchanged(tmp_path, monkeypatch):
    """An evenly spaced file (Time to the millisecond) is never resampled: refined as before."""
    assert file_times(read_poses(EVEN)) is None

    def boom(*args, **kwargs):
        raise AssertionError("an even file was resampled")

    monkeypatch.setattr(uneven_times, "to_grid", boom)
    summary = refine_file(EVEN, tmp_path / "out.trc", method="butterworth")
    assert "time:" not in str(summary) and len((tmp_path / "out.trc").read_text().splitlines()) == 65


def test_even_times_written_with_few_digits_are_even(tmp_path):
    """30 fps to 0.01 s (steps of 30 and 40 ms) is even, rounded: not resampled; a dropped frame is not."""
    data = read_poses(EVEN)
    data.extra["trc"]["times"] = np.round(np.arange(60) / 30, 2).tolist()
    data.extra["trc"]["time_decimals"] = 2
    assert file_times(data) is None
    data.extra["trc"]["times"] = np.round(np.delete(np.arange(61), 20) / 30, 2).tolist()
    assert file_times(data) is not None


def test_grid_is_even_spans_the_file_and_follows_a_faster_part():
    rng = np.random.default_rng(0)
    times = np.concatenate([[0], np.cumsum(rng.uniform(0.8, 1.2, 99) / 30)])
    grid = even_grid(times)
    assert grid[0] == times[0] and grid[-1] == times[-1] and np.allclose(np.diff(grid), grid[1] - grid[0])
    assert len(grid) == len(times)  # jittered steps: as many grid frames as the file's
    switched = np.concatenate([np.arange(60) / 30, 2 + np.arange(1, 121) / 60])  # 2 s at 30 fps, then 60 fps
    assert abs(1 / (even_grid(switched)[1] - even_grid(switched)[0]) - 60) < 1


def test_frames_dropped_longer_than_the_gap_rule_stay_missing_on_the_grid():
    times = np.concatenate([np.arange(30) / 30, 1.5 + np.arange(30) / 30])  # 0.53 s with no frame
    poses = np.ones((1, 60, 2, 3), np.float32) * times[None, :, None, None]
    grid = even_grid(times)
    inside = (grid > times[29] + 0.02) & (grid < times[30] - 0.02)
    assert np.isnan(to_grid(poses, times, grid, max_gap=5)[0, inside]).all()
    assert np.isfinite(to_grid(poses, times, grid, max_gap=None)).all()
    assert np.isfinite(to_grid(poses, times, grid, max_gap=5)[0, ~inside]).all()


def _numbered_csv(path: Path, frames: np.ndarray) -> np.ndarray:
    """The fixture's motion at ``frames`` (frame numbers at 30 fps) written as a pose CSV with a
    ``frame`` column; returns the poses (T, 3, 3) mm."""
    poses = _truth(frames / 30.0)
    header = "frame," + ",".join(f"j{j}_{a}" for j in range(3) for a in "xyz")
    rows = [f"{f}," + ",".join(f"{v:.4f}" for v in pose.ravel()) for f, pose in zip(frames, poses)]
    path.write_text("\n".join([header, *rows]) + "\n")
    return poses


def test_a_frame_column_that_skips_numbers_is_refined_at_those_frames(tmp_path):
    """Rows dropped from a CSV (frames 0, 1, 2, 5, 6, ...): the frame numbers are times at the
    file's fps, refined on every frame number's grid and given back at the file's own rows."""
    frames = np.delete(np.arange(80), [3, 4, 20, 41, 42, 43, 60])
    truth = _numbered_csv(tmp_path / "in.csv", frames)
    summary = refine_file(tmp_path / "in.csv", tmp_path / "out.csv", method="butterworth", fps=30)
    out = read_poses(tmp_path / "out.csv")
    assert out.extra["frame_ids"] == frames.tolist()
    rows_in, rows_out = ((tmp_path / n).read_text().splitlines() for n in ("in.csv", "out.csv"))
    assert [r.split(",")[0] for r in rows_out] == [r.split(",")[0] for r in rows_in]
    after = np.linalg.norm(out.poses[0] - truth, axis=-1).mean()
    tracks, _ = refine_tracks_at(truth[None], None, None, "butterworth", fps=30.0)  # rows as consecutive frames
    before = np.linalg.norm(tracks.refined[0] - truth, axis=-1).mean()
    assert after < 0.5 * before and after < 2.0, (before, after)
    lines = [line for line in str(summary).splitlines() if line.startswith("frames:")]
    assert len(lines) == 1 and "7 frame numbers missing" in lines[0], str(summary)


def test_consecutive_frame_numbers_take_the_old_path(tmp_path, monkeypatch):
    _numbered_csv(tmp_path / "in.csv", np.arange(10, 60))
    _numbered_csv(tmp_path / "every_other.csv", np.arange(10, 110, 2))  # an even stride: even too

    def boom(*args, **kwargs):
        raise AssertionError("an even file was resampled")

    monkeypatch.setattr(uneven_times, "to_grid", boom)
    for name in ("in.csv", "every_other.csv"):
        summary = refine_file(tmp_path / name, tmp_path / f"out_{name}", method="butterworth", fps=30)
        assert "frames:" not in str(summary)


def _timed_csv(path: Path, times_text: list[str], frames: bool = True) -> None:
    """The fixture's motion at ``times_text`` (s, as written) as a pose CSV with a ``time`` column
    (and a consecutive ``frame`` column), as a user's script or a phone app writes one."""
    poses = _truth(np.array([float(t) for t in times_text]))
    header = "frame,time," * frames + "time," * (not frames) + ",".join(f"j{j}_{a}" for j in range(3) for a in "xyz")
    rows = [f"{t}," * frames + f"{text}," + ",".join(f"{v:.4f}" for v in pose.ravel())
            for t, (text, pose) in enumerate(zip(times_text, poses))]
    path.write_text("\n".join([header, *rows]) + "\n")


def test_a_csv_time_column_with_uneven_steps_is_refined_at_those_times(tmp_path):
    """A CSV's ``time`` column is the file's times, as a TRC's Time column is: uneven steps (a
    phone's variable rate) are refined on an even grid at its rate and given back at its rows."""
    times = [row.split("\t")[1] for row in UNEVEN.read_text().splitlines()[5:]]
    for frames in (True, False):
        _timed_csv(tmp_path / "in.csv", times, frames)
        summary = refine_file(tmp_path / "in.csv", tmp_path / "out.csv", method="butterworth", force=True)
        truth = _truth(np.array([float(t) for t in times]))
        after = np.linalg.norm(read_poses(tmp_path / "out.csv").poses[0] - truth, axis=-1).mean()
        tracks, _ = refine_tracks_at(truth[None], None, None, "butterworth", fps=30.0)  # as if even
        before = np.linalg.norm(tracks.refined[0] - truth, axis=-1).mean()
        assert after < 0.5 * before and after < 2.0, (frames, before, after)
        lines = [line for line in str(summary).splitlines() if line.startswith("time:")]
        assert len(lines) == 1 and "50 times" in lines[0], str(summary)
        assert "assumed" not in str(summary)  # the rate is the time column's
        rows_in, rows_out = ((tmp_path / n).read_text().splitlines() for n in ("in.csv", "out.csv"))
        column = rows_in[0].split(",").index("time")
        assert [r.split(",")[rows_out[0].split(",").index("time")] for r in rows_out[1:]] == \
            [r.split(",")[column] for r in rows_in[1:]]  # the times as written


def test_a_csv_time_column_with_even_steps_takes_the_old_path(tmp_path, monkeypatch):
    """Even times (30 fps written to the millisecond): refined exactly as the same file without the column."""
    def boom(*args, **kwargs):
        raise AssertionError("an even file was resampled")

    monkeypatch.setattr(uneven_times, "to_grid", boom)
    times = [f"{t / 30:.3f}" for t in range(60)]
    _timed_csv(tmp_path / "in.csv", times)
    summary = refine_file(tmp_path / "in.csv", tmp_path / "out.csv", method="butterworth")
    assert "time:" not in str(summary)
    plain = (tmp_path / "in.csv").read_text().replace(",time", "").splitlines()
    cut = [",".join(r.split(",")[:1] + r.split(",")[2:]) for r in (tmp_path / "in.csv").read_text().splitlines()]
    assert plain[0] == cut[0]
    (tmp_path / "plain.csv").write_text("\n".join(cut) + "\n")
    refine_file(tmp_path / "plain.csv", tmp_path / "plain_out.csv", method="butterworth")
    timed = [r.rsplit(",", 1)[0] for r in (tmp_path / "out.csv").read_text().splitlines()]  # the time column last
    assert timed == (tmp_path / "plain_out.csv").read_text().splitlines()


def test_a_csv_time_column_with_even_steps_gives_the_rate(tmp_path):
    """Even times at 60 fps: the file names no rate, but its time column does; the refiners take
    60 fps (a Butterworth's cut-off in Hz is the file's), not the assumed 30, and say so. At 30 fps
    written to the millisecond the rate is 30 exactly."""
    from synsp.refining.uneven_times import with_file_rate

    for rate, digits in ((60, 4), (30, 3), (25, 2)):
        times = [f"{t / rate:.{digits}f}" for t in range(90)]
        _timed_csv(tmp_path / "in.csv", times)
        assert with_file_rate(read_poses(tmp_path / "in.csv")).fps == rate
    times = [f"{t / 60:.4f}" for t in range(90)]
    _timed_csv(tmp_path / "in.csv", times)
    summary = refine_file(tmp_path / "in.csv", tmp_path / "out.csv", method="butterworth", force=True)
    assert "fps: 60 (the file's time column)" in str(summary) and "assumed" not in str(summary)
    given = refine_file(tmp_path / "in.csv", tmp_path / "given.csv", method="butterworth", fps=60, force=True)
    assert (tmp_path / "out.csv").read_text() == (tmp_path / "given.csv").read_text(), str(given)


def test_a_cut_on_an_uneven_clock_is_named_at_the_files_nearest_frame(monkeypatch):
    """Review2 #8: a cut found at a grid frame is named at the file's frame nearest it on an uneven clock (here the
    frame before it), at the first at or after it on a lattice (frames dropped). A resampled cut is rarely found
    (the jump spreads over two grid frames), so the refiner's answer is set: a clock at 30 fps, then 60 fps,
    refined on a grid at about 60 fps, the cut at a grid frame of the fast part."""
    times = np.concatenate([np.arange(60) / 30, 2 + (np.arange(60) + 0.7) / 60])
    grid = even_grid(times)
    before = [(g, int(np.argmin(np.abs(times - grid[g])))) for g in range(len(grid)) if grid[g] > 2.1]
    cut, nearest = next((g, t) for g, t in before if times[t] < grid[g])
    real = uneven_times.refine_tracks
    monkeypatch.setattr(uneven_times, "refine_tracks",
                        lambda *args, **kwargs: real(*args, **kwargs)._replace(turned=[(0, cut)]))
    tracks, _ = refine_tracks_at(_truth(times)[None], times, None, "gaussian")
    assert len(grid) > len(times) and tracks.turned == [(0, nearest)]


def _joined_at_phone_times(seed: int = 0) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """(input, truth (T, 17, 3) mm, times (T,) s, the first frame after the join): a walk and a run turned by 160
    degrees joined (a cut in time and to another side), each sampled at a phone's times (steps 1/30 s +-30 %),
    15 mm of white noise."""
    from scipy.interpolate import CubicSpline

    from synsp.data.mocap import load_clip

    rng = np.random.default_rng(seed)
    walk = load_clip("dataset-1_walk_normal_001")[:90].astype(np.float64)
    run = load_clip("dataset-1_run_masculinity_001")[:90].astype(np.float64)
    a = np.radians(160)
    rotation = np.array([[np.cos(a), 0, np.sin(a)], [0, 1, 0], [-np.sin(a), 0, np.cos(a)]])
    run = (run - run[:1, :1]) @ rotation.T + walk[-1:, :1] * [1, 0, 1] + run[:1, :1] * [0, 1, 0]
    parts, times = [], []
    for k, clip in enumerate((walk, run)):
        t = np.cumsum(np.concatenate([[0.0], (1 + rng.uniform(-0.3, 0.3, len(clip))) / 30]))
        t = t[t <= (len(clip) - 1) / 30]
        parts.append(CubicSpline(np.arange(len(clip)) / 30, clip, axis=0)(t))
        times.append(t + (times[-1][-1] + (1 + rng.uniform(-0.3, 0.3)) / 30 if k else 0.0))  # a phone's step between
    truth = np.concatenate(parts)
    return truth + rng.normal(0, 15.0, truth.shape), truth, np.concatenate(times), len(parts[0])


@needs_data
def test_a_cut_on_an_uneven_clock_is_found_as_on_an_even_one():
    """A cut between two clips on a phone's clock: read at the file's frames and kept in one grid step
    (refining.clock_cuts), so the refinement finds it, as it does at 30 fps; before, the resampled jump spread over
    two grid steps and was read as none (benchmarks/uneven_cuts.py, 3D: 5 of 12
    joins cut, 2 of 12 with frames dropped; 12 of 12 at 30 fps)."""
    noisy, truth, times, join = _joined_at_phone_times()
    assert [c.tolist() for c in file_cuts(noisy[None], times, "h36m17", "synsp")] == [[join]]
    tracks, _ = refine_tracks_at(noisy[None].astype(np.float32), times, "h36m17", "synsp", fps=30.0)
    assert tracks.turned == [(0, join)]
    near = slice(join - 15, join + 15)
    error = np.linalg.norm(tracks.refined[0, near] - truth[near], axis=-1).mean()
    assert error < 0.6 * np.linalg.norm(noisy[near] - truth[near], axis=-1).mean()


@needs_data
def test_no_cut_is_read_on_an_uneven_clock_after_a_dropped_frame_or_for_a_filter():
    """A jump after a step of over LONG_STEP median steps (frames dropped there) is motion the frames' test does not
    see: no cut read (a clean walk read one at a step of 2.24); and a filter's route reads none, as on an even clock."""
    noisy, _, times, join = _joined_at_phone_times()
    times = times.copy()
    times[join:] += 2 / 30  # two frames dropped at the join
    assert [c.tolist() for c in file_cuts(noisy[None], times, "h36m17", "synsp")] == [[]]
    assert [c.tolist() for c in file_cuts(noisy[None], times, "h36m17", "gaussian")] == [[]]


@needs_data
@pytest.mark.parametrize("clock", ["phone", "even"])
def test_a_cut_on_an_uneven_clock_is_said_at_the_files_own_time(tmp_path, clock):
    """The summary's ``cuts:`` line gives a cut's time as the file's time column has it, not frame / fps (on a
    phone's clock, started 5 s in, frame / fps is neither the file's time nor the time since its first frame);
    alike on an even 30 fps clock started 5 s in (review 1, finding 2: it said frame / fps there)."""
    import pandas as pd

    from synsp.skeleton import LAYOUTS

    noisy, _, times, join = _joined_at_phone_times()
    if clock == "even":
        times = np.arange(len(noisy)) / 30.0
    columns = {f"{joint}_{axis}": noisy[:, j, c] for j, joint in enumerate(LAYOUTS["h36m17"].joints)
               for c, axis in enumerate("xyz")}
    pd.DataFrame({"time": np.round(5 + times, 4), **columns}).to_csv(tmp_path / "in.csv", index=False)
    summary = str(refine_file(tmp_path / "in.csv", tmp_path / "out.csv", layout="h36m17"))
    assert f"cuts: the whole body jumped in one frame and stayed so at track 0 frame {join} " \
           f"({5 + times[join]:.2f} s)" in summary, summary


def test_the_nearest_frame_is_shared_and_safe_on_one_frame():
    """``clock_cuts.nearest_frames``, the one nearest-frame index of the uneven route's resampling and its pieces
    (review 1, finding 4): on one file frame every grid point is that frame's, so ``pieces`` loses none."""
    from synsp.refining.clock_cuts import nearest_frames, pieces

    times = np.array([0.0, 0.03, 0.07, 0.1])
    assert nearest_frames(times, np.array([-1.0, 0.015, 0.016, 0.06, 0.5])).tolist() == [0, 0, 1, 2, 3]
    assert nearest_frames(np.array([0.0]), np.array([0.0, 0.03])).tolist() == [0, 0]
    [(frames, points)] = pieces(np.array([0.0]), np.array([0.0, 0.03]), np.zeros(0, int))
    assert frames == slice(0, 1) and points.tolist() == [0, 1]

"""Scores beyond 2 beside pixel x, y (percent, 0-10) were read as a depth: the clip refined as a 3D body,
x, y 4.7-5.9x the input's error, the scores changed (audit7 #2); a CSV's ``_score`` columns in percent
were taken as they came, so ``--threshold`` never applied (audit7 #3). A 3D body in any unit still reads 3D."""
from __future__ import annotations

import numpy as np
import pytest

import synsp
from synsp.channels import third_channel
from synsp.cli import main
from walking import STANDING, walking


def _with_scores(scores: np.ndarray) -> np.ndarray:
    return np.dstack([walking(90)[1], scores])


@pytest.mark.parametrize("low, high", [(60, 99), (0, 10), (2, 6)])
def test_scores_beyond_two_beside_pixels_read_as_scores(low, high):
    scores = np.random.default_rng(1).uniform(low, high, (90, 17))
    assert third_channel(_with_scores(scores)) == "confidence"


def test_percent_scores_leave_low_ones_out_and_come_back_as_read():
    """A wrist 80 px astray in 6 frames, scored 5 %: left out and filled, as 0.05 is; the channel unchanged."""
    clean, _ = walking(90)
    x = _with_scores(np.random.default_rng(2).uniform(60, 99, (90, 17)))
    x[30:36, 9, :2] += 80.0
    x[30:36, 9, 2] = 5.0
    out = synsp.refine(x, "savgol")
    np.testing.assert_array_equal(out[..., 2], x[..., 2])
    assert np.linalg.norm(out[30:36, 9, :2] - clean[30:36, 9], axis=-1).max() < 20
    kept = synsp.refine(np.dstack([x[..., :2], np.full((90, 17), 0.5)]), "savgol")  # a fixed score: kept astray
    assert np.linalg.norm(kept[30:36, 9, :2] - clean[30:36, 9], axis=-1).mean() > 50


def _body_3d(frames: int = 90) -> np.ndarray:
    """(T, 17, 3) the walk in millimetres (y down, 1.7 m tall), arms and legs swinging in depth as they walk."""
    t = np.arange(frames)[:, None] / 30.0
    xy = np.broadcast_to(STANDING * 7.0, (frames, 17, 2)).copy()
    depth = np.zeros((frames, 17))
    depth[:, [7, 9]], depth[:, [8, 10]] = 150 * np.sin(2 * np.pi * t), -150 * np.sin(2 * np.pi * t)
    depth[:, [13, 15]], depth[:, [14, 16]] = -120 * np.sin(2 * np.pi * t), 120 * np.sin(2 * np.pi * t)
    depth[:, [9, 10]] *= 1.8
    depth[:, [15, 16]] *= 1.5
    xy[..., 0] += 300 * t  # walking sideways
    return np.dstack([xy, depth + np.linspace(0, 600, frames)[:, None]])


@pytest.mark.parametrize("frame", ["root-relative", "camera", "z-up", "child z-up"])
@pytest.mark.parametrize("unit", [1.0, 0.1, 0.001])
@pytest.mark.parametrize("noise", [0.0, 8.0])
def test_a_3d_body_in_any_unit_still_reads_3d(frame, unit, noise):
    if frame == "child z-up" and unit == 0.001:
        pytest.skip("x, y within [0, 1] m read as normalised image coordinates: undecided, as before")
    body = _body_3d() + np.random.default_rng(3).normal(0, noise, (90, 17, 3))
    if frame == "root-relative":
        body -= body[:, 11:13].mean(1, keepdims=True)
    elif frame == "camera":
        body[..., 2] += 3500.0
    else:  # heights over the floor as the third axis, the person walking over the floor
        body = body[..., [0, 2, 1]] * [1, 1, -1]
        body[..., 2] -= body[..., 2].min()
        body *= 0.55 if frame == "child z-up" else 1.0
    assert third_channel(body * unit) == "z"


def _csv(path, x: np.ndarray, scores: np.ndarray) -> None:
    head = ",".join(f"j{j}_{c}" for j in range(17) for c in ("x", "y", "score"))
    rows = [",".join(f"{v:.3f}" for v in np.hstack([x[t], scores[t][:, None]]).ravel()) for t in range(len(x))]
    path.write_text("frame," + head + "\n" + "\n".join(f"{t}," + r for t, r in enumerate(rows)) + "\n")


def test_a_csv_with_percent_scores_reads_them_as_percent(tmp_path, capsys):
    clean, noisy = walking(90)
    scores = np.random.default_rng(4).uniform(60, 99, (90, 17))
    noisy[30:36, 9] += 80.0
    scores[30:36, 9] = 5.0
    _csv(tmp_path / "in.csv", noisy, scores)
    assert main(["refine", str(tmp_path / "in.csv"), str(tmp_path / "out.npz"), "--method", "savgol"]) == 0
    said = capsys.readouterr().out
    assert "read as percent" in said and "6 joint values filled" in said
    tens = np.random.default_rng(5).uniform(0, 10, (90, 17))
    _csv(tmp_path / "ten.csv", noisy, tens)
    assert main(["refine", str(tmp_path / "ten.csv"), str(tmp_path / "ten.npz"), "--method", "savgol"]) != 0
    assert "_score columns hold values from" in capsys.readouterr().err


def test_a_fourth_channel_in_percent_is_read_as_percent():
    body = _body_3d()
    scores = np.random.default_rng(6).uniform(60, 99, (90, 17))
    scores[30:34, 9] = 5.0
    astray = body.copy()
    astray[30:34, 9] += 300.0
    out = synsp.refine(np.dstack([astray, scores]), "savgol")
    np.testing.assert_array_equal(out[..., 3], scores)
    assert np.linalg.norm(out[30:34, 9, :3] - body[30:34, 9], axis=-1).max() < 100


@pytest.mark.parametrize("kind", ["per frame", "smooth per joint"])
def test_logits_beside_pixels_read_as_scores_and_come_back_as_read(kind):
    """Logits (negative where a joint is unlikely) beside pixels were read as a depth and the clip refined as a
    3D body (a user audit, 2026-12-06, finding 2's logits case)."""
    rng = np.random.default_rng(4)
    if kind == "per frame":
        p = rng.uniform(0.05, 0.99, (90, 17))
    else:
        p = np.clip(rng.uniform(0.3, 0.95, 17) + np.cumsum(rng.normal(0, 0.01, (90, 17)), axis=0), 0.02, 0.99)
    logits = np.log(p / (1 - p))
    x = _with_scores(logits)
    assert logits.min() < 0 and third_channel(x) == "confidence"
    np.testing.assert_array_equal(synsp.refine(x, "savgol")[..., 2], logits)


@pytest.mark.parametrize("unit", [0.1, 0.01])
def test_a_3d_body_whose_depth_lies_within_logits_range_still_reads_3d(unit):
    """A child's body about its hips in centimetres, an adult's in decimetres: depth within +-15 like logits,
    but it spreads as a body's depth does (a tenth of its height or more), not as scores beside pixels."""
    body = _body_3d() + np.random.default_rng(3).normal(0, 8.0, (90, 17, 3))
    body -= body[:, 11:13].mean(1, keepdims=True)
    body *= 0.5 if unit == 0.1 else 1.0
    assert np.abs(body[..., 2] * unit).max() < 15 and (body[..., 2] < 0).any()
    assert third_channel(body * unit) == "z"

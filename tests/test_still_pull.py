"""Joints held still in the input that SynSP moves by a steady offset far beyond the noise take the low-pass
(synsp.refining.still_pull): a seated person's legs filmed in profile; a moving joint, an offset within the noise
and a clip whose correction does not repeat (an estimator's bias to fix) keep SynSP's output."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from conftest import needs_data
from synsp.evaluation.protocol import make_cases
from synsp.filters import butterworth
from synsp.refining.files import refine_file
from synsp.refining.still_pull import still_pull, still_shares

LEGS = [13, 14, 15, 16]  # coco17 knees and ankles


@needs_data
def test_seated_legs_in_profile_come_out_near_the_low_pass_not_pulled_towards_a_stance(tmp_path):
    sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
    from seated_2d import filmed  # the benchmark's seated person seen in profile, with a jitter case's error

    three, two = (make_cases("val", "jitter", layout="coco17", space=s, max_clips=3)[2] for s in ("3d", "2d"))
    x, truth = filmed(three.clean.astype(np.float64), two.noisy.astype(np.float64), two.clean.astype(np.float64),
                      "seated", 0.0)
    np.save(tmp_path / "seated.npy", x)
    said = refine_file(tmp_path / "seated.npy", tmp_path / "out.npy", layout="coco17", fps=30)
    y = np.load(tmp_path / "out.npy")
    assert any(note.startswith("still joints pulled: ") and "left_knee" in note for note in said.notes)
    low = butterworth(x, cutoff=6.0, order=4, fps=30.0)
    assert np.allclose(y[:, LEGS], low[:, LEGS], atol=1e-3)  # wholly the low-pass: a steady pull on still joints
    legs = np.linalg.norm(y[:, LEGS] - truth[:, LEGS], axis=-1).mean()
    assert legs < 0.85 * np.linalg.norm(x[:, LEGS] - truth[:, LEGS], axis=-1).mean()  # main: 2.9 x the input


def test_moving_joints_small_offsets_and_corrections_that_do_not_repeat_keep_the_output():
    rng = np.random.default_rng(2)
    t = np.arange(120)[:, None]
    x = np.repeat(rng.normal(0, 100, (1, 6, 2)), 120, 0) + rng.normal(0, 1.0, (120, 6, 2))
    x[:, 1] += 40 * np.sin(t / 6)  # joint 1 moves
    out = butterworth(x, cutoff=6.0, order=4, fps=30.0)
    out[:, :2] += 8.0  # a steady offset of the still joint 0 and the moving joint 1, far beyond the noise
    out[:, 2] += 0.5  # within the noise
    shares = still_shares(x[None], out[None], 0.7)  # the network repeats its correction: a pull
    assert shares[0, 0] == 1.0 and np.all(shares[0, 1:] == 0)
    assert not still_shares(x[None], out[None], 0.3).any()  # it does not: an error it fixes (a bias)
    assert not still_shares(x[None], out[None], None).any()  # not read (no floor step)
    moved = still_pull(x, out, shares)
    assert np.allclose(moved[:, 0], butterworth(x, cutoff=6.0, order=4, fps=30.0)[:, 0])
    assert np.array_equal(moved[:, 1:], out[:, 1:])
    x[5, 3] = np.nan  # a joint with a value missing: none
    assert still_shares(x[None], out[None], 0.7)[0, 3] == 0

"""A body spinning fast about the vertical in 3D joint positions (a pirouette; audit 33, finding 7): the spin read
from the hips and shoulders, taken out before the refinement and put back after (synsp.inference.position_spin),
so the spin's frames end no worse than the input's, and a file's summary says so."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.inference.position_spin import position_spin, turned_positions

Z_UP = np.array([[1.0, 0, 0], [0, 0, -1], [0, 1, 0]])  # x @ Z_UP.T: the Y-up mocap in a Z-up file


sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
from position_spin import mpjpe as _mpjpe  # noqa: E402  (the benchmark's spin and score, benchmarks/position_spin.py)
from position_spin import spun as _spun  # noqa: E402


@pytest.fixture(scope="module")
def case():
    from synsp.evaluation.protocol import make_cases

    first = make_cases("val", "typical", max_clips=1)[0]
    return np.asarray(first.noisy, np.float64), np.asarray(first.clean, np.float64)


@needs_data
def test_a_fast_spin_is_read_in_any_up_axis_and_taken_out_and_put_back_exactly(case):
    noisy, _ = case
    assert position_spin(noisy, "h36m17", 30.0) is None  # a validation clip: the step does not fire
    assert position_spin(_spun(noisy, 30), "h36m17", 30.0) is not None  # one turn a second
    for axes in (np.eye(3), Z_UP):
        spun = _spun(noisy, 8) @ axes.T
        spin = position_spin(spun, "h36m17", 30.0)
        assert spin is not None and 6.0 < spin.fastest < 9.0  # 7.5 turns a second at its fastest
        assert abs(spin.turn[-1] - 2 * np.pi) < 0.3  # the whole turn, whichever way up the file is
        still = turned_positions(spun, spin, -1.0)
        assert np.abs(still[-1] - noisy[-1] @ axes.T - (still[-1] - noisy[-1] @ axes.T).mean(0)).max() < 150.0
        np.testing.assert_allclose(turned_positions(still, spin, 1.0), spun, atol=1e-6)
    markers = np.concatenate([_spun(noisy, 8), _spun(noisy, 8)[:, :2] + 50.0], axis=1)  # a file's own markers after
    spin = position_spin(markers, "h36m17", 30.0)
    assert spin is not None and turned_positions(markers, spin, -1.0).shape == markers.shape


@needs_data
def test_a_pirouette_ends_no_worse_than_its_input_and_the_summary_says_so(case, tmp_path, capsys):
    noisy, clean = _spun(case[0], 8), _spun(case[1], 8)
    spin = slice(36, 52)
    out = synsp.refine(noisy.astype(np.float32), fps=30)
    # before: 70.80 mm against the input's 41.44 (the network and the low-pass cut the turn's speed)
    assert _mpjpe(out[spin], clean[spin]) < _mpjpe(noisy[spin], clean[spin])
    np.save(tmp_path / "spin.npy", noisy.astype(np.float32))
    from synsp.cli import main

    assert main(["refine", str(tmp_path / "spin.npy"), str(tmp_path / "out.npy"), "--fps", "30"]) in (0, None)
    assert _mpjpe(np.load(tmp_path / "out.npy")[spin], clean[spin]) < _mpjpe(noisy[spin], clean[spin])
    said = capsys.readouterr()
    assert "spin: the body spins about the vertical, up to" in said.out + said.err

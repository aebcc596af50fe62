"""Joints of no layout: gaps filled from rigid partners, a ghost emptied, a nearly empty column apart."""
from __future__ import annotations

import numpy as np

from synsp.estimator_errors.rigid_fill import rigid_fill
from synsp.refining.person import refine_track
from test_risk_choice import markers
from walking import mpjpe


def _segments(n_frames: int = 300, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(T, 8, 3) mm: 4 markers on a segment that turns and travels, 4 on a second one hinged to its end and bending
    (their distances to the first change by tens of mm), with 0.3 mm of noise; and the clean ones."""
    t = np.arange(n_frames) / 100.0
    local = np.array([[0, 0, 0], [100, 0, 0], [0, 80, 0], [50, 40, 60.0]])
    turn = 1.5 * np.sin(2 * np.pi * 0.7 * t)
    rot = np.stack([np.stack([np.cos(turn), -np.sin(turn), 0 * turn], -1),
                    np.stack([np.sin(turn), np.cos(turn), 0 * turn], -1),
                    np.stack([0 * turn, 0 * turn, 1 + 0 * turn], -1)], -2)  # (T, 3, 3) about z
    travel = np.stack([400 * t, 30 * np.sin(2 * np.pi * t), 900 + 0 * t], -1)
    first = np.einsum("tij,mj->tmi", rot, local) + travel[:, None]
    bend = 0.8 * np.sin(2 * np.pi * 1.1 * t)[:, None]
    second = first[:, 1:2] + np.stack([300 * np.cos(bend) * np.linspace(0.4, 1, 4), 300 * np.sin(bend) *
                                       np.linspace(0.4, 1, 4), 0 * bend + np.arange(4) * 10.0], -1)
    clean = np.concatenate([first, second], 1)
    return clean + np.random.default_rng(seed).normal(0, 0.3, clean.shape), clean


def test_a_gap_is_filled_from_the_markers_rigid_with_it():
    noisy, clean = _segments()
    gappy = noisy.copy()
    gappy[100:140, 3] = np.nan
    out, filled = rigid_fill(gappy)
    assert filled[100:140, 3].all() and filled.sum() == 40
    error = np.linalg.norm(out[100:140, 3] - clean[100:140, 3], axis=-1)
    line = clean[99, 3] + (clean[140, 3] - clean[99, 3]) * (np.arange(1, 41) / 41.0)[:, None]
    assert error.max() < 3.0 < 10.0 < np.linalg.norm(line - clean[100:140, 3], axis=-1).max()
    np.testing.assert_array_equal(out[~filled], gappy[~filled])  # the seen values as they were


def test_markers_across_a_bending_joint_are_no_partners():
    """The second segment's markers change their distance to the first's: a gap of the first's is filled from its
    own three partners only, and a marker with no rigid partner (alone on its segment) is left to the caller."""
    noisy, clean = _segments()
    gappy = np.delete(noisy, [5, 6, 7], axis=1)  # the second segment keeps one marker: no partner
    gappy[50:70, 4] = np.nan
    out, filled = rigid_fill(gappy)
    assert not filled.any() and np.isnan(out[50:70, 4]).all()


def test_a_nearly_empty_column_leaves_the_others_as_they_were():
    """A ghost column seen in 20 frames of 400 (a lab's unnamed marker) does not move the others' output."""
    clean, noisy = markers(noise=0.5)
    ghost = np.full((len(noisy), 1, 3), np.nan)
    ghost[100:120, 0] = noisy[100:120, 0] + 300.0
    alone = refine_track(noisy.astype(np.float32), None, "synsp", fps=100.0)
    beside = refine_track(np.concatenate([noisy, ghost], 1).astype(np.float32), None, "synsp", fps=100.0)
    np.testing.assert_array_equal(beside[:, :-1], alone)
    assert mpjpe(alone, clean) < 0.8 * mpjpe(noisy, clean)


def test_a_ghost_off_its_rigid_partners_is_filled_as_a_gap_and_real_motion_is_not():
    noisy, clean = _segments()
    ghost = noisy.copy()
    ghost[150:158, 2] += [90.0, 0.0, 50.0]  # a reflection taken for the marker
    out, changed = rigid_fill(ghost, ghosts=25)
    assert changed[150:158, 2].all() and changed.sum() == 8
    assert np.linalg.norm(out[150:158, 2] - clean[150:158, 2], axis=-1).max() < 3.0
    assert not rigid_fill(noisy, ghosts=25)[1].any()  # the bending segment's markers stay as they are
    long = noisy.copy()
    long[100:200, 2] += [90.0, 0.0, 50.0]  # off for a second: no ghost's length
    assert not rigid_fill(long, ghosts=25)[1].any()


def _clusters(n_clusters: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(T, 9 n_clusters, 3) mm: clusters of 9 markers, each cluster rigid (its own turn and sway), 0.3 m apart on a
    grid 5 wide, with 0.3 mm of noise; and the clean ones. Markers of two clusters change their distance by tens to
    hundreds of mm."""
    rng, t = np.random.default_rng(seed), np.arange(200) / 100.0
    parts = []
    for c in range(n_clusters):
        turn = 1.5 * np.sin(2 * np.pi * rng.uniform(0.3, 1.0) * t + rng.uniform(0, 6))
        rot = np.stack([np.stack([np.cos(turn), -np.sin(turn), 0 * turn], -1),
                        np.stack([np.sin(turn), np.cos(turn), 0 * turn], -1),
                        np.stack([0 * turn, 0 * turn, 1 + 0 * turn], -1)], -2)
        sway = np.stack([300 * t, 200 * np.sin(2 * np.pi * rng.uniform(0.3, 1.0) * t), 0 * t], -1)
        at = [300.0 * (c % 5), 300.0 * (c // 5), 0.0]
        parts.append(np.einsum("tij,mj->tmi", rot, rng.normal(0, 40, (9, 3))) + sway[:, None] + at)
    clean = np.concatenate(parts, 1)
    return clean + rng.normal(0, 0.3, clean.shape), clean


def test_rigid_partners_are_every_pairs_figures_and_a_dense_set_finds_them_among_its_nearest():
    """Up to ALL_PAIRS markers the partners are the per-pair definition's, gaps included (the search read in blocks
    gives the same figures); over it (a face mesh's 478) each marker tries its nearest only and still finds its own
    cluster's, and a gap is filled from them."""
    from synsp.estimator_errors.rigid_fill import ALL_PAIRS, DONORS, RIGID_SHARE, distance_spread, rigid_partners
    from synsp.sequence import body_size

    noisy, _ = _clusters(5)
    for j, s in zip(range(0, 45, 4), range(10, 150, 12)):
        noisy[s:s + 30, j] = np.nan
    seen, size = np.isfinite(noisy).all(-1), body_size(noisy)
    for j, partners in enumerate(rigid_partners(noisy, size, every=True)):
        spreads = [(distance_spread(np.linalg.norm(noisy[both, j] - noisy[both, k], axis=-1)), k)
                   for k in range(45) if k != j and (both := seen[:, j] & seen[:, k]).sum() >= 20]
        expected = [k for spread, k in sorted(spreads) if spread < RIGID_SHARE * size][:DONORS]
        assert list(partners) == expected and set(expected) <= set(range(j // 9 * 9, j // 9 * 9 + 9))
    noisy, clean = _clusters(20)
    assert noisy.shape[1] > ALL_PAIRS
    for j, partners in enumerate(rigid_partners(noisy, body_size(noisy), every=True)):
        assert len(partners) == DONORS and set(partners) <= set(range(j // 9 * 9, j // 9 * 9 + 9)) - {j}
    gappy = noisy.copy()
    gappy[80:120, 100] = np.nan
    out, filled = rigid_fill(gappy)
    assert filled.sum() == 40 and np.linalg.norm(out[80:120, 100] - clean[80:120, 100], axis=-1).max() < 3.0


def test_distance_spread_along_an_axis_is_each_rows_spread_to_the_bit():
    from synsp.estimator_errors.rigid_fill import NORMAL_SPAN, distance_spread
    rows = np.random.default_rng(3).normal(100.0, 2.0, (5, 40))
    spreads = distance_spread(rows, axis=1)
    assert spreads.shape == (5,) and all(spreads[k] == distance_spread(rows[k]) for k in range(5))
    low, high = np.percentile(rows[0], [5.0, 95.0])
    assert spreads[0] == (high - low) / NORMAL_SPAN

"""Two markers' labels swapped, or one marker's ghost, told by each column's continuity in time; real fast motion
(two markers that meet and cross) left."""
from __future__ import annotations

import numpy as np
import pytest

from synsp.estimator_errors.label_jumps import label_jumps
from test_no_layout import _segments


@pytest.mark.parametrize("run, pair", [
    (slice(120, 150), [4, 5]),  # the second segment's markers: their distance is kept
    (slice(0, 20), [4, 5]), (slice(270, 300), [0, 1]), (slice(0, 2), [2, 7])])  # from the first frame, to the last
def test_a_swap_is_exchanged_back_and_the_rest_left(run, pair):
    noisy, clean = _segments()
    swap = noisy.copy()
    swap[run, pair] = swap[run, pair[::-1]]
    out, emptied, swaps = label_jumps(swap, 100.0, 25)
    assert swaps == 1 and not emptied.any()
    np.testing.assert_array_equal(out, noisy)


def test_a_ghost_is_emptied_and_clean_markers_are_left():
    noisy, clean = _segments()
    ghost = noisy.copy()
    ghost[200:208, 6] += [60.0, 0.0, 30.0]
    ghost[100, 2] += [0.0, 50.0, 0.0]  # a spike: one frame
    out, emptied, swaps = label_jumps(ghost, 100.0, 25)
    assert swaps == 0 and emptied[:, 6].sum() == 8 and emptied[200:208, 6].all()
    assert emptied[:, 2].sum() == 1 and emptied[100, 2] and emptied.sum() == 9
    assert not label_jumps(noisy, 100.0, 25)[1].any()


def test_two_markers_that_meet_and_cross_fast_are_not_exchanged():
    noisy, clean = _segments()
    t = np.arange(len(noisy))[:, None]
    crossed = noisy.copy()
    between = clean[:, 7] - clean[:, 3]  # (T, 3)
    for at in (80, 220):  # 0.75 of the way to each other and back, a Gaussian of 40 ms: they meet and cross
        bump = 0.75 * np.exp(-0.5 * ((t - at) / 4.0) ** 2)
        crossed[:, 3] += bump * between
        crossed[:, 7] -= bump * between
    out, emptied, swaps = label_jumps(crossed, 100.0, 25)
    assert swaps == 0 and not emptied.any()
    np.testing.assert_array_equal(out, crossed)


def test_a_swap_at_the_edge_longer_than_the_longest_read_is_left():
    noisy, clean = _segments()
    swap = noisy.copy()
    swap[:120, [4, 5]] = swap[:120, [5, 4]]  # 1.2 s at 100 Hz: more than SWAPS
    out, emptied, swaps = label_jumps(swap, 100.0, 25)
    assert swaps == 0 and not emptied.any()
    np.testing.assert_array_equal(out, swap)


@pytest.mark.parametrize("swaps", [((0, 2, 77, 97), (5, 2, 95, 129)), ((1, 2, 192, 206), (5, 1, 173, 196))])
def test_two_overlapping_swaps_in_the_middle_leave_no_more_values_off(swaps):
    """Review 2, finding 2: two swaps sharing a marker leave a jump the middle's rule cannot pair; within 1 s of an
    edge the edge rule read it as an edge swap and exchanged the whole edge side (2.5-3 x the values off)."""
    noisy, clean = _segments()
    x = noisy.copy()
    for a, b, start, stop in swaps:
        x[start:stop, [a, b]] = x[start:stop, [b, a]]
    out = label_jumps(x, 100.0, 25)[0]
    off = [int((np.linalg.norm(y - noisy, axis=-1) > 20).sum()) for y in (x, out)]
    assert off[1] <= off[0], off

"""synsp.heap: large blocks freed go back to the system at once, whatever small arrays are kept between them."""
from __future__ import annotations

import sys

import numpy as np
import pytest

from synsp.heap import LARGE_BLOCK, map_large_blocks


def resident_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_large_blocks_freed_leave_no_resident_memory_behind():
    block = np.ones(27 * 2**20 // 8)  # a network batch's activation: freed, it raised glibc's own threshold
    del block
    if not map_large_blocks():
        pytest.skip("not glibc")
    before = resident_mb()
    kept, large = [], []
    for _ in range(12):  # as a network's batches: a large activation, then a small array kept (an output)
        large.append(np.ones(2 * LARGE_BLOCK // 8))  # 8 MB, touched
        kept.append(np.ones(1000))
    assert resident_mb() - before > 80
    del large
    # on the heap, the kept arrays would pin the freed blocks between them: 96 MB stayed resident (measured)
    assert resident_mb() - before < 16

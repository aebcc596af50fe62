"""synsp.heap: large blocks freed go back to the system at once, whatever small arrays are kept between them."""
from __future__ import annotations

import subprocess
import sys

import pytest

# Run in a fresh interpreter: in a test worker that has run other tests, glibc's heap already holds freed memory
# that the blocks below may reuse, so the resident growth they are measured by is not theirs alone.
PROGRAM = """
import numpy as np
from synsp.heap import LARGE_BLOCK, map_large_blocks

def resident_mb():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * 4096 / 2**20

block = np.ones(27 * 2**20 // 8)  # a network batch's activation: freed, it raised glibc's own threshold
del block
if not map_large_blocks():
    print("not glibc")
    raise SystemExit
before = resident_mb()
kept, large = [], []
for _ in range(12):  # as a network's batches: a large activation, then a small array kept (an output)
    large.append(np.ones(2 * LARGE_BLOCK // 8))  # 8 MB, touched
    kept.append(np.ones(1000))
grown = resident_mb() - before
del large
print(grown, resident_mb() - before)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's mallopt")
def test_large_blocks_freed_leave_no_resident_memory_behind():
    said = subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True).stdout.split()
    if said == ["not", "glibc"]:
        pytest.skip("not glibc")
    grown, left = map(float, said)
    assert grown > 80
    # on the heap, the kept arrays would pin the freed blocks between them: 96 MB stayed resident (measured)
    assert left < 16

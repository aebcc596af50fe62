"""glibc's heap: large blocks mapped on their own, so that memory freed goes back to the system at once.

Why: the network's batches allocate activations of tens of MB (SmoothNet: 256 windows x 51 signals x 512
hidden values, 27 MB float32) and free them at once. glibc maps a block that large on its own, but after the
first such block is freed it raises its threshold to that size (up to 32 MB), so every later one is carved out
of the heap among the smaller arrays a refinement keeps; the heap then grows with the clip and never shrinks.
A fixed threshold keeps large blocks mapped: `synsp refine` of a 6,000-frame 3D file peaked at 0.88 GiB
resident before, 0.59 GiB after (18,000 frames: 1.25 -> 0.71 GiB; benchmarks/RESULTS.md, section 7). The
results are unchanged, only where the memory lives; the cost is the kernel zeroing the pages of every new
mapping (that file: 4.0 -> 12.5 s of system time), which huge pages take back: torch's CPU allocator gives its
large blocks 2 MB pages when ``THP_MEM_ALLOC_ENABLE`` is set before its first allocation (4.6-4.9 s, the same peak).
"""
from __future__ import annotations

import ctypes
import os
import sys

# mallopt's parameter number for the mmap threshold (glibc's malloc.h)
M_MMAP_THRESHOLD = -3
# Blocks of at least this many bytes are mapped on their own (the network's activations, the window chunks);
# smaller arrays stay on the heap, where allocating is cheap. 4 MB: glibc's default's upper range is 32 MB.
LARGE_BLOCK = 4 * 2**20


def map_large_blocks(threshold: int = LARGE_BLOCK) -> bool:
    """Fix glibc's mmap threshold at ``threshold`` bytes for this process; True if the C library took it
    (glibc on Linux), False elsewhere (nothing changed). On Linux it also asks torch for huge pages (above);
    call it before torch is imported. ``synsp`` commands call it first; a program refining long clips through the
    Python API may call it too (it affects the whole process)."""
    if not sys.platform.startswith("linux"):
        return False
    # read once, at torch's first CPU allocation: too late once torch has allocated (the mapping still holds)
    os.environ.setdefault("THP_MEM_ALLOC_ENABLE", "1")
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):  # a C library without mallopt
        return False
    mallopt.argtypes, mallopt.restype = (ctypes.c_int, ctypes.c_int), ctypes.c_int
    return mallopt(M_MMAP_THRESHOLD, int(threshold)) == 1

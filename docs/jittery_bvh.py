"""Write a jittery BVH to try ``synsp refine`` on: a test-split mocap clip with simulated rotation jitter.

    .venv/bin/python docs/jittery_bvh.py out      # writes out/jittery.bvh and out/truth.bvh

The clip, ``dataset-1_walk_angry_001`` (test split), keeps its hierarchy; its first (up to)
200 frames are written, and every joint's rotation gets the ``jitter`` preset of
:mod:`synsp.data.rotation_errors` (AR(1) jitter of 3 degrees per axis, spikes), seed 0.
"""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from synsp.data.mocap import clip_path
from synsp.data.rotation_errors import corrupt_rotations
from synsp.data.splits import load_split
from synsp.formats.bvh import read_bvh, read_motion, write_bvh, write_motion

out = Path(sys.argv[1] if len(sys.argv) > 1 else "out")
name = "dataset-1_walk_angry_001"
assert name in load_split("test")
source = clip_path(name)
frames = slice(0, 200)  # a short excerpt: ~7 s at 30 fps
clip = read_bvh(source)
clip = replace(clip, rotations=clip.rotations[frames], translations=clip.translations[frames])
write_bvh(out / "truth.bvh", clip)
motion = read_motion(out / "truth.bvh")
noisy, _ = corrupt_rotations(motion.rotations, None, "jitter", rng=np.random.default_rng(0), pairs=())
write_motion(out / "jittery.bvh", replace(motion, rotations=noisy))
print(f"wrote {out / 'jittery.bvh'} and {out / 'truth.bvh'} ({source.stem}, {motion.n_frames} frames)")

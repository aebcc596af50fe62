"""A 3D animator's BVH files through synsp refine: what the summary says, the text kept, the
named filters on rotations, memory."""
from __future__ import annotations

import numpy as np
import pytest

from synsp.refine_file import refine_file
from test_bvh import TINY


def _tiny_clip(path, frames: int = 60, crlf: bool = False, frame_time: str = "0.0333333") -> None:
    """TINY's skeleton with ``frames`` frames of jittery motion."""
    rng = np.random.default_rng(0)
    head = TINY.split("MOTION")[0].strip()
    rows = np.concatenate([rng.normal(0, 1, (frames, 3)), rng.normal(0, 5, (frames, 3)),
                           np.tile([99.0, 99.0, 99.0], (frames, 1)), rng.normal(0, 5, (frames, 6))], axis=1)
    text = f"{head}\nMOTION\nFrames: {frames}\nFrame Time: {frame_time}\n" + "".join(
        " ".join(f"{v:.4f}" for v in row) + "\n" for row in rows)
    with open(path, "w", newline="\r\n" if crlf else "\n") as f:
        f.write(text)


@pytest.mark.parametrize("suffix", [".npz", ".csv", ".json"])
def test_a_bvh_written_as_positions_says_the_rotations_were_not_kept(tmp_path, suffix):
    _tiny_clip(tmp_path / "in.bvh")
    summary = refine_file(tmp_path / "in.bvh", tmp_path / f"out{suffix}", method="gaussian")
    said = str(summary)
    assert "joint positions only" in said and "rotations were not kept" in said and ".bvh" in said
    same = str(refine_file(tmp_path / "in.bvh", tmp_path / "out.bvh", method="gaussian"))
    assert "not kept" not in same  # rotations in, rotations out: nothing dropped


@pytest.mark.parametrize("crlf", [True, False])
def test_a_refined_bvh_keeps_the_line_endings_and_the_frame_time_as_written(tmp_path, crlf):
    _tiny_clip(tmp_path / "in.bvh", crlf=crlf, frame_time="0.033333333333")
    refine_file(tmp_path / "in.bvh", tmp_path / "out.bvh", method="gaussian")
    given, written = (tmp_path / "in.bvh").read_bytes(), (tmp_path / "out.bvh").read_bytes()
    if crlf:
        assert written.count(b"\r\n") == written.count(b"\n") == given.count(b"\r\n")
    else:
        assert b"\r" not in written and written.count(b"\n") == given.count(b"\n")
    assert b"Frame Time: 0.033333333333" + (b"\r\n" if crlf else b"\n") in written
    assert written.split(b"MOTION")[0] == given.split(b"MOTION")[0]  # the HIERARCHY byte for byte

"""Atomic writes: the target appears whole with the usual file mode, or not at all."""
from __future__ import annotations

import os

import pytest

from synsp.paths import atomic_path


def test_written_file_has_the_mode_of_an_ordinary_new_file(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "out.npz") as tmp:
            tmp.write_bytes(b"data")
    finally:
        os.umask(umask)
    assert (tmp_path / "out.npz").read_bytes() == b"data"
    assert (tmp_path / "out.npz").stat().st_mode & 0o777 == 0o644


def test_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.npz"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("crash mid-write")
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.npz"]

"""Atomic writes: the target appears whole with the usual file mode, or not at all."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from synsp.errors import OutputError, OutputExistsError
from synsp.paths import atomic_path, exclusive_writes


def test_written_file_has_the_mode_of_an_ordinary_new_file(tmp_path):
    umask = os.umask(0o022)
    try:
        with atomic_path(tmp_path / "out.npz") as tmp:
            tmp.write_bytes(b"data")
    finally:
        os.umask(umask)
    assert (tmp_path / "out.npz").read_bytes() == b"data"
    assert (tmp_path / "out.npz").stat().st_mode & 0o777 == 0o644


def test_a_pipe_is_never_replaced_by_a_file(tmp_path):
    target = tmp_path / "out.npz"
    os.mkfifo(target)
    with pytest.raises(OutputError, match="not a regular file"):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"data")
    assert Path(target).is_fifo() and os.listdir(tmp_path) == ["out.npz"]


def test_failure_keeps_the_old_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "out.npz"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"half")
            raise RuntimeError("crash mid-write")
    assert target.read_bytes() == b"old" and os.listdir(tmp_path) == ["out.npz"]


def test_exclusive_write_keeps_the_file_another_run_wrote_meanwhile(tmp_path):
    """Two runs without --force: both pass the 'exists?' check, the second to finish fails and
    the first one's result is kept (the final step is an exclusive link, not a check)."""
    target = tmp_path / "out.npz"
    first_wrote, second_done = threading.Event(), threading.Event()
    errors = []

    def second():
        try:
            with exclusive_writes(), atomic_path(target) as tmp:
                tmp.write_bytes(b"second")
                first_wrote.wait(5)
        except OutputExistsError as err:
            errors.append(err)
        second_done.set()

    thread = threading.Thread(target=second)
    thread.start()
    with exclusive_writes(), atomic_path(target) as tmp:
        tmp.write_bytes(b"first")
    first_wrote.set()
    thread.join(5)
    assert target.read_bytes() == b"first"
    assert len(errors) == 1 and "exists" in str(errors[0]) and isinstance(errors[0], FileExistsError)
    assert sorted(os.listdir(tmp_path)) == ["out.npz"]  # no temporary left by the failed run
    with atomic_path(target) as tmp:  # without exclusive_writes (--force) it is replaced
        tmp.write_bytes(b"forced")
    assert target.read_bytes() == b"forced"


@pytest.mark.parametrize("sig", [signal.SIGKILL])
def test_a_killed_writer_leaves_a_named_temporary_that_the_next_run_removes(tmp_path, sig):
    target = tmp_path / "out.npz"
    code = ("import sys, time; from synsp.paths import atomic_path\n"
            f"with atomic_path({str(target)!r}) as tmp:\n"
            "    tmp.write_bytes(b'half'); print('ready', flush=True); time.sleep(60)\n")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[1] / "src")}
    proc = subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert proc.stdout.readline().strip() == "ready"
        proc.send_signal(sig)
        proc.wait(10)
    finally:
        proc.kill()
    left = os.listdir(tmp_path)
    assert len(left) == 1 and left[0].startswith(f".out.npz.synsp-tmp-{proc.pid}-") and left[0].endswith(".npz")
    assert not target.exists()
    with atomic_path(tmp_path / "other.npz") as tmp:  # any later write to the folder cleans up
        tmp.write_bytes(b"x")
    assert sorted(os.listdir(tmp_path)) == ["other.npz"]


def test_a_running_writers_temporary_is_left_alone(tmp_path):
    mine = tmp_path / f".out.npz.synsp-tmp-{os.getppid()}-abc.npz"  # a live process (our parent)
    mine.write_bytes(b"in progress")
    with atomic_path(tmp_path / "other.npz") as tmp:
        tmp.write_bytes(b"x")
    assert mine.exists()

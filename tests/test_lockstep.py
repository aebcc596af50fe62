"""Short refinements in lockstep (synsp.lockstep): their network rows batched across jobs, each job's answer what
its rows alone give, the models' records each job's own; a crowded file's tracks refined so give the same bits."""
from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from synsp import lockstep
from synsp.refining import tracks

FIXTURE = Path(__file__).parent / "fixtures" / "edge_cut_2d.npy"


class _Net:
    """A forward that records the rows it was called with: (N, V, F, D) -> {"out": x * 2 + row's own index}."""

    def __init__(self) -> None:
        self.calls: list[int] = []

    def forward(self, inputs: np.ndarray, batch_size: int, outputs) -> dict[str, np.ndarray]:
        self.calls.append(len(inputs))
        return {"out": inputs * 2}


def test_jobs_rows_go_through_the_network_together_and_come_back_each_its_own():
    net = _Net()

    def job(rows: int, passes: int):
        def run():
            return [lockstep.gather(net.forward, np.full((rows, 1, 8, 4), rows + p, np.float32), 256, None, ("k",))
                    ["out"] for p in range(passes)]
        return run

    out = lockstep.in_lockstep([job(2, 3), job(5, 1), job(3, 2)])
    assert net.calls == [10, 5, 2]  # each round every asking job's rows in one call
    for (rows, passes), got in zip([(2, 3), (5, 1), (3, 2)], out):
        assert len(got) == passes
        for p, block in enumerate(got):
            assert np.array_equal(block, np.full((rows, 1, 8, 4), 2 * (rows + p), np.float32))
        # a shared call's rows stored frame-major, as WindowNetwork._forward stores a call of its own
        assert got[0].transpose(2, 0, 1, 3).flags.c_contiguous


def test_one_row_runs_alone_and_calls_keep_to_the_batch_size():
    net = _Net()
    jobs = [lambda n=n: lockstep.gather(net.forward, np.zeros((n, 1, 8, 4), np.float32), 4, None, ("k",))
            for n in (1, 3, 2, 2, 9)]
    lockstep.in_lockstep(jobs)
    assert net.calls == [1, 3, 4, 9]  # the one row alone; 3 | 2 + 2 | 9 (a request over the batch size alone)


def test_different_keys_are_not_batched_together_and_errors_reach_the_caller():
    net = _Net()
    jobs = [lambda k=k: lockstep.gather(net.forward, np.zeros((2, 1, 8, 4), np.float32), 256, None, (k,))
            for k in "aab"]
    lockstep.in_lockstep(jobs)
    assert sorted(net.calls) == [2, 4]

    def fails():
        lockstep.gather(net.forward, np.zeros((2, 1, 8, 4), np.float32), 256, None, ("k",))
        raise ValueError("second job")

    with pytest.raises(ValueError, match="second job"):
        lockstep.in_lockstep([lambda: 1, fails, lambda: 3])


def test_each_job_refines_with_its_own_copy_of_a_shared_model():
    class Model:
        record = None

        def fallback(self):
            return shared_fallback

    shared, shared_fallback = Model(), Model()
    assert lockstep.own(shared) is shared  # outside a job: the model itself

    def job(value):
        def run():
            mine = lockstep.own(shared)
            mine.record = value
            lockstep.gather(_Net().forward, np.zeros((2, 1, 8, 4), np.float32), 256, None, ("k",))
            assert lockstep.own(shared) is mine and lockstep.own(mine) is mine
            assert mine.fallback() is lockstep.own(shared_fallback) is not shared_fallback
            return mine.record
        return run

    assert lockstep.in_lockstep([job(1), job(2), job(3)]) == [1, 2, 3]
    assert shared.record is None


def _batched(monkeypatch) -> list[int]:
    """How many jobs' rows each network call of a lockstep carried, filled as the calls are made."""
    sizes: list[int] = []
    calls = lockstep._calls

    def counted(*args):
        made = calls(*args)
        sizes.extend(map(len, made))
        return made

    monkeypatch.setattr(lockstep, "_calls", counted)
    return sizes


def test_a_crowd_of_short_tracks_gives_the_same_bits_in_lockstep(monkeypatch):
    clip = np.load(FIXTURE)
    poses = np.full((3, 120, 17, 2), np.nan, np.float32)  # tracks of 12-40 frames, two to a slot
    for v, (a, b, c, d) in enumerate([(0, 30, 50, 90), (10, 22, 40, 80), (5, 45, 70, 110)]):
        poses[v, a:b] = clip[a + 20 * v: b + 20 * v] + 100 * v
        poses[v, c:d] = clip[c: d] - 50 * v
    batched = _batched(monkeypatch)
    together = tracks.refine_tracks(poses, "coco17", "synsp", fps=30.0)
    assert max(batched, default=0) > 1  # some network call carried rows of several spans
    monkeypatch.setattr(lockstep, "SHORT_SPAN", 0)  # every span alone, one after another
    batched.clear()
    alone = tracks.refine_tracks(poses, "coco17", "synsp", fps=30.0)
    assert not batched  # no lockstep at all: SHORT_SPAN is read at the call
    for name, a, b in zip(together._fields, together, alone):
        if isinstance(a, np.ndarray):
            assert np.array_equal(a, b, equal_nan=True), name
        elif name == "conventions":
            assert all((x is None and y is None) or np.array_equal(x.offsets, y.offsets) and x[1:] == y[1:]
                       for x, y in zip(a, b)), name
        else:
            assert repr(a) == repr(b), name


def test_the_persons_of_an_array_give_the_same_bits_in_lockstep(monkeypatch):
    import synsp
    from synsp.refining import arrays

    clip = np.load(FIXTURE)
    poses = np.full((3, 100, 17, 2), np.nan, np.float32)  # persons of 50-80 frames
    for v, (a, b) in enumerate([(0, 80), (10, 60), (30, 100)]):
        poses[v, a:b] = clip[a + 10 * v: b + 10 * v] + 100 * v
    calls, batched = [], _batched(monkeypatch)
    monkeypatch.setattr(arrays, "short_in_lockstep", lambda lengths, job: calls.append(len(lengths)) or
                        lockstep.short_in_lockstep(lengths, job))
    together = synsp.refine(poses, "synsp", fps=30.0)
    assert calls == [3] and max(batched, default=0) > 1  # review 3 #10: a call of several persons
    monkeypatch.setattr(lockstep, "SHORT_SPAN", 0)  # every span alone, one after another, as before
    batched.clear()
    assert np.array_equal(together, synsp.refine(poses, "synsp", fps=30.0), equal_nan=True)
    assert not batched

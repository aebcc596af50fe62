"""Many short refinements run in lockstep, their network windows gathered into shared batches.

A crowded file's short tracks each send a few windows through the network per pass (a 5-30-frame track: 1-30
windows), and a forward pass of one window costs some 7 x a window's share of a 32-window batch (the 2D SynSP on one
CPU thread: 6.4 ms against 0.9 ms; benchmarks/RESULTS.md, section 15, "CPU of refine, crowded files and the stream").
:func:`in_lockstep` runs such refinements each in a thread of its own, but one at a time, in turn: a job runs until it
asks for a network pass (:func:`gather`), then the next job runs; when every job is asking or done, the asked passes
of the same network go through it as one batch and each job takes its rows back. The order is fixed by the jobs'
indices, never by the threads' timing, so the batches (and the outputs) are the same on every run.

Jobs share the cached models (:class:`~synsp.inference.refiner.Refiner`), which record what their last refinement
measured on themselves; interleaved, one job would read another's records. Inside a job, :func:`own` gives the job's
shallow copy of such a model instead (the network's weights shared; the records its own).
"""
from __future__ import annotations

import contextvars
import copy
import threading
from functools import partial
from typing import Any, Callable, TypeVar

import numpy as np

__all__ = ["LOCKSTEP_SPANS", "SHORT_SPAN", "gather", "in_lockstep", "own", "short_in_lockstep"]

T = TypeVar("T")
K = TypeVar("K")
# Spans (a person's frames between cuts) of at most this many frames are refined in lockstep, up to LOCKSTEP_SPANS at
# a time (:func:`short_in_lockstep`): a short span sends a few windows per pass, where one window alone costs some
# 7 x its share of a 32-window batch; longer spans fill their own batches (benchmarks/RESULTS.md, section 15)
SHORT_SPAN = 150
LOCKSTEP_SPANS = 64
Forward = Callable[[np.ndarray, int, Any], dict[str, np.ndarray]]

_JOB: contextvars.ContextVar[tuple[_Lockstep, int] | None] = contextvars.ContextVar("synsp_lockstep", default=None)
_COPIES: contextvars.ContextVar[dict[int, tuple[Any, Any]] | None] = contextvars.ContextVar("synsp_lockstep_copies",
                                                                                            default=None)


def own(model: T) -> T:
    """``model`` itself, or inside an :func:`in_lockstep` job that job's shallow copy of it (one per job and model).
    A model's ``fallback()`` (the SmoothNet a SynSP Refiner falls back on) is the job's copy too."""
    copies = _COPIES.get()
    if copies is None or model is None:
        return model
    if id(model) not in copies:
        twin = copy.copy(model)
        if callable(getattr(model, "fallback", None)):
            shared = model.fallback
            twin.fallback = lambda: own(shared())
        copies[id(model)] = (model, twin)  # the original kept: its id stays its own while the job runs
        copies[id(twin)] = (twin, twin)
    return copies[id(model)][1]


def gather(forward: Forward, inputs: np.ndarray, batch_size: int, outputs: Any, key: tuple) -> dict[str, np.ndarray]:
    """``forward(inputs, batch_size, outputs)``: inputs (N, ...) -> each output (N, ...), row by row. Inside an
    :func:`in_lockstep` job, the rows go through ``forward`` in one call with every other job's asked under the same
    ``key`` (the same network, options and row shape), and this job's rows come back stored as ``forward`` stores a
    call of its own (:func:`_alone`)."""
    job = _JOB.get()
    if job is None or len(inputs) < 2:  # one row runs alone, as it would outside: a batch of one takes other kernels
        return forward(inputs, batch_size, outputs)
    lockstep, index = job
    return lockstep.ask(index, (key, forward, inputs, batch_size, outputs))


def in_lockstep(jobs: list[Callable[[], T]]) -> list[T]:
    """Each job's result, the jobs run one at a time in turn (threads), their :func:`gather` calls batched across
    jobs. A job's exception is raised here, the first job's by index, after every job has ended."""
    if len(jobs) < 2:
        return [job() for job in jobs]
    lockstep = _Lockstep(len(jobs))
    threads = [threading.Thread(target=lockstep.work, args=(i, job, contextvars.copy_context()), daemon=True,
                                name=f"synsp-lockstep-{i}") for i, job in enumerate(jobs)]
    for thread in threads:
        thread.start()
    with lockstep.cond:
        lockstep.turn = 0
        lockstep.cond.notify_all()
        lockstep.cond.wait_for(lambda: len(lockstep.done) == len(jobs))
    for thread in threads:
        thread.join()
    for result in lockstep.results:
        if isinstance(result, _Failed):
            raise result.error
    return lockstep.results


def short_in_lockstep(lengths: dict[K, int], job: Callable[[K], T]) -> dict[K, T]:
    """``job(key)`` of each key whose span is at most :data:`SHORT_SPAN` frames long (``lengths``: key -> frames),
    run in lockstep (:func:`in_lockstep`) by :data:`LOCKSTEP_SPANS`, in ``lengths``' order; key -> result. Empty when
    fewer than two spans are short: the caller refines the others (and then those) one after another."""
    # SHORT_SPAN read at the call, not bound as a default: a benchmark or test sets it 0 to refine every span alone
    keys = [key for key, frames in lengths.items() if frames <= SHORT_SPAN]
    if len(keys) < 2:
        return {}
    out: dict[K, T] = {}
    for start in range(0, len(keys), LOCKSTEP_SPANS):
        chunk = keys[start: start + LOCKSTEP_SPANS]
        out.update(zip(chunk, in_lockstep([partial(job, key) for key in chunk])))
    return out


class _Failed:
    def __init__(self, error: BaseException) -> None:
        self.error = error


class _Lockstep:
    """The turn: which job runs (``turn``), which ask (``asked``), their answers, which are done."""

    def __init__(self, n: int) -> None:
        self.cond = threading.Condition()
        self.n = n
        self.turn: int | None = None
        self.asked: dict[int, tuple] = {}
        self.answers: dict[int, Any] = {}
        self.done: set[int] = set()
        self.results: list[Any] = [None] * n

    def work(self, index: int, job: Callable[[], Any], context: contextvars.Context) -> None:
        with self.cond:
            self.cond.wait_for(lambda: self.turn == index)
        try:
            result = context.run(self._run, index, job)
        except BaseException as error:  # noqa: BLE001 - handed to in_lockstep's caller
            result = _Failed(error)
        with self.cond:
            self.results[index] = result
            self.done.add(index)
            self._pass(index)

    def _run(self, index: int, job: Callable[[], Any]) -> Any:
        _JOB.set((self, index))
        _COPIES.set({})
        return job()

    def ask(self, index: int, request: tuple) -> dict[str, np.ndarray]:
        with self.cond:
            self.asked[index] = request
            self._pass(index)
            self.cond.wait_for(lambda: self.turn == index)
            answer = self.answers.pop(index)
        if isinstance(answer, _Failed):
            raise answer.error
        return answer

    def _pass(self, index: int) -> None:
        """The turn passed on by job ``index`` (asking or done; the lock held): to the next job after it that is
        neither, or, when none is left, the asked batches run and the turn goes to the first job answered."""
        following = [j for j in range(index + 1, self.n) if j not in self.asked and j not in self.done]
        if following:
            self.turn = following[0]
        elif self.asked:
            self._answer()
            self.turn = min(self.answers)
        else:
            self.turn = None  # every job done
        self.cond.notify_all()

    def _answer(self) -> None:
        """Every asked request answered: those of one key through their forward together, in the jobs' order, in
        calls of at most the batch size (a request larger alone; :func:`_calls`)."""
        groups: dict[tuple, list[int]] = {}
        for index in sorted(self.asked):
            groups.setdefault(self.asked[index][0], []).append(index)
        for indices in groups.values():
            _, forward, _, batch_size, outputs = self.asked[indices[0]]
            for call in _calls(indices, [len(self.asked[i][2]) for i in indices], batch_size):
                rows = [self.asked[i][2] for i in call]
                try:
                    out = forward(rows[0] if len(rows) == 1 else np.concatenate(rows), batch_size, outputs)
                except BaseException as error:  # noqa: BLE001 - raised in each asking job
                    self.answers.update({i: _Failed(error) for i in call})
                    continue
                if len(rows) == 1:
                    self.answers[call[0]] = out
                    continue
                ends = np.cumsum([len(r) for r in rows])
                for i, end, n in zip(call, ends, map(len, rows)):
                    self.answers[i] = {name: _alone(block[end - n: end]) for name, block in out.items()}
        self.asked.clear()


def _calls(indices: list[int], sizes: list[int], batch_size: int) -> list[list[int]]:
    """``indices`` cut into consecutive calls of at most ``batch_size`` rows in all (a request of more rows a call of
    its own, which the forward cuts as it would cut it alone). No call holds a batch of one row that the requests
    alone would not have held: every request holds two rows or more (:func:`gather`)."""
    calls: list[list[int]] = []
    total = batch_size + 1
    for index, size in zip(indices, sizes):
        if total + size > batch_size:
            calls.append([])
            total = 0
        calls[-1].append(index)
        total += size
    return calls


def _alone(block: np.ndarray) -> np.ndarray:
    """Rows (n, V, F, D) of a gathered output stored frame-major, as
    :meth:`~synsp.inference.network_windows.WindowNetwork._forward` stores a call of its own (a view of an
    (F, n, V, D) array): the steps after it reduce the same elements in the same order."""
    frames = np.empty((block.shape[2], block.shape[0], block.shape[1], *block.shape[3:]), block.dtype)
    frames[...] = np.moveaxis(block, 2, 0)
    return np.moveaxis(frames, 0, 2)

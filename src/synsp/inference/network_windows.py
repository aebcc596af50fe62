"""The network over windows: mirrored and leaning windows, normalisation, int8 layers, tracing,
and batches side by side; a :class:`~synsp.inference.refiner.Refiner` is one of these with every
clip-level step around it."""
from __future__ import annotations

import dataclasses
import warnings
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache, partial

import numpy as np
import torch

from synsp.errors import ShapeError
from synsp.inference.edge_pad import edge_frames, extend_ends
from synsp.inference.heading import heading_turn
from synsp.inference.normalize import denormalize, normalize, window_stats
from synsp.inference.swaa import sliding_window_average, window_starts
from synsp.inference.window_lean import turn_in_image, window_turn
from synsp.lockstep import gather
from synsp.memo import array_key, remembered
from synsp.model import network_classes
from synsp.skeleton import flip_lr

# int8 dynamic quantisation of the linear layers (CPU only; ``quantize=True``): 1.2-1.6 x faster, but
# its activation scales are set per batch, so the output moves with anything in the batch: float32
# against float64 input by 0.5 px, a translation by 1.1 px, metres against millimetres by 2 mm
# (float32: about 1e-3). Off by default since 2026-12-05 (benchmarks/RESULTS.md, section 15, "int8 off
# by default: the same poses give the same output").
QUANTIZE = False
# Linear layers left in float32 by it, per space (benchmarks/RESULTS.md, section 15). In 2D int8
# rounding of the embedding's and the heads' inputs reaches the output as jitter (validation:
# Accel +12 %, on clean input +60 %) and saves no time; in 3D it costs about 1 % of Accel, while
# float32 there would cost 7-11 % of the speed.
FLOAT_LAYERS = {"2d": ("embedding.", "head."), "3d": ()}
# Batches of fewer windows than this go through the traced network once Refiner.trace() has
# run (streams): a few windows per frame cost mostly Python's per-module overhead.
TRACE_BELOW = 64
# Windows per forward pass: (CPU, CUDA). On a CPU the batches run side by side, one per torch
# thread: the network's small matrices keep one thread busy but not two, so two batches on two
# threads beat one batch on both by 1.3-1.5 x, and 256 windows beat 2,048 even on one thread
# (benchmarks/RESULTS.md, section 15). The batches do not depend on the threads, so neither do
# the outputs (not even int8 ones, ``quantize=True``, whose activations are quantised per batch).
BATCH_SIZE = (256, 2048)
# Windows are cut, turned, normalised and refined this many batches at a time, each chunk's outputs
# written into one array for SWAA: a whole clip's window copies at once (SmoothNet's stride-1 windows, five
# full-size copies) grew memory by ~34 KB per 3D frame (benchmarks/RESULTS.md, section 7). A whole number of
# batches, so every batch holds the windows it held unchunked: the same outputs, bit for bit.
CHUNK_BATCHES = 8


def default_window(kind: str) -> int:
    """The window of ``kind``'s config class, for checkpoints whose config does not say."""
    config_class = network_classes(kind)[1]
    return next(f.default for f in dataclasses.fields(config_class) if f.name == "window")


def check_stride(name: str, value: int, window: int) -> int:
    """``value`` as an int if it is a stride for windows of ``window`` frames (1 to ``window``)."""
    if not isinstance(value, (int, np.integer)) or not 1 <= value <= window:
        raise ValueError(f"{name} must be an int in [1, {window}] for a window of {window} frames, got {value!r}")
    return int(value)


class WindowNetwork:
    """A trained network run over windows (N, V, F, J, C) in model space. Its subclass
    :class:`~synsp.inference.refiner.Refiner` sets the attributes read here: ``model``,
    ``device``, ``layout``, ``space``, ``n_coords``, ``window``, ``network``, ``weights`` (SWAA),
    ``mirror_windows``, ``edge_pad``, ``max_lean``, ``heading``, ``batch_size``, ``quantized``, ``_traced``,
    ``trace_below``."""

    def quantize(self) -> "WindowNetwork":
        """Run the network's linear layers in int8 (dynamic quantisation, weights int8, activations
        quantised per batch), but those :data:`FLOAT_LAYERS` keeps in float32 for this space;
        CPU only, irreversible. Returns ``self``."""
        if self.device.type != "cpu":
            raise ValueError(f"int8 quantisation runs on the CPU only; this model is on {self.device}")
        if not self.quantized:
            engines = torch.backends.quantized.supported_engines
            if torch.backends.quantized.engine not in engines or torch.backends.quantized.engine == "none":
                torch.backends.quantized.engine = next(e for e in ("x86", "fbgemm", "qnnpack") if e in engines)
            with warnings.catch_warnings():  # torch.ao's deprecation notice (torchao is not a dependency)
                warnings.simplefilter("ignore")
                kept = FLOAT_LAYERS.get(self.space, ())
                layers = {name for name, module in self.model.named_modules() if isinstance(module, torch.nn.Linear)
                          and not any(f".{part}" in f".{name}" for part in kept)}
                self.model = torch.ao.quantization.quantize_dynamic(self.model.float(), layers, dtype=torch.qint8)
            self.quantized = True
            if self._traced is not None:  # a trace of the float network would run the old weights
                self._traced = None
                self.trace()
        return self

    def trace(self) -> "WindowNetwork":
        """Run batches of fewer than :attr:`trace_below` windows (a stream's few per frame) through
        a traced copy of the network: the same kernels and weights (shared, so the outputs are
        identical) without Python's per-module overhead, about 4-5 x faster for one window
        (benchmarks/RESULTS.md, section 15). Tracing takes a second or more, so streams do it
        once, when they start. Returns ``self``."""
        if self._traced is None:
            d = len(self.layout.joints) * self.n_coords
            example = torch.randn(2, 1, self.window, d, generator=torch.Generator().manual_seed(0)).to(self.device)
            with warnings.catch_warnings(), torch.inference_mode():
                # torch.jit.trace is deprecated in favour of torch.compile/export, which cost
                # minutes here (section 15); the shape check in forward() is traced as a constant.
                warnings.simplefilter("ignore")
                self._traced = torch.jit.trace(self.model, example, check_trace=False)
        return self

    def _run(self, seq: np.ndarray, stride: int, batch_size: int,
             outputs: tuple[str, ...] | None = None, edges: bool = False) -> dict[str, np.ndarray]:
        """seq (V, T, J, C) without NaN -> each output (V, T, J, C) by windows + SWAA; once per person's
        refinement for the same windows and network (:mod:`synsp.memo`: SynSP's route repeats the convention
        step's first pass on unchanged values). ``edges`` (with :attr:`edge_pad`): the clip extended at both ends
        first (:mod:`synsp.inference.edge_pad`), so its first and last frames are refined as interior ones are;
        the interior windows and their mirroring are the same."""
        pad = edge_frames(self.window, stride, seq.shape[1]) if edges and self.edge_pad else (0, 0)
        return remembered(lambda: self._memo_key(seq, stride, batch_size, outputs, pad),
                          lambda: self._run_windows(seq, stride, batch_size, outputs, pad),
                          (self.model, self._traced, self.layout))

    def _memo_key(self, seq: np.ndarray, stride: int, batch_size: int, outputs: tuple[str, ...] | None,
                  pad: tuple[int, int]) -> tuple:
        """:meth:`_run`'s key in :mod:`synsp.memo`: its arguments' values and every attribute a run reads."""
        weights = None if self.weights is None else array_key(np.asarray(self.weights))
        return ("network", array_key(seq), stride, batch_size, None if outputs is None else tuple(outputs), pad,
                id(self.model), id(self._traced), self.trace_below, self.window, weights,
                self.mirror_windows, self.max_lean, self.heading, id(self.layout),
                self.space, self.quantized, str(self.device))

    def _run_windows(self, seq: np.ndarray, stride: int, batch_size: int,
                     outputs: tuple[str, ...] | None, pad: tuple[int, int]) -> dict[str, np.ndarray]:
        """:meth:`_run` computed, the clip extended by ``pad`` = (before, after) frames at its ends."""
        before, after = pad
        seq = extend_ends(seq, before, after)
        t = seq.shape[1]
        f = self.window
        padded = np.concatenate([seq, np.repeat(seq[:, -1:], f - t, axis=1)], axis=1) if t < f else seq
        length = padded.shape[1]
        # sliding_windows' frames, cut chunk by chunk: all at once they are a copy of the clip F / stride times over
        frames = window_starts(length, f, stride)[:, None] + np.arange(f)  # (N, F) indices into the clip
        n = len(frames)
        mirrored = self.mirrored(np.arange(n) - before // stride)  # each interior window as without the pad
        chunk = CHUNK_BATCHES * (batch_size or self.batch_size)
        refined: dict[str, np.ndarray] = {}
        for start in range(0, n, chunk):
            part = np.stack([view[frames[start : start + chunk]] for view in padded], axis=1)  # (n', V, F, J, C)
            got = self.refine_windows(part, batch_size, mirrored[start : start + chunk], outputs=outputs)
            del part  # the chunk's copies (turned, normalised) go with it, before the next chunk's are made
            if n <= chunk:
                refined = got
                break
            for name, out in got.items():
                if name not in refined:  # order="K": the chunk's memory layout, so SWAA sums as it did unchunked
                    refined[name] = np.empty_like(out, order="K", shape=(n, *out.shape[1:]))
                refined[name][start : start + len(out)] = out
        merged = {name: sliding_window_average(out.swapaxes(1, 2), length, stride, self.weights).swapaxes(0, 1)[:, :t]
                  for name, out in refined.items()}
        return {name: out[:, before : t - after] for name, out in merged.items()}

    @staticmethod
    def mirrored(indices: np.ndarray) -> np.ndarray:
        """(N,) bool: which windows :attr:`mirror_windows` refines mirrored, from their (N,)
        indices in a regular cut (:func:`synsp.inference.swaa.window_starts`): every odd one.
        One rule, so that streams refine the windows offline refinement refines."""
        return np.asarray(indices) % 2 == 1

    def refine_windows(self, windows: np.ndarray, batch_size: int | None = None,
                       mirrored: np.ndarray | None = None,
                       outputs: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
        """The network on windows (N, V, F, J, C) without NaN, in model space (3D:
        root-relative mm; 2D: pixels); returns each output (N, V, F, J, C) in the same space
        (those named by ``outputs``; None: all).

        With :attr:`mirror_windows`, the windows where the (N,) bool mask ``mirrored`` is True
        (default: every odd index, i.e. every other window start) go through the network
        mirrored left/right and their outputs are mirrored back. With :attr:`heading` (3D), each window is first
        turned about the vertical to the body's canonical heading and its outputs turned back
        (:mod:`synsp.inference.heading`), so the outputs turn with the input."""
        n, v, f, j, c = windows.shape
        own = self.heading and j == len(self.layout.joints)  # SmoothNet may be given other joints: no heading then
        heading = heading_turn(windows, self.layout).astype(np.float32)[:, :, None] if own else None
        if heading is not None:  # (N, V, 1, 3, 3): one turn per window and person, the same for every frame
            windows = windows @ heading.swapaxes(-1, -2)
        if self.mirror_windows:
            mirrored = self.mirrored(np.arange(n)) if mirrored is None else np.asarray(mirrored, bool)
            windows = windows.copy() if heading is None else windows  # a turned window is a copy already
            windows[mirrored] = flip_lr(windows[mirrored], self.layout)
        turn = None if self.max_lean is None else window_turn(windows, self.layout, self.max_lean)
        if turn is not None and turn.any():
            middle = windows.mean(axis=(2, 3), keepdims=True)
            windows = turn_in_image(windows, turn, middle)
        centre, scale = window_stats(windows, self.space, each_point=self.network.per_coordinate)
        inputs = normalize(windows, centre, scale).reshape(n, v, f, j * c)
        # the network's outputs are ours alone: scaled back in place, one full-size copy fewer each
        batch_size = batch_size or self.batch_size
        key = (id(self.model), id(self._traced), self.trace_below, batch_size, outputs, inputs.shape[1:],
               str(self.device), self.quantized)  # which windows may share a batch (synsp.lockstep)
        refined = {name: denormalize(out.reshape(windows.shape), centre, scale, in_place=True)
                   for name, out in gather(self._forward, inputs, batch_size, outputs, key).items()}
        if turn is not None and turn.any():
            refined = {name: turn_in_image(out, -turn, middle) for name, out in refined.items()}
        if self.mirror_windows:
            for out in refined.values():
                out[mirrored] = flip_lr(out[mirrored], self.layout)
        if heading is not None:
            refined = {name: out @ heading for name, out in refined.items()}
        return refined

    def _forward(self, inputs: np.ndarray, batch_size: int,
                 outputs: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
        """inputs (N, V, F, D) float32 -> dict of (N, V, F, D) outputs. On a CPU with several
        torch threads, the batches run side by side, one per thread (:data:`BATCH_SIZE`).

        The outputs are stored frame-major (each is a view of an (F, N, V, D) array): the
        batches are gathered in that order instead of concatenated, so that SWAA reads every
        frame offset as one contiguous block (:func:`sliding_window_average`). Each batch's outputs are
        copied there as they come and dropped: kept until the end, a long clip's small output arrays
        pinned glibc's heap between the batches' large activations, which it could then not reuse
        (a 10-minute clip: 1.9 GB more resident memory for 0.1 GB of output, RESULTS section 15)."""
        workers = torch.get_num_threads() if self.device.type == "cpu" else 1
        n, v, f, d = inputs.shape
        starts = range(0, n, batch_size)
        batches = (inputs[start : start + batch_size] for start in starts)
        wanted = tuple(self.network.outputs if outputs is None else outputs) if n else tuple(outputs or ())
        run = partial(self._forward_batch, outputs=wanted)
        if workers > 1 and len(starts) > 1:
            results = _pool(workers).map(run, batches)  # in order, taken as they are done
        else:
            results = map(run, batches)
        frame_major = {name: np.empty((f, n, v, d), np.float32) for name in wanted}
        for start, out in zip(starts, results):
            for name in wanted:
                block = out[name]
                frame_major[name][:, start : start + len(block)] = block.transpose(2, 0, 1, 3)
        return {name: block.transpose(1, 2, 0, 3) for name, block in frame_major.items()}

    @torch.inference_mode()  # thread-local: each worker thread enters it itself
    def _forward_batch(self, inputs: np.ndarray, outputs: tuple[str, ...]) -> dict[str, np.ndarray]:
        """One batch (n, V, F, D) through the network (traced if small and traced) -> the ``outputs`` named."""
        batch = torch.from_numpy(np.ascontiguousarray(inputs)).to(self.device)
        small = self._traced is not None and len(batch) < self.trace_below
        out = (self._traced if small else self.model)(batch)
        names = self.network.outputs  # a tensor for one output, else a tuple in this order
        named = dict(zip(names, out)) if len(names) > 1 else {names[0]: out}
        return {name: named[name].float().cpu().numpy() for name in outputs}


    def _validate(self, poses: np.ndarray) -> np.ndarray:
        """``poses`` as an array, checked to be (T, J, C) or (V, T, J, C) of this network's joints (any J for SmoothNet)
        and coordinates, with frames: a one-line ShapeError otherwise."""
        x = np.asarray(poses)
        j, c = len(self.layout.joints), self.n_coords
        # SmoothNet refines every coordinate on its own, so it takes any joint set.
        joints_ok = x.ndim in (3, 4) and (x.shape[-2] == j or (self.network.per_coordinate and x.shape[-2] > 0))
        if not joints_ok or x.shape[-1] != c:
            want = (f"(T, {j}, {c}) or (V, T, {j}, {c})" if not self.network.per_coordinate
                    else f"(T, J, {c}) or (V, T, J, {c})")
            raise ShapeError(f"poses must be {want} for this {self.layout.name} {self.space} model, "
                             f"got shape {x.shape}")
        if x.shape[-3] == 0:
            raise ShapeError("poses has no frames")
        return x

@lru_cache(maxsize=4)
def _pool(workers: int) -> ThreadPoolExecutor:
    """Threads for :meth:`WindowNetwork._forward`'s side-by-side batches (kept: starting them costs)."""
    return ThreadPoolExecutor(workers, thread_name_prefix="synsp-forward")

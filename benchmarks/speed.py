"""How fast each method refines, offline and streaming, on CPU, with each speed option's precision.

One run, side by side, so the ratios hold on a busy machine (absolute frames/s do not):

1. Offline: frames per second refining one long 3D sequence (h36m17, 17 x 3, made of the test
   clips under the `typical` preset and repeated to ``--frames``), for the classic filters,
   SmoothNet and SynSP with each speed option of :class:`synsp.inference.refiner.Refiner`
   (``stride``, ``pull_stride``, ``quantize``, ``convention_passes``), at 1 and 2 torch
   threads; runs are interleaved and the best of ``--repeats`` is kept. Beside each: MPJPE,
   PA-MPJPE and Accel on the first ``--val-clips`` clips of the VALIDATION split (`typical`), where the
   defaults were chosen.
2. Streaming: milliseconds per frame of :class:`MultiPersonStreamingRefiner` for 1, 10 and 50
   people (lag F - 1), and of the single-person :class:`StreamingRefiner`: float32 with windows
   at the offline stride (the default; and without the lookahead of
   :mod:`synsp.inference.stream_measurements`) or at every frame, int8, and not traced.
3. The network alone under each backend: torch float32 / int8 (/ torch.compile with
   ``--compile``), ONNX Runtime float32 / int8.
4. SWAA: the fast merge against the memory-read floor (one plain pass over the windows), and
   against reading the windows plus writing the output once, for windows stored window by
   window and frame-major (the Refiner's layout).

    .venv/bin/python benchmarks/speed.py [--frames 20000] [--repeats 3] [--val-clips 12] [--only PART]
"""
from __future__ import annotations

import argparse
import time

import numpy as np
import torch

from swaa_speed import best_time  # this folder's scripts share their timer
from synsp.evaluation.protocol import make_cases, score
from synsp.filters import FILTERS
from synsp.inference.checkpoint import load_model
from synsp.inference.people_stream import MultiPersonStreamingRefiner
from synsp.inference.stream_measurements import LOOKAHEAD
from synsp.inference.streaming import StreamingRefiner
from synsp.inference.swaa import sliding_window_average, taper, window_starts

# SynSP options measured: label -> (model, load_model keywords). "exact" is every window, both
# keep_convention passes at stride 1, float32. FOUR_LAYER is the default model and options until
# RESULTS section 15's 1-layer update: the 4-layer network the shipped 1-layer one was distilled from.
FOUR_LAYER = "SynSP 4-layer (synsp-h36m17-4layer), int8, default options (the default before the 1-layer one)"
SYNSP_OPTIONS = {
    "SynSP exact (every window, pull stride 1, float32)": ("synsp-h36m17", dict(stride=1, pull_stride=1,
                                                                                 quantize=False)),
    "SynSP every window (stride 1), int8": ("synsp-h36m17", dict(stride=1, quantize=True)),
    "SynSP stride 2": ("synsp-h36m17", dict(stride=2)),
    "SynSP default (1 layer, stride 3, tapered merge, pull stride 8, float32)": ("synsp-h36m17", {}),
    "SynSP default options but int8 (the default until 2026-12-05)": ("synsp-h36m17", dict(quantize=True)),
    "SynSP stride 3, plain mean merge": ("synsp-h36m17", dict(taper=False)),
    "SynSP stride 4": ("synsp-h36m17", dict(stride=4)),
    "SynSP stride 8": ("synsp-h36m17", dict(stride=8)),
    "SynSP one convention pass": ("synsp-h36m17", dict(convention_passes=1)),
    FOUR_LAYER: ("synsp-h36m17-4layer", dict(quantize=True)),
    "SynSP 4-layer, float32": ("synsp-h36m17-4layer", {}),
}


def precision(refine, cases) -> dict[str, float]:
    """Frame-weighted MPJPE, PA-MPJPE and Accel of ``refine`` on ``cases`` (3D, mm)."""
    per = [score(refine(c.noisy), c.clean, layout="h36m17", space="3d") for c in cases]
    weights = [len(c.noisy) for c in cases]
    return {k: float(np.average([p[k] for p in per], weights=weights)) for k in per[0]}


def offline(args: argparse.Namespace) -> None:
    seq = np.concatenate([c.noisy for c in make_cases("test", "typical")])
    seq = np.resize(seq, (args.frames, *seq.shape[1:])).astype(np.float32)
    val = make_cases("val", "typical", max_clips=args.val_clips)
    methods = {name: fn for name, fn in FILTERS.items() if name != "identity"}
    methods["SmoothNet"] = load_model("smoothnet-h36m17", "cpu").refine
    methods.update({name: load_model(model, "cpu", **opts).refine for name, (model, opts) in SYNSP_OPTIONS.items()})
    threads = (1, 2)
    best: dict[tuple[str, int], float] = {}
    for _ in range(args.repeats):  # interleaved: every method sees the same load
        for t in threads:
            torch.set_num_threads(t)
            for name, fn in methods.items():
                seconds = best_time(lambda: fn(seq), 1)
                best[name, t] = min(best.get((name, t), np.inf), seconds)
    torch.set_num_threads(1)
    exact = next(iter(SYNSP_OPTIONS))
    scores = {name: precision(fn, val) for name, fn in methods.items()}
    print(f"Offline: one sequence of {args.frames:,} frames x 17 joints x 3, best of {args.repeats}; "
          f"precision on {len(val)} validation clips ({sum(len(c.noisy) for c in val):,} frames), `typical`\n")
    print("| method | frames/s, 1 thread | frames/s, 2 threads | x SmoothNet (2 thr.) | x SynSP exact (2 thr.) "
          "| MPJPE | vs exact | vs 4-layer | PA-MPJPE | Accel |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for name in methods:
        fps = [args.frames / best[name, t] for t in threads]
        s = scores[name]
        print(f"| {name} | {fps[0]:,.0f} | {fps[1]:,.0f} | {best['SmoothNet', 2] / best[name, 2]:.2f} "
              f"| {best[exact, 2] / best[name, 2]:.2f} | {s['MPJPE']:.2f} "
              f"| {100 * (s['MPJPE'] / scores[exact]['MPJPE'] - 1):+.2f} % "
              f"| {100 * (s['MPJPE'] / scores[FOUR_LAYER]['MPJPE'] - 1):+.2f} % "
              f"| {s['PA-MPJPE']:.2f} | {s['Accel']:.2f} |")


def streaming(args: argparse.Namespace) -> None:
    torch.set_num_threads(1)
    seq = np.concatenate([c.noisy for c in make_cases("test", "typical")]).astype(np.float32)
    untraced = load_model("synsp-h36m17", "cpu")
    untraced.trace_below = 0  # streams trace the network (Refiner.trace); this one never runs the trace
    default = load_model("synsp-h36m17", "cpu")
    models = {f"float32, windows every {default.stride} frames (default)": (default, None, LOOKAHEAD),
              f"float32, windows every {default.stride} frames, no lookahead": (default, None, 0),
              "float32, a window every frame": (default, 1, LOOKAHEAD),
              "int8 (the default until 2026-12-05)": (load_model("synsp-h36m17", "cpu", quantize=True), None,
                                                      LOOKAHEAD),
              "float32, a window every frame, not traced": (untraced, 1, LOOKAHEAD)}
    window = default.window
    print(f"\nStreaming: SynSP, lag {window - 1}, 1 torch thread, {args.stream_frames} frames "
          f"(first {window} not timed), runs interleaved\n")
    rows = {}
    for label, (model, stride, lookahead) in models.items():
        single = StreamingRefiner(model, stride=stride, lookahead=lookahead)
        rows[label, "1 (StreamingRefiner)"] = (1, lambda t, s=single: s.push(seq[t]))
        for people in (1, 10, 50):
            crowd = MultiPersonStreamingRefiner(model, stride=stride, lookahead=lookahead)
            rows[label, str(people)] = (people, lambda t, p=people, c=crowd: c.push(
                np.stack([seq[(t + 97 * i) % len(seq)] for i in range(p)])))
    times: dict[tuple[str, str], list[float]] = {key: [] for key in rows}
    for t in range(args.stream_frames):  # every stream gets frame t before any gets t + 1
        for key, (_, push) in rows.items():
            start = time.perf_counter()
            push(t)
            times[key].append(time.perf_counter() - start)
    # The mean is the load (every frame's share of the work); windows every few frames make
    # most frames cheap and every few a burst, which p95 and max show.
    print("| network | people | mean ms/frame | p95 ms/frame | max ms/frame | mean ms/person |\n"
          "|---|---:|---:|---:|---:|---:|")
    for (label, people_label), (people, _) in rows.items():
        ms = np.array(times[label, people_label][window:]) * 1e3
        print(f"| {label} | {people_label} | {ms.mean():.2f} | {np.percentile(ms, 95):.2f} | {ms.max():.2f} "
              f"| {ms.mean() / people:.2f} |")


def backends(args: argparse.Namespace) -> None:
    """The network alone on a batch of windows: torch (float32, int8, and torch.compile with
    ``--compile``) and ONNX Runtime (float32, int8), 1 thread; the largest output change against
    torch float32, in mm."""
    import io
    import tempfile
    import warnings
    from pathlib import Path

    try:
        import onnxruntime as ort
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError:  # not a dependency of synsp: its rows are left out
        ort = None

    torch.set_num_threads(1)
    net = load_model("synsp-h36m17", "cpu", quantize=False).model
    int8 = load_model("synsp-h36m17", "cpu", quantize=True).model
    seq = np.concatenate([c.noisy for c in make_cases("val", "typical", max_clips=12)]).astype(np.float32)
    windows = np.stack([seq[i : i + 8] for i in range(0, 8 * 256, 7)][:256])
    x = torch.from_numpy((windows - windows[:, :, :1]).reshape(256, 1, 8, 51) / 1000)  # root-relative metres
    sessions = {}
    if ort is None:
        print("\nONNX Runtime is not installed (pip install onnxruntime): its rows are left out")
    else:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            buffer = io.BytesIO()
            torch.onnx.export(net, (x,), buffer, dynamo=False, input_names=["x"], dynamic_axes={"x": {0: "n"}})
        options = ort.SessionOptions()
        options.intra_op_num_threads = options.inter_op_num_threads = 1
        sessions["ONNX Runtime float32"] = ort.InferenceSession(buffer.getvalue(), options)
        with tempfile.TemporaryDirectory() as tmp:
            Path(tmp, "f.onnx").write_bytes(buffer.getvalue())
            quantize_dynamic(Path(tmp, "f.onnx"), Path(tmp, "q.onnx"), weight_type=QuantType.QInt8)
            sessions["ONNX Runtime int8"] = ort.InferenceSession(Path(tmp, "q.onnx").read_bytes(), options)
    runs = {"torch float32 (default)": lambda: net(x)[2].numpy(), "torch int8": lambda: int8(x)[2].numpy()}
    if args.compile:
        compiled = torch.compile(net)
        with torch.inference_mode():
            compiled(x)  # compiling is not timed
        runs["torch.compile float32"] = lambda: compiled(x)[2].numpy()
    runs.update({name: (lambda s=sess: s.run(None, {"x": x.numpy()})[2]) for name, sess in sessions.items()})
    with torch.inference_mode():
        reference = runs["torch float32 (default)"]()
        best = {name: np.inf for name in runs}
        for _ in range(args.repeats + 2):
            for name, run in runs.items():
                best[name] = min(best[name], best_time(run, 1))
        print(f"\nThe network alone: {len(x)} windows, 1 thread, best of {args.repeats + 2}\n")
        print("| backend | windows/s | x torch float32 | max change, mm |\n|---|---:|---:|---:|")
        for name, run in runs.items():
            change = 1000 * float(np.abs(run() - reference).max())
            ratio = best["torch float32 (default)"] / best[name]
            print(f"| {name} | {len(x) / best[name]:,.0f} | {ratio:.2f} | {change:.2f} |")


def swaa(args: argparse.Namespace) -> None:
    frames, dim, window = 100_000, 51, 8
    print(f"\nSWAA: {frames:,} frames x {dim} float32 values, F = {window}, best of 7\n")
    # Floors: reading every window value once, and that plus writing every output value once (a
    # fill of a new array): what any merge must do. Two reads: NumPy's sum (one thread; the
    # yardstick of every earlier figure) and a BLAS product of the memory with ones (OpenBLAS's
    # threads, here both cores; the frame-major merge itself reads through BLAS). With strided
    # windows the output is 3/8 (stride 3) to 1/2 (stride 4) the size of the windows, so its
    # writes are no longer small. Windows come in two memory layouts: window by window (any
    # caller's array) and frame offset by frame offset (the Refiner's network outputs).
    print("| merge | windows stored | stride | fast merge ms | sum read ms | fast / sum read "
          "| BLAS read ms | fast / BLAS read | BLAS read + write ms | fast / (read + write) |\n"
          "|---|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for label, weights, stride in (("plain mean", None, 1), ("plain mean", None, 4),
                                   ("tapered", taper(window), 2), ("tapered (SynSP's 3D default)", taper(window), 3)):
        n = len(window_starts(frames, window, stride))
        values = np.random.default_rng(0).standard_normal((n, window, dim), dtype=np.float32)
        frame_major = np.ascontiguousarray(values.swapaxes(0, 1))
        # (windows, their memory in storage order): the floors read the memory in order
        for layout, windows, memory in (("window by window", values, values),
                                        ("frame-major (Refiner)", frame_major.swapaxes(0, 1), frame_major)):
            fast = best_time(lambda: sliding_window_average(windows, frames, stride, weights), 7)
            rows, ones = memory.reshape(window, -1), np.ones(window, np.float32)
            summed = best_time(lambda: memory.sum(), 7)
            blas = best_time(lambda: ones @ rows, 7)
            both = blas + best_time(lambda: np.empty((frames, dim), np.float32).fill(1.0), 7)
            print(f"| {label} | {layout} | {stride} | {fast * 1e3:.2f} | {summed * 1e3:.2f} | {fast / summed:.2f} "
                  f"| {blas * 1e3:.2f} | {fast / blas:.2f} | {both * 1e3:.2f} | {fast / both:.2f} |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--frames", type=int, default=20_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--val-clips", type=int, default=12, help="validation clips for the precision columns")
    parser.add_argument("--stream-frames", type=int, default=300)
    parser.add_argument("--compile", action="store_true", help="also time torch.compile (compiling takes minutes)")
    parser.add_argument("--only", choices=["offline", "streaming", "backends", "swaa"], help="run one part")
    args = parser.parse_args()
    for name, part in (("offline", offline), ("streaming", streaming), ("backends", backends), ("swaa", swaa)):
        if args.only in (None, name):
            part(args)


if __name__ == "__main__":
    main()

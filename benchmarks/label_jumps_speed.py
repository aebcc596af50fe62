"""How long the marker label-jump step takes on a 5-minute file of 40 lab markers at 100 Hz.

``synsp.estimator_errors.label_jumps.label_jumps`` (run by ``synsp.refining.no_layout`` on every 3D file of no
layout) on one long file: validation clips made into markers as ``benchmarks/lab_markers.py`` makes them (39 Plug-in
Gait markers, 0.4 mm of white noise) plus a 40th, a head-top marker, joined one after another (each clip moved to
where the last ended and blended into it over 0.5 s, so the joins are no jumps; ``--joins cut``: not blended, takes
joined, every marker jumps at a join) up to ``--seconds``; each clip's
stretch carries ``lab_markers.cases``' errors at once: 10 gaps, a ghost (RTIB 170 mm off for 8 frames) and two swaps
(LTHI/LKNE for 6 frames, LASI/RASI for 8). Prints the CPU seconds of the call (best of ``--repeat``), and how many
swaps it exchanged and values it emptied. ``--before REV`` also times the module as it was at git revision REV,
alternating with today's in the same run (the machine is shared: only figures from one run compare), and checks that
both give the same outputs to the bit; where REV has no edge swaps (``label_jumps._edge_swaps``, added in dd9c578),
against today's module run once more with them off, the outputs its other steps are meant to keep. Run:

    .venv/bin/python benchmarks/label_jumps_speed.py [--seconds 300] [--repeat 3] [--before 017507e] [--joins cut]
"""
from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from unittest.mock import patch

import numpy as np

from synsp.data.splits import load_split
from synsp.estimator_errors import label_jumps as jumps_now
from synsp.refining.no_layout import GHOSTS

sys.path.insert(0, str(Path(__file__).resolve().parent))
from csv_speed import module_at  # noqa: E402
from lab_markers import AT, cases, clip  # noqa: E402

FPS = 100.0
SOURCE = "src/synsp/estimator_errors/label_jumps.py"
BLEND = 50  # frames over which one clip's markers are blended into the next's


def with_head_top(x: np.ndarray) -> np.ndarray:
    """The 39 markers (T, 39, 3) plus a 40th, 90 mm above the four head markers' centre along the body's up."""
    head = x[:, [AT["LFHD"], AT["RFHD"], AT["LBHD"], AT["RBHD"]]].mean(1)
    up = head - x[:, AT["C7"]]
    up /= np.linalg.norm(up, axis=-1, keepdims=True)
    return np.concatenate([x, (head + 90.0 * up)[:, None]], 1)


def long_file(seconds: float, blend: bool = True) -> tuple[np.ndarray, int]:
    """(markers (T, 40, 3) mm with the errors, clips used) of about ``seconds`` at 100 Hz; ``blend`` False: each clip
    moved to where the last ended but not blended (takes joined: every marker jumps at a join)."""
    names, parts, k = load_split("val"), [], 0
    frames = 0
    while frames < seconds * FPS:
        truth, noisy = clip(names[k % len(names)], 0.0, k)
        errors = cases(truth, noisy, k)
        x = errors["swap"][0] + (errors["ghost"][0] - noisy)  # the two swaps and the ghost
        x[np.isnan(errors["gaps"][0])] = np.nan  # the gaps
        x = with_head_top(x)
        if parts:  # start where the last clip ended, blended into it
            last = parts[-1]
            x += np.nanmean(last[-1] - x[0], axis=0)
            if blend:
                w = (0.5 - 0.5 * np.cos(np.pi * np.arange(1, BLEND + 1) / (BLEND + 1)))[:, None, None]
                x[:BLEND] = (1 - w) * last[-BLEND:] + w * x[:BLEND]
                parts[-1] = last[:-BLEND]
        parts.append(x)
        frames += len(x) - (BLEND if k and blend else 0)
        k += 1
    return np.concatenate(parts)[:int(seconds * FPS)], k


def timed(module, x: np.ndarray, ghosts: int) -> tuple[float, tuple]:
    start = time.process_time()
    out = module.label_jumps(x, FPS, ghosts)
    return time.process_time() - start, out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=300.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--before", help="also time label_jumps at this git revision")
    parser.add_argument("--joins", choices=("blend", "cut"), default="blend",
                        help="cut: the clips' markers not blended at the joins (every marker jumps there)")
    args = parser.parse_args()
    x, used = long_file(args.seconds, args.joins == "blend")
    ghosts = int(round(GHOSTS * FPS))
    print(f"{len(x)} frames x {x.shape[1]} markers at 100 Hz ({len(x) / FPS:.0f} s) from {used} validation clips "
          f"({args.joins} joins), {np.isnan(x[..., 0]).mean():.2%} of values unseen")
    with tempfile.TemporaryDirectory() as tmp:
        before = module_at(args.before, Path(tmp), SOURCE) if args.before else None
        modules = {"today": jumps_now} | ({f"at {args.before}": before} if before else {})
        best: dict[str, float] = {}
        outs: dict[str, tuple] = {}
        for _ in range(args.repeat):
            for name, module in modules.items():
                seconds, outs[name] = timed(module, x, ghosts)
                best[name] = min(best.get(name, np.inf), seconds)
    for name, (out, emptied, swapped) in outs.items():
        print(f"{name}: {best[name]:.2f} s CPU (best of {args.repeat}); {swapped} swaps exchanged back, "
              f"{int(emptied.sum())} values emptied")
    if args.before:
        (a, ea, sa), (b, eb, sb) = outs.values()
        off = "" if hasattr(before, "_edge_swaps") else " (today's with the edge swaps off: the revision has none)"
        if off:
            with patch.object(jumps_now, "_edge_swaps", lambda *_: (0, [])):
                a, ea, sa = jumps_now.label_jumps(x, FPS, ghosts)
        same = np.array_equal(a, b, equal_nan=True) and np.array_equal(ea, eb) and sa == sb
        print(("outputs the same to the bit" if same else "OUTPUTS DIFFER") + off)


if __name__ == "__main__":
    main()

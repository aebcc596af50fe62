"""Where the 2D default loses precision, step by step, and clip-level variants tried (RESULTS section 9).

On the VALIDATION split (choices only), shipped ``synsp-coco17``, for each joint convention:
MPJPE x input under ``typical`` and under ``jitter`` only, and px the clean input is moved.
A variant is a base (``raw``: the network alone, no mirrored windows, no pull undone, no floor
step, no low-pass; ``default``: ``synsp refine`` today) and ``+``-joined changes:

- ``mirror`` / ``nomirror``: every other window mirrored left/right (``Refiner.mirror_windows``);
- ``sym`` / ``nopull``: the symmetric part of the constant pull undone, or none of it;
- ``floor`` / ``nofloor``: the floor step (``synsp.inference.floor``); ``lp``: the 6 Hz low-pass;
- ``tauX``: keep the first X trunk lengths of each joint's symmetric pull (soft threshold);
  ``betaX``: undo only the share X of it; ``ampX``: keep X times its asymmetric part, not 1;
- ``rampA-B``: the floor step scaled down by the input's 2D bone drift (3D's ramp, A to B);
- ``strideN``: N frames between the network's windows (``Refiner.stride``; the default's: 2);
- ``rotX``: test-time augmentation, each window also refined turned by +-X degrees in the
  image about its mean point and turned back, the three averaged.

``--oracle`` instead measures, per clip, the constant error (the median over frames in
:func:`synsp.conventions.local_frames` of the clean poses, trunk lengths) and its asymmetric part
(the rest of :func:`synsp.conventions.symmetric_part`), in the input, the network's output
(``raw+mirror``) and the default's; and how much of the input's asymmetric constant error the
network's own asymmetric constant pull removes (least squares over all clips and joints).

``--checkpoint`` measures another 2D model than the shipped one (e.g. a training run's ``best.pt``).

Run (about 10 s per variant and convention on 65 clips, one thread)::

    .venv/bin/python benchmarks/gap2d.py --conventions mocap smpl-pelvis body25 \
        --variants raw raw+mirror raw+mirror+sym raw+mirror+sym+floor default default+rot5
"""
from __future__ import annotations

import argparse
from contextlib import contextmanager
from typing import Callable, Iterator

import numpy as np
import torch

import synsp.inference.convention_pass as convention_pass
from synsp.conventions import local_correction, local_frames, symmetric_part
from synsp.evaluation.protocol import make_cases, score
from synsp.inference.checkpoint import load_model
from synsp.inference.floor import SHRINK
from synsp.inference.refiner import LOWPASS_HZ, Refiner
from synsp.inference.window_lean import turn_in_image

LAYOUT = "coco17"


@contextmanager
def pull_variant(tau: float = 0.0, beta: float = 1.0, amp: float = 1.0) -> Iterator[None]:
    """Patch the refiner's ``constant_pull`` (symmetric case): undo ``beta`` x (the symmetric
    pull soft-thresholded by ``tau`` trunk lengths) and keep ``amp`` x its asymmetric part."""
    original = convention_pass.constant_pull
    if (tau, beta, amp) == (0.0, 1.0, 1.0):  # the shipped pull: nothing to patch
        yield
        return

    def pull(inputs: np.ndarray, refined: np.ndarray, layout, symmetric: bool = False,
             never: np.ndarray | None = None) -> np.ndarray:
        frames, local = local_correction(inputs, refined, layout)
        median = np.median(local, axis=-3, keepdims=True)  # (..., 1, J, 2), trunk lengths
        if symmetric:
            sym = symmetric_part(median, layout, None if never is None else np.asarray(never)[..., None, :])
            size = np.linalg.norm(sym, axis=-1, keepdims=True)
            sym = beta * sym * np.maximum(0.0, 1 - tau / np.maximum(size, 1e-12)) if tau else beta * sym
            median = sym - (amp - 1.0) * (median - symmetric_part(median, layout))
        return np.einsum("...jab,...jb->...ja", frames, np.broadcast_to(median, local.shape))

    convention_pass.constant_pull = pull
    try:
        yield
    finally:
        convention_pass.constant_pull = original


def rotated(model: Refiner, degrees: float) -> None:
    """Test-time augmentation on ``model`` (this instance only): each batch of windows refined
    as it is and turned by +-``degrees`` about each window's mean point, turned back, averaged."""
    plain = model.refine_windows

    def refine_windows(windows: np.ndarray, batch_size: int | None = None, mirrored: np.ndarray | None = None,
                       outputs: tuple[str, ...] | None = None) -> dict[str, np.ndarray]:
        middle = windows.mean(axis=(2, 3), keepdims=True)
        total: dict[str, np.ndarray] = {}
        for angle in (0.0, degrees, -degrees):
            turn = np.full(windows.shape[:2], np.deg2rad(angle))
            out = plain(turn_in_image(windows, turn, middle) if angle else windows, batch_size, mirrored, outputs)
            for name, value in out.items():
                back = turn_in_image(value, -turn, middle) if angle else value
                total[name] = total.get(name, 0.0) + back.astype(np.float64) / 3
        return {name: value.astype(np.float32) for name, value in total.items()}

    model.refine_windows = refine_windows


def build(variant: str, checkpoint: str = "synsp-coco17") -> tuple[Refiner, dict[str, float]]:
    """The 2D model ``checkpoint`` (file or shipped name) set up as ``variant`` says, and the pull patch's options."""
    base, *changes = variant.split("+")
    model = load_model(checkpoint)
    if base == "raw":
        model.keep_convention, model.mirror_windows, model.shrink, model.lowpass_hz = False, False, 0.0, None
    elif base != "default":
        raise SystemExit(f"unknown base {base!r} in {variant!r}: raw or default")
    pull: dict[str, float] = {}
    for change in changes:
        if change in ("mirror", "nomirror"):
            model.mirror_windows = change == "mirror"
        elif change in ("sym", "nopull"):
            model.keep_convention = "symmetric" if change == "sym" else False
        elif change in ("floor", "nofloor"):
            model.shrink = SHRINK["2d"] if change == "floor" else 0.0
        elif change == "lp":
            model.lowpass_hz = LOWPASS_HZ
        elif change.startswith("ramp"):
            low, high = change[4:].split("-")
            model.drift_ramp = (float(low), float(high))
        elif change.startswith("stride"):
            model.stride = int(change[6:])
        elif change.startswith("rot"):
            rotated(model, float(change[3:]))
        elif change[:3] in ("tau", "amp") or change.startswith("beta"):
            key = "beta" if change.startswith("beta") else change[:3]
            pull[key] = float(change[len(key):])
        else:
            raise SystemExit(f"unknown change {change!r} in {variant!r}")
    return model, pull


def mean_mpjpe(method: Callable[[np.ndarray], np.ndarray], cases) -> float:
    """Frame-weighted mean MPJPE (px) of ``method`` over ``cases``."""
    frames = np.array([len(c.clean) for c in cases], float)
    return float(np.average([score(method(c.noisy), c.clean, layout=LAYOUT, space="2d")["MPJPE"] for c in cases],
                            weights=frames))


def _constant(diff: np.ndarray, poses: np.ndarray) -> np.ndarray:
    """(J, 2) median over frames of ``diff`` (T, J, 2) in the local frames of ``poses`` (NaN skipped)."""
    local = np.linalg.solve(local_frames(poses, LAYOUT), diff[..., None])[..., 0]
    return np.nanmedian(local, axis=0)


def oracle(convention: str, max_clips: int) -> None:
    """Print where the constant error goes (module docstring, ``--oracle``)."""
    cases = make_cases("val", "typical", layout=LAYOUT, space="2d", max_clips=max_clips, convention=convention)
    network, default = build("raw+mirror")[0], build("default")[0]
    removed = total = pulled = 0.0
    sizes = []  # per clip: |asymmetric|, |all| constant error of the input, the network, the default
    for case in cases:
        clean, noisy = case.clean.astype(np.float64), case.noisy.astype(np.float64)
        out = network.refine(case.noisy).astype(np.float64)
        pull = _constant(out - np.where(np.isnan(noisy), out, noisy), out)
        errors = [_constant(x - clean, clean) for x in (noisy, out, default.refine(case.noisy).astype(np.float64))]
        asym = [e - symmetric_part(e, LAYOUT) for e in (*errors, pull)]
        removed -= float((asym[3] * asym[0]).sum())
        total += float((asym[0] ** 2).sum())
        pulled += float((asym[3] ** 2).sum())
        sizes.append([np.linalg.norm(e, axis=-1).mean() for e in (*asym[:3], *errors)])
    a = np.mean(sizes, axis=0)
    print(f"{convention}, {len(cases)} clips: the network's asymmetric pull removes {removed / total:.3f} of the "
          f"input's asymmetric constant error (correlation {removed / np.sqrt(total * pulled):.3f})\n"
          f"mean |asymmetric constant error| (trunk lengths): input {a[0]:.4f}, network {a[1]:.4f}, "
          f"default {a[2]:.4f}\n"
          f"mean |constant error|: input {a[3]:.4f}, network {a[4]:.4f}, default {a[5]:.4f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-clips", type=int, default=0, help="only the first N validation clips (0 = all 65)")
    parser.add_argument("--conventions", nargs="+", default=["mocap", "smpl-pelvis", "body25"])
    parser.add_argument("--variants", nargs="+", default=["raw", "raw+mirror", "raw+mirror+sym",
                                                          "raw+mirror+sym+floor", "default"])
    parser.add_argument("--oracle", action="store_true", help="where the constant error goes, not the variants")
    parser.add_argument("--checkpoint", default="synsp-coco17", help="the 2D model: a file or shipped name "
                        "(the variants; --oracle measures the shipped one)")
    args = parser.parse_args()
    torch.set_num_threads(1)
    if args.oracle:
        for convention in args.conventions:
            oracle(convention, args.max_clips)
        return
    print("| convention | variant | `typical` (x input) | `jitter` (x input) | clean moved (px) |")
    print("|---|---|---:|---:|---:|")
    for convention in args.conventions:
        sets = {preset: make_cases("val", preset, layout=LAYOUT, space="2d", max_clips=args.max_clips,
                                   convention=convention) for preset in ("typical", "jitter", "none")}
        inputs = {preset: mean_mpjpe(lambda x: x, cases) for preset, cases in sets.items() if preset != "none"}
        for variant in args.variants:
            model, pull = build(variant, args.checkpoint)
            with pull_variant(**pull):
                typical, jitter, clean = (mean_mpjpe(model.refine, sets[p]) for p in ("typical", "jitter", "none"))
            print(f"| {convention} | {variant} | {typical / inputs['typical']:.3f} | "
                  f"{jitter / inputs['jitter']:.3f} | {clean:.2f} |", flush=True)


if __name__ == "__main__":
    main()

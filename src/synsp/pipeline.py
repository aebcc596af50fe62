"""``synsp refine IN OUT``: read any supported pose file, refine every track, write it back.

Steps: low-confidence joints (score < threshold) and NaN become missing; each track is
refined over the span where it was detected (outside that span it stays missing, so no
ghost person appears); gaps inside the span are filled before refinement and reported.
When the file's joint layout differs from the model's (e.g. MediaPipe-33 into a
Human3.6M-17 model), the poses are converted, refined, and each input joint moves with the
model joint nearest to it, so the output keeps the input's layout and shape.
"""
from __future__ import annotations

import os
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from synsp.refine import METHODS, refine
from synsp.skeleton import LAYOUTS, convert

MODEL_LAYOUT = {3: "h36m17", 2: "coco17"}  # what the shipped networks were trained on, by coordinate count


@dataclass
class RefineSummary:
    """What ``refine_file`` did, with two figures that need no ground truth."""

    output: Path
    tracks: int
    frames: int
    filled: int  # joint values filled (missing or below the confidence threshold) inside detected spans
    accel_in: float  # mean |acceleration| of the input, unit per frame^2
    accel_out: float
    displacement: float  # mean distance between output and input joints
    unit: str

    def __str__(self) -> str:
        ratio = self.accel_out / self.accel_in if self.accel_in else float("nan")
        return (f"wrote {self.output}: {self.tracks} track(s), {self.frames} frames, {self.filled} joint values filled\n"
                f"smoothness: mean |accel| {self.accel_in:.2f} -> {self.accel_out:.2f} {self.unit}/frame^2 "
                f"(x{ratio:.3f}); mean displacement from input {self.displacement:.2f} {self.unit}")


def _layout_for(poses: np.ndarray, declared: str | None, given: str | None, where: Path) -> str:
    name = given or declared
    j, c = poses.shape[-2:]
    if name is None:
        guesses = [n for n, lay in LAYOUTS.items() if len(lay.joints) == j and MODEL_LAYOUT.get(c) == n]
        if not guesses:
            raise ValueError(f"{where}: cannot tell the joint layout of {j} joints; pass --layout "
                             f"(supported: {', '.join(LAYOUTS)}) or refine with a model trained for it")
        name = guesses[0]
    if name not in LAYOUTS:
        raise ValueError(f"{where}: unknown layout {name!r}; supported: {', '.join(LAYOUTS)}")
    if len(LAYOUTS[name].joints) != j:
        raise ValueError(f"{where}: layout {name} has {len(LAYOUTS[name].joints)} joints but the file has {j}")
    return name


def nearest_joints(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """For every joint of ``x`` (T, J, C), the index of the joint of ``y`` (T, K, C) nearest to it on average."""
    d = np.nanmean(np.linalg.norm(x[:, :, None] - y[:, None], axis=-1), axis=0)  # (J, K)
    return np.nanargmin(np.where(np.isnan(d), np.inf, d), axis=1)


def refine_track(poses: np.ndarray, layout: str, method: str, **options) -> np.ndarray:
    """Refine one track (T, J, C) in ``layout``, converting to the model's layout when needed.

    Methods that work on any layout (filters, or a checkpoint for this layout) run
    directly; the shipped networks see the poses converted to their layout and every input
    joint takes the correction of its nearest model joint."""
    target = MODEL_LAYOUT[poses.shape[-1]]
    if method not in ("synsp", "smoothnet") or options.get("checkpoint") or layout == target:
        return refine(poses, method, **options)
    converted = convert(poses, layout, target)
    delta = refine(converted, method, **options) - converted
    return poses + delta[:, nearest_joints(poses, converted)]


def _mean_accel(x: np.ndarray) -> float:
    if x.shape[-3] < 3:
        return float("nan")
    acc = x[..., :-2, :, :] - 2 * x[..., 1:-1, :, :] + x[..., 2:, :, :]
    return float(np.nanmean(np.linalg.norm(acc, axis=-1)))


def refine_file(
    input: str | os.PathLike, output: str | os.PathLike, *, method: str = "synsp", checkpoint: str | None = None,
    layout: str | None = None, in_format: str | None = None, out_format: str | None = None, threshold: float = 0.3,
    device: str | None = None, force: bool = False, space: str | None = None,
) -> RefineSummary:
    """Refine the pose file ``input`` into ``output`` (same format unless ``out_format``).

    Never writes over ``input``; refuses an existing ``output`` unless ``force``. Raises
    ``ValueError``/``FileNotFoundError`` with one-line messages for bad input.
    """
    from synsp.formats import read_poses, scores_to_missing, write_poses
    from synsp.gaps import fill_gaps

    src, dst = Path(input), Path(output)
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose from {', '.join(METHODS)}")
    if not src.is_file():
        raise FileNotFoundError(f"{src}: no such file")
    if dst.exists() and (dst.resolve() == src.resolve() or os.path.samefile(dst, src)):
        raise ValueError(f"{dst}: output is the input file; refusing to overwrite it")
    if dst.exists() and not force:
        raise FileExistsError(f"{dst} exists; pass --force to replace it")
    data = read_poses(src, format=in_format, **({"space": space} if space else {}))
    poses = data.poses.astype(np.float32)
    if data.scores is not None:
        poses = scores_to_missing(poses, data.scores, threshold)
    name = _layout_for(poses, data.layout, layout, src)
    options = {"checkpoint": checkpoint, "device": device} if method in ("synsp", "smoothnet") else {}
    if method == "one-euro" and data.fps:
        options["fps"] = data.fps
    out = np.full_like(poses, np.nan)
    filled = 0
    for v, track in enumerate(poses):
        seen = np.flatnonzero(np.isfinite(track).all(-1).any(-1))  # frames where the track has any joint
        if len(seen) == 0:
            continue
        span = slice(seen[0], seen[-1] + 1)
        values, missing = fill_gaps(track[span])
        filled += int(missing.sum())
        out[v, span] = refine_track(values, name, method, **options)
    unit = "mm" if poses.shape[-1] == 3 else "px"
    write_poses(dst, replace(data, poses=out.astype(data.poses.dtype)), format=out_format)
    valid = np.isfinite(poses)
    return RefineSummary(dst, len(poses), poses.shape[1], filled, _mean_accel(poses), _mean_accel(out),
                         float(np.nanmean(np.linalg.norm(np.where(valid, out - poses, np.nan), axis=-1))), unit)

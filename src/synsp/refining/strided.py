"""Detections on every k-th frame: a detector run on every 2nd to 4th frame (OpenPose's ``--frame_step``, a stride
in mmpose or rtmlib scripts) leaves whole frames empty at a regular stride.

Bridged at the file's rate, half (or more) of the refiner's track would be straight-line midpoints refined as if
measured: the audit of 2026-12-06 (finding 1) measured 2D, 1 frame in 2, 1.914 px against 1.597 px for the
detected frames refined alone at fps/2. So such a file is refined on its detected frames alone, at fps/k, and its
empty frames are given back empty (NaN), as every frame with no joint detected is. Frames missing at random
(a person hidden, a detector's miss) keep the file's own route: there the gaps between detections are mostly
none, which :func:`detection_stride` reads as no stride. Whole frames held between the detections (an estimator's
output repeated until its next run, a 15 fps video doubled to 30) are the same stride: the detections are refined
alone and the held frames, which the user was given, get the line between their refined neighbours (:func:`between`).

The networks only: the classic filters, tuned in frames at 30 fps, did better bridged (validation, the 8 clips of
benchmarks/strided_detections.py: Butterworth 1.910 px bridged against 2.166 on the detected frames at fps/2 in
2D, 9.669 mm against 11.030 in 3D), so they keep the bridge.
"""
from __future__ import annotations

import numpy as np

from synsp.estimator_errors.held_values import held_values
from synsp.filter_input import DEFAULT_FPS
from synsp.model import NETWORKS
from synsp.sequence import fill_gaps

MAX_STRIDE = 4  # every 2nd, 3rd or 4th frame detected; sparser files are refined as they are
REGULAR_SHARE = 0.7  # this share of the gaps between detections must be exactly k - 1 frames (a few missed allowed)
MIN_GAPS = 8  # fewer detections tell no stride


def detected_frames(poses: np.ndarray) -> np.ndarray:
    """(T,) bool: the frames of ``poses`` (..., T, J, C) in which some entry has a joint with every coordinate
    finite (a multi-person file's stride empties every person's frame at once), and not as a whole frame held
    (:func:`repeated_frames`)."""
    finite = np.isfinite(poses).all(-1)  # (..., T, J)
    new = finite.any(-1) & ~(held_values(poses) | ~finite).all(-1)  # (..., T)
    return new.reshape(-1, new.shape[-1]).any(0)


def repeated_frames(poses: np.ndarray, detected: np.ndarray) -> np.ndarray:
    """(T,) bool: the frames of ``poses`` (..., T, J, C) with a joint seen but not ``detected`` (T,) as
    :func:`detected_frames` tells them: every entry's seen joints a repeat of the frame before
    (:func:`synsp.estimator_errors.held_values.held_values`, which reads a grid's repeats as
    :func:`~synsp.estimator_errors.held_values.held_frames` alone does not): an estimator run on every k-th frame
    and its output held between, the same stride as frames left empty, but frames a user was given."""
    seen = np.isfinite(poses).all(-1).any(-1)
    return seen.reshape(-1, seen.shape[-1]).any(0) & ~detected


def between(refined: np.ndarray, held: np.ndarray, axis: int) -> np.ndarray:
    """``refined`` (frames on ``axis``, NaN off the detections) with its ``held`` (T,) frames given the line
    between the refined frames around them, as the refiner fills held values it reads."""
    if not held.any():
        return refined
    frames = np.moveaxis(refined, axis, -3)
    lined = fill_gaps(frames)[0]
    return np.moveaxis(np.where(held.reshape((-1, 1, 1)), lined, frames), -3, axis)


def detection_stride(detected: np.ndarray) -> int:
    """The stride k (2 to ``MAX_STRIDE``) at which ``detected`` (T,) bool frames were detected, or 1 when they
    were not at a regular stride: at least ``MIN_GAPS`` gaps between consecutive detections, the commonest
    holding k - 1 empty frames and at least ``REGULAR_SHARE`` of them that one. Frames missing at random never
    pass: their commonest gap is none (consecutive detections), at any share missing."""
    frames = np.flatnonzero(detected)
    empty = np.diff(frames) - 1  # empty frames between consecutive detections
    if empty.size < MIN_GAPS:
        return 1
    counts = np.bincount(empty)
    common = int(np.argmax(counts))
    if not 1 <= common <= MAX_STRIDE - 1 or counts[common] < REGULAR_SHARE * empty.size:
        return 1
    return common + 1


def stride_steps(frames: np.ndarray, stride: int) -> np.ndarray:
    """The index of each detected frame (``frames`` (N,) sorted frame numbers) on a grid of ``stride`` frames: a
    detection missed (2k - 1 empty frames) leaves one grid step empty, a stride off by one frame none."""
    steps = np.maximum(1, np.rint(np.diff(frames) / stride).astype(int))
    return np.concatenate([[0], np.cumsum(steps)])


def on_grid(poses: np.ndarray, detected: np.ndarray, stride: int) -> tuple[np.ndarray, np.ndarray]:
    """``poses`` (..., T, J, C) on the detections' grid (..., S, J, C), NaN at the grid's empty steps, and the
    grid index (N,) of each detected frame."""
    frames = np.flatnonzero(detected)
    steps = stride_steps(frames, stride)
    grid = np.full((*poses.shape[:-3], int(steps[-1]) + 1, *poses.shape[-2:]), np.nan, dtype=poses.dtype)
    grid[..., steps, :, :] = poses[..., frames, :, :]
    return grid, steps


def off_grid(refined: np.ndarray, detected: np.ndarray, steps: np.ndarray, axis: int, fill=np.nan) -> np.ndarray:
    """``refined``, its frame ``axis`` on the grid (S steps), back at the file's T frames (``detected`` (T,)):
    the detected frames their steps' values, the others ``fill`` (NaN: nothing written where nothing was
    detected; False for a mask)."""
    grid = np.moveaxis(refined, axis, 0)
    out = np.full((detected.size, *grid.shape[1:]), fill, dtype=refined.dtype)
    out[np.flatnonzero(detected)] = grid[steps]
    return np.moveaxis(out, 0, axis)


def grid_cuts(cuts: list[np.ndarray] | None, detected: np.ndarray, steps: np.ndarray) -> list[np.ndarray] | None:
    """Per track, the file frames ``cuts`` (K,) it is cut at (the first frame after each) as steps of the
    detections' grid (:func:`on_grid`; ``detected`` (T,) bool, ``steps`` (N,) each detection's step): the step of
    the first detection at or after each; none at the first detection or after the last (nothing to cut from, or
    to). None without ``cuts``."""
    if cuts is None:
        return None
    frames = np.flatnonzero(detected)
    at = [np.searchsorted(frames, np.asarray(c, int)) for c in cuts]
    return [np.unique(steps[a[(a > 0) & (a < len(frames))]]) for a in at]


def network_stride(poses: np.ndarray, method: str) -> tuple[np.ndarray, int]:
    """(``detected`` (T,) bool frames of ``poses`` (..., T, J, C), their stride k): the networks' route on every k-th
    frame when k > 1; the classic filters keep the bridge (module docstring): k = 1 for them."""
    if method not in NETWORKS:
        return np.ones(poses.shape[-3], dtype=bool), 1
    detected = detected_frames(poses)
    return detected, detection_stride(detected)


def on_detections(poses: np.ndarray, detected: np.ndarray, stride: int, fps: float | None,
                  max_gap: int | None) -> tuple[np.ndarray, np.ndarray, float, int | None]:
    """What the refiner is given of ``poses`` (..., T, J, C) detected every ``stride`` frames: the poses on the
    detections' grid and each detected frame's grid index (:func:`on_grid`), the grid's rate (:func:`strided_fps`
    of the file's ``fps``) and ``max_gap`` (file frames, None: no limit) in grid steps."""
    grid, steps = on_grid(poses, detected, stride)
    return grid, steps, strided_fps(fps, stride), None if max_gap is None else max_gap // stride


def strided_fps(fps: float | None, stride: int) -> float:
    """The rate the detections are at: the file's ``fps`` (None: the assumed 30, as the refiners take it) / k."""
    return (fps or DEFAULT_FPS) / stride


def stride_note(stride: int, fps: float | None) -> str:
    """The summary's line for a file refined on its detected frames (``fps``: the file's rate, None if not given)."""
    rate = "the assumed 30 fps" if not fps else f"{fps:g} fps"
    return (f"stride: whole frames are empty at a regular stride, a detection every {stride} frames; refined on "
            f"the detected frames alone at {strided_fps(fps, stride):g} fps ({rate} / {stride}), the empty frames "
            "left empty")

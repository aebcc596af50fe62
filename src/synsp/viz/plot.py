"""Trajectory plots: a joint's position per axis and its acceleration, before vs after refinement.

Jitter shows far better in acceleration than in position (a 5 mm wobble is invisible in a
1 m stride, but it is the whole acceleration signal), so each joint gets both.
Uses matplotlib's object API (no pyplot): no global figure state, no GUI backend needed.
"""
from __future__ import annotations

import os
import warnings
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from synsp.motion_pace import fps_text
from synsp.skeleton import Layout, can_convert, convert, get_layout, trunk_vector
from synsp.viz.draw import check_sequences, joint_indices, resolve_layout

# Line styles per role; colours match the skeleton drawings (before red, after green).
_STYLES = {
    "ground truth": {"color": "0.45", "lw": 1.2, "ls": "--"},
    "before": {"color": "#d62728", "lw": 0.9, "alpha": 0.85},
    "after": {"color": "#2ca02c", "lw": 1.4},
}


def acceleration(seq: np.ndarray) -> np.ndarray:
    """Magnitude of the second difference per frame, (T, J) from (T, J, C), in units per frame².

    The first and last frame have no centred second difference and are NaN, which keeps
    the curve aligned with the frames it describes.
    """
    out = np.full(seq.shape[:2], np.nan)
    if len(seq) >= 3:
        out[1:-1] = np.linalg.norm(seq[2:] - 2 * seq[1:-1] + seq[:-2], axis=-1)
    return out


def plot_trajectories(
    before: np.ndarray,
    after: np.ndarray,
    *,
    layout: Any,
    joints: Sequence[int | str] | None = None,
    ground_truth: np.ndarray | None = None,
    fps: float = 30.0,
    path: str | os.PathLike | None = None,
    unit: str | None = None,
) -> Any:
    """Plot, per chosen joint, its coordinates over time and its acceleration magnitude.

    Parameters
    ----------
    before, after : ndarray (T, J, C)
        Unrefined and refined sequences. C = 2: pixels, image y down. C = 3: mm, Y up.
    layout : Layout or str
        Skeleton layout, for joint names.
    joints : sequence of str or int, optional
        Joint names or indices, one row each; default the wrists and ankles.
    ground_truth : ndarray (T, J, C), optional
        Drawn dashed grey in every panel.
    fps : float
        Frames per second; the time axis is in seconds.
    path : path, optional
        If given, the figure is also saved there as PNG (atomically).
    unit : str, optional
        The coordinates' unit on the axes; default px in 2D, mm in 3D.

    Returns
    -------
    matplotlib.figure.Figure
        One row per joint, C position columns plus one acceleration column.
    """
    from matplotlib.figure import Figure

    layout = resolve_layout(layout)
    b, a, gt = check_sequences(layout, before, after, ground_truth)
    if not fps > 0:
        raise ValueError(f"fps must be positive; got {fps}")
    rows = joint_indices(layout, joints)
    dims = b.shape[2]
    unit = unit or ("px" if dims == 2 else "mm")
    axis_names = _axis_names(b, layout)
    time = np.arange(len(b)) / fps
    series = [(name, s) for name, s in (("ground truth", gt), ("before", b), ("after", a)) if s is not None]
    accels = {name: acceleration(s) for name, s in series}

    fig = Figure(figsize=(3.2 * (dims + 1), 2.1 * len(rows) + 0.6), layout="constrained")
    axes = fig.subplots(len(rows), dims + 1, squeeze=False, sharex=True)
    for r, j in enumerate(rows):
        for c in range(dims + 1):
            ax = axes[r, c]
            for name, s in series:
                y = s[:, j, c] if c < dims else accels[name][:, j]
                ax.plot(time, y, label=name, **_STYLES[name])
            if c < dims:
                ax.set_ylabel(f"{layout.joints[j]} {axis_names[c]} ({unit})", fontsize=8)
            else:
                ax.set_ylabel(f"{layout.joints[j]} |accel| ({unit}/frame²)", fontsize=8)
            ax.tick_params(labelsize=7)
            ax.grid(alpha=0.3)
            if r == len(rows) - 1:
                ax.set_xlabel("time (s)", fontsize=8)
    axes[0, 0].legend(fontsize=7, loc="best")
    fig.suptitle(f"trajectories at {fps_text(fps)}: position per axis, acceleration magnitude", fontsize=10)
    if path is not None:
        save_png(fig, path)
    return fig


def _axis_names(poses: np.ndarray, layout: Layout) -> list[str]:
    """Names of the coordinate axes of poses (T, J, C): image x and y (down) in 2D; in 3D x, y, z,
    the one the trunk (hips to shoulders) points along marked "(up)" (Y in BVH and TRC, Z in C3D),
    or "(down)" (a camera's -Y); unmarked when the layout has no hips and shoulders, by name or
    through a conversion to H36M's joints (the mocap's BVH tree)."""
    if poses.shape[-1] == 2:
        return ["x", "y (down)"]
    names = ["x", "y", "z"]
    trunk_joints = ("left_hip", "right_hip", "left_shoulder", "right_shoulder")
    if not all(n in layout.joints for n in trunk_joints) and can_convert(layout, "h36m17", 3):
        # The mocap's own tree (a BVH's UpperLeg_L, UpperArm_L) names its hips and shoulders otherwise.
        poses, layout = convert(poses, layout, "h36m17"), get_layout("h36m17")
    if all(n in layout.joints for n in trunk_joints):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)  # frames without those joints
            trunk = np.nanmean(trunk_vector(poses, layout), axis=0)  # (3,)
        if np.isfinite(trunk).all():
            up = int(np.argmax(np.abs(trunk)))
            names[up] += " (up)" if trunk[up] > 0 else " (down)"
    return names


def save_png(fig: Any, path: str | os.PathLike, dpi: int = 100) -> Path:
    """Save a matplotlib figure as PNG at ``path`` atomically; return the path."""
    from synsp.paths import atomic_path

    path = Path(path)
    with atomic_path(path) as tmp:
        # No Software tag: it holds a web address, and reports promise to name none.
        fig.savefig(tmp, format="png", dpi=dpi, metadata={"Software": None})
    return path


def png_bytes(fig: Any, dpi: int = 80) -> bytes:
    """The figure as PNG bytes, reduced to a 64-colour palette (for embedding in HTML).

    Line plots need few colours; the palette makes the PNG about three times smaller.
    """
    import io

    from PIL import Image

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    small = io.BytesIO()
    Image.open(io.BytesIO(buf.getvalue())).convert("RGB").quantize(colors=64).save(small, format="PNG", optimize=True)
    return small.getvalue()

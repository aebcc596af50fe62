"""Skeletons drawn with Pillow: colours by role (before red, after green) and side, bones,
joint paths, and the checks every picture makes of its sequences.

The lowest layer of :mod:`synsp.viz`, shared by overlays, animations, plots and the report.
Pillow is imported by the callers that create images, so importing this costs only NumPy.
"""
from __future__ import annotations

from typing import Any, Sequence

import numpy as np

from synsp.skeleton import Layout, get_layout

# Per role, a shade for left / right / centre bones: the hue says before vs after, the shade
# says which side, so a left-right swap by the estimator is visible at a glance.
ROLE_COLOURS: dict[str, dict[str, tuple[int, int, int]]] = {
    "before": {"L": (255, 130, 130), "R": (190, 20, 20), "C": (230, 60, 60)},
    "after": {"L": (120, 225, 120), "R": (10, 130, 40), "C": (40, 185, 70)},
    "truth": {"L": (175, 175, 175), "R": (110, 110, 110), "C": (140, 140, 140)},
}

# Name fragments of the joints shown by default: the extremities carry the most jitter.
_EXTREMITY_KEYS = (("wrist", "hand"), ("ankle", "foot"))
_NOT_EXTREMITY = ("tip", "index", "thumb", "pinky", "heel")


def resolve_layout(layout: Layout | str) -> Layout:
    """Return the :class:`synsp.skeleton.Layout` of a Layout or a layout name."""
    if not isinstance(layout, (str, Layout)):
        raise ValueError(f"layout must be a Layout or a layout name; got {type(layout).__name__}")
    return get_layout(layout)


def check_sequences(
    layout: Any,
    before: Any,
    after: Any,
    ground_truth: Any = None,
    *,
    dims: tuple[int, ...] = (2, 3),
    names: tuple[str, str, str] = ("before", "after", "ground_truth"),
) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Validate before/after/ground truth against each other and the layout; return float64 copies.

    Each must be ``(T, J, C)`` with the same shape, ``J == len(layout.joints)`` and ``C`` in
    ``dims``. Raises ``ValueError`` naming the bad argument and the shape received.
    """
    n_joints = len(layout.joints)
    out = []
    for name, seq in zip(names, (before, after, ground_truth)):
        if seq is None:
            out.append(None)
            continue
        arr = np.asarray(seq, dtype=np.float64)
        if arr.ndim != 3 or arr.shape[0] < 1 or arr.shape[2] not in dims or arr.shape[1] != n_joints:
            raise ValueError(
                f"{name} must be (T, {n_joints}, C) with C in {dims} for this layout; got shape {arr.shape}"
            )
        if out and arr.shape != out[0].shape:
            raise ValueError(f"{name} must have the shape of before {out[0].shape}; got shape {arr.shape}")
        out.append(arr)
    return out[0], out[1], out[2]


def bone_sides(layout: Any) -> list[str]:
    """Return ``"L"``, ``"R"`` or ``"C"`` per bone of ``layout``, from its ``left_right`` pairs.

    A bone takes the side of its child joint; pairs are read as ``(left, right)``.
    """
    left = {int(pair[0]) for pair in layout.left_right}
    right = {int(pair[1]) for pair in layout.left_right}
    return ["L" if int(c) in left else "R" if int(c) in right else "C" for _, c in layout.bones]


def default_joints(layout: Any) -> list[int]:
    """Indices of the wrists and ankles of ``layout`` (hands/feet when it has no wrist/ankle).

    Falls back to the last joint when nothing matches, so a custom layout still gets a plot.
    """
    names = [str(n).lower() for n in layout.joints]
    found: list[int] = []
    for keys in _EXTREMITY_KEYS:
        for key in keys:
            # MediaPipe also has hand landmarks (left_index, left_thumb...); keep the wrist itself.
            hits = [i for i, n in enumerate(names) if key in n and not any(x in n for x in _NOT_EXTREMITY)]
            if hits:
                found += [i for i in hits if i not in found][:2]
                break
    return found or [len(names) - 1]


def joint_indices(layout: Any, joints: Sequence[int | str] | None) -> list[int]:
    """Turn joint names or indices into indices of ``layout``; ``None`` gives :func:`default_joints`."""
    if joints is None:
        return default_joints(layout)
    names = [str(n) for n in layout.joints]
    out = []
    for j in joints:
        if isinstance(j, str):
            if j not in names:
                raise ValueError(f"joints: unknown joint name {j!r}; this layout has {names}")
            out.append(names.index(j))
        elif isinstance(j, (int, np.integer)) and 0 <= int(j) < len(names):
            out.append(int(j))
        else:
            raise ValueError(f"joints: index {j!r} is out of range for {len(names)} joints")
    if not out:
        raise ValueError("joints must name at least one joint; got an empty list")
    return out


def draw_skeleton(
    draw: Any, points: np.ndarray, layout: Any, role: str = "after", *, width: int = 3, radius: int = 3
) -> None:
    """Draw one pose ``points`` (J, 2) in pixels (x right, y down) with a Pillow ``ImageDraw``.

    Bones with a missing (NaN) end are skipped, so partial detections still draw.
    """
    colours = ROLE_COLOURS[role]
    ok = np.isfinite(points).all(axis=1)
    for (p, c), side in zip(layout.bones, bone_sides(layout)):
        if ok[p] and ok[c]:
            draw.line([tuple(points[p]), tuple(points[c])], fill=colours[side], width=width)
    if radius > 0:
        for j in np.flatnonzero(ok):
            x, y = points[j]
            draw.ellipse([x - radius, y - radius, x + radius, y + radius], fill=colours["C"])


def draw_paths(draw: Any, track: np.ndarray, joints: Sequence[int], role: str, *, width: int = 2) -> None:
    """Draw the recent path of each joint in ``joints`` from ``track`` (K, J, 2), oldest first;
    a missing frame breaks the path (the estimator may have jumped to someone else there)."""
    colour = ROLE_COLOURS[role]["C"]
    for j in joints:
        finite = np.isfinite(track[:, j]).all(-1)
        for run in np.split(np.arange(len(finite)), np.flatnonzero(np.diff(finite)) + 1):
            if finite[run[0]] and len(run) >= 2:
                draw.line([tuple(p) for p in track[run, j]], fill=colour, width=width, joint="curve")


def draw_legend(image: Any, frame: int | None = None, total: int | None = None) -> None:
    """Write "before" (red), "after" (green) and, when given, "frame <frame + 1> / <total>" on a
    white strip in the top-left corner of the Pillow ``image`` (changed in place), in letters
    1/25 of its smaller side high: a still or video frame then says which skeleton is which, and when."""
    from PIL import ImageDraw, ImageFont

    size = max(10, round(min(image.size) / 25))
    font = ImageFont.load_default(size=size)
    draw = ImageDraw.Draw(image)
    parts = [("before", ROLE_COLOURS["before"]["R"]), ("after", ROLE_COLOURS["after"]["R"])]
    if frame is not None:
        parts.append((f"frame {frame + 1}" + (f" / {total}" if total else ""), (40, 40, 40)))
    gap = size // 2
    width = sum(draw.textlength(text, font=font) for text, _ in parts) + gap * (len(parts) + 1)
    draw.rectangle([0, 0, width, size + gap], fill=(255, 255, 255))
    x = gap
    for text, colour in parts:
        draw.text((x, gap // 2), text, fill=colour, font=font)
        x += draw.textlength(text, font=font) + gap

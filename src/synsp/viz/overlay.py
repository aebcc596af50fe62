"""Skeletons drawn on images: before in red, after in green, over video frames or blank panels.

This is the lowest layer of :mod:`synsp.viz`: the checks, colours and Pillow drawing that
:mod:`synsp.viz.animate` and :mod:`synsp.viz.report` share. Pillow and PyAV are imported
inside functions so that importing this module costs only NumPy.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

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


def resolve_layout(layout: Any) -> Any:
    """Return a :class:`synsp.skeleton.Layout` for a layout object or a layout name."""
    if isinstance(layout, str):
        from synsp.skeleton import get_layout

        return get_layout(layout)
    for attr in ("joints", "bones", "left_right"):
        if not hasattr(layout, attr):
            raise ValueError(f"layout must be a Layout or a layout name; got {type(layout).__name__}")
    return layout


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


def root_joints(layout: Any) -> list[int]:
    """Joints whose mean is the root: the root joint, or both hips when the layout has no root."""
    if getattr(layout, "root", None) is not None:
        return [int(layout.root)]
    names = [str(n).lower() for n in layout.joints]
    hips = [names.index(n) for n in ("left_hip", "right_hip") if n in names]
    return hips or [0]


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


def overlay_frame(
    image: Any,
    before_frame: np.ndarray,
    after_frame: np.ndarray,
    layout: Any,
    *,
    before_path: np.ndarray | None = None,
    after_path: np.ndarray | None = None,
) -> Any:
    """Draw the before (red) and after (green) pose of one frame over ``image``.

    Parameters
    ----------
    image : PIL.Image.Image or ndarray (H, W, 3) uint8
        The video frame; not modified.
    before_frame, after_frame : ndarray (J, 2)
        Pixel coordinates (x right, y down) of the unrefined and refined pose.
    layout : Layout or str
        Skeleton layout (bones, left/right pairs).
    before_path, after_path : ndarray (K, J, 2), optional
        Recent positions (oldest first); the paths of the wrists and ankles are drawn from them.

    Returns
    -------
    Same type as ``image``: a new image with the skeletons drawn.
    """
    from PIL import Image, ImageDraw

    layout = resolve_layout(layout)
    b, a, _ = check_sequences(
        layout, np.asarray(before_frame)[None], np.asarray(after_frame)[None], dims=(2,),
        names=("before_frame (as 1 frame)", "after_frame (as 1 frame)", ""),
    )
    was_array = isinstance(image, np.ndarray)
    if was_array:
        if image.ndim != 3 or image.shape[2] not in (3, 4):
            raise ValueError(f"image must be (H, W, 3) uint8; got shape {image.shape}")
        img = Image.fromarray(np.ascontiguousarray(image[..., :3]).astype(np.uint8))
    else:
        img = image.convert("RGB").copy()
    draw = ImageDraw.Draw(img)
    width = max(2, round(min(img.size) / 250))
    for role, track in (("before", before_path), ("after", after_path)):
        if track is not None:
            track = np.asarray(track, dtype=np.float64)
            if track.ndim != 3 or track.shape[1:] != b.shape[1:]:
                raise ValueError(f"{role}_path must be (K, {b.shape[1]}, 2); got shape {track.shape}")
            draw_paths(draw, track, default_joints(layout), role, width=max(1, width - 1))
    draw_skeleton(draw, b[0], layout, "before", width=width, radius=width)
    draw_skeleton(draw, a[0], layout, "after", width=width, radius=width)
    return np.asarray(img) if was_array else img


def read_video(video_path: str | os.PathLike, max_frames: int | None = None) -> Iterator[Any]:
    """Yield the frames of a video as RGB Pillow images (needs PyAV: ``pip install av``)."""
    try:
        import av
    except ImportError as exc:  # PyAV is optional: say how to get it
        raise ImportError("reading video needs PyAV: pip install av") from exc
    if not Path(video_path).is_file():
        raise FileNotFoundError(f"video_path: no such file {video_path}")
    with av.open(str(video_path)) as container:
        for i, frame in enumerate(container.decode(video=0)):
            if max_frames is not None and i >= max_frames:
                break
            yield frame.to_image()


def overlay_on_video(
    video_path: str | os.PathLike,
    before: np.ndarray,
    after: np.ndarray,
    *,
    layout: Any,
    path: str | os.PathLike,
    max_frames: int | None = None,
    fps: float | None = None,
    width: int | None = None,
    trail: int = 15,
) -> Path:
    """Write a video (``.mp4`` or ``.gif``) of ``video_path`` with both skeletons drawn on each frame.

    Parameters
    ----------
    video_path : path
        Source video, read with PyAV.
    before, after : ndarray (T, J, 2)
        Pixel coordinates per frame (x right, y down); frame t is drawn on video frame t.
    layout : Layout or str
    path : path
        Output; ``.gif`` (Pillow) or ``.mp4`` (PyAV, H.264).
    max_frames : int, optional
        Stop after this many frames (also stops at the end of the video or of the sequences).
    fps : float, optional
        Output frame rate; defaults to the video's.
    width : int, optional
        Output width in pixels (aspect kept); defaults to the video's for MP4 and at most 640
        for GIF, whose files grow fast with size.
    trail : int
        Frames of wrist/ankle path drawn behind each skeleton (0 for none).

    Returns
    -------
    Path of the written file.
    """
    from synsp.viz.animate import write_movie

    layout = resolve_layout(layout)
    b, a, _ = check_sequences(layout, before, after, dims=(2,))
    path = Path(path)
    if fps is None:
        fps = _video_fps(video_path)
    limit = len(b) if max_frames is None else min(len(b), int(max_frames))
    frames = []
    for t, image in enumerate(read_video(video_path, limit)):
        lo = max(0, t - trail)
        frame = overlay_frame(image, b[t], a[t], layout, before_path=b[lo : t + 1], after_path=a[lo : t + 1])
        gif_width = min(640, frame.size[0]) if path.suffix.lower() == ".gif" else None
        frames.append(_resize(frame, width or gif_width))
    if not frames:
        raise ValueError(f"video_path: no frames could be read from {video_path}")
    return write_movie(frames, path, fps)


def contact_sheet(
    video_path: str | os.PathLike,
    before: np.ndarray,
    after: np.ndarray,
    *,
    layout: Any,
    path: str | os.PathLike,
    frames: Sequence[int] | None = None,
    trail: int = 20,
    tile_width: int = 480,
) -> Path:
    """Write a PNG of a few video frames with both skeletons and their wrist/ankle paths.

    ``frames`` are frame indices (default: four spread over the sequence); tiles are laid out
    two per row, each ``tile_width`` pixels wide. Returns the path written.
    """
    from PIL import Image

    from synsp.paths import atomic_path

    layout = resolve_layout(layout)
    b, a, _ = check_sequences(layout, before, after, dims=(2,))
    if frames is None:
        frames = np.linspace(trail, len(b) - 1, 4).round().astype(int).clip(0, len(b) - 1).tolist()
    wanted = sorted(set(int(f) for f in frames))
    if not wanted or wanted[0] < 0 or wanted[-1] >= len(b):
        raise ValueError(f"frames must be indices in [0, {len(b)}); got {list(frames)}")
    tiles = []
    for t, image in enumerate(read_video(video_path, wanted[-1] + 1)):
        if t in wanted:
            lo = max(0, t - trail)
            tile = overlay_frame(image, b[t], a[t], layout, before_path=b[lo : t + 1], after_path=a[lo : t + 1])
            tiles.append(_resize(tile, tile_width))
    if not tiles:
        raise ValueError(f"video_path: no frames could be read from {video_path}")
    cols = min(2, len(tiles))
    rows = -(-len(tiles) // cols)
    tw, th = tiles[0].size
    sheet = Image.new("RGB", (cols * tw, rows * th), (255, 255, 255))
    for i, tile in enumerate(tiles):
        sheet.paste(tile, ((i % cols) * tw, (i // cols) * th))
    path = Path(path)
    with atomic_path(path) as tmp:
        sheet.save(tmp, format="PNG", optimize=True)
    return path


def _video_fps(video_path: str | os.PathLike) -> float:
    import av

    with av.open(str(video_path)) as container:
        rate = container.streams.video[0].average_rate
    return float(rate) if rate else 30.0


def _resize(image: Any, width: int | None) -> Any:
    if not width or image.size[0] == width:
        return image
    height = max(2, round(image.size[1] * width / image.size[0]))
    return image.resize((int(width), height))

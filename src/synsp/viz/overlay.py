"""Before (red) and after (green) skeletons drawn over video frames: one frame, a whole
video, or a contact sheet of a few frames."""
from __future__ import annotations

import itertools
import os
from pathlib import Path
from typing import Any, Sequence

import numpy as np

from synsp.paths import atomic_path
from synsp.viz.draw import check_sequences, default_joints, draw_legend, draw_paths, draw_skeleton, resolve_layout
from synsp.viz.video import read_video, resize, video_fps, video_info, write_movie


def overlay_frame(
    image: Any,
    before_frame: np.ndarray,
    after_frame: np.ndarray,
    layout: Any,
    *,
    before_path: np.ndarray | None = None,
    after_path: np.ndarray | None = None,
    frame: int | None = None,
    total: int | None = None,
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
    frame, total : int, optional
        When ``frame`` (0-based) is given, a legend (before red, after green) and "frame
        frame+1 / total" are written in the top-left corner (:func:`synsp.viz.draw.draw_legend`).

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
    if frame is not None:
        draw_legend(img, frame, total)
    return np.asarray(img) if was_array else img


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
    layout = resolve_layout(layout)
    b, a, _ = check_sequences(layout, before, after, dims=(2,))
    path = Path(path)
    if fps is None:
        fps = video_fps(video_path)
    limit = len(b) if max_frames is None else min(len(b), int(max_frames))
    gif_width = 640 if path.suffix.lower() == ".gif" else None

    def drawn():  # one frame at a time, written as drawn: memory does not grow with the video's length
        for t, image in enumerate(read_video(video_path, limit)):
            lo = max(0, t - trail)
            frame = overlay_frame(image, b[t], a[t], layout, before_path=b[lo : t + 1], after_path=a[lo : t + 1],
                                  frame=t, total=len(b))
            yield resize(frame, width or (gif_width and min(gif_width, frame.size[0])))

    frames = drawn()
    first = next(frames, None)
    if first is None:
        raise ValueError(f"video_path: no frames could be read from {video_path}")
    frames = itertools.chain([first], frames)
    del first
    return write_movie(frames, path, fps)


def video_mismatch(video_path: str | os.PathLike, poses: np.ndarray, fps: float | None) -> str | None:
    """One line saying where the video and the 2D ``poses`` (T, J, 2), pixels of a file at ``fps``
    (None: the file says none), disagree: frame count, frame rate, or keypoints reaching beyond the
    image (or all in [0, 1.5]: normalised coordinates); None when they agree. Another take's video,
    or poses at another resolution, draw skeletons beside the person rather than on them."""
    count, rate, (width, height) = video_info(video_path)
    said = []
    if count != len(poses):
        said.append(f"the video has {count} frames, the poses {len(poses)}")
    if fps and rate and abs(fps - rate) > 0.01 * rate:
        said.append(f"the video runs at {rate:.3g} fps, the pose file says {fps:.3g}")
    points = poses.reshape(-1, poses.shape[-1])
    points = points[np.isfinite(points).all(axis=1)]
    if len(points):
        lo, hi = points.min(axis=0), points.max(axis=0)
        if hi.max() <= 1.5 and lo.min() >= -0.5 and max(width, height) > 10:
            said.append(f"the keypoints lie in [{lo.min():.2g}, {hi.max():.2g}]: normalised coordinates, not the "
                        f"video's {width}x{height} pixels")
        elif (lo < -0.1 * np.array([width, height])).any() or (hi > 1.1 * np.array([width, height])).any():
            said.append(f"the keypoints span x {lo[0]:.0f} to {hi[0]:.0f}, y {lo[1]:.0f} to {hi[1]:.0f} px, beyond the "
                        f"video's {width}x{height}")
    if not said:
        return None
    return f"{Path(video_path).name} and the poses disagree: " + "; ".join(said) + " (another video or resolution?)"


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
            tile = overlay_frame(image, b[t], a[t], layout, before_path=b[lo : t + 1], after_path=a[lo : t + 1],
                                 frame=t, total=len(b))
            tiles.append(resize(tile, tile_width))
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

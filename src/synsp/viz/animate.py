"""Before/after skeleton animations, side by side, written as GIF (Pillow) or MP4 (PyAV).

Frames are drawn with Pillow's ImageDraw, not matplotlib: a few milliseconds per frame
instead of a few hundred, so a 10-second clip renders in about a second.
"""
from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterator, Sequence

import numpy as np

from synsp.skeleton import root_joints
from synsp.viz.draw import ROLE_COLOURS, check_sequences, draw_skeleton, resolve_layout
from synsp.viz.video import write_movie

BACKGROUND = (255, 255, 255)
_TITLE_H = 24  # pixels above each panel for its title and the frame counter


def project(seq: np.ndarray, *, azimuth: float = 30.0, elevation: float = 15.0) -> np.ndarray:
    """Orthographic view of a 3D sequence (T, J, 3), Y up, as image coordinates (T, J, 2), y down.

    The camera turns ``azimuth`` degrees about the vertical axis and looks down by
    ``elevation`` degrees; units are kept (mm in, mm out).
    """
    seq = np.asarray(seq, dtype=np.float64)
    if seq.ndim != 3 or seq.shape[2] != 3:
        raise ValueError(f"seq must be (T, J, 3); got shape {seq.shape}")
    az, el = np.radians(azimuth), np.radians(elevation)
    x, y, z = seq[..., 0], seq[..., 1], seq[..., 2]
    u = x * np.cos(az) + z * np.sin(az)
    depth = -x * np.sin(az) + z * np.cos(az)
    v = y * np.cos(el) - depth * np.sin(el)
    return np.stack([u, -v], axis=-1)


def to_screen(
    seqs: Sequence[np.ndarray], root: Sequence[int], reference: int = 0, follow: bool | None = None
) -> list[np.ndarray]:
    """Image-plane copies (T, J, 2) of same-shape sequences, ready for :func:`fit_panel`.

    2D sequences are image coordinates already; 3D ones are projected (:func:`project`).
    With ``follow`` (default: for 3D only) every frame is re-centred on the mean of the
    ``root`` joints of ``seqs[reference]``: a walking actor stays in view and large, and
    because the same offset moves every sequence, their differences stay visible.
    """
    flat = [np.asarray(s, dtype=np.float64) if s.shape[2] == 2 else project(s) for s in seqs]
    if not (seqs[0].shape[2] == 3 if follow is None else follow):
        return flat
    centre = flat[reference][:, list(root), :].mean(axis=1, keepdims=True)
    centre[~np.isfinite(centre)] = 0.0
    return [f - centre for f in flat]


def fit_panel(seqs: Sequence[np.ndarray], width: int, height: int, margin: float = 0.08) -> tuple[float, np.ndarray]:
    """Scale and offset that put every point of ``seqs`` (T, J, 2) inside a width x height panel."""
    pts = np.concatenate([s.reshape(-1, 2) for s in seqs])
    pts = pts[np.isfinite(pts).all(axis=1)]
    if len(pts) == 0:
        return 1.0, np.zeros(2)
    lo, hi = pts.min(axis=0), pts.max(axis=0)
    span = np.maximum(hi - lo, 1e-9)
    scale = float(min(width * (1 - 2 * margin) / span[0], height * (1 - 2 * margin) / span[1]))
    offset = np.array([width / 2, height / 2]) - scale * (lo + hi) / 2
    return scale, offset


def render_frames(*args: Any, **kwargs: Any) -> list[Any]:
    """Every frame of :func:`iter_frames` (same arguments) as a list of T RGB Pillow images.
    Holds them all (~0.8 MB each at the default size): :func:`animate` draws one at a time."""
    return list(iter_frames(*args, **kwargs))


def iter_frames(
    before: np.ndarray,
    after: np.ndarray,
    *,
    layout: Any,
    ground_truth: np.ndarray | None = None,
    background_frames: Any = None,
    panel: int = 360,
    follow: bool | None = None,
) -> Iterator[Any]:
    """Draw each frame as a Pillow image: before on the left, after on the right, one at a time
    as they are taken (the arguments are checked at once, before the first).

    Parameters
    ----------
    before, after : ndarray (T, J, C)
        C = 2: pixels, y down. C = 3: millimetres, Y up (shown in an orthographic view that
        follows the root).
    layout : Layout or str
    ground_truth : ndarray (T, J, C), optional
        Drawn thinly in grey in both panels.
    background_frames : sequence of images, optional (2D only)
        T video frames (ndarray (H, W, 3) uint8 or Pillow images) drawn under the skeletons;
        poses are then taken as pixels of those frames.
    panel : int
        Width of each panel in pixels.
    follow : bool, optional
        Keep the root centred (see :func:`to_screen`); default True for 3D, False for 2D,
        where the whole image region the person crosses is shown.

    Returns
    -------
    iterator of T RGB Pillow images.
    """

    layout = resolve_layout(layout)
    b, a, gt = check_sequences(layout, before, after, ground_truth)
    seqs = [s for s in (b, a, gt) if s is not None]
    if background_frames is not None:
        if b.shape[2] != 2:
            raise ValueError(f"background_frames need 2D poses (T, J, 2); got shape {b.shape}")
        if len(background_frames) < len(b):
            raise ValueError(f"background_frames must hold T={len(b)} frames; got {len(background_frames)}")
        first = _as_image(background_frames[0])
        scale = panel / first.size[0]
        height = max(2, round(first.size[1] * scale))
        offset = np.zeros(2)
        screen = seqs
    else:
        # Follow the ground truth if given, else the refined (steadier) sequence.
        screen = to_screen(seqs, root_joints(layout), reference=len(seqs) - 1 if gt is not None else 1, follow=follow)
        height = panel
        scale, offset = fit_panel(screen, panel, height)
    placed = [s * scale + offset for s in screen]
    pb, pa = placed[0], placed[1]
    pg = placed[2] if gt is not None else None
    width = max(2, panel // 120)
    return (_frame(t, len(b), pb, pa, pg, layout, panel, height, width, background_frames) for t in range(len(b)))


def _frame(t: int, total: int, pb: np.ndarray, pa: np.ndarray, pg: np.ndarray | None, layout: Any, panel: int,
           height: int, width: int, background_frames: Any) -> Any:
    """Frame ``t`` of ``total``: the placed poses (T, J, 2) in panel pixels drawn side by side."""
    from PIL import Image, ImageDraw

    canvas = Image.new("RGB", (2 * panel, height + _TITLE_H), BACKGROUND)
    if background_frames is not None:
        bg = _as_image(background_frames[t]).resize((panel, height))
        canvas.paste(bg, (0, _TITLE_H))
        canvas.paste(bg, (panel, _TITLE_H))
    draw = ImageDraw.Draw(canvas)
    for k, (role, pose) in enumerate((("before", pb[t]), ("after", pa[t]))):
        shift = np.array([k * panel, _TITLE_H])
        if pg is not None:
            draw_skeleton(draw, pg[t] + shift, layout, "truth", width=max(1, width - 1), radius=0)
        draw_skeleton(draw, pose + shift, layout, role, width=width, radius=width)
        draw.text((k * panel + 8, 5), role, fill=ROLE_COLOURS[role]["R"])
    draw.line([(panel, 0), (panel, height + _TITLE_H)], fill=(200, 200, 200), width=1)
    draw.text((2 * panel - 90, 5), f"{t + 1:>5} / {total}", fill=(60, 60, 60))
    return canvas


def animate(
    before: np.ndarray,
    after: np.ndarray,
    *,
    layout: Any,
    path: str | os.PathLike,
    fps: float = 30.0,
    ground_truth: np.ndarray | None = None,
    background_frames: Any = None,
    max_frames: int | None = None,
    panel: int = 360,
    follow: bool | None = None,
) -> Path:
    """Write a side-by-side before/after skeleton animation to ``path`` (``.gif`` or ``.mp4``).

    Parameters
    ----------
    before, after : ndarray (T, J, C)
        Unrefined and refined sequences; C = 2 (pixels, y down) or 3 (mm, Y up).
    layout : Layout or str
    path : path
        ``.gif`` is written with Pillow; ``.mp4`` (H.264) needs PyAV (``pip install av``).
    fps : float
        Playback rate (frames per second of the sequences).
    ground_truth : ndarray (T, J, C), optional
        Drawn thinly in grey under both skeletons.
    background_frames : sequence of T images, optional
        Video frames under 2D skeletons (see :func:`render_frames`).
    max_frames : int, optional
        Keep only the first ``max_frames`` frames.
    panel : int
        Width in pixels of each of the two panels.
    follow : bool, optional
        Keep the root centred; default True for 3D, False for 2D (see :func:`render_frames`).

    Returns
    -------
    Path of the written file, one frame per sequence frame; frames are drawn and written one at a
    time, so memory does not grow with the clip's length.
    """
    if not fps > 0:
        raise ValueError(f"fps must be positive; got {fps}")
    stop = None if max_frames is None else int(max_frames)

    def cut(s):
        return None if s is None else np.asarray(s)[:stop]

    frames = iter_frames(
        cut(before),
        cut(after),
        layout=layout,
        ground_truth=cut(ground_truth),
        background_frames=None if background_frames is None else background_frames[:stop],
        panel=panel,
        follow=follow,
    )
    return write_movie(frames, path, fps)


def _as_image(frame: Any) -> Any:
    from PIL import Image

    if isinstance(frame, np.ndarray):
        return Image.fromarray(np.ascontiguousarray(frame[..., :3]).astype(np.uint8))
    return frame.convert("RGB")

"""A GIF written one frame at a time: Pillow's own multi-frame encoding, without holding every frame.

Pillow's ``save_all`` keeps every frame of a GIF in a list before it writes any (so that a frame
repeating the one before lengthens that one's duration instead), about 1.6 MB a frame of a
720 x 384 animation: a 10-minute 60 fps file needed ~59 GB. :func:`write_gif` runs the same steps
as Pillow's ``GifImagePlugin._write_multiple_frames`` frame by frame, holding one frame back for
that merge, so its bytes are ``save_all``'s and its memory a few frames. Those steps use Pillow's
private helpers, checked here against Pillow 13 (a test compares the bytes with ``save_all``'s);
for other versions :data:`STREAMS` is False and callers keep to ``save_all``.
"""
from __future__ import annotations

from typing import Any, BinaryIO, Iterable

try:
    import PIL
    from PIL import GifImagePlugin as _gif

    _NEEDED = ("_normalize_mode", "_normalize_palette", "_getbbox", "_get_global_header", "_write_frame_data")
    STREAMS = int(PIL.__version__.split(".")[0]) == 13 and all(hasattr(_gif, name) for name in _NEEDED)
except ImportError:  # Pillow is an optional extra
    STREAMS = False


def write_gif(frames: Iterable[Any], fp: BinaryIO, *, duration: int, loop: int = 0) -> int:
    """Write ``frames`` (Pillow images, each as Pillow would take it: ``P`` mode for ours) to the
    open binary file ``fp`` as one looping GIF, ``duration`` milliseconds a frame; the bytes are
    those of ``frames[0].save(fp, "GIF", save_all=True, append_images=frames[1:], duration=duration,
    loop=loop)``. Frames' own ``info`` (a disposal method, per-frame durations) is not read: ours
    carry none. Returns the number of frames read; ``ValueError`` when there are none."""
    if not STREAMS:
        raise RuntimeError("write_gif needs Pillow 13 (its GIF writer's helpers); use Image.save(save_all=True)")
    base: dict[str, Any] = {"duration": duration, "loop": loop, "optimize": True}
    pending: list | None = None  # [image, bbox, encoderinfo] of the last frame read, not yet written
    previous = first = None
    count = written = 0
    for image in frames:
        frame = _gif._normalize_mode(image.copy())
        if count == 0:
            first = image
            for key, value in frame.info.items():
                if key != "transparency" and isinstance(key, str):
                    base.setdefault(key, value)
        info = base.copy()
        if "transparency" in frame.info:
            info.setdefault("transparency", frame.info["transparency"])
        frame = _gif._normalize_palette(frame, None, info)
        count += 1
        diff = None
        if pending is not None:
            delta, bbox = _gif._getbbox(previous, frame)
            if not bbox:  # the same picture again: shown longer, not written twice
                if info.get("duration"):
                    pending[2]["duration"] = pending[2].get("duration", 0) + info["duration"]
                continue
            if info.get("optimize") and frame.mode != "1":
                diff = _unchanged_transparent(frame, delta, info)
        else:
            bbox = None
        previous = frame
        if pending is not None:
            _write_frame(fp, *pending)
            written += 1
        pending = [diff or frame, bbox, info]
    if pending is None:
        raise ValueError("frames: no frames to write")
    if written == 0:  # one picture only: Pillow writes a still with the summed duration
        first.save(fp, format="GIF", duration=pending[2].get("duration"), loop=loop)
        return count
    _write_frame(fp, *pending)
    fp.write(b";")
    fp.flush()
    return count


def _unchanged_transparent(frame: Any, delta: Any, info: dict[str, Any]) -> Any:
    """``frame`` with the pixels unchanged since the frame before made transparent (they then
    compress to almost nothing), as Pillow's writer does; None when no palette index is free."""
    from PIL import ImageChops

    if "transparency" not in info:
        try:
            info["transparency"] = frame.palette._new_color_index(frame)
        except ValueError:
            pass
    if "transparency" not in info:
        return None
    if delta.mode == "RGBA":  # a pixel is unchanged only if all four bands are
        r, g, b, a = delta.split()
        delta = ImageChops.lighter(ImageChops.lighter(r, g), ImageChops.lighter(b, a))
    unchanged = delta.point([255, *(0,) * 255], "1")
    diff = frame.copy()
    diff.paste(info["transparency"], mask=unchanged)
    return diff


def _write_frame(fp: BinaryIO, image: Any, bbox: tuple[int, int, int, int] | None, info: dict[str, Any]) -> None:
    """One frame's blocks: the first with the file's header, later ones cropped to what changed."""
    if not bbox:
        for block in _gif._get_global_header(image, info):
            fp.write(block)
        offset = (0, 0)
    else:
        info["include_color_table"] = True  # each frame has its own palette
        if bbox != (0, 0, *image.size):
            image = image.crop(bbox)
        offset = bbox[:2]
    _gif._write_frame_data(fp, image, offset, info)

"""Video in and out: frames read with PyAV, GIF (Pillow) and MP4 (PyAV, H.264) written atomically.

PyAV and Pillow are imported inside functions: they are optional extras.
"""
from __future__ import annotations

import itertools
import os
from contextlib import contextmanager
from fractions import Fraction
from pathlib import Path
from typing import Any, Iterable, Iterator

from synsp.paths import atomic_path


@contextmanager
def open_video(video_path: str | os.PathLike) -> Iterator[Any]:
    """A PyAV container of ``video_path`` with a video stream, open for reading; a file PyAV cannot
    read (not a video, corrupt, audio only) is one ``ValueError`` line naming it, not PyAV's errno."""
    try:
        import av
    except ImportError as exc:  # PyAV is optional: say how to get it
        raise ImportError("reading video needs PyAV: pip install av") from exc
    if not Path(video_path).is_file():
        raise FileNotFoundError(f"video_path: no such file {video_path}")
    try:
        container = av.open(str(video_path))
    except av.error.FFmpegError as err:
        raise ValueError(f"{video_path} is not a video PyAV can read ({getattr(err, 'strerror', None) or err})") \
            from None
    with container:
        if not container.streams.video:
            raise ValueError(f"{video_path} is not a video PyAV can read (it has no video stream)")
        yield container


def read_video(video_path: str | os.PathLike, max_frames: int | None = None) -> Iterator[Any]:
    """Yield the frames of a video as RGB Pillow images (needs PyAV: ``pip install av``)."""
    with open_video(video_path) as container:
        import av

        done = 0
        try:
            for frame in container.decode(video=0):
                if max_frames is not None and done >= max_frames:
                    break
                yield frame.to_image()
                done += 1
        except av.error.FFmpegError as err:  # cut or corrupt after its first frames
            raise ValueError(f"{video_path}: PyAV could not decode the video after {done} frames "
                             f"({getattr(err, 'strerror', None) or err})") from None


def write_movie(frames: Iterable[Any], path: str | os.PathLike, fps: float) -> Path:
    """Write Pillow images ``frames`` as a GIF or MP4 chosen by the suffix of ``path``.

    ``frames`` may be a generator: each frame is encoded as it comes and dropped, so memory does
    not grow with the clip's length (a GIF under Pillow 13, :mod:`synsp.viz.gif_stream`; other
    Pillow versions hold the GIF's frames). ``ValueError`` when there are none."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in (".gif", ".mp4"):
        raise ValueError(f"path must end with .gif or .mp4; got {path.name!r}")
    if suffix == ".mp4":
        try:
            import av
        except ImportError as exc:
            raise ImportError(f"writing {path.name} needs PyAV (pip install av); or write a .gif instead") from exc
    frames = iter(frames)
    first = next(frames, None)
    if first is None:
        raise ValueError(f"{path.name}: no frames to write")
    frames = itertools.chain([first], frames)
    del first  # held no longer than the writer holds it
    with atomic_path(path) as tmp:
        if suffix == ".gif":
            _write_gif(frames, tmp, fps)
        else:
            _write_mp4(av, frames, tmp, fps)
    return path


def _write_gif(frames: Iterator[Any], tmp: Path, fps: float) -> None:
    from synsp.viz.gif_stream import STREAMS, write_gif

    # Our own fast palette per frame: Pillow's default conversion is ~100x slower on
    # video frames (0.3 s each) and its dithering makes the file 2-3x larger.
    quick = (_palette(im) for im in frames)
    # GIF delays are in centiseconds; 30 fps plays at 30-40 ms per frame.
    duration = max(20, round(1000 / fps))
    if STREAMS:
        with open(tmp, "wb") as fp:
            write_gif(quick, fp, duration=duration, loop=0)
        return
    held = list(quick)  # a Pillow whose GIF writer gif_stream does not know: save_all holds every frame
    held[0].save(tmp, format="GIF", save_all=True, append_images=held[1:], duration=duration, loop=0)


def _write_mp4(av: Any, frames: Iterator[Any], tmp: Path, fps: float) -> None:
    first = next(frames)
    # H.264 with yuv420p needs even sizes; crop one pixel rather than rescale.
    w, h = first.size
    w, h = w - w % 2, h - h % 2
    frames = itertools.chain([first], frames)
    del first
    with av.open(str(tmp), mode="w", format="mp4") as container:
        stream = container.add_stream("libx264", rate=Fraction(fps).limit_denominator(1001))
        stream.width, stream.height, stream.pix_fmt = w, h, "yuv420p"
        stream.options = {"crf": "23", "preset": "veryfast"}
        for image in frames:
            frame = av.VideoFrame.from_image(image.crop((0, 0, w, h)))
            for packet in stream.encode(frame):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)


def _palette(image: Any) -> Any:
    from PIL import Image

    return image.convert("RGB").quantize(colors=255, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def video_fps(video_path: str | os.PathLike) -> float:
    """Frame rate of a video (30 when the file does not say)."""
    with open_video(video_path) as container:
        rate = container.streams.video[0].average_rate
    return float(rate) if rate else 30.0


def video_info(video_path: str | os.PathLike) -> tuple[int, float | None, tuple[int, int]]:
    """A video's frame count, frame rate (None when it says none) and (width, height) in pixels.
    The count is the container's, else its packets counted (no decoding)."""
    with open_video(video_path) as container:
        stream = container.streams.video[0]
        size = (stream.codec_context.width, stream.codec_context.height)
        rate = float(stream.average_rate) if stream.average_rate else None
        count = stream.frames or sum(1 for packet in container.demux(stream) if packet.size)
    return int(count), rate, size


def resize(image: Any, width: int | None) -> Any:
    """``image`` scaled to ``width`` pixels wide (aspect kept); as is for None."""
    if not width or image.size[0] == width:
        return image
    height = max(2, round(image.size[1] * width / image.size[0]))
    return image.resize((int(width), height))

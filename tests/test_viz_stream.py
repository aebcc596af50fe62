"""Animations written one frame at a time: every frame written, none held, Pillow's GIF bytes, atomic."""
from __future__ import annotations

import io
import weakref

import numpy as np
import pytest

Image = pytest.importorskip("PIL.Image")

from synsp.skeleton import get_layout  # noqa: E402
from synsp.viz import iter_frames, render_frames  # noqa: E402
from synsp.viz.gif_stream import STREAMS, write_gif  # noqa: E402
from synsp.viz.video import _palette, write_movie  # noqa: E402


def _poses(T: int, J: int = 17, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(before, after) 2D poses (T, J, 2) in pixels, moving a little each frame."""
    rng = np.random.default_rng(seed)
    t = np.arange(T)[:, None, None]
    after = 100 + rng.normal(0, 30, (J, 2)) + 20 * np.sin(2 * np.pi * t / 50 + np.arange(J)[None, :, None])
    return after + rng.normal(0, 2, after.shape), after


class _Alive:
    """Weak references to images made: how many are alive (not freed) at each new one."""

    def __init__(self):
        self.refs, self.counts = [], []

    def add(self, image):
        # images hold no cycles: freed as their last reference goes, no gc needed
        self.counts.append(sum(r() is not None for r in self.refs))
        self.refs.append(weakref.ref(image))
        return image


@pytest.mark.parametrize("suffix", [".gif", ".mp4"])
def test_long_animation_is_written_without_holding_its_frames(tmp_path, monkeypatch, suffix):
    if suffix == ".mp4":
        pytest.importorskip("av")
    from synsp.viz import video

    before, after = _poses(2000)
    drawn, quantised = _Alive(), _Alive()  # the RGB frames and the GIF's palette images
    monkeypatch.setattr(video, "_palette", lambda image, _quantise=video._palette: quantised.add(_quantise(image)))
    frames = (drawn.add(image) for image in iter_frames(before, after, layout="coco17", panel=40, follow=False))
    out = write_movie(frames, tmp_path / f"long{suffix}", 60.0)
    assert max(drawn.counts) <= 3, f"drawn frames still held while drawing later ones: up to {max(drawn.counts)}"
    assert max(quantised.counts or [0]) <= 4, f"GIF frames held: up to {max(quantised.counts)}"
    if suffix == ".gif":
        with Image.open(out) as gif:
            assert gif.n_frames == 2000
    else:
        import av

        with av.open(str(out)) as container:
            assert sum(1 for _ in container.decode(video=0)) == 2000
    assert sorted(p.name for p in tmp_path.iterdir()) == [out.name]  # no temporary file left


@pytest.mark.skipif(not STREAMS, reason="gif_stream follows Pillow 13's GIF writer")
@pytest.mark.parametrize("case", ["moving", "repeats", "one", "all same"])
def test_streamed_gif_has_pillows_bytes(case):
    before, after = _poses(12)
    images = [_palette(im) for im in render_frames(before, after, layout="coco17", panel=60)]
    if case == "repeats":  # a repeated picture is shown longer, not written again
        images = images[:3] + [images[3]] * 3 + images[4:] + [images[-1]]
    elif case == "one":
        images = images[:1]
    elif case == "all same":
        images = [images[0]] * 4
    ours, pillows = io.BytesIO(), io.BytesIO()
    assert write_gif(iter(images), ours, duration=33, loop=0) == len(images)
    images[0].save(pillows, format="GIF", save_all=True, append_images=images[1:], duration=33, loop=0)
    assert ours.getvalue() == pillows.getvalue()


def test_interrupted_animation_leaves_no_file(tmp_path):
    before, after = _poses(50)
    frames = iter_frames(before, after, layout="coco17", panel=40)

    def broken():
        for t, image in enumerate(frames):
            if t == 20:
                raise KeyboardInterrupt  # the user's Ctrl-C half-way through
            yield image

    out = tmp_path / "a.gif"
    out.write_bytes(b"the user's older file")
    with pytest.raises(KeyboardInterrupt):
        write_movie(broken(), out, 30.0)
    assert out.read_bytes() == b"the user's older file"
    assert [p.name for p in tmp_path.iterdir()] == ["a.gif"]
    with pytest.raises(ValueError, match="no frames"):
        write_movie(iter(()), tmp_path / "b.gif", 30.0)
    assert not (tmp_path / "b.gif").exists()


def test_frames_are_drawn_as_taken_and_checked_at_once():
    before, after = _poses(30, J=len(get_layout("coco17").joints))
    frames = iter_frames(before, after, layout="coco17", panel=40)
    first = next(frames)
    assert np.array_equal(np.asarray(first), np.asarray(render_frames(before, after, layout="coco17", panel=40)[0]))
    with pytest.raises(ValueError, match="background_frames"):  # before any frame is asked for
        iter_frames(before, after, layout="coco17", background_frames=[np.zeros((8, 8, 3), np.uint8)])

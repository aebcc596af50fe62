"""A bar on stderr while one long file is refined (``synsp refine FILE``, on a terminal only): the frames of its
tracks' spans refined so far, with an ETA, as a batch shows its files. Nothing is written where stderr is no
terminal (a log), nor for a file shorter than :data:`MIN_FRAMES` (done in a moment), nor inside a batch (its own
bar counts files)."""
from __future__ import annotations

import contextlib
import contextvars
import sys
from typing import Iterator

MIN_FRAMES = 1800  # person-frames: below this (a minute at 30 fps) no bar

_ON: contextvars.ContextVar[bool] = contextvars.ContextVar("synsp_file_progress", default=False)


@contextlib.contextmanager
def file_progress(enabled: bool) -> Iterator[None]:
    """Within it, :func:`frames_bar` shows a bar when ``enabled`` (the CLI: stderr is a terminal)."""
    token = _ON.set(bool(enabled))
    try:
        yield
    finally:
        _ON.reset(token)


def frames_bar(total: int):
    """A tqdm bar on stderr over ``total`` person-frames (``update(n)`` as spans are refined, ``close()`` at the
    end, which clears it) inside :func:`file_progress` (enabled) for ``total`` >= :data:`MIN_FRAMES`; else the same
    bar disabled (tqdm's own off switch, as the batch's bar), which writes nothing."""
    from tqdm import tqdm

    return tqdm(total=total, unit="frame", desc="synsp refine", leave=False, file=sys.stderr,
                disable=not _ON.get() or total < MIN_FRAMES)

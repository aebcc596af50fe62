"""The classic filters' settings as ``synsp refine`` takes them: ``--cutoff``, ``--window``,
``--min-cutoff`` and ``--beta``, checked and turned into the options of :mod:`synsp.filters`.

``--window`` is frames (``15``, odd) or seconds (``0.3s``, turned into that span's frames at the
file's frame rate, made odd upwards), as ``--max-gap`` is. ``--beta`` is One-Euro's speed
term per body size (Hz per body size per second, :data:`synsp.filters.ONE_EURO_BETA`), so that one
value means the same for millimetres, metres and pixels.
"""
from __future__ import annotations

import argparse
import math

from synsp.errors import OptionError
from synsp.sequence import frames_or_seconds

__all__ = ["FILTER_FLAGS", "add_filter_flags", "check_filter_options", "filter_kwargs", "window_frames"]

# option name (refine_file's filter_options) -> (command-line flag, the methods it applies to)
FILTER_FLAGS: dict[str, tuple[str, tuple[str, ...]]] = {
    "cutoff": ("--cutoff", ("butterworth", "gaussian")),
    "window": ("--window", ("savgol", "gaussian", "median", "hampel")),
    "min_cutoff": ("--min-cutoff", ("one-euro",)),
    "beta": ("--beta", ("one-euro",)),
}


def check_filter_options(method: str | None, options: dict) -> dict:
    """``options`` ({name of :data:`FILTER_FLAGS`: value}) without its None values; a one-line
    ``OptionError`` for an option ``method`` does not take (None: the default, a network) or a bad value."""
    options = {name: value for name, value in options.items() if value is not None}
    for name, value in options.items():
        if name not in FILTER_FLAGS:
            raise OptionError(f"unknown filter option {name!r}; choose from {', '.join(FILTER_FLAGS)}")
        flag, methods = FILTER_FLAGS[name]
        if method not in methods:
            raise OptionError(f"{flag} is for {' and '.join(methods) if len(methods) < 3 else ', '.join(methods)}, "
                              f"not {method or 'synsp'!r}")
        if name == "window":
            window_frames(value, None)
        elif not isinstance(value, (int, float)) or isinstance(value, bool) or not math.isfinite(value) \
                or not (value >= 0 if name == "beta" else value > 0):
            unit = "Hz per body size per second, >= 0" if name == "beta" else "Hz, > 0"
            raise OptionError(f"{flag} must be a number ({unit}), got {value!r}")
    return options


def window_frames(window: int | str, fps: float | None) -> int:
    """A window in frames from frames (``15``, ``"15"``: odd, >= 1) or seconds (``"0.3s"``, > 0; that
    span's frames at ``fps``, rounded, made odd upwards, at least 3). ``fps`` None only checks the value."""
    try:
        value, seconds = frames_or_seconds(window)
    except ValueError:
        raise OptionError(f"--window must be frames (15, odd) or seconds (0.3s), got {window!r}") from None
    if seconds:
        if not (math.isfinite(value) and value > 0):
            raise OptionError(f"--window in seconds must be > 0, got {window!r}")
        if fps is None:
            return 0
        return max(3, int(round(value * fps)) | 1)  # | 1: the odd number at or above, as savgol_window
    if not math.isfinite(value) or value != int(value) or value < 1 or int(value) % 2 == 0:
        raise OptionError(f"--window must be an odd number of frames >= 1 (or seconds: 0.3s), got {window!r}")
    return int(value)


def filter_kwargs(method: str, options: dict, fps: float) -> dict:
    """The keyword options of filter ``method`` (:mod:`synsp.filters`) for ``options`` as
    :func:`check_filter_options` takes them, at ``fps`` (the file's frame rate, for a window in seconds)."""
    out = check_filter_options(method, options)
    if "window" in out:
        out["window"] = window_frames(out["window"], fps)
    if "beta" in out:  # per body size: the filter's own beta is per unit of speed
        out["body_beta"] = float(out.pop("beta"))
    return out


def add_filter_flags(parser: argparse.ArgumentParser) -> None:
    """Add :data:`FILTER_FLAGS` to ``synsp refine``'s ``parser`` (their dests are the option names)."""
    parser.add_argument("--cutoff", type=float, metavar="HZ", help="butterworth: its cut-off (default 6 Hz, 0.4 x fps "
                        "below 15 fps; a BVH's or SMPL file's rotations: 4 Hz, raised for fast motion); gaussian: "
                        "the kernel's -3 dB frequency (default 6 Hz, 0.4 x fps below 15 fps)")
    parser.add_argument("--window", help="savgol, gaussian, median, hampel: frames (odd: 9) or seconds (0.3s, at the "
                        "file's frame rate); savgol's default: 0.3 s")
    parser.add_argument("--min-cutoff", type=float, metavar="HZ", help="one-euro: the cut-off at rest (default 0.5 Hz)")
    parser.add_argument("--beta", type=float, help="one-euro: its cut-off's rise with speed, Hz per body size per "
                        "second (the same for mm, m, px; default 50; higher: less lag, less smoothing)")

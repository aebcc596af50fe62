"""``synsp refine`` on an OpenSim ``.mot`` of joint angles (Pose2Sim's inverse kinematics, Sports2D's angles).

Angle curves are not joint positions, which SynSP and the networks refine: a ``.mot`` is refined by one of the
classic filters (:data:`synsp.filters.FILTERS`), each curve on its own. Angles are unwrapped first (a curve
crossing +-180 degrees is one curve, not a jump of 360) and each frame given back the turns the unwrap took off, so
an angle written in -180..180 stays there; degrees are filtered in radians, so One-Euro's speed term is per radian/s
as on a BVH's rotations. The filters start from their settings for joint rotations
(:data:`synsp.rotations.filters.ROTATION_SETTINGS`, at the file's rate), the Butterworth (the default) from its own
6 Hz; translations (``pelvis_tx``, metres) get the same filter as positions. The rate is the ``time`` column's.
Missing values (blank or nan) are bridged for the filter, after the unwrap of the values seen (a gap across +-180
is bridged the short way), and written back missing. Why: benchmarks/RESULTS.md,
section 11, "OpenSim .mot angle files".
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np

from synsp.errors import FormatError, OptionError, check_fps
from synsp.filter_options import check_filter_options, filter_kwargs
from synsp.filters import FILTERS, FPS_FILTERS
from synsp.formats.mot import read_mot, translational, write_mot
from synsp.paths import exclusive_writes
from synsp.refining.file_paths import check_paths
from synsp.refining.methods import MIN_FRAMES
from synsp.refining.summary import RefineSummary, summarize, too_few_frames_note
from synsp.rotations.filters import ROTATION_SETTINGS, at_frame_rate
from synsp.sequence import fill_gaps

__all__ = ["ANGLE_DEFAULT", "refine_angle_file", "smooth_angle_curves", "times_rate"]

_LOADS = re.compile(r"force|torque|moment", re.IGNORECASE)  # an OpenSim GRF or ID file's columns
ANGLE_DEFAULT = "butterworth"  # the method with no --method (Sports2D's and Pose2Sim's own filter)


def times_rate(times: np.ndarray, where: str) -> float:
    """Frames per second of a ``time`` column (T,) in seconds: one over its mean step (times written to 6 decimals
    round each step, not the span); FormatError for a column that does not increase."""
    times = np.asarray(times, dtype=np.float64)
    step = (times[-1] - times[0]) / (len(times) - 1) if len(times) > 1 else 0.0
    if not step > 0 or not (np.diff(times) > 0).all():
        raise FormatError(f"{where}: its time column does not increase, so it gives no frame rate; pass --fps")
    return 1.0 / step


def smooth_angle_curves(values: np.ndarray, angles: np.ndarray, *, in_degrees: bool = True, fps: float = 30.0,
                        method: str = ANGLE_DEFAULT, **options) -> np.ndarray:
    """Filter K curves over time.

    Parameters
    ----------
    values : ndarray (T, K): angles (degrees, or radians when not ``in_degrees``) and other curves (translations).
    angles : ndarray (K,) bool, the curves that are angles: unwrapped, filtered in radians, turns given back.
    fps : frames per second.
    method : a name of :data:`synsp.filters.FILTERS`; ``options`` its settings over the module's defaults.

    Returns
    -------
    ndarray (T, K) float64, NaN where ``values`` is; a curve with fewer than 2 values as it came.
    """
    if method not in FILTERS:
        raise OptionError(f"angle curves are refined by a filter ({', '.join(FILTERS)}), not {method!r}")
    x = np.asarray(values, dtype=np.float64)
    fn = FILTERS[method]
    settings = {**at_frame_rate(ROTATION_SETTINGS.get(method, {}), fps), **options}
    if method in FPS_FILTERS:
        settings["fps"] = fps
    out = x.copy()
    seen = np.isfinite(x).sum(0) >= 2
    scale = np.where(angles, np.pi / 180.0 if in_degrees else 1.0, 1.0)[seen]
    if not seen.any():
        return out
    curves = x[:, seen] * scale  # (T, K') in radians / metres, NaN in the gaps
    turns = np.zeros_like(curves)  # multiples of 2 pi, per frame
    for k in np.flatnonzero(angles[seen]):
        # unwrapped over the seen values alone, before the gaps are bridged: a gap across +-180 is bridged the
        # short way, as the curve went, not the long way round between the two sides of the wrap
        known = np.isfinite(curves[:, k])
        turns[known, k] = np.unwrap(curves[known, k]) - curves[known, k]
    filled = fill_gaps((curves + turns)[:, :, None])[0][..., 0]  # (T, K') gaps bridged
    smooth = fn(filled[:, :, None], **settings)[..., 0]
    out[:, seen] = np.where(np.isfinite(x[:, seen]), (smooth - turns) / scale, np.nan)
    return out


def refine_angle_file(src: Path, dst: Path, *, method: str | None = None, fps: float | None = None,
                      filter_options: dict | None = None, checkpoint: str | None = None,
                      force: bool = False) -> RefineSummary:
    """Refine ``src``, an OpenSim ``.mot``, into ``dst`` (a ``.mot``, replaced only with ``force``) by
    :func:`smooth_angle_curves`; the summary's figures on the angles in degrees (radians for a file in radians).
    ``method`` None: :data:`ANGLE_DEFAULT`; a network (or ``checkpoint``) is refused with a line naming the TRC
    to give instead. ``fps`` overrides the ``time`` column's rate; ``filter_options`` are ``synsp refine``'s
    ``--cutoff``, ``--window``, ``--min-cutoff`` and ``--beta`` (per radian/s on angles). A file of fewer than
    :data:`~synsp.refining.methods.MIN_FRAMES` rows is written as it came."""
    check_paths(src, dst, force)
    if dst.suffix.lower() != ".mot":
        raise OptionError(f"{dst}: a .mot input (joint angles) is written as a .mot; name OUT <name>.mot")
    if (method is not None and method not in FILTERS) or checkpoint is not None:
        raise OptionError(f"{src}: a .mot holds joint angles; SynSP and the networks refine joint positions: give "
                          "the trial's TRC for that (Pose2Sim's pose-3d/*.trc, Sports2D's *_m.trc), or filter the "
                          f"angles here with --method {', '.join(name for name in FILTERS if name != 'identity')}")
    check_fps(fps)
    method = method or ANGLE_DEFAULT
    check_filter_options(method, filter_options or {})  # a flag of another filter fails before the file is read
    try:
        table = read_mot(src)
    except ValueError as err:
        raise FormatError(err if str(err).startswith(str(src)) else f"{src}: {err}") from None
    loads = [name for name in table.columns if _LOADS.search(name)]
    if loads:  # ground reaction forces, inverse dynamics: no angle to unwrap, nothing a pose refiner knows
        raise FormatError(f"{src}: column {loads[0]!r}: a .mot of forces or moments (ground reactions, inverse "
                          "dynamics), not joint angles; synsp refine filters the angles of an inverse kinematics "
                          ".mot (or Sports2D's)")
    if len(table.times) < MIN_FRAMES:  # no curve to filter: said, and written as it came
        with exclusive_writes(not force):
            write_mot(dst, table)
        return summarize(dst, table.values[None, ..., None], table.values[None, ..., None],
                         "deg" if table.in_degrees else "rad", [too_few_frames_note(len(table.times), "the file")])
    rate = float(fps) if fps is not None else times_rate(table.times, str(src))
    angles = ~translational(table.columns)
    options = filter_kwargs(method, filter_options or {}, rate)  # a window in seconds: at the file's rate
    if "body_beta" in options:  # --beta: on angles per radian/s (no body size to be per), as on a BVH's rotations
        options["beta"] = options.pop("body_beta")
    refined = smooth_angle_curves(table.values, angles, in_degrees=table.in_degrees, fps=rate, method=method,
                                  **options)
    with exclusive_writes(not force):
        write_mot(dst, table, refined)
    unit = "deg" if table.in_degrees else "rad"
    shown = angles if angles.any() else ~angles  # the figures on the angles; on the translations of a file of none
    source = "--fps" if fps is not None else "from its time column"
    notes = [f"angles: {src.name} holds angle curves ({int(angles.sum())} in {unit}"
             + (f", {int((~angles).sum())} translations in m" if (~angles).any() else "")
             + f", {rate:.4g} fps {source}): refined by a {method} filter, each curve on its own; SynSP refines "
             "joint positions: give the trial's TRC for that (Pose2Sim's pose-3d/*.trc, Sports2D's *_m.trc)"]
    return summarize(dst, table.values[None, :, shown, None], refined[None, :, shown, None],
                     unit if angles.any() else "m", notes)

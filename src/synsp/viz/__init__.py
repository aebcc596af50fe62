"""See refinement: plots, animations, video overlays and a self-contained HTML report.

Needs the optional extra ``viz`` (matplotlib, Pillow; PyAV for video). Every function takes
sequences as NumPy arrays ``(T, J, C)``: C = 2 in pixels (y down) or C = 3 in mm (Y up), and
a layout (a :class:`synsp.skeleton.Layout` or its name, e.g. ``"h36m17"``).

>>> from synsp.viz import animate, plot_trajectories, write_report
>>> write_report("report.html", before=noisy, after=refined, layout="h36m17", ground_truth=gt)

matplotlib, Pillow and PyAV are imported inside the functions, so this import costs only NumPy.
"""
from __future__ import annotations

from synsp.viz.animate import animate, iter_frames, project, render_frames
from synsp.viz.overlay import contact_sheet, overlay_frame, overlay_on_video
from synsp.viz.plot import plot_trajectories
from synsp.viz.report import write_report

__all__ = [
    "animate",
    "contact_sheet",
    "iter_frames",
    "overlay_frame",
    "overlay_on_video",
    "plot_trajectories",
    "project",
    "render_frames",
    "write_report",
]

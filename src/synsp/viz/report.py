"""One self-contained HTML page to judge a refinement: a playable before/after skeleton view,
the metric table, and the trajectory plots.

Self-contained means no network at all: the poses are embedded as JSON, the player is a short
inline script drawing on a <canvas>, and the plots are base64 PNGs. The page opens from a
file, offline, in any browser, and can be attached to an issue or an email as it is.
"""
from __future__ import annotations

import base64
import html
import json
import math
import os
from pathlib import Path
from typing import Any, Mapping

import numpy as np

from synsp.motion_pace import fps_text
from synsp.paths import atomic_path, resource
from synsp.skeleton import Layout, root_joints, root_position
from synsp.viz.draw import ROLE_COLOURS, bone_sides, check_sequences, resolve_layout

MAX_FRAMES = 1800  # longer sequences are subsampled in the player: the page stays under ~1 MB


def write_report(
    path: str | os.PathLike,
    *,
    before: np.ndarray,
    after: np.ndarray,
    layout: Any,
    fps: float = 30.0,
    ground_truth: np.ndarray | None = None,
    title: str = "synsp report",
    metrics_table: Mapping[str, Mapping[str, float]] | None = None,
    unit: str | None = None,
) -> Path:
    """Write one self-contained HTML page comparing ``before`` and ``after``.

    Parameters
    ----------
    path : path
        The ``.html`` file to write (atomically).
    before, after : ndarray (T, J, C)
        Unrefined and refined sequences. C = 2: pixels, y down. C = 3: mm, Y up (shown in an
        orthographic view, rotatable by dragging).
    layout : Layout or str
    fps : float
        Frames per second of the sequences.
    ground_truth : ndarray (T, J, C), optional
        Drawn in grey; enables the MPJPE / PA-MPJPE / Accel table (synsp.metrics).
    title : str
    metrics_table : mapping of row name -> {column name: value}, optional
        A further table shown as given (for example a benchmark of several methods).
    unit : str, optional
        The coordinates' unit in the tables and plots; default px in 2D, mm in 3D.

    Returns
    -------
    Path of the written page. Coordinates are rounded (1 decimal for mm or px) and
    sequences longer than 1800 frames are subsampled in the player (the plots keep all).
    """
    from synsp.viz.plot import plot_trajectories, png_bytes

    layout = resolve_layout(layout)
    b, a, gt = check_sequences(layout, before, after, ground_truth)
    if not fps > 0:
        raise ValueError(f"fps must be positive; got {fps}")
    T, J, C = b.shape
    unit = unit or ("px" if C == 2 else "mm")
    step = max(1, math.ceil(T / MAX_FRAMES))
    seqs = {"before": b, "after": a} | ({"truth": gt} if gt is not None else {})
    decimals = _decimals(np.concatenate([s.reshape(-1, C) for s in seqs.values()]))
    data = {
        "dim": C, "fps": fps, "step": step, "total": T, "frames": len(range(0, T, step)),
        "joints": [str(n) for n in layout.joints], "bones": [[int(p), int(c)] for p, c in layout.bones],
        "sides": bone_sides(layout), "root": root_joints(layout),
        "reference": "truth" if gt is not None else "after", "colours": ROLE_COLOURS,
        "start": first_seen(b, a) // step,  # the player opens on the person, not on the empty frames before
        "seqs": {k: _flat(v[::step], decimals) for k, v in seqs.items()},
    }
    blob = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")

    tables = []
    if gt is not None:
        tables.append("<h2>Error against ground truth</h2>" + _html_table(metric_rows(b, a, gt, layout), unit))
    else:  # no truth to score against: how much steadier the refinement is, which needs none
        tables.append("<h2>Smoothness (no ground truth)</h2>" + _html_table(smoothness_rows(b, a), unit)
                      + "<p>Over every joint value the files hold; synsp refine's summary leaves out joints below "
                        "its confidence threshold, so its figures can differ.</p>")
    if metrics_table:
        tables.append("<h2>Metrics</h2>" + _html_table(metrics_table, None))
    fig = plot_trajectories(b, a, layout=layout, ground_truth=gt, fps=fps, unit=unit)
    png = base64.b64encode(png_bytes(fig)).decode("ascii")
    plots = f'<h2>Trajectories</h2><img alt="joint trajectories and accelerations" src="data:image/png;base64,{png}">'

    name = getattr(layout, "name", "")
    summary = f"{T} frames at {fps_text(fps)}, {J} joints{f' ({name})' if name else ''}, {C}D in {unit}"
    if step > 1:
        summary += f"; the player shows every {step}th frame"
    hint = "Space plays or pauses, arrow keys step frames."
    if C == 3:
        hint += " Drag the view to turn it."
    page = resource("report.html").read_text(encoding="utf-8")
    for key, value in (("__TITLE__", html.escape(title)), ("__SUMMARY__", html.escape(summary)),
                       ("__HINT__", hint), ("__TABLES__", "\n".join(tables)), ("__PLOTS__", plots),
                       ("__DATA__", blob)):
        page = page.replace(key, value)
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path


def metric_rows(
    before: np.ndarray, after: np.ndarray, truth: np.ndarray, layout: Layout
) -> dict[str, dict[str, float]]:
    """MPJPE, PA-MPJPE and acceleration error of ``before`` and ``after`` against ``truth`` (T, J, C).

    As in the evaluation tables (:mod:`synsp.evaluation.protocol`): 3D poses are compared
    root-relative, 2D keypoints where they are in the image."""
    from synsp import metrics

    name = "MPJPE (root-relative)" if truth.shape[-1] == 3 else "MPJPE"
    if truth.shape[-1] == 3:
        before, after, truth = (s - root_position(s, layout) for s in (before, after, truth))
    rows: dict[str, dict[str, float]] = {}
    for role, seq in (("before", before), ("after", after)):
        rows[role] = {name: metrics.mpjpe(seq, truth), "PA-MPJPE": metrics.pa_mpjpe(seq, truth)}
        # Acceleration needs three frames; a shorter clip simply has no such figure.
        rows[role]["Accel"] = metrics.accel_error(seq, truth) if len(seq) >= 3 else float("nan")
    return rows


def smoothness_rows(before: np.ndarray, after: np.ndarray) -> dict[str, dict[str, float]]:
    """Mean and median |acceleration| (unit/frame², :func:`synsp.refining.summary.accel_stats`) of
    ``before`` and ``after`` (T, J, C), NaN ignored, and the mean distance after moved from before:
    what a refinement without ground truth can be judged by (as ``synsp refine``'s summary)."""
    from synsp.refining.summary import accel_stats

    rows: dict[str, dict[str, float]] = {}
    for role, seq in (("before", before), ("after", after)):
        mean, median = accel_stats(seq)
        rows[role] = {"mean |accel|": mean, "median |accel|": median}
    moved = np.linalg.norm(after - before, axis=-1)
    moved = moved[np.isfinite(moved)]
    rows["after"]["mean displacement from before"] = float(moved.mean()) if moved.size else float("nan")
    return rows


def first_seen(*seqs: np.ndarray) -> int:
    """The first frame where any of ``seqs`` (T, J, C) has a joint; 0 when none has."""
    seen = np.zeros(len(seqs[0]), dtype=bool)
    for seq in seqs:
        seen |= np.isfinite(seq).all(axis=-1).any(axis=-1)
    return int(np.argmax(seen)) if seen.any() else 0


def _html_table(rows: Mapping[str, Mapping[str, float]], unit: str | None) -> str:
    columns: list[str] = []
    for row in rows.values():
        columns += [c for c in row if c not in columns]
    units = {"MPJPE": unit, "MPJPE (root-relative)": unit, "PA-MPJPE": unit, "Accel": f"{unit}/frame²",
             "mean |accel|": f"{unit}/frame²", "median |accel|": f"{unit}/frame²",
             "mean displacement from before": unit} if unit else {}
    head = "".join(f"<th>{html.escape(c)}{f' ({units[c]})' if c in units else ''}</th>" for c in columns)
    body = []
    for name, row in rows.items():
        cells = "".join(f"<td>{_fmt(row.get(c))}</td>" for c in columns)
        body.append(f"<tr><td>{html.escape(str(name))}</td>{cells}</tr>")
    return f"<table><tr><th></th>{head}</tr>{''.join(body)}</table>"


def _fmt(value: Any) -> str:
    if isinstance(value, (int, float, np.floating, np.integer)):
        return "n/a" if not np.isfinite(value) else f"{float(value):.2f}"
    return html.escape("" if value is None else str(value))


def _decimals(points: np.ndarray) -> int:
    """Decimals for the embedded poses: 1 for mm or px; more when the unit is large (metres)."""
    finite = points[np.isfinite(points).all(axis=1)]
    extent = float(np.ptp(finite, axis=0).max()) if len(finite) else 1.0
    return int(np.clip(1 + math.ceil(math.log10(100.0 / max(extent, 1e-9))), 1, 6))


def _flat(seq: np.ndarray, decimals: int) -> list[float | None]:
    values = np.round(seq, decimals).ravel().tolist()
    return [None if v != v or v in (math.inf, -math.inf) else v for v in values]

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

from synsp.viz.overlay import ROLE_COLOURS, bone_sides, check_sequences, resolve_layout, root_joints

MAX_FRAMES = 1800  # longer sequences are subsampled in the player: the page stays under ~1 MB

_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>__TITLE__</title>
<link rel="icon" href="data:,">
<style>
body{font-family:system-ui,sans-serif;margin:1.5em auto;color:#222;max-width:1100px;padding:0 1em}
canvas{border:1px solid #ccc;display:block;touch-action:none;background:#fff}
.controls{display:flex;gap:.8em;align-items:center;margin:.5em 0;max-width:802px}
#frame{flex:1}
table{border-collapse:collapse;margin:.5em 0}
td,th{border:1px solid #ccc;padding:.25em .7em;text-align:right}
th:first-child,td:first-child{text-align:left}
.note{color:#666;font-size:.9em}
img{max-width:100%}
</style></head><body>
<h1>__TITLE__</h1>
<p class="note">__SUMMARY__</p>
<canvas id="view" width="800" height="424"></canvas>
<div class="controls"><button id="play" type="button">Play</button>
<input id="frame" type="range" min="0" max="0" value="0" aria-label="frame">
<span id="label"></span></div>
<p class="note">__HINT__</p>
__TABLES__
__PLOTS__
<script id="data" type="application/json">__DATA__</script>
<script>
"use strict";
(function () {
  const D = JSON.parse(document.getElementById("data").textContent);
  const canvas = document.getElementById("view"), ctx = canvas.getContext("2d");
  const slider = document.getElementById("frame"), button = document.getElementById("play");
  const label = document.getElementById("label");
  const C = D.dim, J = D.joints.length, T = D.frames, W = canvas.width / 2, TOP = 24;
  const H = canvas.height - TOP, ref = D.seqs[D.reference];
  let az = 30, el = 15, frame = 0, playing = false, last = null, acc = 0, drag = null;
  const rgb = (c) => "rgb(" + c.join(",") + ")";
  const centreOf = (t) => { const c = [0, 0, 0];
    for (const j of D.root) { const p = at(ref, t, j); if (!ok(p)) return null;
      for (let i = 0; i < 3; i++) c[i] += p[i] / D.root.length; }
    return c; };
  const at = (s, t, j) => { const k = (t * J + j) * C; return s.slice(k, k + C); };
  const ok = (p) => p.every((v) => v !== null);
  let scale = 1, ox = 0, oy = 0;
  if (C === 2) {  // image coordinates: one fixed box around every point of every sequence
    let lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
    for (const name in D.seqs) { const s = D.seqs[name];
      for (let i = 0; i + 1 < s.length; i += 2) { if (s[i] === null || s[i + 1] === null) continue;
        lo = [Math.min(lo[0], s[i]), Math.min(lo[1], s[i + 1])];
        hi = [Math.max(hi[0], s[i]), Math.max(hi[1], s[i + 1])]; } }
    if (!isFinite(lo[0])) { lo = [0, 0]; hi = [1, 1]; }
    scale = 0.9 * Math.min(W / Math.max(hi[0] - lo[0], 1e-9), H / Math.max(hi[1] - lo[1], 1e-9));
    ox = W / 2 - scale * (lo[0] + hi[0]) / 2; oy = TOP + H / 2 - scale * (lo[1] + hi[1]) / 2;
  } else {  // 3D: follow the reference root; the scale fits the widest reach from it in any view
    let r = 1e-9;
    for (const name in D.seqs) { const s = D.seqs[name];
      for (let t = 0; t < T; t++) { const c = centreOf(t); if (!c) continue;
        for (let j = 0; j < J; j++) { const p = at(s, t, j); if (!ok(p)) continue;
          r = Math.max(r, Math.hypot(p[0] - c[0], p[1] - c[1], p[2] - c[2])); } } }
    scale = 0.45 * Math.min(W, H) / r;
  }
  function screen(p, centre, k) {
    if (C === 2) return [k * W + ox + scale * p[0], oy + scale * p[1]];
    const a = az * Math.PI / 180, e = el * Math.PI / 180;
    const dx = p[0] - centre[0], dy = p[1] - centre[1], dz = p[2] - centre[2];
    const u = dx * Math.cos(a) + dz * Math.sin(a), depth = -dx * Math.sin(a) + dz * Math.cos(a);
    const v = dy * Math.cos(e) - depth * Math.sin(e);
    return [k * W + W / 2 + scale * u, TOP + H / 2 - scale * v];
  }
  function skeleton(s, t, k, role, width) {
    const col = D.colours[role];
    const centre = C === 3 ? (centreOf(t) || [0, 0, 0]) : null;
    const pts = [];
    for (let j = 0; j < J; j++) { const p = at(s, t, j); pts.push(ok(p) ? screen(p, centre, k) : null); }
    ctx.lineWidth = width; ctx.lineCap = "round";
    D.bones.forEach(([a, b], i) => { if (!pts[a] || !pts[b]) return;
      ctx.strokeStyle = rgb(col[D.sides[i]]); ctx.beginPath();
      ctx.moveTo(pts[a][0], pts[a][1]); ctx.lineTo(pts[b][0], pts[b][1]); ctx.stroke(); });
    if (role === "truth") return;
    ctx.fillStyle = rgb(col.C);
    for (const p of pts) { if (p) { ctx.beginPath(); ctx.arc(p[0], p[1], width, 0, 2 * Math.PI); ctx.fill(); } }
  }
  function draw() {
    ctx.fillStyle = "#fff"; ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.strokeStyle = "#ccc"; ctx.lineWidth = 1;
    ctx.beginPath(); ctx.moveTo(W, 0); ctx.lineTo(W, canvas.height); ctx.stroke();
    ctx.font = "14px sans-serif";
    ["before", "after"].forEach((role, k) => {
      ctx.save(); ctx.beginPath(); ctx.rect(k * W, TOP, W, H); ctx.clip();
      if (D.seqs.truth) skeleton(D.seqs.truth, frame, k, "truth", 1.5);
      skeleton(D.seqs[role], frame, k, role, 3); ctx.restore();
      ctx.fillStyle = rgb(D.colours[role].R); ctx.fillText(role, k * W + 8, 17);
    });
    if (D.seqs.truth) { ctx.fillStyle = rgb(D.colours.truth.R); ctx.fillText("grey: ground truth", W - 130, 17); }
    const t = frame * D.step;
    label.textContent = "frame " + (t + 1) + " / " + D.total + " \u00b7 " + (t / D.fps).toFixed(2) + " s";
  }
  function setFrame(i) { frame = Math.max(0, Math.min(T - 1, i)); slider.value = frame; draw(); }
  function tick(ts) {
    if (!playing) return;
    if (last !== null) acc += (ts - last) / 1000 * D.fps / D.step;
    last = ts;
    if (acc >= 1) { const n = Math.floor(acc); acc -= n; setFrame((frame + n) % T); }
    requestAnimationFrame(tick);
  }
  function toggle() {
    playing = !playing; button.textContent = playing ? "Pause" : "Play";
    if (playing) { last = null; acc = 0; requestAnimationFrame(tick); }
  }
  slider.max = T - 1;
  slider.addEventListener("input", () => setFrame(Number(slider.value)));
  button.addEventListener("click", toggle);
  document.addEventListener("keydown", (ev) => {
    if (ev.target === button || ev.target === slider) return;
    if (ev.key === " ") { ev.preventDefault(); toggle(); }
    if (ev.key === "ArrowRight") setFrame(frame + 1);
    if (ev.key === "ArrowLeft") setFrame(frame - 1);
  });
  if (C === 3) {
    canvas.addEventListener("pointerdown", (ev) => {
      drag = [ev.clientX, ev.clientY]; canvas.setPointerCapture(ev.pointerId); });
    canvas.addEventListener("pointerup", () => { drag = null; });
    canvas.addEventListener("pointermove", (ev) => { if (!drag) return;
      az += (ev.clientX - drag[0]) * 0.5; el = Math.max(-89, Math.min(89, el + (ev.clientY - drag[1]) * 0.3));
      drag = [ev.clientX, ev.clientY]; draw(); });
  }
  setFrame(0);
})();
</script>
</body></html>
"""


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

    Returns
    -------
    Path of the written page. Coordinates are rounded (1 decimal for mm or px) and
    sequences longer than 1800 frames are subsampled in the player (the plots keep all).
    """
    from synsp.paths import atomic_path
    from synsp.viz.plot import plot_trajectories, png_bytes

    layout = resolve_layout(layout)
    b, a, gt = check_sequences(layout, before, after, ground_truth)
    if not fps > 0:
        raise ValueError(f"fps must be positive; got {fps}")
    T, J, C = b.shape
    unit = "px" if C == 2 else "mm"
    step = max(1, math.ceil(T / MAX_FRAMES))
    seqs = {"before": b, "after": a} | ({"truth": gt} if gt is not None else {})
    decimals = _decimals(np.concatenate([s.reshape(-1, C) for s in seqs.values()]))
    data = {
        "dim": C, "fps": fps, "step": step, "total": T, "frames": len(range(0, T, step)),
        "joints": [str(n) for n in layout.joints], "bones": [[int(p), int(c)] for p, c in layout.bones],
        "sides": bone_sides(layout), "root": root_joints(layout),
        "reference": "truth" if gt is not None else "after", "colours": ROLE_COLOURS,
        "seqs": {k: _flat(v[::step], decimals) for k, v in seqs.items()},
    }
    blob = json.dumps(data, separators=(",", ":"), allow_nan=False).replace("<", "\\u003c")

    tables = []
    if gt is not None:
        tables.append("<h2>Error against ground truth</h2>" + _html_table(metric_rows(b, a, gt), unit))
    if metrics_table:
        tables.append("<h2>Metrics</h2>" + _html_table(metrics_table, None))
    fig = plot_trajectories(b, a, layout=layout, ground_truth=gt, fps=fps)
    png = base64.b64encode(png_bytes(fig)).decode("ascii")
    plots = f'<h2>Trajectories</h2><img alt="joint trajectories and accelerations" src="data:image/png;base64,{png}">'

    name = getattr(layout, "name", "")
    summary = f"{T} frames at {fps:g} fps, {J} joints{f' ({name})' if name else ''}, {C}D in {unit}"
    if step > 1:
        summary += f"; the player shows every {step}th frame"
    hint = "Space plays or pauses, arrow keys step frames."
    if C == 3:
        hint += " Drag the view to turn it."
    page = _PAGE
    for key, value in (("__TITLE__", html.escape(title)), ("__SUMMARY__", html.escape(summary)),
                       ("__HINT__", hint), ("__TABLES__", "\n".join(tables)), ("__PLOTS__", plots),
                       ("__DATA__", blob)):
        page = page.replace(key, value)
    path = Path(path)
    with atomic_path(path) as tmp:
        tmp.write_text(page, encoding="utf-8")
    return path


def metric_rows(before: np.ndarray, after: np.ndarray, truth: np.ndarray) -> dict[str, dict[str, float]]:
    """MPJPE, PA-MPJPE and acceleration error of ``before`` and ``after`` against ``truth`` (T, J, C)."""
    from synsp import metrics

    rows: dict[str, dict[str, float]] = {}
    for name, seq in (("before", before), ("after", after)):
        rows[name] = {"MPJPE": metrics.mpjpe(seq, truth), "PA-MPJPE": metrics.pa_mpjpe(seq, truth)}
        # Acceleration needs three frames; a shorter clip simply has no such figure.
        rows[name]["Accel"] = metrics.accel_error(seq, truth) if len(seq) >= 3 else float("nan")
    return rows


def _html_table(rows: Mapping[str, Mapping[str, float]], unit: str | None) -> str:
    columns: list[str] = []
    for row in rows.values():
        columns += [c for c in row if c not in columns]
    units = {"MPJPE": unit, "PA-MPJPE": unit, "Accel": f"{unit}/frame²"} if unit else {}
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

"""Joints of no layout (a lab's own markers, an animal's body parts): SmoothNet, or a low-pass where their noise says.

:func:`refine_no_layout` is :func:`synsp.refining.person.refine_track`'s route for joints no model knows:

- in 3D, gaps are filled first from the markers that move rigidly with the gappy one
  (:func:`~synsp.estimator_errors.rigid_fill.rigid_fill`), the rest by a straight line in time; a marker off those
  partners for up to :data:`GHOSTS` (a ghost, two labels swapped) is such a gap too; before that, two columns that
  jump at one frame by their separation and back are exchanged back, and a column that jumps off its own path and
  back within :data:`GHOSTS` is emptied (:func:`~synsp.estimator_errors.label_jumps.label_jumps`: no rigid partner
  needed);
- each joint is SmoothNet's output or a low-pass, whichever the input's own noise shows nearer
  (:func:`~synsp.inference.risk_choice.lowpass_or_network`), SmoothNet's risk read by a probe of the route with
  what it reads of the whole input held (:func:`paced_once`);
- a joint seen in fewer than :data:`SPARSE` of the frames (a ghost marker the lab software left unnamed, a column
  nearly empty) is refined apart from the others: they are independent of it (before, such a column moved the other
  39 markers of a clean walk by up to 5.5 mm through SmoothNet's pace and its centre).

benchmarks/RESULTS.md section 11, "Lab markers of no layout".
"""
from __future__ import annotations

from typing import Callable

import numpy as np

from synsp.estimator_errors.label_jumps import label_jumps
from synsp.estimator_errors.measurements import measurements
from synsp.estimator_errors.rigid_fill import rigid_fill
from synsp.inference.clean import noise_gain
from synsp.inference.risk_choice import lowpass_or_network
from synsp.motion_pace import paced_rate
from synsp.refining.methods import network_model

__all__ = ["GHOSTS", "SPARSE", "refine_no_layout", "paced_once"]

# In 3D, a marker off its rigid partners for up to this long (seconds) is a ghost or a swapped label: filled as a gap
GHOSTS = 0.25
# Joints seen in fewer than this share of the frames are refined apart from the others
SPARSE = 0.5

Route = Callable[[np.ndarray, "float | None"], np.ndarray]  # SmoothNet's route: (values (T, J, C), fps) -> (T, J, C)


def refine_no_layout(poses: np.ndarray, missing: np.ndarray, smoothnet: Route, options: dict) -> np.ndarray:
    """Refine ``poses`` (T, J, C) of no layout, NaN (or ``missing``, (T, J) bool) where unseen, as the module docstring
    says; ``smoothnet(values, fps)`` runs SmoothNet's route on values without NaN at the rate given, ``options`` its
    options (``fps``, ``checkpoint``, ``device``). Returns (T, J, C), the dtype of ``poses``, NaN filled."""
    x = np.where(missing[..., None], np.nan, poses).astype(poses.dtype, copy=False)
    sparse = missing.mean(axis=0) > 1.0 - SPARSE
    if x.shape[-1] == 3:  # the body's markers among themselves: a nearly empty column is no partner, nor in the size
        dense, fps = ~sparse, options.get("fps") or 30.0
        ghosts = int(round(GHOSTS * fps))
        body = label_jumps(x[:, dense], fps, ghosts)[0]
        x[:, dense] = rigid_fill(body, ghosts=ghosts)[0]
    values = measurements(x, None, fps=options.get("fps")).values
    parts = [sparse, ~sparse] if sparse.any() and not sparse.all() else [np.ones(len(sparse), bool)]
    out = np.empty_like(values)
    for part in parts:  # the body's joints last: the pace the summary reads is theirs
        part_values = np.ascontiguousarray(values[:, part])
        out[:, part] = lowpass_or_network(part_values, paced_once(part_values, smoothnet, options))[0]
    return out


def paced_once(values: np.ndarray, smoothnet: Route, options: dict) -> Callable[[np.ndarray], np.ndarray]:
    """SmoothNet's route for ``values`` (T, J, C) of no layout, without NaN, with what it reads of the whole input
    read once, from ``values``: a callable taking and returning (T, J, C), ``values`` itself refined first (the call
    with ``values`` gives that output again). The risk's probe (:func:`~synsp.inference.risk_choice.network_risk`)
    must see the same function of the values, but two of the route's readings moved with it: the pace (read again
    from the probed values it moved by 1e-5 of itself, and the network's grid with it) and the clean-input step's share
    (:func:`~synsp.inference.clean.noise_gain`: where the noise level lies on its ramp, the probe's added noise moved
    the whole output by mm for a probe of 0.1 mm). The route's divergence read -2 to +1 per value, and clean 100 Hz
    markers took SmoothNet's output, 1.5 x their input, on half or all of their joints. The model records the pace as
    its own reading would."""
    model = network_model("smoothnet", values.shape[-1], options.get("checkpoint"), options.get("device"))
    fps = options.get("fps")
    paced = paced_rate(values, fps, model.covered_fps) if model.follow_pace else fps
    clean = model.keep_clean

    def raw(v: np.ndarray) -> np.ndarray:
        follow = model.follow_pace
        model.follow_pace = model.keep_clean = False
        try:
            return smoothnet(v, paced)
        finally:
            model.follow_pace, model.keep_clean = follow, clean
            model.paced_fps = paced if paced != fps else None

    plain = raw(values)
    gain = noise_gain(values, plain, space="3d" if values.shape[-1] == 3 else "2d") if clean else None

    def run(v: np.ndarray) -> np.ndarray:
        out = plain if v is values else raw(v)
        if gain is None:
            return out
        x = np.asarray(v, np.float64)
        return (x + gain[..., None, :, None] * (np.asarray(out, np.float64) - x)).astype(np.asarray(out).dtype)
    return run

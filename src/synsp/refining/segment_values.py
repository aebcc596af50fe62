"""The values a refiner is given of a layout's joints beyond the model's (feet, hands, face points): their gaps filled
from their segment's measured points (:mod:`synsp.estimator_errors.segment_fill`), in every route that fills gaps
along the bones: SynSP's converted route and its light-noise step, SmoothNet's route (``method="smoothnet"``) and the
filters' (``method="butterworth"`` etc., which fill gaps and undo no error: the filters stay plain filters, their
gaps are filled as the networks' are). benchmarks/RESULTS.md section 11, "Gaps in a layout's joints beyond the
model's"."""
from __future__ import annotations

import numpy as np

from synsp.config import model_space_layout
from synsp.estimator_errors.measurements import measurements
from synsp.estimator_errors.segment_fill import segment_fill
from synsp.inference.joint_corrections import shared_joints
from synsp.skeleton import get_layout

__all__ = ["filter_values", "segment_filled"]


def segment_filled(values: np.ndarray, gaps: np.ndarray, layout: str, target: str) -> np.ndarray:
    """``values`` (T, J, C) or (V, T, J, C) with the gaps (T, J) of ``layout``'s joints beyond ``target``'s
    refilled from their segment's measured points (:mod:`synsp.estimator_errors.segment_fill`) where they can be;
    ``values`` as given where none is, and where ``layout`` is ``target``."""
    if layout == target:
        return values
    if values.ndim == 4:
        return np.stack([segment_filled(v, g, layout, target) for v, g in zip(values, gaps)])
    shared = {j for j, _ in shared_joints(layout, target)}
    extra = [j for j in range(values.shape[-2]) if j not in shared and gaps[:, j].any() and not gaps[:, j].all()]
    if not extra:
        return values
    refilled, done = segment_fill(np.where(gaps[..., None], np.nan, values), get_layout(layout), extra)
    if not done.any():
        return values
    return np.where(done[..., None], refilled, values).astype(values.dtype, copy=False)


def filter_values(x: np.ndarray, layout: str) -> np.ndarray:
    """What a filter is given of ``x`` (T, J, C) or (V, T, J, C) in ``layout``, NaN where missing: its gaps filled
    along the bones, no error undone (:func:`~synsp.estimator_errors.measurements.measurements` with ``undo=False``),
    then those of the joints beyond the model's from their segment (:func:`segment_filled`)."""
    measured = measurements(x, get_layout(layout), undo=False)
    return segment_filled(measured.values, measured.gaps, layout, model_space_layout(x.shape[-1]))

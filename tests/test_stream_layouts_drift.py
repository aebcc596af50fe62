"""A 3D stream in another layout (synsp.inference.stream_layouts.OtherLayout) whose whole body drifts in depth:
the joints the network does not give follow the network's root, as the network's own joints do (the low-pass where
the noise reads white left out here: it reads absolute values, as offline)."""
from __future__ import annotations

import numpy as np

from conftest import needs_data
from synsp.inference.stream_layouts import OtherLayout
from synsp.skeleton import convert


def _given_back(x: np.ndarray, refined: np.ndarray, lag: int = 10) -> np.ndarray:
    """(T - lag, J, C): ``x`` (T, J, C) in HMR-44 through OtherLayout, the network's output for each frame being
    ``refined`` (T, K, C) in Human3.6M-17, given back ``lag`` frames after it arrived."""
    other, out = OtherLayout("hmr44", "h36m17", lag, 30.0, where_white=False), []
    for t in range(len(x)):
        other.to_model(0, t, x[t])
        if t >= lag:
            out.append(other.back(0, t - lag, refined[t - lag]))
    return np.stack(out)


@needs_data
def test_a_body_drifting_in_depth_moves_every_joint_alike():
    """``dataset-1_bye_tired_001`` (validation) in HMR-44, metres, 15 mm white noise, its drift a random walk of
    20 mm a frame in depth, the network's output standing in for by the clean clip (drifting as the input): every
    joint comes back moved by the drift and by nothing else, to rounding (before, averaged on absolute values, the
    joints beyond the network's lagged the drift: 4.6 mm on average, up to 38)."""
    from synsp.data.mocap import load_clip

    rng = np.random.default_rng(0)
    clean = load_clip("dataset-1_bye_tired_001", "hmr44").astype(np.float64)[:160] / 1000.0
    noisy = clean + rng.normal(0.0, 0.015, clean.shape)
    drift = np.cumsum(rng.normal(0.0, 0.02, len(clean)))[:, None, None] * np.array([0.0, 0.0, 1.0])
    refined = convert(clean, "hmr44", "h36m17")
    still = _given_back(noisy, refined)
    drifting = _given_back(noisy + drift, refined + drift) - drift[:len(still)]
    assert np.abs(drifting - still).max() < 1e-9  # m

"""inference.camera_pan: a pan's removed part given back, a whiter whole-body shake left removed."""
from __future__ import annotations

import numpy as np

from synsp.inference.camera_pan import keep_pan, pan_share


def test_pan_given_back_shake_not() -> None:
    rng = np.random.default_rng(0)
    body = rng.normal(0, 30, (1, 17, 2)).repeat(200, axis=0)
    own = rng.normal(0, 1, body.shape)  # each joint's own noise, taken off by the refiner
    pan = np.cumsum(rng.normal(0, 3, (200, 1, 2)), axis=0)  # a random walk, all taken off
    assert pan_share(body + own + pan, body) == 1.0
    out = keep_pan(body.copy(), body + own + pan)
    assert np.allclose(out - body, (own + pan).mean(axis=1, keepdims=True))  # the pose kept, the track the input's
    walk = rng.normal(0, 3, (201, 1, 2))
    shake = walk[1:] - walk[:-1]  # a jitter's removed part: anticorrelated from frame to frame
    assert pan_share(body + own + shake, body) == 0.0
    assert keep_pan(body, body + own + shake) is body

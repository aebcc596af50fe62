"""synsp.refining.bursts: bursts of noise read from the input alone."""
import numpy as np

from synsp.refining.bursts import calm_beside_bursts, noisy_frames


def _walk(frames: int = 240) -> np.ndarray:
    """(T, 17, 2) px: a slow sway of 17 points spread over a 500 px body."""
    t = np.arange(frames)[:, None, None] / 30.0
    base = np.random.default_rng(0).uniform(0, 500, (1, 17, 2))
    return base + 20.0 * np.sin(2 * np.pi * 0.5 * t + base / 100.0)


def test_a_burst_is_read_to_the_frame():
    clean = _walk()
    level = np.ones(len(clean))
    level[80:120] = 10.0
    noisy = clean + np.random.default_rng(1).normal(size=clean.shape) * level[:, None, None]
    assert np.array_equal(np.flatnonzero(noisy_frames(noisy)), np.arange(80, 120))


def test_even_noise_and_clean_motion_read_none():
    clean = _walk()
    assert not noisy_frames(clean + np.random.default_rng(2).normal(size=clean.shape)).any()
    assert not noisy_frames(clean).any()


def test_calm_frames_come_from_the_run_with_the_bursts_as_gaps():
    clean = _walk()
    level = np.ones(len(clean))
    level[80:120] = 10.0
    noisy = clean + np.random.default_rng(1).normal(size=clean.shape) * level[:, None, None]
    seen = []

    def route(values, missing):
        seen.append((np.isnan(values).any(-1).any(-1), missing))
        return np.nan_to_num(values, nan=-1.0)

    out = calm_beside_bursts(noisy, route)
    assert seen[0][0][80:120].all() and not seen[0][0][:80].any()  # the bursts as gaps
    assert seen[2][1][80:120].all() and not seen[2][1][:80].any()  # then marked unmeasured
    assert np.array_equal(out[:80], noisy[:80]) and np.array_equal(out[80:120], noisy[80:120])
    assert calm_beside_bursts(clean, route) is None

"""benchmarks/choice2d_fit.py's clip features and gap2d.py's pull variants (the per-clip choice's bound,
benchmarks/RESULTS.md section 9, "Tried: a per-clip choice")."""
from __future__ import annotations

import sys
from pathlib import Path

import numpy as np

from synsp.conventions import constant_pull
from walking import walking

sys.path.insert(0, str(Path(__file__).parents[1] / "benchmarks"))
import choice2d_fit  # noqa: E402
import gap2d  # noqa: E402
import synsp.inference.convention_pass as convention_pass  # noqa: E402


def test_features_tell_slow_errors_from_jitter() -> None:
    """A default that took out a slow drift reads a larger slow correction, and a larger correction
    for the input's noise, than one that took out white jitter of the same size."""
    clean, jittery = walking(n_frames=120, noise=3.0)
    t = np.arange(len(clean))[:, None, None] / 30.0
    drifting = clean + 6.0 * np.sin(2 * np.pi * 0.3 * t + np.arange(17)[None, :, None])  # slow, per joint
    drifting = drifting + np.random.default_rng(1).normal(0, 1.0, clean.shape)
    candidate = clean + 0.5  # a candidate that moves the default a little
    slow, fast = (choice2d_fit.features(x, clean, candidate) for x in (drifting, jittery))
    assert slow.shape == (len(choice2d_fit.NAMES),) and np.isfinite(slow).all()
    names = list(choice2d_fit.NAMES)
    for name in ("default's slow correction", "correction / noise"):
        assert slow[names.index(name)] > fast[names.index(name)] + 1.0, name


def test_pull_variants_take_the_never_argument() -> None:
    """gap2d's shipped pull is left alone; a variant (half the symmetric pull) takes ``never`` as the
    shipped one does and undoes half of it."""
    clean, noisy = walking(n_frames=60, noise=2.0)
    refined = noisy + np.array([3.0, -1.0])  # a constant shift: a pull the same in every frame
    with gap2d.pull_variant():
        assert convention_pass.constant_pull is constant_pull
    never = np.zeros(17, bool)
    with gap2d.pull_variant(beta=0.5):
        half = convention_pass.constant_pull(noisy, refined, "coco17", symmetric=True, never=never)
    assert convention_pass.constant_pull is constant_pull
    whole = constant_pull(noisy, refined, "coco17", symmetric=True, never=never)
    np.testing.assert_allclose(half, whole / 2, atol=1e-9)

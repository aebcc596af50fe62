"""The floor step's limb drift, read net of the jitter's own slow part (synsp.inference.floor.floor_drift)."""
import numpy as np

import synsp
from synsp.inference.floor import DRIFT_RAMP, SHRINK_CONVERTED, bone_drift, drift_factor, floor_drift


def _jittered(name: str, layout: str, seed: int = 0):
    from synsp.data.mocap import load_clip
    from synsp.data.simulator import corrupt

    clean = load_clip(name, layout)[:300]
    noisy = corrupt(clean, "jitter", rng=np.random.default_rng(seed), layout=layout).noisy
    return clean, np.where(np.isnan(noisy), clean, noisy).astype(np.float32)


def test_a_jitter_only_sprint_in_smpl24_keeps_the_floor_step_and_beats_its_input():
    """A sprint's larger jitter leaks more below 2 Hz: read raw, its limbs' drift (0.0036 body
    sizes on this validation clip and draw) left a twelfth of the floor step (strength 0.65 of
    8), and the network's pull on the sprint came out worse than the input (1.08 x; clip_sweep's
    draws: dash_tired 1.12, run_chimpira 1.06)."""
    from synsp.refining.methods import network_model
    from synsp.skeleton import convert

    clean, noisy = _jittered("dataset-1_run_chimpira_001", "smpl24", seed=2)
    out = synsp.refine(noisy, layout="smpl24")
    model = network_model("synsp", 3, None, None)
    assert (model.floor_strength > 0.9 * SHRINK_CONVERTED["3d"]).all()  # nearly the whole step
    raw = bone_drift(convert(noisy, "smpl24", "h36m17")[None], "h36m17")
    assert (raw > 0.003).all() and (model.limb_drift < DRIFT_RAMP[0]).all()
    err = lambda a: np.linalg.norm(a - clean, axis=-1).mean()  # noqa: E731
    assert err(out) < 0.95 * err(noisy)  # before: 1.08 x, now 0.88


def test_the_drift_net_of_jitter_keeps_an_estimators_drift_and_reads_clean_poses_as_none():
    """A slow limb-length error with no jitter keeps its drift (the step off), clean poses read 0,
    and jitter alone reads far less than raw."""
    from synsp.data.mocap import load_clip

    clean = load_clip("dataset-2_run_normal_027", "h36m17")[:300].astype(np.float64)
    assert float(floor_drift(clean, "h36m17")) < 2e-4
    t = np.arange(len(clean))[:, None, None]
    drifting = clean * (1.0 + 0.03 * np.sin(2 * np.pi * t / 150.0))  # the body's size drifting at 0.2 Hz
    drifting = drifting - drifting.mean(axis=1, keepdims=True) + clean.mean(axis=1, keepdims=True)
    assert drift_factor(floor_drift(drifting, "h36m17")) == 0.0
    _, noisy = _jittered("dataset-2_run_normal_027", "h36m17")
    assert float(floor_drift(noisy, "h36m17")) < 0.5 * float(bone_drift(noisy, "h36m17"))
    batch = np.stack([clean, drifting])
    np.testing.assert_allclose(floor_drift(batch, "h36m17"), [floor_drift(clean, "h36m17"),
                                                              floor_drift(drifting, "h36m17")])

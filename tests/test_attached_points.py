"""A layout's points beyond the model's (feet, hands, face) stay on the model joint they hang from: SynSP's route
through the model's layout (synsp.refining.converted_layout.refine_converted) reads SmoothNet's run of those points
and of the model joints together, with no layout step, so a limb MediaPipe threw for a few frames keeps its foot on
its ankle."""
from __future__ import annotations

from pathlib import Path

import numpy as np

import synsp
from conftest import needs_data
from synsp.formats import read_poses
from synsp.skeleton import get_layout

FIXTURES = Path(__file__).parent / "fixtures" / "skeletons"

LEG = ("left_knee", "left_ankle", "left_heel", "left_foot_index")


def _thrown_leg(clean: np.ndarray, t0: int, seed: int = 0) -> np.ndarray:
    """``clean`` (T, 33, 3) MediaPipe-33 in mm with an estimator's jitter (AR(1) of 0.6, 8 mm; the foot's on its
    ankle's, as the README demo's is) and the left leg swung about its hip by 0.8, 1.3 and 1.9 rad in frames t0,
    t0 + 1 and t0 + 3 (the demo's frames 133, 134 and 136), its ankle not seen in the two frames before (the
    demo's 131-132)."""
    names = get_layout("mediapipe33").joints
    j = {name: names.index(name) for name in ("left_hip",) + LEG}
    rng = np.random.default_rng(seed)
    e = rng.normal(0.0, 8.0, clean.shape)
    for t in range(1, len(e)):
        e[t] += 0.6 * e[t - 1]
    e[:, [j["left_heel"], j["left_foot_index"]]] += e[:, [j["left_ankle"]]]
    noisy = clean + e
    leg = [j[name] for name in LEG]
    for dt, angle in ((0, 0.8), (1, 1.3), (3, 1.9)):
        t, c, s = t0 + dt, np.cos(angle), np.sin(angle)
        turn = np.array([[c, -s, 0.0], [s, c, 0.0], [0.0, 0.0, 1.0]])
        hip = clean[t, j["left_hip"]]
        noisy[t, leg] = hip + (noisy[t, leg] - hip) @ turn.T
    noisy[t0 - 2:t0, j["left_ankle"]] = np.nan
    return noisy


@needs_data
def test_a_foot_stays_on_its_ankle_where_mediapipe_threw_the_leg():
    """A validation walk in MediaPipe-33 (3D, mm) with the README demo's thrown left leg: the left ankle-heel bone
    reached 534 mm (truth 102) before, off its truth by 21.2 mm on average over the clip; now 231 at most, off by
    10.3. What is left is the ankle not seen just before the throw: its straight-line fill heads for the thrown
    frame while the heel was measured in place (benchmarks/RESULTS.md section 11)."""
    from synsp.data.mocap import load_clip

    clean = load_clip("dataset-1_walk-left_angry_001", "mediapipe33").astype(np.float64)
    out = synsp.refine(_thrown_leg(clean, len(clean) // 2), layout="mediapipe33")
    names = get_layout("mediapipe33").joints
    ankle, heel = names.index("left_ankle"), names.index("left_heel")
    truth = np.linalg.norm(clean[:, ankle] - clean[:, heel], axis=-1)
    got = np.linalg.norm(out[:, ankle] - out[:, heel], axis=-1)
    assert got.max() < 2.5 * truth.max(), (got.max(), truth.max())
    assert np.abs(got - truth).mean() < 15.0, np.abs(got - truth).mean()


def test_the_converted_routes_smoothnet_run_reads_the_values_as_measured(monkeypatch):
    """The converted route measured the user's layout once (glitches, gaps: synsp.refining.converted_layout); its
    SmoothNet run of the whole layout (the joints no model joint's correction moves, the pace groups' rates) takes
    those values as they are, with no second measurement of them (the same outputs on the varied check set, 8-10 %
    less CPU on a long HALPE-26 file: benchmarks/RESULTS.md section 11)."""
    import synsp.refining.person as person
    from synsp.estimator_errors.measurements import measurements

    poses = read_poses(FIXTURES / "halpe26_mmpose.json").poses[0].astype(np.float64)
    values = measurements(poses, get_layout("halpe26")).values
    asked: list[int] = []
    monkeypatch.setattr(person, "measurements", lambda x, *a, **k: asked.append(1) or measurements(x, *a, **k))
    out = person.refine_person(values, "smoothnet", "halpe26", {}, segments=False)
    assert not asked and out.shape == values.shape and np.isfinite(out).all()
    person.refine_person(values, "smoothnet", "halpe26", {})  # a caller that did not measure: measured here
    assert asked

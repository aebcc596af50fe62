"""2D bodies seen from high above (a squat trunk under full-width shoulders) are refined by SmoothNet,
wholly or in part, and the summary says so (synsp.inference.foreshortening; RESULTS section 4)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from synsp.inference.checkpoint import load_model
from synsp.inference.foreshortening import FORESHORTENED, fallback_share, trunk_ratio, with_fallback
from synsp.skeleton import get_layout

# 150 frames of a validation walk (coco17, px) seen by a fixed 1920 x 1080 camera at 0, 75 and 89
# degrees above it (synsp.data.camera.random_camera): clean, as a tracker of a still scene gives it.
VIEWS = np.load(Path(__file__).parent / "fixtures" / "cameras" / "seen_from_above.npz")


def moved(a: np.ndarray, b: np.ndarray) -> float:
    return float(np.linalg.norm(a - b, axis=-1).mean())


def test_trunk_ratio_reads_the_view_and_the_ramp_turns_it_into_smoothnets_share():
    coco = get_layout("coco17")
    side, above = trunk_ratio(VIEWS["elevation_0"], coco), trunk_ratio(VIEWS["elevation_89"], coco)
    assert side > 1.6 and above < 0.6
    assert fallback_share(side) == 0 and fallback_share(above) == 1
    assert fallback_share(np.mean(FORESHORTENED)) == pytest.approx(0.5)
    assert fallback_share(float("nan")) == 0
    assert np.isnan(trunk_ratio(np.zeros((5, 17, 2)), coco))  # no shoulder width: nothing told


def test_a_clean_walk_seen_from_above_keeps_its_values_and_a_side_view_is_synsps():
    model = load_model("synsp-coco17")
    out = model.refine(VIEWS["elevation_89"], fps=30)
    assert model.from_above == 1
    assert moved(out, VIEWS["elevation_89"]) < 0.5  # before: 9.9 px (SmoothNet 0.13)
    model.refine(VIEWS["elevation_0"], fps=30)
    assert model.from_above == 0


def test_jitter_seen_from_above_ends_as_near_as_smoothnets_and_nearer_than_the_input():
    clean = VIEWS["elevation_75"]
    noisy = clean + np.random.default_rng(0).normal(0, 2.5, clean.shape).astype(np.float32)
    synsp_out = load_model("synsp-coco17").refine(noisy, fps=30)
    smoothnet_out = load_model("smoothnet-coco17").refine(noisy, fps=30)
    assert moved(synsp_out, clean) < 1.02 * moved(smoothnet_out, clean) < moved(noisy, clean)


def test_refine_says_the_track_was_seen_from_above(tmp_path):
    src, dst = tmp_path / "above.npy", tmp_path / "refined.npy"
    np.save(src, VIEWS["elevation_89"])
    run = subprocess.run([sys.executable, "-m", "synsp", "refine", str(src), str(dst), "--fps", "30"],
                         capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert "seen from above: the trunk is 0." in run.stdout + run.stderr
    assert moved(np.load(dst), VIEWS["elevation_89"]) < 0.5


def test_between_the_ramps_ends_the_networks_large_corrections_pass_and_small_ones_do_not():
    fallback = np.zeros((4, 17, 2), np.float32)
    network = fallback.copy()
    network[0, 9] = [30.0, 40.0]  # 50 px apart: a wrist the network took back from a neighbour
    network[1, 9] = [3.0, 4.0]  # 5 px: its pull towards the bodies it learnt
    out = with_fallback({"final": network}, fallback, share=0.5, size=400.0)["final"]  # threshold 0.5 x 5 % x 400
    assert np.linalg.norm(out[0, 9]) == pytest.approx(40.0) and np.allclose(out[1:], 0)
    assert out.dtype == np.float32
    np.testing.assert_array_equal(with_fallback({"final": network}, fallback, share=1, size=400.0)["final"], fallback)

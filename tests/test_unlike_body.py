"""Poses that are no human body the model knows (an animal with COCO's names) get SmoothNet's output."""
from __future__ import annotations

import numpy as np
from tests.walking import walking

import synsp
from synsp.inference.checkpoint import load_model

# a macaque on all fours, side view, COCO-17 names (as MacaquePose labels it), pixels, y down:
# head in front, shoulders and hips at one height, paws below them
ON_ALL_FOURS = np.array([
    [0, -60], [-4, -66], [4, -66], [14, -64], [18, -64],                  # nose, eyes, ears
    [40, -50], [46, -50], [42, -22], [48, -22], [40, 8], [46, 8],          # shoulders, elbows, front paws
    [150, -52], [156, -52], [152, -24], [158, -24], [150, 8], [156, 8],    # hips, knees, back paws
], dtype=np.float64)


def walking_on_all_fours(n_frames: int = 120, noise: float = 2.0, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    """(clean, noisy) (T, 17, 2) pixels: a quadruped pacing left at 1.5 Hz, paws swinging."""
    t = np.arange(n_frames)[:, None] / 30.0
    swing = np.zeros((n_frames, 17, 2))
    phase = np.sin(2 * np.pi * 1.5 * t)
    swing[:, [9, 16], 0], swing[:, [10, 15], 0] = 12 * phase, -12 * phase
    swing[:, [7, 14], 0], swing[:, [8, 13], 0] = 6 * phase, -6 * phase
    clean = [600, 400] + ON_ALL_FOURS + swing - np.stack([40 * t, 0 * t], -1)[:, None]
    return clean, clean + np.random.default_rng(seed).normal(0, noise, clean.shape)


def test_an_animal_with_coco_names_gets_smoothnet_and_is_nearer_its_truth():
    clean, noisy = walking_on_all_fours()
    model = load_model("synsp-coco17")
    out = model.refine(noisy.astype(np.float32))
    assert model.unlike_body
    smoothnet = load_model("smoothnet-coco17").refine(noisy.astype(np.float32))
    np.testing.assert_allclose(out, smoothnet, atol=1e-5)
    before, after = (np.linalg.norm(a - clean, axis=-1).mean() for a in (noisy, synsp.refine(noisy, layout="coco17")))
    assert after < before


def test_a_person_is_refined_by_synsp():
    _, noisy = walking()
    model = load_model("synsp-coco17")
    model.refine(noisy.astype(np.float32))
    assert not model.unlike_body

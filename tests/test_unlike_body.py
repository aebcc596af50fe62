"""Poses that are no human body the model knows (an animal with COCO's names) get SmoothNet's output."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from tests.walking import walking

import synsp
from synsp.inference.checkpoint import load_model

# 120 frames of a synthetic macaque walking on all fours, labelled with COCO's 17 names (as
# MacaquePose does), 2-px jitter, and its truth: a new user's test file (RESULTS section 11,
# "Bodies that are not human"), where SynSP pulled it towards a person's joints (4.6 x worse; the
# fourth-stage 2D model 3.8 x).
MACAQUE = Path(__file__).parent / "fixtures" / "skeletons" / "macaque_coco17.npz"


def test_an_animal_with_coco_names_gets_smoothnet_and_is_nearer_its_truth():
    macaque = np.load(MACAQUE)
    noisy, clean = macaque["noisy"], macaque["clean"]
    model = load_model("synsp-coco17")
    out = model.refine(noisy)
    assert model.unlike_body
    np.testing.assert_allclose(out, load_model("smoothnet-coco17").refine(noisy), atol=1e-5)
    before, after = (np.linalg.norm(a - clean, axis=-1).mean() for a in (noisy, synsp.refine(noisy)))
    assert after < 0.8 * before


def test_a_person_is_refined_by_synsp():
    _, noisy = walking()
    model = load_model("synsp-coco17")
    model.refine(noisy.astype(np.float32))
    assert not model.unlike_body

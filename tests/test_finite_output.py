"""A refinement that comes out NaN where its input held values is never given as refined: the fallback's output,
said in one line, or one line of error with no fallback."""
from __future__ import annotations

from types import SimpleNamespace

import numpy as np
import pytest

from synsp.errors import InternalError
from synsp.inference.finite_output import finite_or_fallback, unfinite


def _given() -> np.ndarray:
    x = np.random.default_rng(0).normal(0, 100, (1, 40, 17, 3))
    x[0, :, 7] = np.nan  # a joint never seen: NaN out there is no fault
    return x


def test_unfinite_counts_nan_only_where_the_input_held_values():
    given = _given()
    out = np.nan_to_num(given)
    out[0, :, 7] = np.nan
    assert unfinite({"final": out}, given) == 0
    out[0, 3:5, 8] = np.nan  # a step made the thorax NaN in two frames
    out[0, 6, 9, 2] = np.inf
    assert unfinite({"final": out}, given) == 3


def test_a_nan_refinement_gives_the_fallbacks_output_and_says_so_in_one_line():
    given = _given()
    fallback = np.full((40, 17, 3), 5.0)
    refiner = SimpleNamespace(kind="synsp", fallback=lambda: None, not_finite=0, turn=np.eye(3), limb_drift=[0.1])
    way = SimpleNamespace(fallback_output=lambda: fallback)
    good = {"final": np.nan_to_num(given[0])}
    assert finite_or_fallback(refiner, good, given, way) is good and refiner.not_finite == 0
    with pytest.warns(UserWarning, match=r"came out NaN in 2 of 640 joint values .*refined by SmoothNet instead") as w:
        out = finite_or_fallback(refiner, good, given, way, broken=2)  # NaN before the low-pass, which filled it
    assert len(w) == 1 and "\n" not in str(w[0].message)
    assert out["final"] is fallback and refiner.not_finite == 2
    assert refiner.turn is None and refiner.limb_drift is None  # SynSP's steps are not in it: none reported
    bad = {"final": good["final"].copy()}
    bad["final"][:, 8] = np.nan
    refiner.fallback = None
    with pytest.raises(InternalError, match=r"came out NaN in 40 of 640 joint values .*no fallback"):
        finite_or_fallback(refiner, bad, given, way)


def test_a_file_whose_refinement_came_out_nan_is_written_as_smoothnets_and_said(tmp_path, monkeypatch):
    """The audit's file (a spine never seen, --lowpass 0) came out NaN, was written as the input with rc 0 and
    summed up as "scored below 0.3" (it has no scores) and "-2192 joint values left missing". A step that makes NaN
    (here any: the thorax made NaN after the bone step) now gives SmoothNet's output, said in one line."""
    import synsp.inference.refiner as refiner_module
    from synsp.refining.files import refine_file
    from test_conventions import walking

    bones = refiner_module.constant_bone_lengths

    def nan_thorax(out, *args, **kwargs):
        out = bones(out, *args, **kwargs).copy()
        out[..., 8, :] = np.nan
        return out

    monkeypatch.setattr(refiner_module, "constant_bone_lengths", nan_thorax)
    x = (walking(60) + np.random.default_rng(1).normal(0, 10, (60, 17, 3))).astype(np.float32)
    np.save(tmp_path / "in.npy", x)
    with pytest.warns(UserWarning, match="came out NaN .* refined by SmoothNet instead"):
        summary = str(refine_file(tmp_path / "in.npy", tmp_path / "out.npy", fps=30, lowpass_hz=0, layout="h36m17"))
    out = np.load(tmp_path / "out.npy")
    assert np.isfinite(out).all() and not np.allclose(out, x)
    assert "scored below" not in summary and "left missing" not in summary
    # the review's finding: the summary still told of SynSP's limb drift and joint definitions, not in the output
    assert "limbs:" not in summary and "joint definitions:" not in summary

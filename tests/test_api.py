"""The Python API as the README and the docstrings show it: one call shape for every method,
the functions the package exports, and odd arrays refused or read as the files are."""
from __future__ import annotations

import subprocess
import sys

import numpy as np
import pytest

import synsp
from conftest import needs_data
from synsp.errors import CheckpointError
from synsp.model import NETWORKS


def _walk(t: int = 60, j: int = 17, seed: int = 0) -> np.ndarray:
    """A jittery 3D body in mm (T, J, 3): a fixed pose plus a small random walk."""
    rng = np.random.default_rng(seed)
    body = rng.normal(0, 200, (1, j, 3))
    return (body + np.cumsum(rng.normal(0, 3, (t, j, 3)), axis=0)).astype(np.float32)


@pytest.mark.parametrize("method", list(synsp.METHODS))
def test_fps_is_taken_by_every_method(method):
    """README: ``synsp.refine(noisy, "one-euro", fps=30)   # same call for every method``; a
    frame-based filter takes ``fps=`` and ignores it."""
    x = _walk()
    out = synsp.refine(x, method, fps=30)
    assert out.shape == x.shape and np.isfinite(out).all()
    if method not in ("one-euro", "butterworth", *NETWORKS):
        np.testing.assert_array_equal(out, synsp.refine(x, method))
        np.testing.assert_array_equal(synsp.METHODS[method](x, fps=30), synsp.METHODS[method](x))


@pytest.mark.parametrize("method", list(synsp.METHODS))
def test_fps_none_means_no_rate_given_for_every_method(method):
    """``fps=None`` (a caller passing on a file's unknown rate) is the default, as the networks
    read it: the filters crashed on it with a TypeError from ``np.isfinite``."""
    x = _walk()
    np.testing.assert_array_equal(synsp.refine(x, method, fps=None), synsp.refine(x, method))


def test_a_gap_limit_in_seconds_works_with_a_frame_filter():
    x = _walk()
    x[10:40, 3] = np.nan  # 30 frames: 1 s at 30 fps
    out = synsp.refine(x, "savgol", fps=30, max_gap="0.5s")
    assert np.isnan(out[10:40, 3]).all() and np.isfinite(np.delete(out, 3, axis=1)).all()


def test_refine_file_is_reached_from_the_package(tmp_path):
    """README: ``refine_file(..., max_gap="0.5s")``, reached as ``synsp.refine_file`` (the function of
    :mod:`synsp.refining.files`), whether or not that module was imported first."""
    x = _walk(t=40)
    x[5:30, 2] = np.nan
    np.save(tmp_path / "in.npy", x)
    summary = synsp.refine_file(tmp_path / "in.npy", tmp_path / "out.npy", method="savgol", max_gap="0.5s",
                                fps=30)
    assert summary.frames == 40 and np.isnan(np.load(tmp_path / "out.npy")[5:30, 2]).all()
    from synsp.refining.files import refine_file

    assert synsp.refine_file is refine_file and "refine_file" in synsp.__all__
    code = ("import synsp, numpy as np; import synsp.refining.files as m; "
            f"s = synsp.refine_file({str(tmp_path / 'in.npy')!r}, {str(tmp_path / 'o2.npy')!r}, method='median'); "
            "print(s.frames, synsp.refine_file is m.refine_file)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["40", "True"]


def test_a_tensor_that_requires_grad_is_refined_as_its_values():
    torch = pytest.importorskip("torch")
    x = _walk(t=30)
    tensor = torch.tensor(x, requires_grad=True)
    out = synsp.refine(tensor, "savgol")
    assert isinstance(out, np.ndarray)
    np.testing.assert_array_equal(out, synsp.refine(x, "savgol"))
    np.testing.assert_array_equal(synsp.refine(tensor * 1.0), synsp.refine(x))  # a non-leaf tensor too


@pytest.mark.parametrize("method", list(synsp.METHODS))
def test_inf_is_missing_like_nan_quietly(method, recwarn):
    """inf (and -inf, and absurd values, as the file readers read them) is a missing value: the
    result is the one for NaN there, and nothing warns."""
    x = _walk(t=60)
    x[:, :, 0] += np.arange(17) * 50  # a body with some extent
    with_inf, with_nan = x.copy(), x.copy()
    with_inf[10] = np.inf
    with_inf[20, 3, 0] = -np.inf
    with_inf[30, 5, 1] = 1e12
    with_nan[10] = with_nan[20, 3] = with_nan[30, 5] = np.nan
    out = synsp.refine(with_inf, method)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)], [str(w.message) for w in recwarn]
    np.testing.assert_array_equal(out, synsp.refine(with_nan, method))
    assert np.isnan(out[10]).all()  # no joint seen in that frame: the person is not invented there
    assert np.isfinite(np.delete(out, 10, axis=0)).all()


def test_the_refiner_reads_inf_as_missing_quietly(recwarn):
    model = synsp.load_model("synsp-h36m17")
    x = _walk(t=40)
    with_inf, with_nan = x.copy(), x.copy()
    with_inf[10, 4] = np.inf
    with_nan[10, 4] = np.nan
    out = model.refine(with_inf)
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)], [str(w.message) for w in recwarn]
    np.testing.assert_array_equal(out, model.refine(with_nan))


@pytest.mark.parametrize("shape", [(30, 17, 3), (30, 17, 2), (2, 30, 17, 2)])
def test_poses_at_zero_everywhere_are_nothing_detected(shape):
    """(0, 0) is how estimators write "not found"; a sequence that is 0 everywhere has nothing in
    it, refused as an all-NaN one is (and as synsp refine refuses such a file)."""
    with pytest.raises(synsp.errors.MissingDataError, match="exactly 0 in every frame"):
        synsp.refine(np.zeros(shape))


def test_a_view_at_zero_everywhere_is_missing_beside_a_seen_one():
    x = np.stack([_walk(t=30, j=17)[..., :2] + 500, np.zeros((30, 17, 2), np.float32)])
    out = synsp.refine(x, "savgol")
    assert np.isnan(out[1]).all() and np.isfinite(out[0]).all()


def test_a_file_at_zero_everywhere_is_refused(tmp_path, capsys):
    from synsp.cli import main

    np.save(tmp_path / "z.npy", np.zeros((30, 17, 3)))
    assert main(["refine", str(tmp_path / "z.npy"), str(tmp_path / "out.npy")]) == 2
    assert "exactly 0 in every frame" in capsys.readouterr().err
    assert not (tmp_path / "out.npy").exists()


def test_docstrings_say_what_the_code_does():
    import inspect

    from synsp.inference.refiner import Refiner
    from synsp.model.dct import dct_matrix
    from synsp.model.synsp import SynSPConfig

    method_text = synsp.refine.__doc__.split("method :")[1].split("max_gap :")[0]
    assert [m for m in synsp.METHODS if f'"{m}"' not in method_text] == []
    speed = [name for name, p in inspect.signature(Refiner.__init__).parameters.items()
             if p.kind is inspect.Parameter.KEYWORD_ONLY]
    assert [name for name in speed if f"``{name}``" not in synsp.load_model.__doc__] == []
    doc = " ".join(SynSPConfig.__doc__.split())
    assert "deviat" in doc and "docs/deviations.md" in doc
    assert all(name in doc for name in ("pose_residual", "spectral_output", "spectral_gain"))
    m = dct_matrix(8, dtype=torch_float64())
    assert np.allclose((m @ m.T).numpy(), np.eye(8))
    raw = dct_matrix(8, dtype=torch_float64(), orthonormal=False)
    assert not np.allclose((raw @ raw.T).numpy(), np.eye(8))  # so the inverse claim holds for orthonormal only
    returns = " ".join(dct_matrix.__doc__.split("Returns")[1].split())
    assert "only for ``orthonormal=True``" in returns


def torch_float64():
    import torch

    return torch.float64


def _by_hand(name: str, *, all_steps: bool = True):
    """The bare network as a researcher set it up attribute by attribute (``all_steps``: also the
    two steps that had no public attribute before network_only: error undoing and root smoothing)."""
    r = synsp.load_model(name, stride=1, taper=False, quantize=False)
    r.keep_convention, r.bone_strength, r.mirror_windows, r.upright = False, 0.0, False, False
    r.follow_pace, r.trained_size, r.lowpass_hz, r.max_lean = False, False, None, None
    r.mean_anchor = False  # the 3D body placed by its root joint, as the bare network's output is
    r.give_back_motion = False  # synsp.inference.oversmoothing, a step added after network_only
    r.keep_clean = False  # and synsp.inference.white_noise's, taken with the clean-input step (white noise here)
    r.leaned = r.hips_flexed = r.bent_frames = None  # leaned_trunk's give-ways to SmoothNet, added after network_only
    r.edge_pad = False  # the clip's ends extended before the windows (inference.edge_pad), added after network_only
    r.heading = False  # each 3D window turned to the body's heading (inference.heading), added after network_only
    if all_steps:
        r.undo_errors = r.smooth_root = False
    return r


@pytest.mark.parametrize("name", ["synsp-coco17", "smoothnet-coco17"])
def test_network_only_is_the_network_set_up_by_hand(name):
    from walking import walking

    noisy = walking(n_frames=60)[1]
    bare = synsp.load_model(name, network_only=True)
    assert bare.stride == 1 and bare.weights is None and not bare.quantized and bare.network_only
    out = bare.refine(noisy, floor=False)
    np.testing.assert_array_equal(out, _by_hand(name).refine(noisy, floor=False))
    np.testing.assert_array_equal(bare.refine(noisy), out)  # its floor step is off too
    # on poses without glitches, held values or inversions the researcher's eight attributes were enough
    np.testing.assert_array_equal(out, _by_hand(name, all_steps=False).refine(noisy, floor=False))
    if name.startswith("synsp"):  # SynSP's default does more; SmoothNet's runs this bare on such poses
        assert not np.array_equal(out, synsp.load_model(name).refine(noisy))
    kind = name.split("-")[0]
    np.testing.assert_array_equal(synsp.refine(noisy, kind, network_only=True), out)


@needs_data
def test_network_only_in_3d_and_from_the_command_line(tmp_path):
    from synsp.cli import main
    from synsp.data.mocap import load_clip
    from synsp.data.simulator import corrupt
    from synsp.data.splits import load_split

    clean = load_clip(load_split("test")[0])[:120]
    noisy = corrupt(clean, "typical", rng=0).noisy.astype(np.float32)
    out = synsp.load_model("synsp-h36m17", network_only=True).refine(noisy)
    np.testing.assert_array_equal(out, _by_hand("synsp-h36m17").refine(noisy, floor=False))
    np.save(tmp_path / "in.npy", noisy)
    assert main(["refine", str(tmp_path / "in.npy"), str(tmp_path / "out.npy"), "--network-only"]) == 0
    np.testing.assert_allclose(np.load(tmp_path / "out.npy"), out, atol=1e-3)
    with pytest.raises(synsp.errors.OptionError, match="network-only is for the network methods"):
        synsp.refine_file(tmp_path / "in.npy", tmp_path / "o2.npy", method="savgol", network_only=True)


def test_a_checkpoint_without_method_refines_with_its_network():
    """As ``synsp refine --checkpoint C`` without --method: the checkpoint says which network it is;
    a method that disagrees with it is still refused."""
    x = _walk(t=60)
    np.testing.assert_array_equal(synsp.refine(x, checkpoint="smoothnet-h36m17"), synsp.refine(x, "smoothnet"))
    with pytest.raises(CheckpointError):
        synsp.refine(x, "synsp", checkpoint="smoothnet-h36m17")

"""The mmpose 0.x drop-in, against a stand-in for mmpose's filter registry (mmpose 0.x does not
install here): registered by custom_imports, built from filter_cfg, called as Smoother calls it."""
from __future__ import annotations

import importlib
import re
import sys
import types
from pathlib import Path

import numpy as np
import pytest

from synsp.filters import one_euro
from walking import mean_accel, mpjpe, walking

README = Path(__file__).resolve().parents[1] / "README.md"
BUILDER = "mmpose.core.post_processing.temporal_filters.builder"


class Registry:
    """The part of mmcv's Registry that mmpose's FILTERS uses: register_module, get, build."""

    def __init__(self, name):
        self.name, self.modules = name, {}

    def register_module(self, name=None, force=False, module=None):
        def register(cls):
            for key in name if isinstance(name, list) else [name or cls.__name__]:
                if key in self.modules and not force:
                    raise KeyError(f"{key} is already registered in {self.name}")
                self.modules[key] = cls
            return cls
        return register(module) if module is not None else register

    def get(self, key):
        return self.modules.get(key)

    def build(self, cfg):
        cfg = dict(cfg)
        return self.get(cfg.pop("type"))(**cfg)


@pytest.fixture
def filters(monkeypatch):
    """A fake mmpose 0.x in sys.modules; synsp.integrations.mmpose imported afresh against it."""
    registry = Registry("filters")
    parts = BUILDER.split(".")
    for i in range(1, len(parts) + 1):
        monkeypatch.setitem(sys.modules, ".".join(parts[:i]), types.ModuleType(".".join(parts[:i])))
    sys.modules[BUILDER].FILTERS = registry
    sys.modules[BUILDER].build_filter = registry.build
    monkeypatch.delitem(sys.modules, "synsp.integrations.mmpose", raising=False)
    yield registry
    sys.modules.pop("synsp.integrations.mmpose", None)  # the next import sees the real (absent) mmpose


def smooth_online(registry, filter_cfg, frames):
    """What mmpose 0.x's Smoother does frame by frame for one track: the filter sees the last
    window_size - 1 frames of history plus the new one; the last output frame is kept."""
    padding = registry.build(filter_cfg).window_size - 1
    pose_filter, history, out = registry.build(filter_cfg), None, []
    for frame in frames:
        pose = frame[None] if history is None else np.concatenate([history, frame[None]])
        history = pose[-padding:].copy() if padding > 0 else None
        out.append(pose_filter(pose)[-1])
    return np.stack(out)


def readme_config() -> dict:
    """The filter config file shown in README's mmpose section, run as mmcv's Config would."""
    section = README.read_text().split("### mmpose 0.x")[1]
    code = re.search(r"```python\n(.*?)```", section, re.S).group(1)
    namespace: dict = {}
    exec(code, namespace)  # a config file is Python
    return namespace


def test_readme_config_registers_and_builds_the_filter(filters):
    cfg = readme_config()
    for module in cfg["custom_imports"]["imports"]:  # what mmcv does with custom_imports
        importlib.import_module(module)
    from synsp.integrations.mmpose import SynSPFilter

    assert filters.get("SynSPFilter") is SynSPFilter
    pose_filter = filters.build(cfg["filter_cfg"])
    assert pose_filter.window_size == 8  # the network's window: the Smoother passes 7 frames of history
    clean, noisy = walking()
    out = pose_filter(noisy)
    assert out.shape == noisy.shape and out.dtype == noisy.dtype
    assert mean_accel(out) < 0.3 * mean_accel(noisy) and mpjpe(out, clean) < mpjpe(noisy, clean)


@pytest.mark.parametrize("method", ["synsp", "smoothnet", "savgol", "one-euro"])
def test_smoother_style_online_calls_keep_the_shape_and_smooth(filters, method):
    importlib.import_module("synsp.integrations.mmpose")
    cfg = dict(type="SynSPFilter", method=method, fps=30)
    clean, noisy = walking(60)
    out = smooth_online(filters, cfg, noisy)
    assert out.shape == noisy.shape and np.isfinite(out).all()
    # One-Euro's default follows motion closely (0.5 Hz, 50 per body size) and keeps more jitter: RESULTS section 16
    assert mean_accel(out[10:]) < (0.85 if method == "one-euro" else 0.6) * mean_accel(noisy[10:])


@pytest.mark.parametrize("t", [1, 3, 8])
def test_short_sequences_and_one_frame(filters, t):
    importlib.import_module("synsp.integrations.mmpose")
    _, noisy = walking(t)
    out = filters.build(dict(type="SynSPFilter"))(noisy.astype(np.float32))
    assert out.shape == (t, 17, 2) and out.dtype == np.float32 and np.isfinite(out).all()
    assert mpjpe(out, noisy) < 20  # stays on the person


def test_3d_in_metres_keeps_its_unit(filters):
    importlib.import_module("synsp.integrations.mmpose")
    rng = np.random.default_rng(0)
    pose = rng.normal(0, 0.25, (17, 3))  # h36m-17 joints spread over a metre
    clean = pose + np.sin(np.arange(40) / 6)[:, None, None] * [0.1, 0.0, 0.05]
    noisy = clean + rng.normal(0, 0.01, clean.shape)
    out = filters.build(dict(type="SynSPFilter", method="smoothnet"))(noisy)
    assert out.shape == noisy.shape and mpjpe(out, noisy) < 0.05  # metres in, metres out


def test_one_euro_keeps_its_state_across_calls_like_mmpose(filters):
    importlib.import_module("synsp.integrations.mmpose")
    _, noisy = walking(30)
    online = smooth_online(filters, dict(type="SynSPFilter", method="one-euro", fps=30), noisy)
    np.testing.assert_allclose(online, one_euro(noisy, fps=30), atol=1e-9)


def test_bad_config_and_input(filters):
    importlib.import_module("synsp.integrations.mmpose")
    with pytest.raises(ValueError, match="unknown method"):
        filters.build(dict(type="SynSPFilter", method="nope"))
    with pytest.raises(ValueError, match="window_size"):
        filters.build(dict(type="SynSPFilter", method="savgol", window_size=0))
    with pytest.raises(ValueError, match=r"\[T, K, C\]"):
        filters.build(dict(type="SynSPFilter", method="savgol"))(np.zeros((5, 17)))


def test_without_mmpose_nothing_is_registered():
    sys.modules.pop("synsp.integrations.mmpose", None)
    module = importlib.import_module("synsp.integrations.mmpose")
    assert module.FILTERS is None and module.SynSPFilter(method="savgol").window_size == 31


def test_offline_a_clip_with_frames_dropped_is_refined_as_synsp_refine_refines_its_csv(filters, tmp_path):
    """Offline (the whole clip, as the Smoother passes it) the frames the capture skipped are read from the motion
    and refined as gaps, as ``synsp refine`` reads a key-less CSV's; the filter once refined them as even frames,
    up to 20.8 px from the CLI (a 2D mocap walk, three frames dropped). Cell for cell at the file's precision."""
    import pandas as pd

    from synsp.refining.files import refine_file
    from synsp.skeleton import LAYOUTS

    _, noisy = walking(90, noise=0.5, fps=10.0)  # fast for its rate: a drop stands out of the noise
    kept = np.delete(noisy, [30, 60], axis=0)
    names = [f"{joint}_{axis}" for joint in LAYOUTS["coco17"].joints for axis in "xy"]
    pd.DataFrame(kept.reshape(len(kept), -1), columns=names).to_csv(tmp_path / "in.csv", index=False)
    summary = refine_file(tmp_path / "in.csv", tmp_path / "out.csv")
    assert "drops:" in str(summary)
    cli = pd.read_csv(tmp_path / "out.csv", float_precision="round_trip")[names].to_numpy(np.float32)
    given = pd.read_csv(tmp_path / "in.csv", float_precision="round_trip").to_numpy().reshape(kept.shape)
    importlib.import_module("synsp.integrations.mmpose")
    out = filters.build(dict(type="SynSPFilter", method="synsp"))(given.astype(np.float32))
    np.testing.assert_array_equal(out.reshape(cli.shape), cli)


def test_online_a_window_reads_no_drops_as_refine_track_refines_it(filters):
    """Online (the Smoother's window, ``window_size`` frames, no more) the frames the capture skipped are not read:
    the window is refined as refine_track refines it, bit for bit; a clip no longer than the window reads none."""
    from synsp.refining.person import refine_track

    _, noisy = walking(90, noise=0.5, fps=10.0)
    window = np.delete(noisy, [30, 60], axis=0)[:60].astype(np.float32)
    importlib.import_module("synsp.integrations.mmpose")
    out = filters.build(dict(type="SynSPFilter", method="synsp", window_size=60))(window)
    np.testing.assert_array_equal(out, refine_track(window, layout="coco17", method="synsp"))
    offline = filters.build(dict(type="SynSPFilter", method="synsp", window_size=10))(window)
    assert np.abs(offline - out).max() > 1.0  # the window holds a drop the whole clip's reading refines as a gap

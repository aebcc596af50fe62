"""The package layout: dependencies point one way, no import cycle, torch only where a
network runs, and a new network, joint layout or file format goes in through one table."""
from __future__ import annotations

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

import synsp
from synsp.formats import FORMATS, Format, PoseData, read_poses, write_poses
from synsp.skeleton import LAYOUTS, Layout

PACKAGE = Path(synsp.__file__).parent

# What each part may import besides itself, the numpy core at the top and the network table
# (synsp.model, torch-free until a network is built); the networks import nothing else. The
# refining package is layered within itself: image_size, methods, input_layout, converted_layout, person, arrays,
# then tracks, uneven_times, summary, give_way_notes, motion, files, batch.
CORE = {"errors", "skeleton", "sequence", "sentinels", "channels", "metrics", "config", "paths", "filters",
        "odd_extension", "filter_input", "one_euro", "filter_options", "conventions", "medians",
        "consistency", "model", "rotations", "motion_pace", "estimator_errors", "units", "memo", "lockstep",
        "stack_axes", "heap", "score_levels"}
REFINING = {"refining.image_size", "refining.image_order", "refining.methods", "refining.input_layout",
            "refining.person", "refining.arrays", "refining.tracks", "refining.uneven_times", "refining.summary",
            "refining.give_way_notes",
            "refining.route_notes", "refining.motion", "refining.file_channels", "refining.files", "refining.batch",
            "refining.second_trial", "refining.refill", "refining.strided", "refining.bursts",
            "refining.no_layout", "refining.segment_values", "refining.stretches", "refining.progress",
            "refining.earlier_pass", "refining.dropped_frames",
            "refining.motion_people", "refining.clock_cuts", "refining.file_paths", "refining.held_motion",
            "refining.motion_spin", "refining.missing_frames", "refining.converted_layout", "refining.copied_joints",
            "refining.file_units", "refining.angle_curves", "refining.id_exchanges", "refining.still_gaps"}
ALLOWED = {
    "core": set(),
    "formats": set(),
    "data": {"formats"},
    "inference": set(),
    "training": {"data", "inference", "evaluation"},
    "evaluation": {"data", "inference", "formats", "viz"} | REFINING,
    "viz": {"formats", "refining.file_channels", "refining.summary"},  # files read as refine reads them
    "refining.image_size": {"refining.image_order"},
    "refining.image_order": set(),
    "refining.strided": set(),  # a detector run on every k-th frame: its grid, told from the frames
    "refining.dropped_frames": set(),  # frames dropped from a file with no times: told from the steps
    "refining.clock_cuts": set(),  # cuts on an uneven clock, read at the file's frames
    "refining.refill": set(),  # a second look at gappy input: the refiner handed in
    "refining.bursts": set(),  # bursts of noise read from the input; the route handed in
    "refining.stretches": set(),  # a long span's stretches, each deciding its route; their outputs faded together
    "refining.progress": set(),  # a long file's bar on a terminal
    "refining.copied_joints": set(),  # joints that copy another: found, left out, given back; the rest handed in
    "refining.methods": {"inference", "refining.refill"},
    "refining.input_layout": {"refining.methods"},
    "refining.no_layout": {"inference", "refining.methods"},  # joints of no layout: SmoothNet or a low-pass
    "refining.segment_values": {"inference"},  # gaps beyond the model's joints, from their segment
    # a layout the model's is converted from; the person's refinement handed in
    "refining.converted_layout": {"inference", "refining.methods", "refining.segment_values"},
    "refining.person": {"inference", "refining.methods", "refining.input_layout",
                        "refining.bursts", "refining.no_layout", "refining.segment_values",
                        "refining.converted_layout", "refining.file_units", "refining.still_gaps"},
    "refining.still_gaps": set(),  # a long gap in still joints: a line between the refined ends
    "refining.arrays": {"inference", "refining.image_size", "refining.methods", "refining.input_layout",
                        "refining.person", "refining.strided", "refining.stretches", "refining.dropped_frames",
                        "refining.copied_joints"},
    # inference.low_rate: glitches read as the Refiner reads them
    "refining.tracks": {"refining.arrays", "refining.strided", "refining.segment_values", "inference",
                        "refining.stretches", "refining.progress"},
    # a file's times, the rate resampler; a file with none: its drops
    "refining.uneven_times": {"formats", "inference", "refining.tracks", "refining.dropped_frames",
                              "refining.clock_cuts"},
    "refining.route_notes": {"inference", "refining.arrays"},  # the layout's route, said before the figures
    # the steps' own notes
    "refining.file_units": {"formats"},  # a 3D file's unit: stated, given (--units) or told from the body's size
    "refining.summary": {"formats", "inference", "refining.image_size", "refining.arrays", "refining.tracks",
                         "refining.strided", "refining.file_units"},
    "refining.give_way_notes": {"inference", "refining.tracks"},
    "refining.earlier_pass": {"formats", "refining.summary"},  # what a file's own mask of filled values says
    "refining.motion": {"formats", "refining.arrays", "refining.summary", "inference", "refining.motion_people",
                        "refining.held_motion", "refining.motion_spin", "refining.missing_frames"},
    "refining.motion_spin": {"formats", "inference"},  # a motion's spin about its vertical: out, refined, back
    # a motion held on a stride: its new frames refined (the weights of a line: inference.frame_rate)
    "refining.held_motion": {"formats", "inference", "refining.strided"},
    # refine_smpl's frames missing (NaN or rest-pose rows): bridged by held_motion's slerp, the refinement handed in
    "refining.missing_frames": {"formats", "refining.held_motion"},
    # a stacked SMPL file's people, each refined (a person's spans as one motion, bridged: missing_frames)
    "refining.motion_people": {"formats", "refining.summary", "refining.missing_frames"},
    "refining.file_channels": {"formats"},
    # a .mot's angle curves: a filter, not the networks
    "refining.angle_curves": {"formats", "refining.summary", "refining.file_paths", "refining.methods"},
    "refining.id_exchanges": {"formats"},  # a tracker's ids exchanged between people: relinked
    "refining.files": {"formats", "inference"} | REFINING - {"refining.files", "refining.batch"},
    "integrations": {"formats", "refining.image_size", "refining.arrays", "refining.tracks", "refining.summary",
                     "refining.files", "refining.dropped_frames", "refining.uneven_times", "inference",
                     "refining.copied_joints"},
    "refining.batch": {"formats", "refining.tracks", "refining.summary", "refining.files", "refining.progress",
                       "refining.second_trial", "refining.file_paths"},  # file_paths: OUT beside each TRC of a batch
    "refining.second_trial": {"formats"},  # an OUT that is another trial's file, before the work
    "refining.file_paths": {"formats"},  # IN and OUT checked before the work; OUT's default beside a TRC
    "cli": {"formats", "evaluation", "training", "inference", "viz", "integrations"} | REFINING - {
        "refining.motion", "refining.file_channels", "refining.motion_people", "refining.held_motion",
        "refining.motion_spin", "refining.missing_frames"},
}


def _part(module: str) -> str:
    """'synsp.inference.refiner' -> 'inference'; 'synsp.refining.files' -> 'refining.files'; core modules ->
    'core'; the package itself -> ''."""
    parts = module.split(".")
    name = parts[1] if len(parts) > 1 else ""
    if name in ("__init__", "__main__"):
        return ""
    if name == "model":
        return "model"
    if name == "refining" and len(parts) > 2:
        return "refining." + parts[2]
    return "core" if name in CORE else name


def _modules() -> dict[str, Path]:
    return {"synsp." + ".".join(p.relative_to(PACKAGE).with_suffix("").parts).removesuffix(".__init__"): p
            for p in PACKAGE.rglob("*.py")}


def _imports(path: Path, module_level_only: bool) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    nodes = tree.body if module_level_only else ast.walk(tree)
    found = set()
    for node in nodes:
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module.startswith("synsp"):
            found.add(node.module)
        elif isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("synsp")}
    return found


def test_every_part_imports_only_the_parts_below_it():
    wrong = []
    for module, path in _modules().items():
        part = _part(module)
        if part == "":
            continue
        for target in _imports(path, module_level_only=False):
            other = _part(target)
            below = {"model"} if part == "model" else {part, "core", "model", *ALLOWED[part]}
            if other and other not in below:  # "" is `from synsp import <core module>`
                wrong.append(f"{module} imports {target}")
    assert not wrong, wrong


def test_no_import_cycle():
    graph = {m: {t for t in _imports(p, module_level_only=True) if t != m} for m, p in _modules().items()}
    state: dict[str, int] = {}

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph.get(node, ()):
            if state.get(nxt) == 1:
                raise AssertionError("import cycle: " + " -> ".join(trail[trail.index(nxt):] + [nxt]))
            if nxt in graph and not state.get(nxt):
                visit(nxt, trail + [nxt])
        state[node] = 2

    for module in graph:
        if not state.get(module):
            visit(module, [module])


def test_import_and_filter_refinement_do_not_import_torch(tmp_path):
    source = tmp_path / "in.npy"
    np.save(source, np.random.default_rng(0).normal(size=(40, 17, 3)).astype(np.float32) * 10)
    code = textwrap.dedent(f"""
        import sys
        import numpy as np
        import synsp
        from synsp.cli import main
        synsp.refine(np.load({str(source)!r}), "savgol")
        main(["refine", {str(source)!r}, {str(tmp_path / 'out.npy')!r}, "--method", "one-euro"])
        print("torch" in sys.modules)
    """)
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip().splitlines()[-1] == "False", result.stdout + result.stderr
    assert (tmp_path / "out.npy").is_file()


def test_available_models_are_what_load_model_takes():
    names = synsp.available_models()
    assert {"synsp-h36m17", "synsp-coco17", "smoothnet-h36m17", "smoothnet-coco17"} <= set(names)
    assert synsp.load_model(names[0]).kind in ("synsp", "smoothnet")


# --- adding a network: a module, one row of synsp.model.NETWORKS, one loss ---------------

TOY_NETWORK = '''
from dataclasses import dataclass
import torch
from torch import nn

@dataclass
class ToyConfig:
    window: int = 4

    @classmethod
    def from_dict(cls, options):
        return cls(**options)

class Toy(nn.Module):
    """Each coordinate's window mixed by one learnt F x F matrix (starts as the identity)."""
    def __init__(self, config):
        super().__init__()
        self.mix = nn.Parameter(torch.eye(config.window))

    def forward(self, x):  # (B, V, F, D)
        return torch.einsum("gf,bvfd->bvgd", self.mix, x)
'''


def test_a_new_network_is_one_module_one_row_and_one_loss(tmp_path, monkeypatch):
    from synsp.config import Config
    from synsp.inference.checkpoint import build_model, load_model, save_checkpoint
    from synsp.model import NETWORKS, Network
    from synsp.training.loss import LOSSES, smoothnet_loss, training_loss

    (tmp_path / "toy_network.py").write_text(TOY_NETWORK)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(NETWORKS, "toy", Network("toy_network", "Toy", "ToyConfig", per_coordinate=True))
    monkeypatch.setitem(LOSSES, "toy", smoothnet_loss)
    # random poses have no body whose size dwarfs their noise, so the noise can read as a pace
    monkeypatch.setattr("synsp.inference.refiner.FOLLOW_PACE", False)

    config = Config.from_dict({"model": {"kind": "toy", "window": 4}, "data": {"space": "2d", "layout": "coco17"}})
    net = build_model(config)
    x = __import__("torch").randn(2, 1, 4, 6)
    assert training_loss("toy", net(x), x, lambda_p=1.0, lambda_a=0.1).item() == pytest.approx(0.0, abs=1e-6)
    save_checkpoint(tmp_path / "toy.pt", {"config": config.to_dict(), "state_dict": net.state_dict()})
    poses = np.random.default_rng(1).normal(size=(30, 5, 2)).astype(np.float32) * 100  # any joints: per coordinate
    assert load_model(tmp_path / "toy.pt").kind == "toy"
    out = synsp.refine(poses, "toy", checkpoint=str(tmp_path / "toy.pt"))
    np.testing.assert_allclose(out, poses, atol=1e-3)  # the identity mix gives the input back


# --- adding a joint layout: one entry of synsp.skeleton.LAYOUTS ------------------------------

def test_a_new_layout_is_one_entry_of_layouts(tmp_path, monkeypatch):
    from synsp.refining.files import refine_file

    toy = Layout("toy3", ("head", "left_hand", "right_hand"), ((0, 1), (0, 2)), ((1, 2),), root=0)
    monkeypatch.setitem(LAYOUTS, "toy3", toy)
    poses = np.cumsum(np.random.default_rng(2).normal(size=(1, 50, 3, 2)), axis=1)
    header = ",".join(f"{joint}_{axis}" for joint in toy.joints for axis in "xy")
    source = tmp_path / "toy.csv"
    np.savetxt(source, poses[0].reshape(50, -1), delimiter=",", header=header, comments="")
    assert read_poses(source).layout == "toy3"  # found by its joint names
    summary = refine_file(source, tmp_path / "out.csv", method="savgol")
    out = read_poses(tmp_path / "out.csv")
    assert out.layout == "toy3" and out.poses.shape == poses.shape and summary.frames == 50


# --- adding a file format: a module with read/write and one row of FORMATS -----------------

TOY_FORMAT = '''
import numpy as np
from synsp.formats.posedata import PoseData
from synsp.paths import atomic_path

def read(path):
    rows = np.loadtxt(path, ndmin=2)
    return PoseData(poses=rows.reshape(1, len(rows), -1, 2), format="toyfmt")

def write(path, data, fmt="toyfmt"):
    with atomic_path(path) as tmp:
        np.savetxt(tmp, data.poses[0].reshape(data.poses.shape[1], -1))
'''


def test_a_new_format_is_one_module_and_one_row_of_formats(tmp_path, monkeypatch):
    from synsp.refining.files import refine_file

    (tmp_path / "toy_format.py").write_text(TOY_FORMAT)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setitem(FORMATS, "toyfmt", Format("toy_format", (".toy",)))
    poses = np.cumsum(np.random.default_rng(3).normal(size=(1, 40, 4, 2)), axis=1)
    write_poses(tmp_path / "in.toy", PoseData(poses=poses))
    back = read_poses(tmp_path / "in.toy")
    assert back.format == "toyfmt"
    np.testing.assert_allclose(back.poses, poses)
    refine_file(tmp_path / "in.toy", tmp_path / "out.toy", method="gaussian")
    assert read_poses(tmp_path / "out.toy").poses.shape == poses.shape


@pytest.mark.parametrize("module", ["refining/files", "refining/tracks", "refining/summary", "cli", "refining/arrays",
                                    "refining/methods", "refining/input_layout",
                                    "refining/give_way_notes",
                                    "refining/stretches", "refining/progress", "refining/batch",
                                    "refining/person", "refining/converted_layout", "refining/copied_joints",
                                    "skeleton/layouts", "skeleton/pose_geometry",
                                    "skeleton/holistic", "skeleton/conversions", "skeleton/head_points",
                                    "inference/refiner", "inference/give_way", "inference/input_frame",
                                    "inference/network_windows", "inference/heading", "inference/edge_pad",
                                    "inference/convention_pass", "inference/floor_up",
                                    "inference/root_track", "inference/streaming", "inference/stream_output",
                                    "inference/stream_convention", "inference/stream_bones", "inference/stream_fill",
                                    "inference/stream_switches", "inference/stream_cuts",
                                    "inference/stream_centre_cuts", "inference/stream_path_cuts",
                                    "inference/stream_white_noise", "inference/noise_only", "inference/stream_pan",
                                    "inference/alternation", "inference/unseen_motion", "inference/wide_stance",
                                    "inference/fast_limbs",
                                    "inference/stream_unseen_motion",
                                    "inference/stream_noise_only", "inference/stream_risk_choice",
                                    "inference/stream_clean", "inference/half_pace", "inference/planted_feet",
                                    "inference/joint_drift", "inference/limb_turn", "inference/stream_joint_drift",
                                    "inference/records",
                                    "inference/stream_limb_turn", "inference/stream_layouts",
                                    "inference/stream_corrections", "inference/joint_corrections",
                                    "inference/handedness", "inference/stream_handedness",
                                    "integrations/stream",
                                    "integrations/stream_lines",
                                    "integrations/stream_repeats", "integrations/stream_copies", "units",
                                    "filters", "one_euro", "filter_input", "sequence", "channels"]
                         # the formats package, every module of it (its __init__ too)
                         + sorted(f"formats/{path.stem}" for path in (PACKAGE / "formats").glob("*.py")))
def test_refine_modules_are_short_and_document_every_public_function(module):
    """``synsp refine`` in parts of one idea each (files, tracks, summary), each under 400 lines,
    with a docstring on every public function and class; the parts stay importable from synsp.refining.files."""
    import synsp.refining.files

    path = PACKAGE / f"{module}.py"
    assert len(path.read_text(encoding="utf-8").splitlines()) <= 400
    tree = ast.parse(path.read_text(encoding="utf-8"))
    public = [node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.ClassDef))
              and not node.name.startswith("_")]
    assert public and not [node.name for node in public if not ast.get_docstring(node)]
    for name in synsp.refining.files.__all__:
        assert getattr(synsp.refining.files, name).__doc__, name

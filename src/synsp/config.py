"""Training configuration: one TOML file, three sections, every field documented here.

A config file only lists what it changes::

    [model]
    kind = "synsp"          # a key of synsp.model.NETWORKS: "synsp" or "smoothnet"
    [data]
    preset = "typical"
    [train]
    epochs = 20

Unknown keys are errors (a typo must not silently train the default).
"""
from __future__ import annotations

import sys
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from synsp.model import NETWORKS

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the same parser, from PyPI
    import tomli as tomllib

TRAINING_FPS = 30.0  # the mocap's frame rate: every shipped network was trained at it
DEFAULT_LAYOUT = {"3d": "h36m17", "2d": "coco17", "rotation": "smpl24"}  # the shipped networks' joints, by space
# numbers per joint the network sees, by space; "rotation": local joint rotations of the SMPL tree as 6D
N_COORDS = {"3d": 3, "2d": 2, "rotation": 6}


def model_space_layout(n_coords: int) -> str:
    """The shipped networks' layout for poses of ``n_coords`` coordinates (``h36m17`` in 3D, ``coco17`` in 2D): the
    joints a network refines without a checkpoint of its own, and those a layout's others are beyond."""
    return DEFAULT_LAYOUT["3d" if n_coords == 3 else "2d"]


@dataclass
class DataConfig:
    """What the network sees: clean mocap windows and their simulated estimator output."""

    layout: str = "h36m17"  # joint layout of inputs and targets
    # "3d": root-relative mm; "2d": pixels through random virtual cameras; "rotation": the SMPL
    # 24-joint tree's local rotations as 6D (layout, scale, proportions unused; conventions in
    # degrees; presets are synsp.data.rotation_errors.ROTATION_PRESETS names)
    space: str = "3d"
    # error presets and their mixing weights
    presets: dict[str, float] = field(default_factory=lambda: {"typical": 1.0})
    severity: tuple[float, float] = (0.8, 1.25)  # per-clip multiplier range of every error amplitude (robustness)
    views: int = 1  # V: estimates of the same moment fed together (1 = single sequence)
    # V > 1: "cameras" (same motion, independent errors) or "random" (other clips as persons)
    multi_view: str = "cameras"
    stride: int = 1  # stride between training windows inside a clip
    windows_per_epoch: int = 0  # 0 = every window of every clip; otherwise a random subset of this size
    scale: tuple[float, float] = (0.85, 1.15)  # random body-size factor (paper: 0.9-1.1; wider for unseen people)
    # per-clip random bone-length factor in 1 +- this (left/right alike): other people, other mocap
    proportions: float = 0.0
    # per-clip joint-convention offsets (mm, before projection in 2D) up to U(0, this) per local axis:
    # other skeletons' joint definitions ("rotation": rest-frame turns up to this many degrees)
    conventions: float = 0.0
    time_scale: tuple[float, float] = (0.7, 1.5)  # random playback-speed factor: robustness to frame rate and tempo
    # motions the mocap does not hold (synsp.data.novel_motion): the probability that each arm
    # (each leg at half of it) moves as in another clip, and the log-speed wander within a clip
    limb_mixing: float = 0.0
    time_warp: float = 0.0
    # postures no actor held (synsp.data.novel_motion.bend_posture): trunk, head and limbs turned
    # about their joints by up to this many degrees (0: off), in this share of the clips (the rest
    # keep the actors' postures, so that what the model learnt of them is not traded away)
    posture_bends: float = 0.0
    posture_bend_share: float = 1.0
    # {layout: probability}: a clip's errors drawn in another skeleton (Halpe-26, BODY-25,
    # MediaPipe-33 built from the mocap) and converted to `layout`, input and target alike, as a
    # file of that skeleton reaches the model (synsp.refining.arrays.refine_track)
    input_layouts: dict[str, float] = field(default_factory=dict)
    flip: bool = True  # random left/right mirror
    # "none", "yaw", "yaw+tilt" (yaw and up to 30 deg of tilt, half of the clips: any rotation)
    rotation: str = "yaw+tilt"
    val_clips: int = 0  # 0 = whole validation split; otherwise its first N clips (fast smoke runs)
    train_clips: int = 0  # 0 = whole train split; otherwise its first N clips
    # weight of each Bandai dataset's windows ({"1": w1, "2": w2}) when windows_per_epoch draws a
    # subset; {} = every window alike. Dataset 2 is many takes of ten motions, dataset 1 varied.
    dataset_weights: dict[str, float] = field(default_factory=dict)
    # Your own clean clips instead of the Bandai split's (synsp.training.own_clips): a folder or a
    # glob (relative to the working directory) of .npy/.npz arrays (T, J, 3) in `layout`, world
    # positions in millimetres, Y up, 30 fps, as the Bandai loader gives them (2D training projects
    # them through its random cameras). Errors are still simulated by `presets`. Validation clips:
    # `own_val_clips` (another folder or glob), else a share `own_val_share` of `own_clips` drawn
    # with `own_split_seed`. The files used are recorded in the checkpoint's meta.
    own_clips: str = ""
    own_val_clips: str = ""
    own_val_share: float = 0.2
    own_split_seed: int = 0


# The learning rate of a fine-tune (init_from) whose config sets none: at 1e-3 one epoch on 10 clips of one
# preset took the shipped 3D model's 10 mm white-noise walk from 8.67 to 9.79 mm (its floor measured), at 1e-4
# to 8.69 (benchmarks/RESULTS.md section 8); the shipped models' later stages were trained at 1e-4 to 3e-4.
FINE_TUNE_LR = 1e-4


@dataclass
class TrainConfig:
    """Optimisation, bookkeeping and hardware."""

    epochs: int = 30
    batch_size: int = 256
    lr: float = 1e-3  # Adam (amsgrad), as in the authors' recipe; FINE_TUNE_LR when init_from is set and lr is not
    lr_decay: float = 0.93  # multiplied into lr after every epoch
    weight_decay: float = 0.0
    lambda_p: float = 1.0  # Eq. 4 position weight
    lambda_a: float = 1.0  # Eq. 4 acceleration weight (paper: 1 for 3D, 0.1 for 2D)
    lambda_fk: float = 1.0  # space "rotation": weight of the loss on joint positions (m) after forward kinematics
    seed: int = 0
    device: str = "auto"  # "auto" (CUDA when available), "cpu", "cuda", "cuda:1", ...
    threads: int = 0  # torch CPU threads per process; 0 = leave torch's default
    out_dir: str = "runs/default"  # checkpoints, config copy and log go here
    max_minutes: float = 0.0  # stop after the epoch that crosses this wall-clock budget (0 = no limit)
    # fine-tune: start from this checkpoint's (file or shipped name) weights; same [model], fresh optimizer
    init_from: str = ""
    # distil: also match this trained network's outputs (file or shipped name; same kind and layout),
    # with this share of the loss (the rest is the ground truth's). A student with fewer layers
    # than init_from's model starts from its layers (synsp.training.distill).
    teacher: str = ""
    teacher_weight: float = 0.5
    progress: bool = True  # tqdm progress bar with loss and ETA
    # clean clips (train split's, or own_clips' training files) on which the end of a run measures best.pt's floor,
    # as `synsp floor` does; SynSP models of positions only; 0: not measured (refined with the whole correction)
    floor_clips: int = 40


@dataclass
class Config:
    """Everything a training run needs; stored inside every checkpoint."""

    model: dict[str, Any] = field(default_factory=lambda: {"kind": "synsp"})
    data: DataConfig = field(default_factory=DataConfig)
    train: TrainConfig = field(default_factory=TrainConfig)

    def to_dict(self) -> dict[str, Any]:
        return {"model": dict(self.model), "data": asdict(self.data), "train": asdict(self.train)}

    @classmethod
    def from_dict(cls, raw: dict[str, Any], *, source: str = "config") -> "Config":
        """Build from a plain dict (a parsed TOML file or a checkpoint's copy)."""
        unknown = set(raw) - {"model", "data", "train"}
        if unknown:
            raise ValueError(f"{source}: unknown section(s) {sorted(unknown)}; expected model, data, train")
        model = {"kind": "synsp", **raw.get("model", {})}
        if model["kind"] not in NETWORKS:
            raise ValueError(f"{source}: model.kind must be one of {', '.join(map(repr, NETWORKS))}, "
                             f"got {model['kind']!r}")
        _check_model_keys(model, f"{source} [model]")
        data = _section(DataConfig, raw.get("data", {}), f"{source} [data]")
        if data.space not in N_COORDS:
            raise ValueError(f"{source} [data]: space must be one of {', '.join(N_COORDS)}, got {data.space!r}")
        train = dict(raw.get("train", {}))
        if train.get("init_from") and "lr" not in train:
            train["lr"] = FINE_TUNE_LR
        return cls(model=model, data=data, train=_section(TrainConfig, train, f"{source} [train]"))


def _check_model_keys(model: dict[str, Any], where: str) -> None:
    """A typo in ``[model]`` fails here, naming the section and the keys its network knows, as the
    other sections do (the network's own config would name neither). Imports the network's module."""
    from synsp.model import network_classes

    known = {"kind", *(f.name for f in fields(network_classes(model["kind"])[1]))}
    unknown = set(model) - known
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; known: {sorted(known)}")


def _section(kind: type, raw: dict[str, Any], where: str) -> Any:
    names = {f.name: f for f in fields(kind)}
    unknown = set(raw) - set(names)
    if unknown:
        raise ValueError(f"{where}: unknown key(s) {sorted(unknown)}; known: {sorted(names)}")
    values = {k: tuple(v) if isinstance(v, list) and names[k].type.startswith("tuple") else v for k, v in raw.items()}
    return kind(**values)


def load_config(path: str | Path) -> Config:
    """Read a TOML training config; missing keys take the documented defaults."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"config file not found: {path}")
    try:
        raw = tomllib.loads(path.read_text())
    except tomllib.TOMLDecodeError as err:
        raise ValueError(f"{path}: not valid TOML ({err})") from None
    return Config.from_dict(raw, source=str(path))

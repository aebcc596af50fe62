"""Checkpoints that carry their own config, and ``load_model(name_or_path)``.

A checkpoint is a plain dict ``{"config", "state_dict", "meta"}`` (training checkpoints add
``"optimizer"``, ``"scheduler"``, ``"epoch"``, ``"history"``, ``"rng"``), loadable with
``torch.load(..., weights_only=True)``: no pickled classes, so loading never runs code.
"""
from __future__ import annotations

import warnings
from functools import lru_cache
from pathlib import Path
from typing import Any

import torch

from synsp.config import DEFAULT_LAYOUT, N_COORDS, Config
from synsp.errors import CheckpointError, DeviceError, InputNotFoundError
from synsp.inference.refiner import Refiner
from synsp.model import get_network, network_classes
from synsp.paths import atomic_path, resource
from synsp.rotations.smpl_template import SMPL_JOINTS
from synsp.skeleton import get_layout, makes_up_face

# The shipped models are the files synsp/resources/models/<name>.pt; each network kind has
# one per space, named <kind>-<layout> (configs/ holds how each was trained).
DEFAULT_MODEL = {space: f"synsp-{layout}" for space, layout in DEFAULT_LAYOUT.items()}


def available_models() -> list[str]:
    """Names of the models shipped with the package, for :func:`load_model`
    (e.g. ``"synsp-h36m17"``, ``"synsp-h36m17-mv"`` for several views, ``"smoothnet-coco17"``)."""
    return sorted(path.stem for path in resource("models").glob("*.pt"))


def default_model(kind: str = "synsp", space: str = "3d") -> str:
    """The shipped model of network ``kind`` for ``space`` ("3d", "2d" or "rotation")."""
    get_network(kind)
    return f"{kind}-{DEFAULT_LAYOUT[space]}"


# The 2D model for skeletons without a face (H36M-17, MPI-INF-3DHP's 17, MPII-16, LSP-14): the default
# fine-tuned with every clip drawn in those skeletons, so that it knows the face their conversion
# makes up (configs/synsp-coco17-faceless.toml; benchmarks/RESULTS.md, section 11,
# "2D skeletons without a face").
FACELESS_MODEL = "synsp-coco17-faceless"


def shipped_model_for(kind: str, space: str, layout: str | None) -> str:
    """The shipped model of network ``kind`` that refines ``space``'s ("2d" or "3d") poses in ``layout``
    (None: not told): :data:`FACELESS_MODEL` for SynSP on 2D poses whose conversion to its joints makes
    the face up (:func:`synsp.skeleton.makes_up_face`), else :func:`default_model`."""
    if kind == "synsp" and space == "2d" and layout is not None and makes_up_face(layout, DEFAULT_LAYOUT["2d"]):
        return FACELESS_MODEL
    return default_model(kind, space)


def available_devices() -> list[str]:
    """The torch devices this machine can run on, for error messages: cpu, cuda:N, mps."""
    devices = ["cpu"] + [f"cuda:{i}" for i in range(torch.cuda.device_count())]
    mps = getattr(torch.backends, "mps", None)
    if mps is not None and mps.is_available():
        devices.append("mps")
    return devices


def resolve_device(device: str | torch.device | None) -> torch.device:
    """``None``/"auto" -> CUDA when available, else CPU; anything else as given, once checked to
    exist here (an unavailable device is a one-line DeviceError naming the available ones)."""
    if device is None or device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError):
        raise DeviceError(f"device {device!r} is not a torch device; use cpu, cuda, cuda:N or auto") from None
    available = available_devices()
    if dev.type == "cpu":
        # torch has one CPU device; "cpu:0" names it too, but torch.load cannot map onto an indexed CPU
        return torch.device("cpu")
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise DeviceError(f"device {device!r}: CUDA is not available on this machine; available: "
                          f"{', '.join(available)} (or auto)")
    usable = dev.type in {d.split(":")[0] for d in available} and (
        dev.type != "cuda" or dev.index is None or dev.index < torch.cuda.device_count())
    if not usable:
        raise DeviceError(f"device {device!r} is not available on this machine; available: {', '.join(available)} "
                          "(or auto)")
    return dev


def build_model(config: Config) -> torch.nn.Module:
    """A fresh network for ``config``; joint count and 2D/3D come from the data section."""
    kind = config.model["kind"]
    model_class, config_class = network_classes(kind)
    options = {k: v for k, v in config.model.items() if k != "kind"}
    if not get_network(kind).per_coordinate:  # a per-coordinate network is blind to joints and coordinates
        rotation = config.data.space == "rotation"  # the SMPL tree, whatever the layout says
        options["n_joints"] = len(SMPL_JOINTS) if rotation else len(get_layout(config.data.layout).joints)
        options["n_coords"] = N_COORDS[config.data.space]
    return model_class(config_class.from_dict(options))


def save_checkpoint(path: str | Path, payload: dict[str, Any]) -> None:
    """Write ``payload`` atomically (a crash mid-write leaves the previous file intact)."""
    with atomic_path(path) as tmp:
        torch.save(payload, tmp)


def load_checkpoint(path: str | Path, device: str | torch.device = "cpu") -> dict[str, Any]:
    """Read a checkpoint dict with ``weights_only=True``; clear errors for missing or foreign files."""
    path = Path(path)
    if not path.is_file():
        names = ", ".join(available_models())
        raise InputNotFoundError(f"checkpoint {path}: no such file, nor a shipped model (shipped: {names})")
    try:
        payload = torch.load(path, map_location=device, weights_only=True)
    except Exception as err:  # torch raises many types for corrupt or foreign files
        raise CheckpointError(f"{path}: not a readable synsp checkpoint ({_load_failure(err)})") from None
    if not isinstance(payload, dict) or not {"config", "state_dict"} <= set(payload):
        raise CheckpointError(f"{path}: not a synsp checkpoint (needs 'config' and 'state_dict')")
    if not isinstance(payload["config"], dict) or not isinstance(payload["state_dict"], dict):
        raise CheckpointError(f"{path}: not a synsp checkpoint ('config' and 'state_dict' must be dicts)")
    return payload


def _load_failure(err: Exception) -> str:
    """Why torch could not load a file, in one line, without torch's advice to load it unsafely:
    synsp never unpickles code (``weights_only=False``), whatever the file says."""
    text = " ".join(str(err).split())
    lower = text.lower()
    if isinstance(err, EOFError) or any(w in lower for w in ("eof", "invalid load key", "zip archive", "operand")):
        return "empty, truncated or not a torch file"
    if "weights only load failed" in lower or "weights_only" in lower:
        return "it holds pickled Python objects, which synsp does not load"
    return f"{type(err).__name__}: {text[:160]}"


def shipped_path(name: str) -> Path:
    """Path of a model shipped with the package, by name (one of :func:`available_models`)."""
    names = available_models()
    if name not in names:
        raise CheckpointError(f"unknown model {name!r}; shipped models: {', '.join(names)}")
    return resource("models") / f"{name}.pt"


def model_path(name_or_path: str | Path) -> Path:
    """The checkpoint file meant by ``name_or_path``: an existing file, else a shipped model's name."""
    path = Path(name_or_path)
    if not path.is_file() and str(name_or_path) in available_models():
        return shipped_path(str(name_or_path))
    return path


def checkpoint_kind(name_or_path: str | Path) -> str:
    """The network kind ("synsp", "smoothnet") a checkpoint's config names, read without building the
    model: a check of the kind fails before :func:`load_model` would warn of a floor not measured."""
    kind = load_checkpoint(model_path(name_or_path))["config"].get("model", {}).get("kind", "synsp")
    return str(kind)


def trained_network(name_or_path: str | Path, device: str | torch.device | None = None, *,
                    rotation: bool) -> tuple[torch.nn.Module, Config, dict[str, Any], torch.device]:
    """(model, config, checkpoint payload, device) of a trained network, its weights checked
    (they fit its config and are finite). ``rotation``: whether a model of joint rotations
    (``[data] space = "rotation"``) is expected; the other kind is a one-line CheckpointError."""
    if not isinstance(name_or_path, (str, Path)):
        raise CheckpointError(f"model must be a shipped model's name or a checkpoint path, got {name_or_path!r}")
    path = model_path(name_or_path)
    dev = resolve_device(device)
    payload = load_checkpoint(path, dev)
    try:
        config = Config.from_dict(payload["config"], source=str(path))
    except (ValueError, TypeError, KeyError) as err:  # a config that does not describe a network synsp builds
        raise CheckpointError(f"{path}: its config does not build a network ({' '.join(str(err).split())[:160]})") \
            from None
    if config.data.space == "rotation" and not rotation:
        raise CheckpointError(f"{path}: a model of joint rotations, not of positions; load it with "
                              "synsp.inference.rotation_refiner.load_rotation_model, or refine an SMPL file with it")
    if config.data.space != "rotation" and rotation:
        raise CheckpointError(f"{path}: a model of {config.data.space.upper()} positions, not of joint rotations")
    try:
        model = build_model(config).to(dev)
    except (ValueError, TypeError, KeyError) as err:
        raise CheckpointError(f"{path}: its config does not build a network ({' '.join(str(err).split())[:160]})") \
            from None
    state = payload["state_dict"]
    try:
        model.load_state_dict(state)
    except (RuntimeError, TypeError, AttributeError, ValueError) as err:  # names/shapes its own config does not build
        first = str(err).strip().splitlines()[1:2] or [str(err)[:200]]
        raise CheckpointError(f"{path}: weights do not fit the checkpoint's config ({first[0].strip()})") from None
    bad = [name for name, value in state.items() if value.is_floating_point() and not torch.isfinite(value).all()]
    if bad:
        raise CheckpointError(f"{path}: non-finite weights in {bad[0]} (and {len(bad) - 1} more); "
                              "the checkpoint is broken")
    return model, config, payload, dev


def load_model(name_or_path: str | Path, device: str | torch.device | None = None, **speed: Any) -> Refiner:
    """Rebuild a trained model from a checkpoint's own config.

    Parameters
    ----------
    name_or_path : a shipped model's name (``"synsp-h36m17"``, ``"synsp-coco17"``, ...) or a
        checkpoint file written by ``synsp train``.
    device : ``None`` picks CUDA when available, else CPU.
    **speed : ``stride``, ``pull_stride``, ``quantize``, ``convention_passes``, ``taper``: the
        :class:`Refiner`'s speed options
        (default: the measured defaults, benchmarks/RESULTS.md section 15); ``network_only=True``:
        the bare network, every step around it off and its windows merged by SWAA's plain mean at
        stride 1, as the paper runs it (:class:`Refiner`).

    Returns
    -------
    Refiner whose ``refine(poses)`` maps (T, J, C) or (V, T, J, C) arrays to the same shape.
    """
    model, config, payload, dev = trained_network(name_or_path, device, rotation=False)
    refiner = Refiner(model, config, dev, dict(payload.get("meta", {})), **speed)
    if refiner.floor is None and not refiner.network.per_coordinate and not speed.get("network_only"):
        # A checkpoint fresh from `synsp train`: without its floor step the shipped 2D model's own weights
        # took 4 validation clips' jitter-only input to 1.08 x instead of 0.67 (benchmarks/RESULTS.md, section 10).
        warnings.warn(f"{name_or_path}: the model's floor is not measured, so its small corrections are kept "
                      f"whole (run `synsp floor {name_or_path} OUT.pt` once)", stacklevel=2)
    if not refiner.network.per_coordinate:  # poses that are no human body it knows: SmoothNet's output
        refiner.fallback = lru_cache(maxsize=1)(lambda: load_model(default_model("smoothnet", refiner.space),
                                                                   device=dev))
    return refiner


def export_model(checkpoint: str | Path, path: str | Path, *, note: str = "", half: bool = True) -> dict[str, Any]:
    """Write the inference part of a training checkpoint (``best.pt`` or ``last.pt``) to ``path``.

    Keeps ``config`` and ``state_dict`` (float16 when ``half``: half the size; :func:`load_model`
    casts back to float32, and outputs move by ~1e-4 of their scale). ``meta`` records the
    source run: its epochs, training seconds and validation history (from ``last.pt`` beside
    the checkpoint, if present) and ``note`` (e.g. the training command and the data licence).
    Returns the meta written.
    """
    src = Path(checkpoint)
    payload = load_checkpoint(src)
    meta = dict(payload.get("meta", {}))
    last = src.with_name("last.pt")
    run = payload if "history" in payload else load_checkpoint(last) if last.is_file() else None
    if run is not None:
        meta.update(trained_epochs=run["epoch"], train_seconds=round(run["seconds"]),
                    history=[{k: round(v, 4) if isinstance(v, float) else v for k, v in e.items()}
                             for e in run["history"]])
    if note:
        meta["note"] = note
    out = Path(path)
    if out.exists() and out.resolve() == src.resolve():
        raise ValueError(f"{out}: export target is the source checkpoint")
    dtype = torch.float16 if half else torch.float32
    state = {k: v.to(dtype) if v.is_floating_point() else v for k, v in payload["state_dict"].items()}
    save_checkpoint(out, {"config": payload["config"], "state_dict": state, "meta": meta})
    return meta

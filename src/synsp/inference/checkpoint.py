"""Checkpoints that carry their own config, and ``load_model(name_or_path)``.

A checkpoint is a plain dict ``{"config", "state_dict", "meta"}`` (training checkpoints add
``"optimizer"``, ``"scheduler"``, ``"epoch"``, ``"history"``, ``"rng"``), loadable with
``torch.load(..., weights_only=True)``: no pickled classes, so loading never runs code.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import torch

from synsp.config import DEFAULT_LAYOUT, Config
from synsp.inference.refiner import Refiner
from synsp.model import get_network, network_classes
from synsp.paths import atomic_path, resource
from synsp.skeleton import get_layout

# The shipped models are the files synsp/resources/models/<name>.pt; each network kind has
# one per space, named <kind>-<layout> (configs/ holds how each was trained).
DEFAULT_MODEL = {space: f"synsp-{layout}" for space, layout in DEFAULT_LAYOUT.items()}


def available_models() -> list[str]:
    """Names of the models shipped with the package, for :func:`load_model`
    (e.g. ``"synsp-h36m17"``, ``"synsp-h36m17-mv"`` for several views, ``"smoothnet-coco17"``)."""
    return sorted(path.stem for path in resource("models").glob("*.pt"))


def default_model(kind: str = "synsp", space: str = "3d") -> str:
    """The shipped model of network ``kind`` for ``space`` ("3d" or "2d")."""
    get_network(kind)
    return f"{kind}-{DEFAULT_LAYOUT[space]}"


def resolve_device(device: str | torch.device | None) -> torch.device:
    """``None``/"auto" -> CUDA when available, else CPU; anything else as given."""
    if device is None or device == "auto":
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError) as err:
        raise ValueError(f"device {device!r} is not a torch device ({err}); use cpu, cuda, cuda:N or auto") from None
    if dev.type == "cuda" and not torch.cuda.is_available():
        raise ValueError(f"device {device!r}: CUDA is not available on this machine; use cpu or auto")
    return dev


def build_model(config: Config) -> torch.nn.Module:
    """A fresh network for ``config``; joint count and 2D/3D come from the data section."""
    kind = config.model["kind"]
    model_class, config_class = network_classes(kind)
    options = {k: v for k, v in config.model.items() if k != "kind"}
    if not get_network(kind).per_coordinate:  # a per-coordinate network is blind to joints and coordinates
        options["n_joints"] = len(get_layout(config.data.layout).joints)
        options["n_coords"] = 3 if config.data.space == "3d" else 2
    return model_class(config_class.from_dict(options))


def save_checkpoint(path: str | Path, payload: dict[str, Any]) -> None:
    """Write ``payload`` atomically (a crash mid-write leaves the previous file intact)."""
    with atomic_path(path) as tmp:
        torch.save(payload, tmp)


def load_checkpoint(path: str | Path, device: str | torch.device = "cpu") -> dict[str, Any]:
    """Read a checkpoint dict with ``weights_only=True``; clear errors for missing or foreign files."""
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"checkpoint not found: {path}")
    try:
        payload = torch.load(path, map_location=device, weights_only=True)
    except Exception as err:  # torch raises many types for corrupt or foreign files
        raise ValueError(f"{path}: not a readable synsp checkpoint ({type(err).__name__}: {err})") from None
    if not isinstance(payload, dict) or not {"config", "state_dict"} <= set(payload):
        raise ValueError(f"{path}: not a synsp checkpoint (needs 'config' and 'state_dict')")
    return payload


def shipped_path(name: str) -> Path:
    """Path of a model shipped with the package, by name (one of :func:`available_models`)."""
    names = available_models()
    if name not in names:
        raise ValueError(f"unknown model {name!r}; shipped models: {', '.join(names)}")
    return resource("models") / f"{name}.pt"


def model_path(name_or_path: str | Path) -> Path:
    """The checkpoint file meant by ``name_or_path``: an existing file, else a shipped model's name."""
    path = Path(name_or_path)
    if not path.is_file() and str(name_or_path) in available_models():
        return shipped_path(str(name_or_path))
    return path


def load_model(name_or_path: str | Path, device: str | torch.device | None = None, **speed: Any) -> Refiner:
    """Rebuild a trained model from a checkpoint's own config.

    Parameters
    ----------
    name_or_path : a shipped model's name (``"synsp-h36m17"``, ``"synsp-coco17"``, ...) or a
        checkpoint file written by ``synsp train``.
    device : ``None`` picks CUDA when available, else CPU.
    **speed : ``stride``, ``pull_stride``, ``quantize``, ``convention_passes``: the
        :class:`Refiner`'s speed options
        (default: the measured defaults, benchmarks/RESULTS.md section 15).

    Returns
    -------
    Refiner whose ``refine(poses)`` maps (T, J, C) or (V, T, J, C) arrays to the same shape.
    """
    path = model_path(name_or_path)
    dev = resolve_device(device)
    payload = load_checkpoint(path, dev)
    config = Config.from_dict(payload["config"], source=str(path))
    model = build_model(config).to(dev)
    state = payload["state_dict"]
    try:
        model.load_state_dict(state)
    except RuntimeError as err:  # names or shapes that the checkpoint's own config does not build
        first = str(err).strip().splitlines()[1:2] or [str(err)[:200]]
        raise ValueError(f"{path}: weights do not fit the checkpoint's config ({first[0].strip()})") from None
    bad = [name for name, value in state.items() if value.is_floating_point() and not torch.isfinite(value).all()]
    if bad:
        raise ValueError(f"{path}: non-finite weights in {bad[0]} (and {len(bad) - 1} more); the checkpoint is broken")
    return Refiner(model, config, dev, dict(payload.get("meta", {})), **speed)


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

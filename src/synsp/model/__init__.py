"""Neural refiners: SynSP (CVPR 2024) and the SmoothNet baseline (ECCV 2022).

Both take windows ``(B, V, F, D)`` of normalised poses and return the same shape (SynSP a
named tuple of its three outputs). ``NETWORKS`` is the one table of networks: everything
else (configs, checkpoints, ``synsp.refine``, ``synsp refine``, ``synsp evaluate``,
training) reads it. A new network is a module here, one row below, and its loss in
:data:`synsp.training.loss.LOSSES`. Modules are imported on use: ``import synsp.model``
does not import torch.
"""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Network:
    """One kind of network.

    Attributes
    ----------
    module : dotted path of the module defining the classes below
    model, config : names of its ``torch.nn.Module`` (built from one config argument) and of
        its config dataclass (with ``from_dict``, as :class:`~synsp.model.config_dict.ConfigDict` gives it, and a
        ``window`` field: frames per window)
    outputs : what ``forward`` returns: one name for a tensor, or the fields of its named
        tuple; the refined sequence is ``"final"``
    per_coordinate : True when every coordinate's track is refined on its own: the network
        takes any joint set and has learnt no body (so no joint definitions to keep)
    """

    module: str
    model: str
    config: str
    outputs: tuple[str, ...] = ("final",)
    per_coordinate: bool = False


NETWORKS: dict[str, Network] = {
    "synsp": Network("synsp.model.synsp", "SynSP", "SynSPConfig", ("position", "acceleration", "final")),
    "smoothnet": Network("synsp.model.smoothnet", "SmoothNet", "SmoothNetConfig", per_coordinate=True),
}


def get_network(kind: str) -> Network:
    """The row of ``NETWORKS`` for ``kind``; ``ValueError`` naming the known kinds otherwise."""
    if kind not in NETWORKS:
        raise ValueError(f"unknown network kind {kind!r}; known: {', '.join(NETWORKS)}")
    return NETWORKS[kind]


def network_classes(kind: str) -> tuple[type, type]:
    """(model class, config class) of ``kind``; imports its module (and torch)."""
    network = get_network(kind)
    module = importlib.import_module(network.module)
    return getattr(module, network.model), getattr(module, network.config)


_EXPORTS = {"SynSP": "synsp", "SynSPConfig": "synsp", "SynSPOutput": "synsp",
            "SmoothNet": "smoothnet", "SmoothNetConfig": "smoothnet"}


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:  # the classes, on first use: they need torch
        return getattr(importlib.import_module(f"synsp.model.{_EXPORTS[name]}"), name)
    raise AttributeError(f"module 'synsp.model' has no attribute {name!r}")


__all__ = ["NETWORKS", "Network", "get_network", "network_classes", *_EXPORTS]

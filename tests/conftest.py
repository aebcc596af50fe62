"""Shared fixtures: one torch thread, tiny training configs and the skip marker for the shared data."""
from __future__ import annotations

import pytest
import torch

from synsp.config import Config

try:
    from synsp.paths import data_root

    data_root()
    HAVE_DATA = True
except FileNotFoundError:
    HAVE_DATA = False

needs_data = pytest.mark.skipif(not HAVE_DATA, reason="shared mocap data (../shared/data) not found")


@pytest.fixture(autouse=True)
def one_thread():
    """One torch thread: the tiny nets of the tests gain nothing from two, and on the shared 2-core
    machine a second thread competing with training runs makes them many times slower."""
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def tiny_config(out_dir, *, kind: str = "synsp", space: str = "3d", epochs: int = 1, floor_clips: int = 0,
                **data) -> Config:
    """A config that trains in a few seconds on CPU: a 1-layer net, 3 clips, 512 windows; no floor
    measured at the end unless ``floor_clips``."""
    model = {"kind": kind, "window": 8}
    if kind == "synsp":
        model.update(d_model=16, n_layers=1, n_heads=2, d_k=8, d_v=8, d_inner=16)
    else:
        model.update(hidden=32, res_hidden=16, n_blocks=1)
    return Config.from_dict({
        "model": model,
        "data": {"layout": "h36m17" if space == "3d" else "coco17", "space": space, "train_clips": 3,
                 "val_clips": 2, "windows_per_epoch": 512, **data},
        "train": {"epochs": epochs, "batch_size": 64, "out_dir": str(out_dir), "progress": False, "threads": 1,
                  "floor_clips": floor_clips},
    })

"""``synsp floor``: measure a model's floor on clean training clips and store it in its checkpoint.

The floor (:mod:`synsp.inference.floor`) is how far the model, with the refiner's default
steps but the clean-input one (:mod:`synsp.inference.clean`, which keeps clean poses' values
whatever the correction), moves clean poses: per joint, in body sizes, the median over the train split's first
clips (or a run's own training clips, ``[data] own_clips``). The refiner keeps a clip's correction in proportion
to it; a checkpoint without one (a model trained before it existed, or not yet measured) is refined without that
step. ``synsp train`` measures it into ``best.pt`` at the end of a run (``[train] floor_clips``).
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from synsp.evaluation.protocol import make_cases
from synsp.inference.checkpoint import load_checkpoint, load_model, model_path, save_checkpoint
from synsp.inference.floor import measure_floor
from synsp.skeleton import convert

__all__ = ["FLOOR_CLIPS", "calibrate_floor", "clip_layouts"]

FLOOR_CLIPS = 40  # clean train clips; the floor's median moved by < 3 % from 20 to 40 (3D)


def clip_layouts(input_layouts: dict[str, float], layout: str) -> dict[str, float]:
    """{layout: share of the clips} a model was trained on: its ``[data] input_layouts`` (the skeletons
    some clips' errors were drawn in, converted to ``layout``) and ``layout`` for the rest; a model
    trained on made-up faces alone (``synsp-coco17-faceless``) is measured on them, not on COCO's."""
    rest = 1.0 - sum(input_layouts.values())
    others = {name: share for name, share in input_layouts.items() if share}
    return {layout: rest, **others} if rest > 1e-9 else others


def calibrate_floor(source: str | Path, target: str | Path, *, clips: int = FLOOR_CLIPS,
                    own: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Measure the floor of the model ``source`` (file or shipped name) on the first ``clips``
    clean clips of the train split, in the layouts it was trained on (:func:`clip_layouts`), or of
    ``own`` ({name: (T, J, 3) mm} in the model's layout: a run's own training clips), and
    write the model with it (``meta["correction_floor"]``, (J,) floats) to ``target`` (atomically;
    it may be the source file). Returns the floor."""
    with warnings.catch_warnings():  # that the floor is not measured yet: what this measures
        warnings.simplefilter("ignore", UserWarning)
        model = load_model(source, device="cpu")
    model.shrink = 0.0  # the floor of the correction itself, not of its shrunk form
    model.lowpass_hz = None  # nor of its low-passed form: the refiner low-passes after the floor step
    model.keep_clean = False  # nor of what the clean-input step leaves of it: on clean clips, nearly nothing
    if own is not None:
        poses = [case.clean for case in make_cases("train", "none", layout=model.layout.name, space=model.space,
                                                   max_clips=clips, clips=own)]
    else:
        shares = clip_layouts(model.config.data.input_layouts, model.layout.name)
        poses = [convert(case.clean, layout, model.layout.name)
                 for layout, share in shares.items()
                 for case in make_cases("train", "none", layout=layout, space=model.space,
                                        max_clips=max(1, round(share * clips)))]
    floor = measure_floor(model.refine, poses)
    payload = load_checkpoint(model_path(source))
    payload.setdefault("meta", {}).update(correction_floor=[round(float(v), 6) for v in floor],
                                          correction_floor_clips=len(poses))
    save_checkpoint(target, payload)
    return floor

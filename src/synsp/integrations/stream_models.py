"""The network a live stream (:mod:`synsp.integrations.stream`) refines with: the checkpoint, else the shipped
model for the keypoints' layout and space."""
from __future__ import annotations

from synsp.config import DEFAULT_LAYOUT
from synsp.skeleton import can_convert


def stream_model(method: str, checkpoint: str | None, layout: str | None, space: str | None, device: str | None):
    """The network to stream with: the checkpoint, else the shipped model for layout/space."""
    from synsp.inference.checkpoint import available_models, default_model, shipped_model_for
    from synsp.refining.arrays import network_model

    named = f"{method}-{layout}"  # a shipped model of positions in this layout (smpl24's is of rotations)
    if checkpoint is None and layout is not None and named in available_models() \
            and named != default_model(method, "rotation") and space in (None, space_of(method, named)):
        checkpoint = named  # else (2D keypoints in H36M's order: 3D lifters' input) through the space's model
    elif checkpoint is None and space != "3d" and layout is not None:  # 2D keypoints without a face: its own model
        checkpoint = shipped_model_for(method, "2d", layout)
    # refine()'s loader: the shipped default for the space (2D unless told), cached, kind checked
    model = network_model(method, 3 if space == "3d" else 2, checkpoint, device)
    if space is not None and model.space != space:
        raise ValueError(f"checkpoint {checkpoint} refines {model.space.upper()} poses, not {space.upper()}")
    if layout is not None and not can_convert(layout, model.layout.name):  # else refined through it
        hint = " (3D keypoints: pass --space 3d)" if space is None and can_convert(layout, DEFAULT_LAYOUT["3d"]) else ""
        raise ValueError(f"{checkpoint or 'the shipped model'} refines {model.layout.name} joints, and {layout} "
                         f"does not convert to them{hint}; pass --method one-euro (any joints)")
    return model


def space_of(method: str, shipped: str) -> str | None:
    """"2d" or "3d": the space of the shipped model named ``shipped`` of network ``method``, if its default."""
    from synsp.inference.checkpoint import default_model

    return next((space for space in ("2d", "3d") if default_model(method, space) == shipped), None)

"""Which joint layout poses follow, for a refinement: the one given, the file's, or told from the
poses; and the layout a network refines."""
from __future__ import annotations

import os

import numpy as np

from synsp.config import model_space_layout
from synsp.errors import CheckpointError, LayoutError, ShapeError
from synsp.refining.methods import cached_model
from synsp.skeleton import LAYOUTS, Layout, follows_layout, guessed_layout

# The two 22-joint layouts, in words.
TWENTY_TWO = {"smpl22": "SMPL's body joints", "bandai22": "the Bandai mocap's skeleton"}


def layout_name(layout: str | Layout | None) -> str | None:
    """The ``layout=`` argument as a name: a name (or None) as given, checked later against the poses;
    a :class:`~synsp.skeleton.Layout` as its name, added to ``LAYOUTS`` when it is not there (a user's
    own skeleton: its joints named as a known layout's are found by name, :func:`synsp.skeleton.can_convert`).
    A Layout whose name ``LAYOUTS`` gives another layout, or anything else, is a one-line ``LayoutError``,
    not an AttributeError from deep inside the refinement."""
    if layout is None or isinstance(layout, str):
        return layout
    if isinstance(layout, Layout) and LAYOUTS.setdefault(layout.name, layout) == layout:
        return layout.name
    if isinstance(layout, Layout):
        raise LayoutError(f"layout: Layout {layout.name!r} is not the layout synsp.skeleton.LAYOUTS has under that "
                          "name; give yours another name")
    raise LayoutError(f"layout must be the name of a layout of synsp.skeleton.LAYOUTS, got {type(layout).__name__} "
                      f"{layout!r}")


def input_layout(poses: np.ndarray, declared: str | None, given: str | None, where: str | os.PathLike,
                guess: str | None, flag: str = "--layout", fit_given: bool = False) -> str | None:
    """The joint layout of ``poses`` (..., J, C) read from ``where``: ``given`` (--layout), else
    ``declared`` (the file's), else ``guess`` (the network's layout) when the joint counts agree
    (17 joints: COCO's, H36M's or MPI-INF-3DHP's order, whichever the poses follow, :func:`seventeen_joint_layout`;
    22 joints: the Bandai mocap's or SMPL's body, :func:`twenty_two_joint_layout`),
    else the one known layout with J joints (:func:`guessed_layout`), if the poses' bones fit it
    (:func:`synsp.skeleton.follows_layout`). Returns a name of ``LAYOUTS``, or None when nothing
    needs one (filters) or nothing fits (the networks then use SmoothNet alone); with ``fit_given``
    (asked once of a whole file or array: a 3-frame span shows too little), ``given`` too is told
    from the poses when its bones do not fit them; ``LayoutError``
    for an unknown layout or one whose joint count is not J, naming ``flag`` when ``given`` is wrong."""
    if given is not None and not given.strip():
        raise LayoutError(f"{flag} is empty; name a layout or leave it out")
    name = given or declared
    j = poses.shape[-2]
    if fit_given and given in LAYOUTS and guess is not None and len(LAYOUTS[given].joints) == j \
            and not follows_layout(poses, given):
        name = None  # the bones do not fit the layout told (H36M's joints told as COCO's: 94 mm off): told from them
    if name is None and guess is not None:
        name = guessed_layout(poses, guess)
        if name is not None and not follows_layout(poses, name):
            return None
    if name is None:
        return None
    what = flag if given else f"{where}: the file's layout"  # name the culprit: argument or file
    if name not in LAYOUTS:
        raise LayoutError(f"{what} {name!r} is unknown; supported: {', '.join(LAYOUTS)}")
    if len(LAYOUTS[name].joints) != j:
        has = f"{where} has" if given else "its poses have"
        count = len(LAYOUTS[name].joints)
        fewer = (f" (all {count} are needed, NaN for those absent, unless the file names its joints as DeepLabCut, "
                 "SLEAP and CSV do)") if given and flag == "--layout" and j < count else ""
        raise LayoutError(f"{what} {name} has {count} joints but {has} {j}{fewer}")
    return name


def model_layout(n_coords: int, checkpoint: str | os.PathLike | None = None, device: str | None = None) -> str:
    """Joint layout a network refines: the checkpoint's own, else the shipped default's.

    Parameters
    ----------
    n_coords : 2 (pixels) or 3 (millimetres), the input's C.
    checkpoint : a checkpoint file or shipped model name; None = the shipped default.
    device : where to load the checkpoint (it is cached for the refinement that follows).

    Returns
    -------
    Layout name, e.g. ``"h36m17"``. Raises ``ValueError`` when the checkpoint was trained
    on the other dimensionality.
    """
    if n_coords not in (2, 3):
        raise ShapeError(f"poses must have C = 2 or 3 coordinates, got {n_coords}")
    if checkpoint is None:
        return model_space_layout(n_coords)
    model = cached_model(str(checkpoint), device)
    if model.n_coords != n_coords:
        raise CheckpointError(f"checkpoint {checkpoint} refines {model.space.upper()} poses ({model.layout.name}); "
                         f"the input has C = {n_coords} coordinates")
    return model.layout.name

"""What route a file's joint layout takes to the networks, said before the figures: the model's own
joints, another order, a conversion (which joints SynSP refines, which SmoothNet), or joints of no
layout (:func:`synsp.refining.person.refine_track`); and a layout given by --layout that the poses' bones say is
another of its joint count (:func:`given_layout_notes`)."""
from __future__ import annotations

import numpy as np

from synsp.inference.risk_choice import LOWPASS_NOTE, WHITE_NOTE
from synsp.motion_pace import pace_groups
from synsp.refining.arrays import RIGID_TRUNK_COORDS, SEVENTEEN, TWENTY_TWO, loose_trunk_points, shared_joints
from synsp.sequence import body_size
from synsp.skeleton import BLOCKS, LAYOUTS, SHIPPED, can_convert, get_layout, reorders
from synsp.skeleton.bone_fit import better_layout

__all__ = ["KEPT_MOVE", "no_layout_route", "kept_clean_note", "layout_notes", "other_order_note", "given_layout_notes"]

# Body sizes: joints of no layout whose output is its input within this mean move were kept, not refined: SmoothNet's
# correction limited to the input's own noise (synsp.inference.clean), which smooth input (a 30 fps estimate
# resampled to 60-120 Hz: 4e-5 mm of 52 mm of error moved, audit 32 finding 5) or clean markers hardly have
KEPT_MOVE = 1e-4


def no_layout_route(method: str) -> str:
    """How network ``method`` refines joints of no layout (:func:`synsp.refining.person.refine_track`)."""
    return "SmoothNet, which works on any joints" + ("" if method == "smoothnet" else LOWPASS_NOTE)


def kept_clean_note(j_count: int, poses: np.ndarray, out: np.ndarray, scale: float, unit: str) -> str | None:
    """The line that takes the place of :func:`layout_notes`' for ``j_count`` joints of an unknown layout refined by a
    network when they came out as they came in (within :data:`KEPT_MOVE`): ``poses``, ``out`` (V, T, J, C) in the
    file's unit, ``scale`` * unit the summary's. None when they were refined (that line stands)."""
    both = np.isfinite(poses).all(-1) & np.isfinite(out).all(-1)
    if not both.any():
        return None
    move = float(np.linalg.norm((out - poses)[both], axis=-1).mean())
    size = float(np.nanmedian([body_size(track) for track in poses]))
    if not move <= KEPT_MOVE * size:
        return None
    return (_unknown_layout(j_count) + f"; kept as they came (moved {move * scale:.2g} {unit} on average): "
            "they read as clean, with no frame-to-frame noise above 0.8 of the Nyquist rate (as a smoothed estimate, "
            "one resampled to a higher rate, or a lab's markers show), and SmoothNet's correction is limited to the "
            "input's own noise; --method gaussian or butterworth smooths them anyway")


def layout_notes(name: str | None, target: str, method: str, j_count: int, c_count: int | None = None,
                 held: list[int] | None = None, checkpoint: str | None = None) -> list[str]:
    """What network ``method`` (whose model refines layout ``target``) does with the input's
    ``j_count`` joints of ``c_count`` coordinates in layout ``name`` (None: unknown), said before the
    figures; ``held``: the layout joints the file holds (a TRC's markers), when not all of them;
    ``checkpoint``: the model the user named (None: the shipped one for the layout)."""
    if name is None:
        return [f"{_unknown_layout(j_count)}; refined by {no_layout_route(method)}"]
    if name == target:
        return []
    if reorders(name, target):
        return [f"layout: {name}, the {target} model's joints in another order: refined in the model's order "
                "and given back in the input's"]
    if method == "smoothnet":
        return [f"layout: {name}, refined by SmoothNet joint by joint (it needs no conversion)"]
    if not can_convert(name, target, c_count):
        names = "" if name in SHIPPED else (" (its joints go through SynSP when their names hold coco17's or "
                                            "h36m17's)")
        return [f"layout: {name} is not convertible to the {target} model's joints{names}; refined by "
                f"{no_layout_route(method)}"]
    kept = shared_joints(name, target)
    if held is not None:  # the joints a reader made up (Pose2Sim's missing eyes and ears) are not written back
        j_count, kept = len(set(held)), [(j, k) for j, k in kept if j in held]
    grouped = {int(j) for joints in pace_groups(name).values() for j in joints}  # at their own pace
    alone = grouped | {j for block, first, end in BLOCKS.get(name, ()) if block != "pose" for j in range(first, end)}
    loose = [get_layout(name).joints[j] for j in loose_trunk_points(name, target)
             if c_count in RIGID_TRUNK_COORDS and (held is None or j in held)]
    rigid = f", {' and '.join(loose)} kept at {'its' if len(loose) == 1 else 'their'} offset from the refined trunk"
    from synsp.inference.checkpoint import default_model, shipped_model_for  # torch: not on importing synsp

    model = shipped_model_for(method, "2d", name) if c_count == 2 else None
    mine = "" if name in SHIPPED else f" ({', '.join(get_layout(name).joints[j] for j, _ in kept)})"  # a user's own
    return [f"layout: {name} -> {target}: {len(kept)} joints refined by SynSP{mine}, the other "
            f"{j_count - len(kept) - len(alone) - len(loose)} by SmoothNet plus the SynSP correction of their nearest "
            "model joint" + (rigid if loose else "")
            + (f", the {len(alone)} of the face and hands by SmoothNet alone" if alone else "")
            + (" (each group at its own pace)" if grouped else "")
            + WHITE_NOTE
            + (f"; COCO's face made up from its head points, so the model is {model}, trained on such faces"
               if checkpoint is None and model not in (None, default_model(method, "2d")) else "")]


def _unknown_layout(j_count: int) -> str:
    """The start of the line on ``j_count`` joints of no layout known, before what was done with them."""
    return f"layout: {j_count} joints of an unknown layout (pass --layout; known: {', '.join(LAYOUTS)})"


def told_order_notes(name: str | None, target: str | None) -> list[str]:
    """The ``layout:`` line for joints whose layout was told from the poses among those of their count (17:
    COCO's, H36M's or MPI-INF-3DHP's order; 22: SMPL's or the Bandai mocap's) for the ``target`` model; none
    otherwise."""
    if name in SEVENTEEN and target in SEVENTEEN and name != target:
        first = {"h36m17": "the pelvis and legs", "coco17": "the face", "mpi17": "MPI-INF-3DHP's, the head"}[name]
        return [f"layout: the 17 joints follow {name}'s order ({first} first), not the {target} model's: "
                f"told from the poses (--layout {target} if they do not)"]
    if name in TWENTY_TWO and target is not None:
        other = next(n for n in TWENTY_TWO if n != name)
        return [f"layout: the 22 joints read as {TWENTY_TWO[name]} ({name}), told from the poses "
                f"(--layout {other} if they are {TWENTY_TWO[other]})"]
    return []


def other_order_note(j_count: int, rejected: str, name: str | None, excess: float, limit: float,
                     told: bool, method: str = "synsp") -> str:
    """The line saying poses of ``rejected``'s joint count do not follow its order (their bones
    ``excess`` times the shortest tree through them, above ``limit``) and what refined them:
    ``name``'s route when their bones tell it, else network ``method``'s for joints of no layout
    (:func:`no_layout_route`); ``told``: ``rejected`` came from --layout."""
    then = f"they follow {name}'s, refined as such" if name else f"refined by {no_layout_route(method)}"
    hint = " (is --layout right?)" if told else f" (--layout {rejected} if they follow it)"
    return (f"layout: {j_count} joints, as many as {rejected}'s, but their bones are {excess:.1f} times the shortest "
            f"tree through them (at most {limit} for {rejected}'s order): another order; {then}{hint}")


def given_layout_notes(own: list[str] | None, given: str | None, name: str | None, poses: np.ndarray) -> list[str]:
    """The lines on a layout ``given`` (--layout) that the poses (..., T, J, C) were refined as (``name``): the
    file's joint names ``own`` (of no layout synsp knows) taken in column order as its joints; another known layout
    of its joint count whose bones fit the poses better (:func:`synsp.skeleton.bone_fit.better_layout`), said
    without refusing: the user may know better. [] when ``given`` was not used, or nothing to say."""
    if given is None or name != given:
        return []
    notes = []
    if own:
        first = ", ".join(get_layout(given).joints[:3])
        notes.append(f"layout: the file's joint names ({', '.join(own[:3])}, ...) are not {given}'s ({first}, ...): "
                     "taken in column order as its joints (is --layout right?)")
    better = better_layout(poses, given) if given in LAYOUTS else None
    if better is not None:
        other, mine, theirs = better
        notes.append(f"layout: --layout {given} given, but the poses' bones fit {other}'s better (as {given}'s "
                     f"they vary in length and stray from the shortest tree {mine / theirs:.1f}x as much: misfit "
                     f"{mine:.3f} vs {theirs:.3f}); refined as {given}, as given (--layout {other} if they are "
                     f"{other}'s)")
    return notes

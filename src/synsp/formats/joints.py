"""Joint names <-> skeleton layouts, for formats that name their joints (CSV, mmpose, BVH)."""
from __future__ import annotations

from collections.abc import Sequence


def layout_joint_names(layout: str | None) -> list[str] | None:
    """Joint names of a layout from ``synsp.skeleton``, or None if unknown/unavailable."""
    if layout is None:
        return None
    try:
        from synsp.skeleton import get_layout

        return [str(name) for name in get_layout(layout).joints]
    except (ImportError, KeyError, ValueError, AttributeError):
        return None


def _norm(name: str) -> str:
    return name.strip().lower().replace(" ", "_").replace("-", "_")


def match_layout(names: Sequence[str]) -> str | None:
    """The layout whose joint names equal ``names`` (case and ``-``/``_``/space blind), else None."""
    from synsp.skeleton import LAYOUTS

    wanted = [_norm(n) for n in names]
    for layout in LAYOUTS:
        known = layout_joint_names(layout)
        if known is not None and [_norm(n) for n in known] == wanted:
            return layout
    return None


def generic_names(n_joints: int) -> list[str]:
    """Placeholder names ``j0 .. j{J-1}`` for joints of an unknown layout."""
    return [f"j{j}" for j in range(n_joints)]

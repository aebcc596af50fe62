"""The cells of a benchmark table row that sets methods beside the input: the input's figure as it is, every
other with its ratio to the input's in parentheses ("x input"), e.g. ``12.345 | 6.789 (0.550)``."""
from __future__ import annotations

from typing import Sequence

__all__ = ["x_input"]


def x_input(values: Sequence[float], digits: int = 3, ratio: int = 3, *, moved_if_clean: bool = False) -> list[str]:
    """``values[0]`` (the input's figure, e.g. MPJPE mm or px) with ``digits`` decimals, then each other value with
    its ratio to ``values[0]`` (``ratio`` decimals). ``moved_if_clean``: where the input's figure is 0 (clean input:
    the others say how far each method moved it), every value as it is, no ratio."""
    if moved_if_clean and values[0] == 0:
        return [f"{v:.{digits}f}" for v in values]
    return [f"{values[0]:.{digits}f}"] + [f"{v:.{digits}f} ({v / values[0]:.{ratio}f})" for v in values[1:]]

"""How much of its nearest model joints' correction a joint of another layout takes on a live stream: now
:mod:`synsp.inference.stream_corrections`, below both streams' fronts; its names are kept here."""
from __future__ import annotations

from synsp.inference.stream_corrections import (
    LEFT_OUT,
    PRIOR_FRAMES,
    SLOW_FRAMES,
    SLOW_STEP,
    WIDTH_FRAMES,
    WIDTHS,
    RunningShare,
    RunningWidth,
)

__all__ = ["LEFT_OUT", "PRIOR_FRAMES", "SLOW_FRAMES", "SLOW_STEP", "WIDTH_FRAMES", "WIDTHS", "RunningShare",
           "RunningWidth"]

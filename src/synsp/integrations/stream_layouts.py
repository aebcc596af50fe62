"""Keypoints in a layout other than the network's, on a live stream (``synsp stream --layout``): now
:mod:`synsp.inference.stream_layouts`, where :class:`~synsp.inference.streaming.StreamingRefiner`'s front for
another 17-joint order (:mod:`synsp.inference.stream_order`) takes it too; its names are kept here."""
from __future__ import annotations

from synsp.inference.stream_layouts import FROM_FRAMES, STREAM_KINDS, STREAM_TRUNK_WORDS, OtherLayout

__all__ = ["FROM_FRAMES", "STREAM_KINDS", "STREAM_TRUNK_WORDS", "OtherLayout"]

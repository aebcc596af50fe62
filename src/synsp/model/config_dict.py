"""A network config as a plain dict and back: what a checkpoint stores (``{"config": ..., "state_dict": ...}``).

Every network's config dataclass (:data:`synsp.model.NETWORKS`) derives from :class:`ConfigDict`, so a typo in a
stored or hand-written config fails the same way for each: one error naming the class, the unknown keys and the
known ones. Torch-free.
"""
from __future__ import annotations

from dataclasses import asdict, fields
from typing import Any, TypeVar

__all__ = ["ConfigDict"]

_C = TypeVar("_C", bound="ConfigDict")


class ConfigDict:
    """``to_dict`` / ``from_dict`` for a dataclass config (the subclass must be a dataclass)."""

    def to_dict(self) -> dict[str, Any]:
        """Plain dict for checkpoints (``{"config": ..., "state_dict": ...}``)."""
        return asdict(self)

    @classmethod
    def from_dict(cls: type[_C], d: dict[str, Any]) -> _C:
        """Inverse of ``to_dict``; unknown keys raise ``ValueError``, missing keys take defaults."""
        known = sorted(f.name for f in fields(cls))
        unknown = set(d) - set(known)
        if unknown:
            raise ValueError(f"unknown {cls.__name__} key(s) {sorted(unknown)}; known: {known}")
        return cls(**d)

"""Knowledge distillation: a shallower network learns from a trained one (issue 14: less work
per frame at the same precision).

:func:`shallower_state` starts the student from the teacher's own layers, and
:func:`distillation_loss` asks each of the student's outputs to match the teacher's same output,
with the Eq. 4 terms the ground-truth loss uses (so the student also learns the teacher's
smoothness, not only its positions).
"""
from __future__ import annotations

import re
from typing import Any

import numpy as np
import torch
from torch import Tensor

from synsp.training.loss import SYNSP_ACCEL_WEIGHTS, eq4_term

# "local_encoder.layers.3.attn.w_q.weight" -> stack "local_encoder.layers", index 3, rest.
_LAYER_KEY = re.compile(r"^(?P<stack>.*\.layers)\.(?P<index>\d+)\.(?P<rest>.*)$")


def spread_layers(n_teacher: int, n_student: int) -> list[int]:
    """Which of a stack's ``n_teacher`` layers each of the student's ``n_student`` starts from:
    evenly spread, the first and the last always among them (one layer: the last, whose output
    is what the stack's readers expect)."""
    if not 1 <= n_student <= n_teacher:
        raise ValueError(f"a student stack has 1 to {n_teacher} layers (the teacher's), got {n_student}")
    if n_student == 1:
        return [n_teacher - 1]
    return [int(i) for i in np.round(np.linspace(0, n_teacher - 1, n_student))]


def _stack_sizes(state: dict[str, Any]) -> dict[str, int]:
    sizes: dict[str, int] = {}
    for key in state:
        match = _LAYER_KEY.match(key)
        if match:
            stack = match["stack"]
            sizes[stack] = max(sizes.get(stack, 0), int(match["index"]) + 1)
    return sizes


def shallower_state(teacher: dict[str, Tensor], student: dict[str, Tensor]) -> dict[str, Tensor]:
    """The teacher's weights laid out for a student that has fewer layers in some stacks and is
    otherwise the same network: every student key gets the teacher's tensor of the same name, or
    in a layer stack the teacher's layer :func:`spread_layers` picks.

    Raises
    ------
    ValueError
        When a student weight has no teacher weight of its shape (another width, layout or kind).
    """
    ours, theirs = _stack_sizes(student), _stack_sizes(teacher)
    out = {}
    for key, value in student.items():
        source = key
        match = _LAYER_KEY.match(key)
        if match and match["stack"] in theirs:
            picked = spread_layers(theirs[match["stack"]], ours[match["stack"]])[int(match["index"])]
            source = f"{match['stack']}.{picked}.{match['rest']}"
        if source not in teacher or teacher[source].shape != value.shape:
            raise ValueError(f"the teacher has no weight {source} of shape {tuple(value.shape)}: "
                             "a student may only have fewer layers")
        out[key] = teacher[source].to(value.dtype)
    return out


def distillation_loss(kind: str, out: Any, teacher_out: Any, *, lambda_p: float, lambda_a: float) -> Tensor:
    """Eq. 4 with the teacher's outputs as the targets: SynSP's position, acceleration and final
    outputs each against the teacher's same output (acceleration weights as in
    :func:`synsp.training.loss.synsp_loss`); SmoothNet's one output with positions and accelerations.

    Parameters
    ----------
    out, teacher_out : the two networks' outputs on the same (B, V, F, D) windows.
    """
    kw = dict(lambda_p=lambda_p, lambda_a=lambda_a)
    if kind == "synsp":
        return torch.stack([eq4_term(getattr(out, name), getattr(teacher_out, name).detach(), k, **kw)
                            for name, k in SYNSP_ACCEL_WEIGHTS.items()]).sum()
    if kind == "smoothnet":
        return eq4_term(out, teacher_out.detach(), 1.0, **kw)
    raise ValueError(f"no distillation loss for network kind {kind!r}")

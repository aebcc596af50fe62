"""synsp: smooth and more precise human-pose sequences (SynSP, CVPR 2024, and peers).

Arrays in, arrays out: sequences are NumPy arrays (T, J, C) or (V, T, J, C).

>>> import synsp
>>> refined = synsp.refine(noisy)                    # shipped SynSP model (3D: h36m17 mm)
>>> smooth = synsp.refine(noisy, "one-euro", fps=30)  # a classic filter, same call
>>> stream = synsp.StreamingRefiner(synsp.load_model("synsp-h36m17"))  # frame in, refined frame out
>>> poses = synsp.refine_smpl(smpl_poses, fps=30)      # SMPL (T, 72) axis-angle: SynSP on rotations
>>> summary = synsp.refine_file("in.json", "out.json")  # a pose file, as `synsp refine IN OUT`
"""
from __future__ import annotations

__version__ = "0.1.0"

from synsp.refining.arrays import METHODS, refine

__all__ = ["METHODS", "refine", "refine_file", "refine_smpl", "load_model", "available_models", "StreamingRefiner",
           "MultiPersonStreamingRefiner", "__version__"]


def __getattr__(name: str):
    if name == "StreamingRefiner":  # imported on first use: it needs torch, `import synsp` does not
        from synsp.inference.streaming import StreamingRefiner

        return StreamingRefiner
    if name == "refine_smpl":  # SMPL parameters (joint rotations): the file formats' code, loaded on first use
        from synsp.refining.motion import refine_smpl

        return refine_smpl
    if name == "refine_file":  # a pose file, as `synsp refine IN OUT`: the file formats' code, loaded on first use
        from synsp.refining.files import refine_file

        return refine_file
    if name == "MultiPersonStreamingRefiner":
        from synsp.inference.people_stream import MultiPersonStreamingRefiner

        return MultiPersonStreamingRefiner
    raise AttributeError(f"module 'synsp' has no attribute {name!r}")


def load_model(name_or_path, device=None, **speed):
    """Rebuild a trained model (a :class:`~synsp.inference.refiner.Refiner`) from a shipped name or a
    checkpoint file; see :func:`synsp.inference.checkpoint.load_model`. ``speed``: ``stride``,
    ``pull_stride``, ``quantize``, ``convention_passes``, ``taper`` (False: SWAA's plain mean of
    the windows, the paper's merge), ``network_only`` (True: the bare network as the paper runs it,
    every step around it off, its windows merged by SWAA's plain mean at stride 1)."""
    from synsp.inference.checkpoint import load_model as _load

    return _load(name_or_path, device=device, **speed)


def available_models() -> list[str]:
    """Names of the shipped models :func:`load_model` takes, e.g. ``["smoothnet-coco17", ...]``."""
    from synsp.inference.checkpoint import available_models as _available

    return _available()

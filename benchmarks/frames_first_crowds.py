"""Audit 31 finding 1: a crowd of val clips saved frames first, (T, P, J, 2), as rtmlib/mmpose stack per-frame results.

P val clips (2D coco17, preset ``typical``, the first 20 val clips long enough) side by side ``gap`` px apart, cut to
T frames, written as an ``.npz`` of ``keypoints`` (T, P, 17, 2) and ``keypoint_scores`` (T, P, 17) at 0.9; refined by
``synsp refine IN OUT`` (in process, :func:`synsp.cli.main`) and by ``synsp.refine(x)``. Prints the mean joint
distance to the clean clips (px) of the input and of each output, the file route's ``axes:`` note and track count, or
the error line. ::

    OMP_NUM_THREADS=1 PYTHONPATH=src SYNSP_DATA=... .venv/bin/python benchmarks/frames_first_crowds.py
"""
from __future__ import annotations

import contextlib
import io
import tempfile
import warnings
from pathlib import Path

import numpy as np

import synsp
from synsp.cli import main as cli
from synsp.evaluation.protocol import make_cases

CROWDS = ((60, 16, 120, 900), (64, 16, 120, 900), (100, 16, 120, 900), (30, 8, 100, 700), (45, 12, 100, 700),
          (90, 20, 100, 700))  # T, P, gap px, first person's shift px (the audit's exp_stack.py, exp_stack2.py)


def _error(pred: np.ndarray, clean: np.ndarray) -> float:
    seen = np.isfinite(pred).all(-1) & np.isfinite(clean).all(-1)
    return float(np.linalg.norm(pred - clean, axis=-1)[seen].mean())


def main() -> None:
    warnings.filterwarnings("ignore")
    cases = make_cases("val", "typical", layout="coco17", space="2d", max_clips=20)
    with tempfile.TemporaryDirectory() as tmp:
        for frames, people, gap, shift in CROWDS:
            chosen = [c for c in cases if len(c.noisy) >= frames][:people]
            x = np.stack([c.noisy[:frames] + [i * gap - shift, 0] for i, c in enumerate(chosen)], 1).astype(np.float32)
            clean = np.stack([c.clean[:frames] + [i * gap - shift, 0] for i, c in enumerate(chosen)], 1)
            src, out = Path(tmp) / "stack.npz", Path(tmp) / "out.npz"
            np.savez(src, keypoints=x, keypoint_scores=np.full(x.shape[:3], 0.9, np.float32))
            said, errors = io.StringIO(), io.StringIO()
            with contextlib.redirect_stdout(said), contextlib.redirect_stderr(errors):
                rc = cli(["refine", str(src), str(out), "--force"])
            line = f"(T, P) = {x.shape[:2]}: input {_error(x, clean):.2f} px; synsp refine rc {rc}"
            if rc == 0:
                kept = [s for s in said.getvalue().splitlines() if s.startswith(("axes", "wrote"))]
                line += f", output {_error(np.load(out)['keypoints'], clean):.2f} px | " + " | ".join(
                    s.replace(str(out), "OUT") for s in kept)
            else:
                line += " | " + errors.getvalue().strip()
            try:
                line += f"\n    synsp.refine(x): {_error(synsp.refine(x), clean):.2f} px"
            except ValueError as error:
                line += f"\n    synsp.refine(x): {type(error).__name__}: {error}"
            back = synsp.refine(x.transpose(1, 0, 2, 3)).transpose(1, 0, 2, 3)
            print(line + f"\n    synsp.refine(x.transpose(1, 0, 2, 3)): {_error(back, clean):.2f} px", flush=True)


if __name__ == "__main__":
    main()

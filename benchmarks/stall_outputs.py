"""Whether a change of the stall steps moves SynSP's outputs: every output written, or compared with a tree's before.

Two sets, each output ``synsp.refine``'s as a user's call or ``synsp evaluate`` gives it:

- end stalls: the first ``--clips`` validation clips (`jitter`, 2D coco17 px and 3D h36m17 with the body's world
  path, as ``decoder_stalls.py`` builds them), their last 4, 8 and 30 frames a copy of the frame before them,
  refined told ``fps=30``;
- the protocol's: the first ``--protocol`` validation clips under `clean-ish` and `typical`, 2D and 3D, refined as
  ``synsp evaluate --methods synsp`` refines them (no rate given).

``--save FILE`` writes them (an .npz); ``--compare FILE`` counts the outputs bit-identical to that file's
(``np.array_equal``) and names the others with their largest difference. The script reads no step of its own, so
it runs on any tree (``PYTHONPATH`` the tree's ``src``; RESULTS section 10, "A stall's carry capped in seconds").

Run::

    OMP_NUM_THREADS=1 PYTHONPATH=/path/to/before/src .venv/bin/python benchmarks/stall_outputs.py --save before.npz
    OMP_NUM_THREADS=1 PYTHONPATH=src .venv/bin/python benchmarks/stall_outputs.py --compare before.npz
"""
from __future__ import annotations

import argparse
from types import SimpleNamespace

import numpy as np

import synsp
from decoder_stalls import cases, stalled  # this folder's: the clips and their stalls
from synsp.evaluation.protocol import make_cases

STALLS = (4, 8, 30)  # frames held at the end


def outputs(args: argparse.Namespace):
    """Each output of the two sets (module docstring) as (key, (T, J, C) array)."""
    for space in ("2d", "3d"):
        run = SimpleNamespace(split="val", space=space, preset="jitter", clips=args.clips, fps=30)
        for name, _, noisy in cases(run):
            for frames in STALLS:
                yield f"end/{space}/{frames}/{name}", synsp.refine(stalled(noisy, frames, end=True)[0], fps=30)
    for space in ("2d", "3d"):
        for preset in ("clean-ish", "typical"):
            layout = "coco17" if space == "2d" else "h36m17"
            for case in make_cases("val", preset, layout=layout, space=space, max_clips=args.protocol):
                yield f"protocol/{space}/{preset}/{case.name}", synsp.refine(case.noisy)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clips", type=int, default=12, help="validation clips with stalls at the end")
    parser.add_argument("--protocol", type=int, default=6, help="validation clips of the protocol's presets")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", help="write every output to this .npz")
    group.add_argument("--compare", help="count the outputs bit-identical to this .npz's")
    args = parser.parse_args()
    got = {}
    for key, out in outputs(args):
        got[key] = np.asarray(out)
        print(key, flush=True)
    if args.save:
        np.savez(args.save, **got)
        print(f"{len(got)} outputs written to {args.save}")
        return
    before = np.load(args.compare)
    same = [key for key in got if key in before and np.array_equal(got[key], before[key], equal_nan=True)]
    for key in got:
        if key not in same:
            far = np.nanmax(np.abs(got[key] - before[key])) if key in before else float("nan")
            print(f"differs: {key} (largest difference {far:.6g})")
    for part in ("end", "protocol"):
        keys = [key for key in got if key.startswith(part)]
        print(f"{part}: {sum(key in same for key in keys)} of {len(keys)} outputs bit-identical")


if __name__ == "__main__":
    main()

"""A tracker's ids exchanged between two people, read as an exchange (relinked) and not as a video cut: a user
audit's case (audit 35, finding 7: AlphaPose ``--pose_track`` idx exchanged at frame 60, both tracks then reported as
"a video cut"). benchmarks/RESULTS.md, section 12, "A tracker's ids exchanged".

Each pair: val clips i and i + 1 (coco17 2D, a preset's estimator noise), the second scaled by SIZE about its hips
and placed DX px to the side of the first's hips (its own motion kept), given as a (2, T, 17, 2) array, T the
shorter clip's frames. Cases: ``swap`` (the ids exchanged from frame T // 2 on: what
:func:`synsp.refining.id_exchanges.id_exchanges` must find, at that frame), ``none`` (no exchange: must find none),
``cut`` (a real video cut: both people move 3 body heights to the right and 1 down at T // 2, ids kept: must find
none), ``single`` (each clip alone, every case: must find none). Prints, per case, the pairs where it found exactly the
exchange made (swap) or none (the others). ``--files N``: instead, the first N pairs' swap, cut and none cases (size
0.6, 120 px apart, audit 35's) written as AlphaPose ``--pose_track`` JSON and refined by :func:`synsp.refine_file`
(SynSP, 30 fps): the share of frames where each output ``idx`` holds the person it held in frame 0 (nearest the
truth), the refined error of each person against its truth (px, whichever idx holds it), and how many summaries
said "cuts:" and "ids:", and the md5 of the output files (bit-identical or not across commits; this part runs on any
commit: before and after). Run:

    .venv/bin/python benchmarks/id_exchanges.py [--preset typical] [--clips 65] [--files N]
"""
from __future__ import annotations

import argparse
import hashlib
import json
import tempfile
import warnings
from pathlib import Path

import numpy as np

import synsp
from synsp.evaluation.protocol import make_cases
from synsp.skeleton import get_layout

APART = (60.0, 120.0, 200.0, 300.0)  # px between the two people's hips
SIZES = (1.0, 0.6)  # the second person's size: alike, a child beside an adult
HIPS = [11, 12]  # coco17


def _pair(a: np.ndarray, b: np.ndarray, dx: float, size: float) -> np.ndarray:
    """(2, T, 17, 2): ``a`` and ``b`` scaled by ``size`` about its mean hips, placed ``dx`` px right of ``a``'s."""
    frames = min(len(a), len(b))
    a, b = a[:frames], b[:frames]
    own = np.nanmean(b[:, HIPS], axis=(0, 1))
    return np.stack([a, (b - own) * size + np.nanmean(a[:, HIPS], axis=(0, 1)) + [dx, 0.0]])


def _case(pair: np.ndarray, case: str, height: float | None = None) -> np.ndarray:
    """The pair as a tracker gave it: ``case`` one of swap, none, cut (module doc; ``height`` px the first person's
    body height the cut moves by, None: read from ``pair``)."""
    out, half = pair.copy(), pair.shape[1] // 2
    if case == "swap":
        out[:, half:] = pair[::-1, half:]
    elif case == "cut":
        height = np.nanmax(np.ptp(pair[0, :, :, 1], axis=-1)) if height is None else height
        out[:, half:] += [3.0 * height, height]
    return out


def _alphapose(poses: np.ndarray, path: Path) -> None:
    """Write ``poses`` (V, T, 17, 2) as AlphaPose --pose_track results, track v as idx v + 1, scores 0.9."""
    results = [{"image_id": f"{t}.jpg", "category_id": 1, "idx": v + 1, "score": 2.5,
                "keypoints": np.c_[poses[v, t], np.full(17, 0.9)].ravel().tolist()}
               for t in range(poses.shape[1]) for v in range(len(poses))]
    path.write_text(json.dumps(results))


def _files(clips: list[np.ndarray], truths: list[np.ndarray], count: int) -> None:
    """The ``--files`` part (module doc): prints one line per case."""
    for case in ("swap", "cut", "none"):
        kept, errors, before, said, digest = [], [], [], {"cuts:": 0, "ids:": 0}, hashlib.md5()
        for i in range(count):
            j = (i + 1) % len(clips)
            height = np.nanmax(np.ptp(truths[i][:, :, 1], axis=-1))
            given = _case(_pair(clips[i], clips[j], 120.0, 0.6), case, height)
            truth = _case(_pair(truths[i], truths[j], 120.0, 0.6), case if case == "cut" else "none", height)
            mine = _case(given, "swap") if case == "swap" else given  # each person's own input (swapped back)
            before.append(np.nanmean(np.linalg.norm(mine - truth, axis=-1), axis=(1, 2)))
            with tempfile.TemporaryDirectory() as tmp:
                _alphapose(given, Path(tmp) / "in.json")
                summary = synsp.refine_file(Path(tmp) / "in.json", Path(tmp) / "out.json", fps=30.0)
                digest.update((Path(tmp) / "out.json").read_bytes())
                out = np.full_like(given, np.nan)
                for res in json.loads((Path(tmp) / "out.json").read_text()):
                    t = int(res["image_id"].split(".")[0])
                    out[res["idx"] - 1, t] = np.reshape(res["keypoints"], (-1, 3))[:, :2]
            for key in said:
                said[key] += any(note.startswith(key) for note in summary.notes)
            far = np.nanmean(np.linalg.norm(out[:, None] - truth[None], axis=-1), axis=-1)  # (V out, V truth, T)
            held = np.argmin(far, axis=1)  # (V out, T): the person each idx holds
            kept.append(np.mean(held == held[:, :1]))
            errors.append(np.nanmean(np.min(far, axis=0), axis=-1))  # (V truth,): the idx nearest each person
        print(f"{case}: {count} files, each idx holds its frame-0 person in {np.mean(kept):.1%} of the frames; "
              f"error adult/child input {np.mean(before, axis=0)[0]:.2f}/{np.mean(before, axis=0)[1]:.2f} px, "
              f"refined {np.mean(errors, axis=0)[0]:.2f}/{np.mean(errors, axis=0)[1]:.2f} px; "
              + ", ".join(f'summaries saying "{key}" {n}' for key, n in said.items())
              + f"; outputs' md5 {digest.hexdigest()}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--preset", default="typical", help="the val clips' estimator noise")
    parser.add_argument("--clips", type=int, default=65, help="val clips (pairs i, i + 1 of them)")
    parser.add_argument("--files", type=int, default=0, help="refine N pairs' files instead (module doc)")
    args = parser.parse_args()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        cases = make_cases("val", args.preset, layout="coco17", space="2d", max_clips=args.clips)
    clips = [np.asarray(c.noisy, np.float64) for c in cases]
    if args.files:
        return _files(clips, [np.asarray(c.clean, np.float64) for c in cases], args.files)
    from synsp.refining.id_exchanges import id_exchanges  # this branch's step (the --files part runs without it)

    pairs = get_layout("coco17").left_right
    print(f"{len(clips)} val clips, preset {args.preset}; pairs i, i + 1")
    single = sum(not id_exchanges(clip[None], pairs) for clip in clips)
    print(f"single: none found in {single}/{len(clips)} clips")
    for size in SIZES:
        for dx in APART:
            right = {"swap": 0, "none": 0, "cut": 0}
            for i in range(len(clips)):
                pair = _pair(clips[i], clips[(i + 1) % len(clips)], dx, size)
                for case in right:
                    found = id_exchanges(_case(pair, case), pairs)
                    want = [(pair.shape[1] // 2, [1, 0])] if case == "swap" else []
                    right[case] += [(t, owner.tolist()) for t, owner in found] == want
            print(f"size {size:.1f} apart {dx:5.0f} px: " + ", ".join(
                f"{case} {n}/{len(clips)}" for case, n in right.items()))


if __name__ == "__main__":
    main()

"""``synsp demo``: the main job, on real data, in one command."""
from __future__ import annotations

from pathlib import Path
from typing import Callable

from synsp.evaluation.compare import network_methods
from synsp.evaluation.protocol import evaluate, make_cases, markdown_table
from synsp.filters import FILTERS
from synsp.model import NETWORKS


def run_demo(clip: str | None = None, preset: str = "typical", out_dir: str | None = "out") -> str:
    """The main job: (1) one real test clip corrupted by ``preset``, refined by every available
    method and scored against its ground truth; (2) MediaPipe's real output on a real video,
    refined in 2D and 3D, with smoothness figures and (into ``out_dir``) a before/after picture."""
    from synsp.inference.checkpoint import available_models, default_model

    cases = make_cases("test", preset)
    case = next((c for c in cases if c.name == clip), None) if clip else cases[0]
    if case is None:
        raise ValueError(f"clip {clip!r} is not in the test split")
    rows: dict[str, Callable] = {name: fn for name, fn in FILTERS.items() if name != "identity"}
    for kind in NETWORKS:
        if default_model(kind, "3d") in available_models():
            rows.update(network_methods(kind, "3d"))
    results = evaluate(rows, [case])
    header = (f"## 1. Motion capture with simulated estimator errors\n\nclip {case.name}: {len(case.clean)} frames, "
              f"17 joints (h36m17, root-relative mm), simulated estimator errors: preset `{preset}`")
    parts = [header, markdown_table(results)]
    if out_dir is not None:
        parts.append(mediapipe_demo(out_dir))
    return "\n\n".join(parts)


def mediapipe_demo(out_dir: str) -> str:
    """Refine ``mediapipe-sports2d`` (MediaPipe on a real video, no ground truth) in 2D and 3D
    with the default models; write the refined files and a before/after picture to ``out_dir``."""
    from synsp.paths import data_root
    from synsp.refining.files import refine_file

    folder = data_root() / "mediapipe-sports2d"
    source, video = folder / "demo_mediapipe.npz", folder / "demo.mp4"
    out = Path(out_dir)
    lines = [f"## 2. MediaPipe on a real video ({source.name}, no ground truth)"]
    refined = {}
    for space in ("image", "world"):
        refined[space] = out / f"demo_mediapipe_{space}.npz"
        # Demo outputs are the demo's own files, rewritten on every run.
        summary = refine_file(source, refined[space], layout="mediapipe33", space=space, force=True)
        lines.append(f"{space} ({'2D pixels' if space == 'image' else '3D world, mm'}): {summary}")
    try:
        from synsp.viz.files import animate_files

        # Frames where MediaPipe follows the person on the box, then the walker it jumps to.
        picture = animate_files(source, refined["image"], out / "demo_overlay.png", video=video, space="image",
                                frames=[30, 70, 110, 215])
        lines.append(f"before (red) / after (green) picture: {picture}")
    except ImportError as err:  # the viz extra is optional
        lines.append(f"(no picture: {err}; install the 'viz' extra)")
    return "\n\n".join(lines)

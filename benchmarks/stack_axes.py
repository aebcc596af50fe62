"""A frames-first (T, P, J, C) crowd told by its motion (:mod:`synsp.stack_axes`): false alarms and catches.

False alarms (must be none): real people-first inputs read by :func:`synsp.stack_axes.stack_reading`:
every val clip as (1, T, J, C); small crowds, V = 2-16 val clips of equal length side by side (the clips'
own places, and 100 px / 600 mm apart), cut to T = 20, 30, 45, 60, 90 frames and to the shortest clip's
length ("long"); V = 4 estimates of one clip (``make_cases(views=4)``); 2D coco17 and 3D h36m17, presets
clean-ish / typical / hard; and the multi-person test fixtures as ``synsp.formats.read_poses`` reads them.
Catches: the same crowds saved frames first, (T, V, J, C), for V >= 2, counted apart from the ones
:func:`synsp.errors.check_frames_first` already refuses by shape. Prints the largest as-given step of a
people-first input and the smallest of a frames-first one, in body sizes. ::

    OMP_NUM_THREADS=1 PYTHONPATH=src SYNSP_DATA=... .venv/bin/python benchmarks/stack_axes.py
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from synsp.errors import FEW_FRAMES, MANY_VIEWS
from synsp.evaluation.protocol import make_cases
from synsp.formats import read_poses
from synsp.stack_axes import stack_reading

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "formats"
LAYOUT = {"2d": "coco17", "3d": "h36m17"}
GAP = {"2d": 100.0, "3d": 600.0}  # px, mm: side by side
SIZES = (2, 3, 4, 8, 12, 16)
LENGTHS = (20, 30, 45, 60, 90, None)  # None: the shortest clip's length


def _crowds(noisy: list[np.ndarray], space: str):
    """(apart, (V, T, J, C)): crowds of V clips at their own places (apart False) or GAP apart, cut to each length."""
    for v in SIZES:
        for first in range(0, len(noisy) - v + 1, v):
            group = noisy[first:first + v]
            shortest = min(map(len, group))
            for t in LENGTHS:
                t = shortest if t is None else t
                if t > shortest:
                    continue
                for gap in (0.0, GAP[space]):
                    yield gap > 0, np.stack([c[:t] + np.eye(c.shape[-1])[0] * gap * i for i, c in enumerate(group)])


def main() -> None:
    warnings.filterwarnings("ignore")
    alarms = people = by_shape = 0
    caught, frames = {False: 0, True: 0}, {False: 0, True: 0}
    worst_people, least_frames = 0.0, np.inf
    for space in ("2d", "3d"):
        for preset in ("clean-ish", "typical", "hard"):
            cases = make_cases("val", preset, layout=LAYOUT[space], space=space)
            noisy = [c.noisy for c in cases]
            arrays = [(False, c[None]) for c in noisy] + list(_crowds(noisy, space))
            arrays += [(False, c.noisy) for c in make_cases("val", preset, layout=LAYOUT[space], space=space, views=4)]
            for apart, x in arrays:
                people += 1
                r = stack_reading(x)
                if r is not None:
                    worst_people = max(worst_people, r.as_given)
                    alarms += r.frames_first
                if x.shape[0] >= 2:
                    y = np.swapaxes(x, 0, 1)
                    if y.shape[0] >= MANY_VIEWS and y.shape[0] >= FEW_FRAMES * y.shape[1]:
                        by_shape += 1
                        continue
                    frames[apart] += 1
                    r = stack_reading(y)
                    if r is not None:
                        least_frames = min(least_frames, r.as_given)
                    caught[apart] += r is not None and r.frames_first
            print(f"{space} {preset}: {people} people-first inputs so far, {alarms} false alarm(s); "
                  f"frames first: caught by motion {caught[True]} of {frames[True]} side by side, {caught[False]} of "
                  f"{frames[False]} at the clips' own places (+{by_shape} by shape)", flush=True)
    for path in sorted(FIXTURES.iterdir()):
        if path.suffix in (".py",):
            continue
        try:
            data = read_poses(path)
        except Exception as error:  # noqa: BLE001 - a fixture another reader needs options for
            print(f"fixture {path.name}: not read ({type(error).__name__})")
            continue
        r = stack_reading(np.asarray(data.poses))
        people += 1
        alarms += r is not None and r.frames_first
        print(f"fixture {path.name} {np.shape(data.poses)}: "
              + ("one track or no body" if r is None else f"steps {r.as_given:.3f} as given, {r.swapped:.3f} swapped, "
                                                           f"frames first {r.frames_first}"))
    print(f"people-first inputs: {people}, false alarms {alarms}; largest as-given step {worst_people:.3f} body sizes")
    print(f"frames-first crowds (V >= 2, passing the shape rule): side by side {caught[True]} of {frames[True]} "
          f"caught, at the clips' own places {caught[False]} of {frames[False]}; "
          f"smallest as-given step {least_frames:.3f} body sizes")


if __name__ == "__main__":
    main()

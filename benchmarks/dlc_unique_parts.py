"""DeepLabCut's unique body parts in a multi-animal file (benchmarks/RESULTS.md, section 11, "DeepLabCut's unique
body parts"): audit 31's case (finding 2, ``/work/exp/audit31/exp_dlc.py``) kept in the repo. Two people of the
validation split (clips 2 and 9 of ``make_cases("val", "typical")``, 2D COCO-17, the second 400 px to the right and
absent, every cell empty, in frames 0-29) with COCO-17 body-part names, likelihood 0.9, and
DeepLabCut's ``single`` individual holding two still unique body parts (``corner1`` at (10, 10), ``corner2`` at
(1900, 1000), likelihood 0.99), written as a DeepLabCut CSV and h5 and refined by ``synsp refine`` (its default
method); the control is the same file without ``single``. Prints per file: the tracks and the method the summary
names, the summary's lines that speak of the still points (a sentinel at (10, 10), held values, gaps of ``corner``,
a long gap invented), whether the columns came back as they came and the corners as read, each person's error (px,
mean joint distance; person 2 over the frames present) of the input and the output, and whether the people's
output is the control's, bit for bit; then the same for the table given to ``synsp.refine`` as a DataFrame
(:func:`synsp.integrations.pandas.refine_dataframe`). Run (PYTHONPATH=src; pandas and PyTables):

    .venv/bin/python benchmarks/dlc_unique_parts.py
"""
from __future__ import annotations

import argparse
import contextlib
import io
import tempfile
import warnings
from pathlib import Path

import numpy as np
import pandas as pd

from synsp.cli import main
from synsp.evaluation.protocol import make_cases
from synsp.integrations.pandas import refine_dataframe
from synsp.skeleton import LAYOUTS

SCORER = "DLC_dlcrnetms5_humanOct1shuffle1_200000"
CORNERS = (("corner1", (10.0, 10.0)), ("corner2", (1900.0, 1000.0)))
ABOUT_CORNERS = ("(10, 10)", "held:", "corner", "invented")  # what the summary said of the still points before


def _err(pred: np.ndarray, truth: np.ndarray) -> float:
    """Mean joint distance (px) over the joints finite in both, (T, J, 2) each."""
    ok = np.isfinite(pred).all(-1) & np.isfinite(truth).all(-1)
    return float(np.linalg.norm(pred - truth, axis=-1)[ok].mean())


def table(single: bool) -> tuple[pd.DataFrame, list[tuple[np.ndarray, np.ndarray]]]:
    """The DeepLabCut table and each person's (input, truth), (T, 17, 2) px."""
    cases = make_cases("val", "typical", layout="coco17", space="2d", max_clips=12)
    a, b = cases[2], cases[9]
    frames = min(len(a.noisy), len(b.noisy))
    people = [(a.noisy[:frames], a.clean[:frames]), (b.noisy[:frames] + [400, 0], b.clean[:frames] + [400, 0])]
    cols, data = [], []
    for i, (x, _) in enumerate(people):
        x = x.astype(np.float64).copy()
        if i == 1:
            x[:30] = np.nan  # not detected: every cell empty
        for j, name in enumerate(LAYOUTS["coco17"].joints):
            for k, coord in enumerate(("x", "y", "likelihood")):
                cols.append((SCORER, f"person{i + 1}", name, coord))
                data.append(x[:, j, k] if k < 2 else np.where(np.isnan(x[:, j, 0]), np.nan, 0.9))
    for name, xy in CORNERS if single else ():
        for k, coord in enumerate(("x", "y", "likelihood")):
            cols.append((SCORER, "single", name, coord))
            data.append(np.full(frames, xy[k] if k < 2 else 0.99))
    names = ["scorer", "individuals", "bodyparts", "coords"]
    return pd.DataFrame(np.array(data).T, columns=pd.MultiIndex.from_tuples(cols, names=names)), people


def run(ext: str, single: bool, folder: Path) -> np.ndarray:
    """Refine one file, print its lines; the people's output (2, T, 17, 2) px."""
    frame, people = table(single)
    src, out = folder / f"ma{ext}", folder / f"out{ext}"
    frame.to_hdf(src, key="df_with_missing", format="table", mode="w") if ext == ".h5" else frame.to_csv(src)
    said = io.StringIO()
    with contextlib.redirect_stdout(said):
        rc = main(["refine", str(src), str(out), "--force"])
    lines = said.getvalue().splitlines()
    back = pd.read_hdf(out) if ext == ".h5" else pd.read_csv(out, header=[0, 1, 2, 3], index_col=0)
    wrote = next(line for line in lines if line.startswith("wrote "))
    method = "SmoothNet (unknown layout)" if any("unknown layout" in line for line in lines) else "SynSP (coco17)"
    false = [line[:70] for line in lines if not line.startswith("unique body parts")
             and any(s in line for s in ABOUT_CORNERS)]
    print(f"{ext} {'with' if single else 'without'} single: rc {rc}, {wrote.split(': ', 1)[1]}; {method}")
    print(f"  columns as they came: {list(back.columns) == list(frame.columns)}", end="")
    if single:
        kept = np.array_equal(back.xs("single", axis=1, level="individuals").to_numpy(),
                              frame.xs("single", axis=1, level="individuals").to_numpy())
        print(f"; corners as read: {kept}; summary lines about them: {len(false)} {false}", end="")
    print()
    outputs = []
    for i, (x, truth) in enumerate(people):
        y = np.stack([back[(SCORER, f"person{i + 1}", n)][["x", "y"]].to_numpy() for n in LAYOUTS["coco17"].joints], 1)
        s = slice(30, None) if i else slice(None)
        print(f"  person{i + 1}: input {_err(x[s], truth[s]):.2f} px, output {_err(y[s], truth[s]):.2f} px")
        outputs.append(y)
    return np.stack(outputs)


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__.split("\n")[0]).parse_args()
    warnings.filterwarnings("ignore")
    with tempfile.TemporaryDirectory() as tmp:
        for ext in (".csv", ".h5"):
            same = np.array_equal(run(ext, True, Path(tmp)), run(ext, False, Path(tmp)), equal_nan=True)
            print(f"  {ext}: the people's output with single is the control's, bit for bit: {same}")
    (frame, people), control = table(True), table(False)[0]
    out, alone = refine_dataframe(frame), refine_dataframe(control)
    kept = out.xs("single", axis=1, level="individuals").equals(frame.xs("single", axis=1, level="individuals"))
    print(f"DataFrame with single: single as given: {kept}; people as without it, bit for bit: "
          f"{np.array_equal(out[list(control.columns)].to_numpy(), alone.to_numpy(), equal_nan=True)}")
    for i, (x, truth) in enumerate(people):
        y = np.stack([out[(SCORER, f"person{i + 1}", n)][["x", "y"]].to_numpy() for n in LAYOUTS["coco17"].joints], 1)
        s = slice(30, None) if i else slice(None)
        print(f"  person{i + 1}: input {_err(x[s], truth[s]):.2f} px, output {_err(y[s], truth[s]):.2f} px")

"""DeepLabCut's unique body parts (the ``single`` individual of a multi-animal project): kept apart from the
individuals, written back as read at their own columns, said once in the summary and nowhere else."""
from __future__ import annotations

import csv

import numpy as np
import pytest

from synsp.cli import main
from synsp.formats import read_poses, write_poses
from synsp.skeleton import LAYOUTS

SCORER = "DLC_dlcrnetms5_humanOct1shuffle1_200000"
CORNERS = {"corner1": (10.0, 10.0), "corner2": (1900.0, 1000.0)}
COORDS = ("x", "y", "likelihood")


def _columns(single_at: int = 2) -> tuple[list[tuple], np.ndarray]:
    """Two people with COCO-17 body-part names walking with noise, and ``single``'s two still corners placed
    ``single_at``-th among the individuals (DeepLabCut puts it last; any place must come back as it was)."""
    rng = np.random.default_rng(0)
    frames = 40
    base = np.array([[300 + 8 * (j % 5), 200 + 25 * j] for j in range(17)], dtype=float)
    blocks = []
    for person in range(2):
        walk = base + [400 * person, 0] + np.linspace(0, 60, frames)[:, None, None] * [1, 0]
        noisy = walk + rng.normal(0, 3, walk.shape)
        blocks.append([((SCORER, f"person{person + 1}", name, co), noisy[:, j, k] if k < 2 else np.full(frames, 0.9))
                       for j, name in enumerate(LAYOUTS["coco17"].joints) for k, co in enumerate(COORDS)])
    single = [((SCORER, "single", name, co), np.full(frames, xy[k] if k < 2 else 0.99))
              for name, xy in CORNERS.items() for k, co in enumerate(COORDS)]
    blocks.insert(single_at, single)
    cols = [c for block in blocks for c in block]
    return [key for key, _ in cols], np.stack([v for _, v in cols], 1)


def _write_csv(path, keys, values) -> None:
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        for k, name in enumerate(("scorer", "individuals", "bodyparts", "coords")):
            w.writerow([name] + [key[k] for key in keys])
        for t, row in enumerate(values.tolist()):
            w.writerow([t] + [repr(x) for x in row])


def _table(path) -> tuple[list[list[str]], np.ndarray]:
    with open(path, newline="") as f:
        rows = list(csv.reader(f))
    return rows[:4], np.array([[float(c) for c in r[1:]] for r in rows[4:]])


@pytest.mark.parametrize("single_at", [2, 1])
def test_csv_unique_parts_kept_apart_and_written_back_as_read(tmp_path, capsys, single_at):
    keys, values = _columns(single_at)
    src, out = tmp_path / "ma.csv", tmp_path / "out.csv"
    _write_csv(src, keys, values)
    data = read_poses(src)
    assert data.poses.shape == (2, 40, 17, 2) and data.layout == "coco17"  # the people's own body parts
    assert data.extra["dlc"]["unique"]["parts"] == ["corner1", "corner2"]
    write_poses(tmp_path / "same.csv", data)
    assert (tmp_path / "same.csv").read_bytes() == src.read_bytes()  # every column back in its place
    capsys.readouterr()
    assert main(["refine", str(src), str(out)]) == 0
    said = capsys.readouterr().out
    assert "unique body parts: 2 of DeepLabCut's 'single' individual (corner1, corner2)" in said
    assert "unknown layout" not in said and "(10, 10)" not in said and "held:" not in said and "corner" not in \
        said.split("unique body parts")[1].split("\n", 1)[1]  # nothing else about them: no sentinel, no gaps
    assert "2 track(s)" in said
    header, after = _table(out)
    assert header == _table(src)[0]
    corners = [c for c, key in enumerate(keys) if key[1] == "single"]
    people = [c for c, key in enumerate(keys) if key[1] != "single" and key[3] != "likelihood"]
    assert np.array_equal(after[:, corners], values[:, corners])
    assert not np.array_equal(after[:, people], values[:, people])  # the people were refined


def test_h5_unique_parts_kept_apart_and_written_back_as_read(tmp_path, capsys):
    pd = pytest.importorskip("pandas")
    pytest.importorskip("tables")
    keys, values = _columns()
    names = ["scorer", "individuals", "bodyparts", "coords"]
    src, out = tmp_path / "ma.h5", tmp_path / "out.h5"
    pd.DataFrame(values, columns=pd.MultiIndex.from_tuples(keys, names=names)).to_hdf(
        src, key="df_with_missing", format="table", mode="w")
    data = read_poses(src)
    assert data.poses.shape == (2, 40, 17, 2) and data.layout == "coco17"
    assert main(["refine", str(src), str(out)]) == 0
    assert "unique body parts: 2 of DeepLabCut's 'single'" in capsys.readouterr().out
    before, after = pd.read_hdf(src), pd.read_hdf(out)
    assert list(after.columns) == list(before.columns) and list(after.columns.names) == names
    assert np.array_equal(after.xs("single", axis=1, level="individuals").to_numpy(),
                          before.xs("single", axis=1, level="individuals").to_numpy())


def test_an_animal_named_single_with_the_others_parts_stays_a_track(tmp_path):
    keys, values = _columns()
    keys = [(s, "single" if who == "person2" else who, part, co) for s, who, part, co in keys
            if who != "single"]
    values = values[:, [c for c, key in enumerate(_columns()[0]) if key[1] != "single"]]
    _write_csv(tmp_path / "ma.csv", keys, values)
    data = read_poses(tmp_path / "ma.csv")
    assert data.poses.shape == (2, 40, 17, 2) and "unique" not in data.extra["dlc"]


def test_a_dataframe_keeps_the_unique_parts_and_refines_the_people_as_without_them():
    pd = pytest.importorskip("pandas")
    from synsp.integrations.pandas import refine_dataframe

    keys, values = _columns()
    names = ["scorer", "individuals", "bodyparts", "coords"]
    df = pd.DataFrame(values, columns=pd.MultiIndex.from_tuples(keys, names=names))
    people = [key for key in keys if key[1] != "single"]
    out, alone = refine_dataframe(df), refine_dataframe(df[people])  # the people as coco17, by SynSP
    assert list(out.columns) == keys and out[SCORER, "single"].equals(df[SCORER, "single"])
    assert np.array_equal(out[people].to_numpy(), alone.to_numpy())


def test_another_output_format_holds_the_individuals_only_and_the_summary_says_so(tmp_path, capsys):
    """Review 2 #2: to a .npy the corners were dropped while the summary said "written back as read"."""
    keys, values = _columns(2)
    _write_csv(tmp_path / "ma.csv", keys, values)
    assert main(["refine", str(tmp_path / "ma.csv"), str(tmp_path / "out.npy")]) == 0
    assert "(to a DeepLabCut output; other formats hold the individuals only)" in capsys.readouterr().out
    assert np.load(tmp_path / "out.npy").shape == (2, 40, 17, 2)

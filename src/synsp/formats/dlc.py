"""DeepLabCut predictions: the CSV and the h5 that ``analyze_videos`` writes.

Both hold one pandas table: one row per frame (the index: a frame number, or an image path for
labelled frames), columns a MultiIndex of ``scorer``, ``individuals`` (multi-animal projects
only), ``bodyparts`` and ``coords`` (``x``, ``y``, ``likelihood``). The CSV writes those
levels as header rows::

    scorer,DLC_resnet50_...,DLC_resnet50_...,...
    individuals,mouse1,mouse1,...           (multi-animal)
    bodyparts,snout,snout,snout,...
    coords,x,y,likelihood,...
    0,230.24,397.93,0.62,...

and the h5 stores the DataFrame under ``key="df_with_missing"`` (read and written through
pandas and PyTables: ``pip install synsp[dlc]``).

Tracks are the individuals (one for single-animal projects), joints the body parts, ``scores``
the likelihoods (``synsp refine --threshold`` makes low ones missing, as DeepLabCut's
``pcutoff`` does); empty cells (an animal not detected) are NaN, and the frames where every
cell of an individual is empty are ``extra["absent"]`` (V, T): ``synsp refine`` leaves them empty.
Body parts are the user's own, so the layout is None unless their names are a known layout's, or at least
8 of COCO-17's joints (:func:`synsp.formats.joint_subsets.match_subset`, ``left_wrist``, ``LWrist``,
``wrist_l`` alike: that layout, its other joints NaN, never written): the networks refine joints of no layout
with SmoothNet, the filters as they are; never refused. The writer puts back the same
header rows, index and columns (an individual's missing body parts stay absent), with refined x, y.

A multi-animal project's ``uniquebodyparts`` (points that appear once per frame, not per animal: an arena's
corners, a lever) sit under DeepLabCut's reserved individual ``single``. They are no animal's joints, so they
are set aside (:func:`unique_columns`): the individuals are read over their own body parts (a person's COCO-17
names stay coco17), the ``single`` columns are kept as read (``extra["dlc"]["unique"]``), never refined nor
counted in the summary (one note says so), and written back at their own place in the column order.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

import numpy as np

from synsp.formats.joint_subsets import read_as_subset
from synsp.formats.posedata import PoseData, text_options, text_style
from synsp.paths import atomic_path
from synsp.skeleton import generic_names, layout_joint_names, match_layout

H5_KEY = "df_with_missing"
_COORDS = ("x", "y", "likelihood")
SINGLE = "single"  # DeepLabCut's individual for a multi-animal project's unique body parts


def sniff(content) -> bool:
    """A DeepLabCut CSV: its first cell is ``scorer``; an ``.h5`` that is not SLEAP's analysis file."""
    if isinstance(content, Path) and content.suffix.lower() == ".h5":
        from synsp.formats.sleap import is_sleap

        return not is_sleap(content)
    if not isinstance(content, Path) or content.suffix.lower() != ".csv":
        return False
    with open(content, encoding="utf-8-sig", errors="replace") as f:
        return f.readline().split(",", 1)[0].strip() == "scorer"


def _pandas():
    try:
        import pandas as pd
        import tables  # noqa: F401  (pandas needs PyTables for h5)
    except ImportError:
        raise ValueError("DeepLabCut .h5 files need pandas and PyTables: pip install synsp[dlc]") from None
    return pd


def _table_from_csv(path: Path) -> tuple[list[str], list[tuple], list[str], np.ndarray]:
    """Level names, column keys (one tuple of levels per column), index cells and values (T, columns)."""
    with open(path, newline="", encoding="utf-8-sig") as f:
        rows = [row for row in csv.reader(f) if row]
    names = []
    for row in rows:
        names.append(row[0].strip())
        if names[-1] == "coords":
            break
    if names not in (["scorer", "bodyparts", "coords"], ["scorer", "individuals", "bodyparts", "coords"]):
        raise ValueError(f"{path}: DeepLabCut header rows must be scorer, [individuals,] bodyparts, coords")
    width = len(rows[0])
    if any(len(rows[k]) != width for k in range(len(names))):
        raise ValueError(f"{path}: DeepLabCut header rows of different lengths")
    keys = [tuple(rows[k][c] for k in range(len(names))) for c in range(1, width)]
    body = rows[len(names):]
    if body and body[0][0].strip() in ("", "frame", "frames") and all(not c.strip() for c in body[0][1:]):
        body = body[1:]  # an index-name row, as pandas writes when the index is named
    values = np.full((len(body), width - 1), np.nan)
    for r, row in enumerate(body):
        if len(row) != width:
            raise ValueError(f"{path}: line {len(names) + r + 1} has {len(row)} cells, the header has {width}")
        try:
            values[r] = [float(c) if c.strip() else np.nan for c in row[1:]]
        except ValueError:
            raise ValueError(f"{path}: line {len(names) + r + 1} holds a value that is not a number") from None
    return names, keys, [row[0] for row in body], values


def _table_from_h5(path: Path):
    pd = _pandas()
    try:
        frame = pd.read_hdf(path)
    except Exception as err:  # PyTables/HDF5 raise their own types for every kind of broken file
        raise ValueError(f"{path}: not a DeepLabCut h5 table ({' '.join(str(err).split())[:120]})") from None
    if not isinstance(frame.columns, pd.MultiIndex) or "bodyparts" not in frame.columns.names:
        raise ValueError(f"{path}: the table's columns are not DeepLabCut's (scorer, bodyparts, coords)")
    names = list(frame.columns.names)
    return names, [tuple(map(str, key)) for key in frame.columns], frame.index, frame.to_numpy(dtype=np.float64)


def unique_columns(keys: list[tuple], names: list) -> list[int]:
    """Positions of the columns of DeepLabCut's ``single`` individual when it holds a multi-animal project's
    unique body parts: other individuals exist and none of them has a body part of its names (an animal a
    user named ``single`` shares the others' body parts, and stays a track). [] otherwise."""
    if "individuals" not in names or "bodyparts" not in names:
        return []
    who, part = names.index("individuals"), names.index("bodyparts")
    mine = [c for c, key in enumerate(keys) if key[who] == SINGLE]
    theirs = {key[part] for key in keys if key[who] != SINGLE}
    return mine if mine and theirs and not any(keys[c][part] in theirs for c in mine) else []


def read(path: Path) -> PoseData:
    """Read a DeepLabCut CSV or h5.

    Returns
    -------
    PoseData
        ``poses`` (V, T, J, 2) pixels (V individuals, J body parts), ``scores`` (V, T, J) the
        likelihoods; ``extra["dlc"]`` the header, index and column order for writing back.
    """
    names, keys, index, values = (_table_from_h5 if path.suffix.lower() == ".h5" else _table_from_csv)(path)
    if len(values) == 0:
        raise ValueError(f"{path}: DeepLabCut header rows but no data rows (frames)")
    level = {name: k for k, name in enumerate(names)}
    aside = set(unique_columns(keys, names))
    individuals, parts = [], []
    seen = set()
    for c, key in enumerate(keys):
        animal = key[level["individuals"]] if "individuals" in level else ""
        slot = (animal, key[level["bodyparts"]], key[level["coords"]])
        if slot in seen:  # two columns for one value: reading both would keep only the last
            whose = f" of individual {animal!r}" if animal else ""
            raise ValueError(f"{path}: body part {slot[1]!r}{whose} is named twice (two {slot[2]!r} columns); "
                             "every body part needs a name of its own")
        seen.add(slot)
        if key[level["coords"]] not in _COORDS:
            raise ValueError(f"{path}: coords {key[level['coords']]!r}; expected x, y, likelihood")
        if c in aside:
            continue
        if animal not in individuals:
            individuals.append(animal)
        if key[level["bodyparts"]] not in parts:
            parts.append(key[level["bodyparts"]])
    poses = np.full((len(individuals), len(values), len(parts), 2), np.nan)
    scores = np.zeros(poses.shape[:3])
    said = np.zeros(poses.shape[:3], dtype=bool)  # a likelihood given (an empty cell says nothing)
    slots = []  # (v, j, coord) of every column
    for c, key in enumerate(keys):
        if c in aside:
            continue
        v = individuals.index(key[level["individuals"]] if "individuals" in level else "")
        j, coord = parts.index(key[level["bodyparts"]]), _COORDS.index(key[level["coords"]])
        slots.append((v, j, coord))
        if coord < 2:
            poses[v, :, j, coord] = values[:, c]
        else:
            scores[v, :, j] = np.nan_to_num(values[:, c])
            said[v, :, j] = ~np.isnan(values[:, c])
    frame_ids = [int(i) if str(i).strip().lstrip("-").isdigit() else i for i in index]
    # an individual with every cell of a frame empty was not detected there (multi-animal projects)
    absent = ~np.isfinite(poses).all(-1).any(-1) & ~said.any(-1)
    extra = {"frame_ids": frame_ids, "absent": absent,
             "dlc": {"names": names, "keys": keys, "index": index, "slots": slots, "individuals": individuals,
                     "parts": parts, **(text_style(path) if path.suffix.lower() != ".h5" else {})}}
    if aside:
        at = sorted(aside)
        unique = list(dict.fromkeys(keys[c][level["bodyparts"]] for c in at))
        extra["dlc"]["unique"] = {"at": at, "values": values[:, at], "parts": unique}
        extra["notes"] = [f"unique body parts: {len(unique)} of DeepLabCut's {SINGLE!r} individual "
                          f"({', '.join(unique)}) are no animal's joints: not refined, not counted among the "
                          "joints, written back as read (to a DeepLabCut output; other formats hold the "
                          "individuals only)"]
    data = PoseData(poses=poses, scores=scores, layout=match_layout(parts), track_ids=list(range(len(individuals))),
                    format="dlc", extra=extra)
    return read_as_subset(data, parts)  # some of a model's joints, by name


def _columns(data: PoseData) -> tuple[list[str], list[tuple], list, list[tuple[int, int, int]], dict | None]:
    """The source's header (and its ``single`` columns kept as read), or DeepLabCut's for poses from elsewhere
    (scorer ``synsp``)."""
    n_tracks, n_frames, n_joints, _ = np.shape(data.poses)
    dlc = data.extra.get("dlc")
    if dlc and max(v for v, _, _ in dlc["slots"]) < n_tracks and max(j for _, j, _ in dlc["slots"]) < n_joints \
            and len(dlc["index"]) == n_frames:
        return dlc["names"], dlc["keys"], list(dlc["index"]), dlc["slots"], dlc.get("unique")
    parts = layout_joint_names(data.layout) or generic_names(n_joints)
    names = ["scorer", "individuals", "bodyparts", "coords"] if n_tracks > 1 else ["scorer", "bodyparts", "coords"]
    keys, slots = [], []
    for v in range(n_tracks):
        for j, part in enumerate(parts):
            for k, coord in enumerate(_COORDS):
                keys.append(("synsp", f"individual{v + 1}", part, coord) if n_tracks > 1 else ("synsp", part, coord))
                slots.append((v, j, k))
    return names, keys, list(range(n_frames)), slots, None


def write(path: Path, data: PoseData, fmt: str = "dlc") -> None:
    """Write a DeepLabCut CSV (or h5, by extension) with the source's header rows and index."""
    poses = np.asarray(data.poses, dtype=np.float64)
    if poses.shape[-1] != 2:
        raise ValueError(f"{path}: DeepLabCut files hold 2D body parts; poses have C = {poses.shape[-1]}")
    names, keys, index, slots, unique = _columns(data)
    scores = (np.asarray(data.scores, dtype=np.float64) if data.scores is not None
              else np.isfinite(poses).all(-1).astype(np.float64))
    values = np.stack([poses[v, :, j, k] if k < 2 else np.where(np.isfinite(poses[v, :, j]).all(-1),
                                                                 scores[v, :, j], np.nan)
                       for v, j, k in slots], axis=1)
    if unique:  # the unique body parts back at their own columns, the individuals' in order around them
        full = np.empty((len(values), len(keys)))
        refined = np.ones(len(keys), dtype=bool)
        refined[unique["at"]] = False
        full[:, refined], full[:, unique["at"]] = values, unique["values"]
        values = full
    if path.suffix.lower() == ".h5":
        pd = _pandas()
        if not isinstance(index, pd.Index):  # a CSV's cells: frame numbers stay numbers, as DeepLabCut's h5 has them
            index = pd.Index([int(i) if str(i).strip().lstrip("-").isdigit() else i for i in index])
        frame = pd.DataFrame(values, columns=pd.MultiIndex.from_tuples(keys, names=names), index=index)
        with atomic_path(path) as tmp:
            frame.to_hdf(tmp, key=H5_KEY, format="table", mode="w")
        return
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    for k, name in enumerate(names):
        writer.writerow([name] + [key[k] for key in keys])
    for i, row in zip(index, values.tolist()):
        writer.writerow([i] + ["" if x != x else repr(x) for x in row])
    # the source's line endings and BOM (pandas writes CRLF on Windows), else LF
    with atomic_path(path) as tmp, open(tmp, "w", **text_options(data.extra.get("dlc"))) as f:
        f.write(out.getvalue())

"""SLEAP's analysis HDF5 export (``File > Export Analysis HDF5``, ``sleap-convert --format analysis``).

Datasets, as SLEAP stores them (transposed for MATLAB, so reversed from its docs' order)::

    tracks           (n_tracks, 2, n_nodes, n_frames)   x, y in pixels; NaN where a node is absent
    node_names       (n_nodes,)                          bytes
    track_names      (n_tracks,)                         bytes
    track_occupancy  (n_frames, n_tracks)                1 where the track has an instance
    point_scores     (n_tracks, n_nodes, n_frames)       NaN for user-labelled points and absent ones
    instance_scores, tracking_scores  (n_tracks, n_frames)

and some more (``edge_inds``, ``edge_names``, ``labels_path``, ``video_path``, ``provenance``, ...).
A file exported with ``transpose=False`` holds ``tracks`` as (n_frames, n_nodes, 2, n_tracks);
both read. Told apart from a DeepLabCut ``.h5`` (a pandas table) by the ``tracks`` and
``node_names`` datasets. Read and written through PyTables (``pip install synsp[sleap]``).

Tracks are SLEAP's tracks, joints its nodes (the layout is None unless their names are a known
layout's, or at least 8 of COCO-17's joints: that layout, its other joints NaN and never written,
as DeepLabCut's body parts), ``scores`` the point scores (1 for a point a person labelled, which SLEAP scores NaN);
frames whose ``track_occupancy`` is 0 are ``extra["absent"]``: ``synsp refine`` leaves them NaN.
The writer copies the source file and replaces only ``tracks`` (same shape, order and dtype), so
every other dataset and attribute is the source's, byte for byte; poses from elsewhere get a new
file with SLEAP's datasets.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np

from synsp.formats.joint_subsets import as_files_joints, read_as_subset
from synsp.formats.posedata import PoseData
from synsp.paths import atomic_path
from synsp.skeleton import generic_names, layout_joint_names, match_layout

_NEEDED = ("tracks", "node_names")


def _tables():
    try:
        import tables
    except ImportError:
        raise ValueError("SLEAP analysis .h5 files need PyTables: pip install synsp[sleap]") from None
    return tables


def is_sleap(path: Path) -> bool:
    """Whether ``path`` is an HDF5 file holding SLEAP's ``tracks`` and ``node_names`` datasets."""
    try:
        import tables
    except ImportError:
        return False
    try:
        with tables.open_file(str(path), "r") as f:
            return all(name in f.root for name in _NEEDED)
    except Exception:  # noqa: BLE001 - not HDF5, or one HDF5 cannot open: not SLEAP's
        return False


def sniff(content) -> bool:
    """A SLEAP analysis file: an ``.h5`` with ``tracks`` and ``node_names`` datasets."""
    return isinstance(content, Path) and content.suffix.lower() == ".h5" and is_sleap(content)


def _names(values) -> list[str]:
    return [v.decode("utf-8", "replace") if isinstance(v, bytes) else str(v) for v in np.ravel(values)]


def _transposed(shape: tuple[int, ...], n_nodes: int, occupancy: tuple[int, ...] | None, path: Path) -> bool:
    """Whether ``tracks`` is SLEAP's default (n_tracks, 2, n_nodes, n_frames) rather than
    (n_frames, n_nodes, 2, n_tracks); a ValueError naming the shape when it is neither."""
    if len(shape) != 4:
        raise ValueError(f"{path}: SLEAP 'tracks' must have 4 axes (n_tracks, 2, n_nodes, n_frames), got {shape}")
    default = shape[1] == 2 and shape[2] == n_nodes
    other = shape[2] == 2 and shape[1] == n_nodes
    if default and other and occupancy is not None:  # two nodes: the occupancy's shape says which
        return tuple(occupancy) == (shape[3], shape[0])
    if default or other:
        return default
    raise ValueError(f"{path}: SLEAP 'tracks' of shape {shape} does not hold {n_nodes} nodes (node_names) "
                     "and x, y as (n_tracks, 2, n_nodes, n_frames)")


def read(path: Path) -> PoseData:
    """Read a SLEAP analysis HDF5 file.

    Returns
    -------
    PoseData
        ``poses`` (V, T, J, 2) pixels (V tracks, J nodes), NaN where absent; ``scores`` (V, T, J)
        the point scores; ``extra["absent"]`` (V, T) where ``track_occupancy`` is 0;
        ``extra["sleap"]`` the source file, node and track names and the stored layout.
    """
    tables = _tables()
    try:
        f = tables.open_file(str(path), "r")
    except Exception as err:  # noqa: BLE001 - HDF5 raises its own kinds for every broken file
        raise ValueError(f"{path}: not a readable HDF5 file ({' '.join(str(err).split())[:120]})") from None
    with f:
        missing = [name for name in _NEEDED if name not in f.root]
        if missing:
            raise ValueError(f"{path}: not a SLEAP analysis file (no {missing[0]!r} dataset)")
        nodes = _names(f.root.node_names.read())
        stored = np.asarray(f.root.tracks.read())
        occupancy = f.root.track_occupancy.read() if "track_occupancy" in f.root else None
        point_scores = f.root.point_scores.read() if "point_scores" in f.root else None
        track_names = _names(f.root.track_names.read()) if "track_names" in f.root else None
    if not np.issubdtype(stored.dtype, np.number):
        raise ValueError(f"{path}: SLEAP 'tracks' holds {stored.dtype}, not numbers")
    transposed = _transposed(stored.shape, len(nodes), None if occupancy is None else occupancy.shape, path)
    poses = (stored.transpose(0, 3, 2, 1) if transposed else stored.transpose(3, 0, 1, 2)).astype(np.float64)
    n_tracks, n_frames = poses.shape[:2]
    seen = np.isfinite(poses).all(-1)
    scores = seen.astype(np.float64)
    if point_scores is not None:
        given = point_scores.transpose(0, 2, 1) if transposed else point_scores.transpose(2, 0, 1)
        if given.shape == scores.shape:  # NaN for a labelled point: a person put it there
            scores = np.where(seen, np.where(np.isnan(given), 1.0, given), 0.0)
    absent = ~seen.any(-1)
    if occupancy is not None:
        occupied = np.asarray(occupancy).T if transposed else np.asarray(occupancy)
        if occupied.shape == absent.shape:
            absent |= occupied == 0
    if track_names is None or len(track_names) != n_tracks:
        track_names = [f"track_{v}" for v in range(n_tracks)]
    extra = {"frame_ids": list(range(n_frames)), "absent": absent,
             "sleap": {"source": str(Path(path).resolve()), "shape": stored.shape, "dtype": stored.dtype.str,
                       "transposed": transposed, "nodes": nodes, "tracks": track_names}}
    data = PoseData(poses=poses, scores=scores, layout=match_layout(nodes), track_ids=list(range(n_tracks)),
                    format="sleap", extra=extra)
    return read_as_subset(data, nodes)  # some of a model's joints, by name


def write(path: Path, data: PoseData, fmt: str = "sleap") -> None:
    """Write a SLEAP analysis HDF5 file: the source file with new ``tracks`` (see the module doc)."""
    tables = _tables()
    poses = np.asarray(data.poses, dtype=np.float64)
    if poses.shape[-1] != 2:
        raise ValueError(f"{path}: SLEAP analysis files hold 2D nodes; poses have C = {poses.shape[-1]}")
    source = data.extra.get("sleap")
    if source:  # the file's own nodes, in its order (read as a layout's)
        data = as_files_joints(data, source.get("columns"))
        poses = np.asarray(data.poses, dtype=np.float64)
        stored = poses.transpose(0, 3, 2, 1) if source["transposed"] else poses.transpose(1, 2, 3, 0)
        if tuple(stored.shape) == tuple(source["shape"]) and Path(source["source"]).is_file():
            with atomic_path(path) as tmp:
                shutil.copyfile(source["source"], tmp)
                with tables.open_file(str(tmp), "r+") as f:
                    if tuple(f.root.tracks.shape) != tuple(stored.shape):
                        raise ValueError(f"{path}: the source {source['source']} changed since it was read")
                    f.root.tracks[...] = stored.astype(np.dtype(source["dtype"]))
            return
    _write_new(path, data, poses, tables)


def _write_new(path: Path, data: PoseData, poses: np.ndarray, tables) -> None:
    """A new analysis file with SLEAP's datasets, as its export lays them out (transposed)."""
    n_tracks, n_frames, n_joints, _ = poses.shape
    source = data.extra.get("sleap") or {}
    nodes = source.get("nodes")
    if nodes is None or len(nodes) != n_joints:
        nodes = layout_joint_names(data.layout) or generic_names(n_joints)
    names = source.get("tracks")
    if names is None or len(names) != n_tracks:
        names = [f"track_{t}" for t in (data.track_ids or range(n_tracks))]
    seen = np.isfinite(poses).all(-1)
    scores = np.asarray(data.scores, np.float64) if data.scores is not None else np.ones(seen.shape)
    gzip = tables.Filters(complevel=9, complib="zlib")
    with atomic_path(path) as tmp, tables.open_file(str(tmp), "w") as f:
        f.create_carray("/", "tracks", obj=poses.transpose(0, 3, 2, 1), filters=gzip)
        f.create_array("/", "node_names", np.array([n.encode() for n in nodes]))
        f.create_array("/", "track_names", np.array([str(n).encode() for n in names]))
        f.create_carray("/", "track_occupancy", obj=seen.any(-1).T.astype(np.uint8), filters=gzip)
        f.create_carray("/", "point_scores", obj=np.where(seen, scores, np.nan).transpose(0, 2, 1), filters=gzip)
        for name in ("instance_scores", "tracking_scores"):  # synsp has no such scores: NaN, as for a labelled one
            f.create_carray("/", name, obj=np.full((n_tracks, n_frames), np.nan), filters=gzip)

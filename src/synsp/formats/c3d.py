"""C3D motion capture files, through the maintained ``c3d`` package (``pip install synsp[c3d]``).

Points are read with their labels (``POINT:LABELS``), rate (``POINT:RATE``) and unit
(``POINT:UNITS``: m, dm, cm, mm, in or ft, or their names; positions come out in millimetres, synsp's
3D unit; written back in the file's, as it spelt it). A point whose residual is negative was not seen in
that frame (C3D's "invalid"): NaN. Labels map to a joint layout exactly as TRC marker names do
(:func:`synsp.formats.trc.match_markers`: Pose2Sim's
marker sets read as ``halpe26`` / ``body25``; other marker sets keep their own labels).

The writer writes the same labels (the source's markers, in its order), rate, first frame and
unit, floating-point points, and C3D's marks of where a value came from: -1 (invalid) for a
missing one, residual 0 and no cameras (C3D's "modelled": filtered or interpolated, not seen)
for a filled one, and for a measured one the residual and camera mask the source file gave it
(0 and none when the source was not a C3D file). Reading, a residual of 0 in a file whose other
points have residuals is such a modelled value: ``filled``.
A modelling program's outputs stored as points (Vicon's Plug-in Gait writes ``LKneeAngles``
in degrees, forces, moments, powers: the labels its ``POINT:ANGLES``, ``POINT:FORCES``, ...
parameters list, :data:`MODEL_OUTPUTS`) are no markers: they are left out of the poses and
written back as they came (values, residual, cameras, in their place among the labels).
Analog channels (force plates, EMG) are carried over unchanged: their labels, rate, units and
values (scaled and offset as the source file says, written as floats), so refining the
points of a trial keeps its forces; so is every other parameter of the source (``FORCE_PLATFORM``,
``EVENT``, ``SUBJECTS``, ... groups, and the ``POINT``/``ANALOG``/``TRIAL`` parameters the
writer does not set itself), byte for byte.
"""
from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from synsp.formats.posedata import PoseData
from synsp.formats.trc import UNITS_TO_MM, markers_to_layout, partial_layout, unit_name, unit_text
from synsp.paths import atomic_path
from synsp.skeleton import generic_names, layout_joint_names

# Parameters the writer sets from the data written (counts, scale, rate, labels, units, frame
# range); a source file's values of these would describe other data, so they are not copied.
_WRITER_SETS = {
    "POINT": {"USED", "FRAMES", "LONG_FRAMES", "DATA_START", "SCALE", "RATE", "UNITS", "LABELS", "LABELS2",
              "DESCRIPTIONS", "DESCRIPTIONS2"},
    "ANALOG": {"USED", "RATE", "GEN_SCALE", "SCALE", "OFFSET", "UNITS", "LABELS", "LABELS2", "DESCRIPTIONS",
               "DESCRIPTIONS2", "FORMAT", "BITS"},
    "TRIAL": {"ACTUAL_START_FIELD", "ACTUAL_END_FIELD"},
}

# POINT parameters listing the labels of points that are a model's outputs (angles in degrees,
# forces, moments, powers, ...), not positions: smoothing them as markers would move an angle
# by tens of degrees and drag the real markers with them.
MODEL_OUTPUTS = ("ANGLES", "FORCES", "MOMENTS", "POWERS", "REACTIONS", "SCALARS")


def _c3d():
    try:
        import c3d
    except ImportError:
        raise ValueError("C3D files need the c3d package: pip install synsp[c3d]") from None
    return c3d


def read(path: Path) -> PoseData:
    """Read a C3D file's points.

    Returns
    -------
    PoseData
        ``poses`` (1, T, J, 3) millimetres, NaN where the residual is negative; ``fps`` =
        ``POINT:RATE``; ``extra["frame_ids"]`` the C3D frame numbers; ``extra["c3d"]`` the
        labels, their joint indices and the unit.
    """
    c3d = _c3d()
    with open(path, "rb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "No analog data found in file": markers only is normal here
        try:
            reader = c3d.Reader(handle)
        except Exception as err:  # the package raises bare errors of several kinds on a bad header
            raise ValueError(f"{path}: not a readable C3D file ({err})") from None
        labels = [label.strip() for label in reader.point_labels]
        param = reader.get("POINT:UNITS")
        given = param.string_value if param is not None else "mm"
        units = unit_name(given, f"{path}: POINT:UNITS")
        rate = float(reader.point_rate)
        scale = abs(float(reader.point_scale)) or 1.0  # the residuals' step: written with the same
        outputs = _model_outputs(reader, labels)
        frame_ids, frames, analog = [], [], []
        for number, points, samples in reader.read_frames(copy=True):
            frame_ids.append(int(number))
            frames.append(points)
            analog.append(samples)
        analog_info = _analog(reader, analog)
        parameters = _parameters(reader)
    if not frames or not labels:
        raise ValueError(f"{path}: no point data")
    points = np.stack(frames).astype(np.float64)  # (T, M, 5): x, y, z, residual, cameras
    passed = None
    if outputs:
        kept = [k for k, label in enumerate(labels) if label not in outputs]
        if not kept:
            raise ValueError(f"{path}: every point is a model output ({', '.join(outputs)}); no marker to refine")
        passed = {"labels": labels, "kept": kept, "points": np.stack(frames)}  # all points, as read
        points, labels = points[:, kept], [labels[k] for k in kept]
    values = points[..., :3] * UNITS_TO_MM[units]
    values[points[..., 3] < 0] = np.nan
    # residual 0 = modelled (filtered, interpolated), in a file whose points carry residuals at all
    modelled = (points[..., 3] == 0) & bool((points[..., 3] > 0).any())
    poses, layout, columns, estimated, joints = markers_to_layout(values, labels)
    extra = {"frame_ids": frame_ids, "c3d": {"markers": labels, "columns": columns, "units": units,
                                             "unit_text": given.strip(), "analog": analog_info,
                                             **partial_layout(layout, joints)}}
    layout = None if "layout" in extra["c3d"] else layout  # a layout's joints and markers of its own
    extra["c3d"].update(parameters=parameters, residual=points[..., 3].astype(np.float32),
                        cameras=points[..., 4].astype(np.uint8), scale=scale)
    if passed is not None:
        extra["c3d"]["outputs"] = passed
        named = "; ".join(f"POINT:{group}: {', '.join(names)}" for group, names in _by_group(outputs).items())
        extra["notes"] = [f"C3D: {len(outputs)} model outputs ({named}) are no markers: not refined, not "
                          "counted among the joints, written back as they came (to a C3D output)"]
    if modelled.any():
        estimated = np.zeros(poses.shape[:2], dtype=bool) if estimated is None else estimated
        estimated[:, columns] |= modelled
    return PoseData(poses=poses[None], layout=layout, fps=rate if rate > 0 else None, format="c3d", extra=extra,
                    filled=None if estimated is None else estimated[None])


def write(path: Path, data: PoseData, fmt: str = "c3d") -> None:
    """Write the points of ``data`` (1, T, J, 3), millimetres, as a C3D file (see the module doc)."""
    c3d = _c3d()
    poses = np.asarray(data.poses, dtype=np.float64)
    n_tracks, n_frames, n_joints, n_coords = poses.shape
    if n_tracks != 1 or n_coords != 3:
        raise ValueError(f"{path}: a C3D file holds one set of 3D points; poses are {poses.shape} (V, T, J, C)")
    info = data.extra.get("c3d") or data.extra.get("trc") or {}
    markers, columns = info.get("markers"), info.get("columns")
    if markers is None or columns is None or max(columns, default=-1) >= n_joints:
        markers, columns = layout_joint_names(data.layout) or generic_names(n_joints), list(range(n_joints))
    units = info.get("units", "mm")
    values = poses[0][:, columns] / UNITS_TO_MM[units]  # (T, M, 3)
    missing = ~np.isfinite(values).all(-1)
    points = np.zeros(values.shape[:2] + (5,), dtype=np.float32)
    points[..., :3] = np.where(missing[..., None], 0.0, values)
    source = data.extra.get("c3d") or {}
    residual, cameras = source.get("residual"), source.get("cameras")
    if residual is not None and np.shape(residual) == values.shape[:2] and np.shape(cameras) == values.shape[:2]:
        # measured values keep the residual and cameras they were measured with; invalid ones made 0 (modelled)
        points[..., 3] = np.maximum(residual, 0.0)
        points[..., 4] = np.where(np.asarray(residual) >= 0, cameras, 0)
    if data.filled is not None:  # filled values were seen by no camera: C3D's "modelled", residual 0
        filled = np.asarray(data.filled[0], dtype=bool)[:, columns]
        points[filled, 3:] = 0.0
    points[..., 3] = np.where(missing, -1.0, points[..., 3])  # residual: -1 = invalid
    points[..., 4] = np.where(missing, -1.0, points[..., 4])
    analog = (data.extra.get("c3d") or {}).get("analog")
    if analog is not None and len(analog["values"]) != n_frames:
        analog = None  # another number of frames: the channels no longer line up with the points
    writer = c3d.Writer(point_rate=float(data.fps or 30.0), analog_rate=analog["rate"] if analog else 0.0,
                        point_scale=-float(source.get("scale", 1.0)),
                        point_units=unit_text(source.get("unit_text"), units).ljust(4))  # as the file spelt it
    passed = source.get("outputs")
    if passed is not None and len(passed["points"]) == n_frames and len(passed["kept"]) == len(markers):
        # the model's outputs back in their places among the labels, as read
        every = np.array(passed["points"], dtype=np.float32)
        every[:, passed["kept"]] = points
        points, markers = every, passed["labels"]
    writer.set_point_labels(markers)
    if analog:
        writer.set_analog_labels(analog["labels"])
        if analog["units"]:
            width = max(len(u) for u in analog["units"]) or 1
            writer.get("ANALOG").set_str("UNITS", "analog units", "".join(u.ljust(width) for u in analog["units"]),
                                         width, len(analog["units"]))
    _copy_parameters(writer, source.get("parameters") or [], analog is not None)
    frame_ids = data.extra.get("frame_ids")
    first = frame_ids[0] if frame_ids and isinstance(frame_ids[0], int) and frame_ids[0] > 0 else 1
    writer.set_start_frame(first)
    samples = analog["values"] if analog else [np.zeros((0, 0), dtype=np.float32)] * n_frames
    writer.add_frames(list(zip(points, samples)))
    with atomic_path(path) as tmp, open(tmp, "wb") as handle, warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "No analog data found": none is written
        writer.write(handle)


def _model_outputs(reader, labels: list[str]) -> dict[str, str]:
    """The point labels a C3D file's ``POINT:ANGLES``, ``POINT:FORCES``, ... (:data:`MODEL_OUTPUTS`)
    list, each with its group, in the file's label order."""
    groups = {}
    for group in MODEL_OUTPUTS:
        param = reader.get(f"POINT:{group}")
        if param is None or not param.bytes:
            continue
        try:
            names = [str(n).strip() for n in np.atleast_1d(param.string_array)]
        except Exception:  # a parameter of another type under that name: lists no labels
            continue
        groups.update({name: group for name in names if name})
    return {label: groups[label] for label in labels if label in groups}


def _by_group(outputs: dict[str, str]) -> dict[str, list[str]]:
    grouped: dict[str, list[str]] = {}
    for label, group in outputs.items():
        grouped.setdefault(group, []).append(label)
    return grouped


def _parameters(reader) -> list[tuple]:
    """Every parameter group of a C3D file being read, as ``(group id, name, description, [(name,
    description, bytes per element, dimensions, bytes), ...])``, for the writer to copy."""
    return [(int(key), group.name, group.desc,
             [(name, param.desc, param.bytes_per_element, list(param.dimensions), bytes(param.bytes))
              for name, param in group.param_items()])
            for key, group in reader.group_listed()]


def _copy_parameters(writer, groups: list[tuple], analog: bool) -> None:
    """Add the source's parameters (:func:`_parameters`) that ``writer`` does not set itself:
    its own groups whole, under their ids where free, and the rest of POINT, ANALOG (when its
    channels are written) and TRIAL."""
    used = {key for key, _ in writer.group_listed()}
    for key, name, desc, params in groups:
        if name == "ANALOG" and not analog:
            continue  # the channels are not written: their parameters would describe nothing
        group = writer.get(name)
        if group is None:
            key = key if key not in used else max(used | {0}) + 1
            group = writer.add_group(key, name, desc)
            used.add(key)
        for pname, pdesc, size, dims, raw in params:
            if pname in _WRITER_SETS.get(name, ()) or pname in group:
                continue
            group.add_param(pname, desc=pdesc, bytes_per_element=size, dimensions=dims, bytes=raw)


def _analog(reader, samples: list[np.ndarray]) -> dict | None:
    """The analog channels of a C3D file being read: ``{"rate", "labels", "units", "values"}``,
    values (T, channels, samples per frame) float32 as ``read_frames`` scaled them; None if none."""
    if not samples or samples[0].size == 0:
        return None
    units = reader.get("ANALOG:UNITS")
    channels = samples[0].shape[0]
    labels = [str(label).strip() for label in (reader.analog_labels if reader.analog_labels is not None else [])]
    if len(labels) != channels:  # a file without (enough) ANALOG:LABELS
        labels = [f"A{k + 1}" for k in range(channels)]
    return {"rate": float(reader.analog_rate), "labels": labels,
            "units": [u.strip() for u in units.string_array] if units is not None and units.string_array.size else [],
            "values": np.stack(samples).astype(np.float32)}

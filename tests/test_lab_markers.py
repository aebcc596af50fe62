"""Lab markers (Plug-in-Gait's names) are refined by SmoothNet; renamed to Pose2Sim's HALPE-26 names for the 15 joints
the README lists, the file reads as HALPE-26 and SynSP refines its body joints (audit 23, finding 2)."""
from __future__ import annotations

from pathlib import Path

from synsp.refining.files import refine_file

TRC = Path(__file__).parent / "fixtures" / "formats" / "pose2sim_halpe26.trc"
# Pose2Sim's markers beyond the README's 15 joint names, as a lab's marker set names such points
LAB = {"Hip": "SACR", "RBigToe": "RTOE", "RSmallToe": "RMT5", "RHeel": "RHEE", "LBigToe": "LTOE", "LSmallToe": "LMT5",
       "LHeel": "LHEE"}
# the 15 the README says to rename, under Plug-in-Gait's names
JOINTS = {"Nose": "RFHD", "Head": "LBHD", "Neck": "C7", "LShoulder": "LSHO", "RShoulder": "RSHO", "LElbow": "LELB",
          "RElbow": "RELB", "LWrist": "LWRA", "RWrist": "RWRA", "LHip": "LASI", "RHip": "RASI", "LKnee": "LKNE",
          "RKnee": "RKNE", "LAnkle": "LANK", "RAnkle": "RANK"}


def _renamed(path: Path, names: dict[str, str]) -> Path:
    lines = TRC.read_text().split("\n")
    row = next(k for k, line in enumerate(lines) if line.startswith("Frame#"))  # the marker row
    lines[row] = "\t".join(names.get(cell, cell) for cell in lines[row].split("\t"))
    path.write_text("\n".join(lines))
    return path


def test_lab_markers_renamed_to_halpe26_names_are_refined_by_synsp(tmp_path):
    lab = str(refine_file(_renamed(tmp_path / "lab.trc", {**LAB, **JOINTS}), tmp_path / "lab_out.trc"))
    # Pose2Sim's demo TRC is filtered already: its markers read as clean and come out within 0.07 mm, said so
    assert "joints of an unknown layout" in lab and "kept as they came" in lab, lab
    named = str(refine_file(_renamed(tmp_path / "named.trc", LAB), tmp_path / "named_out.trc"))
    assert "layout: halpe26 -> h36m17: 12 joints refined by SynSP" in named, named

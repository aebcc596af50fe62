"""OpenSim .mot angle files (audit 35, finding 4): read and written back exactly, refined by a filter with the
angles unwrapped, and a CSV of angle curves refused with a line naming the .mot."""
from __future__ import annotations

import numpy as np
import pytest

from synsp.errors import FormatError, OptionError
from synsp.formats.mot import read_mot, write_mot
from synsp.refining.angle_curves import smooth_angle_curves
from synsp.refining.files import refine_file

HEADER = ["Coordinates", "version=1", "nRows=90", "nColumns=4", "inDegrees=yes", "",
          "Units are S.I. units (second, meters, newtons, ...)", "", "endheader"]


def _mot(path, knee, heading, tx, crlf=False):
    """An OpenSim-style .mot: cells right-aligned in 16 characters, 8 decimals."""
    rows = [f"{t / 30:16.8f}\t" + "\t".join("             nan" if not np.isfinite(v) else f"{v:16.8f}" for v in row)
            for t, row in enumerate(zip(knee, heading, tx))]
    text = "\n".join([*HEADER, "time\tknee_angle_r\tpelvis_rotation\tpelvis_tx", *rows]) + "\n"
    path.write_bytes(text.replace("\n", "\r\n" if crlf else "\n").encode())


def _curves(noise: float):
    t = np.arange(90) / 30.0
    rng = np.random.default_rng(0)
    knee = 40 + 30 * np.sin(2 * np.pi * t)
    heading = (170 + 60 * t + 180) % 360 - 180  # turning through +-180: wraps from 180 to -180
    tx = 0.5 * t
    noisy = (knee + noise * rng.standard_normal(90), (heading + noise * rng.standard_normal(90) + 180) % 360 - 180,
             tx + noise / 1000 * rng.standard_normal(90))
    return (knee, heading, tx), noisy


def test_round_trip_is_the_same_bytes(tmp_path):
    _, (knee, heading, tx) = _curves(2.0)
    knee[5] = np.nan
    src, out = tmp_path / "ik.mot", tmp_path / "back.mot"
    _mot(src, knee, heading, tx, crlf=True)
    table = read_mot(src)
    assert table.columns == ["knee_angle_r", "pelvis_rotation", "pelvis_tx"] and table.in_degrees
    assert table.values.shape == (90, 3) and np.isnan(table.values[5, 0])
    write_mot(out, table)
    assert out.read_bytes() == src.read_bytes()


def test_refine_filters_unwrapped_angles_and_keeps_the_rest(tmp_path):
    (knee, heading, tx), noisy = _curves(3.0)
    noisy[0][10] = np.nan
    src, out = tmp_path / "ik.mot", tmp_path / "ik_filt.mot"
    _mot(src, *noisy)
    summary = refine_file(src, out)
    assert "angle curves" in summary.notes[0] and "TRC" in summary.notes[0]
    got, given = read_mot(out), read_mot(src)
    assert got.header == given.header and [row[0] for row in got.cells] == [row[0] for row in given.cells]
    assert np.isnan(got.values[10, 0])  # missing stays missing

    def error(values, truth, wrap=False):
        d = values - truth
        return np.nanmean(np.abs((d + 180) % 360 - 180 if wrap else d))
    assert error(got.values[:, 0], knee) < 0.7 * error(given.values[:, 0], knee)
    # the heading's wrap is not a 360-degree step for the filter: error lower, values still in -180..180
    assert error(got.values[:, 1], heading, wrap=True) < 0.7 * error(given.values[:, 1], heading, wrap=True)
    assert np.abs(got.values[:, 1]).max() <= 180.5
    assert error(got.values[:, 2], tx) < error(given.values[:, 2], tx)


@pytest.mark.parametrize("at", [20, 80])  # a gap across the heading's wrap from 180 to -180 (frame 20), one away
def test_a_gap_at_the_wrap_is_bridged_the_short_way(at):
    heading = (179.0 + 0.05 * np.arange(120) + 180) % 360 - 180
    whole = smooth_angle_curves(heading[:, None], np.array([True]), fps=30.0)
    gapped = heading[:, None].copy()
    gapped[at - 3:at + 4] = np.nan
    out = smooth_angle_curves(gapped, np.array([True]), fps=30.0)
    assert np.isnan(out[at - 3:at + 4]).all()  # missing stays missing
    # the frames seen come out as with no gap (bridged the long way round, 11 degrees off next to the gap)
    assert np.nanmax(np.abs((out - whole + 180) % 360 - 180)) < 1e-6
    assert np.nanmax(np.abs(out)) <= 180.0 + 1e-6  # given back in -180..180


def test_networks_and_angle_csv_name_the_file_to_give(tmp_path):
    _, noisy = _curves(1.0)
    src = tmp_path / "angles.mot"
    _mot(src, *noisy)
    with pytest.raises(OptionError, match="TRC"):
        refine_file(src, tmp_path / "out.mot", method="synsp")
    with pytest.raises(OptionError, match=r"\.mot"):
        refine_file(src, tmp_path / "out.trc")
    grf = tmp_path / "grf.mot"
    grf.write_text("grf.mot\nversion=1\nnRows=3\nnColumns=2\ninDegrees=yes\nendheader\t\ntime\tground_force_vy\t\n"
                   "0.0\t700.0\t\n0.01\t705.0\t\n0.02\t690.0\t\n")  # a trailing tab after every line, as some write
    assert read_mot(grf).columns == ["ground_force_vy"]
    with pytest.raises(FormatError, match="forces or moments"):
        refine_file(grf, tmp_path / "grf_out.mot")
    csv = tmp_path / "angles.csv"
    csv.write_text("time,right knee,left knee\n0.0,10,20\n0.033,11,21\n0.067,12,22\n")
    with pytest.raises(FormatError, match=r"\.mot"):
        refine_file(csv, tmp_path / "out.csv")

"""A pose CSV's cells read as numbers (:mod:`synsp.formats.csv`): the table of the columns wanted, and a track
column of names.

A missing value is an empty cell or one of the words pandas' reader reads as missing (``NA``, ``N/A``, ``#N/A``,
``null``, ``None``, ``NaN``, ``<NA>``, ``1.#IND``, ... in any case), so a file reads alike with and without pandas;
any other cell that is no number is a one-line error naming its line and column, never a value guessed. A
track column is numbers or names (``alice``, ``bob``), not both: one cell that is no number among numbers is the
bad cell, named, not a column of names.
"""
from __future__ import annotations

import io
import re

import numpy as np

__all__ = ["numbers", "track_names", "not_a_number", "is_number_text", "MISSING"]

# Cells that say "missing" as R (NA), Excel (#N/A) and other tools write it, as pandas' reader reads them
# (its default na_values, in any case)
MISSING = {"", "na", "n/a", "#n/a", "#n/a n/a", "#na", "<na>", "null", "none", "nan", "-nan", "1.#ind", "-1.#ind",
           "1.#qnan", "-1.#qnan"}


# A number written with a decimal comma (``0,0333``, ``-12,5``), as spreadsheets in much of Europe write them
_DECIMAL_COMMA = re.compile(r"^[+-]?\d*,\d+([eE][+-]?\d+)?$")


def is_number_text(text: str) -> bool:
    """Whether the cell ``text`` reads as a number with Python's ``float`` ("nan", "1e3" and " 2 " included):
    the readers' test for the cell an error names."""
    try:
        float(text)
    except ValueError:
        return False
    return True


def not_a_number(text: str, where: str) -> str:
    """The one-line message for a cell ``text`` that is no number, at ``where`` (a line, a column): it names the
    cell, and says so when the cell is a number written with a decimal comma (the fix the user needs)."""
    text = text.strip()
    if _DECIMAL_COMMA.match(text):
        # short: a reader's message is cut at 200 characters, a long path first
        return f"{where} holds {text[:20]!r}, a decimal comma: save the file with '.' as the decimal separator"
    return f"{where} is not a number ({text[:20]!r})"


def _number(text: str, where: str) -> float:
    text = text.strip()
    if text.lower() in MISSING:
        return float("nan")
    try:
        return float(text)
    except ValueError:
        raise ValueError(not_a_number(text, where)) from None


def numbers(body: list, columns: list[int], header: list[str], delimiter: str) -> np.ndarray:
    """(rows, len(columns)) floats of those columns of the body, empty cells NaN.

    pandas' C parser when pandas is installed (3 times faster), else one
    ``map(float)`` over all cells; cell by cell only for quoted files or to name a bad cell.
    """
    if body and isinstance(body[0], str):
        try:
            import pandas as pd

            used = sorted(set(columns))
            frame = pd.read_csv(io.StringIO("\n".join(body)), sep=delimiter, header=None, usecols=used,
                                dtype=np.float64, engine="c")
            return frame.to_numpy()[:, [used.index(c) for c in columns]]
        except ImportError:
            text = "\n" + "\n".join(body) + "\n"
            for _ in range(2):  # empty cells (missing values) say "nan", so one C loop parses them all
                text = text.replace(f"{delimiter}{delimiter}", f"{delimiter}nan{delimiter}")
            text = text.replace(f"\n{delimiter}", f"\nnan{delimiter}").replace(f"{delimiter}\n", f"{delimiter}nan\n")
            cells = text.strip("\n").replace("\n", delimiter).split(delimiter)
            picked = np.array(cells, dtype=object).reshape(len(body), len(header))[:, columns].ravel().tolist()
            try:
                return np.fromiter(map(float, picked), dtype=np.float64, count=len(picked)).reshape(len(body), -1)
            except ValueError:
                pass
        except ValueError:
            pass
        body = [line.split(delimiter) for line in body]
    return np.array([[_number(row[c], f"line {r} column {header[c]!r}") for c in columns]
                     for r, row in enumerate(body, start=2)]).reshape(len(body), len(columns))


def track_names(body: list, column: int, delimiter: str, header: list[str]) -> tuple[list[str], np.ndarray]:
    """The track column of names: the names in order of first appearance, and each row's index
    into them (rows,). An empty cell is an error: a row of no one's; so is a cell that is no number in a column
    whose other cells are numbers (``0``, ``x``, ``1``): a bad cell, not a column of names."""
    cells = [(row if isinstance(row, list) else row.split(delimiter))[column].strip() for row in body]
    where = f"column {header[column].strip()!r}"
    if "" in cells:
        raise ValueError(f"line {cells.index('') + 2} {where}: empty track name")
    numeric = [_is_number(cell) for cell in cells]
    if any(numeric):
        r = numeric.index(False)
        raise ValueError(f"line {r + 2} {where} is not a number ({cells[r][:20]!r}), where the other rows' tracks "
                         "are: a track column holds numbers or names, not both")
    names = list(dict.fromkeys(cells))
    order = {name: v for v, name in enumerate(names)}
    return names, np.array([order[cell] for cell in cells], dtype=np.int64)


def _is_number(cell: str) -> bool:
    """A number's cell; a word for missing (``NA``) is none: a track so named is a name."""
    return cell.lower() not in MISSING and is_number_text(cell)

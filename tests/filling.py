"""Filling a built workbook as a user would: values typed into the unlocked input cells, found by
their defined names, and saved (openpyxl keeps everything else). And a changed estimates file."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.utils.cell import range_boundaries

from workbook_builder.core.estimates import Estimates, parse_estimates


def input_cell(wb: openpyxl.Workbook, key: str):
    """The cell of `kj_name` or `kj_name#k` (row k of a step column), by the workbook's defined name."""
    name, _, row = key.partition("#")
    (sheet, ref), = wb.defined_names[name].destinations
    min_col, min_row, _, _ = range_boundaries(ref.replace("$", ""))
    return wb[sheet].cell(min_row + (int(row) - 1 if row else 0), min_col)


def type_value(cell, value: Any) -> None:
    """What typing does in a text-formatted input cell: text stays text, even '=…'."""
    cell.value = value
    if isinstance(value, str):
        cell.data_type = "s"


def fill(template: Path, values: dict[str, Any], out: Path) -> Path:
    wb = openpyxl.load_workbook(template)
    for key, value in values.items():
        type_value(input_cell(wb, key), value)
    wb.save(out)
    return out


def filled_in_each_malform(est: Estimates, root: Path, typed: Callable[[Estimates, str], dict[str, Any]],
                           today: dt.date, name: str = "voss") -> dict[str, Path]:
    """A blank workbook built in bokmål and in nynorsk, with what `typed(est, malform)` gives typed into each as a
    user would (openpyxl): målform → the filled workbook."""
    from workbook_builder.core.model import Inputs
    from workbook_builder.workbook import build_workbook

    out = {}
    for malform in ("nb", "nn"):
        blank = root / f"blank-{malform}.xlsx"
        build_workbook(blank, est, Inputs(malform=malform), today=today)
        out[malform] = fill(blank, typed(est, malform), root / f"{name}-{malform}.xlsx")
    return out


def changed_estimates(est: Estimates) -> Estimates:
    """The packaged estimates with other prices, hours, pay and benefits: a new version of the file."""
    text = est.text
    edits = [
        (r'version = "[^"]+"', 'version = "2024-01.1"'),
        (r"values = \[80, 100, 200\]", "values = [90, 120, 240]"),
        (r"values = \[40, 125, 500\]", "values = [45, 130, 520]"),
        (r"values = \[15000, 20000, 40000\]", "values = [16000, 22000, 45000]"),
        (r"(\[eid\.reader_kr\]\nvalue = )500", r"\g<1>560"),
        (r"kr_per_person = 700", "kr_per_person = 750"),
        (r"annual_kr = 661000", "annual_kr = 702000"),
        (r"(\[benefits\.minutes_saved\]\nvalue = )\d+(\.\d+)?", r"\g<1>5"),
    ]
    for pattern, repl in edits:
        text, n = re.subn(pattern, repl, text)
        assert n == 1, pattern
    return parse_estimates(text, file="nhn-2024-01.toml")

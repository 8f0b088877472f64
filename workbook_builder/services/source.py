"""The one way the reports read a filled workbook: `read_filled(path, est)`.

Memo, notice and collect all go through this function, and it goes through the project's reader
of filled workbooks (`workbook_builder.xlsx.reading`: inputs by defined name, hostile files refused with
a one-line reason, every value checked with the model's rules). List values are read strictly, as
the workbook's own formulas take them, so the model's numbers here are the numbers the workbook
shows; an invalid value becomes a `Finding` and is named in `Inputs.invalid` (Kontroll fails).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workbook_builder.cells import OUTPUTS
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.model import Inputs
from workbook_builder.xlsx.reading import UnreadableWorkbook, built_date, read_workbook

__all__ = ["Filled", "Finding", "UnreadableWorkbook", "read_filled"]


@dataclass(frozen=True)
class Finding:
    """An input value a reader found but could not use (it is left out of every number)."""

    label: str
    raw: str
    en: str
    nb: str


@dataclass
class Filled:
    path: Path
    inputs: Inputs
    findings: list[Finding]
    metadata: dict[str, str]
    built: dt.date | None  # the build date decides the default first budget year
    saved: dict[str, Any] = field(default_factory=dict)  # headline output name → saved value (None: no value)


def read_filled(path: str | Path, est: Estimates, outputs: Iterable[str] = OUTPUTS) -> Filled:
    """Read a filled workbook; raises UnreadableWorkbook (one line, English) for a file it refuses. Of the
    headline outputs' saved values only those of `outputs` are read (all unless a command compares fewer)."""
    outputs = tuple(outputs)
    fw = read_workbook(path, est, strict=True, full=False, outputs=outputs)
    findings = [Finding(p.label, p.raw, p.en, p.nb) for p in fw.problems]
    saved = {name: fw.saved[name] for name in outputs if name in fw.saved}
    return Filled(Path(path), fw.inputs, findings, fw.metadata, built_date(fw.metadata), saved)

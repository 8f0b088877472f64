"""The one way the reports read a filled workbook: `read_filled(path, est)`.

Memo, notice and collect all go through this function, and it goes through the project's reader
of filled workbooks (`workbook_builder.xlsx.filled_reader`: inputs by defined name, hostile files refused with
a one-line reason, every value checked with the model's rules). List values are read strictly, as
the workbook's own formulas take them, so the model's numbers here are the numbers the workbook
shows; an invalid value becomes a `Finding` and is named in `Inputs.invalid` (Kontroll fails).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from workbook_builder.cells import OUTPUTS
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.i18n import Message
from workbook_builder.core.model import Budget, Inputs, budget
from workbook_builder.xlsx.filled_reader import Explained, UnreadableWorkbook, built_date, read_workbook

__all__ = ["Filled", "Finding", "UnreadableWorkbook", "filled_budget", "other_estimates", "read_filled"]


@dataclass(frozen=True)
class Finding(Explained):
    """An input value a reader found but could not use (it is left out of every number): the input's label
    and why, as messages read in the målform of the document that lists it; why in English for the terminal
    (`english`, its labels read by `en_in(malform)`)."""

    title: Message
    raw: str
    english: str | Message
    reason: Message

    def shown(self, malform: str) -> dict[str, str]:
        """What a document in `malform` lists: «{label}: «{raw}» – {why}»."""
        return {"label": self.label_in(malform), "raw": self.raw, "why": self.why(malform)}


@dataclass
class Filled:
    path: Path
    inputs: Inputs
    findings: list[Finding]
    metadata: dict[str, str]
    built: dt.date | None  # the build date decides the default first budget year
    saved: dict[str, Any] = field(default_factory=dict)  # headline output name → saved value (None: no value)


def read_filled(path: str | Path, est: Estimates, outputs: Iterable[str] = OUTPUTS, data: bytes | None = None
                ) -> Filled:
    """Read a filled workbook; raises UnreadableWorkbook (one line, English) for a file it refuses. Of the
    headline outputs' saved values only those of `outputs` are read (all unless a command compares fewer).
    `data`: the file's bytes when the caller has read them already (`file_bytes`), so what is read is what it
    has (collect's cache keys an entry by the bytes it was read from)."""
    outputs = tuple(outputs)
    source: str | Path | bytes = path if data is None else data
    fw = read_workbook(source, est, None if data is None else Path(path).name, strict=True, full=False,
                       outputs=outputs)
    findings = [Finding(p.title, p.raw, p.english, p.reason) for p in fw.problems]
    saved = {name: fw.saved[name] for name in outputs if name in fw.saved}
    return Filled(Path(path), fw.inputs, findings, fw.metadata, built_date(fw.metadata), saved)


def filled_budget(path: str | Path, est: Estimates, malform: str | None = None) -> tuple[Filled, Budget]:
    """A filled workbook read by `read_filled` and the model's budget for its inputs (the default first
    budget year from its build date), its texts in `malform` (None: the målform recorded in the workbook);
    raises UnreadableWorkbook."""
    filled = read_filled(path, est)
    if malform is not None:
        filled.inputs = replace(filled.inputs, malform=malform)
    return filled, budget(est, filled.inputs, filled.built or dt.date.today())


def other_estimates(metadata: dict[str, str], est: Estimates) -> str | None:
    """A note (English) when the workbook was built from other estimates than `est`, which the numbers now use."""
    built_with = metadata.get("estimates_sha256")
    if not built_with or built_with == est.sha256:
        return None
    return (f"the workbook was built from estimates {metadata.get('estimates_id', '?')} "
            f"{metadata.get('estimates_version', '?')}; the numbers here use {est.id} {est.version} and may differ "
            "from the workbook's")

"""Checking a filled workbook (`kj-budget check`): read it, recompute it with the model, compare.

It answers the finance officer's question before the totals go into the budget: are the inputs valid,
what does Kontroll say, and do the totals saved in the file equal the model's for those inputs (a stale
file, one edited outside the template or a broken formula shows as a mismatch)? Saved values are
compared with the model's by the one tolerance (`numbers.same_value`, half an øre); the verdict by the
one severity table (`vocabulary`).
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from workbook_builder.cells import output_values
from workbook_builder.core.errors import EXIT_CHECK_FAILED, EXIT_OK
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.model import budget
from workbook_builder.core.numbers import same_value
from workbook_builder.core.vocabulary import NOTE, OK, at_most
from workbook_builder.xlsx.filled_reader import FilledWorkbook, UnreadableWorkbook, built_date, read_workbook

__all__ = ["UnreadableWorkbook", "check_file", "check_workbook"]


def _plain(value: Any) -> Any:
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value if isinstance(value, (int, float, str, bool)) or value is None else str(value)


def check_file(path: str | Path, est: Estimates, allow_notes: bool = False) -> dict[str, Any]:
    """Read the workbook at `path` and check it; raises UnreadableWorkbook (one line) for a file it refuses."""
    return check_workbook(read_workbook(path, est, strict=True, full=False), est, allow_notes)


def check_workbook(fw: FilledWorkbook, est: Estimates, allow_notes: bool = False) -> dict[str, Any]:
    """The whole check as a dict (what `check --json` prints; its keys are in the README)."""
    today = built_date(fw.metadata) or dt.date.today()  # the build date decides the default first budget year
    b = budget(est, fw.inputs, today)
    totals = []
    for name, model_value in output_values(est, b).items():
        saved = fw.saved.get(name)
        totals.append({"name": name, "workbook": _plain(saved), "model": _plain(model_value),
                       "match": same_value(saved, model_value)})
    totals_match = all(t["match"] for t in totals)
    master = b.master_check
    checks_ok = at_most(master, NOTE if allow_notes else OK)
    built_sha = fw.metadata.get("estimates_sha256")
    return {
        "file": str(fw.path),
        "workbook": fw.metadata,
        "estimates": {"id": est.id, "version": est.version, "sha256": est.sha256, "file": Path(est.file).name,
                      "same_as_workbook": built_sha == est.sha256 if built_sha else None},
        "inputs": {c.key: c.data for c in fw.carried},
        "problems": [{"name": p.key, "value": p.raw, "reason": p.en, "kind": p.kind} for p in fw.problems],
        "checks": [{"id": c.id, "title": c.title, "status": c.status, "message": c.message} for c in b.checks],
        "master_check": master,
        "totals": totals,
        "totals_match": totals_match,
        "ok": checks_ok and totals_match,
        "exit_code": EXIT_OK if checks_ok and totals_match else EXIT_CHECK_FAILED,
    }

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
from workbook_builder.core.followup import DEVIATION_EN, HOURS, follow_up, line_label
from workbook_builder.core.model import Budget, budget
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


def followup_json(est: Estimates, b: Budget) -> list[dict[str, Any]]:
    """Each line and budget year whose actual is known (Oppfølging): the budget, its P50 and P85, the actual as
    entered and in the budget's fixed prices, the deviation in the line's unit and as a share of the budget,
    and the status against the range (below P50, within P50–P85, above P85; above is a note on Kontroll)."""
    out = []
    for d in follow_up(est, b, b.inputs.actuals):
        if d.actual is None:
            continue
        out.append({"line": d.line.id, "label": line_label(est, d.line, "nb"), "year": d.year,
                    "unit": "hours" if d.line.unit == HOURS else "kr", "budget": _plain(d.budget),
                    "p50": _plain(d.p50), "p85": _plain(d.p85), "actual_entered": _plain(d.actual_nominal),
                    "actual": _plain(d.actual), "deviation": _plain(d.deviation),
                    "deviation_share": d.deviation_share, "status": DEVIATION_EN[d.status]})
    return out


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
        "problems": [{"name": p.key, "value": p.raw, "reason": p.en_in(fw.inputs.malform), "kind": p.kind}
                     for p in fw.problems],  # the labels a reason quotes as the workbook shows them
        "checks": [{"id": c.id, "title": c.title, "status": c.status, "message": c.message} for c in b.checks],
        "followup": followup_json(est, b),
        "master_check": master,
        "totals": totals,
        "totals_match": totals_match,
        "ok": checks_ok and totals_match,
        "exit_code": EXIT_OK if checks_ok and totals_match else EXIT_CHECK_FAILED,
    }

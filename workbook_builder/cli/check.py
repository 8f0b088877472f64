"""`kj-budget check`: the arguments and the report on the terminal; the check itself is
`services.check` (read a filled workbook, recompute it with the model, compare)."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from workbook_builder.cli.commands import HELP
from workbook_builder.cli.common import add_estimates_option, estimates_from
from workbook_builder.core.errors import EXIT_USAGE, CliError
from workbook_builder.core.numbers import nb_number, terminal_value
from workbook_builder.core.vocabulary import CHECKS, STATUS_EN
from workbook_builder.services.check import UnreadableWorkbook, check_file


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "check", help=HELP["check"],
        description="Read a filled workbook (safely, by its defined names), recompute it with the model and "
        "report its inputs, the checks of its Kontroll sheet, the actuals on its Oppfølging sheet against the "
        "budget (per line and year, with P50, P85 and the deviation), and whether the totals saved in the file "
        "(kj_total_kr and the other headline outputs) equal the model's.",
        epilog="Exit codes: 0 every check OK and the totals match; 1 a check is not OK or a total does not "
        "match (an actual above P85 is a note: exit 0 with --allow-notes); 2 the file cannot be read (not a "
        "workbook, damaged, hostile, not from kj-budget).",
    )
    p.add_argument("file", type=Path, metavar="FILE.xlsx", help="the filled workbook")
    p.add_argument("--json", action="store_true", help="print JSON for scripts (keys in the README)")
    p.add_argument("--allow-notes", action="store_true",
                   help="exit 0 also when checks give notes (Merknad) but no errors")
    add_estimates_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    est = estimates_from(args)
    try:
        result = check_file(args.file, est, allow_notes=args.allow_notes)
    except UnreadableWorkbook as exc:
        raise CliError(f"cannot read {exc}", EXIT_USAGE) from None
    if args.json:
        print(json.dumps(result, ensure_ascii=False, indent=2))
    else:
        print("\n".join(_lines(result)))
    return int(result["exit_code"])


def _lines(r: dict[str, Any]) -> list[str]:
    meta, est = r["workbook"], r["estimates"]
    lines = [f"{r['file']}: built {meta.get('built', '?')} by kj-budget {meta.get('tool_version', '?')} from "
             f"estimates {meta.get('estimates_id', '?')} {meta.get('estimates_version', '?')}; "
             f"checked against {est['id']} {est['version']} ({est['file']})."]
    if est["same_as_workbook"] is False:
        lines.append("  Note: the workbook was built from other estimates (another SHA-256); the totals are "
                     "compared with these. Pass --estimates with the file it was built from.")
    lines.append(f"Inputs ({len(r['inputs'])} filled in):")
    lines += [f"  {k} = {v!r}" for k, v in r["inputs"].items()]
    for p in r["problems"]:
        lines.append(f"  INVALID {p['name']} = {p['value']!r}: {p['reason']}")
    lines.append(f"Checks (Kontroll): {r['master_check']}")
    for c in r["checks"]:
        lines.append(f"  {STATUS_EN[c['status']]:<5} {CHECKS[c['id']].title_en}")
    lines += _followup_lines(r["followup"])
    bad = [t for t in r["totals"] if not t["match"]]
    unsaved = [t for t in bad if _unsaved(t["workbook"]) and not _unsaved(t["model"])]
    if bad and len(unsaved) == len(bad):
        lines.append(f"Totals: the file holds no calculated results for {len(bad)} of {len(r['totals'])} outputs: it "
                     "was last saved by a program that does not calculate. Open and save it in Excel or "
                     "LibreOffice, then check again. The model gives kj_total_kr "
                     f"{terminal_value(_get(r, 'kj_total_kr'))}.")
    elif bad:
        lines.append(f"Totals: {len(bad)} of {len(r['totals'])} saved values do not match the model:")
        for t in bad:
            saved = "(no saved value)" if _unsaved(t["workbook"]) else terminal_value(t["workbook"])
            lines.append(f"  {t['name']}: workbook {saved}, model {terminal_value(t['model'])}")
    else:
        lines.append(f"Totals: all {len(r['totals'])} saved values match the model "
                     f"(e.g. kj_total_kr {terminal_value(_get(r, 'kj_total_kr'))}).")
    lines.append("Result: OK" if r["ok"] else "Result: NOT OK")
    return lines


def _followup_lines(devs: list[dict[str, Any]]) -> list[str]:
    """The actuals on Oppfølging against the budget, per line and year (fixed prices of the first budget year)."""
    if not devs:
        return ["Follow-up (Oppfølging): no actuals entered yet."]
    above = sum(d["status"] == "above" for d in devs)
    out = [f"Follow-up (Oppfølging): {len(devs)} actual{'s' if len(devs) != 1 else ''} entered, {above} above P85 "
           "(each a note on Kontroll); in fixed prices of the first budget year:"]
    for d in devs:
        unit = " hours" if d["unit"] == "hours" else " kr"
        share_ = d["deviation_share"]
        share = "" if share_ is None else f" ({'+' if share_ > 0 else ''}{nb_number(share_ * 100, 1)} %)"
        deviation = terminal_value(round(d["deviation"], 2))
        out.append(f"  {d['status']:<6} {d['line']} {d['year']}: actual {terminal_value(d['actual'])}{unit}, budget "
                   f"{terminal_value(d['budget'])} (P50 {terminal_value(d['p50'])}, P85 {terminal_value(d['p85'])}), "
                   f"deviation {'+' if d['deviation'] > 0 else ''}{deviation}{share}")
    return out


def _get(r: dict[str, Any], name: str) -> Any:
    return next(t["model"] for t in r["totals"] if t["name"] == name)


def _unsaved(value: Any) -> bool:
    return value is None or value == "" or (isinstance(value, list) and all(v in (None, "") for v in value))

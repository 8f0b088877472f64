"""`kj-budget lines`: the Budsjettlinjer of a filled workbook as CSV for the budget system."""

from __future__ import annotations

import argparse
import csv
import io
from pathlib import Path

from workbook_builder.cli.commands import HELP
from workbook_builder.cli.common import add_estimates_option
from workbook_builder.cli.reading import filled_budget
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.model import Budget
from workbook_builder.core.textinput import neutralise
from workbook_builder.xlsx.output import BUDGET_LINES_CSV, Target, check_targets, write_outputs

HEADS = ("År", "Ansvar", "Funksjon", "Funksjonsnavn", "Art", "Artsnavn", "Prosjekt", "Beløp (kr)",
         "Beløp (1 000 kr)", "Tekst")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "lines", help=HELP["lines"],
        description="Write the new money of a filled workbook as budget lines for the municipality's budget "
        "system: one row per budget year, KOSTRA function and KOSTRA art, in kr and 1 000 kr (fixed prices of the "
        "first budget year, excl. mva), with the ansvar and prosjekt codes entered on Inndata and a text. The same "
        "rows as the workbook's Budsjettlinjer sheet; rows of 0 kr are left out unless --all. Semicolon-separated "
        "with a decimal comma and a UTF-8 byte-order mark, as Norwegian Excel opens it.",
        epilog="Example: kj-budget lines build/kommuner/3405-lillehammer.xlsx --out budsjettlinjer.csv",
    )
    p.add_argument("workbook", type=Path, metavar="FILE.xlsx", help="a filled budget workbook")
    p.add_argument("--out", type=Path, metavar="FILE.csv", help="write the CSV here (default: print it)")
    p.add_argument("--all", action="store_true", help="include lines of 0 kr")
    p.add_argument("--force", action="store_true",
                   help="replace --out even if it is not a budget lines CSV written by kj-budget")
    add_estimates_option(p)
    p.set_defaults(func=run)


def lines_csv(est: Estimates, b: Budget, ansvar: str, prosjekt: str, include_zero: bool = False) -> str:
    """The Budsjettlinjer rows as ';'-separated text with a decimal comma."""
    acc = est.accounting
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    w.writerow(HEADS)
    for a in b.accounting_lines:
        if not include_zero and abs(a.kr) < 0.005:
            continue
        w.writerow([a.year, _safe(ansvar), a.function, acc.function(a.function).label, a.art, acc.art(a.art).label,
                    _safe(prosjekt), _decimal(a.kr), _decimal(a.thousand_kr), a.text])
    return "\ufeff" + buf.getvalue()


def _decimal(x: float) -> str:
    return f"{x:.2f}".rstrip("0").rstrip(".").replace(".", ",") if x % 1 else f"{x:.0f}"


def _safe(text: str) -> str:
    """A code typed by a user, kept from being read as a formula by a spreadsheet (OWASP CSV injection):
    the one rule, textinput.neutralise."""
    return neutralise(text)


def run(args: argparse.Namespace) -> int:
    target = Target(args.out, BUDGET_LINES_CSV, f"--out {args.out}") if args.out is not None else None
    est, filled, b = filled_budget(args, "lines")
    if target is not None:  # the output rule (workbook_builder.xlsx.output), before anything is written
        check_targets([target], [args.workbook, args.estimates], force=args.force)
    text = lines_csv(est, b, filled.inputs.ansvar, filled.inputs.prosjekt, args.all)
    if target is None:
        print(text.removeprefix("\ufeff"), end="")
        return 0
    write_outputs([(target, text.encode("utf-8"))])
    rows = text.count("\r\n") - 1
    print(f"Wrote {args.out}: {rows} budget lines, {b.params.first_year}–{b.params.last_year}, fixed "
          f"{b.params.price_year} kroner.")
    return 0

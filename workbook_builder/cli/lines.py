"""`kj-budget lines`: the Budsjettlinjer of a filled workbook as CSV for the budget system (the arguments
and the output; the CSV is made by `services.lines`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbook_builder.cli.commands import HELP
from workbook_builder.cli.common import add_estimates_option, add_malform_option, filled_budget
from workbook_builder.services.lines import lines_csv
from workbook_builder.xlsx.output import BUDGET_LINES_CSV, Target, check_targets, write_outputs


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
    add_malform_option(p, "the målform recorded in the workbook")
    add_estimates_option(p)
    p.set_defaults(func=run)


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

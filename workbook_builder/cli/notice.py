"""`kj-budget notice`: the message to the EPJ vendor, with a copy to the national project."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from workbook_builder.cli.commands import HELP
from workbook_builder.cli.common import add_estimates_option, add_malform_option, filled_budget
from workbook_builder.core.errors import EXIT_USAGE, CliError
from workbook_builder.core.textinput import cli_text
from workbook_builder.services.memo import vendor_name
from workbook_builder.services.notice import NoticeRefused, notice_text
from workbook_builder.xlsx.output import NOTICE, Target, check_targets, write_outputs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "notice", help=HELP["notice"],
        description="Write the text of the message to the EPJ vendor chosen in the workbook (or the name typed for "
        "«Annen leverandør»), with a copy to the national project's address from the estimates. By default an "
        "inquiry before a decision: the planned scope (rollout steps, personnel, e-ID, start year) and a request for "
        "the price of the module for HelseID and kjernejournal, its yearly costs, when it can be taken into use and "
        "what the vendor needs from the municipality; nothing is said to be decided. With --decided it reports the "
        "decision. No budgeted amount is stated unless --with-budget. Norwegian text, printed or written to --out.",
        epilog="Exit code 2 when the workbook has no vendor (or «Annen leverandør» without a name), no municipality "
        "name or no personnel. Example: kj-budget notice build/kommuner/3405-lillehammer.xlsx --out melding.txt",
    )
    p.add_argument("workbook", type=Path, metavar="FILE.xlsx", help="a filled budget workbook")
    p.add_argument("--out", type=Path, metavar="FILE", help="write the text here (default: print it)")
    p.add_argument("--force", action="store_true",
                   help="replace FILE even if it is not a notice written by kj-budget")
    p.add_argument("--signature", default="", metavar="TEXT",
                   help="who signs, e.g. 'Kari Nordmann, prosjektleder' (default: the municipality)")
    p.add_argument("--decided", action="store_true",
                   help="report the municipality's decision (default: an inquiry before a decision)")
    p.add_argument("--with-budget", action="store_true",
                   help="state the amount set aside for the module (when priced in the workbook), else the one-off "
                   "total (default: no budgeted amount, which would weaken the municipality's hand)")
    add_malform_option(p, "the målform recorded in the workbook")
    add_estimates_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    signature = cli_text(args.signature, "--signature", max_chars=200)
    target = Target(args.out, NOTICE, f"--out {args.out}") if args.out is not None else None
    est, filled, b = filled_budget(args, "notice")
    if target is not None:
        check_targets([target], [args.workbook, args.estimates], force=args.force)
    today = dt.date.today()
    try:
        text = notice_text(est, filled.inputs, b, today=today, signature=signature, decided=args.decided,
                           with_budget=args.with_budget)
    except NoticeRefused as exc:
        raise CliError(f"{args.workbook.name}: {exc}", EXIT_USAGE) from None
    if target is None:
        print(text, end="")
        return 0
    write_outputs([(target, text.encode("utf-8"))])
    form = "the decision" if args.decided else "an inquiry before a decision"
    amount = ", with the budgeted amount" if args.with_budget else ", no budgeted amount"
    print(f"Wrote {args.out}: {form}{amount}, to {vendor_name(est, filled.inputs, b.params.malform)} with a copy to "
          f"{est.contact_email}.")
    return 0

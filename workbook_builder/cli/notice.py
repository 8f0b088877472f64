"""`kj-budget notice`: the message to the EPJ vendor, with a copy to the national project."""

from __future__ import annotations

import argparse
import datetime as dt
from pathlib import Path

from workbook_builder.cells import list_label
from workbook_builder.cli.commands import HELP
from workbook_builder.cli.common import add_estimates_option, filled_budget
from workbook_builder.core.errors import EXIT_USAGE, CliError
from workbook_builder.core.textinput import cli_text
from workbook_builder.services.notice import NoticeRefused, notice_text
from workbook_builder.xlsx.output import NOTICE, Target, check_targets, write_outputs


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "notice", help=HELP["notice"],
        description="Write the text of the message the note asks a municipality to send: the decision (scope, "
        "rollout steps, personnel, e-ID, start year) to the EPJ vendor chosen in the workbook, with a copy to the "
        "national project's address from the estimates, asking for the price of the module for HelseID and "
        "kjernejournal. Norwegian text, printed or written to --out.",
        epilog="Exit code 2 when the workbook has no vendor, no municipality name or no personnel. "
        "Example: kj-budget notice build/kommuner/3405-lillehammer.xlsx --out melding.txt",
    )
    p.add_argument("workbook", type=Path, metavar="FILE.xlsx", help="a filled budget workbook")
    p.add_argument("--out", type=Path, metavar="FILE", help="write the text here (default: print it)")
    p.add_argument("--force", action="store_true",
                   help="replace FILE even if it is not a notice written by kj-budget")
    p.add_argument("--signature", default="", metavar="TEXT",
                   help="who signs, e.g. 'Kari Nordmann, prosjektleder' (default: the municipality)")
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
        text = notice_text(est, filled.inputs, b, today=today, signature=signature)
    except NoticeRefused as exc:
        raise CliError(f"{args.workbook.name}: {exc}", EXIT_USAGE) from None
    if target is None:
        print(text, end="")
        return 0
    write_outputs([(target, text.encode("utf-8"))])
    print(f"Wrote {args.out}: message to {list_label(est, 'vendor', filled.inputs.vendor)} "
          f"with a copy to {est.contact_email}.")
    return 0

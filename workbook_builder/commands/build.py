"""`kj-budget build`: write the budget workbook."""

from __future__ import annotations

import argparse
from pathlib import Path

from ..errors import EXIT_WRITE, CliError
from ..model import Inputs
from ..workbook import DEFAULT_OUT, build_workbook
from .common import add_estimates_option, estimates_from


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build", help="write the budget workbook (.xlsx) for a municipality to fill in",
        description="Build the budget-template workbook in Norwegian: locked sheets with the estimates and the "
        "workings, yellow input cells on Inndata, native Excel formulas (no add-in), checks, a chart and "
        "print-ready pages. Every formula cell carries the model's value, so previews show real numbers.",
        epilog=f"Example: kj-budget build --municipality Gausdal --out build/gausdal.xlsx (default out: {DEFAULT_OUT})",
    )
    p.add_argument("--out", type=Path, default=DEFAULT_OUT, metavar="FILE",
                   help=f"where to write the workbook (default: {DEFAULT_OUT})")
    p.add_argument("--municipality", metavar="NAME", default="", help="municipality name, filled in on Inndata")
    p.add_argument("--municipality-number", metavar="NNNN", default="", help="four-digit municipality number")
    p.add_argument("--password", metavar="PW", default=None,
                   help="protect the sheets with this password (default: protected without a password)")
    add_estimates_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    est = estimates_from(args)
    number = args.municipality_number.strip()
    if number and not (len(number) == 4 and number.isdigit()):
        raise CliError(f"--municipality-number must be four digits, got {args.municipality_number!r}")
    inputs = Inputs(municipality=args.municipality.strip(), municipality_number=number)
    try:
        built = build_workbook(args.out, est, inputs, password=args.password)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}", EXIT_WRITE) from None
    b = built.budget
    print(f"Wrote {args.out}: {len(built.register.names)} defined names, estimates {est.id} {est.version}.")
    print(f"Master check: {b.master_check} ({b.master_message})")
    return 0

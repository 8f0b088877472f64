"""`kj-budget build`: write the budget workbook."""

from __future__ import annotations

import argparse
from pathlib import Path

from udfs.lite import embed_lite, lite_main_py, requirements_txt, udf_config_rows

from ..errors import EXIT_WRITE, CliError
from ..files import atomic_write_bytes
from ..model import Inputs
from ..workbook import DEFAULT_OUT, build_bytes
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
    p.add_argument("--with-lite", action="store_true",
                   help="embed the Excel functions (KJ_COST …) for xlwings Lite: a self-contained main.py and "
                   "requirements.txt that Lite loads when the workbook opens (Excel on Windows, Mac and the web)")
    p.add_argument("--udf-config", action="store_true",
                   help="add an xlwings.conf sheet that points the classic xlwings add-in at the module udfs.kj")
    add_estimates_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    est = estimates_from(args)
    number = args.municipality_number.strip()
    if number and not (len(number) == 4 and number.isdigit()):
        raise CliError(f"--municipality-number must be four digits, got {args.municipality_number!r}")
    inputs = Inputs(municipality=args.municipality.strip(), municipality_number=number)
    extra = {"xlwings.conf": udf_config_rows()} if args.udf_config else None
    built = build_bytes(est, inputs, password=args.password, extra_sheets=extra)
    data = built.data
    if args.with_lite:
        data = embed_lite(data, lite_main_py(est.text), requirements_txt())
    try:
        atomic_write_bytes(args.out, data)
    except OSError as exc:
        raise CliError(f"cannot write {args.out}: {exc.strerror or exc}", EXIT_WRITE) from None
    b = built.budget
    extras = "".join([", with the xlwings Lite functions" if args.with_lite else "",
                      ", with an xlwings.conf sheet" if args.udf_config else ""])
    print(f"Wrote {args.out}: {len(built.register.names)} defined names, estimates {est.id} {est.version}{extras}.")
    print(f"Master check: {b.master_check} ({b.master_message})")
    return 0

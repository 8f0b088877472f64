"""`kj-budget build`: write the budget workbook, new or regenerated from a filled one (--from)."""

from __future__ import annotations

import argparse
from pathlib import Path

from workbook_builder.cli.commands import HELP
from workbook_builder.cli.common import add_estimates_option, add_malform_option, estimates_from
from workbook_builder.core.errors import EXIT_USAGE, CliError
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.i18n import DEFAULT_MALFORM, tr
from workbook_builder.core.model import Inputs
from workbook_builder.core.municipality import parse_municipality_number
from workbook_builder.core.textinput import cli_text
from workbook_builder.services.regenerate import default_out, regenerate, report_lines
from workbook_builder.workbook import DEFAULT_OUT, build_bytes
from workbook_builder.xlsx.filled_reader import UnreadableWorkbook
from workbook_builder.xlsx.lite import embed_lite, lite_main_py, requirements_txt, udf_config_rows
from workbook_builder.xlsx.output import BUDGET_WORKBOOK, Target, workbook_keeps, write_checked


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "build", help=HELP["build"],
        description="Build the budget-template workbook in Norwegian: locked sheets with the estimates and the "
        "workings, yellow input cells on Inndata, native Excel formulas (no add-in), checks, a chart and "
        "print-ready pages. Every formula cell carries the model's value, so previews show real numbers. "
        "With --from OLD.xlsx, every value filled in OLD is carried into a workbook built from the (new) "
        "estimates, and a report of what was carried and what changed is printed and added as the sheet "
        "Regenerering.",
        epilog="Examples: kj-budget build --municipality Gausdal --out build/gausdal.xlsx "
        f"(default out: {DEFAULT_OUT}); "
        "kj-budget build --from gausdal.xlsx --estimates new.toml (writes gausdal-regenerert.xlsx). "
        "The input file is never overwritten; an existing workbook with filled-in inputs is replaced only "
        "with --force. The file is written to a temporary file and renamed, so it is never half-written.",
    )
    p.add_argument("--from", dest="source", type=Path, metavar="OLD.xlsx",
                   help="a filled workbook: carry its inputs into the new workbook (read by their defined names)")
    p.add_argument("--out", type=Path, default=None, metavar="FILE",
                   help=f"where to write the workbook (default: {DEFAULT_OUT}; with --from: next to OLD, "
                   "named OLD-regenerert.xlsx)")
    p.add_argument("--force", action="store_true",
                   help="replace FILE even if it holds filled-in inputs or is not a kj-budget workbook")
    p.add_argument("--municipality", metavar="NAME", default="", help="municipality name, filled in on Inndata")
    p.add_argument("--municipality-number", metavar="NNNN", default="", help="four-digit municipality number")
    p.add_argument("--password", metavar="PW", default=None,
                   help="protect the sheets with this password (default: protected without a password)")
    p.add_argument("--with-lite", action="store_true",
                   help="embed the Excel functions (KJ_COST …) for xlwings Lite: a self-contained main.py and "
                   "requirements.txt that Lite loads when the workbook opens (Excel on Windows, Mac and the web)")
    p.add_argument("--udf-config", action="store_true",
                   help="add an xlwings.conf sheet that points the classic xlwings add-in at the module udfs.kj")
    add_malform_option(p, "nb; with --from, the målform of OLD")
    add_estimates_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    est = estimates_from(args)
    if args.source is not None:
        return _regenerate(args, est)
    name = cli_text(args.municipality, "--municipality")
    number = parse_municipality_number(cli_text(args.municipality_number, "--municipality-number"),
                                       "--municipality-number")
    inputs = Inputs(municipality=name, municipality_number=number, malform=args.malform or DEFAULT_MALFORM)
    out = args.out or DEFAULT_OUT
    extra = {"xlwings.conf": udf_config_rows()} if args.udf_config else None
    built = build_bytes(est, inputs, password=args.password, extra_sheets=extra)
    lite = lite_main_py(est.text, inputs.malform) if args.with_lite else None
    data = embed_lite(built.data, lite, requirements_txt()) if lite is not None else built.data
    _write(out, data, force=args.force, inputs=[args.estimates])
    b = built.budget
    print(f"Wrote {out}: {len(built.register.names)} defined names, estimates {est.id} {est.version}"
          f"{_extras(args.with_lite, args.udf_config)}.")
    print(f"Master check: {tr(b.master_check, b.params.malform)} ({b.master_message})")
    return 0


def _regenerate(args: argparse.Namespace, est: Estimates) -> int:
    if args.municipality or args.municipality_number:
        raise CliError("--municipality and --municipality-number cannot be combined with --from: "
                       "the inputs come from the old workbook")
    source: Path = args.source
    out: Path = args.out or default_out(source)
    try:  # what the old workbook had (Lite functions, an xlwings.conf sheet) comes along
        reg = regenerate(source, est, password=args.password, extra_sheets=lambda old: (
            {"xlwings.conf": udf_config_rows()} if args.udf_config or old.udf_config else None),
            malform=args.malform)
    except UnreadableWorkbook as exc:
        raise CliError(f"cannot read {exc}", EXIT_USAGE) from None
    with_lite = args.with_lite or reg.old.lite
    lite = lite_main_py(est.text, reg.built.budget.params.malform) if with_lite else None
    data = embed_lite(reg.built.data, lite, requirements_txt()) if lite is not None else reg.built.data
    _write(out, data, force=args.force, inputs=[source, args.estimates])
    print("\n".join(report_lines(reg)))
    print(f"Wrote {out}{_extras(with_lite, reg.udf_config)}: the report is on its Regenerering sheet.")
    b = reg.built.budget
    print(f"Master check: {tr(b.master_check, b.params.malform)} ({b.master_message})")
    return 0


def _write(out: Path, data: bytes, force: bool, inputs: list[Path | None]) -> None:
    """The output rule (workbook_builder.xlsx.output): never an input, never a file we did not write without
    --force, never a workbook with typed-in values this build would lose; atomic; exit 3 naming --out."""
    target = Target(out, BUDGET_WORKBOOK, f"--out {out}", keeps=workbook_keeps(data))
    write_checked([(target, data)], inputs, force=force)


def _extras(with_lite: bool, udf_config: bool) -> str:
    return "".join([", with the xlwings Lite functions" if with_lite else "",
                    ", with an xlwings.conf sheet" if udf_config else ""])

"""`kj-budget estimates`: show the estimate table, or export the estimates file to edit."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from rich import box
from rich.console import Console
from rich.measure import Measurement
from rich.table import Table

from workbook_builder.cli.commands import HELP
from workbook_builder.cli.common import add_estimates_option, estimates_from
from workbook_builder.core.errors import EXIT_CHECK_FAILED, CliError
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.model import Inputs as _Inputs
from workbook_builder.core.model import resolve
from workbook_builder.core.numbers import nb_number
from workbook_builder.services.estimates import estimates_json
from workbook_builder.xlsx.output import Target, estimates_kind, write_checked


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "estimates", help=HELP["estimates"],
        description="Print the estimate table (the note's figures at each reference size, with track, "
        "expense kind, unit and source), or write the estimates file with --export so you can edit it "
        "and pass it back with --estimates FILE, or learn the estimates from the region with --calibrate: each "
        "interpolated line item's values at the reference sizes are fitted to what the municipalities' "
        "rollouts really cost (the actuals on their Oppfølging sheets, from the filled workbooks in a folder or "
        "from the Oppfølging sheet of an overview written by kj-budget collect), its range set from how far they "
        "spread, and the original figures kept beside the fitted ones.",
        epilog="Exit codes: 0 written; 1 too few municipalities reported to fit an item (named with its "
        "segment; nothing written); 2 bad arguments or files; 3 the output could not be written. Example: "
        "kj-budget estimates --calibrate build/oversikt.xlsx --out build/region.toml, then "
        "kj-budget build --from OLD.xlsx --estimates build/region.toml",
    )
    add_estimates_option(p)
    p.add_argument("--export", metavar="FILE", help="write the estimates file (TOML) to FILE")
    p.add_argument("--force", action="store_true",
                   help="with --export: replace FILE even if it is not the same estimates file")
    p.add_argument("--json", action="store_true", help="print the estimates as JSON")
    p.add_argument("--calibrate", type=Path, metavar="OVERVIEW.xlsx|DIR",
                   help="fit the line items to the actuals in the overview that `kj-budget collect` wrote (its "
                   "Oppfølging sheet), or of the filled workbooks in DIR (read as collect reads them), and write "
                   "the calibrated estimates to --out")
    p.add_argument("--out", type=Path, metavar="FILE.toml", help="with --calibrate: where to write the estimates")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    est = estimates_from(args)
    if args.calibrate is not None:
        return _calibrate(args, est)
    if args.export:
        out = Path(args.export)
        write_checked([(Target(out, estimates_kind(est.text), f"--export {out}"), est.text.encode("utf-8"))],
                      [args.estimates], force=args.force)
        print(f"Wrote {args.export} ({est.id}, version {est.version}). "
              f"Edit it and pass it back with --estimates {args.export}.")
        return 0
    if args.json:
        print(json.dumps(estimates_json(est), ensure_ascii=False, indent=2))
        return 0
    console = Console(highlight=False, soft_wrap=False)
    console.print(f"[bold]{est.name}[/bold]\n{est.document}\nEstimates {est.id}, version {est.version} "
                  f"(sha256 {est.sha256[:12]})\n")
    table = Table(title="One-off line items (personnel → figure)", title_justify="left", box=box.SIMPLE_HEAD)
    # Figures are never cut: a narrow terminal shortens the item, track and unit columns instead.
    widest = max(len(nb_number(v)) for i in est.items for v in (i.values or i.published or ()))
    for col, longest in (("item", 18), ("track", 12), ("unit", 12)):
        table.add_column(col, no_wrap=True, overflow="ellipsis", max_width=longest)
    for s in est.sizes.values:
        table.add_column(f"{s:g}", justify="right", no_wrap=True, min_width=max(widest, len(f"{s:g}")))
    for item in est.items:
        figures = item.values or item.published
        cells = [nb_number(v) for v in figures] if figures else ["–"] * len(est.sizes.values)
        table.add_row(item.id + ("*" if item.id == "eid" else "") + ("**" if not figures else ""), item.track,
                      item.unit, *cells)
    table.add_row("readers", "teknisk", est.readers.unit, *(nb_number(v) for v in est.readers.values))
    needed = Measurement.get(console, console.options.update_width(1000), table).maximum
    if needed > console.width:  # never crop a figure: a line longer than the terminal wraps instead
        console.width = needed
    console.print(table)
    console.print("* the note's totals (PKI cards and readers); the model computes e-ID from the unit prices.\n"
                  "** no figure in the note: ask the EPJ vendor.")
    p = resolve(est, _Inputs())
    console.print("\ne-ID options: " + "; ".join(f"{o.label} ({o.id}) {nb_number(o.kr_per_person)} {o.unit}"
                                                  for o in est.eid_options)
                  + f"; card reader {nb_number(est.reader_kr.value)} kr; renewal every "
                  f"{nb_number(est.renewal_years.value)} years")
    console.print(f"Hourly cost of internal hours: {nb_number(p.hourly.kr_per_hour)} kr per hour in {p.price_year} "
                  f"({est.role(p.pay_role).label}, {est.zone(p.employer_tax_zone).label}; derived, see the workbook's "
                  "Estimater sheet)")
    d = est.deflator
    console.print("Municipal deflator (purchases / pay): " + "; ".join(
        f"{y.year} {nb_number(y.deflator * 100, 1)} / {nb_number(y.wage * 100, 1)} %" for y in d.years)
        + f"; later years {nb_number(d.forecast_deflator.value * 100, 1)} / "
          f"{nb_number(d.forecast_wage.value * 100, 1)} % (forecast)")
    console.print("Benefits: " + "; ".join(f"{k} {nb_number(v.value, 2)} {v.unit}" for k, v in est.benefits.items()))
    return 0


def _calibrate(args: argparse.Namespace, est: Estimates) -> int:
    import datetime as dt

    from workbook_builder import __version__
    from workbook_builder.services.calibrate import (
        CalibrationError,
        calibrate,
        calibrated_text,
        municipalities,
        regional_budgets,
    )

    if args.out is None:
        raise CliError("--calibrate needs --out FILE.toml (where to write the calibrated estimates)")
    try:
        budgets, unread = regional_budgets(args.calibrate, est)
    except (FileNotFoundError, ValueError) as exc:
        raise CliError(f"--calibrate {args.calibrate}: {exc}") from None
    for path, reason in unread:
        print(f"kj-budget estimates: {path}: not read: {reason}", file=sys.stderr)
    try:
        fits = calibrate(est, budgets)
    except CalibrationError as exc:
        print(f"kj-budget estimates: cannot calibrate from {args.calibrate}: {exc}; nothing written",
              file=sys.stderr)
        return EXIT_CHECK_FAILED
    text = calibrated_text(est, fits, source=str(args.calibrate), today=dt.date.today(), tool_version=__version__)
    write_checked([(Target(args.out, estimates_kind(text), f"--out {args.out}"), text.encode("utf-8"))],
                  [args.estimates, args.calibrate], force=args.force)
    console = Console(highlight=False, soft_wrap=False)
    table = Table(title=f"Calibrated from {municipalities(budgets)} municipalities", title_justify="left",
                  box=box.SIMPLE_HEAD)
    table.add_column("item", no_wrap=True)
    table.add_column("n", justify="right")
    for s in est.sizes.values:
        table.add_column(f"{s:g}: note → region", justify="right", no_wrap=True)
    table.add_column("range", justify="right", no_wrap=True)
    for f in fits:
        table.add_row(f.item, str(len(f.observations)),
                      *(f"{nb_number(a)} → {nb_number(b)}" for a, b in zip(f.original, f.values)),
                      f"{nb_number(f.low_share * 100)} % / +{nb_number(f.high_share * 100)} %")
    console.print(table)
    print(f"Wrote {args.out}. Regenerate a workbook with it: "
          f"kj-budget build --from WORKBOOK.xlsx --estimates {args.out}")
    return 0

"""`kj-budget cost`: the one-off breakdown for a number of health personnel."""

from __future__ import annotations

import argparse
import json
from collections.abc import Callable

from workbook_builder.cli.commands import HELP
from workbook_builder.cli.common import add_estimates_option, estimates_from, number_option
from workbook_builder.core.model import PARAMETER_BY_NAME, STAFF_MAX, YEAR_MAX, YEAR_MIN
from workbook_builder.core.numbers import nb_kr, nb_number
from workbook_builder.services.cost import Cost, as_json, one_off_cost


def _bounded(option: str, parameter: str) -> Callable[[str], float]:
    """The option's number type with the model's bounds for `parameter`."""
    p = PARAMETER_BY_NAME[parameter]
    return number_option(option, p.minimum, p.maximum, p.whole)


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "cost", help=HELP["cost"],
        description="Print the one-off cost of introducing kjernejournal for N health personnel: each line "
        "item of the estimates with its track, internal hours and kroner, and the totals. Between the "
        "estimates' reference sizes (see 'kj-budget estimates') figures are interpolated linearly; outside "
        "them the nearest segment is extended and the result is flagged.",
        epilog="Example: kj-budget cost --staff 100 --eid pki --json",
    )
    p.add_argument("--staff", type=number_option("--staff", 0, STAFF_MAX, whole=True), required=True, metavar="N",
                   help="number of health personnel who will use kjernejournal (whole number, 0 or more)")
    p.add_argument("--eid", required=True, metavar="ID",
                   help="e-ID: pki, bankid, bankid-mobil, or the workbook's labels 'PKI-kort', 'BankID', "
                   "'BankID på mobil' (any case)")
    p.add_argument("--hourly-rate", type=_bounded("--hourly-rate", "hourly_rate"), metavar="R",
                   help="kr per internal hour (default: derived from KS pay statistics, see 'kj-budget estimates')")
    p.add_argument("--vendor-module-kr", type=_bounded("--vendor-module-kr", "vendor_module_kr"), metavar="K",
                   help="price of the EPJ vendor's module for HelseID and kjernejournal (the note has none), "
                   "in the budget year's prices")
    p.add_argument("--price-year", type=number_option("--price-year", YEAR_MIN, YEAR_MAX, whole=True), metavar="YEAR",
                   help="price level: fixed kroner of this budget year (default: next year, the workbook's default "
                   "first budget year). The note's prices are lifted with the municipal deflator, pay with wage "
                   "growth; an hourly rate or price you give is taken as already in this year's prices")
    p.add_argument("--uncertainty", metavar="LEVEL",
                   help="how uncertain the estimate is: lav, middels or hoy (default: middels); gives the range "
                   "(mean, standard deviation, P50, P85) by the successive principle")
    p.add_argument("--json", action="store_true", help="print JSON for scripts")
    add_estimates_option(p)
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    est = estimates_from(args)
    c = one_off_cost(est, args.staff, args.eid, hourly_rate=args.hourly_rate, vendor_module_kr=args.vendor_module_kr,
                     price_year=args.price_year, uncertainty=args.uncertainty)
    if args.json:
        print(json.dumps(as_json(c), ensure_ascii=False, indent=2))
        return 0
    _print_table(c)
    return 0


def _print_table(c: Cost) -> None:
    o, rng, level, estimates_id = c.one_off, c.range, c.level_label, c.estimates_id
    from rich import box  # only for the table: --json starts without it
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=False)
    table = Table(title=f"One-off cost for {o.staff} health personnel, e-ID {o.eid}, "
                        f"{nb_number(o.hourly_rate)} kr per hour, fixed {o.price_year} kroner excl. mva",
                  title_justify="left", box=box.SIMPLE_HEAD)
    for col in ("item", "track", "kind"):
        table.add_column(col, justify="left")
    for col in ("hours", "kr"):
        table.add_column(col, justify="right")
    for i in o.items:
        kr = "missing" if i.id == "vendor_module" and o.vendor_module_missing else nb_kr(i.kr)
        kind = {"hours": "internal hours", "purchase": "purchase", "standin": "stand-ins (pay)"}[i.kind]
        table.add_row(i.id, i.track, kind, nb_number(i.hours) if i.kind == "hours" else "", kr)
    table.add_section()
    table.add_row("Internal hours (staff already paid for)", "", "", nb_number(o.total_hours),
                  nb_kr(o.total_hours * o.hourly_rate))
    table.add_row("New money: purchases", "", "", "", nb_kr(o.total_purchase_kr))
    table.add_row("New money: stand-ins", "", "", nb_number(o.standin_hours), nb_kr(o.standin_kr))
    table.add_row("[bold]Total one-off[/bold]", "", "", "", f"[bold]{nb_kr(o.total_kr)}[/bold]")
    console.print(table)
    console.print(f"Range ({level.lower()} uncertainty, successive principle): P50 {nb_kr(rng.p50)}, P85 "
                  f"{nb_kr(rng.p85)} (reserve {nb_kr(rng.reserve)}).")
    console.print(f"e-ID: {o.eid_cards} per person, {o.eid_readers} card readers.")
    if o.vendor_module_missing:
        console.print("Vendor module: no price given (the note has none; ask the EPJ vendor, "
                      "then pass --vendor-module-kr). It is not in the total.")
    if o.outside_basis:
        console.print("Note: the number of personnel is outside the note's estimate basis; "
                      "the nearest segment was extended linearly.")
    console.print(f"Prices: the note's kroner × {nb_number(o.price_factor, 4)} (municipal deflator to {o.price_year}); "
                  "hourly cost and prices you give are taken as they are.")
    console.print(f"Estimates: {estimates_id}, version {o.estimates_version}.")

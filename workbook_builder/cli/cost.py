"""`kj-budget cost`: the one-off breakdown for a number of health personnel."""

from __future__ import annotations

import argparse
import json

from workbook_builder.cli.commands import HELP
from workbook_builder.cli.common import add_estimates_option, amount, estimates_from, whole_count
from workbook_builder.core.errors import InputError
from workbook_builder.core.model import Inputs, OneOff, Range, one_off_range, one_off_with, parse_eid, resolve
from workbook_builder.core.numbers import nb_kr, nb_number


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "cost", help=HELP["cost"],
        description="Print the one-off cost of introducing kjernejournal for N health personnel: each line "
        "item of the estimates with its track, internal hours and kroner, and the totals. Between the "
        "estimates' reference sizes (see 'kj-budget estimates') figures are interpolated linearly; outside "
        "them the nearest segment is extended and the result is flagged.",
        epilog="Example: kj-budget cost --staff 100 --eid pki --json",
    )
    p.add_argument("--staff", type=whole_count, required=True, metavar="N",
                   help="number of health personnel who will use kjernejournal (whole number, 0 or more)")
    p.add_argument("--eid", required=True, metavar="ID",
                   help="e-ID: pki, bankid, bankid-mobil, or the workbook's labels 'PKI-kort', 'BankID', "
                   "'BankID på mobil' (any case)")
    p.add_argument("--hourly-rate", type=amount, metavar="R",
                   help="kr per internal hour (default: derived from KS pay statistics, see 'kj-budget estimates')")
    p.add_argument("--vendor-module-kr", type=amount, metavar="K",
                   help="price of the EPJ vendor's module for HelseID and kjernejournal (the note has none), "
                   "in the budget year's prices")
    p.add_argument("--price-year", type=whole_count, metavar="YEAR",
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
    try:
        eid = parse_eid(est, args.eid)
    except InputError as exc:
        raise InputError("eid", f"--eid: {exc.en}", exc.nb) from None
    p = resolve(est, Inputs(eid=eid, hourly_rate=args.hourly_rate, vendor_module_kr=args.vendor_module_kr,
                            first_year=args.price_year, uncertainty=args.uncertainty))
    result = one_off_with(est, args.staff, p)
    rng = one_off_range(est, result, p)
    if args.json:
        print(json.dumps(as_json(result, est.id, rng, est.level(p.uncertainty).id), ensure_ascii=False, indent=2))
        return 0
    _print_table(result, est.id, rng, est.level(p.uncertainty).label)
    return 0


def as_json(o: OneOff, estimates_id: str, rng: Range, level: str) -> dict:
    return {
        "staff": o.staff,
        "eid": o.eid,
        "price_year": o.price_year,
        "price_factor": o.price_factor,
        "hourly_rate": o.hourly_rate,
        "items": [{"id": i.id, "label": i.label, "track": i.track, "kind": i.kind, "hours": i.hours,
                   "purchase_kr": i.purchase_kr, "cash_kr": i.cash_kr, "kr": i.kr} for i in o.items],
        "eid_cards": o.eid_cards,
        "eid_readers": o.eid_readers,
        "total_hours": o.total_hours,
        "total_purchase_kr": o.total_purchase_kr,
        "standin_hours": o.standin_hours,
        "standin_kr": o.standin_kr,
        "cash_kr": o.cash_kr,
        "internal_kr": o.internal_kr,
        "total_kr": o.total_kr,
        "uncertainty": level,
        "mean_kr": rng.mean,
        "sd_kr": rng.sd,
        "p50_kr": rng.p50,
        "p85_kr": rng.p85,
        "vendor_module_missing": o.vendor_module_missing,
        "outside_basis": o.outside_basis,
        "estimates_id": estimates_id,
        "estimates_version": o.estimates_version,
    }


def _print_table(o: OneOff, estimates_id: str, rng: Range, level: str) -> None:
    from rich import box  # only for the table: --json starts without it
    from rich.console import Console
    from rich.table import Table

    console = Console(highlight=False, soft_wrap=False)
    table = Table(title=f"One-off cost for {o.staff} health personnel, e-ID {o.eid}, "
                        f"{nb_number(o.hourly_rate)} kr per hour, fixed {o.price_year} kroner excl. mva",
                  title_justify="left", box=box.SIMPLE_HEAD)
    for col, justify in (("item", "left"), ("track", "left"), ("kind", "left"), ("hours", "right"),
                         ("kr", "right")):
        table.add_column(col, justify=justify)
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

"""The one-off cost for a number of health personnel: what `kj-budget cost` prints and its JSON.

Plain functions over the model (no argparse, no printing): the command line parses the options and
prints; the numbers and the JSON document are made here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbook_builder.core.errors import InputError
from workbook_builder.core.estimates import Estimates
from workbook_builder.core.model import Inputs, OneOff, Range, one_off_range, one_off_with, parse_eid, resolve

# The command line's options for the model's inputs: a refusal by the model names the option the user typed.
OPTIONS = {"eid": "--eid", "hourly_rate": "--hourly-rate", "vendor_module_kr": "--vendor-module-kr",
           "first_year": "--price-year", "uncertainty": "--uncertainty", "staff": "--staff"}


@dataclass(frozen=True)
class Cost:
    """The one-off breakdown, its range and the uncertainty level used (id and label)."""

    one_off: OneOff
    range: Range
    level_id: str
    level_label: str
    estimates_id: str


def _named(exc: InputError) -> InputError:
    """The model's refusal with the command-line option in place of the model's field name."""
    option = OPTIONS.get(exc.field)
    if option is None:
        return exc
    en = exc.en.replace(exc.field, option, 1) if exc.en.startswith(exc.field) else f"{option}: {exc.en}"
    return InputError(exc.field, en, exc.message)


def one_off_cost(est: Estimates, staff: int, eid: str, *, hourly_rate: float | None = None,
                 vendor_module_kr: float | None = None, price_year: int | None = None,
                 uncertainty: str | None = None) -> Cost:
    """The one-off cost for `staff` health personnel with the e-ID `eid` (an id or label), in the prices of
    `price_year`; raises InputError naming the command-line option of a refused value."""
    try:
        p = resolve(est, Inputs(eid=parse_eid(est, eid), hourly_rate=hourly_rate, vendor_module_kr=vendor_module_kr,
                                first_year=price_year, uncertainty=uncertainty))
        result = one_off_with(est, staff, p)
    except InputError as exc:
        raise _named(exc) from None
    level = est.level(p.uncertainty)
    return Cost(result, one_off_range(est, result, p), level.id, level.label, est.id)


def as_json(c: Cost) -> dict[str, Any]:
    """What `kj-budget cost --json` prints (the keys are in the README)."""
    o, rng = c.one_off, c.range
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
        "uncertainty": c.level_id,
        "mean_kr": rng.mean,
        "sd_kr": rng.sd,
        "p50_kr": rng.p50,
        "p85_kr": rng.p85,
        "vendor_module_missing": o.vendor_module_missing,
        "outside_basis": o.outside_basis,
        "estimates_id": c.estimates_id,
        "estimates_version": o.estimates_version,
    }

"""pandas views of the model's results, shared by the CLI, the reports, batch and collect."""

from __future__ import annotations

import pandas as pd

from workbook_builder.core.estimates import KINDS, TRACKS, Estimates
from workbook_builder.core.model import Budget, OneOff
from workbook_builder.core.numbers import same_amount


def estimates_frame(est: Estimates) -> pd.DataFrame:
    """The estimate table: one row per line item, one column per reference size."""
    rows = []
    for item in est.items:
        figures = item.values if item.values is not None else item.published
        row: dict[str, object] = {"id": item.id, "item": item.label, "track": TRACKS[item.track],
                                  "kind": KINDS[item.kind], "unit": item.unit}
        for size, value in zip(est.sizes.values, figures or (None,) * len(est.sizes.values)):
            row[f"{size:g}"] = value
        row["source"] = item.source
        rows.append(row)
    return pd.DataFrame(rows)


def one_off_frame(o: OneOff) -> pd.DataFrame:
    """Line items × (track, kind, hours, purchases, kr)."""
    return pd.DataFrame(
        [{"id": i.id, "item": i.label, "track": TRACKS[i.track], "kind": KINDS[i.kind], "hours": i.hours,
          "purchase_kr": i.purchase_kr, "cash_kr": i.cash_kr, "kr": i.kr} for i in o.items]
    )


def years_frame(b: Budget) -> pd.DataFrame:
    """Budget years × totals, indexed by year: new money (and its parts), internal hours and their value,
    benefits, and the one-off and running totals (new money and internal kr together). Never a net."""
    rows = []
    tracks = {i.id: i.track for i in b.one_off.items}
    for y in b.years:
        row = {"year": y.year, "staff_new": y.staff_new, "staff_total": y.staff_total,
               "one_off_hours": y.one_off_hours, "one_off_purchase_kr": y.one_off_purchase_kr,
               "one_off_standin_kr": y.one_off_standin_kr, "renewal_kr": y.renewal_kr,
               "running_purchase_kr": y.running_purchase_kr, "cash_kr": y.cash_kr,
               "internal_hours": y.internal_hours, "internal_kr": y.internal_kr}
        for track in TRACKS:
            row[f"one_off_{track}_kr"] = sum(kr for item_id, kr in y.item_kr.items() if tracks[item_id] == track)
        row.update(one_off_kr=y.one_off_kr, running_kr=y.running_kr, benefit_hours=y.benefit_hours,
                   benefit_kr=y.benefit_kr)
        rows.append(row)
    return pd.DataFrame(rows).set_index("year")


def lines_frame(b: Budget, ansvar: str = "", prosjekt: str = "", nonzero: bool = True) -> pd.DataFrame:
    """Budsjettlinjer: year × KOSTRA function × art, kr and 1 000 kr, with the codes and a text."""
    rows = [{"year": a.year, "ansvar": ansvar, "function": a.function, "art": a.art, "prosjekt": prosjekt,
             "kr": a.kr, "thousand_kr": a.thousand_kr, "text": a.text}
            for a in b.accounting_lines if not nonzero or not same_amount(a.kr, 0.0)]
    return pd.DataFrame(rows, columns=["year", "ansvar", "function", "art", "prosjekt", "kr", "thousand_kr", "text"])


def checks_frame(b: Budget) -> pd.DataFrame:
    return pd.DataFrame([{"id": c.id, "check": c.title, "status": c.status, "message": c.message}
                         for c in b.checks])

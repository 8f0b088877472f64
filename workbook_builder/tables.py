"""pandas views of the model's results, shared by the CLI, the reports, batch and collect."""

from __future__ import annotations

import pandas as pd

from .estimates import KINDS, TRACKS, Estimates
from .model import Budget, OneOff


def estimates_frame(est: Estimates) -> pd.DataFrame:
    """The estimate table: one row per line item, one column per reference size."""
    rows = []
    for item in est.items:
        figures = item.values if item.values is not None else item.published
        row = {"id": item.id, "item": item.label, "track": TRACKS[item.track], "kind": KINDS[item.kind],
               "unit": item.unit}
        for size, value in zip(est.sizes.values, figures or (None,) * len(est.sizes.values)):
            row[f"{size:g}"] = value
        row["source"] = item.source
        rows.append(row)
    return pd.DataFrame(rows)


def one_off_frame(o: OneOff) -> pd.DataFrame:
    """Line items × (track, kind, hours, purchases, kr)."""
    return pd.DataFrame(
        [{"id": i.id, "item": i.label, "track": TRACKS[i.track], "kind": KINDS[i.kind], "hours": i.hours,
          "purchase_kr": i.purchase_kr, "kr": i.kr} for i in o.items]
    )


def years_frame(b: Budget) -> pd.DataFrame:
    """Budget years × totals (one-off by track, running, benefit, net), indexed by year."""
    rows = []
    tracks = {i.id: i.track for i in b.one_off.items}
    for y in b.years:
        row = {"year": y.year, "staff_new": y.staff_new, "staff_total": y.staff_total,
               "one_off_hours": y.one_off_hours, "one_off_purchase_kr": y.one_off_purchase_kr}
        for track in TRACKS:
            row[f"one_off_{track}_kr"] = sum(kr for item_id, kr in y.item_kr.items() if tracks[item_id] == track)
        row.update(one_off_kr=y.one_off_kr, running_kr=y.running_kr, benefit_hours=y.benefit_hours,
                   benefit_kr=y.benefit_kr, net_kr=y.net_kr)
        rows.append(row)
    return pd.DataFrame(rows).set_index("year")


def checks_frame(b: Budget) -> pd.DataFrame:
    return pd.DataFrame([{"id": c.id, "check": c.title, "status": c.status, "message": c.message}
                         for c in b.checks])

"""Estimates learned from the region: each interpolated line item's values at the reference sizes fitted to
what the municipalities' rollouts really cost, and its range from how far they spread.

The model prices an item for N personnel as the piecewise-linear interpolation of its values at the
reference sizes (the nearest segment extended outside), so a municipality's total for the item is
linear in those values: total = Σ_j w_j(N) · value_j, with the hat-function weights w_j. Given the actual
totals of many municipalities (hours as recorded; kroner brought back to the estimates' price year with
the municipal deflator, pay index for pay), the values are the non-negative least-squares fit
(scipy.optimize.nnls, Lawson–Hanson). The range: the residuals as shares of the fitted figure have a mean
m and standard deviation s; the successive principle's own formulas, mean = (L + 3M + H)/5 and
sd = (H − L)/5 with M the fitted figure, give low = 2,5·(m − s) and high = 2,5·(m + s).

An item is fitted only where every segment between two reference sizes has at least MIN_PER_SEGMENT
municipalities (a municipality outside the sizes counts for the nearest segment, whose line it extends);
otherwise it is refused, naming the item and the segment. The new estimates file keeps the original
figures beside the fitted ones and records where they came from (tomlkit edits the file in place, so its
comments and sources stay as they were).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

from workbook_builder.core.estimates import Estimates, parse_estimates
from workbook_builder.core.followup import follow_up, in_price_year
from workbook_builder.core.model import Budget, segment
from workbook_builder.core.numbers import nb_number

MIN_PER_SEGMENT = 2


class CalibrationError(ValueError):
    """Too few municipalities to fit an item, or nothing to fit at all."""


@dataclass(frozen=True)
class Observation:
    """One municipality's actual total for an item: its personnel and the total in the item's unit (hours,
    or kroner in the estimates' price year)."""

    municipality: str
    staff: int
    value: float
    years: tuple[int, ...]


@dataclass(frozen=True)
class Reported:
    """What one municipality reported for an item: its personnel, the budget years in which its budget has the
    item, and its actuals per year (hours, or kroner in the estimates' price year)."""

    municipality: str
    staff: int
    item: str
    due: tuple[int, ...]
    actuals: dict[int, float]


@dataclass(frozen=True)
class Fit:
    item: str
    original: tuple[float, ...]
    values: tuple[float, ...]
    low_share: float
    high_share: float
    observations: tuple[Observation, ...]
    per_segment: tuple[int, ...]
    residual_mean: float
    residual_sd: float


def weights(sizes: Sequence[float], staff: float) -> list[float]:
    """The hat-function weights w_j(staff) with interpolate(sizes, values, staff) = Σ w_j · values_j (for
    staff > 0; outside the sizes the nearest segment's line is extended)."""
    i = segment(tuple(sizes), staff)
    x0, x1 = sizes[i], sizes[i + 1]
    t = (staff - x0) / (x1 - x0)
    w = [0.0] * len(sizes)
    w[i], w[i + 1] = 1 - t, t
    return w


def reported(est: Estimates, name: str, b: Budget, item_id: str) -> Reported:
    """A municipality's budget and actuals for an item, each actual in the estimates' price year (kroner of the
    year paid by the follow-up's price rule, core/followup.in_price_year)."""
    devs = [d for d in follow_up(est, b, b.inputs.actuals) if d.line.id == item_id]
    actuals = {d.year: v for d in devs if (v := in_price_year(est, b.params, d)) is not None}
    return Reported(name, b.total_staff, item_id, tuple(d.year for d in devs if d.budget > 0), actuals)


def observations(est: Estimates, budgets: Sequence[tuple[str, Budget] | Reported], item_id: str
                 ) -> list[Observation]:
    """Each municipality's actual total for an interpolated item, where its actuals are complete: an
    actual for every budget year in which the budget has the item (a missing year would look cheap)."""
    out = []
    for x in budgets:
        r = x if isinstance(x, Reported) else reported(est, x[0], x[1], item_id)
        if r.item != item_id:
            continue
        if not r.due or any(year not in r.actuals for year in r.due) or r.staff <= 0:
            continue
        out.append(Observation(r.municipality, r.staff, sum(r.actuals.values()), tuple(sorted(r.actuals))))
    return out


def fit_item(est: Estimates, item_id: str, obs: Sequence[Observation]) -> Fit:
    from scipy.optimize import nnls  # only `estimates --calibrate` needs SciPy

    sizes = est.sizes.values
    item = est.item(item_id)
    per_segment = [0] * (len(sizes) - 1)
    for o in obs:
        per_segment[segment(tuple(sizes), o.staff)] += 1
    thin = [k for k, n in enumerate(per_segment) if n < MIN_PER_SEGMENT]
    if thin:
        where = "; ".join(f"{sizes[k]:g}–{sizes[k + 1]:g} personnel: {per_segment[k]} municipalit"
                          f"{'y' if per_segment[k] == 1 else 'ies'}" for k in thin)
        raise CalibrationError(f"{item_id}: too few municipalities reported to fit it ({where}; at least "
                               f"{MIN_PER_SEGMENT} per segment are needed)")
    a = np.array([weights(sizes, o.staff) for o in obs])
    y = np.array([o.value for o in obs])
    values, _ = nnls(a, y)
    fitted = a @ values
    ratios = [v / f - 1 for v, f in zip(y, fitted) if f > 0]
    m = float(np.mean(ratios)) if ratios else 0.0
    s = float(np.std(ratios, ddof=1)) if len(ratios) > 1 else 0.0
    low = max(-0.95, min(0.0, 2.5 * (m - s)))  # the file refuses −1: nothing costs 0 kr
    high = max(0.0, 2.5 * (m + s))
    assert item.values is not None
    return Fit(item_id, item.values, tuple(round(float(v), 2) for v in values), round(low, 4), round(high, 4),
               tuple(obs), tuple(per_segment), m, s)


def calibrate(est: Estimates, budgets: Sequence[tuple[str, Budget] | Reported]) -> list[Fit]:
    """A fit for every interpolated line item; CalibrationError names every item that cannot be fitted."""
    if not budgets:
        raise CalibrationError("no municipalities to learn from")
    fits, problems = [], []
    for item in est.interpolated_items:
        try:
            fits.append(fit_item(est, item.id, observations(est, budgets, item.id)))
        except CalibrationError as exc:
            problems.append(str(exc))
    if problems:
        raise CalibrationError("; ".join(problems))
    return fits


def calibrated_text(est: Estimates, fits: Sequence[Fit], *, source: str, today: dt.date, tool_version: str) -> str:
    """The estimates file with each fitted item's values and range replaced, its original figures kept beside
    them (original_values, original_low_share, original_high_share) and a [calibration] table saying where
    the figures came from. The result is parsed before it is returned: a file we write is a file we read."""
    import tomlkit

    doc = tomlkit.parse(est.text)
    municipalities = sorted({o.municipality for f in fits for o in f.observations})
    years = sorted({y for f in fits for o in f.observations for y in o.years})
    for f in fits:
        t = doc["items"][f.item]
        t["original_values"] = list(f.original)
        t["original_low_share"] = est.item(f.item).low_share
        t["original_high_share"] = est.item(f.item).high_share
        t["values"] = [int(v) if float(v).is_integer() else v for v in f.values]
        t["low_share"], t["high_share"] = f.low_share, f.high_share
        t["range_source"] = (f"Kalibrert {today.isoformat()}: spredningen i {len(f.observations)} kommuners faktiske "
                             f"tall rundt tilpasningen (gjennomsnitt m = {nb_number(f.residual_mean * 100, 1)} %, "
                             f"standardavvik s = {nb_number(f.residual_sd * 100, 1)} %); lav = 2,5·(m − s), "
                             "høy = 2,5·(m + s)")
    cal = tomlkit.table()
    cal["date"] = today.isoformat()
    cal["tool"] = f"kj-budget {tool_version}"
    cal["source"] = source
    cal["from_estimates"] = f"{est.id} {est.version}"
    cal["method"] = ("Ikke-negative minste kvadraters tilpasning (NNLS) av verdiene ved referansestørrelsene til "
                     "kommunenes faktiske totaler per linje (timer; kroner tilbake til estimatenes prisår med "
                     "kommunal deflator); spennet fra residualene (suksessivprinsippet)")
    cal["municipalities"] = municipalities
    cal["years"] = years
    per_item = tomlkit.table()
    for f in fits:
        per_item[f.item] = {"municipalities": len(f.observations), "per_segment": list(f.per_segment)}
    cal["items"] = per_item
    doc["calibration"] = cal
    doc["version"] = f"{est.version}+kalibrert-{today.isoformat()}"
    text = tomlkit.dumps(doc)
    parse_estimates(text, file="calibrated estimates")
    return text


def regional_budgets(source: Path, est: Estimates
                     ) -> tuple[list[tuple[str, Budget]] | list[Reported], list[tuple[Path, str]]]:
    """What the region reported: the municipalities' budgets with their actuals from the filled workbooks in a
    folder (read as `collect` reads them), or each municipality's lines from the follow-up table of an overview
    `collect` wrote; and the files that could not be read, with the reason."""
    from workbook_builder.services.collect import Entry, collect, find_workbooks

    if source.is_file():
        return overview_reported(source, est), []
    if not source.is_dir():
        raise ValueError("is neither a folder of filled workbooks nor an overview written by kj-budget collect")
    found = find_workbooks([source])
    results = [*found.unusable, *collect(found.files, est)]
    budgets = [(e.inputs.municipality or e.path.stem, e.budget) for e in results if isinstance(e, Entry)]
    unread = [(r.path, r.reason) for r in results if not isinstance(r, Entry)]
    return budgets, unread


def municipalities(region: Sequence[tuple[str, Budget]] | Sequence[Reported]) -> int:
    """How many municipalities a region's report covers."""
    return len({x.municipality if isinstance(x, Reported) else x[0] for x in region})


def overview_reported(path: Path, est: Estimates) -> list[Reported]:
    """The interpolated items' budgets and actuals per municipality from the follow-up table (sheet Oppfølging) of
    an overview that `kj-budget collect` wrote, read by its defined names (kj_fu_*) through the safe reader.
    Raises ValueError for a file that is not such an overview (or has no follow-up table: an older one)."""
    from workbook_builder.services.collect import FU_NAMES
    from workbook_builder.xlsx.filled_reader import UnreadableWorkbook, WorkbookFile

    try:
        with WorkbookFile(path) as wb:
            if wb.custom_properties().get("kj_kind") != "oversikt":
                raise ValueError("is not an overview written by kj-budget collect (nor a folder of workbooks)")
            missing = [f"kj_fu_{k}" for k in FU_NAMES if wb.bounded(f"kj_fu_{k}") is None]
            if missing:
                raise ValueError(f"has no follow-up table (no {missing[0]}): write the overview again with this "
                                 "version of kj-budget collect")
            wb.plan([f"kj_fu_{k}" for k in FU_NAMES])
            columns = {k: [c.value for c in wb.cells(f"kj_fu_{k}", formulas=False) or []] for k in FU_NAMES}
    except UnreadableWorkbook as exc:
        raise ValueError(f"cannot be read: {exc}") from None
    items = {i.id for i in est.interpolated_items}
    grouped: dict[tuple[str, str, str, str], dict[str, Any]] = {}
    for k, line in enumerate(columns["line"]):
        if not isinstance(line, str) or line not in items:
            continue
        key = (str(columns["municipality"][k] or ""), str(columns["name"][k] or ""), str(columns["file"][k] or ""))
        g = grouped.setdefault((*key, line), {"staff": columns["staff"][k], "due": [], "actuals": {}})
        year = columns["year"][k]
        if not isinstance(year, (int, float)):
            continue
        budget_ = columns["budget"][k]
        if isinstance(budget_, (int, float)) and budget_ > 0:
            g["due"].append(int(year))
        value = columns["price_year"][k]
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            g["actuals"][int(year)] = float(value)
    out = []
    for (number, name, file, line), g in grouped.items():
        staff = g["staff"] if isinstance(g["staff"], (int, float)) else 0
        out.append(Reported(name or number or file, int(staff), line, tuple(g["due"]), g["actuals"]))
    return out

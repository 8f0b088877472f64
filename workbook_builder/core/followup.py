"""Follow-up (oppfølging): what a line of the budget really cost in a budget year, beside the budget.

The actual figures come from the accounts (kroner, nominal: the prices of the year they were paid) and the
time records (hours). Each line is compared in its own unit — hours for internal-hours lines, kroner
for new money — and kroner are first brought to the budget's fixed prices (the first budget year) with the
same price index the budget lifts the estimates with (pay index for stand-ins, which are pay), so a
deviation is a real one, not price growth.

Status of an actual against the line's range in that year (the successive principle, as on Usikkerhet):
below P50, within P50–P85, or above P85 (the cost frame). Standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass

from workbook_builder.core.estimates import Estimates  # kj:embed-skip
from workbook_builder.core.i18n import N_, tr  # kj:embed-skip
from workbook_builder.core.model import (  # kj:embed-skip
    Actual,
    Budget,
    Params,
    Spread,
    YearResult,
    cash_range_ids,
    internal_range_ids,
    item_shares,
    price_index,
)

BELOW, WITHIN, ABOVE = N_("Under P50"), N_("Innenfor P50–P85"), N_("Over P85")
DEVIATION_EN = {BELOW: "below", WITHIN: "within", ABOVE: "above"}  # the terminal's and JSON's words
HOURS, KR = N_("timer"), N_("kr")


@dataclass(frozen=True)
class FollowUpLine:
    """A line of the budget that can be followed up: a one-off item, the e-ID renewals or a running item."""

    id: str
    label: str
    unit: str  # timer (internal hours, from time records) | kr (new money, from the accounts)
    wage: bool  # kroner that are pay (stand-ins): brought to fixed prices with the pay index


@dataclass(frozen=True)
class Deviation:
    """A line in a budget year: the budget, its range, the actual (in fixed prices) and the deviation."""

    line: FollowUpLine
    year: int
    budget: float  # the budget's figure for the line and year (the likely value), in the line's unit
    p50: float
    p85: float
    actual: float | None  # None until known; kroner in the budget's fixed prices
    actual_nominal: float | None  # as entered (kroner of the year paid, or hours)

    @property
    def deviation(self) -> float | None:
        """Actual − budget, in the line's unit (fixed prices)."""
        return None if self.actual is None else self.actual - self.budget

    @property
    def deviation_share(self) -> float | None:
        """The deviation as a share of the budget (None where the budget is 0 or nothing is known)."""
        if self.actual is None or self.budget == 0:
            return None
        return (self.actual - self.budget) / self.budget

    @property
    def status(self) -> str:
        """BELOW, WITHIN or ABOVE the line's P50–P85 range; "" until the actual is known."""
        if self.actual is None:
            return ""
        if self.actual > self.p85:
            return ABOVE
        return BELOW if self.actual < self.p50 else WITHIN


def lines(est: Estimates) -> tuple[FollowUpLine, ...]:
    """Every line to follow up, in the order of the Usikkerhet sheet: new money, then internal hours."""
    out = []
    for rid in (*cash_range_ids(est), *internal_range_ids(est)):
        if rid == "eid_renewal":
            out.append(FollowUpLine(rid, N_("Fornyelse av e-ID"), KR, False))
        elif est.has_item(rid):
            item = est.item(rid)
            out.append(FollowUpLine(rid, item.label, HOURS if item.kind == "hours" else KR, item.kind == "standin"))
        else:
            r = est.running_item(rid)
            out.append(FollowUpLine(rid, r.label, HOURS if r.kind == "hours" else KR, False))
    return tuple(out)


def line_label(est: Estimates, line: FollowUpLine, malform: str) -> str:
    """A line's label in `malform`: the estimates file's label of its item, or the renewals' message."""
    return tr(line.label, malform) if line.id == "eid_renewal" else est.text_in(line.label, malform)


def unit_label(line: FollowUpLine, malform: str) -> str:
    """The line's unit as a person reads it: «timer» (nynorsk «timar») or «kr»."""
    return tr(line.unit, malform)


def line_budget(est: Estimates, p: Params, y: YearResult, line: FollowUpLine) -> float:
    """The budget's figure for a line in a year, in the line's unit (hours for internal hours)."""
    if line.id == "eid_renewal":
        return y.renewal_kr
    if line.id in y.item_kr:
        return y.item_hours[line.id] if line.unit == HOURS else y.item_kr[line.id]
    value: float = getattr(p, line.id) if y.staff_total > 0 else 0.0
    return value


def fixed_prices(est: Estimates, p: Params, year: int, kr: float, wage: bool, to_year: int | None = None) -> float:
    """Kroner paid in `year` in the budget's fixed prices (the first budget year, or `to_year`: the estimates'
    price year for a calibration): the target year's price index over the year paid's (municipal deflator; pay
    index for pay, each with the budget's forecast), as the budget lifts its figures."""
    forecast = p.wage_forecast if wage else p.deflator_forecast
    target = p.first_year if to_year is None else to_year
    return kr * price_index(est, target, wage, forecast) / price_index(est, year, wage, forecast)


def in_price_year(est: Estimates, p: Params, d: Deviation) -> float | None:
    """A known actual in the estimates' price year (hours as they are; kroner by `fixed_prices`): what a
    calibration compares with the estimates' figures."""
    if d.actual_nominal is None:
        return None
    if d.line.unit == HOURS:
        return d.actual_nominal
    return fixed_prices(est, p, d.year, d.actual_nominal, d.line.wage, est.price_year)


def follow_up(est: Estimates, b: Budget, actuals: tuple[Actual, ...] = ()) -> tuple[Deviation, ...]:
    """Every line in every budget year with its budget, range, actual and deviation."""
    p = b.params
    z = est.uncertainty.p85_z.value
    known = {(a.line, a.year): a.value for a in actuals}
    out = []
    for line in lines(est):
        low, high = item_shares(est, p, line.id)
        for y in b.years:
            likely = line_budget(est, p, y, line)
            sp = Spread(line.id, likely, low, high)
            nominal = known.get((line.id, y.year))
            actual = None if nominal is None else (
                nominal if line.unit == HOURS else fixed_prices(est, p, y.year, nominal, line.wage))
            out.append(Deviation(line, y.year, likely, sp.mean, sp.mean + z * sp.sd, actual, nominal))
    return tuple(out)

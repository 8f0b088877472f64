"""Follow-up (issue 14), the model: actual hours and kroner per line and budget year beside the budget in
the same prices, the deviation, and where the actual lies against the line's P50–P85 range. Hand-computed
from the note's figures and the successive principle."""

from __future__ import annotations

import pytest

from workbook_builder.core import followup
from workbook_builder.core.followup import ABOVE, BELOW, WITHIN, Actual, follow_up, lines
from workbook_builder.core.model import Inputs, Step, budget, price_index

Z = 1.0364  # the estimates' p85_z


@pytest.fixture
def b(est):
    return budget(est, Inputs(eid="pki", first_year=2027, steps=(Step(100, "b", "", 2027), Step(50, "c", "", 2029))))


def test_every_line_of_the_range_is_followed_up_in_its_unit(est):
    by_id = {line.id: line for line in lines(est)}
    assert list(by_id)[:3] == ["standin", "eid", "tech_assistance"]  # new money first, as on Usikkerhet
    assert by_id["planning_kj"].unit == "timer" and by_id["tech_assistance"].unit == "kr"
    assert by_id["standin"].wage and not by_id["eid"].wage
    assert {"eid_renewal", "maintenance_kr_per_year", "followup_hours_per_year"} <= set(by_id)


def test_an_hours_line_against_its_range(est, b):
    """planning_kj at 100 personnel: 100 hours in 2027. Range −30 %/+50 %: P50 = 100 × (5 − 0,3 + 0,5)/5
    = 104, sd = 100 × 0,8/5 = 16, P85 = 104 + 1,0364 × 16 = 120,58."""
    rows = {d.actual_nominal: d for d in (
        next(d for d in follow_up(est, b, (Actual("planning_kj", 2027, v),)) if d.line.id == "planning_kj"
             and d.year == 2027) for v in (90, 110, 130))}
    d = rows[110]
    assert d.budget == 100 and d.p50 == pytest.approx(104) and d.p85 == pytest.approx(104 + Z * 16)
    assert d.actual == 110 and d.deviation == 10 and d.deviation_share == pytest.approx(0.10)
    assert (rows[90].status, rows[110].status, rows[130].status) == (BELOW, WITHIN, ABOVE)


def test_kroner_are_brought_to_the_budgets_fixed_prices(est, b):
    """Paid in 2028 (nominal): divided by the deflator from 2027 to 2028 (the forecast, 4,1 %)."""
    p = b.params
    d = next(d for d in follow_up(est, b, (Actual("maintenance_kr_per_year", 2028, 10_410),))
             if d.line.id == "maintenance_kr_per_year" and d.year == 2028)
    growth = price_index(est, 2028, False, p.deflator_forecast) / price_index(est, 2027, False, p.deflator_forecast)
    assert growth == pytest.approx(1.041)
    assert d.actual == pytest.approx(10_410 / growth) == pytest.approx(10_000)
    assert d.actual_nominal == 10_410
    standin = next(d for d in follow_up(est, b, (Actual("standin", 2029, 1000.0),))
                   if d.line.id == "standin" and d.year == 2029)
    wage = price_index(est, 2029, True, p.wage_forecast) / price_index(est, 2027, True, p.wage_forecast)
    assert standin.actual == pytest.approx(1000 / wage)  # stand-ins are pay: the pay index


def test_unknown_actuals_have_no_deviation_and_no_status(est, b):
    rows = follow_up(est, b)
    assert len(rows) == len(lines(est)) * 4
    assert all(d.actual is None and d.deviation is None and d.status == "" for d in rows)
    # the budget per line and year adds up to the budget's own years
    for y in b.years:
        cash = sum(d.budget for d in rows if d.year == y.year and d.line.unit == "kr")
        assert cash == pytest.approx(y.cash_kr), y.year
        hours = sum(d.budget for d in rows if d.year == y.year and d.line.unit == "timer")
        assert hours == pytest.approx(y.internal_hours), y.year


def test_a_zero_budget_has_no_share(est, b):
    d = next(d for d in follow_up(est, b, (Actual("vendor_module", 2028, 5000),)) if d.line.id == "vendor_module"
             and d.year == 2028)
    assert d.budget == 0 and d.deviation == pytest.approx(5000 / 1.041) and d.deviation_share is None
    assert d.status == followup.ABOVE


@pytest.mark.parametrize(("actual", "message"), [
    (Actual("nope", 2027, 1), "unknown follow-up line 'nope'"),
    (Actual("planning_kj", 2031, 1), "outside the budget years 2027–2030"),
    (Actual("planning_kj", 2027, -5), "actuals"),
])
def test_a_bad_actual_is_refused_with_what_to_fix(est, actual, message):
    from workbook_builder.core.errors import InputError

    with pytest.raises(InputError, match=message):
        budget(est, Inputs(first_year=2027, steps=(Step(10, "a", "", 2027),), actuals=(actual,)))

"""Figures a finance officer can put in the økonomiplan: fixed prices of the first budget year, the full
cost of an hour from its parts, renewals in the years they fall due, new money apart from staff time,
stand-ins, and budget lines by KOSTRA function and art."""

from __future__ import annotations

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_builder.core import model, numbers, vocabulary
from workbook_builder.core.estimates import load_estimates
from workbook_builder.core.model import Inputs, Step

EST = load_estimates()


# ----------------------------------------------------------------------------- price level


def test_a_first_budget_year_equal_to_the_notes_price_year_reproduces_the_note():
    assert EST.price_year == 2020
    for k, size in enumerate(EST.sizes.values):
        o = model.one_off(EST, int(size), "pki", price_year=2020)
        assert o.price_factor == 1.0
        assert o.item("eid").purchase_kr == EST.item("eid").published[k]
        assert o.item("tech_assistance").purchase_kr == EST.item("tech_assistance").values[k]
        assert o.item("training").hours == EST.item("training").values[k]


@pytest.mark.parametrize(("year", "growth"), [
    (2021, (0.044,)),
    (2024, (0.044, 0.067, 0.043, 0.050)),
    (2026, (0.044, 0.067, 0.043, 0.050, 0.047, 0.041)),
    (2028, (0.044, 0.067, 0.043, 0.050, 0.047, 0.041, 0.041, 0.041)),  # 2027–28: the forecast
])
def test_lifted_purchases_are_the_notes_times_the_deflators_in_the_estimates_file(year, growth):
    factor = math.prod(1 + g for g in growth)
    o = model.one_off(EST, 100, "pki", price_year=year)
    assert o.price_factor == pytest.approx(factor, rel=1e-12)
    assert o.item("tech_assistance").purchase_kr == numbers.excel_round(20_000 * factor)
    p = model.resolve(EST, Inputs(first_year=year))
    assert p.eid_kr_per_person == numbers.excel_round(700 * factor)  # a PKI card in the budget year's kroner
    assert p.reader_kr == numbers.excel_round(500 * factor)
    assert o.item("eid").purchase_kr == 100 * p.eid_kr_per_person + 20 * p.reader_kr


def test_the_forecast_for_later_years_can_be_changed():
    base = model.resolve(EST, Inputs(first_year=2028))
    lower = model.resolve(EST, Inputs(first_year=2028, deflator_forecast=0.02, wage_forecast=0.03))
    assert lower.price_factor == pytest.approx(base.price_factor / 1.041 ** 2 * 1.02 ** 2, rel=1e-12)
    assert lower.wage_factor == pytest.approx(base.wage_factor / 1.041 ** 2 * 1.03 ** 2, rel=1e-12)


def test_prices_a_user_types_are_already_in_the_budget_years_prices():
    p = model.resolve(EST, Inputs(first_year=2029, eid_kr_per_person=750, reader_kr=400, hourly_rate=600))
    assert (p.eid_kr_per_person, p.reader_kr, p.hourly_rate) == (750, 400, 600)


# ----------------------------------------------------------------------------- the full cost of an hour


def _hand(pay: float, pension: float, tax: float, hours_per_week: float = 37.5, holidays: float = 8.5) -> float:
    """Annual pay → kr per hour, written out: 47 weeks worked of 52, 12 % holiday pay, pension of the pay,
    employer's tax of both, over 47 weeks less the public holidays."""
    salary = pay * (47 / 52 + 0.12)
    cost = (salary + pay * pension) * (1 + tax)
    return cost / (hours_per_week * 47 - holidays * hours_per_week / 5)


@pytest.mark.parametrize(("zone", "rate"), [("1", 0.141), ("5", 0.0)])
@pytest.mark.parametrize("pension", [0.0, 0.179])
def test_hourly_cost_from_its_parts_in_two_zones_with_and_without_pension(zone, rate, pension):
    # 2023: the year of the pay statistic, so no wage growth
    p = model.resolve(EST, Inputs(first_year=2023, employer_tax_zone=zone, pension_share=pension))
    assert p.wage_factor == 1.0
    assert p.hourly.raw_kr_per_hour == pytest.approx(_hand(661_000, pension, rate), rel=1e-12)
    assert p.hourly_rate == numbers.excel_round(_hand(661_000, pension, rate))


def test_hand_computed_figures_of_the_issue():
    """2023 pay (no wage growth): zone I with the default 17,9 % pension 534 kr; without pension 455 kr;
    zone V (no employer's tax) without pension 398 kr. The old default (no pension, no holidays) was 438 kr."""
    assert model.resolve(EST, Inputs(first_year=2023)).hourly_rate == 534
    assert model.resolve(EST, Inputs(first_year=2023, employer_tax_zone="5", pension_share=0)).hourly_rate == 398
    assert model.resolve(EST, Inputs(first_year=2023, pension_share=0)).hourly_rate == 455


def test_the_municipality_number_chooses_the_employers_tax_zone():
    assert model.resolve(EST, Inputs(municipality_number="5601")).employer_tax_zone == "5"  # Alta
    assert model.resolve(EST, Inputs(municipality_number="5501")).employer_tax_zone == "4a"  # Tromsø
    assert model.resolve(EST, Inputs(municipality_number="3405")).employer_tax_zone == "1"  # Lillehammer
    assert model.resolve(EST, Inputs(municipality_number="9999")).employer_tax_zone == "1"  # not in the table
    chosen = model.resolve(EST, Inputs(municipality_number="5601", employer_tax_zone="Sone II"))
    assert (chosen.employer_tax_zone, chosen.employer_tax_share) == ("2", 0.106)


def test_pay_grows_to_the_budget_year_and_the_role_can_be_chosen():
    p = model.resolve(EST, Inputs(first_year=2025, pay_role="helsefagarbeider"))
    assert p.hourly.role_pay_kr == 575_800
    # 2024: 5,2 % (the KS frame); 2025: 4,6 % (TBU, the municipalities' annual wage growth 2024–2025)
    assert p.hourly.pay_kr == pytest.approx(575_800 * 1.052 * 1.046, rel=1e-12)


def test_hand_computed_hourly_cost_of_a_nurse_in_2027():
    """By hand, from the formula in the estimates file: 661 000 kr (KS, 1.12.2023) × wage growth 2024–2027
    1,052 × 1,046 × 1,041 × 1,041 (2024 KS frame, 2025 TBU, 2026 and the 2027 forecast) = 1,1924739 →
    788 225,25 kr; × (47/52 + 0,12 holiday pay + 0,179 pension) = × 1,2028462 → 948 113,71 kr; × 1,141 employer's
    tax (zone I) = 1 081 797,74 kr; ÷ (37,5 × 47 − 8,5 × 7,5 = 1 698,75 hours) = 636,82 → 637 kr.
    (With 2025 at the old 4,4 %: 1 079 729,30 kr ÷ 1 698,75 = 635,60 → 636 kr.)"""
    wage = 1.052 * 1.046 * 1.041 * 1.041
    assert wage == pytest.approx(1.1924739, abs=1e-7)
    assert _hand(661_000 * wage, 0.179, 0.141) == pytest.approx(636.82, abs=0.005)
    p = model.resolve(EST, Inputs(first_year=2027))
    assert p.wage_factor == pytest.approx(wage, rel=1e-12)
    assert p.hourly.raw_kr_per_hour == pytest.approx(_hand(661_000 * wage, 0.179, 0.141), rel=1e-12)
    assert p.hourly_rate == 637


def test_hand_computed_hourly_cost_of_a_nurse_in_2021_takes_the_measured_2022_wage_growth():
    """A first budget year before the pay statistic's brings the pay back with the measured wage growth: 661 000
    kr (1.12.2023) ÷ (2022: 1,037, TBU's outcome for the municipalities; 2023: 1,056, TBSK) = ÷ 1,095072 →
    603 613,28 kr; × 1,2028462 → 726 053,91 kr; × 1,141 (zone I) = 828 427,51 kr; ÷ 1 698,75 hours = 487,67 →
    488 kr. (With 2022 at KS's agreed frame 3,85 %, which the estimates had before 2020-06.4: 486,96 → 487 kr.)"""
    wage = 1 / (1.037 * 1.056)
    assert 661_000 * wage == pytest.approx(603_613.28, abs=0.005)
    assert _hand(661_000 * wage, 0.179, 0.141) == pytest.approx(487.67, abs=0.005)
    p = model.resolve(EST, Inputs(first_year=2021))
    assert p.wage_factor == pytest.approx(wage, rel=1e-12)
    assert p.hourly.raw_kr_per_hour == pytest.approx(_hand(661_000 * wage, 0.179, 0.141), rel=1e-12)
    assert p.hourly_rate == 488


def test_the_cost_of_an_hour_splits_into_pay_pension_and_employers_tax():
    h = model.resolve(EST, Inputs(first_year=2027)).hourly
    assert sum(h.shares.values()) == pytest.approx(1, abs=1e-15)
    assert h.shares["pension"] * h.cost_kr == pytest.approx(h.pension_kr)


# ----------------------------------------------------------------------------- renewals when they fall due


@st.composite
def long_rollouts(draw):
    n = draw(st.integers(1, 6))
    steps = tuple(Step(draw(st.integers(1, 300)), draw(st.sampled_from("abc")), "", draw(st.integers(2020, 2040)))
                  for _ in range(n))
    return steps, draw(st.integers(1, 6)), draw(st.integers(0, 2000))


@settings(max_examples=150, deadline=None)
@given(long_rollouts())
def test_renewals_over_a_long_horizon_equal_cards_times_price_times_due_dates(case):
    """Budgets for consecutive four-year plans from 2020 to 2059: every card is renewed at its start year
    plus each multiple of the interval, and at no other time."""
    steps, interval, price = case
    got = 0.0
    for first in range(2020, 2060, model.PLAN_YEARS):
        b = model.budget(EST, Inputs(steps=steps, first_year=first, renewal_years=interval,
                                     eid_kr_per_person=price))
        got += sum(y.renewal_kr for y in b.years)
    due = sum(s.staff * len(range(s.year + interval, 2060, interval)) for s in steps)
    assert got == due * price


# ----------------------------------------------------------------------------- new money apart from staff time


@st.composite
def budgets(draw):
    first = draw(st.integers(2020, 2032))
    steps = tuple(Step(draw(st.integers(0, 400)), draw(st.sampled_from(["a", "b", "c", None])), "",
                       draw(st.one_of(st.none(), st.integers(first - 2, first + 4))))
                  for _ in range(draw(st.integers(1, 8))))
    return Inputs(
        steps=steps, first_year=first, eid=draw(st.sampled_from(["pki", "bankid"])),
        vendor_module_kr=draw(st.one_of(st.none(), st.integers(0, 300_000).map(float))),
        maintenance_kr_per_year=draw(st.one_of(st.none(), st.integers(0, 50_000).map(float))),
        followup_hours_per_year=draw(st.one_of(st.none(), st.integers(0, 200).map(float))),
        standin_share=draw(st.one_of(st.none(), st.floats(0, 1))),
        renewal_years=draw(st.one_of(st.none(), st.integers(1, 5).map(float))),
        employer_tax_zone=draw(st.one_of(st.none(), st.sampled_from(["1", "3", "5"]))),
    )


@settings(max_examples=200, deadline=None)
@given(budgets())
def test_new_money_plus_internal_kroner_is_every_cost_line(inputs):
    b = model.budget(EST, inputs)
    for y in b.years:
        assert y.cash_kr + y.internal_kr == pytest.approx(y.one_off_kr + y.running_kr, abs=1e-6)
        assert y.internal_kr == pytest.approx(y.internal_hours * b.params.hourly_rate)
    # the budget lines carry every krone of new money, year by year
    for k, y in enumerate(b.years):
        assert sum(a.kr for a in b.accounting_lines if a.year == y.year) == pytest.approx(y.cash_kr, abs=1e-6)
        assert sum(c.years[k] for c in b.cash_lines) == pytest.approx(y.cash_kr, abs=1e-6)
        for c in b.cash_lines:
            assert sum(c.by_function[k]) == pytest.approx(c.years[k], abs=1e-6)
    assert b.check("lines").status == vocabulary.OK


def test_stand_ins_are_training_hours_times_the_share_times_the_stand_in_rate():
    steps = (Step(100, "b", "", 2027), Step(300, "c", "", 2028))
    b = model.budget(EST, Inputs(steps=steps, first_year=2027, standin_share=0.4, standin_hourly_rate=700))
    training = [y.item_hours["training"] for y in b.years]
    assert training[:2] == [125, 375]
    assert [y.one_off_standin_kr for y in b.years] == [h * 0.4 * 700 for h in training]
    lines = {c.id: c for c in b.cash_lines}
    h = b.params.hourly
    assert lines["standin_pay"].years[0] == pytest.approx(125 * 0.4 * 700 * h.salary_kr / h.cost_kr)
    assert lines["standin_pay"].art == "020" and lines["standin_employer_tax"].art == "099"


def test_the_nhn_price_model_share_is_not_a_cost_of_the_project():
    assert "national_share_kr_per_year" not in {r.id for r in EST.running}
    assert not hasattr(Inputs(), "national_share_kr_per_year")
    assert "(NHN's price model)" in EST.text


def test_budget_lines_split_new_money_on_the_groups_kostra_functions():
    steps = (Step(20, "a", "", 2027), Step(80, "b", "", 2027), Step(100, "c", "", 2028))
    b = model.budget(EST, Inputs(steps=steps, first_year=2027, eid_kr_per_person=1000, reader_kr=0,
                                 standin_share=0, renewal_years=2))
    cards = {(a.year, a.function): a.kr for a in b.accounting_lines if a.art == "120"}
    # 2027: 20 cards for doctors (241) and 80 for the short-term ward (253); 2028: 100 in home care (254)
    assert cards[(2027, "241")] == 20_000 and cards[(2027, "253")] == 80_000 and cards[(2027, "254")] == 0
    assert cards[(2028, "254")] == 100_000
    # renewals: 2029 renews 2027's cards, 2030 renews 2028's, each on its own step's function
    assert cards[(2029, "241")] == 20_000 and cards[(2029, "253")] == 80_000
    assert cards[(2030, "254")] == 100_000 and cards[(2030, "253")] == 0
    assert {a.function for a in b.accounting_lines} == {"241", "253", "254"}
    assert all(a.thousand_kr == numbers.excel_round(a.kr / 1000) for a in b.accounting_lines)

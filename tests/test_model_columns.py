"""The batched one-off path (`model.OneOffColumns`, what the Excel functions over a range use) gives
exactly the numbers of the one-count path (`model.one_off_with`), and Excel's ROUND rule is kept by
its fast path."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from workbook_builder.core import model, numbers
from workbook_builder.core.errors import InputError
from workbook_builder.core.estimates import load_estimates

EST = load_estimates()
GENERIC = load_estimates(Path(__file__).parent / "data" / "generic.toml")  # 4 sizes, 2 more items, group d
TODAY = dt.date(2026, 11, 28)
SIZES = [int(s) for s in EST.sizes.values]
NEAR_SIZES = [n for s in SIZES for n in (s - 1, s, s + 1)]

counts_st = st.lists(st.one_of(st.sampled_from([0, 1, *NEAR_SIZES]), st.integers(0, 2_000),
                               st.integers(0, model.STAFF_MAX)), min_size=1, max_size=40)
price_st = st.one_of(st.none(), st.floats(min_value=0, max_value=100_000, allow_nan=False),
                     st.integers(0, 100_000))


@st.composite
def params(draw) -> model.Params:
    inputs = model.Inputs(
        eid=draw(st.sampled_from([o.id for o in EST.eid_options])),
        first_year=draw(st.one_of(st.none(), st.integers(EST.price_year, model.YEAR_MAX))),
        uncertainty=draw(st.one_of(st.none(), st.sampled_from([lv.id for lv in EST.uncertainty.levels]))),
        hourly_rate=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=10_000, allow_nan=False))),
        eid_kr_per_person=draw(price_st), reader_kr=draw(price_st),
        vendor_module_kr=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=100_000_000))),
        standin_share=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=1))),
        standin_hourly_rate=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=10_000))),
        deflator_forecast=draw(st.one_of(st.none(), st.floats(min_value=0, max_value=0.2))),
    )
    return model.resolve(EST, inputs, TODAY)


@settings(max_examples=300, deadline=None)
@given(counts_st, params(), st.booleans())
@example([0, 29, 30, 31, 99, 100, 101, 399, 400, 401, model.STAFF_MAX], model.resolve(EST, model.Inputs(), TODAY),
         True)
def test_columns_equal_the_one_count_path_for_every_count_price_year_and_level(counts, p, with_vendor):
    assert_columns_equal_one_count_path(EST, counts, p, with_vendor)


@settings(max_examples=100, deadline=None)
@given(counts_st, st.sampled_from([None, 2020, 2027, 2040]), st.sampled_from(["pki", "bankid"]), st.booleans())
def test_columns_equal_the_one_count_path_with_other_sizes_and_items(counts, year, eid, with_vendor):
    p = model.resolve(GENERIC, model.Inputs(eid=eid, first_year=year, vendor_module_kr=50_000.0), TODAY)
    assert_columns_equal_one_count_path(GENERIC, counts, p, with_vendor)


def assert_columns_equal_one_count_path(est, counts, p, with_vendor):
    cols = model.OneOffColumns(est, counts, p, with_vendor)
    singles = [model.one_off_with(est, n, p, with_vendor) for n in counts]
    assert cols.kr() == [o.total_kr for o in singles]
    assert cols.hours() == [o.total_hours for o in singles]
    for item in est.items:
        assert cols.kr(item.id) == [o.item(item.id).kr for o in singles], item.id
        assert cols.hours(item.id) == [o.item(item.id).hours for o in singles], item.id
    assert cols.kr("eid") == [model.eid_cost(est, n, p.eid, p.eid_kr_per_person, p.reader_kr)[2] for n in counts]


@pytest.mark.parametrize("bad", [-1, model.STAFF_MAX + 1, 12.5, "12", True])
def test_columns_refuse_a_count_the_model_refuses(bad):
    p = model.resolve(EST, model.Inputs(), TODAY)
    with pytest.raises(InputError, match="staff"):
        model.OneOffColumns(EST, [10, bad], p)


def _round_15_digits(x: float) -> float:
    """Excel's ROUND(x; 0) by its definition: the 15 digits a spreadsheet shows, half away from zero."""
    return float(Decimal(f"{x:.15g}").quantize(Decimal(1), rounding=ROUND_HALF_UP))


@settings(max_examples=2000, deadline=None)
@given(st.one_of(st.floats(min_value=-2e8, max_value=2e8, allow_nan=False),
                 st.integers(0, 10**8).map(lambda k: k + 0.5),
                 st.tuples(st.integers(0, 10**8),
                           st.sampled_from([-1e-6, -5e-7, -1e-9, -1e-13, 1e-13, 1e-9, 5e-7, 1e-6]))
                 .map(lambda t: t[0] + 0.5 + t[1]),
                 st.floats(min_value=0, max_value=1e8).map(lambda x: x * 1.0000000000000002)))
@example(0.49999999999999994)
@example(2.4999999999999996)
@example(82.49999999999999)
def test_excel_round_keeps_the_15_digit_half_away_from_zero_rule(x):
    assert numbers.excel_round(x) == _round_15_digits(x)


@settings(max_examples=1000, deadline=None)
@given(st.one_of(st.floats(min_value=0, max_value=2e8, allow_nan=False), st.integers(0, 10**8).map(float),
                 st.tuples(st.integers(0, 10**8), st.sampled_from([-1e-6, -1e-9, -1e-13, 1e-13, 1e-9, 1e-6]))
                 .map(lambda t: max(0.0, t[0] + t[1]))))
@example(8.000000000000002)
@example(7.999999999999999)
def test_excel_roundup_keeps_the_15_digit_rule(x):
    assert numbers.excel_roundup(x) == int(Decimal(f"{x:.15g}").to_integral_value(rounding="ROUND_CEILING"))


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.integers(-10, 2_000), st.floats(min_value=-10, max_value=2_000)))
def test_segment_is_the_last_reference_size_at_or_below_the_count_within_the_segments(staff):
    below = [j for j, s in enumerate(EST.sizes.values) if s <= staff]
    assert model.segment(EST.sizes.values, staff) == min(below[-1] if below else 0, len(EST.sizes.values) - 2)


@settings(max_examples=2000, deadline=None)
@given(st.lists(st.one_of(st.floats(min_value=-1e9, max_value=1e16, allow_nan=False),
                          st.integers(min_value=0, max_value=10**6).map(lambda n: n + 0.5),
                          st.integers(min_value=0, max_value=10**6).map(lambda n: n + 0.4999995)),
                max_size=50))
@example([0.5, 1.5, 2.5, -0.5, 0.0, 1e8 - 0.5, 1e8 + 0.5, 2.675 * 100, 0.49999999999999994])
def test_rounding_a_column_in_one_loop_is_excel_round_of_each(xs):
    """The batched path's `excel_round_all` is ROUND(x; 0) of every x, exactly as `excel_round` gives it,
    halves and the 15-digit edge included: two copies of one rule that must never disagree."""
    assert numbers.excel_round_all(xs) == [numbers.excel_round(x) for x in xs]

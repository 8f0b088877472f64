"""Properties over many inputs (hypothesis): monotone, never negative, exact at the reference sizes."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from workbook_builder.core import model, vocabulary
from workbook_builder.core.estimates import load_estimates

EST = load_estimates()
EIDS = [o.id for o in EST.eid_options]
staff_st = st.integers(min_value=0, max_value=5000)


@settings(max_examples=300, deadline=None)
@given(staff_st, staff_st, st.sampled_from(EIDS))
def test_monotone_in_personnel(a, b, eid):
    lo, hi = sorted((a, b))
    x, y = model.one_off(EST, lo, eid), model.one_off(EST, hi, eid)
    for i, j in zip(x.items, y.items):
        assert i.hours <= j.hours and i.purchase_kr <= j.purchase_kr
    assert x.total_kr <= y.total_kr
    assert model.eid_readers(EST, lo, eid) <= model.eid_readers(EST, hi, eid)


@settings(max_examples=300, deadline=None)
@given(staff_st, st.sampled_from(EIDS), st.floats(min_value=0, max_value=5000))
def test_never_negative_and_totals_add_up(staff, eid, rate):
    o = model.one_off(EST, staff, eid, hourly_rate=rate)
    assert all(i.hours >= 0 and i.purchase_kr >= 0 and i.kr >= 0 and i.cash_kr >= 0 for i in o.items)
    assert o.total_hours == sum(i.hours for i in o.items)
    assert o.total_kr == o.total_hours * rate + o.total_purchase_kr + o.standin_kr
    assert o.standin_kr == o.standin_hours * rate  # the stand-in's rate defaults to the hourly rate
    assert o.eid_readers <= staff


@given(st.sampled_from([0, 1, 2]))
def test_exact_at_reference_sizes(k):
    staff = int(EST.sizes.values[k])
    o = model.one_off(EST, staff, "pki", price_year=EST.price_year)
    for item in EST.items:
        if item.values is not None:
            line = o.item(item.id)
            assert (line.hours if item.kind == "hours" else line.purchase_kr) == item.values[k]
    assert o.item("eid").purchase_kr == EST.item("eid").published[k]


@st.composite
def rollouts(draw):
    first = draw(st.integers(2020, 2030))
    n = draw(st.integers(1, 12))
    steps = tuple(
        model.Step(staff=draw(st.integers(0, 600)), group=draw(st.sampled_from(["a", "b", "c"])),
                   unit=f"Trinn {i + 1}", year=draw(st.integers(first, first + model.PLAN_YEARS - 1)))
        for i in range(n)
    )
    return model.Inputs(steps=steps, first_year=first, eid=draw(st.sampled_from(EIDS)),
                        vendor_module_kr=draw(st.one_of(st.none(), st.integers(0, 500_000).map(float))))


@settings(max_examples=200, deadline=None)
@given(rollouts())
def test_phased_years_add_up_exactly_to_the_total(inputs):
    b = model.budget(EST, inputs)
    assert sum(y.one_off_kr for y in b.years) == b.one_off.total_kr
    assert sum(y.one_off_hours for y in b.years) == b.one_off.total_hours
    assert sum(y.staff_new for y in b.years) == inputs.total_staff
    for item in b.one_off.items:
        assert sum(y.item_kr[item.id] for y in b.years) == item.kr
    assert b.check("years").status == vocabulary.OK

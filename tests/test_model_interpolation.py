"""Between, below and above the reference sizes; reader rounding; zero personnel."""

from __future__ import annotations

import pytest

from workbook_builder.core import model, numbers


@pytest.mark.parametrize(
    ("staff", "planning", "training", "helseid", "assist"),
    [
        (65, 90, 83, 75, 17_500),  # half-way 30→100: 82.5 training hours round half up to 83
        (37, 82, 49, 55, 15_500),  # 40 + 85·7/70 = 48.5 → 49
        (250, 150, 313, 200, 30_000),  # half-way 100→400: 312.5 → 313
        (10, 74, 16, 36, 13_571),  # below 30: segment 30→100 extended (80 − 20·20/70 = 74.3)
        (700, 300, 875, 500, 60_000),  # above 400: segment 100→400 extended
        (2000, 733, 2500, 1367, 146_667),
    ],
)
def test_interpolated_and_extended_items(est, staff, planning, training, helseid, assist):
    o = model.one_off(est, staff, "pki", price_year=2020)  # the note's own prices
    assert (o.item("planning_kj").hours, o.item("training").hours, o.item("planning_helseid").hours,
            o.item("tech_assistance").purchase_kr) == (planning, training, helseid, assist)


@pytest.mark.parametrize(("staff", "flag"), [(1, True), (29, True), (30, False), (400, False), (401, True),
                                             (0, False)])
def test_outside_basis_flag(est, staff, flag):
    assert model.one_off(est, staff, "pki").outside_basis is flag


def test_zero_personnel_costs_nothing(est):
    o = model.one_off(est, 0, "pki", vendor_module_kr=50_000)
    assert (o.total_hours, o.total_purchase_kr, o.standin_kr, o.total_kr, o.eid_readers) == (0, 0, 0, 0, 0)


@pytest.mark.parametrize(
    ("staff", "readers"),
    [
        (65, 14),  # 8 + 12·35/70 = 14 exactly: a whole count is not rounded up
        (66, 15),  # 14.17 → 15
        (31, 9),  # 8.17 → 9
        (115, 21),  # 20 + 20·15/300 = 21 exactly
        (116, 22),
        (1, 1),  # 8 − 12·29/70 = 3.03 → 4, but never more readers than people
        (3, 3),
        (5, 4),  # 8 − 12·25/70 = 3.71 → 4
        (10, 5),  # 8 − 12·20/70 = 4.57 → 5
    ],
)
def test_reader_count_rounds_up_but_not_whole_counts(est, staff, readers):
    assert model.eid_readers(est, staff, "pki") == readers


def test_rounding_follows_excel():
    assert numbers.excel_round(2.5) == 3
    assert numbers.excel_round(82.5) == 83
    assert numbers.excel_round(0.1 + 0.2, 1) == 0.3
    assert numbers.excel_roundup(8.000000000000002) == 8  # float noise on a whole count
    assert numbers.excel_roundup(8.01) == 9


def test_extension_below_the_first_size_never_goes_negative():
    sizes, values = (30.0, 100.0, 400.0), (10.0, 100.0, 200.0)
    assert model.interpolate(sizes, values, 1) == 0.0  # 10 − 90·29/70 < 0 → 0

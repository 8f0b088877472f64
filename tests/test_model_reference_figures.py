"""The model reproduces every figure of NHN's note at 30, 100 and 400 health personnel, in the note's own
prices (a first budget year equal to its price year, 2020)."""

from __future__ import annotations

import pytest

from workbook_builder.core import model

# (staff, planning_kj h, training h, eid kr, planning_helseid h, tech_assistance kr): the note's tables
NOTE = [
    (30, 80, 40, 25_000, 50, 15_000),
    (100, 100, 125, 80_000, 100, 20_000),
    (400, 200, 500, 300_000, 300, 40_000),
]


@pytest.mark.parametrize(("staff", "plan", "train", "eid", "helseid", "assist"), NOTE)
def test_line_items_equal_the_note(est, staff, plan, train, eid, helseid, assist):
    o = model.one_off(est, staff, "pki", price_year=est.price_year)
    got = {i.id: (i.hours if i.kind == "hours" else i.purchase_kr) for i in o.items if i.kind != "standin"}
    assert got == {"planning_kj": plan, "training": train, "eid": eid, "planning_helseid": helseid,
                   "tech_assistance": assist, "vendor_module": 0}
    assert o.price_factor == 1.0
    assert not o.outside_basis
    assert o.vendor_module_missing


@pytest.mark.parametrize(("staff", "readers"), [(30, 8), (100, 20), (400, 40)])
def test_eid_is_one_card_per_person_plus_readers(est, staff, readers):
    cards, n_readers, kr = model.eid_cost(est, staff, "pki")
    assert (cards, n_readers) == (staff, readers)
    assert kr == staff * 700 + readers * 500


@pytest.mark.parametrize("staff", [30, 100, 400])
def test_eid_options_without_price_cost_nothing_and_need_no_readers(est, staff):
    for eid in ("bankid", "bankid_mobil"):
        assert model.eid_cost(est, staff, eid) == (staff, 0, 0.0)


def test_the_notes_100_pki_in_2020_kroner(est):
    o = model.one_off(est, 100, "pki", hourly_rate=438, price_year=2020)
    assert o.total_hours == 325
    assert o.total_purchase_kr == 100_000  # e-ID 80 000 + technical assistance 20 000
    assert o.standin_hours == 125 * 0.5  # half the training hours need a stand-in (the estimates' share)
    assert o.total_kr == 325 * 438 + 100_000 + 62.5 * 438
    assert o.cash_kr == 100_000 + 62.5 * 438 and o.internal_kr == 325 * 438


def test_vendor_module_counts_only_when_priced(est):
    without = model.one_off(est, 100, "pki")
    with_price = model.one_off(est, 100, "pki", vendor_module_kr=55_000)
    assert with_price.total_purchase_kr == without.total_purchase_kr + 55_000
    assert not with_price.vendor_module_missing and without.vendor_module_missing


def test_the_notes_published_eid_totals_match_the_unit_prices(est):
    item = est.item("eid")
    for size, total in zip(est.sizes.values, item.published):
        assert model.eid_cost(est, int(size), "pki")[2] == total
        assert model.one_off(est, int(size), "pki", price_year=2020).item("eid").purchase_kr == total

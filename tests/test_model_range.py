"""A range, not a point: the successive principle (Lichtenberg) on hand-computed cases, the levels of
uncertainty, the budget's ranges per year and in all, and a check by simulation (numpy)."""

from __future__ import annotations

import math

import numpy as np
import pytest

from workbook_builder.core import model
from workbook_builder.core.estimates import load_estimates
from workbook_builder.core.model import Inputs, Spread, Step, successive

EST = load_estimates()
Z = EST.uncertainty.p85_z.value  # 1.0364, the standard normal's 85 % quantile


def test_one_item_by_hand():
    # likely 100 000, −30 % / +50 %: L = 70 000, H = 150 000
    sp = Spread("x", 100_000, -0.3, 0.5)
    assert (sp.low, sp.high) == pytest.approx((70_000, 150_000))
    assert sp.mean == pytest.approx((70_000 + 3 * 100_000 + 150_000) / 5) == pytest.approx(104_000)
    assert sp.sd == pytest.approx((150_000 - 70_000) / 5) == pytest.approx(16_000)
    r = successive((sp,), 1.0364)
    assert (r.likely, r.p50) == (100_000, pytest.approx(104_000))
    assert r.p85 == pytest.approx(104_000 + 1.0364 * 16_000) == pytest.approx(120_582.4)
    assert r.reserve == pytest.approx(16_582.4)


def test_three_items_by_hand_means_add_and_variances_add():
    items = (Spread("a", 50_000, -0.3, 0.5), Spread("b", 80_000, -0.1, 0.2), Spread("c", 20_000, -0.5, 0.5))
    # means: 52 000, 81 600, 20 000; sds: 8 000, 4 800, 4 000
    r = successive(items, Z)
    assert r.likely == 150_000
    assert r.mean == pytest.approx(52_000 + 81_600 + 20_000)
    assert r.sd == pytest.approx(math.sqrt(8_000 ** 2 + 4_800 ** 2 + 4_000 ** 2))
    assert r.p85 == pytest.approx(153_600 + Z * math.sqrt(103_040_000))


def test_zero_spread_gives_p50_equal_to_p85_equal_to_the_likely_figure():
    r = successive((Spread("a", 12_345, 0.0, 0.0), Spread("b", 1_000, 0.0, 0.0)), Z)
    assert r.likely == r.mean == r.p50 == r.p85 == 13_345 and r.sd == 0 and r.reserve == 0


def test_the_level_scales_every_items_range():
    def spread_of(level: str) -> tuple[float, float]:
        return model.item_shares(EST, model.resolve(EST, Inputs(uncertainty=level)), "training")

    assert spread_of("lav") == pytest.approx((-0.15, 0.25))
    assert spread_of("Middels") == pytest.approx((-0.30, 0.50))
    assert spread_of("HØY") == pytest.approx((-0.45, 0.75))
    lo, hi = (model.one_off_range(EST, model.one_off(EST, 100, "pki", uncertainty=lv),
                                  model.resolve(EST, Inputs(uncertainty=lv))) for lv in ("lav", "hoy"))
    assert lo.likely == hi.likely and lo.reserve < hi.reserve


def test_a_low_share_never_takes_an_item_below_zero():
    text = EST.text.replace("low_share = -0.5\nhigh_share = 0.5", "low_share = -0.8\nhigh_share = 0.5", 1)
    est = __import__("workbook_builder.core.estimates", fromlist=["parse_estimates"]).parse_estimates(text)
    p = model.resolve(est, Inputs(uncertainty="hoy"))
    assert model.item_shares(est, p, "standin")[0] == -1.0  # −0,8 × 1,5 = −1,2 → −1


def test_the_budget_has_ranges_for_new_money_and_internal_resources_per_year_and_in_all():
    steps = (Step(100, "b", "", 2027), Step(110, "c", "", 2028))
    b = model.budget(EST, Inputs(first_year=2027, steps=steps, vendor_module_kr=85_000, maintenance_kr_per_year=10_000,
                                 followup_hours_per_year=20))
    r = b.ranges
    assert [x.likely for x in r.cash_years] == pytest.approx([y.cash_kr for y in b.years])
    assert [x.likely for x in r.internal_years] == pytest.approx([y.internal_kr for y in b.years])
    assert r.cash_total.likely == pytest.approx(b.cash_total_kr)
    assert r.one_off.likely == pytest.approx(b.one_off.total_kr)
    # in all, an item's four years move together: its sd is the sum of its yearly sds
    for k, sp in enumerate(r.cash_total.spreads):
        assert sp.sd == pytest.approx(sum(year.spreads[k].sd for year in r.cash_years))
    assert r.cash_total.mean == pytest.approx(sum(x.mean for x in r.cash_years))
    assert r.cash_total.sd >= math.sqrt(sum(x.sd ** 2 for x in r.cash_years))
    for x in (*r.cash_years, r.cash_total, *r.internal_years, r.internal_total, r.one_off):
        assert x.p50 == x.mean and x.p85 == pytest.approx(x.mean + Z * x.sd)


# ----------------------------------------------------------------------------- a check by simulation

TOLERANCE = {"pert": 0.015, "triangular": 0.035}  # stated in the README


def _simulate(spreads, kind: str, rng: np.random.Generator, n: int = 200_000) -> tuple[float, float]:
    total = np.zeros(n)
    for sp in spreads:
        low, likely, high = sp.low, sp.likely, sp.high
        if high == low:
            total += likely
        elif kind == "triangular":
            total += rng.triangular(low, likely, high, n)
        else:  # Beta-PERT with the same minimum, mode and maximum
            a = 1 + 4 * (likely - low) / (high - low)
            b = 1 + 4 * (high - likely) / (high - low)
            total += low + (high - low) * rng.beta(a, b, n)
    return float(np.percentile(total, 50)), float(np.percentile(total, 85))


@pytest.mark.parametrize("kind", ["pert", "triangular"])
@pytest.mark.parametrize("level", ["lav", "middels", "hoy"])
@pytest.mark.parametrize("staff", [30, 100, 400, 1000])
def test_the_analytic_p50_and_p85_are_close_to_a_simulation(kind, level, staff):
    rng = np.random.default_rng(20201 + staff)
    p = model.resolve(EST, Inputs(uncertainty=level, first_year=2027, vendor_module_kr=80_000))
    r = model.one_off_range(EST, model.one_off_with(EST, staff, p), p)
    p50, p85 = _simulate(r.spreads, kind, rng)
    assert abs(r.p50 / p50 - 1) < TOLERANCE[kind]
    assert abs(r.p85 / p85 - 1) < TOLERANCE[kind]
    if kind == "pert":  # the successive mean weighs the likely figure less than PERT does: a little above it
        assert r.p50 >= p50 * 0.999
    else:  # and more than a triangle does: a little below it
        assert r.p50 <= p50 * 1.001


def test_new_money_in_all_years_agrees_with_a_simulation_of_its_items():
    rng = np.random.default_rng(7)
    steps = (Step(60, "a", "", 2027), Step(140, "b", "", 2028), Step(200, "c", "", 2029))
    b = model.budget(EST, Inputs(first_year=2027, steps=steps, vendor_module_kr=90_000, maintenance_kr_per_year=30_000))
    p50, p85 = _simulate(b.ranges.cash_total.spreads, "pert", rng)
    assert abs(b.ranges.cash_total.p85 / p85 - 1) < TOLERANCE["pert"]

"""Calibration (issue 14): synthetic regions with a known truth. Every hours item costs 1,3 × the note's
figure and every purchase 0,9 ×, each municipality's actuals with multiplicative noise (lognormal, σ 0,1);
30 municipalities of varied sizes roll out in steps over the four budget years and report per year. The
fit recovers the truth within 8 % at every reference size, the fitted ranges cover the truth, and a
region with too few municipalities in a segment is refused by item and segment."""

from __future__ import annotations

import datetime as dt
import random

import pytest

from workbook_builder.core.estimates import load_estimates, parse_estimates
from workbook_builder.core.model import Actual, Inputs, Step, budget, interpolate, price_index
from workbook_builder.services.calibrate import CalibrationError, calibrate, calibrated_text, weights

TODAY = dt.date(2026, 11, 29)
FACTOR = {"hours": 1.3, "purchase": 0.9}
TOLERANCE = 0.08


def region(est, sizes: list[int], seed: int = 14, noise: float = 0.10):
    rng = random.Random(seed)
    truth = {i.id: tuple(v * FACTOR[i.kind] for v in i.values) for i in est.interpolated_items}
    out = []
    for k, total in enumerate(sizes):
        first = 2027
        split = [round(total * 0.3), round(total * 0.3), total - 2 * round(total * 0.3)]
        steps = tuple(Step(n, g, "", first + j) for j, (n, g) in enumerate(zip(split, "abc")) if n)
        inputs = Inputs(municipality=f"Kommune {k + 1:02d}", eid="pki", first_year=first, steps=steps)
        b = budget(est, inputs, TODAY)
        f = b.params.deflator_forecast
        actuals = []
        for item in est.interpolated_items:
            cum_prev = 0
            for y in b.years:
                cum = sum(s.staff for s in steps if s.year <= y.year)
                if cum == cum_prev:
                    continue
                real = (interpolate(est.sizes.values, truth[item.id], cum)
                        - interpolate(est.sizes.values, truth[item.id], cum_prev)) * rng.lognormvariate(0, noise)
                if item.kind != "hours":  # paid in that year's kroner
                    real *= price_index(est, y.year, False, f) / price_index(est, est.price_year, False, f)
                actuals.append(Actual(item.id, y.year, round(real, 2)))
                cum_prev = cum
        out.append((inputs.municipality, budget(est, Inputs(**{**inputs.__dict__, "actuals": tuple(actuals)}),
                                                 TODAY)))
    return truth, out


SIZES_30 = [12, 18, 25, 33, 40, 48, 55, 62, 70, 80, 90, 105, 120, 140, 160, 185, 210, 240, 270, 300, 330,
            360, 390, 420, 460, 500, 28, 75, 150, 350]


def test_the_weights_reproduce_the_models_interpolation(est):
    for staff in (1, 30, 31, 99, 100, 250, 400, 900):
        for item in est.interpolated_items:
            w = weights(est.sizes.values, staff)
            assert sum(a * b for a, b in zip(w, item.values)) == pytest.approx(
                interpolate(est.sizes.values, item.values, staff)), (staff, item.id)


def test_a_region_recovers_the_truth_and_its_ranges_cover_it(est):
    truth, budgets = region(est, SIZES_30)
    fits = {f.item: f for f in calibrate(est, budgets)}
    assert set(fits) == {i.id for i in est.interpolated_items}
    for item_id, f in fits.items():
        assert len(f.observations) == 30 and sum(f.per_segment) == 30
        for v, t in zip(f.values, truth[item_id]):
            assert abs(v / t - 1) <= TOLERANCE, (item_id, f.values, truth[item_id])
        for v, t in zip(f.values, truth[item_id]):
            assert v * (1 + f.low_share) <= t <= v * (1 + f.high_share), (item_id, f.low_share, f.high_share)
        # the noise was σ 0,1: the residual spread says so
        assert 0.05 <= f.residual_sd <= 0.16, (item_id, f.residual_sd)


def test_without_noise_the_fit_is_exact(est):
    truth, budgets = region(est, SIZES_30, noise=0.0)
    for f in calibrate(est, budgets):
        assert f.values == pytest.approx(truth[f.item], rel=1e-3), f.item
        assert f.low_share == pytest.approx(0, abs=1e-3) and f.high_share == pytest.approx(0, abs=1e-3)


def test_too_few_in_a_segment_is_refused_by_item_and_segment(est):
    _, budgets = region(est, [40, 50, 60, 70, 80, 90, 130])  # one municipality above 100
    with pytest.raises(CalibrationError) as exc:
        calibrate(est, budgets)
    message = str(exc.value)
    for item in est.interpolated_items:
        assert f"{item.id}: too few municipalities reported to fit it (100–400 personnel: 1 municipality" in message


def test_incomplete_actuals_are_left_out(est):
    """A municipality that reported only some of the years an item was due would look cheap: left out."""
    truth, budgets = region(est, SIZES_30)
    name, b = budgets[0]
    partial = Inputs(**{**b.inputs.__dict__, "actuals": tuple(a for a in b.inputs.actuals if a.year == 2027)})
    budgets[0] = (name, budget(est, partial, TODAY))
    fits = calibrate(est, budgets)
    assert all(len(f.observations) == 29 for f in fits)


def test_the_calibrated_file_keeps_the_original_figures_and_says_where_it_came_from(est):
    truth, budgets = region(est, SIZES_30)
    fits = calibrate(est, budgets)
    text = calibrated_text(est, fits, source="oversikt.xlsx", today=TODAY, tool_version="0.1.0")
    new = parse_estimates(text)
    assert new.version == f"{est.version}+kalibrert-2026-11-29"
    for f in fits:
        item = new.item(f.item)
        assert item.values == pytest.approx(f.values) and item.original == est.item(f.item).values
        assert (item.low_share, item.high_share) == (f.low_share, f.high_share)
        assert item.original_shares == (est.item(f.item).low_share, est.item(f.item).high_share)
        assert item.range_source.startswith("Kalibrert 2026-11-29: spredningen i 30 kommuners faktiske tall")
    cal = new.calibration
    assert cal is not None and cal.source == "oversikt.xlsx" and len(cal.municipalities) == 30
    assert cal.years == (2027, 2028, 2029) and cal.items["training"] == (30, fits[0].per_segment)
    assert "# " in text and "NHN-notatet juni 2020" in text  # comments and sources kept (tomlkit)
    assert load_estimates().item("training").original is None

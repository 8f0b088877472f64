"""The workbook and the Python model are two implementations of one model: LibreOffice
recalculates every scenario workbook and each named output, check and cached value must agree."""

from __future__ import annotations

import pytest
import scenarios
from compare import close, same

from workbook_builder.cells import OUTPUTS, output_values

NAMES = list(scenarios.scenarios())


@pytest.mark.parametrize("name", NAMES)
def test_every_named_output_equals_the_model(recalculated_cases, est, name):
    case = recalculated_cases[name]
    expected = output_values(est, case.budget)
    assert set(expected) == set(OUTPUTS)
    for out_name, value in expected.items():
        got = case.recalculated.value(out_name)
        assert same(got, value), f"{name}: {out_name} = {got!r}, model {value!r}"


@pytest.mark.parametrize("name", NAMES)
def test_every_check_equals_the_model(recalculated_cases, name):
    case = recalculated_cases[name]
    statuses = case.recalculated.value("kj_check_status")
    messages = case.recalculated.value("kj_check_message")
    assert statuses == [c.status for c in case.budget.checks]
    assert messages == [c.message for c in case.budget.checks]


@pytest.mark.parametrize("name", NAMES)
def test_cached_values_equal_the_recalculated_ones(recalculated_cases, name):
    """Every formula cell: the value the builder stored (the model's) is what LibreOffice computes."""
    case = recalculated_cases[name]
    assert case.recalculated.errors == []
    differences = []
    count = 0
    for sheet, cells in case.cached.formulas.items():
        for r, c in sorted(cells):
            count += 1
            a, b = case.cached.cell(sheet, r, c), case.recalculated.cell(sheet, r, c)
            if not close(a, b):
                differences.append((sheet, r + 1, c + 1, a, b))
    assert count > 500
    assert differences == []


@pytest.mark.parametrize("name", ["note-30-pki", "note-100-pki", "note-400-pki"])
def test_the_notes_figures_appear_in_the_recalculated_workbook(recalculated_cases, name):
    case = recalculated_cases[name]
    staff = int(name.split("-")[1])
    hours = {30: 170, 100: 325, 400: 1000}[staff]
    purchases = {30: 40_000, 100: 100_000, 400: 340_000}[staff]
    assert case.recalculated.value("kj_total_hours") == hours
    assert case.recalculated.value("kj_total_purchase_kr") == purchases
    assert case.recalculated.value("kj_total_kr") == hours * 438 + purchases
    assert case.recalculated.value("kj_year_one_off_kr")[0] == hours * 438 + purchases


def test_budsjett_cells_equal_the_model_per_year(recalculated_cases, est):
    """The Budsjett sheet's per-year lines (by track and kind) against the model's years."""
    from workbook_builder.tables import years_frame

    case = recalculated_cases["phased-full"]
    frame = years_frame(case.budget)
    rows = {row[0]: row[2:6] for row in case.recalculated.sheets["Budsjett"] if row and isinstance(row[0], str)}
    assert rows["Organisering: interne ressurser"] == pytest.approx(list(frame["one_off_organisering_kr"]))
    assert rows["Engangskostnader"] == pytest.approx(list(frame["one_off_kr"]))
    assert rows["Driftskostnader"] == pytest.approx(list(frame["running_kr"]))
    assert rows["Gevinst i kroner"] == pytest.approx(list(frame["benefit_kr"]))
    assert rows["Netto (gevinst − kostnader)"] == pytest.approx(list(frame["net_kr"]))
    assert rows["Organisering"] == pytest.approx(list(frame["one_off_organisering_kr"]))
    assert rows["Teknisk"] == pytest.approx(list(frame["one_off_teknisk_kr"]))


def test_scenarios_cover_every_check_status(recalculated_cases):
    seen = {(c.id, c.status) for case in recalculated_cases.values() for c in case.budget.checks}
    for check_id in ("staff", "steps", "years", "basis", "vendor", "vendor_price", "eid_price", "running",
                     "benefits", "benefit_groups"):
        assert (check_id, "OK") in seen and any(s for i, s in seen if i == check_id and s != "OK"), check_id

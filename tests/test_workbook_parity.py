"""The workbook and the Python model are two implementations of one model: LibreOffice
recalculates every scenario workbook and each named output, check and cached value must agree."""

from __future__ import annotations

import pytest
import scenarios
from compare import close, same

from workbook_builder.cells import OUTPUTS, output_values
from workbook_builder.core.i18n import tr
from workbook_builder.core.numbers import excel_round

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
    malform = case.budget.params.malform  # the workbook shows each status in its målform («Ikkje utfylt»)
    assert statuses == [tr(c.status, malform) for c in case.budget.checks]
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


def test_the_notes_figures_appear_in_the_recalculated_workbook_at_its_price_year(recalculated_cases):
    book = recalculated_cases["price-year-2020"].recalculated
    rate = book.value("kj_hourly_rate_used")
    assert book.value("kj_price_factor") == 1
    assert book.value("kj_total_hours") == 325
    assert book.value("kj_total_purchase_kr") == 100_000
    assert close(book.value("kj_total_kr"), 325 * rate + 100_000 + 62.5 * rate)


@pytest.mark.parametrize("name", ["note-30-pki", "note-100-pki", "note-400-pki"])
def test_the_notes_purchases_are_lifted_to_the_budget_year(recalculated_cases, est, name):
    book = recalculated_cases[name].recalculated
    staff = int(name.split("-")[1])
    k = est.sizes.values.index(staff)
    f = book.value("kj_price_factor")
    assert close(f, 1.044 * 1.067 * 1.043 * 1.050 * 1.047 * 1.041 * 1.041)  # 2021–2026 and the 2027 forecast
    lifted = (staff * excel_round(700 * f) + est.readers.values[k] * excel_round(500 * f)
              + excel_round(est.item("tech_assistance").values[k] * f))
    assert book.value("kj_total_purchase_kr") == lifted
    assert book.value("kj_total_hours") == {30: 170, 100: 325, 400: 1000}[staff]


def test_budsjett_cells_equal_the_model_per_year(recalculated_cases, est):
    """The Budsjett sheet's per-year lines: new money, internal resources, benefits, never a net."""
    from workbook_builder.services.tables import years_frame

    case = recalculated_cases["phased-full"]
    frame = years_frame(case.budget)
    rows = {row[0]: row[2:6] for row in case.recalculated.sheets["Budsjett"] if row and isinstance(row[0], str)}
    assert rows["Behov for nye midler"] == pytest.approx(list(frame["cash_kr"]))
    assert rows["Vikarer for helsepersonell på opplæring"] == pytest.approx(list(frame["one_off_standin_kr"]))
    assert rows["Fornyelse av e-ID (i årene kortene må fornyes)"] == pytest.approx(list(frame["renewal_kr"]))
    assert rows["Interne timer i alt"] == pytest.approx(list(frame["internal_hours"]))
    assert rows["Verdien av de interne timene (timer × timekostnad)"] == pytest.approx(list(frame["internal_kr"]))
    assert rows["Frigjorte timer"] == pytest.approx(list(frame["benefit_hours"]))
    assert rows["Engangskostnader"] == pytest.approx(list(frame["one_off_kr"]))
    assert rows["Driftskostnader"] == pytest.approx(list(frame["running_kr"]))
    assert not any("Netto" in label for label in rows)


def test_budsjettlinjer_sum_to_the_new_money_on_budsjett(recalculated_cases):
    for name in ("phased-full", "zone-v-helsefagarbeider", "vendor-other-investment", "random-3"):
        case = recalculated_cases[name]
        book = case.recalculated
        assert close(book.value("kj_lines_total_kr"), sum(book.value("kj_year_cash_kr"))), name
        assert book.value("kj_lines_kr") == pytest.approx([a.kr for a in case.budget.accounting_lines]), name
        assert book.value("kj_lines_art") == [a.art for a in case.budget.accounting_lines], name
        assert book.value("kj_lines_function") == [a.function for a in case.budget.accounting_lines], name


def test_scenarios_cover_every_check_status(recalculated_cases):
    seen = {(c.id, c.status) for case in recalculated_cases.values() for c in case.budget.checks}
    for check_id in ("staff", "steps", "years", "basis", "vendor", "vendor_price", "eid_price", "running",
                     "benefits", "benefit_groups", "eid_current", "investment"):
        assert (check_id, "OK") in seen and any(s for i, s in seen if i == check_id and s != "OK"), check_id

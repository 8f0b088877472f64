"""One list of headline outputs (core/vocabulary.OUTPUTS: name, bokmål and English label, unit, number format,
meaning): the register of names, the model's values for them, Budsjett's key figures, the Regenerering sheet
and its terminal report, and the memo all take their names and labels from it."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import TODAY

from workbook_builder.cells import OUTPUTS as REGISTER
from workbook_builder.cells import output_values
from workbook_builder.core.estimates import load_estimates
from workbook_builder.core.model import Inputs, Step, budget
from workbook_builder.core.vocabulary import KEY_OUTPUTS, OUTPUT_BY_NAME, OUTPUTS, output_label
from workbook_builder.sheets.budsjett import C_LABEL, C_UNIT
from workbook_builder.sheets.regenerering import C_LABEL as R_LABEL
from workbook_builder.sheets.regenerering import C_NAME as R_NAME
from workbook_builder.workbook import build_bytes, build_workbook
from workbook_builder.xlsx.filled_reader import WorkbookFile

INPUTS = Inputs(municipality="Gausdal", municipality_number="3441", first_year=2027,
                steps=(Step(20, "a"), Step(60, "b")), admissions_short_term=700)


def test_the_register_and_the_model_have_the_list_in_its_order(est):
    names = [o.name for o in OUTPUTS]
    assert len(set(names)) == len(names) and all(n.startswith("kj_") for n in names)
    assert list(REGISTER) == names
    assert list(output_values(est, budget(est, INPUTS, TODAY))) == names
    assert all(o.label and o.label_en and o.meaning and o.num for o in OUTPUTS)


def test_budsjett_labels_every_output_it_shows_from_the_list(est):
    built = build_bytes(est, INPUTS, today=TODAY)
    with WorkbookFile(built.data) as wb:
        cells = wb.sheet_cells("Budsjett")
        defined = [n for n in built.register.of_role("output") if n.sheet == "Budsjett" and n.name in OUTPUT_BY_NAME
                   and n.first == n.last]
        assert {n.name for n in defined} >= {"kj_total_staff", "kj_total_kr", "kj_cash_total_kr", "kj_outside_basis"}
        for n in defined:
            row = n.first[0]
            assert cells[(row, C_LABEL)].value == output_label(n.name, est), n.name
            unit = cells[(row, C_UNIT)].value if (row, C_UNIT) in cells else None
            assert (unit or "") == OUTPUT_BY_NAME[n.name].unit, n.name
        labels = {c.value for (r, col), c in cells.items() if col == C_LABEL}
    for shown in ("kj_total_kr_p50", "kj_total_kr_p85", "kj_cash_total_kr_p85", "kj_hourly_rate_used", "kj_eid_used"):
        assert output_label(shown, est) in labels, shown


def test_a_label_names_the_estimates_own_sizes_and_years(est):
    generic = load_estimates(Path(__file__).parent / "data" / "generic.toml")
    assert generic.size_range_text != est.size_range_text
    assert output_label("kj_outside_basis", generic) == (f"Utenfor notatets estimatgrunnlag "
                                                         f"({generic.size_range_text} helsepersonell)")
    assert str(est.price_year) in output_label("kj_price_factor", est)
    assert str(est.pay.price_year) in output_label("kj_wage_factor", est)


@pytest.fixture(scope="module")
def regeneration(tmp_path_factory):
    from filling import changed_estimates

    from workbook_builder.services.regenerate import regenerate

    est = load_estimates()
    old = tmp_path_factory.mktemp("list") / "old.xlsx"
    build_workbook(old, est, INPUTS, today=TODAY)
    return regenerate(old, changed_estimates(est), today=TODAY)


def test_regenerering_shows_the_key_outputs_of_the_list(regeneration):
    from workbook_builder.services.regenerate import report_lines

    reg = regeneration
    assert [(h.name, h.label, h.label_en, h.num) for h in reg.report.headlines] == \
        [(o.name, output_label(o.name, reg.est), o.label_en, o.num) for o in KEY_OUTPUTS]
    with WorkbookFile(reg.built.data) as wb:
        cells = wb.sheet_cells("Regenerering")
    shown = {c.value: cells[(r, R_LABEL)].value for (r, col), c in cells.items() if col == R_NAME
             and c.value in OUTPUT_BY_NAME}
    assert shown == {o.name: output_label(o.name, reg.est) for o in KEY_OUTPUTS}
    lines = report_lines(reg)
    for o in KEY_OUTPUTS:
        assert any(line.startswith(f"  {o.label_en:<28} ") for line in lines), o.name
    # on the terminal the figures stand in columns, under each other, whatever a label's length; a year is 2027
    heads = lines[lines.index(next(x for x in lines if x.startswith("Headline totals"))) + 1:][:len(KEY_OUTPUTS)]
    assert len({line.index(" -> ") for line in heads}) == 1, heads
    year = reg.report.headlines[[o.name for o in KEY_OUTPUTS].index("kj_price_year")].new
    assert any(line.startswith("  price level") and line.rstrip().endswith(f"-> {year:>14}") for line in heads)


def test_the_memo_labels_its_key_figures_from_the_list(est):
    from workbook_builder.services.memo import render_memo_html

    html = render_memo_html(est, INPUTS, budget(est, INPUTS, TODAY), today=TODAY)
    for name in ("kj_total_staff", "kj_total_kr", "kj_running_kr_per_year", "kj_hours_returned_years",
                 "kj_master_check"):
        assert f"<tr><td>{output_label(name, est)}" in html, name

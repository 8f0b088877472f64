"""Issue 14: the Oppfølging sheet is the follow-up model (core/followup.follow_up) in native formulas. After a
LibreOffice recalculation every line and year shows the model's budget, P50, P85, actual in fixed prices,
deviation, share and status (in the workbook's målform), and an invalid actual is named beside its cell and
left out, never an error value."""

from __future__ import annotations

from dataclasses import replace

import lo
import openpyxl
import pytest
from compare import close

from workbook_builder.core.followup import ABOVE, BELOW, WITHIN, follow_up, lines
from workbook_builder.core.i18n import tr
from workbook_builder.core.model import Actual, InputError, Inputs, budget
from workbook_builder.core.vocabulary import CHECKS, NOTE, OK
from workbook_builder.sheets.oppfolging import C_CHECK, C_IN, actual_name
from workbook_builder.workbook import build_workbook

COLUMNS = ("kj_followup_line", "kj_followup_year", "kj_followup_budget", "kj_followup_p50", "kj_followup_p85",
           "kj_followup_actual", "kj_followup_deviation", "kj_followup_share", "kj_followup_status")


def sheet_rows(book: lo.Book) -> dict[tuple[str, int], dict[str, object]]:
    """(line id, year) → the row's values by column name, from the workbook's defined names."""
    columns = {name: book.value(name) for name in COLUMNS}
    out = {}
    for k, line in enumerate(columns["kj_followup_line"]):
        if line:  # the rows between the blocks carry the line's label, not an id
            out[(line, int(columns["kj_followup_year"][k]))] = {n.removeprefix("kj_followup_"): v[k]
                                                               for n, v in columns.items()}
    return out


def expected_rows(est, case) -> dict[tuple[str, int], dict[str, object]]:
    malform = case.budget.params.malform
    return {(d.line.id, d.year): {
        "budget": d.budget, "p50": d.p50, "p85": d.p85,
        "actual": "" if d.actual is None else d.actual,
        "deviation": "" if d.deviation is None else d.deviation,
        "share": "" if d.deviation_share is None else d.deviation_share,
        "status": tr(d.status, malform) if d.status else "",
    } for d in follow_up(est, case.budget, case.inputs.actuals)}


@pytest.mark.parametrize("name", ["followup", "nn-followup", "phased-full"])
def test_every_line_and_year_after_recalculation_equals_the_follow_up_model(recalculated_cases, est, name):
    case = recalculated_cases[name]
    got, want = sheet_rows(case.recalculated), expected_rows(est, case)
    assert set(got) == set(want)
    assert len(want) == len(lines(est)) * 4
    for key, row in want.items():
        for column, value in row.items():
            assert close(got[key][column], value), f"{name} {key} {column}: sheet {got[key][column]!r}, model {value!r}"
    statuses = {row["status"] for row in want.values()}
    if case.inputs.actuals:  # the case has every status, in the workbook's målform
        malform = case.budget.params.malform
        assert {tr(s, malform) for s in (BELOW, WITHIN, ABOVE)} <= statuses
        assert statuses != {tr(s, "nb") for s in (BELOW, WITHIN, ABOVE)} | {""} or malform == "nb"
    else:
        assert statuses == {""}


def test_an_actual_above_p85_is_a_note_on_kontroll(recalculated_cases):
    assert CHECKS["followup"].severity == NOTE
    for name in ("followup", "nn-followup"):
        case = recalculated_cases[name]
        check = next(c for c in case.budget.checks if c.id == "followup")
        assert check.status == NOTE
        position = [c.id for c in case.budget.checks].index("followup")
        assert case.recalculated.value("kj_check_status")[position] == tr(NOTE, case.budget.params.malform)
    plain = recalculated_cases["phased-full"]
    assert next(c for c in plain.budget.checks if c.id == "followup").status == OK


def test_the_actuals_are_the_inputs_of_the_sheet_by_name(recalculated_cases):
    case = recalculated_cases["followup"]
    years = case.budget.params.years
    for line in {a.line for a in case.inputs.actuals}:
        cells = case.recalculated.value(actual_name(line))
        assert len(cells) == 4
        want = {a.year: a.value for a in case.inputs.actuals if a.line == line}
        assert cells == [want.get(y, "") for y in years]


@pytest.mark.libreoffice
def test_an_invalid_actual_is_named_beside_its_cell_and_left_out(est, tmp_path):
    """Typed as a user would (openpyxl): text and a negative number. LibreOffice shows no error value; the
    status beside each says what is wrong and the row is left out, as the reader leaves it out of the model."""
    from scenarios import scenarios

    inputs = scenarios()["followup"]
    path = tmp_path / "ugyldig.xlsx"
    build_workbook(path, est, inputs)
    wb = openpyxl.load_workbook(path)
    ws = wb["Oppfølging"]
    dest = {n: next(iter(wb.defined_names[n].destinations))[1] for n in (actual_name("training"),
                                                                       actual_name("eid"))}
    first_training = dest[actual_name("training")].split(":")[0].replace("$", "")
    first_eid = dest[actual_name("eid")].split(":")[0].replace("$", "")
    ws[first_training] = "mange"
    ws[first_eid] = -5
    wb.save(path)
    out = lo.recalc([path], tmp_path / "lo")[0]
    book = lo.read_book(out)
    assert book.errors == []
    rows = sheet_rows(book)
    year = inputs.first_year
    for line in ("training", "eid"):
        assert rows[(line, year)]["actual"] == ""
        assert rows[(line, year)]["status"] == ""
    sheet, r, _, _, _ = book.names[actual_name("training")]
    assert book.cell(sheet, r, C_CHECK) == tr("Ugyldig: skriv et tall")
    sheet, r, _, _, _ = book.names[actual_name("eid")]
    assert book.cell(sheet, r, C_CHECK).startswith(tr("Ugyldig: må være {range}", range="")[:15])
    assert book.cell(sheet, r, C_IN) == -5
    # the model, given only the valid actuals, agrees on the rest of the sheet
    valid = tuple(a for a in inputs.actuals if not (a.year == year and a.line in ("training", "eid")))
    want = {(d.line.id, d.year): d for d in follow_up(est, budget(est, replace(inputs, actuals=valid)), valid)}
    for key, d in want.items():
        assert close(rows[key]["actual"], "" if d.actual is None else d.actual), key


def test_an_actual_outside_the_model_rules_is_refused_by_the_model(est):
    with pytest.raises(InputError):
        budget(est, Inputs(first_year=2027, actuals=(Actual("training", 2027, -1),)))

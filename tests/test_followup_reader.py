"""Issue 14: the actuals on Oppfølging are read by their defined names into `Inputs.actuals`, like every other
input: a bad cell is a finding (named, left out), never a crash; `build --from` carries them to the new
workbook and its report lists them."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
import scenarios

from workbook_builder.core.model import Actual, Inputs, Step
from workbook_builder.services.regenerate import regenerate, report_lines
from workbook_builder.sheets.oppfolging import C_NOTE, actual_name
from workbook_builder.workbook import build_workbook
from workbook_builder.xlsx.filled_reader import filled_values, read_workbook

TODAY = dt.date(2026, 11, 2)


@pytest.fixture()
def filled(est, tmp_path):
    inputs = scenarios.scenarios()["followup"]
    path = tmp_path / "fulgt-opp.xlsx"
    build_workbook(path, est, inputs, today=TODAY)
    return inputs, path


def _first_cell(wb: openpyxl.Workbook, name: str, k: int = 0) -> str:
    _, ref = next(iter(wb.defined_names[name].destinations))
    col, row = openpyxl.utils.cell.coordinate_from_string(ref.split(":")[0].replace("$", ""))
    return f"{col}{row + k}"


@pytest.mark.parametrize("full", [True, False])
def test_the_actuals_come_back_as_they_were_written(est, filled, full):
    inputs, path = filled
    fw = read_workbook(path, est, strict=not full, full=full)
    assert set(fw.inputs.actuals) == set(inputs.actuals)
    assert fw.problems == []
    assert {c.key for c in fw.carried if c.key.startswith("kj_actual_")} == {
        f"{actual_name(a.line)}#{a.year - inputs.first_year + 1}" for a in inputs.actuals}


def test_a_bad_actual_is_a_finding_beside_its_cell_and_not_an_invalid_budget_input(est, filled, tmp_path):
    inputs, path = filled
    wb = openpyxl.load_workbook(path)
    ws = wb["Oppfølging"]
    ws[_first_cell(wb, actual_name("training"))] = "mange"  # text
    ws[_first_cell(wb, actual_name("eid"))] = -41_000  # negative
    ws[_first_cell(wb, actual_name("eid"), 3)] = "=1/0"  # an error value
    edited = tmp_path / "redigert.xlsx"
    wb.save(edited)
    fw = read_workbook(edited, est)
    keys = {p.key: p for p in fw.problems}
    assert set(keys) == {"kj_actual_training#1", "kj_actual_eid#1", "kj_actual_eid#4"}
    assert "not a number" in keys["kj_actual_training#1"].en
    assert keys["kj_actual_training#1"].note.startswith("Faktisk tall: Opplæring kjernejournal")
    assert "2027" in keys["kj_actual_training#1"].label
    assert fw.inputs.invalid == ()  # the budget's inputs are all valid: Kontroll does not fail for an actual
    left = {(a.line, a.year) for a in inputs.actuals} - {("training", 2027), ("eid", 2027)}
    assert {(a.line, a.year) for a in fw.inputs.actuals} == left
    assert "kj_actual_training#1" in filled_values(edited)  # what the user typed is not overwritten unasked

    # build --from: the valid actuals are carried, the bad ones noted beside their cells on Oppfølging
    reg = regenerate(edited, est, today=TODAY)
    new = tmp_path / "ny.xlsx"
    new.write_bytes(reg.built.data)
    again = read_workbook(new, est)
    assert {(a.line, a.year) for a in again.inputs.actuals} == left
    assert {c.key for c in reg.report.carried if c.key.startswith("kj_actual_")} == {
        c.key for c in again.carried if c.key.startswith("kj_actual_")}
    ws = openpyxl.load_workbook(new)["Oppfølging"]
    name = reg.built.register.names[actual_name("training")]
    note = ws.cell(name.first[0] + 1, C_NOTE + 1).value
    assert note.startswith("Faktisk tall: Opplæring kjernejournal og bruk, helsepersonell 2027:")
    assert "«mange»" in note
    # a second regeneration finds the note beside the still blank cell and carries it again, word for word
    twice = regenerate(new, est, today=TODAY)
    pending = next(p for p in twice.report.problems if p.key == "kj_actual_training#1")
    assert pending.note == note and pending.raw == "mange" and "still blank" in pending.en
    again_new = tmp_path / "ny-igjen.xlsx"
    again_new.write_bytes(twice.built.data)
    assert openpyxl.load_workbook(again_new)["Oppfølging"].cell(name.first[0] + 1, C_NOTE + 1).value == note
    assert read_workbook(again_new, est).inputs.invalid == ()
    sheet = openpyxl.load_workbook(new)["Regenerering"]
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    assert any("merknad ved feltet på Oppfølging" in t for t in texts)
    assert any(t == "kj_actual_standin#1" for t in texts)
    # and the terminal's report says where the note is
    printed = "\n".join(report_lines(reg))
    assert ("NOT CARRIED  kj_actual_training#1 = 'mange'" in printed
            and "kept as a note beside the input (Oppfølging, the note column)" in printed)


def test_an_actual_outside_the_new_budget_years_is_reported_not_carried(est, tmp_path):
    """A blank first budget year moves with the build date: the actuals of years that fall out are named."""
    old = tmp_path / "gammel.xlsx"
    build_workbook(old, est, Inputs(steps=(Step(50, "b", "", 2027),), actuals=(
        Actual("training", 2027, 80), Actual("training", 2029, 10))), today=TODAY)
    reg = regenerate(old, est, today=dt.date(2028, 3, 1))  # first budget year 2029 now
    assert {(a.line, a.year) for a in reg.built.budget.inputs.actuals} == {("training", 2029)}
    problem = next(p for p in reg.report.problems if p.key.startswith("kj_actual_"))
    assert problem.key == "kj_actual_training#1" and problem.kind == "no_room"
    assert "2027 is not one of the new workbook's budget years 2029–2032" in problem.en

"""What a regeneration does with values it cannot carry as they are, and what it reports: invalid
values stay beside their input as a note (the input blank, Kontroll failing until it is filled), a
changed form is named, an input the new template lacks is listed, and formula-like text stays text."""

from __future__ import annotations

from pathlib import Path

import lo
import openpyxl
import pytest
from compare import same
from conftest import TODAY
from filling import changed_estimates, fill, input_cell

from workbook_builder.cells import INPUT_BY_NAME, output_values
from workbook_builder.core.model import Inputs, Step, budget
from workbook_builder.core.vocabulary import ERROR
from workbook_builder.services.regenerate import regenerate, report_lines
from workbook_builder.sheets.inndata import C_NOTE, C_STATUS, NOT_CARRIED
from workbook_builder.workbook import REGENERATED_ORDER, build_bytes, build_workbook
from workbook_builder.xlsx.filled_reader import WorkbookFile, read_workbook

VALID = {"kj_municipality": "Gausdal", "kj_vendor": "Visma (Profil)", "kj_step_group#1": "a: Sykehjemsleger",
         "kj_step_staff#1": 20, "kj_step_group#2": "b: Legemiddelansvarlige, korttidsavdelinger",
         "kj_step_staff#2": 60, "kj_admissions_short_term": 700, "kj_vendor_module_kr": 40000}
INVALID = {"kj_step_staff#2": 12.5, "kj_hourly_rate": -100, "kj_eid": "Visa", "kj_first_year": "neste år",
           "kj_municipality_number": "12", "kj_share_home_care": 1.5, "kj_step_group#3": "x: Ukjent",
           "kj_step_staff#3": 40}
CHANGED = {"kj_step_group#1": "A", "kj_vendor": "gerica"}  # an id or product name: carried as the list value


@pytest.fixture(scope="module")
def new_est(est):
    return changed_estimates(est)


@pytest.fixture(scope="module")
def regenerated(est, new_est, tmp_path_factory):
    """Filled with invalid values and a formula, saved by LibreOffice, regenerated, recalculated."""
    root = tmp_path_factory.mktemp("report")
    build_workbook(root / "mal.xlsx", est, Inputs(), today=TODAY)
    filled = fill(root / "mal.xlsx", {**VALID, **INVALID, **CHANGED}, root / "old.xlsx")
    wb = openpyxl.load_workbook(filled)
    input_cell(wb, "kj_reader_kr").value = "=400+50"  # a formula typed into an input cell
    wb.save(filled)
    saved = lo.recalc([filled], root / "saved")[0]
    reg = regenerate(saved, new_est, today=TODAY)
    new = root / "new" / "old.xlsx"
    new.parent.mkdir()
    new.write_bytes(reg.built.data)
    recalculated = lo.recalc([new], root / "recalculated")[0]
    return reg, new, lo.read_book(recalculated)


def test_each_invalid_value_is_reported_with_its_raw_text_and_why(regenerated):
    reg, _, _ = regenerated
    problems = {p.key: p for p in reg.report.problems}
    assert set(problems) == set(INVALID) - {"kj_step_staff#3"}
    assert problems["kj_step_staff#2"].raw == "12.5" and "whole number" in problems["kj_step_staff#2"].en
    assert problems["kj_hourly_rate"].raw == "-100" and "0 to 10000" in problems["kj_hourly_rate"].en
    assert problems["kj_eid"].raw == "Visa" and "unknown e-ID" in problems["kj_eid"].en
    assert problems["kj_first_year"].raw == "neste år"
    assert problems["kj_municipality_number"].en == "Kommunenummer: must be four digits, got '12'"
    assert problems["kj_step_group#3"].raw == "x: Ukjent"
    assert all(p.kind == "invalid" for p in problems.values())
    assert reg.old.inputs.invalid == ("kj_eid", "kj_first_year", "kj_hourly_rate", "kj_municipality_number",
                                      "kj_share_home_care", "kj_step_group", "kj_step_staff")


def test_an_invalid_value_is_kept_as_a_note_beside_its_blank_input(regenerated):
    reg, new, book = regenerated
    names = reg.built.register.names
    for key, value in INVALID.items():
        if key == "kj_step_staff#3":
            continue
        name, _, row = key.partition("#")
        n = names[name]
        r, c = n.first[0] + (int(row) - 1 if row else 0), n.first[1]
        with WorkbookFile(new) as wb:
            assert wb.cell(n.sheet, r, c).value is None, key  # left blank
            note = wb.cell(n.sheet, r, C_NOTE).value
        label = INPUT_BY_NAME[name].label
        assert f"{label}: ikke overført fra forrige arbeidsbok: «{value}»" in note, (key, note)
        assert book.cell(n.sheet, r, C_STATUS) == NOT_CARRIED, key  # recalculated by LibreOffice


def test_kontroll_fails_on_the_uncarried_values_in_the_model_and_in_libreoffice(regenerated, new_est):
    reg, _, book = regenerated
    b = budget(new_est, reg.old.inputs, TODAY)
    assert b.check("inputs").status == ERROR
    assert book.value("kj_check_status") == [c.status for c in b.checks]
    assert book.value("kj_master_check") == "Feil"


def test_the_recalculated_totals_leave_the_uncarried_values_out(regenerated, new_est):
    reg, _, book = regenerated
    assert reg.old.inputs.steps[1] == Step(0, "b") and reg.old.inputs.steps[2] == Step(40, None)
    assert reg.old.inputs.hourly_rate is None and reg.old.inputs.eid is None
    for name, value in output_values(new_est, budget(new_est, reg.old.inputs, TODAY)).items():
        assert same(book.value(name), value), name


def test_a_typed_formula_is_carried_as_its_value_and_named_as_changed(regenerated):
    reg, _, _ = regenerated
    carried = {c.key: c for c in reg.report.carried}
    assert reg.old.inputs.reader_kr == 450
    assert carried["kj_reader_kr"].changed and "=400+50" in carried["kj_reader_kr"].en


def test_an_id_or_product_name_is_carried_as_the_list_value(regenerated):
    reg, _, _ = regenerated
    carried = {c.key: c for c in reg.report.carried}
    assert carried["kj_step_group#1"].value == "a: Sykehjemsleger" and carried["kj_step_group#1"].changed
    assert carried["kj_vendor"].value == "TietoEVRY (Gerica)" and carried["kj_vendor"].changed


def test_the_report_sheet_lists_every_input_and_sits_after_kontroll(regenerated):
    reg, new, _ = regenerated
    with WorkbookFile(new) as wb:
        assert list(wb.sheets) == list(REGENERATED_ORDER)
        cells = wb.sheet_cells("Regenerering")
        text = [c.value for c in cells.values() if isinstance(c.value, str)]
        assert wb.sheet_password("Regenerering") is False
    for key in [*VALID, *INVALID, *CHANGED, "kj_reader_kr"]:
        assert key in text, key
    assert any(t.startswith("Ikke ført over:") for t in text)
    assert "Estimater som er endret" in text and "Nøkkeltall før og nå" in text
    assert "kj_est_reader_kr" in text and "kj_total_kr" in text
    assert any(t.startswith("Endret:") for t in text)


def test_the_terminal_report_says_the_same_in_english(regenerated):
    reg, _, _ = regenerated
    text = "\n".join(report_lines(reg, Path("new.xlsx")))
    assert "NOT CARRIED  kj_hourly_rate = '-100'" in text
    assert "kept as a note beside the input (Inndata, column J)" in text
    assert "carried      kj_reader_kr = '450' (changed: the formula =400+50 is carried as its value)" in text
    assert "kj_est_reader_kr: 500 -> 560" in text
    assert "one-off total, kr" in text and "Wrote new.xlsx" in text


def test_an_input_the_new_template_lacks_is_listed_with_its_value(est, new_est, tmp_path):
    """An old template's input (an unlocked named cell we do not know) is dropped, never silently."""
    path = tmp_path / "old.xlsx"
    build_workbook(path, est, Inputs(), today=TODAY)
    wb = openpyxl.load_workbook(path)
    from openpyxl.workbook.defined_name import DefinedName

    cell = wb["Inndata"]["M5"]
    cell.value = 17
    cell.protection = openpyxl.styles.Protection(locked=False)
    wb.defined_names["kj_old_input"] = DefinedName("kj_old_input", attr_text="'Inndata'!$M$5")
    del wb.defined_names["kj_minutes_saved"]
    wb.save(path)
    reg = regenerate(path, new_est, today=TODAY)
    dropped = {p.key: p for p in reg.report.dropped}
    assert dropped["kj_old_input"].raw == "17" and dropped["kj_old_input"].kind == "not_in_template"
    assert reg.report.missing == ["kj_minutes_saved"]
    assert reg.old.inputs.invalid == ()  # nothing on Inndata to fix: Kontroll does not fail for it


def test_formula_like_text_is_written_as_text_never_as_a_formula(est):
    texts = {"kj_municipality": "=1+1", "kj_step_unit#1": "+47 avd", "kj_step_unit#2": "-sone",
             "kj_step_unit#3": "@SUM(A1)", "kj_step_unit#4": "=HYPERLINK(\"http://x\",\"klikk\")"}
    inputs = Inputs(municipality=texts["kj_municipality"],
                    steps=tuple(Step(10, "a", texts[f"kj_step_unit#{k}"]) for k in range(1, 5)))
    built = build_bytes(est, inputs, today=TODAY)
    with WorkbookFile(built.data) as wb:
        for key, text in texts.items():
            name, _, row = key.partition("#")
            cell = wb.cells(name)[int(row) - 1 if row else 0]
            assert cell.formula is None and cell.value == text, key
    assert read_workbook(built.data, est).inputs == inputs


def test_the_excel_functions_and_the_xlwings_conf_sheet_come_along(tmp_path, capsys):
    from workbook_builder.cli.main import main

    old = tmp_path / "lite.xlsx"
    assert main(["build", "--out", str(old), "--with-lite", "--udf-config", "--municipality", "Gausdal"]) == 0
    capsys.readouterr()  # (openpyxl would drop the Lite parts: Excel keeps them when a user saves)
    assert main(["build", "--from", str(old)]) == 0
    assert "with the xlwings Lite functions, with an xlwings.conf sheet" in capsys.readouterr().out
    with WorkbookFile(tmp_path / "lite-regenerert.xlsx") as wb:
        assert "xl/webextensions/webextension1.xml" in wb.pkg.names
        assert "xlwings.conf" in wb.sheets and "Regenerering" in wb.sheets
        assert wb.value("kj_municipality") == "Gausdal"


def test_a_value_still_waiting_comes_along_again_when_regenerated_twice(regenerated, new_est, tmp_path):
    reg, new, _ = regenerated
    again = regenerate(new, new_est, today=TODAY)
    assert again.built.data and {p.key for p in again.report.not_carried} == {p.key for p in reg.report.not_carried}
    assert again.old.input_notes == reg.old.input_notes  # the same notes, word for word
    assert again.old.inputs == reg.old.inputs
    with WorkbookFile(again.built.data) as wb:
        n = again.built.register.names["kj_step_staff"]
        assert "«12.5»" in wb.cell(n.sheet, n.first[0] + 1, C_NOTE).value
    typed = fill(new, {"kj_step_staff#2": 55, "kj_hourly_rate": 480}, tmp_path / "fixed.xlsx")
    fixed = regenerate(typed, new_est, today=TODAY)
    assert {p.key for p in fixed.report.not_carried} == {p.key for p in reg.report.not_carried} - {
        "kj_step_staff#2", "kj_hourly_rate"}


def test_check_of_a_regenerated_workbook_agrees_with_its_kontroll(regenerated, new_est, tmp_path, capsys):
    import json

    from workbook_builder.cli.main import main

    _, new, _ = regenerated
    toml = tmp_path / "new.toml"
    toml.write_text(new_est.text, encoding="utf-8")
    assert main(["check", str(new), "--estimates", str(toml), "--json"]) == 1
    r = json.loads(capsys.readouterr().out)
    assert r["totals_match"] is True and r["master_check"] == "Feil"
    assert {p["name"] for p in r["problems"]} >= {"kj_hourly_rate", "kj_step_staff#2"}


def test_a_step_row_beyond_the_new_templates_rows_is_listed_not_lost(est, new_est, tmp_path):
    """An older or newer template with more step rows: the rows the new one has no room for are listed."""
    from openpyxl.workbook.defined_name import DefinedName

    path = tmp_path / "old.xlsx"
    build_workbook(path, est, Inputs(steps=(Step(10, "a"),)), today=TODAY)
    wb = openpyxl.load_workbook(path)
    for name in ("kj_step_group", "kj_step_staff"):
        (sheet, ref), = wb.defined_names[name].destinations
        first, last = ref.replace("$", "").split(":")
        col, row = first[0], int(last[1:]) + 1
        wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!${col}${first[1:]}:${col}${row}")
        wb[sheet][f"{col}{row}"].value = {"kj_step_group": "c: Hjemmesykepleie og tjenestekontor",
                                          "kj_step_staff": 77}[name]
    wb.save(path)
    reg = regenerate(path, new_est, today=TODAY)
    dropped = {p.key: p for p in reg.report.dropped}
    assert set(dropped) == {"kj_step_group#13", "kj_step_staff#13"}
    assert dropped["kj_step_staff#13"].raw == "77" and dropped["kj_step_staff#13"].kind == "no_room"
    assert reg.old.inputs.steps == (Step(10, "a"),)


def test_a_note_spelled_with_character_references_is_still_read(regenerated, new_est, tmp_path):
    """XML may spell ø as &#248; (openpyxl with lxml does): the waiting values are found all the same."""
    import re
    import zipfile

    reg, new, _ = regenerated
    spelled = tmp_path / "refs.xlsx"
    with zipfile.ZipFile(new) as src, zipfile.ZipFile(spelled, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            data = src.read(item)
            if item.filename.startswith("xl/") and item.filename.endswith(".xml"):
                text = data.decode("utf-8")
                # every non-ASCII character outside the XML declaration as a decimal character reference
                data = re.sub(r"[^\x00-\x7f]", lambda m: f"&#{ord(m.group())};", text).encode("ascii")
            dst.writestr(item, data)
    assert b"ikke overf&#248;rt" in zipfile.ZipFile(spelled).read("xl/sharedStrings.xml")
    again = regenerate(spelled, new_est, today=TODAY)
    assert {p.key for p in again.report.not_carried} == {p.key for p in reg.report.not_carried}
    assert again.old.input_notes == reg.old.input_notes


def test_a_workbook_saved_without_formula_values_reports_no_changed_estimates(est, tmp_path):
    """openpyxl (and other programs that do not calculate) drop every formula's saved value, among them the
    price and pay index columns, whose first cell (1) is typed and the rest are formulas. Regenerated with the
    same estimates, nothing is reported as changed: a figure without a saved value is compared by its inputs."""
    build_workbook(tmp_path / "mal.xlsx", est, Inputs(), today=TODAY)
    old = fill(tmp_path / "mal.xlsx", VALID, tmp_path / "old.xlsx")
    index = read_workbook(old, est).saved["kj_est_price_index"]
    assert index[0] == 1 and None in index  # the typed first cell, the formulas without their values
    reg = regenerate(old, est, today=TODAY)
    assert reg.report.estimate_changes == []
    assert "Estimates changed: 0" in report_lines(reg)

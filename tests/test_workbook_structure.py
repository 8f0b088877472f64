"""What a user cannot see in the numbers: sheets, protection, unlocked inputs, validation, names."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest
from conftest import TODAY
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange

from workbook_builder.cells import INPUTS, OUTPUTS
from workbook_builder.core.estimates import load_estimates
from workbook_builder.core.model import Inputs, first_year_min
from workbook_builder.core.municipality import excel_municipality_number_ok
from workbook_builder.workbook import SHEET_ORDER, build_bytes

EST = load_estimates()


@pytest.fixture(scope="module")
def default_book(est):
    built = build_bytes(est, Inputs(), today=TODAY)
    return built, openpyxl.load_workbook(io.BytesIO(built.data))


def input_cells(built) -> dict[str, set[tuple[str, int, int]]]:
    out: dict[str, set[tuple[str, int, int]]] = {}
    for spec in INPUTS:
        n = built.register.names[spec.name]
        out[spec.name] = {(n.sheet, r, c) for r in range(n.first[0], n.last[0] + 1)
                          for c in range(n.first[1], n.last[1] + 1)}
    for name, n in built.register.names.items():  # the actuals on Oppfølging (kj_actual_<line>)
        if name.startswith("kj_actual_"):
            out[name] = {(n.sheet, r, n.first[1]) for r in range(n.first[0], n.last[0] + 1)}
    return out


def test_sheets_in_the_order_of_the_work(default_book):
    _, wb = default_book
    assert wb.sheetnames == list(SHEET_ORDER)
    # what a person reads first (welcome, inputs, the budget, its lines, the follow-up, the checks), then the
    # workings
    assert SHEET_ORDER[:11] == ("Veiledning", "Inndata", "Budsjett", "Budsjettlinjer", "Oppfølging", "Kontroll",
                                "Estimater", "Beregning", "Usikkerhet", "Scenarier", "Soner")
    assert wb["Byggeinfo"].sheet_state == "hidden"
    assert all(wb[s].sheet_state == "visible" for s in SHEET_ORDER[:11])


def test_every_sheet_is_protected_and_only_inputs_are_unlocked(default_book):
    built, wb = default_book
    unlocked_expected = set().union(*input_cells(built).values())
    unlocked_found = set()
    for ws in wb.worksheets:
        assert ws.protection.sheet, f"{ws.title} is not protected"
        assert ws.protection.password is None  # no password by default
        for row in ws.iter_rows():
            for c in row:
                if not c.protection.locked:
                    unlocked_found.add((ws.title, c.row - 1, c.column - 1))
    assert unlocked_found == unlocked_expected
    assert {s for s, _, _ in unlocked_found} == {"Inndata", "Oppfølging"}


def test_a_password_from_the_command_line_protects_every_sheet(est):
    wb = openpyxl.load_workbook(io.BytesIO(build_bytes(est, Inputs(), today=TODAY, password="hemmelig").data))
    for ws in wb.worksheets:
        assert ws.protection.sheet and ws.protection.password  # stored as a hash


def test_every_input_has_data_validation_with_a_norwegian_message(default_book):
    built, wb = default_book
    ws = wb["Inndata"]
    cells = input_cells(built)
    validations = list(ws.data_validations.dataValidation)
    for spec in INPUTS:
        covering = [dv for dv in validations
                    if all(any(CellRange(rng).issuperset(CellRange(min_col=c + 1, min_row=r + 1, max_col=c + 1,
                                                                   max_row=r + 1)) for rng in str(dv.sqref).split())
                           for _, r, c in cells[spec.name])]
        assert len(covering) == 1, spec.name
        dv = covering[0]
        assert dv.showErrorMessage and dv.error and dv.errorTitle == "Ugyldig verdi"
        assert dv.showInputMessage and dv.prompt
        if spec.kind == "choice":
            assert dv.type == "list" and dv.formula1 in {"kj_list_eid", "kj_list_vendors", "kj_list_groups",
                                                         "kj_list_roles", "kj_list_zones", "kj_list_levels"}
            assert dv.error == "Velg en verdi fra listen."
        elif spec.name == "kj_municipality_number":  # the one municipality-number rule, as a formula
            (_, r, c), = cells[spec.name]
            ref = f"{get_column_letter(c + 1)}{r + 1}"
            assert dv.type == "custom" and dv.formula1 == f'OR(TRIM({ref})="",{excel_municipality_number_ok(ref)})'
            assert dv.error == "Kommunenummeret har fire sifre, f.eks. 3405 eller 0301."
        elif spec.kind == "text":
            assert dv.type == "textLength" and dv.operator == "lessThanOrEqual" and dv.formula1 == "100"
        else:
            assert dv.type == ("whole" if spec.kind == "whole" else "decimal")
            assert dv.operator in (None, "between")  # between is the default and may be left out
            lowest = first_year_min(EST) if spec.name == "kj_first_year" else spec.minimum
            assert float(dv.formula1) == lowest and float(dv.formula2) == spec.maximum
            assert dv.error.startswith("Skriv ")


@pytest.mark.parametrize(("name", "message"), [
    ("kj_step_staff", "Skriv et helt tall fra 0 til 100 000 (personer)."),
    ("kj_hourly_rate", "Skriv et tall fra 0 til 10 000 (kr per time)."),
    ("kj_share_home_care", "Skriv en andel fra 0 % til 100 %."),
    ("kj_first_year", "Skriv et helt tall fra 2020 til 2100 (år)."),
    ("kj_pension_share", "Skriv en andel fra 0 % til 50 %."),
])
def test_validation_messages_say_what_to_type(default_book, name, message):
    built, wb = default_book
    n = built.register.names[name]
    for dv in wb["Inndata"].data_validations.dataValidation:
        if CellRange(str(dv.sqref).split()[0]).issuperset(CellRange(min_col=n.first[1] + 1, min_row=n.first[0] + 1,
                                                                    max_col=n.first[1] + 1, max_row=n.first[0] + 1)):
            assert dv.error == message
            return
    pytest.fail(f"no validation on {name}")


def test_every_input_and_headline_output_has_a_defined_name(default_book):
    built, wb = default_book
    defined = set(wb.defined_names.keys())
    for spec in INPUTS:
        assert spec.name in defined
        assert built.register.names[spec.name].role == "input"
        assert built.register.names[spec.name].cells == spec.rows
    for name in OUTPUTS:
        assert name in defined
    for required in ("kj_step_group", "kj_step_unit", "kj_step_staff", "kj_step_year", "kj_eid", "kj_hourly_rate",
                     "kj_vendor_module_kr", "kj_first_year", "kj_total_staff", "kj_total_hours", "kj_total_purchase_kr",
                     "kj_total_kr", "kj_running_kr_per_year", "kj_benefit_kr_per_year", "kj_master_check"):
        assert required in defined


def test_the_model_page_lists_every_input_and_output_name(default_book):
    names_table = (Path(__file__).parent.parent / "docs" / "model.md").read_text(encoding="utf-8")
    for name in [s.name for s in INPUTS] + list(OUTPUTS):
        assert f"`{name}`" in names_table, name


def test_formulas_use_only_functions_every_target_computes(default_book):
    """Excel 2010+, Excel on the web and LibreOffice 7.4 all compute these (no XLOOKUP, LET, MINIFS...)."""
    import re

    built, wb = default_book
    allowed = {"ABS", "AND", "COUNT", "COUNTIF", "FIND", "IF", "IFERROR", "INDEX", "INT", "ISNA", "ISNUMBER",
               "LEFT", "LEN", "MATCH", "MAX", "MID", "MIN", "MOD", "N", "OR", "ROUND", "ROUNDUP", "SQRT", "SUM",
               "SUMIFS", "SUMPRODUCT", "SUMSQ", "TEXT", "TRIM", "TRUE"}
    used = set()
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    used |= set(re.findall(r"([A-Z][A-Z0-9.]*)\(", re.sub(r'"[^"]*"', "", c.value)))
    assert used <= allowed, used - allowed


def test_no_number_is_typed_into_a_formula_on_the_workings(default_book):
    """FAST: formulas reference cells and names; only 0 and 1 (and +1 for the next year) are written in."""
    import re

    _, wb = default_book
    for sheet in ("Beregning", "Budsjett", "Budsjettlinjer", "Kontroll", "Usikkerhet"):
        for row in wb[sheet].iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value.startswith("="):
                    bare = re.sub(r'"[^"]*"|\$?[A-Z]{1,3}\$?\d+|kj_[a-z0-9_]+', "", c.value)
                    numbers = set(re.findall(r"(?<![A-Za-z_])\d+(?:\.\d+)?", bare))
                    assert numbers <= {"0", "1", "7"}, (sheet, c.coordinate, c.value, numbers)


def test_document_properties_record_what_the_workbook_was_built_from(default_book, est):
    built, wb = default_book
    assert wb.properties.title == "Budsjett for innføring av kjernejournal"
    custom = {p.name: p.value for p in wb.custom_doc_props.props}
    assert custom["kj_estimates_id"] == est.id
    assert custom["kj_estimates_sha256"] == est.sha256
    assert custom["kj_template_version"] == built.metadata["template_version"]

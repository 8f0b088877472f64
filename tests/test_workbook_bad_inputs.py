"""Out-of-range and pasted junk in the input cells: Kontroll says what is wrong, in Norwegian (in the
workbook's målform: a nynorsk workbook says «Ugyldig tal: skriv eit heilt tal»); no cell shows an error value
and no invalid input is used in a number."""

from __future__ import annotations

from dataclasses import replace

import lo
import openpyxl
import pytest
from compare import same
from conftest import TODAY

from workbook_builder.cells import output_values
from workbook_builder.core.i18n import tr
from workbook_builder.core.model import Inputs, Step, budget
from workbook_builder.workbook import build_workbook

VALID = Inputs(first_year=2027, steps=(Step(10, "a"), Step(20, "b"), Step(30, "c"), Step(40, "a"), Step(100, "b")),
               admissions_short_term=500)


def out_of_range(low: str, high: str):
    """«Ugyldig: må være fra 0 til 10 000» in a målform: the status is built from two message templates."""
    return lambda malform: tr("Ugyldig: må være {range}", malform,
                              range=tr("fra {low} til {high}", malform, low=low, high=high))


# (input name, step row or None, value typed or pasted, message shown in the status column: a bokmål message
# id, or a function of the målform)
BAD = [
    ("kj_step_staff", 1, "mange", "Ugyldig antall: skriv et helt tall"),
    ("kj_step_staff", 2, -5, "Ugyldig antall: skriv et helt tall"),
    ("kj_step_staff", 3, 12.5, "Ugyldig antall: skriv et helt tall"),
    ("kj_step_group", 4, "x: Ukjent", "Ugyldig gruppe: velg fra listen"),
    ("kj_hourly_rate", None, -100, out_of_range("0", "10 000")),
    ("kj_share_home_care", None, 1.5, out_of_range("0 %", "100 %")),
    ("kj_admissions_home_care", None, "tusen", "Ugyldig: skriv et helt tall"),
    ("kj_eid", None, "Visa", "Ugyldig: velg fra listen"),
    ("kj_first_year", None, "neste år", "Ugyldig: skriv et helt tall"),
]
# What the model computes when those inputs are left out (as blank), as the workbook does.
EXPECTED = Inputs(first_year=None, steps=(Step(0, "a"), Step(0, "b"), Step(0, "c"), Step(40, None), Step(100, "b")),
                  admissions_short_term=500, invalid=tuple(sorted({b[0] for b in BAD})))


@pytest.fixture(scope="module", params=["nb", "nn"])
def recalculated_bad_inputs(est, tmp_path_factory, request):
    root = tmp_path_factory.mktemp("bad")
    path = root / f"bad-{request.param}.xlsx"
    built = build_workbook(path, est, replace(VALID, malform=request.param), today=TODAY)
    wb = openpyxl.load_workbook(path)
    for name, row, value, _ in BAD:
        n = built.register.names[name]
        wb[n.sheet].cell(n.first[0] + (row or 1), n.first[1] + 1).value = value
    wb.save(path)
    out = lo.recalc([path], root / "recalculated")[0]
    return built, lo.read_book(out), request.param


def test_no_cell_shows_an_error_value(recalculated_bad_inputs):
    _, book, _ = recalculated_bad_inputs
    assert book.errors == []


def test_each_bad_input_is_named_beside_it(recalculated_bad_inputs):
    built, book, malform = recalculated_bad_inputs
    for name, row, _, message in BAD:
        n = built.register.names[name]
        status = book.cell(n.sheet, n.first[0] + (row or 1) - 1, 5)
        expected = message(malform) if callable(message) else tr(message, malform)
        assert status == expected, (name, row)
        if malform == "nn":
            bokmal = message("nb") if callable(message) else message
            assert status != bokmal, (name, row)  # the nynorsk text, not the bokmål one


def test_kontroll_shows_the_message_and_the_master_check_fails(recalculated_bad_inputs):
    _, book, malform = recalculated_bad_inputs
    checks = budget_for_expected(malform).checks
    statuses = dict(zip([c.id for c in checks], book.value("kj_check_status")))
    messages = dict(zip([c.id for c in checks], book.value("kj_check_message")))
    assert statuses["inputs"] == tr("Feil", malform)
    assert messages["inputs"] == tr("En eller flere verdier på Inndata er ugyldige og er ikke brukt: "
                                    "rett de merkede feltene.", malform)
    assert statuses["steps"] == tr("Feil", malform)
    assert book.value("kj_master_check") == tr("Feil", malform)


def budget_for_expected(malform: str = "nb"):
    from workbook_builder.core.estimates import load_estimates

    return budget(load_estimates(), replace(EXPECTED, malform=malform), TODAY)


def test_invalid_inputs_are_left_out_of_every_number(recalculated_bad_inputs, est):
    _, book, malform = recalculated_bad_inputs
    expected = output_values(est, budget_for_expected(malform))
    for name, value in expected.items():
        assert same(book.value(name), value), name

"""The one municipality-number rule (core/municipality.py): four digits as text, spaces around it ignored,
fewer digits refused (not padded). The same text gets the same verdict from `build`, a batch CSV, the reader
of filled workbooks, the model (which chooses the employer's tax zone by it), the estimates file's table and
the workbook's own formula (recalculated in LibreOffice)."""

from __future__ import annotations

import pickle

import lo
import openpyxl
import pytest
import xlsxwriter
from conftest import TODAY
from filling import input_cell

from workbook_builder.cli.main import main
from workbook_builder.core import model
from workbook_builder.core.errors import Detail, InputError
from workbook_builder.core.estimates import EstimatesError, parse_estimates
from workbook_builder.core.model import Inputs, Step
from workbook_builder.core.municipality import (
    excel_municipality_number_ok,
    is_municipality_number,
    municipality_number_or_none,
    parse_municipality_number,
)
from workbook_builder.services.batch import read_rows
from workbook_builder.workbook import build_workbook
from workbook_builder.xlsx.filled_reader import raw_text, read_workbook

# (what is typed, the number it is, or None when the rule refuses it)
TEXTS = [
    ("3405", "3405"), ("0301", "0301"), (" 5601 ", "5601"), ("3405  ", "3405"),
    ("301", None), ("34", None), ("34O5", None), ("abcd", None), ("34 05", None), ("12345", None), ("-301", None),
    ("1e10", None), ("3.40", None), ("３４０５", None), ("١٢٣٤", None), ("3405\t", None), ("+340", None),
]


@pytest.mark.parametrize(("text", "number"), TEXTS)
def test_the_rule(text, number):
    assert is_municipality_number(text) is (number is not None)
    assert municipality_number_or_none(text) == number
    if number is None:
        with pytest.raises(InputError) as err:
            parse_municipality_number(text, "--municipality-number")
        assert err.value.en == f"--municipality-number must be four digits, got {text!r}" + (
            " (Excel drops a leading zero: write 0301)" if text == "301" else "")
        assert err.value.nb.startswith("Kommunenummer må være fire sifre, f.eks. 3405 eller 0301, fikk «")
    else:
        assert parse_municipality_number(text) == number


def test_a_refusal_reads_in_either_malform_with_or_without_the_inputs_name():
    """The refusal is a message, read where it is shown: in bokmål as always, in nynorsk in a nynorsk text; and
    without the input's name (`reason`, for a note beside the input) in either, also after a worker sent it back."""
    with pytest.raises(InputError) as err:
        parse_municipality_number("301")
    exc = err.value
    assert exc.nb == ("Kommunenummer må være fire sifre, f.eks. 3405 eller 0301, fikk «301» (et regneark fjerner en "
                      "null foran: skriv 0301)")
    assert exc.text("nn") == ("Kommunenummer må vere fire siffer, t.d. 3405 eller 0301, fekk «301» (eit rekneark "
                              "fjernar ein null framfor: skriv 0301)")
    reason = pickle.loads(pickle.dumps(exc.reason))
    assert isinstance(reason, Detail) and reason == exc.reason and reason != exc.message
    assert reason.text("nn") == exc.detail("nn") == exc.text("nn").removeprefix("Kommunenummer ")
    assert reason.text("nb") == exc.detail() == exc.nb.removeprefix("Kommunenummer ")
    with pytest.raises(InputError) as err:
        parse_municipality_number(3405.0, "kommunenummer:", "Kommunenummer")
    assert err.value.text("nn") == "Kommunenummer må vere fire siffer, fekk «3405.0»"


def test_blank_is_no_number():
    assert parse_municipality_number("") == parse_municipality_number("   ") == parse_municipality_number(None) == ""
    assert municipality_number_or_none("") is None


# (a tab on the command line is refused by the text-input rule before the number rule sees it)
@pytest.mark.parametrize(("text", "number"), [(t, n) for t, n in TEXTS if "\t" not in t])
def test_build_takes_and_refuses_what_the_rule_does(tmp_path, capsys, text, number):
    out = tmp_path / "x.xlsx"
    code = main(["build", "--out", str(out), f"--municipality-number={text}"])
    err = capsys.readouterr().err
    if number is None:
        assert code == 2 and not out.exists()
        expected = f"kj-budget build: error: --municipality-number must be four digits, got {text.strip()!r}"
        assert err.startswith(expected)
    else:
        assert code == 0, err
        assert read_workbook(out, model_est()).inputs.municipality_number == number


@pytest.mark.parametrize(("text", "number"), TEXTS)
def test_a_batch_row_takes_and_refuses_what_the_rule_does(est, tmp_path, text, number):
    path = tmp_path / "k.csv"
    path.write_text(f'kommune;kommunenummer;a_helsepersonell\nØyer;"{text}";5\n', encoding="utf-8")
    rows, bad = read_rows(path, est, TODAY)
    if number is None:
        assert [b.reason for b in bad] == [f"kommunenummer: must be four digits, got {text!r}" + (
            " (Excel drops a leading zero: write 0301)" if text == "301" else "")]
    else:
        assert bad == [] and rows[0].inputs.municipality_number == number and rows[0].filename.startswith(number)


def model_est():
    from workbook_builder.core.estimates import load_estimates

    return load_estimates()


@pytest.fixture(scope="module")
def typed_in(tmp_path_factory):
    """One workbook per text, the text typed into kj_municipality_number as a person would (text cell)."""
    est = model_est()
    root = tmp_path_factory.mktemp("kommunenummer")
    build_workbook(root / "mal.xlsx", est, Inputs(steps=(Step(10, "a"),)), today=TODAY)
    paths = []
    for k, (text, _) in enumerate(TEXTS):
        wb = openpyxl.load_workbook(root / "mal.xlsx")
        c = input_cell(wb, "kj_municipality_number")
        c.value, c.data_type = text, "s"
        paths.append(root / f"k{k}.xlsx")
        wb.save(paths[-1])
    return paths


@pytest.mark.parametrize(("k", "text", "number"), [(k, t, n) for k, (t, n) in enumerate(TEXTS)])
def test_the_reader_and_the_model_take_and_refuse_what_the_rule_does(typed_in, k, text, number):
    est = model_est()
    fw = read_workbook(typed_in[k], est)
    assert fw.inputs.municipality_number == (number or "")
    problems = [p for p in fw.problems if p.key == "kj_municipality_number"]
    if number is None:
        assert [p.en for p in problems] == [f"Kommunenummer: must be four digits, got {text!r}" + (
            " (Excel drops a leading zero: write 0301)" if text == "301" else "")]
        assert "kj_municipality_number" in fw.inputs.invalid
        with pytest.raises(InputError):
            model.resolve(est, Inputs(municipality_number=text))
    else:
        assert problems == []
        model.resolve(est, Inputs(municipality_number=text))


def test_the_zone_comes_from_the_number_only_when_it_is_one(est):
    assert model.zone_for_municipality(est, " 5601 ") == "5"  # Alta
    assert model.zone_for_municipality(est, "0301") == "1"
    assert model.zone_for_municipality(est, "5601x") is None and model.zone_for_municipality(est, "601") is None
    assert model.resolve(est, Inputs(municipality_number=" 5601 ")).employer_tax_zone == "5"


def test_the_estimates_table_takes_only_numbers_by_the_rule(est):
    for bad in ("301", "34O5", " 3405"):
        text = est.text.replace('"3405" = { zone', f'"{bad}" = {{ zone', 1)
        with pytest.raises(EstimatesError, match=f"employer_tax.municipalities.{bad}: a municipality number has four"):
            parse_estimates(text, file="e.toml")
    assert all(is_municipality_number(n) for n in est.employer_tax.municipalities)


@pytest.mark.libreoffice
def test_the_workbook_formula_agrees_with_the_rule(tmp_path):
    """The rule's Excel twin, recalculated by LibreOffice, over the texts and over numbers typed into a cell."""
    values = [t for t, _ in TEXTS] + [3405.0, 301.0, 12.5, 1e3, -3405.0]
    path = tmp_path / "rule.xlsx"
    wb = xlsxwriter.Workbook(path)
    ws = wb.add_worksheet("Regel")
    for r, v in enumerate(values):
        ws.write_string(r, 0, v) if isinstance(v, str) else ws.write_number(r, 0, v)
        ws.write_formula(r, 1, f"=IF({excel_municipality_number_ok(f'A{r + 1}')},1,0)", None, 0)
    wb.close()
    book = lo.read_book(lo.recalc([path], tmp_path / "out")[0])
    got = {v: book.cell("Regel", r, 1) for r, v in enumerate(values)}
    assert got == {v: 1 if is_municipality_number(v if isinstance(v, str) else raw_text(v)) else 0 for v in values}
    assert sum(got.values()) == 6  # "3405", "0301", " 5601 ", "3405  " and the numbers 3405 and 1000


@pytest.mark.libreoffice
def test_the_workbook_names_a_bad_number_and_takes_the_zone_only_from_a_good_one(typed_in, tmp_path):
    est = model_est()
    outs = lo.recalc(typed_in, tmp_path / "out")
    for (text, number), out in zip(TEXTS, outs):
        book = lo.read_book(out)
        sheet, r, c, _, _ = book.names["kj_municipality_number"]
        status = book.cell(sheet, r, c + 4)
        assert status == ("" if number is not None else "Ugyldig: fire sifre"), text
        zone = model.zone_for_municipality(est, text) or est.employer_tax.default_zone
        assert book.value("kj_employer_tax_zone_used") == est.zone(zone).label, text
        assert book.errors == []

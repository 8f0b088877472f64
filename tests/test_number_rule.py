"""The one number rule (numbers.number_from_text and the model's bounds), everywhere: `1,000` and `1.000`
are refused as ambiguous on the command line, in a CSV, in a workbook and in the Excel functions; every
estimate and input has an upper bound; a date is refused where a count is meant."""

from __future__ import annotations

import datetime as dt
import json
import os
import re

import openpyxl
import pytest
from conftest import TODAY
from filling import input_cell

from workbook_builder.cli.main import main
from workbook_builder.core import errors, numbers
from workbook_builder.core.model import Inputs, Step
from workbook_builder.workbook import build_workbook
from workbook_builder.xlsx.filled_reader import DateValue, is_date_format, raw_text, read_workbook


@pytest.mark.parametrize("text", ["1,000", "1.000", "12,500", "1,000,000", "-2.500"])
def test_the_parser_refuses_groups_of_three_after_one_separator_as_ambiguous(text):
    with pytest.raises(errors.InputError, match="ambiguous"):
        numbers.number_from_text(text, "f", "Felt")


@pytest.mark.parametrize(("text", "value"), [("1 000", 1000), ("1000", 1000), ("0,500", 0.5), ("612,5", 612.5),
                                             ("612.5", 612.5), ("1234,567", 1234.567), ("400,-", 400)])
def test_the_parser_reads_what_is_not_ambiguous(text, value):
    assert numbers.number_from_text(text, "f", "Felt") == value


@pytest.mark.parametrize("option", ["--staff", "--hourly-rate", "--vendor-module-kr"])
@pytest.mark.parametrize("text", ["1,000", "1.000"])
def test_cost_refuses_an_ambiguous_number_instead_of_reading_1(capsys, option, text):
    argv = ["cost", "--staff", "10", "--eid", "pki", "--json"]
    argv[argv.index("--staff") + 1 if option == "--staff" else len(argv):] = \
        [text, "--eid", "pki", "--json"] if option == "--staff" else [option, text]
    code = main(argv)
    err = capsys.readouterr().err
    assert code == 2 and f"{option}: '{text}' is ambiguous" in err and err.count("\n") == 1


def test_cost_bounds_every_number(capsys):
    assert main(["cost", "--staff", "100001", "--eid", "pki"]) == 2
    assert "argument --staff: must be 0 to 100000, got 100001" in capsys.readouterr().err
    assert main(["cost", "--staff", "10", "--eid", "pki", "--hourly-rate", "1e9"]) == 2
    assert "argument --hourly-rate: must be a number, got '1e9'" in capsys.readouterr().err
    assert main(["cost", "--staff", "10", "--eid", "pki", "--hourly-rate", "10000,5"]) == 2
    assert "argument --hourly-rate: must be 0 to 10000, got 10000.5" in capsys.readouterr().err
    assert main(["cost", "--staff", "10", "--eid", "pki", "--vendor-module-kr", "1000000000"]) == 2
    assert "argument --vendor-module-kr: must be 0 to 1e+08, got 1e+09" in capsys.readouterr().err
    assert main(["cost", "--staff", "10", "--eid", "pki", "--price-year", "2019"]) == 2
    assert capsys.readouterr().err == "kj-budget cost: error: --price-year must be 2020 to 2100, got 2019\n"
    assert main(["cost", "--staff", "10", "--eid", "pki", "--price-year", "20000"]) == 2
    assert "argument --price-year: must be 2000 to 2100, got 20000" in capsys.readouterr().err


def test_batch_refuses_a_comma_thousand_instead_of_reading_1(est, tmp_path, capsys):
    path = tmp_path / "k.csv"
    path.write_text("kommune;kommunenummer;a_helsepersonell;mottak_korttid\nØyer;3440;1,000;5\n", encoding="utf-8")
    assert main(["batch", str(path), "--out-dir", str(tmp_path / "ut")]) == 1
    assert "line 2: a_helsepersonell: '1,000' is ambiguous" in capsys.readouterr().err


def test_the_excel_functions_refuse_an_ambiguous_number():
    from xlwings import XlwingsError

    from udfs import kj

    for text in ("1,000", "1.000"):
        with pytest.raises(XlwingsError, match="tvetydig|desimalkomma"):
            kj.kj_cost(text, "pki")
        with pytest.raises(XlwingsError):
            kj.kj_cost(100, "pki", text)


def test_a_number_typed_as_text_in_the_workbook_is_named_ambiguous(est, tmp_path):
    path = tmp_path / "g.xlsx"
    build_workbook(path, est, Inputs(steps=(Step(5, "a"),)), today=TODAY)
    wb = openpyxl.load_workbook(path)
    cell = input_cell(wb, "kj_hourly_rate")
    cell.value, cell.data_type = "1,000", "s"
    wb.save(path)
    fw = read_workbook(path, est)
    problem = next(p for p in fw.problems if p.key == "kj_hourly_rate")
    assert "is ambiguous" in problem.en and "tvetydig" in problem.nb and fw.inputs.hourly_rate is None


def test_a_date_typed_in_a_personnel_cell_is_an_invalid_value_not_46388_persons(est, tmp_path, capsys):
    path = tmp_path / "g.xlsx"
    build_workbook(path, est, Inputs(municipality="Gausdal", steps=(Step(5, "a"), Step(7, "b"))), today=TODAY)
    wb = openpyxl.load_workbook(path)
    cell = input_cell(wb, "kj_step_staff#2")
    cell.value = dt.datetime(2027, 1, 1)
    cell.number_format = "dd.mm.yyyy"
    wb.save(path)
    fw = read_workbook(path, est)
    problem = next(p for p in fw.problems if p.key == "kj_step_staff#2")
    assert problem.raw == "01.01.2027" and problem.en == "a date or time, not a number: 01.01.2027"
    assert fw.inputs.steps[1].staff == 0  # left out, not 46 388 persons
    assert main(["check", str(path), "--json"]) == 1
    r = json.loads(capsys.readouterr().out)
    assert {"name": "kj_step_staff#2", "value": "01.01.2027", "reason": "a date or time, not a number: 01.01.2027",
            "kind": "invalid"} in r["problems"]
    careful = read_workbook(path, est)  # the careful parser (no calamine) says the same
    assert careful.problems == fw.problems


@pytest.mark.parametrize(("code", "date"), [("dd.mm.yyyy", True), ("d/m/yy", True), ("yyyy-mm-dd", True),
                                            ('[$-414]d. mmmm yyyy;@', True), ("h:mm", True), ("[h]:mm", True),
                                            ("0", False), ('#,##0" kr"', False), ('0" år"', False), ('0" "%', False),
                                            ("General", False), ("0.00E+00", False), ('[Red]#,##0', False),
                                            ('"Dag "0', False)])
def test_date_formats_are_told_from_number_formats(code, date):
    assert is_date_format(code) is date


def test_a_date_cell_reads_as_a_date_on_both_paths(est, tmp_path):
    """calamine (fast) and the careful parser give the same DateValue for a date-formatted count."""
    from workbook_builder.xlsx.filled_reader import WorkbookFile

    path = tmp_path / "g.xlsx"
    build_workbook(path, est, Inputs(steps=(Step(5, "a"),)), today=TODAY)
    wb = openpyxl.load_workbook(path)
    for k, (value, fmt) in enumerate([(dt.datetime(2027, 3, 9), "d/m/yy"), (dt.time(12, 30), "h:mm"),
                                      (dt.datetime(2027, 3, 9, 8, 15), "dd.mm.yyyy hh:mm")], start=1):
        cell = input_cell(wb, f"kj_step_staff#{k}")
        cell.value, cell.number_format = value, fmt
    wb.save(path)
    with WorkbookFile(path) as fast, WorkbookFile(path, fast=False) as careful:
        a = [c.value for c in fast.cells("kj_step_staff")[:3]]
        b = [c.value for c in careful.cells("kj_step_staff")[:3]]
    assert a == b == [DateValue("09.03.2027"), DateValue("12:30"), DateValue("09.03.2027 08:15")]


# ----------------------------------------------------------------------------- estimates: bounded


def estimates_with(est, tmp_path, old: str, new: str):
    text, n = re.subn(re.escape(old), new, est.text, count=1)
    assert n == 1
    path = tmp_path / "e.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize("value", ["1e308", "inf", "nan", "-1e12"])
def test_an_estimates_file_with_a_huge_or_infinite_figure_is_refused(est, tmp_path, capsys, value):
    path = estimates_with(est, tmp_path, "kr_per_person = 700", f"kr_per_person = {value}")
    assert main(["cost", "--staff", "10", "--eid", "pki", "--estimates", str(path), "--json"]) == 2
    err = capsys.readouterr().err
    assert "eid.options.pki.kr_per_person" in err and err.count("\n") == 1
    assert "Infinity" not in err and "Traceback" not in err


def test_an_estimates_file_nested_100000_deep_is_refused_without_a_traceback(tmp_path, capsys):
    path = tmp_path / "deep.toml"
    path.write_text("a = " + "[" * 100_000 + "]" * 100_000 + "\n", encoding="utf-8")
    assert main(["estimates", "--estimates", str(path)]) == 2
    err = capsys.readouterr().err
    assert "nests deeper than 8 levels" in err and "Traceback" not in err and "RecursionError" not in err


def test_a_named_pipe_as_estimates_file_is_refused_not_waited_for(tmp_path, capsys):
    fifo = tmp_path / "e.toml"
    os.mkfifo(fifo)
    assert main(["cost", "--staff", "1", "--eid", "pki", "--estimates", str(fifo)]) == 2
    assert "is not a regular file" in capsys.readouterr().err


# ----------------------------------------------------------------------------- one text, one number, everywhere

# (text a person types for the hourly rate, what the one rule makes of it: a number, "ambiguous", "no number",
# or "bounds" for a number above the model's 10 000 kr per hour)
HOURLY_TEXTS = [("1 234", 1234.0), ("612,5", 612.5), ("612.5", 612.5), ("400,-", 400.0), ("−5", "bounds"),
                ("0.500", 0.5), ("1.000", "ambiguous"), ("1,000", "ambiguous"), ("12,500", "ambiguous"),
                ("12 345", "bounds"), ("abc", "no number"), ("1_000", "no number"), ("1e3", "no number"),
                ("١٢", "no number"), ("１２", "no number")]


def _verdict(message: str) -> str:
    if "ambiguous" in message or "tvetydig" in message:
        return "ambiguous"
    if "must be 0 to 10000" in message or "må være fra 0 til 10000" in message:
        return "bounds"
    assert "must be a number" in message or "må være et tall" in message, message
    return "no number"


def cli_verdict(text: str, capsys) -> object:
    code = main(["cost", "--staff", "10", "--eid", "pki", "--price-year", "2027", "--json", f"--hourly-rate={text}"])
    out, err = capsys.readouterr()
    if code == 0:
        return json.loads(out)["hourly_rate"]
    assert code == 2 and err.startswith("kj-budget cost: error: argument --hourly-rate: ") and err.count("\n") == 1
    return _verdict(err)


def csv_verdict(est, text: str, tmp_path) -> object:
    from workbook_builder.services.batch import read_rows

    path = tmp_path / "k.csv"
    path.write_text(f'kommune;kommunenummer;a_helsepersonell;timekostnad\nØyer;3440;10;"{text}"\n', encoding="utf-8")
    rows, bad = read_rows(path, est, TODAY)
    if rows:
        return rows[0].inputs.hourly_rate
    (b,) = bad
    assert b.reason.startswith("timekostnad: "), b.reason
    return _verdict(b.reason)


def udf_verdict(est, text: str) -> object:
    from xlwings import XlwingsError

    from udfs import kj
    from workbook_builder.core import model

    try:
        total = kj.kj_cost(10, "pki", text, None, 2027)
    except XlwingsError as exc:
        return _verdict(str(exc))
    rates = [x for x in (0.5, 400.0, 612.5, 1234.0)
             if model.one_off(est, 10, "pki", hourly_rate=x, price_year=2027).total_kr == total]
    assert len(rates) == 1
    return rates[0]


@pytest.mark.parametrize(("text", "meaning"), HOURLY_TEXTS)
def test_a_typed_number_means_the_same_on_the_command_line_in_a_csv_and_in_the_excel_functions(
        est, tmp_path, capsys, text, meaning):
    assert cli_verdict(text, capsys) == csv_verdict(est, text, tmp_path) == udf_verdict(est, text) == meaning


@pytest.fixture(scope="module")
def hourly_rate_typed_as_text(est, tmp_path_factory):
    """One workbook per text, each with the text pasted as text into kj_hourly_rate."""
    root = tmp_path_factory.mktemp("texts")
    build_workbook(root / "mal.xlsx", est, Inputs(steps=(Step(10, "a"),)), today=TODAY)
    out = {}
    for k, (text, _) in enumerate(HOURLY_TEXTS):
        wb = openpyxl.load_workbook(root / "mal.xlsx")
        cell = input_cell(wb, "kj_hourly_rate")
        cell.value, cell.data_type = text, "s"
        out[text] = root / f"t{k}.xlsx"
        wb.save(out[text])
    return out


@pytest.mark.parametrize(("text", "meaning"), HOURLY_TEXTS)
def test_the_reader_names_what_the_same_rule_reads_in_text_it_does_not_use(est, hourly_rate_typed_as_text, text,
                                                                            meaning):
    """Text in a number cell is never used (the workbook's formulas count numbers only), and the reader's
    message says what the one rule reads in it: the number, the ambiguity, or no number at all."""
    fw = read_workbook(hourly_rate_typed_as_text[text], est)
    assert fw.inputs.hourly_rate is None and "kj_hourly_rate" in fw.inputs.invalid
    (p,) = [p for p in fw.problems if p.key == "kj_hourly_rate"]
    assert p.en.startswith("text, not a number: ")
    if meaning == "ambiguous":
        assert "is ambiguous" in p.en and "tvetydig" in p.nb
    elif meaning == "no number":
        assert p.en == f"text, not a number: {text!r}"
    else:
        value = -5.0 if meaning == "bounds" and text == "−5" else 12345.0 if meaning == "bounds" else meaning
        assert p.en == f"text, not a number: {text!r} is {raw_text(value)} written as text; type it as a number"

"""The Excel functions give, to the krone, what the workbook gives once LibreOffice has recalculated it."""

from __future__ import annotations

import asyncio

import pytest
from compare import close

from udfs import kj, officejs

SINGLE_STEP = ["note-30-pki", "note-100-pki", "note-400-pki", "note-30-bankid", "note-100-bankid_mobil",
               "grid-0", "grid-1", "grid-7", "grid-29", "grid-37", "grid-65", "grid-101", "grid-250", "grid-401",
               "grid-750", "grid-2000"]


def excel(func_name: str, *args):
    """One call through xlwings' Office.js code path; the result comes back 2-D, as Excel gets it."""
    return asyncio.run(officejs.acall(kj, func_name, *args))


def excel1(func_name: str, *args):
    (value,), = excel(func_name, *args)
    return value


@pytest.fixture(scope="module")
def server():
    return officejs.server_mode()


@pytest.mark.parametrize("name", SINGLE_STEP)
def test_kj_cost_and_kj_hours_equal_the_recalculated_workbook(recalculated_cases, server, name):
    case = recalculated_cases[name]
    book, p = case.recalculated, case.budget.params
    staff = book.value("kj_total_staff")
    eid = book.value("kj_eid_used")  # the workbook's label, as a user would point at it
    rate = case.inputs.hourly_rate  # None → the function's default, like a blank input cell
    year = book.value("kj_price_year")  # the workbook's prices: fixed kroner of its first budget year
    assert close(kj.kj_cost(staff, eid, rate, None, year), book.value("kj_total_kr"))
    assert close(excel1("kj_cost", staff, eid, rate, None, year), book.value("kj_total_kr"))
    assert close(excel1("kj_hours", staff), book.value("kj_total_hours"))
    assert close(excel1("kj_cost", staff, eid, p.hourly_rate, None, year), book.value("kj_total_kr"))


def test_a_column_of_sizes_equals_the_workbooks_one_call(recalculated_cases, server):
    names = [n for n in SINGLE_STEP if n.endswith("pki") or n.startswith("grid")]
    cases = [recalculated_cases[n] for n in names if recalculated_cases[n].inputs.hourly_rate is None
             and recalculated_cases[n].budget.params.eid == "pki"]
    column = [[c.recalculated.value("kj_total_staff")] for c in cases]
    got = excel("kj_cost", column, "PKI-kort", None, None, cases[0].recalculated.value("kj_price_year"))
    assert [row[0] for row in got] == pytest.approx([c.recalculated.value("kj_total_kr") for c in cases])


def test_kj_benefit_equals_the_recalculated_workbook(recalculated_cases, server):
    book = recalculated_cases["phased-full"].recalculated
    hours, kr = excel("kj_benefit", 900, 1400, book.value("kj_hourly_rate_used"), None, book.value("kj_price_year"))[0]
    assert close(hours, book.value("kj_benefit_hours_per_year"))
    assert close(kr, book.value("kj_benefit_kr_per_year"))


def test_kj_eid_cost_equals_the_workbooks_eid_line(recalculated_cases, server):
    book = recalculated_cases["phased-full"].recalculated
    rows = {r[0]: r for r in book.sheets["Beregning"] if r and isinstance(r[0], str)}
    eid_total = rows["Anskaffelse av e-ID nivå høyt"][2]
    assert close(excel1("kj_eid_cost", 212, "PKI-kort", 650, 450), eid_total)
    lifted = recalculated_cases["note-100-pki"].recalculated
    assert close(excel1("kj_eid_cost", 100, "PKI-kort", None, None, lifted.value("kj_price_year")),
                 lifted.value("kj_total_purchase_kr") - _tech(lifted))


def _tech(book):
    rows = {r[0]: r for r in book.sheets["Beregning"] if r and isinstance(r[0], str)}
    return rows["Teknisk bistand kjernejournal (prisjustert)"][2]


@pytest.mark.parametrize("name", ["note-30-pki", "note-100-pki", "note-400-pki", "grid-7", "grid-401", "grid-2000"])
def test_kj_range_equals_the_workbook_and_the_cost_command(recalculated_cases, server, name):
    """The range of the one-off total: the recalculated workbook's Usikkerhet sheet, the Excel function through
    xlwings' Office.js path and `kj-budget cost --json` give the same mean, sd, P50 and P85."""
    import json
    import subprocess
    import sys

    case = recalculated_cases[name]
    book = case.recalculated
    staff, eid, year = book.value("kj_total_staff"), book.value("kj_eid_used"), book.value("kj_price_year")
    rate = case.inputs.hourly_rate
    sheet = [book.value(n) for n in ("kj_total_kr_mean", "kj_total_kr_sd", "kj_total_kr_p50", "kj_total_kr_p85")]
    (row,) = excel("kj_range", staff, eid, rate, None, year)
    assert all(map(close, row, sheet)), (row, sheet)
    assert close(excel1("kj_range", staff, eid, rate, 85, year), sheet[3])
    assert close(excel1("kj_range", staff, eid, rate, "P50", year), sheet[2])
    args = ["cost", "--staff", str(int(staff)), "--eid", eid, "--price-year", str(int(year)), "--json"]
    if rate is not None:
        args += ["--hourly-rate", f"{rate:g}".replace(".", ",")]
    r = subprocess.run([sys.executable, "-m", "workbook_builder.cli", *args], capture_output=True, text=True)
    data = json.loads(r.stdout)
    assert all(map(close, [data["mean_kr"], data["sd_kr"], data["p50_kr"], data["p85_kr"]], sheet))

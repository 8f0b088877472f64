"""Batch → fill → collect: the regional overview's numbers are the model's for each municipality
and for the region (the SUM/SUMIFS formulas recalculated once by LibreOffice); unreadable files are
listed with the reason; a workbook whose saved totals differ from the model is flagged."""

from __future__ import annotations

import datetime as dt
import shutil
from dataclasses import replace
from pathlib import Path

import lo
import openpyxl
import pandas as pd
import pytest
from filling import changed_estimates, fill

from workbook_builder.cli.main import main
from workbook_builder.core.model import Step, budget
from workbook_builder.core.numbers import same_figure
from workbook_builder.services.batch import read_rows
from workbook_builder.services.collect import Entry, collect, read_one

SAMPLE = Path(__file__).parent.parent / "examples" / "pilotkommuner.csv"
TYPED = {  # what three municipalities type into their pre-filled workbooks
    "3405-lillehammer.xlsx": {"kj_vendor_module_kr": 90_000, "kj_admissions_short_term": 950},
    "3441-gausdal.xlsx": {"kj_step_group#4": "c: Hjemmesykepleie og tjenestekontor", "kj_step_unit#4": "Sone 2",
                          "kj_step_staff#4": 10, "kj_step_year#4": 2029},
    "3440-oyer.xlsx": {"kj_hourly_rate": 500, "kj_maintenance_kr_per_year": 25_000},
}


def expected_inputs(est) -> dict[str, object]:
    """The inputs each workbook should hold: the CSV's rows plus what was typed (not read back)."""
    rows, _ = read_rows(SAMPLE, est)
    out = {r.filename: r.inputs for r in rows}
    out["3405-lillehammer.xlsx"] = replace(out["3405-lillehammer.xlsx"], vendor_module_kr=90_000,
                                           admissions_short_term=950)
    g = out["3441-gausdal.xlsx"]
    out["3441-gausdal.xlsx"] = replace(g, steps=(*g.steps, Step(10, "c", "Sone 2", 2029)))
    out["3440-oyer.xlsx"] = replace(out["3440-oyer.xlsx"], hourly_rate=500, maintenance_kr_per_year=25_000)
    return out


@pytest.fixture(scope="module")
def region(est, tmp_path_factory):
    root = tmp_path_factory.mktemp("region")
    folder = root / "kommuner"
    assert main(["batch", str(SAMPLE), "--out-dir", str(folder)]) == 0
    for name, values in TYPED.items():
        fill(folder / name, values, folder / name)
    (folder / "notater.xlsx").write_text("ikke en arbeidsbok")
    other = openpyxl.Workbook()
    other.save(folder / "annen.xlsx")
    (folder / "~$3405-lillehammer.xlsx").write_bytes(b"lock")
    out = root / "oversikt.xlsx"
    code = main(["collect", str(folder), "--out", str(out)])
    book = lo.read_book(out)
    recalculated = lo.read_book(lo.recalc([out], root / "recalculated")[0])
    return {"code": code, "out": out, "book": book, "recalc": recalculated, "folder": folder,
            "expected": {name: budget(est, inputs, dt.date.today()) for name, inputs in expected_inputs(est).items()}}


def table(book: lo.Book, sheet: str, head_row: int) -> list[dict[str, object]]:
    rows = book.sheets[sheet]
    heads = rows[head_row]
    return [dict(zip(heads, r)) for r in rows[head_row + 1:] if any(v not in ("", None) for v in r)]


def close(a, b) -> bool:
    return same_figure(float(a), float(b))


def test_collect_exit_code_says_some_files_were_not_read(region, capsys):
    assert region["code"] == 1


def test_overview_numbers_equal_the_model_for_each_municipality(region):
    rows = table(region["book"], "Oversikt", 4)
    data = {r["Fil"]: r for r in rows if r["Fil"]}
    assert sorted(data) == sorted(region["expected"])
    for name, b in region["expected"].items():
        r = data[name]
        groups = {g: sum(s.staff for s in b.inputs.steps if s.group == g) for g in "abc"}
        assert r["Kommunenr"] == b.inputs.municipality_number and r["Kommune"] == b.inputs.municipality
        assert [r[f"Helsepersonell {g}"] for g in "abc"] == [groups[g] for g in "abc"], name
        assert r["Helsepersonell totalt"] == b.total_staff and r["Første budsjettår (prisnivå)"] == 2027
        for y in b.years:
            assert close(r[f"Nye midler {y.year}"], y.cash_kr), (name, y.year)
        assert close(r["Nye midler totalt"], b.cash_total_kr), name
        assert close(r["Interne timer, 4 år"], sum(y.internal_hours for y in b.years)), name
        assert close(r["Interne ressurser i kr, 4 år"], sum(y.internal_kr for y in b.years)), name
        assert close(r["Engangskostnad totalt"], b.one_off.total_kr), name
        assert close(r["Drift per år"], b.running.total_kr), name
        assert close(r["Frigjort tid, timer per år"], b.benefit.hours), name
        assert close(r["Frigjort tid per år"], b.benefit.kr), name
        assert "Tilbakebetalingstid" not in r  # freed time is not money: no payback
        assert r["Kontroll"] == b.master_check, name


def test_overview_totals_are_sums_of_the_model_and_survive_a_recalculation(region):
    expected = region["expected"].values()
    for book in (region["book"], region["recalc"]):  # cached by kj-budget, then recalculated by LibreOffice
        total = next(r for r in table(book, "Oversikt", 4) if r["Kommune"] == "Sum regionen")
        assert close(total["Engangskostnad totalt"], sum(b.one_off.total_kr for b in expected))
        assert close(total["Nye midler totalt"], sum(b.cash_total_kr for b in expected))
        assert close(total["Drift per år"], sum(b.running.total_kr for b in expected))
        assert close(total["Frigjort tid per år"], sum(b.benefit.kr for b in expected))
        assert total["Helsepersonell totalt"] == sum(b.total_staff for b in expected)
        for y in (2027, 2028, 2029, 2030):
            assert close(total[f"Nye midler {y}"], sum(yr.cash_kr for b in expected for yr in b.years
                                                      if yr.year == y)), y
        n = {s: sum(b.master_check == s for b in expected) for s in ("OK", "Merknad", "Ikke utfylt", "Feil")}
        assert total["Kontroll"] == (f"{n['OK']} OK, {n['Merknad']} Merknad, {n['Ikke utfylt']} Ikke utfylt, "
                                     f"{n['Feil']} Feil")
        head = next(k for k, row in enumerate(book.sheets["Regionen"]) if row and row[0] == "Budsjettår")
        years = {int(r["Budsjettår"]): r for r in table(book, "Regionen", head) if r.get("Budsjettår")}
        assert sorted(years) == [2027, 2028, 2029, 2030]
        for y, r in years.items():
            parts = [yr for b in expected for yr in b.years if yr.year == y]
            assert close(r["Nye midler"], sum(p.cash_kr for p in parts)), y
            assert close(r["Interne ressurser (kr)"], sum(p.internal_kr for p in parts)), y
            assert close(r["Frigjort tid (kr)"], sum(p.benefit_kr for p in parts)), y
            assert "Netto" not in r
    assert region["recalc"].errors == []


def test_the_region_sheet_has_its_chart(region):
    import zipfile

    with zipfile.ZipFile(region["out"]) as z:
        charts = [n for n in z.namelist() if n.startswith("xl/charts/chart")]
        assert len(charts) == 1
        assert b"Regionen: nye midler, interne ressurser og frigjort tid" in z.read(charts[0])
        assert b'formatCode="#,##0&quot; kr&quot;"' in z.read("xl/styles.xml")


def test_unreadable_files_are_listed_with_the_reason(region, capsys):
    failed = {r["Fil"]: r["Årsak"] for r in table(region["book"], "Ikke lest", 3)}
    assert set(failed) == {"notater.xlsx", "annen.xlsx"}
    assert "not a zip package" in failed["notater.xlsx"]
    assert "is not a kj-budget workbook" in failed["annen.xlsx"]
    assert "2 arbeidsbøker kunne ikke leses" in region["book"].sheets["Oversikt"][2][0]
    csv = pd.read_csv(region["out"].with_suffix(".csv"), sep=";", decimal=",", dtype={"Kommunenr": str},
                      encoding="utf-8-sig")
    not_read = csv[csv["Kontroll"] == "Ikke lest"]
    assert sorted(not_read["Fil"]) == ["annen.xlsx", "notater.xlsx"]
    assert not_read["Merknad"].str.contains("not a zip package|not a kj-budget workbook").all()


def test_the_csv_holds_the_same_numbers(region):
    csv = pd.read_csv(region["out"].with_suffix(".csv"), sep=";", decimal=",", dtype={"Kommunenr": str},
                      encoding="utf-8-sig")
    read = csv[csv["Kontroll"] != "Ikke lest"].set_index("Fil")
    assert read.loc["3101-halden.xlsx", "Kommunenr"] == "3101"
    for name, b in region["expected"].items():
        assert close(read.loc[name, "Engangskostnad totalt"], b.one_off.total_kr), name
        assert close(read.loc[name, "Frigjort tid per år"], b.benefit.kr), name
        assert close(read.loc[name, "Nye midler 2028"], b.years[1].cash_kr), name


def test_workbooks_saved_without_calculating_are_flagged(region):
    notes = {r["Fil"]: r["Merknad"] for r in table(region["book"], "Oversikt", 4) if r["Fil"]}
    for name in TYPED:  # saved by openpyxl: no saved totals
        assert "lagrede tall mangler" in notes[name], name
    for name in ("3101-halden.xlsx", "4203-arendal.xlsx", "3439-ringebu.xlsx"):  # as kj-budget built them
        assert notes[name] in ("", None), (name, notes[name])


def test_workbooks_recalculated_by_libreoffice_agree_with_the_model(est, recalculated_cases, tmp_path):
    folder = tmp_path / "recalculated"
    folder.mkdir()
    for case in recalculated_cases.values():
        shutil.copy(case.recalculated.path, folder / f"{case.name}.xlsx")
    results = collect(sorted(folder.iterdir()), est, workers=2)
    assert all(isinstance(r, Entry) for r in results)
    assert [r.path.name for r in results if r.mismatch] == []


def test_a_workbook_built_from_other_estimates_is_flagged(est, region):
    other = changed_estimates(est)
    e = read_one(region["folder"] / "3101-halden.xlsx", other, dt.date.today())
    assert isinstance(e, Entry)
    assert "bygget med estimater nhn-2020-06 2020-06.4" in e.mismatch
    assert "arbeidsbokens lagrede tall avviker fra modellen: kj_total_hours" in e.mismatch
    assert e.budget.one_off.total_kr == budget(other, e.inputs, dt.date.today()).one_off.total_kr

"""Issue 14: the regional overview gains actual against budget per municipality, line and year (sheet
Oppfølging, and oversikt-oppfolging.csv), `collect --malform nn` writes its texts in nynorsk, and
`estimates --calibrate` reads the actuals back from the overview (or refuses a file that is not one)."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import openpyxl
import pytest
import scenarios
from compare import close
from conftest import TODAY
from python_calamine import CalamineWorkbook

from workbook_builder.cli.main import main
from workbook_builder.core.followup import follow_up, in_price_year
from workbook_builder.services.calibrate import overview_reported
from workbook_builder.services.collect import FU_NAMES
from workbook_builder.workbook import build_workbook


@pytest.fixture(scope="module")
def region(est, tmp_path_factory):
    root = tmp_path_factory.mktemp("followup-overview")
    folder = root / "kommuner"
    folder.mkdir()
    cases = scenarios.scenarios()
    inputs = {"lillehammer.xlsx": cases["followup"],
              "gausdal.xlsx": replace(cases["followup"], municipality="Gausdal", municipality_number="3441",
                                      actuals=cases["followup"].actuals[:3]),
              "alta.xlsx": cases["zone-v-helsefagarbeider"]}  # no actuals: named above the table, no rows
    for name, i in inputs.items():
        build_workbook(folder / name, est, i, today=TODAY)
    return root, folder, inputs


def _names(path):
    wb = CalamineWorkbook.from_path(str(path))
    return wb.sheet_names


def test_the_overview_has_actual_against_budget_per_municipality_line_and_year(est, region, capsys):
    root, folder, inputs = region
    out = root / "oversikt.xlsx"
    assert main(["collect", str(folder), "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "wrote " + f"{out}, {out.with_suffix('.csv')} and {root / 'oversikt-oppfolging.csv'}" in printed
    assert "Follow-up: 15 actual(s) from 2 workbook(s); 8 above P85." in printed  # 6 + training 2027 and 2028
    assert _names(out) == ["Regionen", "Oversikt", "Per år", "Oppfølging", "Ikke lest"]
    wb = openpyxl.load_workbook(out)
    columns = {}
    for key in FU_NAMES:
        (sheet, ref), = wb.defined_names[f"kj_fu_{key}"].destinations
        columns[key] = [c.value for row in wb[sheet][ref] for c in row]
    with open(root / "oversikt-oppfolging.csv", encoding="utf-8-sig", newline="") as f:
        rows = list(csv.reader(io.StringIO(f.read()), delimiter=";"))
    assert rows[0][:4] == ["Kommunenr", "Kommune", "Linje", "Linje-id"]
    assert rows[0][FU_NAMES["price_year"]] == f"Faktisk i estimatenes prisår ({est.price_year})"
    # Alta has reported nothing: it has no rows (budgets beside blank actuals), it is named above the table
    sheet = wb["Oppfølging"]
    assert sheet["A4"].value == "Ingen faktiske tall ennå fra 1 kommune, som ikke har rader her: Alta (5601)."
    assert "5601" not in columns["municipality"]
    expected = []
    for name in ("lillehammer.xlsx", "gausdal.xlsx"):  # by municipality number: 3405, 3441
        i = inputs[name]
        from workbook_builder.core.model import budget

        b = budget(est, i, TODAY)
        for d in follow_up(est, b, i.actuals):
            if d.actual is not None or d.budget != 0:
                expected.append((i.municipality_number, d, in_price_year(est, b.params, d), b.total_staff))
    expected.sort(key=lambda x: x[0])
    assert len(columns["line"]) == len(expected) == len(rows) - 1
    for k, (number, d, price_year, staff) in enumerate(expected):
        assert (columns["municipality"][k], columns["line"][k], columns["year"][k]) == (number, d.line.id, d.year)
        assert rows[k + 1][FU_NAMES["line"]] == d.line.id
        for key, value in (("budget", d.budget), ("p50", d.p50), ("p85", d.p85), ("entered", d.actual_nominal),
                           ("actual", d.actual), ("price_year", price_year), ("staff", staff)):
            assert close(columns[key][k], value), (k, key)
            csv_value = rows[k + 1][FU_NAMES[key]]
            assert (csv_value == "") if value is None else close(float(csv_value.replace(",", ".")), value)
        # deviation, share and status are formulas in the workbook where an actual is known (blank until then);
        # the CSV has the model's values
        if d.actual is None:
            assert columns["status"][k] is columns["deviation"][k] is None
        else:
            assert str(columns["status"][k]).startswith("=IF(") and str(columns["deviation"][k]).startswith("=")
        assert rows[k + 1][FU_NAMES["status"]] == (d.status or "")


def test_collect_in_nynorsk_names_sheets_heads_and_statuses_in_nynorsk(region, capsys):
    root, folder, _ = region
    out = root / "oversyn-nn.xlsx"
    assert main(["collect", str(folder), "--out", str(out), "--malform", "nn"]) == 0
    capsys.readouterr()
    assert _names(out) == ["Regionen", "Oversikt", "Per år", "Oppfølging", "Ikkje lesne"]
    wb = CalamineWorkbook.from_path(str(out))
    texts = {v for sheet in wb.sheet_names for row in wb.get_sheet_by_name(sheet).to_python() for v in row
             if isinstance(v, str)}
    assert {"Nye midlar totalt", "Eingongskostnad totalt", "Kommunar i oversikta", "Sum regionen"} <= texts
    assert not {"Nye midler totalt", "Engangskostnad totalt", "Kommuner i oversikten"} & texts
    assert "Ingen faktiske tal enno frå 1 kommune, som ikkje har rader her: Alta (5601)." in texts
    with open(root / "oversyn-nn-oppfolging.csv", encoding="utf-8-sig") as f:
        text = f.read()
    assert "Innanfor P50–P85" in text and "Innenfor" not in text and ";\"timar\";" in text
    with open(root / "oversyn-nn.csv", encoding="utf-8-sig") as f:
        head = f.readline()
    assert head.startswith('"Kommunenr";"Kommune";"EPJ-leverandør";"e-ID"') and "Nye midlar totalt" in head


def test_calibrate_reads_the_overview_as_it_reads_the_workbooks(est, region, capsys):
    root, folder, _ = region
    out = root / "oversikt.xlsx"
    if not out.exists():
        assert main(["collect", str(folder), "--out", str(out)]) == 0
    reported = overview_reported(out, est)
    from workbook_builder.services.calibrate import observations, regional_budgets

    budgets, unread = regional_budgets(folder, est)
    assert unread == []
    for item in est.interpolated_items:
        a = sorted((o.municipality, o.staff, round(o.value, 6), o.years) for o in observations(est, reported, item.id))
        b = sorted((o.municipality, o.staff, round(o.value, 6), o.years) for o in observations(est, budgets, item.id))
        assert a == b, item.id
    # three municipalities are too few: refused by item and segment, exit 1, nothing written
    target = root / "region.toml"
    assert main(["estimates", "--calibrate", str(out), "--out", str(target)]) == 1
    err = capsys.readouterr().err
    assert "too few municipalities reported to fit it" in err and not target.exists()


def test_calibrate_refuses_a_file_that_is_not_an_overview(region, capsys):
    root, folder, _ = region
    assert main(["estimates", "--calibrate", str(folder / "alta.xlsx"), "--out", str(root / "x.toml")]) == 2
    assert "is not an overview written by kj-budget collect" in capsys.readouterr().err

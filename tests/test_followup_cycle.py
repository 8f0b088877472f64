"""Issue 14, the full cycle in one test: batch → fill budgets and actuals as a user would → collect → calibrate
from the overview → regenerate every workbook with the region's estimates (`build --from OLD --estimates FILE`)
→ collect again. A synthetic region with a known truth: 30 municipalities of varied sizes, every hours item
1,3 × the note's figures and the purchase 0,9 ×, with noise. Every workbook and both overviews are recalculated
by LibreOffice in one call, and every number must be the model's."""

from __future__ import annotations

import datetime as dt
import random
import tomllib
from pathlib import Path

import lo
import pytest
from compare import close
from filling import fill
from test_followup_sheet import expected_rows, sheet_rows

from workbook_builder.cells import output_values
from workbook_builder.cli.main import main
from workbook_builder.core.estimates import load_estimates, parse_estimates
from workbook_builder.core.model import budget, interpolate, price_index
from workbook_builder.services.collect import FU_NAMES, followup_rows
from workbook_builder.xlsx.filled_reader import read_workbook

FACTOR = {"hours": 1.3, "purchase": 0.9}
TOLERANCE = 0.08  # the fitted values at every reference size within 8 % of the truth (noise σ 0,1)
SIZES = [12, 18, 25, 33, 40, 48, 55, 62, 70, 80, 90, 105, 120, 140, 160, 185, 210, 240, 270, 300, 330,
         360, 390, 420, 460, 500, 28, 75, 150, 350]
FIRST = 2027
HEAD = ("kommune;kommunenummer;epj_leverandor;eid;forste_budsjettar;a_helsepersonell;a_startar;b_helsepersonell;"
        "b_startar;c_helsepersonell;c_startar;mottak_korttid;mottak_hjemmetjeneste;timekostnad;modulpris;merknad")


def region_csv(path: Path) -> None:
    lines = [HEAD]
    for k, total in enumerate(SIZES):
        a, b = max(1, round(total * 0.1)), round(total * 0.3)
        c = total - a - b
        lines.append(f"Kommune {k + 1:02d};{9101 + k};Gerica;PKI-kort;{FIRST};{a};{FIRST};{b};{FIRST};{c};{FIRST + 1};"
                     f"{10 * total};{15 * total};;{60_000 + 500 * k};syntetisk region")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def actuals_for(est, inputs, rng: random.Random) -> dict[str, float]:
    """What the municipality really spent, per item and year: the truth's increase in each year × noise; hours
    as recorded, kroner in the prices of the year paid; and the e-ID as budgeted + 10 % in the first year."""
    b = budget(est, inputs)
    f = b.params.deflator_forecast
    out = {}
    for item in est.interpolated_items:
        truth = tuple(v * FACTOR[item.kind] for v in item.values)
        before = 0
        for k, y in enumerate(b.years):
            now = sum(s.staff for s in inputs.steps if s.year <= y.year)
            if now == before:
                continue
            real = (interpolate(est.sizes.values, truth, now) - interpolate(est.sizes.values, truth, before)) \
                * rng.lognormvariate(0, 0.10)
            if item.kind != "hours":
                real *= price_index(est, y.year, False, f) / price_index(est, est.price_year, False, f)
            out[f"kj_actual_{item.id}#{k + 1}"] = round(real, 2)
            before = now
    out["kj_actual_eid#1"] = round(b.years[0].item_kr["eid"] * 1.1, 2)
    return out


@pytest.mark.libreoffice
def test_batch_fill_collect_calibrate_regenerate_collect(tmp_path, capsys):
    est = load_estimates()
    rng = random.Random(14)
    region_csv(tmp_path / "region.csv")
    # ---------------------------------------------------------------- batch, then filled in as a user would
    assert main(["batch", str(tmp_path / "region.csv"), "--out-dir", str(tmp_path / "bygget")]) == 0
    built = sorted((tmp_path / "bygget").glob("*.xlsx"))
    assert len(built) == len(SIZES)
    filled_dir = tmp_path / "utfylt"
    filled_dir.mkdir()
    typed: dict[str, dict[str, float]] = {}
    for path in built:
        inputs = read_workbook(path, est).inputs
        typed[path.name] = actuals_for(est, inputs, rng)
        fill(path, {"kj_ansvar": "4100", **typed[path.name]}, filled_dir / path.name)
    filled = sorted(filled_dir.glob("*.xlsx"))
    read = {p.name: read_workbook(p, est) for p in filled}
    assert all(fw.problems == [] and len(fw.inputs.actuals) == len(typed[n]) for n, fw in read.items())
    capsys.readouterr()

    # ---------------------------------------------------------------- collect, calibrate from the overview
    first = tmp_path / "oversikt-1.xlsx"
    assert main(["collect", str(filled_dir), "--out", str(first)]) == 1  # saved by openpyxl: no saved totals
    out = capsys.readouterr().out
    n_actuals = sum(len(v) for v in typed.values())
    assert f"Follow-up: {n_actuals} actual(s) from {len(SIZES)} workbook(s)" in out
    region_toml = tmp_path / "region.toml"
    assert main(["estimates", "--calibrate", str(first), "--out", str(region_toml)]) == 0
    assert f"Calibrated from {len(SIZES)} municipalities" in capsys.readouterr().out
    # the workbooks themselves give the very same fit as the overview they were collected into
    from_dir = tmp_path / "region-fra-mappe.toml"
    assert main(["estimates", "--calibrate", str(filled_dir), "--out", str(from_dir)]) == 0
    capsys.readouterr()
    a, b_ = tomllib.loads(region_toml.read_text()), tomllib.loads(from_dir.read_text())
    assert a["items"] == b_["items"]
    cal = parse_estimates(region_toml.read_text(encoding="utf-8"), file="region.toml")
    for item in est.interpolated_items:
        fitted = cal.item(item.id)
        assert a["items"][item.id]["original_values"] == list(item.values)
        for v, t in zip(fitted.values, item.values):
            assert abs(v / (t * FACTOR[item.kind]) - 1) <= TOLERANCE, (item.id, fitted.values)
        assert a["calibration"]["items"][item.id]["municipalities"] == len(SIZES)

    # ---------------------------------------------------------------- regenerate every workbook, collect again
    new_dir = tmp_path / "ny"
    new_dir.mkdir()
    for p in filled:
        assert main(["build", "--from", str(p), "--estimates", str(region_toml), "--out", str(new_dir / p.name)]) == 0
        report = capsys.readouterr().out
        assert f"carried      kj_actual_{est.interpolated_items[0].id}#1" in report
    regenerated = sorted(new_dir.glob("*.xlsx"))
    second = tmp_path / "oversikt-2.xlsx"
    assert main(["collect", str(new_dir), "--out", str(second), "--estimates", str(region_toml)]) == 0
    capsys.readouterr()

    # ---------------------------------------------------------------- one LibreOffice recalculation of it all
    books = [*filled, *regenerated, first, second]
    renamed = []
    for k, p in enumerate(books):  # distinct names for one call
        q = tmp_path / "lo-in" / f"{k:02d}-{p.parent.name}-{p.name}"
        q.parent.mkdir(exist_ok=True)
        q.write_bytes(p.read_bytes())
        renamed.append(q)
    recalculated = dict(zip(books, lo.recalc(renamed, tmp_path / "lo-out")))

    for p in filled:  # no cached values (openpyxl): LibreOffice's numbers must be the model's
        fw = read_workbook(p, est)
        b = budget(est, fw.inputs, dt.date.fromisoformat(fw.metadata["built"]))
        book = lo.read_book(recalculated[p])
        assert book.errors == []
        _assert_outputs(est, b, book, p.name)
        _assert_followup(est, b, book, p.name)
    for p in regenerated:  # cached values (the model's with the region's estimates) = LibreOffice's
        fw = read_workbook(p, cal)
        b = budget(cal, fw.inputs, dt.date.fromisoformat(fw.metadata["built"]))
        assert {(x.line, x.year) for x in b.inputs.actuals} == {(x.line, x.year) for x in read[p.name].inputs.actuals}
        cached, book = lo.read_book(p), lo.read_book(recalculated[p])
        assert book.errors == []
        _assert_outputs(cal, b, book, p.name)
        _assert_followup(cal, b, book, p.name)
        _assert_cached(cached, book, p.name)
    for p in (first, second):
        cached, book = lo.read_book(p), lo.read_book(recalculated[p])
        assert book.errors == []
        _assert_cached(cached, book, p.name)
    # the second overview's follow-up table is the model's for every regenerated workbook
    from workbook_builder.services.collect import collect

    entries = collect(regenerated, cal, workers=1)
    want = followup_rows(entries, cal)
    book = lo.read_book(recalculated[second])
    got = {key: book.value(f"kj_fu_{key}") for key in FU_NAMES}
    assert len(got["line"]) == len(want)
    for k, row in enumerate(want):
        for key, col in FU_NAMES.items():
            assert close(got[key][k], "" if row[col] is None else row[col]), (k, key, got[key][k], row[col])
    above = sum(1 for row in want if row[FU_NAMES["status"]] == "Over P85")
    within = sum(1 for row in want if row[FU_NAMES["status"]] == "Innenfor P50–P85")
    assert above + within > 0 and above < len(want)  # the region's estimates fit the region


def _assert_outputs(est, b, book, name) -> None:
    for out_name, value in output_values(est, b).items():
        got = book.value(out_name)
        assert close(got, value) if not isinstance(value, list) else all(map(close, got, value)), (name, out_name)


def _assert_followup(est, b, book, name) -> None:
    class Case:  # what expected_rows reads
        budget = b
        inputs = b.inputs

    got, want = sheet_rows(book), expected_rows(est, Case)
    assert set(got) == set(want)
    for key, row in want.items():
        for column, value in row.items():
            assert close(got[key][column], value), (name, key, column, got[key][column], value)


def _assert_cached(cached, book, name) -> None:
    differences = [(sheet, r, c) for sheet, cells in cached.formulas.items() for r, c in cells
                   if not close(cached.cell(sheet, r, c), book.cell(sheet, r, c))]
    assert differences == [], (name, differences[:5])

"""One tolerance (core/numbers.TOLERANCE_KR, half an øre) for figures that must agree: the model's checks,
Kontroll's formulas (kj_tolerance_kr, stated on Kontroll and Estimater), `check`, `collect` and the zero-line
rule use it, and no other tolerance is written anywhere in the code. Whether a stored figure has changed (a
regeneration's estimates, the output rule's typed values) is a different question, answered by
`same_figure`: any real difference counts."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import TODAY
from test_check_command import COMPLETE, run_json, tamper

from workbook_builder.cells import output_values
from workbook_builder.core.model import budget
from workbook_builder.core.numbers import TOLERANCE_KR, same_amount, same_figure, same_value
from workbook_builder.services.collect import compare_saved
from workbook_builder.services.source import read_filled
from workbook_builder.workbook import build_bytes, build_workbook
from workbook_builder.xlsx.filled_reader import WorkbookFile

ROOT = Path(__file__).resolve().parent.parent


def test_half_an_ore_and_no_more():
    assert TOLERANCE_KR == 0.005
    assert same_amount(100.0, 100.005) and same_amount(100.0, 99.995)
    assert not same_amount(100.0, 100.0051) and not same_amount(100.0, 99.9949)
    assert same_amount(987_654_321.12, 987_654_321.12 + 1e-6)  # float noise on the largest figures
    assert same_value([1.0, "OK", None], [1.004, "OK", ""]) and not same_value([1.0], [1.006])
    assert not same_value("1", 1) and not same_value("OK", "Feil")


def test_a_change_in_a_stored_figure_counts_however_small():
    assert same_value(0.179, 0.18) and not same_figure(0.179, 0.18)
    assert same_figure(0.1 * 3, 0.3) and same_figure([1.0, None], [1.0, ""])


@pytest.mark.parametrize(("off", "agrees"), [(0.004, True), (-0.0049, True), (0.006, False), (-0.01, False)])
def test_check_and_collect_agree_on_a_saved_total_at_the_tolerance(est, tmp_path, capsys, off, agrees):
    built = tmp_path / "built.xlsx"
    build_workbook(built, est, COMPLETE, today=TODAY)
    model = budget(est, COMPLETE, TODAY).one_off.total_kr
    path = tamper(built, "kj_total_kr", repr(model + off), tmp_path / "off.xlsx")
    _, r = run_json(capsys, str(path))
    assert next(t for t in r["totals"] if t["name"] == "kj_total_kr")["match"] is agrees
    assert r["totals_match"] is agrees
    filled = read_filled(path, est)
    mismatch = compare_saved(est, budget(est, filled.inputs, filled.built), filled.saved, filled.metadata)
    assert (mismatch == "") is agrees
    assert agrees or mismatch.startswith("arbeidsbokens lagrede tall avviker fra modellen: kj_total_kr")


def test_the_workbook_states_the_tolerance_where_kontroll_uses_it(est):
    built = build_bytes(est, COMPLETE, today=TODAY)
    with WorkbookFile(built.data) as wb:
        assert wb.value("kj_tolerance_kr") == TOLERANCE_KR  # on Estimater
        stated = wb.cell("Kontroll", 2, 1)
        assert stated.value == TOLERANCE_KR and stated.formula == "kj_tolerance_kr"
        kontroll = [c.formula for c in wb.sheet_cells("Kontroll").values() if c.formula]
    assert sum("ABS(" in f and ">kj_tolerance_kr" in f for f in kontroll) == 2  # years and lines
    assert not [f for f in kontroll if re.search(r"\d\.\d", f)]  # no tolerance typed into a formula


def test_the_model_checks_use_the_tolerance(est):
    b = budget(est, COMPLETE, TODAY)
    assert sum(y.one_off_kr for y in b.years) == pytest.approx(b.one_off.total_kr, abs=TOLERANCE_KR)
    assert b.check("years").status == b.check("lines").status == "OK"
    assert output_values(est, b)["kj_master_check"] == "OK"


def test_no_second_tolerance_is_written_in_the_code():
    """A literal 0.005, abs_tol or rel_tol anywhere but core/numbers.py would be a second rule."""
    found = []
    for path in [*(ROOT / "workbook_builder").rglob("*.py"), *(ROOT / "udfs").rglob("*.py")]:
        if path.relative_to(ROOT).as_posix() == "workbook_builder/core/numbers.py":
            continue
        for k, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if re.search(r"\b0\.005\b|abs_tol|rel_tol|isclose", line):
                found.append(f"{path.relative_to(ROOT)}:{k}: {line.strip()}")
    assert found == []


def test_a_regeneration_reports_an_estimate_changed_by_less_than_the_tolerance(est, tmp_path):
    from workbook_builder.core.estimates import parse_estimates
    from workbook_builder.services.regenerate import regenerate

    assert est.hourly_rate["pension_share"].value == 0.179
    newer = parse_estimates(est.text.replace("value = 0.179", "value = 0.18", 1), file="nyere.toml")
    old = tmp_path / "old.xlsx"
    build_workbook(old, est, COMPLETE, today=TODAY)
    reg = regenerate(old, newer, today=TODAY)
    changed = {e.name: (e.old, e.new) for e in reg.report.estimate_changes}
    assert changed["kj_est_pension_share"] == (0.179, 0.18)

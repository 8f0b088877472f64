"""Issue 14: `kj-budget check` reports the actuals on Oppfølging against the budget per line and year (text and
--json); an actual above P85 is a note on Kontroll (the one severity table), not an error."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest
from compare import close
from conftest import TODAY
from test_check_command import COMPLETE

from workbook_builder.cli.main import main
from workbook_builder.core.followup import DEVIATION_EN, follow_up
from workbook_builder.core.model import Actual, budget
from workbook_builder.core.vocabulary import CHECKS, NOTE
from workbook_builder.workbook import build_workbook

WITHIN_RANGE = (Actual("planning_kj", 2026, 95), Actual("eid", 2026, 39_000))  # within / below
ABOVE_RANGE = (*WITHIN_RANGE, Actual("training", 2027, 400))


@pytest.fixture(scope="module")
def books(est, tmp_path_factory):
    root = tmp_path_factory.mktemp("followup-check")
    out = {}
    for name, actuals in (("within", WITHIN_RANGE), ("above", ABOVE_RANGE)):
        out[name] = root / f"{name}.xlsx"
        build_workbook(out[name], est, replace(COMPLETE, actuals=actuals), today=TODAY)
    return out


def run(capsys, *args):
    code = main(["check", *args])
    return code, capsys.readouterr().out


def test_the_json_lists_each_known_actual_as_the_model_computes_it(est, books, capsys):
    code, out = run(capsys, str(books["above"]), "--json")
    r = json.loads(out)
    model = [d for d in follow_up(est, budget(est, replace(COMPLETE, actuals=ABOVE_RANGE), TODAY), ABOVE_RANGE)
             if d.actual is not None]
    assert [(f["line"], f["year"]) for f in r["followup"]] == [(d.line.id, d.year) for d in model]
    for f, d in zip(r["followup"], model):
        for key, value in (("budget", d.budget), ("p50", d.p50), ("p85", d.p85), ("actual", d.actual),
                           ("actual_entered", d.actual_nominal), ("deviation", d.deviation),
                           ("deviation_share", d.deviation_share)):
            assert close(f[key], value), (f["line"], key)
        assert f["status"] == DEVIATION_EN[d.status]
    assert [f["status"] for f in r["followup"]] == ["below", "within", "above"]
    assert {f["unit"] for f in r["followup"]} == {"kr", "hours"}
    assert CHECKS["followup"].severity == NOTE
    assert next(c for c in r["checks"] if c["id"] == "followup")["status"] == NOTE
    assert (code, r["master_check"], r["totals_match"]) == (1, NOTE, True)


def test_above_p85_is_a_note_so_allow_notes_exits_0(books, capsys):
    code, out = run(capsys, str(books["above"]), "--allow-notes")
    assert code == 0
    assert "Follow-up (Oppfølging): 3 actuals entered, 1 above P85 (each a note on Kontroll)" in out
    assert "  above  training 2027: actual 400 hours, budget " in out
    assert "  note  actuals within the cost frame (P85)" in out


def test_actuals_within_the_range_leave_the_checks_ok(books, capsys):
    code, out = run(capsys, str(books["within"]))
    assert code == 0, out
    assert "  ok    actuals within the cost frame (P85)" in out
    assert "  within planning_kj 2026: actual 95 hours" in out

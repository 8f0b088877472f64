"""One table of check statuses and severities, and one of checks (core/vocabulary.py): Kontroll's master
formulas and counts, the model's master check and message, `check` on the terminal, the memo, the regional
overview and the status colours all follow it, so none can order or name the statuses differently."""

from __future__ import annotations

import itertools
import re

import pytest
from conftest import TODAY

from workbook_builder.cli.main import main
from workbook_builder.core.model import Check, Inputs, Step, budget, master_message
from workbook_builder.core.vocabulary import (
    CHECKS,
    EMPTY,
    ERROR,
    NOTE,
    OK,
    SEVERITY,
    STATUS_CLASS,
    STATUS_EN,
    STATUSES,
    WORST_FIRST,
    at_most,
    worst,
)
from workbook_builder.workbook import build_bytes, build_workbook
from workbook_builder.xlsx.filled_reader import WorkbookFile


def test_the_table():
    assert [s.word for s in STATUSES] == [OK, NOTE, EMPTY, ERROR]
    assert SEVERITY == {OK: 0, NOTE: 1, EMPTY: 2, ERROR: 3}
    assert WORST_FIRST == (ERROR, EMPTY, NOTE, OK)
    assert STATUS_EN == {OK: "ok", NOTE: "note", EMPTY: "empty", ERROR: "ERROR"}
    assert at_most(NOTE, NOTE) and at_most(OK, NOTE) and not at_most(EMPTY, NOTE) and not at_most(NOTE, OK)
    assert all(spec.severity in SEVERITY and spec.title and spec.title_en for spec in CHECKS.values())


@pytest.mark.parametrize(("a", "b"), list(itertools.product(SEVERITY, repeat=2)))
def test_the_master_check_and_its_message_follow_the_ranks(a, b):
    checks = (Check("x", "x", a, ""), Check("y", "y", b, ""))
    expected = a if SEVERITY[a] >= SEVERITY[b] else b
    assert worst([a, b]) == expected
    assert master_message(checks).startswith(f"{expected}:")


def _nested_ifs(formula: str) -> list[str]:
    """The statuses a nested IF(count>0,…) formula tests, in its order."""
    return re.findall(r"IF\((kj_check_\w+)>0", formula)


def test_kontroll_orders_and_counts_the_statuses_as_the_table_does(est):
    built = build_bytes(est, Inputs(steps=(Step(10, "a"),)), today=TODAY)
    names = {}
    with WorkbookFile(built.data) as wb:
        master = wb.cells("kj_master_check")[0].formula
        message = wb.cells("kj_master_message")[0].formula
        for name in ("kj_check_errors", "kj_check_empty", "kj_check_notes"):
            status = re.search(r'"([^"]+)"\)$', wb.cells(name)[0].formula).group(1)
            names[name] = status
    worse_than_ok = [s for s in WORST_FIRST if s != OK]
    assert sorted(names.values(), key=WORST_FIRST.index) == worse_than_ok
    assert [names[n] for n in _nested_ifs(master)] == worse_than_ok
    assert [names[n] for n in _nested_ifs(message)] == worse_than_ok
    assert re.findall(r'>0,"([^"]+)"', master) == worse_than_ok and master.endswith(f'"{OK}")))')


@pytest.mark.parametrize(("inputs", "status"), [
    (Inputs(), EMPTY),
    (Inputs(steps=(Step(40, "b"),), eid="bankid"), NOTE),
    (Inputs(steps=(Step(10, None),)), ERROR),
])
def test_check_on_the_terminal_names_every_status_in_english(est, tmp_path, capsys, inputs, status):
    """Every status has its English word: an untouched template («Ikke utfylt») once crashed `check`."""
    path = tmp_path / "b.xlsx"
    b = build_workbook(path, est, inputs, today=TODAY).budget
    assert b.master_check == status
    assert main(["check", str(path)]) == 1
    out = capsys.readouterr().out
    assert f"Checks (Kontroll): {status}" in out
    for c in b.checks:
        assert f"  {STATUS_EN[c.status]:<5} {CHECKS[c.id].title_en}" in out


def test_the_memo_has_a_style_for_every_status(est):
    from workbook_builder.services.memo import render_memo_html

    html = render_memo_html(est, Inputs(), budget(est, Inputs(), TODAY), today=TODAY)
    for s in STATUSES:
        assert STATUS_CLASS[s.word] == s.css and f".status.{s.css} {{" in html


def test_the_status_colours_cover_the_table_in_each_malform():
    import io

    import xlsxwriter

    from workbook_builder.core.i18n import tr
    from workbook_builder.sheets.styles import Formats

    wb = xlsxwriter.Workbook(io.BytesIO())
    for malform in ("nb", "nn"):
        assert [word for word, _ in Formats(wb).status_rules(malform)] == [tr(s.word, malform) for s in STATUSES]
    assert "Ikkje utfylt" in [word for word, _ in Formats(wb).status_rules("nn")]
    wb.close()


def test_the_overview_counts_the_statuses_in_the_tables_order():
    from types import SimpleNamespace

    from workbook_builder.services.collect import status_counts, status_summary

    entries = [SimpleNamespace(budget=SimpleNamespace(master_check=s)) for s in (ERROR, OK, OK, EMPTY)]
    counts = status_counts(entries)  # type: ignore[arg-type]
    assert list(counts) == [s.word for s in STATUSES]
    assert status_summary(counts) == "2 OK, 0 Merknad, 1 Ikke utfylt, 1 Feil"
